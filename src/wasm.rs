//! The WebAssembly layer: deserialize, call one core function, serialize. No logic lives here.
//!
//! Malformed input (a request that is not an object, a field of the wrong type) throws an `Error`
//! whose message names the problem. Domain errors (`invalid_request`, `conflict`, `malformed`, ...)
//! throw an `Error` that also carries the core's fields — `code`, `file`, `line`, `column`,
//! `errors`, `conflicts` — so JavaScript can switch on `err.code`.

use std::cell::{Cell, OnceCell};
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::{Config, Error, Request, Validator};

#[cfg(not(feature = "edit"))]
mod alloc;
mod json;
#[cfg(feature = "edit")]
mod texts;

#[cfg(not(feature = "edit"))]
#[global_allocator]
static ALLOCATOR: alloc::SizeClasses = alloc::SizeClasses::new();

#[cfg(feature = "edit")]
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal: cannot convert the result: {e}")))
}

/// The browser's build writes a result as JSON text and has `JSON.parse` read it: the same values
/// as serde-wasm-bindgen's `json_compatible` (objects for maps and structs, `null` for `None`),
/// without linking serde-wasm-bindgen's serializer (issue 26: 2 KB of the gzipped module). Its
/// results are a few fields and problems, not files.
#[cfg(not(feature = "edit"))]
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .ok_or_else(|| JsError::new("internal: cannot convert the result"))
}

/// Read by serde_json, not serde-wasm-bindgen, on purpose: serde-wasm-bindgen looks up a struct's
/// known fields by name and never sees the others, so `deny_unknown_fields` (an unknown config key,
/// a misspelt request field) would pass silently; this way JavaScript gets the same errors as the
/// CLI.
///
/// The message never carries a value of the input: the kind of problem and what was expected. An
/// unknown key is named (escaped): these objects are the caller's own, not a file's (a
/// `registrar.yaml` goes through `configFromYaml`, which names no key).
///
/// The value crosses as JSON text (`JSON.stringify`, in JavaScript) and is read by serde_json
/// straight into `T` (not through a `serde_json::Value`: the same errors, as `JSON.stringify`
/// writes no duplicate keys, and 10 KB less of the browser's module, issue 26; with an error type
/// of the module's own, [`json`]), whose parser
/// refuses nesting deeper than 128 levels: walking a deeply nested JavaScript object inside the
/// module would recurse once per level and overflow the WebAssembly stack, a trap that poisons the
/// module. JavaScript's own stack limit is an exception it throws, which is caught here; the text's
/// length is checked before it is copied into the module's memory.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return from_json("null", what);
    }
    // JSON writes a Map or a Set as `{}`: read as an empty object, it would pass for one.
    if value.is_instance_of::<js_sys::Map>() || value.is_instance_of::<js_sys::Set>() {
        return Err(invalid(what, "it is a Map or a Set; give a plain object"));
    }
    from_json(&json_text(&value, what)?, what)
}

/// The error of an argument that cannot be read: the kind of problem, never the value.
fn invalid(what: &str, why: &str) -> JsValue {
    let reason = crate::error::parser_reason_naming_keys(why);
    JsValue::from(JsError::new(&format!("invalid {what}: {reason}")))
}

/// `value` as JSON text (see [`from_js`]), refused as `too_large` over [`JS_INPUT_BYTES`].
fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = js_sys::JSON::stringify(value).map_err(|_| {
        invalid(
            what,
            "it cannot be read as JSON (nested too deeply, cyclic, or holding a BigInt)",
        )
    })?;
    let len = text.length() as usize;
    // UTF-16 units: each becomes at most 3 bytes of UTF-8.
    if len.saturating_mul(3) > JS_INPUT_BYTES {
        return Err(throw(Error::new(
            crate::ErrorCode::TooLarge,
            format!(
                "the {what} is {len} characters as JSON; the limit is {} characters",
                JS_INPUT_BYTES / 3
            ),
        )));
    }
    text.as_string()
        .ok_or_else(|| invalid(what, "it is not a JSON value"))
}

fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, JsValue> {
    json::from_str(text).map_err(|e| invalid(what, &e.to_string()))
}

/// The most a structured argument (request, files, revisions, config) may hold as JSON text: the
/// largest input of any call ([`crate::MAX_REVISIONS_BYTES`]) with room for escapes.
const JS_INPUT_BYTES: usize = 2 * crate::MAX_REVISIONS_BYTES;

/// A core error as a thrown JavaScript `Error` with the core's fields attached; its `message` is
/// the full text a person reads (`file:line:column: ...` and every listed problem).
fn throw(e: Error) -> JsValue {
    let err = js_sys::Error::new("");
    if let Ok(fields) = to_js(&e) {
        if let Some(obj) = fields.dyn_ref::<js_sys::Object>() {
            let _ = js_sys::Object::assign(&err, obj);
        }
    }
    err.set_message(&e.to_string());
    err.into()
}

thread_local! {
    /// The validator of the default config, compiled once (the wizard validates on every keystroke).
    /// A `OnceCell`, not a `RefCell`: no borrow is held while a call runs, so a call that never
    /// returns (a trap) cannot leave a borrow behind that makes every later call fail.
    static DEFAULT: OnceCell<Validator> = const { OnceCell::new() };
    /// The validators of the configs given lately, by their JSON text, the latest first: a
    /// backend's request makes several calls with its repo's config, and the wizard checks a field
    /// on every keystroke with the platform's; each config's patterns are compiled once, not per
    /// call. A `Cell` taken and put back, never borrowed while a call runs (as `DEFAULT`). The
    /// cache lives in the instance's memory, so a fresh instance (after a trap) starts empty.
    static CACHE: Cell<Vec<(String, Rc<Validator>)>> = const { Cell::new(Vec::new()) };
    /// How many validators this instance has built (the Node tests count cache misses with it).
    static BUILT: Cell<u32> = const { Cell::new(0) };
}

/// How many configs' validators are kept: a backend serves a few repos' configs.
const CACHED_VALIDATORS: usize = 8;

/// A config longer than this as JSON is not kept as a cache key (its validator is built per call).
const CACHED_CONFIG_BYTES: usize = 64 * 1024;

fn build(config: &Config) -> Result<Validator, JsValue> {
    BUILT.set(BUILT.get().saturating_add(1));
    Validator::new(config).map_err(throw)
}

/// The validator of the config whose JSON text is `text`: the cached one, or a new one (kept).
fn validator_for(text: String) -> Result<Rc<Validator>, JsValue> {
    let mut cache = CACHE.take();
    let hit = cache.iter().position(|(key, _)| *key == text);
    if let Some(i) = hit {
        let entry = cache.remove(i);
        let validator = Rc::clone(&entry.1);
        cache.insert(0, entry);
        CACHE.set(cache);
        return Ok(validator);
    }
    CACHE.set(cache);
    let config: Config = from_json(&text, "config")?;
    let validator = Rc::new(build(&config)?);
    if text.len() <= CACHED_CONFIG_BYTES {
        let mut cache = CACHE.take();
        cache.insert(0, (text, Rc::clone(&validator)));
        cache.truncate(CACHED_VALIDATORS);
        CACHE.set(cache);
    }
    Ok(validator)
}

/// Run `f` with the validator for `config` (`undefined`/`null`: the platform defaults).
fn with_validator<R>(
    config: Option<JsValue>,
    f: impl FnOnce(&Validator) -> R,
) -> Result<R, JsValue> {
    let Some(config) = config.filter(|c| !c.is_undefined() && !c.is_null()) else {
        return DEFAULT.with(|cell| {
            if cell.get().is_none() {
                let _ = cell.set(build(&Config::default())?);
            }
            match cell.get() {
                Some(v) => Ok(f(v)),
                None => Err(JsError::new("internal: no validator").into()),
            }
        });
    };
    let v = validator_for(json_text(&config, "config")?)?;
    Ok(f(&v))
}

/// `{valid, registryId, errors: [{field, code, message}]}` for a whole request.
#[wasm_bindgen(js_name = validateRequest, unchecked_return_type = "ValidationReport")]
pub fn validate_request(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    let report = with_validator(config, |v| v.validate_request(&request))?;
    Ok(to_js(&report)?)
}

/// `[{field, code, message}]` for one field: what the wizard shows as the person types.
#[wasm_bindgen(js_name = validateField, unchecked_return_type = "FieldError[]")]
pub fn validate_field(
    field: &str,
    value: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let errors = with_validator(config, |v| v.validate_field(field, value))?;
    Ok(to_js(&errors)?)
}

/// `{field, code: "already_requested", message}` for a name whose entity the Backstage catalog
/// already has (`entityRef`, owned by `owner` when known): the catalog is asked by the caller.
#[wasm_bindgen(js_name = alreadyRequested, unchecked_return_type = "FieldError")]
pub fn already_requested(
    name: &str,
    #[wasm_bindgen(js_name = entityRef)] entity_ref: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] owner: Option<String>,
) -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::already_requested(
        name,
        entity_ref,
        owner.as_deref(),
    ))?)
}

/// The governance id derived from a name (`REGISTRY_PAYMENTS_API`).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = registryId)]
pub fn registry_id(
    name: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<String, JsValue> {
    with_validator(config, |v| v.registry_id(name))
}

/// The names the actions knew the request output by, before it was one type.
#[cfg(feature = "edit")]
#[wasm_bindgen(typescript_custom_section)]
const REQUEST_OUTPUT_NAMES: &str = r#"
/** What `scaffold` returns: the output of every request operation. */
export type ScaffoldOutput = RequestOutput;
/** What `update` and `decommission` return: the output of every request operation. */
export type Day2Output = RequestOutput;
"#;

/// Add a request to the catalog and tfvars texts: a `RequestOutput` (`{changed, registryId,
/// entityName, planCommand, terraform, catalog: {path, text, changed, created}, tfvars,
/// pullRequest}`). `files` is `{catalog?: string | null, tfvars?: string | null}`; `today` is
/// `YYYY-MM-DD`.
#[cfg(feature = "edit")]
#[wasm_bindgen(unchecked_return_type = "RequestOutput")]
pub fn scaffold(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Files | null")] files: JsValue,
    today: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    let files = files_of(files)?;
    let out = with_validator(config, |v| crate::scaffold_with(v, &request, &files, today))?;
    Ok(to_js(&out.map_err(throw)?)?)
}

/// `files` as the core takes them: a plain object's texts read directly ([`texts`]), anything
/// else through JSON.
#[cfg(feature = "edit")]
fn files_of(files: JsValue) -> Result<crate::Files, JsValue> {
    if files.is_undefined() || files.is_null() {
        Ok(crate::Files::default())
    } else if let Some(files) = texts::files(&files) {
        Ok(files)
    } else {
        from_js(files, "files")
    }
}

/// Change an existing registry's owner, risk, requester or domain in both texts (day 2).
#[cfg(feature = "edit")]
#[wasm_bindgen(unchecked_return_type = "RequestOutput")]
pub fn update(
    #[wasm_bindgen(unchecked_param_type = "UpdateRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Files | null")] files: JsValue,
    today: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: crate::UpdateRequest = from_js(request, "update request")?;
    let files = files_of(files)?;
    let out = with_validator(config, |v| crate::update(v, &request, &files, today))?;
    Ok(to_js(&out.map_err(throw)?)?)
}

/// Retire a registry: its tfvars entry removed, its catalog entry `decommissioned` (day 2).
#[cfg(feature = "edit")]
#[wasm_bindgen(unchecked_return_type = "RequestOutput")]
pub fn decommission(
    #[wasm_bindgen(unchecked_param_type = "DecommissionRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Files | null")] files: JsValue,
    today: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: crate::DecommissionRequest = from_js(request, "decommission request")?;
    let files = files_of(files)?;
    let out = with_validator(config, |v| crate::decommission(v, &request, &files, today))?;
    Ok(to_js(&out.map_err(throw)?)?)
}

/// What a pull request changes between two revisions of the files, and the guard's verdict.
#[cfg(feature = "edit")]
#[wasm_bindgen(unchecked_return_type = "ChangesReport")]
pub fn changes(
    #[wasm_bindgen(unchecked_param_type = "Revisions")] revisions: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let revisions: crate::Revisions = match texts::revisions(&revisions) {
        Some(revisions) => revisions,
        None => from_js(revisions, "revisions")?,
    };
    let out = with_validator(config, |v| crate::changes(v, &revisions))?;
    Ok(to_js(&out.map_err(throw)?)?)
}

/// The Backstage entity name of a repository (`ecr-<name>`).
#[wasm_bindgen(js_name = entityName)]
pub fn entity_name(name: &str) -> String {
    crate::entity_name(name)
}

/// `{catalog, tfvars}`: the files a request for `environment` edits, inside the platform repo.
/// Throws `invalid_request` for an environment the config does not list (it becomes a path).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = requestPaths, unchecked_return_type = "RequestPaths")]
pub fn request_paths(
    environment: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let paths = with_validator(config, |v| v.paths(environment))?.map_err(throw)?;
    Ok(to_js(&paths)?)
}

/// The refusal's message when `tfvarsPath`'s directory (the environment's Terraform root) does not
/// exist and the file would have to be created there (`ecr:scaffold` looks at the directory).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = missingTerraformRoot)]
pub fn missing_terraform_root(#[wasm_bindgen(js_name = tfvarsPath)] tfvars_path: &str) -> String {
    crate::missing_terraform_root(tfvars_path).message.clone()
}

/// Every stable code with its meaning: `{errorCodes, fieldCodes, policyCodes}`, each a list of
/// `{code, description}` (what `ecr-registrar codes --format json` prints).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = stableCodes, unchecked_return_type = "StableCodes")]
pub fn stable_codes() -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::stable_codes())?)
}

/// The platform defaults, as `registrar.yaml` would spell them.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = defaultConfig, unchecked_return_type = "Config")]
pub fn default_config() -> Result<JsValue, JsValue> {
    Ok(to_js(&Config::default())?)
}

/// The crate version.
#[cfg(feature = "edit")]
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Parse a `registrar.yaml` text into a config (empty text: the defaults). Unknown keys throw an
/// error naming the key and its line.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = configFromYaml, unchecked_return_type = "Config")]
pub fn config_from_yaml(text: &str) -> Result<JsValue, JsValue> {
    let config = Config::from_yaml(text).map_err(throw)?;
    Ok(to_js(&config)?)
}

/// A unified diff of one file (`a/<path>` → `b/<path>`; `/dev/null` when `old` is absent); empty
/// when the texts are equal. What `--dry-run` prints. Throws `too_large` for a text over the file
/// limit (as every command refuses such a file before reading it).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = unifiedDiff)]
pub fn unified_diff(path: &str, old: Option<String>, new: &str) -> Result<String, JsValue> {
    for text in [old.as_deref(), Some(new)] {
        crate::limits::check_file(path, text).map_err(throw)?;
    }
    Ok(crate::unified_diff(path, old.as_deref(), new))
}

/// The lifecycle policy text: keep the last `keep` images, optionally expire untagged images after
/// `expireUntaggedDays` days. Always passes `validateLifecyclePolicy`.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderLifecyclePolicy)]
pub fn render_lifecycle_policy(
    #[wasm_bindgen(unchecked_param_type = "LifecycleOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let options: crate::LifecycleOptions = from_js(options, "lifecycle options")?;
    crate::render_policy(&options).map_err(throw)
}

/// Every problem of a lifecycle policy text as `{path, code, message}`.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = validateLifecyclePolicy, unchecked_return_type = "PolicyReport")]
pub fn validate_lifecycle_policy(text: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::validate_policy(text))?)
}

/// A Crossplane call's arguments read, then `f` with a validator for the config.
#[cfg(feature = "edit")]
fn crossplane<T>(
    request: JsValue,
    options: JsValue,
    config: Option<JsValue>,
    f: impl FnOnce(&crate::Validator, &Request, &crate::CrossplaneOptions) -> crate::Result<T>,
) -> Result<T, JsValue> {
    let request: Request = from_js(request, "request")?;
    let options: crate::CrossplaneOptions = from_js(options, "crossplane options")?;
    with_validator(config, |v| f(v, &request, &options))?.map_err(throw)
}

#[cfg(feature = "edit")]
fn manifests(
    request: JsValue,
    options: JsValue,
    config: Option<JsValue>,
) -> Result<crate::Manifests, JsValue> {
    crossplane(request, options, config, crate::render_crossplane)
}

/// The Crossplane `Repository` and `LifecyclePolicy` for a request, as objects.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderCrossplane, unchecked_return_type = "Manifests")]
pub fn render_crossplane(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CrossplaneOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    Ok(to_js(&manifests(request, options, config)?)?)
}

/// The same manifests as one YAML stream (`---` between them), as `render crossplane` prints.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderCrossplaneYaml)]
pub fn render_crossplane_yaml(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CrossplaneOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<String, JsValue> {
    crate::crossplane_yaml(&manifests(request, options, config)?).map_err(throw)
}

/// The Markdown body of the Crossplane path's pull request (`crossplane::pull_request_body`).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = crossplanePullRequestBody)]
pub fn crossplane_pull_request_body(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CrossplaneOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<String, JsValue> {
    crossplane(
        request,
        options,
        config,
        crate::crossplane::pull_request_body,
    )
}

/// The Argo CD `Application` that syncs a request's Crossplane manifests to a cluster, and its
/// YAML (`{application, yaml}`).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderArgoApplication, unchecked_return_type = "{ application: Record<string, unknown>; yaml: string }")]
pub fn render_argo_application(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApplicationOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    let options: crate::ApplicationOptions = from_js(options, "application options")?;
    let app = with_validator(config, |v| crate::render_application(v, &request, &options))?
        .map_err(throw)?;
    let yaml = crate::document_yaml(&app).map_err(throw)?;
    Ok(to_js(
        &serde_json::json!({ "application": app, "yaml": yaml }),
    )?)
}

/// The Backstage `Resource` entity of a request on the Crossplane path, and its YAML
/// (`{entity, yaml}`).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderRequestEntity, unchecked_return_type = "{ entity: Record<string, unknown>; yaml: string }")]
pub fn render_request_entity(
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EntityOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let request: Request = from_js(request, "request")?;
    let options: crate::EntityOptions = from_js(options, "entity options")?;
    let entity =
        with_validator(config, |v| crate::render_entity(v, &request, &options))?.map_err(throw)?;
    let yaml = crate::document_yaml(&entity).map_err(throw)?;
    Ok(to_js(
        &serde_json::json!({ "entity": entity, "yaml": yaml }),
    )?)
}

/// The registry's Backstage entities from a DescribeRepositories listing (the JSON text AWS
/// returns, one or more pages, optional `tags` per repository) and the catalog text:
/// `{files: [{path, text}], report: {synced, ghosts, orphans, …}}`, the same bytes `sync` writes.
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderEntities, unchecked_return_type = "SyncOutput")]
pub fn render_entities(
    listing: &str,
    catalog: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "SyncOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options: crate::SyncOptions = from_js(options, "sync options")?;
    let out = with_validator(config, |v| {
        crate::sync(listing, catalog.as_deref(), &options, v.config())
    })?
    .map_err(throw)?;
    Ok(to_js(&out)?)
}

/// The entities of several targets (the config's `sync.targets`), as `sync` renders them over an
/// estate: `listings[i]` is target `i`'s DescribeRepositories JSON text, or `null` when it could not
/// be listed (its file is then not rendered). `{files, report: {targets, totals}}`: the listed
/// targets' entity files in the config's order, then the System, Domain and Location (with one
/// target: its entities, System, Domain, Location, as a plain `sync`).
#[cfg(feature = "edit")]
#[wasm_bindgen(js_name = renderEstate, unchecked_return_type = "EstateOutput")]
pub fn render_estate(
    #[wasm_bindgen(unchecked_param_type = "(string | null)[]")] listings: Vec<JsValue>,
    catalog: Option<String>,
    now: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Config | null")] config: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let out = with_validator(config, |v| {
        let targets = &v.config().sync.targets;
        if listings.len() != targets.len() {
            return Err(Error::new(
                crate::ErrorCode::InvalidArgument,
                format!(
                    "{} listing(s) for {} target(s) in `sync.targets`",
                    listings.len(),
                    targets.len()
                ),
            ));
        }
        let mut pairs = Vec::with_capacity(targets.len());
        for (i, (target, listing)) in targets.iter().zip(&listings).enumerate() {
            let repos =
                if listing.is_null() || listing.is_undefined() {
                    None
                } else {
                    let text = listing.as_string().ok_or_else(|| {
                        Error::new(
                            crate::ErrorCode::InvalidArgument,
                            format!("listing {i} is neither a string nor null"),
                        )
                    })?;
                    Some(crate::parse_listing(&text).map_err(|e| {
                        Error::new(e.code, format!("target {}: {}", i + 1, e.message))
                    })?)
                };
            pairs.push((target.clone(), repos));
        }
        crate::sync_estate(&pairs, catalog.as_deref(), now, v.config())
    })?
    .map_err(throw)?;
    Ok(to_js(&out)?)
}

/// Traps on purpose (an `unreachable` instruction) while holding the default validator: how the
/// Node tests check that the JavaScript layer replaces an instance after a trap. Not part of the
/// API (the Node build only); nothing else in the module can trap by design.
#[cfg(feature = "edit")]
#[doc(hidden)]
#[wasm_bindgen(js_name = __testTrap)]
pub fn test_trap() -> Result<(), JsValue> {
    with_validator(None, |_| core::arch::wasm32::unreachable())
}

/// How many validators this instance has built (the default config's and each config given): how
/// the Node tests see that a config's validator is cached (in both builds), and that a fresh
/// instance starts without any. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = __validatorsBuilt)]
pub fn validators_built() -> u32 {
    BUILT.get()
}
