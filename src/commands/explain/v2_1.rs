//! `explain --orchestrator 2.1`: the 2.1 stack, the settings-store body and
//! every key's fate (docs/explain.md#--orchestrator-21).

use super::{ExplainArgs, ExplainFormat};
use crate::orchestrator21::{compile::entries_of, explain};
use crate::report;

pub fn run(args: &ExplainArgs) -> u8 {
    let compilation = match super::super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report::text::print_diagnostics_in(&compilation, super::super::stderr_palette());
    if compilation.diagnostics.has_errors() {
        report::text::print_refusal(&compilation, args.inputs.strict);
        return super::EXIT_INVALID;
    }
    let entries = entries_of(&compilation, &args.inputs.request());
    let with_stack = args.inputs.stack == crate::resolve::Stack::Orchestrator;
    let text = match args.format {
        ExplainFormat::Json => {
            let value = explain::json(&entries, with_stack);
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        ExplainFormat::Text => explain::text(&entries, with_stack),
    };
    super::super::print_stdout(&text)
}
