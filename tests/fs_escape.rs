//! Issue 21, item 3: the file system is not a way out of `--repo`. Each fixture plants a symbolic
//! link (a file, a directory, a chain) or a `.git` path in a copy of the example platform repo, with
//! an "outside" directory next to it holding a marker; the CLI must refuse it with `unsafe_path` (or
//! `invalid_config` for a config path), never print the marker, and leave both trees as they were.
#![cfg(all(feature = "cli", unix))]

mod common;
use common::copy_dir;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const CATALOG: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";
const MARKER: &str = "SECRETMARKER7f3a";

/// A copy of the example platform repo at `<tmp>/repo` and an empty `<tmp>/outside`.
struct World {
    tmp: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform"),
            &tmp.path().join("repo"),
        );
        fs::create_dir_all(tmp.path().join("outside")).unwrap();
        World { tmp }
    }
    fn repo(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }
    fn outside(&self) -> PathBuf {
        self.tmp.path().join("outside")
    }
    /// Every file (links as their target text) under the temp dir: repo and outside together.
    fn state(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let meta = fs::symlink_metadata(&p).unwrap();
                let key = p.strip_prefix(root).unwrap().to_path_buf();
                if meta.file_type().is_symlink() {
                    let t = fs::read_link(&p).unwrap();
                    out.insert(key, format!("-> {}", t.display()).into_bytes());
                } else if meta.is_dir() {
                    walk(root, &p, out);
                } else {
                    out.insert(key, fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.tmp.path(), self.tmp.path(), &mut out);
        out
    }
}

/// Replace `rel` in the repo with a symbolic link to `target`.
fn link(repo: &Path, rel: &str, target: &Path) {
    let p = repo.join(rel);
    if let Ok(meta) = fs::symlink_metadata(&p) {
        if meta.is_dir() {
            fs::remove_dir_all(&p).unwrap();
        } else {
            fs::remove_file(&p).unwrap();
        }
    }
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    symlink(target, &p).unwrap();
}

/// A catalog with the marker in it (a comment and a value), valid for the editor.
fn catalog_with_marker() -> String {
    format!(
        "# {MARKER}\nversion: \"1.0\"\nlast_updated: \"2026-01-01\"\nrepositories:\n  leak:\n    metadata:\n      id: REGISTRY_LEAK\n      owner: platform-team\n      environment: dev\n      risk: low\n      status: active\n      description: {MARKER}\n"
    )
}

fn tfvars_with_marker() -> String {
    format!(
        "# {MARKER}\necr_repositories = {{\n  \"leak\" = {{\n    metadata = {{\n      id          = \"REGISTRY_LEAK\"\n      owner       = \"platform-team\"\n      environment = \"dev\"\n      risk        = \"low\"\n      description = \"{MARKER}\"\n    }}\n  }}\n}}\n"
    )
}

fn bin() -> Command {
    Command::cargo_bin("ecr-registrar").unwrap()
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
    "--today",
    "2026-11-21",
];

fn scaffold(repo: &Path, extra: &[&str]) -> Command {
    let mut c = bin();
    c.arg("scaffold")
        .arg("--repo")
        .arg(repo)
        .args(GOOD)
        .args(extra);
    c
}

fn update(repo: &Path) -> Command {
    let mut c = bin();
    c.arg("update")
        .arg("--repo")
        .arg(repo)
        .args([
            "--name",
            "leak",
            "--environment",
            "dev",
            "--owner",
            "sre-team",
        ])
        .args(["--today", "2026-11-21"]);
    c
}

/// A minimal DescribeRepositories listing.
const LISTING: &str = r#"{"repositories":[{"repositoryName":"payments-api","repositoryArn":"arn:aws:ecr:eu-west-2:111111111111:repository/payments-api","registryId":"111111111111","repositoryUri":"111111111111.dkr.ecr.eu-west-2.amazonaws.com/payments-api","createdAt":"2026-01-01T00:00:00Z","imageTagMutability":"MUTABLE"}]}"#;

fn sync(repo: &Path, listing: &Path) -> Command {
    let mut c = bin();
    c.arg("sync")
        .arg("--repo")
        .arg(repo)
        .arg("--from-json")
        .arg(listing)
        .args(["--region", "eu-west-2", "--now", "2026-11-21T00:00:00Z"]);
    c
}

/// Run `cmd` in text and JSON form: both must refuse with `code`, exit 2, never print the marker,
/// and change nothing anywhere.
fn refused(w: &World, what: &str, make: impl Fn() -> Command, code: &str) {
    refused_text(w, what, &make, code);
    let before = w.state();
    let out = make().args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {stdout}"));
    assert_eq!(v["error"]["code"], code, "{what}: {v}");
    assert!(!stdout.contains(MARKER), "{what}: {stdout}");
    assert_eq!(w.state(), before, "{what}: something was written (json)");
}

/// The text half of [`refused`], for commands without `--format`.
fn refused_text(w: &World, what: &str, make: &impl Fn() -> Command, code: &str) {
    let before = w.state();
    let out = make().output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what}: not refused\nstdout: {stdout}\nstderr: {stderr}"
    );
    // The text form has no code: each refusal's own words.
    let says = match code {
        "unsafe_path" => "refused: ",
        "invalid_config" => "config: `",
        other => other,
    };
    assert!(
        stderr.contains(says),
        "{what}: expected {code}, got: {stderr}"
    );
    assert!(
        !stdout.contains(MARKER) && !stderr.contains(MARKER),
        "{what}: the outside content was printed\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert_eq!(w.state(), before, "{what}: something was written");
}

#[test]
fn a_catalog_that_links_out_is_neither_read_nor_written() {
    let w = World::new();
    fs::write(w.outside().join("catalog.yaml"), catalog_with_marker()).unwrap();
    link(&w.repo(), CATALOG, &w.outside().join("catalog.yaml"));
    let repo = w.repo();
    refused(
        &w,
        "scaffold, catalog link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
    refused(
        &w,
        "scaffold --dry-run, catalog link",
        || scaffold(&repo, &["--dry-run"]),
        "unsafe_path",
    );
    refused(&w, "update, catalog link", || update(&repo), "unsafe_path");
}

#[test]
fn a_tfvars_file_that_links_out_is_neither_read_nor_written() {
    let w = World::new();
    fs::write(w.outside().join("terraform.tfvars"), tfvars_with_marker()).unwrap();
    link(
        &w.repo(),
        "envs/dev/terraform.tfvars",
        &w.outside().join("terraform.tfvars"),
    );
    let repo = w.repo();
    refused(
        &w,
        "scaffold, tfvars link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
    refused(
        &w,
        "decommission, tfvars link",
        || {
            let mut c = bin();
            c.arg("decommission").arg("--repo").arg(&repo).args([
                "--name",
                "leak",
                "--environment",
                "dev",
            ]);
            c
        },
        "unsafe_path",
    );
}

#[test]
fn a_directory_that_links_out_is_not_written_through() {
    // envs/dev -> outside/envdev (a Terraform root elsewhere), docs -> outside/docs.
    let w = World::new();
    let envdev = w.outside().join("envdev");
    fs::create_dir_all(&envdev).unwrap();
    fs::write(envdev.join("terraform.tfvars"), "ecr_repositories = {}\n").unwrap();
    link(&w.repo(), "envs/dev", &envdev);
    let repo = w.repo();
    refused(
        &w,
        "scaffold, envs/dev link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );

    let w = World::new();
    let docs = w.outside().join("docs");
    copy_dir(&w.repo().join("docs"), &docs);
    link(&w.repo(), "docs", &docs);
    let repo = w.repo();
    refused(
        &w,
        "scaffold, docs link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
}

#[test]
fn a_chain_of_links_and_links_that_stay_inside_are_refused_too() {
    // tfvars -> envs/prod/chain (inside) -> outside file: the first hop stays inside.
    let w = World::new();
    fs::write(w.outside().join("terraform.tfvars"), tfvars_with_marker()).unwrap();
    link(
        &w.repo(),
        "envs/prod/chain.tfvars",
        &w.outside().join("terraform.tfvars"),
    );
    link(
        &w.repo(),
        "envs/dev/terraform.tfvars",
        Path::new("../prod/chain.tfvars"),
    );
    let repo = w.repo();
    refused(
        &w,
        "scaffold, chain",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );

    // A link that stays inside the repo is refused as well: a governed file has one meaning.
    let w = World::new();
    link(
        &w.repo(),
        "envs/dev/terraform.tfvars",
        Path::new("../staging/terraform.tfvars"),
    );
    let repo = w.repo();
    refused(
        &w,
        "scaffold, inside link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
}

#[test]
fn a_config_that_links_out_is_refused_without_reading_it() {
    let w = World::new();
    fs::write(
        w.outside().join("secret.txt"),
        format!("aws_secret_access_key: {MARKER}\n"),
    )
    .unwrap();
    link(&w.repo(), "registrar.yaml", &w.outside().join("secret.txt"));
    let repo = w.repo();
    refused(
        &w,
        "scaffold, registrar.yaml link",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
    // Not even the key of the secret file is echoed.
    let out = scaffold(&repo, &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("aws_secret_access_key"), "{stderr}");

    // The same secret file where a type error would quote it.
    fs::write(
        w.outside().join("secret.txt"),
        format!("owners: {MARKER}\n"),
    )
    .unwrap();
    refused(
        &w,
        "scaffold, registrar.yaml link (value)",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
}

#[test]
fn sync_does_not_write_entities_through_a_link() {
    let w = World::new();
    let listing = w.tmp.path().join("listing.json");
    fs::write(&listing, LISTING).unwrap();
    // catalog/ (where the entities go) is a link to a directory outside.
    let out_catalog = w.outside().join("catalog");
    fs::create_dir_all(&out_catalog).unwrap();
    link(&w.repo(), "catalog", &out_catalog);
    let repo = w.repo();
    refused(
        &w,
        "sync, catalog/ link",
        || sync(&repo, &listing),
        "unsafe_path",
    );

    // The entities file itself is a link to an outside file with the marker.
    let w = World::new();
    let listing = w.tmp.path().join("listing.json");
    fs::write(&listing, LISTING).unwrap();
    fs::write(w.outside().join("entities.yaml"), format!("# {MARKER}\n")).unwrap();
    link(
        &w.repo(),
        "catalog/resources/ecr-registry.yaml",
        &w.outside().join("entities.yaml"),
    );
    let repo = w.repo();
    refused(
        &w,
        "sync, entities link",
        || sync(&repo, &listing),
        "unsafe_path",
    );
    refused(
        &w,
        "sync --dry-run, entities link",
        || {
            let mut c = sync(&repo, &listing);
            c.arg("--dry-run");
            c
        },
        "unsafe_path",
    );
}

#[test]
fn nothing_is_written_into_git() {
    // Config paths into .git (any case) are refused by the config check, naming the key.
    for (yaml, key) in [
        ("catalogPath: .git/hooks/post-checkout\n", "catalogPath"),
        ("catalogPath: .GIT/config.yaml\n", "catalogPath"),
        ("catalogPath: docs/.Git./x.yaml\n", "catalogPath"),
        (
            "environments: [dev, .git]\ntfvarsPath: '{environment}/terraform.tfvars'\n",
            "tfvarsPath",
        ),
        (
            "sync:\n  entitiesPath: .git/info/exclude\n",
            "sync.entitiesPath",
        ),
    ] {
        let w = World::new();
        fs::create_dir_all(w.repo().join(".git/hooks")).unwrap();
        fs::write(w.repo().join("registrar.yaml"), yaml).unwrap();
        let repo = w.repo();
        refused(&w, yaml, || scaffold(&repo, &[]), "invalid_config");
        let out = scaffold(&repo, &[]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(key), "{yaml}: {stderr}");
    }

    // ... and via a link inside the repo: docs -> .git.
    let w = World::new();
    fs::create_dir_all(w.repo().join(".git/20-contracts/resource-catalogs")).unwrap();
    fs::remove_dir_all(w.repo().join("docs")).unwrap();
    symlink(".git", w.repo().join("docs")).unwrap();
    let repo = w.repo();
    refused(
        &w,
        "scaffold, docs -> .git",
        || scaffold(&repo, &[]),
        "unsafe_path",
    );
}

#[test]
fn render_out_is_not_written_into_git() {
    let w = World::new();
    fs::create_dir_all(w.repo().join(".git")).unwrap();
    let repo = w.repo();
    for out in [".git/hooks/pre-commit", ".GIT/x"] {
        refused_text(
            &w,
            out,
            &|| {
                let mut c = bin();
                c.current_dir(&repo)
                    .args(["lifecycle", "render", "--keep", "10", "--out", out]);
                c
            },
            "unsafe_path",
        );
    }
}

#[test]
fn ordinary_repos_still_work() {
    // The checks refuse links and .git, nothing else: a plain repo is scaffolded and synced.
    let w = World::new();
    let repo = w.repo();
    scaffold(&repo, &[]).assert().code(0);
    let listing = w.tmp.path().join("listing.json");
    fs::write(&listing, LISTING).unwrap();
    sync(&repo, &listing).assert().code(0);
    assert!(repo.join("catalog/resources/ecr-registry.yaml").is_file());
    // A --repo given through a link is the operator's choice and is followed.
    let via = w.tmp.path().join("via");
    symlink(&repo, &via).unwrap();
    scaffold(&via, &["--dry-run"]).assert().code(0);
}

#[test]
fn saved_listings_go_neither_through_a_link_nor_into_git() {
    // `sync --save-listings DIR` run in the checkout, as a matrix job would: DIR is a link to a
    // directory outside, or under .git.
    let setup = || {
        let w = World::new();
        fs::write(
            w.repo().join("registrar.yaml"),
            "sync:\n  targets:\n    - {environment: dev, region: eu-west-2}\n",
        )
        .unwrap();
        fs::write(w.tmp.path().join("listing.json"), LISTING).unwrap();
        w
    };
    let save = |w: &World, dir: &str| {
        let mut c = bin();
        c.current_dir(w.repo())
            .args(["sync", "--repo", ".", "--listing"])
            .arg(format!(
                "dev={}",
                w.tmp.path().join("listing.json").display()
            ))
            .args(["--save-listings", dir]);
        c
    };
    let w = setup();
    fs::create_dir_all(w.outside().join("listings")).unwrap();
    symlink(w.outside().join("listings"), w.repo().join("listings")).unwrap();
    refused(
        &w,
        "save-listings through a link",
        || save(&w, "listings"),
        "unsafe_path",
    );
    let w = setup();
    fs::create_dir_all(w.repo().join(".git")).unwrap();
    refused(
        &w,
        "save-listings into .git",
        || save(&w, ".git/listings"),
        "unsafe_path",
    );
    // A plain directory still works.
    let w = setup();
    save(&w, "listings").assert().code(0);
    assert!(w.repo().join("listings/dev.json").is_file());
}

#[test]
fn a_repo_inside_git_is_refused_and_nothing_is_written_there() {
    // `--repo .` run from inside `.git` (a person or a script in the wrong directory) would create
    // the catalog and tfvars inside git's own store.
    let w = World::new();
    let git = w.repo().join(".git");
    fs::create_dir_all(git.join("envs/dev")).unwrap();
    let before = w.state();
    let out = bin()
        .current_dir(&git)
        .args(["scaffold", "--repo", "."])
        .args(GOOD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unsafe_path")
            || String::from_utf8_lossy(&out.stderr).contains(".git"),
        "{out:?}"
    );
    assert_eq!(w.state(), before);
}

#[test]
fn a_config_argument_through_a_link_and_back_is_refused() {
    // `link/../registrar.yaml` names a file beside the link's target, not beside the link.
    let w = World::new();
    fs::create_dir_all(w.outside().join("sub")).unwrap();
    fs::write(
        w.outside().join("registrar.yaml"),
        format!("# {MARKER}\nenvironments: [dev]\n"),
    )
    .unwrap();
    symlink(w.outside().join("sub"), w.tmp.path().join("lk")).unwrap();
    let out = bin()
        .current_dir(w.tmp.path())
        .args([
            "validate",
            "--config",
            "lk/../registrar.yaml",
            "--name",
            "payments-api",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("symbolic link"), "{all}");
}
