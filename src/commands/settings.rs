//! `acegen settings --orchestrator 2.1`: the JSON body of 2.1's
//! `POST /api/v1/settings` that gives its settings store the values `.env`
//! meant (docs/orchestrator.md#migrating-to-21). The body goes to stdout,
//! what became of each key and what to do with secrets to stderr.

use super::inputs::InputArgs;
use super::{EXIT_INVALID, EXIT_USAGE_OR_IO};
use crate::orchestrator21::{self, compile::entries_of, settings, Version};
use crate::report;
use clap::Args;

#[derive(Debug, Clone, Args, Default)]
pub struct SettingsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
}

/// The codes that make the body wrong: the `.env` cannot be read as
/// compose reads it, or a value cannot be stored as meant.
fn spoils_the_body(code: &str) -> bool {
    code.starts_with("E01") || code == "E1011"
}

pub fn run(args: &SettingsArgs) -> u8 {
    if args.inputs.orchestrator != Version::V2_1 {
        eprintln!("acegen: error: `acegen settings` prints the body for the orchestrator 2.1's settings store, which 1.x does not have: add --orchestrator 2.1");
        return EXIT_USAGE_OR_IO;
    }
    let compilation = match super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let request = args.inputs.request();
    let entries = entries_of(&compilation, &request);
    let (assignments, _) = settings::assignments(&entries);
    if compilation
        .diagnostics
        .iter()
        .any(|d| d.is_error() && spoils_the_body(d.code))
    {
        let mut refusal = compilation.clone();
        refusal.diagnostics = crate::diagnostic::Diagnostics::new();
        refusal.diagnostics.extend(
            compilation
                .diagnostics
                .iter()
                .filter(|d| spoils_the_body(d.code))
                .cloned(),
        );
        report::text::print_diagnostics_in(&refusal, super::stderr_palette());
        eprintln!("acegen: no settings body: fix the errors above");
        return EXIT_INVALID;
    }
    let mut body = serde_json::to_string_pretty(&settings::body(&assignments)).unwrap_or_default();
    body.push('\n');
    let code = super::print_stdout(&body);
    for a in &assignments {
        eprintln!("acegen: {} = {} (from {})", a.field.path(), a.value, a.key);
    }
    if assignments.is_empty() {
        eprintln!(
            "acegen: .env sets nothing that 2.1 keeps in its settings store: the body is empty"
        );
    }
    eprintln!("acegen: apply it with POST /api/v1/settings (docs/orchestrator.md#migrating-to-21); a POST merges into each category, so no other field changes");
    eprintln!("acegen: {}", orchestrator21::SECRETS_ADVICE);
    code
}
