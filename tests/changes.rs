//! `ecr-registrar changes` over git histories built here from the bundled example platform repo:
//! what a pull request changes, and the guard that decides whether it may be applied unattended.
#![cfg(feature = "cli")]

mod common;
use common::copy_dir;

use std::fs;
use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

const CATALOG: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";
const DEV: &str = "envs/dev/terraform.tfvars";
const PROD: &str = "envs/prod/terraform.tfvars";

struct Repo(tempfile::TempDir);

impl Repo {
    /// The example platform repo, committed on `main` and tagged `base`.
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform"),
            dir.path(),
        );
        let r = Repo(dir);
        r.git(&["init", "-q", "-b", "main"]);
        r.commit("the platform");
        r.git(&["tag", "base"]);
        r
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let o = Std::new("git")
            .arg("-C")
            .arg(self.path())
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Replace exactly one occurrence of `from` in a file.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
        fs::write(self.path().join(rel), text.replacen(from, to, 1)).unwrap();
    }

    /// A request made the way the wizard makes it: the real `scaffold`.
    fn request(&self, name: &str, env: &str, risk: &str) {
        Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["scaffold", "--repo"])
            .arg(self.path())
            .args([
                "--name",
                name,
                "--owner",
                "platform-team",
                "--environment",
                env,
            ])
            .args(["--risk", risk, "--today", "2026-11-23"])
            .assert()
            .success();
    }

    /// `changes --format json` against `base`: the exit code and the report.
    fn changes(&self, base: &str) -> (i32, Value) {
        self.changes_with(base, &[])
    }

    /// [`Repo::changes`] with extra arguments.
    fn changes_with(&self, base: &str, extra: &[&str]) -> (i32, Value) {
        let out = Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["changes", "--repo"])
            .arg(self.path())
            .args(["--base", base, "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), json)
    }
}

/// `(environment, name, kind)` of every change.
fn listed(report: &Value) -> Vec<(String, String, String)> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("environment"), s("name"), s("kind"))
        })
        .collect()
}

/// `(file, line, code)` of every guard problem.
fn problems(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["guard"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn triple(env: &str, name: &str, kind: &str) -> (String, String, String) {
    (env.into(), name.into(), kind.into())
}

#[test]
fn one_request_is_one_added_entry_with_its_targeted_commands() {
    let r = Repo::new();
    r.git(&["checkout", "-q", "-b", "registry/create-payments-api"]);
    r.request("payments-api", "dev", "low");
    r.commit("request payments-api");
    let (code, report) = r.changes("base");
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["guard"]["ok"], true);
    assert_eq!(listed(&report), [triple("dev", "payments-api", "added")]);
    let c = &report["changes"][0];
    assert_eq!(
        c["planCommand"],
        "terraform -chdir=envs/dev plan -target='module.ecr_repositories[\"payments-api\"]'"
    );
    assert_eq!(
        c["applyCommand"],
        "terraform -chdir=envs/dev apply -auto-approve -input=false -target='module.ecr_repositories[\"payments-api\"]'"
    );
    // The branch's name plays no part: the same commits under another name say the same.
    r.git(&["branch", "-q", "-m", "whatever/renamed"]);
    assert_eq!(r.changes("base"), (code, report));
}

#[test]
fn several_requests_in_several_environments() {
    let r = Repo::new();
    r.request("payments-api", "dev", "low");
    r.request("payments-api-prod", "prod", "high");
    r.commit("two requests");
    r.request("ledger-archive", "staging", "medium");
    r.commit("a third");
    let (code, report) = r.changes("base");
    assert_eq!(code, 0, "{report:#}");
    let mut got = listed(&report);
    got.sort();
    assert_eq!(
        got,
        [
            triple("dev", "payments-api", "added"),
            triple("prod", "payments-api-prod", "added"),
            triple("staging", "ledger-archive", "added"),
        ]
    );
    // Against the middle commit, only the third.
    let (_, report) = r.changes("HEAD~1");
    assert_eq!(
        listed(&report),
        [triple("staging", "ledger-archive", "added")]
    );
}

#[test]
fn another_attribute_in_the_same_pull_request_fails_the_guard_at_its_line() {
    let r = Repo::new();
    r.request("payments-api", "dev", "low");
    r.edit(
        DEV,
        "aws_region  = \"eu-west-2\"",
        "aws_region  = \"us-east-1\"",
    );
    r.commit("request, and a region change riding along");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["guard"]["ok"], false);
    assert_eq!(
        problems(&report),
        [(DEV.into(), Some(2), "unexpected_change".into())]
    );
    // The entry is still listed: the plan on the PR shows it, the guard stops the auto-apply.
    assert_eq!(listed(&report), [triple("dev", "payments-api", "added")]);
}

#[test]
fn another_file_under_envs_fails_the_guard() {
    let r = Repo::new();
    r.request("payments-api", "dev", "low");
    fs::write(r.path().join("envs/dev/backend.tf"), "terraform {}\n").unwrap();
    // An environment that is not configured is just another file.
    fs::create_dir_all(r.path().join("envs/sandbox")).unwrap();
    fs::write(
        r.path().join("envs/sandbox/terraform.tfvars"),
        "ecr_repositories = {}\n",
    )
    .unwrap();
    r.commit("request and more");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            ("envs/dev/backend.tf".into(), None, "unexpected_file".into()),
            (
                "envs/sandbox/terraform.tfvars".into(),
                None,
                "unexpected_file".into()
            ),
        ]
    );
}

#[test]
fn an_entry_edited_by_hand_into_an_invalid_name_fails_the_guard() {
    let r = Repo::new();
    r.request("payments-api", "dev", "low");
    r.commit("request");
    // Renamed by hand in both files, consistently, to a name AWS rejects.
    r.edit(DEV, "\"payments-api\" = {", "\"Payments_API-\" = {");
    r.edit(CATALOG, "  payments-api:\n", "  Payments_API-:\n");
    r.commit("hand edit");
    let (code, report) = r.changes("HEAD~1");
    assert_eq!(code, 1, "{report:#}");
    // The new name breaks AWS's, Backstage's and the platform's rules: every problem is listed,
    // at its line in each file; the old catalog entry may not simply disappear either.
    let p = problems(&report);
    assert!(
        p.contains(&(DEV.into(), Some(15), "invalid_entry".into())),
        "{p:?}"
    );
    let in_catalog = p
        .iter()
        .filter(|(f, l, c)| f == CATALOG && *l == Some(38) && c == "invalid_entry");
    assert_eq!(in_catalog.count(), 3, "{p:?}");
    assert!(
        p.contains(&(CATALOG.into(), Some(38), "missing_counterpart".into())),
        "{p:?}"
    );
    // The removal of the old name is listed (with its destroy plan); the invalid name gets no
    // command at all.
    let got = listed(&report);
    assert_eq!(got, [triple("dev", "payments-api", "removed")]);
    assert!(
        report["changes"][0]["planCommand"]
            .as_str()
            .unwrap()
            .contains(" plan -destroy ")
    );
}

/// An added entry's catalog region is where its environment's Terraform root creates it
/// (`scaffold` refuses another): a hand edit to another region fails the guard (the ninth
/// issue-23 check); the root's own region passes.
#[test]
fn an_added_entry_recorded_in_another_region_than_its_root_fails_the_guard() {
    for (region, ok) in [("us-gov-west-1", false), ("eu-west-2", true)] {
        let r = Repo::new();
        r.request("payments-api", "dev", "low");
        r.edit(
            CATALOG,
            "      environment: dev\n      created_date: \"2026-11-23\"\n      status: pending",
            &format!("      environment: dev\n      region: {region}\n      created_date: \"2026-11-23\"\n      status: pending"),
        );
        r.commit("request, its region edited by hand");
        let (code, report) = r.changes("base");
        assert_eq!(code, if ok { 0 } else { 1 }, "{report:#}");
        if !ok {
            let p = problems(&report);
            assert!(
                p.contains(&(CATALOG.into(), Some(38), "invalid_entry".into())),
                "{p:?}"
            );
            let text = report.to_string();
            assert!(text.contains("its catalog region \\\"us-gov-west-1\\\" is not where the \\\"dev\\\" environment's Terraform root creates repositories (\\\"eu-west-2\\\""), "{text}");
        }
    }
}

#[test]
fn a_removal_with_its_catalog_entry_decommissioned_is_a_destroy() {
    let r = Repo::new();
    let entry = "  \"checkout-web\" = {\n    metadata = {\n      id    = \"REGISTRY_CHECKOUT_WEB\"\n      owner = \"app-team\"\n      risk  = \"high\"\n    }\n  }\n";
    r.edit(PROD, entry, "");
    r.commit("remove checkout-web, catalog untouched");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1);
    // The catalog entry did not change at all: the removal (its line in the base) has no
    // counterpart.
    assert_eq!(
        problems(&report),
        [(PROD.into(), Some(5), "missing_counterpart".into())]
    );

    r.edit(
        CATALOG,
        "      created_date: \"2026-03-14\"\n      status: active",
        "      created_date: \"2026-03-14\"\n      status: decommissioned",
    );
    r.commit("decommissioned in the catalog");
    let (code, report) = r.changes("base");
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(listed(&report), [triple("prod", "checkout-web", "removed")]);
    assert_eq!(
        report["changes"][0]["planCommand"],
        "terraform -chdir=envs/prod plan -destroy -target='module.ecr_repositories[\"checkout-web\"]'"
    );
}

#[test]
fn the_two_files_must_agree() {
    let r = Repo::new();
    // A catalog entry without its tfvars entry.
    r.edit(CATALOG, "      status: pending", "      status: pending\n  orphan-entry:\n    metadata:\n      id: REGISTRY_ORPHAN_ENTRY\n      owner: platform-team\n      risk: low\n      environment: dev\n      created_date: \"2026-11-23\"\n      status: pending");
    r.commit("catalog only");
    let (_, report) = r.changes("base");
    assert_eq!(
        problems(&report),
        [(CATALOG.into(), Some(38), "missing_counterpart".into())]
    );

    // A tfvars entry whose owner differs from the catalog's, and one that carries an extra field.
    let r = Repo::new();
    r.request("payments-api", "dev", "low");
    r.edit(
        DEV,
        "      owner = \"platform-team\"\n      risk  = \"low\"",
        "      owner = \"app-team\"\n      risk  = \"low\"\n      scan  = false",
    );
    r.commit("hand-tuned");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1);
    let codes: Vec<String> = problems(&report).into_iter().map(|p| p.2).collect();
    assert_eq!(codes, ["mismatch", "mismatch"]);

    // A status change alone (a promotion) is bookkeeping: nothing to apply, guard ok.
    let r = Repo::new();
    r.edit(CATALOG, "      status: pending", "      status: active");
    r.commit("promote");
    let (code, report) = r.changes("base");
    assert_eq!((code, listed(&report).len()), (0, 0), "{report:#}");
    // A risk change in the catalog alone is not.
    r.edit(
        CATALOG,
        "      risk: low\n      environment: dev",
        "      risk: high\n      environment: dev",
    );
    r.commit("risk in the catalog only");
    let (code, report) = r.changes("HEAD~1");
    assert_eq!(code, 1);
    assert_eq!(problems(&report)[0].2, "missing_counterpart");
}

#[test]
fn an_unreadable_revision_is_a_problem_and_a_bad_revision_an_error() {
    let r = Repo::new();
    r.edit(DEV, "ecr_repositories = {", "ecr_repositories = {{");
    r.commit("broken");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1);
    let p = problems(&report);
    assert_eq!((p[0].0.as_str(), p[0].2.as_str()), (DEV, "unreadable"));

    let out = Command::cargo_bin("ecr-registrar")
        .unwrap()
        .args(["changes", "--repo"])
        .arg(r.path())
        .args(["--base", "no-such-branch", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["error"]["code"], "invalid_argument", "{e}");
}

/// Run a day-2 command of the real CLI on the repo, on `today`.
fn day2(r: &Repo, args: &[&str], today: &str) {
    Command::cargo_bin("ecr-registrar")
        .unwrap()
        .args(args)
        .arg("--repo")
        .arg(r.path())
        .args(["--today", today])
        .assert()
        .success();
}

#[test]
fn update_and_decommission_pass_the_guard_and_say_what_terraform_does() {
    let r = Repo::new();
    // checkout-web is the first entry of the catalog, ledger-sync the last.
    let requests: [&[&str]; 2] = [
        &[
            "update",
            "--name",
            "checkout-web",
            "--environment",
            "prod",
            "--owner",
            "sre-team",
        ],
        &[
            "decommission",
            "--name",
            "ledger-sync",
            "--environment",
            "dev",
        ],
    ];
    let mut once = None;
    // The same requests again change nothing, even on another day.
    for today in ["2026-11-23", "2026-11-24"] {
        for args in requests {
            day2(&r, args, today);
        }
        let now = (r.read(CATALOG), r.read(DEV), r.read(PROD));
        assert_eq!(once.get_or_insert_with(|| now.clone()), &now, "{today}");
    }
    r.commit("day 2");
    let (code, report) = r.changes("base");
    assert_eq!(code, 0, "{report:#}");
    let mut got = listed(&report);
    got.sort();
    assert_eq!(
        got,
        [
            triple("dev", "ledger-sync", "removed"),
            triple("prod", "checkout-web", "updated")
        ]
    );
    // Only the changed values and the new lines: the diff says so.
    let diff = r.git(&["diff", "--numstat", "base", "HEAD"]);
    let mut stat: Vec<&str> = diff.lines().collect();
    stat.sort();
    assert_eq!(
        stat,
        [
            "0\t7\tenvs/dev/terraform.tfvars",  // the entry's seven lines
            "1\t1\tenvs/prod/terraform.tfvars", // owner
            // last_updated, owner, status changed; decommissioned_date added
            format!("4\t3\t{CATALOG}").as_str(),
        ]
    );
}

// ---- Replacement is not an update -------------------------------------------------------------
// The AWS provider cannot change a repository's encryption in place (`encryption_configuration` is
// ForceNew): a tier move across `high` (AES256 <-> KMS) destroys the repository and every image in
// it, then creates it empty. `changes` calls that `replaced`, and the guard lets it through only when
// the config allows replacements and a reviewer said so (`--allow-replace`).

#[test]
fn a_tier_move_across_encryption_is_a_replacement_and_the_guard_holds_it() {
    let r = Repo::new();
    // ledger-sync (dev) is `low`: AES256. `high` is KMS. The PR body (the actions' and the
    // WebAssembly build's) says so in bold.
    let request = ecr_registrar::UpdateRequest {
        name: "ledger-sync".into(),
        environment: "dev".into(),
        risk: Some("high".into()),
        ..Default::default()
    };
    let files = ecr_registrar::Files {
        catalog: Some(r.read(CATALOG)),
        tfvars: Some(r.read(DEV)),
    };
    let config = ecr_registrar::Config::default();
    let v = ecr_registrar::Validator::new(&config).unwrap();
    let out = ecr_registrar::update(&v, &request, &files, "2026-11-23").unwrap();
    let body = &out.pull_request.body;
    assert!(
        body.contains("**Applying this replaces the repository `ledger-sync`"),
        "the PR body says it in bold: {body}"
    );
    assert!(body.contains("every image in it"), "{body}");
    assert!(body.contains("`AES256` → `KMS`"), "{body}");
    assert!(out.replacement.as_deref().unwrap().contains("KMS"));
    // A move that keeps the encryption says nothing of the kind.
    let medium = ecr_registrar::UpdateRequest {
        risk: Some("medium".into()),
        ..request.clone()
    };
    let out_medium = ecr_registrar::update(&v, &medium, &files, "2026-11-23").unwrap();
    assert!(!out_medium.pull_request.body.contains("replaces"));
    assert_eq!(out_medium.replacement, None);
    // The CLI writes the same edit.
    day2(
        &r,
        &[
            "update",
            "--name",
            "ledger-sync",
            "--environment",
            "dev",
            "--risk",
            "high",
        ],
        "2026-11-23",
    );
    assert_eq!(r.read(DEV), out.tfvars.text);
    r.commit("ledger-sync to high");

    let (code, report) = r.changes("base");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(listed(&report), [triple("dev", "ledger-sync", "replaced")]);
    let change = &report["changes"][0];
    assert!(
        change["replacement"].as_str().unwrap().contains("AES256"),
        "{change:#}"
    );
    assert_eq!(
        problems(&report)
            .into_iter()
            .map(|(f, _, c)| (f, c))
            .collect::<Vec<_>>(),
        [(DEV.to_string(), "replacement".to_string())]
    );
    // A reviewer's flag alone is not enough: the config must allow replacements too.
    let (code, report) = r.changes_with("base", &["--allow-replace"]);
    assert_eq!(code, 1, "{report:#}");
    // The config alone is not enough either.
    let config = tempfile::NamedTempFile::new().unwrap();
    fs::write(config.path(), "allowReplacements: true\n").unwrap();
    let config = config.path().to_str().unwrap();
    let (code, report) = r.changes_with("base", &["--config", config]);
    assert_eq!(code, 1, "{report:#}");
    // Both: the guard passes, and still calls it a replacement.
    let (code, report) = r.changes_with("base", &["--config", config, "--allow-replace"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(listed(&report), [triple("dev", "ledger-sync", "replaced")]);
}

#[test]
fn a_tier_move_that_keeps_the_encryption_is_an_update() {
    let r = Repo::new();
    day2(
        &r,
        &[
            "update",
            "--name",
            "ledger-sync",
            "--environment",
            "dev",
            "--risk",
            "medium",
        ],
        "2026-11-23",
    );
    r.commit("ledger-sync to medium");
    let (code, report) = r.changes("base");
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(listed(&report), [triple("dev", "ledger-sync", "updated")]);
    assert!(report["changes"][0].get("replacement").is_none());
}

#[test]
fn a_rename_is_never_an_update() {
    // The tfvars key is the repository's name: renaming it destroys one repository and creates
    // another. Renamed in both files by hand, it is a removal and an addition, and refused.
    let r = Repo::new();
    r.edit(DEV, "\"ledger-sync\" = {", "\"ledger-sync-v2\" = {");
    r.edit(CATALOG, "ledger-sync:", "ledger-sync-v2:");
    r.commit("rename");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1, "{report:#}");
    let kinds: Vec<String> = listed(&report).into_iter().map(|(_, _, k)| k).collect();
    assert!(!kinds.contains(&"updated".to_string()), "{report:#}");
}

#[test]
fn a_move_from_or_to_a_tier_the_config_does_not_know_is_refused_never_guessed() {
    // ledger-sync recorded as `critical`, a tier this config does not know (removed from the
    // config, or a hand edit): its encryption, and so whether a move to `high` (KMS) makes
    // Terraform replace the repository, is not known. It is neither an update nor a replacement
    // the config could allow: the guard refuses it with its own code.
    const TF_LOW: &str = "owner = \"database-team\"\n      risk  = \"low\"";
    const CAT_LOW: &str = "domain: application\n      risk: low";
    let r = Repo::new();
    r.edit(DEV, TF_LOW, &TF_LOW.replace("low", "critical"));
    r.edit(CATALOG, CAT_LOW, &CAT_LOW.replace("low", "critical"));
    r.commit("ledger-sync recorded as critical");
    r.git(&["tag", "critical"]);

    // The PR body of the update does not call the two tiers alike.
    let request = ecr_registrar::UpdateRequest {
        name: "ledger-sync".into(),
        environment: "dev".into(),
        risk: Some("high".into()),
        ..Default::default()
    };
    let files = ecr_registrar::Files {
        catalog: Some(r.read(CATALOG)),
        tfvars: Some(r.read(DEV)),
    };
    let config = ecr_registrar::Config::default();
    let v = ecr_registrar::Validator::new(&config).unwrap();
    let out = ecr_registrar::update(&v, &request, &files, "2026-11-23").unwrap();
    let body = &out.pull_request.body;
    assert!(!body.contains("same controls"), "{body}");
    assert!(
        body.contains("**The tier `critical` is not in the config"),
        "{body}"
    );

    r.edit(DEV, "risk  = \"critical\"", "risk  = \"high\"");
    r.edit(CATALOG, "risk: critical", "risk: high");
    r.commit("critical to high");
    let allow = tempfile::NamedTempFile::new().unwrap();
    fs::write(allow.path(), "allowReplacements: true\n").unwrap();
    let allow = allow.path().to_str().unwrap();
    for extra in [&[][..], &["--config", allow, "--allow-replace"][..]] {
        let (code, report) = r.changes_with("critical", extra);
        assert_eq!(code, 1, "{extra:?}: {report:#}");
        let p: Vec<(String, String)> = problems(&report)
            .into_iter()
            .map(|(f, _, c)| (f, c))
            .collect();
        assert_eq!(
            p,
            [(DEV.to_string(), "unknown_tier".to_string())],
            "{extra:?}"
        );
        let message = report["guard"]["problems"][0]["message"].as_str().unwrap();
        assert!(message.contains("\"critical\""), "{message}");
    }

    // The other way round: from a known tier to an unknown one, refused with the same code (and
    // the catalog entry is invalid besides).
    let r = Repo::new();
    r.edit(DEV, TF_LOW, &TF_LOW.replace("low", "critical"));
    r.edit(CATALOG, CAT_LOW, &CAT_LOW.replace("low", "critical"));
    r.commit("low to critical");
    let (code, report) = r.changes("base");
    assert_eq!(code, 1, "{report:#}");
    let p = problems(&report);
    assert!(
        p.iter().any(|(f, _, c)| f == DEV && c == "unknown_tier"),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|(f, _, c)| f == CATALOG && c == "invalid_entry"),
        "{p:?}"
    );
}
