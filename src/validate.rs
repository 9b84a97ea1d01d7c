//! Request validation. Every problem is returned as data (`{field, code, message}`), never thrown;
//! the rules themselves and their reasons are in [`crate::naming`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::naming::{
    self, AWS_INT_MAX, AWS_NAME_MAX, AWS_NAME_MIN, BACKSTAGE_NAME_MAX, ENTITY_PREFIX, Pattern,
    entity_name,
};
use crate::quote::{show, truncate};

/// The problem when the Backstage catalog already has `name`'s entity (`entity_ref`, e.g.
/// `resource:default/ecr-payments-api`, owned by `owner` when known): the wizard and the actions
/// ask the catalog (a network call the core does not make) and report it in the core's words.
pub fn already_requested(name: &str, entity_ref: &str, owner: Option<&str>) -> FieldError {
    let owned = owner.map_or(String::new(), |o| format!(", owned by {}", show(o)));
    FieldError::new(
        "name",
        FieldCode::AlreadyRequested,
        format!(
            "{} is already requested: the Backstage catalog has {}{owned}; choose another name, or change that registry with the ecr-update template",
            show(name),
            show(entity_ref)
        ),
    )
}

/// A registry request, as the wizard, the scaffolder action and the CLI send it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    /// The repository name, e.g. `payments-api`.
    pub name: String,
    #[serde(default)]
    /// The owning team.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Who asked for it.
    pub requester: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The domain of the registry.
    pub domain: Option<String>,
    #[serde(default)]
    /// The environment: a directory under `envs/`.
    pub environment: String,
    #[serde(default)]
    /// The risk tier (`low`, `medium`, `high` by default).
    pub risk: String,
    /// An explicit governance id; derived from the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the repository is for: one line of text, at most 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The AWS region, e.g. `eu-west-2`; the config's `defaultRegion` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The verdict on a request: the same shape in Rust, JavaScript and the CLI's JSON.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    /// No problems.
    pub valid: bool,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    /// The governance id: the explicit one when valid, else derived from a valid name.
    pub registry_id: Option<String>,
    /// Every problem of every field.
    pub errors: Vec<FieldError>,
}

codes! {
    /// The fields `validate_field` knows: a request's, and `retention` (a custom "keep the last N
    /// images" count for the lifecycle policy).
    FieldName {
        /// The repository name.
        Name = "name",
        /// The owning team.
        Owner = "owner",
        /// Who asked for the registry.
        Requester = "requester",
        /// The domain of the registry.
        Domain = "domain",
        /// The environment: a directory under `envs/`.
        Environment = "environment",
        /// The risk tier.
        Risk = "risk",
        /// An explicit governance id.
        Id = "id",
        /// A custom "keep the last N images" count.
        Retention = "retention",
        /// What the repository is for.
        Description = "description",
        /// The AWS region.
        Region = "region",
    }
}

/// The longest description taken: an AWS tag value's limit, so a module may tag with it.
pub const DESCRIPTION_MAX: usize = 256;

/// Why `value` is not a description: one line of text, not blank, at most [`DESCRIPTION_MAX`]
/// characters, nothing hidden (a line break, a tab, an escape, a bidirectional control; an emoji's
/// presentation selector right after a visible character is not hidden), and in Unicode NFC, the
/// form Terraform turns every string into: other text would reach AWS as another description than
/// the catalog's, and can grow past the limit there (U+0958 is two characters in NFC).
pub fn description_problem(value: &str) -> Option<FieldError> {
    let n = value.chars().count();
    let why = if value.chars().all(crate::quote::is_blank_looking) {
        "the description is empty; leave it out or say what the repository holds".to_string()
    } else if n > DESCRIPTION_MAX {
        format!("the description is {n} characters long; at most {DESCRIPTION_MAX} are taken")
    } else if let Some(c) = first_hidden(value) {
        format!(
            "the description must be one line of visible text; it contains U+{:04X} (a line break, control or invisible character)",
            c as u32
        )
    } else if let Some(c) = value.chars().find(|&c| crate::nfc::may_change(c)) {
        format!(
            "the description has U+{:04X}, which Terraform may rewrite (it normalises text to Unicode NFC); leave it out (an accented letter typed as one character, such as \"é\", is fine)",
            c as u32
        )
    } else {
        return None;
    };
    Some(FieldError::new(
        "description",
        FieldCode::InvalidDescription,
        why,
    ))
}

/// The first hidden character of a description; a variation selector (U+FE0E text, U+FE0F emoji
/// presentation) right after a visible character belongs to it and is not hidden.
fn first_hidden(value: &str) -> Option<char> {
    let mut prev_visible = false;
    for c in value.chars() {
        let selector = matches!(c, '\u{fe0e}' | '\u{fe0f}');
        if crate::quote::is_hidden(c) && !(selector && prev_visible) {
            return Some(c);
        }
        // A character drawn blank (U+2800 …) carries no selector either (a check of 02fdf12:
        // "\u{2800}\u{fe0f}" passed as text).
        prev_visible = !selector && !crate::quote::is_blank_looking(c);
    }
    None
}

/// Why `value` is not an AWS region name.
pub fn region_problem(value: &str) -> Option<FieldError> {
    (!naming::is_region(value)).then(|| {
        FieldError::new(
            "region",
            FieldCode::InvalidRegion,
            naming::not_a_region(&format!("region {}", show(&truncate(value, 40)))),
        )
    })
}

/// A custom "keep the last N images" count: what the lifecycle policy's `countNumber` accepts.
fn check_retention(value: &str, out: &mut Vec<FieldError>) {
    let max = AWS_INT_MAX;
    let ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && value.parse::<u64>().is_ok_and(|n| (1..=max).contains(&n));
    if !ok {
        out.push(FieldError::new(
            "retention",
            FieldCode::InvalidRetention,
            format!(
                "retention {} must be a whole number of images from 1 to {max} (the lifecycle policy's countNumber)",
                show(&truncate(value, 24))
            ),
        ));
    }
}

impl Request {
    /// The request a catalog entry records: its name and its `metadata` fields (`get`), as the
    /// guard checks an entry and a day-2 request starts from one.
    pub fn recorded(name: &str, get: impl Fn(&str) -> Option<String>) -> Request {
        use crate::registry::field;
        Request {
            name: name.to_string(),
            owner: get(field::OWNER).unwrap_or_default(),
            requester: get(field::REQUESTED_BY),
            domain: get(field::DOMAIN),
            environment: get(field::ENVIRONMENT).unwrap_or_default(),
            risk: get(field::RISK).unwrap_or_default(),
            id: get(field::ID),
            description: get(field::DESCRIPTION),
            region: get(field::REGION),
        }
    }
}

/// Where a request's edits go, inside the platform repository.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestPaths {
    /// The governance catalog (`catalogPath`).
    pub catalog: String,
    /// The environment's tfvars (`tfvarsPath` with the environment).
    pub tfvars: String,
}

/// A validator compiled from a config: build once, validate many times.
#[derive(Debug, Clone)]
pub struct Validator {
    config: Config,
    name_re: Pattern,
    value_re: Pattern,
}

impl Validator {
    /// Check the config and compile its patterns.
    pub fn new(config: &Config) -> Result<Validator> {
        config.check()?;
        let compile = |p: &str, key: &str| {
            Pattern::new(p).map_err(|e| {
                Error::new(
                    e.code(),
                    format!("config: `{key}` is not a valid regular expression: {e}"),
                )
            })
        };
        Ok(Validator {
            name_re: compile(&config.name_pattern, "namePattern")?,
            value_re: compile(&config.value_pattern, "valuePattern")?,
            config: config.clone(),
        })
    }

    /// The config this validator checks against.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The files a request for `environment` edits. Only a configured environment has paths: the
    /// environment becomes a directory name, so anything else is an `invalid_request` error.
    pub fn paths(&self, environment: &str) -> Result<RequestPaths> {
        let mut problems = Vec::new();
        self.check_environment(environment, &mut problems);
        if !problems.is_empty() {
            return Err(Error::invalid_request(problems));
        }
        Ok(RequestPaths {
            catalog: self.config.catalog_path.clone(),
            tfvars: self.config.tfvars_path_for(environment),
        })
    }

    /// The region a request records: its own, else the config's `defaultRegion`, else none.
    pub fn region_of(&self, request: &Request) -> Option<String> {
        request
            .region
            .clone()
            .or_else(|| self.config.default_region.clone())
    }

    /// The governance id derived from a name: `REGISTRY_` + the name in UPPER_SNAKE case.
    pub fn registry_id(&self, name: &str) -> String {
        naming::registry_id(&self.config.id_prefix, name)
    }

    fn id_is_valid(&self, id: &str) -> bool {
        id.len() > self.config.id_prefix.len()
            && id.starts_with(&self.config.id_prefix)
            && id[self.config.id_prefix.len()..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    }

    /// Check one field. Unknown field names are reported as an error too.
    pub fn validate_field(&self, field: &str, value: &str) -> Vec<FieldError> {
        let mut out = Vec::new();
        match field {
            "name" => self.check_name(value, &mut out),
            "owner" => self.check_listed("owner", value, &self.config.owners, true, &mut out),
            "requester" => {
                self.check_listed("requester", value, &self.config.requesters, false, &mut out)
            }
            "domain" => self.check_listed("domain", value, &self.config.domains, false, &mut out),
            "environment" => self.check_environment(value, &mut out),
            "risk" => self.check_risk(value, &mut out),
            "id" => self.check_id(value, &mut out),
            "retention" => check_retention(value, &mut out),
            "description" => out.extend(description_problem(value)),
            "region" => out.extend(region_problem(value)),
            other => out.push(FieldError::new(
                other,
                FieldCode::UnknownField,
                format!(
                    "unknown field {}; known fields are {}",
                    show(other),
                    FieldName::ALL
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
        out
    }

    /// Check a whole request; every problem of every field is returned.
    pub fn validate_request(&self, req: &Request) -> ValidationReport {
        let mut errors = Vec::new();
        self.check_name(&req.name, &mut errors);
        self.check_listed("owner", &req.owner, &self.config.owners, true, &mut errors);
        if let Some(r) = &req.requester {
            self.check_listed("requester", r, &self.config.requesters, false, &mut errors);
        }
        if let Some(d) = &req.domain {
            self.check_listed("domain", d, &self.config.domains, false, &mut errors);
        }
        self.check_environment(&req.environment, &mut errors);
        self.check_risk(&req.risk, &mut errors);
        if let Some(id) = &req.id {
            self.check_id(id, &mut errors);
        }
        errors.extend(req.description.as_deref().and_then(description_problem));
        errors.extend(req.region.as_deref().and_then(region_problem));
        let registry_id = match &req.id {
            Some(id) if self.id_is_valid(id) => Some(id.clone()),
            Some(_) => None,
            None if !errors.iter().any(|e| e.field == "name") => Some(self.registry_id(&req.name)),
            None => None,
        };
        ValidationReport {
            valid: errors.is_empty(),
            registry_id,
            errors,
        }
    }

    /// Check only the fields given (the name always), as `(field, value)` pairs. The registry id is
    /// the explicit `id` when given and valid, else derived from a valid name.
    pub fn validate_fields(&self, name: &str, fields: &[(&str, &str)]) -> ValidationReport {
        let mut errors = self.validate_field("name", name);
        let name_ok = errors.is_empty();
        for (field, value) in fields {
            errors.extend(self.validate_field(field, value));
        }
        let explicit = fields.iter().find(|(f, _)| *f == "id").map(|(_, v)| *v);
        let registry_id = match explicit {
            Some(id) if self.id_is_valid(id) => Some(id.to_string()),
            Some(_) => None,
            None if name_ok => Some(self.registry_id(name)),
            None => None,
        };
        ValidationReport {
            valid: errors.is_empty(),
            registry_id,
            errors,
        }
    }

    fn check_name(&self, name: &str, out: &mut Vec<FieldError>) {
        if name.is_empty() {
            out.push(FieldError::new(
                "name",
                FieldCode::Required,
                "a repository name is required".into(),
            ));
            return;
        }
        // Far over AWS's length, the length is all there is to say: the other rules would each
        // walk the whole value (a name of 64 MiB took a second in WebAssembly: the hostile suite's
        // F9), and every one of them says no to it anyway.
        let huge = name.len() > crate::limits::MAX_MATCHED_VALUE_BYTES;
        if !huge && !self.name_re.is_match(name) {
            let why = naming::platform_reason(name, &self.config.name_pattern)
                .map_or_else(String::new, |r| format!(": {r}"));
            out.push(FieldError::new(
                "name",
                FieldCode::NamePlatformPattern,
                format!(
                    "{} does not follow the platform naming rule {}{why}",
                    show(name),
                    self.config.name_pattern
                ),
            ));
        }
        let len = name.chars().count();
        if !(AWS_NAME_MIN..=AWS_NAME_MAX).contains(&len) {
            out.push(FieldError::new(
                "name",
                FieldCode::NameAwsLength,
                format!(
                    "{} is {len} character{} long; AWS ECR repository names must be {AWS_NAME_MIN} to {AWS_NAME_MAX} characters",
                    show(&truncate(name, 40)),
                    if len == 1 { "" } else { "s" }
                ),
            ));
        }
        if huge {
            return;
        }
        if !naming::matches_aws_pattern(name) {
            out.push(FieldError::new(
                "name",
                FieldCode::NameAwsPattern,
                format!(
                    "{} would be rejected by AWS ECR: {}",
                    show(&truncate(name, 40)),
                    naming::aws_reason(name)
                ),
            ));
        }
        // The governance catalog's keys are the names, and YAML 1.1 readers (PyYAML, kubectl)
        // read `yes` and `true` as one key: a second request would make the catalog unreadable.
        // The request's branch is `registry/create-<name>`: git refuses a ref any part of which
        // ends in `.lock` (AWS's pattern rules out every other ref rule a name could break).
        if name.split('/').any(|part| part.ends_with(".lock")) {
            out.push(FieldError::new(
                "name",
                FieldCode::NameGitRef,
                format!(
                    "{} would make the request's branch an invalid git ref: a part of it ends in .lock",
                    show(name)
                ),
            ));
        }
        // (Names are lower case by AWS's rule; `y`, `n` and `~` are too short or not allowed.)
        if matches!(
            name,
            "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        ) {
            out.push(FieldError::new(
                "name",
                FieldCode::NameYamlWord,
                format!(
                    "{} is a boolean or null to YAML 1.1 readers (one catalog key with its kind)",
                    show(name)
                ),
            ));
        }
        let entity = entity_name(name);
        let elen = entity.chars().count();
        if elen > BACKSTAGE_NAME_MAX {
            out.push(FieldError::new(
                "name",
                FieldCode::NameBackstageLength,
                format!(
                    "the Backstage entity name {ENTITY_PREFIX}<name> would be {elen} characters; Backstage allows at most {BACKSTAGE_NAME_MAX}, so the name may have at most {} characters",
                    BACKSTAGE_NAME_MAX - ENTITY_PREFIX.len()
                ),
            ));
        }
        if !naming::matches_backstage_pattern(&entity) {
            out.push(FieldError::new(
                "name",
                FieldCode::NameBackstagePattern,
                format!(
                    "the Backstage entity name {} would be invalid: {}",
                    show(&truncate(&entity, 44)),
                    naming::backstage_reason(&entity)
                ),
            ));
        }
    }

    fn check_listed(
        &self,
        field: &str,
        value: &str,
        allowed: &[String],
        required: bool,
        out: &mut Vec<FieldError>,
    ) {
        if value.is_empty() {
            if required {
                out.push(FieldError::new(
                    field,
                    FieldCode::Required,
                    format!("{field} is required"),
                ));
            } else {
                out.push(FieldError::new(
                    field,
                    FieldCode::InvalidFormat,
                    format!("{field} is empty; leave it out or give a value"),
                ));
            }
            return;
        }
        if !allowed.is_empty() {
            if !allowed.iter().any(|a| a == value) {
                out.push(FieldError::new(
                    field,
                    FieldCode::NotAllowed,
                    format!(
                        "{field} {} is not one of the platform's {field}s: {}",
                        show(&truncate(value, 64)),
                        allowed.join(", ")
                    ),
                ));
            }
        } else if !self.value_re.is_match(value) {
            out.push(FieldError::new(
                field,
                FieldCode::InvalidFormat,
                format!(
                    "{field} {} must match {} (lowercase letters, digits and '-')",
                    show(&truncate(value, 64)),
                    self.config.value_pattern
                ),
            ));
        }
    }

    fn check_environment(&self, value: &str, out: &mut Vec<FieldError>) {
        if value.is_empty() {
            out.push(FieldError::new(
                "environment",
                FieldCode::Required,
                "environment is required".into(),
            ));
        } else if !self.config.environments.iter().any(|e| e == value) {
            out.push(FieldError::new(
                "environment",
                FieldCode::UnknownEnvironment,
                format!(
                    "environment {} is not one of the platform's environments: {}",
                    show(&truncate(value, 64)),
                    self.config.environments.join(", ")
                ),
            ));
        }
    }

    fn check_risk(&self, value: &str, out: &mut Vec<FieldError>) {
        if value.is_empty() {
            out.push(FieldError::new(
                "risk",
                FieldCode::Required,
                "risk is required".into(),
            ));
        } else if !self.config.risk_tiers.contains_key(value) {
            out.push(FieldError::new(
                "risk",
                FieldCode::UnknownRisk,
                format!(
                    "risk {} is not one of the platform's risk tiers: {}",
                    show(&truncate(value, 64)),
                    self.config.risk_names().join(", ")
                ),
            ));
        }
    }

    fn check_id(&self, value: &str, out: &mut Vec<FieldError>) {
        if !self.id_is_valid(value) {
            out.push(FieldError::new(
                "id",
                FieldCode::IdPattern,
                format!(
                    "id {} must match ^{}[A-Z0-9_]+$ (the prefix, then upper-case letters, digits and '_')",
                    show(&truncate(value, 64)),
                    self.config.id_prefix
                ),
            ));
        }
    }
}

/// Validate with a config (compiles the config's patterns; use [`Validator`] to validate often).
pub fn validate_request(req: &Request, config: &Config) -> Result<ValidationReport> {
    Ok(Validator::new(config)?.validate_request(req))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::naming::registry_id;

    fn v() -> Validator {
        Validator::new(&Config::default()).unwrap()
    }

    #[test]
    fn already_requested_names_the_entity_and_owner_in_quotes() {
        let e = already_requested(
            "payments-api",
            "resource:default/ecr-payments-api",
            Some("group:default/app-team"),
        );
        assert_eq!(
            (e.field.as_str(), e.code),
            ("name", FieldCode::AlreadyRequested)
        );
        assert_eq!(
            e.message,
            "\"payments-api\" is already requested: the Backstage catalog has \"resource:default/ecr-payments-api\", owned by \"group:default/app-team\"; choose another name, or change that registry with the ecr-update template"
        );
        // Whatever the catalog answers is shown quoted, on one line.
        let odd = already_requested("x", "resource:default/a\"\nb", None);
        assert!(
            !odd.message.contains('\n') && odd.message.contains(r#""resource:default/a\"\nb""#),
            "{}",
            odd.message
        );
    }

    fn req(name: &str) -> Request {
        Request {
            name: name.into(),
            owner: "platform-team".into(),
            requester: Some("daniel-deans".into()),
            domain: Some("delivery".into()),
            environment: "dev".into(),
            risk: "low".into(),
            id: None,
            description: None,
            region: None,
        }
    }

    fn codes_of(name: &str) -> Vec<String> {
        v().validate_field("name", name)
            .into_iter()
            .map(|e| e.code.as_str().to_string())
            .collect()
    }

    #[test]
    fn good_request() {
        let r = v().validate_request(&req("payments-api"));
        assert!(r.valid, "{r:?}");
        assert_eq!(r.registry_id.as_deref(), Some("REGISTRY_PAYMENTS_API"));
    }

    #[test]
    fn trailing_dash_is_what_aws_rejects() {
        assert_eq!(
            codes_of("abc-"),
            ["name_aws_pattern", "name_backstage_pattern"]
        );
        let msg = &v().validate_field("name", "abc-")[0].message;
        assert!(msg.contains("ends with '-'"), "{msg}");
    }

    #[test]
    fn layers_report_separately() {
        assert_eq!(codes_of("a"), ["name_aws_length"]);
        assert_eq!(
            codes_of("Abc"),
            ["name_platform_pattern", "name_aws_pattern"]
        );
        assert_eq!(codes_of("a--b"), Vec::<String>::new());
        assert_eq!(codes_of("a_b"), ["name_platform_pattern"]);
        assert_eq!(
            codes_of("team/app"),
            ["name_platform_pattern", "name_backstage_pattern"]
        );
        let long = "a".repeat(60);
        assert_eq!(codes_of(&long), ["name_backstage_length"]);
        let huge = "a".repeat(300);
        assert_eq!(
            codes_of(&huge),
            ["name_aws_length", "name_backstage_length"]
        );
        assert_eq!(codes_of(""), ["required"]);
    }

    #[test]
    fn every_problem_is_listed() {
        let r = v().validate_request(&Request {
            name: "Bad Name".into(),
            owner: "nobody".into(),
            requester: Some("Dan".into()),
            domain: Some("x".into()),
            environment: "../x".into(),
            risk: "extreme".into(),
            id: Some("registry_x".into()),
            description: Some("two\nlines".into()),
            region: Some("mars-west-1".into()),
        });
        assert!(!r.valid);
        let fields: Vec<_> = r.errors.iter().map(|e| e.field.as_str()).collect();
        // `retention` is checked on its own (the wizard's custom count), not part of a request.
        for f in FieldName::ALL
            .iter()
            .map(|f| f.as_str())
            .filter(|f| *f != "retention")
        {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        assert_eq!(r.registry_id, None);
    }

    #[test]
    fn descriptions_are_one_line_of_visible_text_within_an_aws_tag_value() {
        let codes = |d: &str| -> Vec<String> {
            let mut r = req("payments");
            r.description = Some(d.into());
            let by_field = v().validate_field("description", d);
            let in_request = v().validate_request(&r).errors;
            assert_eq!(by_field, in_request, "one verdict for {d:?}");
            by_field
                .into_iter()
                .map(|e| e.code.as_str().to_string())
                .collect()
        };
        for ok in [
            "Docker images for my application",
            "Payments team's API, v2 (\"blue\") — images",
            "${var.secret} %{ if x } ` | <b>",
            &"x".repeat(DESCRIPTION_MAX),
            &"é".repeat(DESCRIPTION_MAX),
            // Braille with its word space (U+2800), as the fourth issue-23 check wrote it.
            "\u{2813}\u{2811}\u{2807}\u{2807}\u{2815}\u{2800}\u{283a}\u{2815}\u{2817}\u{2807}\u{2819}",
        ] {
            assert!(codes(ok).is_empty(), "{ok:?}");
        }
        for bad in [
            "",
            "   ",
            "two\nlines",
            "a\u{2028}b",
            "a\u{202e}b",
            "esc\u{1b}[31m",
            "tab\there",
            "zero\u{200b}width",
            // Drawn blank (the third issue-23 check): braille blank, object replacement, null
            // notehead, alone or with spaces; inside text they are characters (below).
            "\u{2800}\u{2800}\u{2800}",
            "\u{fffc}",
            " \u{1d159} ",
            "\u{2800}\u{fe0f}",
            "\u{fffc}\u{fe0e}",
            " \u{2800}\u{fe0f} \u{2800}\u{fe0f} ",
            &"x".repeat(DESCRIPTION_MAX + 1),
        ] {
            assert_eq!(codes(bad), ["invalid_description"], "{bad:?}");
        }
        let long = v().validate_field("description", &"x".repeat(100_000));
        assert!(long[0].message.len() < 200, "{}", long[0].message);
        // A name far over AWS's length gets that error alone (no rule walks 2 MB).
        let huge = v().validate_field("name", &"payments-".repeat(250_000));
        assert_eq!(huge.len(), 1, "{huge:?}");
        assert_eq!(huge[0].code.as_str(), "name_aws_length");
        assert!(huge[0].message.len() < 200, "{}", huge[0].message);
        let hidden = v().validate_field("description", "a\u{202e}b");
        assert!(
            hidden[0].message.contains("U+202E"),
            "{}",
            hidden[0].message
        );
    }

    #[test]
    fn regions_are_aws_region_names() {
        for ok in [
            "eu-west-2",
            "us-east-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "ap-southeast-7",
            "mx-central-1",
            "il-central-1",
            "us-iso-east-1",
        ] {
            assert!(v().validate_field("region", ok).is_empty(), "{ok}");
        }
        for bad in [
            "",
            "mars-west-1",
            "eu-west",
            "eu-west-01",
            "eu-west-0",
            "eu-west-123",
            "EU-WEST-2",
            "eu-upward-1",
            "eu-gov-foo-west-1",
            "eu-west-2 ",
            "eu-west-2\n",
            "us-foo-west-1",
        ] {
            let e = v().validate_field("region", bad);
            assert_eq!(e.len(), 1, "{bad:?}");
            assert_eq!(e[0].code, "invalid_region", "{bad:?}");
        }
    }

    #[test]
    fn the_region_defaults_from_the_config() {
        let mut config = Config::default();
        let plain = Validator::new(&config).unwrap();
        assert_eq!(plain.region_of(&req("a")), None);
        config.default_region = Some("eu-west-2".into());
        let v = Validator::new(&config).unwrap();
        assert_eq!(v.region_of(&req("a")).as_deref(), Some("eu-west-2"));
        let mut r = req("a");
        r.region = Some("us-east-1".into());
        assert_eq!(v.region_of(&r).as_deref(), Some("us-east-1"));
        config.default_region = Some("mars-west-1".into());
        let e = Validator::new(&config).unwrap_err();
        assert!(e.message.contains("defaultRegion"), "{}", e.message);
        assert!(
            !e.message.contains("mars"),
            "no value echoed: {}",
            e.message
        );
    }

    #[test]
    fn explicit_id() {
        let mut r = req("payments");
        r.id = Some("REGISTRY_PAY_1".into());
        assert_eq!(
            v().validate_request(&r).registry_id.as_deref(),
            Some("REGISTRY_PAY_1")
        );
        r.id = Some("REGISTRY_".into());
        assert!(!v().validate_request(&r).valid);
    }

    #[test]
    fn hostile_values_are_shown_escaped() {
        let e = v().validate_field("owner", "a\"\nb");
        assert_eq!(e[0].code, "not_allowed");
        assert!(e[0].message.contains("\"a\\\"\\nb\""), "{}", e[0].message);
        let e = v().validate_field("name", "pаyments");
        assert!(e[0].message.contains("U+0430"), "{}", e[0].message);
    }

    #[test]
    fn paths_only_for_configured_environments() {
        let p = v().paths("prod").unwrap();
        assert_eq!(p.tfvars, "envs/prod/terraform.tfvars");
        assert_eq!(p.catalog, Config::default().catalog_path);
        let e = v().paths("../../etc").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert_eq!(e.errors[0].code, FieldCode::UnknownEnvironment);
    }

    #[test]
    fn registry_ids() {
        assert_eq!(
            registry_id("REGISTRY_", "new-wp-reg2"),
            "REGISTRY_NEW_WP_REG2"
        );
        assert_eq!(registry_id("REGISTRY_", "a.b/c__d"), "REGISTRY_A_B_C__D");
    }
}
