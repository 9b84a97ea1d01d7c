//! The checks of a config's values (`Config::check`): what the editors and validators rely on,
//! named by key and never echoing the value.

use super::Config;
use super::paths::path_problem;
use crate::error::{Error, ErrorCode, Result};
use crate::naming::{Pattern, is_safe_relative_path, is_safe_segment, is_valid_backstage_name};

impl Config {
    /// Check the values that the editors and validators rely on.
    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::new(ErrorCode::InvalidConfig, m));
        if self.environments.is_empty() {
            return bad("config: `environments` must list at least one environment".into());
        }
        // Messages name the key, never the value: a config is a file, and no error echoes a file.
        for (i, env) in self.environments.iter().enumerate() {
            if !is_safe_segment(env) {
                return bad(format!(
                    "config: `environments[{i}]` is not a safe directory name (letters, digits, '-', '_', '.'; not '.' or '..')"
                ));
            }
        }
        if let Some(r) = &self.default_region
            && !crate::naming::is_region(r)
        {
            return bad(crate::naming::not_a_region("config: `defaultRegion`"));
        }
        if self.risk_tiers.is_empty() {
            return bad("config: `riskTiers` must define at least one tier".into());
        }
        for (pattern, key) in [
            (&self.name_pattern, "namePattern"),
            (&self.value_pattern, "valuePattern"),
        ] {
            if let Err(e) = Pattern::new(pattern) {
                let what = match e.code() {
                    ErrorCode::TooLarge => "is too large",
                    _ => "is not a valid regular expression",
                };
                return Err(Error::new(e.code(), format!("config: `{key}` {what}: {e}")));
            }
        }
        for (name, key) in [
            (&self.sync.registry_name, "sync.registryName"),
            (&self.sync.system, "sync.system"),
            (&self.sync.domain, "sync.domain"),
            (&self.sync.owner, "sync.owner"),
        ] {
            if !is_valid_backstage_name(name) {
                return bad(format!(
                    "config: `{key}` is not a valid Backstage entity name (1-63 letters, digits, '-', '_', '.'; starting and ending with a letter or digit)"
                ));
            }
        }
        // Only `sync` (not in the browser's validation-only build) reads the targets.
        #[cfg(feature = "edit")]
        self.check_targets()?;
        if !self.tfvars_path.contains("{environment}") {
            return bad("config: `tfvarsPath` must contain `{environment}`".into());
        }
        for (path, key) in [
            (&self.tfvars_path, "tfvarsPath"),
            (&self.catalog_path, "catalogPath"),
            (&self.sync.entities_path, "sync.entitiesPath"),
            (&self.sync.system_path, "sync.systemPath"),
            (&self.sync.domain_path, "sync.domainPath"),
            (&self.sync.location_path, "sync.locationPath"),
        ] {
            if let Some(why) = path_problem(path) {
                return bad(format!(
                    "config: `{key}` {why}; it must be a relative path inside the repository"
                ));
            }
            if !is_safe_relative_path(path) {
                return bad(format!(
                    "config: `{key}` must be a relative path without `..`"
                ));
            }
        }
        // An environment is a path component of `tfvarsPath`: `{environment}` must not become `.git`.
        for (i, env) in self.environments.iter().enumerate() {
            if let Some(why) = path_problem(&self.tfvars_path_for(env)) {
                return bad(format!(
                    "config: `tfvarsPath` for `environments[{i}]` {why}; it must be a relative path inside the repository"
                ));
            }
        }
        let ident_ok = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if !ident_ok(&self.variable) {
            return bad("config: `variable` is not an HCL identifier".into());
        }
        if self.id_prefix.is_empty()
            || !self
                .id_prefix
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return bad("config: `idPrefix` must be upper-case letters, digits and '_'".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_platforms() {
        let c = Config::default();
        c.check().unwrap();
        assert_eq!(c.environments, ["dev", "test", "staging", "prod"]);
        assert_eq!(c.risk_names(), ["low", "medium", "high"]);
        assert_eq!(c.risk_tiers["high"].retention_images, 50);
        assert_eq!(c.risk_tiers["high"].mutability, "IMMUTABLE");
        assert_eq!(c.tfvars_path_for("dev"), "envs/dev/terraform.tfvars");
    }

    #[cfg(feature = "edit")]
    #[test]
    fn unsafe_config_values_are_rejected() {
        for yaml in [
            "environments: ['../etc']\n",
            "environments: []\n",
            "tfvarsPath: envs/terraform.tfvars\n",
            "tfvarsPath: ../{environment}/x.tfvars\n",
            "catalogPath: /etc/passwd\n",
            "namePattern: '['\n",
            "variable: 'a b'\n",
        ] {
            let e = Config::from_yaml(yaml).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{yaml}");
        }
    }
}
