//! Messages about a rule file that point at the text: `file:line:column`, the source line
//! and a caret under the offending span.

use std::fmt::Write;

use super::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// The kind of a diagnostic, stable across versions so that editors and CI can filter on it.
/// `docs/RULES.md` lists every code with an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Syntax and structure, found without data.
    Syntax,
    InvalidEscape,
    InvalidNumber,
    NameTooLong,
    NestingTooDeep,
    TypeMismatch,
    UnknownFunction,
    WrongArguments,
    UnknownPolicy,
    InvalidSetting,
    DuplicateDeclaration,
    DuplicateRule,
    DuplicateLet,
    UndefinedConstant,
    ConstantComparison,
    // Static checks, found without data.
    UnusedLet,
    NeverTrue,
    RedundantPart,
    ShadowedRule,
    OverlappingRules,
    SettingWithoutEffect,
    // Checks against the data's schema.
    UnknownColumn,
    UnknownClass,
    TargetInRule,
    ColumnType,
    LetHidesColumn,
    UnknownTarget,
    // Checks on the data's rows.
    FiresOnNoRows,
    RowsTaken,
    ConflictingRows,
}

impl Code {
    pub const ALL: [Code; 30] = [
        Code::Syntax,
        Code::InvalidEscape,
        Code::InvalidNumber,
        Code::NameTooLong,
        Code::NestingTooDeep,
        Code::TypeMismatch,
        Code::UnknownFunction,
        Code::WrongArguments,
        Code::UnknownPolicy,
        Code::InvalidSetting,
        Code::DuplicateDeclaration,
        Code::DuplicateRule,
        Code::DuplicateLet,
        Code::UndefinedConstant,
        Code::ConstantComparison,
        Code::UnusedLet,
        Code::NeverTrue,
        Code::RedundantPart,
        Code::ShadowedRule,
        Code::OverlappingRules,
        Code::SettingWithoutEffect,
        Code::UnknownColumn,
        Code::UnknownClass,
        Code::TargetInRule,
        Code::ColumnType,
        Code::LetHidesColumn,
        Code::UnknownTarget,
        Code::FiresOnNoRows,
        Code::RowsTaken,
        Code::ConflictingRows,
    ];

    /// The code as printed in JSON and in the docs, such as `unknown-column`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::InvalidEscape => "invalid-escape",
            Code::InvalidNumber => "invalid-number",
            Code::NameTooLong => "name-too-long",
            Code::NestingTooDeep => "nesting-too-deep",
            Code::TypeMismatch => "type-mismatch",
            Code::UnknownFunction => "unknown-function",
            Code::WrongArguments => "wrong-arguments",
            Code::UnknownPolicy => "unknown-policy",
            Code::InvalidSetting => "invalid-setting",
            Code::DuplicateDeclaration => "duplicate-declaration",
            Code::DuplicateRule => "duplicate-rule",
            Code::DuplicateLet => "duplicate-let",
            Code::UndefinedConstant => "undefined-constant",
            Code::ConstantComparison => "constant-comparison",
            Code::UnusedLet => "unused-let",
            Code::NeverTrue => "never-true",
            Code::RedundantPart => "redundant-part",
            Code::ShadowedRule => "shadowed-rule",
            Code::OverlappingRules => "overlapping-rules",
            Code::SettingWithoutEffect => "setting-without-effect",
            Code::UnknownColumn => "unknown-column",
            Code::UnknownClass => "unknown-class",
            Code::TargetInRule => "target-in-rule",
            Code::ColumnType => "column-type",
            Code::LetHidesColumn => "let-hides-column",
            Code::UnknownTarget => "unknown-target",
            Code::FiresOnNoRows => "fires-on-no-rows",
            Code::RowsTaken => "rows-taken",
            Code::ConflictingRows => "conflicting-rows",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// Advice on what to do, shown on its own line.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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
    ///
    /// Lines longer than [`MAX_SHOWN_CHARS`] are cut around the span, with `...` marking
    /// the cuts, so a huge line (a 1 MB name) still gives a short message.
    pub fn render(&self, file: &str, lines: &LineIndex) -> String {
        let text = lines.text();
        let position = lines.position(self.span.start);
        let line_text = text[position.line_start..].lines().next().unwrap_or("");
        let gutter = position.line.to_string().len();
        let start = floor_boundary(text, self.span.start.min(text.len()));
        let line_end = position.line_start + line_text.len();
        let end = floor_boundary(text, self.span.end.clamp(start, line_end.max(start)));
        let (shown, caret_offset, caret_width) = visible_window(
            line_text,
            position.column - 1,
            text[start..end].chars().count().max(1),
        );
        let indent: String = shown
            .chars()
            .take(caret_offset)
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
        let _ = writeln!(out, "{} | {shown}", position.line);
        let _ = write!(out, "{:gutter$} | {indent}{}", "", "^".repeat(caret_width));
        if let Some(help) = &self.help {
            let _ = write!(out, "\n{:gutter$} = help: {help}", "");
        }
        out
    }
}

/// Maximum number of characters of a source line that a rendered diagnostic shows.
pub const MAX_SHOWN_CHARS: usize = 120;

/// Cuts `line` to at most [`MAX_SHOWN_CHARS`] characters around the caret. Returns the text
/// to show, the caret's offset in it and the caret's width, all in characters.
fn visible_window(line: &str, caret: usize, width: usize) -> (String, usize, usize) {
    let total = line.chars().count();
    if total <= MAX_SHOWN_CHARS {
        return (
            line.to_string(),
            caret,
            width.min(total.saturating_sub(caret).max(1)),
        );
    }
    let context = 40;
    let first = caret.saturating_sub(context);
    let last = (caret + width.min(MAX_SHOWN_CHARS - 2 * context) + context).min(total);
    let mut shown = String::new();
    if first > 0 {
        shown.push_str("...");
    }
    shown.extend(line.chars().skip(first).take(last - first));
    if last < total {
        shown.push_str("...");
    }
    let offset = caret - first + if first > 0 { 3 } else { 0 };
    let width = width.min(last - caret).max(1);
    (shown, offset, width)
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A 1-based line and column (in characters) of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    line_start: usize,
}

impl Position {
    /// Finds the line and column of one offset; [`LineIndex`] is faster for many.
    pub fn of(text: &str, offset: usize) -> Position {
        LineIndex::new(text).position(offset)
    }
}

/// The offsets where the lines of a text start, so that finding the line of an offset takes
/// a binary search instead of a scan of the text.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Finds the line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        Position {
            line,
            column: self.text[line_start..offset].chars().count() + 1,
            line_start,
        }
    }
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(diagnostics: &[Diagnostic], file: &str, text: &str) -> String {
    let lines = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| d.render(file, &lines))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Shortens user text quoted in a message to at most `max` characters.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max).collect();
    format!("{kept}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_points_at_span() {
        let text = "target y\nrule r: age = 3 => a\n";
        let start = text.find('=').unwrap();
        let diagnostic = Diagnostic::error(
            Code::Syntax,
            "expected a comparison operator",
            Span {
                start,
                end: start + 1,
            },
        );
        let expected = "error: expected a comparison operator\n --> f.rules:2:13\n  |\n2 | rule r: age = 3 => a\n  |             ^";
        assert_eq!(
            diagnostic.render("f.rules", &LineIndex::new(text)),
            expected
        );
    }

    #[test]
    fn render_cuts_long_line() {
        let name = "x".repeat(10_000);
        let text = format!("rule r: {name} > 1 => a\n");
        let diagnostic = Diagnostic::error(Code::NameTooLong, "long", Span::new(8, 10_008));
        let rendered = diagnostic.render("f.rules", &LineIndex::new(&text));
        let longest = rendered.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(longest < 200, "{rendered}");
        assert!(rendered.contains("rule r: xxx"));
        assert!(rendered.contains("x..."));
    }

    #[test]
    fn position_counts_characters() {
        let text = "é\nab";
        assert_eq!(Position::of(text, 4).line, 2);
        assert_eq!(Position::of(text, 4).column, 2);
        assert_eq!(Position::of(text, 2).column, 2);
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
