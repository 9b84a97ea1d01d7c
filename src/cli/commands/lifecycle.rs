//! `ecr-registrar lifecycle render|validate`: the platform's policy, and any policy checked.

use std::process::ExitCode;

use ecr_registrar::{LifecycleOptions, render_policy, validate_policy};

use crate::cli::args::{Format, PolicyRenderArgs, PolicyValidateArgs};
use crate::cli::fs::{read_input, write_file};
use crate::cli::report::{Document, Failure, print_document, print_json, println};

pub fn render(args: PolicyRenderArgs) -> Result<ExitCode, Failure> {
    let text = render_policy(&LifecycleOptions {
        keep: args.keep,
        expire_untagged_days: args.expire_untagged_days,
    })?;
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => print_document(text, Document::Json)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn validate(args: PolicyValidateArgs) -> Result<ExitCode, Failure> {
    let report = validate_policy(&read_input(&args.file)?);
    let file = args.file.display();
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Text if report.valid => println(format_args!("valid lifecycle policy: {file}"))?,
        Format::Text => {
            println(format_args!("invalid lifecycle policy: {file}"))?;
            for p in &report.problems {
                let at = if p.path.is_empty() {
                    "(document)"
                } else {
                    &p.path
                };
                println(format_args!("  {at} [{}]: {}", p.code, p.message))?;
            }
        }
    }
    Ok(ExitCode::from(if report.valid { 0 } else { 1 }))
}
