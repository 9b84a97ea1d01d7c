//! A request's `description` and `region` (issue 23): where they land (catalog entry, tfvars
//! entry, pull request), the config's default region, the guard's view of them, and hostile values.
#![cfg(feature = "edit")]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use ecr_registrar::{Config, Files, Request, Revisions, Validator, changes, scaffold};

const CATALOG: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";
const TFVARS: &str = "envs/dev/terraform.tfvars";
const TODAY: &str = "2026-12-07";

fn example(path: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/platform")
            .join(path),
    )
    .unwrap()
}

fn files() -> Files {
    Files {
        catalog: Some(example(CATALOG)),
        tfvars: Some(example(TFVARS)),
    }
}

fn request(description: Option<&str>, region: Option<&str>) -> Request {
    Request {
        name: "payments-api".into(),
        owner: "app-team".into(),
        requester: Some("daniel-deans".into()),
        domain: Some("delivery".into()),
        environment: "dev".into(),
        risk: "low".into(),
        description: description.map(Into::into),
        region: region.map(Into::into),
        ..Request::default()
    }
}

/// The entry's metadata as serde_yaml reads the edited catalog.
fn catalog_metadata(text: &str) -> serde_yaml::Mapping {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    doc["repositories"]["payments-api"]["metadata"]
        .as_mapping()
        .unwrap()
        .clone()
}

/// The entry's metadata as hcl-rs reads the edited tfvars (templates evaluated as Terraform
/// would: a `$${` is a literal `${`).
fn tfvars_metadata(text: &str) -> serde_json::Value {
    let body: hcl::Body = hcl::from_str(text).unwrap();
    let value: serde_json::Value = hcl::from_body(body).unwrap();
    value["ecr_repositories"]["payments-api"]["metadata"].clone()
}

#[test]
fn description_and_region_land_in_the_catalog_the_tfvars_and_the_pull_request() {
    let config = Config::default();
    let desc = "Payments API images: \"blue\" ${var.secret} %{ if x } `v2` | <b>";
    let out = scaffold(
        &request(Some(desc), Some("eu-west-2")),
        &files(),
        TODAY,
        &config,
    )
    .unwrap();
    assert!(out.changed);
    let meta = catalog_metadata(&out.catalog.text);
    assert_eq!(meta["description"].as_str(), Some(desc));
    assert_eq!(meta["region"].as_str(), Some("eu-west-2"));
    let keys: Vec<&str> = meta.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "id",
            "owner",
            "requested_by",
            "domain",
            "description",
            "risk",
            "environment",
            "region",
            "created_date",
            "status"
        ]
    );
    // Terraform reads the description literally (no template), and no region: the root's
    // aws_region decides where the module creates the repository.
    let tf = tfvars_metadata(&out.tfvars.text);
    assert_eq!(tf["description"].as_str(), Some(desc));
    assert!(tf.get("region").is_none(), "{tf}");
    assert!(out.tfvars.text.contains("$${var.secret} %%{ if x }"));
    // The pull request shows both, each in a code span it cannot close.
    let body = &out.pull_request.body;
    assert!(body.contains("| Region | `eu-west-2` |"), "{body}");
    let row = body
        .lines()
        .find(|l| l.starts_with("| Description |"))
        .unwrap();
    assert!(row.contains("``") && row.contains("\\|"), "{row}");
    // The same request again changes nothing.
    let again = files_of(&out);
    let out2 = scaffold(
        &request(Some(desc), Some("eu-west-2")),
        &again,
        TODAY,
        &config,
    )
    .unwrap();
    assert!(!out2.changed);
    // Another description for the same name is a conflict that names the field.
    let e = scaffold(
        &request(Some("other"), Some("eu-west-2")),
        &again,
        TODAY,
        &config,
    )
    .unwrap_err();
    assert!(e.to_string().contains("- description: existing"), "{e}");
}

fn files_of(out: &ecr_registrar::RequestOutput) -> Files {
    Files {
        catalog: Some(out.catalog.text.clone()),
        tfvars: Some(out.tfvars.text.clone()),
    }
}

#[test]
fn without_them_the_entries_are_as_before_and_the_config_gives_the_region() {
    let plain = scaffold(&request(None, None), &files(), TODAY, &Config::default()).unwrap();
    let meta = catalog_metadata(&plain.catalog.text);
    assert!(meta.get("description").is_none() && meta.get("region").is_none());
    assert!(!plain.tfvars.text.contains("description"));
    assert!(plain.pull_request.body.contains("| Region | (not given) |"));

    let config = Config {
        default_region: Some("eu-west-2".into()),
        ..Config::default()
    };
    let defaulted = scaffold(&request(None, None), &files(), TODAY, &config).unwrap();
    assert_eq!(
        catalog_metadata(&defaulted.catalog.text)["region"].as_str(),
        Some("eu-west-2")
    );
    assert!(
        defaulted
            .pull_request
            .body
            .contains("| Region | `eu-west-2` |")
    );
    // An entry recorded before regions were is the same request when only the default gives
    // one: asking again changes nothing; naming another region than nothing is a conflict.
    let ledger = Request {
        name: "ledger-sync".into(),
        owner: "database-team".into(),
        requester: Some("ana-lopez".into()),
        domain: Some("application".into()),
        environment: "dev".into(),
        risk: "low".into(),
        ..Request::default()
    };
    assert!(!scaffold(&ledger, &files(), TODAY, &config).unwrap().changed);
    let named = Request {
        region: Some("eu-west-2".into()),
        ..ledger
    };
    let e = scaffold(&named, &files(), TODAY, &config).unwrap_err();
    assert!(e.to_string().contains("- region: existing"), "{e}");

    // The example's dev root says `aws_region = "eu-west-2"`: a request for another region
    // would be recorded there but created in eu-west-2. Refused, naming both.
    {
        let e = scaffold(&request(None, Some("us-east-1")), &files(), TODAY, &config).unwrap_err();
        assert_eq!(e.errors[0].code.as_str(), "invalid_region", "{e}");
        let m = &e.errors[0].message;
        assert!(
            m.contains(
                "\"eu-west-2\" (aws_region in \"envs/dev/terraform.tfvars\"), not in \"us-east-1\""
            ),
            "{m}"
        );
    }
    // A request that names no region is for its environment's own region, whatever
    // `defaultRegion` says (a platform with roots in several regions; the ninth issue-23 check).
    let elsewhere = Config {
        default_region: Some("us-east-1".into()),
        ..Config::default()
    };
    let out = scaffold(&request(None, None), &files(), TODAY, &elsewhere).unwrap();
    assert!(
        out.catalog.text.contains("region: eu-west-2"),
        "{}",
        out.catalog.text
    );
    assert!(!out.catalog.text.contains("us-east-1"));
    // The pull request says so too (the tenth issue-23 check: it showed the default).
    assert!(
        out.pull_request.body.contains("| Region | `eu-west-2` |"),
        "{}",
        out.pull_request.body
    );
    assert!(!out.pull_request.body.contains("us-east-1"));
    // A root whose region is not a literal (a variable, none at all) is not second-guessed; a
    // literal that is no region name is not echoed.
    let mut odd = files();
    odd.tfvars =
        Some(example(TFVARS).replace("aws_region  = \"eu-west-2\"", "aws_region  = var.region"));
    assert!(scaffold(&request(None, Some("us-east-1")), &odd, TODAY, &config).is_ok());
    odd.tfvars = Some(example(TFVARS).replace("\"eu-west-2\"", "\"SECRET-token\""));
    let e = scaffold(&request(None, Some("us-east-1")), &odd, TODAY, &config).unwrap_err();
    assert!(!e.to_string().contains("SECRET"), "{e}");
    assert!(e.to_string().contains("another region"), "{e}");
}

#[test]
fn hostile_descriptions_and_regions_are_refused_and_nothing_is_edited() {
    let config = Config::default();
    for (desc, region, field, code) in [
        (
            Some("line\nbreak"),
            None,
            "description",
            "invalid_description",
        ),
        (
            Some("a\u{2028}b"),
            None,
            "description",
            "invalid_description",
        ),
        (
            Some("esc\u{1b}[2J"),
            None,
            "description",
            "invalid_description",
        ),
        (
            Some("rtl\u{202e}txt"),
            None,
            "description",
            "invalid_description",
        ),
        (Some(""), None, "description", "invalid_description"),
        // Text Terraform would change: it normalises strings to NFC, so a decomposed "é" would be
        // another description in AWS than in the catalog, and 200 characters of U+0958 (which NFC
        // writes as two each) 400 characters, over AWS's 256 for a tag value.
        (
            Some("cafe\u{301} images"),
            None,
            "description",
            "invalid_description",
        ),
        (
            Some(&"\u{958}".repeat(200)),
            None,
            "description",
            "invalid_description",
        ),
        (None, Some("mars-west-1"), "region", "invalid_region"),
        (None, Some("eu-west-2\n"), "region", "invalid_region"),
        (None, Some("../../etc"), "region", "invalid_region"),
        (None, Some("eusc-east-1"), "region", "invalid_region"),
        (None, Some("eusc-deu-east-1"), "region", "invalid_region"),
        (None, Some("eu-de-east-1"), "region", "invalid_region"),
    ] {
        let e = scaffold(&request(desc, region), &files(), TODAY, &config).unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_request", "{e}");
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            (field, code),
            "{desc:?} {region:?}"
        );
        assert!(
            !e.message.contains('\n') && !e.message.contains('\u{1b}'),
            "{e}"
        );
    }
    // Everyday text passes: composed accents, an emoji with its presentation selector (U+FE0F
    // after a visible character), scripts whose marks are already in NFC.
    for fine in [
        "caf\u{e9} images",
        "I \u{2764}\u{FE0F} images",
        "\u{939}\u{93f}\u{928}\u{94d}\u{926}\u{940} images",
    ] {
        let edit = scaffold(&request(Some(fine), None), &files(), TODAY, &config);
        assert!(edit.is_ok(), "{fine:?}: {:?}", edit.err());
    }
    // A selector with nothing visible before it is still hidden text.
    for hidden in ["\u{FE0F}lead", "a \u{FE0F}b", "\u{200D}\u{FE0F}"] {
        let e = scaffold(&request(Some(hidden), None), &files(), TODAY, &config).unwrap_err();
        assert_eq!(
            e.errors[0].code.as_str(),
            "invalid_description",
            "{hidden:?}"
        );
    }
    let huge = "x".repeat(1_000_000);
    let e = scaffold(&request(Some(&huge), None), &files(), TODAY, &config).unwrap_err();
    assert!(e.message.len() < 1_000, "a huge value is not echoed");
}

fn revisions(base: &Files, head: &Files) -> Revisions {
    let map = |f: &Files| -> BTreeMap<String, String> {
        [(CATALOG, &f.catalog), (TFVARS, &f.tfvars)]
            .into_iter()
            .filter_map(|(p, t)| t.clone().map(|t| (p.to_string(), t)))
            .collect()
    };
    Revisions {
        base: map(base),
        head: map(head),
        changed_paths: vec![CATALOG.into(), TFVARS.into()],
        ..Revisions::default()
    }
}

#[test]
fn the_guard_passes_the_edit_and_refuses_a_description_or_region_it_would_not_write() {
    let v = Validator::new(&Config::default()).unwrap();
    let base = files();
    let out = scaffold(
        &request(Some("Payments API images"), Some("eu-west-2")),
        &base,
        TODAY,
        v.config(),
    )
    .unwrap();
    let head = files_of(&out);
    let ok = changes(&v, &revisions(&base, &head)).unwrap();
    assert!(ok.guard.ok, "{:?}", ok.guard.problems);

    // The head edited by hand after the scaffold: the guard refuses it, naming the field.
    let refused = |edit: fn(&mut Files), field: &str| {
        let mut head = head.clone();
        edit(&mut head);
        let r = changes(&v, &revisions(&base, &head)).unwrap();
        assert!(!r.guard.ok, "{field}");
        assert!(
            r.guard.problems.iter().any(|p| p.message.contains(field)),
            "{field}: {:?}",
            r.guard.problems
        );
    };
    // The catalog says one description, the tfvars another.
    refused(
        |f| {
            let t = f.tfvars.take().unwrap();
            f.tfvars = Some(t.replace("Payments API images", "Something else"));
        },
        "description",
    );
    // Merged; later a pull request moves the entry to another region in the catalog alone.
    let mut moved = head.clone();
    let t = moved.catalog.take().unwrap();
    moved.catalog = Some(t.replace("region: eu-west-2", "region: us-east-1"));
    let r = changes(&v, &revisions(&head, &moved)).unwrap();
    assert!(!r.guard.ok);
    assert!(
        r.guard
            .problems
            .iter()
            .any(|p| p.code.as_str() == "unexpected_change" && p.message.contains("region changed")),
        "{:?}",
        r.guard.problems
    );
    // A region no AWS account has, written by hand into the catalog entry.
    refused(
        |f| {
            let t = f.catalog.take().unwrap();
            f.catalog = Some(t.replace("region: eu-west-2", "region: mars-west-1"));
        },
        "region",
    );
}

#[test]
fn sync_gives_the_entity_the_catalog_description_escaped_for_markdown() {
    let config = Config::default();
    let out = scaffold(
        &request(Some("Payments [API](https://x.example) images"), None),
        &files(),
        TODAY,
        &config,
    )
    .unwrap();
    let listing = r#"{"repositories": [
        {"repositoryName": "payments-api", "repositoryArn": "arn:aws:ecr:eu-west-2:1:repository/payments-api"},
        {"repositoryName": "ledger-sync", "repositoryArn": "arn:aws:ecr:eu-west-2:1:repository/ledger-sync"}
    ]}"#;
    let options = ecr_registrar::SyncOptions {
        region: "eu-west-2".into(),
        account: None,
        now: "2026-12-07T12:00:00Z".into(),
    };
    let synced = ecr_registrar::sync(listing, Some(&out.catalog.text), &options, &config).unwrap();
    let descriptions: Vec<String> = synced
        .files
        .iter()
        .flat_map(|f| serde_yaml::Deserializer::from_str(&f.text))
        .map(|d| serde_yaml::Value::deserialize(d).unwrap())
        .filter(|e| e["kind"] == "Resource" && e["spec"]["type"] == "container-repository")
        .map(|e| e["metadata"]["description"].as_str().unwrap().to_string())
        .collect();
    assert!(
        descriptions.contains(&"Payments \\[API\\](https://x.example) images".to_string()),
        "{descriptions:?}"
    );
    // An entry without one keeps the default.
    assert!(
        descriptions.contains(&"ECR repository ledger-sync".to_string()),
        "{descriptions:?}"
    );
}

#[test]
fn a_governed_file_the_diff_touches_without_either_text_is_unreadable_to_the_guard() {
    // A caller that passed the texts as Maps (JSON writes them as `{}`) gave none: the guard must
    // not judge the files unchanged.
    let v = Validator::new(&Config::default()).unwrap();
    let revs = Revisions {
        changed_paths: vec![CATALOG.into(), TFVARS.into()],
        ..Revisions::default()
    };
    let r = changes(&v, &revs).unwrap();
    assert!(!r.guard.ok);
    let unreadable: Vec<&str> = r
        .guard
        .problems
        .iter()
        .filter(|p| p.code.as_str() == "unreadable")
        .map(|p| p.file.as_str())
        .collect();
    assert_eq!(unreadable, [CATALOG, TFVARS]);
}

#[test]
fn an_added_entry_is_pending_and_a_kept_one_is_not_decommissioned() {
    let v = Validator::new(&Config::default()).unwrap();
    let base = files();
    let out = scaffold(&request(None, None), &base, TODAY, v.config()).unwrap();
    let head = files_of(&out);
    assert!(head.catalog.as_deref().unwrap().contains("status: pending"));
    // A pull request adding the entry with another status: every one of them is refused.
    for status in ["active", "decommissioned", "bogus"] {
        let mut hand = head.clone();
        let cat = hand.catalog.take().unwrap();
        // The new entry is the last one.
        let at = cat.rfind("status: pending").unwrap();
        hand.catalog = Some(format!("{}status: {status}{}", &cat[..at], &cat[at + 15..]));
        let r = changes(&v, &revisions(&base, &hand)).unwrap();
        assert!(
            r.guard
                .problems
                .iter()
                .any(|p| p.code.as_str() == "mismatch" && p.message.contains("`pending`")),
            "{status}: {:?}",
            r.guard.problems
        );
    }
}

#[test]
fn a_tfvars_map_that_appears_or_goes_is_a_change_of_the_file() {
    // Terraform reads a missing `ecr_repositories` as the variable's default, an empty one as {}.
    let v = Validator::new(&Config::default()).unwrap();
    let base = files();
    let tf = base.tfvars.clone().unwrap();
    let start = tf.find("ecr_repositories").unwrap();
    let without = Files {
        tfvars: Some(format!("{}\n", tf[..start].trim_end())),
        ..base.clone()
    };
    let empty = Files {
        tfvars: Some(format!(
            "{}\necr_repositories = {{}}\n",
            tf[..start].trim_end()
        )),
        ..base.clone()
    };
    for (from, to, word) in [(&without, &empty, "added"), (&empty, &without, "removed")] {
        let r = changes(&v, &revisions(from, to)).unwrap();
        assert!(
            r.guard
                .problems
                .iter()
                .any(|p| p.code.as_str() == "unexpected_change"
                    && p.message.contains("ecr_repositories")
                    && p.message.contains(word)),
            "{word}: {:?}",
            r.guard.problems
        );
    }
}

#[test]
fn every_shape_of_aws_region_name_is_a_region() {
    // The commercial partition, China, GovCloud, the ISO partitions and the European Sovereign
    // Cloud (which names a country where others name a partition).
    for r in [
        "eu-west-2",
        "us-east-1",
        "ap-southeast-7",
        "il-central-1",
        "mx-central-1",
        "cn-northwest-1",
        "us-gov-west-1",
        "us-isob-east-1",
        "eusc-de-east-1",
    ] {
        assert!(ecr_registrar::is_region(r), "{r}");
    }
    for r in [
        "mars-west-1",
        "eu-west",
        "eu-west-01",
        "eusc-east-1",
        "eusc-DE-east-1",
        "eusc-de-east-01",
        "eu-de-east-1",
        "us-gov-up-1",
    ] {
        assert!(!ecr_registrar::is_region(r), "{r}");
    }
}

/// A name AWS and a platform pattern allow, whose branch `registry/create-<name>` git refuses (a
/// part ending in `.lock`): refused by the validator, so no path fails at the branch (the tenth
/// issue-23 check); `app.locker` and `lock.app` are fine.
#[test]
fn a_name_whose_branch_git_refuses_is_refused() {
    let config = Config {
        name_pattern: "^[a-z][a-z0-9._/-]*$".into(),
        ..Config::default()
    };
    let v = Validator::new(&config).unwrap();
    for (name, ok) in [
        ("app.lock", false),
        ("team.lock/app", false),
        ("app.locker", true),
        ("lock.app", true),
    ] {
        let r = v.validate_request(&Request {
            name: name.into(),
            owner: "platform-team".into(),
            environment: "dev".into(),
            risk: "low".into(),
            ..Request::default()
        });
        let codes: Vec<&str> = r.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(!codes.contains(&"name_git_ref"), ok, "{name}: {codes:?}");
        if name == "app.lock" {
            assert_eq!(codes, ["name_git_ref"]);
        }
    }
}
