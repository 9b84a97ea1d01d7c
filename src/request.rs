//! The one walk every request operation takes (`scaffold`, `update`, `decommission`): check the
//! inputs (the date, the environment that gives the two paths, the files' sizes), let the editors
//! change both files, and build one [`RequestOutput`]: the files, whether anything changed, the
//! pull request and the Terraform steps. The operations differ only in their edit and their PR.

use serde::{Deserialize, Serialize};

use crate::date::{is_iso_date, today_not_a_date};
use crate::edit::{Edited, FileChange, Files};
use crate::error::{Error, ErrorCode, FieldError, Result};
use crate::naming::entity_name;
use crate::pull_request::PullRequest;
use crate::terraform::{self, TerraformSteps};
use crate::validate::{RequestPaths, Validator};

/// What every request operation returns: both files (changed or not), the plan and the PR.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOutput {
    /// Whether either file changed (false when the request is already in effect: nothing to
    /// write, no pull request to open).
    pub changed: bool,
    /// The governance id, e.g. `REGISTRY_PAYMENTS_API` (for a day-2 request, the catalog's;
    /// empty when the entry has none).
    pub registry_id: String,
    /// The Backstage entity name, e.g. `ecr-payments-api`.
    pub entity_name: String,
    /// The targeted plan (a destroy plan for a decommission); the same as `terraform.plan`.
    pub plan_command: String,
    /// What Terraform does for this request.
    pub terraform: TerraformSteps,
    /// The catalog after the edit.
    pub catalog: FileChange,
    /// The environment's tfvars after the edit.
    pub tfvars: FileChange,
    /// Branch, title, body and labels for the pull request that carries the two edits.
    pub pull_request: PullRequest,
    /// When applying makes Terraform destroy and recreate the repository (deleting every image
    /// in it), why: e.g. a tier move that changes the encryption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub replacement: Option<String>,
}

/// The inputs every operation checks before it reads a file: `today` is a date, `problems` (the
/// operation's own field checks) are none, the environment is configured (it becomes a path), and
/// both files are within the size limit. Returns where the two files are.
pub(crate) fn check_inputs(
    v: &Validator,
    environment: &str,
    files: &Files,
    today: &str,
    problems: Vec<FieldError>,
) -> Result<RequestPaths> {
    if !is_iso_date(today) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            today_not_a_date(today),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::invalid_request(problems));
    }
    let paths = v.paths(environment)?;
    crate::limits::check_file(&paths.catalog, files.catalog.as_deref())?;
    crate::limits::check_file(&paths.tfvars, files.tfvars.as_deref())?;
    Ok(paths)
}

/// One operation's result, before the output is built.
pub(crate) struct Outcome<'a> {
    pub name: &'a str,
    pub environment: &'a str,
    pub registry_id: String,
    /// Whether Terraform destroys the repository.
    pub destroy: bool,
    pub catalog: Edited,
    pub tfvars: Edited,
    pub replacement: Option<String>,
}

/// Build the output: the file changes, the Terraform steps, and the pull request, which
/// `pull_request` renders from the plan command and the paths that changed.
pub(crate) fn output(
    v: &Validator,
    paths: RequestPaths,
    files: &Files,
    o: Outcome,
    pull_request: impl FnOnce(&str, &[&str]) -> PullRequest,
) -> RequestOutput {
    let terraform = terraform::steps(v.config(), o.environment, o.name, o.destroy);
    let change = |path: String, edited: Edited, before: &Option<String>| FileChange {
        path,
        changed: edited.changed,
        created: before.is_none() && edited.changed,
        text: edited.text,
    };
    let catalog = change(paths.catalog, o.catalog, &files.catalog);
    let tfvars = change(paths.tfvars, o.tfvars, &files.tfvars);
    let changed: Vec<&str> = [&catalog, &tfvars]
        .into_iter()
        .filter_map(|c| c.changed.then_some(c.path.as_str()))
        .collect();
    let pull_request = pull_request(&terraform.plan, &changed);
    RequestOutput {
        changed: catalog.changed || tfvars.changed,
        registry_id: o.registry_id,
        entity_name: entity_name(o.name),
        plan_command: terraform.plan.clone(),
        terraform,
        catalog,
        tfvars,
        pull_request,
        replacement: o.replacement,
    }
}
