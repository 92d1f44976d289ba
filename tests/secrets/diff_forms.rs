//! `acegen diff` in its three modes (unified, `--semantic`, `--format json`)
//! and both targets on committed files holding secrets in the forms of
//! issue 20: anchors and aliases (also merged, in flow mappings and block
//! scalars), a multi-document file, keys nested under a secret key,
//! Kubernetes' `name`/`value` env items in every layout; and inputs that
//! are links leaving the stack's folder or special files.

use super::{common, run, MARK, VALID_ENV};
use std::os::unix::fs::symlink;
use std::path::Path;

const ANCHORED: &str = include_str!("../fixtures/secrets/anchored-docker-compose.yml");
const MULTI_DOCUMENT: &str = include_str!("../fixtures/secrets/multi-document-docker-compose.yml");
const INLINE_ENV: &str = include_str!("../fixtures/secrets/inline-env-deployment.yaml");

/// A planted value shorter than the value search's pieces: only the rules
/// that know where a value stands can hide it.
const SHORT_INLINE: &str = "zq7";

const MODES: [&[&str]; 4] = [&[], &["-U", "1000"], &["--semantic"], &["--format", "json"]];

/// Runs `diff` with `before` then each mode then `after`; fails naming
/// every printed line holding a planted value or `extra`. Returns the exit
/// codes.
fn diff_shows_nothing(dir: &Path, before: &[&str], after: &[&str], extra: &[&str]) -> Vec<i32> {
    let mut leaks = Vec::new();
    let mut codes = Vec::new();
    for mode in MODES {
        let args: Vec<&str> = ["diff"]
            .iter()
            .chain(before)
            .chain(mode)
            .chain(after)
            .copied()
            .collect();
        let (code, printed) = run(dir, &args, &[]);
        codes.push(code.unwrap_or(-1));
        for line in printed
            .lines()
            .filter(|l| l.contains(MARK) || extra.iter().any(|e| l.contains(e)))
        {
            leaks.push(format!("acegen {}: {line}", args.join(" ")));
        }
    }
    assert!(leaks.is_empty(), "secrets shown:\n{}", leaks.join("\n"));
    codes
}

#[test]
fn anchored_aliased_merged_and_nested_secrets_are_hidden_in_every_mode() {
    for (name, text) in [("anchored.yml", ANCHORED), ("multi.yml", MULTI_DOCUMENT)] {
        let dir = common::folder_with(&[(".env", VALID_ENV), (name, text)]);
        let codes = diff_shows_nothing(dir.path(), &[], &[name], &[]);
        // The unified diff compares text; a multi-document FILE is not one
        // compose document for the semantic modes (exit 2, nothing shown).
        let expected = if name == "multi.yml" {
            [1, 1, 2, 2]
        } else {
            [1; 4]
        };
        assert_eq!(codes, expected, "{name}");
    }
}

#[test]
fn the_fixtures_really_hold_each_form() {
    // Guards the tests above: a YAML parser finds each planted value where
    // the issue says it is (an alias under a secret key, a second document).
    let anchored: serde_yaml::Value = serde_yaml::from_str(ANCHORED).unwrap();
    let env = &anchored["services"]["gluetun"]["environment"];
    assert_eq!(env["WIREGUARD_PRIVATE_KEY"], "plntAnchorScalar");
    assert_eq!(env["API_TOKEN"], "plntAnchorInFlow");
    assert_eq!(env["SOME_SECRET"], "plntAnchorBlockLine\n");
    assert_eq!(env["SHADOWSOCKS_PASSWORD"]["inner"], "plntAliasedMapValue");
    let documents: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(MULTI_DOCUMENT)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect();
    assert_eq!(
        documents[1]["services"]["gluetun"]["environment"]["WIREGUARD_PRIVATE_KEY"],
        "plntSecondDocumentAnchor"
    );
    let manifest: serde_yaml::Value = serde_yaml::from_str(INLINE_ENV).unwrap();
    let items = manifest["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_sequence()
        .unwrap()
        .len();
    assert_eq!(items, 8);
}

/// A Kubernetes stack whose committed manifests inline secrets, compared as
/// a folder and as a stream.
#[test]
fn kubernetes_env_items_inlining_secrets_are_hidden_in_every_mode() {
    let example = common::repo_root().join("examples/kubernetes/single-vpn-forwarded");
    let env = std::fs::read_to_string(example.join(".env")).unwrap();
    let dir = common::folder_with(&[(".env", env.as_str()), ("stream.yaml", INLINE_ENV)]);
    std::fs::create_dir(dir.path().join("manifests")).unwrap();
    std::fs::write(dir.path().join("manifests/gluetun.yaml"), INLINE_ENV).unwrap();
    let target = ["--target", "kubernetes"];
    for compared in ["manifests", "stream.yaml"] {
        let codes = diff_shows_nothing(dir.path(), &target, &[compared], &[SHORT_INLINE]);
        assert_eq!(
            codes, [1; 4],
            "{compared}: the diff ran and found differences"
        );
    }
}

/// Links leaving the stack's folder and special files, in the place of each
/// input diff reads: refused (exit 2) before anything of them is printed.
#[test]
fn links_out_of_the_stack_and_special_files_are_refused_unread() {
    let outside = common::folder_with(&[
        (
            "config.json",
            "{\"auths\": {\"x\": \"plntDockerConfig\"}}\n",
        ),
        ("env", "OPENVPN_PASSWORD=plntLinkedEnv\nMIN_REPLICAS=x\n"),
        (
            "manifest.yaml",
            "kind: Secret\nmetadata: {name: plntLinkedManifest}\n",
        ),
    ]);
    let out = outside.path();
    let dir = common::folder_with(&[(".env", VALID_ENV)]);
    let stack = dir.path();
    symlink(out.join("config.json"), stack.join("docker-compose.yml")).unwrap();
    symlink(out.join("env"), stack.join("linked.env")).unwrap();
    symlink("/proc/self/environ", stack.join("environ.yml")).unwrap();
    std::fs::create_dir(stack.join("manifests")).unwrap();
    symlink(out.join("manifest.yaml"), stack.join("manifests/x.yaml")).unwrap();
    symlink(out, stack.join("linked-manifests")).unwrap();
    let environment = [("CI_DEPLOY_TOKEN", "plntProcessEnvironment")];
    let mut refusals = Vec::new();
    let k8s = ["diff", "--target", "kubernetes"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["diff"], "E0750"),
        (vec!["diff", "environ.yml"], "E0750"),
        (vec!["diff", "/proc/self/environ"], "E0750"),
        (vec!["diff", "/proc/version"], "E0751"),
        (vec!["diff", "--env-file", "linked.env"], "E0750"),
        (vec!["check", "--env-file", "linked.env"], "E0750"),
        (vec!["explain", "--env-file", "linked.env"], "E0750"),
        (vec!["generate", "--env-file", "linked.env"], "E0750"),
        (k8s.to_vec(), "E0750"),
        ([&k8s[..], &["linked-manifests"]].concat(), "E0750"),
        ([&k8s[..], &["environ.yml"]].concat(), "E0750"),
    ];
    for (args, code) in &cases {
        let (exit, printed) = run(stack, args, &environment);
        if exit != Some(2) || !printed.contains(code) || printed.contains(MARK) {
            refusals.push(format!(
                "acegen {} (exit {exit:?}):\n{printed}",
                args.join(" ")
            ));
        }
    }
    assert!(
        refusals.is_empty(),
        "not refused with {}:\n{}",
        "the code",
        refusals.join("\n")
    );
}

#[test]
fn a_fifo_in_place_of_an_input_is_refused_without_waiting_on_it() {
    let dir = common::folder_with(&[(".env", VALID_ENV)]);
    for name in ["pipe.yml", "pipe.env"] {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(made.success());
    }
    for args in [
        &["diff", "pipe.yml"][..],
        &["check", "--env-file", "pipe.env"],
    ] {
        let (exit, printed) = run(dir.path(), args, &[]);
        assert_eq!(exit, Some(2), "{printed}");
        assert!(printed.contains("E0751"), "{printed}");
    }
}
