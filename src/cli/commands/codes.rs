//! `ecr-registrar codes`: every stable code with what it means (the README's tables say the same).

use std::process::ExitCode;

use ecr_registrar::{ErrorCode, FieldCode, PolicyCode};
use serde::Serialize;

use crate::cli::args::{CodesArgs, Format};
use crate::cli::report::{Failure, print_json, println};

#[derive(Serialize)]
struct Code {
    code: &'static str,
    description: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Codes {
    error_codes: Vec<Code>,
    field_codes: Vec<Code>,
    policy_codes: Vec<Code>,
}

macro_rules! list {
    ($codes:ty) => {
        <$codes>::ALL
            .iter()
            .map(|c| Code {
                code: c.as_str(),
                description: c.description(),
            })
            .collect::<Vec<_>>()
    };
}

pub fn run(args: CodesArgs) -> Result<ExitCode, Failure> {
    let codes = Codes {
        error_codes: list!(ErrorCode),
        field_codes: list!(FieldCode),
        policy_codes: list!(PolicyCode),
    };
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
