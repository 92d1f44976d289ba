//! One module per subcommand. Each takes its parsed arguments and returns
//! the process exit code.

pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod generate;
pub mod init;
pub mod inputs;
pub mod schema;
pub mod settings;
pub mod target;

use crate::report::colour::{ColorChoice, Palette};

/// Exit codes shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// Runs the pipeline for a command. An input that cannot be read is
/// reported here and becomes the exit code; configuration problems are in
/// the returned compilation for the command to report its own way.
pub fn compile(inputs: &inputs::InputArgs) -> Result<crate::pipeline::Compilation, u8> {
    compile_for(inputs, None)
}

/// [`compile`] for output meant for `output` (named in the header's
/// regenerate hint).
pub fn compile_for(
    inputs: &inputs::InputArgs,
    output: Option<&camino::Utf8Path>,
) -> Result<crate::pipeline::Compilation, u8> {
    compile_request(inputs, output, false)
}

/// Checks the options that cannot go together, then runs the pipeline.
fn compile_request(
    inputs: &inputs::InputArgs,
    output: Option<&camino::Utf8Path>,
    text_unused: bool,
) -> Result<crate::pipeline::Compilation, u8> {
    if inputs.template.is_some() && inputs.target.target == crate::pipeline::Target::Kubernetes {
        crate::report::print_error(
            "--template renders the compose file; it has no effect with --target kubernetes",
        );
        return Err(EXIT_USAGE_OR_IO);
    }
    if inputs.stack == crate::resolve::Stack::Orchestrator
        && inputs.target.target == crate::pipeline::Target::Kubernetes
    {
        // The orchestrator drives the Docker API: on Kubernetes the engines
        // are a static fleet (docs/kubernetes.md), so there is no such stack.
        crate::report::print_error("--stack orchestrator is a Docker deployment; it has no Kubernetes form (use --stack engines with --target kubernetes)");
        return Err(EXIT_USAGE_OR_IO);
    }
    if let Some(problem) = not_for_2_1(inputs, text_unused) {
        eprintln!("acegen: error: {problem}");
        return Err(EXIT_USAGE_OR_IO);
    }
    if inputs.stack == crate::resolve::Stack::Orchestrator
        && !text_unused
        && inputs.env_file.as_deref() == Some(camino::Utf8Path::new(crate::load::STDIN))
    {
        // The file names the `.env` in `env_file:` for compose to read at
        // `up`; standard input is gone by then.
        eprintln!("acegen: error: --stack orchestrator writes `env_file:` naming the .env for docker compose to read, which standard input cannot be; give --env-file a file");
        return Err(EXIT_USAGE_OR_IO);
    }
    let mut request = inputs.request();
    request.output = output.map(camino::Utf8Path::to_owned);
    request.text_unused = text_unused;
    // A control server URL that cannot be right is a usage error, said
    // before anything is asked (its credentials, if any, never shown).
    for (v, url) in request.forward.urls.iter().enumerate() {
        if let Some(url) = url {
            if let Err(e) = crate::forward::check_url(crate::forward::flag(v), url) {
                crate::report::print_error(&e.to_string());
                return Err(EXIT_USAGE_OR_IO);
            }
        }
    }
    crate::pipeline::compile(&request).map_err(|e| {
        crate::report::print_error(&e.to_string());
        EXIT_USAGE_OR_IO
    })
}

/// What `--orchestrator 2.1` cannot do with these options, if anything.
/// `writes_no_file`: `check` and `explain`, which may look at the keys
/// without a stack; `generate` and `diff` need one.
fn not_for_2_1(inputs: &inputs::InputArgs, writes_no_file: bool) -> Option<&'static str> {
    if inputs.orchestrator != crate::orchestrator21::Version::V2_1 {
        return None;
    }
    if inputs.target.target == crate::pipeline::Target::Kubernetes {
        return Some("--orchestrator 2.1 drives the Docker API; it has no Kubernetes form");
    }
    if inputs.stack == crate::resolve::Stack::Engines && !writes_no_file {
        return Some(
            "the orchestrator 2.1 has no engines stack: when it starts it removes every container \
             carrying CONTAINER_LABEL, and it places engines only on Gluetun containers it created \
             itself, so engines and VPNs from a compose file would not survive or be used. Write \
             its own stack with --stack orchestrator, and give its settings store the values of \
             .env with `acegen settings --orchestrator 2.1` (docs/orchestrator.md#migrating-to-21)",
        );
    }
    if inputs.template.is_some() {
        return Some("--template renders the 1.x stacks; the 2.1 stack has no template");
    }
    if inputs.replicas.is_some() {
        return Some("--replicas has no effect with --orchestrator 2.1: its settings store holds min_replicas (acegen settings --orchestrator 2.1)");
    }
    if inputs.forwarded_port_from.is_some() || inputs.forwarded_port_from_2.is_some() {
        return Some("--forwarded-port-from has no effect with --orchestrator 2.1: it asks its own Gluetun containers");
    }
    None
}

/// [`compile`] for a command that reports on the configuration but writes
/// no compose text (`check`, `explain`): text proven valid is not rendered.
pub fn compile_without_text(
    inputs: &inputs::InputArgs,
) -> Result<crate::pipeline::Compilation, u8> {
    compile_request(inputs, None, true)
}

/// The `--color` choice of this run, with NO_COLOR and CLICOLOR_FORCE applied
/// (set once by the command line; `auto` until then).
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

pub fn set_color(choice: ColorChoice) {
    let no_color = std::env::var("NO_COLOR").ok();
    let force = std::env::var("CLICOLOR_FORCE").ok();
    let _ = COLOR.set(effective_color(
        choice,
        no_color.as_deref(),
        force.as_deref(),
    ));
}

/// `--color always|never` wins; under `auto`, NO_COLOR (set, not empty) turns colour
/// off, else CLICOLOR_FORCE (set, not empty, not `0`) turns it on even in a pipe.
pub fn effective_color(
    choice: ColorChoice,
    no_color: Option<&str>,
    clicolor_force: Option<&str>,
) -> ColorChoice {
    let set = |value: Option<&str>| value.is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Auto if set(no_color) => ColorChoice::Never,
        ColorChoice::Auto if set(clicolor_force) && clicolor_force != Some("0") => {
            ColorChoice::Always
        }
        other => other,
    }
}

pub fn color() -> ColorChoice {
    COLOR.get().copied().unwrap_or_default()
}

/// The palette for diagnostics on stderr.
pub fn stderr_palette() -> Palette {
    Palette::new(color().for_stderr())
}

/// Writes `text` to stdout. A reader that went away (`acegen | head -1`)
/// is not an error: like other Unix tools, acegen stops quietly.
pub fn print_stdout(text: &str) -> u8 {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            crate::report::print_error(&format!("cannot write to stdout: {e}"));
            EXIT_USAGE_OR_IO
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_beats_clicolor_force_and_flags_beat_both() {
        use ColorChoice::{Always, Auto, Never};
        assert_eq!(effective_color(Auto, None, None), Auto);
        assert_eq!(effective_color(Auto, Some("1"), Some("1")), Never);
        assert_eq!(effective_color(Auto, Some(""), Some("1")), Always);
        assert_eq!(effective_color(Auto, None, Some("0")), Auto);
        assert_eq!(effective_color(Auto, None, Some("")), Auto);
        assert_eq!(effective_color(Always, Some("1"), None), Always);
        assert_eq!(effective_color(Never, None, Some("1")), Never);
    }
}
