//! A setting's error and the diagnostic it becomes.

use super::model::Origin;
use crate::diagnostic::Diagnostic;
use crate::keys;

/// Stands for a value an error must not quote: a secret, or a value from
/// the process environment.
pub(super) const NOT_SHOWN: &str =
    "a value that is not shown (a secret, or from the process environment)";

/// A value that is not what its key expects, or settings that contradict each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    InvalidValue {
        key: &'static str,
        found: String,
        expected: String,
        origin: Origin,
    },
    Conflict {
        code: &'static str,
        message: String,
        hint: Option<String>,
        origin: Origin,
    },
}

impl SettingError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            SettingError::InvalidValue {
                key,
                found,
                expected,
                origin,
            } => {
                let shown = if found.is_empty() {
                    "an empty value".to_owned()
                } else if found == NOT_SHOWN {
                    found.clone()
                } else {
                    format!("`{found}`")
                };
                let mut d = Diagnostic::error(
                    "E0201",
                    format!("{key}: expected {expected}, found {shown}"),
                )
                .with_hint(hint_for_key(key));
                if let Some(location) = origin.location() {
                    d = d.at(location);
                } else if *origin == Origin::CommandLine {
                    d.message.push_str(" (from --set)");
                }
                d
            }
            SettingError::Conflict {
                code,
                message,
                hint,
                origin,
            } => {
                let mut d = Diagnostic::error(code, message.clone());
                if let Some(location) = origin.location() {
                    d = d.at(location);
                }
                if let Some(hint) = hint {
                    d = d.with_hint(hint.clone());
                }
                d
            }
        }
    }
}

fn hint_for_key(key: &str) -> String {
    match keys::spec(key) {
        Some(spec) => match spec.default {
            Some(default) => format!("{key}: {} (default {default})", spec.meaning),
            None => format!("{key}: {}", spec.meaning),
        },
        None => String::new(),
    }
}
