//! The pure guard over git's facts (what the CLI gathers and WebAssembly callers may pass): the
//! revisions as JSON in, the verdict out. The new fields are optional, so callers that pass only
//! texts keep working; given, they decide.
#![cfg(feature = "edit")]

use ecr_registrar::{ChangesReport, Config, Revisions, Validator, changes};
use serde_json::{Value, json};

const DEV: &str = "envs/dev/terraform.tfvars";
const TFVARS: &str = "ecr_repositories = {\n}\n";

fn judge(config: &Config, revs: Value) -> ChangesReport {
    let revs: Revisions = serde_json::from_value(revs).unwrap();
    changes(&Validator::new(config).unwrap(), &revs).unwrap()
}

fn codes(r: &ChangesReport) -> Vec<(String, String)> {
    r.guard
        .problems
        .iter()
        .map(|p| (p.file.clone(), p.code.to_string()))
        .collect()
}

fn change(path: &str, base: &str, head: &str) -> Value {
    json!({"path": path, "baseMode": base, "headMode": head,
           "baseId": "1".repeat(40), "headId": "2".repeat(40)})
}

#[test]
fn texts_alone_still_judge_and_regular_files_pass() {
    let same = json!({"base": {DEV: TFVARS}, "head": {DEV: TFVARS}, "changedPaths": [DEV]});
    let r = judge(&Config::default(), same.clone());
    assert!(r.guard.ok, "{r:?}");
    let mut with = same;
    with["gitChanges"] = json!([change(DEV, "100644", "100644")]);
    with["headTree"] = json!([{"path": DEV, "mode": "100644"}]);
    with["headAttributes"] = json!([{"path": DEV, "name": "text", "value": "unset"}]);
    assert!(judge(&Config::default(), with).guard.ok);
}

#[test]
fn every_mode_but_a_regular_file_is_refused_at_either_side() {
    for (base, head) in [
        ("100644", "100755"),
        ("100755", "100644"),
        ("100644", "120000"),
        ("000000", "160000"),
        ("120000", "000000"),
    ] {
        let r = judge(
            &Config::default(),
            json!({"base": {DEV: TFVARS}, "head": {DEV: TFVARS}, "changedPaths": [DEV],
                   "gitChanges": [change(DEV, base, head)]}),
        );
        assert_eq!(
            codes(&r),
            [(DEV.to_string(), "not_regular_file".to_string())],
            "{base} -> {head}"
        );
    }
}

#[test]
fn the_config_file_is_governed_whatever_the_config_says() {
    // A config that names registrar.yaml as its catalog does not make a change to it allowed.
    let config = Config::from_yaml("catalogPath: registrar.yaml\n").unwrap();
    let r = judge(
        &config,
        json!({"base": {}, "head": {}, "changedPaths": ["registrar.yaml"],
               "gitChanges": [change("registrar.yaml", "100644", "120000")]}),
    );
    let c = codes(&r);
    assert!(
        c.contains(&("registrar.yaml".into(), "unexpected_file".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("registrar.yaml".into(), "not_regular_file".into())),
        "{c:?}"
    );
}

#[test]
fn a_parent_that_is_not_a_directory_and_checkout_attributes_are_refused() {
    for (entry, attr) in [
        (json!({"path": "envs", "mode": "120000"}), json!([])),
        (json!({"path": "envs/dev", "mode": "160000"}), json!([])),
        (
            json!({"path": "envs/dev", "mode": "040000"}),
            json!([{"path": DEV, "name": "filter", "value": "lfs"}]),
        ),
        // `crlf`, git's older name for `text`: set, or `input`.
        (
            json!({"path": "envs/dev", "mode": "040000"}),
            json!([{"path": DEV, "name": "crlf", "value": "set"}]),
        ),
        (
            json!({"path": "envs/dev", "mode": "040000"}),
            json!([{"path": DEV, "name": "crlf", "value": "input"}]),
        ),
    ] {
        let r = judge(
            &Config::default(),
            json!({"base": {DEV: TFVARS}, "head": {DEV: TFVARS}, "changedPaths": [],
                   "headTree": [entry], "headAttributes": attr}),
        );
        assert!(
            codes(&r).contains(&(DEV.into(), "not_checked_out_as_blob".into())),
            "{r:?}"
        );
    }
    // A sibling whose name only starts like a parent is not one.
    let r = judge(
        &Config::default(),
        json!({"base": {}, "head": {}, "changedPaths": [],
               "headTree": [{"path": "envs/de", "mode": "120000"}]}),
    );
    assert!(r.guard.ok, "{r:?}");
}

#[test]
fn a_rename_into_or_out_of_a_governed_path_is_refused() {
    for (from, to) in [(DEV, "envs/dev/x.tfvars"), ("notes/x.tfvars", DEV)] {
        let mut c = change(to, "100644", "100644");
        c["from"] = json!(from);
        let r = judge(
            &Config::default(),
            json!({"base": {}, "head": {}, "changedPaths": [], "gitChanges": [c]}),
        );
        assert_eq!(codes(&r), [(DEV.to_string(), "renamed".to_string())]);
    }
}
