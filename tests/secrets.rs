//! No secret reaches any output: distinctive values are planted in every
//! secret-looking key (and its `_2` twin), in malformed and mistyped lines,
//! in a committed compose file, on the command line and in the process
//! environment; then every command runs in every format, and all of its
//! stdout and stderr is searched for them.
//!
//! Secrets are the values of keys whose name holds KEY, PASSWORD, TOKEN,
//! SECRET (…), and anything taken from the process environment.

mod common;

#[cfg(unix)]
#[path = "secrets/diff_forms.rs"]
mod diff_forms;

use std::path::Path;
use std::process::Command;

/// Every planted value starts with this, so one search finds them all.
const MARK: &str = "plnt";

const COMMITTED: &str = include_str!("fixtures/secrets/committed-docker-compose.yml");

/// A valid redundant-VPN configuration with a secret in every key that
/// looks secret, first and second VPN alike.
const VALID_ENV: &str = "\
VPN_MODE=redundant
GLUETUN_CONTAINER_NAME=gluetun
GLUETUN_CONTAINER_NAME_2=gluetun2
GLUETUN_PORT_RANGE_1=19000-19499
GLUETUN_PORT_RANGE_2=19500-19999
GLUETUN_API_KEY=plntGluetunApiKey
API_KEY=plntOrchestratorApiKey
VPN_SERVICE_PROVIDER=custom
VPN_TYPE=wireguard
WIREGUARD_PRIVATE_KEY=plntWireguardKey1=
WIREGUARD_PRIVATE_KEY_2=plntWireguardKey2=
WIREGUARD_PRESHARED_KEY=plntPresharedKey1
WIREGUARD_PRESHARED_KEY_2=plntPresharedKey2
WIREGUARD_ADDRESSES=10.64.0.2/32
WIREGUARD_ADDRESSES_2=10.64.0.3/32
OPENVPN_PASSWORD='plntOpenvpnPassword1'
OPENVPN_PASSWORD_2=\"plntOpenvpnPassword2\"
OPENVPN_KEY_PASSPHRASE=plntPassphrase
HTTPPROXY_PASSWORD=plntProxyPassword
SHADOWSOCKS_PASSWORD=plntShadowsocks
MY_SERVICE_TOKEN=plntServiceToken
SOME_SECRET=plntSomeSecret
export OPENVPN_KEY=plntExportedKey
LOGIN_PASSWORD_HASH=${OPENVPN_PASSWORD}
";

/// Runs acegen in `dir` with `args` and `environment` added to a clean
/// process environment; returns what it printed, stdout then stderr.
fn run(dir: &Path, args: &[&str], environment: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acegen"));
    command.current_dir(dir).args(args).env_remove("NO_COLOR");
    for key in acegen::keys::KEYS {
        command.env_remove(key.name);
    }
    command.envs(environment.iter().copied());
    let output = command.output().expect("acegen runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), printed)
}

/// Every command and format that reads the inputs.
const ALL_COMMANDS: &[&[&str]] = &[
    &[],
    &["generate"],
    &["generate", "--strict"],
    &["generate", "-o", "out/docker-compose.yml"],
    &["check"],
    &["check", "--strict"],
    &["check", "--color", "always"],
    &["check", "--format", "json"],
    &["check", "--format", "github"],
    &["diff", "committed.yml"],
    &["diff", "-U", "1000", "committed.yml"],
    &["diff", "--color", "always", "-U", "1000", "committed.yml"],
    &["diff", "--semantic", "committed.yml"],
    &["diff", "--format", "json", "committed.yml"],
    &["diff", "missing.yml"],
    &["diff", "--allow-missing", "missing.yml"],
    &["explain"],
    &["explain", "--format", "json"],
    &["--set", "API_KEY=plntFromTheCommandLine", "check"],
    &["check", "--set", "API_KEY=plntFromTheCommandLine"],
    &[
        "explain",
        "--set",
        "OPENVPN_PASSWORD=plntFromTheCommandLine",
    ],
    &["generate", "--set", "MIN_REPLICAS=many"],
];

/// Runs every command on `env`; fails naming each command whose output
/// holds a planted value. Returns the exit codes, for the caller to check
/// that the commands did what they should (a test that passes because
/// nothing ran would prove nothing).
fn assert_no_planted_value(env: &str, environment: &[(&str, &str)]) -> Vec<Option<i32>> {
    let dir = common::folder_with(&[(".env", env), ("committed.yml", COMMITTED)]);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let mut leaks = Vec::new();
    let mut codes = Vec::new();
    for args in ALL_COMMANDS {
        let (code, printed) = run(dir.path(), args, environment);
        codes.push(code);
        for line in printed.lines().filter(|l| l.contains(MARK)) {
            leaks.push(format!("acegen {}: {line}", args.join(" ")));
        }
    }
    let written = std::fs::read_to_string(dir.path().join("out/docker-compose.yml"));
    for line in written
        .iter()
        .flat_map(|w| w.lines())
        .filter(|l| l.contains(MARK))
    {
        leaks.push(format!("written by -o: {line}"));
    }
    assert!(leaks.is_empty(), "secrets shown:\n{}", leaks.join("\n"));
    codes
}

#[test]
fn no_planted_secret_is_shown_by_any_command_on_valid_inputs() {
    let codes = assert_no_planted_value(VALID_ENV, &[]);
    assert_eq!(codes[0], Some(0), "generate succeeds");
    assert_eq!(codes[4], Some(0), "check passes");
    assert_eq!(codes[9], Some(1), "diff finds differences");
    assert_eq!(codes[12], Some(1), "semantic diff finds differences");
    assert_eq!(codes[16], Some(0), "explain succeeds");
}

#[test]
fn the_committed_file_really_holds_every_planted_form() {
    // Guards the test above: each form of the fixture is read as a secret
    // by a YAML parser, so masking it is not vacuous.
    for form in [
        "WIREGUARD_PRIVATE_KEY:\tplntDiffTab",
        "\"OPENVPN_PASSWORD\" : plntDiffSpaced",
        "? GLUETUN_API_KEY\n      : plntDiffExplicit",
        "\"PASS\\u0057ORD\": plntDiffEscaped",
        "\"plntDiffMultiA\n        plntDiffMultiB\"",
        "- \"WIREGUARD_PRIVATE_KEY=plntDiffItemA\n        plntDiffItemB\"",
        "\"API_T\\u004FKEN=plntDiffItemEscaped\"",
    ] {
        assert!(COMMITTED.contains(form), "the fixture lost {form:?}");
    }
}

#[test]
fn secrets_on_malformed_lines_stay_hidden_on_error_paths() {
    let env = format!(
        "{VALID_ENV}\
OPENVPN_PASSWORD plntNoEqualsSign
WIREGUARD_PRIVATE_KEY_2=\"plntUnclosedQuote
API_KEY=${{plntUnclosedReference
GLUETUN_API_KEY=plntTrailing\"quote
"
    );
    let codes = assert_no_planted_value(&env, &[]);
    assert_eq!(codes[0], Some(1), "generate refuses");
    assert_eq!(codes[4], Some(1), "check fails");
}

#[test]
fn secrets_in_unknown_secret_looking_keys_stay_hidden() {
    let env = format!(
        "{VALID_ENV}OPENVPN_PASSWORD_3=plntThirdPassword\nwireguard_private_key=plntLowerCase\n"
    );
    assert_no_planted_value(&env, &[]);
}

#[test]
fn an_undefined_dollar_inside_a_secret_is_not_quoted_by_w0102() {
    let env = format!("{VALID_ENV}OPENVPN_PASSWORD=Tr0ub4dor$plntHorse_battery_staple\n");
    assert_no_planted_value(&env, &[]);
}

#[test]
fn a_mistyped_secret_key_is_not_shown_whole_by_w0101() {
    let env = format!("{VALID_ENV}GLUETUN_API_KEX=plntMistypedKey\n");
    assert_no_planted_value(&env, &[]);
}

#[test]
fn export_with_a_tab_masks_like_export_with_a_space() {
    // A duplicate (W0103) and an undefined `$x` (W0102) both show the line.
    let env = format!(
        "{VALID_ENV}export\tWIREGUARD_PRIVATE_KEY=plntExportTab\nexport\tOPENVPN_PASSWORD=plntExportTab2$x\n"
    );
    assert_no_planted_value(&env, &[]);
}

#[test]
fn a_malformed_multi_line_secret_shows_none_of_its_lines() {
    let env = format!(
        "{VALID_ENV}OPENVPN_PASSWORD=\"plntFirstLine\nplntSecondLine ${{plntRef:?plntMessage}}\"\nAPI_KEY='plntA\nplntB'x\n"
    );
    assert_no_planted_value(&env, &[]);
}

#[test]
fn a_value_from_the_process_environment_is_not_shown_in_messages() {
    let env = format!("{VALID_ENV}MIN_REPLICAS=${{CI_DEPLOY_PASSWORD}}\n");
    let codes = assert_no_planted_value(&env, &[("CI_DEPLOY_PASSWORD", "plntHunter2ci")]);
    assert_eq!(codes[4], Some(1), "MIN_REPLICAS is not a number");
}

#[test]
fn a_value_from_the_process_environment_is_not_written_into_labels() {
    let env = format!("{VALID_ENV}CONTAINER_LABEL=deploy=${{CI_DEPLOY_TOKEN}}\n");
    assert_no_planted_value(&env, &[("CI_DEPLOY_TOKEN", "plntFromCi")]);
}

#[test]
fn a_secret_interpolated_into_a_label_is_not_written_in_clear() {
    let env = format!("{VALID_ENV}CONTAINER_LABEL=auth=${{OPENVPN_PASSWORD}}\n");
    assert_no_planted_value(&env, &[]);
}
