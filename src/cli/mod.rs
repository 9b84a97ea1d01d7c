//! The native CLI's adapter: arguments, files, AWS and output. All decisions are the core's.

pub mod args;
mod aws;
mod clock;
mod commands;
mod fs;
mod git;
pub mod heap;
pub mod report;

use std::process::ExitCode;

use args::{Cli, Command, LifecycleCommand, RenderCommand};
use report::Failure;

/// Run one command; `Ok` carries the exit code of a command that ran (0, or 1 for a verdict such
/// as an invalid request or drift).
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Scaffold(args) => commands::scaffold::run(args),
        Command::Sync(args) => commands::sync::run(args),
        Command::Render(RenderCommand::Crossplane(args)) => commands::render::crossplane(args),
        Command::Render(RenderCommand::Argocd(args)) => commands::render::argocd(args),
        Command::Lifecycle(LifecycleCommand::Render(args)) => commands::lifecycle::render(args),
        Command::Lifecycle(LifecycleCommand::Validate(args)) => commands::lifecycle::validate(args),
        Command::Codes(args) => commands::codes::run(args),
        Command::Changes(args) => commands::changes::run(args),
        Command::Update(args) => commands::day2::update(args),
        Command::Decommission(args) => commands::day2::decommission(args),
    }
}
