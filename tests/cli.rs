//! The real binary against copies of the bundled example platform repo.
#![cfg(feature = "cli")]

mod common;
use common::copy_dir;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const CATALOG: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";

fn example_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform"),
        dir.path(),
    );
    dir
}

/// Every file under `dir` with its bytes: the whole state a run could touch.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn bin() -> Command {
    Command::cargo_bin("ecr-registrar").unwrap()
}

fn scaffold(repo: &Path, args: &[&str]) -> Command {
    let mut c = bin();
    c.arg("scaffold")
        .arg("--repo")
        .arg(repo)
        .args(["--today", "2026-11-21"])
        .args(args);
    c
}

const GOOD: &[&str] = &[
    "--name",
    "payments-api",
    "--owner",
    "platform-team",
    "--environment",
    "dev",
    "--risk",
    "low",
];

/// The good request with some flags replaced or added.
fn good_with(overrides: &[(&str, &str)]) -> Vec<String> {
    let mut args: Vec<String> = GOOD.iter().map(|s| s.to_string()).collect();
    for (flag, value) in overrides {
        let flag = format!("--{flag}");
        match args.iter().position(|a| *a == flag) {
            Some(i) => args[i + 1] = value.to_string(),
            None => args.extend([flag, value.to_string()]),
        }
    }
    args
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Run, expect the exit code, return stderr.
fn stderr_out(cmd: &mut Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stderr.clone()).unwrap()
}

/// Run, expect the exit code, return stdout.
fn stdout_out(cmd: &mut Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stdout.clone()).unwrap()
}

/// Run, expect the exit code, parse stdout as JSON.
fn json_out(cmd: &mut Command, code: i32) -> serde_json::Value {
    let out = stdout_out(cmd, code);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn validate_exit_codes_and_json_shape() {
    bin()
        .args(["validate", "--name", "payments-api"])
        .assert()
        .code(0);
    let v = json_out(
        bin().args(["validate", "--name", "abc-", "--format", "json"]),
        1,
    );
    assert_eq!(v["valid"], false);
    assert_eq!(v["registryId"], serde_json::Value::Null);
    assert_eq!(v["errors"][0]["field"], "name");
    assert_eq!(v["errors"][0]["code"], "name_aws_pattern");
    let v = json_out(
        bin().args(["validate", "--name", "new-wp-reg2", "--format", "json"]),
        0,
    );
    assert_eq!(v["registryId"], "REGISTRY_NEW_WP_REG2");
    bin().args(["validate"]).assert().code(2);
    bin().args(["frobnicate"]).assert().code(2);
}

#[test]
fn scaffold_writes_then_is_idempotent() {
    let repo = example_repo();
    let before = snapshot(repo.path());
    scaffold(repo.path(), GOOD)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("added payments-api"));
    let after = snapshot(repo.path());
    let changed: Vec<_> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(
        changed,
        [Path::new(CATALOG), Path::new("envs/dev/terraform.tfvars")]
    );
    assert_eq!(after.len(), before.len(), "no stray temp files");
    let tf = String::from_utf8(after[Path::new("envs/dev/terraform.tfvars")].clone()).unwrap();
    assert!(tf.contains(
        "  \"payments-api\" = {\n    metadata = {\n      id    = \"REGISTRY_PAYMENTS_API\"\n"
    ));

    scaffold(repo.path(), GOOD)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("unchanged"));
    assert_eq!(snapshot(repo.path()), after);
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let repo = example_repo();
    let before = snapshot(repo.path());
    let out = stdout_out(scaffold(repo.path(), GOOD).arg("--dry-run"), 0);
    assert!(out.contains(&format!("--- a/{CATALOG}")), "{out}");
    assert!(out.contains("+  payments-api:"), "{out}");
    assert!(out.contains("+  \"payments-api\" = {"), "{out}");
    assert!(
        out.contains("-last_updated: \"2026-10-02\"\n+last_updated: \"2026-11-21\""),
        "{out}"
    );
    assert!(out.contains(
        "terraform -chdir=envs/dev plan -target='module.ecr_repositories[\"payments-api\"]'"
    ));
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn json_output_for_scripts() {
    let repo = example_repo();
    // No envs/test in the example: refused (a lone tfvars file no Terraform root reads), nothing
    // written; with the directory, the file is created.
    let before = snapshot(repo.path());
    let v = json_out(
        &mut scaffold(
            repo.path(),
            &strs(&good_with(&[("environment", "test"), ("format", "json")])),
        ),
        1,
    );
    assert_eq!(v["error"]["code"], "not_found", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("envs/test does not exist"),
        "{v}"
    );
    assert_eq!(snapshot(repo.path()), before);
    fs::create_dir_all(repo.path().join("envs/test")).unwrap();
    let v = json_out(
        &mut scaffold(
            repo.path(),
            &strs(&good_with(&[("environment", "test"), ("format", "json")])),
        ),
        0,
    );
    assert_eq!(v["changed"], true);
    assert_eq!(v["registryId"], "REGISTRY_PAYMENTS_API");
    assert_eq!(v["files"][1]["path"], "envs/test/terraform.tfvars");
    assert_eq!(v["files"][1]["created"], true);
    assert!(repo.path().join("envs/test/terraform.tfvars").is_file());

    // Failures are JSON too, with the stable code and the fields in conflict.
    let v = json_out(
        &mut scaffold(
            repo.path(),
            &strs(&good_with(&[
                ("owner", "sre-team"),
                ("environment", "test"),
                ("format", "json"),
            ])),
        ),
        1,
    );
    assert_eq!(v["error"]["code"], "conflict");
    assert_eq!(v["error"]["file"], CATALOG);
    assert_eq!(v["error"]["conflicts"][0]["field"], "owner");
    let v = json_out(
        &mut scaffold(
            repo.path(),
            &strs(&good_with(&[("name", "abc-"), ("format", "json")])),
        ),
        1,
    );
    assert_eq!(v["error"]["code"], "invalid_request");
    assert_eq!(v["error"]["errors"][0]["code"], "name_aws_pattern");
}

#[test]
fn hostile_inputs_are_rejected_and_nothing_is_written() {
    let long = "a".repeat(300);
    let cases: Vec<(&str, String, &str)> = vec![
        ("name", "abc\"".into(), "name"),
        ("name", "abc\ninjected: true".into(), "line break"),
        ("name", "abc#x".into(), "'#'"),
        ("name", "abc}".into(), "'}'"),
        ("name", "pаyments".into(), "U+0430"),
        ("name", long, "300 characters"),
        ("name", "../escape".into(), "'.'"),
        ("name", "abc-".into(), "ends with '-'"),
        ("name", "".into(), "required"),
        (
            "environment",
            "../../x".into(),
            "not one of the platform's environments",
        ),
        (
            "environment",
            "dev/../../etc".into(),
            "not one of the platform's environments",
        ),
        (
            "environment",
            "/abs".into(),
            "not one of the platform's environments",
        ),
        ("environment", "".into(), "environment is required"),
        (
            "owner",
            "team\" = 1".into(),
            "not one of the platform's owners",
        ),
        (
            "risk",
            "low\n".into(),
            "not one of the platform's risk tiers",
        ),
        ("id", "REGISTRY_X\"}".into(), "id"),
    ];
    for (field, value, needle) in cases {
        let repo = example_repo();
        let before = snapshot(repo.path());
        let args = good_with(&[(field, &value)]);
        let err = stderr_out(&mut scaffold(repo.path(), &strs(&args)), 1);
        assert!(
            err.contains(&format!("{field}:")),
            "{field}={value:?}: {err}"
        );
        assert!(
            err.contains(needle),
            "{field}={value:?}: expected {needle:?} in {err}"
        );
        assert!(
            !err.contains('\u{0430}'),
            "hostile characters are escaped in messages"
        );
        assert_eq!(
            snapshot(repo.path()),
            before,
            "{field}={value:?} wrote something"
        );
    }
}

#[test]
fn malformed_files_name_file_and_line_and_nothing_is_written() {
    let repo = example_repo();
    let path = repo.path().join(CATALOG);
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("  broken: [\n");
    fs::write(&path, &text).unwrap();
    let before = snapshot(repo.path());
    let err = stderr_out(&mut scaffold(repo.path(), GOOD), 2);
    assert!(err.contains(CATALOG), "{err}");
    assert!(
        err.contains(":39:") || err.contains(":40:") || err.contains(":38:"),
        "line number in {err}"
    );
    assert_eq!(snapshot(repo.path()), before);

    let repo = example_repo();
    fs::write(
        repo.path().join("envs/dev/terraform.tfvars"),
        "ecr_repositories = {\n  \"a\" = \n",
    )
    .unwrap();
    let before = snapshot(repo.path());
    let err = stderr_out(&mut scaffold(repo.path(), GOOD), 2);
    assert!(err.contains("envs/dev/terraform.tfvars:"), "{err}");
    assert_eq!(
        snapshot(repo.path()),
        before,
        "the valid catalog is not written either"
    );

    let repo = example_repo();
    fs::write(
        repo.path().join("envs/dev/terraform.tfvars"),
        b"a = \"\xff\"\n",
    )
    .unwrap();
    scaffold(repo.path(), GOOD)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not UTF-8"));
}

#[test]
fn conflicts_exit_1_and_name_the_fields() {
    let repo = example_repo();
    let before = snapshot(repo.path());
    let err = stderr_out(
        &mut scaffold(
            repo.path(),
            &[
                "--name",
                "ledger-sync",
                "--owner",
                "sre-team",
                "--environment",
                "dev",
                "--risk",
                "low",
            ],
        ),
        1,
    );
    assert!(
        err.contains("owner: existing \"database-team\", requested \"sre-team\""),
        "{err}"
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn config_from_repo_and_unknown_keys() {
    let repo = example_repo();
    fs::write(
        repo.path().join("registrar.yaml"),
        "environments: [dev, qa]\n",
    )
    .unwrap();
    fs::create_dir_all(repo.path().join("envs/qa")).unwrap();
    scaffold(repo.path(), &strs(&good_with(&[("environment", "qa")])))
        .assert()
        .code(0);
    assert!(repo.path().join("envs/qa/terraform.tfvars").is_file());
    scaffold(repo.path(), &strs(&good_with(&[("environment", "prod")])))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("dev, qa"));

    fs::write(repo.path().join("registrar.yaml"), "enviroments: [dev]\n").unwrap();
    scaffold(repo.path(), GOOD)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown key (did you mean `environments`?)",
        ))
        .stderr(predicates::str::contains("registrar.yaml"));
}

#[test]
fn missing_repo_is_an_io_error() {
    scaffold(Path::new("/nonexistent/repo"), GOOD)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a directory"));
}

#[test]
fn help_teaches() {
    let out = stdout_out(bin().args(["scaffold", "--help"]), 0);
    assert!(
        out.contains("--dry-run") && out.contains("Example"),
        "{out}"
    );
}

#[test]
fn reports_name_a_repository_by_its_own_name() {
    // A name that itself starts with the entity prefix `ecr-` must not lose it in the report.
    let repo = example_repo();
    let args = good_with(&[("name", "ecr-ecr-cache")]);
    let out = stdout_out(scaffold(repo.path(), &strs(&args)).arg("--dry-run"), 0);
    assert!(
        out.contains("would add ecr-ecr-cache (REGISTRY_ECR_ECR_CACHE)"),
        "{out}"
    );
    scaffold(repo.path(), &strs(&args)).assert().code(0);
    let out = stdout_out(&mut scaffold(repo.path(), &strs(&args)), 0);
    assert!(
        out.contains("unchanged: ecr-ecr-cache (REGISTRY_ECR_ECR_CACHE)"),
        "{out}"
    );
}

#[test]
fn lifecycle_validate_exit_codes_and_listing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let out = bin()
        .args(["lifecycle", "render", "--keep", "30", "--out"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty());
    let ok = bin()
        .args(["lifecycle", "validate"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));

    let bad = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","countType":"sinceImagePushed","countNumber":0},"action":{"type":"expire"}}]}"#;
    let out = bin()
        .args(["lifecycle", "validate", "-"])
        .write_stdin(bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "rules[0].selection.tagStatus [tag_list_required]",
        "rules[0].selection.countUnit [count_unit_required]",
        "rules[0].selection.countNumber [not_positive_integer]",
    ] {
        assert!(text.contains(needle), "{text}");
    }
    let missing = bin()
        .args(["lifecycle", "validate", "/nonexistent/policy.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/policy.json"));
    let zero = bin()
        .args(["lifecycle", "render", "--keep", "0"])
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn render_crossplane_writes_atomically_and_rejects_bad_requests() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payments-api.yaml");
    let args = [
        "render",
        "crossplane",
        "--name",
        "payments-api",
        "--owner",
        "app-team",
        "--environment",
        "prod",
        "--risk",
        "high",
        "--region",
        "eu-west-2",
    ];
    let out = bin().args(args).arg("--out").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = fs::read_to_string(&file).unwrap();
    assert_eq!(
        yaml.matches("\napiVersion: ecr.aws.m.upbound.io/v1beta1")
            .count()
            + usize::from(yaml.starts_with("apiVersion")),
        2
    );
    assert!(yaml.contains("imageTagMutability: IMMUTABLE") && yaml.contains("encryptionType: KMS"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left behind"
    );
    let stdout = bin().args(args).output().unwrap();
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), yaml);

    let bad = bin()
        .args([
            "render",
            "crossplane",
            "--name",
            "abc-",
            "--owner",
            "app-team",
            "--environment",
            "../x",
            "--risk",
            "high",
            "--region",
            "eu-west-2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    let codes: Vec<&str> = v["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"name_aws_pattern") && codes.contains(&"unknown_environment"),
        "{codes:?}"
    );
    let help = bin()
        .args(["render", "crossplane", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Example:"));
}

#[test]
fn sync_from_json_writes_checks_and_previews() {
    let repo = example_repo();
    let listing =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws/describe-repositories.json");
    let sync = |extra: &[&str]| {
        bin()
            .args(["sync", "--repo"])
            .arg(repo.path())
            .arg("--from-json")
            .arg(&listing)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = sync(&["--now", "2026-11-21T18:00:00Z"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8(first.stdout).unwrap();
    assert!(
        out.contains("3 repositories in eu-west-2 (account 123456789012): 1 synced, 2 orphans"),
        "{out}"
    );
    let written = snapshot(repo.path());
    let again = sync(&["--now", "2026-11-22T08:00:00Z"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("entities are up to date"));
    assert_eq!(snapshot(repo.path()), written, "a re-run writes nothing");
    assert_eq!(sync(&["--check"]).status.code(), Some(0));

    let entities = repo.path().join("catalog/resources/ecr-registry.yaml");
    let edited = fs::read_to_string(&entities)
        .unwrap()
        .replace("owner: database-team", "owner: someone");
    fs::write(&entities, &edited).unwrap();
    let drift = sync(&["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    let preview = sync(&["--dry-run"]);
    let diff = String::from_utf8(preview.stdout).unwrap();
    assert!(
        diff.contains("-  owner: someone\n+  owner: database-team\n"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(&entities).unwrap(),
        edited,
        "--dry-run writes nothing"
    );

    let bad = bin()
        .args(["sync", "--repo"])
        .arg(repo.path())
        .args(["--from-json", "-"])
        .write_stdin("{\"repos\": []}")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no \"repositories\" list"));
    if !cfg!(feature = "aws") {
        let live = bin()
            .args(["sync", "--repo"])
            .arg(repo.path())
            .args(["--region", "eu-west-2"])
            .output()
            .unwrap();
        assert_eq!(live.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&live.stderr).contains("--from-json"));
    }
}

#[test]
fn sync_json_output_is_pure_json_with_diffs_inside() {
    let repo = example_repo();
    let listing =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws/describe-repositories.json");
    let out = bin()
        .args(["sync", "--repo"])
        .arg(repo.path())
        .arg("--from-json")
        .arg(&listing)
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(v["report"]["repoCount"], 3);
    assert!(
        v["files"][0]["diff"]
            .as_str()
            .unwrap()
            .starts_with("--- /dev/null\n+++ b/catalog/resources/ecr-registry.yaml")
    );
}

/// A reader that goes away (`| head -c1`) ends the command quietly with exit 0: no panic, no
/// message. The read end is closed before the binary starts, so its first write fails.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    for args in [
        &["lifecycle", "render", "--keep", "5"][..],
        &["codes"],
        &["validate", "--name", "abc-", "--format", "json"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecr-registrar"))
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// `codes` lists every stable code, and the JSON is the core's list.
#[test]
fn codes_lists_every_code() {
    let out = bin().args(["codes", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::to_value(ecr_registrar::stable_codes()).unwrap()
    );
    let text = bin().arg("codes").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    for code in ["invalid_request", "name_aws_pattern", "too_many_wildcards"] {
        assert!(text.contains(code), "{code} missing:\n{text}");
    }
}

#[test]
fn sync_promote_marks_requests_active_once_their_repository_exists() {
    let repo = example_repo();
    let listing =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws/describe-repositories.json");
    let run = |extra: &[&str]| {
        Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["sync", "--repo"])
            .arg(repo.path())
            .arg("--from-json")
            .arg(&listing)
            .args(["--now", "2026-11-23T10:00:00Z", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    // --check sees the pending promotion as drift and writes nothing.
    let before = fs::read_to_string(repo.path().join(CATALOG)).unwrap();
    let out = run(&["--promote", "--environment", "dev", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(repo.path().join(CATALOG)).unwrap(),
        before
    );

    let out = run(&["--promote", "--environment", "dev"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["promotion"]["promoted"],
        serde_json::json!(["ledger-sync"])
    );
    let after = fs::read_to_string(repo.path().join(CATALOG)).unwrap();
    assert_eq!(
        after,
        before
            .replace(
                "last_updated: \"2026-10-02\"",
                "last_updated: \"2026-11-23\""
            )
            .replace("      status: pending", "      status: active")
    );
    // A second run promotes nothing and changes nothing.
    let out = run(&["--promote", "--environment", "dev", "--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // prod: checkout-web is active in the catalog but not in this listing.
    let out = run(&["--promote", "--environment", "prod", "--dry-run"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["promotion"]["activeMissing"],
        serde_json::json!(["checkout-web"])
    );

    // A listing of another region: prod's entries record none, and its Terraform root says
    // eu-west-2, so none of them is this listing's (the eleventh issue-23 check).
    let out = run(&[
        "--region",
        "us-east-1",
        "--promote",
        "--environment",
        "prod",
        "--dry-run",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["promotion"]["activeMissing"],
        serde_json::json!([]),
        "{report}"
    );

    // --promote needs to know the environment; an unknown one is refused.
    assert_eq!(run(&["--promote"]).status.code(), Some(2));
    assert_eq!(
        run(&["--promote", "--environment", "../x"]).status.code(),
        Some(1)
    );
}

#[test]
fn description_and_region_from_flags_and_from_the_config() {
    // validate checks both fields, with the core's codes.
    let v = json_out(
        bin().args([
            "validate",
            "--name",
            "payments-api",
            "--region",
            "mars-west-1",
            "--description",
            "two\nlines",
            "--format",
            "json",
        ]),
        1,
    );
    let codes: Vec<(&str, &str)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("description", "invalid_description"),
            ("region", "invalid_region")
        ]
    );

    // scaffold writes both into the catalog and the description into the tfvars.
    let repo = example_repo();
    let args = good_with(&[
        ("description", "Payments API images"),
        ("region", "eu-west-2"),
    ]);
    scaffold(repo.path(), &strs(&args)).assert().code(0);
    let catalog = fs::read_to_string(repo.path().join(CATALOG)).unwrap();
    assert!(
        catalog.contains("      description: Payments API images\n"),
        "{catalog}"
    );
    assert!(catalog.contains("      region: eu-west-2\n"), "{catalog}");
    let tfvars = fs::read_to_string(repo.path().join("envs/dev/terraform.tfvars")).unwrap();
    assert!(
        tfvars.contains("description = \"Payments API images\""),
        "{tfvars}"
    );
    // Again: nothing to change.
    let v = json_out(
        &mut scaffold(
            repo.path(),
            &strs(&good_with(&[
                ("description", "Payments API images"),
                ("region", "eu-west-2"),
                ("format", "json"),
            ])),
        ),
        0,
    );
    assert_eq!(v["changed"], false, "{v}");

    // A repo's defaultRegion is recorded when the request names none; a bad one is refused,
    // naming the key, not the value.
    let repo = example_repo();
    fs::write(
        repo.path().join("registrar.yaml"),
        "defaultRegion: eu-west-2\n",
    )
    .unwrap();
    scaffold(repo.path(), GOOD).assert().code(0);
    let catalog = fs::read_to_string(repo.path().join(CATALOG)).unwrap();
    assert!(catalog.contains("      region: eu-west-2\n"), "{catalog}");
    // A region the environment's Terraform root does not create in: refused, nothing written.
    let before = snapshot(repo.path());
    let other = good_with(&[("name", "orders-api"), ("region", "us-east-1")]);
    let err = stderr_out(&mut scaffold(repo.path(), &strs(&other)), 1);
    assert!(err.contains("aws_region"), "{err}");
    assert_eq!(snapshot(repo.path()), before);
    fs::write(
        repo.path().join("registrar.yaml"),
        "defaultRegion: secret-value-1\n",
    )
    .unwrap();
    let err = stderr_out(&mut scaffold(repo.path(), GOOD), 2);
    assert!(
        err.contains("defaultRegion") && !err.contains("secret-value"),
        "{err}"
    );

    // render crossplane takes the same flag; without a region anywhere it says where to give one.
    let render = |region: &[&str]| {
        let mut c = bin();
        c.args([
            "render",
            "crossplane",
            "--name",
            "payments-api",
            "--owner",
            "app-team",
        ])
        .args(["--environment", "prod", "--risk", "high"])
        .args(region);
        c
    };
    let out = stdout_out(&mut render(&["--region", "us-east-1"]), 0);
    assert!(out.contains("region: us-east-1"), "{out}");
    let err = stderr_out(&mut render(&[]), 2);
    assert!(
        err.contains("--region") && err.contains("defaultRegion"),
        "{err}"
    );
}
