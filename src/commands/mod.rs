//! One module per subcommand. Each takes its parsed arguments and returns
//! the process exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod generate;
pub mod init;
pub mod schema;
pub mod target;

/// Exit codes shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// Runs the pipeline for a command. An input that cannot be read is
/// reported here and becomes the exit code; configuration problems are in
/// the returned compilation for the command to report its own way.
pub fn compile(inputs: &crate::cli::InputArgs) -> Result<crate::pipeline::Compilation, u8> {
    if inputs.template.is_some() && inputs.target.target == crate::pipeline::Target::Kubernetes {
        eprintln!("acegen: error: --template renders the compose file; it has no effect with --target kubernetes");
        return Err(EXIT_USAGE_OR_IO);
    }
    if inputs.stack == crate::resolve::Stack::Orchestrator
        && inputs.target.target == crate::pipeline::Target::Kubernetes
    {
        // The orchestrator drives the Docker API: on Kubernetes the engines
        // are a static fleet (docs/kubernetes.md), so there is no such stack.
        eprintln!("acegen: error: --stack orchestrator is a Docker deployment; it has no Kubernetes form (use --stack engines with --target kubernetes)");
        return Err(EXIT_USAGE_OR_IO);
    }
    crate::pipeline::compile(&inputs.request()).map_err(|e| {
        eprintln!("acegen: error: {e}");
        EXIT_USAGE_OR_IO
    })
}
