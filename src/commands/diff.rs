//! `acegen diff [FILE]`: what `generate` would change in FILE, as a unified
//! diff or (`--semantic`, `--format json`) as a list of changes by path.

use super::inputs::InputArgs;
use super::{EXIT_OK, EXIT_USAGE_OR_IO};
use crate::diff::depth::{TooDeep, MAX_DEPTH};
use crate::diff::objects;
use crate::diff::parse::ParseError;
use crate::diff::redact::Secrets;
use crate::diff::semantic;
use crate::diff::unified::{self, Sides};
use crate::diff::{report, Palette};
use crate::load::guard;
use crate::report as diagnostics_report;
use crate::report::printable::printable_lines;
use camino::{Utf8Path, Utf8PathBuf};
use clap::{Args, ValueEnum};

mod compose_file;
mod provenance;

/// Exit code when FILE differs from what would be generated.
pub const EXIT_DIFFERENT: u8 = 1;

/// The compose file compared when none is named and none exists (with
/// `--allow-missing`): the name acegen's docs write the file under.
pub const DEFAULT_FILE: &str = "docker-compose.yml";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    #[default]
    Text,
    /// The changes as data (always a semantic comparison)
    Json,
}

#[derive(Debug, Clone, Args, Default)]
#[command(
    after_help = "Exit codes: 0 FILE is identical to what would be generated (with \
--semantic or --format json: equal as data), 1 it differs, 2 error: the configuration \
is invalid (its diagnostics are printed), FILE is missing or not YAML, or a usage or I/O error."
)]
pub struct DiffArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// The compose file to compare, `-` for standard input [default: the first of COMPOSE_FILE,
    /// else compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml in the
    /// project directory]; with --target kubernetes a folder of manifests or a stream
    /// [default: manifests in the project directory]
    #[arg(value_name = "FILE")]
    pub file: Option<Utf8PathBuf>,
    /// Lines of context around each change
    #[arg(short = 'U', long = "context", value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Compare the parsed documents: ignore comments, quoting, key order, formatting
    #[arg(long)]
    pub semantic: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
    /// Treat a missing FILE as empty instead of an error
    #[arg(long)]
    pub allow_missing: bool,
}

pub fn run(args: &DiffArgs) -> u8 {
    match diff(args) {
        Ok(output) => {
            // A closed pipe (`acegen diff | head`) still exits with the comparison's answer.
            let written = super::print_stdout(&output.text);
            if written != EXIT_OK {
                written
            } else if output.identical {
                EXIT_OK
            } else {
                EXIT_DIFFERENT
            }
        }
        Err(code) => code,
    }
}

/// What to print and whether the two sides are the same.
struct Output {
    text: String,
    identical: bool,
}

fn diff(args: &DiffArgs) -> Result<Output, u8> {
    if args.file.as_deref() == Some(Utf8Path::new(crate::load::STDIN))
        && args.inputs.env_file.as_deref() == Some(Utf8Path::new(crate::load::STDIN))
    {
        crate::report::print_error(
            "--env-file - and FILE - both ask for standard input; name one as a file",
        );
        return Err(EXIT_USAGE_OR_IO);
    }
    let compilation = super::compile_for(
        &args.inputs,
        args.file
            .as_deref()
            .filter(|f| f.as_str() != crate::load::STDIN),
    )?;
    diagnostics_report::text::print_diagnostics_in(&compilation, super::stderr_palette());
    let generated = match (
        &compilation.output,
        compilation.is_valid(args.inputs.strict),
    ) {
        (Some(output), true) => output.as_str(),
        _ => {
            // Exit 2, not 1: 1 means "FILE differs", which CI must be able to trust.
            diagnostics_report::text::print_refusal(&compilation, args.inputs.strict);
            return Err(EXIT_USAGE_OR_IO);
        }
    };
    let stack = compilation.inputs.project_dir.as_path();
    if let Some(manifests) = &compilation.manifests {
        return kubernetes_diff(args, manifests, stack);
    }
    let (path, before) = match &args.file {
        Some(file) if file == crate::load::STDIN => {
            (Utf8PathBuf::from(crate::load::STDIN_NAME), read_stdin()?)
        }
        Some(file) => (file.clone(), read_file(file, stack, args.allow_missing)?),
        None => {
            let path = compose_file::default_file(stack, args.allow_missing)?;
            let before = read_file(&path, stack, args.allow_missing)?;
            (path, before)
        }
    };
    // Where the inputs came from is not compared (a file made from .env
    // matches a CI run from .env.example); the options that made it are.
    let made = generated;
    let generated = &*provenance::with_committed_provenance(&before, made);
    let after_name = format!("{path} (generated by acegen)");
    let palette = Palette {
        enabled: super::color().for_stdout(),
    };
    let output = if args.semantic || args.format == DiffFormat::Json {
        semantic_diff(args, &path, &before, generated, palette)?
    } else {
        let sides = Sides {
            before_name: path.as_str(),
            before: &before,
            after_name: &after_name,
            after: generated,
        };
        Output {
            text: unified::unified_diff(&sides, args.context, palette),
            identical: before == generated,
        }
    };
    if !output.identical {
        if let Some(note) = provenance::options_note(&path, &before, made) {
            eprintln!("{note}");
        }
    }
    Ok(output)
}

fn semantic_diff(
    args: &DiffArgs,
    path: &Utf8Path,
    before: &str,
    generated: &str,
    palette: Palette,
) -> Result<Output, u8> {
    // The usual case in CI, a file that is up to date, needs no parsing.
    let changes = if before == generated {
        Vec::new()
    } else {
        semantic_changes(path, before, generated)?
    };
    // Values anchored under an ordinary key and aliased under a secret one
    // are masked wherever they are shown (FILE only: acegen's own
    // document passes secrets by reference).
    let secrets = if changes.is_empty() {
        Secrets::default()
    } else {
        Secrets::reachable_through_aliases(before)
    };
    let text = match args.format {
        DiffFormat::Json => {
            let value = report::json_report(&changes, path.as_str(), &secrets);
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        DiffFormat::Text => {
            let header = format!("--- {path}\n+++ {path} (generated by acegen)");
            format!(
                "{}\n{}",
                palette.header(&header),
                report::text_report(&changes, palette, &secrets)
            )
        }
    };
    Ok(Output {
        text,
        identical: changes.is_empty(),
    })
}

/// `--target kubernetes`: FILE is a folder of manifests (default
/// `manifests` beside `.env`) or a multi-document stream; the changes are
/// listed per object (diff/objects.rs).
fn kubernetes_diff(
    args: &DiffArgs,
    manifests: &crate::render::kubernetes::Manifests,
    project_dir: &Utf8Path,
) -> Result<Output, u8> {
    let path = args
        .file
        .clone()
        .unwrap_or_else(|| project_dir.join("manifests"));
    let fail = |message: String| {
        crate::report::print_error(&message);
        EXIT_USAGE_OR_IO
    };
    let (before, folder) = if path == crate::load::STDIN {
        let text = read_stdin()?;
        (
            objects::split_stream(&text, crate::load::STDIN_NAME).map_err(fail)?,
            None,
        )
    } else if path.is_dir() {
        guard::check_folder(&path, project_dir).map_err(|r| fail(format!("{path}: {r}")))?;
        (
            objects::read_folder(&path, project_dir).map_err(fail)?,
            Some(path.as_path()),
        )
    } else if !path.exists() && args.allow_missing {
        (Vec::new(), Some(path.as_path()))
    } else if !path.exists() {
        return Err(fail(format!(
            "{path}: no such folder; name the manifests folder or stream to compare \
             (`acegen diff --target kubernetes DIR`), or pass --allow-missing to compare with nothing"
        )));
    } else {
        let text = read_file(&path, project_dir, args.allow_missing)?;
        (
            objects::split_stream(&text, path.as_str()).map_err(fail)?,
            None,
        )
    };
    let after = objects::generated(manifests, folder);
    let changes = objects::changes(&before, &after);
    let palette = Palette {
        enabled: super::color().for_stdout(),
    };
    let (text, identical) = if args.format == DiffFormat::Json {
        let (value, identical) = objects::json_diff(&changes, path.as_str()).map_err(fail)?;
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        (format!("{text}\n"), identical)
    } else if args.semantic {
        objects::semantic_diff(&changes, palette).map_err(fail)?
    } else {
        let text = objects::text_diff(&changes, args.context, palette);
        (text, changes.is_empty())
    };
    Ok(Output { text, identical })
}

fn read_stdin() -> Result<String, u8> {
    std::io::read_to_string(std::io::stdin().lock()).map_err(|e| {
        crate::report::print_error(&format!("<stdin>: cannot read: {e}"));
        EXIT_USAGE_OR_IO
    })
}

/// Parses both documents and compares them; a FILE that does not parse is
/// reported here (the generated document always parses back).
fn semantic_changes(
    path: &Utf8Path,
    before: &str,
    generated: &str,
) -> Result<Vec<semantic::Change>, u8> {
    crate::diff::semantic_changes(before, generated).map_err(|e| {
        match e {
            ParseError::TooDeep(at) => eprint!("{}", printable_lines(&too_deep(path, at))),
            ParseError::Yaml(e) => {
                crate::report::print_error(&format!("{path}: not a YAML document: {e}"))
            }
        }
        EXIT_USAGE_OR_IO
    })
}

/// E0740, in the form of the other diagnostics (without the source line:
/// it may be a 200 KB line of brackets).
fn too_deep(path: &Utf8Path, at: TooDeep) -> String {
    const CODE: &str = "E0740";
    format!(
        "error[{CODE}]: {path} nests collections more than {MAX_DEPTH} levels deep; \
         acegen compares compose files, which nest a few levels\n  \
         --> {path}:{}:{}\n  \
         = hint: check that {path} is the compose file you meant; nothing was compared\n",
        at.line, at.column
    )
}

/// Reads FILE, refusing a link out of the stack's folder or a special file
/// (`load::guard`): what is read may be printed.
fn read_file(path: &Utf8Path, stack: &Utf8Path, allow_missing: bool) -> Result<String, u8> {
    if let Err(refused) = guard::check_input(path, stack) {
        eprintln!("acegen: error: {path}: {refused}");
        return Err(EXIT_USAGE_OR_IO);
    }
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && allow_missing => Ok(String::new()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::report::print_error(&format!(
                "{path}: no such file; name the compose file to compare \
                 (`acegen diff FILE`), or pass --allow-missing to compare with an empty file"
            ));
            Err(EXIT_USAGE_OR_IO)
        }
        Err(e) => {
            crate::report::print_error(&format!("{path}: cannot read: {e}"));
            Err(EXIT_USAGE_OR_IO)
        }
    }
}
