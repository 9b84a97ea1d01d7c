//! `ecr-registrar update` and `decommission`: read both files, let the core edit and verify them,
//! write both atomically (or print the diff), report.

use std::process::ExitCode;

use ecr_registrar::{
    Day2Output, DecommissionRequest, Error, Files, UpdateRequest, Validator, unified_diff,
};
use serde::Serialize;

use crate::cli::args::{Day2Args, DecommissionArgs, Format, UpdateArgs};
use crate::cli::clock::today_utc;
use crate::cli::fs::{in_repo, load_config, read_optional, repo_dir, write_all};
use crate::cli::report::{Failure, FileReport, print, print_json, println};

/// What `update`/`decommission --format json` prints: the outcome without the file texts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Day2Report<'a> {
    changed: bool,
    dry_run: bool,
    plan_command: &'a str,
    files: Vec<FileReport<'a>>,
    pull_request_title: &'a str,
    /// Why applying this replaces the repository (every image deleted), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement: Option<&'a str>,
}

fn run(
    args: Day2Args,
    verb: (&str, &str),
    edit: impl FnOnce(&Validator, &Files, &str) -> Result<Day2Output, Error>,
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
    repo_dir(&repo)?;
    let config = load_config(config.as_deref(), Some(&repo))?;
    let v = Validator::new(&config)?;
    // The environment becomes a path: check it first.
    let problems = v.validate_field("environment", &environment);
    if !problems.is_empty() {
        return Err(Error::invalid_request(problems).into());
    }
    let catalog_path = in_repo(&repo, &config.catalog_path)?;
    let tfvars_path = in_repo(&repo, &config.tfvars_path_for(&environment))?;
    let files = Files {
        catalog: read_optional(&catalog_path)?,
        tfvars: read_optional(&tfvars_path)?,
    };
    let today = today.unwrap_or_else(today_utc);
    let out = edit(&v, &files, &today)?;
    if !dry_run {
        write_all(&[(catalog_path, &out.catalog), (tfvars_path, &out.tfvars)])?;
    }
    match format {
        Format::Json => print_json(&Day2Report {
            changed: out.changed(),
            dry_run,
            plan_command: &out.plan_command,
            files: vec![
                FileReport::new(&out.catalog, files.catalog.as_deref(), dry_run),
                FileReport::new(&out.tfvars, files.tfvars.as_deref(), dry_run),
            ],
            pull_request_title: &out.pull_request.title,
            replacement: out.replacement.as_deref(),
        })?,
        Format::Text => {
            if let Some(why) = &out.replacement {
                println(format_args!(
                    "WARNING: applying this replaces the repository: Terraform destroys it with every image in it and creates it empty ({why}); the guard holds it for a reviewer"
                ))?;
            }
            let changes = [(&files.catalog, &out.catalog), (&files.tfvars, &out.tfvars)];
            if dry_run {
                for (old, c) in &changes {
                    if c.changed {
                        print(unified_diff(&c.path, old.as_deref(), &c.text))?;
                    }
                }
            }
            if out.changed() {
                let v = if dry_run { verb.1 } else { verb.0 };
                println(format_args!("{v} {name} ({environment})"))?;
                for (_, c) in &changes {
                    let state = if c.changed { "updated" } else { "unchanged" };
                    println(format_args!("  {state:<9} {}", c.path))?;
                }
            } else {
                println(format_args!(
                    "unchanged: {name} ({environment}) already says so in both files"
                ))?;
            }
            println(format_args!("plan: {}", out.plan_command))?;
            if dry_run {
                println("dry run: nothing was written")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
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
