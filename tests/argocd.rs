//! The Crossplane path's Argo CD Application and catalog entity: what they hold for a valid
//! request, and every input checked with its field and code (the JavaScript side validates both
//! against Argo CD's CRD schema and Backstage's catalog model).
#![cfg(feature = "edit")]

use ecr_registrar::{
    ApplicationOptions, Config, EntityOptions, Request, Validator, render_application,
    render_entity,
};
use serde_json::json;

mod common;

fn request(name: &str) -> Request {
    Request {
        name: name.into(),
        owner: "app-team".into(),
        environment: "prod".into(),
        risk: "high".into(),
        ..Request::default()
    }
}

fn app() -> ApplicationOptions {
    ApplicationOptions {
        cluster: "prod-eu-west-2".into(),
        repo_url: "https://github.com/acme/platform-gitops".into(),
        path: "crossplane/ecr/payments-api".into(),
        ..ApplicationOptions::default()
    }
}

/// The Crossplane manifests of `name` in eu-west-2, with `system` when given.
fn crossplane(
    v: &Validator,
    name: &str,
    system: Option<&str>,
) -> ecr_registrar::Result<ecr_registrar::Manifests> {
    ecr_registrar::render_crossplane(
        v,
        &request(name),
        &ecr_registrar::CrossplaneOptions {
            region: "eu-west-2".into(),
            system: system.map(Into::into),
            ..Default::default()
        },
    )
}

fn entity() -> EntityOptions {
    EntityOptions {
        region: "us-east-1".into(),
        ..EntityOptions::default()
    }
}

#[test]
fn the_application_syncs_the_manifests_path_to_the_cluster() {
    let v = Validator::new(&Config::default()).unwrap();
    let a = render_application(&v, &request("payments-api"), &app()).unwrap();
    assert_eq!(a["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(a["kind"], "Application");
    assert_eq!(a["metadata"]["name"], "ecr-payments-api");
    assert_eq!(a["metadata"]["namespace"], "argocd");
    assert_eq!(
        a["metadata"]["finalizers"],
        json!(["resources-finalizer.argocd.argoproj.io"])
    );
    assert_eq!(
        a["spec"],
        json!({
            "project": "default",
            "source": {"repoURL": "https://github.com/acme/platform-gitops", "targetRevision": "HEAD", "path": "crossplane/ecr/payments-api"},
            "destination": {"name": "prod-eu-west-2", "namespace": "crossplane-system"},
            "syncPolicy": {"automated": {"prune": true, "selfHeal": true}},
        })
    );
    // The guide's `host/path` form is an https URL.
    let short = ApplicationOptions {
        repo_url: "github.com/acme/platform-gitops".into(),
        ..app()
    };
    let a = render_application(&v, &request("payments-api"), &short).unwrap();
    assert_eq!(
        a["spec"]["source"]["repoURL"],
        "https://github.com/acme/platform-gitops"
    );
}

#[test]
fn every_application_input_is_checked_with_its_field() {
    let v = Validator::new(&Config::default()).unwrap();
    let e = render_application(&v, &request("abc-"), &app()).unwrap_err();
    assert_eq!(e.errors[0].code, "name_aws_pattern");
    let cases: Vec<(ApplicationOptions, &str, &str)> = vec![
        (
            ApplicationOptions {
                cluster: "prod eu".into(),
                ..app()
            },
            "cluster",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                cluster: String::new(),
                ..app()
            },
            "cluster",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                cluster: "x".repeat(64),
                ..app()
            },
            "cluster",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                repo_url: "https://github.com/a b".into(),
                ..app()
            },
            "repoUrl",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                repo_url: "file:///etc".into(),
                ..app()
            },
            "repoUrl",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                repo_url: "https://localhost/x".into(),
                ..app()
            },
            "repoUrl",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                repo_url: "https://github.com/a/../b".into(),
                ..app()
            },
            "repoUrl",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                path: "../x".into(),
                ..app()
            },
            "path",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                path: "/x".into(),
                ..app()
            },
            "path",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                path: "a//b".into(),
                ..app()
            },
            "path",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                namespace: Some("a.b".into()),
                ..app()
            },
            "namespace",
            "kubernetes_name",
        ),
        (
            ApplicationOptions {
                project: Some("No".into()),
                ..app()
            },
            "project",
            "kubernetes_name",
        ),
        (
            ApplicationOptions {
                destination_namespace: Some("x".repeat(64)),
                ..app()
            },
            "destinationNamespace",
            "kubernetes_name",
        ),
        (
            ApplicationOptions {
                target_revision: Some("main\n- x".into()),
                ..app()
            },
            "targetRevision",
            "invalid_format",
        ),
        (
            ApplicationOptions {
                target_revision: Some("a b".into()),
                ..app()
            },
            "targetRevision",
            "invalid_format",
        ),
    ];
    for (o, field, code) in cases {
        let e = render_application(&v, &request("payments-api"), &o).unwrap_err();
        assert_eq!(e.errors.len(), 1, "{e}");
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            (field, code),
            "{e}"
        );
    }
    // Every problem is reported, not the first only.
    let all = ApplicationOptions {
        cluster: "X Y".into(),
        repo_url: "nope".into(),
        path: "..".into(),
        ..app()
    };
    let e = render_application(&v, &request("payments-api"), &all).unwrap_err();
    let fields: Vec<&str> = e.errors.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["cluster", "repoUrl", "path"]);
}

#[test]
fn the_entity_carries_the_request_and_the_guide_fields() {
    let v = Validator::new(&Config::default()).unwrap();
    let opts = EntityOptions {
        description: Some("Docker images for my application".into()),
        source_url: Some("github.com/org/repo".into()),
        argocd_app: Some("ecr-payments-api".into()),
        ..entity()
    };
    let e = render_entity(&v, &request("payments-api"), &opts).unwrap();
    assert_eq!(e["metadata"]["name"], "ecr-payments-api");
    assert_eq!(
        e["metadata"]["description"],
        "Docker images for my application"
    );
    assert_eq!(
        e["spec"],
        json!({"type": "container-repository", "owner": "app-team", "system": "container-registry"})
    );
    let ann = &e["metadata"]["annotations"];
    assert_eq!(ann["platform/aws-region"], "us-east-1");
    assert_eq!(ann["platform/governance-id"], "REGISTRY_PAYMENTS_API");
    assert_eq!(ann["platform/risk"], "high");
    assert_eq!(
        ann["backstage.io/source-location"],
        "url:https://github.com/org/repo"
    );
    assert_eq!(ann["argocd/app-name"], "ecr-payments-api");
    // Without the optional fields: a default description, no source or app annotation.
    let bare = render_entity(&v, &request("payments-api"), &entity()).unwrap();
    assert_eq!(
        bare["metadata"]["description"],
        "ECR repository payments-api"
    );
    assert!(
        bare["metadata"]["annotations"]
            .get("backstage.io/source-location")
            .is_none()
    );

    let cases: Vec<(EntityOptions, &str, &str)> = vec![
        (
            EntityOptions {
                region: "Europe".into(),
                ..entity()
            },
            "region",
            "invalid_region",
        ),
        (
            EntityOptions {
                description: Some("a\u{202e}b".into()),
                ..entity()
            },
            "description",
            "invalid_description",
        ),
        (
            EntityOptions {
                description: Some("x".repeat(257)),
                ..entity()
            },
            "description",
            "invalid_description",
        ),
        (
            EntityOptions {
                region: "mars-west-1".into(),
                ..entity()
            },
            "region",
            "invalid_region",
        ),
        (
            EntityOptions {
                system: Some("a b".into()),
                ..entity()
            },
            "system",
            "invalid_format",
        ),
        (
            EntityOptions {
                source_url: Some("not a url".into()),
                ..entity()
            },
            "sourceUrl",
            "invalid_format",
        ),
        (
            EntityOptions {
                argocd_app: Some("A".into()),
                ..entity()
            },
            "argocdApp",
            "kubernetes_name",
        ),
        // A credential in the URL (issue-23 independent check, F9): refused, never repeated.
        (
            EntityOptions {
                source_url: Some("https://user:ghp_SECRET@github.com/org/repo".into()),
                ..entity()
            },
            "sourceUrl",
            "invalid_format",
        ),
        (
            EntityOptions {
                source_url: Some("ghp_SECRET@github.com/org/repo".into()),
                ..entity()
            },
            "sourceUrl",
            "invalid_format",
        ),
    ];
    for (o, field, code) in cases {
        let e = render_entity(&v, &request("payments-api"), &o).unwrap_err();
        assert!(!e.to_string().contains("SECRET"), "{e}");
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            (field, code),
            "{e}"
        );
        assert!(
            !e.errors[0].message.contains('\u{202e}'),
            "shown visibly: {}",
            e.errors[0].message
        );
    }
}

#[test]
fn the_entity_description_reads_as_its_text_where_backstage_renders_markdown() {
    let v = Validator::new(&Config::default()).unwrap();
    let hostile =
        "[Rotate your keys](https://phish.example) ![](https://t.example/p.png) <b>x</b> | `c` *e*";
    let e = render_entity(
        &v,
        &request("payments-api"),
        &EntityOptions {
            description: Some(hostile.into()),
            ..entity()
        },
    )
    .unwrap();
    let d = e["metadata"]["description"].as_str().unwrap();
    assert_eq!(
        d,
        "\\[Rotate your keys\\](https://phish.example) \\!\\[\\](https://t.example/p.png) \\<b\\>x\\</b\\> \\| \\`c\\` \\*e\\*"
    );
    // Plain text is unchanged; a start a block would take is escaped.
    for (plain, shown) in [
        (
            "Docker images for the payments application",
            "Docker images for the payments application",
        ),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("12. point", "12\\. point"),
        (
            "v1.2 images, 3-day retention",
            "v1.2 images, 3-day retention",
        ),
    ] {
        let e = render_entity(
            &v,
            &request("payments-api"),
            &EntityOptions {
                description: Some(plain.into()),
                ..entity()
            },
        )
        .unwrap();
        assert_eq!(e["metadata"]["description"], shown, "{plain}");
    }
}

#[test]
fn names_yaml_1_1_reads_as_booleans_or_numbers_are_refused_and_clusters_quoted() {
    let v = Validator::new(&Config::default()).unwrap();
    // (`y` and `n` are too short for ECR, `0b101` breaks the default naming rule; the YAML 1.1
    // words are refused as names on every path, `name_yaml_word`.)
    for name in ["on", "no", "yes", "off", "0b101", "y", "n"] {
        if name.len() > 1 && !name.starts_with('0') {
            let cp = crossplane(&v, name, None).unwrap_err();
            assert_eq!(cp.errors[0].code.as_str(), "name_yaml_word", "{name}: {cp}");
            assert!(cp.errors[0].message.contains("YAML 1.1"), "{cp}");
        }
        // An Application's destination cluster is named as Argo CD and the catalog name it (a
        // Backstage entity name, written quoted where a reader could take it for another type).
        let a = render_application(
            &v,
            &request("payments-api"),
            &ApplicationOptions {
                cluster: name.into(),
                ..app()
            },
        )
        .unwrap();
        let text = ecr_registrar::document_yaml(&a).unwrap();
        assert_eq!(
            common::pyyaml(&text)[0]["spec"]["destination"]["name"],
            name,
            "{text}"
        );
    }
    // Argo CD's own names for clusters (`argocd cluster add` names a GKE cluster after its kube
    // context), which are no Kubernetes names: taken (the ninth issue-23 check).
    for cluster in ["Prod-EU", "prod_eu", "gke_proj_europe-west2_prod"] {
        let a = render_application(
            &v,
            &request("payments-api"),
            &ApplicationOptions {
                cluster: cluster.into(),
                ..app()
            },
        )
        .unwrap_or_else(|e| panic!("{cluster}: {e}"));
        assert_eq!(a["spec"]["destination"]["name"], cluster);
    }
    // And systems YAML 1.1 reads as numbers (serde_yaml writes them plain: `system: 190_20` is
    // 19020 to PyYAML and kubectl), found by the issue-23 independent check.
    for system in [
        "yes", "On", "NO", "190_20", "1_000", "0b1_0", "0x_1f", "1_0.5",
    ] {
        let e = crossplane(&v, "payments-api", Some(system)).unwrap_err();
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("system", "invalid_format"),
            "{system}"
        );
        // The reason is the one that applies (a third check: `true` was "must start with a letter").
        let boolean = !system.starts_with(|c: char| c.is_ascii_digit());
        assert_eq!(
            e.errors[0].message.contains("as a boolean or null"),
            boolean,
            "{e}"
        );
    }
    for system in ["true", "False", "NULL", "null"] {
        let e = crossplane(&v, "payments-api", Some(system)).unwrap_err();
        assert!(
            e.errors[0]
                .message
                .contains("as a boolean or null, not a name"),
            "{e}"
        );
    }
}

#[test]
fn a_name_whose_registry_label_kubernetes_would_refuse_is_refused_on_the_crossplane_path() {
    let v = Validator::new(&Config::default()).unwrap();
    let opts = ecr_registrar::CrossplaneOptions {
        region: "eu-west-2".into(),
        ..Default::default()
    };
    // `registry-<name>`: 54 characters of name make the label's 63; 55 to 59 pass every other
    // rule (the entity name `ecr-<name>` allows 59) and the API server would refuse the objects.
    let at_limit = format!("p{}", "x".repeat(53));
    let manifests = ecr_registrar::render_crossplane(&v, &request(&at_limit), &opts).unwrap();
    let label = manifests.repository["metadata"]["labels"]["platform/registry-id"]
        .as_str()
        .unwrap();
    assert_eq!(label.len(), 63);
    assert!(render_application(&v, &request(&at_limit), &app()).is_ok());
    for n in 55..=59 {
        let name = format!("p{}", "x".repeat(n - 1));
        assert!(v.validate_request(&request(&name)).valid, "{n}");
        for err in [
            ecr_registrar::render_crossplane(&v, &request(&name), &opts).unwrap_err(),
            render_application(&v, &request(&name), &app()).unwrap_err(),
        ] {
            assert_eq!(err.errors[0].field, "name", "{err}");
            assert_eq!(err.errors[0].code.as_str(), "kubernetes_name", "{err}");
            assert!(
                err.errors[0].message.contains(&format!(
                    "is {} characters, and Kubernetes takes at most 63: the name must be {} characters shorter",
                    n + 9,
                    n + 9 - 63
                )),
                "{err}"
            );
        }
    }
}

#[test]
fn a_source_url_is_a_location_backstage_reads_and_a_repo_url_one_argo_cd_reads() {
    let v = Validator::new(&Config::default()).unwrap();
    let source = |u: &str| {
        render_entity(
            &v,
            &request("payments-api"),
            &EntityOptions {
                source_url: Some(u.into()),
                ..entity()
            },
        )
    };
    let location = |u: &str| {
        source(u).unwrap()["metadata"]["annotations"]["backstage.io/source-location"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        location("github.com/acme/payments"),
        "url:https://github.com/acme/payments"
    );
    assert_eq!(
        location("https://git.example.com:8443/acme/payments"),
        "url:https://git.example.com:8443/acme/payments"
    );
    // Found by the third issue-23 check: `host:path` became `https://github.com:acme/…` (a port
    // named acme), and the git forms are no URL Backstage reads a source from.
    for bad in [
        "github.com:acme/payments",
        "https://github.com:acme/payments",
        "git@github.com:acme/payments.git",
        "ssh://git@github.com/acme/payments",
    ] {
        let e = source(bad).unwrap_err();
        assert_eq!(e.errors[0].field, "sourceUrl", "{bad}: {e}");
        assert!(!e.errors[0].message.contains("credentials"), "{bad}: {e}");
    }
    // Argo CD reads the git forms; an ssh user without a password is no credential.
    let app = |u: &str| {
        render_application(
            &v,
            &request("payments-api"),
            &ApplicationOptions {
                repo_url: u.into(),
                ..app()
            },
        )
    };
    for ok in [
        "ssh://git@github.com/acme/platform-gitops",
        "git@github.com:acme/platform-gitops.git",
        "ssh://github.com:2222/acme/platform-gitops",
        // A port after an ssh user is no password (the fourth issue-23 check, N3).
        "ssh://git@gitlab.example.com:2222/acme/platform-gitops.git",
    ] {
        let a = app(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(a["spec"]["source"]["repoURL"], ok);
    }
    for bad in [
        "ssh://git:ghp_SECRET@github.com/acme/platform-gitops",
        "github.com:acme/platform-gitops",
        // `%2e%2e` is `..` to a URL parser (N3's companion, L1).
        "https://github.com/acme/%2e%2e/platform-gitops",
        "https://github.com/acme/%2E%2e%2Fx",
    ] {
        let e = app(bad).unwrap_err();
        assert_eq!(e.errors[0].field, "repoUrl", "{bad}: {e}");
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }
}

/// A platform's own name pattern may allow a name that starts with a digit. The three documents of
/// the Crossplane path hold it as a string to every reader: YAML 1.1 (PyYAML; kubectl and Argo CD
/// read through go-yaml) reads a plain `2024-01-01` as a date and `0b101` or `012` as numbers,
/// where YAML 1.2 (serde_yaml) reads strings (the eighth issue-23 check).
#[test]
fn names_that_yaml_1_1_reads_as_dates_or_numbers_are_strings_in_every_document() {
    let config = Config {
        name_pattern: "^[a-z0-9][a-z0-9.-]*$".into(),
        ..Config::default()
    };
    let v = Validator::new(&config).unwrap();
    // (`0b101` and the YAML 1.1 words are refused as names on this path: naming.rs.)
    for name in [
        "2024-01-01",
        "2024-1-1",
        "012",
        "1e3",
        "123",
        "1.5",
        "0x1f",
        "1.2.3",
    ] {
        let crossplane = crossplane(&v, name, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let application = ApplicationOptions {
            path: format!("crossplane/ecr/{name}"),
            ..app()
        };
        let texts = [
            ecr_registrar::crossplane_yaml(&crossplane).unwrap(),
            ecr_registrar::document_yaml(
                &render_application(&v, &request(name), &application).unwrap(),
            )
            .unwrap(),
            ecr_registrar::document_yaml(&render_entity(&v, &request(name), &entity()).unwrap())
                .unwrap(),
        ];
        for text in texts {
            let v12: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(&text)
                .map(|d| <serde_json::Value as serde::Deserialize>::deserialize(d).unwrap())
                .collect();
            assert_eq!(
                serde_json::Value::Array(v12),
                common::pyyaml(&text),
                "{name}:\n{text}"
            );
        }
        // The name itself is where each reader looks for it.
        let repository = &common::pyyaml(&ecr_registrar::crossplane_yaml(&crossplane).unwrap())[0];
        assert_eq!(repository["metadata"]["name"], name);
        assert_eq!(
            repository["metadata"]["annotations"]["crossplane.io/external-name"],
            name
        );
    }
}
