//! The risk tiers' security controls (`RiskControls`, from `ecr-risk-settings.yaml`), and which
//! move between tiers makes Terraform replace a repository rather than change it in place.

use serde::{Deserialize, Serialize};

use super::Config;
use crate::quote::show;

/// The security controls of one risk tier (from `ecr-risk-settings.yaml`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RiskControls {
    /// `MUTABLE` or `IMMUTABLE`.
    pub mutability: String,
    /// `AES256` or `KMS`.
    pub encryption: String,
    /// How many images the lifecycle policy keeps.
    pub retention_images: u32,
    /// Scan images on push.
    pub image_scanning: bool,
    /// Enhanced (continuous) scanning rather than basic scan-on-push.
    #[serde(default)]
    pub enhanced_scanning: bool,
    /// What the tier is meant for, shown to requesters.
    #[serde(default)]
    pub use_for: String,
}

pub(super) fn tier(
    mutability: &str,
    encryption: &str,
    keep: u32,
    enhanced: bool,
    use_for: &str,
) -> RiskControls {
    RiskControls {
        mutability: mutability.into(),
        encryption: encryption.into(),
        retention_images: keep,
        image_scanning: true,
        enhanced_scanning: enhanced,
        use_for: use_for.into(),
    }
}

impl Config {
    /// Why moving a registry from one risk tier to another makes Terraform replace it (destroy and
    /// recreate, deleting every image), or `None` when it is changed in place. The AWS provider
    /// cannot change `encryption_configuration` of an `aws_ecr_repository` in place; tag mutability,
    /// scanning and the lifecycle policy it can.
    pub fn replacement(&self, from: &str, to: &str) -> Option<String> {
        let (a, b) = (self.risk_tiers.get(from)?, self.risk_tiers.get(to)?);
        (a.encryption != b.encryption).then(|| {
            format!(
                "the encryption changes from {} to {} (tier {} to {}), which AWS cannot change in place",
                show(&a.encryption),
                show(&b.encryption),
                show(from),
                show(to)
            )
        })
    }

    /// The risk tier names in order, for messages.
    pub fn risk_names(&self) -> Vec<&str> {
        self.risk_tiers.keys().map(String::as_str).collect()
    }
}
