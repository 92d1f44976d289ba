//! The flags that choose the target (`--target`) and shape the Kubernetes
//! manifests (`--expose`, `--secret-name`), shared by generate, check, diff
//! and explain.

use crate::pipeline::Target;
use crate::render::kubernetes::{names, Expose, KubernetesOptions, DEFAULT_SECRET_NAME};
use clap::Args;

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
