//! The whole pipeline (what `acegen generate` runs) on an arbitrary `.env`
//! and custom variant. Input: the `.env` text, then optionally a NUL byte
//! and the custom variant text (no NUL: no custom variant file).
#![no_main]

use acegen_fuzz::invariants::check_pipeline;
use acegen_fuzz::known::known_open;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (env, custom_variant) = match text.split_once('\0') {
        Some((env, custom)) => (env, Some(custom)),
        None => (text, None),
    };
    if let Err(finding) = check_pipeline(env, custom_variant) {
        if known_open(&finding, env).is_none() {
            panic!("{}", finding.0);
        }
    }
});
