//! `cargo bench --bench env_size`: reading and checking a `.env` of 1k, 10k
//! and 100k lines, to show that the cost grows linearly with the number of
//! lines (docs/configuration.md, "How acegen reads .env").
//!
//! Two shapes: ordinary lines (every quoting style, comments, references),
//! and lines of a mistyped key, each of which draws a warning that `check`
//! formats with its source line (this took 46 s for 20k lines when each
//! diagnostic looked its line up from the start of the file).

use acegen::load::dotenv;
use acegen::load::Inputs;
use acegen::pipeline::{self, Request};
use acegen::report;
use divan::Bencher;

const LINES: [usize; 3] = [1_000, 10_000, 100_000];

fn main() {
    divan::main();
}

/// `lines` lines cycling through the forms a real file has.
fn ordinary_env(lines: usize) -> String {
    const FORMS: [&str; 8] = [
        "KEY_{i}=value-{i}",
        "# a comment about {i}",
        "export QUOTED_{i}=\"a \\\"quoted\\\" value\\n{i}\"",
        "LITERAL_{i}='it\\'s $literal'",
        "REF_{i}=${KEY_0:-default}/$KEY_0",
        "",
        "SPACED_{i} = 60 # seconds",
        "YAML_{i}: value",
    ];
    (0..lines)
        .map(|i| FORMS[i % FORMS.len()].replace("{i}", &i.to_string()) + "\n")
        .collect()
}

fn mistyped_env(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("ENGNE_VARIANT=x{i}\n"))
        .collect()
}

#[divan::bench(args = LINES)]
fn read_ordinary(bencher: Bencher, lines: usize) {
    let text = ordinary_env(lines);
    bencher.bench(|| {
        dotenv::parse(divan::black_box(&text), &|_| None)
            .entries
            .len()
    });
}

/// The whole of `acegen check` except printing: validate, resolve, render,
/// then format every diagnostic with its source line.
#[divan::bench(args = LINES)]
fn check_mistyped_keys(bencher: Bencher, lines: usize) {
    let text = mistyped_env(lines);
    bencher
        .with_inputs(|| Inputs::from_text(text.clone()))
        .bench_values(|inputs| {
            let compilation = pipeline::compile_inputs(inputs, &Request::default());
            let diagnostics = compilation.diagnostics.clone().sorted();
            diagnostics
                .iter()
                .map(|d| report::text::format_diagnostic(&compilation, d).len())
                .sum::<usize>()
        });
}
