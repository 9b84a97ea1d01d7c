//! The walk `scaffold`, `update` and `decommission` share on the command line: check the
//! request's fields before the file system (the environment becomes a path), read both files
//! under `--repo`, let the core edit and verify them, write both atomically (or print the diff)
//! and report in text or JSON. Each command only says how to check, edit and word its report.

use std::path::PathBuf;
use std::process::ExitCode;

use ecr_registrar::{
    Error, FieldError, Files, RequestOutput, Validator, missing_terraform_root, unified_diff,
};
use serde::Serialize;

use crate::cli::args::Format;
use crate::cli::clock::today_utc;
use crate::cli::fs::{in_repo, load_config, read_optional, repo_dir, write_all};
use crate::cli::report::{Failure, FileReport, print, print_json, println};

/// What every request command prints with `--format json`: the outcome without the file texts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestReport<'a> {
    changed: bool,
    dry_run: bool,
    registry_id: &'a str,
    entity_name: &'a str,
    plan_command: &'a str,
    files: Vec<FileReport<'a>>,
    pull_request_title: &'a str,
    /// The pull request that carries the edits: branch, title, Markdown body and labels, as the
    /// scaffolder actions and WebAssembly give it (a workflow opens it from this).
    pull_request: &'a ecr_registrar::PullRequest,
    /// Why applying this replaces the repository (every image deleted), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement: Option<&'a str>,
}

/// Where and when a request command runs (the flags every one of them has).
pub struct Place {
    pub repo: PathBuf,
    pub config: Option<PathBuf>,
    pub environment: String,
    pub today: Option<String>,
    pub dry_run: bool,
    pub format: Format,
}

/// The request's own field checks, run before any file is read.
pub type Check<'a> = Box<dyn FnOnce(&Validator) -> Vec<FieldError> + 'a>;
/// The core's edit of the two files (the validator, the files, today).
pub type Edit<'a> = Box<dyn FnOnce(&Validator, &Files, &str) -> Result<RequestOutput, Error> + 'a>;
/// The first line of the text report: what was done (or would be, in a dry run).
pub type Done<'a> = Box<dyn Fn(&RequestOutput, bool) -> String + 'a>;
/// The text report's line when nothing changed.
pub type Unchanged<'a> = Box<dyn Fn(&RequestOutput) -> String + 'a>;

/// How one command checks, edits and reports.
pub struct Operation<'a> {
    pub check: Check<'a>,
    pub edit: Edit<'a>,
    /// Whether the edit may create the tfvars file (then its Terraform root must exist).
    pub creates_tfvars: bool,
    pub done: Done<'a>,
    pub unchanged: Unchanged<'a>,
}

pub fn run(place: Place, op: Operation) -> Result<ExitCode, Failure> {
    let Place {
        repo,
        config,
        environment,
        today,
        dry_run,
        format,
    } = place;
    repo_dir(&repo)?;
    let config = load_config(config.as_deref(), Some(&repo))?;
    let v = Validator::new(&config)?;
    // Validate before touching the file system: the environment becomes a path.
    let problems = (op.check)(&v);
    if !problems.is_empty() {
        return Err(Error::invalid_request(problems).into());
    }
    let paths = v.paths(&environment)?;
    let catalog_path = in_repo(&repo, &paths.catalog)?;
    let tfvars_path = in_repo(&repo, &paths.tfvars)?;
    let files = Files {
        catalog: read_optional(&catalog_path)?,
        tfvars: read_optional(&tfvars_path)?,
    };
    // A tfvars file is created only where a Terraform root already is: in an environment's
    // missing directory it would be a lone file that nothing reads.
    if op.creates_tfvars
        && files.tfvars.is_none()
        && tfvars_path.parent().is_some_and(|d| !d.is_dir())
    {
        return Err(missing_terraform_root(&paths.tfvars).into());
    }
    let today = today.unwrap_or_else(today_utc);
    let out = (op.edit)(&v, &files, &today)?;
    if !dry_run {
        write_all(&[(catalog_path, &out.catalog), (tfvars_path, &out.tfvars)])?;
    }
    match format {
        Format::Json => print_json(&RequestReport {
            changed: out.changed,
            dry_run,
            registry_id: &out.registry_id,
            entity_name: &out.entity_name,
            plan_command: &out.plan_command,
            files: vec![
                FileReport::new(&out.catalog, files.catalog.as_deref(), dry_run),
                FileReport::new(&out.tfvars, files.tfvars.as_deref(), dry_run),
            ],
            pull_request_title: &out.pull_request.title,
            pull_request: &out.pull_request,
            replacement: out.replacement.as_deref(),
        }),
        Format::Text => text_report(&out, &files, dry_run, &op.done, &op.unchanged),
    }?;
    Ok(ExitCode::SUCCESS)
}

fn text_report(
    out: &RequestOutput,
    files: &Files,
    dry_run: bool,
    done: &Done,
    unchanged: &Unchanged,
) -> Result<(), Failure> {
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
    if out.changed {
        println(done(out, dry_run))?;
        for (_, c) in &changes {
            let state = match (c.changed, c.created) {
                (false, _) => "unchanged",
                (true, true) => "created",
                (true, false) => "updated",
            };
            println(format_args!("  {state:<9} {}", c.path))?;
        }
    } else {
        println(unchanged(out))?;
    }
    println(format_args!("plan: {}", out.plan_command))?;
    if dry_run {
        println("dry run: nothing was written")?;
    }
    Ok(())
}
