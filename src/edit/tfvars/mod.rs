//! Format-preserving edit of `envs/<env>/terraform.tfvars`.
//!
//! The file is parsed with `hcl-edit`, which keeps byte spans. The new repository's lines are
//! inserted just before the closing brace of the `ecr_repositories` object, formatted as
//! `terraform fmt` would (two spaces a level, `=` aligned); nothing else changes. The result is parsed
//! again and, with decoration stripped (`hcl-rs`), must equal the old body plus the entry.

use hcl_edit::Span;
use hcl_edit::expr::{Expression as EExpr, ObjectKey as EKey};
use hcl_edit::structure::Body as EBody;

use std::borrow::Cow;

use crate::edit::text::{self, Patch};
use crate::edit::{Edited, guarded};
use crate::error::{Conflict, Error, ErrorCode, Result};
use crate::quote::{hcl_string, show};

pub(in crate::edit) mod hcl_subset;

pub use day2::{remove_entry, set_metadata};
mod day2;
mod preflight;

use hcl_subset::{HItem, HKey, HVal};

/// The tfvars entry of one repository: `"<name>" = { metadata = { id, owner, risk } }`.
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
}

impl TfvarsEntry {
    fn fields(&self) -> [(&'static str, &str); 3] {
        [
            ("id", &self.id),
            ("owner", &self.owner),
            ("risk", &self.risk),
        ]
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
            HKey::Ident(Cow::Borrowed("metadata")),
            HVal::Obj(meta),
        )])
    }
}

/// hcl-edit's message (what it was parsing and what it expected: fixed labels of its grammar and
/// one-character literals in backticks) when it is only that; else "invalid syntax". Never the
/// source line, which hcl-edit's `Display` would quote.
fn hcl_reason(message: &str) -> String {
    // hcl-edit writes `'"'` as `` `"` ``: the one double quote a fixed phrase may hold.
    if crate::error::is_fixed_phrase(&message.replace("`\"`", "`dq`")) {
        message.to_string()
    } else {
        "invalid syntax".into()
    }
}

fn parse(text: &str) -> Result<EBody> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        // Neither the offending line nor the parser's quote of it: a reason and the position.
        Error::new(
            ErrorCode::Malformed,
            format!("invalid HCL: {}", hcl_reason(e.message())),
        )
        .at(loc.line(), loc.column())
    })
}

fn hkey(key: &EKey) -> HKey<'static> {
    match key {
        EKey::Ident(i) => HKey::Ident(Cow::Owned(i.as_str().to_string())),
        EKey::Expression(EExpr::String(s)) => HKey::Str(Cow::Owned(s.as_str().to_string())),
        EKey::Expression(e) => HKey::Str(Cow::Owned(format!(
            "({:?})",
            hcl::Expression::from(e.clone())
        ))),
    }
}

/// A decoration-free value of an hcl-edit expression (the reference path).
fn hval(expr: &EExpr) -> HVal<'static> {
    match expr {
        EExpr::String(s) => HVal::Str(Cow::Owned(s.as_str().to_string())),
        EExpr::Number(n) => HVal::Num(Cow::Owned(n.to_string())),
        EExpr::Bool(b) => HVal::Bool(*b.value()),
        EExpr::Null(_) => HVal::Null,
        EExpr::Array(a) => HVal::Tuple(a.iter().map(hval).collect()),
        EExpr::Object(o) => HVal::Obj(o.iter().map(|(k, v)| (hkey(k), hval(v.expr()))).collect()),
        other => HVal::Other(format!("{:?}", hcl::Expression::from(other.clone()))),
    }
}

/// The map, and every object in it, has each key once: `foo` and `"foo"`, or `"a"` and
/// `"\u0061"`, are the same key to Terraform, and readers disagree on which one wins.
fn one_key_each(text: &str, variable: &str, items: &[HItem]) -> Result<()> {
    fn twice(v: &HVal) -> Option<String> {
        match v {
            HVal::Obj(pairs) => {
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if pairs[..i].iter().any(|(o, _)| o.name() == k.name()) {
                        return Some(k.name().to_string());
                    }
                    if let Some(t) = twice(v) {
                        return Some(t);
                    }
                }
                None
            }
            HVal::Tuple(vs) => vs.iter().find_map(twice),
            _ => None,
        }
    }
    let mut seen = std::collections::HashSet::new();
    for it in items {
        // The line only when refusing: finding it is a scan from the start of the text.
        let refuse = |what: String| {
            let (line, _) = text::position(text, it.key_start);
            Err(Error::new(
                ErrorCode::Malformed,
                format!("{what}; `foo` and `\"foo\"`, or two strings that decode equal, are one key to Terraform and readers disagree on which one wins, so the file is refused"),
            )
            .at(line, 1))
        };
        if !seen.insert(it.key.name()) {
            return refuse(format!(
                "`{variable}` has the key {} twice",
                show(it.key.name())
            ));
        }
        if let Some(k) = twice(&it.value) {
            return refuse(format!(
                "the entry {} of `{variable}` has the key {} twice",
                show(it.key.name()),
                show(&k)
            ));
        }
    }
    Ok(())
}

pub(crate) fn metadata_field(item: &HVal, field: &str) -> Option<String> {
    item.get("metadata")?.get(field)?.as_text()
}

/// A tfvars file parsed in full by the reference parser (hcl-edit): the body with spans and, apart,
/// the items of the map. Used when the fast path does not apply, and to report errors.
struct Loaded<'a> {
    body: EBody,
    /// `{` and `}` of the map and its items, when the attribute exists and is a map literal.
    map: Option<(usize, usize, Vec<HItem<'a>>)>,
    /// The body with the map emptied: what an edit must leave as it was.
    rest: hcl::Body,
}

fn rest_of(mut body: EBody, variable: &str) -> hcl::Body {
    if let Some(mut attr) = body.get_attribute_mut(variable) {
        *attr.value_mut() = EExpr::Object(hcl_edit::expr::Object::new());
    }
    hcl::Body::from(body)
}

fn load<'a>(text: &str, variable: &str) -> Result<Loaded<'a>> {
    let body = parse(text)?;
    let attrs: Vec<_> = body
        .attributes()
        .filter(|a| a.key.as_str() == variable)
        .collect();
    if attrs.len() > 1 {
        let (line, _) = text::position(text, attrs[1].span().map_or(0, |s| s.start));
        return Err(Error::new(
            ErrorCode::Malformed,
            format!("`{variable}` is defined more than once"),
        )
        .at(line, 1));
    }
    if body.blocks().any(|b| b.ident.as_str() == variable) {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "`{variable}` is written as a block; it must be an attribute `{variable} = {{ ... }}`"
            ),
        ));
    }
    let map = match attrs.first().map(|a| &a.value) {
        Some(EExpr::Object(obj)) => {
            let span = obj.span().unwrap_or(0..0);
            if span.is_empty() || text.as_bytes().get(span.end - 1) != Some(&b'}') {
                return Err(Error::new(
                    ErrorCode::VerificationFailed,
                    "internal: the map has no position",
                ));
            }
            let items: Vec<HItem> = obj
                .iter()
                .map(|(k, v)| HItem {
                    key: hkey(k),
                    key_start: k.span().map_or(span.start, |s| s.start),
                    value: hval(v.expr()),
                })
                .collect();
            one_key_each(text, variable, &items)?;
            Some((span.start, span.end - 1, items))
        }
        Some(_) => {
            let at = attrs[0].span().map_or(0, |s| s.start);
            let (line, col) = text::position(text, at);
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("`{variable}` must be a map literal `{{ ... }}` to add a repository to it"),
            )
            .at(line, col));
        }
        None => None,
    };
    let rest = rest_of(body.clone(), variable);
    Ok(Loaded { body, map, rest })
}

/// A tfvars file read whole, to compare two revisions of it (`changes`).
pub(crate) struct TfvarsDoc<'a> {
    /// The top-level attributes and blocks but the map: name, line, a decoration-free rendering.
    pub top: Vec<(String, usize, String)>,
    /// The map's entries: name, the line of its key, value.
    pub entries: Vec<(String, usize, HVal<'a>)>,
}

/// One-based line numbers of increasing offsets, counted on from the last one (the entries of a
/// 1 MB file each counted from the start were quadratic).
struct LineAt<'t> {
    text: &'t str,
    at: usize,
    line: usize,
}

impl LineAt<'_> {
    fn new(text: &str) -> LineAt<'_> {
        LineAt {
            text,
            at: 0,
            line: 1,
        }
    }

    fn line(&mut self, off: usize) -> usize {
        let off = off.min(self.text.len());
        if off < self.at {
            self.at = 0;
            self.line = 1;
        }
        let b = self.text.as_bytes();
        self.line += memchr::memchr_iter(b'\n', &b[self.at..off]).count();
        self.at = off;
        self.line
    }
}

/// An item's value, owning its text.
fn owned(v: HVal<'_>) -> HVal<'static> {
    let key = |k: HKey<'_>| match k {
        HKey::Ident(s) => HKey::Ident(Cow::Owned(s.into_owned())),
        HKey::Str(s) => HKey::Str(Cow::Owned(s.into_owned())),
    };
    match v {
        HVal::Str(s) => HVal::Str(Cow::Owned(s.into_owned())),
        HVal::Num(s) => HVal::Num(Cow::Owned(s.into_owned())),
        HVal::Bool(b) => HVal::Bool(b),
        HVal::Null => HVal::Null,
        HVal::Tuple(items) => HVal::Tuple(items.into_iter().map(owned).collect()),
        HVal::Obj(items) => HVal::Obj(items.into_iter().map(|(k, v)| (key(k), owned(v))).collect()),
        HVal::Other(s) => HVal::Other(s),
    }
}

/// [`read_document`] for a file whose map holds only literals: the skeleton (the map cut out)
/// through hcl-edit, the map's items through the strict subset reader. hcl-edit on the whole map
/// checks every key against all earlier ones: 7,000 entries took seconds. `None`: the fast
/// reader does not apply; the reference path decides.
fn read_document_fast<'a>(text: &'a str, variable: &str) -> Option<TfvarsDoc<'a>> {
    use hcl_edit::structure::Structure;
    let open = hcl_subset::hcl_find_attr(text, variable)?;
    let (close, _) = hcl_subset::hcl_close(text, open)?;
    let (body, _) = skeleton(text, variable, open, close)?;
    let mut lines = LineAt::new(text);
    let mut entries = Vec::new();
    let mut items = hcl_subset::HclItems::new(text, open)?;
    for item in items.by_ref() {
        let item = item?;
        let line = lines.line(item.key_start);
        entries.push((item.key.name().to_string(), line, item.value));
    }
    if items.close() != Some(close) {
        return None;
    }
    // Skeleton offsets past the map are `close - open - 1` bytes left of the original's.
    let orig = |off: usize| {
        if off > open {
            off + (close - open - 1)
        } else {
            off
        }
    };
    let mut lines = LineAt::new(text);
    let mut top = Vec::new();
    for st in body.iter() {
        match st {
            Structure::Attribute(a) if a.key.as_str() == variable => {}
            Structure::Attribute(a) => top.push((
                a.key.to_string(),
                lines.line(orig(a.span().map_or(0, |s| s.start))),
                format!("{:?}", hcl::Expression::from(a.value.clone())),
            )),
            Structure::Block(b) => top.push((
                b.ident.to_string(),
                lines.line(orig(b.span().map_or(0, |s| s.start))),
                format!("{:?}", hcl::Block::from(b.clone())),
            )),
        }
    }
    Some(TfvarsDoc { top, entries })
}

/// Read a tfvars file for a comparison, with the editor's own parser (and its preflight).
pub(crate) fn read_document<'a>(text: &'a str, variable: &str) -> Result<TfvarsDoc<'a>> {
    use hcl_edit::structure::Structure;
    let text = text.strip_prefix(crate::edit::BOM).unwrap_or(text);
    preflight::check(text)?;
    final_heredoc_is_terminated(text)?;
    if let Some(doc) = read_document_fast(text, variable) {
        return Ok(doc);
    }
    within_budget(text, "has")?;
    let loaded = load(text, variable)?;
    let mut lines = LineAt::new(text);
    let mut line = |at: usize| lines.line(at);
    let mut top = Vec::new();
    for st in loaded.body.iter() {
        match st {
            Structure::Attribute(a) if a.key.as_str() == variable => {}
            Structure::Attribute(a) => top.push((
                a.key.to_string(),
                line(a.span().map_or(0, |s| s.start)),
                format!("{:?}", hcl::Expression::from(a.value.clone())),
            )),
            Structure::Block(b) => top.push((
                b.ident.to_string(),
                line(b.span().map_or(0, |s| s.start)),
                format!("{:?}", hcl::Block::from(b.clone())),
            )),
        }
    }
    let entries = loaded
        .map
        .map(|(_, _, items)| {
            items
                .into_iter()
                .map(|it| (it.key.name().to_string(), line(it.key_start), it.value))
                .collect()
        })
        .unwrap_or_default();
    Ok(TfvarsDoc { top, entries })
}

/// Whether a read entry's value is exactly what the editor writes for `entry`.
pub(crate) fn is_rendered(entry: &TfvarsEntry, value: &HVal) -> bool {
    *value == entry.to_hval()
}

/// hcl-edit reads tens of thousands of nodes in a few tens of milliseconds, and the reference
/// path reads the old and the new file in full: more nodes than this outside the map's literal
/// entries could not be answered within 100 ms (BENCHMARKS.md, worst inputs), so the file is
/// refused before parsing. Entries in the fast reader's layout do not count.
pub const MAX_REFERENCE_NODES: usize = 12_000;

/// Refuse, in linear time, a file the reference path would take too long to read; `has` says
/// whether it is the old text or the new one.
fn within_budget(text: &str, has: &str) -> Result<()> {
    let nodes = preflight::scan(text)?;
    if nodes <= MAX_REFERENCE_NODES {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::Unsupported,
        format!(
            "the tfvars file {has} about {nodes} HCL nodes outside the map's entries, or entries the fast reader does not follow (it reads entries of literal strings, numbers, booleans and objects of them, however many); the full parser reads at most {MAX_REFERENCE_NODES} within the editor's time bound, so the file is refused and nothing is written"
        ),
    ))
}

/// The text with the map's interior cut out, read by the reference parser: the body (spans past
/// the cut are `close - open - 1` bytes left of the original's), the rest of the file, when the
/// attribute there is confirmed to be this map. A cut of more than
/// [`MAX_REFERENCE_NODES`] is left to the reference path (which refuses it).
fn skeleton(text: &str, variable: &str, open: usize, close: usize) -> Option<(EBody, hcl::Body)> {
    let cut = format!("{}{}", &text[..open + 1], &text[close..]);
    if !preflight::scan(&cut).is_ok_and(|n| n <= MAX_REFERENCE_NODES) {
        return None;
    }
    let body = hcl_edit::parser::parse_body(&cut).ok()?;
    let confirmed = {
        let mut attrs = body.attributes().filter(|a| a.key.as_str() == variable);
        match (attrs.next(), attrs.next()) {
            (Some(a), None) => {
                matches!(&a.value, EExpr::Object(o) if o.is_empty() && o.span() == Some(open..open + 2))
            }
            _ => false,
        }
    };
    if !confirmed || body.blocks().any(|b| b.ident.as_str() == variable) {
        return None;
    }
    let rest = hcl::Body::from(body.clone());
    Some((body, rest))
}

/// Where the map stands: what the patches are computed from, on either path.
struct Site<'b> {
    body: &'b EBody,
    /// Skeleton offsets past `.0` are `.1` bytes left of the original's (fast path).
    cut: Option<(usize, usize)>,
    open: usize,
    close: usize,
    first_key: Option<usize>,
}

impl Site<'_> {
    fn orig(&self, off: usize) -> usize {
        match self.cut {
            Some((at, n)) if off > at => off + n,
            _ => off,
        }
    }
}

/// The indentation (spaces) of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> usize {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text::indent_of(&text[start..])
}

fn name_conflict(entry: &TfvarsEntry, existing: &HVal, variable: &str) -> Option<Error> {
    let conflicts: Vec<Conflict> = entry
        .fields()
        .into_iter()
        .filter_map(|(f, want)| {
            let have = metadata_field(existing, f);
            (have.as_deref() != Some(want)).then(|| Conflict {
                field: f.into(),
                existing: have,
                requested: Some(want.into()),
            })
        })
        .collect();
    if conflicts.is_empty() {
        return None;
    }
    Some(Error::name_taken(
        &entry.name,
        &format!("`{variable}`"),
        conflicts,
    ))
}

fn has_id(v: &HVal, id: &str) -> bool {
    v.get("metadata")
        .and_then(|m| m.get("id"))
        .and_then(HVal::as_str)
        == Some(id)
}

/// The patches that add `entry` to an existing map.
fn map_patches(text: &str, site: &Site, variable: &str, entry: &TfvarsEntry) -> Result<Vec<Patch>> {
    let eol = text::line_ending(text);
    let (open, close) = (site.open, site.close);
    let Some(attr) = site.body.get_attribute(variable) else {
        return Err(Error::new(
            ErrorCode::VerificationFailed,
            "internal: the attribute vanished",
        ));
    };
    let attr_start = attr.span().map_or(0, |s| site.orig(s.start));
    let attr_indent = line_indent(text, attr_start);
    let item_indent = site
        .first_key
        .map(|k| line_indent(text, k))
        .filter(|&n| n > attr_indent);
    let indent = item_indent.unwrap_or(attr_indent + 2);
    let lines = entry.render(indent, indent - attr_indent);
    let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..close].trim().is_empty() && line_start > open {
        // The closing brace stands on its own line: insert whole lines before it.
        return Ok(vec![Patch::insert(
            line_start,
            lines.iter().map(|l| format!("{l}{eol}")).collect(),
        )]);
    }
    // `{}` or a one-line map: break the line before the brace.
    let inner = &text[open + 1..close];
    let start = if inner.trim().is_empty() && !inner.contains('#') {
        open + 1
    } else {
        // Take the spaces before the brace along, so no line ends in a space.
        close - (inner.len() - inner.trim_end_matches([' ', '\t']).len())
    };
    let mut with: String = lines.iter().map(|l| format!("{eol}{l}")).collect();
    with.push_str(eol);
    with.push_str(&" ".repeat(attr_indent));
    let mut patches = realign_after_split(text, site, attr);
    patches.push(Patch {
        range: start..close,
        with,
    });
    Ok(patches)
}

/// The patch that appends the map, with the entry, to a file that has none.
fn append_patch(text: &str, variable: &str, entry: &TfvarsEntry) -> Patch {
    let eol = text::line_ending(text);
    let mut block = String::new();
    if !text.is_empty() {
        if !text.ends_with('\n') {
            block.push_str(eol);
        }
        if !text.ends_with("\n\n") && !text.ends_with("\r\n\r\n") {
            block.push_str(eol);
        }
    }
    block.push_str(variable);
    block.push_str(" = {");
    block.push_str(eol);
    for l in entry.render(2, 2) {
        block.push_str(&l);
        block.push_str(eol);
    }
    block.push('}');
    block.push_str(eol);
    Patch::insert(text.len(), block)
}

/// Insert `entry` into the object `variable` of a tfvars file (`None`: the file does not exist).
pub fn add_entry(old: Option<&str>, entry: &TfvarsEntry, variable: &str) -> Result<Edited> {
    // A byte-order mark is stepped over and kept: HashiCorp's parser accepts it, hcl-edit does not.
    let check: fn(&str) -> Result<()> = |text| {
        preflight::check(text)?;
        final_heredoc_is_terminated(text)
    };
    guarded(old, "tfvars", check, |old| add_to(old, entry, variable))
}

/// HashiCorp's parser wants a line break after a heredoc's closing marker; hcl-edit accepts the
/// marker as the file's last bytes, and an edit that appends would "repair" the file. Refuse it.
fn final_heredoc_is_terminated(text: &str) -> Result<()> {
    if text.ends_with('\n') {
        return Ok(());
    }
    let start = text.rfind('\n').map_or(0, |i| i + 1);
    let marker = text[start..].trim();
    let ident = marker
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && marker
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let opened = |prefix: &str| {
        text[..start].match_indices(prefix).any(|(i, _)| {
            let rest = &text[i + prefix.len()..start];
            rest.strip_prefix(marker)
                .is_some_and(|r| r.starts_with('\n') || r.starts_with("\r\n"))
        })
    };
    if ident && (opened("<<") || opened("<<-")) {
        let (line, _) = text::position(text, start);
        return Err(Error::new(
            ErrorCode::Malformed,
            format!(
                "the heredoc's closing marker {} is the last line, with no line break after it; HashiCorp's parser (terraform) rejects that: end the file with a line break",
                show(marker)
            ),
        )
        .at(line, 1));
    }
    Ok(())
}

fn add_to(old: Option<&str>, entry: &TfvarsEntry, variable: &str) -> Result<Edited> {
    let text = old.unwrap_or("");
    if let Some(done) = fast_add(text, entry, variable) {
        return done;
    }
    // The reference path: hcl-edit on both texts in full.
    within_budget(text, "has")?;
    let loaded = load(text, variable)?;
    let patches = match &loaded.map {
        None => vec![append_patch(text, variable, entry)],
        Some((open, close, items)) => {
            if let Some(existing) = items.iter().find(|it| it.key.name() == entry.name) {
                return match name_conflict(entry, &existing.value, variable) {
                    None => Ok(Edited {
                        text: text.to_string(),
                        changed: false,
                    }),
                    Some(e) => Err(e),
                };
            }
            if let Some(other) = items.iter().find(|it| has_id(&it.value, &entry.id)) {
                return Err(Error::id_taken(
                    &entry.id,
                    other.key.name(),
                    &entry.name,
                    &format!("`{variable}`"),
                ));
            }
            let site = Site {
                body: &loaded.body,
                cut: None,
                open: *open,
                close: *close,
                first_key: items.first().map(|it| it.key_start),
            };
            map_patches(text, &site, variable, entry)?
        }
    };
    let new = text::apply_patches(text, patches)
        .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))?;
    // What is written must stay within the budget, so that the next run reads it (and a re-run
    // of the same request answers "unchanged" rather than a refusal).
    within_budget(&new, "would have, with the entry,")?;
    verify(&loaded, &new, entry, variable)?;
    Ok(Edited {
        text: new,
        changed: true,
    })
}

/// The fast path for a file whose map holds only literals: the old items are read once, side by
/// side with the new ones, one at a time, never held; the request is checked on the way. `None`:
/// it does not apply, or something was unexpected; the reference path decides.
fn fast_add(text: &str, entry: &TfvarsEntry, variable: &str) -> Option<Result<Edited>> {
    let open = hcl_subset::hcl_find_attr(text, variable)?;
    let (close, first_key) = hcl_subset::hcl_close(text, open)?;
    let (body, rest) = skeleton(text, variable, open, close)?;
    let site = Site {
        body: &body,
        cut: Some((open + 1, close - open - 1)),
        open,
        close,
        first_key,
    };
    let new = text::apply_patches(text, map_patches(text, &site, variable, entry).ok()?).ok()?;
    let new_open = hcl_subset::hcl_find_attr(&new, variable)?;
    let mut new_items = hcl_subset::HclItems::mirroring(&new, new_open)?;
    let mut old_items = hcl_subset::HclItems::new(text, open)?;
    let mut verdict = None;
    for old_item in old_items.by_ref() {
        let a = old_item?;
        if verdict.is_none() && a.key.name() == entry.name {
            verdict = Some(match name_conflict(entry, &a.value, variable) {
                None => Ok(Edited {
                    text: text.to_string(),
                    changed: false,
                }),
                Some(e) => Err(e),
            });
        } else if verdict.is_none() && has_id(&a.value, &entry.id) {
            verdict = Some(Err(Error::id_taken(
                &entry.id,
                a.key.name(),
                &entry.name,
                &format!("`{variable}`"),
            )));
        }
        if verdict.is_none() {
            // Verify as we go: the old items unchanged and in order in the new text.
            let b = new_items.next()??;
            if a.key != b.key || a.value != b.value {
                return None;
            }
        }
    }
    // The scan's closing brace must be the parser's.
    if old_items.close() != Some(close) {
        return None;
    }
    if verdict.is_some() {
        return verdict;
    }
    // Then exactly the entry, and the rest of the file as it was.
    let last = new_items.next()??;
    if new_items.next().is_some()
        || last.value != entry.to_hval()
        || !matches!(&last.key, HKey::Str(k) if *k == entry.name)
    {
        return None;
    }
    // The same bytes parse the same: when the edit left everything outside the map's interior as
    // it was (the usual case), the new skeleton is not parsed again.
    let new_close = new_items.close()?;
    let same_cut = new_open == open
        && new.len() - new_close == text.len() - close
        && new[..=open] == text[..=open]
        && new[new_close..] == text[close..];
    let same_rest = same_cut || {
        let (_, new_rest) = skeleton(&new, variable, new_open, new_close)?;
        new_rest == rest
    };
    same_rest.then_some(Ok(Edited {
        text: new,
        changed: true,
    }))
}

/// A top-level attribute that fits on one line: `terraform fmt` aligns the `=` of runs of these.
struct OneLiner {
    line_start: usize,
    key_end: usize,
    eq: usize,
    code_end: usize,
    comment: Option<usize>,
}

/// Where the `=` after a key stands (only blanks between), if it does.
fn eq_after(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end..];
    let eq = key_end + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    (text.as_bytes().get(eq) == Some(&b'=')).then_some(eq)
}

/// When `variable = {}` (or a one-line map) is opened into several lines, it leaves the run of
/// one-line attributes whose `=` terraform fmt aligns (hclwrite's `formatCells`): the run splits
/// in two, each half is re-aligned on its own, and the attribute's own `=` gets one space. Trailing
/// comments of those lines are re-aligned the same way. Only blanks change, so the verification
/// (which ignores decoration) still holds; without this, `terraform fmt -check` fails on the PR.
fn realign_after_split(
    text: &str,
    site: &Site,
    target: &hcl_edit::structure::Attribute,
) -> Vec<Patch> {
    let body = site.body;
    let fix = |r: std::ops::Range<usize>| site.orig(r.start)..site.orig(r.end);
    let starts: Vec<usize> = text::lines(text).iter().map(|l| l.start).collect();
    let line_of = |off: usize| starts.partition_point(|&s| s <= off).saturating_sub(1);
    let mut one_liners = std::collections::BTreeMap::new();
    for a in body.attributes() {
        let (Some(span), Some(kspan)) = (a.span().map(fix), a.key.span().map(fix)) else {
            continue;
        };
        if std::ptr::eq(a, target)
            || span.is_empty()
            || line_of(span.start) != line_of(span.end - 1)
        {
            continue;
        }
        let Some(eq) = eq_after(text, kspan.end) else {
            continue;
        };
        let line = line_of(span.start);
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        let rest = text[span.end..line_end].trim_end_matches('\r');
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let comment = if trimmed.is_empty() {
            None
        } else if trimmed.starts_with('#') || trimmed.starts_with("//") {
            Some(span.end + (rest.len() - trimmed.len()))
        } else {
            continue; // something else shares the line: not a simple one-liner
        };
        one_liners.insert(
            line,
            OneLiner {
                line_start: starts[line],
                key_end: kspan.end,
                eq,
                code_end: span.end,
                comment,
            },
        );
    }
    let mut patches = Vec::new();
    let (Some(span), Some(kspan)) = (target.span().map(fix), target.key.span().map(fix)) else {
        return patches;
    };
    let Some(target_eq) = eq_after(text, kspan.end) else {
        return patches;
    };
    let target_line = line_of(span.start);
    let run = |lines: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        lines.take_while(|l| one_liners.contains_key(l)).collect()
    };
    let above = run(&mut (0..target_line).rev());
    let below = run(&mut (target_line + 1..starts.len()));
    // Only a run that terraform fmt had aligned is re-aligned; an unformatted file is left alone.
    let target_lead = kspan.end - starts[target_line];
    let max_lead = above
        .iter()
        .chain(&below)
        .map(|l| one_liners[l].key_end - one_liners[l].line_start)
        .chain([target_lead])
        .max()
        .unwrap_or(target_lead);
    let aligned = above
        .iter()
        .chain(&below)
        .all(|l| one_liners[l].eq - one_liners[l].line_start == max_lead + 1)
        && target_eq - starts[target_line] == max_lead + 1;
    if !aligned {
        return patches;
    }
    patches.push(Patch {
        range: kspan.end..target_eq,
        with: " ".into(),
    });
    // New width of each re-aligned line up to its `=`.
    let mut lead_width = std::collections::BTreeMap::new();
    for chain in [&above, &below] {
        let max = chain
            .iter()
            .map(|l| one_liners[l].key_end - one_liners[l].line_start)
            .max()
            .unwrap_or(0);
        for l in chain.iter() {
            let o = &one_liners[l];
            let spaces = max - (o.key_end - o.line_start) + 1;
            patches.push(Patch {
                range: o.key_end..o.eq,
                with: " ".repeat(spaces),
            });
            lead_width.insert(*l, max + 1);
        }
    }
    // Trailing comments: runs of consecutive one-liners with comments that touch a re-aligned line.
    let mut l = 0;
    while l < starts.len() {
        let has_comment = |l: &usize| one_liners.get(l).is_some_and(|o| o.comment.is_some());
        if !has_comment(&l) {
            l += 1;
            continue;
        }
        let comment_run: Vec<usize> = (l..starts.len()).take_while(|x| has_comment(x)).collect();
        l += comment_run.len();
        if !comment_run.iter().any(|x| lead_width.contains_key(x)) {
            continue;
        }
        let width = |x: &usize| {
            let o = &one_liners[x];
            lead_width.get(x).copied().unwrap_or(o.eq - o.line_start) + (o.code_end - o.eq)
        };
        let max = comment_run.iter().map(width).max().unwrap_or(0);
        for x in &comment_run {
            let o = &one_liners[x];
            if let Some(c) = o.comment {
                patches.push(Patch {
                    range: o.code_end..c,
                    with: " ".repeat(max - width(x) + 1),
                });
            }
        }
    }
    patches
}

/// With decoration stripped, the new file must be the old one with the entry appended to the map
/// (the map created empty first when it was missing).
fn verify(old: &Loaded, new_text: &str, entry: &TfvarsEntry, variable: &str) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> TfvarsEntry {
        TfvarsEntry {
            name: name.into(),
            id: crate::naming::registry_id("REGISTRY_", name),
            owner: "platform-team".into(),
            risk: "low".into(),
        }
    }

    const ENTRY: &str = "  \"payments\" = {\n    metadata = {\n      id    = \"REGISTRY_PAYMENTS\"\n      owner = \"platform-team\"\n      risk  = \"low\"\n    }\n  }\n";

    /// A tfvars file of exactly `nodes` nodes (as the preflight counts them), read by hcl-edit in
    /// full (its one entry holds an expression, outside the fast reader's subset); a list pads it.
    fn tfvars_of(nodes: usize) -> String {
        let base = "ecr_repositories = {\n  \"web\" = { metadata = { id = var.id } }\n}\n";
        let pad = nodes - preflight::scan(base).unwrap() - 2; // `=` and `[`; then one a comma
        let text = format!("pad = [1{}]\n{base}", ", 1".repeat(pad));
        assert_eq!(preflight::scan(&text).unwrap(), nodes);
        text
    }

    #[test]
    fn the_full_parser_reads_at_most_the_node_budget() {
        let v = "ecr_repositories";
        let e = add_entry(
            Some(&tfvars_of(MAX_REFERENCE_NODES + 1)),
            &entry("payments"),
            v,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
        assert!(
            e.message
                .contains(&format!("has about {} HCL nodes", MAX_REFERENCE_NODES + 1)),
            "{}",
            e.message
        );
        let e = add_entry(
            Some(&tfvars_of(MAX_REFERENCE_NODES - 2)),
            &entry("payments"),
            v,
        )
        .unwrap_err();
        assert!(
            e.message.contains("would have, with the entry,"),
            "{}",
            e.message
        );
        let out = add_entry(
            Some(&tfvars_of(MAX_REFERENCE_NODES - 20)),
            &entry("payments"),
            v,
        )
        .unwrap();
        assert!(out.changed);
        assert!(
            !add_entry(Some(&out.text), &entry("payments"), v)
                .unwrap()
                .changed
        );
        // Literal entries the fast reader follows do not count, however many.
        let mut text = String::from("ecr_repositories = {\n");
        for i in 0..MAX_REFERENCE_NODES {
            text.push_str(&format!(
                "  \"s{i}\" = {{ metadata = {{ id = \"R{i}\" }} }}\n"
            ));
        }
        text.push_str("}\n");
        assert!(
            add_entry(Some(&text), &entry("payments"), v)
                .unwrap()
                .changed
        );
    }

    #[test]
    fn one_line_empty_map_in_the_middle() {
        let old = "region = \"eu-west-2\"\necr_repositories = {}\ncluster = \"x\"\n";
        let out = add_entry(Some(old), &entry("payments"), "ecr_repositories").unwrap();
        assert_eq!(
            out.text,
            format!("region = \"eu-west-2\"\necr_repositories = {{\n{ENTRY}}}\ncluster = \"x\"\n")
        );
        let again = add_entry(Some(&out.text), &entry("payments"), "ecr_repositories").unwrap();
        assert!(!again.changed);
    }

    #[test]
    fn missing_attribute_and_missing_file() {
        let out = add_entry(None, &entry("payments"), "ecr_repositories").unwrap();
        assert_eq!(out.text, format!("ecr_repositories = {{\n{ENTRY}}}\n"));
        let out = add_entry(Some("a = 1"), &entry("payments"), "ecr_repositories").unwrap();
        assert_eq!(
            out.text,
            format!("a = 1\n\necr_repositories = {{\n{ENTRY}}}\n")
        );
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_confuse_it() {
        let old = "ecr_repositories = {\n  # a } brace\n  \"a\" = {\n    metadata = {\n      id    = \"REGISTRY_A\"\n      owner = \"}\"\n      risk  = \"low\"\n    }\n  }\n}\nx = \"{\"\n";
        let out = add_entry(Some(old), &entry("payments"), "ecr_repositories").unwrap();
        let at = old.find("}\nx =").unwrap();
        assert_eq!(out.text, format!("{}{ENTRY}{}", &old[..at], &old[at..]));
    }

    #[test]
    fn conflicts() {
        let out = add_entry(None, &entry("payments"), "ecr_repositories").unwrap();
        let mut e2 = entry("payments");
        e2.owner = "sre-team".into();
        let e = add_entry(Some(&out.text), &e2, "ecr_repositories").unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.conflicts[0].field, "owner");
        let mut e3 = entry("other");
        e3.id = "REGISTRY_PAYMENTS".into();
        assert_eq!(
            add_entry(Some(&out.text), &e3, "ecr_repositories")
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
    }

    #[test]
    fn hostile_strings_escape() {
        assert_eq!(hcl_string("a\"${x}%{y}\n"), "\"a\\\"$${x}%%{y}\\n\"");
        let mut e = entry("payments");
        e.owner = "x\" }\nevil = \"1".into();
        let out = add_entry(None, &e, "ecr_repositories").unwrap();
        let body: hcl::Body = hcl::parse(&out.text).unwrap();
        assert_eq!(body.attributes().count(), 1);
    }

    #[test]
    fn malformed_has_position() {
        let e = add_entry(Some("a = {\n"), &entry("x1"), "ecr_repositories").unwrap_err();
        assert_eq!(e.code, ErrorCode::Malformed);
        assert!(e.line.is_some());
        let e = add_entry(
            Some("ecr_repositories = var.x\n"),
            &entry("x1"),
            "ecr_repositories",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
    }
}
