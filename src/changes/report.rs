//! The walk of `changes`: the catalog and every environment's tfvars compared between two
//! revisions, each entry change paired with its counterpart and given its targeted commands, and
//! the report (`ChangesReport`) of the changes and the guard's verdict.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::git_facts::git_facts;
use super::guard::{
    Guard, GuardOptions, GuardProblem, Guarding, MAX_LISTED, TERRAFORM_FIELDS, check_pair,
    kind_word, tier_move,
};
use super::revisions::Revisions;
use crate::config::TierMove;
use crate::edit::compare::{self, EntryDiff, Kind};
use crate::error::{GuardCode, Result};
use crate::quote::show;
use crate::registry::field;
use crate::terraform::{apply_in, plan_in, workdir};
use crate::validate::Validator;

/// How a registry entry changed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// New in the environment's tfvars (and the catalog).
    Added,
    /// Its tfvars metadata changed (owner, risk).
    Updated,
    /// Removed from the environment's tfvars: Terraform destroys the repository.
    Removed,
    /// Its tfvars metadata changed in a way Terraform performs by destroying and recreating the
    /// repository (every image in it is deleted): see [`Change::replacement`].
    Replaced,
}

/// One registry entry that Terraform will act on.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The environment whose tfvars changed.
    pub environment: String,
    /// The repository name.
    pub name: String,
    /// Added, updated or removed.
    pub kind: ChangeKind,
    /// The targeted plan (a destroy plan for a removal), run from the repository root.
    pub plan_command: String,
    /// The targeted apply.
    pub apply_command: String,
    /// The directory Terraform runs in (the environment's root, where `init` runs first).
    pub workdir: String,
    /// For a replacement, why Terraform must destroy and recreate the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub replacement: Option<String>,
}

/// What `changes` reports.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangesReport {
    /// The entries Terraform will act on, per environment, in the order of the files.
    pub changes: Vec<Change>,
    /// Whether the whole diff may be applied automatically.
    pub guard: Guard,
}

const LAST_UPDATED: &str = "last_updated";

/// Compare the catalog and every configured environment's tfvars between two revisions; see
/// [`ChangesReport`]. `Err` only for a config the validator refuses.
pub fn changes(v: &Validator, revs: &Revisions) -> Result<ChangesReport> {
    changes_with(v, revs, GuardOptions::default())
}

/// [`changes`], with what a reviewer allowed.
pub fn changes_with(v: &Validator, revs: &Revisions, opts: GuardOptions) -> Result<ChangesReport> {
    let config = v.config();
    let mut total = 0usize;
    for (path, text) in revs.base.iter().chain(&revs.head) {
        crate::limits::check_file(path, Some(text))?;
        total = total.saturating_add(text.len());
    }
    let paths: usize = revs.changed_paths.iter().map(String::len).sum();
    crate::limits::check(
        "the revisions (every file's text at both revisions, and the changed paths)",
        total.saturating_add(paths),
        crate::limits::MAX_REVISIONS_BYTES,
    )?;
    let catalog_path = config.catalog_path.as_str();
    let tfvars_paths: BTreeMap<String, String> = config
        .environments
        .iter()
        .map(|env| (config.tfvars_path_for(env), env.clone()))
        .collect();
    let mut g = Guarding::new(v);
    // Changes found past MAX_LISTED: counted, not listed (nor their commands built), and the
    // tfvars file of the first.
    let mut unlisted_changes = 0usize;
    let mut unlisted_changes_file: Option<String> = None;
    // Of those, the ones that delete a repository (removed, replaced): counted apart, so that the
    // refusal says they are there even when their names are not listed.
    let (mut unlisted_removed, mut unlisted_replaced) = (0usize, 0usize);

    let allowed: BTreeSet<&str> = tfvars_paths
        .keys()
        .map(String::as_str)
        .chain([catalog_path])
        .filter(|p| *p != Revisions::CONFIG_PATH)
        .collect();
    for path in &revs.changed_paths {
        if !allowed.contains(path.as_str()) {
            g.problem(
                path,
                None,
                GuardCode::UnexpectedFile,
                format!(
                    "{} changed; a registry pull request changes only {} and the environments' tfvars files ({})",
                    show(path),
                    show(catalog_path),
                    tfvars_paths.keys().map(|p| show(p)).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }

    // What git records and a checkout writes: governed paths are regular files, read as their blobs.
    let governed: BTreeSet<&str> = allowed
        .iter()
        .copied()
        .chain([Revisions::CONFIG_PATH])
        .collect();
    git_facts(&mut g, revs, &governed);

    // The catalog: entries only, and `last_updated`.
    let catalog = g
        .diff(catalog_path, revs, compare::catalog)
        .unwrap_or_default();
    for t in catalog.top.iter().filter(|t| t.key != LAST_UPDATED) {
        g.problem(
            catalog_path,
            Some(t.line),
            GuardCode::UnexpectedChange,
            format!(
                "the top-level key {} was {}; a registry pull request changes only entries under `repositories` and `last_updated`",
                show(&t.key),
                kind_word(t.kind)
            ),
        );
    }
    let mut catalog_entries: BTreeMap<&str, &EntryDiff> = catalog
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();

    // Each environment's tfvars: entries of the map only, each with its catalog counterpart.
    let mut changes = Vec::new();
    for (path, env) in &tfvars_paths {
        let Some(diff) = g.diff(path, revs, |a, b| compare::tfvars(a, b, &config.variable)) else {
            continue;
        };
        for t in &diff.top {
            g.problem(
                path,
                Some(t.line),
                GuardCode::UnexpectedChange,
                format!(
                    "{} was {}; a registry pull request changes only entries of `{}`",
                    show(&t.key),
                    kind_word(t.kind),
                    config.variable
                ),
            );
        }
        let root = workdir(config, env);
        // The region the environment's Terraform root creates repositories in (a literal
        // `aws_region`), read only when an entry is added: an added entry's catalog region must
        // be it, as `scaffold` requires (a hand edit would record another region than AWS's).
        let mut root_region: Option<Option<String>> = None;
        for e in &diff.entries {
            let counterpart = catalog_entries.remove(e.name.as_str());
            if let Some(cat) =
                counterpart.filter(|c| e.kind == Kind::Added && c.kind == Kind::Added)
            {
                let root_region = root_region.get_or_insert_with(|| {
                    revs.head
                        .get(path)
                        .and_then(|t| crate::edit::tfvars::root_region(t, &config.variable).ok())
                        .flatten()
                });
                if let (Some(there), Some(recorded)) =
                    (root_region.as_ref(), cat.metadata.get(field::REGION))
                {
                    if there != recorded {
                        g.problem(
                            catalog_path,
                            Some(cat.line),
                            GuardCode::InvalidEntry,
                            format!(
                                "entry {}: its catalog region {} is not where the {} environment's Terraform root creates repositories ({}, aws_region in {}); the repository would be created there and recorded elsewhere",
                                show(&e.name),
                                show(recorded),
                                show(env),
                                if crate::naming::is_region(there) { show(there) } else { "another region".into() },
                                show(path)
                            ),
                        );
                    }
                }
            }
            if check_pair(&mut g, path, env, e, counterpart, catalog_path) {
                if changes.len() >= MAX_LISTED {
                    unlisted_changes += 1;
                    unlisted_changes_file.get_or_insert_with(|| path.clone());
                    if e.kind == Kind::Removed {
                        unlisted_removed += 1;
                    } else if matches!(tier_move(config, e), TierMove::Replaced(_)) {
                        unlisted_replaced += 1;
                    }
                    continue;
                }
                let destroy = e.kind == Kind::Removed;
                let mut replacement = None;
                match tier_move(config, e) {
                    TierMove::InPlace => {}
                    TierMove::Replaced(why) => replacement = Some(why),
                    // Neither an update nor a replacement a config and a reviewer could allow:
                    // never guessed, never applied automatically.
                    TierMove::Unknown(why) => g.problem(
                        path,
                        Some(e.line),
                        GuardCode::UnknownTier,
                        format!(
                            "entry {}: {why}; not applied automatically, whatever the config and the reviewer allow: apply it by hand after reading the plan, or define the tier in the config",
                            show(&e.name)
                        ),
                    ),
                }
                let allowed = config.allow_replacements && opts.allow_replace;
                if let Some(why) = replacement.as_ref().filter(|_| !allowed) {
                    g.problem(
                        path,
                        Some(e.line),
                        GuardCode::Replacement,
                        format!(
                            "entry {}: Terraform would destroy and recreate the repository, deleting every image in it: {why}; applied automatically only when the config sets `allowReplacements: true` and a reviewer allows it (`--allow-replace`)",
                            show(&e.name)
                        ),
                    );
                }
                changes.push(Change {
                    environment: env.clone(),
                    name: e.name.clone(),
                    kind: match e.kind {
                        Kind::Added => ChangeKind::Added,
                        Kind::Updated if replacement.is_some() => ChangeKind::Replaced,
                        Kind::Updated => ChangeKind::Updated,
                        Kind::Removed => ChangeKind::Removed,
                    },
                    plan_command: plan_in(config, &root, &e.name, destroy),
                    apply_command: apply_in(config, &root, &e.name, destroy),
                    workdir: root.clone(),
                    replacement,
                });
            }
        }
    }

    // Catalog entries no tfvars change goes with: only bookkeeping (status, requester, domain,
    // dates) may change on its own.
    for e in catalog_entries.into_values() {
        match e.kind {
            Kind::Added => g.problem(
                catalog_path,
                Some(e.line),
                GuardCode::MissingCounterpart,
                format!(
                    "entry {} was added to the catalog but not to {}",
                    show(&e.name),
                    show(&config.tfvars_path_for(e.metadata.get(field::ENVIRONMENT).map_or("<environment>", String::as_str)))
                ),
            ),
            Kind::Removed => g.problem(
                catalog_path,
                Some(e.line),
                GuardCode::UnexpectedChange,
                format!(
                    "entry {} was removed from the catalog; catalog entries are kept (a decommission sets `status: decommissioned`)",
                    show(&e.name)
                ),
            ),
            Kind::Updated => {
                let old = e.old_metadata.as_ref();
                let changed: Vec<&str> = TERRAFORM_FIELDS
                    .into_iter()
                    .chain([field::ENVIRONMENT])
                    .filter(|f| old.and_then(|o| o.get(*f)) != e.metadata.get(*f))
                    .collect();
                if !changed.is_empty() {
                    g.problem(
                        catalog_path,
                        Some(e.line),
                        GuardCode::MissingCounterpart,
                        format!(
                            "entry {}: {} changed in the catalog but not in the environment's tfvars",
                            show(&e.name),
                            changed.join(", ")
                        ),
                    );
                }
                // Where a repository is, is where it was created: a region edited in the catalog
                // would describe a repository that is elsewhere.
                let region = |m: Option<&std::collections::BTreeMap<String, String>>| {
                    m.and_then(|m| m.get(field::REGION)).cloned()
                };
                if region(old) != region(Some(&e.metadata)) {
                    g.problem(
                        catalog_path,
                        Some(e.line),
                        GuardCode::UnexpectedChange,
                        format!(
                            "entry {}: its region changed in the catalog; a repository stays in the region it was created in (another region is another repository: decommission this one and request that one)",
                            show(&e.name)
                        ),
                    );
                }
                g.validate(catalog_path, e);
            }
        }
    }

    let too_many = |file: Option<String>, what: String| GuardProblem {
        file: file.unwrap_or_default(),
        line: None,
        code: GuardCode::TooManyChanges,
        message: what,
    };
    if unlisted_changes > 0 {
        g.problems.push(too_many(unlisted_changes_file, format!(
            "{} registry entries change in this pull request; the report lists the first {MAX_LISTED}, and among the {unlisted_changes} not listed {unlisted_removed} remove and {unlisted_replaced} replace a repository (deleting every image in it); more than {MAX_LISTED} at once are not applied automatically: split it",
            MAX_LISTED + unlisted_changes
        )));
    }
    if g.unlisted > 0 {
        let file = g.unlisted_file.take();
        g.problems.push(too_many(
            file,
            format!(
                "{} more problems are not listed (the guard lists the first {MAX_LISTED})",
                g.unlisted
            ),
        ));
    }
    let ok = g.problems.is_empty();
    Ok(ChangesReport {
        changes,
        guard: Guard {
            ok,
            problems: g.problems,
        },
    })
}
