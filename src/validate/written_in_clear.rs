//! E0204: a setting acegen writes into the generated file as text (a label,
//! a name, an image) must not carry a secret. The generated file is
//! committed, so a value built from a secret-looking variable
//! (`CONTAINER_LABEL=auth=${OPENVPN_PASSWORD}`) or taken from the process
//! environment (`${CI_DEPLOY_TOKEN}`, whose value acegen treats as secret)
//! is refused at its line, naming the variables and never the value.

use crate::diagnostic::{Diagnostic, Location};
use crate::keys::{self, KeyKind};
use crate::load::dotenv::ParsedEnv;
use crate::validate::settings::Override;
use camino::Utf8Path;
use std::collections::HashSet;

/// Kinds of setting that reach the output as written text. Numbers, ports,
/// booleans and the fixed words (variant, VPN mode) cannot carry a secret.
fn written_as_text(kind: KeyKind) -> bool {
    matches!(
        kind,
        KeyKind::Label | KeyKind::Name | KeyKind::Image | KeyKind::ImageTag
    )
}

pub fn secrets_written_in_clear(
    file: &Utf8Path,
    env: &ParsedEnv,
    overrides: &[Override],
) -> Vec<Diagnostic> {
    // In file order, which entries carry a secret, so that `B=${PASSWORD}`
    // then `LABEL=x=${B}` is caught too.
    let mut tainted: HashSet<&str> = HashSet::new();
    let mut problems = Vec::new();
    for entry in &env.entries {
        let secret_sources: Vec<&str> = entry
            .interpolated_from
            .iter()
            .map(String::as_str)
            .filter(|name| keys::looks_secret(name) || tainted.contains(name))
            .collect();
        let from_shell = !entry.from_environment.is_empty();
        if secret_sources.is_empty() && !from_shell {
            continue;
        }
        tainted.insert(entry.key.as_str());
        let Some(spec) = keys::spec(&entry.key) else {
            continue;
        };
        if !written_as_text(spec.kind) || overrides.iter().any(|o| o.key == entry.key) {
            continue;
        }
        let origin = match (from_shell, secret_sources.is_empty()) {
            (true, true) => "the process environment",
            (true, false) => "the process environment and a secret-looking variable",
            (false, _) => "a secret-looking variable",
        };
        let mut sources: Vec<&str> = secret_sources;
        sources.extend(entry.from_environment.iter().map(String::as_str));
        sources.sort_unstable();
        sources.dedup();
        problems.push(
            Diagnostic::error(
                "E0204",
                format!(
                    "{} takes its value from {origin} ({}); acegen writes it into the generated file in clear",
                    entry.key,
                    sources.join(", ")
                ),
            )
            .at(Location::at(file, entry.value_pos, entry.value_len))
            .with_hint(format!(
                "write {}'s value in .env without `${{…}}`, or give it with --set {}=VALUE",
                entry.key, entry.key
            )),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::dotenv;

    fn codes(text: &str, shell: &[(&str, &str)]) -> Vec<String> {
        let env = dotenv::parse(text, &|key| {
            shell
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        });
        secrets_written_in_clear(Utf8Path::new(".env"), &env, &[])
            .iter()
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn a_label_built_from_a_secret_is_refused_without_its_value() {
        let found = codes(
            "OPENVPN_PASSWORD=hunter2\nCONTAINER_LABEL=auth=${OPENVPN_PASSWORD}\n",
            &[],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("CONTAINER_LABEL") && found[0].contains("OPENVPN_PASSWORD"));
        assert!(!found[0].contains("hunter2"));
    }

    #[test]
    fn a_secret_passed_through_another_variable_is_still_caught() {
        let found = codes(
            "OPENVPN_PASSWORD=hunter2\nB=${OPENVPN_PASSWORD}\nDOCKER_NETWORK=n${B}\n",
            &[],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("DOCKER_NETWORK"));
    }

    #[test]
    fn a_label_from_the_shell_is_refused() {
        let found = codes(
            "CONTAINER_LABEL=deploy=${CI_DEPLOY_TOKEN}\n",
            &[("CI_DEPLOY_TOKEN", "abc")],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("CI_DEPLOY_TOKEN") && !found[0].contains("abc"));
    }

    #[test]
    fn plain_references_and_numbers_are_fine() {
        let text = "NET=aceserver\nDOCKER_NETWORK=${NET}\nOPENVPN_PASSWORD=x\nMIN_REPLICAS=3\n";
        assert_eq!(codes(text, &[]), Vec::<String>::new());
        // A count from the shell is only W0105 (it depends on the shell), not a leak.
        assert_eq!(
            codes("MIN_REPLICAS=${N}\n", &[("N", "3")]),
            Vec::<String>::new()
        );
    }
}
