//! `scaffold`: request + config + current file texts + today's date → the new texts, the registry
//! id and the targeted plan command. Pure: the caller reads and writes the files.

use serde::{Deserialize, Serialize};

use crate::catalog::{self, CatalogEntry};
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::tfvars::{self, TfvarsEntry};
use crate::validate::{Request, Validator};

/// The current contents of the two files; `None` when a file does not exist yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Files {
    #[serde(default)]
    pub catalog: Option<String>,
    #[serde(default)]
    pub tfvars: Option<String>,
}

/// One file after the scaffold.
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaffoldOutput {
    pub registry_id: String,
    pub entity_name: String,
    pub plan_command: String,
    pub catalog: FileChange,
    pub tfvars: FileChange,
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

    Ok(ScaffoldOutput {
        entity_name: crate::validate::entity_name(&request.name),
        plan_command: plan_command(config, request),
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
