//! Format-preserving edit of `envs/<env>/terraform.tfvars`.
//!
//! The file is parsed with `hcl-edit`, which keeps byte spans. The new repository's lines are
//! inserted just before the closing brace of the `ecr_repositories` object, formatted as
//! `terraform fmt` would (two spaces a level, `=` aligned); nothing else changes. The result is parsed
//! again and, with decoration stripped (`hcl-rs`), must equal the old body plus the entry.

use hcl_edit::Span;
use hcl_edit::expr::{Expression as EExpr, Object as EObject, ObjectKey as EKey};
use hcl_edit::structure::Body as EBody;

use crate::catalog::Edited;
use crate::error::{Conflict, Error, ErrorCode, Result};
use crate::text::{self, Patch, show};

/// The tfvars entry of one repository: `"<name>" = { metadata = { id, owner, risk } }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfvarsEntry {
    pub name: String,
    pub id: String,
    pub owner: String,
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

    /// The entry as the expression it must parse back to.
    fn to_expr(&self) -> hcl::Expression {
        let meta: hcl::Object<hcl::ObjectKey, hcl::Expression> = self
            .fields()
            .into_iter()
            .map(|(k, v)| {
                (
                    hcl::ObjectKey::Identifier(hcl::Identifier::unchecked(k)),
                    hcl::Expression::String(v.to_string()),
                )
            })
            .collect();
        let mut outer = hcl::Object::new();
        outer.insert(
            hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("metadata")),
            hcl::Expression::Object(meta),
        );
        hcl::Expression::Object(outer)
    }
}

/// An HCL quoted string; interpolation and directive openers are escaped.
pub fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn parse(text: &str) -> Result<EBody> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let msg = e.message().replace('\n', " ");
        Error::new(
            ErrorCode::Malformed,
            format!("invalid HCL: {msg} (near {})", show(e.line().trim())),
        )
        .at(loc.line(), loc.column())
    })
}

fn key_name(key: &EKey) -> Option<&str> {
    match key {
        EKey::Ident(i) => Some(i.as_str()),
        EKey::Expression(EExpr::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

fn object_get<'a>(obj: &'a EObject, name: &str) -> Option<&'a EExpr> {
    obj.iter()
        .find(|(k, _)| key_name(k) == Some(name))
        .map(|(_, v)| v.expr())
}

fn string_of(expr: Option<&EExpr>) -> Option<String> {
    match expr? {
        EExpr::String(s) => Some(s.as_str().to_string()),
        EExpr::Null(_) => None,
        other => Some(other.to_string().trim().to_string()),
    }
}

fn metadata_field(item: &EExpr, field: &str) -> Option<String> {
    let EExpr::Object(obj) = item else {
        return None;
    };
    let Some(EExpr::Object(meta)) = object_get(obj, "metadata") else {
        return None;
    };
    string_of(object_get(meta, field))
}

/// The indentation (spaces) of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> usize {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text::indent_of(&text[start..])
}

/// Insert `entry` into the object `variable` of a tfvars file (`None`: the file does not exist).
pub fn add_entry(old: Option<&str>, entry: &TfvarsEntry, variable: &str) -> Result<Edited> {
    let text = old.unwrap_or("");
    let body = parse(text)?;
    let eol = text::line_ending(text);

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

    // Whitespace patches that keep `terraform fmt` alignment (see `realign_after_split`).
    let mut extra = Vec::new();
    let patch = match attrs.first() {
        None => {
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
        Some(attr) => {
            let attr_start = attr.span().map_or(0, |s| s.start);
            let (line, col) = text::position(text, attr_start);
            let EExpr::Object(obj) = &attr.value else {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "`{variable}` must be a map literal `{{ ... }}` to add a repository to it"
                    ),
                )
                .at(line, col));
            };
            if let Some((_, existing)) = obj.iter().find(|(k, _)| key_name(k) == Some(&entry.name))
            {
                let conflicts: Vec<Conflict> = entry
                    .fields()
                    .into_iter()
                    .filter_map(|(f, want)| {
                        let have = metadata_field(existing.expr(), f);
                        (have.as_deref() != Some(want)).then(|| Conflict {
                            field: f.into(),
                            existing: have,
                            requested: Some(want.into()),
                        })
                    })
                    .collect();
                if conflicts.is_empty() {
                    return Ok(Edited {
                        text: text.to_string(),
                        changed: false,
                    });
                }
                let mut e = Error::new(
                    ErrorCode::Conflict,
                    format!(
                        "repository {} is already in `{variable}` with other values",
                        show(&entry.name)
                    ),
                );
                e.conflicts = conflicts;
                return Err(e);
            }
            for (k, v) in obj.iter() {
                if metadata_field(v.expr(), "id").as_deref() == Some(entry.id.as_str()) {
                    let other = key_name(k).unwrap_or("?").to_string();
                    let mut e = Error::new(
                        ErrorCode::Conflict,
                        format!(
                            "id {} is already used by repository {} in `{variable}`",
                            show(&entry.id),
                            show(&other)
                        ),
                    );
                    e.conflicts = vec![Conflict {
                        field: "id".into(),
                        existing: Some(other),
                        requested: Some(entry.name.clone()),
                    }];
                    return Err(e);
                }
            }
            let Some(span) = obj.span() else {
                return Err(Error::new(
                    ErrorCode::VerificationFailed,
                    "internal: the map has no position",
                ));
            };
            if span.end == 0 || text.as_bytes().get(span.end - 1) != Some(&b'}') {
                return Err(Error::new(
                    ErrorCode::VerificationFailed,
                    "internal: the map does not end with `}`",
                ));
            }
            let close = span.end - 1;
            let attr_indent = line_indent(text, attr_start);
            let item_indent = obj
                .iter()
                .next()
                .and_then(|(k, _)| k.span())
                .map(|s| line_indent(text, s.start))
                .filter(|&n| n > attr_indent);
            let indent = item_indent.unwrap_or(attr_indent + 2);
            let step = indent - attr_indent;
            let lines = entry.render(indent, step);
            let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..close].trim().is_empty() && line_start > span.start {
                // The closing brace stands on its own line: insert whole lines before it.
                Patch::insert(
                    line_start,
                    lines.iter().map(|l| format!("{l}{eol}")).collect(),
                )
            } else {
                // `{}` or a one-line map: break the line before the brace.
                let inner = &text[span.start + 1..close];
                let start = if inner.trim().is_empty() && !inner.contains('#') {
                    span.start + 1
                } else {
                    // Take the spaces before the brace along, so no line ends in a space.
                    close - (inner.len() - inner.trim_end_matches([' ', '\t']).len())
                };
                let mut with: String = lines.iter().map(|l| format!("{eol}{l}")).collect();
                with.push_str(eol);
                with.push_str(&" ".repeat(attr_indent));
                extra = realign_after_split(text, &body, attr);
                Patch {
                    range: start..close,
                    with,
                }
            }
        }
    };

    extra.push(patch);
    let new = text::apply_patches(text, extra)
        .map_err(|m| Error::new(ErrorCode::VerificationFailed, m))?;
    verify(body, &new, entry, variable)?;
    Ok(Edited {
        text: new,
        changed: true,
    })
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
    body: &EBody,
    target: &hcl_edit::structure::Attribute,
) -> Vec<Patch> {
    let starts: Vec<usize> = text::lines(text).iter().map(|l| l.start).collect();
    let line_of = |off: usize| starts.partition_point(|&s| s <= off).saturating_sub(1);
    let mut one_liners = std::collections::BTreeMap::new();
    for a in body.attributes() {
        let (Some(span), Some(kspan)) = (a.span(), a.key.span()) else {
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
    let (Some(span), Some(kspan)) = (target.span(), target.key.span()) else {
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

/// With decoration stripped, the new body must be the old one with the entry appended to the map.
fn verify(old: EBody, new_text: &str, entry: &TfvarsEntry, variable: &str) -> Result<()> {
    let fail = |why: String| {
        Err(Error::new(
            ErrorCode::VerificationFailed,
            format!(
                "the edited tfvars would not be the old file plus the entry ({why}); nothing was written"
            ),
        ))
    };
    let new = match parse(new_text) {
        Ok(b) => hcl::Body::from(b),
        Err(e) => return fail(format!("it does not parse: {}", e.message)),
    };
    let mut expected = hcl::Body::from(old);
    let key = hcl::ObjectKey::Expression(hcl::Expression::String(entry.name.clone()));
    let mut found = false;
    for s in expected.0.iter_mut() {
        if let hcl::Structure::Attribute(a) = s {
            if a.key.as_str() == variable {
                let hcl::Expression::Object(obj) = &mut a.expr else {
                    return fail("the map is not an object".into());
                };
                obj.insert(key.clone(), entry.to_expr());
                found = true;
            }
        }
    }
    if !found {
        let mut obj = hcl::Object::new();
        obj.insert(key, entry.to_expr());
        expected
            .0
            .push(hcl::Structure::Attribute(hcl::Attribute::new(
                hcl::Identifier::unchecked(variable),
                hcl::Expression::Object(obj),
            )));
    }
    if new != expected {
        return fail("the parsed bodies differ".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> TfvarsEntry {
        TfvarsEntry {
            name: name.into(),
            id: crate::validate::registry_id("REGISTRY_", name),
            owner: "platform-team".into(),
            risk: "low".into(),
        }
    }

    const ENTRY: &str = "  \"payments\" = {\n    metadata = {\n      id    = \"REGISTRY_PAYMENTS\"\n      owner = \"platform-team\"\n      risk  = \"low\"\n    }\n  }\n";

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
