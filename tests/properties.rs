//! Property tests. Generated catalogs and tfvars in many layouts: any valid request inserted gives
//! a file that parses (checked here, independently of the editors' own verification) to the old
//! document plus the entry, only lines are added (besides `last_updated`), and a second insert is a
//! no-op. Arbitrary text never makes an editor or the validator panic.
#![cfg(feature = "edit")]

use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

use ecr_registrar::catalog::{self, CatalogEntry};
use ecr_registrar::tfvars::{self, TfvarsEntry};
use ecr_registrar::{Config, Request, Validator};

const TODAY: &str = "2026-11-21";

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,3}".prop_filter("AWS needs 2+ chars", |s| s.len() >= 2)
}

fn owner() -> impl Strategy<Value = String> {
    prop::sample::select(Config::default().owners)
}

#[derive(Debug, Clone)]
struct CatalogDoc {
    text: String,
    names: Vec<String>,
}

/// A catalog in one of many layouts the platform's files take.
fn catalog_doc() -> impl Strategy<Value = CatalogDoc> {
    (
        prop::collection::btree_set(name(), 0..6),
        prop::sample::select(vec![2usize, 4]),
        any::<bool>(),                           // CRLF
        any::<bool>(),                           // final newline
        any::<bool>(),                           // leading ---
        any::<bool>(),                           // leading comment
        0usize..4,                               // position of repositories among the other keys
        prop::sample::select(vec![0u8, 1, 2]),   // empty form: block null, {}, ~
        prop::collection::vec(any::<bool>(), 6), // comment / blank line between entries
        any::<bool>(),                           // last_updated quoted
    )
        .prop_map(
            |(names, ind, crlf, final_nl, dashes, comment, pos, empty_form, seps, quoted)| {
                let names: Vec<String> = names.into_iter().collect();
                let pad = |n: usize| " ".repeat(n * ind);
                let mut lines: Vec<String> = Vec::new();
                if comment {
                    lines.push("# ECR governance catalog".into());
                }
                if dashes {
                    lines.push("---".into());
                }
                let mut top = vec![
                    "version: \"1.0\"".to_string(),
                    "domain: delivery".into(),
                    if quoted {
                        "last_updated: \"2026-01-09\"".into()
                    } else {
                        "last_updated: 2026-01-09".into()
                    },
                    "owner: platform-team".into(),
                ];
                let mut repo_lines = Vec::new();
                if names.is_empty() {
                    repo_lines.push(
                        match empty_form {
                            0 => "repositories:",
                            1 => "repositories: {}",
                            _ => "repositories: ~",
                        }
                        .to_string(),
                    );
                } else {
                    repo_lines.push("repositories:".into());
                    for (i, n) in names.iter().enumerate() {
                        if seps[i % seps.len()] {
                            repo_lines.push(format!("{}# entry {i}", pad(1)));
                        } else if i > 0 {
                            repo_lines.push(String::new());
                        }
                        repo_lines.push(format!("{}{n}:", pad(1)));
                        repo_lines.push(format!("{}metadata:", pad(2)));
                        repo_lines.push(format!(
                            "{}id: {}",
                            pad(3),
                            ecr_registrar::registry_id("REGISTRY_", n)
                        ));
                        repo_lines.push(format!("{}owner: app-team", pad(3)));
                        repo_lines.push(format!("{}created_date: \"2026-01-05\"", pad(3)));
                    }
                }
                let at = pos.min(top.len());
                top.insert(at, repo_lines.join("\n"));
                lines.extend(top);
                let eol = if crlf { "\r\n" } else { "\n" };
                let mut text = lines.join("\n").replace('\n', eol);
                if final_nl {
                    text.push_str(eol);
                }
                CatalogDoc { text, names }
            },
        )
}

fn catalog_entry(name: &str, owner: &str, env: &str, risk: &str) -> CatalogEntry {
    CatalogEntry {
        name: name.into(),
        id: ecr_registrar::registry_id("REGISTRY_", name),
        owner: owner.into(),
        requested_by: None,
        domain: Some("delivery".into()),
        risk: risk.into(),
        environment: env.into(),
        created_date: TODAY.into(),
        status: "pending".into(),
    }
}

/// What the edited catalog must parse to, built here without the editor's code.
fn expected_catalog(old: &str, e: &CatalogEntry) -> Value {
    let mut doc: Value = serde_yaml::from_str(old).unwrap();
    let top = doc.as_mapping_mut().unwrap();
    top.insert("last_updated".into(), TODAY.into());
    let mut meta = Mapping::new();
    for (k, v) in [
        ("id", &e.id),
        ("owner", &e.owner),
        ("domain", e.domain.as_ref().unwrap()),
        ("risk", &e.risk),
        ("environment", &e.environment),
        ("created_date", &e.created_date),
        ("status", &e.status),
    ] {
        meta.insert(k.into(), v.as_str().into());
    }
    let mut entry = Mapping::new();
    entry.insert("metadata".into(), Value::Mapping(meta));
    let repos = top.entry("repositories".into()).or_insert(Value::Null);
    if !repos.is_mapping() {
        *repos = Value::Mapping(Mapping::new());
    }
    repos
        .as_mapping_mut()
        .unwrap()
        .insert(e.name.as_str().into(), Value::Mapping(entry));
    doc
}

/// Lines of `old` must all survive, in order, in `new`; only `last_updated` and the
/// `repositories` line itself may be rewritten.
fn only_insertions(old: &str, new: &str) -> Result<(), String> {
    let diff = similar::TextDiff::from_lines(old, new);
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            if change.tag() == similar::ChangeTag::Delete {
                let line = change.value();
                if !(line.starts_with("last_updated:") || line.starts_with("repositories:")) {
                    return Err(format!("line removed or changed: {line:?}"));
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct TfvarsDoc {
    text: String,
    names: Vec<String>,
}

fn tfvars_doc() -> impl Strategy<Value = TfvarsDoc> {
    (
        prop::collection::btree_set(name(), 0..6),
        prop::collection::vec("[a-z][a-z_]{0,10}", 0..4),
        prop::collection::vec("[a-z][a-z_]{0,10}", 0..4),
        any::<bool>(), // CRLF
        any::<bool>(), // final newline
        any::<bool>(), // empty map written `{}` on one line
        any::<bool>(), // comments inside the map
        prop::sample::select(vec![
            "\"eu-west-2\"",
            "3",
            "[\"a\", \"}\"]",
            "{ min = 1, max = 2 }",
            "\"${var.x}\"",
        ]),
        any::<bool>(), // map missing entirely
    )
        .prop_map(
            |(names, before, after, crlf, final_nl, oneline, comments, value, missing)| {
                let names: Vec<String> = names.into_iter().collect();
                let mut out = Vec::new();
                let clean = |v: Vec<String>, tag: &str| -> Vec<String> {
                    v.into_iter()
                        .filter(|k| k != "ecr_repositories")
                        .enumerate()
                        .map(|(i, k)| format!("{k}_{tag}{i} = {value}"))
                        .collect()
                };
                out.extend(clean(before, "b"));
                if !missing {
                    if names.is_empty() && oneline {
                        out.push("ecr_repositories = {}".into());
                    } else {
                        out.push("ecr_repositories = {".into());
                        for (i, n) in names.iter().enumerate() {
                            if comments && i % 2 == 0 {
                                out.push(format!("  # {n} {{ }}"));
                            }
                            out.push(format!("  \"{n}\" = {{"));
                            out.push("    metadata = {".into());
                            out.push(format!(
                                "      id    = \"{}\"",
                                ecr_registrar::registry_id("REGISTRY_", n)
                            ));
                            out.push("      owner = \"app-team\"".into());
                            out.push("      risk  = \"low\"".into());
                            out.push("    }".into());
                            out.push("  }".into());
                        }
                        if comments {
                            out.push("  // end }".into());
                        }
                        out.push("}".into());
                    }
                }
                out.extend(clean(after, "a"));
                let eol = if crlf { "\r\n" } else { "\n" };
                let mut text = out.join(eol);
                if final_nl && !text.is_empty() {
                    text.push_str(eol);
                }
                TfvarsDoc { text, names }
            },
        )
}

fn expected_tfvars(old: &str, e: &TfvarsEntry) -> hcl::Body {
    let mut body: hcl::Body = hcl::parse(old).unwrap();
    let entry = hcl::Expression::from_iter([(
        hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("metadata")),
        hcl::Expression::from_iter([
            (
                hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("id")),
                hcl::Expression::String(e.id.clone()),
            ),
            (
                hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("owner")),
                hcl::Expression::String(e.owner.clone()),
            ),
            (
                hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("risk")),
                hcl::Expression::String(e.risk.clone()),
            ),
        ]),
    )]);
    let key = hcl::ObjectKey::Expression(hcl::Expression::String(e.name.clone()));
    let mut done = false;
    for s in body.0.iter_mut() {
        if let hcl::Structure::Attribute(a) = s {
            if a.key.as_str() == "ecr_repositories" {
                if let hcl::Expression::Object(o) = &mut a.expr {
                    o.insert(key.clone(), entry.clone());
                    done = true;
                }
            }
        }
    }
    if !done {
        body.0.push(hcl::Structure::Attribute(hcl::Attribute::new(
            hcl::Identifier::unchecked("ecr_repositories"),
            hcl::Expression::from_iter([(key, entry)]),
        )));
    }
    body
}

/// Text made of YAML and HCL fragments: reaches odd structures far more often than random bytes.
fn tokens() -> impl Strategy<Value = String> {
    let toks = vec![
        "repositories:",
        "last_updated:",
        "ecr_repositories",
        " = ",
        "=",
        ":",
        " ",
        "  ",
        "    ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "{",
        "}",
        "[",
        "]",
        "{}",
        "#",
        "# c",
        "//",
        "/*",
        "*/",
        "\"",
        "'",
        "-",
        "- ",
        "---",
        "...",
        "a",
        "b1",
        "metadata:",
        "id: X",
        "\"x\"",
        "<<EOT\n",
        "EOT",
        "${",
        "%{",
        "~",
        "null",
        "&a",
        "*a",
        "!!str",
        "|",
        ">",
        "?",
        ",",
        "\\",
        "é",
        "\u{FEFF}",
        "\0",
    ];
    prop::collection::vec(prop::sample::select(toks), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn catalog_insert_is_old_plus_entry(doc in catalog_doc(), n in name(), o in owner(),
        env in prop::sample::select(vec!["dev", "test", "staging", "prod"]),
        risk in prop::sample::select(vec!["low", "medium", "high"])) {
        prop_assume!(!doc.names.contains(&n));
        let e = catalog_entry(&n, &o, env, risk);
        let out = catalog::add_entry(Some(&doc.text), &e, TODAY, "").unwrap();
        prop_assert!(out.changed);
        let got: Value = serde_yaml::from_str(&out.text).unwrap();
        prop_assert_eq!(&got, &expected_catalog(&doc.text, &e));
        let keys: Vec<_> = got["repositories"].as_mapping().unwrap().keys().cloned().collect();
        prop_assert_eq!(keys.last().and_then(Value::as_str), Some(n.as_str()));
        only_insertions(&doc.text, &out.text).map_err(TestCaseError::fail)?;
        if doc.text.contains("\r\n") {
            prop_assert!(!out.text.replace("\r\n", "").contains('\n'), "mixed line endings");
        }
        let again = catalog::add_entry(Some(&out.text), &e, "2027-01-01", "").unwrap();
        prop_assert!(!again.changed);
        prop_assert_eq!(again.text, out.text);
    }

    #[test]
    fn tfvars_insert_is_old_plus_entry(doc in tfvars_doc(), n in name(), o in owner(),
        risk in prop::sample::select(vec!["low", "medium", "high"])) {
        prop_assume!(!doc.names.contains(&n));
        let e = TfvarsEntry { name: n.clone(), id: ecr_registrar::registry_id("REGISTRY_", &n), owner: o, risk: risk.into() };
        let out = tfvars::add_entry(Some(&doc.text), &e, "ecr_repositories").unwrap();
        prop_assert!(out.changed);
        let got: hcl::Body = hcl::parse(&out.text).unwrap();
        prop_assert_eq!(got, expected_tfvars(&doc.text, &e));
        // Every old line survives in order, except a one-line `{}` that is opened up.
        let diff = similar::TextDiff::from_lines(doc.text.as_str(), out.text.as_str());
        for c in diff.iter_all_changes() {
            if c.tag() == similar::ChangeTag::Delete {
                prop_assert!(c.value().starts_with("ecr_repositories = {}") || !c.value().ends_with('\n'),
                    "line removed: {:?}", c.value());
            }
        }
        let again = tfvars::add_entry(Some(&out.text), &e, "ecr_repositories").unwrap();
        prop_assert!(!again.changed);
        prop_assert_eq!(again.text, out.text);
    }

    #[test]
    fn catalog_never_panics_on_arbitrary_text(text in prop_oneof![tokens(), ".{0,200}"]) {
        let e = catalog_entry("payments-api", "platform-team", "dev", "low");
        if let Ok(out) = catalog::add_entry(Some(&text), &e, TODAY, "") {
            // Success means a verified document: it parses and holds the entry.
            let v: Value = serde_yaml::from_str(&out.text).unwrap();
            prop_assert!(v["repositories"]["payments-api"]["metadata"]["id"].as_str().is_some());
        }
    }

    #[test]
    fn tfvars_never_panics_on_arbitrary_text(text in prop_oneof![tokens(), ".{0,200}"]) {
        let e = TfvarsEntry { name: "payments-api".into(), id: "REGISTRY_PAYMENTS_API".into(), owner: "platform-team".into(), risk: "low".into() };
        if let Ok(out) = tfvars::add_entry(Some(&text), &e, "ecr_repositories") {
            let v: serde_json::Value = hcl::from_str(&out.text).unwrap();
            prop_assert!(v["ecr_repositories"]["payments-api"]["metadata"]["id"].as_str().is_some());
        }
    }

    #[test]
    fn validator_never_panics_and_valid_names_are_safe(name in prop_oneof![".{0,80}", "[a-z0-9._/-]{0,80}", tokens()],
        owner in ".{0,20}", env in prop_oneof![".{0,10}", Just("dev".to_string())]) {
        let v = Validator::new(&Config::default()).unwrap();
        let r = v.validate_request(&Request { name: name.clone(), owner, environment: env, risk: "low".into(), ..Request::default() });
        prop_assert_eq!(r.valid, r.errors.is_empty());
        if !v.validate_field("name", &name).iter().any(|_| true) {
            // A valid name is safe everywhere it goes: YAML key, HCL string, path, shell quote.
            prop_assert!(name.len() >= 2 && name.len() <= 59);
            prop_assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!name.ends_with('-') && !name.starts_with('-'));
            prop_assert!(ecr_registrar::validate::is_valid_aws_name(&name));
            prop_assert!(ecr_registrar::validate::is_valid_backstage_name(&ecr_registrar::entity_name(&name)));
        }
    }
}

// ---- The strict subset parsers read exactly what the reference parsers read. ----

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

fn hval_json(v: &ecr_registrar::fast::HVal) -> serde_json::Value {
    use ecr_registrar::fast::HVal;
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
        if let Some(map) = ecr_registrar::fast::yaml_block(&block) {
            let doc = format!("repositories:\n{block}");
            let reference: Result<Value, _> = serde_yaml::from_str(&doc);
            prop_assert!(reference.is_ok(), "fast accepted what serde_yaml rejects: {:?} {:?}", block, reference);
            let reference = reference.unwrap();
            // Order is part of the comparison: YVal mappings are ordered lists of pairs.
            let fast = ecr_registrar::fast::YVal::Map(map);
            if fast == ecr_registrar::fast::YVal::Map(Vec::new()) {
                prop_assert_eq!(&reference["repositories"], &Value::Null);
            } else {
                prop_assert_eq!(ecr_registrar::fast::YVal::from_serde(&reference["repositories"]), fast);
            }
        }
    }

    #[test]
    fn fast_hcl_reads_what_hcl_rs_reads(interior in hcl_interior()) {
        let text = format!("x = {{\n{interior}}}\n");
        if let Some((items, close)) = ecr_registrar::fast::hcl_object(&text, 4) {
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
        if ecr_registrar::fast::yaml_block(&b).is_some_and(|m| !m.is_empty()) {
            yaml += 1;
        }
        let t = format!(
            "x = {{\n{}}}\n",
            hcl_interior().new_tree(&mut r).unwrap().current()
        );
        if ecr_registrar::fast::hcl_object(&t, 4).is_some_and(|(items, _)| !items.is_empty()) {
            hcl += 1;
        }
    }
    println!("fast path accepted, of 1000 generated: yaml {yaml}, hcl {hcl}");
    assert!(yaml >= 50 && hcl >= 50, "yaml {yaml}, hcl {hcl}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// `scaffold` is what the Backstage action and the CLI call: with any files, any request and any
    /// date it returns a verified result or an error, never a panic.
    #[test]
    fn scaffold_never_panics(catalog in prop::option::of(prop_oneof![tokens(), catalog_doc().prop_map(|d| d.text)]),
        tfvars in prop::option::of(prop_oneof![tokens(), tfvars_doc().prop_map(|d| d.text)]),
        name in prop_oneof![name(), ".{0,20}"], env in prop_oneof![Just("dev".to_string()), ".{0,8}"],
        today in prop_oneof![Just("2026-11-21".to_string()), ".{0,12}"]) {
        let req = Request { name, owner: "platform-team".into(), environment: env, risk: "low".into(), ..Request::default() };
        let files = ecr_registrar::Files { catalog, tfvars };
        if let Ok(out) = ecr_registrar::scaffold(&req, &files, &today, &Config::default()) {
            let cat: Value = serde_yaml::from_str(&out.catalog.text).unwrap();
            prop_assert!(cat["repositories"][req.name.as_str()]["metadata"]["id"].is_string());
            let tf: serde_json::Value = hcl::from_str(&out.tfvars.text).unwrap();
            prop_assert!(tf["ecr_repositories"][req.name.as_str()]["metadata"]["id"].is_string());
        }
    }

    #[test]
    fn config_never_panics(text in prop_oneof![".{0,120}", tokens(),
        Just("riskTiers: {low: {mutability: M, encryption: E, retentionImages: -1, imageScanning: x}}".to_string())]) {
        let _ = Config::from_yaml(&text);
    }
}

// --- The hand-written naming matchers equal the regexes they implement --------------------------

/// Strings dense in the characters the rules care about, so that both verdicts are common.
fn rule_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9._/-]{0,12}",
        "[a-c0-1._/-]{0,8}",
        "[a-zA-Z0-9._-]{0,10}",
        "([a-z0-9]{1,3}(\\.|_|__|-{1,3})?){0,4}(/[a-z0-9]{1,3}((\\.|_|__|-+)[a-z0-9]{1,2})?){0,2}",
        ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn naming_matchers_equal_their_regexes(s in rule_text()) {
        use ecr_registrar::rules::*;
        let re = |p: &str| regex::Regex::new(p).unwrap();
        prop_assert_eq!(matches_aws_pattern(&s), re(AWS_NAME_RE).is_match(&s), "aws {:?}", s);
        prop_assert_eq!(matches_backstage_pattern(&s), re(BACKSTAGE_NAME_RE).is_match(&s), "backstage {:?}", s);
        prop_assert_eq!(matches_default_name(&s), re(DEFAULT_NAME_PATTERN).is_match(&s), "name {:?}", s);
        prop_assert_eq!(matches_default_value(&s), re(DEFAULT_VALUE_PATTERN).is_match(&s), "value {:?}", s);
    }
}

#[test]
fn naming_matcher_properties_are_not_vacuous() {
    // The generator must reach both verdicts of every matcher, or the property proves little.
    use ecr_registrar::rules::*;
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let matchers: [fn(&str) -> bool; 4] = [
        matches_aws_pattern,
        matches_backstage_pattern,
        matches_default_name,
        matches_default_value,
    ];
    let mut seen = [[0usize; 2]; 4];
    for _ in 0..2000 {
        let s = rule_text().new_tree(&mut runner).unwrap().current();
        for (i, m) in matchers.iter().enumerate() {
            seen[i][m(&s) as usize] += 1;
        }
    }
    for (i, [no, yes]) in seen.iter().enumerate() {
        assert!(
            *no > 100 && *yes > 100,
            "matcher {i}: {yes} matches, {no} non-matches"
        );
    }
}
