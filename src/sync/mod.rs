//! `sync`: the Backstage catalog entities of the registry, rendered from the physical AWS ECR state
//! (the platform's runbook RB-0025: AWS is the source of truth, the governance catalog only
//! enriches), plus the reconciliation between the two.
//!
//! Pure: the DescribeRepositories JSON (as AWS and `aws ecr describe-repositories` print it, one
//! page or many, with optional `tags` per repository), the catalog text and the time come in; file
//! texts and a report go out. Output is deterministic and sorted: two runs over the same AWS state
//! differ only in `platform/last-sync`, which [`same_ignoring_last_sync`] disregards.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::edit::FileChange;
use crate::edit::catalog::read_catalog;
use crate::error::Result;

mod entities;
mod estate;
mod listing;
mod promote;
mod reconcile;

pub use entities::render_entities;
pub use estate::{EstateOutput, EstateReport, EstateTotals, slugs, sync_estate};
pub use listing::{AwsRepository, AwsTag, parse_listing};
pub use promote::{Promotion, promote};
pub use reconcile::{Collision, Skipped, SyncReport};

pub const LAST_SYNC: &str = "platform/last-sync";
pub const REPO_COUNT: &str = "platform/repo-count";
pub const ARN_ANNOTATION: &str = "amazonaws.com/ecr-repository-arn";
/// The annotation the AWS-maintained Backstage ECR plugin reads (images and scan findings tab).
pub const AWS_PLUGIN_ARN_ANNOTATION: &str = "aws.amazon.com/amazon-ecr-arn";
pub const ID_ANNOTATION: &str = "platform/governance-id";
pub const RISK_ANNOTATION: &str = "platform/risk";

/// Where and when: the region, the account (else read from the listing) and the time (UTC,
/// `YYYY-MM-DDTHH:MM:SSZ`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncOptions {
    /// The AWS region, e.g. `eu-west-2`.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The AWS account; read from the listing when absent.
    pub account: Option<String>,
    /// The sync time, UTC `YYYY-MM-DDTHH:MM:SSZ` (`platform/last-sync`).
    pub now: String,
}

/// One rendered file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedFile {
    /// Path inside the platform repository.
    pub path: String,
    /// The file's text.
    pub text: String,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
/// What `sync` returns: the entity files and the reconciliation.
pub struct SyncOutput {
    /// The registry's entities, the System, the Domain and the Location, in that order.
    pub files: Vec<RenderedFile>,
    /// Synced, ghosts, orphans, collisions and skipped repositories.
    pub report: SyncReport,
}

/// Listing text + catalog text → entities: what the CLI and WebAssembly call.
pub fn sync(
    listing: &str,
    catalog: Option<&str>,
    options: &SyncOptions,
    config: &Config,
) -> Result<SyncOutput> {
    let repos = parse_listing(listing)?;
    let catalog = read_catalog(catalog).map_err(|e| e.or_file(&config.catalog_path))?;
    render_entities(&repos, &catalog, options, config)
}

/// A line without the value of `platform/last-sync`.
fn without_last_sync(l: &str) -> &str {
    match l.trim_start().strip_prefix(LAST_SYNC) {
        Some(rest) if rest.starts_with(':') => &l[..l.len() - rest.len()],
        _ => l,
    }
}

/// Equal apart from the `platform/last-sync` time (line by line, without copies).
pub fn same_ignoring_last_sync(a: &str, b: &str) -> bool {
    a == b
        || (a.ends_with('\n') == b.ends_with('\n')
            && a.lines().count() == b.lines().count()
            && a.lines()
                .zip(b.lines())
                .all(|(x, y)| x == y || without_last_sync(x) == without_last_sync(y)))
}

/// What to write: a file whose only difference is `platform/last-sync` keeps its old text, so a run
/// over an unchanged AWS state changes nothing on disk. `existing` pairs a path with its text.
/// Takes the rendered files by value, and the old text of each unchanged file out of `existing`
/// (the changed ones stay there, for diffs): at 100,000 repositories each text is ~45 MB.
pub fn changes(
    files: Vec<RenderedFile>,
    existing: &mut BTreeMap<String, Option<String>>,
) -> Vec<FileChange> {
    files
        .into_iter()
        .map(|f| {
            let old = existing.get(&f.path).and_then(Option::as_deref);
            if old.is_some_and(|old| same_ignoring_last_sync(old, &f.text)) {
                FileChange {
                    text: existing.remove(&f.path).flatten().unwrap_or_default(),
                    path: f.path,
                    changed: false,
                    created: false,
                }
            } else {
                FileChange {
                    created: old.is_none(),
                    path: f.path,
                    changed: true,
                    text: f.text,
                }
            }
        })
        .collect()
}
