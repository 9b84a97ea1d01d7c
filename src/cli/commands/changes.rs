//! `ecr-registrar changes`: the registry entries a pull request adds, updates or removes, with
//! their targeted commands, and the guard's verdict; exit 1 when the guard fails.

use std::collections::BTreeMap;
use std::process::ExitCode;

use ecr_registrar::{
    ChangeKind, Error, ErrorCode, GuardOptions, Revisions, Validator, changes_with,
};

use crate::cli::args::{ChangesArgs, Format};
use crate::cli::fs::{load_config, repo_dir};
use crate::cli::git;
use crate::cli::report::{Failure, print_json, println};

pub fn run(args: ChangesArgs) -> Result<ExitCode, Failure> {
    repo_dir(&args.repo)?;
    let config = load_config(args.config.as_deref(), Some(&args.repo))?;
    let v = Validator::new(&config)?;
    let base = git::commit(&args.repo, &args.base)?;
    let head = git::commit(&args.repo, &args.head)?;
    // Only what a push or pull request brought on top of base: anything else (a rewritten or
    // unrelated history) is refused, never guessed.
    if !git::is_ancestor(&args.repo, &base, &head)? {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "--base {:?} is not an ancestor of --head {:?} (a force push or unrelated history); compare from their merge base only if that is what was reviewed",
                args.base, args.head
            ),
        )
        .into());
    }
    let mut paths = vec![config.catalog_path.clone()];
    paths.extend(
        config
            .environments
            .iter()
            .map(|e| config.tfvars_path_for(e)),
    );
    let read = |commit: &str| -> Result<BTreeMap<String, String>, Failure> {
        let mut files = BTreeMap::new();
        for p in &paths {
            if let Some(text) = git::read_at(&args.repo, commit, p)? {
                files.insert(p.clone(), text);
            }
        }
        Ok(files)
    };
    let mut governed = paths.clone();
    governed.push(Revisions::CONFIG_PATH.to_string());
    let revs = Revisions {
        base: read(&base)?,
        head: read(&head)?,
        changed_paths: git::changed_paths(&args.repo, &base, &head)?,
        git_changes: git::raw_changes(&args.repo, &base, &head)?,
        head_tree: git::tree_entries(&args.repo, &head, &governed)?,
        head_attributes: git::checkout_attributes(&args.repo, &head, &governed)?,
    };
    let report = changes_with(
        &v,
        &revs,
        GuardOptions {
            allow_replace: args.allow_replace,
        },
    )?;
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Text => {
            if report.changes.is_empty() {
                println(format_args!(
                    "no registry entry changed between {} and {}",
                    args.base, args.head
                ))?;
            }
            for c in &report.changes {
                let kind = match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Updated => "updated",
                    ChangeKind::Removed => "removed",
                    ChangeKind::Replaced => "REPLACED",
                };
                println(format_args!("{kind:<8} {:<12} {}", c.environment, c.name))?;
                if let Some(why) = &c.replacement {
                    println(format_args!(
                        "    destroys and recreates the repository, deleting every image in it: {why}"
                    ))?;
                }
                println(format_args!("    plan:  {}", c.plan_command))?;
                println(format_args!("    apply: {}", c.apply_command))?;
            }
            if report.guard.ok {
                println("guard: ok (only registry entries changed, each valid and in both files)")?;
            } else {
                println(format_args!(
                    "guard: FAILED, {} problem(s); do not apply automatically:",
                    report.guard.problems.len()
                ))?;
                for p in &report.guard.problems {
                    let at = p.line.map_or(String::new(), |l| format!(":{l}"));
                    println(format_args!("  {}{at} [{}] {}", p.file, p.code, p.message))?;
                }
            }
        }
    }
    Ok(ExitCode::from(if report.guard.ok { 0 } else { 1 }))
}
