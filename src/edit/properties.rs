//! The strict subset readers read exactly what the reference parsers read: whatever they accept
//! must parse the same with serde_yaml and hcl-rs, in the same order.

use proptest::prelude::*;
use serde_yaml::Value;

use super::catalog::yaml_subset::{YVal, yaml_block};
use super::tfvars::hcl_subset::{HVal, hcl_object};

fn yaml_value_token() -> BoxedStrategy<String> {
    let likely = prop::sample::select(vec![
        "",
        "x",
        "payments-api",
        "two words",
        "REGISTRY_A",
        "2026-01-05",
        "yes",
        "No",
        "y",
        "on",
        "\"q\"",
        "\"a\\\"b\\n\"",
        "\"\\x41\\u00e9\"",
        "'it''s'",
        "{}",
        "[]",
        "v # c",
        "a.b/c@d+e",
        "\"2026-01-05\"",
    ])
    .prop_map(str::to_string);
    prop_oneof![3 => likely, 1 => yaml_any_token()].boxed()
}

fn yaml_any_token() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "x",
        "payments-api",
        "two words",
        "a  b",
        "REGISTRY_A",
        "2026-01-05",
        "2026-1-5",
        "12",
        "1.5",
        "0x1F",
        "yes",
        "No",
        "null",
        "NULL",
        "~",
        "true",
        "False",
        "\"q\"",
        "\"a\\\"b\\n\"",
        "\"\\x41\\u00e9\"",
        "\"bad\\q\"",
        "'it''s'",
        "'open",
        "{}",
        "[]",
        "{a: 1}",
        "[1]",
        "&a v",
        "*a",
        "!!str x",
        "|",
        ">",
        "- x",
        "a: b",
        "v # c",
        "v #c",
        "v#c",
        "@x",
        "`x",
        "%x",
        ".inf",
        "-1",
        "+1",
        "a\tb",
        "é",
    ])
    .prop_map(str::to_string)
}

/// Well-nested blocks whose scalars come from the token list: most stay inside the subset.
fn yaml_structured_block() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "k", "ab", "a-b", "\"q k\"", "'s'", "key", "id", "x y", "null", "1",
    ]);
    let leaf = move || {
        (
            key.clone(),
            yaml_value_token(),
            prop::sample::select(vec!["", "", " # c"]),
        )
            .prop_map(|(k, v, c)| (k.to_string(), v, c.to_string()))
    };
    let keys = prop::sample::select(vec!["k", "ab", "a-b", "\"q k\"", "'s'", "key", "id", "x y"]);
    let entry = (
        keys,
        prop::collection::vec(leaf(), 0..4),
        leaf(),
        any::<bool>(),
    );
    (
        prop::sample::select(vec![2usize, 4]),
        prop::collection::vec(entry, 1..6),
    )
        .prop_map(|(step, entries)| {
            let mut out = String::new();
            for (k, children, scalar, nested) in entries {
                if nested && !children.is_empty() {
                    out.push_str(&format!("{}{k}:\n", " ".repeat(step)));
                    for (ck, cv, cc) in children {
                        out.push_str(&format!("{}{ck}: {cv}{cc}\n", " ".repeat(2 * step)));
                    }
                } else {
                    out.push_str(&format!(
                        "{}{}: {}{}\n",
                        " ".repeat(step),
                        k,
                        scalar.1,
                        scalar.2
                    ));
                }
            }
            out
        })
}

fn yaml_block_text() -> BoxedStrategy<String> {
    prop_oneof![yaml_random_block(), yaml_structured_block()].boxed()
}

fn yaml_random_block() -> impl Strategy<Value = String> {
    let line = (
        prop::sample::select(vec![2usize, 4, 6, 8, 3, 0]),
        prop::sample::select(vec![
            "k", "ab", "a-b", "\"q k\"", "'s'", "? x", "- k", "key", "k2", "x y",
        ]),
        yaml_value_token(),
        prop::sample::select(vec!["", "", "", " # c", "#c"]),
        0u8..10,
    )
        .prop_map(|(ind, key, value, comment, kind)| match kind {
            0 => String::new(),
            1 => format!("{}# comment", " ".repeat(ind)),
            _ if value.is_empty() => format!("{}{key}:{comment}", " ".repeat(ind)),
            _ => format!("{}{key}: {value}{comment}", " ".repeat(ind)),
        });
    prop::collection::vec(line, 1..14).prop_map(|v| v.join("\n") + "\n")
}

fn hcl_value(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop::sample::select(vec![
        "\"s\"",
        "\"a b\"",
        "\"}\"",
        "\"\\\"q\\\"\"",
        "\"\\u00e9\"",
        "\"${x}\"",
        "\"$${x}\"",
        "\"%{if}\"",
        "1",
        "0",
        "007",
        "12345",
        "1.5",
        "-2",
        "true",
        "false",
        "null",
        "var.x",
        "f(1)",
        "\"a\" == \"b\"",
        "[]",
        "{}",
        "1 + 2",
        "x ? 1 : 2",
        "\"é\"",
    ])
    .prop_map(str::to_string);
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => prop::collection::vec(hcl_value(depth - 1), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => prop::collection::vec((hcl_key(), hcl_value(depth - 1)), 0..3).prop_map(|v| {
            let items: Vec<String> = v.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
            format!("{{ {} }}", items.join(", "))
        }),
        1 => prop::collection::vec((hcl_key(), hcl_value(depth - 1)), 0..3).prop_map(|v| {
            let items: Vec<String> = v.into_iter().map(|(k, v)| format!("    {k} = {v}\n")).collect();
            format!("{{\n{}  }}", items.concat())
        }),
    ]
    .boxed()
}

fn hcl_key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b", "metadata", "id", "x-y", "\"q\"", "\"a b\"", "\"p-1\"", "true", "1x",
    ])
    .prop_map(str::to_string)
}

fn hcl_interior() -> impl Strategy<Value = String> {
    let item = (
        hcl_key(),
        hcl_value(2),
        prop::sample::select(vec!["", "", " # c", " // c", ",", " /* c */"]),
        prop::sample::select(vec![" = ", "=", " : ", " =\n "]),
    )
        .prop_map(|(k, v, c, eq)| format!("  {k}{eq}{v}{c}\n"));
    prop::collection::vec(
        prop_oneof![4 => item, 1 => Just("  # note\n".to_string()), 1 => Just("\n".to_string())],
        0..8,
    )
    .prop_map(|v| v.concat())
}

fn hval_json(v: &HVal) -> serde_json::Value {
    match v {
        HVal::Str(s) => s.clone().into(),
        HVal::Num(n) => serde_json::from_str(n).unwrap(),
        HVal::Bool(b) => (*b).into(),
        HVal::Null => serde_json::Value::Null,
        HVal::Tuple(t) => t.iter().map(hval_json).collect(),
        HVal::Obj(o) => o
            .iter()
            .map(|(k, v)| (k.name().to_string(), hval_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        HVal::Other(s) => panic!("fast path produced Other({s})"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn fast_yaml_reads_what_serde_yaml_reads(block in yaml_block_text()) {
        if let Some(map) = yaml_block(&block) {
            let doc = format!("repositories:\n{block}");
            let reference: Result<Value, _> = serde_yaml::from_str(&doc);
            prop_assert!(reference.is_ok(), "fast accepted what serde_yaml rejects: {:?} {:?}", block, reference);
            let reference = reference.unwrap();
            // Order is part of the comparison: YVal mappings are ordered lists of pairs.
            let fast = YVal::Map(map);
            if fast == YVal::Map(Vec::new()) {
                prop_assert_eq!(&reference["repositories"], &Value::Null);
            } else {
                prop_assert_eq!(YVal::from_serde(&reference["repositories"]), fast);
            }
        }
    }

    #[test]
    fn fast_hcl_reads_what_hcl_rs_reads(interior in hcl_interior()) {
        let text = format!("x = {{\n{interior}}}\n");
        if let Some((items, close)) = hcl_object(&text, 4) {
            prop_assert_eq!(close, text.len() - 2);
            let reference: Result<serde_json::Value, _> = hcl::from_str(&text);
            prop_assert!(reference.is_ok(), "fast accepted what hcl-rs rejects: {:?} {:?}", text, reference);
            let got: serde_json::Map<String, serde_json::Value> =
                items.iter().map(|it| (it.key.name().to_string(), hval_json(&it.value))).collect();
            prop_assert_eq!(items.len(), got.len(), "mixed ident and string keys collapse: {:?}", text);
            prop_assert_eq!(&reference.unwrap()["x"], &serde_json::Value::Object(got));
        }
    }
}

/// The two properties above mean something only if the generators reach the fast paths often.
#[test]
fn subset_properties_are_not_vacuous() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut r = TestRunner::deterministic();
    let (mut yaml, mut hcl) = (0, 0);
    for _ in 0..1000 {
        let b = yaml_block_text().new_tree(&mut r).unwrap().current();
        if yaml_block(&b).is_some_and(|m| !m.is_empty()) {
            yaml += 1;
        }
        let t = format!(
            "x = {{\n{}}}\n",
            hcl_interior().new_tree(&mut r).unwrap().current()
        );
        if hcl_object(&t, 4).is_some_and(|(items, _)| !items.is_empty()) {
            hcl += 1;
        }
    }
    println!("fast path accepted, of 1000 generated: yaml {yaml}, hcl {hcl}");
    assert!(yaml >= 50 && hcl >= 50, "yaml {yaml}, hcl {hcl}");
}
