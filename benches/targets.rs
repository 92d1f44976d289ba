//! `cargo bench --bench targets`: one compilation to each target, compose
//! and Kubernetes, on the same inputs of 1000 and 4000 engines, without a
//! VPN and behind two redundant VPNs (docs/development/performance.md). The Kubernetes
//! target must stay linear and within 5× of compose (its output is about 4×
//! larger); scripts/measure-performance.sh times the whole process.

use acegen::load::Inputs;
use acegen::pipeline::{self, Request, Target};
use divan::Bencher;

const SIZES: [usize; 2] = [1000, 4000];

fn main() {
    for target in [Target::Compose, Target::Kubernetes] {
        let warm_up =
            pipeline::compile_inputs(Inputs::from_text(env_text(true, 10)), &request(target));
        assert!(
            warm_up.output.is_some(),
            "the bench input must be valid for {target:?}"
        );
    }
    divan::main();
}

/// A `.env` for `engines` engines, with ranges wide enough for 4000.
fn env_text(redundant_vpn: bool, engines: usize) -> String {
    let mut text =
        format!("MIN_REPLICAS={engines}\nMAX_REPLICAS={engines}\nPORT_RANGE_HOST=10000-29999\n");
    if redundant_vpn {
        text.push_str(concat!(
            "VPN_MODE=redundant\n",
            "GLUETUN_CONTAINER_NAME=gluetun\n",
            "GLUETUN_CONTAINER_NAME_2=gluetun2\n",
            "VPN_SERVICE_PROVIDER=protonvpn\n",
            "WIREGUARD_PRIVATE_KEY=not-a-real-key\n",
            "WIREGUARD_PRIVATE_KEY_2=not-a-real-key-either\n",
            "ENGINE_P2P_RANGE=30000-33999\n",
        ));
    }
    text
}

fn request(target: Target) -> Request {
    Request {
        target,
        ..Request::default()
    }
}

fn bench(bencher: Bencher, target: Target, redundant_vpn: bool, engines: usize) {
    let env = env_text(redundant_vpn, engines);
    let request = request(target);
    bencher
        .with_inputs(|| Inputs::from_text(env.as_str()))
        .bench_values(|inputs| pipeline::compile_inputs(inputs, &request));
}

#[divan::bench(args = SIZES)]
fn compose_no_vpn(bencher: Bencher, engines: usize) {
    bench(bencher, Target::Compose, false, engines);
}

#[divan::bench(args = SIZES)]
fn kubernetes_no_vpn(bencher: Bencher, engines: usize) {
    bench(bencher, Target::Kubernetes, false, engines);
}

#[divan::bench(args = SIZES)]
fn compose_redundant_vpn(bencher: Bencher, engines: usize) {
    bench(bencher, Target::Compose, true, engines);
}

#[divan::bench(args = SIZES)]
fn kubernetes_redundant_vpn(bencher: Bencher, engines: usize) {
    bench(bencher, Target::Kubernetes, true, engines);
}
