//! `ecr-registrar scaffold`: validate, read both files, let the core edit and verify them, write
//! both atomically (or print the diff), report.

use std::process::ExitCode;

use ecr_registrar::{
    Error, Files, ScaffoldOutput, Validator, missing_terraform_root, scaffold_with, unified_diff,
};

use crate::cli::args::{Format, ScaffoldArgs};
use crate::cli::clock::today_utc;
use crate::cli::fs::{in_repo, load_config, read_optional, repo_dir, write_all};
use crate::cli::report::{Failure, FileReport, ScaffoldReport, print, print_json, println};

pub fn run(args: ScaffoldArgs) -> Result<ExitCode, Failure> {
    let ScaffoldArgs {
        repo,
        request,
        today,
        dry_run,
        config,
        format,
    } = args;
    repo_dir(&repo)?;
    let config = load_config(config.as_deref(), Some(&repo))?;
    let req = request.into_request();
    let v = Validator::new(&config)?;
    // Validate before touching the file system: the environment becomes a path.
    let report = v.validate_request(&req);
    if !report.valid {
        return Err(Error::invalid_request(report.errors).into());
    }
    let catalog_path = in_repo(&repo, &config.catalog_path)?;
    let tfvars_path = in_repo(&repo, &config.tfvars_path_for(&req.environment))?;
    let files = Files {
        catalog: read_optional(&catalog_path)?,
        tfvars: read_optional(&tfvars_path)?,
    };
    // A tfvars file is created only where a Terraform root already is: in an environment's
    // missing directory it would be a lone file that nothing reads.
    if files.tfvars.is_none() && tfvars_path.parent().is_some_and(|d| !d.is_dir()) {
        return Err(missing_terraform_root(&config.tfvars_path_for(&req.environment)).into());
    }
    let today = today.unwrap_or_else(today_utc);
    let out = scaffold_with(&v, &req, &files, &today)?;
    if !dry_run {
        write_all(&[(catalog_path, &out.catalog), (tfvars_path, &out.tfvars)])?;
    }
    match format {
        Format::Json => print_json(&ScaffoldReport {
            changed: out.changed(),
            dry_run,
            registry_id: &out.registry_id,
            entity_name: &out.entity_name,
            plan_command: &out.plan_command,
            files: vec![
                FileReport::new(&out.catalog, files.catalog.as_deref(), dry_run),
                FileReport::new(&out.tfvars, files.tfvars.as_deref(), dry_run),
            ],
        }),
        Format::Text => text_report(&req.name, &out, &files, dry_run),
    }?;
    Ok(ExitCode::SUCCESS)
}

fn text_report(
    name: &str,
    out: &ScaffoldOutput,
    files: &Files,
    dry_run: bool,
) -> Result<(), Failure> {
    let changes = [(&files.catalog, &out.catalog), (&files.tfvars, &out.tfvars)];
    if dry_run {
        for (old, c) in &changes {
            print(unified_diff(&c.path, old.as_deref(), &c.text))?;
        }
    }
    if !out.changed() {
        println(format_args!(
            "unchanged: {name} ({}) is already in both files with the same values",
            out.registry_id
        ))?;
    } else {
        let verb = if dry_run { "would add" } else { "added" };
        println(format_args!("{verb} {name} ({})", out.registry_id))?;
        for (_, c) in &changes {
            let state = match (c.changed, c.created) {
                (false, _) => "unchanged",
                (true, true) => "created",
                (true, false) => "updated",
            };
            println(format_args!("  {state:<9} {}", c.path))?;
        }
    }
    println(format_args!("plan: {}", out.plan_command))?;
    if dry_run {
        println("dry run: nothing was written")?;
    }
    Ok(())
}
