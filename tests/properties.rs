//! Property tests. Generated catalogs and tfvars in many layouts: any valid request inserted gives
//! a file that parses (checked here, independently of the editors' own verification) to the old
//! document plus the entry, only lines are added (besides `last_updated`), and a second insert is a
//! no-op. Arbitrary text never makes an editor or the validator panic.
#![cfg(feature = "edit")]

use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

use ecr_registrar::{
    CatalogEntry, Config, Request, TfvarsEntry, Validator, add_catalog_entry, add_tfvars_entry,
};

const TODAY: &str = "2026-11-21";

/// Shrunk by `catalog_never_panics_on_arbitrary_text` in CI: a byte-order mark before a document
/// without `repositories`. The mark stays first; after it, the text reads as old + entry.
#[test]
fn a_byte_order_mark_stays_first_and_the_rest_reads_back() {
    let e = catalog_entry("payments-api", "platform-team", "dev", "low");
    let out = add_catalog_entry(Some("\u{feff}-metadata:"), &e, TODAY, "").unwrap();
    assert!(
        out.text.starts_with("\u{feff}-metadata:\n"),
        "{:?}",
        out.text
    );
    let v: Value = serde_yaml::from_str(without_bom(&out.text)).unwrap();
    assert!(v["-metadata"].is_null());
    assert!(v["repositories"]["payments-api"]["metadata"]["id"].is_string());
}

/// The text after a leading byte-order mark, which the editors keep and YAML and HCL readers skip.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

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
        description: None,
        region: None,
        region_defaulted: false,
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
        let out = add_catalog_entry(Some(&doc.text), &e, TODAY, "").unwrap();
        prop_assert!(out.changed);
        let got: Value = serde_yaml::from_str(&out.text).unwrap();
        prop_assert_eq!(&got, &expected_catalog(&doc.text, &e));
        let keys: Vec<_> = got["repositories"].as_mapping().unwrap().keys().cloned().collect();
        prop_assert_eq!(keys.last().and_then(Value::as_str), Some(n.as_str()));
        only_insertions(&doc.text, &out.text).map_err(TestCaseError::fail)?;
        if doc.text.contains("\r\n") {
            prop_assert!(!out.text.replace("\r\n", "").contains('\n'), "mixed line endings");
        }
        let again = add_catalog_entry(Some(&out.text), &e, "2027-01-01", "").unwrap();
        prop_assert!(!again.changed);
        prop_assert_eq!(again.text, out.text);
    }

    #[test]
    fn tfvars_insert_is_old_plus_entry(doc in tfvars_doc(), n in name(), o in owner(),
        risk in prop::sample::select(vec!["low", "medium", "high"])) {
        prop_assume!(!doc.names.contains(&n));
        let e = TfvarsEntry { name: n.clone(), id: ecr_registrar::registry_id("REGISTRY_", &n), owner: o, risk: risk.into(), description: None };
        let out = add_tfvars_entry(Some(&doc.text), &e, "ecr_repositories").unwrap();
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
        let again = add_tfvars_entry(Some(&out.text), &e, "ecr_repositories").unwrap();
        prop_assert!(!again.changed);
        prop_assert_eq!(again.text, out.text);
    }

    #[test]
    fn catalog_never_panics_on_arbitrary_text(text in prop_oneof![tokens(), ".{0,200}"]) {
        let e = catalog_entry("payments-api", "platform-team", "dev", "low");
        if let Ok(out) = add_catalog_entry(Some(&text), &e, TODAY, "") {
            // Success means a verified document: it parses and holds the entry.
            // A leading byte-order mark is kept; readers skip it (serde_yaml does not).
            let v: Value = serde_yaml::from_str(without_bom(&out.text)).unwrap();
            prop_assert!(v["repositories"]["payments-api"]["metadata"]["id"].as_str().is_some());
        }
    }

    #[test]
    fn tfvars_never_panics_on_arbitrary_text(text in prop_oneof![tokens(), ".{0,200}"]) {
        let e = TfvarsEntry { name: "payments-api".into(), id: "REGISTRY_PAYMENTS_API".into(), owner: "platform-team".into(), risk: "low".into(), description: None };
        if let Ok(out) = add_tfvars_entry(Some(&text), &e, "ecr_repositories") {
            let v: serde_json::Value = hcl::from_str(without_bom(&out.text)).unwrap();
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
            prop_assert!(ecr_registrar::is_valid_aws_name(&name));
            prop_assert!(ecr_registrar::is_valid_backstage_name(&ecr_registrar::entity_name(&name)));
        }
    }
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
            let cat: Value = serde_yaml::from_str(without_bom(&out.catalog.text)).unwrap();
            prop_assert!(cat["repositories"][req.name.as_str()]["metadata"]["id"].is_string());
            let tf: serde_json::Value = hcl::from_str(without_bom(&out.tfvars.text)).unwrap();
            prop_assert!(tf["ecr_repositories"][req.name.as_str()]["metadata"]["id"].is_string());
        }
    }

    #[test]
    fn config_never_panics(text in prop_oneof![".{0,120}", tokens(),
        Just("riskTiers: {low: {mutability: M, encryption: E, retentionImages: -1, imageScanning: x}}".to_string())]) {
        let _ = Config::from_yaml(&text);
    }
}

/// Found by `catalog_never_panics_on_arbitrary_text`: the indentation step of the entries was
/// subtracted before the comparison that guards it (`then_some` evaluates its argument), so a line
/// indented less than the first entry overflowed. Each must be an answer, not a panic.
#[test]
fn an_entry_line_indented_less_than_the_first_is_no_panic() {
    let e = catalog_entry("payments-api", "platform-team", "dev", "low");
    for text in ["repositories:\n //\n\n{", "repositories:\n    a:\n  b: 1\n"] {
        if let Ok(out) = add_catalog_entry(Some(text), &e, TODAY, "") {
            let v: Value = serde_yaml::from_str(&out.text).unwrap();
            assert!(
                v["repositories"]["payments-api"]["metadata"]["id"]
                    .as_str()
                    .is_some(),
                "{text:?}"
            );
        }
    }
}
