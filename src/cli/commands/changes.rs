//! `ecr-registrar changes`: the registry entries a pull request adds, updates or removes, with
//! their targeted commands, and the guard's verdict; exit 1 when the guard fails.

use std::collections::BTreeMap;
use std::process::ExitCode;

use ecr_registrar::quote::{gh_data, gh_property, md_code, md_text, visible};
use ecr_registrar::{
    ChangeKind, ChangesReport, Error, ErrorCode, GuardOptions, Revisions, Validator, changes_with,
};

use crate::cli::args::{ChangesArgs, ChangesFormat};
use crate::cli::fs::{load_config, repo_dir};
use crate::cli::git;
use crate::cli::report::{Failure, print_json, println};

/// The longest governed path `changes` reads, and how many directories deep it may be.
const MAX_GOVERNED_PATH_BYTES: usize = 1024;
const MAX_GOVERNED_PATH_DEPTH: usize = 32;

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
    // The config comes from the pull request: a governed path's directories are listed to git
    // one by one, so a path 90,000 directories deep cost gigabytes of arguments (the hostile
    // suite's F15). No platform nests its files that deep.
    if let Some(p) = paths.iter().find(|p| {
        p.len() > MAX_GOVERNED_PATH_BYTES || p.matches('/').count() >= MAX_GOVERNED_PATH_DEPTH
    }) {
        return Err(Error::new(
            ErrorCode::InvalidConfig,
            format!(
                "a governed path of {} bytes in {} directories: changes reads paths of at most {MAX_GOVERNED_PATH_BYTES} bytes in fewer than {MAX_GOVERNED_PATH_DEPTH} directories",
                p.len(),
                p.matches('/').count()
            ),
        )
        .into());
    }
    let wanted: Vec<(&str, &str)> = [&base, &head]
        .iter()
        .flat_map(|c| paths.iter().map(move |p| (c.as_str(), p.as_str())))
        .collect();
    let mut texts = git::read_all(&args.repo, &wanted)?.into_iter();
    let mut read = || -> BTreeMap<String, String> {
        paths
            .iter()
            .zip(texts.by_ref())
            .filter_map(|(p, t)| Some((p.clone(), t?)))
            .collect()
    };
    let mut governed = paths.clone();
    governed.push(Revisions::CONFIG_PATH.to_string());
    let revs = Revisions {
        base: read(),
        head: read(),
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
    let kind_word = |k: ChangeKind| match k {
        ChangeKind::Added => "added",
        ChangeKind::Updated => "updated",
        ChangeKind::Removed => "removed",
        ChangeKind::Replaced => "REPLACED",
    };
    match args.format {
        ChangesFormat::Json => print_json(&report)?,
        ChangesFormat::Github => github(&report)?,
        ChangesFormat::Markdown => markdown(&report, kind_word)?,
        ChangesFormat::Text => {
            if report.changes.is_empty() {
                println(format_args!(
                    "no registry entry changed between {} and {}",
                    args.base, args.head
                ))?;
            }
            for c in &report.changes {
                let kind = kind_word(c.kind);
                println(format_args!(
                    "{kind:<8} {:<12} {}",
                    visible(&c.environment),
                    visible(&c.name)
                ))?;
                if let Some(why) = &c.replacement {
                    println(format_args!(
                        "    destroys and recreates the repository, deleting every image in it: {}",
                        visible(why)
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
                    println(format_args!(
                        "  {}{at} [{}] {}",
                        visible(&p.file),
                        p.code,
                        visible(&p.message)
                    ))?;
                }
            }
        }
    }
    Ok(ExitCode::from(if report.guard.ok { 0 } else { 1 }))
}

/// One GitHub `::error` workflow command per guard problem, on the problem's file and line. Every
/// value is escaped by GitHub's rules ([`gh_property`], [`gh_data`]), so a file name or a value
/// cannot end the line and start another command (`::add-mask::`, `::stop-commands::`, a second
/// annotation) nor add a property.
fn github(report: &ChangesReport) -> Result<(), Failure> {
    for p in &report.guard.problems {
        let line = p.line.map_or(String::new(), |l| format!(",line={l}"));
        println(format_args!(
            "::error file={}{line},title={}::{}",
            gh_property(&visible(&p.file)),
            gh_property(&format!("registry guard: {}", p.code)),
            gh_data(&p.message)
        ))?;
    }
    if report.guard.ok {
        println(
            "::notice title=registry guard::ok (only registry entries changed, each valid and in both files)",
        )?;
    }
    Ok(())
}

/// The report as Markdown for a step summary: each value in a code span it cannot close, each
/// message as inert text ([`md_code`], [`md_text`]), so a file name or value adds no heading,
/// table, link or HTML.
fn markdown(
    report: &ChangesReport,
    kind_word: impl Fn(ChangeKind) -> &'static str,
) -> Result<(), Failure> {
    println("### Registry changes\n")?;
    if report.changes.is_empty() {
        println("No registry entry changed.")?;
    }
    for c in &report.changes {
        println(format_args!(
            "- {} {} in {}: {}",
            kind_word(c.kind),
            md_code(&c.name),
            md_code(&c.environment),
            md_code(&c.plan_command)
        ))?;
        if let Some(why) = &c.replacement {
            println(format_args!(
                "  - **Replaces the repository: Terraform destroys it with every image in it and creates it empty.** {}",
                md_text(why)
            ))?;
        }
    }
    if report.guard.ok {
        println("\n**Guard: ok** (only registry entries changed, each valid and in both files)")?;
    } else {
        println(format_args!(
            "\n**Guard: FAILED**, {} problem(s); do not apply automatically:\n",
            report.guard.problems.len()
        ))?;
        for p in &report.guard.problems {
            let at = p.line.map_or(String::new(), |l| format!(" line {l}"));
            println(format_args!(
                "- {}{at} {}: {}",
                md_code(&p.file),
                md_code(p.code.as_str()),
                md_text(&p.message)
            ))?;
        }
    }
    Ok(())
}
