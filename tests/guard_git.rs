//! The guard judges what Terraform will read: git objects (modes, blob ids, renames, the tree at
//! head and its checkout attributes), not texts alone, and only a history it can trust (the base
//! an ancestor of the head). Hostile histories built here with git plumbing from the example
//! platform repo; each one passed the guard before it judged git's facts (issue 21, items 1, 2).
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

struct Repo(tempfile::TempDir);

impl Repo {
    /// The example platform repo committed on `main`, `before` run on it and committed, tagged
    /// `base`.
    fn new(before: impl FnOnce(&Repo)) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform"),
            dir.path(),
        );
        let r = Repo(dir);
        r.git(&["init", "-q", "-b", "main"]);
        before(&r);
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
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    /// A request made the way the wizard makes it: the real `scaffold`.
    fn request(&self, name: &str, env: &str) {
        Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["scaffold", "--repo"])
            .arg(self.path())
            .args(["--name", name, "--owner", "platform-team"])
            .args([
                "--environment",
                env,
                "--risk",
                "low",
                "--today",
                "2026-11-23",
            ])
            .assert()
            .success();
    }

    /// `changes --format json` from `base` to `head`: the exit code and the report.
    fn changes(&self, base: &str, head: &str) -> (i32, Value) {
        let out = Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["changes", "--repo"])
            .arg(self.path())
            .args(["--base", base, "--head", head, "--format", "json"])
            // A hang is a failure, not a stuck test run.
            .timeout(std::time::Duration::from_secs(60))
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

/// `(file, code)` of every guard problem.
fn problems(report: &Value) -> Vec<(String, String)> {
    report["guard"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The guard failed (exit 1) with `(file, code)` among its problems.
#[track_caller]
fn refused(got: (i32, Value), file: &str, code: &str) {
    let (exit, report) = got;
    assert_eq!(exit, 1, "{report:#}");
    assert_eq!(report["guard"]["ok"], false);
    let p = problems(&report);
    assert!(p.contains(&(file.into(), code.into())), "{p:?}");
}

#[test]
fn a_mode_only_change_at_a_governed_path_is_refused() {
    // Same bytes, executable bit set: `--name-only` lists the path, the texts are equal.
    for path in [DEV, CATALOG] {
        let r = Repo::new(|_| {});
        r.git(&["update-index", "--chmod=+x", path]);
        r.git(&["commit", "-q", "-m", "executable"]);
        assert_eq!(r.git(&["diff", "--name-only", "base", "HEAD"]), path);
        refused(r.changes("base", "HEAD"), path, "not_regular_file");
        // Back to 100644 is a change of mode too: refused, the base side was not a regular file.
        r.git(&["update-index", "--chmod=-x", path]);
        r.git(&["commit", "-q", "-m", "not executable"]);
        refused(r.changes("HEAD~1", "HEAD"), path, "not_regular_file");
        // Both together (base to head) is no change at all.
        assert_eq!(r.changes("base", "HEAD").0, 0);
    }
}

#[test]
fn a_symlink_or_a_submodule_at_a_governed_path_is_refused() {
    // The tfvars becomes a link to a file holding exactly a valid request: the text git stores
    // is the link's target, Terraform would read the file it points to.
    let r = Repo::new(|_| {});
    r.request("payments-api", "dev");
    let wanted = fs::read_to_string(r.path().join(DEV)).unwrap();
    fs::write(r.path().join("envs/dev/real.tfvars"), &wanted).unwrap();
    fs::remove_file(r.path().join(DEV)).unwrap();
    std::os::unix::fs::symlink("real.tfvars", r.path().join(DEV)).unwrap();
    r.commit("a link");
    assert!(r.git(&["ls-tree", "HEAD", DEV]).starts_with("120000 "));
    refused(r.changes("base", "HEAD"), DEV, "not_regular_file");

    // A gitlink (submodule) where the tfvars was: git has no text for it at all.
    let r = Repo::new(|_| {});
    let commit = r.git(&["rev-parse", "HEAD"]);
    r.git(&["rm", "-q", "--cached", DEV]);
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{commit},{DEV}"),
    ]);
    r.git(&["commit", "-q", "-m", "a submodule"]);
    refused(r.changes("base", "HEAD"), DEV, "not_regular_file");
}

#[test]
fn a_rename_into_or_out_of_a_governed_path_is_refused() {
    // Out: the tfvars moves away, unchanged.
    let r = Repo::new(|_| {});
    r.git(&["mv", DEV, "envs/dev/old.tfvars"]);
    r.git(&["commit", "-q", "-m", "rename out"]);
    refused(r.changes("base", "HEAD"), DEV, "renamed");

    // In: a file that already sat in the repo becomes the tfvars of a configured environment
    // that had none.
    let r = Repo::new(|r| {
        fs::copy(r.path().join(DEV), r.path().join("envs/draft.tfvars")).unwrap();
    });
    fs::create_dir_all(r.path().join("envs/test")).unwrap();
    r.git(&["mv", "envs/draft.tfvars", "envs/test/terraform.tfvars"]);
    r.git(&["commit", "-q", "-m", "rename in"]);
    refused(
        r.changes("base", "HEAD"),
        "envs/test/terraform.tfvars",
        "renamed",
    );
}

#[test]
fn a_governed_path_behind_a_linked_directory_is_refused() {
    // `envs/test` (a configured environment) is a link to `envs/dev` in the repository: git
    // holds no `envs/test/terraform.tfvars`, Terraform in envs/test reads dev's file. A request
    // in dev is then also a change in test.
    let r = Repo::new(|r| std::os::unix::fs::symlink("dev", r.path().join("envs/test")).unwrap());
    r.request("payments-api", "dev");
    r.commit("a request in dev");
    refused(
        r.changes("base", "HEAD"),
        "envs/test/terraform.tfvars",
        "not_checked_out_as_blob",
    );

    // A submodule there: the same (committed by path: `add -A` would drop the gitlink that has
    // no directory here).
    let r = Repo::new(|_| {});
    let commit = r.git(&["rev-parse", "HEAD"]);
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{commit},envs/test"),
    ]);
    r.git(&["commit", "-q", "-m", "test is a submodule"]);
    r.git(&["tag", "-f", "base"]);
    r.request("payments-api", "dev");
    r.git(&["add", DEV, CATALOG]);
    r.git(&["commit", "-q", "-m", "a request in dev"]);
    refused(
        r.changes("base", "HEAD"),
        "envs/test/terraform.tfvars",
        "not_checked_out_as_blob",
    );
}

impl Repo {
    /// `.gitattributes` holding `attrs`, committed on its own and tagged `base`; then a request
    /// in dev, its files added as they are (no filter, no conversion: `hash-object --no-filters`).
    fn request_under_attributes(attrs: &str) -> Repo {
        let r = Repo::new(|_| {});
        fs::write(r.path().join(".gitattributes"), attrs).unwrap();
        r.git(&["add", ".gitattributes"]);
        r.git(&["commit", "-q", "-m", "attributes"]);
        r.git(&["tag", "-f", "base"]);
        r.request("payments-api", "dev");
        for path in [DEV, CATALOG] {
            let id = r.git(&["hash-object", "-w", "--no-filters", path]);
            r.git(&[
                "update-index",
                "--cacheinfo",
                &format!("100644,{id},{path}"),
            ]);
        }
        r.git(&["commit", "-q", "-m", "a request in dev"]);
        r
    }
}

#[test]
fn checkout_attributes_on_a_governed_path_are_refused() {
    // What checkout writes is not the blob: an LFS or other filter, line-ending conversion,
    // `$Id$` expansion, re-encoding. Each already in the repository before the pull request.
    for attrs in [
        "*.tfvars filter=lfs diff=lfs merge=lfs\n",
        "envs/** eol=crlf\n",
        "*.tfvars text\n",
        "envs/dev/terraform.tfvars ident\n",
        "*.yaml working-tree-encoding=UTF-16\n",
    ] {
        let r = Repo::request_under_attributes(attrs);
        let file = if attrs.starts_with("*.yaml") {
            CATALOG
        } else {
            DEV
        };
        refused(r.changes("base", "HEAD"), file, "not_checked_out_as_blob");
    }
    // Attributes that change nothing at checkout (a diff driver, an unset filter) are fine.
    let r = Repo::request_under_attributes("*.tfvars diff -filter -text\n");
    let (exit, report) = r.changes("base", "HEAD");
    assert_eq!(exit, 0, "{report:#}");
}

#[test]
fn the_legacy_crlf_attribute_is_refused_like_text() {
    // `crlf` is git's older name for `text` (convert.c still reads it): set, it converts line
    // endings at checkout; `crlf=input` is `eol=lf` with `text`. Unset (`-crlf`) is `-text`, no
    // conversion, and is as fine as `-text`.
    for attrs in ["*.tfvars crlf\n", "envs/dev/terraform.tfvars crlf=input\n"] {
        let r = Repo::request_under_attributes(attrs);
        refused(r.changes("base", "HEAD"), DEV, "not_checked_out_as_blob");
    }
    let r = Repo::request_under_attributes("*.yaml crlf\n");
    refused(
        r.changes("base", "HEAD"),
        CATALOG,
        "not_checked_out_as_blob",
    );
    let r = Repo::request_under_attributes("*.tfvars -crlf\n");
    let (exit, report) = r.changes("base", "HEAD");
    assert_eq!(exit, 0, "{report:#}");
}

#[test]
fn a_base_that_is_not_an_ancestor_of_the_head_is_an_error() {
    // A force push: the branch before the push is not in the history after it.
    let r = Repo::new(|_| {});
    r.request("payments-api", "dev");
    r.commit("request");
    r.git(&["branch", "rewritten", "base"]);
    r.git(&["checkout", "-q", "rewritten"]);
    r.git(&["commit", "-q", "--allow-empty", "-m", "another history"]);
    for (base, head) in [("main", "rewritten"), ("rewritten", "main")] {
        let out = Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["changes", "--repo"])
            .arg(r.path())
            .args(["--base", base, "--head", head, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{base}..{head}");
        let e: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(e["error"]["code"], "invalid_argument", "{e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("ancestor"),
            "{e}"
        );
    }
    // All zeros (GitHub's `before` on a branch's first push) names no commit.
    let out = Command::cargo_bin("ecr-registrar")
        .unwrap()
        .args(["changes", "--repo"])
        .arg(r.path())
        .args(["--base", &"0".repeat(40), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The base itself and any ancestor are fine.
    assert_eq!(r.changes("base", "main").0, 0);
    assert_eq!(r.changes("main", "main").0, 0);
}

#[test]
fn a_tree_that_names_a_governed_path_twice_is_refused() {
    // Two `terraform.tfvars` entries in one tree (git's `duplicateEntries`, built with mktree):
    // the guard read the first blob while a checkout writes the last, so a reviewed request at
    // risk `low` could land as `high`. Also a directory above it listed twice.
    let r = Repo::new(|_| {});
    r.request("payments-api", "dev");
    r.commit("a request in dev");
    let good = r.git(&["rev-parse", &format!("HEAD:{DEV}")]);
    let evil_text = fs::read_to_string(r.path().join(DEV))
        .unwrap()
        .replace("risk  = \"low\"", "risk  = \"high\"");
    fs::write(r.path().join("evil"), evil_text).unwrap();
    let evil = r.git(&["hash-object", "-w", "evil"]);
    fs::remove_file(r.path().join("evil")).unwrap();
    let mktree = |listing: String| {
        let o = Std::new("git")
            .arg("-C")
            .arg(r.path())
            .arg("mktree")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                c.stdin.take().unwrap().write_all(listing.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    // `entries` of `tree` without `name`, plus `more`.
    let without = |tree: &str, name: &str, more: &str| {
        let mut listing: String = r
            .git(&["ls-tree", tree])
            .lines()
            .filter(|l| !l.ends_with(&format!("\t{name}")))
            .map(|l| format!("{l}\n"))
            .collect();
        listing.push_str(more);
        mktree(listing)
    };
    // A commit on `base` whose tree is HEAD's with `envs` listing `envs_listing`.
    let commit_with_envs = |envs_listing: String, message: &str| {
        let envs = without("HEAD:envs", "dev", &envs_listing);
        let top = without("HEAD", "envs", &format!("040000 tree {envs}\tenvs\n"));
        r.git(&["commit-tree", &top, "-p", "base", "-m", message])
    };
    let dev_tree = r.git(&["rev-parse", "HEAD:envs/dev"]);
    let dev = without(
        &dev_tree,
        "terraform.tfvars",
        &format!("100644 blob {good}\tterraform.tfvars\n100644 blob {evil}\tterraform.tfvars\n"),
    );
    let c = commit_with_envs(format!("040000 tree {dev}\tdev\n"), "two blobs at one path");
    refused(r.changes("base", &c), DEV, "not_checked_out_as_blob");

    // `envs/dev` twice: a good directory and one whose file says otherwise.
    let evil_dev = without(
        &dev_tree,
        "terraform.tfvars",
        &format!("100644 blob {evil}\tterraform.tfvars\n"),
    );
    let c = commit_with_envs(
        format!("040000 tree {dev_tree}\tdev\n040000 tree {evil_dev}\tdev\n"),
        "two directories at one path",
    );
    refused(r.changes("base", &c), DEV, "not_checked_out_as_blob");
}

#[test]
fn another_file_terraform_loads_variables_from_beside_a_governed_tfvars_is_refused() {
    // The second hostile suite's F7: an `ecr_repositories = {}` in envs/dev/zz.auto.tfvars,
    // merged before, and an ordinary request afterwards: Terraform loads it after
    // terraform.tfvars, so the plan destroyed every repository the guard saw kept.
    for (name, text) in [
        ("zz.auto.tfvars", "ecr_repositories = {}\n"),
        ("terraform.tfvars.json", "{\"ecr_repositories\": {}}\n"),
        ("x.auto.tfvars.json", "{}\n"),
    ] {
        let r = Repo::new(|r| fs::write(r.path().join("envs/dev").join(name), text).unwrap());
        r.request("payments-api", "dev");
        r.commit("a request in dev");
        let (exit, report) = r.changes("base", "HEAD");
        assert_eq!(exit, 1, "{name}: {report:#}");
        let p = problems(&report);
        assert!(
            p.contains(&(DEV.into(), "other_tfvars_file".into())),
            "{name}: {p:?}"
        );
    }
    // Files Terraform does not load there, and other directories' files, change nothing.
    let r = Repo::new(|r| {
        fs::write(r.path().join("envs/dev/notes.tfvars.example"), "x = 1\n").unwrap();
        fs::create_dir_all(r.path().join("envs/dev/modules")).unwrap();
        fs::write(r.path().join("envs/dev/modules/a.auto.tfvars"), "x = 1\n").unwrap();
    });
    r.request("payments-api", "dev");
    r.commit("a request in dev");
    let (exit, report) = r.changes("base", "HEAD");
    assert_eq!(exit, 0, "{report:#}");
}

#[test]
fn a_config_naming_more_files_than_a_pipe_holds_is_judged_not_hung() {
    // The third hostile suite's F12: `changes` sent every file it reads at base and head to one
    // `git cat-file --batch` before reading an answer; a pull request whose registrar.yaml names
    // a thousand environments (over 64 KiB of requests) left git and the CLI each waiting for the
    // other to read, until the CI job's six hours. Now it gets its verdict.
    let r = Repo::new(|_| {});
    let envs: Vec<String> = (0..1000).map(|i| format!("e{i:04}")).collect();
    fs::write(
        r.path().join("registrar.yaml"),
        format!("environments: [{}]\n", envs.join(", ")),
    )
    .unwrap();
    r.commit("a config with a thousand environments");
    let (exit, report) = r.changes("base", "HEAD");
    assert_eq!(exit, 1, "{report:#}");
    assert!(!problems(&report).is_empty(), "{report:#}");
}

#[test]
fn a_governed_path_deeper_than_any_platform_nests_is_refused_before_git_is_asked() {
    // The fourth hostile suite's F15: a pull request's registrar.yaml with a catalogPath 90,000
    // directories deep had `changes` list every ancestor to git (gigabytes of arguments) until it
    // was killed. Now such a config is refused at once; an ordinary nesting still reads.
    let r = Repo::new(|_| {});
    let deep = format!("{}c.yaml", "a/".repeat(40));
    fs::write(
        r.path().join("registrar.yaml"),
        format!("catalogPath: {deep}\n"),
    )
    .unwrap();
    r.commit("a deep catalog path");
    let (exit, report) = r.changes("base", "HEAD");
    assert_eq!(exit, 2, "{report:#}");
    assert_eq!(report["error"]["code"], "invalid_config", "{report:#}");
}
