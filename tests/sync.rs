#![cfg(feature = "edit")]
//! The pure sync core: reconciliation, determinism, last-sync handling, hostile listings.

use std::collections::BTreeMap;

use ecr_registrar::Config;
use ecr_registrar::{
    SyncOptions, parse_listing, same_ignoring_last_sync, sync, sync_changes as changes,
};

fn listing(names: &[&str]) -> String {
    let repos: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({"repositoryName": n, "repositoryArn": format!("arn:aws:ecr:eu-west-2:111122223333:repository/{n}"), "registryId": "111122223333"}))
        .collect();
    serde_json::json!({ "repositories": repos }).to_string()
}

fn opts(now: &str) -> SyncOptions {
    SyncOptions {
        region: "eu-west-2".into(),
        account: None,
        now: now.into(),
    }
}

const CATALOG: &str = "repositories:\n  a:\n    metadata:\n      id: REGISTRY_A\n      owner: app-team\n      environment: prod\n      risk: high\n  gone:\n    metadata:\n      id: REGISTRY_GONE\n";

#[test]
fn reconciliation_and_determinism() {
    let c = Config::default();
    let one = sync(
        &listing(&["b", "a", "c"]),
        Some(CATALOG),
        &opts("2026-11-21T10:00:00Z"),
        &c,
    )
    .unwrap();
    assert_eq!(one.report.synced, ["a"]);
    assert_eq!(one.report.orphans, ["b", "c"]);
    assert_eq!(one.report.ghosts, ["gone"]);
    assert_eq!(one.report.account.as_deref(), Some("111122223333"));
    // Input order does not matter; only last-sync differs between two runs.
    let two = sync(
        &listing(&["c", "a", "b"]),
        Some(CATALOG),
        &opts("2026-11-22T11:30:00Z"),
        &c,
    )
    .unwrap();
    for (f1, f2) in one.files.iter().zip(&two.files) {
        assert!(same_ignoring_last_sync(&f1.text, &f2.text), "{}", f1.path);
    }
    assert_ne!(one.files[0].text, two.files[0].text);
    let existing: BTreeMap<String, Option<String>> = one
        .files
        .iter()
        .map(|f| (f.path.clone(), Some(f.text.clone())))
        .collect();
    assert!(
        changes(two.files.clone(), &mut existing.clone())
            .iter()
            .all(|ch| !ch.changed)
    );
    // A new repository changes the entities file only.
    let three = sync(
        &listing(&["a", "b", "c", "d"]),
        Some(CATALOG),
        &opts("2026-11-22T11:30:00Z"),
        &c,
    )
    .unwrap();
    let ch = changes(three.files.clone(), &mut existing.clone());
    assert_eq!(
        ch.iter()
            .filter(|x| x.changed)
            .map(|x| x.path.as_str())
            .collect::<Vec<_>>(),
        ["catalog/resources/ecr-registry.yaml"]
    );
    let text = &one.files[0].text;
    assert!(text.contains("  - env-prod\n  - risk-high\n"), "{text}");
    assert!(text.contains("platform/repo-count: \"3\""), "{text}");
}

#[test]
fn the_description_stops_at_the_limit() {
    let mut c = Config::default();
    c.sync.describe_limit = 2;
    let out = sync(
        &listing(&["a", "b", "c", "d", "e"]),
        None,
        &opts("2026-11-21T10:00:00Z"),
        &c,
    )
    .unwrap();
    assert!(
        out.files[0]
            .text
            .contains("- a (unassigned)\n    - b (unassigned)\n    - … and 3 more\n"),
        "{}",
        out.files[0].text
    );
    let empty = sync(
        r#"{"repositories": []}"#,
        None,
        &opts("2026-11-21T10:00:00Z"),
        &c,
    )
    .unwrap();
    assert!(empty.files[0].text.contains("Manages 0 repositories."));
}

#[test]
fn collisions_and_invalid_names_are_reported_not_merged() {
    let long = "x".repeat(70);
    let out = sync(
        &listing(&["team/app", "team-app", &long, "ok"]),
        None,
        &opts("2026-11-21T10:00:00Z"),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(out.report.collisions.len(), 1);
    assert_eq!(
        out.report.collisions[0].repositories,
        ["team-app", "team/app"]
    );
    assert_eq!(out.report.skipped.len(), 1);
    assert!(out.report.skipped[0].reason.contains("63"));
    let text = &out.files[0].text;
    assert!(!text.contains("name: ecr-team-app") && text.contains("name: ecr-ok"));
    assert!(
        text.contains("platform/repo-count: \"4\""),
        "the count is AWS's, whatever is skipped"
    );
}

#[test]
fn pages_in_every_shape_and_bad_listings() {
    let two_pages = format!("{}\n{}", listing(&["a"]), listing(&["b", "a"]));
    assert_eq!(parse_listing(&two_pages).unwrap().len(), 2);
    let array = format!("[{}, {}]", listing(&["a"]), listing(&["c"]));
    assert_eq!(parse_listing(&array).unwrap().len(), 2);
    for (bad, needle) in [
        ("", "empty"),
        ("{\"repositories\": [", "not valid JSON"),
        ("{\"repos\": []}", "no \"repositories\""),
        ("{\"repositories\": [{\"name\": \"a\"}]}", "repositoryName"),
    ] {
        let e = parse_listing(bad).unwrap_err();
        assert!(e.message.contains(needle), "{bad}: {e}");
    }
    let e = sync(
        &listing(&["a"]),
        Some("repositories:\n  a: [\n"),
        &opts("2026-11-21T10:00:00Z"),
        &Config::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.file.as_deref(),
        Some("docs/20-contracts/resource-catalogs/ecr-catalog.yaml")
    );
    for (region, now) in [
        ("Mars", "2026-11-21T10:00:00Z"),
        ("eu-west-2", "2026-11-21 10:00"),
        ("eu-west-2", "2026-13-01T10:00:00Z"),
    ] {
        assert!(
            sync(
                &listing(&["a"]),
                None,
                &SyncOptions {
                    region: region.into(),
                    account: None,
                    now: now.into()
                },
                &Config::default()
            )
            .is_err()
        );
    }
}

const LIFECYCLE: &str = "version: \"1.0\"\nlast_updated: \"2026-01-01\"\nrepositories:\n  new-one:\n    metadata:\n      id: REGISTRY_NEW_ONE\n      environment: dev\n      status: pending\n  not-yet:\n    metadata:\n      id: REGISTRY_NOT_YET\n      environment: dev\n      status: pending\n  live:\n    metadata:\n      id: REGISTRY_LIVE\n      environment: dev\n      status: active\n  gone:\n    metadata:\n      id: REGISTRY_GONE\n      environment: dev\n      status: active\n  other-env:\n    metadata:\n      id: REGISTRY_OTHER_ENV\n      environment: prod\n      status: pending\n";

#[test]
fn promotion_sets_active_only_for_pending_entries_of_the_environment_that_exist() {
    let present = ["new-one", "live", "other-env"].into_iter().collect();
    let (text, changed, report) =
        ecr_registrar::promote(LIFECYCLE, &present, "dev", "2026-11-23").unwrap();
    assert!(changed);
    assert_eq!(report.promoted, ["new-one"]);
    // other-env exists too, but in the listing of another environment's account: untouched.
    assert_eq!(report.active_missing, ["gone"]);
    let want = LIFECYCLE
        .replace(
            "last_updated: \"2026-01-01\"",
            "last_updated: \"2026-11-23\"",
        )
        .replacen(
            "      status: pending\n  not-yet:",
            "      status: active\n  not-yet:",
            1,
        );
    assert_eq!(text, want, "only the status line and last_updated change");
    // Again: nothing to do.
    let (again, changed, report) =
        ecr_registrar::promote(&text, &present, "dev", "2026-11-24").unwrap();
    assert!(!changed);
    assert_eq!(again, text);
    assert!(report.promoted.is_empty());
}
