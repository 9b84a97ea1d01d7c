//! `ecr-registrar`: the native CLI. `main` parses the arguments, runs one command (`src/cli/`) and
//! turns the outcome into an exit code; nothing else happens here.
//!
//! Exit codes: 0 success; 1 a verdict (invalid request, conflict, no such registry, invalid policy,
//! `sync --check` drift, `changes` guard failed); 2 usage, config, file or internal error; 3 AWS error. A closed standard output
//! (`ecr-registrar lifecycle render --keep 5 | head -c1`) ends the command quietly with 0.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use ecr_registrar::{Error, ErrorCode};

mod cli;

use cli::args::{Cli, Format};
use cli::report::{Document, ErrorReport, Failure, escaped_document, json};
use ecr_registrar::quote::terminal;

fn main() -> ExitCode {
    cli::heap::prepare();
    let cli = Cli::parse();
    let format = cli.command.error_format();
    match cli::run(cli) {
        Ok(code) => code,
        // The reader went away (`| head`): there is no one left to tell.
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Core(e)) => {
            report(&e, format);
            ExitCode::from(exit_code(e.code))
        }
    }
}

/// The exit code of a failure.
fn exit_code(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::InvalidRequest | ErrorCode::Conflict | ErrorCode::NotFound => 1,
        ErrorCode::Aws => 3,
        _ => 2,
    }
}

/// The error on stderr for people, or as `{"error": …}` on stdout for `--format json`. Nothing
/// more can be done if that write fails too.
fn report(e: &Error, format: Format) {
    let _ = match format {
        Format::Json => writeln!(
            std::io::stdout(),
            "{}",
            escaped_document(&json(&ErrorReport { error: e }), Document::Json)
        ),
        Format::Text => writeln!(std::io::stderr(), "{}", terminal(&format!("error: {e}"))),
    };
}
