//! The header's "run … again" command, pasted into a shell as it is, makes
//! the same file: `--set` values are kept, except secrets, which are left
//! out with a warning (W0850) because they belong in `.env`.

mod common;

use common::{acegen, folder_with, stderr};
use std::path::Path;
use std::process::Command;

/// The command of the header's second line.
fn regenerate_command(file: &str) -> String {
    let line = file.lines().nth(1).unwrap();
    let start = line.find('`').unwrap() + 1;
    let end = line.rfind('`').unwrap();
    line[start..end].to_owned()
}

/// Runs `command` in bash (the header's quoting includes `$'…'`), with
/// the `acegen` under test first on PATH.
fn run_in_shell(dir: &Path, command: &str) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_acegen")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut shell = Command::new("bash");
    shell
        .current_dir(dir)
        .env("PATH", path)
        .args(["-c", command]);
    for key in acegen::keys::KEYS {
        shell.env_remove(key.name);
    }
    shell.output().expect("bash runs")
}

#[test]
fn the_header_command_run_as_written_makes_the_same_file() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\nMAX_REPLICAS=9\n")]);
    let made = acegen(
        dir.path(),
        &[
            "--set",
            "MIN_REPLICAS=3",
            "--set",
            "CONTAINER_LABEL=team=it's here",
            "--replicas",
            "4",
            "-o",
            "docker-compose.yml",
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let path = dir.path().join("docker-compose.yml");
    let first = std::fs::read_to_string(&path).unwrap();
    let command = regenerate_command(&first);
    assert!(command.contains("MIN_REPLICAS=3"), "{command}");
    std::fs::remove_file(&path).unwrap();
    let again = run_in_shell(dir.path(), &command);
    assert!(again.status.success(), "{command}: {}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first, "{command}");
}

#[test]
fn a_secret_set_on_the_command_line_is_left_out_and_warned_about() {
    let env = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=custom\nMIN_REPLICAS=1\n";
    let dir = folder_with(&[(".env", env)]);
    let made = acegen(
        dir.path(),
        &[
            "--set",
            "GLUETUN_API_KEY=hunter2-not-real",
            "--set",
            "MIN_REPLICAS=2",
            "-o",
            "docker-compose.yml",
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let warnings = stderr(&made);
    assert!(
        warnings.contains("warning[W0850]: --set GLUETUN_API_KEY=…"),
        "{warnings}"
    );
    let file = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    assert!(!warnings.contains("hunter2") && !file.contains("hunter2"));
    let command = regenerate_command(&file);
    assert_eq!(command, "acegen --set MIN_REPLICAS=2 -o docker-compose.yml");
    // With the key in .env, where it belongs, the command makes the same file.
    std::fs::write(
        dir.path().join(".env"),
        format!("{env}GLUETUN_API_KEY=hunter2-not-real\n"),
    )
    .unwrap();
    let again = run_in_shell(dir.path(), &command);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stderr(&again).contains("W0850"));
    let remade = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    assert_eq!(remade, file);
}
