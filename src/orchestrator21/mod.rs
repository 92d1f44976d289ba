//! `--orchestrator 2.1`: the orchestrator's Go rewrite (release v2.1.0.2).
//!
//! 2.1 keeps most settings in a SQLite store and applies them over its
//! environment at every start, creates its own Gluetun containers, and
//! reads ENGINE_VARIANT as an image. acegen's reference stays the 1.x
//! orchestrator (docs/development/spec.md); this module holds what 2.1 does instead,
//! read off its code: what becomes of each `.env` key ([`keys`],
//! [`fields`]), the diagnostics that say so ([`check`]), the body of
//! `POST /api/v1/settings` that gives the store the values `.env` meant
//! ([`settings`]), and 2.1's own compose stack ([`stack`]).

pub mod check;
pub mod compile;
pub mod explain;
pub mod fields;
pub mod goparse;
pub mod keys;
mod keys_env;
mod keys_other;
pub mod schema;
pub mod settings;
pub mod stack;

use crate::diagnostic::Location;
use crate::load::dotenv::ParsedEnv;
use crate::validate::settings::Override;
use camino::Utf8Path;

/// Which orchestrator the `.env` is for (`--orchestrator`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Version {
    /// The Python orchestrator (1.x), acegen's reference (docs/development/spec.md)
    #[default]
    #[value(name = "1.5")]
    V1_5,
    /// The Go rewrite, release v2.1.0.2 (docs/orchestrator.md#migrating-to-21)
    #[value(name = "2.1")]
    V2_1,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::V1_5 => "1.5",
            Version::V2_1 => "2.1",
        }
    }
}

/// The release whose code the facts here come from.
pub const RELEASE_TAG: &str = "v2.1.0.2";
/// Its image: release images are tagged with the release's git tag
/// (`.github/workflows/main.yml`, "Determine Docker image tag").
pub const IMAGE: &str = "ghcr.io/krinkuto11/acestream-orchestrator:v2.1.0.2";

/// What to do with VPN credentials, which never go into the settings body.
pub const SECRETS_ADVICE: &str = "VPN credentials are not in the body: add each one in 2.1's \
dashboard (Settings > VPN) or with POST /api/v1/settings/vpn/credentials and a JSON object such \
as {\"wireguard_private_key\": …, \"wireguard_addresses\": …} (OpenVPN: openvpn_user, \
openvpn_password), typed or read from your password store, never from a file in the repository; \
then delete them from .env. 2.1 needs one credential per Gluetun container it creates, and \
starts no engine while vpn_settings.enabled is true and it has none.";

/// One key as 2.1 will see it: the last definition in `.env`, or `--set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// The key's position (`None` for `--set`).
    pub key_at: Option<Location>,
    /// The value's position (`None` for `--set`).
    pub value_at: Option<Location>,
    /// May the value appear in a message? Not for a secret-looking key, nor
    /// for a value taken from the shell.
    pub shown: bool,
    pub from_set: bool,
}

impl Entry {
    /// `` `value` `` when it may be shown, else a phrase that does not reveal it.
    pub fn quoted_value(&self) -> String {
        if self.shown {
            format!("`{}`", self.value)
        } else {
            "its value (not shown)".to_owned()
        }
    }
}

/// Every key of `.env` once (its last definition, in the order of those
/// definitions), then the `--set` keys `.env` does not have; `--set` wins.
pub fn entries(env: &ParsedEnv, path: &Utf8Path, overrides: &[Override]) -> Vec<Entry> {
    let secret = |key: &str| crate::keys::holds_secret(key) || crate::keys::near_secret_key(key);
    // Linear, not quadratic: a `.env` may hold many thousand lines.
    let last: std::collections::HashMap<&str, usize> = env
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| (entry.key.as_str(), index))
        .collect();
    let mut out: Vec<Entry> = Vec::new();
    for (index, entry) in env.entries.iter().enumerate() {
        if last[entry.key.as_str()] != index {
            continue;
        }
        out.push(Entry {
            key: entry.key.clone(),
            value: entry.value.clone(),
            key_at: Some(Location::at(path, entry.key_pos, entry.key.chars().count())),
            value_at: Some(Location::at(path, entry.value_pos, entry.value_len)),
            shown: entry.from_environment.is_empty() && !secret(&entry.key),
            from_set: false,
        });
    }
    for o in overrides {
        let replacement = Entry {
            key: o.key.clone(),
            value: o.value.clone(),
            key_at: None,
            value_at: None,
            shown: !secret(&o.key),
            from_set: true,
        };
        match out.iter_mut().find(|e| e.key == o.key) {
            Some(existing) => *existing = replacement,
            None => out.push(replacement),
        }
    }
    out
}

#[cfg(test)]
mod tests;
