//! The WebAssembly exports, run in Node by wasm-bindgen-test-runner:
//! `cargo test --target wasm32-unknown-unknown --test wasm` (scripts/test.sh sets the runner).
#![cfg(target_arch = "wasm32")]

use ecr_registrar::wasm;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(v: Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

fn rs(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap()
}

use serde::Serialize;

fn request(name: &str) -> Value {
    json!({"name": name, "owner": "platform-team", "environment": "dev", "risk": "low"})
}

#[wasm_bindgen_test]
fn validate_request_has_the_cli_shape() {
    let r = rs(wasm::validate_request(js(request("payments-api")), None).unwrap());
    assert_eq!(
        r,
        json!({"valid": true, "registryId": "REGISTRY_PAYMENTS_API", "errors": []})
    );
    let r = rs(wasm::validate_request(js(request("abc-")), Some(JsValue::NULL)).unwrap());
    assert_eq!(r["valid"], false);
    assert_eq!(r["registryId"], Value::Null);
    assert_eq!(r["errors"][0]["code"], "name_aws_pattern");
}

#[wasm_bindgen_test]
fn validate_field_and_registry_id() {
    let e = rs(wasm::validate_field("environment", "../x", None).unwrap());
    assert_eq!(e[0]["code"], "unknown_environment");
    let e = rs(wasm::validate_field("colour", "red", None).unwrap());
    assert_eq!(e[0]["code"], "unknown_field");
    #[cfg(feature = "edit")] // the browser's build leaves it to validateRequest's report
    assert_eq!(
        wasm::registry_id("new-wp-reg2", None).unwrap(),
        "REGISTRY_NEW_WP_REG2"
    );
}

#[wasm_bindgen_test]
fn a_custom_config_is_used() {
    let config = json!({"environments": ["dev", "qa"]});
    let e = rs(wasm::validate_field("environment", "qa", Some(js(config.clone()))).unwrap());
    assert_eq!(e, json!([]));
    let err = wasm::validate_field("environment", "qa", Some(js(json!({"enviroments": []}))))
        .unwrap_err();
    let msg = err.dyn_into::<js_sys::Error>().unwrap().message();
    assert!(String::from(msg).contains("enviroments"));
}

#[cfg(feature = "edit")]
#[wasm_bindgen_test]
fn scaffold_edits_and_is_idempotent() {
    let files =
        json!({"catalog": null, "tfvars": "region = \"eu-west-2\"\necr_repositories = {}\n"});
    let out =
        rs(wasm::scaffold(js(request("payments-api")), js(files), "2026-11-21", None).unwrap());
    assert_eq!(out["registryId"], "REGISTRY_PAYMENTS_API");
    assert_eq!(
        out["planCommand"],
        "terraform -chdir=envs/dev plan -target='module.ecr_repositories[\"payments-api\"]'"
    );
    assert_eq!(out["catalog"]["changed"], true);
    assert!(
        out["tfvars"]["text"]
            .as_str()
            .unwrap()
            .contains("  \"payments-api\" = {\n")
    );
    let again = json!({"catalog": out["catalog"]["text"], "tfvars": out["tfvars"]["text"]});
    let out2 =
        rs(wasm::scaffold(js(request("payments-api")), js(again), "2026-12-01", None).unwrap());
    assert_eq!(out2["catalog"]["changed"], false);
    assert_eq!(out2["tfvars"]["changed"], false);
}

#[cfg(feature = "edit")]
#[wasm_bindgen_test]
fn errors_carry_code_and_position() {
    let files = json!({"catalog": "repositories:\n  a: [\n", "tfvars": null});
    let err =
        wasm::scaffold(js(request("payments-api")), js(files), "2026-11-21", None).unwrap_err();
    let code = js_sys::Reflect::get(&err, &"code".into()).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("malformed"));
    assert!(
        js_sys::Reflect::get(&err, &"line".into())
            .unwrap()
            .as_f64()
            .is_some()
    );
    assert!(err.is_instance_of::<js_sys::Error>());

    let err = wasm::scaffold(js(request("abc-")), JsValue::NULL, "2026-11-21", None).unwrap_err();
    let errors = js_sys::Reflect::get(&err, &"errors".into()).unwrap();
    assert_eq!(rs(errors)[0]["code"], "name_aws_pattern");
}

#[wasm_bindgen_test]
fn malformed_input_throws_a_message_that_names_it() {
    for (bad, needle) in [
        (JsValue::from_str("payments"), "invalid request"),
        (js(json!({"name": 5})), "invalid request"),
        (js(json!({"name": "a", "colour": "red"})), "colour"),
    ] {
        let err = wasm::validate_request(bad, None).unwrap_err();
        let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
        assert!(msg.contains(needle), "{msg}");
    }
    #[cfg(feature = "edit")]
    {
        let files = js(json!({"catalog": 3}));
        let err = wasm::scaffold(js(request("a1")), files, "2026-11-21", None).unwrap_err();
        let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
        assert!(msg.contains("invalid files"), "{msg}");
    }
}

/// The arguments are read with an error type of the module's own (src/wasm/json.rs, which keeps
/// float formatting out of the browser's module): these are the messages serde_json's own error
/// gave, through the same reason text (issue 26; equal on 4,806 malformed requests and configs).
#[wasm_bindgen_test]
fn malformed_arguments_keep_serde_json_messages() {
    let nested = (0..200).fold(json!("x"), |v, _| json!({ "a": v }));
    let with = |key: &str, value: Value| {
        let mut r = request("payments-api");
        r[key] = value;
        r
    };
    let requests = [
        (
            with("name", json!(1.5)),
            "wrong type: found a number, expected a string",
        ),
        (
            with("requester", json!([1])),
            "wrong type: found a sequence, expected a string",
        ),
        (
            with("risk", Value::Null),
            "wrong type: found another value, expected a string",
        ),
        (
            with("id", json!(true)),
            "wrong type: found a boolean, expected a string",
        ),
        (
            with("requester", nested),
            "wrong type: found a mapping, expected a string",
        ),
        (json!({"owner": "x"}), "missing key `name`"),
    ];
    for (bad, reason) in requests {
        let err = wasm::validate_request(js(bad), None).unwrap_err();
        let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
        assert_eq!(msg, format!("invalid request: {reason}"));
    }
    let configs = [
        (
            json!({"owners": 1.5}),
            "wrong type: found a number, expected a sequence",
        ),
        (
            json!({"owners": ["a", -7]}),
            "wrong type: found an integer, expected a string",
        ),
        (
            json!({"sync": {"describeLimit": -1}}),
            "invalid value: found an integer, expected usize",
        ),
        (
            json!({"sync": {"describeLimit": 1e21}}),
            "wrong type: found a number, expected usize",
        ),
        (
            json!({"allowReplacements": "x"}),
            "wrong type: found a string, expected a boolean",
        ),
        (
            json!({"riskTiers": {"low": {"imageScanning": 0.5}}}),
            "wrong type: found a number, expected a boolean",
        ),
        (
            json!({"riskTiers": []}),
            "wrong type: found a sequence, expected a map",
        ),
    ];
    for (bad, reason) in configs {
        let err = wasm::validate_field("owner", "x", Some(js(bad))).unwrap_err();
        let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
        assert_eq!(msg, format!("invalid config: {reason}"));
    }
}

#[wasm_bindgen_test]
fn default_config_and_version() {
    #[cfg(feature = "edit")] // not in the browser's build
    {
        let c = rs(wasm::default_config().unwrap());
        assert_eq!(c["environments"], json!(["dev", "test", "staging", "prod"]));
        assert_eq!(c["riskTiers"]["high"]["retentionImages"], 50);
        assert_eq!(wasm::version(), env!("CARGO_PKG_VERSION"));
    }
}

#[wasm_bindgen_test]
fn entity_names_and_paths_come_from_the_core() {
    assert_eq!(wasm::entity_name("payments-api"), "ecr-payments-api");
    #[cfg(feature = "edit")]
    {
        let p = rs(wasm::request_paths("staging", None).unwrap());
        assert_eq!(
            p,
            json!({"catalog": "docs/20-contracts/resource-catalogs/ecr-catalog.yaml", "tfvars": "envs/staging/terraform.tfvars"})
        );
        let config =
            json!({"environments": ["qa"], "tfvarsPath": "terraform/{environment}/inputs.tfvars"});
        let p = rs(wasm::request_paths("qa", Some(js(config))).unwrap());
        assert_eq!(p["tfvars"], "terraform/qa/inputs.tfvars");
        // An environment the config does not list has no path: it would become a directory.
        let err = wasm::request_paths("../../etc", None).unwrap_err();
        let code = js_sys::Reflect::get(&err, &"code".into()).unwrap();
        assert_eq!(code.as_string().as_deref(), Some("invalid_request"));
        let errors = js_sys::Reflect::get(&err, &"errors".into()).unwrap();
        assert_eq!(rs(errors)[0]["code"], "unknown_environment");
        let codes = rs(wasm::stable_codes().unwrap());
        assert_eq!(codes["fieldCodes"][0]["code"], "required");
    }
}

#[cfg(feature = "edit")]
#[wasm_bindgen_test]
fn unified_diff_refuses_a_text_over_the_file_limit() {
    // 8 MB of unrelated lines each side took 2.4 s, 30 MB 10.5 s: refused before diffing.
    let d = wasm::unified_diff("envs/dev/terraform.tfvars", Some("a\n".into()), "b\n").unwrap();
    assert!(d.contains("-a\n+b\n"), "{d}");
    let big = "x\n".repeat(ecr_registrar::MAX_FILE_BYTES / 2 + 1);
    for (old, new) in [(Some(big.clone()), "b\n"), (None, big.as_str())] {
        let err = wasm::unified_diff("envs/dev/terraform.tfvars", old, new).unwrap_err();
        let code = js_sys::Reflect::get(&err, &"code".into()).unwrap();
        assert_eq!(code.as_string().as_deref(), Some("too_large"));
    }
}
