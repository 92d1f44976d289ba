//! `acegen explain`: what was resolved and why — the variant and the rule
//! that chose it, the VPN layout, every engine, and where each setting came from.

use super::inputs::InputArgs;
use super::EXIT_INVALID;
use crate::report;
use clap::{Args, ValueEnum};

mod facts;
mod json;
mod orchestrator;
mod text;
mod v2_1;

pub use json::explanation;
use json::replicas_json;
pub use text::text_explanation;

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ExplainFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Args, Default)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ExplainFormat,
}

pub fn run(args: &ExplainArgs) -> u8 {
    if args.inputs.orchestrator == crate::orchestrator21::Version::V2_1 {
        return v2_1::run(args);
    }
    let compilation = match super::compile_without_text(&args.inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report::text::print_diagnostics_in(&compilation, super::stderr_palette());
    let Some(plan) = compilation
        .plan
        .as_ref()
        .filter(|_| !compilation.diagnostics.has_errors())
    else {
        report::text::print_refusal(&compilation, args.inputs.strict);
        return EXIT_INVALID;
    };
    let kubernetes = compilation
        .manifests
        .as_ref()
        .map(|m| (m, args.inputs.target.kubernetes_options()));
    let text = match args.format {
        ExplainFormat::Json => {
            let mut value = explanation(&compilation, plan);
            value["replicas"] = replicas_json(&compilation, plan, args.inputs.replicas);
            if let Some((manifests, options)) = &kubernetes {
                let env_file = super::target::recipe_env_file(&compilation.inputs);
                value["kubernetes"] =
                    super::target::explanation_json(manifests, options, &env_file);
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        ExplainFormat::Text => {
            let mut text = text_explanation(&compilation, plan, args.inputs.replicas);
            if let Some((manifests, options)) = &kubernetes {
                let env_file = super::target::recipe_env_file(&compilation.inputs);
                text.push_str(&super::target::explanation_text(
                    manifests, options, &env_file,
                ));
            }
            // Values, paths and names from the inputs are in it: escaped
            // as every text from the inputs that reaches a terminal.
            report::printable::printable_lines(&text).into_owned()
        }
    };
    super::print_stdout(&text)
}
