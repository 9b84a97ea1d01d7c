//! Adding an entry (`add_entry`): where its lines are inserted (after the last line of the
//! `repositories` block, in the file's indentation, or a new block), `last_updated` set, and the
//! lockstep fast path that checks the request and verifies the result one entry at a time.

use super::layout::{
    Layout, TopLine, inline_value, is_blank, is_comment, is_empty_document, last_updated_patch,
    strip_final_block_scalar,
};
use super::read::{
    fast_block, load_counted, metadata_text, one_meaning_mapping, parse, within_budget,
};
use super::verify::{rest_is_expected, verify};
use super::yaml_subset::{YVal, YamlEntries};
use super::{CatalogEntry, LAST_UPDATED, REPOSITORIES, preflight};
use crate::edit::text::{self, Patch, indent_of, position};
use crate::edit::{Edited, guarded};
use crate::error::{Conflict, Error, ErrorCode, Result};

fn has_id(v: &YVal, id: &str) -> bool {
    v.get("metadata")
        .and_then(|m| m.get(crate::registry::field::ID))
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

/// Read the old catalog's entries one at a time (a 10,000-entry catalog would otherwise be a large
/// tree), checking the request against each, then prove the new catalog is the old one plus the
/// entry, last.
///
/// The new block is not read again in full: the reader is a deterministic left-to-right walk
/// whose reading of an entry depends only on that entry's lines and the next content line (where
/// it stops). Every entry before the last old one is therefore read, in the new block, from bytes
/// the new block has unchanged (checked byte for byte, up to the end of the last old key's line),
/// and reads as it did; the last old entry and the new one are read again from the new block.
/// Reading all 10,000 again was a third of a scaffold (issue 26).
fn lockstep(old: &str, layout: &Layout, new: &str, entry: &CatalogEntry, today: &str) -> Lockstep {
    let Some((old_range, old_rest)) = fast_block(old, layout, true) else {
        return Lockstep::Inconclusive;
    };
    if one_meaning_mapping(&old_rest).is_err() {
        return Lockstep::Inconclusive; // the reference path refuses it, with the reason
    }
    let old_block = &old[old_range];
    let Some(mut old_entries) = YamlEntries::new(old_block) else {
        return Lockstep::Inconclusive;
    };
    let drain_ok = |it: &mut YamlEntries| it.all(|e| e.is_some());
    let mut last = None;
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
        last = Some((k, v, old_entries.key_span()));
    }
    let Some((last_key, last_value, (from, to))) = last else {
        return Lockstep::Inconclusive; // no old entries: the full parse is small anyway
    };
    let new_layout = Layout::new(new);
    let Some((new_range, new_rest)) = fast_block(new, &new_layout, false) else {
        return Lockstep::Inconclusive;
    };
    if !rest_is_expected(&old_rest, true, &new_rest, today) {
        return Lockstep::Inconclusive;
    }
    let new_block = &new[new_range];
    if new_block.as_bytes().get(..to) != Some(&old_block.as_bytes()[..to]) {
        return Lockstep::Inconclusive;
    }
    let Some(mut new_entries) = YamlEntries::mirroring(&new_block[from..]) else {
        return Lockstep::Inconclusive;
    };
    if new_entries.indent() != old_entries.indent() {
        return Lockstep::Inconclusive;
    }
    match new_entries.next() {
        Some(Some((k, v))) if k == last_key && v == last_value => {}
        _ => return Lockstep::Inconclusive,
    }
    match (new_entries.next(), new_entries.next()) {
        (Some(Some((k, v))), None) if k.as_str() == Some(&entry.name) && v == entry.to_yval() => {
            Lockstep::Verified
        }
        _ => Lockstep::Inconclusive,
    }
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
            // A region only the config's default gave is no conflict with an entry recorded
            // before regions were: the same request again still changes nothing.
            if field == crate::registry::field::REGION && entry.region_defaulted && have.is_none() {
                return None;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::catalog::MAX_REFERENCE_NODES;

    pub(crate) fn entry(name: &str) -> CatalogEntry {
        CatalogEntry {
            name: name.into(),
            id: crate::naming::registry_id("REGISTRY_", name),
            owner: "platform-team".into(),
            requested_by: Some("daniel-deans".into()),
            domain: Some("delivery".into()),
            description: None,
            region: None,
            region_defaulted: false,
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
