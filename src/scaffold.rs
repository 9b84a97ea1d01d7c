//! `scaffold`: request + config + current file texts + today's date → the new texts, the registry
//! id and the targeted plan command. Pure: the caller reads and writes the files.

use serde::{Deserialize, Serialize};

use crate::catalog::{self, CatalogEntry};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::tfvars::{self, TfvarsEntry};
use crate::validate::{Request, Validator};

/// The current contents of the two files; `None` when a file does not exist yet.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Files {
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    pub catalog: Option<String>,
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    pub tfvars: Option<String>,
}

/// One file after the scaffold.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    /// Path inside the platform repository.
    pub path: String,
    /// The new text (the old text when unchanged).
    pub text: String,
    /// Whether `text` differs from what was passed in.
    pub changed: bool,
    /// Whether the file did not exist before.
    pub created: bool,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaffoldOutput {
    pub registry_id: String,
    pub entity_name: String,
    pub plan_command: String,
    pub catalog: FileChange,
    pub tfvars: FileChange,
    /// Branch, title, body and labels for the pull request that carries the two edits.
    pub pull_request: PullRequest,
}

/// What `publish:github:pull-request` (or a person) needs to open the review.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullRequest {
    /// `registry/create-<name>`, the branch the platform's PR links filter on.
    pub branch_name: String,
    pub title: String,
    /// Markdown: the request, the tier's security controls, the files and the targeted plan.
    pub body: String,
    /// `ecr-registry`: merged PRs with this label are applied by the platform's workflow.
    pub labels: Vec<String>,
}

/// The label the platform's auto-apply workflow triggers on (request flow, step 4).
pub const PR_LABEL: &str = "ecr-registry";

/// A value as a Markdown code span, whatever backticks it holds.
fn code(v: &str) -> String {
    if v.contains('`') {
        format!("`` {v} ``")
    } else {
        format!("`{v}`")
    }
}

/// The pull request for a validated request.
pub fn pull_request(
    config: &Config,
    request: &Request,
    registry_id: &str,
    plan_command: &str,
    changed: &[&str],
) -> PullRequest {
    use std::fmt::Write;
    let mut b = String::new();
    let _ = writeln!(b, "## New ECR repository {}\n", code(&request.name));
    let _ = writeln!(
        b,
        "Requested through Backstage; the edits were made and verified by ecr-registrar {}.\n",
        crate::VERSION
    );
    b.push_str("| Field | Value |\n|---|---|\n");
    let none = "(not given)".to_string();
    for (k, v) in [
        ("Repository", code(&request.name)),
        ("Governance id", code(registry_id)),
        (
            "Backstage entity",
            code(&crate::validate::entity_name(&request.name)),
        ),
        ("Owner", code(&request.owner)),
        (
            "Requested by",
            request.requester.as_deref().map_or(none.clone(), code),
        ),
        (
            "Domain",
            request.domain.as_deref().map_or(none.clone(), code),
        ),
        ("Environment", code(&request.environment)),
        ("Risk tier", code(&request.risk)),
    ] {
        let _ = writeln!(b, "| {k} | {v} |");
    }
    if let Some(c) = config.risk_tiers.get(&request.risk) {
        let _ = writeln!(
            b,
            "\n### Security controls of the {} tier\n",
            code(&request.risk)
        );
        let _ = writeln!(b, "- Tag mutability: {}", code(&c.mutability));
        let _ = writeln!(b, "- Encryption: {}", code(&c.encryption));
        let _ = writeln!(
            b,
            "- Lifecycle: keep the last {} images",
            c.retention_images
        );
        let scanning = match (c.image_scanning, c.enhanced_scanning) {
            (_, true) => "enhanced (continuous) scanning",
            (true, false) => "basic scan on push",
            (false, false) => "off",
        };
        let _ = writeln!(b, "- Image scanning: {scanning}");
        if !c.use_for.is_empty() {
            let _ = writeln!(b, "- Meant for: {}", c.use_for);
        }
    }
    b.push_str("\n### Files\n\n");
    if changed.is_empty() {
        b.push_str("None: the request was already in both files.\n");
    }
    for path in changed {
        let _ = writeln!(b, "- {}", code(path));
    }
    let _ = writeln!(
        b,
        "\n### Targeted plan\n\n```sh\n{plan_command}\n```\n\nOnce approved and merged with the {} label, the platform applies exactly this target.",
        code(PR_LABEL)
    );
    PullRequest {
        branch_name: format!("registry/create-{}", request.name),
        title: format!(
            "Add ECR repository {} ({}, {} risk)",
            request.name, request.environment, request.risk
        ),
        body: b,
        labels: vec![PR_LABEL.to_string()],
    }
}

impl ScaffoldOutput {
    pub fn changed(&self) -> bool {
        self.catalog.changed || self.tfvars.changed
    }
}

/// The targeted plan for one repository.
pub fn plan_command(config: &Config, request: &Request) -> String {
    let path = config.tfvars_path_for(&request.environment);
    let dir = path.rsplit_once('/').map_or(".", |(d, _)| d);
    format!(
        "terraform -chdir={dir} plan -target='module.{}[\"{}\"]'",
        config.variable, request.name
    )
}

/// Validate the request, then add it to both files. Either both edits are verified or an error is
/// returned; the caller writes nothing on error.
pub fn scaffold(
    request: &Request,
    files: &Files,
    today: &str,
    config: &Config,
) -> Result<ScaffoldOutput> {
    scaffold_with(&Validator::new(config)?, request, files, today)
}

pub fn scaffold_with(
    v: &Validator,
    request: &Request,
    files: &Files,
    today: &str,
) -> Result<ScaffoldOutput> {
    let config = v.config();
    if !crate::text::is_iso_date(today) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "today {} is not a date of the form YYYY-MM-DD",
                crate::text::show(today)
            ),
        ));
    }
    let report = v.validate_request(request);
    let registry_id = match (report.valid, report.registry_id) {
        (true, Some(id)) => id,
        _ => {
            let mut e = Error::new(ErrorCode::InvalidRequest, "the request is invalid");
            e.errors = report.errors;
            return Err(e);
        }
    };
    let catalog_path = config.catalog_path.clone();
    let tfvars_path = config.tfvars_path_for(&request.environment);

    let centry = CatalogEntry {
        name: request.name.clone(),
        id: registry_id.clone(),
        owner: request.owner.clone(),
        requested_by: request.requester.clone(),
        domain: request.domain.clone(),
        risk: request.risk.clone(),
        environment: request.environment.clone(),
        created_date: today.to_string(),
        status: config.initial_status.clone(),
    };
    let tentry = TfvarsEntry {
        name: request.name.clone(),
        id: registry_id.clone(),
        owner: request.owner.clone(),
        risk: request.risk.clone(),
    };
    let edit_catalog = || {
        catalog::add_entry(
            files.catalog.as_deref(),
            &centry,
            today,
            &config.catalog_header,
        )
        .map_err(|e| e.or_file(&catalog_path))
    };
    let edit_tfvars = || {
        tfvars::add_entry(files.tfvars.as_deref(), &tentry, &config.variable)
            .map_err(|e| e.or_file(&tfvars_path))
    };
    // Sequential on purpose: on two threads the edits finished later (measured: page faults of the
    // two heaps contend), see BENCHMARKS.md.
    let (cat, tf) = (edit_catalog()?, edit_tfvars()?);
    let plan_command = plan_command(config, request);
    let changed: Vec<&str> = [(cat.changed, &catalog_path), (tf.changed, &tfvars_path)]
        .into_iter()
        .filter_map(|(c, p)| c.then_some(p.as_str()))
        .collect();
    let pull_request = pull_request(config, request, &registry_id, &plan_command, &changed);

    Ok(ScaffoldOutput {
        entity_name: crate::validate::entity_name(&request.name),
        plan_command,
        pull_request,
        registry_id,
        catalog: FileChange {
            path: catalog_path,
            changed: cat.changed,
            created: files.catalog.is_none(),
            text: cat.text,
        },
        tfvars: FileChange {
            path: tfvars_path,
            changed: tf.changed,
            created: files.tfvars.is_none(),
            text: tf.text,
        },
    })
}
