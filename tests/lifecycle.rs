//! Lifecycle policies: the validator's table of AWS's rules (each invalid policy asserting its code
//! and path), rendered policies always valid, hostile input never panics.

use ecr_registrar::{LifecycleOptions, PolicyCode, render_policy, validate_policy};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A policy text from rules, padded with a description so that it meets the 100-character minimum.
fn policy(rules: Value) -> String {
    serde_json::to_string_pretty(&json!({ "rules": rules })).unwrap()
}

fn keep(n: u64) -> Value {
    json!({"rulePriority": 9, "description": "Keep last images of every kind", "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": n}, "action": {"type": "expire"}})
}

fn codes_and_paths(text: &str) -> Vec<(String, String)> {
    validate_policy(text)
        .problems
        .into_iter()
        .map(|p| (p.code.as_str().to_string(), p.path))
        .collect()
}

#[test]
fn valid_policies_from_the_aws_documentation_pass() {
    let cases = [
        json!([keep(10)]),
        json!([{"rulePriority": 1, "description": "Expire untagged after 14 days", "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}, keep(500)]),
        json!([{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPatternList": ["prod*", "*test*1*2*3"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]),
        json!([{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90}, "action": {"type": "transition", "targetStorageClass": "archive"}}]),
        json!([{"rulePriority": 2, "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365}, "action": {"type": "expire"}}]),
    ];
    for rules in cases {
        let text = policy(rules);
        let report = validate_policy(&text);
        assert!(report.valid, "{text}\n{:?}", report.problems);
    }
}

#[test]
fn every_rule_is_reported_with_its_code_and_path() {
    let sel = |extra: Value| {
        let mut s =
            json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                s.as_object_mut().unwrap().remove(k);
            } else {
                s[k] = v.clone();
            }
        }
        json!([{"rulePriority": 1, "description": "a rule under test, with some text", "selection": s, "action": {"type": "expire"}}])
    };
    let p = "rules[0].selection";
    let table: Vec<(Value, &str, String)> = vec![
        (
            sel(json!({"tagStatus": "old"})),
            PolicyCode::InvalidValue.as_str(),
            format!("{p}.tagStatus"),
        ),
        (
            sel(json!({"tagStatus": null})),
            PolicyCode::Required.as_str(),
            format!("{p}.tagStatus"),
        ),
        (
            sel(json!({"tagStatus": "tagged"})),
            PolicyCode::TagListRequired.as_str(),
            format!("{p}.tagStatus"),
        ),
        (
            sel(json!({"tagPrefixList": ["a"]})),
            PolicyCode::TagListNotAllowed.as_str(),
            format!("{p}.tagPrefixList"),
        ),
        (
            sel(json!({"tagStatus": "any", "tagPatternList": ["a*"]})),
            PolicyCode::TagListNotAllowed.as_str(),
            format!("{p}.tagPatternList"),
        ),
        (
            sel(json!({"tagStatus": "tagged", "tagPatternList": ["test*1*2*3*4*5*6"]})),
            PolicyCode::TooManyWildcards.as_str(),
            format!("{p}.tagPatternList[0]"),
        ),
        (
            sel(json!({"tagStatus": "tagged", "tagPatternList": "prod*"})),
            PolicyCode::WrongType.as_str(),
            format!("{p}.tagPatternList"),
        ),
        (
            sel(json!({"countType": "imageCountLessThan"})),
            PolicyCode::InvalidValue.as_str(),
            format!("{p}.countType"),
        ),
        (
            sel(json!({"countType": null})),
            PolicyCode::Required.as_str(),
            format!("{p}.countType"),
        ),
        (
            sel(json!({"countType": "sinceImagePushed"})),
            PolicyCode::CountUnitRequired.as_str(),
            format!("{p}.countUnit"),
        ),
        (
            sel(json!({"countType": "sinceImagePushed", "countUnit": "hours"})),
            PolicyCode::InvalidValue.as_str(),
            format!("{p}.countUnit"),
        ),
        (
            sel(json!({"countUnit": "days"})),
            PolicyCode::CountUnitNotAllowed.as_str(),
            format!("{p}.countUnit"),
        ),
        (
            sel(json!({"countNumber": 0})),
            PolicyCode::NotPositiveInteger.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"countNumber": -3})),
            PolicyCode::NotPositiveInteger.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"countNumber": 2.5})),
            PolicyCode::NotPositiveInteger.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"countNumber": "5"})),
            PolicyCode::NotPositiveInteger.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"countNumber": 3_000_000_000u64})),
            PolicyCode::NotPositiveInteger.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"countNumber": null})),
            PolicyCode::Required.as_str(),
            format!("{p}.countNumber"),
        ),
        (
            sel(json!({"storageClass": "glacier"})),
            PolicyCode::InvalidValue.as_str(),
            format!("{p}.storageClass"),
        ),
        (
            sel(json!({"storageClass": "archive"})),
            PolicyCode::StorageClassMismatch.as_str(),
            format!("{p}.storageClass"),
        ),
        (
            sel(json!({"countType": "sinceImageTransitioned", "countUnit": "days"})),
            PolicyCode::StorageClassMismatch.as_str(),
            format!("{p}.storageClass"),
        ),
        (
            sel(json!({"colour": "red"})),
            PolicyCode::UnknownKey.as_str(),
            format!("{p}.colour"),
        ),
        (
            json!([{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "delete"}, "description": "padding padding padding"}]),
            PolicyCode::InvalidValue.as_str(),
            "rules[0].action.type".into(),
        ),
        (
            json!([{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "transition"}, "description": "padding padding padding"}]),
            PolicyCode::TargetStorageClass.as_str(),
            "rules[0].action.targetStorageClass".into(),
        ),
        (
            json!([{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire", "targetStorageClass": "archive"}, "description": "padding padding"}]),
            PolicyCode::TargetStorageClass.as_str(),
            "rules[0].action.targetStorageClass".into(),
        ),
        (
            json!([{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "description": "padding padding padding padding"}]),
            PolicyCode::Required.as_str(),
            "rules[0].action".into(),
        ),
        (
            json!([{"rulePriority": 1, "action": {"type": "expire"}, "description": "padding padding padding padding padding padding padding"}]),
            PolicyCode::Required.as_str(),
            "rules[0].selection".into(),
        ),
        (
            json!([{"selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}, "description": "padding"}]),
            PolicyCode::Required.as_str(),
            "rules[0].rulePriority".into(),
        ),
        (
            json!([{"rulePriority": 0, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}, "description": "x"}]),
            PolicyCode::NotPositiveInteger.as_str(),
            "rules[0].rulePriority".into(),
        ),
        (
            json!([keep(3), {"rulePriority": 9, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]),
            PolicyCode::DuplicatePriority.as_str(),
            "rules[1].rulePriority".into(),
        ),
        (
            json!([keep(3), {"rulePriority": 10, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]),
            PolicyCode::AnyNotLast.as_str(),
            "rules[0].rulePriority".into(),
        ),
        (
            json!([keep(3), "rule"]),
            PolicyCode::WrongType.as_str(),
            "rules[1]".into(),
        ),
        (
            json!([keep(3), {"rulePriority": 1, "selection": [], "action": {"type": "expire"}, "description": "x"}]),
            PolicyCode::WrongType.as_str(),
            "rules[1].selection".into(),
        ),
    ];
    for (rules, code, path) in table {
        let text = policy(rules);
        let got = codes_and_paths(&text);
        assert!(
            got.contains(&(code.to_string(), path.clone())),
            "expected {code} at {path}, got {got:?}\n{text}"
        );
    }
}

#[test]
fn document_level_problems() {
    let pad = " ".repeat(100);
    assert_eq!(
        codes_and_paths(&format!("{{\"rules\": []}}{pad}")),
        [(PolicyCode::EmptyRules.as_str().into(), "rules".into())]
    );
    assert_eq!(
        codes_and_paths(&format!("{{\"rule\": []}}{pad}")),
        [
            (PolicyCode::UnknownKey.as_str().into(), "rule".into()),
            (PolicyCode::Required.as_str().into(), "rules".into())
        ]
    );
    assert_eq!(
        codes_and_paths(&format!("[1, 2]{pad}")),
        [(PolicyCode::WrongType.as_str().into(), String::new())]
    );
    assert_eq!(
        codes_and_paths(&format!("{{\"rules\": {{}}}}{pad}")),
        [(PolicyCode::WrongType.as_str().into(), "rules".into())]
    );
    // Too short: the service model's minimum is 100 characters.
    let short = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#;
    assert!(short.len() > 100);
    assert!(validate_policy(short).valid);
    let tiny = r#"{"rules":[]}"#;
    assert!(
        codes_and_paths(tiny).contains(&(PolicyCode::TextLength.as_str().into(), String::new()))
    );
}

#[test]
fn hostile_input_is_a_clear_problem_not_a_panic() {
    // Not JSON at all.
    let r = validate_policy(&format!("rules: - keep 10 {}", "x".repeat(100)));
    assert_eq!(r.problems[0].code, PolicyCode::InvalidJson.as_str());
    assert!(
        r.problems[0].message.contains("line 1"),
        "{}",
        r.problems[0].message
    );
    // Deeply nested: serde_json's recursion limit answers, the stack does not overflow.
    let deep = format!(
        "{{\"rules\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let r = validate_policy(&deep);
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == PolicyCode::InvalidJson.as_str() && p.message.contains("recursion")),
        "{:?}",
        r.problems
    );
    // Huge numbers.
    let big = policy(json!([{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]))
        .replace("\"countNumber\": 1", "\"countNumber\": 1e400");
    assert_eq!(
        validate_policy(&big).problems[0].code,
        PolicyCode::InvalidJson.as_str()
    );
    let big = big.replace("1e400", "123456789012345678901234567890");
    assert!(codes_and_paths(&big).contains(&(
        PolicyCode::NotPositiveInteger.as_str().into(),
        "rules[0].selection.countNumber".into()
    )));
    // A 1 MB policy: too long for AWS, so not read further (55,000 rules took 0.3 s and reported
    // 22 MB of problems): one problem.
    let rules: Vec<Value> = (1..=6000).map(|i| json!({"rulePriority": i, "selection": {"tagStatus": "tagged", "tagPrefixList": [format!("t{i}")], "countType": "imageCountMoreThan", "countNumber": i}, "action": {"type": "expire"}})).collect();
    let huge = policy(Value::Array(rules));
    assert!(huge.len() > 1_000_000);
    let r = validate_policy(&huge);
    assert_eq!(
        r.problems.len(),
        1,
        "{:?}",
        &r.problems[..r.problems.len().min(3)]
    );
    assert_eq!(r.problems[0].code, PolicyCode::TextLength.as_str());
    // 55,000 wrong rules in 1 MB: one problem, not 55,000 times several.
    let wrong = format!(
        "{{\"rules\":[{}]}}",
        vec!["{\"rulePriority\":1}"; 55_000].join(",")
    );
    assert_eq!(validate_policy(&wrong).problems.len(), 1);
}

#[test]
fn render_refuses_zero() {
    for opts in [
        LifecycleOptions {
            keep: 0,
            expire_untagged_days: None,
        },
        LifecycleOptions {
            keep: 5,
            expire_untagged_days: Some(0),
        },
    ] {
        let e = render_policy(&opts).unwrap_err();
        assert!(e.message.contains("between 1 and"), "{e}");
    }
}

proptest! {
    #[test]
    fn rendered_policies_always_validate(keep in 1u32..=10_000, days in prop::option::of(1u32..=3650)) {
        let text = render_policy(&LifecycleOptions { keep, expire_untagged_days: days }).unwrap();
        let report = validate_policy(&text);
        prop_assert!(report.valid, "{}\n{:?}", text, report.problems);
        let v: Value = serde_json::from_str(&text).unwrap();
        let rules = v["rules"].as_array().unwrap();
        prop_assert_eq!(rules.last().unwrap()["selection"]["countNumber"].as_u64(), Some(u64::from(keep)));
        prop_assert_eq!(rules.len(), 1 + usize::from(days.is_some()));
    }

    #[test]
    fn the_validator_never_panics(text in prop_oneof![".{0,300}", "[\\[\\]{}\":,0-9a-z ]{0,300}"]) {
        let r = validate_policy(&text);
        prop_assert_eq!(r.valid, r.problems.is_empty());
    }
}
