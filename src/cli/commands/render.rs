//! `ecr-registrar render crossplane`: the Crossplane manifests of a validated request.

use std::process::ExitCode;

use ecr_registrar::{CrossplaneOptions, Validator, crossplane_yaml, render_crossplane};

use crate::cli::args::{CrossplaneArgs, ManifestFormat};
use crate::cli::fs::{load_config, write_file};
use crate::cli::report::{Failure, json, print_document};

pub fn crossplane(args: CrossplaneArgs) -> Result<ExitCode, Failure> {
    let v = Validator::new(&load_config(args.config.as_deref(), None)?)?;
    let opts = CrossplaneOptions {
        region: args.region,
        namespace: Some(args.namespace),
        system: args.system,
        keep: args.keep,
        expire_untagged_days: args.expire_untagged_days,
        kms_key_ref: args.kms_key_ref,
    };
    let manifests = render_crossplane(&v, &args.request.into_request(), &opts)?;
    let text = match args.format {
        ManifestFormat::Yaml => crossplane_yaml(&manifests)?,
        ManifestFormat::Json => json(&manifests) + "\n",
    };
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => print_document(text)?,
    }
    Ok(ExitCode::SUCCESS)
}
