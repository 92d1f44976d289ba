//! `acegen schema custom-variant`: print a JSON Schema for editors and tools.

use super::EXIT_OK;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaName {
    /// custom_engine_variant.json
    CustomVariant,
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which schema to print
    pub name: SchemaName,
}

pub fn run(args: &SchemaArgs) -> u8 {
    let text = match args.name {
        SchemaName::CustomVariant => crate::validate::custom_variant::SCHEMA_TEXT,
    };
    print!("{text}");
    EXIT_OK
}
