//! The format-preserving editors of the two files a request changes: the governance catalog (YAML)
//! and `envs/<env>/terraform.tfvars` (HCL).
//!
//! Every edit is a set of span patches over the original text ([`text::Patch`]), so every byte
//! outside them is copied as it was; the result is parsed again and must equal the old document
//! plus the entry, or the edit is refused. Each editor reads the bulk of its file with a strict
//! subset reader of its own (`catalog/yaml_subset.rs`, `tfvars/hcl_subset.rs`) and everything else
//! with the reference parser; the readers are private to this folder.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

pub(crate) mod catalog;
pub(crate) mod compare;
pub(crate) mod diff;
mod lex;
pub(crate) mod text;
pub(crate) mod tfvars;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;

/// The current contents of the two files a request edits; `None` when a file does not exist
/// yet. Where they are comes from the config: [`crate::Validator::paths`].
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Files {
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    /// The catalog's text.
    pub catalog: Option<String>,
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null", optional))]
    /// The environment's tfvars text.
    pub tfvars: Option<String>,
}

/// One file after a request.
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

/// The refusal of a file whose reference path would read more than `max` nodes (the bound that
/// keeps the editors within their time); `what` says what the file holds, in the file's terms.
pub(crate) fn within_node_budget(
    nodes: usize,
    max: usize,
    what: impl FnOnce() -> String,
) -> Result<usize> {
    if nodes <= max {
        return Ok(nodes);
    }
    Err(Error::new(
        ErrorCode::Unsupported,
        format!(
            "{}; the full parser reads at most {max} within the editor's time bound, so the file is refused and nothing is written",
            what()
        ),
    ))
}

/// The byte-order mark some editors put at the start of a UTF-8 file.
pub(crate) const BOM: char = '\u{feff}';

/// The frame both editors run in. A leading byte-order mark is stepped over and kept (the
/// reference readers accept it); the old text must pass the format's `check` before `edit` sees
/// it, and the new text must pass it too, so that an editor never writes a file that the next run
/// would refuse. `what` names the file kind in the internal error.
pub(crate) fn guarded(
    old: Option<&str>,
    what: &str,
    check: fn(&str) -> Result<()>,
    edit: impl FnOnce(Option<&str>) -> Result<Edited>,
) -> Result<Edited> {
    let (body, bom) = match old {
        Some(text) => {
            let (body, bom, ()) = guard_old(text, what, check)?;
            (Some(body), bom)
        }
        None => (None, false),
    };
    guard_new(edit(body)?, what, check, bom)
}

/// The first half of [`guarded`]: the old text within the size limit, its byte-order mark
/// stepped over (the body and whether there was one), and what `check` says of the body.
pub(crate) fn guard_old<'a, T>(
    text: &'a str,
    what: &str,
    check: impl FnOnce(&str) -> Result<T>,
) -> Result<(&'a str, bool, T)> {
    crate::limits::check(
        &format!("the {what}"),
        text.len(),
        crate::limits::MAX_FILE_BYTES,
    )?;
    let (body, bom) = match text.strip_prefix(BOM) {
        Some(body) => (body, true),
        None => (text, false),
    };
    let checked = check(body)?;
    Ok((body, bom, checked))
}

/// The second half of [`guarded`]: the new text must pass `check` too, and gets the old text's
/// byte-order mark back.
pub(crate) fn guard_new(
    mut edited: Edited,
    what: &str,
    check: fn(&str) -> Result<()>,
    bom: bool,
) -> Result<Edited> {
    check(&edited.text).map_err(|e| {
        Error::new(
            ErrorCode::VerificationFailed,
            format!(
                "internal: the edited {what} would not pass the checks it was read with ({}); nothing was written",
                e.message
            ),
        )
    })?;
    if bom {
        edited.text.insert(0, BOM);
    }
    Ok(edited)
}
