//! The commands that create the Secret and the ConfigMap the Gluetun
//! containers read, from the user's `.env`: generated from the manifests'
//! own key lists, so they ask for exactly the keys the pods reference.
//! `explain --target kubernetes` prints them; docs/kubernetes.md shows them
//! for an example (a test keeps it current) and the API server test runs them.

use super::Manifests;

/// kubectl keeps quotes as part of a value; compose (and so acegen) strips
/// a pair around the whole value. This sed does too, so `KEY="a b"` gives
/// the Secret `a b`, as compose gives the container.
const UNQUOTE: &str =
    r#"sed -E "s/^([A-Za-z0-9_]+)=\"(.*)\"$/\1=\2/; s/^([A-Za-z0-9_]+)='(.*)'$/\1=\2/""#;

/// Shell commands (bash or POSIX sh) creating, or updating, the ConfigMap and
/// the Secret named `name` from the `KEY=value` lines of `env_file`. Values
/// only travel through pipes, never the command line; the text holds key
/// names only. Empty when the manifests read no setting.
pub fn create_commands(manifests: &Manifests, name: &str, env_file: &str) -> String {
    let stores = [
        ("configmap", &manifests.config_map_keys),
        ("secret generic", &manifests.secret_keys),
    ];
    let mut text = String::new();
    for (kind, keys) in stores {
        if keys.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "grep -E '^({})=' {} | {UNQUOTE} |\n  kubectl create {kind} {name} --from-env-file=/dev/stdin --dry-run=client -o yaml |\n  kubectl apply --server-side -f -\n",
            keys.join("|"),
            shell_word(env_file),
        ));
    }
    text
}

/// `text` as one shell word: as it is when it holds no character the shell
/// treats specially, else in single quotes.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+,:@".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifests(config_map_keys: &[&str], secret_keys: &[&str]) -> Manifests {
        Manifests {
            objects: Vec::new(),
            kustomization: String::new(),
            secret_keys: secret_keys.iter().map(|k| (*k).to_owned()).collect(),
            config_map_keys: config_map_keys.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn each_store_gets_exactly_its_keys() {
        let text = create_commands(
            &manifests(&["VPN_TYPE", "TZ"], &["WIREGUARD_PRIVATE_KEY"]),
            "acegen-vpn",
            ".env",
        );
        let apply = "--from-env-file=/dev/stdin --dry-run=client -o yaml |\n  kubectl apply --server-side -f -\n";
        assert_eq!(
            text,
            format!(
                "grep -E '^(VPN_TYPE|TZ)=' .env | {UNQUOTE} |\n  kubectl create configmap acegen-vpn {apply}\
                 grep -E '^(WIREGUARD_PRIVATE_KEY)=' .env | {UNQUOTE} |\n  kubectl create secret generic acegen-vpn {apply}"
            )
        );
    }

    #[test]
    fn the_sed_strips_one_pair_of_quotes_around_a_whole_value_as_compose_does() {
        let lines = "A=\"a b\"\nB='c'\nC=d\"e\"\nD=\"f\n";
        let output = std::process::Command::new("sh")
            .args(["-c", &format!("printf '%s' \"$0\" | {UNQUOTE}"), lines])
            .output()
            .expect("sh and sed run");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "A=a b\nB=c\nC=d\"e\"\nD=\"f\n"
        );
    }

    #[test]
    fn a_store_with_no_keys_is_not_created() {
        assert_eq!(create_commands(&manifests(&[], &[]), "x", ".env"), "");
        let text = create_commands(&manifests(&[], &["API_KEY"]), "x", ".env");
        assert!(!text.contains("configmap"), "{text}");
    }

    #[test]
    fn an_env_file_with_spaces_or_quotes_stays_one_word() {
        assert_eq!(shell_word("my dir/.env"), "'my dir/.env'");
        assert_eq!(shell_word("it's.env"), r"'it'\''s.env'");
        assert_eq!(shell_word("conf/.env"), "conf/.env");
    }
}
