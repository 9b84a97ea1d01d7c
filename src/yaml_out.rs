//! YAML written from a JSON value tree, block style, so that every reader reads the same values:
//! YAML 1.2 (serde_yaml, the npm `yaml` package) and YAML 1.1 (PyYAML; kubectl and Argo CD through
//! go-yaml). A string is plain only when [`crate::quote::yaml_plain_ok`] says every reader reads it
//! as that string (it starts with a letter, so no number, date or `0b`/`0x` shape, and is no YAML
//! 1.1 boolean word), else double-quoted and escaped; serde_yaml's own writer quotes only what YAML
//! 1.2 reads as another type, and leaves `2024-01-01` or `0b101` plain, which YAML 1.1 reads as a
//! date and a number.

use serde_json::Value;

use crate::error::Result;
use crate::quote::{is_hidden, yaml_double_quoted, yaml_plain_ok};

/// A string scalar: plain when safe, a literal block for multi-line text, else double-quoted (the
/// crate's one YAML quoting rule, [`crate::quote`]).
pub(crate) fn scalar(out: &mut String, s: &str, indent: usize) {
    if yaml_plain_ok(s) {
        out.push_str(s);
    } else if s.contains('\n')
        && !s.ends_with('\n')
        && s.lines()
            .all(|l| !l.starts_with([' ', '\t']) && !l.ends_with([' ', '\t']) && !l.is_empty())
        // No control character, no line or paragraph separator (a line break to YAML 1.1 readers
        // only), no bidirectional control: those go double-quoted, escaped.
        && !s.chars().any(|c| c != '\n' && is_hidden(c))
    {
        out.push_str("|-");
        for line in s.lines() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent + 2));
            out.push_str(line);
        }
    } else {
        out.push_str(&yaml_double_quoted(s));
    }
}

/// Block-style YAML of a JSON value tree (objects, arrays of objects or strings, string scalars).
/// The tests read every file back with serde_yaml, PyYAML-compatible `yaml` and Backstage's own
/// validators; `yaml_emitter_round_trips` checks it against serde_yaml on hostile strings.
fn emit(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                scalar(out, k, indent);
                out.push(':');
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', indent + 2));
                        emit(out, v, indent + 2);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', indent));
                        emit(out, v, indent);
                    }
                    _ => {
                        out.push(' ');
                        emit(out, v, indent);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                out.push_str("- ");
                emit(out, item, indent + 2);
            }
        }
        Value::String(s) => scalar(out, s, indent),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
    }
    if matches!(v, Value::Object(m) if m.is_empty()) {
        out.push_str("{}");
    }
    if matches!(v, Value::Array(a) if a.is_empty()) {
        out.push_str("[]");
    }
}

/// Documents separated by `---`, each ending in a line break.
pub(crate) fn yaml_docs(docs: &[Value]) -> Result<String> {
    let mut out = String::with_capacity(docs.len() * 512);
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit(&mut out, d, 0);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_emitter_round_trips() {
        let hostile = [
            "plain",
            "yes",
            "No",
            "null",
            "~",
            "3",
            "0x1f",
            "1e3",
            "2026-11-21",
            "2024-01-01",
            "0b101",
            "1_000",
            "012",
            "1.5",
            "1.2.3",
            "123",
            "2026-11-21T18:00:00Z",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "[x]",
            "{x}",
            "'q'",
            "\"dq\"",
            "tab\there",
            " lead",
            "trail ",
            "multi\nline",
            "multi\n  indented",
            "ends\n",
            "",
            "ünï",
            "a\u{7}bell",
            "*ref",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick`",
            "https://x.example/a?b=c&d=e",
            "arn:aws:ecr:eu-west-2:1:repository/a/b",
            "key:",
            "a - b",
        ];
        for s in hostile {
            let v = json!({"k": s, "list": [s, {"inner": s}], "nested": {"deeper": {"x": s}}, "empty": {}, "none": []});
            let text = yaml_docs(std::slice::from_ref(&v)).unwrap();
            let back: Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{s:?}: {e}\n{text}"));
            assert_eq!(back, v, "{s:?}\n{text}");
        }
    }
}
