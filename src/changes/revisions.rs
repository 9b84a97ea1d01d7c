//! The input of `changes`: the files at two revisions, the paths the diff touches, and what git
//! records about them (modes, renames, the tree and the checkout attributes at head).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The two revisions to compare: each maps a path (inside the platform repository) to its text;
/// a path that is missing does not exist at that revision. `changedPaths` is every path the diff
/// between them touches (`git diff --name-only`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Revisions {
    /// The files at the base revision.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub base: BTreeMap<String, String>,
    /// The files at the head revision.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub head: BTreeMap<String, String>,
    /// Every path the diff touches.
    pub changed_paths: Vec<String>,
    /// What git records for each path the diff touches, with renames detected (`git diff --raw
    /// -M`): modes and object ids at both sides. Optional; the CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub git_changes: Vec<PathChange>,
    /// The tree entries at head of each governed path, of every directory above it, and of every
    /// entry in a governed tfvars file's directory (`git ls-tree`), so the guard knows what a
    /// checkout writes there and which other files Terraform loads variables from. Optional; the
    /// CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub head_tree: Vec<TreeEntry>,
    /// The checkout attributes ([`Revisions::CHECKOUT_ATTRIBUTES`]) of each governed path at head
    /// (`git check-attr --source`). Optional; the CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub head_attributes: Vec<PathAttribute>,
}

impl Revisions {
    /// The attributes that make a checkout write something other than the blob (a filter such as
    /// LFS, line-ending conversion — `text`, and `crlf`, git's older name for it, which git still
    /// obeys —, `$Id$` expansion, re-encoding): any value but `unspecified` or `unset` on a
    /// governed path is refused.
    pub const CHECKOUT_ATTRIBUTES: [&'static str; 6] = [
        "filter",
        "eol",
        "text",
        "crlf",
        "ident",
        "working-tree-encoding",
    ];
    /// The config file, governed whatever the config says: a pull request never changes it.
    pub const CONFIG_PATH: &'static str = "registrar.yaml";
}

/// What git records for one path the diff touches (one line of `git diff --raw`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathChange {
    /// The path at head (a rename's or copy's new path).
    pub path: String,
    /// A rename's or copy's old path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub from: Option<String>,
    /// The git mode at base: `100644` a regular file, `100755` executable, `120000` a symlink,
    /// `160000` a submodule, `000000` absent.
    pub base_mode: String,
    /// The git mode at head.
    pub head_mode: String,
    /// The object id at base (all zeros: absent).
    pub base_id: String,
    /// The object id at head.
    pub head_id: String,
}

/// One entry of the tree at head (`git ls-tree`): a path and its git mode (`040000` a directory).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreeEntry {
    /// The path.
    pub path: String,
    /// Its git mode.
    pub mode: String,
}

/// One attribute set on a path (`git check-attr`): `set`, `unset` or a value.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathAttribute {
    /// The path.
    pub path: String,
    /// The attribute.
    pub name: String,
    /// Its value.
    pub value: String,
}
