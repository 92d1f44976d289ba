//! The `.env` reader on arbitrary UTF-8 text.
#![no_main]

use acegen_fuzz::invariants::check_env_reader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(finding) = check_env_reader(text) {
        panic!("{}", finding.0);
    }
});
