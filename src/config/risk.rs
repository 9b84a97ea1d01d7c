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

/// What a move between two risk tiers does to a repository (see [`Config::tier_move`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TierMove {
    /// Changed in place: the same tier, or tiers with the same encryption.
    InPlace,
    /// Terraform destroys and recreates it, deleting every image: why.
    Replaced(String),
    /// A tier the config does not define: its encryption, and so whether Terraform replaces the
    /// repository, is not known. Why, for a person.
    Unknown(String),
}

impl Config {
    /// What moving a registry from one risk tier to another does. The AWS provider cannot change
    /// `encryption_configuration` of an `aws_ecr_repository` in place (a move that changes it is a
    /// replacement: destroy and recreate, deleting every image); tag mutability, scanning and the
    /// lifecycle policy it can. A move from or to a tier the config does not define is
    /// [`TierMove::Unknown`], never guessed to be in place.
    pub fn tier_move(&self, from: &str, to: &str) -> TierMove {
        if from == to {
            return TierMove::InPlace;
        }
        let unknown = |t: &str| {
            TierMove::Unknown(format!(
                "the risk tier {} is not one of the config's tiers ({}), so its encryption, and whether the move from {} to {} makes Terraform destroy and recreate the repository (deleting every image in it), is not known",
                show(t),
                self.risk_names().join(", "),
                show(from),
                show(to)
            ))
        };
        let Some(a) = self.risk_tiers.get(from) else {
            return unknown(from);
        };
        let Some(b) = self.risk_tiers.get(to) else {
            return unknown(to);
        };
        if a.encryption == b.encryption {
            return TierMove::InPlace;
        }
        TierMove::Replaced(format!(
            "the encryption changes from {} to {} (tier {} to {}), which AWS cannot change in place",
            show(&a.encryption),
            show(&b.encryption),
            show(from),
            show(to)
        ))
    }

    /// Why moving a registry from one risk tier to another makes Terraform replace it, or `None`
    /// when it is changed in place or not known ([`Config::tier_move`]).
    pub fn replacement(&self, from: &str, to: &str) -> Option<String> {
        match self.tier_move(from, to) {
            TierMove::Replaced(why) => Some(why),
            TierMove::InPlace | TierMove::Unknown(_) => None,
        }
    }

    /// The risk tier names in order, for messages.
    pub fn risk_names(&self) -> Vec<&str> {
        self.risk_tiers.keys().map(String::as_str).collect()
    }
}
