//! The format-preserving editors of the two files a request changes: the governance catalog (YAML)
//! and `envs/<env>/terraform.tfvars` (HCL).
//!
//! Every edit is a set of span patches over the original text ([`text::Patch`]), so every byte
//! outside them is copied as it was; the result is parsed again and must equal the old document
//! plus the entry, or the edit is refused. Each editor reads the bulk of its file with a strict
//! subset reader of its own (`catalog/yaml_subset.rs`, `tfvars/hcl_subset.rs`) and everything else
//! with the reference parser; the readers are private to this folder.

use serde::{Deserialize, Serialize};

pub(crate) mod catalog;
pub(crate) mod diff;
mod lex;
pub(crate) mod text;
pub(crate) mod tfvars;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;

/// One file after the scaffold.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    /// Path inside the platform repository.
    pub path: String,
    /// The new text (the old text when unchanged).
    pub text: String,
    /// Whether `text` differs from what was passed in.
    pub changed: bool,
    /// Whether the file did not exist before.
    pub created: bool,
}

/// The result of one editor: the new text, and whether it differs from the old one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The new text (the old text when unchanged).
    pub text: String,
    /// Whether `text` differs from the old text.
    pub changed: bool,
}
