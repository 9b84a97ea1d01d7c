//! Day-2 edits of one entry of the map: `metadata` values set in place (an update), or the
//! entry's lines removed (a decommission). Same guarantees as adding one: the smallest patch, the
//! result read again and compared with the old file changed exactly so, and the same request
//! again changes nothing.

use std::borrow::Cow;

use hcl_edit::Span;
use hcl_edit::expr::Expression as EExpr;

use super::hcl_subset::{HKey, HVal};
use super::{hkey, load, preflight};
use crate::edit::text::{self, Patch};
use crate::edit::{Edited, guarded};
use crate::error::{Error, ErrorCode, Result};
use crate::quote::{hcl_string, show};

fn check(text: &str) -> Result<()> {
    preflight::check(text)?;
    super::final_heredoc_is_terminated(text)
}

fn not_found(name: &str, variable: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("`{variable}` has no entry {}", show(name)),
    )
}

fn verification_failed(name: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::VerificationFailed,
        format!(
            "the edited tfvars file would not be the old one with entry {} changed ({why}); nothing was written",
            show(name)
        ),
    )
}

/// The map's items after an edit must be `want` (name and value, in order), and the rest of the
/// file as it was.
fn verify(
    old: &super::Loaded,
    new: &str,
    variable: &str,
    name: &str,
    want: &[(String, HVal)],
) -> Result<()> {
    let reread = load(new, variable).map_err(|e| verification_failed(name, &e.message))?;
    if reread.rest != old.rest {
        return Err(verification_failed(name, "the rest of the file differs"));
    }
    let items = reread.map.map(|(_, _, items)| items).unwrap_or_default();
    let same = items.len() == want.len()
        && items
            .iter()
            .zip(want)
            .all(|(it, (k, v))| it.key.name() == k && it.value == *v);
    if !same {
        return Err(verification_failed(
            name,
            "the other entries or this one differ",
        ));
    }
    Ok(())
}

/// Set `metadata` fields (`id`, `owner`, `risk`) of the entry `name` in place.
pub fn set_metadata(
    old: &str,
    name: &str,
    fields: &[(&str, &str)],
    variable: &str,
) -> Result<Edited> {
    guarded(Some(old), "tfvars", check, |old| {
        let text = old.unwrap_or_default();
        let loaded = load(text, variable)?;
        let items = match &loaded.map {
            Some((_, _, items)) => items,
            None => return Err(not_found(name, variable)),
        };
        let pos = items
            .iter()
            .position(|it| it.key.name() == name)
            .ok_or_else(|| not_found(name, variable))?;
        // The value it must read as afterwards.
        let mut want_value = items[pos].value.clone();
        let HVal::Obj(top) = &mut want_value else {
            return Err(unsupported(name, "its value is not an object"));
        };
        let Some((_, HVal::Obj(meta))) = top.iter_mut().find(|(k, _)| k.name() == "metadata")
        else {
            return Err(unsupported(name, "it has no `metadata = { ... }`"));
        };
        for (f, v) in fields {
            match meta.iter_mut().find(|(k, _)| k.name() == *f) {
                Some((_, old)) => *old = HVal::Str(Cow::Owned((*v).to_string())),
                None => meta.push((
                    HKey::Ident(Cow::Owned((*f).to_string())),
                    HVal::Str(Cow::Owned((*v).to_string())),
                )),
            }
        }
        if want_value == items[pos].value {
            return Ok(Edited {
                text: text.to_string(),
                changed: false,
            });
        }
        // The value spans, from hcl-edit's tree.
        let meta_expr = entry_expr(&loaded.body, variable, name)
            .and_then(|e| object_field(e, "metadata"))
            .ok_or_else(|| unsupported(name, "its metadata is not an object literal"))?;
        let mut patches = Vec::new();
        for (f, v) in fields {
            let Some(expr) = object_field(meta_expr, f) else {
                return Err(unsupported(
                    name,
                    &format!(
                        "its metadata has no `{f}` to change (the tool writes id, owner and risk)"
                    ),
                ));
            };
            let current = match expr {
                EExpr::String(s) => Some(s.as_str()),
                _ => None,
            };
            if current == Some(*v) {
                continue;
            }
            let span = expr
                .span()
                .ok_or_else(|| verification_failed(name, "a value has no position"))?;
            patches.push(Patch {
                range: span,
                with: hcl_string(v),
            });
        }
        let new = text::apply_patches(text, patches)
            .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))?;
        let want: Vec<(String, HVal)> = items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let v = if i == pos {
                    want_value.clone()
                } else {
                    it.value.clone()
                };
                (it.key.name().to_string(), v)
            })
            .collect();
        verify(&loaded, &new, variable, name, &want)?;
        Ok(Edited {
            text: new,
            changed: true,
        })
    })
}

/// Remove the entry `name`: the lines from its key to the end of its value, nothing else.
/// Unchanged when it is not there (a second decommission).
pub fn remove_entry(old: &str, name: &str, variable: &str) -> Result<Edited> {
    guarded(Some(old), "tfvars", check, |old| {
        let text = old.unwrap_or_default();
        let loaded = load(text, variable)?;
        let Some((_, _, items)) = &loaded.map else {
            return Ok(Edited {
                text: text.to_string(),
                changed: false,
            });
        };
        let Some(pos) = items.iter().position(|it| it.key.name() == name) else {
            return Ok(Edited {
                text: text.to_string(),
                changed: false,
            });
        };
        let (key_span, value_end) = entry_span(&loaded.body, variable, name)
            .ok_or_else(|| verification_failed(name, "the entry has no position"))?;
        // Whole lines only: nothing else may share the first or the last line.
        let line_start = text[..key_span].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[value_end..]
            .find('\n')
            .map_or(text.len(), |i| value_end + i + 1);
        let before = &text[line_start..key_span];
        let after = text[value_end..line_end].trim_end_matches(['\n', '\r']);
        let after = after.trim_start_matches([' ', '\t']);
        let after_ok =
            after.is_empty() || after == "," || after.starts_with('#') || after.starts_with("//");
        if !before.trim_matches([' ', '\t']).is_empty() || !after_ok {
            return Err(unsupported(
                name,
                "it shares a line with other content (a one-line map); remove it by hand",
            ));
        }
        let new = text::apply_patches(
            text,
            vec![Patch {
                range: line_start..line_end,
                with: String::new(),
            }],
        )
        .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))?;
        let want: Vec<(String, HVal)> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != pos)
            .map(|(_, it)| (it.key.name().to_string(), it.value.clone()))
            .collect();
        verify(&loaded, &new, variable, name, &want)?;
        Ok(Edited {
            text: new,
            changed: true,
        })
    })
}

fn unsupported(name: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::Unsupported,
        format!("entry {}: {why}", show(name)),
    )
}

/// The map attribute's object.
fn map_object<'b>(
    body: &'b hcl_edit::structure::Body,
    variable: &str,
) -> Option<&'b hcl_edit::expr::Object> {
    match &body.get_attribute(variable)?.value {
        EExpr::Object(o) => Some(o),
        _ => None,
    }
}

/// The value expression of the entry `name`.
fn entry_expr<'b>(
    body: &'b hcl_edit::structure::Body,
    variable: &str,
    name: &str,
) -> Option<&'b EExpr> {
    map_object(body, variable)?
        .iter()
        .find(|(k, _)| hkey(k).name() == name)
        .map(|(_, v)| v.expr())
}

/// Where the entry's key starts and its value ends.
fn entry_span(
    body: &hcl_edit::structure::Body,
    variable: &str,
    name: &str,
) -> Option<(usize, usize)> {
    let (k, v) = map_object(body, variable)?
        .iter()
        .find(|(k, _)| hkey(k).name() == name)?;
    Some((k.span()?.start, v.expr().span()?.end))
}

/// A field of an object literal.
fn object_field<'b>(expr: &'b EExpr, field: &str) -> Option<&'b EExpr> {
    match expr {
        EExpr::Object(o) => o
            .iter()
            .find(|(k, _)| hkey(k).name() == field)
            .map(|(_, v)| v.expr()),
        _ => None,
    }
}
