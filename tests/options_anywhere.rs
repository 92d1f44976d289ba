//! Input options are accepted before the subcommand as after it
//! (`acegen --env-file X check`, `acegen -C dir diff`), as docker compose
//! and helm accept theirs; `acegen -o FILE` still means generate.

mod common;

use common::{acegen, folder_with, stderr};

#[test]
fn env_file_before_check_is_the_file_checked() {
    let dir = folder_with(&[
        (".env", "MIN_REPLICAS=1\n"),
        ("ci.env", "MIN_REPLICAS=many\n"),
    ]);
    let before = acegen(dir.path(), &["--env-file", "ci.env", "check"]);
    let after = acegen(dir.path(), &["check", "--env-file", "ci.env"]);
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));
    assert!(
        stderr(&before).contains("ci.env:1:14"),
        "{}",
        stderr(&before)
    );
    assert_eq!(stderr(&before), stderr(&after));
}

#[test]
fn project_directory_before_diff_is_the_folder_compared() {
    let dir = folder_with(&[]);
    let stack = dir.path().join("stack");
    std::fs::create_dir(&stack).unwrap();
    std::fs::write(stack.join(".env"), "MIN_REPLICAS=1\nMAX_REPLICAS=1\n").unwrap();
    let written = acegen(&stack, &["-o", "docker-compose.yml"]);
    assert!(written.status.success(), "{}", stderr(&written));
    let same = acegen(dir.path(), &["-C", "stack", "diff"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let changed = acegen(dir.path(), &["-C", "stack", "--replicas", "0", "diff"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
}

#[test]
fn an_option_of_generate_before_another_command_is_still_refused() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let output = acegen(dir.path(), &["-o", "out.yml", "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("'-o'"), "{}", stderr(&output));
    assert!(!dir.path().join("out.yml").exists());
    // A command that reads no .env does not take the input options either.
    let schema = acegen(dir.path(), &["--env-file", ".env", "schema", "env"]);
    assert_eq!(schema.status.code(), Some(2), "{}", stderr(&schema));
}
