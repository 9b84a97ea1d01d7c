//! Issue 21, item 7: one meaning per document. A governed file that two readers could read
//! differently — a key written twice (also keys that read the same: `True` and `"true"`, `a` and
//! `'a'`, `"\x61"` and `a`), an anchor, alias or merge key, a governance id used by two entries, a
//! tfvars map key written as an identifier and as a string, or computed by Terraform (`"${"a"}"`,
//! `("a")`) — is refused by every editor (scaffold,
//! update, decommission) and by the guard (`changes`: an `unreadable` problem with the reason), and
//! `registrar.yaml` likewise by the config reader.
#![cfg(feature = "edit")]

use std::collections::BTreeMap;

use ecr_registrar::{
    Config, DecommissionRequest, Files, GuardCode, Request, Revisions, UpdateRequest, Validator,
    changes, decommission, scaffold_with, update,
};

const CATALOG_PATH: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";
const DEV_PATH: &str = "envs/dev/terraform.tfvars";
const CATALOG: &str =
    include_str!("../examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml");
const DEV: &str = include_str!("../examples/platform/envs/dev/terraform.tfvars");
const TODAY: &str = "2026-12-01";

/// A catalog entry in the platform's layout, under `repositories`.
fn entry(key: &str, id: &str, owner: &str) -> String {
    format!(
        "  {key}:\n    metadata:\n      id: {id}\n      owner: {owner}\n      risk: low\n      environment: dev\n      created_date: \"2026-11-01\"\n      status: pending\n"
    )
}

/// `n` filler field lines `      fNN<assign>` (an entry's metadata fields, past the few that a
/// reader compares one by one).
fn fields(n: usize, assign: &str) -> String {
    (0..n).map(|i| format!("      f{i:02}{assign}\n")).collect()
}

include!("common/colliding.rs");

/// Catalogs with two meanings, each with what it is.
fn hostile_catalogs() -> Vec<(&'static str, String)> {
    let ledger = "  ledger-sync:\n    metadata:\n      id: REGISTRY_LEDGER_SYNC\n      owner: database-team\n";
    assert!(CATALOG.contains(ledger));
    vec![
        (
            "`True:` and `\"true\":` entries",
            format!(
                "{CATALOG}{}{}",
                entry("True", "REGISTRY_TRUE_A", "app-team"),
                entry("\"true\"", "REGISTRY_TRUE_B", "sre-team")
            ),
        ),
        // One key alone, plain, that PyYAML reads as a boolean, a number or a date and a YAML
        // 1.2 reader as a string (or `true` as a boolean, where the editors want a name).
        // A tag gives a value another type to PyYAML (`!!binary` reads as bytes, a local tag
        // fails `safe_load`) than to the editors, which read the text.
        (
            "a `!!binary` status",
            format!(
                "{CATALOG}{}",
                entry("tagged", "REGISTRY_TAGGED", "app-team")
                    .replace("status: pending", "status: !!binary cGVuZGluZw==")
            ),
        ),
        (
            "a local tag on a value",
            CATALOG.replace("owner: database-team", "owner: !team database-team"),
        ),
        // A plain value YAML 1.1 reads as a boolean, number or date and YAML 1.2 (and the tool)
        // as a string (the second hostile suite's F6: these passed the guard).
        (
            "a plain `on` description",
            format!(
                "{CATALOG}{}",
                entry("described", "REGISTRY_DESCRIBED", "app-team")
                    .replace("status: pending", "status: pending\n      description: on")
            ),
        ),
        (
            "a plain `1_000` requester",
            CATALOG.replace(
                "owner: database-team",
                "owner: database-team\n      requested_by: 1_000",
            ),
        ),
        (
            "a plain sexagesimal `1:20` value",
            CATALOG.replace(
                "owner: database-team",
                "owner: database-team\n      note: 1:20",
            ),
        ),
        (
            "a plain date `created_date`",
            format!(
                "{CATALOG}{}",
                entry("dated", "REGISTRY_DATED", "app-team")
                    .replace("created_date: \"2026-11-01\"", "created_date: 2026-11-01")
            ),
        ),
        (
            "a `!!str` tag on a key",
            CATALOG.replace("  ledger-sync:", "  !!str ledger-sync:"),
        ),
        (
            "a plain `yes:` entry",
            format!("{CATALOG}{}", entry("yes", "REGISTRY_YES", "app-team")),
        ),
        (
            "a plain `off:` entry",
            format!("{CATALOG}{}", entry("off", "REGISTRY_OFF", "app-team")),
        ),
        (
            "a plain `true:` entry",
            format!("{CATALOG}{}", entry("true", "REGISTRY_TRUE", "app-team")),
        ),
        (
            "top-level `1_000:` and `1000:` (one integer to YAML 1.1)",
            CATALOG.replace("repositories:", "1_000: a\n1000: b\nrepositories:"),
        ),
        (
            "top-level `010:` and `8:` (one integer to YAML 1.1)",
            CATALOG.replace("repositories:", "010: a\n8: b\nrepositories:"),
        ),
        (
            "a complex key `? [a, b]`",
            CATALOG.replace("repositories:", "? [a, b]\n: 1\nrepositories:"),
        ),
        (
            "`yes:` and `On:` entries (both `true` to YAML 1.1)",
            format!(
                "{CATALOG}{}{}",
                entry("yes", "REGISTRY_YES", "app-team"),
                entry("On", "REGISTRY_ON", "sre-team")
            ),
        ),
        (
            "`'ledger-sync':` after `ledger-sync:`",
            format!(
                "{CATALOG}{}",
                entry("'ledger-sync'", "REGISTRY_OTHER", "sre-team")
            ),
        ),
        (
            "`\"\\x6cedger-sync\":` after `ledger-sync:`",
            format!(
                "{CATALOG}{}",
                entry("\"\\x6cedger-sync\"", "REGISTRY_OTHER", "sre-team")
            ),
        ),
        (
            "`owner:` and `\"owner\":` in one entry",
            CATALOG.replace(ledger, &format!("{ledger}      \"owner\": sre-team\n")),
        ),
        (
            "`yes:` and `On:` inside one entry",
            CATALOG.replace(ledger, &format!("{ledger}      yes: a\n      On: b\n")),
        ),
        (
            "`owner:` and `\"owner\":` in one entry, 40 fields apart",
            CATALOG.replace(
                ledger,
                &format!("{ledger}{}      \"owner\": sre-team\n", fields(40, ": x")),
            ),
        ),
        (
            "`yes:` and `On:` inside one entry, 40 fields apart",
            CATALOG.replace(
                ledger,
                &format!("{ledger}      yes: a\n{}      On: b\n", fields(40, ": x")),
            ),
        ),
        ("a key again after 2,000 keys that collide under FxHash", {
            let keys = colliding_keys(2_000);
            let mut c = CATALOG.to_string();
            for (i, k) in keys.iter().chain([&keys[700]]).enumerate() {
                c.push_str(&entry(&format!("\"{k}\""), &format!("REGISTRY_C{i}"), "a"));
            }
            c
        }),
        (
            "an anchor and an alias",
            CATALOG
                .replace("      owner: app-team\n", "      owner: &o app-team\n")
                .replace("      owner: database-team\n", "      owner: *o\n"),
        ),
        (
            "a merge key",
            CATALOG.replace(ledger, &format!("{ledger}      <<: {{status: active}}\n")),
        ),
        (
            "a quoted merge key",
            CATALOG.replace(ledger, &format!("{ledger}      \"<<\": x\n")),
        ),
        (
            "a governance id used by two entries",
            format!(
                "{CATALOG}{}",
                entry("payments-old", "REGISTRY_LEDGER_SYNC", "sre-team")
            ),
        ),
        (
            "`True:` and `\"true\":` at the top level",
            CATALOG.replace(
                "managed_by: platform-team\n",
                "managed_by: platform-team\nTrue: a\n\"true\": b\n",
            ),
        ),
    ]
}

/// tfvars files with two meanings.
fn hostile_tfvars() -> Vec<(&'static str, String)> {
    let ledger_key = "  \"ledger-sync\" = {\n";
    let meta_id = "      id    = \"REGISTRY_LEDGER_SYNC\"\n";
    assert!(DEV.contains(ledger_key) && DEV.contains(meta_id));
    let second = |key: &str| {
        DEV.replace(
            "ecr_repositories = {\n",
            &format!(
                "ecr_repositories = {{\n  {key} = {{\n    metadata = {{\n      id    = \"REGISTRY_LEDGER_SYNC\"\n      owner = \"sre-team\"\n      risk  = \"high\"\n    }}\n  }}\n"
            ),
        )
    };
    vec![
        (
            "identifier `ledger-sync` and string `\"ledger-sync\"`",
            second("ledger-sync"),
        ),
        (
            "strings `\"\\u006cedger-sync\"` and `\"ledger-sync\"`",
            second("\"\\u006cedger-sync\""),
        ),
        (
            "`id` and `\"id\"` in one entry's metadata, 40 fields apart",
            DEV.replace(
                meta_id,
                &format!(
                    "{meta_id}{}      \"id\" = \"REGISTRY_OTHER\"\n",
                    fields(40, " = \"x\"")
                ),
            ),
        ),
        (
            "`id` and `\"id\"` in one entry's metadata",
            DEV.replace(
                meta_id,
                &format!("{meta_id}      \"id\" = \"REGISTRY_OTHER\"\n"),
            ),
        ),
        // Keys Terraform computes: `"${"ledger-sync"}"` is `ledger-sync` to it (the last wins),
        // and so is `("ledger-sync")`; a reader of the text sees other keys.
        (
            "template key `\"${\"ledger-sync\"}\"` and `\"ledger-sync\"`",
            second("\"${\"ledger-sync\"}\""),
        ),
        (
            "parenthesized key `(\"ledger-sync\")` and `\"ledger-sync\"`",
            second("(\"ledger-sync\")"),
        ),
        (
            "`id` and a template key `\"${\"id\"}\"` in one entry's metadata",
            DEV.replace(
                meta_id,
                &format!("{meta_id}      \"${{\"id\"}}\" = \"REGISTRY_OTHER\"\n"),
            ),
        ),
    ]
}

fn validator() -> Validator {
    Validator::new(&Config::default()).unwrap()
}

fn new_request() -> Request {
    Request {
        name: "payments-api".into(),
        owner: "app-team".into(),
        requester: None,
        domain: None,
        environment: "dev".into(),
        risk: "low".into(),
        id: None,
        ..Request::default()
    }
}

/// What every editor answers for these files: the error message, or `None` when it accepted them.
fn editors(catalog: &str, tfvars: &str) -> Vec<(&'static str, Option<String>)> {
    let v = validator();
    let files = Files {
        catalog: Some(catalog.to_string()),
        tfvars: Some(tfvars.to_string()),
    };
    vec![
        (
            "scaffold",
            scaffold_with(&v, &new_request(), &files, TODAY)
                .err()
                .map(|e| e.message.clone()),
        ),
        (
            "update",
            update(
                &v,
                &UpdateRequest {
                    name: "ledger-sync".into(),
                    environment: "dev".into(),
                    owner: Some("sre-team".into()),
                    ..Default::default()
                },
                &files,
                TODAY,
            )
            .err()
            .map(|e| e.message.clone()),
        ),
        (
            "decommission",
            decommission(
                &v,
                &DecommissionRequest {
                    name: "ledger-sync".into(),
                    environment: "dev".into(),
                },
                &files,
                TODAY,
            )
            .err()
            .map(|e| e.message.clone()),
        ),
    ]
}

/// The guard's problems of `path` when a pull request changes it from the example to `head`.
fn guard_problems(path: &str, head: &str) -> Vec<(GuardCode, String)> {
    let base: BTreeMap<String, String> = [
        (CATALOG_PATH.to_string(), CATALOG.to_string()),
        (DEV_PATH.to_string(), DEV.to_string()),
    ]
    .into();
    let mut head_files = base.clone();
    head_files.insert(path.to_string(), head.to_string());
    let report = changes(
        &validator(),
        &Revisions {
            base,
            head: head_files,
            changed_paths: vec![path.to_string()],
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!report.guard.ok, "the guard passed {path}:\n{head}");
    report
        .guard
        .problems
        .into_iter()
        .filter(|p| p.file == path)
        .map(|p| (p.code, p.message))
        .collect()
}

/// What a refusal says. "redefined object key" (hcl-edit) and "duplicate entry" (serde_yaml) are
/// the reference parsers' own refusals of keys equal after decoding, which held before this test.
const REASONS: &[&str] = &[
    "twice",
    "duplicate entry",
    // serde_yaml's "duplicate entry with key …", cleaned of the key (no error echoes a file).
    "duplicate key",
    "anchor",
    "alias",
    "merge key",
    "used by two entries",
    "redefined object key",
    "computed by Terraform",
    "quote it",
    "explicit key",
    "a tag",
];

fn says_why(message: &str) -> bool {
    REASONS.iter().any(|r| message.contains(r))
}

#[test]
fn the_example_files_are_accepted_by_every_editor() {
    // The refusals below are about the hostile part, not the files they start from.
    for (editor, err) in editors(CATALOG, DEV) {
        assert_eq!(err, None, "{editor}");
    }
}

#[test]
fn catalogs_with_two_meanings_are_refused_by_every_editor() {
    let mut accepted = Vec::new();
    for (what, catalog) in hostile_catalogs() {
        for (editor, err) in editors(&catalog, DEV) {
            match err {
                Some(m) if says_why(&m) => {}
                other => accepted.push(format!("{editor}, {what}: {other:?}")),
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "not refused with a reason:\n{}",
        accepted.join("\n")
    );
}

#[test]
fn catalogs_with_two_meanings_are_unreadable_to_the_guard() {
    let mut missed = Vec::new();
    for (what, catalog) in hostile_catalogs() {
        let problems = guard_problems(CATALOG_PATH, &catalog);
        if !problems
            .iter()
            .any(|(c, m)| *c == GuardCode::Unreadable && says_why(m))
        {
            missed.push(format!("{what}: {problems:?}"));
        }
    }
    assert!(
        missed.is_empty(),
        "no unreadable problem:\n{}",
        missed.join("\n")
    );
}

#[test]
fn tfvars_maps_with_a_key_twice_are_refused_by_every_editor() {
    let mut accepted = Vec::new();
    for (what, tfvars) in hostile_tfvars() {
        for (editor, err) in editors(CATALOG, &tfvars) {
            match err {
                Some(m) if says_why(&m) => {}
                other => accepted.push(format!("{editor}, {what}: {other:?}")),
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "not refused with a reason:\n{}",
        accepted.join("\n")
    );
}

#[test]
fn tfvars_maps_with_a_key_twice_are_unreadable_to_the_guard() {
    let mut missed = Vec::new();
    for (what, tfvars) in hostile_tfvars() {
        let problems = guard_problems(DEV_PATH, &tfvars);
        if !problems
            .iter()
            .any(|(c, m)| *c == GuardCode::Unreadable && says_why(m))
        {
            missed.push(format!("{what}: {problems:?}"));
        }
    }
    assert!(
        missed.is_empty(),
        "no unreadable problem:\n{}",
        missed.join("\n")
    );
}

#[test]
fn configs_with_two_meanings_are_refused() {
    let tiers = "  low: {mutability: MUTABLE, encryption: AES256, retentionImages: 20, imageScanning: true}\n";
    let cases = [
        (
            "a tier written twice, quoted and plain",
            format!(
                "riskTiers:\n{tiers}  'low': {{mutability: IMMUTABLE, encryption: KMS, retentionImages: 50, imageScanning: true}}\n"
            ),
        ),
        (
            "`True` and `\"true\"` tiers",
            format!(
                "riskTiers:\n{}{}",
                tiers.replace("low", "True"),
                tiers.replace("low", "\"true\"")
            ),
        ),
        (
            "an anchor and an alias",
            "owners: &o [app-team]\ndomains: *o\n".to_string(),
        ),
        (
            "a merge key",
            format!(
                "riskTiers:\n{tiers}  high: {{<<: {{mutability: MUTABLE}}, encryption: KMS, retentionImages: 50, imageScanning: true}}\n"
            ),
        ),
    ];
    let mut accepted = Vec::new();
    for (what, text) in &cases {
        match Config::from_yaml(text) {
            Err(e) if says_why(&e.message) || e.message.contains("<<") => {}
            other => accepted.push(format!("{what}: {:?}", other.map(|_| "accepted"))),
        }
    }
    assert!(accepted.is_empty(), "not refused:\n{}", accepted.join("\n"));
    // A plain config with the same keys once each is still read.
    Config::from_yaml(&format!("riskTiers:\n{tiers}")).unwrap();
}

#[test]
fn a_catalog_field_written_as_a_number_or_boolean_never_equals_the_tfvars_string() {
    // The third hostile suite's F10: `description: 8` (an integer to every YAML reader) passed
    // the guard against the tfvars' "8" string. The catalog's fields are strings.
    let v = validator();
    let files = Files {
        catalog: Some(CATALOG.to_string()),
        tfvars: Some(DEV.to_string()),
    };
    for (value, plain) in [("8", "8"), ("true", "true"), ("-1", "-1"), ("1.0", "1.0")] {
        let request = Request {
            description: Some(value.into()),
            ..new_request()
        };
        let out = scaffold_with(&v, &request, &files, TODAY).unwrap();
        let quoted = format!("      description: \"{value}\"\n");
        assert!(out.catalog.text.contains(&quoted), "{}", out.catalog.text);
        let catalog = out
            .catalog
            .text
            .replace(&quoted, &format!("      description: {plain}\n"));
        // The guard's report on a pull request from the base files to this catalog and tfvars.
        let guard = |catalog: String, tfvars: String| {
            let files = |cat: String, tf: String| -> BTreeMap<String, String> {
                [(CATALOG_PATH.to_string(), cat), (DEV_PATH.to_string(), tf)].into()
            };
            changes(
                &v,
                &Revisions {
                    base: files(CATALOG.to_string(), DEV.to_string()),
                    head: files(catalog, tfvars),
                    changed_paths: vec![CATALOG_PATH.into(), DEV_PATH.into()],
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let report = guard(catalog, out.tfvars.text.clone());
        assert!(!report.guard.ok, "{value}: {report:?}");
        assert!(
            report
                .guard
                .problems
                .iter()
                .any(|p| p.code == GuardCode::Mismatch
                    && p.file == DEV_PATH
                    && p.message.contains("description differs")),
            "{value}: {:?}",
            report.guard.problems
        );
        // Quoted, as the editor wrote it, it passes.
        let ok = guard(out.catalog.text.clone(), out.tfvars.text.clone());
        assert!(ok.guard.ok, "{value}: {:?}", ok.guard.problems);
    }
}
