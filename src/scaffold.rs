//! `scaffold`: request + config + current file texts + today's date → the new texts, the registry
//! id and the targeted plan command. Pure: the caller reads and writes the files.

use crate::config::Config;
use crate::edit::catalog::{self, CatalogEntry};
use crate::edit::tfvars::{self, TfvarsEntry};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::pull_request::pull_request;
use crate::quote::show;
use crate::request::{Outcome, RequestOutput, check_inputs, output};
use crate::validate::{Request, Validator};

pub use crate::edit::Files;

/// What `scaffold` returns: [`RequestOutput`], the output of every request operation.
pub type ScaffoldOutput = RequestOutput;

/// The refusal when the tfvars file would have to be created in an environment directory (its
/// Terraform root) that does not exist ([`crate::terraform::missing_root`]).
pub fn missing_terraform_root(tfvars_path: &str) -> Error {
    crate::terraform::missing_root(tfvars_path)
}

/// The targeted plan for one repository.
pub fn plan_command(config: &Config, request: &Request) -> String {
    crate::terraform::plan_command(config, &request.environment, &request.name, false)
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
    let report = v.validate_request(request);
    let problems = if report.valid {
        Vec::new()
    } else {
        report.errors
    };
    let paths = check_inputs(v, &request.environment, files, today, problems)?;
    let Some(registry_id) = report.registry_id else {
        return Err(Error::invalid_request(Vec::new()));
    };
    let root = match files.tfvars.as_deref() {
        Some(tfvars) => {
            tfvars::root_region(tfvars, &config.variable).map_err(|e| e.or_file(&paths.tfvars))?
        }
        None => None,
    };
    // Where a request that names no region gets one from `defaultRegion`, it is its
    // environment's own region where the Terraform root says (a literal `aws_region`): a platform
    // with roots in several regions has one default for all of them. (With no default, such an
    // entry records no region, as entries did before regions were recorded.)
    let region = match (&request.region, v.region_of(request), &root) {
        (None, Some(_), Some(root)) if crate::naming::is_region(root) => Some(root.clone()),
        (_, region, _) => region,
    };
    if let Some(region) = &region {
        if let Some(root) = root.filter(|r| r != region) {
            return Err(Error::invalid_request(vec![FieldError::new(
                "region",
                FieldCode::InvalidRegion,
                format!(
                    "the {} environment's Terraform root creates its repositories in {} (aws_region in {}), not in {}: a registry in that region needs an environment there",
                    show(&request.environment),
                    // A file's value is shown only when it is a region name: nothing else of it.
                    if crate::naming::is_region(&root) {
                        show(&root)
                    } else {
                        "another region".into()
                    },
                    show(&paths.tfvars),
                    show(region)
                ),
            )]));
        }
    }
    // The pull request shows the region the catalog records (the environment's own, where the
    // request named none), not the config's default.
    let shown = Request {
        region: region.clone(),
        ..request.clone()
    };
    let centry = CatalogEntry {
        name: request.name.clone(),
        id: registry_id.clone(),
        owner: request.owner.clone(),
        requested_by: request.requester.clone(),
        domain: request.domain.clone(),
        description: request.description.clone(),
        region_defaulted: request.region.is_none() && region.is_some(),
        region,
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
        description: request.description.clone(),
    };
    // Sequential on purpose: on two threads the edits finished later (measured: page faults of the
    // two heaps contend), see BENCHMARKS.md.
    let cat = catalog::add_entry(
        files.catalog.as_deref(),
        &centry,
        today,
        &config.catalog_header,
    )
    .map_err(|e| e.or_file(&paths.catalog))?;
    let tf = tfvars::add_entry(files.tfvars.as_deref(), &tentry, &config.variable)
        .map_err(|e| e.or_file(&paths.tfvars))?;
    let outcome = Outcome {
        name: &request.name,
        environment: &request.environment,
        registry_id: registry_id.clone(),
        destroy: false,
        catalog: cat,
        tfvars: tf,
        replacement: None,
    };
    Ok(output(v, paths, files, outcome, |plan, changed| {
        pull_request(config, &shown, &registry_id, plan, changed)
    }))
}
