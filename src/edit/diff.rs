//! Unified diffs for `--dry-run` and the scaffolder action's dry run.

/// A unified diff of `old` → `new` with `a/` and `b/` path prefixes; empty when equal.
pub fn unified(path: &str, old: Option<&str>, new: &str) -> String {
    let before = old.unwrap_or("");
    if old == Some(new) {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(before, new);
    let from = if old.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_string()
    };
    diff.unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{path}"))
        .missing_newline_hint(true)
        .to_string()
}
