//! `ecr-registrar sync` over one region: list it (or read a listing), let the core render the
//! entities and the reconciliation, optionally promote the catalog's pending requests, write.

use std::process::ExitCode;

use ecr_registrar::quote::visible;
use ecr_registrar::{Config, Error, ErrorCode, FileChange, SyncOptions, SyncReport, unified_diff};

use super::shared::{self, target_lines};
use crate::cli::args::{Format, SyncArgs};
use crate::cli::aws::{self, ListOptions};
use crate::cli::clock::now_utc;
use crate::cli::fs::{read_in_repo, read_input};
use crate::cli::report::{Failure, SyncJsonReport, json, print, print_json, println};

pub fn run(args: SyncArgs, config: Config) -> Result<ExitCode, Failure> {
    let SyncArgs {
        repo,
        region,
        profile,
        endpoint_url,
        no_tags,
        concurrency,
        max_attempts,
        from_json,
        account,
        dry_run,
        check,
        promote,
        environment,
        now,
        format,
        ..
    } = args;
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
                max_attempts,
                ..ListOptions::default()
            })?
        })),
    };
    let catalog = read_in_repo(&repo, &config.catalog_path)?;
    let options = SyncOptions {
        region,
        account,
        now: now.unwrap_or_else(now_utc),
    };
    // `--promote`: the catalog's pending requests whose repository now exists become active.
    let promotion = match (promote, environment.as_deref()) {
        (true, Some(env)) => {
            let v = ecr_registrar::Validator::new(&config)?;
            let problems = v.validate_field("environment", env);
            if !problems.is_empty() {
                return Err(Error::invalid_request(problems).into());
            }
            let names = ecr_registrar::parse_listing(&listing)
                .map_err(|e| e.in_file(listing_name.clone()))?;
            let present = names.iter().map(|r| r.repository_name.as_str()).collect();
            let text = catalog.as_deref().ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    "there is no catalog to promote requests in",
                )
                .in_file(config.catalog_path.clone())
            })?;
            let today = options.now.get(..10).unwrap_or_default();
            // The environment's Terraform region (a literal aws_region in its tfvars): the
            // region of its entries that record none.
            let tfvars = config.tfvars_path_for(env);
            let root = match read_in_repo(&repo, &tfvars)? {
                Some(t) => ecr_registrar::tfvars_root_region(&t, &config.variable)
                    .map_err(|e| e.or_file(&tfvars))?,
                None => None,
            };
            let (new, changed, report) = ecr_registrar::promote(
                text,
                &present,
                env,
                (&options.region, root.as_deref()),
                today,
            )
            .map_err(|e| e.or_file(&config.catalog_path))?;
            Some((
                FileChange {
                    path: config.catalog_path.clone(),
                    text: new,
                    changed,
                    created: false,
                },
                report,
            ))
        }
        _ => None,
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
    let catalog_before = if promotion.is_some() {
        catalog.clone()
    } else {
        None
    };
    drop((listing, catalog));
    let (mut changes, mut before) = shared::compare(&repo, out.files)?;
    let promotion = promotion.map(|(change, report)| {
        before.insert(change.path.clone(), catalog_before.clone());
        changes.push(change);
        report
    });
    if !check && !dry_run {
        shared::write(&repo, &changes)?;
    }
    match format {
        Format::Json => print_json(&SyncJsonReport {
            report: &out.report,
            promotion: promotion.as_ref(),
            dry_run,
            check,
            files: shared::file_reports(&changes, &before, dry_run),
        })?,
        Format::Text => {
            text_report(&out.report, &changes, check || dry_run)?;
            if let Some(p) = &promotion {
                let verb = if check || dry_run {
                    "would promote"
                } else {
                    "promoted"
                };
                println(format_args!(
                    "{verb} {} pending request(s) of {} to active{}",
                    p.promoted.len(),
                    visible(&p.environment),
                    if p.promoted.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", visible(&p.promoted.join(", ")))
                    }
                ))?;
                for name in &p.active_missing {
                    println(format_args!(
                        "  active in the catalog but not in AWS: {}",
                        visible(name)
                    ))?;
                }
            }
            if dry_run {
                for c in changes.iter().filter(|c| c.changed) {
                    print(unified_diff(&c.path, shared::old(&before, c), &c.text))?;
                }
            }
        }
    }
    let drifted = changes.iter().any(|c| c.changed);
    Ok(ExitCode::from(if check && drifted { 1 } else { 0 }))
}

fn text_report(report: &SyncReport, changes: &[FileChange], preview: bool) -> Result<(), Failure> {
    target_lines(report)?;
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
