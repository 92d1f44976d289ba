//! The unified diff from FILE to the generated text, with secret values
//! masked (see [`super::redact`]) and optional colour.

use super::redact::mask_document;
use super::Palette;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write;

/// The two sides' names, as written in the `---` / `+++` header.
pub struct Sides<'a> {
    pub before_name: &'a str,
    pub before: &'a str,
    pub after_name: &'a str,
    pub after: &'a str,
}

/// The unified diff, empty when both texts are identical.
///
/// The diff is computed on the real texts, so a changed secret still shows
/// as a `-`/`+` pair; only the printed lines are masked.
pub fn unified_diff(sides: &Sides, context: usize, palette: Palette) -> String {
    let diff = TextDiff::from_lines(sides.before, sides.after);
    let masked_before = mask_document(sides.before);
    let masked_after = mask_document(sides.after);
    let mut out = String::new();
    let mut unified = diff.unified_diff();
    unified.context_radius(context);
    for (n, hunk) in unified.iter_hunks().enumerate() {
        if n == 0 {
            let header = format!("--- {}\n+++ {}", sides.before_name, sides.after_name);
            let _ = writeln!(out, "{}", palette.header(&header));
        }
        let _ = writeln!(out, "{}", palette.hunk(&hunk.header().to_string()));
        for change in hunk.iter_changes() {
            let line = match (change.tag(), change.old_index(), change.new_index()) {
                (ChangeTag::Insert, _, Some(i)) => &masked_after[i],
                (_, Some(i), _) => &masked_before[i],
                _ => continue,
            };
            let sign = match change.tag() {
                ChangeTag::Equal => ' ',
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
            };
            let text = format!("{sign}{}", line.trim_end_matches(['\n', '\r']));
            let _ = writeln!(out, "{}", palette.line(change.tag(), &text));
            if change.missing_newline() {
                let _ = writeln!(out, "\\ No newline at end of file");
            }
        }
    }
    out
}
