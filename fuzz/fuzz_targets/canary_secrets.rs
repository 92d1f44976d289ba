//! Canary secrets planted in a `.env`, a compose file and a manifest, then
//! every command and format run in process (fuzz/src/canary.rs). Input: the
//! `.env` seed text; the input's bytes also seed the choice of planted forms.
#![no_main]

use acegen_fuzz::canary::{check_canaries, plant};
use acegen_fuzz::known::known_open;
use acegen_fuzz::mutate::Rng;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let seed = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng::new(seed);
    let keys: Vec<&str> = acegen::keys::KEYS.iter().map(|k| k.name).collect();
    let planted = plant(&mut rng, text, &keys);
    if let Err(finding) = check_canaries(&planted) {
        if known_open(&finding, &planted.env).is_none() {
            panic!(
                "{}\n--- .env\n{}\n--- compose\n{}\n--- manifest\n{}",
                finding.0, planted.env, planted.compose, planted.manifest
            );
        }
    }
});
