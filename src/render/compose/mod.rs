//! Rendering (docs/development/spec.md §3): the plan becomes compose text through a minijinja
//! template, and the text is parsed back and checked against the Compose
//! Specification before anyone writes it.

mod builtin;
pub mod check;
pub mod duplicate_keys;
pub mod header;
pub mod inputs;
pub mod orchestrator;

use super::yaml;
use crate::diagnostic::{Diagnostic, Location, Position};
use crate::resolve::{EnvValue, Plan};
use camino::Utf8Path;
use serde::Serialize;
use serde_json::Value;
use std::net::IpAddr;
use std::sync::OnceLock;

pub const DEFAULT_TEMPLATE: &str = include_str!("../../../templates/docker-compose.yml.j2");
const COMPOSE_SCHEMA_TEXT: &str = include_str!("../../../schemas/compose-spec.json");
const TEMPLATE_NAME: &str = "docker-compose.yml.j2";

/// What the header comment says about the inputs (no time stamps: the
/// output must not change between runs). Raw user text: `header` quotes it.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub env_file: Option<String>,
    pub custom_variant: Option<String>,
    pub custom_variant_enabled: bool,
    /// Options beyond the input files (`--set KEY`, `--replicas N`, …), each
    /// the flag and its values, for the "Generated from" line.
    pub options: Vec<Vec<String>>,
    /// The arguments after `acegen` that make this file again.
    pub arguments: Vec<String>,
}

/// A template that fails, or output that is not a valid compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    Template {
        template: String,
        line: Option<usize>,
        message: String,
    },
    NotYaml {
        position: Option<Position>,
        message: String,
    },
    NotCompose {
        pointer: String,
        message: String,
    },
    MissingService {
        name: String,
    },
    /// A mapping with the same key twice (the parse-back keeps only the last).
    DuplicateKey {
        position: Option<Position>,
        key: String,
    },
}

impl RenderError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let output = Utf8Path::new("<generated docker-compose.yml>");
        match self {
            RenderError::Template {
                template,
                line,
                message,
            } => {
                let location = match line {
                    Some(line) => {
                        Location::at(Utf8Path::new(template), Position::new(*line as u32, 1), 1)
                    }
                    None => Location::file(Utf8Path::new(template)),
                };
                Diagnostic::error("E0501", format!("template failed: {message}"))
                    .at(location)
                    .with_hint("fix the template, or leave out --template to use the built-in one")
            }
            RenderError::NotYaml { position, message } => {
                let location = match position {
                    Some(p) => Location::at(output, *p, 1),
                    None => Location::file(output),
                };
                Diagnostic::error(
                    "E0502",
                    format!("the template produced text that is not YAML: {message}"),
                )
                .at(location)
                .with_hint("nothing was written; check the template's quoting and indentation")
            }
            RenderError::NotCompose { pointer, message } => Diagnostic::error(
                "E0503",
                format!("the generated file is not valid compose at `{pointer}`: {message}"),
            )
            .at(Location::file(output))
            .with_hint("nothing was written; the Compose Specification schema refused it"),
            RenderError::MissingService { name } => Diagnostic::error(
                "E0504",
                format!("the generated file has no service `{name}`"),
            )
            .at(Location::file(output))
            .with_hint("a template must render every VPN service and engine of the plan"),
            RenderError::DuplicateKey { position, key } => Diagnostic::error(
                "E0505",
                format!("the generated file has the key `{key}` twice in one mapping"),
            )
            .at(match position {
                Some(p) => Location::at(output, *p, key.chars().count()),
                None => Location::file(output),
            })
            .with_hint("nothing was written; compose would read only one of them, or refuse the file: check the template"),
        }
    }
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct VpnView {
    name: String,
    image: String,
    environment: Vec<KeyValue>,
    ports: Vec<String>,
    /// The compose config mounted as Gluetun's auth file, if any.
    auth_config: Option<ConfigMount>,
}

/// A top-level compose config with inline content, mounted with the short
/// syntax: compose places it at `/<name>` (a list of plain names keeps the
/// file in the block style `diff`'s fast path reads).
#[derive(Serialize, Clone)]
struct ConfigMount {
    name: String,
    content: String,
}

#[derive(Serialize)]
struct EngineView {
    name: String,
    image: String,
    command: Option<Vec<String>>,
    environment: Vec<KeyValue>,
    vpn: Option<String>,
    ports: Vec<String>,
    labels: Vec<KeyValue>,
    healthcheck: Option<Vec<String>>,
    /// `init: true`, for the VPN watchdog in the health check.
    init: bool,
    mem_limit: Option<String>,
    volumes: Vec<String>,
}

#[derive(Serialize)]
struct DocumentView {
    header: Vec<String>,
    vpns: Vec<VpnView>,
    engines: Vec<EngineView>,
    network: Option<String>,
    /// The `orchestrator` service (`--stack orchestrator`), else none.
    orchestrator: Option<orchestrator::OrchestratorView>,
    /// Top-level `configs:`, one per distinct file (both VPNs share one).
    configs: Vec<ConfigMount>,
}

/// `$` starts an interpolation in compose; a literal one is written `$$`.
fn compose_literal(text: &str) -> String {
    if text.contains('$') {
        text.replace('$', "$$")
    } else {
        text.to_owned()
    }
}

fn env_value(value: &EnvValue) -> String {
    match value {
        EnvValue::Literal(text) => compose_literal(text),
        EnvValue::Reference(key) => format!("${{{key}}}"),
        EnvValue::Interpolated(text) => text.clone(),
    }
}

/// A published port: `[IP:]HOST:CONTAINER`; IPv6 addresses are bracketed.
fn published(bind_ip: Option<IpAddr>, host: &str, container: &str) -> String {
    match bind_ip {
        Some(IpAddr::V4(ip)) => format!("{ip}:{host}:{container}"),
        Some(IpAddr::V6(ip)) => format!("[{ip}]:{host}:{container}"),
        None => format!("{host}:{container}"),
    }
}

fn vpn_ports(plan: &Plan, vpn: &crate::resolve::VpnService) -> Vec<String> {
    // The control server is for the host only, whatever PORT_BIND_IP says.
    let mut ports = vec![published(
        Some(IpAddr::from([127, 0, 0, 1])),
        &vpn.api_host_port.to_string(),
        &vpn.api_port.to_string(),
    )];
    for (start, end) in crate::resolve::ports::contiguous_runs(&vpn.published_ports) {
        let run = if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        };
        ports.push(published(plan.bind_ip, &run, &run));
    }
    ports
}

/// A service's environment as the template receives it: keys as they are,
/// values as compose must read them (literal `$` doubled, references kept).
fn environment_view(environment: &[(String, EnvValue)]) -> Vec<KeyValue> {
    environment
        .iter()
        .map(|(key, value)| KeyValue {
            key: key.clone(),
            value: env_value(value),
        })
        .collect()
}

fn document_view(plan: &Plan, provenance: &Provenance, gluetun_image: &str) -> DocumentView {
    let vpns: Vec<VpnView> = plan
        .vpns
        .iter()
        .map(|vpn| VpnView {
            name: vpn.name.clone(),
            image: compose_literal(gluetun_image),
            environment: environment_view(&vpn.environment),
            ports: vpn_ports(plan, vpn),
            auth_config: vpn.control_auth_file.as_ref().map(|file| {
                let name = file.path.trim_start_matches('/');
                assert!(!name.contains('/'), "a config is mounted at /<name>");
                ConfigMount {
                    name: name.to_owned(),
                    content: compose_literal(&file.content),
                }
            }),
        })
        .collect();
    let engines = plan
        .engines
        .iter()
        .map(|engine| {
            let ports = engine.ports;
            let mut published_ports = vec![published(
                plan.bind_ip,
                &ports.http.to_string(),
                &ports.http.to_string(),
            )];
            if let Some(host) = ports.https_host {
                published_ports.push(published(
                    plan.bind_ip,
                    &host.to_string(),
                    &ports.https.to_string(),
                ));
            }
            EngineView {
                name: engine.name.clone(),
                image: compose_literal(&plan.variant.image),
                command: engine
                    .command
                    .as_ref()
                    .map(|c| c.iter().map(|item| compose_literal(item)).collect()),
                environment: engine
                    .acestream_args
                    .iter()
                    .map(|args| KeyValue {
                        key: "ACESTREAM_ARGS".to_owned(),
                        value: compose_literal(args),
                    })
                    .collect(),
                vpn: engine.vpn.clone(),
                ports: published_ports,
                labels: engine
                    .labels
                    .iter()
                    .map(|(key, value)| KeyValue {
                        // Compose interpolates values, not mapping keys:
                        // a `$` in a label key is written as it is.
                        key: key.clone(),
                        value: compose_literal(value),
                    })
                    .collect(),
                healthcheck: engine
                    .healthcheck
                    .as_ref()
                    .map(|t| t.iter().map(|item| compose_literal(item)).collect()),
                init: crate::resolve::has_vpn_watchdog(engine),
                mem_limit: plan.memory_limit.clone(),
                volumes: plan
                    .torrent_mount
                    .iter()
                    .map(|m| compose_literal(&format!("{}:{}:rw", m.host_path, m.container_path)))
                    .collect(),
            }
        })
        .collect();
    let mut header = header::header_lines(plan, provenance);
    if let Some(summary) = orchestrator::header_summary(plan) {
        // The orchestrator's stack has no engines: say what it will start
        // instead of the engine count (the inputs and the hint stay).
        header.truncate(2);
        header.push(summary);
    }
    let mut configs: Vec<ConfigMount> = Vec::new();
    for config in vpns.iter().filter_map(|vpn| vpn.auth_config.clone()) {
        if !configs.iter().any(|c| c.name == config.name) {
            configs.push(config);
        }
    }
    DocumentView {
        header,
        configs,
        vpns,
        engines,
        network: plan.network.clone(),
        orchestrator: orchestrator::view(plan),
    }
}

/// An environment with acegen's syntax settings and filters, and no template.
fn configured_environment<'source>() -> minijinja::Environment<'source> {
    let mut env = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("default delimiters are valid");
    env.set_syntax(syntax);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("q", |value: String| yaml::quote(&value));
    env.add_filter("key", |value: String| yaml::key(&value));
    env
}

/// The environment holding the built-in templates: the engines' one is the
/// reference the direct writer (`builtin`) is tested against; the
/// orchestrator's stack is rendered with it.
fn builtin_environment() -> &'static minijinja::Environment<'static> {
    static ENVIRONMENT: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = configured_environment();
        env.add_template(TEMPLATE_NAME, DEFAULT_TEMPLATE)
            .expect("the built-in template parses");
        env.add_template(orchestrator::TEMPLATE_NAME, orchestrator::TEMPLATE)
            .expect("the built-in orchestrator template parses");
        env
    })
}

/// Renders the plan with the built-in template, or `template` (name, text).
pub fn render(
    plan: &Plan,
    provenance: &Provenance,
    gluetun_image: &str,
    template: Option<(&str, &str)>,
) -> Result<String, RenderError> {
    let view = document_view(plan, provenance, gluetun_image);
    match (template, plan.stack) {
        (Some((name, source)), _) => render_template(name, source, &view),
        // The engines' template is written directly (`builtin`, proven equal
        // to minijinja's rendering); the orchestrator's stack, a handful of
        // services, is rendered by minijinja and always checked.
        (None, crate::resolve::Stack::Engines) => Ok(builtin::write(&view)),
        (None, crate::resolve::Stack::Orchestrator) => {
            render_with(builtin_environment(), orchestrator::TEMPLATE_NAME, &view)
        }
    }
}

/// The built-in template rendered by minijinja, as `render` did before the
/// direct writer: what the writer must equal.
#[cfg(test)]
fn render_builtin_template(plan: &Plan, provenance: &Provenance, gluetun_image: &str) -> String {
    let view = document_view(plan, provenance, gluetun_image);
    render_with(builtin_environment(), TEMPLATE_NAME, &view).expect("the built-in template renders")
}

fn template_error(name: &str) -> impl Fn(minijinja::Error) -> RenderError + '_ {
    move |e: minijinja::Error| RenderError::Template {
        template: name.to_owned(),
        line: e.line(),
        message: match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        },
    }
}

/// Renders a user's template with minijinja.
fn render_template(name: &str, source: &str, view: &DocumentView) -> Result<String, RenderError> {
    let mut env = configured_environment();
    env.add_template(name, source)
        .map_err(template_error(name))?;
    render_with(&env, name, view)
}

fn render_with(
    env: &minijinja::Environment<'_>,
    name: &str,
    view: &DocumentView,
) -> Result<String, RenderError> {
    env.get_template(name)
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(view))))
        .map_err(template_error(name))
}

fn compose_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(COMPOSE_SCHEMA_TEXT).expect("embedded schema is JSON");
        jsonschema::validator_for(&schema).expect("embedded compose schema compiles")
    })
}

/// Parses rendered text back and checks it is a compose file that holds
/// every service of the plan. Returns the parsed document.
pub fn check_rendered(text: &str, plan: &Plan) -> Result<Value, Vec<RenderError>> {
    let document: Value = serde_yaml::from_str(text).map_err(|e| {
        vec![RenderError::NotYaml {
            position: e
                .location()
                .map(|l| Position::new(l.line() as u32, l.column() as u32)),
            message: e.to_string(),
        }]
    })?;
    if let Some(duplicate) = duplicate_keys::duplicate_key(text) {
        return Err(vec![duplicate]);
    }
    let mut errors: Vec<RenderError> = compose_schema()
        .iter_errors(&document)
        .map(|e| RenderError::NotCompose {
            pointer: e.instance_path().as_str().to_owned(),
            message: e.to_string(),
        })
        .collect();
    let services = document.get("services");
    let expected = plan
        .vpns
        .iter()
        .map(|v| &v.name)
        .map(String::as_str)
        .chain(plan.engines.iter().map(|e| e.name.as_str()))
        .chain(
            plan.orchestrator
                .iter()
                .map(|_| crate::resolve::orchestrator::SERVICE_NAME),
        );
    for name in expected {
        if services.and_then(|s| s.get(name)).is_none() {
            errors.push(RenderError::MissingService {
                name: name.to_owned(),
            });
        }
    }
    if errors.is_empty() {
        Ok(document)
    } else {
        Err(errors)
    }
}
