//! Several targets (accounts and regions, each holding one environment) in one run: one registry
//! `Resource` per target, repository entities whose names never collide across targets, and a
//! reconciliation per environment: a catalog entry is synced only when its repository exists in
//! its own environment's target.
//!
//! Entity names: with one target, today's (`ecr-<name>`, the registry `sync.registryName`), so
//! existing catalogs do not churn. With several, each target has a slug (its environment; with
//! the region too when two targets share an environment; and the account when they share both),
//! the registry is `<registryName>-<slug>` and a repository `ecr-<slug>-<name>`. A name that two
//! targets would still share (e.g. environment `a-b` with repository `c` and environment `a` with
//! repository `b-c`) is reported as a collision in both and never merged.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::entities::{Naming, render_target, shared_files, system_domain_location};
use super::listing::{AwsRepository, account_of};
use super::reconcile::SyncReport;
use super::{RenderedFile, SyncOptions};
use crate::config::{Config, SyncTarget};
use crate::edit::catalog::read_catalog;
use crate::error::{Error, ErrorCode, Result};
use crate::quote::show;

/// The totals over every target.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EstateTotals {
    /// Repositories in all targets.
    pub repo_count: usize,
    /// Synced, ghosts, orphans, collisions and skipped, summed.
    pub synced: usize,
    /// See `synced`.
    pub ghosts: usize,
    /// See `synced`.
    pub orphans: usize,
    /// See `synced`.
    pub collisions: usize,
    /// See `synced`.
    pub skipped: usize,
    /// Catalog entries whose environment no target holds (not reconciled anywhere).
    pub untargeted: Vec<String>,
}

/// The reconciliation of every target.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EstateReport {
    /// One report per target, in the config's order.
    pub targets: Vec<SyncReport>,
    /// Over all of them.
    pub totals: EstateTotals,
}

/// What a run over several targets returns: the files and the report. With one target the files
/// are those of a plain `sync`; with several, each target's registry and repositories go to their
/// own file (`entitiesPath` with `-<slug>` before `.yaml`), so that a target that could not be
/// listed leaves its file as it was.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EstateOutput {
    /// The entities file (every target's registry and repositories), System, Domain, Location.
    pub files: Vec<RenderedFile>,
    /// Per target, and totals.
    pub report: EstateReport,
}

/// Each target's slug; see the module documentation.
pub fn slugs(targets: &[SyncTarget]) -> Vec<String> {
    let count = |f: &dyn Fn(&SyncTarget) -> bool| targets.iter().filter(|t| f(t)).count();
    targets
        .iter()
        .map(|t| {
            if count(&|o| o.environment == t.environment) == 1 {
                t.environment.clone()
            } else if count(&|o| o.environment == t.environment && o.region == t.region) == 1 {
                format!("{}-{}", t.environment, t.region)
            } else {
                format!(
                    "{}-{}-{}",
                    t.environment,
                    t.region,
                    t.expected_account().unwrap_or("account")
                )
            }
        })
        .collect()
}

/// Where a target's entities go when there are several targets.
pub fn target_entities_path(config: &Config, slug: &str) -> String {
    let p = &config.sync.entities_path;
    match p.strip_suffix(".yaml").or_else(|| p.strip_suffix(".yml")) {
        Some(stem) => format!("{stem}-{slug}{}", &p[stem.len()..]),
        None => format!("{p}-{slug}"),
    }
}

/// Render every target's listing; `catalog` is the governance catalog's text. Targets are those of
/// the config (or a subset of them, in the config's order), each with its listing, or `None` when
/// it could not be listed (its file is then not rendered, and the `Location` still lists it).
pub fn sync_estate(
    listings: &[(SyncTarget, Option<Vec<AwsRepository>>)],
    catalog: Option<&str>,
    now: &str,
    config: &Config,
) -> Result<EstateOutput> {
    if listings.iter().all(|(_, l)| l.is_none()) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "no target to sync: `sync.targets` is empty, or none was listed",
        ));
    }
    let catalog = read_catalog(catalog).map_err(|e| e.or_file(&config.catalog_path))?;
    let targets: Vec<SyncTarget> = listings.iter().map(|(t, _)| t.clone()).collect();
    let slugs = slugs(&targets);
    let several = listings.len() > 1;
    let namings: Vec<Naming> = targets
        .iter()
        .zip(&slugs)
        .map(|(t, slug)| Naming {
            registry_name: if several {
                format!("{}-{slug}", config.sync.registry_name)
            } else {
                config.sync.registry_name.clone()
            },
            registry_title: if several {
                format!(
                    "{} ({}, {})",
                    config.sync.registry_title, t.environment, t.region
                )
            } else {
                config.sync.registry_title.clone()
            },
            slug: several.then(|| slug.clone()),
            environment: Some(t.environment.clone()),
        })
        .collect();
    // Names two targets would share.
    let mut seen = BTreeMap::<String, usize>::new();
    for ((_, listing), naming) in listings.iter().zip(&namings) {
        let Some(listing) = listing else { continue };
        let names: BTreeSet<String> = listing
            .iter()
            .map(|r| naming.entity(&r.repository_name))
            .collect();
        for n in names {
            *seen.entry(n).or_default() += 1;
        }
    }
    let colliding: BTreeSet<String> = seen
        .into_iter()
        .filter_map(|(n, c)| (c > 1).then_some(n))
        .collect();

    let mut files = Vec::new();
    let mut report = EstateReport::default();
    for (((target, listing), naming), slug) in listings.iter().zip(&namings).zip(&slugs) {
        let Some(listing) = listing else { continue };
        let listed = account_of(listing);
        if let (Some(want), Some(got)) = (target.expected_account(), listed.as_deref()) {
            if want != got {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!(
                        "the listing of target {} ({}) is from account {}, not {}",
                        show(&target.environment),
                        target.region,
                        show(got),
                        show(want)
                    ),
                ));
            }
        }
        let own: BTreeMap<String, _> = catalog
            .iter()
            .filter(|(_, i)| {
                i.environment.as_deref() == Some(target.environment.as_str())
                    && !super::entities::in_other_region(i, &target.region)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let options = SyncOptions {
            region: target.region.clone(),
            account: target.account.clone(),
            now: now.to_string(),
        };
        let mut entities = String::new();
        let r = render_target(
            listing,
            &own,
            &options,
            config,
            naming,
            &colliding,
            &mut entities,
        )
        .map_err(|e| {
            Error::new(
                e.code,
                format!("target {}: {}", show(&target.environment), e.message),
            )
        })?;
        let t = &mut report.totals;
        t.repo_count += r.repo_count;
        t.synced += r.synced.len();
        t.ghosts += r.ghosts.len();
        t.orphans += r.orphans.len();
        t.collisions += r.collisions.len();
        t.skipped += r.skipped.len();
        report.targets.push(r);
        files.push(RenderedFile {
            path: if several {
                target_entities_path(config, slug)
            } else {
                config.sync.entities_path.clone()
            },
            text: entities,
        });
    }
    // An entry no target reconciles: its environment is no target's, or no target of it lists
    // the region it records.
    let held: BTreeSet<&str> = targets.iter().map(|t| t.environment.as_str()).collect();
    let held_in: BTreeSet<(&str, &str)> = targets
        .iter()
        .map(|t| (t.environment.as_str(), t.region.as_str()))
        .collect();
    report.totals.untargeted = catalog
        .iter()
        .filter(
            |(_, i)| match (i.environment.as_deref(), i.region.as_deref()) {
                (Some(e), Some(r)) => !held_in.contains(&(e, r)),
                (Some(e), None) => !held.contains(e),
                (None, _) => true,
            },
        )
        .map(|(k, _)| k.clone())
        .collect();
    let files = if several {
        let paths: Vec<String> = slugs
            .iter()
            .map(|s| target_entities_path(config, s))
            .collect();
        files.extend(system_domain_location(&paths, config)?);
        files
    } else {
        let entities = files.pop().map(|f| f.text).unwrap_or_default();
        shared_files(entities, config)?
    };
    Ok(EstateOutput { files, report })
}
