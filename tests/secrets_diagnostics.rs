//! A `.env` line the reader cannot read is never repeated in a form that
//! can hold a secret (issue 20, item 1): a stray word before a secret key
//! (`exprot KEY=…`), a compose list item pasted in (`- KEY=…`), a key split
//! by a space (`GLUETUN API_KEY=…`), and the later lines of a multi-line
//! secret that an earlier unclosed quote made the reader take for key
//! lines. Every command that reports diagnostics runs in every format, and
//! its whole output is searched for the planted values.

mod common;

/// Every planted value holds this.
const MARK: &str = "plnt";

const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["check", "--color", "always"],
    &["check", "--format", "json"],
    &["check", "--format", "github"],
    &["generate"],
    &["generate", "--target", "kubernetes"],
    &["explain"],
    &["explain", "--format", "json"],
    &["diff", "--allow-missing", "missing.yml"],
    &["diff", "--semantic", "--allow-missing", "missing.yml"],
];

/// Each case is a whole `.env`; every word of a secret is planted, since
/// any of them could be the one a report repeats.
const CASES: &[(&str, &str)] = &[
    ("a stray word", "exprot WIREGUARD_PRIVATE_KEY=plntStrayWord\n"),
    (
        "a compose list item",
        "- OPENVPN_PASSWORD=plntListItem\n  - OPENVPN_USER=plntUser plntUserTwo\n",
    ),
    ("a key split by a space", "GLUETUN API_KEY=plntSplitKey\n"),
    (
        "a word and a space before the value",
        "OPENVPN PASSWORD plntNoEquals\n",
    ),
    (
        "a multi-line secret after an unclosed quote",
        "TZ=\"Europe/Madrid\nWIREGUARD_PRIVATE_KEY=\"plntFirst line\nplntSecond plntLine here\nplntThird=plntLine\"\nMAX_REPLICAS=2\n",
    ),
    (
        "a secret-looking substitution after a lost line",
        "TZ=\"Europe/Madrid\nOPENVPN_PASSWORD=\"x\nplntWord=${plntBad\n",
    ),
];

#[test]
fn no_unreadable_line_is_repeated_in_any_command_or_format() {
    for (what, env) in CASES {
        let dir = common::folder_with(&[(".env", env)]);
        for args in COMMANDS {
            let output = common::acegen(dir.path(), args);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                !all.contains(MARK),
                "{what}: `acegen {}` repeats a secret:\n{all}",
                args.join(" ")
            );
            assert_ne!(output.status.code(), Some(0), "{what}: {args:?} accepted");
        }
    }
}

#[test]
fn known_key_names_and_the_position_are_still_shown() {
    let dir = common::folder_with(&[(
        ".env",
        "MAX_REPLICAS=2\nexprot WIREGUARD_PRIVATE_KEY=plntStrayWord\nMAX_REPLICAS 6\n",
    )]);
    let output = common::acegen(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert!(stderr.contains(".env:2:1"), "{stderr}");
    assert!(stderr.contains("2 | … WIREGUARD_PRIVATE_KEY=…"), "{stderr}");
    assert!(stderr.contains("3 | MAX_REPLICAS …"), "{stderr}");
    assert!(
        stderr.contains("found `MAX_REPLICAS …`"),
        "the known key is named in the message: {stderr}"
    );
}

/// A warning at a readable line whose key has no secret word but whose
/// value holds a credential (W0404 at Gluetun's default role, JSON with an
/// API key): the excerpt names the key and masks the value, in every format.
#[test]
fn a_credential_under_a_plain_name_is_masked_where_a_warning_points() {
    let env = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=protonvpn\nGLUETUN_API_KEY=plntApiKey\n\
               HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE={\"auth\":\"apikey\",\"apikey\":\"plntRoleKey\"}\n";
    let dir = common::folder_with(&[(".env", env)]);
    for args in COMMANDS {
        let output = common::acegen(dir.path(), args);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !all.contains(MARK),
            "`acegen {}` repeats a secret:\n{all}",
            args.join(" ")
        );
    }
    let stderr = common::stderr(&common::acegen(dir.path(), &["check"]));
    assert!(stderr.contains("W0404"), "{stderr}");
    assert!(
        stderr.contains("4 | HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE=<redacted>"),
        "{stderr}"
    );
}
