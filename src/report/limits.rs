//! How much of a diagnostics report is printed (text and `github`
//! formats; `check --format json` lists everything): at most
//! [`MAX_PER_CODE_AND_FILE`] diagnostics of one code in one file, then a
//! line saying how many more there are; messages and hints at most
//! [`MAX_MESSAGE_CHARS`] characters. A 20,000-line file of one mistake
//! reads as 20 examples and a count, not 20,000 blocks.

use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

pub const MAX_PER_CODE_AND_FILE: usize = 20;
pub const MAX_MESSAGE_CHARS: usize = 400;

/// Diagnostics of one code in one file that were not printed.
#[derive(Debug, PartialEq, Eq)]
pub struct Omitted {
    pub code: &'static str,
    pub file: Option<String>,
    pub count: usize,
}

impl Omitted {
    /// The line that stands for them.
    pub fn describe(&self) -> String {
        let place = self
            .file
            .as_deref()
            .map_or_else(String::new, |file| format!(" in {file}"));
        format!(
            "… and {} more {}{place} (only the first {MAX_PER_CODE_AND_FILE} of each code per \
             file are printed; `acegen check --format json` lists all)",
            self.count, self.code
        )
    }
}

/// The diagnostics to print, in order, and what was left out (in the order
/// each group first appeared).
pub fn bounded(diagnostics: &[Diagnostic]) -> (Vec<&Diagnostic>, Vec<Omitted>) {
    let mut seen: HashMap<(&'static str, Option<&str>), usize> = HashMap::new();
    let mut shown = Vec::new();
    let mut omitted: Vec<Omitted> = Vec::new();
    for diagnostic in diagnostics {
        let file = diagnostic.location.as_ref().map(|l| l.file.as_str());
        let count = seen.entry((diagnostic.code, file)).or_insert(0);
        *count += 1;
        if *count <= MAX_PER_CODE_AND_FILE {
            shown.push(diagnostic);
            continue;
        }
        match omitted
            .iter_mut()
            .find(|o| o.code == diagnostic.code && o.file.as_deref() == file)
        {
            Some(group) => group.count += 1,
            None => omitted.push(Omitted {
                code: diagnostic.code,
                file: file.map(str::to_owned),
                count: 1,
            }),
        }
    }
    (shown, omitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Position};
    use camino::Utf8Path;

    fn at(code: &'static str, file: &str, line: u32) -> Diagnostic {
        Diagnostic::warning(code, "x").at(Location::at(
            Utf8Path::new(file),
            Position::new(line, 1),
            1,
        ))
    }

    #[test]
    fn each_code_in_each_file_is_bounded_separately() {
        let mut all: Vec<Diagnostic> = (1..=50).map(|n| at("W0101", ".env", n)).collect();
        all.extend((1..=3).map(|n| at("W0102", ".env", n)));
        all.extend((1..=25).map(|n| at("W0101", "other.env", n)));
        let (shown, omitted) = bounded(&all);
        assert_eq!(shown.len(), 20 + 3 + 20);
        assert_eq!(
            omitted,
            vec![
                Omitted {
                    code: "W0101",
                    file: Some(".env".into()),
                    count: 30
                },
                Omitted {
                    code: "W0101",
                    file: Some("other.env".into()),
                    count: 5
                },
            ]
        );
        assert!(omitted[0]
            .describe()
            .starts_with("… and 30 more W0101 in .env"));
    }
}
