//! Reading a tfvars file, for the editors and `changes`: hcl-edit on the whole text, or on the
//! text with the map cut out while the strict subset reader reads the map's items, within the
//! reference parser's node budget and with each key once.

use hcl_edit::Span;
use hcl_edit::expr::{Expression as EExpr, ObjectKey as EKey};
use hcl_edit::structure::Body as EBody;

use std::borrow::Cow;

use super::hcl_subset::{self, HItem, HKey, HVal};
use super::{MAX_REFERENCE_NODES, preflight};
use crate::edit::lex::{KeySet, repeated};
use crate::edit::text;
use crate::error::{Error, ErrorCode, Result};
use crate::quote::show;

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

pub(super) fn hkey(key: &EKey) -> HKey<'static> {
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
                let mut many = None;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    let (earlier, name) = (&pairs[..i], || k.name().to_owned());
                    let few = || earlier.iter().any(|(o, _)| o.name() == k.name());
                    if repeated(&mut many, earlier, |(o, _)| o.name().to_owned(), name, few) {
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
    let mut seen = KeySet::new();
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

/// Refuse an object key, in the map or in any object inside it, that Terraform computes: a
/// template (`"${"web"}"`, which Terraform reads as `web`, beside a literal `"web"`: two entries
/// by text, one by Terraform, the last winning) or an expression in parentheses. Which entry it
/// names cannot be told from the text.
fn computed_keys(text: &str, obj: &hcl_edit::expr::Object) -> Result<()> {
    fn walk(e: &EExpr) -> Option<Option<std::ops::Range<usize>>> {
        match e {
            EExpr::Object(o) => o.iter().find_map(|(k, v)| match k {
                EKey::Expression(x) if !matches!(x, EExpr::String(_)) => Some(k.span()),
                _ => walk(v.expr()),
            }),
            EExpr::Array(a) => a.iter().find_map(walk),
            _ => None,
        }
    }
    let Some(at) = obj.iter().find_map(|(k, v)| match k {
        EKey::Expression(x) if !matches!(x, EExpr::String(_)) => Some(k.span()),
        _ => walk(v.expr()),
    }) else {
        return Ok(());
    };
    let (line, column) = at.map_or((1, 1), |s| text::position(text, s.start));
    Err(Error::new(
        ErrorCode::Malformed,
        "this object key is computed by Terraform (a template with `${…}` or `%{…}`, or an expression in parentheses), so which entry or field it names cannot be read from the text; write it as a name or a plain quoted string",
    )
    .at(line, column))
}

pub(crate) fn metadata_field(item: &HVal, field: &str) -> Option<String> {
    item.get("metadata")?.get(field)?.as_text()
}

/// A tfvars file parsed in full by the reference parser (hcl-edit): the body with spans and, apart,
/// the items of the map. Used when the fast path does not apply, and to report errors.
pub(super) struct Loaded<'a> {
    pub(super) body: EBody,
    /// `{` and `}` of the map and its items, when the attribute exists and is a map literal.
    pub(super) map: Option<(usize, usize, Vec<HItem<'a>>)>,
    /// The body with the map emptied: what an edit must leave as it was.
    pub(super) rest: hcl::Body,
}

fn rest_of(mut body: EBody, variable: &str) -> hcl::Body {
    if let Some(mut attr) = body.get_attribute_mut(variable) {
        *attr.value_mut() = EExpr::Object(hcl_edit::expr::Object::new());
    }
    hcl::Body::from(body)
}

pub(super) fn load<'a>(text: &str, variable: &str) -> Result<Loaded<'a>> {
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
            computed_keys(text, obj)?;
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
/// What [`TfvarsDoc::top`] holds for the map: its presence only.
const MAP_PRESENT: &str = "(the map)";

pub(crate) struct TfvarsDoc<'a> {
    /// The top-level attributes and blocks, each with its name, line and a decoration-free
    /// rendering; the map is there as [`MAP_PRESENT`] (whether the file has it).
    pub top: Vec<(String, usize, String)>,
    /// The map's entries: name, the line of its key, value.
    pub entries: Vec<(Cow<'a, str>, usize, HVal<'a>)>,
    /// The entries' names as (hash, index) pairs sorted by
    /// [`crate::edit::lex::by_hash_then_key`], when the subset reader sorted them to find a
    /// repeat (the comparison then does not sort them again).
    pub sorted_keys: Option<Vec<(u64, usize)>>,
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
pub(super) fn owned(v: HVal<'_>) -> HVal<'static> {
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
        entries.push((item.key.name_cow(), line, item.value));
    }
    if items.close() != Some(close) {
        return None;
    }
    let sorted_keys = items.sorted_keys();
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
            // The map itself stands for its presence (its entries are compared apart): a file
            // without it and one with an empty map are not the same to Terraform.
            Structure::Attribute(a) if a.key.as_str() == variable => top.push((
                a.key.to_string(),
                lines.line(orig(a.span().map_or(0, |s| s.start))),
                MAP_PRESENT.to_string(),
            )),
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
    Some(TfvarsDoc {
        top,
        entries,
        sorted_keys,
    })
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
            Structure::Attribute(a) if a.key.as_str() == variable => top.push((
                a.key.to_string(),
                line(a.span().map_or(0, |s| s.start)),
                MAP_PRESENT.to_string(),
            )),
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
                .map(|it| (it.key.name_cow(), line(it.key_start), it.value))
                .collect()
        })
        .unwrap_or_default();
    Ok(TfvarsDoc {
        top,
        entries,
        sorted_keys: None,
    })
}

/// Refuse, in linear time, a file the reference path would take too long to read; `has` says
/// whether it is the old text or the new one.
pub(super) fn within_budget(text: &str, has: &str) -> Result<()> {
    let nodes = preflight::scan(text)?;
    crate::edit::within_node_budget(nodes, MAX_REFERENCE_NODES, || {
        format!(
            "the tfvars file {has} about {nodes} HCL nodes outside the map's entries, or entries the fast reader does not follow (it reads entries of literal strings, numbers, booleans and objects of them, however many; a heredoc counts a node per {} bytes)",
            preflight::HEREDOC_BYTES_PER_NODE
        )
    })
    .map(drop)
}

/// The text with the map's interior cut out, read by the reference parser: the body (spans past
/// the cut are `close - open - 1` bytes left of the original's), the rest of the file, when the
/// attribute there is confirmed to be this map. A cut of more than
/// [`MAX_REFERENCE_NODES`] is left to the reference path (which refuses it).
pub(super) fn skeleton(
    text: &str,
    variable: &str,
    open: usize,
    close: usize,
) -> Option<(EBody, hcl::Body)> {
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

/// HashiCorp's parser wants a line break after a heredoc's closing marker; hcl-edit accepts the
/// marker as the file's last bytes, and an edit that appends would "repair" the file. Refuse it.
pub(super) fn final_heredoc_is_terminated(text: &str) -> Result<()> {
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
