//! Unified diffs for `--dry-run` and the scaffolder action's dry run.
//!
//! The text is what `similar`'s `TextDiff::from_lines(..).unified_diff()` writes (context 3, the
//! missing-newline hint on) for the part of the texts that differs; the tests compare the two. An
//! edit changes a few lines of a large file, so the lines both texts start and end with are
//! skipped by comparing bytes, and only the lines between them, with three lines of context each
//! side, are split, numbered and diffed: a one-entry edit of a 1 MB file costs two `memcmp`s and a
//! count of line breaks, not a split and sort of every line. Changes far apart in a large text
//! (`last_updated` at the top, an entry at the bottom) are diffed part by part ([`regions`]). The lines are numbered here (equal
//! lines, equal numbers), then `similar` diffs the numbers with the same algorithm (Myers), whose
//! result depends only on which lines are equal; the hunks are written with `push_str`.
//! `similar`'s own line hasher (a 128-bit multiply per word, a library call in WebAssembly) made
//! the diff of two unrelated 1 MB texts take 155 ms there. The numbering sorts the lines rather
//! than hashing them: the texts are untrusted, and a hash without a secret key can be made to put
//! every line in one bucket (a review built 60,000 such lines for FxHash: minutes instead of
//! milliseconds).
//!
//! Myers's cost is the number of lines times the number of changes: two 1 MB texts that differ
//! in every other line took it a quarter of a second. It runs only when its greedy search finds
//! the shortest edit within [`MYERS_WORK`] steps (every edit this crate makes does, with room to
//! spare); texts too different for that are diffed between the lines that occur once in each
//! ([`anchored`], patience diff's anchors), and spans with no anchor are replaced whole. Those
//! diffs are valid (the tests apply them) but not always the shortest.

use std::ops::Range;

use super::text::common_prefix;

use similar::{Algorithm, DiffOp, DiffableStr, capture_diff_slices, group_diff_ops};

/// A unified diff of `old` → `new` with `a/` and `b/` path prefixes; empty when equal.
pub fn unified(path: &str, old: Option<&str>, new: &str) -> String {
    if old == Some(new) {
        return String::new();
    }
    let from = if old.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_string()
    };
    render(old.unwrap_or(""), new, &from, &format!("b/{path}"))
}

/// The unified diff of two texts under the given header names.
fn render(old: &str, new: &str, from: &str, to: &str) -> String {
    let pieces = regions(old.as_bytes(), new.as_bytes())
        .and_then(|parts| {
            let mut at = (0, 0, 0, 0);
            let mut pieces = Vec::with_capacity(parts.len());
            for (a, b) in parts {
                // Lines before the part, counted from where the last part started.
                at.0 += count_lines(&old.as_bytes()[at.2..a.start]);
                at.1 += count_lines(&new.as_bytes()[at.3..b.start]);
                (at.2, at.3) = (a.start, b.start);
                let whole = (a.start == 0, a.end == old.len() && b.end == new.len());
                pieces.push(Piece::of(&old[a], &new[b], (at.0, at.1), whole)?);
            }
            Some(pieces)
        })
        .or_else(|| Piece::of(old, new, (0, 0), (true, true)).map(|p| vec![p]))
        .unwrap_or_default();
    // The parts' operations, each shifted to its place, with the equal lines between them.
    let mut ops: Vec<DiffOp> = Vec::new();
    let mut end = (0, 0);
    for p in &pieces {
        push(
            &mut ops,
            DiffOp::Equal {
                old_index: end.0,
                new_index: end.1,
                len: p.first.0 - end.0,
            },
        );
        for op in &p.ops {
            push(&mut ops, shift(op, p.first));
        }
        end = (p.first.0 + p.old.len(), p.first.1 + p.new.len());
    }
    let line = |old_side: bool, i: usize| -> &str {
        let k = pieces.partition_point(|p| if old_side { p.first.0 } else { p.first.1 } <= i);
        let p = &pieces[k.saturating_sub(1)];
        if old_side {
            p.old[i - p.first.0]
        } else {
            p.new[i - p.first.1]
        }
    };
    let mut out = String::new();
    for hunk in group_diff_ops(ops, 3) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if out.is_empty() {
            for (mark, name) in [("--- ", from), ("+++ ", to)] {
                out.push_str(mark);
                out.push_str(name);
                out.push('\n');
            }
        }
        out.push_str("@@ -");
        range(&mut out, first.old_range().start, last.old_range().end);
        out.push_str(" +");
        range(&mut out, first.new_range().start, last.new_range().end);
        out.push_str(" @@\n");
        for op in &hunk {
            let old_lines = op.old_range().map(|i| line(true, i));
            let new_lines = op.new_range().map(|i| line(false, i));
            match op {
                DiffOp::Equal { .. } => lines(&mut out, ' ', old_lines),
                DiffOp::Delete { .. } => lines(&mut out, '-', old_lines),
                DiffOp::Insert { .. } => lines(&mut out, '+', new_lines),
                DiffOp::Replace { .. } => {
                    lines(&mut out, '-', old_lines);
                    lines(&mut out, '+', new_lines);
                }
            }
        }
    }
    out
}

/// One changed part's lines (a window around the change), the number of its first line in each
/// text, and the diff of its lines.
struct Piece<'a> {
    old: Vec<&'a str>,
    new: Vec<&'a str>,
    first: (usize, usize),
    ops: Vec<DiffOp>,
}

impl<'a> Piece<'a> {
    /// The diff of a part of the texts whose lines start at `before` in each. Myers's result can
    /// put a change anywhere in a run of equal lines (an inserted line into a run of them goes
    /// after the run), so a window whose first or last change has fewer than three lines of
    /// context inside it is widened until it has them or is the whole part; `None` when a part
    /// that is not at the texts' `(start, end)` would need more than itself.
    fn of(old: &'a str, new: &'a str, before: (usize, usize), whole: (bool, bool)) -> Option<Self> {
        let mut breaks = 4;
        loop {
            let w = Window::of(old, new, breaks);
            let (a, b) = (w.old.tokenize_lines(), w.new.tokenize_lines());
            let (a_ids, b_ids, shared) = number(&a, &b);
            // Texts with no line in common are one replacement, as Myers finds after all its
            // work (two unrelated 1 MB texts took it 0.14 s in WebAssembly).
            let ops = if !shared {
                disjoint(a.len(), b.len())
            } else if myers_fits(&a_ids, &b_ids, &mut MYERS_WORK.clone()) {
                capture_diff_slices(Algorithm::Myers, &a_ids, &b_ids)
            } else {
                anchored(&a_ids, &b_ids)
            };
            let context =
                |op: Option<&DiffOp>| matches!(op, Some(DiffOp::Equal { len, .. }) if *len >= 3);
            let (head, tail) = (context(ops.first()), context(ops.last()));
            if (head || w.at_start && whole.0) && (tail || w.at_end && whole.1) {
                return Some(Piece {
                    old: a,
                    new: b,
                    first: (before.0 + w.before, before.1 + w.before),
                    ops,
                });
            }
            if (!head && w.at_start && !whole.0) || (!tail && w.at_end && !whole.1) {
                return None;
            }
            breaks = breaks.saturating_mul(4);
        }
    }
}

/// How much work a diff may take before it is written coarse: diagonals Myers's greedy search
/// tries (a line matched along one counts a sixteenth: following a run of equal lines is a
/// tight loop). `similar`'s divide-and-conquer Myers costs about ten times the greedy search's
/// steps on the same texts (a block of 300 lines moved across 20,000 took it 35 ms), so this
/// bounds it to a few milliseconds; an edit's diff (tens of changed lines) takes a few hundred.
const MYERS_WORK: usize = 1 << 16;

/// Whether Myers's greedy search finds the shortest edit of `a` into `b` within `budget` steps
/// (its forward pass, Myers 1986, section 2); the steps it took are taken off `budget`.
fn myers_fits(a: &[u32], b: &[u32], budget: &mut usize) -> bool {
    edit_distance(a, b, budget).is_some()
}

/// The number of lines deleted and inserted by the shortest edit of `a` into `b`, when Myers's
/// greedy search finds it within `budget` steps (taken off it; all of it when not found).
fn edit_distance(a: &[u32], b: &[u32], budget: &mut usize) -> Option<usize> {
    let budget_in = std::mem::take(budget);
    let (n, m) = (a.len(), b.len());
    // Sixteenths of a step, so that a matched line can cost one.
    let mut left = budget_in.checked_mul(16)?;
    // At most `d` changes can be looked at within the budget: d(d+1)/2 diagonals.
    let most = (n + m).min(budget_in.isqrt() * 2 + 1);
    let off = most + 1;
    let mut v = vec![0usize; 2 * most + 3];
    for d in 0..=most {
        for k in (off - d..=off + d).step_by(2) {
            left = left.checked_sub(16)?;
            let mut x = if k == off - d || (k != off + d && v[k - 1] < v[k + 1]) {
                v[k + 1]
            } else {
                v[k - 1] + 1
            };
            // y = x - (k - off): never below zero (a diagonal d above the start is reached
            // from one at least d - 1 to the right).
            let mut y = (x + off).checked_sub(k)?;
            let start = x;
            while x < n && y < m && a[x] == b[y] {
                x += 1;
                y += 1;
            }
            left = left.checked_sub(x - start)?;
            v[k] = x;
            if x >= n && y >= m {
                *budget = left / 16;
                return Some(d);
            }
        }
    }
    None
}

/// The diff of two texts too different for Myers within [`MYERS_WORK`] as a whole (a block moved
/// far, many entries changed): the lines that occur once in each text, in the same order (the
/// longest such sequence: patience diff's anchors), are kept, and the lines between two anchors
/// are diffed by Myers while a second budget lasts, and written [`coarse`] after it. A valid
/// diff, not always the shortest.
fn anchored(a: &[u32], b: &[u32]) -> Vec<DiffOp> {
    let ids = a.iter().chain(b).max().map_or(0, |m| *m as usize + 1);
    let (mut in_a, mut in_b, mut at_b) = (vec![0u8; ids], vec![0u8; ids], vec![0usize; ids]);
    for &x in a {
        in_a[x as usize] = in_a[x as usize].saturating_add(1);
    }
    for (j, &x) in b.iter().enumerate() {
        in_b[x as usize] = in_b[x as usize].saturating_add(1);
        at_b[x as usize] = j;
    }
    let once: Vec<(usize, usize)> = a
        .iter()
        .enumerate()
        .filter(|&(_, &x)| in_a[x as usize] == 1 && in_b[x as usize] == 1)
        .map(|(i, &x)| (i, at_b[x as usize]))
        .collect();
    let mut ops = Vec::new();
    let mut budget = MYERS_WORK;
    let mut at = (0, 0);
    for (i, j) in increasing(&once).into_iter().chain([(a.len(), b.len())]) {
        let (gap_a, gap_b) = (&a[at.0..i], &b[at.1..j]);
        let gap = if gap_a.is_empty() || gap_b.is_empty() {
            disjoint(gap_a.len(), gap_b.len())
        } else if myers_fits(gap_a, gap_b, &mut budget) {
            capture_diff_slices(Algorithm::Myers, gap_a, gap_b)
        } else {
            coarse(gap_a, gap_b)
        };
        for op in &gap {
            push(&mut ops, shift(op, at));
        }
        if i < a.len() {
            push(
                &mut ops,
                DiffOp::Equal {
                    old_index: i,
                    new_index: j,
                    len: 1,
                },
            );
        }
        at = (i + 1, j + 1);
    }
    ops
}

/// The longest run of `pairs` (in order of their first) whose seconds increase: patience
/// sorting, `n log n`.
fn increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tops[k]: the pair ending the best run of length k + 1 found so far; back: each pair's
    // predecessor in its run.
    let mut tops: Vec<usize> = Vec::new();
    let mut back = vec![usize::MAX; pairs.len()];
    for (p, &(_, j)) in pairs.iter().enumerate() {
        let k = tops.partition_point(|&t| pairs[t].1 < j);
        if k > 0 {
            back[p] = tops[k - 1];
        }
        if k == tops.len() {
            tops.push(p);
        } else {
            tops[k] = p;
        }
    }
    let mut run = Vec::with_capacity(tops.len());
    let mut p = tops.last().copied().unwrap_or(usize::MAX);
    while p != usize::MAX {
        run.push(pairs[p]);
        p = back[p];
    }
    run.reverse();
    run
}

/// Appends `op`, merged into the last op when both are equal lines.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    match (ops.last_mut(), op) {
        (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) => *len += more,
        (_, op) => ops.push(op),
    }
}

/// The lines both texts start and end with kept, every line between them replaced: a valid
/// diff, not the shortest (a reviewer sees every old line of the span removed, every new one
/// added).
fn coarse(a: &[u32], b: &[u32]) -> Vec<DiffOp> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = common_tail(a, b, head);
    let mut ops = Vec::with_capacity(3);
    if head > 0 {
        ops.push(DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: head,
        });
    }
    ops.extend(
        disjoint(a.len() - head - tail, b.len() - head - tail)
            .iter()
            .map(|op| shift(op, (head, head))),
    );
    if tail > 0 {
        ops.push(DiffOp::Equal {
            old_index: a.len() - tail,
            new_index: b.len() - tail,
            len: tail,
        });
    }
    ops
}

/// The diff of `old_len` lines and `new_len` others, none of them equal: what `similar` captures.
fn disjoint(old_len: usize, new_len: usize) -> Vec<DiffOp> {
    match (old_len, new_len) {
        (0, 0) => Vec::new(),
        (0, _) => vec![DiffOp::Insert {
            old_index: 0,
            new_index: 0,
            new_len,
        }],
        (_, 0) => vec![DiffOp::Delete {
            old_index: 0,
            old_len,
            new_index: 0,
        }],
        _ => vec![DiffOp::Replace {
            old_index: 0,
            old_len,
            new_index: 0,
            new_len,
        }],
    }
}

fn shift(op: &DiffOp, by: (usize, usize)) -> DiffOp {
    let (o, n) = (op.old_range(), op.new_range());
    let (old_index, new_index) = (o.start + by.0, n.start + by.1);
    match *op {
        DiffOp::Equal { len, .. } => DiffOp::Equal {
            old_index,
            new_index,
            len,
        },
        DiffOp::Delete { old_len, .. } => DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        },
        DiffOp::Insert { new_len, .. } => DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        },
        DiffOp::Replace {
            old_len, new_len, ..
        } => DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        },
    }
}

/// Texts that differ in lines far apart (an edit rewrites `last_updated` at the top of a catalog
/// and adds an entry at the bottom) are cut into parts, one per change, so the equal lines
/// between changes are compared as bytes, never split into lines. Each part runs from the end
/// of the previous change to the start of the next; changes are told apart where, within
/// [`RESYNC`] lines after a difference in each text, both texts go on with [`SYNC`] equal lines.
/// `None` (diff the texts whole) for a small difference, or when no such cut is found within a
/// budget of byte comparisons: the result is then what `similar` writes.
fn regions(a: &[u8], b: &[u8]) -> Option<Vec<(Range<usize>, Range<usize>)>> {
    const SMALL: usize = 64 * 1024;
    const RESYNC: usize = 16;
    const SYNC: usize = 64;
    let (same, same_end) = common_ends(a, b);
    let (end_a, end_b) = (a.len() - same_end, b.len() - same_end);
    if (end_a - same) + (end_b - same) <= SMALL {
        return None;
    }
    // Where the lines both texts end with start.
    let stop_a = nth_break_forward(a, end_a, 1);
    let stop_b = b.len() - (a.len() - stop_a);
    let mut budget = 8 * (a.len() + b.len());
    let mut cuts: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let (mut pa, mut pb) = {
        let p = nth_break_back(&a[..same], 1);
        (p, p)
    };
    'change: loop {
        let starts = |t: &[u8], from: usize, stop: usize| {
            let mut v = vec![from];
            while v.len() <= RESYNC && v[v.len() - 1] < stop {
                v.push(nth_break_forward(t, v[v.len() - 1], 1).min(stop));
            }
            v
        };
        let (la, lb) = (starts(a, pa, stop_a), starts(b, pb, stop_b));
        for sum in 1..la.len() + lb.len() {
            for (k, &sa) in la.iter().enumerate().take(sum + 1) {
                let Some(&sb) = lb.get(sum - k) else { continue };
                if sa == stop_a && sb == stop_b {
                    cuts.push((pa..sa, pb..sb));
                    break 'change;
                }
                if sa == stop_a || sb == stop_b {
                    continue;
                }
                let (ta, tb) = (&a[sa..stop_a], &b[sb..stop_b]);
                let mut lines = 0;
                let mut n = 0;
                for (x, y) in ta.iter().zip(tb) {
                    if x != y {
                        break;
                    }
                    n += 1;
                    if *x == b'\n' {
                        lines += 1;
                        if lines == SYNC {
                            break;
                        }
                    }
                }
                budget = budget.checked_sub(n + 1)?;
                if lines == SYNC {
                    cuts.push((pa..sa, pb..sb));
                    let more = common_prefix(ta, tb);
                    if sa + more == stop_a && sb + more == stop_b {
                        break 'change;
                    }
                    budget = budget.checked_sub(more)?;
                    let back = nth_break_back(&ta[..more], 1);
                    (pa, pb) = (sa + back, sb + back);
                    continue 'change;
                }
            }
        }
        return None;
    }
    // Each part reaches from the end of the change before it to the start of the next.
    let mut parts = Vec::with_capacity(cuts.len());
    for i in 0..cuts.len() {
        let (lo_a, lo_b) = match i {
            0 => (0, 0),
            _ => (cuts[i - 1].0.end, cuts[i - 1].1.end),
        };
        let (hi_a, hi_b) = cuts
            .get(i + 1)
            .map_or((a.len(), b.len()), |(na, nb)| (na.start, nb.start));
        parts.push((lo_a..hi_a, lo_b..hi_b));
    }
    Some(parts)
}

/// The part of two texts a diff has to look at: from `breaks - 1` lines before the first byte
/// that differs to as many after the last, each end on a line start (after a `\n`, so splitting
/// the part gives the same lines as splitting the whole text there), how many lines come before
/// it, and whether it reaches each end of the texts.
struct Window<'a> {
    old: &'a str,
    new: &'a str,
    before: usize,
    at_start: bool,
    at_end: bool,
}

impl<'a> Window<'a> {
    fn of(old: &'a str, new: &'a str, breaks: usize) -> Self {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let (same, same_end) = common_ends(a, b);
        // `breaks` line breaks back: `breaks - 1` whole lines before the one that differs.
        let start = nth_break_back(&a[..same], breaks);
        // The first line break inside the common end starts the lines both texts end with; three
        // more after it are the context.
        let tail = |t: &[u8]| {
            let from = t.len() - same_end;
            nth_break_forward(t, from, breaks)
        };
        let (old_end, new_end) = (tail(a), tail(b));
        Window {
            old: &old[start..old_end],
            new: &new[start..new_end],
            before: count_lines(&a[..start]),
            at_start: start == 0,
            at_end: old_end == a.len() && new_end == b.len(),
        }
    }
}

/// How many bytes two texts start with in common, and end with in common after that. The common
/// end never reaches back into the common start (so an insertion into a run of equal lines lands
/// where `similar` puts it: after the run).
fn common_ends(a: &[u8], b: &[u8]) -> (usize, usize) {
    let same = common_prefix(a, b);
    (same, common_tail(a, b, same))
}

/// How many items two sequences end with in common, not reaching back into their first `head`.
fn common_tail<T: PartialEq>(a: &[T], b: &[T], head: usize) -> usize {
    let room = a.len().min(b.len()) - head;
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many lines `similar` splits `t` into when `t` ends with `\n` (or is empty): a line ends
/// at `\n`, `\r\n` or a lone `\r`.
fn count_lines(t: &[u8]) -> usize {
    let breaks = t.iter().filter(|&&c| c == b'\n').count();
    let lone_cr = t
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count();
    breaks + lone_cr
}

/// The start of the line after the `n`th `\n` from the end of `t`, or 0.
fn nth_break_back(t: &[u8], n: usize) -> usize {
    t.iter().rposition(|&c| c == b'\n').map_or(0, |last| {
        let mut at = last;
        for _ in 1..n {
            match t[..at].iter().rposition(|&c| c == b'\n') {
                Some(i) => at = i,
                None => return 0,
            }
        }
        at + 1
    })
}

/// The end of the `n`th `\n` at or after `from` in `t`, or the end of `t`.
fn nth_break_forward(t: &[u8], from: usize, n: usize) -> usize {
    t[from..]
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .nth(n - 1)
        .map_or(t.len(), |(i, _)| from + i + 1)
}

/// Each line's number, equal lines getting equal numbers: the lines of both texts sorted once,
/// so the cost is `n log n` comparisons whatever the lines are.
fn number(a: &[&str], b: &[&str]) -> (Vec<u32>, Vec<u32>, bool) {
    let mut order: Vec<(&str, bool, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, l)| (*l, false, i))
        .chain(b.iter().enumerate().map(|(i, l)| (*l, true, i)))
        .collect();
    order.sort_unstable_by(|x, y| x.0.cmp(y.0));
    let (mut a_ids, mut b_ids) = (vec![0u32; a.len()], vec![0u32; b.len()]);
    let mut id = 0u32;
    // Whether some line is in both texts, and which texts the current line was seen in.
    let (mut shared, mut seen) = (false, [false; 2]);
    for (k, &(line, in_b, i)) in order.iter().enumerate() {
        if k > 0 && order[k - 1].0 != line {
            id = id.saturating_add(1);
            seen = [false; 2];
        }
        seen[usize::from(in_b)] = true;
        shared |= seen == [true; 2];
        if in_b {
            b_ids[i] = id;
        } else {
            a_ids[i] = id;
        }
    }
    (a_ids, b_ids, shared)
}

/// A hunk's line range as unified diffs write it: `start,len`, `start` alone for one line, and
/// an empty range starting at the line before it.
fn range(out: &mut String, start: usize, end: usize) {
    let len = end.saturating_sub(start);
    if len == 1 {
        out.push_str(&(start + 1).to_string());
    } else {
        let begin = if len == 0 { start } else { start + 1 };
        out.push_str(&begin.to_string());
        out.push(',');
        out.push_str(&len.to_string());
    }
}

fn lines<'a>(out: &mut String, mark: char, lines: impl Iterator<Item = &'a str>) {
    for line in lines {
        out.push(mark);
        out.push_str(line);
        if !line.ends_with(['\r', '\n']) {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `similar` itself writes for the same texts.
    fn reference(old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header("a/f", "b/f")
            .missing_newline_hint(true)
            .to_string()
    }

    /// A text of up to `n` lines drawn from a few, with and without a final line break, with CRLF
    /// and lone CR: small alphabets make many equal lines, so the diffs have every kind of op.
    fn text(seed: &mut u64, n: usize) -> String {
        let mut next = || {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *seed
        };
        let count = (next() % (n as u64 + 1)) as usize;
        let mut t = String::new();
        for _ in 0..count {
            let word = ["a", "b", "c", "d", "", "é"][(next() % 6) as usize];
            let end = ["\n", "\n", "\n", "\r\n", "\r"][(next() % 5) as usize];
            t.push_str(word);
            t.push_str(end);
        }
        if next() % 4 == 0 {
            t.push_str("tail");
        }
        t
    }

    /// `render` writes what `similar` writes for these texts.
    fn same_as_similar(old: &str, new: &str) {
        assert_eq!(
            render(old, new, "a/f", "b/f"),
            reference(old, new),
            "{old:?} -> {new:?}"
        );
    }

    #[test]
    fn writes_what_similar_writes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for case in 0..20_000 {
            let n = if case % 100 == 0 { 300 } else { 12 };
            let (old, new) = (text(&mut seed, n), text(&mut seed, n));
            if old != new {
                same_as_similar(&old, &new);
            }
        }
    }

    /// An edit of a few lines somewhere in a long text, as the editors make: the window around
    /// it must give what `similar` gives for the whole texts, runs of equal lines included (an
    /// insertion into a run lands after it).
    #[test]
    fn a_small_edit_of_a_long_text() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3_000 {
            let old = text(&mut seed, 200);
            let mut rnd = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let lines: Vec<&str> = old.split_inclusive('\n').collect();
            let at = (rnd() % (lines.len() as u64 + 1)) as usize;
            let cut = (rnd() % 3) as usize;
            let added = ["a\n", "b\n", "x\n", "", "a\r\n", "tail"][(rnd() % 6) as usize];
            let mut new: String = lines[..at].concat();
            new.push_str(added);
            new.push_str(&lines[(at + cut).min(lines.len())..].concat());
            if old != new {
                same_as_similar(&old, &new);
            }
        }
    }

    /// Applies a unified diff to `old`, checking every context and removed line: what `git
    /// apply` would do with it.
    fn apply(old: &str, diff: &str) -> String {
        let old_lines: Vec<&str> = old.tokenize_lines();
        let mut out = String::new();
        let mut at = 0;
        let mut rows = diff.split_inclusive('\n').skip(2).peekable();
        while let Some(header) = rows.next() {
            let start: usize = header["@@ -".len()..]
                .split([',', ' '])
                .next()
                .and_then(|n| n.parse().ok())
                .expect("hunk header");
            let len_zero = header.split(' ').nth(1).is_some_and(|r| r.ends_with(",0"));
            let from = if len_zero { start } else { start - 1 };
            assert!(from >= at, "hunks out of order in {diff:?}");
            out.push_str(&old_lines[at..from].concat());
            at = from;
            while let Some(row) = rows.next_if(|r| !r.starts_with("@@")) {
                let mut line = row[1..].to_string();
                if rows.peek() == Some(&"\\ No newline at end of file\n") {
                    rows.next();
                    line.pop();
                }
                match &row[..1] {
                    " " | "-" => {
                        assert_eq!(old_lines[at], line, "context or removed line in {diff:?}");
                        if row.starts_with(' ') {
                            out.push_str(&line);
                        }
                        at += 1;
                    }
                    "+" => out.push_str(&line),
                    _ => panic!("row {row:?}"),
                }
            }
        }
        out.push_str(&old_lines[at..].concat());
        out
    }

    /// Long texts changed in a few places far apart take the path that cuts them into parts: with
    /// lines that differ, the diff is what `similar` writes; with runs of equal lines (where a cut
    /// can fall elsewhere than Myers's choice), it is a diff that turns the old text into the
    /// new one, context checked.
    #[test]
    fn changes_far_apart_in_long_texts() {
        let mut seed = 0x6a09_e667_f3bc_c909u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cut = 0;
        for case in 0..60 {
            let runs = case % 2 == 1;
            let n = if runs { 30_000 } else { 6_000 } * (1 + rnd() % 2) as usize;
            let mut lines: Vec<String> = (0..n)
                .map(|i| match runs {
                    true => ["#\n", "  y\n", "\n", "a\r\n"][(rnd() % 4) as usize].to_string(),
                    false => format!("line {i} {}\n", rnd() % 1000),
                })
                .collect();
            let old = lines.concat();
            for _ in 0..1 + rnd() % 5 {
                let at = (rnd() % lines.len() as u64) as usize;
                match rnd() % 3 {
                    0 => lines[at] = format!("changed {}\n", rnd() % 7),
                    1 => lines.insert(at, ["#\n", "new\n", "  y\n"][(rnd() % 3) as usize].into()),
                    _ => drop(lines.remove(at)),
                }
            }
            let new = lines.concat();
            cut += usize::from(regions(old.as_bytes(), new.as_bytes()).is_some());
            let diff = render(&old, &new, "a/f", "b/f");
            assert_eq!(apply(&old, &diff), new, "case {case}");
            if !runs {
                assert_eq!(diff, reference(&old, &new), "case {case}");
            }
        }
        assert!(cut >= 20, "only {cut} of 60 cases were cut into parts");
        // A catalog of comment lines: `last_updated` at the top, an entry at the bottom.
        let body = "#\n".repeat(40_000);
        let old = format!("last_updated: \"2026-10-02\"\n{body}repositories: {{}}\n");
        let new = format!("last_updated: \"2026-12-01\"\n{body}repositories:\n  a:\n    b: c\n");
        assert!(regions(old.as_bytes(), new.as_bytes()).is_some_and(|p| p.len() == 2));
        assert_eq!(render(&old, &new, "a/f", "b/f"), reference(&old, &new));
    }

    /// Texts with no line in common take the shortcut: what `similar` writes all the same.
    #[test]
    fn texts_with_no_line_in_common() {
        let mut seed = 0x3c6e_f372_fe94_f82bu64;
        let mut tested = 0;
        for case in 0..2_000 {
            let n = if case % 50 == 0 { 400 } else { 10 };
            let old = text(&mut seed, n);
            let new = text(&mut seed, n)
                .replace('a', "p")
                .replace('b', "q")
                .replace('c', "r");
            let new = new.replace('d', "s").replace('é', "t").replace('\n', "!\n");
            let (a, b) = (old.tokenize_lines(), new.tokenize_lines());
            if old != new && !number(&a, &b).2 {
                same_as_similar(&old, &new);
                tested += 1;
            }
        }
        assert!(tested >= 500, "only {tested} pairs had no line in common");
        same_as_similar("a\nb\n", "");
        same_as_similar("", "x\ny");
    }

    /// The budgeted search finds the length of the shortest edit: what `similar`'s diff deletes
    /// and inserts.
    #[test]
    fn the_budgeted_search_finds_the_shortest_edit() {
        let mut seed = 0xbb67_ae85_84ca_a73bu64;
        for case in 0..5_000 {
            let n = if case % 100 == 0 { 300 } else { 12 };
            let (old, new) = (text(&mut seed, n), text(&mut seed, n));
            let (a, b) = (old.tokenize_lines(), new.tokenize_lines());
            let (a, b, _) = number(&a, &b);
            let changed: usize = capture_diff_slices(Algorithm::Myers, &a, &b)
                .iter()
                .map(|op| match *op {
                    DiffOp::Equal { .. } => 0,
                    DiffOp::Delete { old_len, .. } => old_len,
                    DiffOp::Insert { new_len, .. } => new_len,
                    DiffOp::Replace {
                        old_len, new_len, ..
                    } => old_len + new_len,
                })
                .sum();
            assert_eq!(
                edit_distance(&a, &b, &mut (usize::MAX / 16)),
                Some(changed),
                "{old:?} -> {new:?}"
            );
            if changed > 0 {
                assert_eq!(
                    edit_distance(&a, &b, &mut (changed / 2)),
                    None,
                    "{old:?} -> {new:?}"
                );
            }
        }
    }

    /// Texts too different for Myers within its budget as a whole: a block of 1,000 lines moved
    /// across 20,000, every other line changed (lines that occur once: patience anchors between
    /// the changes), and lines that repeat changed throughout (no anchor: one replacement). Each
    /// diff turns the old text into the new one, context checked; a few changes stay exact.
    #[test]
    fn texts_too_different_for_the_budget() {
        let old: String = (0..20_000)
            .map(|i| format!("line {i} of the text\n"))
            .collect();
        let lines: Vec<&str> = old.split_inclusive('\n').collect();
        let every_other: String = (0..20_000)
            .map(|i| match i % 2 {
                0 => lines[i].to_string(),
                _ => format!("changed {i}\n"),
            })
            .collect();
        let moved = [&lines[1_000..10_000], &lines[..1_000], &lines[10_000..]]
            .concat()
            .concat();
        let xy = "y\nx\n".repeat(10_000);
        let yz = "y\nz\n".repeat(10_000);
        for (old, new) in [(&old, &every_other), (&old, &moved), (&xy, &yz)] {
            let (a, b) = (old.tokenize_lines(), new.tokenize_lines());
            let (a, b, _) = number(&a, &b);
            assert!(!myers_fits(&a, &b, &mut MYERS_WORK.clone()));
            let diff = render(old, new, "a/f", "b/f");
            assert_eq!(apply(old, &diff), *new);
        }
        // Anchored: each changed line its own replacement, as Myers would have it.
        assert_eq!(
            render(&old, &every_other, "a/f", "b/f"),
            reference(&old, &every_other)
        );
        // The moved block: its 1,000 lines removed and added, every other line kept.
        let diff = render(&old, &moved, "a/f", "b/f");
        assert_eq!(
            diff.lines()
                .filter(|l| l.starts_with('-') && !l.starts_with("---"))
                .count(),
            1_000
        );
        assert_eq!(
            diff.lines()
                .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
                .count(),
            1_000
        );
        // No anchor: one hunk from the first changed line to the last.
        let diff = render(&xy, &yz, "a/f", "b/f");
        assert!(
            diff.starts_with("--- a/f\n+++ b/f\n@@ -1,20000 +1,20000 @@\n"),
            "{}",
            &diff[..80]
        );
        let mut few = lines.clone();
        for at in [5_000, 5_010, 12_000] {
            few[at] = "edited\n";
        }
        same_as_similar(&old, &few.concat());
    }

    /// The anchors are the longest increasing run.
    #[test]
    fn anchors_are_the_longest_increasing_run() {
        assert_eq!(increasing(&[]), vec![]);
        let pairs = [(0, 5), (1, 1), (2, 6), (3, 2), (4, 3), (5, 9), (6, 4)];
        assert_eq!(increasing(&pairs), vec![(1, 1), (3, 2), (4, 3), (6, 4)]);
    }

    #[test]
    fn equal_texts_and_new_files() {
        assert_eq!(unified("f", Some("a\n"), "a\n"), "");
        assert_eq!(
            unified("f", None, "a\nb"),
            "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n"
        );
    }
}
