//! The lifecycle policy validator: every problem of a policy text, with its path and a stable code.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    ACTION_TYPES, COUNT_TYPES, INT_MAX, MAX_WILDCARDS, STORAGE_CLASSES, TAG_STATUSES, TEXT_MAX,
    TEXT_MIN,
};
use crate::error::{PolicyCode, parser_reason};
use crate::quote::show;

/// One problem in a policy; `path` is like `rules[1].selection.countUnit` (empty: the document).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyProblem {
    /// Where: `rules[1].selection.countUnit`; empty for the document itself.
    pub path: String,
    /// Stable: switch on it.
    pub code: PolicyCode,
    /// For people: what is wrong and what AWS accepts.
    pub message: String,
}

/// The verdict on a policy document.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReport {
    /// No problems.
    pub valid: bool,
    /// Every problem, in document order.
    pub problems: Vec<PolicyProblem>,
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
    fn add(&mut self, path: &str, code: PolicyCode, message: String) {
        self.problems.push(PolicyProblem {
            path: path.to_string(),
            code,
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
                    PolicyCode::WrongType,
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
                PolicyCode::UnknownKey,
                format!(
                    "unknown key {}; AWS accepts only {} here",
                    show(key),
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
                    PolicyCode::NotPositiveInteger,
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
                    PolicyCode::WrongType,
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
                PolicyCode::InvalidValue,
                format!("{what} {} is not one of {}", show(s), one_of(allowed)),
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
                    PolicyCode::Required,
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
                PolicyCode::WrongType,
                format!("must be a list of strings, not {}", type_name(v)),
            );
            return;
        };
        if items.is_empty() {
            self.add(
                path,
                PolicyCode::Required,
                "must list at least one tag".into(),
            );
        }
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(s) = self.string(&p, item, "each entry") else {
                continue;
            };
            if s.is_empty() {
                self.add(
                    &p,
                    PolicyCode::InvalidValue,
                    "a tag entry must not be empty".into(),
                );
            }
            let stars = s.matches('*').count();
            if patterns && stars > MAX_WILDCARDS {
                self.add(
                    &p,
                    PolicyCode::TooManyWildcards,
                    format!(
                        "the pattern {} has {stars} '*' wildcards; AWS allows at most {MAX_WILDCARDS}",
                        show(s)
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
                    PolicyCode::Required,
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
                PolicyCode::Required,
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
                PolicyCode::Required,
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
                PolicyCode::TagListRequired,
                "tagStatus \"tagged\" needs a tagPatternList or a tagPrefixList".into(),
            ),
            Some(s @ ("untagged" | "any")) if has_list => {
                for key in ["tagPatternList", "tagPrefixList"]
                    .into_iter()
                    .filter(|k| sel.contains_key(*k))
                {
                    self.add(
                        &join(path, key),
                        PolicyCode::TagListNotAllowed,
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
                            PolicyCode::InvalidValue,
                            format!(
                                "countUnit {} is not supported; the only unit is \"days\"",
                                show(unit)
                            ),
                        );
                    } else if count_type == Some("imageCountMoreThan") {
                        self.add(&up, PolicyCode::CountUnitNotAllowed, "countUnit is only allowed with an age-based countType (sinceImagePushed, sinceImagePulled, sinceImageTransitioned), not imageCountMoreThan".into());
                    }
                }
            }
            (None, Some(t)) if by_age => self.add(
                &join(path, "countUnit"),
                PolicyCode::CountUnitRequired,
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
                PolicyCode::Required,
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
                PolicyCode::StorageClassMismatch,
                "countType \"sinceImageTransitioned\" selects archived images: it needs storageClass \"archive\"".into(),
            ),
            (Some(t), Some("archive")) if t != "sinceImageTransitioned" => self.add(
                &join(path, "storageClass"),
                PolicyCode::StorageClassMismatch,
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
                PolicyCode::TargetStorageClass,
                "a \"transition\" action needs targetStorageClass \"archive\"".into(),
            ),
            (Some("transition"), Some(v)) => {
                self.enumerated(&tp, v, "targetStorageClass", &["archive"]);
            }
            (Some("expire"), Some(_)) => self.add(
                &tp,
                PolicyCode::TargetStorageClass,
                "targetStorageClass is only allowed with a \"transition\" action".into(),
            ),
            _ => {}
        }
        if kind == Some("transition") && count_type == Some("sinceImageTransitioned") {
            self.add(
                &join(path, "type"),
                PolicyCode::InvalidValue,
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
            PolicyCode::TextLength,
            format!("the policy text is {len} characters; AWS accepts {TEXT_MIN} to {TEXT_MAX}"),
        );
        if len > TEXT_MAX {
            // Not read further: AWS refuses it whatever it holds, and 1 MB of rules took 0.3 s
            // and reported 22 MB of problems.
            return PolicyReport {
                valid: false,
                problems: c.problems,
            };
        }
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => c.add(
            "",
            PolicyCode::InvalidJson,
            format!(
                "the policy is not valid JSON: {} (line {}, column {})",
                parser_reason(&e.to_string()),
                e.line(),
                e.column()
            ),
        ),
        Ok(doc) => {
            if let Some(top) = c.object("", &doc, "the policy") {
                c.unknown_keys("", top, &["rules"]);
                match top.get("rules") {
                    None => c.add(
                        "rules",
                        PolicyCode::Required,
                        "the policy needs a \"rules\" list".into(),
                    ),
                    Some(Value::Array(rules)) if rules.is_empty() => c.add(
                        "rules",
                        PolicyCode::EmptyRules,
                        "\"rules\" must hold at least one rule".into(),
                    ),
                    Some(Value::Array(rules)) => c.rules(rules),
                    Some(other) => c.add(
                        "rules",
                        PolicyCode::WrongType,
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
                        PolicyCode::DuplicatePriority,
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
                    PolicyCode::AnyNotLast,
                    format!(
                        "a rule with tagStatus \"any\" must have the highest rulePriority (evaluated last); {p} is lower than {}",
                        highest.unwrap_or(p)
                    ),
                );
            }
        }
    }
}
