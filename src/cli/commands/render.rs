//! `ecr-registrar render crossplane` and `render argocd`: the Crossplane manifests of a validated
//! request, and the Argo CD Application that syncs them.

use std::process::ExitCode;

use ecr_registrar::{
    ApplicationOptions, CrossplaneOptions, Error, ErrorCode, Validator, crossplane_yaml,
    document_yaml, render_application, render_crossplane,
};

use crate::cli::args::{ArgocdArgs, CrossplaneArgs, ManifestFormat};
use crate::cli::fs::{load_config, write_file};
use crate::cli::report::{Document, Failure, json, print_document};

pub fn crossplane(args: CrossplaneArgs) -> Result<ExitCode, Failure> {
    let v = Validator::new(&load_config(args.config.as_deref(), None)?)?;
    let request = args.request.into_request();
    let Some(region) = v.region_of(&request) else {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "a Crossplane Repository needs a region: give --region, or set defaultRegion in the config",
        )
        .into());
    };
    let opts = CrossplaneOptions {
        region,
        namespace: Some(args.namespace),
        system: args.system,
        keep: args.keep,
        expire_untagged_days: args.expire_untagged_days,
        kms_key_ref: args.kms_key_ref,
    };
    let manifests = render_crossplane(&v, &request, &opts)?;
    let (text, syntax) = match args.format {
        ManifestFormat::Yaml => (crossplane_yaml(&manifests)?, Document::Yaml),
        ManifestFormat::Json => (json(&manifests) + "\n", Document::Json),
    };
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => print_document(text, syntax)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn argocd(args: ArgocdArgs) -> Result<ExitCode, Failure> {
    let v = Validator::new(&load_config(args.config.as_deref(), None)?)?;
    let opts = ApplicationOptions {
        cluster: args.cluster,
        repo_url: args.repo_url,
        path: args.path,
        target_revision: args.target_revision,
        namespace: args.namespace,
        project: args.project,
        destination_namespace: args.destination_namespace,
    };
    let app = render_application(&v, &args.request.into_request(), &opts)?;
    let (text, syntax) = match args.format {
        ManifestFormat::Yaml => (document_yaml(&app)?, Document::Yaml),
        ManifestFormat::Json => (json(&app) + "\n", Document::Json),
    };
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => print_document(text, syntax)?,
    }
    Ok(ExitCode::SUCCESS)
}
