//! Format-preserving edit of the governance catalog (`ecr-catalog.yaml`).
//!
//! The edit is a set of span patches over the original text: the new entry's lines are inserted at
//! the end of the `repositories` block, and the `last_updated` value is replaced. Every other byte
//! stays. The result is then parsed again and must equal the old document plus the entry (and the
//! new date), with the entry last; otherwise the edit is refused.
//!
//! Where each part is:
//! - `read.rs`: reading a catalog (the fast path and the reference parser, the node budget, the
//!   one-meaning checks) for the editors, `sync` (`read_catalog`) and `changes` (`read_document`);
//! - `layout.rs`: where things stand in the text (top-level keys, blocks, inline values) and the
//!   in-place patches that keep its style (`last_updated`, a final block scalar);
//! - `add.rs`: adding an entry (`add_entry`): where its lines go, and the lockstep fast path;
//! - `verify.rs`: the check of the edited text against the old one;
//! - `day2.rs`: fields of an existing entry set in place (`set_fields`, `OpenCatalog`);
//! - `preflight.rs` and `yaml_subset.rs`: the linear scan before any parser, and the strict reader
//!   of the entries.

use std::borrow::Cow;

use crate::quote::{yaml_double_quoted, yaml_scalar};

mod add;
mod day2;
mod layout;
mod preflight;
mod read;
mod verify;
pub(in crate::edit) mod yaml_subset;

use yaml_subset::YVal;

pub use add::add_entry;
pub use day2::{FieldValue, OpenCatalog, set_fields};
pub use read::read_catalog;
pub(crate) use read::read_document;

/// The catalog entry of one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The repository name: the key under `repositories`.
    pub name: String,
    /// The governance id (`REGISTRY_…`).
    pub id: String,
    /// The owning team.
    pub owner: String,
    /// Who asked for it, when given.
    pub requested_by: Option<String>,
    /// The domain, when given.
    pub domain: Option<String>,
    /// What the repository is for, when given.
    pub description: Option<String>,
    /// The AWS region, when known.
    pub region: Option<String>,
    /// The region is the config's default, not the request's: an existing entry recorded without
    /// a region is then the same request, not a conflict.
    pub region_defaulted: bool,
    /// The risk tier.
    pub risk: String,
    /// The environment.
    pub environment: String,
    /// The creation date, `YYYY-MM-DD`.
    pub created_date: String,
    /// The request's status (`pending` for a new request by default).
    pub status: String,
}

use crate::registry::field;

const REPOSITORIES: &str = "repositories";
const LAST_UPDATED: &str = "last_updated";

impl CatalogEntry {
    /// The fields that identify a request, compared when the name already exists.
    fn identity(&self) -> [(&'static str, Option<&str>); 8] {
        [
            (field::ID, Some(self.id.as_str())),
            (field::OWNER, Some(self.owner.as_str())),
            (field::REQUESTED_BY, self.requested_by.as_deref()),
            (field::DOMAIN, self.domain.as_deref()),
            (field::DESCRIPTION, self.description.as_deref()),
            (field::RISK, Some(self.risk.as_str())),
            (field::ENVIRONMENT, Some(self.environment.as_str())),
            (field::REGION, self.region.as_deref()),
        ]
    }

    /// The metadata fields in the platform's order, as (key, value); fields not given are left out.
    fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut f: Vec<(&'static str, &str)> = self
            .identity()
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        f.push((field::CREATED_DATE, &self.created_date));
        f.push((field::STATUS, &self.status));
        f
    }

    /// The metadata fields as (key, rendered scalar); the date double-quoted, as the platform's.
    fn rendered_fields(&self) -> Vec<(&'static str, String)> {
        self.fields()
            .into_iter()
            .map(|(k, v)| {
                let scalar = if k == field::CREATED_DATE {
                    yaml_double_quoted(v)
                } else {
                    yaml_scalar(v)
                };
                (k, scalar)
            })
            .collect()
    }

    /// The entry as the value it must parse back to.
    fn to_yval(&self) -> YVal<'_> {
        let meta = self
            .fields()
            .into_iter()
            .map(|(k, v)| (YVal::Str(Cow::Borrowed(k)), YVal::Str(Cow::Borrowed(v))))
            .collect();
        YVal::Map(vec![(
            YVal::Str(Cow::Borrowed(field::METADATA)),
            YVal::Map(meta),
        )])
    }

    fn render(&self, indent: usize, step: usize) -> Vec<String> {
        let pad = |n: usize| " ".repeat(n);
        let mut out = vec![
            format!("{}{}:", pad(indent), yaml_scalar(&self.name)),
            format!("{}metadata:", pad(indent + step)),
        ];
        for (k, v) in self.rendered_fields() {
            out.push(format!("{}{k}: {v}", pad(indent + 2 * step)));
        }
        out
    }
}

/// What the governance catalog says about a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogInfo {
    /// `metadata.id`.
    pub id: Option<String>,
    /// `metadata.owner`.
    pub owner: Option<String>,
    /// `metadata.environment`.
    pub environment: Option<String>,
    /// `metadata.risk`.
    pub risk: Option<String>,
    /// `metadata.description`.
    pub description: Option<String>,
    /// `metadata.region`: where the repository was requested; a listing of another region does
    /// not hold it.
    pub region: Option<String>,
}

/// The reference parser (serde_yaml) reads a few hundred thousand nodes a second, and an edit
/// reads the part outside the fast reader's subset twice (old and new) and compares it: more
/// nodes than this in that part could not be answered within 100 ms (BENCHMARKS.md, worst
/// inputs), so the file is refused before parsing. Entries in the fast reader's layout do not count.
pub const MAX_REFERENCE_NODES: usize = 30_000;
