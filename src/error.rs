//! The one error type of the core. Every variant carries a stable `code` that scripts, the CLI and
//! JavaScript can switch on, a message a person can act on, and where known the file and position.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::quote::show;

/// An enum of stable codes: serialized as the snake_case string (a string union in the generated
/// TypeScript), with every variant listed in `ALL` and described in one line. The code tables of
/// `docs/cli.md` are rendered from `ALL` and `description` (`tests/docs.rs` keeps them equal).
macro_rules! codes {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])+ $variant:ident = $code:literal,)+ }) => {
        $(#[doc = $doc])*
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[doc = $vdoc])+ #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every code, in the documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as it is serialized (`snake_case`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($($vdoc),+).trim_start(),)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

codes! {
    /// What went wrong when an operation failed (`err.code` in JavaScript, `error.code` in the CLI's
    /// JSON).
    ErrorCode {
        /// The request failed validation; `errors` lists every problem.
        InvalidRequest = "invalid_request",
        /// The name or id already exists with other values; `conflicts` lists the fields.
        Conflict = "conflict",
        /// A file could not be parsed (YAML or HCL syntax, duplicate keys, more than one document).
        Malformed = "malformed",
        /// The file parses but is laid out in a way the minimal editor does not touch (e.g. flow style).
        Unsupported = "unsupported",
        /// The edited document did not re-parse to the old document plus the entry; nothing is written.
        VerificationFailed = "verification_failed",
        /// `registrar.yaml` (or the config passed in) is invalid.
        InvalidConfig = "invalid_config",
        /// An argument that is not part of the request is invalid (e.g. the date).
        InvalidArgument = "invalid_argument",
        /// Reading or writing a file failed (CLI and scaffolder actions).
        Io = "io",
        /// Listing ECR failed: unreachable endpoint, denied permission, bad credentials (CLI `sync`).
        Aws = "aws",
        /// A day-2 request (update, decommission) names a registry that is not in the catalog or the environment's tfvars.
        NotFound = "not_found",
        /// A path the CLI would read or write goes through a symbolic link, into `.git`, or is not a regular file; nothing was read or written.
        UnsafePath = "unsafe_path",
        /// An input is over its size limit (a file, the config, a listing, a pattern) or would amplify past it; the message names the input and the limit.
        TooLarge = "too_large",
    }
}

codes! {
    /// What is wrong with one field of a request (`{field, code, message}`).
    FieldCode {
        /// The field is required and empty.
        Required = "required",
        /// The name breaks the platform's own rule (`namePattern`).
        NamePlatformPattern = "name_platform_pattern",
        /// The name is shorter than 2 or longer than 256 characters, which AWS ECR rejects.
        NameAwsLength = "name_aws_length",
        /// The name breaks AWS ECR's repository-name pattern.
        NameAwsPattern = "name_aws_pattern",
        /// The name is a boolean or null to YAML 1.1 (`yes`, `on`, `true`, `null`, …): one catalog key with the others.
        NameYamlWord = "name_yaml_word",
        /// A part of the name ends in `.lock`: the request's branch `registry/create-<name>` would be no git ref.
        NameGitRef = "name_git_ref",
        /// The Backstage entity `ecr-<name>` would be longer than 63 characters.
        NameBackstageLength = "name_backstage_length",
        /// The Backstage entity `ecr-<name>` would break Backstage's entity-name pattern.
        NameBackstagePattern = "name_backstage_pattern",
        /// An explicit governance id is not the prefix followed by `[A-Z0-9_]`.
        IdPattern = "id_pattern",
        /// The value is not in the platform's list for the field (owners, domains, requesters).
        NotAllowed = "not_allowed",
        /// The value is empty where it may be left out, or breaks `valuePattern`.
        InvalidFormat = "invalid_format",
        /// The environment is not one of the configured environments.
        UnknownEnvironment = "unknown_environment",
        /// The risk tier is not one of the configured tiers.
        UnknownRisk = "unknown_risk",
        /// The field is not one a request has.
        UnknownField = "unknown_field",
        /// A retention count is not a whole number from 1 to 2,147,483,647.
        InvalidRetention = "invalid_retention",
        /// A Crossplane object name (or namespace, KMS key reference) is not a valid Kubernetes name.
        KubernetesName = "kubernetes_name",
        /// The region is not an AWS region name such as `eu-west-2`.
        InvalidRegion = "invalid_region",
        /// The description is blank, longer than 256 characters, or not one line of visible text.
        InvalidDescription = "invalid_description",
        /// The Backstage catalog already has the repository's entity (`resource:default/ecr-<name>`),
        /// the GitOps repository already has its files, or the request's pull request is still open
        /// (`ecr:check-open-request`): the name is taken by an earlier request or an existing
        /// repository.
        AlreadyRequested = "already_requested",
        /// A decommission found none of the registry's files in the repository (`ecr:retire-files`):
        /// it was not created on that path, or is retired already.
        NothingToRetire = "nothing_to_retire",
        /// A path the request would delete is not a regular file (a link, a directory).
        NotRegularFile = "not_regular_file",
    }
}

codes! {
    /// What is wrong with a lifecycle policy (`{path, code, message}`).
    PolicyCode {
        /// The text is not JSON.
        InvalidJson = "invalid_json",
        /// The text is shorter than 100 or longer than 30,720 characters.
        TextLength = "text_length",
        /// A value has the wrong JSON type.
        WrongType = "wrong_type",
        /// A required key is missing.
        Required = "required",
        /// A key AWS does not know.
        UnknownKey = "unknown_key",
        /// `rules` is empty.
        EmptyRules = "empty_rules",
        /// A priority or count is not a whole number from 1 to 2,147,483,647.
        NotPositiveInteger = "not_positive_integer",
        /// Two rules have the same `rulePriority`.
        DuplicatePriority = "duplicate_priority",
        /// A rule with `tagStatus: any` does not have the highest priority.
        AnyNotLast = "any_not_last",
        /// A value is not one of those AWS accepts.
        InvalidValue = "invalid_value",
        /// `tagStatus: tagged` needs `tagPrefixList` or `tagPatternList`.
        TagListRequired = "tag_list_required",
        /// A tag list is given with `tagStatus` `untagged` or `any`.
        TagListNotAllowed = "tag_list_not_allowed",
        /// A tag pattern has more than 4 `*` wildcards.
        TooManyWildcards = "too_many_wildcards",
        /// A `since…` count type needs `countUnit: days`.
        CountUnitRequired = "count_unit_required",
        /// `imageCountMoreThan` takes no `countUnit`.
        CountUnitNotAllowed = "count_unit_not_allowed",
        /// `storageClass: archive` goes only with `sinceImageTransitioned`, and that count type needs it.
        StorageClassMismatch = "storage_class_mismatch",
        /// A `transition` action needs `targetStorageClass: archive`; `expire` takes none.
        TargetStorageClass = "target_storage_class",
    }
}

codes! {
    /// Why the guard of `changes` refuses automatic apply (`guard.problems[].code`).
    GuardCode {
        /// A file other than the catalog and the configured environments' tfvars files changed.
        UnexpectedFile = "unexpected_file",
        /// A governed path (the catalog, a configured environment's tfvars, `registrar.yaml`) is, was or becomes something other than a regular file (git mode 100644): a symlink, a submodule, an executable; a mode-only change included.
        NotRegularFile = "not_regular_file",
        /// A file was renamed (or copied) into or out of a governed path.
        Renamed = "renamed",
        /// A governed path would not be checked out as its blob: a parent directory at head is a symlink, a submodule or a file, or `.gitattributes` sets filter, eol, text (or its older name crlf), ident or working-tree-encoding on it.
        NotCheckedOutAsBlob = "not_checked_out_as_blob",
        /// Something other than registry entries (and the catalog's `last_updated`) changed in the catalog or a tfvars file.
        UnexpectedChange = "unexpected_change",
        /// A revision of the catalog or a tfvars file cannot be read (invalid, or refused by the editors).
        Unreadable = "unreadable",
        /// An added or updated entry fails the request rules (a hand edit, e.g. an invalid name).
        InvalidEntry = "invalid_entry",
        /// A tfvars entry disagrees with its catalog entry (id, owner, risk, description, environment) or holds more than the tool writes.
        Mismatch = "mismatch",
        /// A change in one file has no matching change in the other (tfvars and catalog go together).
        MissingCounterpart = "missing_counterpart",
        /// Terraform would destroy and recreate a repository (e.g. its encryption changes with a tier move across `high`), deleting every image; allowed only with `allowReplacements` in the config and `--allow-replace` from a reviewer.
        Replacement = "replacement",
        /// An updated entry's risk tier moves from or to a tier the config does not define: its encryption there, and so whether Terraform replaces the repository (deleting every image), is not known; never applied automatically.
        UnknownTier = "unknown_tier",
        /// The directory of a governed tfvars file holds another file Terraform loads variables from (terraform.tfvars.json, *.auto.tfvars, *.auto.tfvars.json), after it: a value there would override what the guard judged.
        OtherTfvarsFile = "other_tfvars_file",
        /// More registry entries change, or more problems are found, than one report lists (1,000 each): the first are listed, the guard refuses automatic apply; split the pull request.
        TooManyChanges = "too_many_changes",
    }
}

/// One stable code and what it means.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The code as serialized.
    pub code: String,
    /// What it means, in one line.
    pub description: String,
}

/// Every stable code: what `ecr-registrar codes` prints and the tables of `docs/cli.md` list.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StableCodes {
    /// [`ErrorCode`]: `error.code`.
    pub error_codes: Vec<CodeInfo>,
    /// [`FieldCode`]: `errors[].code`.
    pub field_codes: Vec<CodeInfo>,
    /// [`PolicyCode`]: `problems[].code` of a lifecycle policy.
    pub policy_codes: Vec<CodeInfo>,
    /// [`GuardCode`]: `guard.problems[].code` of `changes`.
    pub guard_codes: Vec<CodeInfo>,
}

/// Every stable code with its meaning, in the documented order.
pub fn stable_codes() -> StableCodes {
    macro_rules! list {
        ($codes:ty) => {
            <$codes>::ALL
                .iter()
                .map(|c| CodeInfo {
                    code: c.as_str().into(),
                    description: c.description().into(),
                })
                .collect()
        };
    }
    StableCodes {
        error_codes: list!(ErrorCode),
        field_codes: list!(FieldCode),
        policy_codes: list!(PolicyCode),
        guard_codes: list!(GuardCode),
    }
}

/// One problem with one field. `code` is stable; `message` is for people.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    /// The request field (or option, e.g. `region`, `namespace`) the problem is about.
    pub field: String,
    /// Stable: switch on it.
    pub code: FieldCode,
    /// For people: what is wrong and what is allowed.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: &str, code: FieldCode, message: String) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message,
        }
    }
}

/// One field where an existing entry differs from the request.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    /// The field that differs (`owner`, `risk`, …; `id` for an id used by another name).
    pub field: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    /// The value already there.
    pub existing: Option<String>,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    /// The value requested.
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
/// What an [`Error`] carries; also its JSON shape (`{code, message, file?, line?, column?, errors?, conflicts?}`).
pub struct ErrorInfo {
    /// Stable: switch on it.
    pub code: ErrorCode,
    /// For people: what went wrong and, where possible, what to do.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The file the error is about, where known.
    pub file: Option<String>,
    /// One-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// One-based column, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// Every validation problem, for `invalid_request`.
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    /// Every differing field, for `conflict`.
    pub conflicts: Vec<Conflict>,
}

impl Error {
    /// An error with a code and a message.
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

    /// The same error, about `file`.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The same error, at a one-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The request failed validation: every problem in `errors`.
    pub fn invalid_request(errors: Vec<FieldError>) -> Self {
        let mut e = Error::new(ErrorCode::InvalidRequest, "the request is invalid");
        e.errors = errors;
        e
    }

    /// The name is already in `place` (e.g. "the catalog") with other values.
    pub fn name_taken(name: &str, place: &str, conflicts: Vec<Conflict>) -> Self {
        let mut e = Error::new(
            ErrorCode::Conflict,
            format!(
                "repository {} is already in {place} with other values",
                show(name)
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
                show(id),
                show(other)
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
                c.existing.as_deref().map_or("(none)".into(), show),
                c.requested.as_deref().map_or("(none)".into(), show),
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// What a parser (serde_yaml, serde_json, hcl-edit) said about its input, cleaned so that no byte
/// of the input survives: the kind of problem and, from our own schema, what was expected. The
/// position is not in the result (the caller keeps it as `line`/`column`). A message of a family
/// we do not know is replaced by "invalid syntax" unless it is one of the parsers' own fixed
/// phrases (lower-case words, no quotes), so a new parser message cannot leak either.
pub fn parser_reason(message: &str) -> String {
    reason(message, false)
}

/// [`parser_reason`] followed by the position as the parsers write it (` at line 2 column 1`), for
/// messages that travel without the error's `line`/`column` fields (a JavaScript `message`).
#[cfg(feature = "edit")]
pub fn parser_reason_at(message: &str, at: Option<(usize, usize)>) -> String {
    let reason = parser_reason(message);
    match at {
        Some((line, column)) if line > 0 => format!("{reason} at line {line} column {column}"),
        _ => reason,
    }
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
/// [`parser_reason`] for input a caller built rather than a file (a JavaScript request or config
/// object): an unknown key is named, escaped, so the caller sees which of its own keys is wrong.
/// Values are still never shown.
pub fn parser_reason_naming_keys(message: &str) -> String {
    reason(message, true)
}

fn reason(message: &str, name_keys: bool) -> String {
    let msg = strip_positions(message.lines().next().unwrap_or_default());
    let mut msg = msg.trim().trim_end_matches(',');
    // serde_yaml puts the path first (`sync.describeLimit: invalid type: …`); its keys are the
    // file's (a risk tier's name), and line and column say where: drop it.
    const FAMILIES: &[&str] = &[
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
        "unknown field `",
        "unknown variant `",
        "missing field `",
        "duplicate field `",
        "duplicate entry",
    ];
    if let Some(i) = FAMILIES
        .iter()
        .filter_map(|f| msg.find(&format!(": {f}")))
        .min()
        .filter(|_| !FAMILIES.iter().any(|f| msg.starts_with(f)))
    {
        msg = &msg[i + 2..];
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return match split_expected(rest) {
            Some((found, exp)) => format!("wrong type: found {}, expected {exp}", kind_of(found)),
            None => "wrong type".into(),
        };
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        return match split_expected(rest) {
            Some((found, exp)) => {
                format!("invalid value: found {}, expected {exp}", kind_of(found))
            }
            None => "invalid value".into(),
        };
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return match split_expected(rest) {
            Some((_, exp)) => format!("wrong number of items, expected {exp}"),
            None => "wrong number of items".into(),
        };
    }
    for (prefix, what, none) in [
        ("unknown field `", "key", "`, there are no fields"),
        ("unknown variant `", "value", "`, there are no variants"),
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            if let Some(given) = rest.strip_suffix(none) {
                return format!(
                    "unknown {what}{}; none is allowed here",
                    named(given, name_keys)
                );
            }
            return match rfind_ascii(rest, "`, expected ") {
                Some(i) => {
                    let (given, exp) = (&rest[..i], &rest[i + "`, expected ".len()..]);
                    match safe_schema_text(exp) {
                        Some(exp) => {
                            let hint = if name_keys {
                                named(given, true)
                            } else {
                                nearest(given, &exp)
                                    .map_or(String::new(), |k| format!(" (did you mean `{k}`?)"))
                            };
                            format!("unknown {what}{hint}; expected {exp}")
                        }
                        None => format!("unknown {what}{}", named(given, name_keys)),
                    }
                }
                None => format!("unknown {what}"),
            };
        }
    }
    for prefix in ["missing field `", "duplicate field `"] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            let field = rest.strip_suffix('`').unwrap_or_default();
            let what = prefix.trim_end_matches(" `").replace("field", "key");
            return match safe_schema_text(field) {
                Some(f) if !f.contains('`') => format!("{what} `{f}`"),
                _ => what,
            };
        }
    }
    if msg.starts_with("duplicate entry") {
        return "duplicate key".into();
    }
    // The parsers' fixed phrases ("did not find expected ',' or ']'", "EOF while parsing a list").
    if is_fixed_phrase(msg) {
        msg.to_string()
    } else {
        "invalid syntax".into()
    }
}

/// Is `msg` one of the parsers' fixed phrases rather than a quote of the input: printable ASCII, no
/// double quotes, and every `'…'` or `` `…` `` span a grammar literal of at most 3 characters
/// (`','`, `` `${` ``). libyaml, serde_json and hcl-edit (its labels and expected tokens) write
/// only such phrases; a message that quotes input fails the test.
pub(crate) fn is_fixed_phrase(msg: &str) -> bool {
    let spans_short = |q: char| {
        msg.split(q).count() % 2 == 1
            && msg
                .split(q)
                .skip(1)
                .step_by(2)
                .all(|s| s.chars().count() <= 3)
    };
    !msg.is_empty()
        && msg.len() <= 300
        && msg.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"')
        && spans_short('`')
        && spans_short('\'')
}

/// `message` without serde's ` at line N column M` / ` at position N` (kept as line and column).
fn strip_positions(message: &str) -> String {
    let mut out = message.to_string();
    for marker in [" at line ", " at position "] {
        while let Some(i) = out.find(marker) {
            let rest = &out[i + marker.len()..];
            let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
            let mut n = digits(rest);
            if n == 0 {
                break;
            }
            if let Some(col) = rest[n..].strip_prefix(" column ") {
                let m = digits(col);
                if m > 0 {
                    n += " column ".len() + m;
                }
            }
            out.replace_range(i..i + marker.len() + n, "");
        }
    }
    out
}

/// `<found>, expected <exp>` split at the last `, expected ` (the found value may contain the
/// phrase; our schema's expectation does not), with the expectation checked to be schema text.
fn split_expected(rest: &str) -> Option<(&str, String)> {
    let i = rfind_ascii(rest, ", expected ")?;
    let exp = safe_schema_text(&rest[i + ", expected ".len()..])?;
    Some((&rest[..i], exp))
}

/// Where `needle` (ASCII) last starts in `text`: `str::rfind` without its two-way searcher, which
/// these two calls alone linked into the browser's module (issue 26: 0.4 KB gzipped). The texts
/// are serde's messages, a few hundred bytes; the match starts and ends on character boundaries
/// since the needle is ASCII.
fn rfind_ascii(text: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.is_ascii());
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| text[i..].starts_with(needle))
}

/// Text from our own schema (type names, key lists): short, no quotes but backticks, printable.
fn safe_schema_text(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 600
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" _`,.:-/()<>".contains(&b));
    ok.then(|| s.to_string())
}

/// What kind of value serde's `Unexpected` describes, without the value.
fn kind_of(found: &str) -> &'static str {
    const KINDS: &[(&str, &str)] = &[
        ("string", "a string"),
        ("integer", "an integer"),
        ("floating point", "a number"),
        ("boolean", "a boolean"),
        ("character", "a character"),
        ("unit value", "null"),
        ("Option value", "an optional value"),
        ("newtype struct", "a value"),
        ("byte array", "bytes"),
        ("sequence", "a sequence"),
        ("map", "a mapping"),
        ("enum", "an enum"),
        ("unit variant", "an enum variant"),
        ("newtype variant", "an enum variant"),
        ("tuple variant", "an enum variant"),
        ("struct variant", "an enum variant"),
    ];
    KINDS
        .iter()
        .find(|(p, _)| found == *p || found.starts_with(&format!("{p} ")))
        .map_or("another value", |(_, k)| k)
}

/// ` ` + the given key, escaped, when keys may be named; else nothing.
fn named(given: &str, name_keys: bool) -> String {
    if name_keys {
        format!(" {}", show(given))
    } else {
        String::new()
    }
}

/// The expected key closest to `given` (at most 2 edits, and fewer than half its length), to
/// suggest without repeating `given`.
fn nearest<'a>(given: &str, expected: &'a str) -> Option<&'a str> {
    let given: Vec<char> = given.chars().take(64).collect();
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (edit_distance(&given, k), k))
        .filter(|&(d, k)| d > 0 && d <= 2 && d * 2 < k.len())
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
