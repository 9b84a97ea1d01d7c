//! Adding an entry (`add_entry`): its lines inserted just before the map's closing brace (or a new
//! map appended), and the fast path that checks the request and verifies the result one item at a
//! time without holding either file.

use hcl_edit::Span;

use super::hcl_subset::{self, HKey, HVal};
use super::layout::{Site, line_indent, realign_after_split};
use super::read::{final_heredoc_is_terminated, load, metadata_field, skeleton, within_budget};
use super::verify::verify;
use super::{TfvarsEntry, preflight};
use crate::edit::text::{self, Patch};
use crate::edit::{Edited, guarded};
use crate::error::{Conflict, Error, ErrorCode, Result};

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

/// The fast path for a file whose map holds only literals: the old items are read once, one at a
/// time, never held; the request is checked on the way. `None`: it does not apply, or something
/// was unexpected; the reference path decides.
///
/// The new map is not read again in full: the reader is a deterministic left-to-right walk whose
/// reading of an item depends only on the bytes from where it starts through the byte after it
/// ([`hcl_subset::HclItems::position`]). An old item that ends before the first byte where the new
/// text differs from the old is therefore read, in the new text, exactly as in the old; the items
/// from the first one that does not are read again from the new text, side by side with the old
/// ones. For the usual insertion before the closing brace that is none of the old items, and
/// reading 10,000 items twice was a third of a scaffold (issue 26).
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
    let same_until = text::common_prefix(text.as_bytes(), new.as_bytes());
    let mut old_items = hcl_subset::HclItems::new(text, open)?;
    // When the edit changed a byte before the map's `{` (it moved), every item is compared.
    let mut new_items = if new_open == open && same_until > open {
        None
    } else {
        Some(hcl_subset::HclItems::mirroring(&new, new_open)?)
    };
    let mut verdict = None;
    // Where the item being read starts; after the loop, where the last one ended.
    let mut start;
    loop {
        start = old_items.position();
        let Some(old_item) = old_items.next() else {
            break;
        };
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
        if verdict.is_none() && (new_items.is_some() || old_items.position() >= same_until) {
            // The first item read from bytes the edit changed, and every one after it: read the
            // new text from the same place, and compare.
            let b = new_items
                .get_or_insert_with(|| hcl_subset::HclItems::mirroring_at(&new, start))
                .next()??;
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
    // Every old item was read from unchanged bytes: the new side starts after the last of them.
    let mut new_items =
        new_items.unwrap_or_else(|| hcl_subset::HclItems::mirroring_at(&new, start));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::tfvars::MAX_REFERENCE_NODES;
    use crate::quote::hcl_string;

    fn entry(name: &str) -> TfvarsEntry {
        TfvarsEntry {
            name: name.into(),
            id: crate::naming::registry_id("REGISTRY_", name),
            owner: "platform-team".into(),
            risk: "low".into(),
            description: None,
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
