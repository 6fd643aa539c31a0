//! Escapes in quoted strings and backquoted names: reading them, and writing text back in
//! the one form the parser reads.

use super::diagnostic::{Code, Diagnostic};
use super::syntax::Span;

/// Resolves the escapes of a string body (between `"` quotes) or a backquoted name body.
/// `body_start` is the byte offset of `body` in the file, for the spans of errors.
/// `\"`, `` \` ``, `\\`, `\n`, `\t`, `\r` and `\u{HEX}` are known; any other escape is an
/// error.
pub fn unescape(
    body: &str,
    body_start: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut valid = true;
    let mut chars = body.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, escaped)) = chars.next() else {
            // The grammar never ends a body with a lone backslash.
            break;
        };
        let resolved = match escaped {
            '"' | '`' | '\\' => Some(escaped),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'u' => read_unicode(body, index, &mut chars),
            _ => None,
        };
        match resolved {
            Some(c) => out.push(c),
            None => {
                valid = false;
                let end = chars.peek().map_or(body.len(), |(i, _)| *i);
                let written = &body[index..end];
                diagnostics.push(invalid_escape(
                    written,
                    Span::new(body_start + index, body_start + end),
                ));
            }
        }
    }
    valid.then_some(out)
}

/// Reads `{HEX}` after `\u`, leaving the iterator after the `}`. `backslash` is the offset
/// of the `\`.
fn read_unicode(
    body: &str,
    backslash: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
) -> Option<char> {
    if chars.peek().map(|(_, c)| *c) != Some('{') {
        return None;
    }
    chars.next();
    let digits_start = backslash + 3;
    for (index, c) in chars.by_ref() {
        if c == '}' {
            let digits = &body[digits_start..index];
            if digits.is_empty() || digits.len() > 6 {
                return None;
            }
            return u32::from_str_radix(digits, 16)
                .ok()
                .and_then(char::from_u32);
        }
        if !c.is_ascii_hexdigit() {
            return None;
        }
    }
    None
}

fn invalid_escape(written: &str, span: Span) -> Diagnostic {
    let shown = super::diagnostic::shorten(written, 20);
    let message = if written.starts_with("\\u") {
        format!("invalid Unicode escape `{shown}`")
    } else {
        format!("unknown escape `{shown}`")
    };
    Diagnostic::error(Code::InvalidEscape, message, span).with_help(
        "the escapes are `\\\"`, `\\``, `\\\\`, `\\n`, `\\t`, `\\r` and `\\u{HEX}` (such as \
         `\\u{e9}`); write `\\\\` for a backslash",
    )
}

/// Writes `text` as a double-quoted string the parser reads back as `text`.
pub fn quote_string(text: &str) -> String {
    quote(text, '"')
}

/// Writes `text` as a backquoted name the parser reads back as `text`.
pub fn quote_name(text: &str) -> String {
    quote(text, '`')
}

fn quote(text: &str, delimiter: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(delimiter);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == delimiter => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(delimiter);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> (Option<String>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        (unescape(body, 0, &mut diagnostics), diagnostics)
    }

    #[test]
    fn known_escapes_resolve() {
        assert_eq!(
            read(r#"a\"b\\c\nd\te\u{e9}"#).0.unwrap(),
            "a\"b\\c\nd\te\u{e9}"
        );
    }

    #[test]
    fn unknown_escape_is_reported_at_its_place() {
        let (value, diagnostics) = read(r"ab\qc");
        assert_eq!(value, None);
        assert_eq!(diagnostics[0].message, "unknown escape `\\q`");
        assert_eq!(diagnostics[0].span, Span::new(2, 4));
    }

    #[test]
    fn bad_unicode_escape_is_reported() {
        let (_, diagnostics) = read(r"\u{110000}");
        assert_eq!(
            diagnostics[0].message,
            "invalid Unicode escape `\\u{110000}`"
        );
        let (_, diagnostics) = read(r"\u12");
        assert_eq!(diagnostics[0].message, "invalid Unicode escape `\\u`");
    }

    #[test]
    fn quoting_round_trips() {
        let mut diagnostics = Vec::new();
        for text in [
            "plain",
            "a\"b",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}",
            "`tick`",
        ] {
            for quoted in [quote_string(text), quote_name(text)] {
                let body = &quoted[1..quoted.len() - 1];
                assert_eq!(unescape(body, 0, &mut diagnostics).as_deref(), Some(text));
            }
        }
        assert!(diagnostics.is_empty());
    }
}
