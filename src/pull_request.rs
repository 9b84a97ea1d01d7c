//! The pull request that carries a request's edits: branch, title, Markdown body and labels, built
//! here so that the CLI's JSON, the WebAssembly build and the scaffolder action carry the same text.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::naming::entity_name;
use crate::validate::Request;

/// What `publish:github:pull-request` (or a person) needs to open the review.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullRequest {
    /// `registry/create-<name>`, the branch the platform's PR links filter on.
    pub branch_name: String,
    /// `Add ECR repository <name> (<env>)`.
    pub title: String,
    /// Markdown: the request, the tier's security controls, the files and the targeted plan.
    pub body: String,
    /// `ecr-registry`: merged PRs with this label are applied by the platform's workflow.
    pub labels: Vec<String>,
}

/// The label the platform's auto-apply workflow triggers on (request flow, step 4).
pub const PR_LABEL: &str = "ecr-registry";

/// A value as a Markdown code span it cannot close ([`crate::quote::md_code`]).
fn code(v: &str) -> String {
    crate::quote::md_code(v)
}

/// A value as a code span in a table cell ([`crate::quote::md_code_cell`]).
fn cell(v: &str) -> String {
    crate::quote::md_code_cell(v)
}

/// A fenced `sh` block holding `command`, with a fence nothing in it can close.
fn sh_block(command: &str) -> String {
    let fence = crate::quote::md_fence(command);
    format!("{fence}sh\n{}\n{fence}", crate::quote::visible(command))
}

/// A value in a pull request title (plain text on GitHub): hidden characters shown.
fn title_text(v: &str) -> std::borrow::Cow<'_, str> {
    crate::quote::visible(v)
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
    request_summary(&mut b, config, request, registry_id);
    files_and_plan(
        &mut b,
        changed,
        "None: the request was already in both files.",
        plan_command,
        "applies",
    );
    PullRequest {
        branch_name: format!("registry/create-{}", request.name),
        title: format!(
            "Add ECR repository {} ({}, {} risk)",
            title_text(&request.name),
            title_text(&request.environment),
            title_text(&request.risk)
        ),
        body: b,
        labels: vec![PR_LABEL.to_string()],
    }
}

/// The request as a table (every field, each in a code span it cannot close) and its risk tier's
/// security controls: the part of a pull request body every request path shares.
pub(crate) fn request_summary(
    b: &mut String,
    config: &Config,
    request: &Request,
    registry_id: &str,
) {
    use std::fmt::Write;
    b.push_str("| Field | Value |\n|---|---|\n");
    let none = "(not given)".to_string();
    for (k, v) in [
        ("Repository", cell(&request.name)),
        ("Governance id", cell(registry_id)),
        ("Backstage entity", cell(&entity_name(&request.name))),
        ("Owner", cell(&request.owner)),
        (
            "Requested by",
            request.requester.as_deref().map_or(none.clone(), cell),
        ),
        (
            "Domain",
            request.domain.as_deref().map_or(none.clone(), cell),
        ),
        (
            "Description",
            request.description.as_deref().map_or(none.clone(), cell),
        ),
        ("Environment", cell(&request.environment)),
        (
            "Region",
            request
                .region
                .as_deref()
                .or(config.default_region.as_deref())
                .map_or(none.clone(), cell),
        ),
        ("Risk tier", cell(&request.risk)),
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
        let _ = writeln!(b, "- Image scanning: {}", scanning(c));
        if !c.use_for.is_empty() {
            let _ = writeln!(b, "- Meant for: {}", crate::quote::md_text(&c.use_for));
        }
    }
}

#[cfg(feature = "edit")]
/// The security controls of a tier, one line each (for comparing two tiers).
fn controls(config: &Config, tier: &str) -> Vec<(&'static str, String)> {
    let Some(c) = config.risk_tiers.get(tier) else {
        return Vec::new();
    };
    vec![
        ("Tag mutability", c.mutability.clone()),
        ("Encryption", c.encryption.clone()),
        ("Images kept", c.retention_images.to_string()),
        ("Image scanning", scanning(c).to_string()),
    ]
}

/// A tier's image scanning, in words.
fn scanning(c: &crate::config::RiskControls) -> &'static str {
    match (c.image_scanning, c.enhanced_scanning) {
        (_, true) => "enhanced (continuous) scanning",
        (true, false) => "basic scan on push",
        (false, false) => "off",
    }
}

/// The PR's last two sections, the same for every request: the files that changed (`none` when
/// none did) and the targeted plan, which the platform `what`s ("applies", "destroys").
fn files_and_plan(b: &mut String, changed: &[&str], none: &str, plan_command: &str, what: &str) {
    use std::fmt::Write;
    b.push_str("\n### Files\n\n");
    if changed.is_empty() {
        let _ = writeln!(b, "{none}");
    }
    for path in changed {
        let _ = writeln!(b, "- {}", code(path));
    }
    let _ = writeln!(
        b,
        "\n### Targeted plan\n\n{}\n\nOnce approved and merged with the {} label, the platform {what} exactly this target.",
        sh_block(plan_command),
        code(PR_LABEL)
    );
}

#[cfg(feature = "edit")]
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

#[cfg(feature = "edit")]
/// The pull request of an update: each field from → to, and what a tier change means.
pub fn update_pull_request(
    config: &Config,
    name: &str,
    environment: &str,
    changes: &[(&str, Option<String>, String)],
    plan_command: &str,
    changed: &[&str],
) -> PullRequest {
    use std::fmt::Write;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "## Update ECR repository {} ({})\n",
        code(name),
        code(environment)
    );
    b.push_str("| Field | Before | After |\n|---|---|---|\n");
    let none = "(not set)".to_string();
    for (field, before, after) in changes {
        let _ = writeln!(
            b,
            "| {field} | {} | {} |",
            before.as_deref().map_or(none.clone(), cell),
            cell(after)
        );
    }
    if let Some((_, Some(from), to)) = changes
        .iter()
        .find(|(f, b, a)| *f == crate::registry::field::RISK && b.as_ref() != Some(a))
    {
        let (old, new) = (controls(config, from), controls(config, to));
        let _ = writeln!(
            b,
            "\n### What the tier change from {} to {} means\n",
            code(from),
            code(to)
        );
        // A tier the config does not define: its controls, and so whether the move replaces the
        // repository, are not known; never called alike or in place.
        let unknown = [from, to]
            .into_iter()
            .find(|t| !config.risk_tiers.contains_key(t.as_str()));
        if let Some(t) = unknown {
            let _ = writeln!(
                b,
                "**The tier {} is not in the config: its controls are not known, nor whether applying this makes Terraform destroy the repository {} with every image in it and create it empty (its encryption may change).** The platform does not apply it automatically; read the plan before applying it by hand, or define the tier in the config.",
                code(t),
                code(name)
            );
        }
        let mut any = unknown.is_some();
        for ((what, a), (_, z)) in old.iter().zip(&new) {
            if a != z {
                any = true;
                let _ = writeln!(b, "- {what}: {} → {}", code(a), code(z));
            }
        }
        if old
            .iter()
            .zip(&new)
            .any(|((w, a), (_, z))| *w == "Tag mutability" && a != z && z == "IMMUTABLE")
        {
            b.push_str("- Pushing a tag that already exists will fail from now on: every build must push a new tag.\n");
        }
        if !any {
            b.push_str("- The two tiers have the same controls.\n");
        }
        if let crate::config::TierMove::Replaced(why) = config.tier_move(from, to) {
            let _ = writeln!(
                b,
                "\n**Applying this replaces the repository {}: Terraform destroys it with every image in it and creates it empty.** {}. Pull every image you still need first and push it again afterwards; the platform applies a replacement only when its config allows replacements and a reviewer adds the `ecr-allow-replace` label.",
                code(name),
                capitalise(&why)
            );
        }
    }
    files_and_plan(
        &mut b,
        changed,
        "None: both files already said so.",
        plan_command,
        "applies",
    );
    PullRequest {
        branch_name: format!("registry/update-{name}"),
        title: format!(
            "Update ECR repository {} ({})",
            title_text(name),
            title_text(environment)
        ),
        body: b,
        labels: vec![PR_LABEL.to_string()],
    }
}

#[cfg(feature = "edit")]
/// The pull request of a decommission: the repository and its images are deleted.
pub fn decommission_pull_request(
    name: &str,
    environment: &str,
    registry_id: Option<&str>,
    plan_command: &str,
    changed: &[&str],
) -> PullRequest {
    use std::fmt::Write;
    let mut b = String::new();
    let _ = writeln!(
        b,
        "## Decommission ECR repository {} ({})\n",
        code(name),
        code(environment)
    );
    if let Some(id) = registry_id {
        let _ = writeln!(b, "Governance id {}.\n", code(id));
    }
    b.push_str("**Applying this deletes the repository and every image in it.** Images cannot be recovered; pull anything you still need first. The catalog entry stays, with `status: decommissioned` and the date.\n");
    files_and_plan(
        &mut b,
        changed,
        "None: both files already said so.",
        plan_command,
        "destroys",
    );
    PullRequest {
        branch_name: format!("registry/decommission-{name}"),
        title: format!(
            "Decommission ECR repository {} ({})",
            title_text(name),
            title_text(environment)
        ),
        body: b,
        labels: vec![PR_LABEL.to_string()],
    }
}
