//! `ecr-registrar sync`: list ECR (or read a listing), let the core render the entities and the
//! reconciliation, write what really changed (or diff, or check), report.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use ecr_registrar::{Error, ErrorCode, FileChange, SyncOptions, SyncReport, unified_diff};

use crate::cli::args::{Format, SyncArgs};
use crate::cli::aws::{self, ListOptions};
use crate::cli::clock::now_utc;
use crate::cli::fs::{load_config, read_input, read_optional, repo_dir, write_all};
use crate::cli::report::{Failure, FileReport, SyncJsonReport, json, print, print_json, println};

pub fn run(args: SyncArgs) -> Result<ExitCode, Failure> {
    let SyncArgs {
        repo,
        region,
        profile,
        endpoint_url,
        no_tags,
        concurrency,
        from_json,
        account,
        dry_run,
        check,
        now,
        config,
        format,
    } = args;
    repo_dir(&repo)?;
    let config = load_config(config.as_deref(), Some(&repo))?;
    let profile = profile.or_else(|| std::env::var("AWS_PROFILE").ok());
    let listing = from_json.as_deref().map(read_input).transpose()?;
    let listing_name = from_json
        .as_ref()
        .map_or("<AWS listing>".to_string(), |p| p.display().to_string());
    if let Some(text) = &listing {
        // A malformed file is the first thing to report, before any region question.
        ecr_registrar::parse_listing(text).map_err(|e| e.in_file(listing_name.clone()))?;
    }
    let region = aws::resolve_region(region, profile.as_deref())
        .or_else(|| listing.as_deref().and_then(aws::region_in_listing))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "no AWS region: ECR is regional, so name one with --region eu-west-2, the AWS_REGION or AWS_DEFAULT_REGION environment variable, or a default region in the profile's ~/.aws/config",
            )
        })?;
    let listing = match listing {
        Some(text) => text,
        // The SDK's listing goes to the core as the JSON AWS itself returns, like --from-json.
        None => json(&serde_json::json!({
            "repositories": aws::list(ListOptions {
                region: region.clone(),
                profile,
                endpoint_url,
                tags: !no_tags,
                concurrency,
            })?
        })),
    };
    let catalog = read_optional(&repo.join(&config.catalog_path))?;
    let options = SyncOptions {
        region,
        account,
        now: now.unwrap_or_else(now_utc),
    };
    let out =
        ecr_registrar::sync(&listing, catalog.as_deref(), &options, &config).map_err(|e| {
            if e.file.is_some() {
                e
            } else {
                e.in_file(listing_name)
            }
        })?;
    // The inputs are no longer needed; at 100,000 repositories they are ~40 MB.
    drop((listing, catalog));
    let mut existing = BTreeMap::new();
    for f in &out.files {
        existing.insert(f.path.clone(), read_optional(&repo.join(&f.path))?);
    }
    let changes = ecr_registrar::sync_changes(out.files, &mut existing);
    if !check && !dry_run {
        let targets: Vec<(PathBuf, &FileChange)> =
            changes.iter().map(|c| (repo.join(&c.path), c)).collect();
        write_all(&targets)?;
    }
    let old = |c: &FileChange| existing.get(&c.path).cloned().flatten();
    match format {
        Format::Json => {
            let olds: Vec<Option<String>> = changes.iter().map(old).collect();
            print_json(&SyncJsonReport {
                report: &out.report,
                dry_run,
                check,
                files: changes
                    .iter()
                    .zip(&olds)
                    .map(|(c, o)| FileReport::new(c, o.as_deref(), dry_run))
                    .collect(),
            })?
        }
        Format::Text => {
            text_report(&out.report, &changes, check || dry_run)?;
            if dry_run {
                for c in changes.iter().filter(|c| c.changed) {
                    print(unified_diff(&c.path, old(c).as_deref(), &c.text))?;
                }
            }
        }
    }
    let drifted = changes.iter().any(|c| c.changed);
    Ok(ExitCode::from(if check && drifted { 1 } else { 0 }))
}

fn text_report(report: &SyncReport, changes: &[FileChange], preview: bool) -> Result<(), Failure> {
    println(format_args!(
        "{} repositories in {}{}: {} synced, {} orphans (AWS only), {} ghosts (catalog only)",
        report.repo_count,
        report.region,
        report
            .account
            .as_deref()
            .map_or(String::new(), |a| format!(" (account {a})")),
        report.synced.len(),
        report.orphans.len(),
        report.ghosts.len()
    ))?;
    for (label, list) in [("orphan", &report.orphans), ("ghost", &report.ghosts)] {
        for name in list.iter().take(20) {
            println(format_args!("  {label}: {name}"))?;
        }
        if list.len() > 20 {
            println(format_args!("  … and {} more {label}s", list.len() - 20))?;
        }
    }
    for c in &report.collisions {
        println(format_args!(
            "  collision: {} would be the entity of {}",
            c.entity_name,
            c.repositories.join(", ")
        ))?;
    }
    for s in &report.skipped {
        println(format_args!("  skipped: {}: {}", s.repository, s.reason))?;
    }
    let verb = if preview { "would change" } else { "changed" };
    let changed: Vec<&FileChange> = changes.iter().filter(|c| c.changed).collect();
    if changed.is_empty() {
        println("entities are up to date")?;
    }
    for c in changed {
        let new = if c.created { " (new)" } else { "" };
        println(format_args!("{verb}: {}{new}", c.path))?;
    }
    Ok(())
}
