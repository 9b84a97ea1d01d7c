//! `sync --promote`: a request becomes `active` in the catalog once its repository exists in its
//! environment's AWS listing; `active` entries whose repository is gone are reported. Each status
//! change is a minimal, verified catalog edit (the day-2 editor's).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::edit::catalog::{FieldValue, OpenCatalog};
use crate::error::Result;

/// What a promotion did.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Promotion {
    /// The environment whose entries were considered.
    pub environment: String,
    /// `pending` entries set to `active` (their repository exists).
    pub promoted: Vec<String>,
    /// `active` entries whose repository is not in the listing.
    pub active_missing: Vec<String>,
}

use crate::registry::{ACTIVE, Status, field};

/// Promote the catalog's `pending` entries of `environment` whose repository is in `present`, the
/// listing of `region`; returns the new catalog text (the old one when nothing changed) and the
/// report. An entry in another region is not this listing's: neither promoted nor reported
/// missing. An entry's region is the one it records, else `root_region` (the environment's
/// Terraform region, which every request of it was checked against) when known. `today` is the
/// date for `last_updated`.
pub fn promote(
    catalog: &str,
    present: &BTreeSet<&str>,
    environment: &str,
    (region, root_region): (&str, Option<&str>),
    today: &str,
) -> Result<(String, bool, Promotion)> {
    let mut report = Promotion {
        environment: environment.to_string(),
        ..Promotion::default()
    };
    crate::limits::check("the catalog", catalog.len(), crate::limits::MAX_FILE_BYTES)?;
    let open = OpenCatalog::read(catalog)?;
    for (name, meta) in open.entries() {
        if meta.environment() != Some(environment)
            || meta
                .get(field::REGION)
                .or(root_region)
                .is_some_and(|r| r != region)
        {
            continue;
        }
        let exists = present.contains(name.as_str());
        match meta.status() {
            Some(Status::Pending) if exists => report.promoted.push(name),
            Some(Status::Active) if !exists => report.active_missing.push(name),
            _ => {}
        }
    }
    // One edit for every promotion: the catalog is read and verified once, not once per entry.
    let active = [FieldValue::text(field::STATUS, ACTIVE)];
    let edits: Vec<(&str, &[FieldValue])> = report
        .promoted
        .iter()
        .map(|n| (n.as_str(), &active[..]))
        .collect();
    if edits.is_empty() {
        return Ok((catalog.to_string(), false, report));
    }
    let edited = open.set_fields(&edits, today)?;
    Ok((edited.text, edited.changed, report))
}
