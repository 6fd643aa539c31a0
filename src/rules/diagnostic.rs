//! Messages about a rule file that point at the text: `file:line:column`, the source line
//! and a caret under the offending span.

use std::fmt::Write;

use super::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// What to do about it, shown on its own line.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic against the file's text:
    ///
    /// ```text
    /// error: expected a comparison operator, found `=`
    ///  --> rules/titanic.rules:5:27
    ///   |
    /// 5 | rule young: age = 10 => yes
    ///   |                 ^
    ///   = help: ...
    /// ```
    pub fn render(&self, file: &str, text: &str) -> String {
        let position = Position::of(text, self.span.start);
        let line_text = text[position.line_start..].lines().next().unwrap_or("");
        let gutter = position.line.to_string().len();
        let start = self.span.start.min(text.len());
        let line_end = position.line_start + line_text.len();
        let end = self.span.end.clamp(start, line_end.max(start));
        let caret_width = text[start..end].chars().count().max(1);
        let indent: String = line_text
            .chars()
            .take(position.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();

        let mut out = String::new();
        let _ = writeln!(out, "{}: {}", self.severity.label(), self.message);
        let _ = writeln!(
            out,
            "{:gutter$}--> {file}:{}:{}",
            "", position.line, position.column
        );
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{} | {line_text}", position.line);
        let _ = write!(out, "{:gutter$} | {indent}{}", "", "^".repeat(caret_width));
        if let Some(help) = &self.help {
            let _ = write!(out, "\n{:gutter$} = help: {help}", "");
        }
        out
    }
}

/// A 1-based line and column (in characters) of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    line_start: usize,
}

impl Position {
    pub fn of(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: text[..offset].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
            line_start,
        }
    }
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diagnostics: &[Diagnostic], file: &str, text: &str) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(file, text))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_points_at_span() {
        let text = "target y\nrule r: age = 3 => a\n";
        let start = text.find('=').unwrap();
        let diagnostic = Diagnostic::error(
            "expected a comparison operator",
            Span {
                start,
                end: start + 1,
            },
        );
        let expected = "error: expected a comparison operator\n --> f.rules:2:13\n  |\n2 | rule r: age = 3 => a\n  |             ^";
        assert_eq!(diagnostic.render("f.rules", text), expected);
    }

    #[test]
    fn position_counts_characters() {
        let text = "é\nab";
        assert_eq!(Position::of(text, 4).line, 2);
        assert_eq!(Position::of(text, 4).column, 2);
        assert_eq!(Position::of(text, 2).column, 2);
    }
}
