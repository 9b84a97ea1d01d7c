//! The targeted Terraform commands of a change: the address of one repository, the directory
//! Terraform runs in for an environment, and the plan and apply commands.

use crate::config::Config;

/// The Terraform address of one repository.
fn target(config: &Config, name: &str) -> String {
    format!("-target='module.{}[\"{name}\"]'", config.variable)
}

/// The directory Terraform runs in for an environment (the tfvars file's folder).
fn workdir(config: &Config, environment: &str) -> String {
    let path = config.tfvars_path_for(environment);
    path.rsplit_once('/')
        .map_or(".".to_string(), |(d, _)| d.to_string())
}

/// The targeted plan for one repository in one environment (`destroy`: a destroy plan).
pub(crate) fn plan_command(
    config: &Config,
    environment: &str,
    name: &str,
    destroy: bool,
) -> String {
    let d = if destroy { " -destroy" } else { "" };
    format!(
        "terraform -chdir={} plan{d} {}",
        workdir(config, environment),
        target(config, name)
    )
}

pub(super) fn apply_command(
    config: &Config,
    environment: &str,
    name: &str,
    destroy: bool,
) -> String {
    let d = if destroy { " -destroy" } else { "" };
    format!(
        "terraform -chdir={} apply{d} -auto-approve -input=false {}",
        workdir(config, environment),
        target(config, name)
    )
}
