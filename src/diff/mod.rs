//! Comparing a compose file with what acegen would generate (`acegen diff`):
//! a unified text diff ([`unified`]) or a comparison of the parsed documents
//! ([`semantic`]), with secret values masked ([`redact`]) in both.

mod block_yaml;
pub mod blocks;
pub mod depth;
pub mod node;
mod normalise;
pub mod objects;
pub mod parse;
pub mod redact;
pub mod report;
pub mod semantic;
pub mod unified;

use similar::ChangeTag;

/// The semantic changes from `before` (FILE) to `generated`, as
/// `acegen diff --semantic` finds them: block by block when the texts allow
/// it, else both documents parsed whole.
pub fn semantic_changes(
    before: &str,
    generated: &str,
) -> Result<Vec<semantic::Change>, parse::ParseError> {
    // Most services are byte-identical to the generated ones: compare the
    // texts block by block and parse only the blocks that differ.
    if let Some(changes) = blocks::changes(before, generated) {
        return Ok(changes);
    }
    let mut before_doc = node::Node::parse_yaml(before)?;
    let mut after_doc = node::Node::parse_yaml(generated)?;
    let changes = semantic::compare_normalising(&mut before_doc, &mut after_doc);
    // The process ends soon: freeing two large trees node by node would
    // cost a fifth of the run.
    std::mem::forget((before_doc, after_doc));
    Ok(changes)
}

/// ANSI colours for a terminal, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    pub const PLAIN: Palette = Palette { enabled: false };

    fn paint(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn header(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn hunk(self, text: &str) -> String {
        self.paint("36", text)
    }

    pub fn line(self, tag: ChangeTag, text: &str) -> String {
        match tag {
            ChangeTag::Equal => text.to_owned(),
            ChangeTag::Delete => self.paint("31", text),
            ChangeTag::Insert => self.paint("32", text),
        }
    }

    pub fn changed(self, text: &str) -> String {
        self.paint("33", text)
    }
}
