//! Every diagnostic code used in src/ is documented in docs/diagnostics.md,
//! and every documented code is still used: the list stays complete and current.

use std::collections::BTreeSet;
use std::path::Path;

/// `E0101`-style codes written as string literals (`"E0101"`) in `text`.
fn codes_in_source(text: &str) -> BTreeSet<String> {
    text.match_indices('"')
        .filter_map(|(i, _)| text.get(i + 1..i + 7))
        .filter(|s| s.ends_with('"'))
        .filter_map(|s| s.get(..5))
        .filter(|s| is_code(s))
        .map(str::to_owned)
        .collect()
}

fn is_code(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 5
        && matches!(bytes[0], b'E' | b'W' | b'N')
        && bytes[1..].iter().all(u8::is_ascii_digit)
}

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn used_codes() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
        .iter()
        .flat_map(|f| codes_in_source(&std::fs::read_to_string(f).unwrap()))
        .collect()
}

/// Codes that have a `### CODE` heading in docs/diagnostics.md.
fn documented_codes() -> BTreeSet<String> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|l| l.get(..5))
        .filter(|c| is_code(c))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_code_used_in_src_is_documented() {
    let used = used_codes();
    assert!(used.contains("E0101") && used.contains("W0401"), "{used:?}");
    let missing: Vec<_> = used.difference(&documented_codes()).cloned().collect();
    assert!(
        missing.is_empty(),
        "add these to docs/diagnostics.md: {missing:?}"
    );
}

#[test]
fn every_documented_code_is_still_used() {
    let stale: Vec<_> = documented_codes()
        .difference(&used_codes())
        .cloned()
        .collect();
    assert!(stale.is_empty(), "no longer used in src/: {stale:?}");
}
