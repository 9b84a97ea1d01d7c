//! Day-2 edits of one entry of the map: `metadata` values set in place (an update), or the
//! entry's lines removed (a decommission). Same guarantees as adding one: the smallest patch, the
//! result read again and compared with the old file changed exactly so, and the same request
//! again changes nothing.

use std::borrow::Cow;

use hcl_edit::Span;
use hcl_edit::expr::Expression as EExpr;

use super::hcl_subset::{HKey, HVal};
use super::preflight;
use super::read::{hkey, load};
use crate::edit::text::{self, Patch};
use crate::edit::{Edited, guarded};
use crate::error::{Error, ErrorCode, Result};
use crate::quote::{hcl_string, show};

fn check(text: &str) -> Result<()> {
    preflight::check(text)?;
    super::read::final_heredoc_is_terminated(text)
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
    old: &super::read::Loaded,
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

/// The entry's value after setting `fields` in its `metadata`.
fn with_fields(value: &HVal<'_>, name: &str, fields: &[(&str, &str)]) -> Result<HVal<'static>> {
    let mut want_value = super::read::owned(value.clone());
    let HVal::Obj(top) = &mut want_value else {
        return Err(unsupported(name, "its value is not an object"));
    };
    let Some((_, HVal::Obj(meta))) = top.iter_mut().find(|(k, _)| k.name() == "metadata") else {
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
    Ok(want_value)
}

/// The patches that set `fields` in the entry's `metadata` object (`meta_expr`), whose spans are
/// moved into the file by `orig`.
fn metadata_patches(
    meta_expr: &EExpr,
    name: &str,
    fields: &[(&str, &str)],
    orig: impl Fn(usize) -> usize,
) -> Result<Vec<Patch>> {
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
            range: orig(span.start)..orig(span.end),
            with: hcl_string(v),
        });
    }
    Ok(patches)
}

/// The map read by the linear reader (the items) and hcl-edit on the rest of the file: the fast
/// path of the day-2 edits. hcl-edit compares every key of an object with all earlier ones, so
/// reading a 9,000-entry map with it took seconds; here only the one entry is given to hcl-edit.
/// `None`: the file is outside the linear reader's subset, and the full parse decides.
struct Fast<'a> {
    /// The map's items, borrowed from the text.
    items: Vec<super::hcl_subset::HItem<'a>>,
    /// The map's braces.
    open: usize,
    close: usize,
}

impl Fast<'_> {
    fn position(&self, name: &str) -> Option<usize> {
        self.items.iter().position(|it| it.key.name() == name)
    }
}

/// Where the map's braces are, when the text around the map is in the linear reader's subset.
fn map_braces(text: &str, variable: &str) -> Option<(usize, usize)> {
    let open = super::hcl_subset::hcl_find_attr(text, variable)?;
    let (close, _) = super::hcl_subset::hcl_close(text, open)?;
    super::read::skeleton(text, variable, open, close)?;
    Some((open, close))
}

fn read_fast<'a>(text: &'a str, variable: &str) -> Option<Fast<'a>> {
    let (open, close) = map_braces(text, variable)?;
    let mut reader = super::hcl_subset::HclItems::new(text, open)?;
    let items = reader.by_ref().collect::<Option<Vec<_>>>()?;
    (reader.close() == Some(close)).then_some(Fast { items, open, close })
}

/// The map of the one-entry document [`entry_alone`] parses.
const ALONE: &str = "x";
const ALONE_HEAD: &str = "x = {\n";

/// The entry at `pos` parsed alone (from its key to the next key or the map's end) as the map
/// [`ALONE`], and the offset from that document's positions to the file's. `None` also when the
/// entry is over the full parser's node budget (one entry can hold an object of thousands of
/// keys): the caller's full path refuses the file then.
fn entry_alone(text: &str, f: &Fast, pos: usize) -> Option<(hcl_edit::structure::Body, usize)> {
    let start = f.items.get(pos)?.key_start;
    let end = f.items.get(pos + 1).map_or(f.close, |it| it.key_start);
    let doc = format!("{ALONE_HEAD}{}\n}}\n", text.get(start..end)?);
    if !super::preflight::scan(&doc).is_ok_and(|n| n <= super::MAX_REFERENCE_NODES) {
        return None;
    }
    let body = hcl_edit::parser::parse_body(&doc).ok()?;
    (map_object(&body, ALONE)?.len() == 1).then_some((body, start))
}

/// A position in [`entry_alone`]'s document, in the file (its positions are past the head).
fn from_alone(at: usize, start: usize) -> usize {
    at + start - ALONE_HEAD.len()
}

/// What an edit did to the map's items.
enum Change<'w> {
    /// The item at this position now has this value.
    Set(usize, &'w HVal<'w>),
    /// The item at this position is gone.
    Removed(usize),
}

/// The fast path's verification: the edited file read by the same linear reader must hold the
/// old items changed exactly by `change`, with every byte outside the map as it was; the new
/// items are compared one at a time as they are read. `None`: the reader does not apply to the
/// result, and the caller verifies with the full parse.
fn verify_fast(
    old: &str,
    f: &Fast,
    new: &str,
    variable: &str,
    name: &str,
    change: Change,
) -> Option<Result<()>> {
    let (open, close) = map_braces(new, variable)?;
    // The old keys are unique and each new key must equal its old one: no duplicate-key set.
    let mut reader = super::hcl_subset::HclItems::mirroring(new, open)?;
    let mut same = true;
    for (i, it) in f.items.iter().enumerate() {
        let want = match change {
            Change::Removed(pos) if pos == i => continue,
            Change::Set(pos, v) if pos == i => v,
            _ => &it.value,
        };
        match reader.next() {
            Some(Some(got)) => same &= got.key.name() == it.key.name() && got.value == *want,
            Some(None) => return None,
            None => {
                same = false;
                break;
            }
        }
    }
    for extra in reader.by_ref() {
        extra?;
        same = false;
    }
    if reader.close() != Some(close) {
        return None;
    }
    if new.get(..=open) != old.get(..=f.open) || new.get(close..) != old.get(f.close..) {
        return Some(Err(verification_failed(
            name,
            "the rest of the file differs",
        )));
    }
    if !same {
        return Some(Err(verification_failed(
            name,
            "the other entries or this one differ",
        )));
    }
    Some(Ok(()))
}

fn unchanged(text: &str) -> Edited {
    Edited {
        text: text.to_string(),
        changed: false,
    }
}

/// [`set_metadata`] on the fast path; `None`: take the full parse.
fn set_metadata_fast(
    text: &str,
    name: &str,
    fields: &[(&str, &str)],
    variable: &str,
) -> Option<Result<Edited>> {
    let f = read_fast(text, variable)?;
    let Some(pos) = f.position(name) else {
        return Some(Err(not_found(name, variable)));
    };
    let want_value = match with_fields(&f.items[pos].value, name, fields) {
        Ok(v) => v,
        Err(e) => return Some(Err(e)),
    };
    if want_value == f.items[pos].value {
        return Some(Ok(unchanged(text)));
    }
    let (body, start) = entry_alone(text, &f, pos)?;
    let meta_expr = entry_expr(&body, ALONE, name).and_then(|e| object_field(e, "metadata"))?;
    let result = (|| {
        let patches = metadata_patches(meta_expr, name, fields, |at| from_alone(at, start))?;
        text::apply_patches(text, patches).map_err(|m| Error::new(ErrorCode::VerificationFailed, m))
    })();
    let new = match result {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    match verify_fast(
        text,
        &f,
        &new,
        variable,
        name,
        Change::Set(pos, &want_value),
    )? {
        Ok(()) => Some(Ok(Edited {
            text: new,
            changed: true,
        })),
        Err(e) => Some(Err(e)),
    }
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
        if let Some(done) = set_metadata_fast(text, name, fields, variable) {
            return done;
        }
        // The full parser, within the node budget that bounds its time (as for adding an entry).
        super::read::within_budget(text, "has")?;
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
        let want_value = with_fields(&items[pos].value, name, fields)?;
        if want_value == items[pos].value {
            return Ok(unchanged(text));
        }
        // The value spans, from hcl-edit's tree.
        let meta_expr = entry_expr(&loaded.body, variable, name)
            .and_then(|e| object_field(e, "metadata"))
            .ok_or_else(|| unsupported(name, "its metadata is not an object literal"))?;
        let patches = metadata_patches(meta_expr, name, fields, |at| at)?;
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

/// The entry's whole lines, from its key's line to its value's last line (`key..value_end`):
/// nothing else may share the first or the last line.
fn whole_lines(
    text: &str,
    name: &str,
    key: usize,
    value_end: usize,
) -> Result<std::ops::Range<usize>> {
    let line_start = text[..key].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[value_end..]
        .find('\n')
        .map_or(text.len(), |i| value_end + i + 1);
    let before = &text[line_start..key];
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
    Ok(line_start..line_end)
}

fn remove_lines(text: &str, lines: std::ops::Range<usize>) -> Result<String> {
    text::apply_patches(
        text,
        vec![Patch {
            range: lines,
            with: String::new(),
        }],
    )
    .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))
}

/// [`remove_entry`] on the fast path; `None`: take the full parse.
fn remove_entry_fast(text: &str, name: &str, variable: &str) -> Option<Result<Edited>> {
    let f = read_fast(text, variable)?;
    let Some(pos) = f.position(name) else {
        return Some(Ok(unchanged(text)));
    };
    let (body, start) = entry_alone(text, &f, pos)?;
    let (key, value_end) = entry_span(&body, ALONE, name)?;
    let result = whole_lines(
        text,
        name,
        from_alone(key, start),
        from_alone(value_end, start),
    )
    .and_then(|lines| remove_lines(text, lines));
    let new = match result {
        Ok(new) => new,
        Err(e) => return Some(Err(e)),
    };
    match verify_fast(text, &f, &new, variable, name, Change::Removed(pos))? {
        Ok(()) => Some(Ok(Edited {
            text: new,
            changed: true,
        })),
        Err(e) => Some(Err(e)),
    }
}

/// Remove the entry `name`: the lines from its key to the end of its value, nothing else.
/// Unchanged when it is not there (a second decommission).
pub fn remove_entry(old: &str, name: &str, variable: &str) -> Result<Edited> {
    guarded(Some(old), "tfvars", check, |old| {
        let text = old.unwrap_or_default();
        if let Some(done) = remove_entry_fast(text, name, variable) {
            return done;
        }
        super::read::within_budget(text, "has")?;
        let loaded = load(text, variable)?;
        let Some((_, _, items)) = &loaded.map else {
            return Ok(unchanged(text));
        };
        let Some(pos) = items.iter().position(|it| it.key.name() == name) else {
            return Ok(unchanged(text));
        };
        let (key_span, value_end) = entry_span(&loaded.body, variable, name)
            .ok_or_else(|| verification_failed(name, "the entry has no position"))?;
        let new = remove_lines(text, whole_lines(text, name, key_span, value_end)?)?;
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
