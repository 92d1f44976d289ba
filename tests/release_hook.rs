//! scripts/pre-commit/acegen-release.sh, the pre-commit hooks' way to run a
//! released acegen without a Rust toolchain: download the archive of
//! Cargo.toml's version once, check its SHA-256, cache it, run it. The
//! "release" here is a local folder (file:// URLs), never the network.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

const TARGETS: [&str; 4] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
];

fn tools_present() -> bool {
    let present = ["bash", "curl", "tar", "sha256sum"].iter().all(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but bash, curl, tar or sha256sum is missing"
        );
        eprintln!("skipped: the release hook needs bash, curl, tar and sha256sum");
    }
    present
}

/// A release folder `v<version>/acegen-<target>.tar.gz` (+ `.sha256`) for every
/// Unix target, holding a stand-in `acegen` that echoes its arguments.
fn fake_release(root: &Path, version: &str) {
    let release = root.join(format!("v{version}"));
    for target in TARGETS {
        let name = format!("acegen-{target}");
        let folder = release.join(&name);
        std::fs::create_dir_all(&folder).unwrap();
        let binary = folder.join("acegen");
        std::fs::write(&binary, "#!/bin/sh\necho \"released acegen $*\"\n").unwrap();
        let script = format!(
            "chmod 755 {name}/acegen && tar -czf {name}.tar.gz {name} && sha256sum {name}.tar.gz > {name}.tar.gz.sha256 && rm -r {name}"
        );
        let status = Command::new("sh")
            .current_dir(&release)
            .args(["-c", &script])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn run_hook(base_url: &str, cache: &Path, args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .arg(common::repo_root().join("scripts/pre-commit/acegen-release.sh"))
        .args(args)
        .env("ACEGEN_RELEASE_BASE_URL", base_url)
        .env("ACEGEN_CACHE_DIR", cache)
        .output()
        .unwrap()
}

#[test]
fn the_hook_downloads_checks_caches_and_runs_the_release() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    fake_release(&dir.path().join("releases"), version);
    let base = format!("file://{}", dir.path().join("releases").display());
    let cache = dir.path().join("cache");

    let first = run_hook(&base, &cache, &["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    if stderr.contains("no release binary for") {
        eprintln!("skipped: {stderr}");
        return;
    }
    assert!(first.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&first.stdout),
        "released acegen check --strict\n"
    );
    assert!(stderr.contains(&format!("/v{version}/acegen-")), "{stderr}");

    // Cached: a second run needs no release at all, and says nothing.
    let second = run_hook("file:///nonexistent", &cache, &["diff"]);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&second.stdout),
        "released acegen diff\n"
    );
    assert!(second.stderr.is_empty());
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let releases = dir.path().join("releases");
    fake_release(&releases, version);
    for target in TARGETS {
        let sums = releases.join(format!("v{version}/acegen-{target}.tar.gz.sha256"));
        std::fs::write(
            &sums,
            format!("{}  acegen-{target}.tar.gz\n", "0".repeat(64)),
        )
        .unwrap();
    }
    let base = format!("file://{}", releases.display());
    let cache = dir.path().join("cache");
    let output = run_hook(&base, &cache, &["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("no release binary for") {
        return;
    }
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("SHA-256"), "{stderr}");
    assert!(output.stdout.is_empty());
    // Nothing was installed: a later run downloads again.
    let installed = std::fs::read_dir(cache.join(format!("v{version}")))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(installed, 0);
}
