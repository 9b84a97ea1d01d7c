//! Where the map stands in a tfvars file (`Site`) and how new lines match the file: the
//! indentation of a line, and the `=` (and trailing comment) alignment `terraform fmt` wants once a
//! one-line map is opened into several lines.

use hcl_edit::Span;
use hcl_edit::structure::Body as EBody;

use crate::edit::text::{self, Patch};

/// Where the map stands: what the patches are computed from, on either path.
pub(super) struct Site<'b> {
    pub(super) body: &'b EBody,
    /// Skeleton offsets past `.0` are `.1` bytes left of the original's (fast path).
    pub(super) cut: Option<(usize, usize)>,
    pub(super) open: usize,
    pub(super) close: usize,
    pub(super) first_key: Option<usize>,
}

impl Site<'_> {
    pub(super) fn orig(&self, off: usize) -> usize {
        match self.cut {
            Some((at, n)) if off > at => off + n,
            _ => off,
        }
    }
}

/// The indentation (spaces) of the line holding byte `at`.
pub(super) fn line_indent(text: &str, at: usize) -> usize {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text::indent_of(&text[start..])
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
pub(super) fn realign_after_split(
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
