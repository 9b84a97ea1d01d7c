//! Large texts across the JavaScript boundary once (issue 26).
//!
//! The structured arguments cross as JSON text (see [`super::from_js`]): for a request or a config
//! that costs nothing, but `files` and `revisions` hold megabytes of catalog and tfvars, which
//! `JSON.stringify` escaped, wasm-bindgen's glue copied into the module one UTF-16 unit at a time
//! and serde_json unescaped into another copy: a quarter of a `scaffold` on 10,000 entries. Here
//! each text is copied once, by the engine's `TextEncoder.encodeInto` into the module's memory.
//!
//! Only where that gives exactly what the JSON path gives: a plain object (the prototype of `{}`
//! or none, no `toJSON`, no `__proto__` key) whose texts are strings without lone surrogates
//! (JSON would escape them and serde_json refuse them, where `encodeInto` would replace them).
//! Anything else (a wrong type, an unknown key, a `Map`, a class instance, a broken field beside
//! the texts) returns `None`, and the caller takes the JSON path with its errors. The JSON path's
//! bound is kept: the length the argument's JSON text would have is computed from the lengths in
//! UTF-16 units (the escapes counted only when the bound is near), and an argument that could be
//! over it is left to the JSON path, which refuses it with the same message. Nothing is copied
//! into the module before it is known to be under the bound.

use std::collections::BTreeMap;

use js_sys::{JsString, Object};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `TextEncoder`, a global of Node and of every browser.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// `{read, written}`: UTF-16 units read from `source`, bytes written to `destination`.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &JsValue) -> Encoded;
    type Encoded;
    #[wasm_bindgen(method, getter)]
    fn read(this: &Encoded) -> f64;
    #[wasm_bindgen(method, getter)]
    fn written(this: &Encoded) -> f64;

    /// `String.prototype.isWellFormed.call(s)` (Node 20, current browsers); an error where the
    /// method is missing.
    #[wasm_bindgen(catch, js_namespace = ["String", "prototype", "isWellFormed"], js_name = call)]
    fn is_well_formed(s: &JsString) -> Result<bool, JsValue>;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// The most entries a map of texts (`revisions.base`, `revisions.head`) has on this path, and
/// the longest key: a platform repo's catalog and its environments' tfvars are a handful.
const MAX_ENTRIES: usize = 1_000;
const MAX_KEY_UNITS: usize = 4_096;

/// `value` when it is a string without lone surrogates (copies nothing).
fn text_of(value: &JsValue) -> Option<JsString> {
    let s = value.dyn_ref::<JsString>()?;
    matches!(is_well_formed(s), Ok(true)).then(|| s.clone())
}

/// The UTF-8 text of a well-formed string, written into the module's memory by the engine.
fn read(s: &JsString) -> String {
    let units = s.length() as usize;
    // An ASCII text (the usual) fills `units` bytes exactly; every unit is at most 3 bytes.
    let mut buf: Vec<u8> = vec![0; units];
    let (mut read, mut written) = (0usize, 0usize);
    let mut rest = s.clone();
    ENCODER.with(|encoder| {
        while read < units {
            if buf.len() - written < 4 {
                buf.resize(written + (units - read) * 3, 0);
            }
            let out = &mut buf[written..];
            // SAFETY: `out` is initialised and borrowed mutably for the call; the view is used at
            // once, by `encodeInto`, before anything allocates in the module (which could grow
            // the memory and detach it).
            let view = unsafe { js_sys::Uint8Array::view_mut_raw(out.as_mut_ptr(), out.len()) };
            let r = encoder.encode_into(&rest, &view);
            read += r.read() as usize;
            written += r.written() as usize;
            if read < units {
                // Out of room: the rest, into room for 3 bytes a unit.
                buf.resize(written + (units - read) * 3, 0);
                rest = s.slice(read as u32, units as u32);
            }
        }
    });
    buf.truncate(written);
    // `encodeInto` writes UTF-8, and a well-formed string has nothing for it to replace.
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The UTF-16 units `JSON.stringify` adds to escape `bytes` (`\n` for a newline, `\u0001` ...).
fn escapes(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| {
            let short = matches!(b, b'"' | b'\\' | 0x08 | 0x09 | 0x0a | 0x0c | 0x0d);
            usize::from(short) + 4 * usize::from(b < 0x20 && !short)
        })
        .sum()
}

/// Read `strings` into the module, unless the argument's JSON text — `fixed` UTF-16 units besides
/// the strings' contents — could be over the JSON path's bound: then `None`.
fn read_bounded(fixed: usize, strings: &[&JsString]) -> Option<Vec<String>> {
    let bound = |units: usize| units.saturating_mul(3) <= super::JS_INPUT_BYTES;
    let total = strings
        .iter()
        .fold(fixed, |n, s| n.saturating_add(s.length() as usize));
    if !bound(total) {
        return None;
    }
    let texts: Vec<String> = strings.iter().map(|s| read(s)).collect();
    // Escapes make a unit at most 6 (`\u0001`); count them only when that could matter.
    if !bound(fixed.saturating_add((total - fixed).saturating_mul(6))) {
        let exact = texts.iter().map(|t| escapes(t.as_bytes())).sum::<usize>() + total;
        if !bound(exact) {
            return None;
        }
    }
    Some(texts)
}

/// `JSON.stringify`'s length of `{"key":value,...}` from its keys' and values' JSON lengths.
fn object_units(entries: impl IntoIterator<Item = (usize, usize)>) -> usize {
    entries
        .into_iter()
        .enumerate()
        .fold(2, |n, (i, (key, value))| {
            n + usize::from(i > 0) + key + 1 + value
        })
}

/// `value`'s own enumerable keys with their values, when `JSON.stringify` writes it as exactly
/// those: an object, not an array or a function, with the prototype of `{}` or none, no `toJSON`
/// and no `__proto__` key (which an object built here could not hold as a key).
fn plain_entries(value: &JsValue) -> Option<Vec<(String, JsValue)>> {
    if !value.is_object() || value.is_function() || js_sys::Array::is_array(value) {
        return None;
    }
    let proto = JsValue::from(Object::get_prototype_of(value));
    if !proto.is_null() && proto != JsValue::from(Object::get_prototype_of(&Object::new())) {
        return None;
    }
    if !js_sys::Reflect::get(value, &JsValue::from_str("toJSON"))
        .ok()?
        .is_undefined()
    {
        return None;
    }
    let keys = Object::keys(value.unchecked_ref::<Object>());
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let key = key.dyn_into::<JsString>().ok()?;
        if key.length() as usize > MAX_KEY_UNITS || !matches!(is_well_formed(&key), Ok(true)) {
            return None;
        }
        let v = js_sys::Reflect::get(value, &key).ok()?;
        let key = String::from(key);
        if key == "__proto__" {
            return None;
        }
        out.push((key, v));
    }
    Some(out)
}

/// A key's length as a JSON string, in UTF-16 units (a key is well-formed: see `plain_entries`).
fn key_units(key: &str) -> usize {
    key.encode_utf16().count() + 2 + escapes(key.as_bytes())
}

/// `{catalog?: string | null, tfvars?: string | null}`, read directly; `None`: the JSON path.
pub(super) fn files(files: &JsValue) -> Option<crate::Files> {
    let (mut catalog, mut tfvars) = (None, None);
    let mut json = Vec::new(); // (key, value) JSON lengths, a text's value counted as ""
    for (key, value) in plain_entries(files)? {
        let slot = match key.as_str() {
            "catalog" => &mut catalog,
            "tfvars" => &mut tfvars,
            _ => return None,
        };
        if value.is_undefined() {
            continue; // JSON.stringify leaves the key out
        }
        json.push((key_units(&key), if value.is_null() { 4 } else { 2 }));
        if !value.is_null() {
            *slot = Some(text_of(&value)?);
        }
    }
    let strings: Vec<&JsString> = catalog.iter().chain(&tfvars).collect();
    let mut texts = read_bounded(object_units(json), &strings)?.into_iter();
    Some(crate::Files {
        catalog: catalog.map(|_| texts.next().unwrap_or_default()),
        tfvars: tfvars.map(|_| texts.next().unwrap_or_default()),
    })
}

/// A plain object of texts (`{path: text}`): its keys and strings, and its JSON length without
/// the strings' contents.
fn text_map(value: &JsValue) -> Option<(Vec<String>, Vec<JsString>, usize)> {
    let entries = plain_entries(value)?;
    if entries.len() > MAX_ENTRIES {
        return None;
    }
    let mut json = Vec::with_capacity(entries.len());
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    for (key, v) in entries {
        strings.push(text_of(&v)?);
        json.push((key_units(&key), 2));
        keys.push(key);
    }
    Some((keys, strings, object_units(json)))
}

/// `revisions` with `base` and `head` plain objects of texts, read directly (everything else
/// through JSON, as always); `None`: the JSON path.
pub(super) fn revisions(revisions: &JsValue) -> Option<crate::Revisions> {
    let entries = plain_entries(revisions)?;
    let rest = Object::new();
    let (mut base, mut head) = (None, None);
    for (key, value) in entries {
        let side = match key.as_str() {
            "base" => Some(&mut base),
            "head" => Some(&mut head),
            _ => None,
        };
        let written = match side {
            Some(side) => {
                *side = Some(text_map(&value)?);
                JsValue::from(Object::new())
            }
            None => value,
        };
        js_sys::Reflect::set(&rest, &JsValue::from_str(&key), &written).ok()?;
    }
    let ((base_keys, base_strings, base_units), (head_keys, head_strings, head_units)) =
        (base?, head?);
    // The rest as JSON, `{}` for either map: what the JSON path would read, without the texts.
    let json = js_sys::JSON::stringify(&rest).ok()?;
    let fixed = (json.length() as usize - 4) + base_units + head_units;
    let mut parsed: crate::Revisions = serde_json::from_str(&String::from(json)).ok()?;
    let strings: Vec<&JsString> = base_strings.iter().chain(&head_strings).collect();
    let mut texts = read_bounded(fixed, &strings)?.into_iter();
    parsed.base = base_keys
        .into_iter()
        .zip(texts.by_ref())
        .collect::<BTreeMap<_, _>>();
    parsed.head = head_keys.into_iter().zip(texts).collect();
    Some(parsed)
}
