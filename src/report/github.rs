//! `check --format github`: GitHub Actions workflow commands, one per
//! diagnostic, which the runner turns into annotations on the files:
//! `::error file=F,line=L,col=C,title=CODE::message`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline::Compilation;

use super::excerpt::clipped;
use super::limits::{bounded, MAX_MESSAGE_CHARS};
use super::printable::printable;

/// Escapes a command's message: `%`, CR and LF (GitHub's own rules).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which delimit properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command. A location in no real file (the generated output
/// is not on disk) is left out, so the annotation attaches to the run.
pub fn command(diagnostic: &Diagnostic) -> String {
    let name = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = diagnostic
        .location
        .as_ref()
        .filter(|l| !l.file.as_str().starts_with('<'))
    {
        let file = printable(location.file.as_str());
        properties.push(format!("file={}", escape_property(&file)));
        if let Some(position) = location.position {
            properties.push(format!("line={}", position.line));
            properties.push(format!("col={}", position.column));
        }
    }
    properties.push(format!("title={}", escape_property(diagnostic.code)));
    // Escaped before the hint's own line break is added.
    let mut message = clipped(&printable(&diagnostic.message), MAX_MESSAGE_CHARS);
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhint: ");
        message.push_str(&clipped(&printable(hint), MAX_MESSAGE_CHARS));
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Every diagnostic as a workflow command, one per line, at most
/// [`super::limits::MAX_PER_CODE_AND_FILE`] of a code per file, then a
/// notice of how many more there are.
pub fn render(compilation: &Compilation) -> String {
    let all = super::ordered(compilation);
    let (shown, omitted) = bounded(&all);
    let mut out: String = shown.into_iter().map(|d| command(d) + "\n").collect();
    for group in omitted {
        let title = escape_property(group.code);
        out.push_str(&format!(
            "::notice title={title}::{}\n",
            escape_data(&group.describe())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Position};
    use camino::Utf8Path;

    #[test]
    fn messages_escape_percent_and_line_breaks() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }

    #[test]
    fn a_located_error_names_file_line_column_and_code() {
        let d = Diagnostic::error("E0201", "MIN_REPLICAS: expected a count, found `x`")
            .at(Location::at(
                Utf8Path::new("deploy/.env"),
                Position::new(3, 14),
                1,
            ))
            .with_hint("use digits");
        assert_eq!(
            command(&d),
            "::error file=deploy/.env,line=3,col=14,title=E0201::MIN_REPLICAS: expected a count, found `x`%0Ahint: use digits"
        );
    }

    #[test]
    fn an_unlocated_warning_has_only_a_title() {
        let d = Diagnostic::warning("W0104", "--set FOO: ignored");
        assert_eq!(command(&d), "::warning title=W0104::--set FOO: ignored");
    }
}
