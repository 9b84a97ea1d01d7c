//! Crossplane manifests for a request, the platform's template-guide path: a `Repository` and a
//! `LifecyclePolicy` in `ecr.aws.m.upbound.io/v1beta1` (namespaced), controls from the risk tier.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::lifecycle::{LifecycleOptions, render_policy};
use crate::naming::{DNS1123_LABEL_MAX, dns1123_problem, is_region, not_a_region};
use crate::quote::show;
use crate::validate::{Request, Validator};

/// The API version of both Crossplane objects (Upbound's AWS provider, namespaced).
pub const API_VERSION: &str = "ecr.aws.m.upbound.io/v1beta1";
/// The namespace of both objects unless the options name one.
pub const DEFAULT_NAMESPACE: &str = "crossplane-system";

/// Options beyond the request.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossplaneOptions {
    /// AWS region, e.g. `eu-west-2`.
    pub region: String,
    /// Namespace of both objects (default `crossplane-system`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The `system` tag (default: the request's domain, else `container-registry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Images to keep (default: the risk tier's retention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<u32>,
    /// Also expire untagged images after this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_untagged_days: Option<u32>,
    /// Name of the Crossplane KMS `Key` to encrypt with when the tier uses KMS (default: the AWS
    /// managed key for ECR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_ref: Option<String>,
}

/// The two objects, as JSON values (serialize to YAML or JSON as needed).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifests {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    /// The `Repository` object.
    pub repository: Value,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    /// The `LifecyclePolicy` object.
    pub lifecycle_policy: Value,
}

fn tier_error(field: &str, code: FieldCode, message: String) -> Error {
    Error::invalid_request(vec![FieldError::new(field, code, message)])
}

/// `Err` naming the field and the rule when `why` says the Kubernetes name is invalid.
fn kubernetes_name(
    field: &str,
    label: &str,
    kind: &str,
    name: &str,
    why: Option<String>,
) -> Result<()> {
    match why {
        None => Ok(()),
        Some(why) => Err(tier_error(
            field,
            FieldCode::KubernetesName,
            format!(
                "{label} {} is not a valid Kubernetes {kind}: {why}",
                show(name)
            ),
        )),
    }
}

/// Why `system` cannot name the entity's system (and the Crossplane `system` tag): not a Backstage
/// entity name, or not a value every YAML reader reads as this string when written plain, as the
/// manifests' writer may write it: a word YAML 1.1 readers (kubectl, Argo CD) read as a boolean,
/// or one starting with a digit (`190_20`, `0b1_0`, `0x_1f` are numbers to YAML 1.1).
pub(crate) fn system_problem(system: &str) -> Option<FieldError> {
    let why = if !crate::naming::is_valid_backstage_name(system) {
        "is not a Backstage entity name (at most 63 characters: letters, digits, '-', '_', '.')"
    } else if matches!(
        system.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    ) {
        "is read by YAML readers (kubectl, Argo CD) as a boolean or null, not a name"
    } else if !crate::quote::yaml_plain_ok(system) {
        "must start with a letter: YAML 1.1 readers (kubectl, Argo CD) read some names that start with a digit, such as `1_000`, as numbers"
    } else {
        return None;
    };
    Some(FieldError::new(
        "system",
        FieldCode::InvalidFormat,
        format!("system {} {why}", show(system)),
    ))
}

/// The problem with `region` (the options' region of a Crossplane-path object): not an AWS region
/// name, or not the request's own region when the request names one (one request, one region).
pub(crate) fn one_region(request: &Request, region: &str) -> Option<FieldError> {
    if !is_region(region) {
        return Some(FieldError::new(
            "region",
            FieldCode::InvalidRegion,
            not_a_region(&format!("region {}", show(region))),
        ));
    }
    match &request.region {
        Some(r) if r != region => Some(FieldError::new(
            "region",
            FieldCode::InvalidRegion,
            format!(
                "the request's region {} and the region {} given with it differ; give one region",
                show(r),
                show(region)
            ),
        )),
        _ => None,
    }
}

/// The labels every Kubernetes object of a request carries (the Repository, the LifecyclePolicy,
/// the Argo CD Application). Refused, on `name`, when the governance id's label value is not one
/// the API server takes (at most 63 characters; letters, digits, `-`, `_`, `.`, starting and
/// ending with a letter or digit): it would refuse every object of the request after its pull
/// request was merged. `registry-<name>` is 68 characters for a 59-character name.
pub(crate) fn registry_labels(registry_id: &str) -> std::result::Result<Value, FieldError> {
    const LABEL_VALUE_MAX: usize = 63;
    let value = registry_id.to_lowercase().replace('_', "-");
    let b = value.as_bytes();
    let well_formed = b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    if value.len() > LABEL_VALUE_MAX || !well_formed {
        let why = if well_formed {
            format!(
                "is {} characters, and Kubernetes takes at most {LABEL_VALUE_MAX}: the name must be {} characters shorter on this path",
                value.len(),
                value.len() - LABEL_VALUE_MAX
            )
        } else {
            "is not a Kubernetes label value (letters, digits, '-', '_', '.', starting and ending with a letter or digit)".into()
        };
        return Err(FieldError::new(
            "name",
            FieldCode::KubernetesName,
            format!("the label platform/registry-id {} {why}", show(&value)),
        ));
    }
    Ok(json!({
        "app.kubernetes.io/managed-by": "ecr-registrar",
        "platform/registry-id": value,
    }))
}

/// Render the `Repository` and `LifecyclePolicy` for a valid request.
pub fn render_crossplane(
    v: &Validator,
    request: &Request,
    opts: &CrossplaneOptions,
) -> Result<Manifests> {
    let report = v.validate_request(request);
    let Some(registry_id) = report.registry_id.filter(|_| report.valid) else {
        return Err(Error::invalid_request(report.errors));
    };
    if let Some(e) = one_region(request, &opts.region) {
        return Err(Error::invalid_request(vec![e]));
    }
    let namespace = opts.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
    kubernetes_name(
        "namespace",
        "namespace",
        "namespace",
        namespace,
        dns1123_problem(namespace).or_else(|| {
            (namespace.len() > DNS1123_LABEL_MAX || namespace.contains('.')).then(|| {
                "a namespace must be a single DNS-1123 label of at most 63 characters".into()
            })
        }),
    )?;
    let policy_name = format!("{}-lifecycle", request.name);
    for (what, name) in [
        ("Repository", &request.name),
        ("LifecyclePolicy", &policy_name),
    ] {
        kubernetes_name(
            "name",
            &format!("the {what} object name"),
            "name (DNS-1123 subdomain)",
            name,
            dns1123_problem(name),
        )?;
    }
    let config = v.config();
    let tier = config.risk_tiers.get(&request.risk).ok_or_else(|| {
        tier_error(
            "risk",
            FieldCode::UnknownRisk,
            format!("risk tier {} has no controls", show(&request.risk)),
        )
    })?;
    let keep = opts.keep.unwrap_or(tier.retention_images);
    let policy = render_policy(&LifecycleOptions {
        keep,
        expire_untagged_days: opts.expire_untagged_days,
    })?;
    let system = opts
        .system
        .clone()
        .or_else(|| request.domain.clone())
        .unwrap_or_else(|| "container-registry".into());
    if let Some(e) = system_problem(&system) {
        return Err(Error::invalid_request(vec![e]));
    }

    let mut encryption = json!({ "encryptionType": tier.encryption });
    if tier.encryption == "KMS" {
        if let Some(key) = &opts.kms_key_ref {
            kubernetes_name("kmsKeyRef", "kmsKeyRef", "name", key, dns1123_problem(key))?;
            encryption["kmsKeyRef"] = json!({ "name": key });
        }
    }
    // ECR sets enhanced (continuous) scanning per registry and region, not per repository: the
    // Repository carries the tier's requirement for the registry-level rule (and for an audit).
    let scanning = if tier.enhanced_scanning {
        "enhanced"
    } else if tier.image_scanning {
        "basic"
    } else {
        "off"
    };
    let labels = registry_labels(&registry_id).map_err(|e| Error::invalid_request(vec![e]))?;
    let repository = json!({
        "apiVersion": API_VERSION,
        "kind": "Repository",
        "metadata": {
            "name": request.name,
            "namespace": namespace,
            "labels": labels,
            "annotations": {
                "crossplane.io/external-name": request.name,
                "platform/governance-id": registry_id,
                "platform/image-scanning": scanning,
            }
        },
        "spec": {
            "forProvider": {
                "region": opts.region,
                "imageScanningConfiguration": { "scanOnPush": tier.image_scanning },
                "encryptionConfiguration": [encryption],
                "imageTagMutability": tier.mutability,
                "tags": {
                    "team": request.owner,
                    "system": system,
                    "governance-id": registry_id,
                    "risk": request.risk,
                    "environment": request.environment,
                    "scanning": scanning,
                }
            }
        }
    });
    let lifecycle_policy = json!({
        "apiVersion": API_VERSION,
        "kind": "LifecyclePolicy",
        "metadata": {
            "name": policy_name,
            "namespace": namespace,
            "labels": labels,
        },
        "spec": {
            "forProvider": {
                "region": opts.region,
                "repositoryRef": { "name": request.name },
                "policy": policy,
            }
        }
    });
    Ok(Manifests {
        repository,
        lifecycle_policy,
    })
}

/// The Markdown body of the Crossplane path's pull request: what the request is (every field
/// escaped for Markdown by the core, the description and region included), the tier's controls,
/// and where enhanced scanning is set. Refuses what [`render_crossplane`] refuses.
#[cfg(feature = "edit")]
pub fn pull_request_body(
    v: &Validator,
    request: &Request,
    opts: &CrossplaneOptions,
) -> Result<String> {
    let manifests = render_crossplane(v, request, opts)?;
    let registry_id = manifests.repository["metadata"]["annotations"]["platform/governance-id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let request = Request {
        region: Some(opts.region.clone()),
        ..request.clone()
    };
    let mut b = format!(
        "## New ECR repository {} (Crossplane)\n\nRequested through Backstage; the Crossplane `Repository` and `LifecyclePolicy` ({API_VERSION}) and the Argo CD `Application` were rendered and validated by ecr-registrar {}. Merging lets Argo CD create the repository.\n\n",
        crate::quote::md_code(&request.name),
        crate::VERSION
    );
    crate::pull_request::request_summary(&mut b, v.config(), &request, &registry_id);
    if manifests.repository["metadata"]["annotations"]["platform/image-scanning"] == "enhanced" {
        b.push_str("\nEnhanced scanning is set per registry and region in ECR, not per repository: the `Repository` is tagged `scanning: enhanced`, and the platform's registry scanning configuration must cover it.\n");
    }
    Ok(b)
}

/// Both manifests as one YAML stream (`---` between them), read alike by YAML 1.1 and 1.2 readers
/// (a name such as `2024-01-01`, which a custom name pattern may allow, is quoted).
#[cfg(feature = "edit")]
pub fn to_yaml(m: &Manifests) -> Result<String> {
    crate::yaml_out::yaml_docs(&[m.repository.clone(), m.lifecycle_policy.clone()])
}
