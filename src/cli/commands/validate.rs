//! `ecr-registrar validate`: the fields given, checked by the core; exit 1 when invalid.

use std::process::ExitCode;

use ecr_registrar::Validator;

use crate::cli::args::{Format, ValidateArgs};
use crate::cli::fs::load_config;
use crate::cli::report::{Failure, print_json, println};

pub fn run(args: ValidateArgs) -> Result<ExitCode, Failure> {
    let v = Validator::new(&load_config(args.config.as_deref(), None)?)?;
    let report = v.validate_fields(&args.request.name, &args.request.given_fields());
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Text if report.valid => println(format_args!(
            "valid: {} (registry id {})",
            args.request.name,
            report.registry_id.as_deref().unwrap_or("-")
        ))?,
        Format::Text => {
            println("invalid request:")?;
            for e in &report.errors {
                println(format_args!("  {} [{}]: {}", e.field, e.code, e.message))?;
            }
        }
    }
    Ok(ExitCode::from(if report.valid { 0 } else { 1 }))
}
