//! `ecr-registrar codes`: every stable code with what it means (`docs/cli.md`'s tables say the same).

use std::process::ExitCode;

use ecr_registrar::stable_codes;

use crate::cli::args::{CodesArgs, Format};
use crate::cli::report::{Failure, print_json, println};

pub fn run(args: CodesArgs) -> Result<ExitCode, Failure> {
    let codes = stable_codes();
    match args.format {
        Format::Json => print_json(&codes)?,
        Format::Text => {
            for (title, list) in [
                ("error codes (error.code)", &codes.error_codes),
                ("field codes (errors[].code)", &codes.field_codes),
                (
                    "lifecycle policy codes (problems[].code)",
                    &codes.policy_codes,
                ),
                ("guard codes (guard.problems[].code)", &codes.guard_codes),
            ] {
                println(title)?;
                for c in list {
                    println(format_args!("  {:<24} {}", c.code, c.description))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
