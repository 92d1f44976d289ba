//! acegen's model of how the orchestrator 2.1 reads a value (src/orchestrator21/goparse.rs:
//! which values it misreads, E1010) against the real Go standard library, through the
//! program in tests/fixtures/go-parsers (its own code, making the calls 2.1's env helpers
//! make). Needs a Go toolchain: `ACEGEN_GO=/usr/bin/go` (verified with Debian's golang-go
//! 1.19.8; 2.1 is built with Go 1.25, and strconv, time.ParseDuration and fmt.Sscanf read
//! these forms alike in both). Without ACEGEN_GO the test says so and passes.

use acegen::orchestrator21::goparse;
use std::io::Write;
use std::process::{Command, Stdio};

const SAMPLES: &[&str] = &[
    "",
    "0",
    "5",
    "+5",
    "-5",
    "007",
    " 5",
    "5 ",
    "5.0",
    ".5",
    "5.",
    "1e3",
    "1E3",
    "-1e-3",
    "0x10",
    "1_000",
    "1,5",
    "500ms",
    "1m30s",
    "1h",
    "1.5h",
    ".5s",
    "0.5",
    "1.5",
    "5 s",
    "5sec",
    "-1s",
    "+1s",
    "1µs",
    "1us",
    "1ns",
    "1m1",
    "s",
    "ms",
    "t",
    "T",
    "TRUE",
    "True",
    "tRue",
    "yes",
    "on",
    "1",
    "f",
    "False",
    "FALSE",
    "19000-19999",
    "19000",
    "19000 - 19999",
    "-5-10",
    "19499-19000",
    "0-10",
    " 19000-19499 ",
    "19000abc-19500",
    "19000-",
    "-",
    "512m",
    "2G",
    "512mb",
    "1.5g",
    "10k",
    "k",
    "M",
    " 64m ",
    "0",
    "99999999999999999999",
];

fn go_answers(go: &str, kind: &str) -> Vec<String> {
    let program = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/go-parsers/main.go"
    );
    let cache = std::env::temp_dir().join("acegen-go-cache");
    let mut child = Command::new(go)
        .args(["run", program])
        .env("GOCACHE", &cache)
        .env("GOPATH", cache.join("path"))
        .env("GO111MODULE", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("go runs");
    let input: String = SAMPLES.iter().map(|s| format!("{kind}\t{s}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "go run failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn ours(kind: &str, text: &str) -> String {
    let ok = |n: Option<String>| n.map_or("err".to_owned(), |n| format!("ok {n}"));
    match kind {
        "int" => ok(goparse::atoi(text).map(|n| n.to_string())),
        "float" => ok(goparse::parse_float(text).map(|f| format!("{f}"))),
        "bool" => ok(goparse::parse_bool(text).map(|b| b.to_string())),
        "duration" => match goparse::parse_env_duration(text) {
            Some(goparse::Duration::WithUnit(s)) => format!("unit {s}"),
            Some(goparse::Duration::BareSeconds(n)) => format!("bare {n}"),
            None => "err".to_owned(),
        },
        "range" => match goparse::parse_range(text) {
            ((19000, 19999), false) if !text.contains('-') => "default".to_owned(),
            ((lo, hi), faithful) => format!("range {lo} {hi} {faithful}"),
        },
        "vpnrange" => (if goparse::vpn_range_is_kept(text) {
            "kept"
        } else {
            "ignored"
        })
        .to_owned(),
        "memory" => ok(goparse::parse_memory(text).map(|n| n.to_string())),
        _ => unreachable!(),
    }
}

/// Go prints floats with %g; ours with Rust's shortest form: compare as numbers.
fn same(kind: &str, go: &str, acegen: &str) -> bool {
    if go == acegen {
        return true;
    }
    let number = |s: &str| s.rsplit(' ').next().and_then(|n| n.parse::<f64>().ok());
    matches!(kind, "float" | "duration")
        && go.split(' ').next() == acegen.split(' ').next()
        && number(go).is_some()
        && number(go) == number(acegen)
}

#[test]
fn acegen_reads_values_as_2_1s_go_code_does() {
    let Some(go) = std::env::var_os("ACEGEN_GO") else {
        eprintln!("go_parsers: ACEGEN_GO is not set: the comparison with Go did not run");
        return;
    };
    let go = go.to_string_lossy().into_owned();
    let mut wrong = Vec::new();
    for kind in [
        "int", "float", "bool", "duration", "range", "vpnrange", "memory",
    ] {
        for (text, go_answer) in SAMPLES.iter().zip(go_answers(&go, kind)) {
            let acegen_answer = ours(kind, text);
            if !same(kind, &go_answer, &acegen_answer) {
                wrong.push(format!(
                    "{kind} {text:?}: Go `{go_answer}`, acegen `{acegen_answer}`"
                ));
            }
        }
    }
    println!(
        "go_parsers: {} samples × 7 readers compared with Go",
        SAMPLES.len()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
}
