//! `ecr-registrar sync` over several targets (the config's `sync.targets`): each target's listing,
//! rendered together by the core (one registry per target, names that never collide,
//! reconciliation per environment), written as one run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use ecr_registrar::{
    Config, Error, ErrorCode, EstateReport, FileChange, parse_listing, sync_estate,
    sync_target_slugs, unified_diff,
};
use serde::Serialize;

use crate::cli::args::{Format, SyncArgs};
use crate::cli::clock::now_utc;
use crate::cli::fs::{read_input, read_optional, write_all};
use crate::cli::report::{Failure, FileReport, print, print_json, println};

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
    let mut listings = Vec::new();
    for (t, slug) in targets.iter().zip(&slugs) {
        let wanted =
            args.target.is_empty() || args.target.iter().any(|x| x == slug || *x == t.environment);
        if !wanted {
            continue;
        }
        let Some(file) = files.get(slug.as_str()) else {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "target {slug}: no --listing {slug}=FILE. Listing several targets from AWS (STS AssumeRole per target) is not built yet: save each target's `aws ecr describe-repositories` output and pass it with --listing"
                ),
            )
            .into());
        };
        let text = read_input(file)?;
        let repos = parse_listing(&text).map_err(|e| e.in_file(file.display().to_string()))?;
        listings.push((t.clone(), repos));
    }
    let catalog = read_optional(&args.repo.join(&config.catalog_path))?;
    let now = args.now.clone().unwrap_or_else(now_utc);
    let out = sync_estate(&listings, catalog.as_deref(), &now, &config)?;
    drop((listings, catalog));
    let mut existing = BTreeMap::new();
    for f in &out.files {
        existing.insert(f.path.clone(), read_optional(&args.repo.join(&f.path))?);
    }
    let changes = ecr_registrar::sync_changes(out.files, &mut existing);
    let preview = args.check || args.dry_run;
    if !preview {
        let targets: Vec<(PathBuf, &FileChange)> = changes
            .iter()
            .map(|c| (args.repo.join(&c.path), c))
            .collect();
        write_all(&targets)?;
    }
    let old = |c: &FileChange| existing.get(&c.path).cloned().flatten();
    match args.format {
        Format::Json => {
            let olds: Vec<Option<String>> = changes.iter().map(old).collect();
            print_json(&EstateJsonReport {
                report: &out.report,
                dry_run: args.dry_run,
                check: args.check,
                files: changes
                    .iter()
                    .zip(&olds)
                    .map(|(c, o)| FileReport::new(c, o.as_deref(), args.dry_run))
                    .collect(),
            })?
        }
        Format::Text => {
            for r in &out.report.targets {
                print(format_args!(
                    "{}: ",
                    r.environment.as_deref().unwrap_or("-")
                ))?;
                super::sync::target_lines(r)?;
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
                    print(unified_diff(&c.path, old(c).as_deref(), &c.text))?;
                }
            }
        }
    }
    let drifted = changes.iter().any(|c| c.changed);
    Ok(ExitCode::from(if args.check && drifted { 1 } else { 0 }))
}
