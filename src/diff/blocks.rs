//! The fast path of `diff --semantic`: most of a committed compose file is
//! byte for byte what acegen generates, so both texts are cut into their
//! top-level entries and `services:` into one block per service, blocks
//! under the same key are compared as text, and only the blocks that differ
//! (or that one side lacks) are parsed and compared as data.
//!
//! The change list is exactly what [`semantic::compare`] gives for the whole
//! documents, because:
//! - a block that differs, or that one side lacks, is read with
//!   [`block_yaml::parse_entry`], which reads an entry as `block_yaml::parse`
//!   reads it inside the document (its grammar has no anchors, aliases,
//!   flow collections or multi-line scalars, so nothing reaches across
//!   entries) and agrees with serde_yaml;
//! - a block equal as text is skipped only when every line of it is
//!   [`self_contained`]: no anchor, alias, tag, flow collection, block
//!   scalar, comment after a value or quoted scalar left open, so its
//!   reading cannot depend on the rest of the document, and the next key
//!   line really starts the next entry;
//! - a key twice (which serde_yaml refuses), a missing or non-mapping
//!   `services`, a line indented less than its entry, or any block the
//!   reader refuses returns `None`, and the caller parses the whole texts.
//!
//! Changes are listed in the order of the full walk: the generated
//! document's keys in order (services in order inside `services`), then the
//! keys only FILE has, in FILE's order; services are normalised as there.

use super::block_yaml;
use super::normalise::normalise_service;
use super::semantic::{self, Change, Path, Segment};
use crate::render::yaml;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};

/// One entry of a block mapping: its key and its lines (from the key line
/// up to the next entry's, comments and blank lines after it included).
struct Block<'t> {
    key: String,
    text: &'t str,
    /// The key's indentation.
    indent: usize,
}

/// The changes from `before` (FILE) to `generated`, or `None` when the
/// texts are not both in the plain block style this path compares.
pub fn changes(before: &str, generated: &str) -> Option<Vec<Change>> {
    let (old, new) = (entries(before, 0)?, entries(generated, 0)?);
    let old_services = services_of(&old)?;
    let new_services = services_of(&new)?;
    let mut compare = Comparison {
        keys: RandomState::new(),
        path: Path::default(),
        changes: Vec::new(),
    };
    compare.maps(&old, &new, |compare, old, new| match (old, new) {
        (Some(_), Some(_)) if new.map(|b| b.key.as_str()) == Some("services") => {
            compare.maps(&old_services, &new_services, |c, o, n| {
                c.blocks(o, n, 1, true)
            })
        }
        _ => compare.blocks(old, new, 0, false),
    })?;
    Some(compare.changes)
}

/// The services of a document's entries: the entries of `services:`'s
/// block mapping, `None` without one.
fn services_of<'t>(top: &[Block<'t>]) -> Option<Vec<Block<'t>>> {
    let services = top.iter().find(|b| b.key == "services")?;
    let (first, body) = services.text.split_once('\n')?;
    let (_, rest) = block_yaml::split_key(first)?;
    if !rest.is_empty() {
        return None; // `services: {}` and the like: the whole texts are read
    }
    let indent = body
        .split('\n')
        .map(|line| (line, line.trim_start_matches(' ')))
        .find(|(_, body)| !body.is_empty() && !body.starts_with('#'))
        .map(|(line, body)| line.len() - body.len())?;
    (indent > 0).then_some(())?;
    entries(body, indent)
}

struct Comparison {
    keys: RandomState,
    path: Path,
    changes: Vec<Change>,
}

impl Comparison {
    /// Pairs the blocks of two mappings by key, in the full walk's order.
    fn maps<'t>(
        &mut self,
        old: &[Block<'t>],
        new: &[Block<'t>],
        mut compare: impl FnMut(&mut Self, Option<&Block<'t>>, Option<&Block<'t>>) -> Option<()>,
    ) -> Option<()> {
        let old_index: HashMap<&str, &Block> = old.iter().map(|b| (b.key.as_str(), b)).collect();
        for block in new {
            self.path.0.push(Segment::Key(block.key.clone()));
            compare(
                self,
                old_index.get(block.key.as_str()).copied(),
                Some(block),
            )?;
            self.path.0.pop();
        }
        let new_keys: HashSet<&str> = new.iter().map(|b| b.key.as_str()).collect();
        for block in old.iter().filter(|b| !new_keys.contains(b.key.as_str())) {
            self.path.0.push(Segment::Key(block.key.clone()));
            compare(self, Some(block), None)?;
            self.path.0.pop();
        }
        Some(())
    }

    /// Compares one entry's blocks (either may be missing), `depth`
    /// collections deep; `service`: the values are services, normalised as
    /// the full comparison does.
    fn blocks(
        &mut self,
        old: Option<&Block>,
        new: Option<&Block>,
        depth: usize,
        service: bool,
    ) -> Option<()> {
        if let (Some(old), Some(new)) = (old, new) {
            if old.text == new.text {
                return self_contained(new.text).then_some(());
            }
        }
        let read = |block: &Block| {
            let (_, mut value) = block_yaml::parse_entry(block.text, block.indent, depth)?;
            if service {
                normalise_service(&mut value);
            }
            Some(value)
        };
        let old = match old {
            Some(block) => Some(read(block)?),
            None => None,
        };
        let new = match new {
            Some(block) => Some(read(block)?),
            None => None,
        };
        let path = &mut self.path;
        match (old, new) {
            (Some(old), Some(new)) => {
                semantic::compare_at(path, &old, &new, &self.keys, &mut self.changes)
            }
            (None, Some(new)) => self.changes.push(semantic::added(path.clone(), &new)),
            (Some(old), None) => self.changes.push(semantic::removed(path.clone(), &old)),
            (None, None) => {}
        }
        Some(())
    }
}

/// The entries of a block mapping whose keys sit at `indent`; `None` when a
/// line holds something before the first key, is indented less than
/// `indent`, or a key is unreadable or appears twice.
fn entries(text: &str, indent: usize) -> Option<Vec<Block<'_>>> {
    let bytes = text.as_bytes();
    let mut blocks: Vec<Block> = Vec::new();
    let mut start: Option<(usize, String)> = None;
    let mut line_start = 0;
    let line_ends = memchr::memchr_iter(b'\n', bytes).map(|i| i + 1);
    for line_end in
        line_ends.chain((!bytes.is_empty() && !text.ends_with('\n')).then_some(bytes.len()))
    {
        let line = &bytes[line_start..line_end];
        let from = std::mem::replace(&mut line_start, line_end);
        // Nearly every line is indented deeper than the keys: it belongs
        // to the entry above, with nothing more to look at.
        let deeper = line.len() > indent && line[..=indent].iter().all(|&b| b == b' ');
        if deeper && start.is_some() {
            continue;
        }
        let line = &text[from..line_end];
        let body = line.trim_start_matches(' ');
        if body.trim_end_matches(['\n', ' ']).is_empty() || body.starts_with('#') {
            continue;
        }
        let line_indent = line.len() - body.len();
        if line_indent < indent {
            return None;
        }
        let item = body.starts_with("- ") || body.trim_end_matches('\n') == "-";
        if line_indent > indent || item {
            start.as_ref()?; // content before the first key
            continue;
        }
        let (key, _) = block_yaml::split_key(body.trim_end_matches('\n'))?;
        if let Some((block_start, key)) = start.replace((from, key)) {
            blocks.push(Block {
                key,
                text: &text[block_start..from],
                indent,
            });
        }
    }
    let (from, key) = start?;
    blocks.push(Block {
        key,
        text: &text[from..],
        indent,
    });
    let mut seen = HashSet::with_capacity(blocks.len());
    blocks
        .iter()
        .all(|b| seen.insert(b.key.as_str()))
        .then_some(blocks)
}

/// Whether every line of `block` reads the same wherever the block stands:
/// outside double quotes only the characters of plain words, spaces and
/// `:`; every double-quoted scalar closed on its line (no escaped line
/// break); no control character, nor any character YAML forbids unescaped
/// (libyaml may read some as line breaks). Comment lines are allowed; a
/// comment after a value is not (conservatively).
fn self_contained(block: &str) -> bool {
    if !block.is_ascii() && block.chars().any(|c| c != '\n' && yaml::needs_escape(c)) {
        return false;
    }
    let bytes = block.as_bytes();
    let mut state = State::LineStart;
    let mut i = 0;
    while i < bytes.len() {
        let class = CLASSES[usize::from(bytes[i])];
        state = match (state, class) {
            (_, Class::Control) => return false,
            (State::Quoted, Class::Newline) => return false,
            (State::Quoted, Class::Quote) => State::Plain,
            (State::Quoted, Class::Backslash) => {
                i += 1; // the escaped character, which must be on this line
                match bytes.get(i).map(|&b| CLASSES[usize::from(b)]) {
                    Some(Class::Newline | Class::Control) | None => return false,
                    Some(_) => State::Quoted,
                }
            }
            (State::Quoted | State::Comment, _) if class != Class::Newline => state,
            (_, Class::Newline) => State::LineStart,
            (State::LineStart, Class::Space) => State::LineStart,
            (State::LineStart, Class::Hash) => State::Comment,
            (_, Class::Quote) => State::Quoted,
            (_, Class::Plain | Class::Space) => State::Plain,
            _ => return false,
        };
        i += 1;
    }
    state != State::Quoted
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Only spaces so far on this line.
    LineStart,
    Plain,
    Quoted,
    Comment,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    Space,
    Quote,
    Backslash,
    Newline,
    Hash,
    Control,
    Other,
}

/// Each byte's class, for [`self_contained`]'s scan (a table: the scan
/// reads every byte of the file).
const CLASSES: [Class; 256] = {
    let mut classes = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        classes[b] = match byte {
            b'\n' => Class::Newline,
            b' ' => Class::Space,
            b'"' => Class::Quote,
            b'\\' => Class::Backslash,
            b'#' => Class::Hash,
            b'-' | b'_' | b'.' | b'/' | b'@' | b':' => Class::Plain,
            _ if byte.is_ascii_alphanumeric() => Class::Plain,
            _ if byte < b' ' || byte == 0x7f => Class::Control,
            _ => Class::Other, // non-ASCII: allowed inside quotes only
        };
        b += 1;
    }
    classes
};

#[cfg(test)]
mod tests;
