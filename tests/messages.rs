//! The messages that several parts of the core write read the same, word for word, wherever they
//! come from: a region AWS would not accept (config, Crossplane, sync) and a `today` that is not a
//! date (scaffold, update, decommission). Each has one home in the core; these pin its text.
#![cfg(feature = "edit")]

use ecr_registrar::{
    Config, CrossplaneOptions, DecommissionRequest, Files, Request, SyncOptions, UpdateRequest,
    Validator, decommission, render_crossplane, scaffold_with, sync, update,
};

const CATALOG: &str =
    include_str!("../examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml");
const DEV: &str = include_str!("../examples/platform/envs/dev/terraform.tfvars");

#[test]
fn a_region_aws_would_not_accept_reads_the_same_everywhere() {
    let config = Config::from_yaml("sync:\n  targets:\n    - {environment: dev, region: europe}\n")
        .unwrap_err();
    assert_eq!(
        config.message,
        "config: `sync.targets[0]`: `region` is not an AWS region name such as eu-west-2"
    );

    let v = Validator::new(&Config::default()).unwrap();
    let request = Request {
        name: "payments-api".into(),
        owner: "app-team".into(),
        environment: "prod".into(),
        risk: "low".into(),
        ..Request::default()
    };
    let options = CrossplaneOptions {
        region: "Europe".into(),
        ..CrossplaneOptions::default()
    };
    let crossplane = render_crossplane(&v, &request, &options).unwrap_err();
    assert_eq!(
        crossplane.errors[0].message,
        "region \"Europe\" is not an AWS region name such as eu-west-2"
    );

    let options = SyncOptions {
        region: "Europe".into(),
        account: None,
        now: "2026-11-21T17:45:00Z".into(),
    };
    let synced = sync(
        r#"{"repositories": []}"#,
        None,
        &options,
        &Config::default(),
    )
    .unwrap_err();
    assert_eq!(
        synced.message,
        "region \"Europe\" is not an AWS region name such as eu-west-2"
    );
}

#[test]
fn a_today_that_is_not_a_date_reads_the_same_everywhere() {
    let v = Validator::new(&Config::default()).unwrap();
    let files = Files {
        catalog: Some(CATALOG.into()),
        tfvars: Some(DEV.into()),
    };
    let today = "2026-02-30";
    let request = Request {
        name: "payments-api".into(),
        owner: "app-team".into(),
        environment: "dev".into(),
        risk: "low".into(),
        ..Request::default()
    };
    let update_request = UpdateRequest {
        name: "ledger-sync".into(),
        environment: "dev".into(),
        owner: Some("sre-team".into()),
        ..Default::default()
    };
    let decommission_request = DecommissionRequest {
        name: "ledger-sync".into(),
        environment: "dev".into(),
    };
    let messages = [
        scaffold_with(&v, &request, &files, today).unwrap_err(),
        update(&v, &update_request, &files, today).unwrap_err(),
        decommission(&v, &decommission_request, &files, today).unwrap_err(),
    ]
    .map(|e| e.message.clone());
    for m in messages {
        assert_eq!(
            m,
            "today \"2026-02-30\" is not a date of the form YYYY-MM-DD"
        );
    }
}
