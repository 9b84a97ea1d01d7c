//! The one error type of the core. Every variant carries a stable `code` that scripts, the CLI and
//! JavaScript can switch on, a message a person can act on, and where known the file and position.

use serde::Serialize;
use std::fmt;

use crate::validate::FieldError;

/// Stable error codes. Serialized in snake_case (`invalid_request`, `conflict`, ...).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request failed validation; `errors` lists every problem.
    InvalidRequest,
    /// The name or id already exists with other values; `conflicts` lists the fields.
    Conflict,
    /// A file could not be parsed (YAML or HCL syntax, duplicate keys, more than one document).
    Malformed,
    /// The file parses but is laid out in a way the minimal editor does not touch (e.g. flow style).
    Unsupported,
    /// The edited document did not re-parse to the old document plus the entry. Nothing is written.
    VerificationFailed,
    /// `registrar.yaml` (or the config passed in) is invalid.
    InvalidConfig,
    /// An argument that is not part of the request is invalid (e.g. the date).
    InvalidArgument,
    /// Reading or writing a file failed (CLI only).
    Io,
    /// Listing ECR failed: unreachable endpoint, denied permission, bad credentials (CLI `sync`).
    Aws,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::VerificationFailed => "verification_failed",
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::Io => "io",
            ErrorCode::Aws => "aws",
        }
    }
}

/// One field where an existing entry differs from the request.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub field: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub existing: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub requested: Option<String>,
}

/// An error: boxed, so that `Result<T, Error>` stays one pointer wide on the happy path.
/// Fields are reached through `Deref` (`err.code`, `err.message`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Error(Box<ErrorInfo>);

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// One-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// One-based column, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub conflicts: Vec<Conflict>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorInfo {
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            errors: Vec::new(),
            conflicts: Vec::new(),
        }))
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The name is already in `place` (e.g. "the catalog") with other values.
    pub fn name_taken(name: &str, place: &str, conflicts: Vec<Conflict>) -> Self {
        let mut e = Error::new(
            ErrorCode::Conflict,
            format!(
                "repository {} is already in {place} with other values",
                crate::text::show(name)
            ),
        );
        e.conflicts = conflicts;
        e
    }

    /// The id is already used by repository `other` in `place`.
    pub fn id_taken(id: &str, other: &str, requested_name: &str, place: &str) -> Self {
        let mut e = Error::new(
            ErrorCode::Conflict,
            format!(
                "id {} is already used by repository {} in {place}",
                crate::text::show(id),
                crate::text::show(other)
            ),
        );
        e.conflicts = vec![Conflict {
            field: "id".into(),
            existing: Some(other.into()),
            requested: Some(requested_name.into()),
        }];
        e
    }

    /// Attach a file name unless one is already set.
    pub fn or_file(mut self, file: &str) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_string());
        }
        self
    }
}

impl std::ops::Deref for Error {
    type Target = ErrorInfo;
    fn deref(&self) -> &ErrorInfo {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorInfo {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(l), Some(c)) => write!(f, "{file}:{l}:{c}: ")?,
            (Some(file), Some(l), None) => write!(f, "{file}:{l}: ")?,
            (Some(file), None, _) => write!(f, "{file}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        for e in &self.errors {
            write!(f, "\n  - {}: {}", e.field, e.message)?;
        }
        for c in &self.conflicts {
            write!(
                f,
                "\n  - {}: existing {}, requested {}",
                c.field,
                c.existing
                    .as_deref()
                    .map_or("(none)".into(), crate::text::show),
                c.requested
                    .as_deref()
                    .map_or("(none)".into(), crate::text::show),
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
