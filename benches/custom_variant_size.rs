//! `cargo bench --bench custom_variant_size`: checking a custom variant file
//! of 1k, 10k and 100k parameters, pretty-printed and minified (one line),
//! and formatting every diagnostic it gives as `check` prints them. Time must
//! grow linearly with the number of parameters (issue 16: 16k took 55 s).

use acegen::load::Inputs;
use acegen::pipeline::{self, Request};
use acegen::report;
use acegen::validate::custom_variant::check_custom_variant;
use camino::Utf8Path;
use divan::Bencher;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn main() {
    divan::main();
}

/// A variant with `count` parameters: every tenth a duplicated known one,
/// the others unknown names (each a W0301 warning with a did-you-mean hint).
fn variant_text(count: usize, minified: bool) -> String {
    let parameters: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let name = if i % 10 == 0 {
                "--live-buffer".to_owned()
            } else {
                format!("--unknown-{i}")
            };
            serde_json::json!({"name": name, "type": "int", "value": i, "enabled": i % 2 == 0})
        })
        .collect();
    let document =
        serde_json::json!({"enabled": true, "platform": "amd64", "parameters": parameters});
    if minified {
        serde_json::to_string(&document).unwrap()
    } else {
        serde_json::to_string_pretty(&document).unwrap()
    }
}

fn bench_check(bencher: Bencher, count: usize, minified: bool) {
    let text = variant_text(count, minified);
    bencher.bench(|| check_custom_variant(Utf8Path::new("custom_engine_variant.json"), &text));
}

#[divan::bench(args = SIZES)]
fn check_pretty(bencher: Bencher, count: usize) {
    bench_check(bencher, count, false);
}

#[divan::bench(args = SIZES)]
fn check_minified(bencher: Bencher, count: usize) {
    bench_check(bencher, count, true);
}

/// The whole `acegen check` text report of a minified file: one snippet per
/// diagnostic, each clipped to the snippet width.
#[divan::bench(args = SIZES, sample_count = 5)]
fn report_minified(bencher: Bencher, count: usize) {
    let text = variant_text(count, true);
    let inputs = || Inputs::without_files().with_custom_variant(text.clone());
    bencher.with_inputs(inputs).bench_values(|inputs| {
        let compilation = pipeline::compile_inputs(inputs, &Request::default());
        let bytes: usize = compilation
            .diagnostics
            .iter()
            .map(|d| report::text::format_diagnostic(&compilation, d).len())
            .sum();
        assert!(bytes < count * 1024, "snippets are clipped");
        bytes
    });
}
