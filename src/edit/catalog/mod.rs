//! Format-preserving edit of the governance catalog (`ecr-catalog.yaml`).
//!
//! The edit is a set of span patches over the original text: the new entry's lines are inserted at
//! the end of the `repositories` block, and the `last_updated` value is replaced. Every other byte
//! stays. The result is then parsed again and must equal the old document plus the entry (and the
//! new date), with the entry last; otherwise the edit is refused.

use serde_yaml::{Mapping, Value};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::edit::lex::FxMap;
use crate::edit::text::position;
use crate::edit::text::{self, Line, Lines, Patch, indent_of};
use crate::edit::{BOM, Edited, guarded};
use crate::error::{Conflict, Error, ErrorCode, Result, parser_reason_at};
use crate::quote::{show, yaml_double_quoted, yaml_scalar};

mod day2;
mod preflight;
pub(in crate::edit) mod yaml_subset;

use yaml_subset::{YPairs, YVal, YamlEntries};

pub use day2::{FieldValue, OpenCatalog, set_fields};

/// The catalog entry of one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The repository name: the key under `repositories`.
    pub name: String,
    /// The governance id (`REGISTRY_…`).
    pub id: String,
    /// The owning team.
    pub owner: String,
    /// Who asked for it, when given.
    pub requested_by: Option<String>,
    /// The domain, when given.
    pub domain: Option<String>,
    /// The risk tier.
    pub risk: String,
    /// The environment.
    pub environment: String,
    /// The creation date, `YYYY-MM-DD`.
    pub created_date: String,
    /// The request's status (`pending` for a new request by default).
    pub status: String,
}

const REPOSITORIES: &str = "repositories";
const LAST_UPDATED: &str = "last_updated";

impl CatalogEntry {
    /// The fields that identify a request, compared when the name already exists.
    fn identity(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("id", Some(self.id.as_str())),
            ("owner", Some(self.owner.as_str())),
            ("requested_by", self.requested_by.as_deref()),
            ("domain", self.domain.as_deref()),
            ("risk", Some(self.risk.as_str())),
            ("environment", Some(self.environment.as_str())),
        ]
    }

    /// The metadata fields in the platform's order, as (key, rendered scalar).
    fn rendered_fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("id", yaml_scalar(&self.id)),
            ("owner", yaml_scalar(&self.owner)),
        ];
        if let Some(r) = &self.requested_by {
            f.push(("requested_by", yaml_scalar(r)));
        }
        if let Some(d) = &self.domain {
            f.push(("domain", yaml_scalar(d)));
        }
        f.push(("risk", yaml_scalar(&self.risk)));
        f.push(("environment", yaml_scalar(&self.environment)));
        f.push(("created_date", yaml_double_quoted(&self.created_date)));
        f.push(("status", yaml_scalar(&self.status)));
        f
    }

    /// The entry as the value it must parse back to.
    fn to_yval(&self) -> YVal<'_> {
        let meta = self
            .rendered_fields()
            .into_iter()
            .map(|(k, _)| {
                let v = match k {
                    "id" => &self.id,
                    "owner" => &self.owner,
                    "requested_by" => self.requested_by.as_ref().unwrap_or(&self.owner),
                    "domain" => self.domain.as_ref().unwrap_or(&self.owner),
                    "risk" => &self.risk,
                    "environment" => &self.environment,
                    "created_date" => &self.created_date,
                    _ => &self.status,
                };
                (
                    YVal::Str(Cow::Borrowed(k)),
                    YVal::Str(Cow::Borrowed(v.as_str())),
                )
            })
            .collect();
        YVal::Map(vec![(
            YVal::Str(Cow::Borrowed("metadata")),
            YVal::Map(meta),
        )])
    }

    fn render(&self, indent: usize, step: usize) -> Vec<String> {
        let pad = |n: usize| " ".repeat(n);
        let mut out = vec![
            format!("{}{}:", pad(indent), yaml_scalar(&self.name)),
            format!("{}metadata:", pad(indent + step)),
        ];
        for (k, v) in self.rendered_fields() {
            out.push(format!("{}{k}: {v}", pad(indent + 2 * step)));
        }
        out
    }
}

fn parse(text: &str) -> Result<Value> {
    serde_yaml::from_str::<Value>(text).map_err(|e| {
        let msg = e.to_string();
        let msg = if msg.contains("more than one document") {
            "the catalog holds more than one YAML document; it must be a single mapping".into()
        } else {
            format!(
                "invalid YAML: {}",
                parser_reason_at(&msg, e.location().map(|l| (l.line(), l.column())))
            )
        };
        let err = Error::new(ErrorCode::Malformed, msg);
        match e.location() {
            Some(l) => err.at(l.line(), l.column()),
            None => err,
        }
    })
}

/// What the governance catalog says about a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogInfo {
    /// `metadata.id`.
    pub id: Option<String>,
    /// `metadata.owner`.
    pub owner: Option<String>,
    /// `metadata.environment`.
    pub environment: Option<String>,
    /// `metadata.risk`.
    pub risk: Option<String>,
}

/// The catalog's repositories (by name), for `sync`'s enrichment; a missing or empty catalog has
/// none. Read with the editor's own parser (the strict subset reader where it applies, serde_yaml
/// otherwise), so both see the same entries.
pub fn read_catalog(text: Option<&str>) -> Result<BTreeMap<String, CatalogInfo>> {
    if let Some(t) = text {
        crate::limits::check("the catalog", t.len(), crate::limits::MAX_FILE_BYTES)?;
    }
    let mut out = BTreeMap::new();
    let Some(text) = text.map(|t| t.strip_prefix(BOM).unwrap_or(t)) else {
        return Ok(out);
    };
    preflight::check(text)?;
    if is_empty_document(text) {
        return Ok(out);
    }
    let str_of = |v: &YVal| match v {
        YVal::Str(s) => Some(s.to_string()),
        YVal::Other(s) => Some(s.clone()),
        _ => None,
    };
    for (k, v) in load(text, &Layout::new(text))?.repos {
        let Some(name) = str_of(&k) else { continue };
        let mut info = CatalogInfo::default();
        if let YVal::Map(pairs) = &v {
            if let Some((_, YVal::Map(meta))) = pairs
                .iter()
                .find(|(k, _)| str_of(k).as_deref() == Some("metadata"))
            {
                for (mk, mv) in meta {
                    let slot = match str_of(mk).as_deref() {
                        Some("id") => &mut info.id,
                        Some("owner") => &mut info.owner,
                        Some("environment") => &mut info.environment,
                        Some("risk") => &mut info.risk,
                        _ => continue,
                    };
                    *slot = str_of(mv);
                }
            }
        }
        out.insert(name, info);
    }
    Ok(out)
}

/// A catalog read whole, to compare two revisions of it (`changes`).
pub(crate) struct CatalogDoc<'a> {
    /// The top-level keys but `repositories`, each with the line it starts on.
    pub top: Vec<(String, usize, Value)>,
    /// The entries under `repositories`, each with the line of its key.
    pub entries: Vec<(String, usize, YVal<'a>)>,
}

/// Read a catalog for a comparison, with the editor's own parser (and its preflight).
pub(crate) fn read_document(text: &str) -> Result<CatalogDoc<'_>> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let nodes = preflight::scan(text)?;
    if is_empty_document(text) {
        return Ok(CatalogDoc {
            top: Vec::new(),
            entries: Vec::new(),
        });
    }
    let layout = Layout::new(text);
    let cat = load_counted(text, &layout, Some(nodes))?;
    let line_of = |key: &str| {
        layout
            .find_key(key)
            .ok()
            .flatten()
            .map_or(1, |k| k.line_idx + 1)
    };
    let key_text = |k: &Value| k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
    let top = cat
        .rest
        .iter()
        .filter(|(k, _)| k.as_str() != Some(REPOSITORIES))
        .map(|(k, v)| {
            let name = key_text(k);
            let line = line_of(&name);
            (name, line, v.clone())
        })
        .collect();
    let lines = entry_lines(text, &layout);
    let repositories_line = line_of(REPOSITORIES);
    let entries = cat
        .repos
        .into_iter()
        .map(|(k, v)| {
            let name = k.text().unwrap_or_default();
            let line = lines.get(&name).copied().unwrap_or(repositories_line);
            (name, line, v)
        })
        .collect();
    Ok(CatalogDoc { top, entries })
}

/// The line (1-based) of each entry key in a block-style `repositories`; keys in other styles are
/// not found (the caller falls back to the line of `repositories`).
fn entry_lines(text: &str, layout: &Layout) -> FxMap<String, usize> {
    let mut out = FxMap::default();
    let Ok(Some(k)) = layout.find_key(REPOSITORIES) else {
        return out;
    };
    let mut indent = None;
    for i in k.line_idx + 1..layout.block_end(k.line_idx) {
        let l = layout.lines.get(i);
        let line = &text[l.start..l.end];
        let body = line.trim_start_matches(' ');
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        let n = line.len() - body.len();
        if *indent.get_or_insert(n) != n {
            continue;
        }
        let key = match body.as_bytes()[0] {
            q @ (b'"' | b'\'') => body[1..].split(q as char).next(),
            _ => body.split(':').next().map(str::trim_end),
        };
        if let Some(key) = key {
            out.entry(key.to_string()).or_insert(i + 1);
        }
    }
    out
}

/// A parsed catalog: the top-level mapping with `repositories` set to null, and, apart, the
/// entries under `repositories` in order.
struct Catalog<'a> {
    rest: Mapping,
    has_repositories: bool,
    repos: YPairs<'a>,
}

/// Parse a catalog. Fast path: the `repositories` block through the strict subset parser and the
/// rest (the block cut out) through serde_yaml; anything else, serde_yaml on the whole text.
fn load<'a>(text: &'a str, layout: &Layout) -> Result<Catalog<'a>> {
    load_counted(text, layout, None)
}

/// [`load`] of a text whose nodes [`preflight::scan`] already counted (`nodes`), so that the
/// reference path does not scan it again.
fn load_counted<'a>(text: &'a str, layout: &Layout, nodes: Option<usize>) -> Result<Catalog<'a>> {
    // Every reader (the editors, `changes`, `sync`) keeps to the node budget: the reference parser
    // on a file over it took up to a second (1 MB of aliases or flow-mapping entries).
    if let Some((range, rest)) = fast_block(text, layout, true) {
        if let Some(repos) = yaml_subset::yaml_block(&text[range]).filter(|m| !m.is_empty()) {
            // The subset reader refuses keys that read the same, merge keys and repeated ids
            // inside the block; the rest is checked here.
            one_meaning_mapping(&rest)?;
            return Ok(Catalog {
                rest,
                has_repositories: true,
                repos,
            });
        }
    }
    match nodes {
        Some(n) => budget_of(n, "has")?,
        None => within_budget(text, "has")?,
    };
    let Value::Mapping(mut rest) = parse(text)? else {
        return Err(Error::new(
            ErrorCode::Malformed,
            "the catalog must be a YAML mapping at the top level (with `repositories:`)",
        ));
    };
    let key = Value::String(REPOSITORIES.into());
    let repos = match rest.get(&key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Mapping(m)) => m
            .iter()
            .map(|(k, v)| (YVal::from_serde(k), YVal::from_serde(v)))
            .collect(),
        Some(_) => {
            return Err(Error::new(
                ErrorCode::Malformed,
                "`repositories` must be a mapping of repository names to entries",
            ));
        }
    };
    let has_repositories = rest.contains_key(&key);
    if has_repositories {
        rest.insert(key, Value::Null);
    }
    one_meaning_mapping(&rest)?;
    one_meaning_entries(&repos)?;
    Ok(Catalog {
        rest,
        has_repositories,
        repos,
    })
}

/// Refuse a catalog that one YAML reader could read otherwise than another, or in which one key
/// could hide another: see [`one_meaning_entries`].
fn two_meanings(message: String) -> Error {
    Error::new(ErrorCode::Malformed, message)
}

/// A key of a mapping read twice (also `True` and `"true"`, `a` and `'a'`), or a merge key `<<`.
fn check_keys(keys: impl Iterator<Item = Option<String>>) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for k in keys {
        let Some(k) = k else { continue };
        if k == "<<" {
            return Err(two_meanings(
                "the catalog has a merge key `<<`; YAML 1.1 readers merge another mapping in, YAML 1.2 readers read a key named \"<<\", so it is refused (write the fields out)".into(),
            ));
        }
        if !seen.insert(crate::quote::yaml_key_identity(&k).into_owned()) {
            return Err(two_meanings(format!(
                "the catalog has the key {} twice in one mapping (keys that read the same, such as `True` and `\"true\"`, `a` and `'a'`, count as one); readers disagree on which one wins, so it is refused",
                show(&k)
            )));
        }
    }
    Ok(())
}

/// [`check_keys`] on a mapping read by serde_yaml and every mapping in it.
fn one_meaning_mapping(m: &Mapping) -> Result<()> {
    check_keys(m.keys().map(|k| YVal::from_serde(k).text()))?;
    m.values().try_for_each(one_meaning_value)
}

fn one_meaning_value(v: &Value) -> Result<()> {
    match v {
        Value::Mapping(m) => one_meaning_mapping(m),
        Value::Sequence(s) => s.iter().try_for_each(one_meaning_value),
        Value::Tagged(t) => one_meaning_value(&t.value),
        _ => Ok(()),
    }
}

fn one_meaning_yval(v: &YVal) -> Result<()> {
    match v {
        YVal::Map(pairs) => {
            check_keys(pairs.iter().map(|(k, _)| k.text()))?;
            pairs.iter().try_for_each(|(_, v)| one_meaning_yval(v))
        }
        YVal::Seq(s) => s.iter().try_for_each(one_meaning_yval),
        _ => Ok(()),
    }
}

/// The entries under `repositories`, read by the reference parser: no key read twice at any
/// level, no merge key, and no governance id used by two entries (the guard and the editors find
/// an entry by its id as well as by its name).
fn one_meaning_entries(repos: &YPairs) -> Result<()> {
    check_keys(repos.iter().map(|(k, _)| k.text()))?;
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in repos {
        one_meaning_yval(v)?;
        let name = k.text().unwrap_or_default();
        if let Some(id) = metadata_text(v, "id") {
            if let Some(first) = ids.insert(id.clone(), name.clone()) {
                return Err(two_meanings(format!(
                    "the governance id {} is used by two entries, {} and {}; an id names one registry",
                    show(&id),
                    show(&first),
                    show(&name)
                )));
            }
        }
    }
    Ok(())
}

fn metadata_text(entry: &YVal, field: &str) -> Option<String> {
    entry.get("metadata")?.get(field)?.text()
}

/// What a column-0 line of the document is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TopLine {
    /// `key:` with the byte offset just after the colon.
    Key { key: String, after_colon: usize },
    /// `---` or `...`.
    Marker,
    /// Anything else at column 0 (a flow continuation, a complex key...).
    Other,
}

/// Classify a non-blank, non-comment line that starts at column 0.
fn classify(text: &str, line: Line) -> TopLine {
    let s = &text[line.start..line.end];
    let is_marker = |m: &str| {
        s.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    if is_marker("---") || is_marker("...") {
        return TopLine::Marker;
    }
    let (key, rest_at) = match s.as_bytes()[0] {
        q @ (b'"' | b'\'') => {
            let mut i = 1;
            let b = s.as_bytes();
            let mut key = String::new();
            loop {
                if i >= b.len() {
                    return TopLine::Other;
                }
                if b[i] == q {
                    if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        key.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                if q == b'"' && b[i] == b'\\' {
                    // Escapes in keys are not needed for the keys we look for.
                    return TopLine::Other;
                }
                let ch = s[i..].chars().next().unwrap_or('\0');
                key.push(ch);
                i += ch.len_utf8();
            }
            let after = i + 1;
            let rest = &s[after..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if !trimmed.starts_with(':') {
                return TopLine::Other;
            }
            (key, after + (rest.len() - trimmed.len()))
        }
        b'?' | b'-' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' => return TopLine::Other,
        _ => {
            let b = s.as_bytes();
            let pos = (0..b.len())
                .find(|&i| b[i] == b':' && (i + 1 == b.len() || matches!(b[i + 1], b' ' | b'\t')));
            match pos {
                Some(p) => (s[..p].trim_end().to_string(), p),
                None => return TopLine::Other,
            }
        }
    };
    TopLine::Key {
        key,
        after_colon: line.start + rest_at + 1,
    }
}

fn is_blank(text: &str, line: Line) -> bool {
    text[line.start..line.end].trim().is_empty()
}

fn is_comment(text: &str, line: Line) -> bool {
    text[line.start..line.end].trim_start().starts_with('#')
}

/// Where a top-level key stands in the text.
struct KeyAt {
    line_idx: usize,
    after_colon: usize,
}

struct Layout<'a> {
    lines: Lines<'a>,
    /// The lines that start a top-level element (key, marker or other content), in order.
    top: Vec<(usize, TopLine)>,
}

impl<'a> Layout<'a> {
    fn new(text: &'a str) -> Layout<'a> {
        let lines = text::lines(text);
        let top = lines
            .iter()
            .enumerate()
            .filter(|&(_, l)| {
                let s = &text[l.start..l.end];
                !(s.is_empty() || s.starts_with([' ', '\t', '#']) || is_blank(text, l))
            })
            .map(|(i, l)| (i, classify(text, l)))
            .collect();
        Layout { lines, top }
    }

    fn find_key(&self, key: &str) -> Result<Option<KeyAt>> {
        let mut found = None;
        for &(i, ref t) in &self.top {
            if let TopLine::Key {
                key: k,
                after_colon,
            } = t
            {
                if k == key {
                    if found.is_some() {
                        return Err(Error::new(
                            ErrorCode::Malformed,
                            format!("the top-level key `{key}` appears twice"),
                        )
                        .at(i + 1, 1));
                    }
                    found = Some(KeyAt {
                        line_idx: i,
                        after_colon: *after_colon,
                    });
                }
            }
        }
        Ok(found)
    }

    /// The index of the first line after `from` that starts another top-level element.
    fn block_end(&self, from: usize) -> usize {
        let next = self.top.partition_point(|(i, _)| *i <= from);
        self.top.get(next).map_or(self.lines.len(), |(i, _)| *i)
    }

    /// Indentation of the first indented content line of the whole document.
    fn indent_unit(&self, text: &str) -> Option<usize> {
        self.lines.iter().find_map(|l| {
            let s = &text[l.start..l.end];
            let n = indent_of(s);
            (n > 0 && !is_blank(text, l) && !is_comment(text, l)).then_some(n)
        })
    }
}

/// Byte range of the scalar value after a key's colon on the same line, or `None` when empty.
fn inline_value(text: &str, line: Line, after_colon: usize) -> Option<std::ops::Range<usize>> {
    let s = &text[after_colon..line.end];
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let start = after_colon + lead;
    let v = &text[start..line.end];
    let b = v.as_bytes();
    match b.first()? {
        b'#' => None,
        b'"' => {
            let mut i = 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(start..start + i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        b'\'' => {
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(start..start + i + 1);
                }
                i += 1;
            }
            None
        }
        _ => {
            let end = (0..b.len())
                .find(|&i| b[i] == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t'))
                .unwrap_or(b.len());
            let val = v[..end].trim_end();
            Some(start..start + val.len())
        }
    }
}

fn has_id(v: &YVal, id: &str) -> bool {
    v.get("metadata")
        .and_then(|m| m.get("id"))
        .and_then(YVal::as_str)
        == Some(id)
}

/// What walking the old and the new entries side by side concluded.
enum Lockstep {
    /// New = old + the entry, last; the rest of the document as expected.
    Verified,
    /// The name is already there; the conflicting fields (none: the same request).
    Existing(Vec<Conflict>),
    /// The id is used by this other repository.
    IdTaken(String),
    /// Outside the fast path's subset, or anything unexpected: decide on the full parse.
    Inconclusive,
}

/// The reference parser (serde_yaml) reads a few hundred thousand nodes a second, and an edit
/// reads the part outside the fast reader's subset twice (old and new) and compares it: more
/// nodes than this in that part could not be answered within 100 ms (BENCHMARKS.md, worst
/// inputs), so the file is refused before parsing. Entries in the fast reader's layout do not count.
pub const MAX_REFERENCE_NODES: usize = 30_000;

/// Refuse, in linear time, a catalog the reference path would take too long to read; `has` says
/// whether it is the old text or the new one.
fn within_budget(text: &str, has: &str) -> Result<usize> {
    let nodes = preflight::scan(text)?;
    budget_of(nodes, has)
}

/// [`within_budget`] for a text whose nodes are already counted.
fn budget_of(nodes: usize, has: &str) -> Result<usize> {
    if nodes <= MAX_REFERENCE_NODES {
        return Ok(nodes);
    }
    Err(Error::new(
        ErrorCode::Unsupported,
        format!(
            "the catalog {has} {nodes} YAML nodes in a layout the fast reader does not follow (it reads entries that are block mappings of one-line scalars, however many) or outside `repositories`; the full parser reads at most {MAX_REFERENCE_NODES} within the editor's time bound, so the file is refused and nothing is written"
        ),
    ))
}

/// The `repositories` block's byte range and the rest of the document, when the fast path applies.
/// With `budget`, a rest of more than [`MAX_REFERENCE_NODES`] is left to the reference path (which
/// refuses it).
fn fast_block(
    text: &str,
    layout: &Layout,
    budget: bool,
) -> Option<(std::ops::Range<usize>, Mapping)> {
    let k = layout.find_key(REPOSITORIES).ok()??;
    let end = layout.block_end(k.line_idx);
    if inline_value(text, layout.lines.get(k.line_idx), k.after_colon).is_some()
        || end <= k.line_idx + 1
    {
        return None;
    }
    let range = layout.lines.get(k.line_idx + 1).start..layout.lines.get(end - 1).next;
    // serde_yaml reads everything but the block, which is cut out (its lines are all indented or
    // comments, so `repositories:` reads as null without them).
    let skeleton = format!("{}{}", &text[..range.start], &text[range.end..]);
    if budget && !preflight::scan(&skeleton).is_ok_and(|n| n <= MAX_REFERENCE_NODES) {
        return None; // the reference path refuses it, or finds why the scan did not pass
    }
    match serde_yaml::from_str::<Value>(&skeleton) {
        Ok(Value::Mapping(rest)) if rest.get(REPOSITORIES) == Some(&Value::Null) => {
            Some((range, rest))
        }
        _ => None,
    }
}

/// Compare the old and the new catalog entry by entry, holding one entry of each at a time (a
/// 10,000-entry catalog would otherwise be two large trees).
fn lockstep(old: &str, layout: &Layout, new: &str, entry: &CatalogEntry, today: &str) -> Lockstep {
    let Some((old_range, old_rest)) = fast_block(old, layout, true) else {
        return Lockstep::Inconclusive;
    };
    if one_meaning_mapping(&old_rest).is_err() {
        return Lockstep::Inconclusive; // the reference path refuses it, with the reason
    }
    let Some(mut old_entries) = YamlEntries::new(&old[old_range]) else {
        return Lockstep::Inconclusive;
    };
    let drain_ok = |it: &mut YamlEntries| it.all(|e| e.is_some());
    let mut new_entries = None;
    while let Some(item) = old_entries.next() {
        let Some((k, v)) = item else {
            return Lockstep::Inconclusive;
        };
        if k.as_str() == Some(&entry.name) {
            let c = diff_existing(&v, entry);
            return if drain_ok(&mut old_entries) {
                Lockstep::Existing(c)
            } else {
                Lockstep::Inconclusive
            };
        }
        if has_id(&v, &entry.id) {
            let other = k.text().unwrap_or_default();
            return if drain_ok(&mut old_entries) {
                Lockstep::IdTaken(other)
            } else {
                Lockstep::Inconclusive
            };
        }
        if new_entries.is_none() {
            let new_layout = Layout::new(new);
            let Some((new_range, new_rest)) = fast_block(new, &new_layout, false) else {
                return Lockstep::Inconclusive;
            };
            if !rest_is_expected(&old_rest, true, &new_rest, today) {
                return Lockstep::Inconclusive;
            }
            new_entries = YamlEntries::mirroring(&new[new_range]);
        }
        match new_entries.as_mut().and_then(Iterator::next) {
            Some(Some((k2, v2))) if k2 == k && v2 == v => {}
            _ => return Lockstep::Inconclusive,
        }
    }
    let Some(mut new_entries) = new_entries else {
        return Lockstep::Inconclusive; // no old entries: the full parse is small anyway
    };
    match (new_entries.next(), new_entries.next()) {
        (Some(Some((k, v))), None) if k.as_str() == Some(&entry.name) && v == entry.to_yval() => {
            Lockstep::Verified
        }
        _ => Lockstep::Inconclusive,
    }
}

/// The rest of the new document is the old one with `last_updated` set (and `repositories` added
/// when it was missing), top-level keys in the same order.
fn rest_is_expected(old: &Mapping, had_repositories: bool, new: &Mapping, today: &str) -> bool {
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

/// Add `entry` under `repositories` and set `last_updated` to `today`.
///
/// `old` is the current catalog text, or `None` when the file does not exist; then `header`
/// (with `{today}` replaced) is the starting document. An empty file, or one with only comments,
/// is treated the same way, its bytes kept before the header. A byte-order mark is kept.
pub fn add_entry(
    old: Option<&str>,
    entry: &CatalogEntry,
    today: &str,
    header: &str,
) -> Result<Edited> {
    guarded(old, "catalog", preflight::check, |old| match old {
        None => add_to(None, entry, today, header),
        Some(old) => add_checked(old, entry, today, header),
    })
}

fn add_checked(old: &str, entry: &CatalogEntry, today: &str, header: &str) -> Result<Edited> {
    let last_line = old.rsplit('\n').next().unwrap_or("");
    if !last_line.is_empty() && last_line.trim_matches([' ', '\t', '\r']).is_empty() {
        let (line, _) = position(old, old.len());
        return Err(Error::new(
            ErrorCode::Unsupported,
            "the catalog ends with a line of only blanks and no line break; YAML readers disagree about what such a line means inside a block scalar, so it is not edited (end the file with a line break)",
        )
        .at(line, 1));
    }
    if !is_empty_document(old) {
        return add_to(Some(old), entry, today, header);
    }
    // Nothing but comments and blank lines: start from the header (in the file's line endings),
    // after the bytes that were there. The comments cannot change what the header reads as; the
    // reparse below proves it.
    let eol = text::line_ending(old);
    let fresh = add_to(None, entry, today, &header.replace('\n', eol))?;
    let mut text = old.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(eol);
    }
    text.push_str(&fresh.text);
    if parse(&text).ok() != parse(&fresh.text).ok() {
        return Err(Error::new(
            ErrorCode::VerificationFailed,
            "internal: the comments before the new catalog changed how it reads; nothing was written",
        ));
    }
    Ok(Edited {
        text,
        changed: true,
    })
}

/// Only blank lines and comments: no YAML node at all.
fn is_empty_document(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim_start_matches([' ', '\t']);
        t.trim_end().is_empty() || t.starts_with('#')
    })
}

/// The ways an entry can be inserted, tried in order until one verifies. They differ only where
/// the first would change an existing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// After the last indented line of the `repositories` block.
    Plain,
    /// After the block's trailing blank lines: they belong to a keep (`|+`) block scalar.
    AfterTrailingBlanks,
    /// The file ends inside a block scalar without a final newline: its header gets a strip
    /// indicator (`|` → `|-`), so the line break the entry brings does not become part of it.
    StripFinalBlockScalar,
}

fn add_to(old: Option<&str>, entry: &CatalogEntry, today: &str, header: &str) -> Result<Edited> {
    let mut first_failure = None;
    for variant in [
        Variant::Plain,
        Variant::AfterTrailingBlanks,
        Variant::StripFinalBlockScalar,
    ] {
        match add_variant(old, entry, today, header, variant) {
            Err(e) if e.code == ErrorCode::VerificationFailed => {
                first_failure.get_or_insert(e);
            }
            Err(e) if e.code == ErrorCode::Unsupported && variant != Variant::Plain => {}
            done => return done,
        }
    }
    Err(first_failure
        .unwrap_or_else(|| Error::new(ErrorCode::VerificationFailed, "internal: no variant")))
}

fn add_variant(
    old: Option<&str>,
    entry: &CatalogEntry,
    today: &str,
    header: &str,
    variant: Variant,
) -> Result<Edited> {
    // Borrowed: the old text is copied only when it is also the answer (nothing to add).
    let base: std::borrow::Cow<str> = match old {
        Some(t) => t.into(),
        None => header.replace("{today}", today).into(),
    };
    let layout = Layout::new(&base);
    // Plan and apply first, then parse the old and the new text at the same time.
    let planned = plan(&base, &layout, entry, today, variant).and_then(|patches| {
        text::apply_patches(&base, patches)
            .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))
    });
    if let Ok(new) = &planned {
        match lockstep(&base, &layout, new, entry, today) {
            Lockstep::Verified => {
                return Ok(Edited {
                    text: planned?,
                    changed: true,
                });
            }
            Lockstep::Existing(c) if c.is_empty() => {
                return Ok(Edited {
                    text: base.into_owned(),
                    changed: old.is_none(),
                });
            }
            Lockstep::Existing(c) => return Err(Error::name_taken(&entry.name, "the catalog", c)),
            Lockstep::IdTaken(other) => {
                return Err(Error::id_taken(
                    &entry.id,
                    &other,
                    &entry.name,
                    "the catalog",
                ));
            }
            Lockstep::Inconclusive => {}
        }
    }
    // The reference path: both documents in full.
    let nodes = within_budget(&base, "has")?;
    let cat = load_counted(&base, &layout, Some(nodes))?;
    if let Some((_, existing)) = cat
        .repos
        .iter()
        .find(|(k, _)| k.as_str() == Some(&entry.name))
    {
        let conflicts = diff_existing(existing, entry);
        if conflicts.is_empty() {
            return Ok(Edited {
                text: base.into_owned(),
                changed: old.is_none(),
            });
        }
        return Err(Error::name_taken(&entry.name, "the catalog", conflicts));
    }
    if let Some((k, _)) = cat.repos.iter().find(|(_, v)| has_id(v, &entry.id)) {
        return Err(Error::id_taken(
            &entry.id,
            &k.text().unwrap_or_default(),
            &entry.name,
            "the catalog",
        ));
    }

    let new = planned?;
    // What is written must stay within the budget, so that the next run reads it (and a re-run
    // of the same request answers "unchanged" rather than a refusal).
    let nodes = within_budget(&new, "would have, with the entry,")?;
    verify(
        &cat,
        load_counted(&new, &Layout::new(&new), Some(nodes)),
        entry,
        today,
    )?;
    Ok(Edited {
        text: new,
        changed: true,
    })
}

fn diff_existing(existing: &YVal, entry: &CatalogEntry) -> Vec<Conflict> {
    entry
        .identity()
        .into_iter()
        .filter_map(|(field, want)| {
            let have = metadata_text(existing, field);
            (have.as_deref() != want).then(|| Conflict {
                field: field.into(),
                existing: have,
                requested: want.map(str::to_string),
            })
        })
        .collect()
}

/// The patches for an entry: they need only the line layout, not the parsed document, so the old
/// and the new document can be parsed at the same time afterwards.
fn plan(
    text: &str,
    layout: &Layout,
    entry: &CatalogEntry,
    today: &str,
    variant: Variant,
) -> Result<Vec<Patch>> {
    let last_updated = last_updated_patch(text, layout, today)?;
    let insert_last_updated = last_updated.is_none();
    let patches = last_updated.flatten().into_iter().collect();
    plan_repositories(
        text,
        layout,
        entry,
        today,
        variant,
        patches,
        insert_last_updated,
    )
}

/// `last_updated` set to `today` in place, keeping its quoting style: `None` when the key is
/// missing, `Some(None)` when it already says `today`.
fn last_updated_patch(text: &str, layout: &Layout, today: &str) -> Result<Option<Option<Patch>>> {
    let Some(k) = layout.find_key(LAST_UPDATED)? else {
        return Ok(None);
    };
    let line = layout.lines.get(k.line_idx);
    let Some(range) = inline_value(text, line, k.after_colon) else {
        // `last_updated:` alone (or with a comment) and nothing indented below it: null.
        let after = text[k.after_colon..line.end].trim_start_matches([' ', '\t']);
        let end = layout.block_end(k.line_idx);
        let nested = (k.line_idx + 1..end).any(|i| {
            let l = layout.lines.get(i);
            !is_blank(text, l) && !is_comment(text, l)
        });
        if nested || !(after.is_empty() || after.starts_with('#')) {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "`last_updated` has no value on its own line; write it as `last_updated: \"YYYY-MM-DD\"`",
            )
            .at(k.line_idx + 1, 1));
        }
        return Ok(Some(Some(Patch::insert(
            k.after_colon,
            format!(" \"{today}\""),
        ))));
    };
    let current = text[range.clone()].trim_matches(['"', '\'']);
    if current == today {
        return Ok(Some(None));
    }
    let with = match text.as_bytes()[range.start] {
        b'\'' => format!("'{today}'"),
        b'"' => format!("\"{today}\""),
        _ => today.to_string(),
    };
    Ok(Some(Some(Patch { range, with })))
}

/// The patches that add the entry (and `repositories:`, and `last_updated` when it is missing).
fn plan_repositories(
    text: &str,
    layout: &Layout,
    entry: &CatalogEntry,
    today: &str,
    variant: Variant,
    mut patches: Vec<Patch>,
    insert_last_updated: bool,
) -> Result<Vec<Patch>> {
    let eol = text::line_ending(text);
    let last_updated_line = format!("{LAST_UPDATED}: \"{today}\"");
    if variant == Variant::StripFinalBlockScalar {
        patches.push(strip_final_block_scalar(text, layout)?);
    }

    match layout.find_key(REPOSITORIES)? {
        Some(k) => {
            let line = layout.lines.get(k.line_idx);
            // Anything after the colon must be nothing, a comment, `{}` or null.
            if let Some(range) = inline_value(text, line, k.after_colon) {
                let v = text[range.clone()].trim();
                let flow_empty =
                    v.starts_with('{') && v.ends_with('}') && v[1..v.len() - 1].trim().is_empty();
                let null = matches!(v, "~" | "null" | "Null" | "NULL");
                if flow_empty || null {
                    patches.push(Patch {
                        range: k.after_colon..range.end,
                        with: String::new(),
                    });
                } else {
                    // Not quoted: the value is the file's bytes; the position says where.
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        "`repositories` is written inline; only a block mapping (entries on their own lines) or `{}` can be edited without rewriting the file",
                    )
                    .at(k.line_idx + 1, 1));
                }
            }
            let end = layout.block_end(k.line_idx);
            let block = k.line_idx + 1..end;
            // The last indented line of the block (content or comment) is where the entry follows.
            let content = block.clone().rev().find(|&i| {
                let l = layout.lines.get(i);
                !is_blank(text, l) && indent_of(&text[l.start..l.end]) > 0
            });
            let anchor = match (variant, content) {
                (Variant::AfterTrailingBlanks, Some(c)) if c + 1 < end => end - 1,
                (Variant::AfterTrailingBlanks, _) => {
                    return Err(Error::new(
                        ErrorCode::Unsupported,
                        "no trailing blank lines",
                    ));
                }
                (_, c) => c.unwrap_or(k.line_idx),
            };
            let first_child = block.clone().find(|&i| {
                let l = layout.lines.get(i);
                !is_blank(text, l) && !is_comment(text, l)
            });
            let (indent, step) = match first_child {
                Some(i) => {
                    let l = layout.lines.get(i);
                    let ci = indent_of(&text[l.start..l.end]);
                    let grand = (i + 1..end).find_map(|j| {
                        let l = layout.lines.get(j);
                        let n = indent_of(&text[l.start..l.end]);
                        (!is_blank(text, l) && !is_comment(text, l) && n > ci).then(|| n - ci)
                    });
                    (ci, grand.unwrap_or(ci))
                }
                None => {
                    let u = layout.indent_unit(text).unwrap_or(2);
                    (u, u)
                }
            };
            if indent == 0 {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "the entries under `repositories` are not indented",
                )
                .at(k.line_idx + 2, 1));
            }
            let rendered = entry.render(indent, step);
            let anchor_line = layout.lines.get(anchor);
            let patch = if anchor_line.has_terminator() {
                Patch::insert(
                    anchor_line.next,
                    rendered.iter().map(|l| format!("{l}{eol}")).collect(),
                )
            } else {
                Patch::insert(
                    anchor_line.end,
                    rendered.iter().map(|l| format!("{eol}{l}")).collect(),
                )
            };
            patches.push(patch);
            if insert_last_updated {
                patches.push(Patch::insert(
                    line.start,
                    format!("{last_updated_line}{eol}"),
                ));
            }
        }
        None => {
            if layout.top.iter().any(|(_, t)| *t == TopLine::Marker)
                && !matches!(layout.top.first(), Some((_, TopLine::Marker)))
            {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "the catalog has no `repositories` key and ends with a document marker; add `repositories: {}` by hand",
                ));
            }
            let u = layout.indent_unit(text).unwrap_or(2);
            let mut block = String::new();
            if !text.is_empty() && !text.ends_with('\n') {
                block.push_str(eol);
            }
            if insert_last_updated {
                block.push_str(&last_updated_line);
                block.push_str(eol);
            }
            block.push_str(REPOSITORIES);
            block.push(':');
            block.push_str(eol);
            for l in entry.render(u, u) {
                block.push_str(&l);
                block.push_str(eol);
            }
            patches.push(Patch::insert(text.len(), block));
        }
    }
    Ok(patches)
}

/// The patch that turns the header of the block scalar holding the file's last line from clip
/// (`|`, `>`, with an optional indentation digit) into strip (`|-`): at the end of a file without a
/// final newline the two read the same, and the strip form stays the same after a line break is
/// added. `Unsupported` when the file ends otherwise.
fn strip_final_block_scalar(text: &str, layout: &Layout) -> Result<Patch> {
    let none = || {
        Error::new(
            ErrorCode::Unsupported,
            "the file does not end in a block scalar",
        )
    };
    if text.ends_with('\n') {
        return Err(none());
    }
    let last = (0..layout.lines.len())
        .rev()
        .find(|&i| !is_blank(text, layout.lines.get(i)))
        .ok_or_else(none)?;
    let l = layout.lines.get(last);
    let last_indent = indent_of(&text[l.start..l.end]);
    // The nearest line above that is less indented holds the header.
    let owner = (0..last)
        .rev()
        .find(|&i| {
            let l = layout.lines.get(i);
            !is_blank(text, l) && indent_of(&text[l.start..l.end]) < last_indent
        })
        .ok_or_else(none)?;
    let ol = layout.lines.get(owner);
    let s = &text[ol.start..ol.end];
    let body = s.split(" #").next().unwrap_or(s).trim_end();
    let header_at = body.rfind([' ', '\t']).map_or(0, |p| p + 1);
    let header = &body[header_at..];
    let hb = header.as_bytes();
    let clip = matches!(hb.first(), Some(b'|' | b'>'))
        && hb[1..].iter().all(u8::is_ascii_digit)
        && (header_at == 0 || body[..header_at].trim_end().ends_with([':', '-']));
    if !clip {
        return Err(none());
    }
    Ok(Patch::insert(ol.start + header_at + 1, "-".into()))
}

/// The new text must parse to the old document with `last_updated = today` and the entry added
/// last under `repositories`; nothing else may differ, and the top-level keys keep their order.
fn verify(
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn entry(name: &str) -> CatalogEntry {
        CatalogEntry {
            name: name.into(),
            id: crate::naming::registry_id("REGISTRY_", name),
            owner: "platform-team".into(),
            requested_by: Some("daniel-deans".into()),
            domain: Some("delivery".into()),
            risk: "low".into(),
            environment: "dev".into(),
            created_date: "2026-11-21".into(),
            status: "pending".into(),
        }
    }

    const BASIC: &str = "version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n  a:\n    metadata:\n      id: REGISTRY_A\n";

    #[test]
    fn appends_to_block_and_sets_date() {
        let out = add_entry(Some(BASIC), &entry("payments"), "2026-11-21", "").unwrap();
        assert!(out.changed);
        assert_eq!(
            out.text,
            "version: \"1.0\"\nlast_updated: \"2026-11-21\"\nrepositories:\n  a:\n    metadata:\n      id: REGISTRY_A\n  payments:\n    metadata:\n      id: REGISTRY_PAYMENTS\n      owner: platform-team\n      requested_by: daniel-deans\n      domain: delivery\n      risk: low\n      environment: dev\n      created_date: \"2026-11-21\"\n      status: pending\n"
        );
        let again = add_entry(Some(&out.text), &entry("payments"), "2026-12-01", "").unwrap();
        assert!(!again.changed);
        assert_eq!(again.text, out.text);
    }

    /// A catalog of exactly `nodes` nodes, read by the full parser (its one entry is a flow
    /// mapping, outside the fast reader's subset); a flow sequence pads it.
    fn catalog_of(nodes: usize) -> String {
        let base = "version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n  web: {metadata: {id: REGISTRY_WEB}}\n";
        let pad = nodes - preflight::scan(base).unwrap() - 2; // `pad:` and the sequence
        let text = format!("pad: [{}]\n{base}", vec!["a"; pad].join(", "));
        assert_eq!(preflight::scan(&text).unwrap(), nodes);
        text
    }

    #[test]
    fn the_full_parser_reads_at_most_the_node_budget() {
        let over = add_entry(
            Some(&catalog_of(MAX_REFERENCE_NODES + 1)),
            &entry("payments"),
            "2026-11-23",
            "",
        );
        let e = over.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
        assert!(
            e.message
                .contains(&format!("has {} YAML nodes", MAX_REFERENCE_NODES + 1)),
            "{}",
            e.message
        );
        // Within the budget, but not with the entry: refused, so no file is written that the next
        // run would refuse.
        let e = add_entry(
            Some(&catalog_of(MAX_REFERENCE_NODES - 2)),
            &entry("payments"),
            "2026-11-23",
            "",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
        assert!(
            e.message.contains("would have, with the entry,"),
            "{}",
            e.message
        );
        // Room for the entry: edited, and the same request again changes nothing.
        let out = add_entry(
            Some(&catalog_of(MAX_REFERENCE_NODES - 20)),
            &entry("payments"),
            "2026-11-23",
            "",
        )
        .unwrap();
        assert!(out.changed);
        let again = add_entry(Some(&out.text), &entry("payments"), "2026-11-24", "").unwrap();
        assert!(!again.changed);
    }

    #[test]
    fn the_budget_counts_only_what_the_full_parser_reads() {
        // Entries the fast reader follows do not count, however many.
        let mut text =
            String::from("version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n");
        for i in 0..MAX_REFERENCE_NODES / 4 {
            text.push_str(&format!(
                "  s{i}:\n    metadata:\n      id: R{i}\n      owner: a\n"
            ));
        }
        assert!(preflight::scan(&text).unwrap() > MAX_REFERENCE_NODES);
        assert!(
            add_entry(Some(&text), &entry("payments"), "2026-11-23", "")
                .unwrap()
                .changed
        );
    }

    #[test]
    fn conflicts_name_the_fields() {
        let out = add_entry(Some(BASIC), &entry("payments"), "2026-11-21", "").unwrap();
        let mut other = entry("payments");
        other.risk = "high".into();
        let e = add_entry(Some(&out.text), &other, "2026-11-21", "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.conflicts[0].field, "risk");
        let mut dup = entry("other");
        dup.id = "REGISTRY_A".into();
        let e = add_entry(Some(BASIC), &dup, "2026-11-21", "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert!(e.message.contains("\"a\""), "{}", e.message);
    }

    #[test]
    fn sync_reads_what_the_editor_reads() {
        let bom = format!("{BOM}repositories:\n  a:\n    metadata:\n      id: REGISTRY_A\n");
        assert_eq!(
            read_catalog(Some(&bom)).unwrap()["a"].id.as_deref(),
            Some("REGISTRY_A")
        );
        for empty in ["", "# only a comment\n", "\n\n", "\u{feff}"] {
            assert!(read_catalog(Some(empty)).unwrap().is_empty(), "{empty:?}");
        }
        let deep = format!(
            "repositories: {{}}\nx: {}{}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert_eq!(
            read_catalog(Some(&deep)).unwrap_err().code,
            ErrorCode::Malformed
        );
    }

    #[test]
    fn malformed_yaml_has_a_position() {
        let e = add_entry(Some("a: [\n"), &entry("x1"), "2026-11-21", "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Malformed);
        assert!(e.line.is_some());
        let e = add_entry(
            Some("repositories:\n  a: 1\n  a: 2\n"),
            &entry("x1"),
            "2026-11-21",
            "",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Malformed, "{e}");
    }
}
