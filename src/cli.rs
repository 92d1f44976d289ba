//! The command line: flags and subcommands (clap), and dispatch to the
//! commands in `commands/`. Exit codes: 0 ok, 1 invalid configuration (or,
//! for `diff`, a difference), 2 usage or I/O error.

use crate::commands;
use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

mod order;

#[derive(Debug, Parser)]
#[command(
    name = "acegen",
    version,
    about = "Compile an AceStream orchestrator .env (and custom_engine_variant.json) into a docker-compose.yml",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 ok, 1 invalid configuration, 2 usage or I/O error.\nWith no command, acegen runs `generate`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub generate: commands::generate::GenerateArgs,
    /// Colour the output: auto = when the output is a terminal, NO_COLOR is unset and
    /// CLICOLOR_FORCE does not ask for colour anyway
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: crate::report::colour::ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the compose file (the default command).
    Generate(commands::generate::GenerateArgs),
    /// Validate the inputs and list every problem at once.
    Check(commands::check::CheckArgs),
    /// Show what `generate` would change in a compose file (exit 0 same, 1 different, 2 error).
    Diff(commands::diff::DiffArgs),
    /// Explain what was resolved and why.
    Explain(commands::explain::ExplainArgs),
    /// Print the body of the orchestrator 2.1's POST /api/v1/settings for .env (--orchestrator 2.1).
    Settings(commands::settings::SettingsArgs),
    /// Print a JSON Schema, for editors and other tools.
    Schema(commands::schema::SchemaArgs),
    /// Write a starter .env and custom_engine_variant.json.
    Init(commands::init::InitArgs),
    /// Print the built-in template, to start your own --template from (docs/template.md).
    Template,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per subcommand with --dir,
    /// e.g. `acegen man --dir ~/.local/share/man/man1`.
    Man(commands::completions::ManArgs),
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let mut command = Cli::command();
    command.build();
    let args = order::options_after_subcommand(&command, std::env::args_os().collect());
    let cli = Cli::try_parse_from(args).unwrap_or_else(|e| exit_on_usage_error(e));
    commands::set_color(cli.color);
    let code = match cli.command {
        None => commands::generate::run(&cli.generate),
        Some(Command::Generate(args)) => commands::generate::run(&args),
        Some(Command::Check(args)) => commands::check::run(&args),
        Some(Command::Diff(args)) => commands::diff::run(&args),
        Some(Command::Explain(args)) => commands::explain::run(&args),
        Some(Command::Settings(args)) => commands::settings::run(&args),
        Some(Command::Schema(args)) => commands::schema::run(&args),
        Some(Command::Init(args)) => commands::init::run(&args),
        Some(Command::Template) => commands::print_stdout(crate::render::compose::DEFAULT_TEMPLATE),
        Some(Command::Completions(args)) => commands::completions::run(&args, Cli::command()),
        Some(Command::Man(args)) => commands::completions::man(&args, Cli::command()),
    };
    ExitCode::from(code)
}

/// Prints a command-line error and exits 2. Clap repeats the argument it
/// refused, which may hold terminal controls: the message is escaped as
/// every other text from the user is. Help and version go out as clap
/// prints them.
fn exit_on_usage_error(error: clap::Error) -> ! {
    if !error.use_stderr() {
        error.exit();
    }
    let text = error.render().to_string();
    eprint!("{}", crate::report::printable::printable_lines(&text));
    std::process::exit(i32::from(commands::EXIT_USAGE_OR_IO));
}
