//! `acegen completions SHELL` and `acegen man`: generated from the same clap
//! definition as the parser, so they never fall behind the options.

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

pub fn man(command: clap::Command) -> u8 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(command).render(&mut page) {
        Ok(()) => super::print_stdout(&String::from_utf8_lossy(&page)),
        Err(e) => {
            eprintln!("acegen: error: cannot render the manual page: {e}");
            super::EXIT_USAGE_OR_IO
        }
    }
}
