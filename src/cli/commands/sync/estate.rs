//! `ecr-registrar sync` over several targets (the config's `sync.targets`): each target's listing,
//! rendered together by the core (one registry per target, names that never collide,
//! reconciliation per environment), written as one run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use ecr_registrar::{
    AwsRepository, Config, Error, ErrorCode, EstateReport, SyncTarget, parse_listing, sync_estate,
    sync_target_slugs, unified_diff,
};
use serde::Serialize;

use super::shared::{self, target_lines};
use crate::cli::args::{Format, SyncArgs};
use crate::cli::aws::{self, ListOptions};
use crate::cli::clock::now_utc;
use crate::cli::fs::{check_write_target, io_error, read_in_repo, read_input, write_file};
use crate::cli::report::{Failure, FileReport, json, print, print_json, println};

/// What `sync --format json` prints over several targets.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EstateJsonReport<'a> {
    #[serde(flatten)]
    report: &'a EstateReport,
    dry_run: bool,
    check: bool,
    files: Vec<FileReport<'a>>,
}

pub fn run(args: SyncArgs, config: Config) -> Result<ExitCode, Failure> {
    let bad = |m: String| Error::new(ErrorCode::InvalidArgument, m);
    if args.promote {
        return Err(bad(
            "--promote works on one target at a time: add --region and --environment".into(),
        )
        .into());
    }
    let targets = &config.sync.targets;
    if targets.is_empty() {
        return Err(bad("--listing and --target need `sync.targets` in the config".into()).into());
    }
    let slugs = sync_target_slugs(targets);
    if args.list_targets {
        let include: Vec<serde_json::Value> = targets
            .iter()
            .zip(&slugs)
            .map(|(t, slug)| {
                serde_json::json!({
                    "slug": slug,
                    "environment": t.environment,
                    "region": t.region,
                    "account": t.expected_account(),
                })
            })
            .collect();
        println(json(&serde_json::json!({ "include": include })))?;
        return Ok(ExitCode::SUCCESS);
    }
    let known = || slugs.join(", ");
    for t in &args.target {
        if !slugs.contains(t) && !targets.iter().any(|x| &x.environment == t) {
            return Err(bad(format!(
                "--target {t}: no such target (targets: {})",
                known()
            ))
            .into());
        }
    }
    let mut files: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for l in &args.listing {
        let (slug, file) = l
            .split_once('=')
            .ok_or_else(|| bad(format!("--listing {l}: expected SLUG=FILE")))?;
        let slug = slugs.iter().find(|s| *s == slug).ok_or_else(|| {
            bad(format!(
                "--listing {l}: no target {slug} (targets: {})",
                known()
            ))
        })?;
        files.insert(slug.as_str(), PathBuf::from(file));
    }
    let selected = |t: &SyncTarget, slug: &String| {
        args.target.is_empty() || args.target.iter().any(|x| x == slug || *x == t.environment)
    };
    // Every target of the config, in order (the names depend on all of them): saved listings
    // first, the rest of the selected ones from AWS, all at once; `None` for the others.
    let mut listings: Vec<(SyncTarget, Option<Vec<AwsRepository>>)> = Vec::new();
    let mut from_aws = Vec::new();
    for (t, slug) in targets.iter().zip(&slugs) {
        let listed = match files.get(slug.as_str()) {
            _ if !selected(t, slug) => None,
            Some(file) => {
                let text = read_input(file)?;
                Some(parse_listing(&text).map_err(|e| e.in_file(file.display().to_string()))?)
            }
            None => {
                from_aws.push((
                    listings.len(),
                    ListOptions {
                        region: t.region.clone(),
                        profile: args
                            .profile
                            .clone()
                            .or_else(|| std::env::var("AWS_PROFILE").ok()),
                        endpoint_url: args.endpoint_url.clone(),
                        tags: !args.no_tags,
                        concurrency: args.concurrency,
                        max_attempts: args.max_attempts,
                        role_arn: t.role_arn.clone(),
                        external_id: t.external_id.clone(),
                        expected_account: t.expected_account().map(str::to_string),
                        label: Some(slug.clone()),
                    },
                ));
                None
            }
        };
        listings.push((t.clone(), listed));
    }
    let mut failed: Vec<Error> = Vec::new();
    if !from_aws.is_empty() {
        let (at, opts): (Vec<usize>, Vec<ListOptions>) = from_aws.into_iter().unzip();
        for (i, r) in at.into_iter().zip(aws::list_many(opts)) {
            match r {
                Ok(repos) => listings[i].1 = Some(repos),
                Err(e) => failed.push(e),
            }
        }
    }
    if let Some(dir) = &args.save_listings {
        if !failed.is_empty() {
            return Err(failed_error(&failed, "no listing was saved").into());
        }
        check_write_target(dir)?;
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the directory", e))?;
        let mut saved = 0;
        for ((_, repos), slug) in listings.iter().zip(&slugs) {
            let Some(repos) = repos else { continue };
            let text = json(&serde_json::json!({ "repositories": repos }));
            write_file(&dir.join(format!("{slug}.json")), &format!("{text}\n"))?;
            saved += 1;
        }
        println(format_args!(
            "saved {saved} listing(s) in {}",
            dir.display()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    if !failed.is_empty() && !args.partial {
        return Err(failed_error(
            &failed,
            "nothing was written (--partial writes the targets that were listed)",
        )
        .into());
    }
    let catalog = read_in_repo(&args.repo, &config.catalog_path)?;
    let now = args.now.clone().unwrap_or_else(now_utc);
    let out = sync_estate(&listings, catalog.as_deref(), &now, &config)?;
    drop((listings, catalog));
    let (changes, before) = shared::compare(&args.repo, out.files)?;
    let preview = args.check || args.dry_run;
    if !preview {
        shared::write(&args.repo, &changes)?;
    }
    match args.format {
        Format::Json => print_json(&EstateJsonReport {
            report: &out.report,
            dry_run: args.dry_run,
            check: args.check,
            files: shared::file_reports(&changes, &before, args.dry_run),
        })?,
        Format::Text => {
            for r in &out.report.targets {
                print(format_args!(
                    "{}: ",
                    r.environment.as_deref().unwrap_or("-")
                ))?;
                target_lines(r)?;
            }
            let t = &out.report.totals;
            println(format_args!(
                "total: {} repositories in {} targets: {} synced, {} orphans, {} ghosts, {} collisions, {} skipped",
                t.repo_count,
                out.report.targets.len(),
                t.synced,
                t.orphans,
                t.ghosts,
                t.collisions,
                t.skipped
            ))?;
            if !t.untargeted.is_empty() {
                println(format_args!(
                    "  catalog entries of environments no target holds: {}",
                    t.untargeted.join(", ")
                ))?;
            }
            let verb = if preview { "would change" } else { "changed" };
            if !changes.iter().any(|c| c.changed) {
                println("entities are up to date")?;
            }
            for c in changes.iter().filter(|c| c.changed) {
                println(format_args!("{verb}: {}", c.path))?;
                if args.dry_run {
                    print(unified_diff(&c.path, shared::old(&before, c), &c.text))?;
                }
            }
        }
    }
    if !failed.is_empty() {
        // --partial: the others were written; say which were not, and exit as an AWS error does.
        for e in &failed {
            eprintln!(
                "{}",
                ecr_registrar::quote::terminal(&format!(
                    "error: {} (its files were left as they were)",
                    e.message
                ))
            );
        }
        return Ok(ExitCode::from(3));
    }
    let drifted = changes.iter().any(|c| c.changed);
    Ok(ExitCode::from(if args.check && drifted { 1 } else { 0 }))
}

/// One error naming every target that could not be listed.
fn failed_error(failed: &[Error], then: &str) -> Error {
    let what: Vec<&str> = failed.iter().map(|e| e.message.as_str()).collect();
    Error::new(
        ErrorCode::Aws,
        format!(
            "{} target(s) could not be listed; {then}:\n  {}",
            failed.len(),
            what.join("\n  ")
        ),
    )
}
