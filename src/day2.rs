//! Day-2 requests on a registry that exists: `update` (owner, risk, requester, domain) and
//! `decommission` (the tfvars entry removed, the catalog entry kept as `decommissioned`). Same
//! guarantees as `scaffold`: validated, minimal, verified, idempotent; the caller writes.

use serde::{Deserialize, Serialize};

use crate::changes::plan_command;
use crate::date::{is_iso_date, today_not_a_date};
use crate::edit::FileChange;
use crate::edit::catalog::{self, FieldValue};
use crate::edit::tfvars;
use crate::error::{Error, ErrorCode, Result};
use crate::pull_request::{PullRequest, decommission_pull_request, update_pull_request};
use crate::quote::show;
use crate::scaffold::Files;
use crate::validate::{Request, Validator};

/// An update of a registry that exists: the fields given change, the others stay.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateRequest {
    /// The repository name.
    pub name: String,
    /// Its environment (must be the catalog entry's).
    pub environment: String,
    /// The new owning team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The new risk tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    /// The new requester.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<String>,
    /// The new domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// A registry to retire.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecommissionRequest {
    /// The repository name.
    pub name: String,
    /// Its environment (must be the catalog entry's).
    pub environment: String,
}

/// What `update` and `decommission` return: both files (changed or not), the plan and the PR.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Day2Output {
    /// The targeted plan (a destroy plan for a decommission).
    pub plan_command: String,
    /// The catalog after the edit.
    pub catalog: FileChange,
    /// The environment's tfvars after the edit.
    pub tfvars: FileChange,
    /// Branch, title, body and labels.
    pub pull_request: PullRequest,
    /// When applying the update makes Terraform destroy and recreate the repository (deleting
    /// every image in it), why: e.g. a tier move that changes the encryption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub replacement: Option<String>,
}

impl Day2Output {
    /// Whether either file changed (false when the request was already in effect).
    pub fn changed(&self) -> bool {
        self.catalog.changed || self.tfvars.changed
    }
}

fn check_today(today: &str) -> Result<()> {
    if is_iso_date(today) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidArgument,
            today_not_a_date(today),
        ))
    }
}

/// A registry's catalog entry, and the two files' paths.
struct Current<'a> {
    /// The catalog, read once for the lookup and the edit.
    catalog: catalog::OpenCatalog<'a>,
    meta: Vec<(String, String)>,
    catalog_path: String,
    tfvars_path: String,
}

impl Current<'_> {
    /// A field of the entry's metadata.
    fn get(&self, field: &str) -> Option<String> {
        self.meta
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
    }
}

/// The entry's metadata, after checking the date and that the entry exists in this environment.
fn current<'a>(
    v: &Validator,
    files: &'a Files,
    name: &str,
    environment: &str,
    today: &str,
) -> Result<Current<'a>> {
    check_today(today)?;
    let config = v.config();
    let catalog_path = config.catalog_path.clone();
    let tfvars_path = config.tfvars_path_for(environment);
    crate::limits::check_file(&catalog_path, files.catalog.as_deref())?;
    crate::limits::check_file(&tfvars_path, files.tfvars.as_deref())?;
    if !config.environments.iter().any(|e| e == environment) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("environment {} is not configured", show(environment)),
        ));
    }
    let not_found = || {
        Error::new(
            ErrorCode::NotFound,
            format!("the catalog has no entry {}", show(name)),
        )
        .in_file(catalog_path.clone())
    };
    let catalog_text = files.catalog.as_deref().ok_or_else(not_found)?;
    let open = catalog::OpenCatalog::read(catalog_text).map_err(|e| e.or_file(&catalog_path))?;
    let meta = open
        .metadata(name)
        .map_err(|e| e.or_file(&catalog_path))?
        .ok_or_else(not_found)?;
    let env = meta
        .iter()
        .find(|(k, _)| k == "environment")
        .map(|(_, v)| v.as_str());
    if env != Some(environment) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "entry {} is for environment {}, not {}",
                show(name),
                // A value of another type (a list, a tagged node) is not repeated: it is the
                // file's bytes, not an environment.
                env.map_or("(none)".into(), |e| if crate::naming::is_safe_segment(e) {
                    show(e)
                } else {
                    "a value that is not an environment name".into()
                }),
                show(environment)
            ),
        )
        .in_file(catalog_path));
    }
    Ok(Current {
        catalog: open,
        meta,
        catalog_path,
        tfvars_path,
    })
}

fn file_change(path: String, edited: crate::edit::Edited) -> FileChange {
    FileChange {
        path,
        changed: edited.changed,
        created: false,
        text: edited.text,
    }
}

/// The two edited files, the plan and the pull request (built from the paths that changed).
fn output(
    plan_command: String,
    (catalog_path, cat): (String, crate::edit::Edited),
    (tfvars_path, tf): (String, crate::edit::Edited),
    pull_request: impl FnOnce(&[&str]) -> PullRequest,
) -> Day2Output {
    let changed: Vec<&str> = [(cat.changed, &catalog_path), (tf.changed, &tfvars_path)]
        .into_iter()
        .filter_map(|(c, p)| c.then_some(p.as_str()))
        .collect();
    let pull_request = pull_request(&changed);
    Day2Output {
        plan_command,
        pull_request,
        catalog: file_change(catalog_path, cat),
        tfvars: file_change(tfvars_path, tf),
        replacement: None,
    }
}

/// Change a registry's owner, risk tier, requester or domain in both files.
pub fn update(
    v: &Validator,
    request: &UpdateRequest,
    files: &Files,
    today: &str,
) -> Result<Day2Output> {
    let config = v.config();
    let entry = current(v, files, &request.name, &request.environment, today)?;
    let get = |f: &str| entry.get(f);
    let (catalog_path, tfvars_path) = (entry.catalog_path.clone(), entry.tfvars_path.clone());
    // The request as it will stand, checked like a new one.
    let merged = Request {
        name: request.name.clone(),
        owner: request
            .owner
            .clone()
            .or_else(|| get("owner"))
            .unwrap_or_default(),
        requester: request.requester.clone().or_else(|| get("requested_by")),
        domain: request.domain.clone().or_else(|| get("domain")),
        environment: request.environment.clone(),
        risk: request
            .risk
            .clone()
            .or_else(|| get("risk"))
            .unwrap_or_default(),
        id: get("id"),
    };
    let report = v.validate_request(&merged);
    if !report.valid {
        return Err(Error::invalid_request(report.errors));
    }
    let given = [
        ("owner", "owner", &request.owner),
        ("risk", "risk", &request.risk),
        ("requested_by", "requester", &request.requester),
        ("domain", "domain", &request.domain),
    ];
    let fields: Vec<FieldValue> = given
        .iter()
        .filter_map(|(f, _, v)| v.as_deref().map(|v| FieldValue::text(f, v)))
        .collect();
    if fields.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "nothing to update: give at least one of owner, risk, requester, domain",
        ));
    }
    let cat = entry
        .catalog
        .set_fields(&[(&request.name, &fields)], today)
        .map_err(|e| e.or_file(&catalog_path))?;
    let tf_fields: Vec<(&str, &str)> = [("owner", &merged.owner), ("risk", &merged.risk)]
        .into_iter()
        .map(|(f, v)| (f, v.as_str()))
        .collect();
    let tfvars_text = files.tfvars.as_deref().ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("{} does not exist", show(&tfvars_path)),
        )
        .in_file(tfvars_path.clone())
    })?;
    let tf = tfvars::set_metadata(tfvars_text, &request.name, &tf_fields, &config.variable)
        .map_err(|e| e.or_file(&tfvars_path))?;
    let plan = plan_command(config, &request.environment, &request.name, false);
    let table: Vec<(&str, Option<String>, String)> = given
        .iter()
        .filter_map(|(f, _, v)| v.as_ref().map(|v| (*f, get(f), v.clone())))
        .collect();
    let replacement = get("risk").and_then(|from| config.replacement(&from, &merged.risk));
    let mut out = output(
        plan.clone(),
        (catalog_path, cat),
        (tfvars_path, tf),
        |changed| {
            update_pull_request(
                config,
                &request.name,
                &request.environment,
                &table,
                &plan,
                changed,
            )
        },
    );
    out.replacement = replacement;
    Ok(out)
}

/// The catalog status of a retired registry.
pub const DECOMMISSIONED: &str = "decommissioned";

/// Retire a registry: remove its tfvars entry (Terraform destroys the repository and its images)
/// and keep its catalog entry with `status: decommissioned` and `decommissioned_date`.
pub fn decommission(
    v: &Validator,
    request: &DecommissionRequest,
    files: &Files,
    today: &str,
) -> Result<Day2Output> {
    let config = v.config();
    let entry = current(v, files, &request.name, &request.environment, today)?;
    let get = |f: &str| entry.get(f);
    let (catalog_path, tfvars_path) = (entry.catalog_path.clone(), entry.tfvars_path.clone());
    // Once decommissioned, the date stays the first one (a second run changes nothing).
    let fields = if get("status").as_deref() == Some(DECOMMISSIONED) {
        Vec::new()
    } else {
        vec![
            FieldValue::text("status", DECOMMISSIONED),
            FieldValue::date("decommissioned_date", today),
        ]
    };
    let cat = entry
        .catalog
        .set_fields(&[(&request.name, &fields)], today)
        .map_err(|e| e.or_file(&catalog_path))?;
    let tf = match files.tfvars.as_deref() {
        Some(t) => tfvars::remove_entry(t, &request.name, &config.variable)
            .map_err(|e| e.or_file(&tfvars_path))?,
        None => crate::edit::Edited {
            text: String::new(),
            changed: false,
        },
    };
    let plan = plan_command(config, &request.environment, &request.name, true);
    let id = get("id");
    Ok(output(
        plan.clone(),
        (catalog_path, cat),
        (tfvars_path, tf),
        |changed| {
            decommission_pull_request(
                &request.name,
                &request.environment,
                id.as_deref(),
                &plan,
                changed,
            )
        },
    ))
}
