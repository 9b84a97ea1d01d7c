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
    let (text, changed, report) = ecr_registrar::promote(
        LIFECYCLE,
        &present,
        "dev",
        ("eu-west-2", None),
        "2026-11-23",
    )
    .unwrap();
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
        ecr_registrar::promote(&text, &present, "dev", ("eu-west-2", None), "2026-11-24").unwrap();
    assert!(!changed);
    assert_eq!(again, text);
    assert!(report.promoted.is_empty());
}

/// An entry that records its region is promoted (or reported missing) only by that region's
/// listing: a repository of the name in another region is another repository (the tenth issue-23
/// check: a us-east-1 listing promoted an eu-west-2 request).
#[test]
fn promotion_follows_the_region_an_entry_records() {
    let catalog = LIFECYCLE
        .replace(
            "      id: REGISTRY_NEW_ONE\n",
            "      id: REGISTRY_NEW_ONE\n      region: eu-west-2\n",
        )
        .replace(
            "      id: REGISTRY_GONE\n",
            "      id: REGISTRY_GONE\n      region: eu-west-2\n",
        );
    let present = ["new-one", "not-yet", "live"].into_iter().collect();
    let (_, _, elsewhere) =
        ecr_registrar::promote(&catalog, &present, "dev", ("us-east-1", None), "2026-11-23")
            .unwrap();
    // not-yet records no region: any listing of its environment is its own.
    assert_eq!(elsewhere.promoted, ["not-yet"]);
    assert!(elsewhere.active_missing.is_empty(), "{elsewhere:?}");
    let (_, _, there) =
        ecr_registrar::promote(&catalog, &present, "dev", ("eu-west-2", None), "2026-11-23")
            .unwrap();
    assert_eq!(there.promoted, ["new-one", "not-yet"]);
    assert_eq!(there.active_missing, ["gone"]);
    // An entry that records no region is in its environment's Terraform region when that is
    // known (the eleventh issue-23 check: a us-east-1 listing promoted one of eu-west-2's).
    let (_, _, rooted) = ecr_registrar::promote(
        &catalog,
        &present,
        "dev",
        ("us-east-1", Some("eu-west-2")),
        "2026-11-23",
    )
    .unwrap();
    assert!(
        rooted.promoted.is_empty() && rooted.active_missing.is_empty(),
        "{rooted:?}"
    );
    let (_, _, home) = ecr_registrar::promote(
        &catalog,
        &present,
        "dev",
        ("eu-west-2", Some("eu-west-2")),
        "2026-11-23",
    )
    .unwrap();
    assert_eq!(home.promoted, ["new-one", "not-yet"]);
}

fn target(env: &str, region: &str, account: &str) -> ecr_registrar::SyncTarget {
    serde_json::from_value(
        serde_json::json!({"environment": env, "region": region, "account": account}),
    )
    .unwrap()
}

fn account_listing(
    account: &str,
    region: &str,
    names: &[&str],
) -> Vec<ecr_registrar::AwsRepository> {
    let repos: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({"repositoryName": n, "repositoryArn": format!("arn:aws:ecr:{region}:{account}:repository/{n}"), "registryId": account}))
        .collect();
    parse_listing(&serde_json::json!({ "repositories": repos }).to_string()).unwrap()
}

const ESTATE_CATALOG: &str = "repositories:\n  payments-api:\n    metadata:\n      id: REGISTRY_PAYMENTS_API\n      environment: prod\n      risk: high\n  ledger:\n    metadata:\n      id: REGISTRY_LEDGER\n      environment: dev\n  lost:\n    metadata:\n      id: REGISTRY_LOST\n      environment: staging\n";

/// An entry that records its region is reconciled only by a target of its environment in that
/// region (the tenth issue-23 check: a us-east-1 repository took an eu-west-2 entry's id), and by
/// a single sync only of that region; with no such target it is untargeted.
#[test]
fn entries_are_reconciled_in_the_region_they_record() {
    let c = Config::default();
    let catalog = "repositories:\n  checkout-web:\n    metadata:\n      id: REGISTRY_CHECKOUT_WEB\n      environment: prod\n      region: eu-west-2\n  plain:\n    metadata:\n      id: REGISTRY_PLAIN\n      environment: prod\n  far:\n    metadata:\n      id: REGISTRY_FAR\n      environment: prod\n      region: ap-south-1\n";
    let eu = target("prod", "eu-west-2", "222222222222");
    let us = target("prod", "us-east-1", "222222222222");
    let listings = vec![
        (
            eu,
            Some(account_listing("222222222222", "eu-west-2", &["plain"])),
        ),
        (
            us,
            Some(account_listing(
                "222222222222",
                "us-east-1",
                &["checkout-web", "plain"],
            )),
        ),
    ];
    let out =
        ecr_registrar::sync_estate(&listings, Some(catalog), "2026-11-23T10:00:00Z", &c).unwrap();
    let [e, u] = &out.report.targets[..] else {
        panic!()
    };
    assert_eq!(
        (e.synced.clone(), e.ghosts.clone()),
        (vec!["plain".to_string()], vec!["checkout-web".to_string()])
    );
    assert_eq!(
        (u.synced.clone(), u.orphans.clone(), u.ghosts.clone()),
        (
            vec!["plain".to_string()],
            vec!["checkout-web".to_string()],
            vec![]
        )
    );
    assert_eq!(out.report.totals.untargeted, ["far"]);
    // A single sync of us-east-1: the eu-west-2 entry is not its ghost, and its repository of
    // the name is an orphan.
    let single = sync(
        &serde_json::json!({"repositories": [{"repositoryName": "checkout-web", "repositoryArn": "arn:aws:ecr:us-east-1:222222222222:repository/checkout-web", "registryId": "222222222222"}]}).to_string(),
        Some(catalog),
        &SyncOptions {
            region: "us-east-1".into(),
            account: None,
            now: "2026-11-23T10:00:00Z".into(),
        },
        &c,
    )
    .unwrap();
    assert_eq!(single.report.orphans, ["checkout-web"]);
    assert!(
        !single.report.ghosts.contains(&"checkout-web".to_string()),
        "{:?}",
        single.report.ghosts
    );
    assert!(!single.files[0].text.contains("REGISTRY_CHECKOUT_WEB"));
}

/// Every `metadata.name` of the entities file.
fn entity_names(text: &str) -> Vec<String> {
    text.split("---\n")
        .map(|d| serde_yaml::from_str::<serde_yaml::Value>(d).unwrap())
        .map(|v| v["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn several_targets_reconcile_per_environment_with_names_that_never_collide() {
    let c = Config::default();
    let dev = target("dev", "eu-west-2", "111111111111");
    let prod = target("prod", "eu-west-2", "222222222222");
    let listings = vec![
        (
            dev.clone(),
            Some(account_listing(
                "111111111111",
                "eu-west-2",
                &["payments-api", "ledger"],
            )),
        ),
        (
            prod.clone(),
            Some(account_listing(
                "222222222222",
                "eu-west-2",
                &["payments-api"],
            )),
        ),
    ];
    let out =
        ecr_registrar::sync_estate(&listings, Some(ESTATE_CATALOG), "2026-11-23T10:00:00Z", &c)
            .unwrap();
    let [d, p] = &out.report.targets[..] else {
        panic!()
    };
    // payments-api is governed for prod: in the dev account it is an orphan, not "synced".
    assert_eq!(
        (d.synced.clone(), d.orphans.clone(), d.ghosts.clone()),
        (
            vec!["ledger".to_string()],
            vec!["payments-api".to_string()],
            vec![]
        )
    );
    assert_eq!(
        (p.synced.clone(), p.orphans.clone(), p.ghosts.clone()),
        (vec!["payments-api".to_string()], vec![], vec![])
    );
    assert_eq!(
        (d.environment.as_deref(), d.account.as_deref()),
        (Some("dev"), Some("111111111111"))
    );
    assert_eq!(out.report.totals.untargeted, ["lost"]);
    assert_eq!(
        (
            out.report.totals.repo_count,
            out.report.totals.synced,
            out.report.totals.orphans
        ),
        (3, 2, 1)
    );
    // One entities file per target, then the System, the Domain and the Location.
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "catalog/resources/ecr-registry-dev.yaml",
            "catalog/resources/ecr-registry-prod.yaml",
            "catalog/systems/container-registry.yaml",
            "catalog/domains/delivery.yaml",
            "catalog/locations/ecr-registry.yaml"
        ]
    );
    let all = format!("{}---\n{}", out.files[0].text, out.files[1].text);
    let names = entity_names(&all);
    assert_eq!(
        names,
        [
            "ecr-registry-dev",
            "ecr-dev-ledger",
            "ecr-dev-payments-api",
            "ecr-registry-prod",
            "ecr-prod-payments-api"
        ]
    );
    // Both ARN annotations on every repository entity; the prod one enriched from the catalog,
    // the dev one (an orphan) not.
    for doc in out.files[0]
        .text
        .split("---\n")
        .filter(|d| d.contains("container-repository"))
    {
        let v: serde_yaml::Value = serde_yaml::from_str(doc).unwrap();
        let a = &v["metadata"]["annotations"];
        assert_eq!(
            a["amazonaws.com/ecr-repository-arn"],
            a["aws.amazon.com/amazon-ecr-arn"]
        );
        assert!(
            a["aws.amazon.com/amazon-ecr-arn"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:ecr:")
        );
        let governed = a["platform/governance-id"].as_str();
        match v["metadata"]["name"].as_str().unwrap() {
            "ecr-prod-payments-api" => assert_eq!(governed, Some("REGISTRY_PAYMENTS_API")),
            "ecr-dev-payments-api" => assert_eq!(governed, None),
            _ => {}
        }
    }
    // One target: today's names, so a catalog does not churn when targets are introduced.
    let one = ecr_registrar::sync_estate(
        &listings[1..],
        Some(ESTATE_CATALOG),
        "2026-11-23T10:00:00Z",
        &c,
    )
    .unwrap();
    assert_eq!(
        entity_names(&one.files[0].text),
        ["ecr-registry", "ecr-payments-api"]
    );
}

#[test]
fn target_slugs_and_cross_target_collisions() {
    let a = target("dev", "eu-west-2", "111111111111");
    let b = target("dev", "us-east-1", "111111111111");
    let c2 = target("dev", "us-east-1", "333333333333");
    assert_eq!(
        ecr_registrar::sync_target_slugs(&[a.clone(), b.clone()]),
        ["dev-eu-west-2", "dev-us-east-1"]
    );
    assert_eq!(
        ecr_registrar::sync_target_slugs(&[a, b.clone(), c2]),
        [
            "dev-eu-west-2",
            "dev-us-east-1-111111111111",
            "dev-us-east-1-333333333333"
        ]
    );
    // Environment `a-b` with repository `c`, environment `a` with repository `b-c`: the same
    // entity name, so neither is rendered and both say why.
    let c = Config {
        environments: vec!["a".into(), "a-b".into()],
        ..Config::default()
    };
    let listings = vec![
        (
            target("a-b", "eu-west-2", "111111111111"),
            Some(account_listing("111111111111", "eu-west-2", &["c"])),
        ),
        (
            target("a", "eu-west-2", "222222222222"),
            Some(account_listing(
                "222222222222",
                "eu-west-2",
                &["b-c", "other"],
            )),
        ),
    ];
    let out = ecr_registrar::sync_estate(&listings, None, "2026-11-23T10:00:00Z", &c).unwrap();
    assert_eq!(out.report.targets[0].collisions[0].entity_name, "ecr-a-b-c");
    assert_eq!(out.report.targets[1].collisions[0].entity_name, "ecr-a-b-c");
    let all = format!("{}---\n{}", out.files[0].text, out.files[1].text);
    assert_eq!(
        entity_names(&all),
        ["ecr-registry-a-b", "ecr-registry-a", "ecr-a-other"]
    );
}

#[test]
fn a_listing_from_the_wrong_account_is_refused() {
    let listings = vec![(
        target("dev", "eu-west-2", "111111111111"),
        Some(account_listing("999999999999", "eu-west-2", &["x"])),
    )];
    let e = ecr_registrar::sync_estate(&listings, None, "2026-11-23T10:00:00Z", &Config::default())
        .unwrap_err();
    assert!(
        e.message
            .contains("from account \"999999999999\", not \"111111111111\""),
        "{}",
        e.message
    );
}

/// The registry's console link is the partition's console (the tenth issue-23 check: a China or
/// GovCloud region got a commercial-console link that leads nowhere); none where this tool knows
/// of no public console.
#[test]
fn the_console_link_is_the_partition_s() {
    for (region, url) in [
        (
            "eu-west-2",
            Some(
                "https://eu-west-2.console.aws.amazon.com/ecr/private-registry/repositories?region=eu-west-2",
            ),
        ),
        (
            "cn-north-1",
            Some(
                "https://console.amazonaws.cn/ecr/private-registry/repositories?region=cn-north-1",
            ),
        ),
        (
            "us-gov-west-1",
            Some(
                "https://console.amazonaws-us-gov.com/ecr/private-registry/repositories?region=us-gov-west-1",
            ),
        ),
        ("eusc-de-east-1", None),
        ("us-iso-east-1", None),
    ] {
        let out = sync(
            r#"{"repositories": []}"#,
            None,
            &SyncOptions {
                region: region.into(),
                account: None,
                now: "2026-11-23T10:00:00Z".into(),
            },
            &Config::default(),
        )
        .unwrap();
        let registry: serde_json::Value =
            serde_yaml::from_str(out.files[0].text.split("---\n").next().unwrap()).unwrap();
        let links = registry["metadata"]["links"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            links.first().and_then(|l| l["url"].as_str()),
            url,
            "{region}"
        );
    }
    assert_eq!(
        ecr_registrar::partition_dns_suffix("cn-north-1"),
        "amazonaws.com.cn"
    );
    assert_eq!(
        ecr_registrar::partition_dns_suffix("eusc-de-east-1"),
        "amazonaws.eu"
    );
    assert_eq!(
        ecr_registrar::partition_dns_suffix("us-gov-west-1"),
        "amazonaws.com"
    );
}
