//! The reconciliation of AWS and the governance catalog: which repositories are in both (synced),
//! only in the catalog (ghosts) and only in AWS (orphans), and which could not become entities.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::listing::AwsRepository;
use crate::edit::catalog::CatalogInfo;

/// Two or more repositories whose entity names would be the same.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collision {
    /// The entity name they share.
    pub entity_name: String,
    /// The repositories that would all have it.
    pub repositories: Vec<String>,
}

/// A repository without an entity, and why.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    /// The repository name.
    pub repository: String,
    /// Why it has no entity.
    pub reason: String,
}

/// The reconciliation of AWS and the governance catalog.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The region listed.
    pub region: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    /// The account listed, where known.
    pub account: Option<String>,
    /// The environment the target holds (several targets); its catalog entries are reconciled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub environment: Option<String>,
    /// Repositories in AWS (the registry's `platform/repo-count`).
    pub repo_count: usize,
    /// In AWS and in the catalog.
    pub synced: Vec<String>,
    /// In the catalog only: requested but not (or no longer) in AWS.
    pub ghosts: Vec<String>,
    /// In AWS only: not governed by the catalog.
    pub orphans: Vec<String>,
    /// Repositories whose entity names would be the same (none of them is rendered).
    pub collisions: Vec<Collision>,
    /// Repositories without an entity, and why.
    pub skipped: Vec<Skipped>,
}

/// Fill in `synced`, `orphans` and `ghosts`.
pub(crate) fn reconcile(
    listing: &[AwsRepository],
    catalog: &BTreeMap<String, CatalogInfo>,
    report: &mut SyncReport,
) {
    for r in listing {
        if catalog.contains_key(&r.repository_name) {
            report.synced.push(r.repository_name.clone());
        } else {
            report.orphans.push(r.repository_name.clone());
        }
    }
    report.synced.sort();
    report.orphans.sort();
    let in_aws: BTreeSet<&str> = listing.iter().map(|r| r.repository_name.as_str()).collect();
    report.ghosts = catalog
        .keys()
        .filter(|k| !in_aws.contains(k.as_str()))
        .cloned()
        .collect();
}
