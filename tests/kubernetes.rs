//! `--target kubernetes` end to end: every example under examples/kubernetes/
//! regenerates its committed `manifests/` folder byte for byte (update with
//! `ACEGEN_UPDATE_EXAMPLES=1 cargo test --test kubernetes` and review the
//! diff), passes PyPI's `kubernetes-validate --strict` when
//! ACEGEN_KUBERNETES_VALIDATE names it, and `diff`, `check`, growth and the
//! folder's safety behave as a user relies on.

mod common;

use common::{acegen, folder_with, repo_root, stderr, stdout};
use std::path::{Path, PathBuf};

fn kubernetes_examples() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples/kubernetes"))
        .expect("examples/kubernetes exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The example's own flags: `acegen.args`, one per line.
fn example_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("acegen.args"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// `acegen [COMMAND] --target kubernetes <the example's flags> EXTRA…`.
fn run_command(dir: &Path, command: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
    args.extend(["--target".to_owned(), "kubernetes".to_owned()]);
    args.extend(example_args(dir));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    acegen(dir, &args)
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    run_command(dir, &[], extra)
}

/// (file name, text) of every file in a folder, sorted.
fn folder_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn there_are_the_four_kubernetes_examples() {
    let names: Vec<String> = kubernetes_examples()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "custom-variant",
            "no-vpn",
            "redundant-vpn",
            "single-vpn-forwarded"
        ]
    );
}

#[test]
fn every_kubernetes_example_regenerates_its_manifests_byte_for_byte() {
    let update = std::env::var_os("ACEGEN_UPDATE_EXAMPLES").is_some();
    let mut mismatched = Vec::new();
    for dir in kubernetes_examples() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("manifests");
        let output = run(&dir, &["-o", target.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}: {}",
            dir.display(),
            stderr(&output)
        );
        let golden = dir.join("manifests");
        if update {
            let _ = std::fs::remove_dir_all(&golden);
            std::fs::create_dir(&golden).unwrap();
            for (name, text) in folder_files(&target) {
                std::fs::write(golden.join(name), text).unwrap();
            }
            continue;
        }
        if !golden.is_dir() || folder_files(&golden) != folder_files(&target) {
            mismatched.push(dir.display().to_string());
        }
    }
    assert!(
        mismatched.is_empty(),
        "manifests changed (review, then ACEGEN_UPDATE_EXAMPLES=1 cargo test --test kubernetes): {mismatched:?}"
    );
}

#[test]
fn stdout_is_the_objects_as_one_stream_without_the_kustomization() {
    for dir in kubernetes_examples() {
        let output = run(&dir, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let golden = folder_files(&dir.join("manifests"));
        let stream = stdout(&output);
        let documents = stream.split("---\n").count();
        assert_eq!(documents, golden.len() - 1, "{}", dir.display());
        for (name, text) in golden {
            assert_eq!(
                stream.contains(&text),
                name != "kustomization.yaml",
                "{name}"
            );
        }
    }
}

#[test]
fn no_value_from_env_reaches_a_manifest() {
    let secrets = [
        "cHJpdmF0ZS1rZXktbm90LWEtcmVhbC1vbmUtMTIzNA==",
        "Zmlyc3QtdHVubmVsLWtleS1ub3QtcmVhbA==",
        "c2Vjb25kLXR1bm5lbC1rZXktbm90LXJlYWw=",
        "not a real one",
        "10.64.0.2/32",
        "Europe/Madrid",
    ];
    for dir in kubernetes_examples() {
        for (name, text) in folder_files(&dir.join("manifests")) {
            for secret in secrets {
                assert!(
                    !text.contains(secret),
                    "{}/{name} holds {secret}",
                    dir.display()
                );
            }
        }
    }
}

#[test]
fn every_golden_passes_kubernetes_validate_strict() {
    let binary = match std::env::var_os("ACEGEN_KUBERNETES_VALIDATE") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but ACEGEN_KUBERNETES_VALIDATE is not: the goldens cannot be validated"
            )
        }
        _ => {
            eprintln!(
                "skipped: set ACEGEN_KUBERNETES_VALIDATE=$(bash scripts/ci/kubernetes-validate.sh)"
            );
            return;
        }
    };
    let mut files = Vec::new();
    for dir in kubernetes_examples() {
        for (name, _) in folder_files(&dir.join("manifests")) {
            if name != "kustomization.yaml" {
                files.push(dir.join("manifests").join(name));
            }
        }
    }
    let output = std::process::Command::new(binary)
        .args([
            "--strict",
            "-k",
            acegen::render::kubernetes::KUBERNETES_VERSION,
        ])
        .args(&files)
        .output()
        .expect("kubernetes-validate runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(report.matches(" passed ").count(), files.len(), "{report}");
}

#[test]
fn adding_an_engine_without_a_vpn_leaves_every_other_object_byte_identical() {
    let dir = repo_root().join("examples/kubernetes/no-vpn");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("grown");
    let output = run(&dir, &["--replicas", "3", "-o", target.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let grown = folder_files(&target);
    let golden = folder_files(&dir.join("manifests"));
    assert_eq!(grown.len(), golden.len() + 2);
    for (name, text) in golden.iter().filter(|(n, _)| n != "kustomization.yaml") {
        let after = grown.iter().find(|(n, _)| n == name).map(|(_, t)| t);
        assert_eq!(after, Some(text), "{name} changed");
    }
}

#[test]
fn diff_lists_changes_per_object() {
    let dir = repo_root().join("examples/kubernetes/single-vpn-forwarded");
    let same = run_command(&dir, &["diff"], &[]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let grown = run_command(&dir, &["diff"], &["--replicas", "4"]);
    assert_eq!(grown.status.code(), Some(1), "{}", stderr(&grown));
    let text = stdout(&grown);
    assert!(text.contains("Deployment/gluetun (changed)\n"), "{text}");
    assert!(text.contains("Service/acestream-4 (added)\n"), "{text}");
    assert!(text.contains("+      - name: \"acestream-4\"\n"), "{text}");
    assert!(
        text.ends_with("2 objects changed, 1 added, 0 removed\n"),
        "{text}"
    );
}

#[test]
fn writing_over_a_folder_with_a_users_file_is_refused_and_changes_nothing() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let target = dir.path().join("manifests");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("secret.yaml"), "kind: Secret\n").unwrap();
    let output = acegen(dir.path(), &["--target", "kubernetes", "-o", "manifests"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("secret.yaml"),
        "{}",
        stderr(&output)
    );
    assert_eq!(folder_files(&target).len(), 1);
    // Its own folder is replaced, dropping objects no longer generated.
    std::fs::remove_file(target.join("secret.yaml")).unwrap();
    let args = ["--target", "kubernetes", "-o", "manifests", "--replicas"];
    assert!(acegen(dir.path(), &[&args[..], &["2"]].concat())
        .status
        .success());
    assert_eq!(folder_files(&target).len(), 5);
    assert!(acegen(dir.path(), &[&args[..], &["1"]].concat())
        .status
        .success());
    assert_eq!(folder_files(&target).len(), 3);
}

#[test]
fn check_reports_a_vpn_name_kubernetes_refuses_at_its_line() {
    let dir = folder_with(&[(
        ".env",
        "MIN_REPLICAS=1\nGLUETUN_CONTAINER_NAME=Gluetun_VPN\n",
    )]);
    let output = acegen(dir.path(), &["check", "--target", "kubernetes"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("E0902"), "{text}");
    assert!(text.contains(".env:2:"), "{text}");
    // The same input is a valid compose file.
    assert!(acegen(dir.path(), &["check"]).status.success());
}

#[test]
fn a_secret_name_kubernetes_refuses_is_a_usage_error() {
    let dir = folder_with(&[(".env", "")]);
    let output = acegen(
        dir.path(),
        &["--target", "kubernetes", "--secret-name", "My_Secret"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("My_Secret"));
}

/// `explain --format json`'s `kubernetes` part for an example.
fn explain_kubernetes(dir: &Path) -> serde_json::Value {
    let output = run_command(dir, &["explain"], &["--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    value["kubernetes"].clone()
}

#[test]
fn explain_names_the_objects_and_the_keys_the_secret_needs_never_values() {
    let dir = repo_root().join("examples/kubernetes/redundant-vpn");
    let kubernetes = &explain_kubernetes(&dir);
    assert_eq!(kubernetes["secret"]["name"], "acestream-vpn");
    // Only the secrets in the Secret; the other settings in the ConfigMap of the same name.
    assert_eq!(
        kubernetes["secret"]["keys"],
        serde_json::json!(["WIREGUARD_PRIVATE_KEY", "WIREGUARD_PRIVATE_KEY_2"])
    );
    assert_eq!(kubernetes["configmap"]["name"], "acestream-vpn");
    assert_eq!(
        kubernetes["configmap"]["keys"],
        serde_json::json!([
            "FIREWALL_INPUT_PORTS",
            "VPN_SERVICE_PROVIDER",
            "VPN_TYPE",
            "WIREGUARD_ADDRESSES",
            "WIREGUARD_ADDRESSES_2"
        ])
    );
    assert_eq!(kubernetes["objects"][0]["file"], "gluetun-deployment.yaml");
    let text = stdout(&run_command(&dir, &["explain"], &[]));
    assert!(
        text.contains(
            "secret:     acestream-vpn with keys WIREGUARD_PRIVATE_KEY, WIREGUARD_PRIVATE_KEY_2\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("kubectl create secret generic acestream-vpn"),
        "{text}"
    );
    assert!(!text.contains("Zmlyc3QtdHVubmVsLWtleS1ub3QtcmVhbA=="));
}

/// The commands that create the Secret read the file acegen read: with
/// `--env-file prod.env`, a Secret made from `.env` would hold other keys.
#[test]
fn the_create_commands_read_the_env_file_the_manifests_were_made_from() {
    let dir = folder_with(&[
        (".env", "VPN_SERVICE_PROVIDER=mullvad\n"),
        (
            "prod.env",
            "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=protonvpn\nWIREGUARD_PRIVATE_KEY=not-real\n",
        ),
    ]);
    let args = [
        "explain",
        "--target",
        "kubernetes",
        "--env-file",
        "prod.env",
    ];
    let output = acegen(dir.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("create them from prod.env, in its folder:"),
        "{text}"
    );
    assert!(
        text.contains("grep -E '^(WIREGUARD_PRIVATE_KEY)=' prod.env |"),
        "{text}"
    );
    assert!(!text.contains(" .env |"), "{text}");
    let output = acegen(dir.path(), &[&args[..], &["--format", "json"]].concat());
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let commands = value["kubernetes"]["create_commands"].as_str().unwrap();
    assert!(commands.contains("' prod.env |"), "{commands}");
}

/// docs/kubernetes.md shows the commands `explain` prints for the
/// redundant-vpn example; `ACEGEN_UPDATE_DOCS=1 cargo test --test kubernetes`
/// rewrites them.
#[test]
fn the_docs_show_the_create_commands_explain_prints() {
    let dir = repo_root().join("examples/kubernetes/redundant-vpn");
    let kubernetes = explain_kubernetes(&dir);
    let commands = kubernetes["create_commands"].as_str().unwrap();
    common::assert_generated_section(
        &repo_root().join("docs/kubernetes.md"),
        "create-commands",
        &format!("```sh\n{commands}```\n"),
    );
}

#[test]
fn a_template_with_the_kubernetes_target_is_a_usage_error() {
    let dir = folder_with(&[(".env", ""), ("t.j2", "services: {}\n")]);
    let output = acegen(
        dir.path(),
        &["--target", "kubernetes", "--template", "t.j2"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--template"));
}

#[test]
fn the_orchestrator_stack_has_no_kubernetes_form() {
    let dir = folder_with(&[(".env", "GLUETUN_CONTAINER_NAME=gluetun\n")]);
    for command in [&["generate"][..], &["check"], &["explain"]] {
        let mut args = command.to_vec();
        args.extend(["--target", "kubernetes", "--stack", "orchestrator"]);
        let output = acegen(dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("--stack orchestrator"), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn diff_with_no_manifests_folder_says_what_to_name() {
    let dir = folder_with(&[(".env", "")]);
    let output = acegen(dir.path(), &["diff", "--target", "kubernetes"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("manifests: no such folder"),
        "{}",
        stderr(&output)
    );
    let missing = acegen(
        dir.path(),
        &["diff", "--target", "kubernetes", "--allow-missing"],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(stdout(&missing).contains("Kustomization (added)"));
}
