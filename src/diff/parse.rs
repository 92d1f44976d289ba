//! Reading a compose document into a [`Node`]: the fast block-style reader
//! where it applies, serde_yaml for the rest, both behind one nesting limit.

use super::block_yaml;
use super::depth::{self, TooDeep};
use super::node::Node;
use std::fmt;

/// Why a document could not be read.
#[derive(Debug)]
pub enum ParseError {
    /// Collections nest deeper than acegen compares (E0740).
    TooDeep(TooDeep),
    Yaml(serde_yaml::Error),
}

impl From<serde_yaml::Error> for ParseError {
    /// The parser's own recursion limit (block nesting) is the same refusal.
    fn from(error: serde_yaml::Error) -> Self {
        match error.location() {
            Some(at) if error.to_string().starts_with("recursion limit exceeded") => {
                ParseError::TooDeep(TooDeep {
                    line: at.line(),
                    column: at.column(),
                })
            }
            _ => ParseError::Yaml(error),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooDeep(at) => at.fmt(f),
            ParseError::Yaml(error) => error.fmt(f),
        }
    }
}

impl Node {
    /// Parses a YAML document; an empty document is an empty map. Nesting
    /// deeper than [`depth::MAX_DEPTH`] is refused before parsing.
    pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
        if text.trim().is_empty() {
            return Ok(Node::Map(Vec::new()));
        }
        depth::check_nesting(text).map_err(ParseError::TooDeep)?;
        match block_yaml::parse(text) {
            Some(node) => Ok(node),
            None => Node::parse_with_serde_yaml(text),
        }
    }

    /// serde_yaml's reading, for what `block_yaml` does not read (and the
    /// reference it is tested against).
    pub(crate) fn parse_with_serde_yaml(text: &str) -> Result<Node, ParseError> {
        let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(ParseError::from)?;
        value.apply_merge().map_err(ParseError::from)?;
        Ok(match Node::from_yaml(value) {
            Node::Null => Node::Map(Vec::new()),
            node => node,
        })
    }

    fn from_yaml(value: serde_yaml::Value) -> Node {
        use serde_yaml::Value as Y;
        match value {
            Y::Null => Node::Null,
            Y::Bool(b) => Node::Bool(b),
            Y::Number(n) => Node::Number(n.to_string()),
            Y::String(s) => Node::String(s),
            Y::Sequence(items) => Node::Seq(items.into_iter().map(Node::from_yaml).collect()),
            Y::Mapping(map) => Node::Map(
                map.into_iter()
                    .map(|(k, v)| (Node::from_yaml(k).key_text(), Node::from_yaml(v)))
                    .collect(),
            ),
            Y::Tagged(tagged) => Node::from_yaml(tagged.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_or_block_nesting_beyond_the_bound_is_refused_before_comparing() {
        let flow = format!("x: {}", "[".repeat(depth::MAX_DEPTH + 1));
        assert!(matches!(
            Node::parse_yaml(&flow),
            Err(ParseError::TooDeep(TooDeep { line: 1, .. }))
        ));
        // Block nesting: serde_yaml's recursion limit (128), the same refusal.
        let block: String = (0..200).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(matches!(
            Node::parse_yaml(&block),
            Err(ParseError::TooDeep(_))
        ));
        assert!(Node::parse_yaml(&format!("x: {}", "[".repeat(3) + "]]]")).is_ok());
    }
}
