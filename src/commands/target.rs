//! The flags that choose the target (`--target`) and shape the Kubernetes
//! manifests (`--expose`, `--secret-name`), shared by generate, check, diff
//! and explain.

use crate::pipeline::Target;
use crate::render::kubernetes::{
    names, recipe, Expose, KubernetesOptions, Manifests, DEFAULT_SECRET_NAME, KUBERNETES_VERSION,
};
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use std::fmt::Write;

#[derive(Debug, Clone, Args, Default)]
pub struct TargetArgs {
    /// What to compile to: a compose file, or Kubernetes manifests (docs/kubernetes.md)
    #[arg(long, value_enum, default_value_t)]
    pub target: Target,
    /// Kubernetes: how the engines are reached
    #[arg(long, value_enum, default_value_t, value_name = "HOW")]
    pub expose: Expose,
    /// Kubernetes: the Secret the Gluetun containers read .env values from [default: acegen-vpn]
    #[arg(long, value_name = "NAME", value_parser = parse_secret_name)]
    pub secret_name: Option<String>,
}

impl TargetArgs {
    pub fn kubernetes_options(&self) -> KubernetesOptions {
        KubernetesOptions {
            expose: self.expose,
            secret_name: self
                .secret_name
                .clone()
                .unwrap_or_else(|| DEFAULT_SECRET_NAME.to_owned()),
        }
    }
}

fn parse_secret_name(text: &str) -> Result<String, String> {
    if names::is_dns_subdomain(text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "expected a Kubernetes object name (lowercase letters, digits, `-` and `.`, at most 253), found `{text}`"
        ))
    }
}

fn expose_name(expose: Expose) -> String {
    expose
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_owned())
}

/// The file the create commands read, as it is named in its own folder:
/// the `.env` acegen read (`--env-file prod.env` gives `prod.env`), so that
/// the Secret holds the values the manifests were made from. Read from
/// standard input, it has no name: `.env` stands for it.
pub fn recipe_env_file(inputs: &crate::load::Inputs) -> String {
    match inputs.env_path.file_name() {
        Some(name) if inputs.env_path.as_str() != crate::load::STDIN_NAME => name.to_owned(),
        _ => ".env".to_owned(),
    }
}

/// `explain --target kubernetes`: the objects, how engines are exposed,
/// which keys the Secret and the ConfigMap must hold, and the commands that
/// create them (names only, never values).
pub fn explanation_text(
    manifests: &Manifests,
    options: &KubernetesOptions,
    env_file: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nKubernetes: {} objects, checked against Kubernetes {KUBERNETES_VERSION}",
        manifests.objects.len()
    );
    let _ = writeln!(out, "  expose:     {}", expose_name(options.expose));
    let stores = [
        ("secret:    ", &manifests.secret_keys),
        ("configmap: ", &manifests.config_map_keys),
    ];
    for (store, keys) in stores {
        if keys.is_empty() {
            let _ = writeln!(out, "  {store} none needed");
        } else {
            let name = &options.secret_name;
            let _ = writeln!(out, "  {store} {name} with keys {}", keys.join(", "));
        }
    }
    let commands = recipe::create_commands(manifests, &options.secret_name, env_file);
    if !commands.is_empty() {
        let _ = writeln!(out, "  create them from {env_file}, in its folder:");
        for line in commands.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    for manifest in &manifests.objects {
        let _ = writeln!(
            out,
            "  {:<34} {}/{}",
            manifest.file_name, manifest.kind, manifest.name
        );
    }
    out
}

pub fn explanation_json(
    manifests: &Manifests,
    options: &KubernetesOptions,
    env_file: &str,
) -> Value {
    json!({
        "version": KUBERNETES_VERSION,
        "expose": expose_name(options.expose),
        "secret": {
            "name": options.secret_name,
            "keys": manifests.secret_keys,
        },
        "configmap": {
            "name": options.secret_name,
            "keys": manifests.config_map_keys,
        },
        "create_commands": recipe::create_commands(manifests, &options.secret_name, env_file),
        "objects": manifests.objects.iter().map(|m| json!({
            "file": m.file_name,
            "kind": m.kind,
            "name": m.name,
        })).collect::<Vec<_>>(),
    })
}
