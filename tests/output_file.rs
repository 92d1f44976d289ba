//! `-o FILE` on what is already there (issue 16 item 7, issue 13): special
//! files and inputs are refused, links are followed, mode and owner are
//! kept, a new file gets the umask's mode, stale temporaries are cleaned.
#![cfg(unix)]

mod common;

use common::{acegen, folder_with, stderr};
use std::os::unix::fs::{symlink, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

const ENV: &str = "MIN_REPLICAS=1\n";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn refused(output: &Output, what: &str) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(what), "{err}");
    err
}

#[test]
fn naming_the_env_file_or_the_custom_variant_is_refused() {
    let variant = r#"{"enabled": false}"#;
    let dir = folder_with(&[(".env", ENV), ("custom_engine_variant.json", variant)]);
    refused(&acegen(dir.path(), &["-o", ".env"]), "is the input .env");
    refused(
        &acegen(dir.path(), &["-o", "./custom_engine_variant.json"]),
        "is the input custom_engine_variant.json",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".env")).unwrap(),
        ENV
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("custom_engine_variant.json")).unwrap(),
        variant
    );
}

#[test]
fn a_fifo_a_folder_and_a_link_to_a_device_are_refused_and_left_alone() {
    let dir = folder_with(&[(".env", ENV)]);
    let fifo = dir.path().join("pipe.yml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    refused(&acegen(dir.path(), &["-o", "pipe.yml"]), "a FIFO");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    std::fs::create_dir(dir.path().join("folder")).unwrap();
    refused(&acegen(dir.path(), &["-o", "folder"]), "a folder");

    symlink("/dev/null", dir.path().join("null.yml")).unwrap();
    refused(&acegen(dir.path(), &["-o", "null.yml"]), "a device");
    let link = std::fs::symlink_metadata(dir.path().join("null.yml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
}

#[test]
fn a_link_is_kept_and_the_file_it_points_to_is_replaced() {
    let dir = folder_with(&[(".env", ENV)]);
    std::fs::create_dir(dir.path().join("deploy")).unwrap();
    std::fs::write(dir.path().join("deploy/compose.yml"), "old\n").unwrap();
    symlink("deploy/compose.yml", dir.path().join("docker-compose.yml")).unwrap();
    let output = acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let link = std::fs::symlink_metadata(dir.path().join("docker-compose.yml")).unwrap();
    assert!(link.file_type().is_symlink());
    let written = std::fs::read_to_string(dir.path().join("deploy/compose.yml")).unwrap();
    assert!(written.contains("services:"), "{written}");
}

#[test]
fn a_new_file_gets_the_umask_s_mode_and_an_existing_one_keeps_its_own() {
    let dir = folder_with(&[(".env", ENV)]);
    let status = Command::new("sh")
        .current_dir(dir.path())
        .args([
            "-c",
            "umask 022; exec \"$0\" -o new.yml",
            env!("CARGO_BIN_EXE_acegen"),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&dir.path().join("new.yml")), 0o644);

    let existing = dir.path().join("existing.yml");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = acegen(dir.path(), &["-o", "existing.yml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(mode(&existing), 0o640);
}

#[test]
fn an_existing_file_keeps_its_owner_when_root_writes_it() {
    let dir = folder_with(&[(".env", ENV)]);
    let existing = dir.path().join("docker-compose.yml");
    std::fs::write(&existing, "old").unwrap();
    if std::fs::metadata(&existing).unwrap().uid() != 0 {
        eprintln!("skipped: only root may give a file to another owner");
        return;
    }
    std::os::unix::fs::chown(&existing, Some(4321), Some(4321)).unwrap();
    let output = acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let metadata = std::fs::metadata(&existing).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (4321, 4321));
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_removed_by_the_next() {
    let dir = folder_with(&[(".env", ENV)]);
    let stale = dir.path().join(".acegen-k1LLed.tmp");
    let recent = dir.path().join(".acegen-RuNNin.tmp");
    std::fs::write(&stale, "half").unwrap();
    std::fs::write(&recent, "half").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let output = acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stale.exists());
    assert!(recent.exists());
}

/// `--target kubernetes -o DIR` replaces DIR whole: an input inside it (here
/// an `.env` whose first line is acegen's header, so DIR looks generated)
/// would be deleted with it. Refused, as `-o FILE` refuses its inputs.
#[test]
fn an_input_inside_the_manifests_folder_is_refused_and_kept() {
    let dir = folder_with(&[(".env", ENV)]);
    let root = dir.path();
    let wrote = acegen(root, &["--target", "kubernetes", "-o", "manifests"]);
    assert_eq!(wrote.status.code(), Some(0), "{}", stderr(&wrote));
    let env = format!("{}\n{ENV}", acegen::render::kubernetes::HEADER);
    std::fs::write(root.join("manifests/prod.env"), &env).unwrap();
    let args = [
        "--env-file",
        "manifests/prod.env",
        "--target",
        "kubernetes",
        "-o",
        "manifests",
    ];
    refused(&acegen(root, &args), "holds the input manifests/prod.env");
    assert_eq!(
        std::fs::read_to_string(root.join("manifests/prod.env")).unwrap(),
        env
    );
}
