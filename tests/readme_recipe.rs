//! The README's recipe, run as written: the committed file is made from
//! `.env` with the README's command, then the CI workflow's acegen steps
//! run against `.env.example` (the same settings, placeholder secrets) and
//! must pass; a setting that differs must fail them.

mod common;

use common::{acegen, folder_with, stderr, stdout};

/// The fenced code blocks of `lang` in the README.
fn code_blocks(lang: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let fence = format!("```{lang}\n");
    readme
        .split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .collect()
}

/// The acegen command lines of a block (`acegen …` or `- run: acegen …`),
/// without `acegen` and trailing comments, split into words.
fn acegen_commands(block: &str) -> Vec<Vec<String>> {
    block
        .lines()
        .map(|line| line.trim().trim_start_matches("- run:").trim())
        .filter_map(|line| line.strip_prefix("acegen "))
        .map(|line| line.split(" #").next().unwrap())
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .collect()
}

fn run_all(dir: &std::path::Path, commands: &[Vec<String>]) -> Vec<std::process::Output> {
    commands
        .iter()
        .map(|words| {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            acegen(dir, &words)
        })
        .collect()
}

const ENV: &str = "\
GLUETUN_CONTAINER_NAME=gluetun
MIN_REPLICAS=3
MAX_REPLICAS=6
GLUETUN_API_KEY=a-real-looking-api-key
VPN_SERVICE_PROVIDER=custom
VPN_TYPE=wireguard
WIREGUARD_PRIVATE_KEY=cmVhbC1sb29raW5nLWtleS1ub3QtcmVhbA==
WIREGUARD_ADDRESSES=10.64.0.2/32
";

#[test]
fn the_committed_file_made_as_the_readme_says_passes_the_readme_ci_steps() {
    let generate: Vec<Vec<String>> = code_blocks("sh")
        .iter()
        .flat_map(|block| acegen_commands(block))
        .filter(|words| words.iter().any(|w| w == "docker-compose.yml"))
        .collect();
    assert_eq!(
        generate,
        [["-o", "docker-compose.yml"]],
        "README's generate step"
    );
    let ci: Vec<Vec<String>> = code_blocks("yaml")
        .iter()
        .filter(|block| block.contains("runs-on:"))
        .flat_map(|block| acegen_commands(block))
        .collect();
    assert!(
        ci.iter().any(|w| w[0] == "check") && ci.iter().any(|w| w[0] == "diff"),
        "README's CI steps: {ci:?}"
    );
    let example = ENV
        .lines()
        .map(|line| match line.split_once('=') {
            Some((key, _)) if key.ends_with("_KEY") => format!("{key}=changeme\n"),
            _ => format!("{line}\n"),
        })
        .collect::<String>();
    let dir = folder_with(&[(".env", ENV), (".env.example", &example)]);

    for output in run_all(dir.path(), &generate) {
        assert!(output.status.success(), "{}", stderr(&output));
    }
    for (words, output) in ci.iter().zip(run_all(dir.path(), &ci)) {
        assert_eq!(
            output.status.code(),
            Some(0),
            "acegen {words:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }

    // The CI steps can fail: .env.example that no longer matches the file.
    let stale = example.replace("MIN_REPLICAS=3", "MIN_REPLICAS=4");
    std::fs::write(dir.path().join(".env.example"), stale).unwrap();
    let diff = ci
        .iter()
        .filter(|w| w[0] == "diff")
        .cloned()
        .collect::<Vec<_>>();
    for output in run_all(dir.path(), &diff) {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    }
}
