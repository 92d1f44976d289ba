//! `acegen check`: run every validation `generate` runs and list every
//! problem at once, for people (text), tools (json) or GitHub Actions (github).

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::cli::InputArgs;
use crate::report;
use crate::report::colour::{ColorChoice, Palette};
use clap::{Args, ValueEnum};
use std::io::Write;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style diagnostics on stderr
    #[default]
    Text,
    /// A versioned JSON envelope on stdout (docs/check.md)
    Json,
    /// GitHub Actions workflow commands on stdout (annotations)
    Github,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: CheckFormat,
    /// Colour the text diagnostics: auto = only when stderr is a terminal and NO_COLOR is unset
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,
}

pub fn run(args: &CheckArgs) -> u8 {
    let strict = args.inputs.strict;
    let compilation = match super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let report = match args.format {
        CheckFormat::Text => {
            let palette = Palette::new(args.color.for_stderr());
            report::text::print_diagnostics_in(&compilation, palette);
            None
        }
        CheckFormat::Json => Some(report::json::render(&compilation, strict)),
        CheckFormat::Github => Some(report::github::render(&compilation)),
    };
    if let Some(text) = report {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            eprintln!("acegen: error: cannot write to stdout: {e}");
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
