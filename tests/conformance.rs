//! The shared validation cases (`tests/cases/validate.json`) on the native core. The Node tests run
//! the same file against the WebAssembly build and the CLI.

use ecr_registrar::{Config, Request, Validator};

#[test]
fn shared_validation_cases() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/validate.json"
    ))
    .unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let v = Validator::new(&Config::default()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let req: Request = serde_json::from_value(case["request"].clone()).unwrap();
        let report = v.validate_request(&req);
        let codes: Vec<&str> = report.errors.iter().map(|e| e.code.as_str()).collect();
        let expect = &case["expect"];
        assert_eq!(
            serde_json::json!(codes),
            expect["errorCodes"],
            "{}",
            case["name"]
        );
        assert_eq!(
            serde_json::json!(report.valid),
            expect["valid"],
            "{}",
            case["name"]
        );
        assert_eq!(
            serde_json::json!(report.registry_id),
            expect["registryId"],
            "{}",
            case["name"]
        );
        assert!(report.errors.iter().all(|e| !e.message.is_empty()));
    }
}
