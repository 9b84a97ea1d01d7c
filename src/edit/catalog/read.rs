//! Reading a catalog, for the editors, `sync` and `changes`: the `repositories` block through the
//! strict subset reader and the rest through serde_yaml when it can, serde_yaml on the whole text
//! otherwise, within the reference parser's node budget and refusing what two readers could read
//! differently; and the line each entry starts on.

use serde_yaml::{Mapping, Value};

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::layout::{Layout, inline_value, is_empty_document};
use super::yaml_subset::{self, YPairs, YVal};
use super::{CatalogInfo, MAX_REFERENCE_NODES, REPOSITORIES, preflight};
use crate::edit::BOM;
use crate::edit::lex::KeyMap;
use crate::error::{Error, ErrorCode, Result, parser_reason_at};
use crate::quote::show;
use crate::registry::field;

pub(super) fn parse(text: &str) -> Result<Value> {
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
                .find(|(k, _)| str_of(k).as_deref() == Some(field::METADATA))
            {
                for (mk, mv) in meta {
                    let slot = match str_of(mk).as_deref() {
                        Some(field::ID) => &mut info.id,
                        Some(field::OWNER) => &mut info.owner,
                        Some(field::ENVIRONMENT) => &mut info.environment,
                        Some(field::RISK) => &mut info.risk,
                        Some(field::DESCRIPTION) => &mut info.description,
                        Some(field::REGION) => &mut info.region,
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
    pub entries: Vec<(Cow<'a, str>, usize, YVal<'a>)>,
    /// The entries' keys as (hash, index) pairs sorted by [`crate::edit::lex::by_hash_then_key`],
    /// when the subset reader sorted them to find a repeat (the comparison then does not sort
    /// them again).
    pub sorted_keys: Option<Vec<(u64, usize)>>,
}

/// Read a catalog for a comparison, with the editor's own parser (and its preflight).
pub(crate) fn read_document(text: &str) -> Result<CatalogDoc<'_>> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let nodes = preflight::scan(text)?;
    if is_empty_document(text) {
        return Ok(CatalogDoc {
            top: Vec::new(),
            entries: Vec::new(),
            sorted_keys: None,
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
    // Where the subset reader did not give each key's line, a scan for them does.
    let scanned = cat.repo_lines.is_none().then(|| entry_lines(text, &layout));
    let repositories_line = line_of(REPOSITORIES);
    let entries = cat
        .repos
        .into_iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let name = match k {
                YVal::Str(s) => s,
                other => Cow::Owned(other.text().unwrap_or_default()),
            };
            let line = match (&cat.repo_lines, &scanned) {
                (Some(lines), _) => lines.get(i).copied(),
                (None, Some(scanned)) => scanned.get(&*name).copied(),
                (None, None) => None,
            };
            (name, line.unwrap_or(repositories_line), v)
        })
        .collect();
    Ok(CatalogDoc {
        top,
        entries,
        sorted_keys: cat.repo_order,
    })
}

/// The line (1-based) of each entry key in a block-style `repositories`; keys in other styles are
/// not found (the caller falls back to the line of `repositories`). A quoted key is read as YAML
/// reads it (`'it''s'` is `it's`, `"\x41"` is `A`); one that does not read is not found.
pub(super) fn entry_lines<'a>(text: &'a str, layout: &Layout) -> KeyMap<Cow<'a, str>, usize> {
    let mut out = KeyMap::new();
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
            b'"' | b'\'' => yaml_subset::quoted_key(body),
            // A plain key ends at a `:` followed by a space or the end of the line (`a:b` is one key).
            _ => {
                let b = body.as_bytes();
                (0..b.len())
                    .find(|&j| {
                        b[j] == b':' && matches!(b.get(j + 1), None | Some(b' ' | b'\t' | b'\r'))
                    })
                    .map(|j| Cow::Borrowed(body[..j].trim_end()))
            }
        };
        if let Some(key) = key {
            out.keep_first(key, i + 1);
        }
    }
    out
}

/// A parsed catalog: the top-level mapping with `repositories` set to null, and, apart, the
/// entries under `repositories` in order.
pub(super) struct Catalog<'a> {
    pub(super) rest: Mapping,
    pub(super) has_repositories: bool,
    pub(super) repos: YPairs<'a>,
    /// The line (from 1) of each entry's key, when the subset reader read them.
    pub(super) repo_lines: Option<Vec<usize>>,
    /// The entries' keys sorted, when the subset reader sorted them (see [`CatalogDoc`]).
    pub(super) repo_order: Option<Vec<(u64, usize)>>,
}

/// Parse a catalog. Fast path: the `repositories` block through the strict subset parser and the
/// rest (the block cut out) through serde_yaml; anything else, serde_yaml on the whole text.
pub(super) fn load<'a>(text: &'a str, layout: &Layout) -> Result<Catalog<'a>> {
    load_counted(text, layout, None)
}

/// [`load`] of a text whose nodes [`preflight::scan`] already counted (`nodes`), so that the
/// reference path does not scan it again.
pub(super) fn load_counted<'a>(
    text: &'a str,
    layout: &Layout,
    nodes: Option<usize>,
) -> Result<Catalog<'a>> {
    // Every reader (the editors, `changes`, `sync`) keeps to the node budget: the reference parser
    // on a file over it took up to a second (1 MB of aliases or flow-mapping entries).
    if let Some((range, rest)) = fast_block(text, layout, true) {
        // The block's first line is the one after `repositories:`.
        let first_line = layout
            .find_key(REPOSITORIES)
            .ok()
            .flatten()
            .map(|k| k.line_idx + 2);
        if let Some(block) =
            yaml_subset::yaml_block_lines(&text[range]).filter(|b| !b.pairs.is_empty())
        {
            // The subset reader refuses keys that read the same, merge keys and repeated ids
            // inside the block; the rest is checked here.
            one_meaning_mapping(&rest)?;
            return Ok(Catalog {
                rest,
                has_repositories: true,
                repos: block.pairs,
                repo_lines: first_line
                    .map(|first| block.lines.into_iter().map(|l| first + l).collect()),
                repo_order: block.sorted_keys,
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
        repo_lines: None,
        repo_order: None,
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
pub(super) fn one_meaning_mapping(m: &Mapping) -> Result<()> {
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
        if let Some(id) = metadata_text(v, field::ID) {
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

pub(super) fn metadata_text(entry: &YVal, field: &str) -> Option<String> {
    entry.get(field::METADATA)?.get(field)?.text()
}

/// Refuse, in linear time, a catalog the reference path would take too long to read; `has` says
/// whether it is the old text or the new one.
pub(super) fn within_budget(text: &str, has: &str) -> Result<usize> {
    let nodes = preflight::scan(text)?;
    budget_of(nodes, has)
}

/// [`within_budget`] for a text whose nodes are already counted.
fn budget_of(nodes: usize, has: &str) -> Result<usize> {
    crate::edit::within_node_budget(nodes, MAX_REFERENCE_NODES, || {
        format!(
            "the catalog {has} {nodes} YAML nodes in a layout the fast reader does not follow (it reads entries that are block mappings of one-line scalars, however many) or outside `repositories`"
        )
    })
}

/// The `repositories` block's byte range and the rest of the document, when the fast path applies.
/// With `budget`, a rest of more than [`MAX_REFERENCE_NODES`] is left to the reference path (which
/// refuses it).
pub(super) fn fast_block(
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The key lines the subset reader reports are the ones a scan of the lines finds, with
    /// comments, blank lines, quoted keys and CRLF line ends before and between the entries.
    #[test]
    fn key_lines_from_the_reader_are_the_scanned_ones() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "# head",
                "version: \"1.0\"",
                "repositories:",
                "  # first",
                "",
                "  a:",
                "    metadata:",
                "      id: REGISTRY_A",
                "",
                "  # between",
                "  'b-c':",
                "    metadata:",
                "      id: REGISTRY_B",
                "  \"d\": {}",
                "other: x",
                "",
            ]
            .join(eol);
            let layout = Layout::new(&text);
            let cat = load(&text, &layout).unwrap();
            let lines = cat
                .repo_lines
                .clone()
                .expect("the subset reader reads this catalog");
            let scanned = entry_lines(&text, &layout);
            let names: Vec<_> = cat.repos.iter().map(|(k, _)| k.as_str().unwrap()).collect();
            assert_eq!(names, ["a", "b-c", "d"]);
            for (name, line) in names.iter().zip(&lines) {
                assert_eq!(scanned.get(*name), Some(line), "{name} with {eol:?}");
            }
            assert_eq!(lines, [6, 11, 14]);
            let doc = read_document(&text).unwrap();
            let at: Vec<_> = doc
                .entries
                .iter()
                .map(|(k, l, _)| (k.to_string(), *l))
                .collect();
            assert_eq!(at, [("a".into(), 6), ("b-c".into(), 11), ("d".into(), 14)]);
        }
    }

    /// A plain key ends at the first `:` followed by a space or the end of the line: `bbb:x` is
    /// one key, and it does not take the line of `bbb` (the reference path).
    #[test]
    fn a_plain_key_with_a_colon_inside_is_one_key() {
        let text = "repositories:\n  bbb:x:\n    metadata:\n      id: A\n  bbb:\n    metadata:\n      id: B\n  zz: 12\n";
        let layout = Layout::new(text);
        assert!(load(text, &layout).unwrap().repo_lines.is_none());
        let lines = entry_lines(text, &layout);
        assert_eq!((lines.get("bbb:x"), lines.get("bbb")), (Some(&2), Some(&5)));
        let doc = read_document(text).unwrap();
        let at: Vec<_> = doc
            .entries
            .iter()
            .map(|(k, l, _)| (k.to_string(), *l))
            .collect();
        assert_eq!(at[..2], [("bbb:x".into(), 2), ("bbb".into(), 5)]);
    }

    /// A quoted key is found on its line by the scan too (the reference path, where the subset
    /// reader gave no lines: `zz: 12` is outside it): `'it''s'` is not `it`.
    #[test]
    fn quoted_keys_are_read_as_yaml_reads_them() {
        let text = "repositories:\n  'it''s':\n    metadata:\n      id: A\n      owner: o\n  it:\n    metadata:\n      id: B\n      owner: p\n  \"a\\x41\": {}\n  zz: 12\n";
        let layout = Layout::new(text);
        assert!(load(text, &layout).unwrap().repo_lines.is_none());
        let lines = entry_lines(text, &layout);
        assert_eq!(lines.get("it's"), Some(&2));
        assert_eq!(lines.get("it"), Some(&6));
        assert_eq!(lines.get("aA"), Some(&10));
        let doc = read_document(text).unwrap();
        let at: Vec<_> = doc
            .entries
            .iter()
            .map(|(k, l, _)| (k.to_string(), *l))
            .collect();
        assert_eq!(
            at,
            [
                ("it's".into(), 2),
                ("it".into(), 6),
                ("aA".into(), 10),
                ("zz".into(), 11)
            ]
        );
    }
}
