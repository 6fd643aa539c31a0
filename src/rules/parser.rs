//! Turns rule-file text into a [`RuleFile`], or diagnostics that name what was expected.
//!
//! The text is cut into chunks at lines that start with a statement keyword (`rule`, `let`,
//! `target`, `default`, `policy`), and each chunk is parsed on its own, so a syntax error in
//! one rule does not hide the errors in the next ones.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser;

use super::build::Builder;
use super::diagnostic::{shorten, Code, Diagnostic};
use super::expected::join_alternatives;
use super::grammar::{Rule, RuleGrammar};
use super::syntax::{RuleFile, Span};

/// Deepest nesting of parentheses a condition may have. pest recurses once per level, so a
/// limit keeps hostile input from exhausting the stack.
pub const MAX_NESTING: usize = 100;

/// Deepest syntax tree a condition may have, counting parentheses, `not`, unary minus and
/// chains of operators. Every later pass walks the tree recursively.
pub const MAX_DEPTH: usize = 256;

/// Maximum length of a name (of a column, rule, constant or class), in characters.
pub const MAX_NAME_CHARS: usize = 1_000;

/// The words that start a statement, and so a chunk.
const STATEMENT_KEYWORDS: [&str; 5] = ["rule", "let", "target", "default", "policy"];

/// Parses a whole rule file. Structural mistakes that the grammar allows (two `target`
/// lines, two rules with one name, an unknown function) are reported here too.
pub fn parse_rules(text: &str) -> Result<RuleFile, Vec<Diagnostic>> {
    let (file, diagnostics) = parse_file(text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(file)
    }
}

/// Parses as much of `text` as it can: the statements that parsed, and every diagnostic.
pub fn parse_file(text: &str) -> (RuleFile, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut statements: Vec<(Pair<Rule>, usize)> = Vec::new();
    let mut pending = chunks(text);
    pending.reverse();
    while let Some((start, end)) = pending.pop() {
        let chunk = &text[start..end];
        if let Some(diagnostic) = check_nesting(chunk, start) {
            diagnostics.push(diagnostic);
            continue;
        }
        match RuleGrammar::parse(Rule::file, chunk) {
            Ok(mut pairs) => {
                let file = pairs
                    .next()
                    .expect("the grammar always yields a `file` pair");
                statements.extend(
                    file.into_inner()
                        .filter(|p| p.as_rule() != Rule::EOI)
                        .map(|p| (p, start)),
                );
            }
            Err(error) => {
                let diagnostic = syntax_error(text, start, end, &error);
                // Resume at the next line that starts with a word in the first column, which
                // is most likely a statement with a misspelt keyword.
                if let Some(resume) = next_unindented_line(text, diagnostic.span.start, end) {
                    pending.push((resume, end));
                }
                diagnostics.push(diagnostic);
            }
        }
    }
    let mut builder = Builder::new(text, &statements);
    for (pair, offset) in statements.iter().cloned() {
        builder.statement(pair, offset);
    }
    let (file, build_diagnostics) = builder.finish();
    diagnostics.extend(build_diagnostics);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    (file, diagnostics)
}

/// Byte ranges of the chunks of `text`: each starts at a line whose first word is a
/// statement keyword (or at the start of the file, after a byte-order mark).
fn chunks(text: &str) -> Vec<(usize, usize)> {
    let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut starts = vec![first];
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let starts_statement = STATEMENT_KEYWORDS.iter().any(|k| {
            trimmed.starts_with(k)
                && !trimmed[k.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        if starts_statement && line_start > first {
            starts.push(line_start);
        }
        line_start += line.len();
    }
    let mut ends: Vec<usize> = starts[1..].to_vec();
    ends.push(text.len());
    starts.into_iter().zip(ends).collect()
}

/// Finds the first line after the one with `offset` (and before `end`) that starts with a
/// word in the first column. Lines that start with a keyword such as `and` are skipped,
/// because they most likely continue the statement before them.
fn next_unindented_line(text: &str, offset: usize, end: usize) -> Option<usize> {
    let mut line_start = text[offset..end].find('\n')? + offset + 1;
    while line_start < end {
        let line = &text[line_start..end];
        let word_end = line
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        let word = &line[..word_end];
        if line.starts_with(char::is_alphabetic) && !super::build::is_reserved(word) {
            return Some(line_start);
        }
        line_start += text[line_start..end].find('\n')? + 1;
    }
    None
}

/// Converts a pest error in the chunk `text[offset..chunk_end]` into a diagnostic that
/// names what was expected in plain words and what was found at that spot.
fn syntax_error(
    text: &str,
    offset: usize,
    chunk_end: usize,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let mut start = offset
        + match error.location {
            InputLocation::Pos(pos) => pos,
            InputLocation::Span((start, _)) => start,
        };
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => join_alternatives(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    // At the end of a chunk the next token belongs to the next statement, so point just
    // after the incomplete statement instead.
    let at_chunk_end = start >= chunk_end && chunk_end < text.len();
    if at_chunk_end {
        start = super::build::content_end(text, offset, chunk_end);
    }
    let found = if at_chunk_end {
        ""
    } else {
        token_at(text, start)
    };
    if let Some(diagnostic) = unclosed_quote(found, start) {
        return diagnostic;
    }
    let found_words = match (found.is_empty(), at_chunk_end || start < text.len()) {
        (false, _) => format!("`{}`", shorten(found, 40)),
        (true, true) => "the end of the statement".to_string(),
        (true, false) => "the end of the file".to_string(),
    };
    let end = start + found.len();
    let diagnostic = Diagnostic::error(
        Code::Syntax,
        format!("expected {expected}, found {found_words}"),
        Span { start, end },
    );
    match hint_for(found, &expected) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// A string or backquoted name that runs to the end of its line without a closing quote.
fn unclosed_quote(found: &str, start: usize) -> Option<Diagnostic> {
    let quote = found.chars().next().filter(|c| *c == '"' || *c == '`')?;
    if found.len() > 1 && found.ends_with(quote) {
        return None;
    }
    let (message, help) = if quote == '"' {
        (
            "this string has no closing `\"`",
            "close it on the same line; write `\\\"` for a quote inside it",
        )
    } else {
        (
            "this backquoted name has no closing backquote",
            "close it on the same line; write a backslash before a backquote inside it",
        )
    };
    Some(
        Diagnostic::error(Code::Syntax, message, Span::new(start, start + found.len()))
            .with_help(help),
    )
}

/// Returns the word or symbol that starts at `offset`, for "found ..." in messages.
fn token_at(text: &str, offset: usize) -> &str {
    let rest = &text[offset.min(text.len())..];
    let first = match rest.chars().next() {
        None => return "",
        Some(c) => c,
    };
    let length = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else if first == '"' || first == '`' {
        rest[1..].find(first).map_or(rest.len(), |i| i + 2)
    } else {
        rest.find(|c: char| c.is_alphanumeric() || c.is_whitespace() || "_\"`".contains(c))
            .unwrap_or(rest.len())
            .max(first.len_utf8())
    };
    rest[..length].lines().next().unwrap_or("")
}

/// Advice for mistakes people coming from other languages make.
fn hint_for(found: &str, expected: &str) -> Option<String> {
    let hint = match found {
        "=" if expected.contains("an operator") => "write `==` to test equality",
        "&&" | "&" => "write `and` to join conditions",
        "||" | "|" => "write `or` to join conditions",
        "!" => "write `not` to negate a condition, or `!=` for \"not equal\"",
        "'" => "quote text with double quotes, as in \"female\"",
        "->" if expected.contains("=>") => "write `=>` before the class",
        _ => {
            if expected.starts_with("a statement") {
                let word = found.to_lowercase();
                let near = crate::suggest::closest(&word, STATEMENT_KEYWORDS)?;
                return Some(format!("did you mean `{near}`?"));
            }
            if expected.starts_with(super::expected::SET_MEMBER)
                && found.starts_with(|c: char| c.is_alphabetic() || c == '_')
            {
                return Some(format!(
                    "a set holds numbers and quoted text, not names: write {}",
                    super::escapes::quote_string(found)
                ));
            }
            if expected.contains("a value") && super::build::is_reserved(found) {
                return Some(format!(
                    "`{found}` is a keyword; write a column with that name in backquotes: \
                     `` `{found}` ``"
                ));
            }
            return None;
        }
    };
    Some(hint.to_string())
}

/// Rejects parentheses nested deeper than [`MAX_NESTING`] before pest recurses into them.
/// `offset` is where `chunk` starts in the file.
fn check_nesting(chunk: &str, offset: usize) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut in_comment = false;
    let mut escaped = false;
    for (index, c) in chunk.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if let Some(delimiter) = quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '\n') => quote = None,
                (false, c) if c == delimiter => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' | '`' => quote = Some(c),
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let start = offset + index;
                    return Some(
                        Diagnostic::error(
                            Code::NestingTooDeep,
                            format!("parentheses are nested more than {MAX_NESTING} levels deep"),
                            Span::new(start, start + 1),
                        )
                        .with_help("split the condition into several rules or simplify it"),
                    );
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_start_at_statement_lines() {
        let text = "# c\ntarget y\nrule a: x > 1\n  => b\nrules\n  let k = 1\n";
        let starts: Vec<usize> = chunks(text).iter().map(|c| c.0).collect();
        assert_eq!(starts, vec![0, 4, 13, 40]);
    }

    #[test]
    fn nesting_limit_is_reported() {
        let text = format!("rule r: {}x{} > 1 => a", "(".repeat(150), ")".repeat(150));
        let errors = parse_rules(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::NestingTooDeep);
    }

    #[test]
    fn deepest_allowed_condition_fits_a_small_stack() {
        // Parsing, checking and formatting at the limits must fit well within the 2 MiB that
        // Rust gives a spawned thread (and test threads) by default.
        let deepest = format!(
            "rule r: {}{}abs(x) > 1{} => a",
            "(".repeat(MAX_NESTING - 1),
            "not ".repeat(MAX_DEPTH - 6),
            ")".repeat(MAX_NESTING - 1)
        );
        let worker = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let file = parse_rules(&deepest).expect("the deepest allowed condition parses");
                crate::rules::analysis::check_static(&file, &deepest);
                crate::rules::format::format_file(&deepest, &file);
            })
            .unwrap();
        worker.join().expect("no stack overflow in 1 MiB");
    }

    #[test]
    fn parentheses_in_strings_do_not_count() {
        let text = format!("rule r: x == \"{}\" => a", "(".repeat(150));
        assert!(parse_rules(&text).is_ok());
    }
}
