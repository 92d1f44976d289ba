//! What the orchestrator 2.1 does with each `.env` key: one row per key,
//! read off its code at tag v2.1.0.2 (paths below are under
//! `app/orchestrator/internal/` unless they start with `cmd/` or `app/`).
//! Where its documentation (docs/CONFIG.md) says otherwise, the row follows
//! the code and its `why` says so.

use super::fields::Field;

/// How 2.1 parses the text of a key it reads (config.go `load()` helpers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parse {
    /// `envStr`: any text; empty means the default.
    Text,
    /// Text that is a secret: never shown, never checked.
    Secret,
    /// `envInt`.
    Int,
    /// `envFloat`.
    Float,
    /// `envBool`.
    Bool,
    /// `envDur`: a Go duration (`500ms`) or a bare integer of SECONDS.
    Duration,
    /// `parseRange`: `low-high`.
    Range,
    /// A per-VPN range (ports.go `newPortAllocator`): ignored unless `0 < low <= high`.
    VpnRange,
    /// `parseMemory` (provisioner.go): digits with an optional k/m/g.
    Memory,
    /// `envStrSlice`: comma-separated.
    List,
    /// ENGINE_VARIANT: used verbatim as the engine's image reference.
    Image,
    /// 2.1 does not read the key.
    NotRead,
}

/// What 2.1 does with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Read from the environment, and nothing overrides it.
    ReadAsBefore,
    /// Read, but the settings store's field is applied over it at every
    /// start (the store is seeded with its defaults on the first one).
    Stored(Field),
    /// A key of the 1.x orchestrator (or of its Gluetun services) that 2.1 no longer has.
    Removed { replacement: Option<&'static str> },
    /// Read, but its value means something else than in 1.x.
    ReadDifferently { how: &'static str },
    /// In 2.1's docs/CONFIG.md, but no code reads it.
    DocumentedNeverRead { replacement: Option<&'static str> },
    /// Read into the configuration, but nothing uses the value.
    ReadUnused,
    /// A key only acegen reads (2.1 never does); says what acegen does with it.
    AcegenOnly { with_2_1: &'static str },
}

/// One key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub key: &'static str,
    pub parse: Parse,
    pub fate: Fate,
    /// Where in 2.1's code this is decided, and any fact that qualifies it.
    pub why: &'static str,
}

pub(super) const fn env(key: &'static str, parse: Parse, why: &'static str) -> Row {
    Row {
        key,
        parse,
        fate: Fate::ReadAsBefore,
        why,
    }
}

pub(super) const fn stored(
    key: &'static str,
    parse: Parse,
    field: Field,
    why: &'static str,
) -> Row {
    Row {
        key,
        parse,
        fate: Fate::Stored(field),
        why,
    }
}

pub(super) const fn unused(key: &'static str, parse: Parse, why: &'static str) -> Row {
    Row {
        key,
        parse,
        fate: Fate::ReadUnused,
        why,
    }
}

pub(super) const fn removed(
    key: &'static str,
    replacement: Option<&'static str>,
    why: &'static str,
) -> Row {
    Row {
        key,
        parse: Parse::NotRead,
        fate: Fate::Removed { replacement },
        why,
    }
}

pub(super) const fn doc_only(key: &'static str, replacement: Option<&'static str>) -> Row {
    let why =
        "docs/CONFIG.md documents it; config.go load() and the rest of the code never read it";
    Row {
        key,
        parse: Parse::NotRead,
        fate: Fate::DocumentedNeverRead { replacement },
        why,
    }
}

pub(super) const fn acegen(key: &'static str, with_2_1: &'static str) -> Row {
    Row {
        key,
        parse: Parse::NotRead,
        fate: Fate::AcegenOnly { with_2_1 },
        why: "2.1's code never reads it",
    }
}

/// The row for `key`: an exact row, else Gluetun's own settings (which 2.1
/// no longer passes to any Gluetun), else `None` (2.1 does not know the key).
pub fn lookup(key: &str) -> Option<Row> {
    super::keys_env::ENV_KEYS
        .iter()
        .chain(super::keys_other::OTHER_KEYS)
        .find(|row| row.key == key)
        .copied()
        .or_else(|| crate::keys::is_gluetun_key(key).then_some(GLUETUN_SETTING))
}

/// Any other Gluetun setting: 1.x's compose passed it to the Gluetun
/// service; 2.1 builds its Gluetun containers' environment itself.
const GLUETUN_SETTING: Row = Row {
    key: "",
    parse: Parse::NotRead,
    fate: Fate::Removed {
        replacement: Some("2.1 builds the environment of the Gluetun containers it creates from vpn_settings and the VPN credentials in its settings store"),
    },
    why: "controlplane/vpn/node_provisioner.go buildGluetunEnv",
};

/// Every row, for the tests and the docs.
pub fn all() -> impl Iterator<Item = &'static Row> {
    super::keys_env::ENV_KEYS
        .iter()
        .chain(super::keys_other::OTHER_KEYS)
}

/// Keys whose name says milliseconds but which 2.1 reads with `envDur`,
/// where a bare number is seconds.
pub fn says_milliseconds(key: &str) -> bool {
    key.ends_with("_MS")
}
