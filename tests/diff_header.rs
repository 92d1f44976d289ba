//! `acegen diff` and the header of the file it compares: where the inputs
//! came from is not compared, the flags that made the file are named when
//! the files differ.

mod common;

use common::{acegen, folder_with, stderr, stdout};

#[test]
fn a_file_made_from_env_matches_a_run_from_an_example_with_the_same_settings() {
    let dir = folder_with(&[
        (".env", "MIN_REPLICAS=3\nMAX_REPLICAS=9\n"),
        ("ci.env", "MIN_REPLICAS=3\nMAX_REPLICAS=9\n"),
    ]);
    assert!(acegen(dir.path(), &["-o", "docker-compose.yml"])
        .status
        .success());
    for extra in [&[][..], &["--semantic"], &["--format", "json"]] {
        let mut args = vec!["diff", "--env-file", "ci.env"];
        args.extend_from_slice(extra);
        let output = acegen(dir.path(), &args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stdout(&output)
        );
    }
    // A setting that differs still fails the step.
    std::fs::write(
        dir.path().join("ci.env"),
        "MIN_REPLICAS=4\nMAX_REPLICAS=9\n",
    )
    .unwrap();
    let output = acegen(dir.path(), &["diff", "--env-file", "ci.env"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("+# 4 engines"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn an_orchestrator_stack_file_compared_without_its_flag_names_it() {
    let env = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=custom\n\
               DOCKER_NETWORK=acestream\nAPP_PORT=8080\n";
    let dir = folder_with(&[(".env", env)]);
    let made = acegen(
        dir.path(),
        &["--stack", "orchestrator", "-o", "docker-compose.yml"],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let output = acegen(dir.path(), &["diff"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "docker-compose.yml was made with `--stack orchestrator`, which this run does not pass"
        ),
        "{}",
        stderr(&output)
    );
    let same = acegen(dir.path(), &["diff", "--stack", "orchestrator"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(!stderr(&same).contains("note"));
}
