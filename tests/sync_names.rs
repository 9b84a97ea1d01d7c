//! Issue 21, item 9 (names) and item 6 (AWS values): a listing given to `sync --from-json` is
//! untrusted. A repository name AWS ECR could not hold (a line break, U+2028/U+2029, ESC, NUL, an
//! upper-case letter, more than 256 characters) is refused with an error naming its place in the
//! listing, escaped; values AWS does hold but a tag writer or a forged listing chose (the ARN) are
//! rendered so that a YAML 1.1 reader (PyYAML) and a YAML 1.2 reader (serde_yaml) read the same.
#![cfg(feature = "cli")]

use assert_cmd::Command;
use ecr_registrar::{Config, SyncOptions, parse_listing, sync};

mod common;

fn listing(names: &[&str]) -> String {
    let repos: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({"repositoryName": n, "repositoryArn": format!("arn:aws:ecr:eu-west-2:111122223333:repository/{n}"), "registryId": "111122223333"}))
        .collect();
    serde_json::json!({ "repositories": repos }).to_string()
}

const HOSTILE_NAMES: &[&str] = &[
    "team/a\n  owner: attacker",
    "sep\u{2028}line",
    "para\u{2029}graph",
    "esc\u{1b}[2J",
    "nul\u{0}byte",
    "nel\u{85}x",
    "Upper",
    "bidi\u{202E}txt",
];

fn raw_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202E}'))
}

#[test]
fn names_aws_cannot_hold_are_refused_with_their_place() {
    let long = "a".repeat(257);
    let mut names: Vec<&str> = HOSTILE_NAMES.to_vec();
    names.push(&long);
    for bad in names {
        let text = listing(&["ok-first", bad]);
        let err = parse_listing(&text).expect_err(&format!("{bad:?} accepted"));
        assert!(
            err.message.contains("repository 2"),
            "{bad:?}: the position is not named: {}",
            err.message
        );
        assert!(!raw_control(&err.message), "{:?}", err.message);
        assert!(err.message.len() < 600, "{}", err.message);
        // The rendering entry point refuses it the same way.
        assert!(
            sync(
                &text,
                None,
                &SyncOptions {
                    region: "eu-west-2".into(),
                    account: None,
                    now: "2026-12-01T00:00:00Z".into(),
                },
                &Config::default(),
            )
            .is_err(),
            "{bad:?}"
        );
    }
    // Across pages, the page is named too.
    let two = format!("{}\n{}", listing(&["ok"]), listing(&["fine", "Bad\nname"]));
    let err = parse_listing(&two).unwrap_err();
    assert!(
        err.message.contains("repository 2 of page 2"),
        "{}",
        err.message
    );
}

#[test]
fn sync_from_json_refuses_a_hostile_name_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("listing.json");
    std::fs::write(&file, listing(&["ok-first", "esc\u{1b}[2J\nowner: x"])).unwrap();
    let o = Command::cargo_bin("ecr-registrar")
        .unwrap()
        .args(["sync", "--region", "eu-west-2", "--repo"])
        .arg(dir.path())
        .arg("--from-json")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("repository 2"), "{err}");
    assert!(!raw_control(err.trim_end()), "{err:?}");
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(written.len(), 1, "files were written: {written:?}");
}

#[test]
fn hostile_aws_values_read_the_same_to_yaml_1_1_and_1_2() {
    let arns = [
        "arn:aws:ecr:eu-west-2:1:repository/a\nb\u{2028}c",
        "line\none\u{2029}two",
        "x\ny\u{85}z",
        "p\nq\u{202E}r",
        "plain\u{2028}only",
    ];
    for arn in arns {
        let text = serde_json::json!({"repositories": [
            {"repositoryName": "svc", "repositoryArn": arn, "registryId": "111122223333"}
        ]})
        .to_string();
        let out = sync(
            &text,
            None,
            &SyncOptions {
                region: "eu-west-2".into(),
                account: None,
                now: "2026-12-01T00:00:00Z".into(),
            },
            &Config::default(),
        )
        .unwrap();
        let entities = &out.files[0].text;
        assert!(
            !entities
                .chars()
                .any(|c| matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{202E}')),
            "a raw separator or bidirectional control in the entities:\n{entities}"
        );
        let v12: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(entities)
            .map(|d| <serde_json::Value as serde::Deserialize>::deserialize(d).unwrap())
            .collect();
        let v11 = common::pyyaml(entities);
        assert_eq!(serde_json::Value::Array(v12.clone()), v11, "{entities}");
        let svc = v12
            .iter()
            .find(|d| d["metadata"]["name"] == "ecr-svc")
            .expect("the entity");
        assert_eq!(
            svc["metadata"]["annotations"]["amazonaws.com/ecr-repository-arn"], arn,
            "{entities}"
        );
    }
}

#[test]
fn sync_text_output_shows_catalog_names_and_listing_values_on_their_own_line() {
    // A ghost (catalog only) whose name carries a line break and ESC, and an account id that
    // carries a line break: the report names them, visibly, without starting a line of its own.
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir
        .path()
        .join("docs/20-contracts/resource-catalogs/ecr-catalog.yaml");
    std::fs::create_dir_all(catalog.parent().unwrap()).unwrap();
    std::fs::write(
        &catalog,
        "repositories:\n  \"ghost\\n  orphan: forged\\e[2J\":\n    metadata:\n      id: REGISTRY_GHOST\n",
    )
    .unwrap();
    let file = dir.path().join("listing.json");
    std::fs::write(
        &file,
        serde_json::json!({"repositories": [{"repositoryName": "svc", "registryId": "1111\n  orphan: forged2"}]})
            .to_string(),
    )
    .unwrap();
    let o = Command::cargo_bin("ecr-registrar")
        .unwrap()
        .args(["sync", "--region", "eu-west-2", "--dry-run", "--repo"])
        .arg(dir.path())
        .arg("--from-json")
        .arg(&file)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!raw_control(&out), "{out:?}");
    assert!(
        !out.lines().any(|l| l.starts_with("  orphan: forged")),
        "a forged report line:\n{out}"
    );
    assert!(out.contains("ghost\\u{000A}"), "{out}");
}
