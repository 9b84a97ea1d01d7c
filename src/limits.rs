//! Bounds on what one call may be given (issue 21, item 8): every input is refused with
//! `too_large` before it is parsed when it is over its limit, so the cost of any call is bounded
//! by the limits below times a linear factor, and the WebAssembly module's memory grows by at most
//! a bounded multiple of them. The limits leave room for the largest estates measured in
//! BENCHMARKS.md (10,000-entry files of 1.7 MB, listings of 100,000 repositories).

// The validation-only build (the browser's) reads no files: only the pattern limits are used there.
#![cfg_attr(not(feature = "edit"), allow(dead_code))]

use crate::error::{Error, ErrorCode, Result};

/// A catalog or tfvars text (one revision of one file).
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// A `registrar.yaml` text. A platform's config is a few KB (2,000 owners are 40 KB); at 1 MiB, a
/// config of 61,675 owners took 55 ms natively and 110-160 ms in WebAssembly to read (libyaml,
/// then every owner a string in JavaScript), over the 100 ms bound: refused instead.
pub const MAX_CONFIG_BYTES: usize = 256 << 10;
/// How many `[` and `{` a config may hold (flow collections; YAML's scanner is quadratic in their
/// nesting).
pub const MAX_CONFIG_FLOW_OPENINGS: usize = 4096;
/// A DescribeRepositories listing (all pages of one target).
pub const MAX_LISTING_BYTES: usize = 64 << 20;
/// All texts of one `changes` call together (base and head of every governed file).
pub const MAX_REVISIONS_BYTES: usize = 32 << 20;
/// A `namePattern` or `valuePattern`, in bytes.
pub const MAX_PATTERN_BYTES: usize = 1024;
/// What a compiled custom pattern may occupy (regex-lite's approximate size limit): a counted
/// repetition such as `a{1000}{1000}` would otherwise compile to a million states, each of which
/// the matcher visits for every byte of the value.
pub const MAX_PATTERN_COMPILED_BYTES: usize = 64 << 10;
/// How deeply groups of a custom pattern may nest.
pub const MAX_PATTERN_NESTING: u32 = 32;
/// The longest value a custom pattern is run on, in bytes (longer values are refused unread).
pub const MAX_MATCHED_VALUE_BYTES: usize = 1024;

/// `Err(too_large)` naming `what` (a file or input) and the limit when `len` is over `max`.
pub fn check(what: &str, len: usize, max: usize) -> Result<()> {
    if len <= max {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::TooLarge,
            format!(
                "{what} is {} bytes; the limit is {} bytes ({}), so it was not read",
                len,
                max,
                human(max)
            ),
        ))
    }
}

/// `Err(too_large)` for a file's text, with the file named in the error.
pub fn check_file(path: &str, text: Option<&str>) -> Result<()> {
    match text {
        Some(t) => check("the file", t.len(), MAX_FILE_BYTES).map_err(|e| e.in_file(path)),
        None => Ok(()),
    }
}

fn human(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} B")
    }
}
