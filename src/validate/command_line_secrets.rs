//! `--set` of a secret (GLUETUN_API_KEY, or a key whose name says secret):
//! the value lands in the shell's history, and docker compose, which fills
//! the generated `${KEY}` reference from `.env`, never sees it. The header's
//! regenerate command leaves such keys out; W0850 says where they belong.

use crate::diagnostic::Diagnostic;
use crate::keys;
use crate::validate::settings::Override;

/// Is `key` a secret: acegen's own secret keys, and any name that looks
/// like one (…KEY, …PASSWORD, …TOKEN, …SECRET, or one edit from those).
pub fn is_secret_key(key: &str) -> bool {
    keys::spec(key).is_some_and(|spec| spec.is_secret())
        || keys::holds_secret(key)
        || keys::near_secret_key(key)
}

/// W0850 for each secret given with `--set`, once per key; the value is
/// never repeated.
pub fn secrets_on_command_line(overrides: &[Override]) -> Vec<Diagnostic> {
    let mut seen: Vec<&str> = Vec::new();
    overrides
        .iter()
        .filter(|o| is_secret_key(&o.key))
        .filter(|o| {
            let first = !seen.contains(&o.key.as_str());
            seen.push(&o.key);
            first
        })
        .map(|o| {
            Diagnostic::warning(
                "W0850",
                format!(
                    "--set {}=…: a secret on the command line is kept in the shell's history, and \
                     docker compose reads {} from .env, not from acegen's command line",
                    o.key, o.key
                ),
            )
            .with_hint(format!(
                "put {} in .env (git-ignored) and drop the --set; the header's regenerate \
                 command leaves it out",
                o.key
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: &str, value: &str) -> Override {
        Override {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn secrets_are_warned_once_and_their_values_never_shown() {
        let overrides = [
            set("GLUETUN_API_KEY", "hunter2"),
            set("MIN_REPLICAS", "3"),
            set("GLUETUN_API_KEY", "hunter3"),
            set("WIREGUARD_PRIVATE_KEY", "abc"),
        ];
        let warnings = secrets_on_command_line(&overrides);
        assert_eq!(warnings.len(), 2);
        for warning in &warnings {
            assert_eq!(warning.code, "W0850");
            let text = format!("{warning:?}");
            assert!(!text.contains("hunter") && !text.contains("abc"), "{text}");
        }
    }

    #[test]
    fn settings_that_shape_the_file_are_not_secrets() {
        for spec in keys::KEYS.iter().filter(|spec| !spec.is_secret()) {
            assert!(!is_secret_key(spec.name), "{}", spec.name);
        }
        assert!(is_secret_key("GLUETUN_API_KEY"));
        assert!(is_secret_key("OPENVPN_PASSWORD"));
    }
}
