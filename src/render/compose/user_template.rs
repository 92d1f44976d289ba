//! A user's `--template`, rendered within bounds of work and output: a
//! template is code from the repository, and nested `range()` loops would
//! otherwise run until memory runs out.

use super::{configured_environment, template_error, DocumentView, RenderError};

/// The work a user's template may do: minijinja's fuel, about one unit per
/// instruction and per 64 bytes of text made. The built-in template for
/// 1,000 engines takes under an eighth of it (a test holds that); nested
/// `range()` loops run out in well under a second.
pub const TEMPLATE_FUEL: u64 = 2_000_000;
/// The longest text a user's template may render.
pub const MAX_TEMPLATE_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

/// Renders a user's template with minijinja, within [`TEMPLATE_FUEL`] and
/// [`MAX_TEMPLATE_OUTPUT_BYTES`]: a template that loops without end is
/// stopped with its line, instead of running until memory runs out.
pub fn render(name: &str, source: &str, view: &DocumentView) -> Result<String, RenderError> {
    render_with_fuel(name, source, view, TEMPLATE_FUEL)
}

fn render_with_fuel(
    name: &str,
    source: &str,
    view: &DocumentView,
    fuel: u64,
) -> Result<String, RenderError> {
    let mut env = configured_environment();
    env.set_fuel(Some(fuel));
    env.add_template(name, source)
        .map_err(template_error(name))?;
    let template = env.get_template(name).map_err(template_error(name))?;
    let mut output = BoundedOutput::default();
    let rendered = template.render_captured_to(
        minijinja::Value::from(minijinja::value::Serde(view)),
        &mut output,
    );
    match rendered {
        Ok(_) => Ok(String::from_utf8(output.text).unwrap_or_default()),
        Err(e) if output.overflowed => Err(RenderError::Template {
            template: name.to_owned(),
            line: e.line(),
            message: format!(
                "the template renders more than {} MiB; expected a compose file",
                MAX_TEMPLATE_OUTPUT_BYTES >> 20
            ),
        }),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => Err(RenderError::Template {
            template: name.to_owned(),
            line: e.line(),
            message: format!(
                "the template does more work than acegen allows ({fuel} steps): \
                 a loop runs too long (nested `range()`?)"
            ),
        }),
        Err(e) => Err(template_error(name)(e)),
    }
}

/// A writer that refuses to grow past [`MAX_TEMPLATE_OUTPUT_BYTES`].
#[derive(Default)]
struct BoundedOutput {
    text: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for BoundedOutput {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + bytes.len() > MAX_TEMPLATE_OUTPUT_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("the rendered text is too large"));
        }
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Provenance, DEFAULT_TEMPLATE};
    use super::*;
    use crate::resolve::ResolveOptions;
    use crate::test_support::{resolved, settings};

    fn plan(engines: u32) -> crate::resolve::Plan {
        let env = format!(
            "MIN_REPLICAS={engines}\nMAX_REPLICAS={engines}\nPORT_RANGE_HOST=10000-60000\n\
             ACE_HTTP_RANGE=10000-60000\nACE_HTTPS_RANGE=10000-60000\n"
        );
        resolved(&settings(&env), None, &ResolveOptions::default())
    }

    #[test]
    fn the_built_in_template_for_a_thousand_engines_takes_an_eighth_of_the_fuel() {
        let plan = plan(1000);
        let provenance = Provenance::default();
        let view = super::super::document_view(&plan, &provenance, "qmcgaw/gluetun");
        // An eighth of the fuel: a template like the built-in one fits for
        // at least 8,000 engines.
        let text = render_with_fuel("t.j2", DEFAULT_TEMPLATE, &view, TEMPLATE_FUEL / 8)
            .expect("renders within an eighth of the fuel");
        assert!(text.matches("acestream-").count() >= 1000);
    }

    /// The message a template for one engine fails with, and its line.
    fn failure(source: &str) -> (Option<usize>, String) {
        let plan = plan(1);
        let view = super::super::document_view(&plan, &Provenance::default(), "g");
        match render("t.j2", source, &view) {
            Err(RenderError::Template { line, message, .. }) => (line, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nested_loops_run_out_of_fuel_at_their_line() {
        let (line, message) = failure(
            "services:\n{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
        );
        assert_eq!(line, Some(2));
        assert!(message.contains("more work"), "{message}");
    }

    #[test]
    fn output_past_the_bound_is_refused() {
        let (_, message) = failure("{% for a in range(20) %}{{ 'x' * 1048576 }}{% endfor %}");
        assert!(message.contains("more than 16 MiB"), "{message}");
    }
}
