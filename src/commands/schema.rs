//! `acegen schema env|custom-variant`: print a JSON Schema for editors and tools.

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaName {
    /// The .env keys acegen reads, as an object of strings
    Env,
    /// custom_engine_variant.json
    CustomVariant,
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which schema to print
    pub name: SchemaName,
}

/// The text of a schema, exactly as acegen validates with it.
pub fn schema_text(name: SchemaName) -> &'static str {
    match name {
        SchemaName::Env => crate::validate::settings::ENV_SCHEMA_TEXT,
        SchemaName::CustomVariant => crate::validate::custom_variant::SCHEMA_TEXT,
    }
}

pub fn run(args: &SchemaArgs) -> u8 {
    super::print_stdout(schema_text(args.name))
}
