//! `ecr-registrar scaffold`: add a new registry to both files (the shared walk is
//! [`super::request`]).

use std::process::ExitCode;

use ecr_registrar::scaffold_with;

use super::request::{Operation, Place, run as run_request};
use crate::cli::args::ScaffoldArgs;
use crate::cli::report::Failure;

pub fn run(args: ScaffoldArgs) -> Result<ExitCode, Failure> {
    let ScaffoldArgs {
        repo,
        request,
        today,
        dry_run,
        config,
        format,
    } = args;
    let req = request.into_request();
    let place = Place {
        repo,
        config,
        environment: req.environment.clone(),
        today,
        dry_run,
        format,
    };
    let name = req.name.clone();
    run_request(
        place,
        Operation {
            check: Box::new(|v| {
                let report = v.validate_request(&req);
                if report.valid {
                    Vec::new()
                } else {
                    report.errors
                }
            }),
            edit: Box::new(|v, files, today| scaffold_with(v, &req, files, today)),
            creates_tfvars: true,
            done: Box::new(|out, dry_run| {
                let verb = if dry_run { "would add" } else { "added" };
                format!("{verb} {name} ({})", out.registry_id)
            }),
            unchanged: Box::new(|out| {
                format!(
                    "unchanged: {name} ({}) is already in both files with the same values",
                    out.registry_id
                )
            }),
        },
    )
}
