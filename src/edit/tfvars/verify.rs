//! The check after an edit: with decoration stripped, the new file must be the old one with the
//! entry appended to the map; and whether a read entry is exactly what the editor writes.

use super::TfvarsEntry;
use super::hcl_subset::{HKey, HVal};
use super::read::{Loaded, load};
use crate::error::{Error, ErrorCode, Result};

/// Whether a read entry's value is exactly what the editor writes for `entry`.
pub(crate) fn is_rendered(entry: &TfvarsEntry, value: &HVal) -> bool {
    *value == entry.to_hval()
}

/// With decoration stripped, the new file must be the old one with the entry appended to the map
/// (the map created empty first when it was missing).
pub(super) fn verify(
    old: &Loaded,
    new_text: &str,
    entry: &TfvarsEntry,
    variable: &str,
) -> Result<()> {
    let fail = |why: String| {
        Err(Error::new(
            ErrorCode::VerificationFailed,
            format!(
                "the edited tfvars would not be the old file plus the entry ({why}); nothing was written"
            ),
        ))
    };
    let new = match load(new_text, variable) {
        Ok(l) => l,
        Err(e) => return fail(format!("it does not parse: {}", e.message)),
    };
    let mut expected_rest = old.rest.clone();
    if old.map.is_none() {
        expected_rest
            .0
            .push(hcl::Structure::Attribute(hcl::Attribute::new(
                hcl::Identifier::unchecked(variable),
                hcl::Expression::Object(hcl::Object::new()),
            )));
    }
    if new.rest != expected_rest {
        return fail("the rest of the file differs".into());
    }
    let old_items = old.map.as_ref().map_or(&[][..], |m| &m.2[..]);
    let Some((_, _, new_items)) = &new.map else {
        return fail("the map is missing".into());
    };
    let same_prefix = new_items.len() == old_items.len() + 1
        && old_items
            .iter()
            .zip(new_items)
            .all(|(a, b)| a.key == b.key && a.value == b.value);
    let last_ok = new_items.last().is_some_and(|l| {
        matches!(&l.key, HKey::Str(k) if *k == entry.name) && l.value == entry.to_hval()
    });
    if !same_prefix || !last_ok {
        return fail("the map's items are not the old items plus the entry".into());
    }
    Ok(())
}
