//! The Crossplane + Argo CD path's other documents: the Argo CD `Application` that syncs a
//! request's Crossplane manifests to the chosen cluster, and the Backstage `Resource` entity that
//! `catalog:register` adds for the new repository.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::crossplane::{DEFAULT_NAMESPACE, registry_labels};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::naming::{DNS1123_LABEL_MAX, dns1123_problem, entity_name};
use crate::quote::{is_hidden, show};
use crate::sync::{ID_ANNOTATION, RISK_ANNOTATION};
use crate::validate::{Request, Validator};

/// The API version of an Argo CD `Application`.
pub const APPLICATION_API_VERSION: &str = "argoproj.io/v1alpha1";
/// The namespace Argo CD reads Applications from unless the options name another.
pub const ARGOCD_NAMESPACE: &str = "argocd";
/// The Argo CD finalizer: deleting the Application deletes what it synced (the decommission path).
pub const ARGOCD_FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";
/// The annotation Backstage's Argo CD plugin reads to find an entity's Application.
pub const ARGOCD_APP_ANNOTATION: &str = "argocd/app-name";
/// The system of a Crossplane-path entity unless the options name another (the template guide's).
pub const DEFAULT_SYSTEM: &str = "container-registry";
/// The longest URL, revision or path taken (a description is checked as the request's, 256 at most).
pub const MAX_TEXT: usize = 1_000;

/// Where the Application sends the manifests, and from where.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationOptions {
    /// The target cluster as Argo CD names it (`spec.destination.name`), e.g. `prod-eu-west-2`.
    pub cluster: String,
    /// The GitOps repository holding the manifests, e.g. `https://github.com/acme/platform-gitops`.
    pub repo_url: String,
    /// The directory of the manifests in that repository, e.g. `crossplane/ecr/payments-api`.
    pub path: String,
    /// The revision Argo CD follows (default `HEAD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_revision: Option<String>,
    /// The Application's own namespace (default `argocd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The Argo CD project (default `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The namespace of the synced objects (default `crossplane-system`, as the manifests').
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_namespace: Option<String>,
}

/// What the catalog entity says beyond the request.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntityOptions {
    /// AWS region of the repository, e.g. `eu-west-2`.
    pub region: String,
    /// The system the entity belongs to (default `container-registry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// What the repository is for (default `ECR repository <name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The application code's repository, e.g. `github.com/acme/payments` or an `https://` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The Application's name, for Backstage's Argo CD plugin (`argocd/app-name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argocd_app: Option<String>,
}

fn problem(field: &str, code: FieldCode, message: String) -> FieldError {
    FieldError::new(field, code, message)
}

/// Why `v` is not a Kubernetes name of `kind` (a DNS-1123 subdomain, or label when `label`).
fn kube_name(field: &str, what: &str, v: &str, label: bool, out: &mut Vec<FieldError>) {
    let why = dns1123_problem(v).or_else(|| {
        (label && (v.len() > DNS1123_LABEL_MAX || v.contains('.')))
            .then(|| "it must be a single DNS-1123 label of at most 63 characters".into())
    });
    if let Some(why) = why {
        out.push(problem(
            field,
            FieldCode::KubernetesName,
            format!("{what} {} is not a valid Kubernetes name: {why}", show(v)),
        ));
    }
}

/// Why `v` is not a plain one-line text of at most [`MAX_TEXT`] characters, if it is not.
fn text_problem(v: &str) -> Option<String> {
    if v.chars().all(crate::quote::is_blank_looking) {
        Some("it is empty".into())
    } else if v.chars().count() > MAX_TEXT {
        Some(format!("it is longer than {MAX_TEXT} characters"))
    } else if v.chars().any(is_hidden) {
        Some("it contains a control or invisible character (a line break, tab, escape, …)".into())
    } else {
        None
    }
}

/// A repository URL as Argo CD takes it (`git_forms`: `https://host/path`, `ssh://…` or
/// `git@host:path`) or as Backstage reads a source location (only `https://host/path`);
/// `host/path` (the guide's `github.com/org/repo`) becomes `https://host/path`. The host may have
/// a port of digits (`host:8443`); `github.com:acme/repo` is neither form and is refused.
fn repo_url(field: &str, v: &str, git_forms: bool, out: &mut Vec<FieldError>) -> String {
    let scp = git_forms && v.starts_with("git@");
    let ssh = git_forms && v.starts_with("ssh://");
    let (url, rest) = if let Some(r) = v.strip_prefix("https://") {
        (v.to_string(), r)
    } else if let Some(r) = v.strip_prefix("ssh://").filter(|_| ssh) {
        (v.to_string(), r)
    } else if let Some(r) = v.strip_prefix("git@").filter(|_| scp) {
        (v.to_string(), r)
    } else if v.contains("://") || v.starts_with("git@") {
        (v.to_string(), "")
    } else {
        (format!("https://{v}"), v)
    };
    // The authority: `host`, `host:port`, and for ssh:// a user (`git@host`).
    let authority = if scp {
        rest.split(':').next().unwrap_or("")
    } else {
        rest.split('/').next().unwrap_or("")
    };
    // `user:token@host` in a URL is a credential: refused, and the value is not repeated. An
    // ssh:// user without a password (`ssh://git@host/…`) is how ssh names its account.
    let user = authority.rsplit_once('@').map(|(user, _)| user);
    let credentials = user.is_some_and(|u| !ssh || u.contains(':'));
    if credentials && !scp {
        out.push(problem(
            field,
            FieldCode::InvalidFormat,
            format!("{field} carries credentials (user@ or user:token@ before the host); give the repository's URL without them (it is not repeated here)"),
        ));
        return url;
    }
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    let forms = if git_forms {
        "https://host/path, ssh://…, git@host:path or host/path"
    } else {
        "https://host/path or host/path (Backstage reads a source location over HTTPS)"
    };
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "-._~/:@%+".contains(c);
    let why = if v.len() > MAX_TEXT {
        Some(format!("it is longer than {MAX_TEXT} characters"))
    } else if rest.is_empty() || host.is_empty() || !rest.contains(['/', ':']) {
        Some(format!("it must be {forms}"))
    } else if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        Some(format!(
            "{} is not a host with a port; it must be {forms}",
            show(host_port)
        ))
    } else if !host.contains('.') || host.starts_with(['.', '-']) {
        Some(format!("its host {} is not a domain name", show(host)))
    } else if let Some(c) = rest.chars().find(|&c| !ok_char(c)) {
        Some(format!(
            "it contains {}; only letters, digits and - . _ ~ / : @ % + are allowed",
            show(&c.to_string())
        ))
    } else if rest.split('/').any(|s| s == "..") {
        Some("it has a '..' segment".into())
    } else if rest.to_ascii_lowercase().contains("%2e") || rest.to_ascii_lowercase().contains("%2f")
    {
        // `%2e%2e` is `..` to a URL parser (`new URL` resolves it away), `%2f` a `/`.
        Some("it has an encoded '.' or '/' (%2e, %2f)".into())
    } else {
        None
    };
    if let Some(why) = why {
        out.push(problem(
            field,
            FieldCode::InvalidFormat,
            format!("{field} {} is not a repository URL: {why}", show(v)),
        ));
    }
    url
}

/// A path inside the GitOps repository: relative, `/`-separated, no `.` or `..` segment.
fn repo_path(v: &str, out: &mut Vec<FieldError>) {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if v.len() > MAX_TEXT || !v.split('/').all(segment_ok) {
        out.push(problem(
            "path",
            FieldCode::InvalidFormat,
            format!(
                "path {} is not a path inside the repository: it must be relative, '/'-separated parts of letters, digits, '-', '_' and '.', without '.' or '..' parts",
                show(v)
            ),
        ));
    }
}

/// The request's name, once the whole request is valid.
fn valid_name(v: &Validator, request: &Request) -> Result<String> {
    let report = v.validate_request(request);
    match report.registry_id.filter(|_| report.valid) {
        Some(id) => Ok(id),
        None => Err(Error::invalid_request(report.errors)),
    }
}

/// The Argo CD `Application` (named `ecr-<name>`) that syncs the manifests in `opts.path` of
/// `opts.repo_url` to `opts.cluster`, automated with pruning: removing the manifests (the
/// decommission) deletes the repository, and deleting the Application deletes what it synced.
pub fn render_application(
    v: &Validator,
    request: &Request,
    opts: &ApplicationOptions,
) -> Result<Value> {
    let registry_id = valid_name(v, request)?;
    let mut problems = Vec::new();
    let name = entity_name(&request.name);
    kube_name("name", "the Application name", &name, false, &mut problems);
    // A cluster is named as Argo CD and the catalog name it (`gke_proj_zone_x`, `Prod-EU`): a
    // Backstage entity name, which the picker gives and the catalog check looks up; not a
    // Kubernetes object name (the YAML writer quotes what a reader could take for another type).
    if !crate::naming::is_valid_backstage_name(&opts.cluster) {
        problems.push(problem(
            "cluster",
            FieldCode::InvalidFormat,
            format!(
                "cluster {} is not a cluster's name as the catalog has it: {}",
                show(&opts.cluster),
                if opts.cluster.is_empty() {
                    "it is empty".to_string()
                } else if opts.cluster.len() > crate::naming::BACKSTAGE_NAME_MAX {
                    format!(
                        "it is longer than {} characters",
                        crate::naming::BACKSTAGE_NAME_MAX
                    )
                } else {
                    crate::naming::backstage_reason(&opts.cluster)
                }
            ),
        ));
    }
    let namespace = opts.namespace.as_deref().unwrap_or(ARGOCD_NAMESPACE);
    kube_name("namespace", "namespace", namespace, true, &mut problems);
    let project = opts.project.as_deref().unwrap_or("default");
    kube_name("project", "project", project, false, &mut problems);
    let destination = opts
        .destination_namespace
        .as_deref()
        .unwrap_or(DEFAULT_NAMESPACE);
    kube_name(
        "destinationNamespace",
        "destination namespace",
        destination,
        true,
        &mut problems,
    );
    let url = repo_url("repoUrl", &opts.repo_url, true, &mut problems);
    repo_path(&opts.path, &mut problems);
    let revision = opts.target_revision.as_deref().unwrap_or("HEAD");
    if let Some(why) = text_problem(revision).or_else(|| {
        revision
            .contains(char::is_whitespace)
            .then(|| "it contains a space".into())
    }) {
        problems.push(problem(
            "targetRevision",
            FieldCode::InvalidFormat,
            format!("targetRevision {} is not a revision: {why}", show(revision)),
        ));
    }
    let labels = registry_labels(&registry_id).map_err(|e| problems.push(e));
    if !problems.is_empty() {
        return Err(Error::invalid_request(problems));
    }
    Ok(json!({
        "apiVersion": APPLICATION_API_VERSION,
        "kind": "Application",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": labels.unwrap_or_default(),
            "annotations": { ID_ANNOTATION: registry_id },
            "finalizers": [ARGOCD_FINALIZER],
        },
        "spec": {
            "project": project,
            "source": { "repoURL": url, "targetRevision": revision, "path": opts.path },
            "destination": { "name": opts.cluster, "namespace": destination },
            "syncPolicy": { "automated": { "prune": true, "selfHeal": true } },
        }
    }))
}

/// The Backstage `Resource` entity (`ecr-<name>`, type `container-repository`) of a request on
/// the Crossplane path: owner, system, description, region, the application's source and the
/// Argo CD Application, the governance id and risk as the synced entities carry them.
pub fn render_entity(v: &Validator, request: &Request, opts: &EntityOptions) -> Result<Value> {
    let registry_id = valid_name(v, request)?;
    let mut problems = Vec::new();
    problems.extend(crate::crossplane::one_region(request, &opts.region));
    let system = opts.system.as_deref().unwrap_or(DEFAULT_SYSTEM);
    problems.extend(crate::crossplane::system_problem(system));
    let description = match opts.description.as_ref().or(request.description.as_ref()) {
        Some(d) => {
            if request.description.as_ref().is_some_and(|r| r != d) {
                problems.push(problem(
                    "description",
                    FieldCode::InvalidDescription,
                    "the request's description and the one given with it differ; give one".into(),
                ));
            }
            problems.extend(crate::validate::description_problem(d));
            // Backstage renders it as Markdown: it must read as the text it is.
            crate::quote::md_inline(d)
        }
        None => format!("ECR repository {}", request.name),
    };
    let source = opts
        .source_url
        .as_deref()
        .map(|u| repo_url("sourceUrl", u, false, &mut problems));
    if let Some(app) = &opts.argocd_app {
        kube_name(
            "argocdApp",
            "the Application name",
            app,
            false,
            &mut problems,
        );
    }
    if !problems.is_empty() {
        return Err(Error::invalid_request(problems));
    }
    let mut annotations = json!({
        ID_ANNOTATION: registry_id,
        RISK_ANNOTATION: request.risk,
        "platform/aws-region": opts.region,
        "platform/environment": request.environment,
    });
    if let Some(url) = source {
        annotations["backstage.io/source-location"] = json!(format!("url:{url}"));
    }
    if let Some(app) = &opts.argocd_app {
        annotations[ARGOCD_APP_ANNOTATION] = json!(app);
    }
    Ok(json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": entity_name(&request.name),
            "title": request.name,
            "description": description,
            "tags": ["ecr", "crossplane"],
            "annotations": annotations,
        },
        "spec": {
            "type": "container-repository",
            "owner": request.owner,
            "system": system,
        }
    }))
}

/// One document as YAML, read alike by YAML 1.1 and 1.2 readers.
pub fn to_yaml(doc: &Value) -> Result<String> {
    crate::yaml_out::yaml_docs(std::slice::from_ref(doc))
}
