//! Round-trip fixtures: every folder under `tests/fixtures/<editor>/` holds an `input` (absent for
//! "file missing") and either the `expected` output, asserted byte for byte, or an `error` file
//! with the expected error code. `UPDATE_FIXTURES=1` writes the outputs for review.
#![cfg(feature = "edit")]

use std::fs;
use std::path::{Path, PathBuf};

use ecr_registrar::{
    CatalogEntry, Config, Edited, Error, FieldValue, Request, TfvarsEntry, add_catalog_entry,
    add_tfvars_entry, remove_tfvars_entry, set_catalog_fields, set_tfvars_metadata,
};

/// The request every fixture applies, shared with the Node oracle test.
fn shared() -> (Request, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/request.json");
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let req: Request = serde_json::from_value(v["request"].clone()).unwrap();
    (req, v["today"].as_str().unwrap().to_string())
}

fn catalog_entry() -> (CatalogEntry, String) {
    let (r, today) = shared();
    let entry = CatalogEntry {
        id: ecr_registrar::registry_id("REGISTRY_", &r.name),
        name: r.name,
        owner: r.owner,
        requested_by: r.requester,
        domain: r.domain,
        description: r.description,
        region: r.region,
        region_defaulted: false,
        risk: r.risk,
        environment: r.environment,
        created_date: today.clone(),
        status: "pending".into(),
    };
    (entry, today)
}

fn tfvars_entry() -> TfvarsEntry {
    let (r, _) = shared();
    TfvarsEntry {
        id: ecr_registrar::registry_id("REGISTRY_", &r.name),
        name: r.name,
        owner: r.owner,
        risk: r.risk,
        description: r.description,
    }
}

fn cases(editor: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(editor);
    let mut out: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(out.len() >= 10, "too few fixtures in {}", dir.display());
    out
}

fn run(editor: &str, ext: &str, edit: impl Fn(Option<&str>) -> Result<Edited, Error>) {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    for case in cases(editor) {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let input = fs::read_to_string(case.join(format!("input.{ext}"))).ok();
        let expected_path = case.join(format!("expected.{ext}"));
        let error_path = case.join("error");
        let result = edit(input.as_deref());
        if update {
            match &result {
                Ok(out) => fs::write(&expected_path, &out.text).unwrap(),
                Err(e) => fs::write(&error_path, format!("{}\n", e.code.as_str())).unwrap(),
            }
            continue;
        }
        match (
            result,
            fs::read_to_string(&expected_path),
            fs::read_to_string(&error_path),
        ) {
            (Ok(out), Ok(expected), _) => {
                if out.text != expected {
                    failures.push(format!(
                        "{name}: output differs\n--- expected\n{expected}\n--- got\n{}",
                        out.text
                    ));
                }
                let same_as_input = input.as_deref() == Some(expected.as_str());
                if out.changed == same_as_input {
                    failures.push(format!(
                        "{name}: changed={} but output {} the input",
                        out.changed,
                        if same_as_input {
                            "equals"
                        } else {
                            "differs from"
                        }
                    ));
                }
                // Re-running the request on the output changes nothing.
                match edit(Some(&out.text)) {
                    Ok(again) if !again.changed && again.text == out.text => {}
                    other => {
                        failures.push(format!("{name}: second run was not a no-op: {other:?}"))
                    }
                }
            }
            (Err(e), _, Ok(code)) => {
                if e.code.as_str() != code.trim() {
                    failures.push(format!(
                        "{name}: expected error {}, got {} ({e})",
                        code.trim(),
                        e.code.as_str()
                    ));
                }
                if e.message.is_empty() {
                    failures.push(format!("{name}: error without message"));
                }
            }
            (Ok(_), _, Ok(code)) => failures.push(format!(
                "{name}: expected error {}, got success",
                code.trim()
            )),
            (Err(e), _, _) => failures.push(format!("{name}: unexpected error {e}")),
            (Ok(_), Err(_), Err(_)) => {
                failures.push(format!("{name}: no expected.{ext} or error file"))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn catalog_fixtures() {
    let header = Config::default().catalog_header;
    let (entry, today) = catalog_entry();
    run("catalog", "yaml", |input| {
        add_catalog_entry(input, &entry, &today, &header)
    });
}

#[test]
fn tfvars_fixtures() {
    let entry = tfvars_entry();
    run("tfvars", "tfvars", |input| {
        add_tfvars_entry(input, &entry, "ecr_repositories")
    });
}

/// Day-2 edits over every layout: each fixture's `expected` output (the shared request added) is
/// updated (owner and risk) into `update.<ext>` and decommissioned into `decommission.<ext>`, or
/// refused with the code in `update-error` / `decommission-error`. Byte for byte; a second run
/// changes nothing; `UPDATE_FIXTURES=1` writes the files for review.
fn run_day2(editor: &str, ext: &str, op: &str, edit: impl Fn(&str) -> Result<Edited, Error>) {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let (req, _) = shared();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases(editor) {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(input) = fs::read_to_string(case.join(format!("expected.{ext}"))) else {
            continue;
        };
        if !input.contains(&req.name) {
            continue;
        }
        checked += 1;
        let out_path = case.join(format!("{op}.{ext}"));
        let err_path = case.join(format!("{op}-error"));
        let result = edit(&input);
        if update {
            match &result {
                Ok(out) => fs::write(&out_path, &out.text).unwrap(),
                Err(e) => fs::write(&err_path, format!("{}\n", e.code.as_str())).unwrap(),
            }
            continue;
        }
        match (
            result,
            fs::read_to_string(&out_path),
            fs::read_to_string(&err_path),
        ) {
            (Ok(out), Ok(want), _) => {
                if out.text != want {
                    failures.push(format!(
                        "{name}: {op} differs\n--- expected\n{want}\n--- got\n{}",
                        out.text
                    ));
                }
                if !out.changed || out.text == input {
                    failures.push(format!("{name}: {op} changed nothing"));
                }
                match edit(&out.text) {
                    Ok(again) if !again.changed && again.text == out.text => {}
                    other => {
                        failures.push(format!("{name}: second {op} was not a no-op: {other:?}"))
                    }
                }
            }
            (Err(e), _, Ok(code)) if e.code.as_str() == code.trim() => {}
            (r, _, _) => failures.push(format!("{name}: {op}: unexpected {r:?}")),
        }
    }
    assert!(
        checked >= 10,
        "too few {editor} layouts for {op}: {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

const DAY2: &str = "2026-11-23";

#[test]
fn catalog_update_fixtures() {
    let (req, _) = shared();
    let fields = [
        FieldValue::text("owner", "app-team"),
        FieldValue::text("risk", "high"),
    ];
    run_day2("catalog", "yaml", "update", |text| {
        set_catalog_fields(text, &req.name, &fields, DAY2)
    });
}

#[test]
fn catalog_decommission_fixtures() {
    let (req, _) = shared();
    let fields = [
        FieldValue::text("status", "decommissioned"),
        FieldValue::date("decommissioned_date", DAY2),
    ];
    run_day2("catalog", "yaml", "decommission", |text| {
        set_catalog_fields(text, &req.name, &fields, DAY2)
    });
}

#[test]
fn tfvars_update_fixtures() {
    let (req, _) = shared();
    run_day2("tfvars", "tfvars", "update", |text| {
        set_tfvars_metadata(
            text,
            &req.name,
            &[("owner", "app-team"), ("risk", "high")],
            "ecr_repositories",
        )
    });
}

#[test]
fn tfvars_decommission_fixtures() {
    let (req, _) = shared();
    run_day2("tfvars", "tfvars", "decommission", |text| {
        remove_tfvars_entry(text, &req.name, "ecr_repositories")
    });
}
