//! The inputs every command that compiles reads (`--env-file`, `--set`,
//! `--target`, ...), and how they become a pipeline request.

use camino::Utf8PathBuf;
use clap::Args;

/// The inputs every command that compiles reads.
#[derive(Debug, Clone, Args, Default)]
pub struct InputArgs {
    /// The .env file, `-` for standard input [default: .env in the project directory, optional]
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<Utf8PathBuf>,
    /// The stack's folder [default: the current folder, or the nearest one above it with
    /// a compose file or .env]
    #[arg(short = 'C', long, value_name = "DIR")]
    pub project_directory: Option<Utf8PathBuf>,
    /// The custom variant file [default: custom_engine_variant.json beside the .env, when it exists]
    #[arg(long, value_name = "PATH")]
    pub custom_variant: Option<Utf8PathBuf>,
    /// Override a setting; wins over the .env file (repeatable)
    #[arg(
        long = "set",
        value_name = "KEY=VALUE",
        value_parser = OverrideParser,
        hide_possible_values = true
    )]
    pub overrides: Vec<crate::validate::settings::Override>,
    /// Number of engines to generate (overrides MIN_REPLICAS)
    #[arg(long, value_name = "N")]
    pub replicas: Option<u32>,
    /// Render with this minijinja template instead of the built-in one
    #[arg(long, value_name = "PATH")]
    pub template: Option<Utf8PathBuf>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Ask this running Gluetun's control server for VPN 1's forwarded P2P port
    /// (GET URL/v1/portforward; overrides GLUETUN_FORWARDED_PORT)
    #[arg(long, value_name = "URL")]
    pub forwarded_port_from: Option<String>,
    /// The same for VPN 2 in redundant mode (overrides GLUETUN_FORWARDED_PORT_2)
    #[arg(long = "forwarded-port-from-2", value_name = "URL")]
    pub forwarded_port_from_2: Option<String>,
    /// How long to wait for a control server's answer
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_timeout)]
    pub timeout: Option<std::time::Duration>,
    #[command(flatten)]
    pub target: super::target::TargetArgs,
    /// Which deployment to write: the engines, or the orchestrator's own stack (docs/orchestrator.md)
    #[arg(long, value_enum, default_value_t, value_name = "STACK")]
    pub stack: crate::resolve::Stack,
    /// Which orchestrator the .env is for: 1.5 (the 1.x orchestrator) or 2.1 (its Go rewrite,
    /// docs/orchestrator.md#migrating-to-21)
    #[arg(long, value_enum, default_value_t, value_name = "VERSION")]
    pub orchestrator: crate::orchestrator21::Version,
}

impl InputArgs {
    pub fn request(&self) -> crate::pipeline::Request {
        crate::pipeline::Request {
            paths: crate::load::InputPaths {
                env_file: self.env_file.clone(),
                custom_variant: self.custom_variant.clone(),
                template: self.template.clone(),
                project_dir: self.project_directory.clone(),
            },
            overrides: self.overrides.clone(),
            resolve: crate::resolve::ResolveOptions {
                replicas: self.replicas,
                stack: self.stack,
                ..Default::default()
            },
            forward: crate::forward::ForwardRequest {
                urls: [
                    self.forwarded_port_from.clone(),
                    self.forwarded_port_from_2.clone(),
                ],
                timeout: self.timeout.unwrap_or(crate::forward::DEFAULT_TIMEOUT),
            },
            target: self.target.target,
            kubernetes: self.target.kubernetes_options(),
            output: None,
            orchestrator: self.orchestrator,
            ..Default::default()
        }
    }
}

fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(std::time::Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("expected a number of seconds above 0 and at most 3600, found `{text}`")
        })
}

/// Parses `--set KEY=VALUE` (any key: an unknown one draws W0104), and
/// offers shell completion the keys acegen reads, as `KEY=`.
#[derive(Debug, Clone, Copy)]
struct OverrideParser;

impl clap::builder::TypedValueParser for OverrideParser {
    type Value = crate::validate::settings::Override;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        // The function's own error, as clap words it for any value parser.
        clap::builder::TypedValueParser::parse_ref(&parse_override, command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        // `KEY=` for every key, made once: clap keeps `&'static str`s.
        static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let words = WORDS.get_or_init(|| {
            crate::keys::KEYS
                .iter()
                .map(|key| format!("{}=", key.name))
                .collect()
        });
        Some(Box::new(words.iter().zip(crate::keys::KEYS).map(
            |(word, key)| clap::builder::PossibleValue::new(word.as_str()).help(key.meaning),
        )))
    }
}

fn parse_override(text: &str) -> Result<crate::validate::settings::Override, String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, found `{text}`"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("expected KEY=VALUE with a key, found `{text}`"));
    }
    Ok(crate::validate::settings::Override {
        key: key.to_owned(),
        value: value.to_owned(),
    })
}
