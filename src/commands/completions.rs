//! `acegen completions SHELL` and `acegen man [--dir DIR]`: generated from the
//! same clap definition as the parser, so they never fall behind the options.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `command` is the whole command line's definition, as the parser has it.
pub fn run(args: &CompletionsArgs, mut command: clap::Command) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "acegen", &mut script);
    super::print_stdout(&String::from_utf8_lossy(&script))
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write acegen.1 and one page per subcommand (acegen-check.1, …) into DIR
    /// (created when missing) instead of printing acegen.1
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<std::path::PathBuf>,
}

pub fn man(args: &ManArgs, command: clap::Command) -> u8 {
    // `acegen help` is clap's, not a page of its own.
    let command = command.disable_help_subcommand(true);
    let Some(dir) = &args.dir else {
        let mut page = Vec::new();
        return match clap_mangen::Man::new(command).render(&mut page) {
            Ok(()) => super::print_stdout(&String::from_utf8_lossy(&page)),
            Err(e) => {
                eprintln!("acegen: error: cannot render the manual page: {e}");
                super::EXIT_USAGE_OR_IO
            }
        };
    };
    // The pages acegen.1 refers to (acegen-check(1), …), one per subcommand.
    match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(command, dir)) {
        Ok(()) => super::EXIT_OK,
        Err(e) => {
            eprintln!(
                "acegen: error: {}: cannot write the manual pages: {e}",
                dir.display()
            );
            super::EXIT_USAGE_OR_IO
        }
    }
}
