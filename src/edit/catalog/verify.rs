//! The check after adding an entry: the new text, parsed again, must be the old document with
//! `last_updated` set and the entry added last under `repositories`; nothing else may differ.

use serde_yaml::{Mapping, Value};

use super::read::Catalog;
use super::{CatalogEntry, LAST_UPDATED, REPOSITORIES};
use crate::error::{Error, ErrorCode, Result};

/// The rest of the new document is the old one with `last_updated` set (and `repositories` added
/// when it was missing), top-level keys in the same order.
pub(super) fn rest_is_expected(
    old: &Mapping,
    had_repositories: bool,
    new: &Mapping,
    today: &str,
) -> bool {
    let mut expected = old.clone();
    expected.insert(
        Value::String(LAST_UPDATED.into()),
        Value::String(today.into()),
    );
    if !had_repositories {
        expected.insert(Value::String(REPOSITORIES.into()), Value::Null);
    }
    let keys = |m: &Mapping| -> Vec<Value> {
        m.keys()
            .filter(|k| k.as_str() != Some(LAST_UPDATED))
            .cloned()
            .collect()
    };
    *new == expected && keys(new) == keys(&expected)
}

/// The new text must parse to the old document with `last_updated = today` and the entry added
/// last under `repositories`; nothing else may differ, and the top-level keys keep their order.
pub(super) fn verify(
    old: &Catalog,
    reparsed: Result<Catalog>,
    entry: &CatalogEntry,
    today: &str,
) -> Result<()> {
    let fail = |why: String| {
        Err(Error::new(
            ErrorCode::VerificationFailed,
            format!(
                "the edited catalog would not be the old one plus the entry ({why}); nothing was written"
            ),
        ))
    };
    let new = match reparsed {
        Ok(c) => c,
        Err(e) => return fail(format!("it does not parse: {}", e.message)),
    };
    if !new.has_repositories || !rest_is_expected(&old.rest, old.has_repositories, &new.rest, today)
    {
        return fail(
            "the rest of the document differs, or its top-level keys changed order".into(),
        );
    }
    let same_prefix =
        new.repos.len() == old.repos.len() + 1 && new.repos[..old.repos.len()] == old.repos[..];
    let last_ok = new
        .repos
        .last()
        .is_some_and(|(k, v)| k.as_str() == Some(&entry.name) && *v == entry.to_yval());
    if !same_prefix || !last_ok {
        return fail(
            "the entries under `repositories` are not the old ones plus the entry, last".into(),
        );
    }
    Ok(())
}
