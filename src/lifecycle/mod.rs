//! ECR lifecycle policies: render the platform's "keep the last N images" policy, and validate any
//! policy document against the parameters AWS documents (Amazon ECR User Guide, "Lifecycle policy
//! properties", and the service model's 100–30,720 character bounds) before AWS evaluates it.
//!
//! Validation (`check.rs`) is data: every problem is a `{path, code, message}` with a stable code; a
//! text that is not JSON at all is one such problem, not an error.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, ErrorCode, Result};
pub use crate::naming::AWS_INT_MAX as INT_MAX;

mod check;

pub use check::{PolicyProblem, PolicyReport, validate_policy};

/// Bounds of `lifecyclePolicyText` in the ECR service model.
pub const TEXT_MIN: usize = 100;
pub const TEXT_MAX: usize = 30_720;
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

/// What to render: keep the last `keep` images, and optionally expire untagged images earlier.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleOptions {
    /// Images to keep (1 or more).
    pub keep: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Expire untagged images this many days after push (a rule before the keep rule).
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
