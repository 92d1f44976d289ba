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
    /// The keys of which orchestrator: 1.5 (the keys acegen reads) or 2.1 (what the orchestrator
    /// 2.1 reads and ignores, docs/orchestrator.md#migrating-to-21)
    #[arg(long, value_enum, default_value_t, value_name = "VERSION")]
    pub orchestrator: crate::orchestrator21::Version,
}

/// The text of a schema, exactly as acegen validates with it.
pub fn schema_text(name: SchemaName) -> &'static str {
    match name {
        SchemaName::Env => crate::validate::settings::ENV_SCHEMA_TEXT,
        SchemaName::CustomVariant => crate::validate::custom_variant::SCHEMA_TEXT,
    }
}

pub fn run(args: &SchemaArgs) -> u8 {
    match (args.orchestrator, args.name) {
        (crate::orchestrator21::Version::V1_5, name) => super::print_stdout(schema_text(name)),
        (_, SchemaName::Env) => super::print_stdout(&crate::orchestrator21::schema::env_schema()),
        (_, SchemaName::CustomVariant) => {
            eprintln!("acegen: error: the orchestrator 2.1 never reads custom_engine_variant.json: it has no schema there");
            super::EXIT_USAGE_OR_IO
        }
    }
}
