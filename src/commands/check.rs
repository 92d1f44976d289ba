//! `acegen check`: run every validation `generate` runs and list every
//! problem at once, for people (text), tools (json), GitHub Actions (github)
//! or code scanning (sarif).

use super::inputs::InputArgs;
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::report;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style diagnostics on stderr
    #[default]
    Text,
    /// A versioned JSON envelope on stdout (docs/check.md)
    Json,
    /// GitHub Actions workflow commands on stdout (annotations)
    Github,
    /// A SARIF 2.1.0 log on stdout, for GitHub code scanning (docs/check.md)
    Sarif,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: CheckFormat,
}

pub fn run(args: &CheckArgs) -> u8 {
    let strict = args.inputs.strict;
    let compilation = match super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let report = match args.format {
        CheckFormat::Text => {
            report::text::print_diagnostics_in(&compilation, super::stderr_palette());
            None
        }
        CheckFormat::Json => Some(report::json::render(&compilation, strict)),
        CheckFormat::Github => Some(report::github::render(&compilation)),
        CheckFormat::Sarif => Some(report::sarif::render(&compilation)),
    };
    if let Some(text) = report {
        if super::print_stdout(&text) != EXIT_OK {
            return EXIT_USAGE_OR_IO;
        }
    }
    report::text::print_summary(&compilation, strict);
    if compilation.is_valid(strict) {
        EXIT_OK
    } else {
        EXIT_INVALID
    }
}
