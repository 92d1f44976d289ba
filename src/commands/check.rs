//! `acegen check`: run every validation `generate` runs and list every problem.

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE_OR_IO};
use crate::cli::InputArgs;
use crate::{pipeline, report};
use clap::Args;

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
}

pub fn run(args: &CheckArgs) -> u8 {
    let compilation = match pipeline::compile(&args.inputs.request()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("acegen: error: {e}");
            return EXIT_USAGE_OR_IO;
        }
    };
    report::text::print_diagnostics(&compilation);
    report::text::print_summary(&compilation, args.inputs.strict);
    if compilation.is_valid(args.inputs.strict) {
        EXIT_OK
    } else {
        EXIT_INVALID
    }
}
