//! Format-preserving edit of `envs/<env>/terraform.tfvars`.
//!
//! The file is parsed with `hcl-edit`, which keeps byte spans. The new repository's lines are
//! inserted just before the closing brace of the `ecr_repositories` object, formatted as
//! `terraform fmt` would (two spaces a level, `=` aligned); nothing else changes. The result is parsed
//! again and, with decoration stripped (`hcl-rs`), must equal the old body plus the entry.
//!
//! Where each part is:
//! - `read.rs`: reading a tfvars file (hcl-edit, or the strict subset reader for the map's items;
//!   the node budget; one key each) for the editors and `changes` (`read_document`);
//! - `layout.rs`: where the map stands (`Site`), the indentation of a line, and the `=` alignment
//!   `terraform fmt` wants once a one-line map is opened;
//! - `add.rs`: adding an entry (`add_entry`): its lines before the closing brace, and the fast path;
//! - `verify.rs`: the check of the edited file against the old one;
//! - `day2.rs`: an existing entry's `metadata` set, or the entry removed;
//! - `preflight.rs` and `hcl_subset.rs`: the linear scan before hcl-edit, and the strict reader of
//!   the map's items.

use std::borrow::Cow;

use crate::error::Result;
use crate::quote::hcl_string;
use crate::registry::field;

mod add;
mod day2;
pub(in crate::edit) mod hcl_subset;
mod layout;
mod preflight;
mod read;
mod verify;

use hcl_subset::{HKey, HVal};

pub use add::add_entry;
pub use day2::{remove_entry, set_metadata};
pub(crate) use read::read_document;
pub(crate) use verify::is_rendered;

/// The tfvars entry of one repository: `"<name>" = { metadata = { id, owner, risk } }`, with
/// `description` after `risk` when the request gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfvarsEntry {
    /// The repository name: the key in the map.
    pub name: String,
    /// The governance id (`REGISTRY_…`).
    pub id: String,
    /// The owning team.
    pub owner: String,
    /// The risk tier.
    pub risk: String,
    /// What the repository is for, when given.
    pub description: Option<String>,
}

impl TfvarsEntry {
    fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut f = vec![
            (field::ID, self.id.as_str()),
            (field::OWNER, self.owner.as_str()),
            (field::RISK, self.risk.as_str()),
        ];
        if let Some(d) = &self.description {
            f.push((field::DESCRIPTION, d));
        }
        f
    }

    /// The entry's lines at `indent`, `step` spaces a level, without line terminators.
    fn render(&self, indent: usize, step: usize) -> Vec<String> {
        let pad = |n: usize| " ".repeat(n);
        let width = self
            .fields()
            .iter()
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(0);
        let mut out = vec![
            format!("{}{} = {{", pad(indent), hcl_string(&self.name)),
            format!("{}metadata = {{", pad(indent + step)),
        ];
        for (k, v) in self.fields() {
            out.push(format!(
                "{}{k:<width$} = {}",
                pad(indent + 2 * step),
                hcl_string(v)
            ));
        }
        out.push(format!("{}}}", pad(indent + step)));
        out.push(format!("{}}}", pad(indent)));
        out
    }

    /// The entry as the value it must parse back to.
    fn to_hval(&self) -> HVal<'_> {
        let meta = self
            .fields()
            .into_iter()
            .map(|(k, v)| (HKey::Ident(Cow::Borrowed(k)), HVal::Str(Cow::Borrowed(v))))
            .collect();
        HVal::Obj(vec![(
            HKey::Ident(Cow::Borrowed(field::METADATA)),
            HVal::Obj(meta),
        )])
    }
}

/// The region a tfvars file's Terraform root creates its repositories in: its top-level
/// `aws_region`, when that is a literal string (anything else, or none, is not known here).
pub fn root_region(text: &str, variable: &str) -> Result<Option<String>> {
    let doc = read_document(text, variable)?;
    Ok(doc
        .top
        .iter()
        .find(|(key, _, _)| key == "aws_region")
        .and_then(|(_, _, value)| {
            // The decoration-free rendering of a literal string is `String("…")`; what is read
            // back must render to exactly that, so no escape is read another way than hcl-rs's.
            let inner = value.strip_prefix("String(")?.strip_suffix(')')?;
            let literal = serde_json::from_str::<String>(inner).ok()?;
            (format!("{:?}", hcl::Expression::String(literal.clone())) == *value).then_some(literal)
        }))
}

/// hcl-edit reads tens of thousands of nodes in a few tens of milliseconds, and the reference
/// path reads the old and the new file in full: more nodes than this outside the map's literal
/// entries could not be answered within 100 ms (BENCHMARKS.md, worst inputs), so the file is
/// refused before parsing. Entries in the fast reader's layout do not count.
pub const MAX_REFERENCE_NODES: usize = 12_000;
