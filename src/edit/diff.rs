//! Unified diffs for `--dry-run` and the scaffolder action's dry run.
//!
//! The text is exactly what `similar`'s `TextDiff::from_lines(..).unified_diff()` writes (context
//! 3, the missing-newline hint on); the test below compares the two on generated texts. The lines
//! are numbered here (equal lines, equal numbers), then
//! `similar` diffs the numbers with the same algorithm (Myers), whose result depends only on which
//! lines are equal; the hunks are written with `push_str`. `similar`'s own line hasher (a 128-bit
//! multiply per word, a library call in WebAssembly) made the diff of two unrelated 1 MB texts
//! take 155 ms there. The numbering sorts the lines rather than hashing them: the texts are
//! untrusted, and a hash without a secret key can be made to put every line in one bucket (a
//! review built 60,000 such lines for FxHash: minutes instead of milliseconds).

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
    let (a, b) = (old.tokenize_lines(), new.tokenize_lines());
    let (a_ids, b_ids) = number(&a, &b);
    let ops = capture_diff_slices(Algorithm::Myers, &a_ids, &b_ids);
    let mut out = String::new();
    for hunk in group_diff_ops(ops, 3) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if out.is_empty() {
            out.reserve(old.len() + new.len() + 64);
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
            let (old_lines, new_lines) = (&a[op.old_range()], &b[op.new_range()]);
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

/// Each line's number, equal lines getting equal numbers: the lines of both texts sorted once,
/// so the cost is `n log n` comparisons whatever the lines are.
fn number(a: &[&str], b: &[&str]) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<(&str, bool, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, l)| (*l, false, i))
        .chain(b.iter().enumerate().map(|(i, l)| (*l, true, i)))
        .collect();
    order.sort_unstable_by(|x, y| x.0.cmp(y.0));
    let (mut a_ids, mut b_ids) = (vec![0u32; a.len()], vec![0u32; b.len()]);
    let mut id = 0u32;
    for (k, &(line, in_b, i)) in order.iter().enumerate() {
        if k > 0 && order[k - 1].0 != line {
            id = id.saturating_add(1);
        }
        if in_b {
            b_ids[i] = id;
        } else {
            a_ids[i] = id;
        }
    }
    (a_ids, b_ids)
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

fn lines(out: &mut String, mark: char, lines: &[&str]) {
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

    #[test]
    fn writes_what_similar_writes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for case in 0..20_000 {
            let n = if case % 100 == 0 { 300 } else { 12 };
            let (old, new) = (text(&mut seed, n), text(&mut seed, n));
            if old == new {
                continue;
            }
            assert_eq!(
                render(&old, &new, "a/f", "b/f"),
                reference(&old, &new),
                "{old:?} -> {new:?}"
            );
        }
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
