//! One module per subcommand. Each takes its parsed arguments and returns
//! the process exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod generate;
pub mod init;
pub mod schema;

/// Exit codes shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// Runs the pipeline for a command. An input that cannot be read is
/// reported here and becomes the exit code; configuration problems are in
/// the returned compilation for the command to report its own way.
pub fn compile(inputs: &crate::cli::InputArgs) -> Result<crate::pipeline::Compilation, u8> {
    crate::pipeline::compile(&inputs.request()).map_err(|e| {
        eprintln!("acegen: error: {e}");
        EXIT_USAGE_OR_IO
    })
}

/// [`compile`] for a command that reports on the configuration but writes
/// no compose text (`check`, `explain`): text proven valid is not rendered.
pub fn compile_without_text(
    inputs: &crate::cli::InputArgs,
) -> Result<crate::pipeline::Compilation, u8> {
    let mut request = inputs.request();
    request.text_unused = true;
    crate::pipeline::compile(&request).map_err(|e| {
        eprintln!("acegen: error: {e}");
        EXIT_USAGE_OR_IO
    })
}
