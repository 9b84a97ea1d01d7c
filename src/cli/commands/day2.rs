//! `ecr-registrar update` and `decommission`: change or retire a registry that exists (the
//! shared walk is [`super::request`]).

use std::process::ExitCode;

use ecr_registrar::{DecommissionRequest, Error, Files, RequestOutput, UpdateRequest, Validator};

use super::request::{Operation, Place, run as run_request};
use crate::cli::args::{Day2Args, DecommissionArgs, UpdateArgs};
use crate::cli::report::Failure;

fn run(
    args: Day2Args,
    verb: (&'static str, &'static str),
    edit: impl FnOnce(&Validator, &Files, &str) -> Result<RequestOutput, Error>,
) -> Result<ExitCode, Failure> {
    let Day2Args {
        repo,
        name,
        environment,
        today,
        dry_run,
        config,
        format,
    } = args;
    let place = Place {
        repo,
        config,
        environment: environment.clone(),
        today,
        dry_run,
        format,
    };
    let label = format!("{name} ({environment})");
    run_request(
        place,
        Operation {
            check: Box::new(|v| v.validate_field("environment", &environment)),
            edit: Box::new(edit),
            creates_tfvars: false,
            done: Box::new(|_, dry_run| {
                let v = if dry_run { verb.1 } else { verb.0 };
                format!("{v} {label}")
            }),
            unchanged: Box::new(|_| format!("unchanged: {label} already says so in both files")),
        },
    )
}

pub fn update(args: UpdateArgs) -> Result<ExitCode, Failure> {
    let UpdateArgs {
        common,
        owner,
        risk,
        requester,
        domain,
    } = args;
    let req = UpdateRequest {
        name: common.name.clone(),
        environment: common.environment.clone(),
        owner,
        risk,
        requester,
        domain,
    };
    run(common, ("updated", "would update"), |v, files, today| {
        ecr_registrar::update(v, &req, files, today)
    })
}

pub fn decommission(args: DecommissionArgs) -> Result<ExitCode, Failure> {
    let req = DecommissionRequest {
        name: args.common.name.clone(),
        environment: args.common.environment.clone(),
    };
    run(
        args.common,
        ("decommissioned", "would decommission"),
        |v, files, today| ecr_registrar::decommission(v, &req, files, today),
    )
}
