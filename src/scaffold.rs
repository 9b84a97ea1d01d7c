//! `scaffold`: request + config + current file texts + today's date → the new texts, the registry
//! id and the targeted plan command. Pure: the caller reads and writes the files.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::date::{is_iso_date, today_not_a_date};
use crate::edit::FileChange;
use crate::edit::catalog::{self, CatalogEntry};
use crate::edit::tfvars::{self, TfvarsEntry};
use crate::error::{Error, ErrorCode, Result};
use crate::naming::entity_name;
use crate::pull_request::{PullRequest, pull_request};
use crate::validate::{Request, Validator};

/// The current contents of the two files; `None` when a file does not exist yet.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Files {
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    /// The catalog's text.
    pub catalog: Option<String>,
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    /// The environment's tfvars text.
    pub tfvars: Option<String>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
/// What `scaffold` returns: both files (changed or not), the names and the pull request.
pub struct ScaffoldOutput {
    /// The governance id, e.g. `REGISTRY_PAYMENTS_API`.
    pub registry_id: String,
    /// The Backstage entity name, e.g. `ecr-payments-api`.
    pub entity_name: String,
    /// The targeted `terraform plan` for the new repository.
    pub plan_command: String,
    /// The catalog after the edit.
    pub catalog: FileChange,
    /// The environment's tfvars after the edit.
    pub tfvars: FileChange,
    /// Branch, title, body and labels for the pull request that carries the two edits.
    pub pull_request: PullRequest,
}

impl ScaffoldOutput {
    /// Whether either file changed (false when the request was already there).
    pub fn changed(&self) -> bool {
        self.catalog.changed || self.tfvars.changed
    }
}

/// The refusal when the tfvars file would have to be created in an environment directory (its
/// Terraform root) that does not exist: a lone file that nothing reads. The adapters look at the
/// directory; the words are the core's.
pub fn missing_terraform_root(tfvars_path: &str) -> Error {
    let dir = tfvars_path.rsplit_once('/').map_or(".", |(dir, _)| dir);
    Error::new(
        ErrorCode::NotFound,
        format!(
            "{dir} does not exist: no Terraform root would read a new {tfvars_path}; create the environment's directory (its Terraform root) first"
        ),
    )
}

/// The targeted plan for one repository.
pub fn plan_command(config: &Config, request: &Request) -> String {
    crate::changes::plan_command(config, &request.environment, &request.name, false)
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

/// [`scaffold`] with a validator already compiled (the CLI and WebAssembly reuse one).
pub fn scaffold_with(
    v: &Validator,
    request: &Request,
    files: &Files,
    today: &str,
) -> Result<ScaffoldOutput> {
    let config = v.config();
    if !is_iso_date(today) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            today_not_a_date(today),
        ));
    }
    let report = v.validate_request(request);
    let registry_id = match (report.valid, report.registry_id) {
        (true, Some(id)) => id,
        _ => return Err(Error::invalid_request(report.errors)),
    };
    let catalog_path = config.catalog_path.clone();
    let tfvars_path = config.tfvars_path_for(&request.environment);
    crate::limits::check_file(&catalog_path, files.catalog.as_deref())?;
    crate::limits::check_file(&tfvars_path, files.tfvars.as_deref())?;

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
        entity_name: entity_name(&request.name),
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
