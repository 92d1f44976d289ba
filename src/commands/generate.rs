//! `acegen` / `acegen generate`: print or write the compose file.

use super::inputs::InputArgs;
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::{emit, report};
use camino::Utf8PathBuf;
use clap::Args;

#[derive(Debug, Clone, Args, Default)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Write to FILE atomically instead of stdout (recommended over `> FILE`); `-` is stdout;
    /// with --target kubernetes, FILE is a folder of manifests
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<Utf8PathBuf>,
}

pub fn run(args: &GenerateArgs) -> u8 {
    // `-o -` is stdout, as for other Unix tools.
    let file = args.output.as_deref().filter(|p| p.as_str() != "-");
    let compilation = match super::compile_for(&args.inputs, file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report::text::print_diagnostics_in(&compilation, super::stderr_palette());
    let output = match (
        &compilation.output,
        compilation.is_valid(args.inputs.strict),
    ) {
        (Some(output), true) => output,
        _ => {
            report::text::print_refusal(&compilation, args.inputs.strict);
            return EXIT_INVALID;
        }
    };
    let manifests = compilation.manifests.as_ref();
    let inputs = &compilation.inputs;
    let read: Vec<&camino::Utf8Path> = [&inputs.env, &inputs.custom_variant, &inputs.template]
        .into_iter()
        .flatten()
        .map(|f| f.path.as_path())
        .collect();
    if let (Some(folder), Some(_)) = (file, manifests) {
        if let Err(e) = emit::folder::check_inputs_outside(folder, &read) {
            eprintln!("acegen: error: {e}");
            return EXIT_USAGE_OR_IO;
        }
    }
    if let (Some(path), None) = (file, manifests) {
        if let Err(e) = emit::check_target(path, &read) {
            eprintln!("acegen: error: {e}");
            return EXIT_USAGE_OR_IO;
        }
    }
    let written = match (file, manifests) {
        (Some(folder), Some(manifests)) => emit::folder::write_folder_atomically(
            folder,
            &manifests.files(),
            crate::render::kubernetes::HEADER,
        )
        .map_err(|e| e.to_string()),
        (Some(path), None) => {
            emit::write_atomically(path, output).map_err(|e| format!("{path}: cannot write: {e}"))
        }
        (None, _) => return super::print_stdout(output),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("acegen: error: {e}");
            EXIT_USAGE_OR_IO
        }
    }
}
