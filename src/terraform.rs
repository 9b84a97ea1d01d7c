//! The Terraform side of a request: the target address of one repository, the working directory
//! (the environment's Terraform root), the targeted plan and apply commands, and the refusal when
//! that root does not exist. `scaffold`, the day-2 requests and `changes` all describe Terraform
//! through this module, so the pull request, the guard's report and the workflows agree.

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, ErrorCode};

/// The Terraform address of one repository, as a `-target` argument.
pub fn target(config: &Config, name: &str) -> String {
    format!("-target='module.{}[\"{name}\"]'", config.variable)
}

/// The directory Terraform runs in for an environment: the tfvars file's folder.
pub fn workdir(config: &Config, environment: &str) -> String {
    let path = config.tfvars_path_for(environment);
    path.rsplit_once('/')
        .map_or(".".to_string(), |(d, _)| d.to_string())
}

fn command(config: &Config, workdir: &str, name: &str, verb: &str) -> String {
    format!("terraform -chdir={workdir} {verb} {}", target(config, name))
}

/// The targeted plan for one repository in one environment (`destroy`: a destroy plan).
pub fn plan_command(config: &Config, environment: &str, name: &str, destroy: bool) -> String {
    plan_in(config, &workdir(config, environment), name, destroy)
}

/// [`plan_command`] in a [`workdir`] already worked out (once per environment, not per entry).
pub fn plan_in(config: &Config, workdir: &str, name: &str, destroy: bool) -> String {
    let verb = if destroy { "plan -destroy" } else { "plan" };
    command(config, workdir, name, verb)
}

/// The targeted, unattended apply for one repository, in its environment's [`workdir`].
pub fn apply_in(config: &Config, workdir: &str, name: &str, destroy: bool) -> String {
    let verb = if destroy {
        "apply -destroy -auto-approve -input=false"
    } else {
        "apply -auto-approve -input=false"
    };
    command(config, workdir, name, verb)
}

/// What Terraform does for one request: where, on what, and the two commands.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TerraformSteps {
    /// The `-target` argument naming the repository's module instance.
    pub target: String,
    /// The directory Terraform runs in (the environment's root).
    pub workdir: String,
    /// The targeted plan (a destroy plan for a decommission).
    pub plan: String,
    /// The targeted apply the workflow runs after merge.
    pub apply: String,
    /// Whether Terraform destroys the repository.
    pub destroy: bool,
}

/// [`TerraformSteps`] for one repository in one environment.
pub fn steps(config: &Config, environment: &str, name: &str, destroy: bool) -> TerraformSteps {
    let workdir = workdir(config, environment);
    TerraformSteps {
        target: target(config, name),
        plan: plan_in(config, &workdir, name, destroy),
        apply: apply_in(config, &workdir, name, destroy),
        workdir,
        destroy,
    }
}

/// The refusal when the tfvars file would have to be created in an environment directory (its
/// Terraform root) that does not exist: a lone file that nothing reads. The adapters look at the
/// directory; the words are the core's.
pub fn missing_root(tfvars_path: &str) -> Error {
    let dir = tfvars_path.rsplit_once('/').map_or(".", |(dir, _)| dir);
    Error::new(
        ErrorCode::NotFound,
        format!(
            "{dir} does not exist: no Terraform root would read a new {tfvars_path}; create the environment's directory (its Terraform root) first"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_name_the_environment_root_and_the_module_instance() {
        let config = Config::default();
        let s = steps(&config, "dev", "payments-api", false);
        assert_eq!(s.workdir, "envs/dev");
        assert_eq!(
            s.target,
            "-target='module.ecr_repositories[\"payments-api\"]'"
        );
        assert_eq!(
            s.plan,
            "terraform -chdir=envs/dev plan -target='module.ecr_repositories[\"payments-api\"]'"
        );
        assert_eq!(
            s.apply,
            "terraform -chdir=envs/dev apply -auto-approve -input=false -target='module.ecr_repositories[\"payments-api\"]'"
        );
        let d = steps(&config, "prod", "old", true);
        assert!(
            d.plan
                .starts_with("terraform -chdir=envs/prod plan -destroy -target=")
        );
        assert!(
            d.apply.starts_with(
                "terraform -chdir=envs/prod apply -destroy -auto-approve -input=false"
            )
        );
    }

    #[test]
    fn the_missing_root_names_the_directory() {
        let e = missing_root("envs/qa/terraform.tfvars");
        assert_eq!(e.code, ErrorCode::NotFound);
        assert!(
            e.message.starts_with("envs/qa does not exist"),
            "{}",
            e.message
        );
    }
}
