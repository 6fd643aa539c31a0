//! Prints a rule file in one canonical layout. `target`, `default` and `policy` come first,
//! then the constants, then the rules in file order, one statement per line with one space
//! around operators. Parentheses are the fewest that keep the tree, plus those around an
//! `and` inside an `or` and around what `not` applies to. Comments stay with the statement
//! they precede or end, and a comment inside a statement moves above it.
//!
//! Printing a parsed file and parsing the result gives the same syntax tree, so formatting
//! never changes what the rules predict.

mod comments;
mod printer;
mod spans;

use pest::Parser;

use self::comments::{attach_comments, find_comments, CommentLine};
use self::printer::Printer;
use super::diagnostic::Diagnostic;
use super::escapes::quote_string;
use super::grammar::{Rule, RuleGrammar};
use super::parser::parse_file;
use super::syntax::{Condition, Expr, RuleFile, StatementKind};

pub use self::spans::without_spans;

/// Rules longer than this are laid out with one part of the condition per line.
pub const MAX_LINE_CHARS: usize = 100;

/// Formats `file`, parsed from `text`, keeping the comments of `text`.
pub fn format_file(text: &str, file: &RuleFile) -> String {
    let printer = Printer { file };
    let comments = find_comments(text);
    let blocks = attach_comments(text, file, &comments);

    let mut out = String::new();
    for line in &blocks.header {
        push_comment_line(&mut out, line);
    }
    let mut order: Vec<usize> = (0..file.statements.len()).collect();
    order.sort_by_key(|&i| group_of(file.statements[i].kind));
    let mut previous_group = None;
    for index in order {
        let statement = file.statements[index];
        let group = group_of(statement.kind).0;
        let block = &blocks.statements[index];
        let first_in_group = previous_group != Some(group);
        if !out.is_empty() && (first_in_group || block.blank_before) {
            out.push('\n');
        }
        previous_group = Some(group);
        for (position, line) in block.leading.iter().enumerate() {
            let blank = line.blank_before && position > 0;
            push_comment_line(
                &mut out,
                &CommentLine {
                    blank_before: blank,
                    ..line.clone()
                },
            );
        }
        if block.blank_after_leading {
            out.push('\n');
        }
        out.push_str(&printer.statement(statement.kind));
        if let Some(trailing) = &block.trailing {
            out.push_str("  ");
            out.push_str(trailing);
        }
        out.push('\n');
    }
    for (position, line) in blocks.footer.iter().enumerate() {
        let blank = (position == 0 && !out.is_empty()) || line.blank_before;
        push_comment_line(
            &mut out,
            &CommentLine {
                blank_before: blank,
                ..line.clone()
            },
        );
    }
    out
}

/// The reason [`format_source`] returned no formatted text.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatError {
    /// The text has syntax errors, listed here.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would parse to other rules, so it must not be used.
    ChangesMeaning,
}

/// Parses `text` and formats it, and checks that the formatted text parses to the same
/// rules, so that it predicts exactly what `text` does.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let (file, diagnostics) = parse_file(text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Syntax(diagnostics));
    }
    let formatted = format_file(text, &file);
    let (reparsed, _) = parse_file(&formatted);
    if without_spans(&reparsed) != without_spans(&file) {
        return Err(FormatError::ChangesMeaning);
    }
    Ok(formatted)
}

fn push_comment_line(out: &mut String, line: &CommentLine) {
    if line.blank_before && !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&line.text);
    out.push('\n');
}

/// Header declarations first (`target`, `default`, `policy`), then constants, then rules,
/// each in file order; the first number is the group.
fn group_of(kind: StatementKind) -> (u8, usize) {
    match kind {
        StatementKind::Target => (0, 0),
        StatementKind::Default => (0, 1),
        StatementKind::Policy => (0, 2),
        StatementKind::Let(index) => (1, index),
        StatementKind::Rule(index) => (2, index),
    }
}

/// Prints one condition as the formatter would, for messages and analysis keys.
pub fn print_condition(file: &RuleFile, condition: &Condition) -> String {
    Printer { file }.condition(condition, 0)
}

/// Prints one value as the formatter would.
pub fn print_expr(file: &RuleFile, expr: &Expr) -> String {
    Printer { file }.expr(expr, 0)
}

/// Prints a class as a bare word or number when it reads back the same, else quoted.
fn class_name(text: &str) -> String {
    if is_bare_name(text) || RuleGrammar::parse(Rule::bare_number, text).is_ok() {
        text.to_string()
    } else {
        quote_string(text)
    }
}

/// True when `text` reads back as one bare name (not a keyword).
pub fn is_bare_name(text: &str) -> bool {
    RuleGrammar::parse(Rule::bare_name, text).is_ok()
}
