//! `cargo bench`: what one compilation costs for 10, 100 and 1000 engines,
//! without a VPN and behind two redundant VPNs (docs/development/performance.md).
//!
//! The inputs are built in memory, so these numbers leave out process start
//! and file I/O; `scripts/measure-performance.sh` times the whole process.
//! The one-time work (parsing the env schema) is done before the
//! benches start, so each sample is the steady per-run cost.

use acegen::diff::semantic::{self, Node};
use acegen::load::Inputs;
use acegen::pipeline::{self, Compilation, Request};
use acegen::report;
use divan::Bencher;

const SIZES: [usize; 3] = [10, 100, 1000];

fn main() {
    // Pay the once-per-process costs (parsing the env schema) outside the samples.
    let warm_up = compile(&env_text(Layout::RedundantVpn, 10));
    assert!(warm_up.output.is_some(), "the bench input must be valid");
    divan::main();
}

#[derive(Debug, Clone, Copy)]
enum Layout {
    NoVpn,
    RedundantVpn,
}

/// A `.env` for `engines` engines, with ranges wide enough for 1000.
fn env_text(layout: Layout, engines: usize) -> String {
    let mut text =
        format!("MIN_REPLICAS={engines}\nMAX_REPLICAS={engines}\nPORT_RANGE_HOST=20000-29999\n");
    if let Layout::RedundantVpn = layout {
        text.push_str(concat!(
            "VPN_MODE=redundant\n",
            "GLUETUN_CONTAINER_NAME=gluetun\n",
            "GLUETUN_CONTAINER_NAME_2=gluetun_2\n",
            "VPN_SERVICE_PROVIDER=protonvpn\n",
            "VPN_TYPE=wireguard\n",
            "WIREGUARD_PRIVATE_KEY=not-a-real-key\n",
            // Each VPN's engines need their own internal P2P port.
            "ENGINE_P2P_RANGE=30000-31999\n",
        ));
    }
    text
}

fn compile(env: &str) -> Compilation {
    pipeline::compile_inputs(Inputs::from_text(env), &Request::default())
}

/// What `acegen check` prints: every diagnostic, then the summary line.
fn check_report(compilation: &Compilation) -> String {
    let mut out = String::new();
    for diagnostic in compilation.diagnostics.clone().sorted() {
        out.push_str(&report::text::format_diagnostic(compilation, &diagnostic));
    }
    out.push_str(&report::text::summary(compilation, false));
    out
}

/// validate (env schema compiled for the keys set) → resolve → render with
/// the built-in template (proven valid: no parse-back, see render::compose::check).
fn bench_pipeline(bencher: Bencher, layout: Layout, engines: usize) {
    let env = env_text(layout, engines);
    bencher
        .with_inputs(|| Inputs::from_text(env.as_str()))
        .bench_values(|inputs| pipeline::compile_inputs(inputs, &Request::default()));
}

#[divan::bench(args = SIZES)]
fn pipeline_no_vpn(bencher: Bencher, engines: usize) {
    bench_pipeline(bencher, Layout::NoVpn, engines);
}

#[divan::bench(args = SIZES)]
fn pipeline_redundant_vpn(bencher: Bencher, engines: usize) {
    bench_pipeline(bencher, Layout::RedundantVpn, engines);
}

/// The pipeline plus diagnostic formatting. A misspelt key gives `check`
/// a warning (with a did-you-mean hint) to format.
fn bench_check(bencher: Bencher, layout: Layout, engines: usize) {
    let env = env_text(layout, engines) + "MIN_REPLICA=3\n";
    assert!(
        compile(&env).diagnostics.warning_count() > 0,
        "the check input must produce a warning to format"
    );
    bencher
        .with_inputs(|| Inputs::from_text(env.as_str()))
        .bench_values(|inputs| {
            let compilation = pipeline::compile_inputs(inputs, &Request::default());
            check_report(&compilation)
        });
}

#[divan::bench(args = SIZES)]
fn check_no_vpn(bencher: Bencher, engines: usize) {
    bench_check(bencher, Layout::NoVpn, engines);
}

#[divan::bench(args = SIZES)]
fn check_redundant_vpn(bencher: Bencher, engines: usize) {
    bench_check(bencher, Layout::RedundantVpn, engines);
}

/// What `acegen diff --semantic` does once the document is generated:
/// parse the file on disk and the generated text, then compare the trees.
fn semantic_diff(generated: &str, on_disk: &str) -> usize {
    let generated = Node::parse_yaml(generated).expect("generated text is YAML");
    let on_disk = Node::parse_yaml(on_disk).expect("the file is YAML");
    semantic::compare(&on_disk, &generated).len()
}

fn bench_diff(bencher: Bencher, layout: Layout, engines: usize) {
    let generated = compile(&env_text(layout, engines))
        .output
        .expect("the bench input is valid");
    // The file on disk differs in one value: the last engine's restart policy.
    let last = generated.rfind("restart: \"unless-stopped\"").unwrap();
    let on_disk = format!(
        "{}restart: \"always\"{}",
        &generated[..last],
        &generated[last + "restart: \"unless-stopped\"".len()..]
    );
    assert_eq!(semantic_diff(&generated, &on_disk), 1);
    bencher.bench(|| semantic_diff(divan::black_box(&generated), divan::black_box(&on_disk)));
}

#[divan::bench(args = SIZES)]
fn diff_semantic_no_vpn(bencher: Bencher, engines: usize) {
    bench_diff(bencher, Layout::NoVpn, engines);
}

#[divan::bench(args = SIZES)]
fn diff_semantic_redundant_vpn(bencher: Bencher, engines: usize) {
    bench_diff(bencher, Layout::RedundantVpn, engines);
}
