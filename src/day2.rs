//! Day-2 requests on a registry that exists: `update` (owner, risk, requester, domain) and
//! `decommission` (the tfvars entry removed, the catalog entry kept as `decommissioned`). Same
//! guarantees as `scaffold`: validated, minimal, verified, idempotent; the caller writes.

use serde::{Deserialize, Serialize};

use crate::edit::catalog::{self, FieldValue};
use crate::edit::tfvars;
use crate::edit::{Edited, Files};
use crate::error::{Error, ErrorCode, Result};
use crate::pull_request::{decommission_pull_request, update_pull_request};
use crate::quote::show;
use crate::registry::{DECOMMISSIONED, Metadata, Status, field};
use crate::request::{Outcome, RequestOutput, check_inputs, output};
use crate::validate::{Request, RequestPaths, Validator};

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

/// What `update` and `decommission` return: [`RequestOutput`], the output of every request
/// operation.
pub type Day2Output = RequestOutput;

/// A registry's catalog entry, and the two files' paths.
struct Current<'a> {
    /// The catalog, read once for the lookup and the edit.
    catalog: catalog::OpenCatalog<'a>,
    meta: Metadata,
    paths: RequestPaths,
}

impl Current<'_> {
    /// A field of the entry's metadata.
    fn get(&self, field: &str) -> Option<String> {
        self.meta.get(field).map(str::to_string)
    }
}

/// The entry's metadata, after checking the inputs and that the entry exists in this environment.
fn current<'a>(
    v: &Validator,
    files: &'a Files,
    name: &str,
    environment: &str,
    today: &str,
) -> Result<Current<'a>> {
    let paths = check_inputs(v, environment, files, today, Vec::new())?;
    let catalog_path = paths.catalog.clone();
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
    let env = meta.environment();
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
        paths,
    })
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
    let (catalog_path, tfvars_path) = (entry.paths.catalog.clone(), entry.paths.tfvars.clone());
    // The request as it will stand, checked like a new one.
    let recorded = Request::recorded(&request.name, get);
    let merged = Request {
        owner: request.owner.clone().unwrap_or(recorded.owner),
        requester: request.requester.clone().or(recorded.requester),
        domain: request.domain.clone().or(recorded.domain),
        environment: request.environment.clone(),
        risk: request.risk.clone().unwrap_or(recorded.risk),
        ..recorded
    };
    let report = v.validate_request(&merged);
    if !report.valid {
        return Err(Error::invalid_request(report.errors));
    }
    let given = [
        (field::OWNER, "owner", &request.owner),
        (field::RISK, "risk", &request.risk),
        (field::REQUESTED_BY, "requester", &request.requester),
        (field::DOMAIN, "domain", &request.domain),
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
    let tf_fields: Vec<(&str, &str)> = [(field::OWNER, &merged.owner), (field::RISK, &merged.risk)]
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
    let table: Vec<(&str, Option<String>, String)> = given
        .iter()
        .filter_map(|(f, _, v)| v.as_ref().map(|v| (*f, get(f), v.clone())))
        .collect();
    let outcome = Outcome {
        name: &request.name,
        environment: &request.environment,
        registry_id: get(field::ID).unwrap_or_default(),
        destroy: false,
        catalog: cat,
        tfvars: tf,
        replacement: get(field::RISK).and_then(|from| config.replacement(&from, &merged.risk)),
    };
    Ok(output(v, entry.paths, files, outcome, |plan, changed| {
        update_pull_request(
            config,
            &request.name,
            &request.environment,
            &table,
            plan,
            changed,
        )
    }))
}

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
    let (catalog_path, tfvars_path) = (entry.paths.catalog.clone(), entry.paths.tfvars.clone());
    // Once decommissioned, the date stays the first one (a second run changes nothing).
    let fields = if entry.meta.status() == Some(Status::Decommissioned) {
        Vec::new()
    } else {
        vec![
            FieldValue::text(field::STATUS, DECOMMISSIONED),
            FieldValue::date(field::DECOMMISSIONED_DATE, today),
        ]
    };
    let cat = entry
        .catalog
        .set_fields(&[(&request.name, &fields)], today)
        .map_err(|e| e.or_file(&catalog_path))?;
    let tf = match files.tfvars.as_deref() {
        Some(t) => tfvars::remove_entry(t, &request.name, &config.variable)
            .map_err(|e| e.or_file(&tfvars_path))?,
        None => Edited {
            text: String::new(),
            changed: false,
        },
    };
    let id = get(field::ID);
    let outcome = Outcome {
        name: &request.name,
        environment: &request.environment,
        registry_id: id.clone().unwrap_or_default(),
        destroy: true,
        catalog: cat,
        tfvars: tf,
        replacement: None,
    };
    Ok(output(v, entry.paths, files, outcome, |plan, changed| {
        decommission_pull_request(
            &request.name,
            &request.environment,
            id.as_deref(),
            plan,
            changed,
        )
    }))
}
