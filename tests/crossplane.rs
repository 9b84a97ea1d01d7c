//! Crossplane manifests: the controls of each risk tier, and names and inputs checked with
//! explanations (DNS-1123, regions, KMS key references).

use ecr_registrar::{
    Config, CrossplaneOptions, Request, Validator, dns1123_problem, render_crossplane,
    validate_policy,
};
use serde_json::json;

fn request(name: &str, risk: &str) -> Request {
    Request {
        name: name.into(),
        owner: "app-team".into(),
        environment: "prod".into(),
        risk: risk.into(),
        domain: Some("delivery".into()),
        ..Request::default()
    }
}

fn opts() -> CrossplaneOptions {
    CrossplaneOptions {
        region: "eu-west-2".into(),
        ..CrossplaneOptions::default()
    }
}

#[test]
fn crossplane_controls_follow_the_risk_tier() {
    let v = Validator::new(&Config::default()).unwrap();
    for (risk, enc, mutability, kept, scanning) in [
        ("low", "AES256", "MUTABLE", 20, "basic"),
        ("medium", "AES256", "MUTABLE", 30, "basic"),
        ("high", "KMS", "IMMUTABLE", 50, "enhanced"),
    ] {
        let m = render_crossplane(
            &v,
            &request("payments-api", risk),
            &CrossplaneOptions {
                kms_key_ref: Some("ecr-key".into()),
                ..opts()
            },
        )
        .unwrap();
        let fp = &m.repository["spec"]["forProvider"];
        assert_eq!(fp["encryptionConfiguration"][0]["encryptionType"], enc);
        assert_eq!(
            fp["encryptionConfiguration"][0].get("kmsKeyRef").is_some(),
            enc == "KMS"
        );
        assert_eq!(fp["imageTagMutability"], mutability);
        assert_eq!(fp["imageScanningConfiguration"]["scanOnPush"], true);
        assert_eq!(
            fp["tags"],
            json!({"team": "app-team", "system": "delivery", "governance-id": "REGISTRY_PAYMENTS_API", "risk": risk, "environment": "prod", "scanning": scanning})
        );
        // ECR sets enhanced scanning per registry: the tier's requirement is carried for it.
        assert_eq!(
            m.repository["metadata"]["annotations"]["platform/image-scanning"],
            scanning
        );
        // The pull request body is the editing build's.
        #[cfg(feature = "edit")]
        {
            let body = ecr_registrar::crossplane_pull_request_body(
                &v,
                &Request {
                    description: Some("Payments `API` | <b>images</b>".into()),
                    ..request("payments-api", risk)
                },
                &CrossplaneOptions {
                    kms_key_ref: Some("ecr-key".into()),
                    ..opts()
                },
            )
            .unwrap();
            assert!(body.contains("| Region | `eu-west-2` |"), "{body}");
            assert!(
                body.contains("| Description | ``Payments `API` \\| <b>images</b>`` |"),
                "{body}"
            );
            assert_eq!(
                body.contains("Enhanced scanning is set per registry"),
                scanning == "enhanced"
            );
        }
        assert_eq!(m.repository["metadata"]["namespace"], "crossplane-system");
        let lp = &m.lifecycle_policy["spec"]["forProvider"];
        assert_eq!(lp["repositoryRef"]["name"], "payments-api");
        let policy = lp["policy"].as_str().unwrap();
        assert!(validate_policy(policy).valid);
        assert!(
            policy.contains(&format!("\"countNumber\": {kept}")),
            "{policy}"
        );
    }
}

#[test]
fn crossplane_names_and_inputs_are_checked_with_explanations() {
    let v = Validator::new(&Config::default()).unwrap();
    // An invalid request is rejected with the validator's errors.
    let e = render_crossplane(&v, &request("abc-", "low"), &opts()).unwrap_err();
    assert_eq!(e.errors[0].code, "name_aws_pattern");
    // A custom platform pattern that lets '_' through: AWS accepts it, Kubernetes does not.
    let config = Config {
        name_pattern: "^[a-z][a-z0-9_-]*$".into(),
        ..Config::default()
    };
    let v2 = Validator::new(&config).unwrap();
    let e = render_crossplane(&v2, &request("pay_api", "low"), &opts()).unwrap_err();
    assert_eq!(e.errors[0].code, "kubernetes_name");
    assert!(
        e.errors[0].message.contains("DNS-1123") && e.errors[0].message.contains("'_'")
            || e.errors[0].message.contains("\"_\""),
        "{}",
        e.errors[0].message
    );
    for (o, field) in [
        (
            CrossplaneOptions {
                region: "Europe".into(),
                ..opts()
            },
            "region",
        ),
        (
            CrossplaneOptions {
                namespace: Some("Team_A".into()),
                ..opts()
            },
            "namespace",
        ),
        (
            CrossplaneOptions {
                namespace: Some("a.b".into()),
                ..opts()
            },
            "namespace",
        ),
        (
            CrossplaneOptions {
                kms_key_ref: Some("Key".into()),
                ..opts()
            },
            "kmsKeyRef",
        ),
    ] {
        let e = render_crossplane(&v, &request("payments-api", "high"), &o).unwrap_err();
        assert_eq!(e.errors[0].field, field, "{e}");
    }
    assert_eq!(dns1123_problem("a-b.c"), None);
    assert!(dns1123_problem("-a").unwrap().contains("start and end"));
    assert!(dns1123_problem("a..b").unwrap().contains("empty part"));
    assert!(dns1123_problem(&"a".repeat(254)).unwrap().contains("253"));
}

#[test]
fn one_request_has_one_region() {
    let v = Validator::new(&Config::default()).unwrap();
    let two = Request {
        region: Some("us-east-1".into()),
        ..request("payments-api", "low")
    };
    let e = render_crossplane(&v, &two, &opts()).unwrap_err();
    assert_eq!(e.errors[0].code.as_str(), "invalid_region", "{e}");
    assert!(e.errors[0].message.contains("differ"), "{e}");
    let same = Request {
        region: Some("eu-west-2".into()),
        ..request("payments-api", "low")
    };
    assert!(render_crossplane(&v, &same, &opts()).is_ok());
    let mars = CrossplaneOptions {
        region: "mars-west-1".into(),
        ..opts()
    };
    let e = render_crossplane(&v, &request("payments-api", "low"), &mars).unwrap_err();
    assert_eq!(e.errors[0].code.as_str(), "invalid_region", "{e}");
}
