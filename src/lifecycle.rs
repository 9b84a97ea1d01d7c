//! ECR lifecycle policies: render the platform's "keep the last N images" policy, and validate any
//! policy document against the parameters AWS documents (Amazon ECR User Guide, "Lifecycle policy
//! properties", and the service model's 100–30,720 character bounds) before AWS evaluates it.
//!
//! Validation is data: every problem is a `{path, code, message}` with a stable code; a text that
//! is not JSON at all is one such problem, not an error.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::error::{Error, ErrorCode, Result};

/// Bounds of `lifecyclePolicyText` in the ECR service model.
pub const TEXT_MIN: usize = 100;
pub const TEXT_MAX: usize = 30_720;
/// Largest `rulePriority` / `countNumber`: the API's integers are 32-bit.
pub const INT_MAX: u64 = i32::MAX as u64;
/// At most this many `*` wildcards in one `tagPatternList` entry.
pub const MAX_WILDCARDS: usize = 4;

pub const TAG_STATUSES: &[&str] = &["tagged", "untagged", "any"];
pub const COUNT_TYPES: &[&str] = &[
    "imageCountMoreThan",
    "sinceImagePushed",
    "sinceImagePulled",
    "sinceImageTransitioned",
];
pub const STORAGE_CLASSES: &[&str] = &["standard", "archive"];
pub const ACTION_TYPES: &[&str] = &["expire", "transition"];

/// Stable codes of the lifecycle validator.
pub mod codes {
    pub const INVALID_JSON: &str = "invalid_json";
    pub const TEXT_LENGTH: &str = "text_length";
    pub const WRONG_TYPE: &str = "wrong_type";
    pub const REQUIRED: &str = "required";
    pub const UNKNOWN_KEY: &str = "unknown_key";
    pub const EMPTY_RULES: &str = "empty_rules";
    pub const NOT_POSITIVE_INTEGER: &str = "not_positive_integer";
    pub const DUPLICATE_PRIORITY: &str = "duplicate_priority";
    pub const ANY_NOT_LAST: &str = "any_not_last";
    pub const INVALID_VALUE: &str = "invalid_value";
    pub const TAG_LIST_REQUIRED: &str = "tag_list_required";
    pub const TAG_LIST_NOT_ALLOWED: &str = "tag_list_not_allowed";
    pub const TOO_MANY_WILDCARDS: &str = "too_many_wildcards";
    pub const COUNT_UNIT_REQUIRED: &str = "count_unit_required";
    pub const COUNT_UNIT_NOT_ALLOWED: &str = "count_unit_not_allowed";
    pub const STORAGE_CLASS_MISMATCH: &str = "storage_class_mismatch";
    pub const TARGET_STORAGE_CLASS: &str = "target_storage_class";
}

/// One problem in a policy; `path` is like `rules[1].selection.countUnit` (empty: the document).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyProblem {
    pub path: String,
    pub code: String,
    pub message: String,
}

/// The verdict on a policy document.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReport {
    pub valid: bool,
    pub problems: Vec<PolicyProblem>,
}

/// What to render: keep the last `keep` images, and optionally expire untagged images earlier.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleOptions {
    pub keep: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_untagged_days: Option<u32>,
}

fn positive(what: &str, n: u32) -> Result<()> {
    if n == 0 || u64::from(n) > INT_MAX {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("{what} must be between 1 and {INT_MAX}, got {n}"),
        ));
    }
    Ok(())
}

/// The policy as a JSON value (see [`render_policy`]).
pub fn policy_value(opts: &LifecycleOptions) -> Result<Value> {
    positive("the number of images to keep", opts.keep)?;
    let mut rules = Vec::new();
    if let Some(days) = opts.expire_untagged_days {
        positive("the days after which untagged images expire", days)?;
        rules.push(json!({
            "rulePriority": 1,
            "description": format!("Expire untagged images after {days} day{}", if days == 1 { "" } else { "s" }),
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": days
            },
            "action": { "type": "expire" }
        }));
    }
    // The `any` rule must have the highest priority, so it comes last.
    rules.push(json!({
        "rulePriority": rules.len() + 1,
        "description": format!("Keep last {} images", opts.keep),
        "selection": {
            "tagStatus": "any",
            "countType": "imageCountMoreThan",
            "countNumber": opts.keep
        },
        "action": { "type": "expire" }
    }));
    Ok(json!({ "rules": rules }))
}

/// The policy text AWS and Crossplane take (pretty JSON, newline-terminated). It always passes
/// [`validate_policy`]; zero counts are an `invalid_argument` error.
pub fn render_policy(opts: &LifecycleOptions) -> Result<String> {
    let value = policy_value(opts)?;
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::new(ErrorCode::VerificationFailed, format!("internal: {e}")))?;
    text.push('\n');
    Ok(text)
}

struct Checker {
    problems: Vec<PolicyProblem>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn one_of(list: &[&str]) -> String {
    list.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Checker {
    fn add(&mut self, path: &str, code: &str, message: String) {
        self.problems.push(PolicyProblem {
            path: path.to_string(),
            code: code.to_string(),
            message,
        });
    }

    fn object<'a>(
        &mut self,
        path: &str,
        v: &'a Value,
        what: &str,
    ) -> Option<&'a Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.add(
                    path,
                    codes::WRONG_TYPE,
                    format!("{what} must be a JSON object, not {}", type_name(other)),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, path: &str, m: &Map<String, Value>, known: &[&str]) {
        for key in m.keys().filter(|k| !known.contains(&k.as_str())) {
            self.add(
                &join(path, key),
                codes::UNKNOWN_KEY,
                format!(
                    "unknown key {}; AWS accepts only {} here",
                    crate::text::show(key),
                    known.join(", ")
                ),
            );
        }
    }

    /// A positive 32-bit integer, or a problem.
    fn positive_int(&mut self, path: &str, v: &Value, what: &str) -> Option<u64> {
        match v.as_u64().filter(|n| (1..=INT_MAX).contains(n)) {
            Some(n) => Some(n),
            None => {
                let shown = match v {
                    Value::Number(n) => n.to_string(),
                    other => type_name(other).to_string(),
                };
                self.add(
                    path,
                    codes::NOT_POSITIVE_INTEGER,
                    format!("{what} must be a whole number from 1 to {INT_MAX}, not {shown}"),
                );
                None
            }
        }
    }

    fn string<'a>(&mut self, path: &str, v: &'a Value, what: &str) -> Option<&'a str> {
        match v {
            Value::String(s) => Some(s),
            other => {
                self.add(
                    path,
                    codes::WRONG_TYPE,
                    format!("{what} must be a string, not {}", type_name(other)),
                );
                None
            }
        }
    }

    fn enumerated<'a>(
        &mut self,
        path: &str,
        v: &'a Value,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'a str> {
        let s = self.string(path, v, what)?;
        if allowed.contains(&s) {
            Some(s)
        } else {
            self.add(
                path,
                codes::INVALID_VALUE,
                format!(
                    "{what} {} is not one of {}",
                    crate::text::show(s),
                    one_of(allowed)
                ),
            );
            None
        }
    }

    /// A required key whose value is one of `allowed`.
    fn required_enum<'a>(
        &mut self,
        path: &str,
        map: &'a Map<String, Value>,
        key: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'a str> {
        let at = join(path, key);
        match map.get(key) {
            Some(v) => self.enumerated(&at, v, what, allowed),
            None => {
                self.add(
                    &at,
                    codes::REQUIRED,
                    format!("{what} is required: one of {}", one_of(allowed)),
                );
                None
            }
        }
    }

    fn tag_list(&mut self, path: &str, v: &Value, patterns: bool) {
        let Value::Array(items) = v else {
            self.add(
                path,
                codes::WRONG_TYPE,
                format!("must be a list of strings, not {}", type_name(v)),
            );
            return;
        };
        if items.is_empty() {
            self.add(path, codes::REQUIRED, "must list at least one tag".into());
        }
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(s) = self.string(&p, item, "each entry") else {
                continue;
            };
            if s.is_empty() {
                self.add(
                    &p,
                    codes::INVALID_VALUE,
                    "a tag entry must not be empty".into(),
                );
            }
            let stars = s.matches('*').count();
            if patterns && stars > MAX_WILDCARDS {
                self.add(
                    &p,
                    codes::TOO_MANY_WILDCARDS,
                    format!(
                        "the pattern {} has {stars} '*' wildcards; AWS allows at most {MAX_WILDCARDS}",
                        crate::text::show(s)
                    ),
                );
            }
        }
    }

    fn rule(&mut self, path: &str, rule: &Map<String, Value>) -> (Option<u64>, Option<String>) {
        self.unknown_keys(
            path,
            rule,
            &["rulePriority", "description", "selection", "action"],
        );
        let priority = match rule.get("rulePriority") {
            Some(v) => self.positive_int(&join(path, "rulePriority"), v, "rulePriority"),
            None => {
                self.add(
                    &join(path, "rulePriority"),
                    codes::REQUIRED,
                    "rulePriority is required".into(),
                );
                None
            }
        };
        if let Some(d) = rule.get("description") {
            self.string(&join(path, "description"), d, "description");
        }
        let mut tag_status = None;
        let mut count_type = None;
        match rule.get("selection") {
            Some(v) => {
                let sp = join(path, "selection");
                if let Some(sel) = self.object(&sp, v, "selection") {
                    (tag_status, count_type) = self.selection(&sp, sel);
                }
            }
            None => self.add(
                &join(path, "selection"),
                codes::REQUIRED,
                "selection is required".into(),
            ),
        }
        match rule.get("action") {
            Some(v) => {
                let ap = join(path, "action");
                if let Some(action) = self.object(&ap, v, "action") {
                    self.action(&ap, action, count_type.as_deref());
                }
            }
            None => self.add(
                &join(path, "action"),
                codes::REQUIRED,
                "action is required".into(),
            ),
        }
        (priority, tag_status)
    }

    fn selection(
        &mut self,
        path: &str,
        sel: &Map<String, Value>,
    ) -> (Option<String>, Option<String>) {
        self.unknown_keys(
            path,
            sel,
            &[
                "tagStatus",
                "tagPatternList",
                "tagPrefixList",
                "storageClass",
                "countType",
                "countUnit",
                "countNumber",
            ],
        );
        let tag_status = self.required_enum(path, sel, "tagStatus", "tagStatus", TAG_STATUSES);
        for (key, patterns) in [("tagPatternList", true), ("tagPrefixList", false)] {
            if let Some(v) = sel.get(key) {
                self.tag_list(&join(path, key), v, patterns);
            }
        }
        let has_list = sel.contains_key("tagPatternList") || sel.contains_key("tagPrefixList");
        match tag_status {
            Some("tagged") if !has_list => self.add(
                &join(path, "tagStatus"),
                codes::TAG_LIST_REQUIRED,
                "tagStatus \"tagged\" needs a tagPatternList or a tagPrefixList".into(),
            ),
            Some(s @ ("untagged" | "any")) if has_list => {
                for key in ["tagPatternList", "tagPrefixList"]
                    .into_iter()
                    .filter(|k| sel.contains_key(*k))
                {
                    self.add(
                        &join(path, key),
                        codes::TAG_LIST_NOT_ALLOWED,
                        format!("{key} is only allowed with tagStatus \"tagged\", not \"{s}\""),
                    );
                }
            }
            _ => {}
        }
        let count_type = self.required_enum(path, sel, "countType", "countType", COUNT_TYPES);
        let by_age = count_type.is_some_and(|t| t.starts_with("since"));
        match (sel.get("countUnit"), count_type) {
            (Some(v), _) => {
                let up = join(path, "countUnit");
                if let Some(unit) = self.string(&up, v, "countUnit") {
                    if unit != "days" {
                        self.add(
                            &up,
                            codes::INVALID_VALUE,
                            format!(
                                "countUnit {} is not supported; the only unit is \"days\"",
                                crate::text::show(unit)
                            ),
                        );
                    } else if count_type == Some("imageCountMoreThan") {
                        self.add(&up, codes::COUNT_UNIT_NOT_ALLOWED, "countUnit is only allowed with an age-based countType (sinceImagePushed, sinceImagePulled, sinceImageTransitioned), not imageCountMoreThan".into());
                    }
                }
            }
            (None, Some(t)) if by_age => self.add(
                &join(path, "countUnit"),
                codes::COUNT_UNIT_REQUIRED,
                format!("countType \"{t}\" needs countUnit \"days\""),
            ),
            _ => {}
        }
        match sel.get("countNumber") {
            Some(v) => {
                self.positive_int(&join(path, "countNumber"), v, "countNumber");
            }
            None => self.add(
                &join(path, "countNumber"),
                codes::REQUIRED,
                "countNumber is required".into(),
            ),
        }
        let storage = match sel.get("storageClass") {
            Some(v) => self.enumerated(
                &join(path, "storageClass"),
                v,
                "storageClass",
                STORAGE_CLASSES,
            ),
            None => Some("standard"),
        };
        match (count_type, storage) {
            (Some("sinceImageTransitioned"), Some(s)) if s != "archive" => self.add(
                &join(path, "storageClass"),
                codes::STORAGE_CLASS_MISMATCH,
                "countType \"sinceImageTransitioned\" selects archived images: it needs storageClass \"archive\"".into(),
            ),
            (Some(t), Some("archive")) if t != "sinceImageTransitioned" => self.add(
                &join(path, "storageClass"),
                codes::STORAGE_CLASS_MISMATCH,
                format!("storageClass \"archive\" is only allowed with countType \"sinceImageTransitioned\", not \"{t}\""),
            ),
            _ => {}
        }
        (
            tag_status.map(str::to_string),
            count_type.map(str::to_string),
        )
    }

    fn action(&mut self, path: &str, action: &Map<String, Value>, count_type: Option<&str>) {
        self.unknown_keys(path, action, &["type", "targetStorageClass"]);
        let kind = self.required_enum(path, action, "type", "action type", ACTION_TYPES);
        let tp = join(path, "targetStorageClass");
        match (kind, action.get("targetStorageClass")) {
            (Some("transition"), None) => self.add(
                &tp,
                codes::TARGET_STORAGE_CLASS,
                "a \"transition\" action needs targetStorageClass \"archive\"".into(),
            ),
            (Some("transition"), Some(v)) => {
                self.enumerated(&tp, v, "targetStorageClass", &["archive"]);
            }
            (Some("expire"), Some(_)) => self.add(
                &tp,
                codes::TARGET_STORAGE_CLASS,
                "targetStorageClass is only allowed with a \"transition\" action".into(),
            ),
            _ => {}
        }
        if kind == Some("transition") && count_type == Some("sinceImageTransitioned") {
            self.add(
                &join(path, "type"),
                codes::INVALID_VALUE,
                "archived images (countType \"sinceImageTransitioned\") can only expire, not transition again".into(),
            );
        }
    }
}

/// Validate a lifecycle policy text; every problem is reported.
pub fn validate_policy(text: &str) -> PolicyReport {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let len = text.chars().count();
    if !(TEXT_MIN..=TEXT_MAX).contains(&len) {
        c.add(
            "",
            codes::TEXT_LENGTH,
            format!("the policy text is {len} characters; AWS accepts {TEXT_MIN} to {TEXT_MAX}"),
        );
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => c.add(
            "",
            codes::INVALID_JSON,
            format!("the policy is not valid JSON: {e}"),
        ),
        Ok(doc) => {
            if let Some(top) = c.object("", &doc, "the policy") {
                c.unknown_keys("", top, &["rules"]);
                match top.get("rules") {
                    None => c.add(
                        "rules",
                        codes::REQUIRED,
                        "the policy needs a \"rules\" list".into(),
                    ),
                    Some(Value::Array(rules)) if rules.is_empty() => c.add(
                        "rules",
                        codes::EMPTY_RULES,
                        "\"rules\" must hold at least one rule".into(),
                    ),
                    Some(Value::Array(rules)) => c.rules(rules),
                    Some(other) => c.add(
                        "rules",
                        codes::WRONG_TYPE,
                        format!("\"rules\" must be a list, not {}", type_name(other)),
                    ),
                }
            }
        }
    }
    PolicyReport {
        valid: c.problems.is_empty(),
        problems: c.problems,
    }
}

impl Checker {
    fn rules(&mut self, rules: &[Value]) {
        let mut seen: Vec<(u64, usize)> = Vec::new();
        let mut any_rules = Vec::new();
        for (i, v) in rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let Some(rule) = self.object(&path, v, "a rule") else {
                continue;
            };
            let (priority, tag_status) = self.rule(&path, rule);
            if let Some(p) = priority {
                if let Some(&(_, first)) = seen.iter().find(|(q, _)| *q == p) {
                    self.add(
                        &format!("{path}.rulePriority"),
                        codes::DUPLICATE_PRIORITY,
                        format!("rulePriority {p} is already used by rules[{first}]; each rule needs its own"),
                    );
                } else {
                    seen.push((p, i));
                }
                if tag_status.as_deref() == Some("any") {
                    any_rules.push((p, i));
                }
            }
        }
        let highest = seen.iter().map(|(p, _)| *p).max();
        for (p, i) in any_rules {
            if Some(p) != highest {
                self.add(
                    &format!("rules[{i}].rulePriority"),
                    codes::ANY_NOT_LAST,
                    format!(
                        "a rule with tagStatus \"any\" must have the highest rulePriority (evaluated last); {p} is lower than {}",
                        highest.unwrap_or(p)
                    ),
                );
            }
        }
    }
}
