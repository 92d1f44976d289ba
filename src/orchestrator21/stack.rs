//! `--stack orchestrator --orchestrator 2.1`: 2.1's own compose stack, as
//! its `docker-compose.yml` at the release tag lays it out: one
//! `orchestrator` service with the Docker socket (it starts engines and
//! Gluetun containers itself), its config folder (the settings store's
//! SQLite file, `acestream.db`, lives there), the dashboard/API port and
//! one bridge network. No Gluetun service: 2.1 creates its own.
//!
//! Unlike 1.x's stack it holds no `env_file:`. `environment:` names, by
//! reference (`KEY: "${KEY}"`, read from `.env` by compose), exactly the
//! keys of `.env` that 2.1 reads and uses; the others (VPN credentials
//! among them) stay out of the container.

use super::keys::{self, Fate};
use super::Entry;
use crate::diagnostic::Diagnostic;
use crate::render::yaml::quote;
use std::fmt::Write;

/// Where 2.1 keeps its config folder inside the container (its compose file's `./config` volume).
pub const CONFIG_DIR: &str = "/app/app/config";
/// The folder beside the compose file that holds it on the host.
pub const HOST_CONFIG_DIR: &str = "./config";
/// Its compose file's network (a fixed name, so that the engines and Gluetun
/// containers 2.1 creates can join it: with docker_network empty, 2.1 uses
/// the network it finds itself on).
pub const DEFAULT_NETWORK: &str = "aceserver";
/// The network's key in the compose file (its `name:` is the real name).
pub const NETWORK_KEY: &str = "aceserver";
/// PROXY_LISTEN_ADDR's default (the image's start script): the dashboard, API and proxy.
pub const DEFAULT_CONTAINER_PORT: u16 = 8000;

/// What the stack is made of, for `explain` as well as for the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack21 {
    pub image: &'static str,
    pub host_port: u16,
    pub container_port: u16,
    pub bind_ip: Option<String>,
    pub network: String,
    /// `(key, value)`: `value` is `${KEY}` for a key of `.env`, or the `--set` value.
    pub environment: Vec<(String, String)>,
}

/// Resolves the stack from the keys 2.1 will see. Errors leave `None`.
pub fn resolve(entries: &[Entry]) -> (Option<Stack21>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let get = |key: &str| entries.iter().find(|e| e.key == key);
    let mut port = |key: &str, default: u16, parse: fn(&str) -> Option<u16>| match get(key) {
        None => default,
        Some(e) if e.value.trim().is_empty() => default,
        Some(e) => parse(e.value.trim()).unwrap_or_else(|| {
            problems.push(unusable(e, "a TCP port, 1 to 65535"));
            default
        }),
    };
    let host_port = port("APP_PORT", DEFAULT_CONTAINER_PORT, |t| {
        t.parse().ok().filter(|p| *p > 0)
    });
    let container_port = port("PROXY_LISTEN_ADDR", DEFAULT_CONTAINER_PORT, |t| {
        t.rsplit_once(':')
            .map_or(t, |(_, p)| p)
            .parse()
            .ok()
            .filter(|p| *p > 0)
    });
    let bind_ip = get("PORT_BIND_IP")
        .map(|e| e.value.trim().to_owned())
        .filter(|ip| !ip.is_empty());
    if let Some(e) = get("PORT_BIND_IP").filter(|e| {
        e.value.trim().parse::<std::net::IpAddr>().is_err() && !e.value.trim().is_empty()
    }) {
        problems.push(unusable(e, "an IPv4 or IPv6 address"));
    }
    let network = match get("DOCKER_NETWORK").map(|e| (e, e.value.trim())) {
        Some((e, name)) if !name.is_empty() && !is_network_name(name) => {
            problems.push(unusable(
                e,
                "a Docker network name (letters, digits, `_`, `.`, `-`)",
            ));
            DEFAULT_NETWORK.to_owned()
        }
        Some((_, name)) if !name.is_empty() => name.to_owned(),
        _ => DEFAULT_NETWORK.to_owned(),
    };
    if let Some(e) = get("ACESTREAM_DB_PATH").filter(|e| {
        !e.value.trim().is_empty() && !e.value.trim().starts_with(&format!("{CONFIG_DIR}/"))
    }) {
        let message = format!("ACESTREAM_DB_PATH={} puts 2.1's settings store outside its config volume ({CONFIG_DIR}): every setting is lost when the container is recreated", e.quoted_value());
        let warning = Diagnostic::warning("W1015", message).with_hint(format!(
            "keep it under {CONFIG_DIR}/, or remove it (default {CONFIG_DIR}/acestream.db)"
        ));
        problems.push(match &e.value_at {
            Some(at) => warning.at(at.clone()),
            None => warning,
        });
    }
    let environment = entries
        .iter()
        .filter(|e| {
            keys::lookup(&e.key).is_some_and(|row| {
                matches!(row.fate, Fate::ReadAsBefore | Fate::ReadDifferently { .. })
            })
        })
        .map(|e| {
            let value = if e.from_set && e.shown {
                e.value.clone()
            } else {
                format!("${{{}}}", e.key)
            };
            (e.key.clone(), value)
        })
        .collect();
    if problems.iter().any(Diagnostic::is_error) {
        return (None, problems);
    }
    let stack = Stack21 {
        image: super::IMAGE,
        host_port,
        container_port,
        bind_ip,
        network,
        environment,
    };
    (Some(stack), problems)
}

fn unusable(entry: &Entry, expected: &str) -> Diagnostic {
    let message = format!(
        "{}={} cannot be used in 2.1's stack: expected {expected}",
        entry.key,
        entry.quoted_value()
    );
    let error = Diagnostic::error("E1014", message);
    match &entry.value_at {
        Some(at) => error.at(at.clone()),
        None => Diagnostic {
            message: format!("{} (--set)", error.message),
            ..error
        },
    }
}

fn is_network_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The compose file: `header` (comment lines, each ending in a newline), then the stack.
pub fn render(stack: &Stack21, header: &str) -> String {
    let mut out = String::from(header);
    out.push_str("services:\n  orchestrator:\n");
    let _ = writeln!(out, "    image: {}", quote(stack.image));
    out.push_str("    container_name: \"orchestrator\"\n");
    if !stack.environment.is_empty() {
        out.push_str("    environment:\n");
        for (key, value) in &stack.environment {
            let _ = writeln!(out, "      {key}: {}", quote(value));
        }
    }
    out.push_str("    volumes:\n      - \"/var/run/docker.sock:/var/run/docker.sock\"\n");
    let _ = writeln!(
        out,
        "      - {}",
        quote(&format!("{HOST_CONFIG_DIR}:{CONFIG_DIR}"))
    );
    let published = match &stack.bind_ip {
        Some(ip) if ip.contains(':') => {
            format!("[{ip}]:{}:{}", stack.host_port, stack.container_port)
        }
        Some(ip) => format!("{ip}:{}:{}", stack.host_port, stack.container_port),
        None => format!("{}:{}", stack.host_port, stack.container_port),
    };
    let _ = writeln!(out, "    ports:\n      - {}", quote(&published));
    // The compose key is fixed: a key longer than 1024 characters is not YAML (an implicit
    // key's limit); `name:` gives the network its real name, which may be longer.
    let _ = writeln!(out, "    networks:\n      - \"{NETWORK_KEY}\"");
    out.push_str("    restart: \"on-failure\"\n\n");
    let _ = writeln!(
        out,
        "networks:\n  {NETWORK_KEY}:\n    name: {}",
        quote(&stack.network)
    );
    out
}

#[cfg(test)]
#[path = "stack_tests.rs"]
mod tests;
