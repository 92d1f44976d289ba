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
    compile_for(inputs, None)
}

/// [`compile`] for output meant for `output` (named in the header's
/// regenerate hint).
pub fn compile_for(
    inputs: &crate::cli::InputArgs,
    output: Option<&camino::Utf8Path>,
) -> Result<crate::pipeline::Compilation, u8> {
    let mut request = inputs.request();
    request.output = output.map(camino::Utf8Path::to_owned);
    // A control server URL that cannot be right is a usage error, said
    // before anything is asked (its credentials, if any, never shown).
    for (v, url) in request.forward.urls.iter().enumerate() {
        if let Some(url) = url {
            if let Err(e) = crate::forward::check_url(crate::forward::flag(v), url) {
                eprintln!("acegen: error: {e}");
                return Err(EXIT_USAGE_OR_IO);
            }
        }
    }
    crate::pipeline::compile(&request).map_err(|e| {
        eprintln!("acegen: error: {e}");
        EXIT_USAGE_OR_IO
    })
}
