//! What one target and several have in common: the rendered files against the repository, the
//! write, the JSON report's files, and the lines a target's reconciliation prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ecr_registrar::quote::visible;
use ecr_registrar::{Error, FileChange, RenderedFile, SyncReport};

use crate::cli::fs::{in_repo, read_in_repo, write_all};
use crate::cli::report::{Failure, FileReport, println};

/// What each changed file held before the run, by path (`None`: there was no such file).
pub(super) type Before = BTreeMap<String, Option<String>>;

/// The rendered files against the repository: what to write, and the old texts for diffs.
pub(super) fn compare(
    repo: &Path,
    files: Vec<RenderedFile>,
) -> Result<(Vec<FileChange>, Before), Error> {
    let mut before = BTreeMap::new();
    for f in &files {
        before.insert(f.path.clone(), read_in_repo(repo, &f.path)?);
    }
    let changes = ecr_registrar::sync_changes(files, &mut before);
    Ok((changes, before))
}

/// Write the changed files, all or none.
pub(super) fn write(repo: &Path, changes: &[FileChange]) -> Result<(), Error> {
    let targets = changes
        .iter()
        .map(|c| Ok((in_repo(repo, &c.path)?, c)))
        .collect::<Result<Vec<(PathBuf, &FileChange)>, Error>>()?;
    write_all(&targets)
}

/// A change's old text, for its diff.
pub(super) fn old<'a>(before: &'a Before, change: &FileChange) -> Option<&'a str> {
    before.get(&change.path).and_then(Option::as_deref)
}

/// The JSON report's `files`: each change, with its diff in a dry run.
pub(super) fn file_reports<'a>(
    changes: &'a [FileChange],
    before: &Before,
    dry_run: bool,
) -> Vec<FileReport<'a>> {
    changes
        .iter()
        .map(|c| FileReport::new(c, old(before, c), dry_run))
        .collect()
}

/// One target's reconciliation, for people.
pub(super) fn target_lines(report: &SyncReport) -> Result<(), Failure> {
    println(format_args!(
        "{} repositories in {}{}: {} synced, {} orphans (AWS only), {} ghosts (catalog only)",
        report.repo_count,
        report.region,
        report
            .account
            .as_deref()
            .map_or(String::new(), |a| format!(" (account {})", visible(a))),
        report.synced.len(),
        report.orphans.len(),
        report.ghosts.len()
    ))?;
    for (label, list) in [("orphan", &report.orphans), ("ghost", &report.ghosts)] {
        for name in list.iter().take(20) {
            println(format_args!("  {label}: {}", visible(name)))?;
        }
        if list.len() > 20 {
            println(format_args!("  … and {} more {label}s", list.len() - 20))?;
        }
    }
    for c in &report.collisions {
        println(format_args!(
            "  collision: {} would be the entity of {}",
            visible(&c.entity_name),
            visible(&c.repositories.join(", "))
        ))?;
    }
    for s in &report.skipped {
        println(format_args!(
            "  skipped: {}: {}",
            visible(&s.repository),
            visible(&s.reason)
        ))?;
    }
    Ok(())
}
