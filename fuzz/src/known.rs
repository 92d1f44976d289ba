//! Findings already reported and being fixed elsewhere, so that the smoke
//! runs stay green meanwhile: each is printed (never hidden) but does not
//! fail the run. Remove an entry once its fix is merged; the regression
//! corpus (`fuzz/corpus/regressions/`) keeps an input for each.

use super::invariants::Finding;

/// Why `finding` on `env` is a known, open problem, if it is one.
pub fn known_open(finding: &Finding, env: &str) -> Option<&'static str> {
    // Issue 20 item 1 (the `sec-a` branch): E0101's excerpt repeats a
    // secret line whose key follows a word, a dash or a space.
    let pasted_key = env.lines().any(|line| {
        line.contains(super::canary::MARK)
            && ["exprot ", "- ", "GLUETUN "]
                .iter()
                .any(|prefix| line.starts_with(prefix))
    });
    (finding.0.starts_with("canary secret shown") && pasted_key)
        .then_some("#20 item 1: a secret line with a word before its key, fixed on sec-a")
}
