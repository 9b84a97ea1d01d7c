//! Day-2 edits of one catalog entry: fields of its `metadata` set in place (an update, a
//! decommission, a promotion), with the same guarantees as adding one: only the changed values
//! and any new field lines are written, the result is read again and must be the old catalog with
//! exactly those fields changed (and `last_updated`), and the same request again changes nothing.

use std::borrow::Cow;

use super::layout::{
    Layout, inline_value, is_blank, is_comment, is_empty_document, last_updated_patch,
};
use super::read::{Catalog, entry_lines, load, load_counted};
use super::verify::rest_is_expected;
use super::yaml_subset::YVal;
use super::{LAST_UPDATED, REPOSITORIES, preflight};
use crate::edit::text::{self, Patch, indent_of};
use crate::edit::{Edited, guard_new, guard_old};
use crate::error::{Error, ErrorCode, Result};
use crate::quote::{show, yaml_double_quoted, yaml_scalar};

/// One `metadata` field to set. `date`: written double-quoted, as the editor writes dates (a
/// plain `2026-11-23` is a timestamp to YAML 1.1 readers such as PyYAML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    /// The field under `metadata`.
    pub field: String,
    /// Its new value.
    pub value: String,
    /// Whether the value is a date.
    pub date: bool,
}

impl FieldValue {
    /// A text field.
    pub fn text(field: &str, value: &str) -> FieldValue {
        FieldValue {
            field: field.into(),
            value: value.into(),
            date: false,
        }
    }

    /// A date field (`YYYY-MM-DD`).
    pub fn date(field: &str, value: &str) -> FieldValue {
        FieldValue {
            field: field.into(),
            value: value.into(),
            date: true,
        }
    }

    fn rendered(&self) -> String {
        if self.date {
            yaml_double_quoted(&self.value)
        } else {
            yaml_scalar(&self.value)
        }
    }
}

fn metadata_pairs(v: &YVal) -> Metadata {
    Metadata(match v.get("metadata") {
        Some(YVal::Map(pairs)) => pairs
            .iter()
            .filter_map(|(k, v)| Some((k.text()?, v.text()?)))
            .collect(),
        _ => Vec::new(),
    })
}

use crate::registry::Metadata;

/// A catalog read once: a day-2 request looks its entry up and sets its fields from the same
/// read (the file is checked, scanned and parsed one time, not once per step).
pub struct OpenCatalog<'a> {
    /// The text without its byte-order mark.
    body: &'a str,
    bom: bool,
    /// `None`: a document of only comments and blank lines (no entries).
    read: Option<(Layout<'a>, Catalog<'a>)>,
}

impl<'a> OpenCatalog<'a> {
    /// Check and parse `text` (within the size limit; a byte-order mark is stepped over).
    pub fn read(text: &'a str) -> Result<OpenCatalog<'a>> {
        let (body, bom, nodes) = guard_old(text, "catalog", preflight::scan)?;
        if is_empty_document(body) {
            return Ok(OpenCatalog {
                body,
                bom,
                read: None,
            });
        }
        let layout = Layout::new(body);
        let cat = load_counted(body, &layout, Some(nodes))?;
        Ok(OpenCatalog {
            body,
            bom,
            read: Some((layout, cat)),
        })
    }

    fn repos(&self) -> &[(YVal<'a>, YVal<'a>)] {
        self.read.as_ref().map_or(&[], |(_, c)| c.repos.as_slice())
    }

    /// Every entry's name and `metadata` fields as text, in order.
    pub fn entries(&self) -> Vec<(String, Metadata)> {
        self.repos()
            .iter()
            .map(|(k, v)| (k.text().unwrap_or_default(), metadata_pairs(v)))
            .collect()
    }

    /// The entry's `metadata` fields as text (what a day-2 request starts from), or `None` when
    /// the catalog has no entry `name`.
    pub fn metadata(&self, name: &str) -> Result<Option<Metadata>> {
        let entry = self
            .repos()
            .iter()
            .find(|(k, _)| k.text().unwrap_or_default() == name);
        // A list, a mapping or a tagged node where a day-2 request expects a plain value is a
        // type error of the file: refused by kind, not repeated (its text would be the file's
        // bytes).
        if let Some((_, v)) = entry {
            if let Some(YVal::Map(pairs)) = v.get("metadata") {
                let not_plain = |v: &YVal| {
                    matches!(v, YVal::Seq(_) | YVal::Map(_))
                        || matches!(v, YVal::Other(s) if s.starts_with("TaggedValue"))
                };
                if pairs.iter().any(|(k, v)| not_plain(k) || not_plain(v)) {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!(
                            "entry {}: a `metadata` key or value is a list, a mapping or a tagged value; a day-2 edit needs plain values",
                            show(name)
                        ),
                    ));
                }
            }
        }
        Ok(entry.map(|(_, v)| metadata_pairs(v)))
    }

    /// [`set_fields_of_entries`] on this read.
    pub fn set_fields(&self, edits: &[(&str, &[FieldValue])], today: &str) -> Result<Edited> {
        let edited = match &self.read {
            Some((layout, cat)) => set_loaded(self.body, layout, cat, edits, today)?,
            None => set_checked(self.body, edits, today)?,
        };
        guard_new(edited, "catalog", preflight::check, self.bom)
    }
}

/// Set `fields` of the entry `name` (and `last_updated` to `today` when anything changes).
/// `Err(not_found)` when there is no such entry; unchanged when every field already has its value.
pub fn set_fields(old: &str, name: &str, fields: &[FieldValue], today: &str) -> Result<Edited> {
    set_fields_of_entries(old, &[(name, fields)], today)
}

/// [`set_fields`] for several entries in one edit: the catalog is read, patched and verified once,
/// whatever the number of entries (`sync --promote` of every pending entry stays linear in the
/// file, not the file times the entries). An entry named twice is refused.
fn set_fields_of_entries(
    old: &str,
    edits: &[(&str, &[FieldValue])],
    today: &str,
) -> Result<Edited> {
    OpenCatalog::read(old)?.set_fields(edits, today)
}

fn not_found(name: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!(
            "the catalog has no entry {} under `repositories`",
            show(name)
        ),
    )
}

/// Where the entry's metadata fields are in the text.
struct MetadataAt {
    /// Each field line: field name, the byte range of its one-line value.
    fields: Vec<(String, Option<std::ops::Range<usize>>)>,
    /// Where a new field line goes (after the last line of the block), and its indentation.
    insert_at: usize,
    indent: usize,
}

/// Where the `repositories` block is and where each entry's key line is (computed once per edit).
struct Entries<'a> {
    repos_line: usize,
    end: usize,
    /// Each key's line (from 1): from the reader when it gave them, else scanned for.
    lines: Result<&'a [usize], crate::edit::lex::KeyMap<Cow<'a, str>, usize>>,
}

impl<'a> Entries<'a> {
    fn new(text: &'a str, layout: &Layout, old: &'a Catalog) -> Result<Option<Entries<'a>>> {
        let Some(repos) = layout.find_key(REPOSITORIES)? else {
            return Ok(None);
        };
        Ok(Some(Entries {
            repos_line: repos.line_idx,
            end: layout.block_end(repos.line_idx),
            lines: match &old.repo_lines {
                Some(lines) => Ok(lines),
                None => Err(entry_lines(text, layout)),
            },
        }))
    }

    /// The line (from 1) of the key of the entry `name`, at `pos` among the entries.
    fn key_line(&self, name: &str, pos: usize) -> Option<usize> {
        match &self.lines {
            Ok(lines) => lines.get(pos).copied(),
            Err(scanned) => scanned.get(name).copied(),
        }
    }
}

fn locate(
    text: &str,
    layout: &Layout,
    entries: &Entries<'_>,
    name: &str,
    pos: usize,
) -> Result<MetadataAt> {
    let unsupported = |line: usize, why: &str| {
        Error::new(
            ErrorCode::Unsupported,
            format!("entry {}: {why}; it cannot be changed in place", show(name)),
        )
        .at(line, 1)
    };
    let end = entries.end;
    let key_line = entries
        .key_line(name, pos)
        .map(|l| l - 1)
        .ok_or_else(|| unsupported(entries.repos_line + 1, "it is not written in block style"))?;
    let line_text = |i: usize| {
        let l = layout.lines.get(i);
        &text[l.start..l.end]
    };
    let entry_indent = indent_of(line_text(key_line));
    // The entry's lines: up to the next line at its indentation or less.
    let content = |i: usize| {
        let l = layout.lines.get(i);
        !is_blank(text, l) && !is_comment(text, l)
    };
    let entry_end = (key_line + 1..end)
        .find(|&i| content(i) && indent_of(line_text(i)) <= entry_indent)
        .unwrap_or(end);
    let meta_line = (key_line + 1..entry_end)
        .find(|&i| {
            content(i) && {
                let t = line_text(i).trim_start();
                t.strip_prefix("metadata:")
                    .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#'))
            }
        })
        .ok_or_else(|| unsupported(key_line + 1, "it has no block `metadata:` on its own line"))?;
    let meta_indent = indent_of(line_text(meta_line));
    let meta_end = (meta_line + 1..entry_end)
        .find(|&i| content(i) && indent_of(line_text(i)) <= meta_indent)
        .unwrap_or(entry_end);
    let mut fields = Vec::new();
    let mut indent = None;
    let mut last = meta_line;
    for i in meta_line + 1..meta_end {
        if !content(i) {
            continue;
        }
        last = i;
        let l = layout.lines.get(i);
        let n = indent_of(line_text(i));
        if *indent.get_or_insert(n) != n {
            // A nested line: it belongs to the field above, which is then not a one-line value.
            if let Some((_, v)) = fields.last_mut() {
                *v = None;
            }
            continue;
        }
        let body = line_text(i).trim_start();
        let Some(colon) = body
            .find(": ")
            .or_else(|| body.ends_with(':').then(|| body.len() - 1))
        else {
            return Err(unsupported(i + 1, "a metadata line is not `field: value`"));
        };
        let key = body[..colon].trim();
        if key.starts_with(['"', '\'', '?', '-', '{', '[']) {
            return Err(unsupported(
                i + 1,
                "a metadata key is quoted or not a plain key",
            ));
        }
        let after_colon = l.start + n + colon + 1;
        let value = inline_value(text, l, after_colon)
            .filter(|r| !text[r.clone()].starts_with(['|', '>', '&', '*', '!', '[', '{']));
        fields.push((key.to_string(), value));
    }
    let indent = indent.unwrap_or(meta_indent + (meta_indent - entry_indent).max(2));
    let insert_at = layout.lines.get(last).next;
    Ok(MetadataAt {
        fields,
        insert_at,
        indent,
    })
}

fn set_checked(text: &str, edits: &[(&str, &[FieldValue])], today: &str) -> Result<Edited> {
    let layout = Layout::new(text);
    let old = load(text, &layout)?;
    set_loaded(text, &layout, &old, edits, today)
}

fn set_loaded(
    text: &str,
    layout: &Layout,
    old: &Catalog,
    edits: &[(&str, &[FieldValue])],
    today: &str,
) -> Result<Edited> {
    let positions: crate::edit::lex::KeyMap<&str, usize> = old
        .repos
        .iter()
        .enumerate()
        .filter_map(|(i, (k, _))| Some((k.as_str()?, i)))
        .collect();
    let mut entries: Option<Entries> = None;
    // The entries that change: position → what the entry must read as afterwards.
    let mut wanted: std::collections::HashMap<usize, YVal> = std::collections::HashMap::new();
    let mut patches = Vec::new();
    let eol = text::line_ending(text);
    for &(name, fields) in edits {
        let pos = *positions.get(name).ok_or_else(|| not_found(name))?;
        if wanted.contains_key(&pos) {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("entry {} is named twice in one edit", show(name)),
            ));
        }
        let entry = &old.repos[pos].1;
        let Some(YVal::Map(meta)) = entry.get("metadata") else {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("entry {} has no `metadata` mapping", show(name)),
            ));
        };
        // What the entry must read as afterwards.
        let mut want = meta.clone();
        for f in fields {
            let v = YVal::Str(Cow::Owned(f.value.clone()));
            match want
                .iter_mut()
                .find(|(k, _)| k.as_str() == Some(f.field.as_str()))
            {
                Some((_, old)) => *old = v,
                None => want.push((YVal::Str(Cow::Owned(f.field.clone())), v)),
            }
        }
        if want == *meta {
            continue;
        }
        let YVal::Map(pairs) = entry else {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("entry {} is not a mapping", show(name)),
            ));
        };
        let want_entry = YVal::Map(
            pairs
                .iter()
                .map(|(k, v)| {
                    if k.as_str() == Some("metadata") {
                        (k.clone(), YVal::Map(want.clone()))
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .collect(),
        );
        if entries.is_none() {
            entries = Some(Entries::new(text, layout, old)?.ok_or_else(|| not_found(name))?);
        }
        let Some(entries) = entries.as_ref() else {
            return Err(not_found(name));
        };
        let at = locate(text, layout, entries, name, pos)?;
        let mut new_lines = String::new();
        for f in fields {
            match at.fields.iter().find(|(k, _)| *k == f.field) {
                Some((_, Some(range))) => {
                    if meta
                        .iter()
                        .any(|(k, v)| k.as_str() == Some(&f.field) && v.as_str() == Some(&f.value))
                    {
                        continue; // already this value, in whatever quoting it has
                    }
                    patches.push(Patch {
                        range: range.clone(),
                        with: f.rendered(),
                    });
                }
                Some((_, None)) => {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        format!(
                            "entry {}: `{}` is not a one-line value; it cannot be changed in place",
                            show(name),
                            f.field
                        ),
                    ));
                }
                None => new_lines.push_str(&format!(
                    "{}{}: {}{eol}",
                    " ".repeat(at.indent),
                    f.field,
                    f.rendered()
                )),
            }
        }
        if !new_lines.is_empty() {
            // The file ends on the block's last line without a line break: the new lines go after
            // one, and the file keeps ending without.
            if at.insert_at == text.len() && !text.ends_with('\n') {
                new_lines.truncate(new_lines.len() - eol.len());
                new_lines.insert_str(0, eol);
            }
            patches.push(Patch::insert(at.insert_at, new_lines));
        }
        wanted.insert(pos, want_entry);
    }
    if wanted.is_empty() {
        return Ok(Edited {
            text: text.to_string(),
            changed: false,
        });
    }
    let what = match edits {
        [(name, _)] => format!("entry {}", show(name)),
        _ => format!("{} entries", wanted.len()),
    };
    match last_updated_patch(text, layout, today)? {
        Some(p) => patches.extend(p),
        None => {
            let k = layout
                .find_key(REPOSITORIES)?
                .ok_or_else(|| not_found(edits.first().map_or("", |e| e.0)))?;
            let start = layout.lines.get(k.line_idx).start;
            patches.push(Patch::insert(
                start,
                format!("{LAST_UPDATED}: \"{today}\"{eol}"),
            ));
        }
    }
    let new = text::apply_patches(text, patches)
        .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))?;

    // Verify: the same document but for the entry's fields and `last_updated`.
    let fail = |why: &str| {
        Err(Error::new(
            ErrorCode::VerificationFailed,
            format!(
                "the edited catalog would not be the old one with {what} changed ({why}); nothing was written",
            ),
        ))
    };
    let reread = match load(&new, &Layout::new(&new)) {
        Ok(c) => c,
        Err(e) => return fail(&format!("it does not parse: {}", e.message)),
    };
    if !rest_is_expected(&old.rest, true, &reread.rest, today) {
        return fail("the rest of the document differs");
    }
    let same_entries = reread.repos.len() == old.repos.len()
        && reread
            .repos
            .iter()
            .zip(&old.repos)
            .enumerate()
            .all(|(i, (n, o))| {
                n.0 == o.0 && wanted.get(&i).map_or(n.1 == o.1, |want| n.1 == *want)
            });
    if !same_entries {
        return fail("the entries are not the old ones with this entry's fields set");
    }
    Ok(Edited {
        text: new,
        changed: true,
    })
}
