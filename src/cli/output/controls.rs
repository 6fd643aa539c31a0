//! Text for a terminal: control characters from the data shown as visible escapes.
//!
//! Class names, column names and values come from the user's files and can hold control
//! characters. Printed as they are, a terminal would act on them: clear the screen, move
//! the cursor, set the window title or overwrite a line with `\r`.

use std::borrow::Cow;

/// Replaces every control character except line breaks and tabs with a visible escape such
/// as `\u{1b}`. The colour sequences that the tables use for their headers are kept.
// NOTE: tables are escaped after they are laid out, so a row that contains a control character
// comes out wider than the table's border.
pub fn visible_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(length) = colour_sequence(rest) {
            out.push_str(&rest[..length]);
            rest = &rest[length..];
            continue;
        }
        if is_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Tells whether `c` is a C0 control other than `\n` and `\t`, DEL, or a C1 control
/// (U+0080 to U+009F).
fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// The colour sequences the tables write for their headers: bold, cyan and reset.
const TABLE_COLOURS: [&str; 3] = ["\u{1b}[1m", "\u{1b}[38;5;14m", "\u{1b}[0m"];

/// Measures the table colour sequence at the start of `text`, if there is one. Other
/// sequences, such as one that hides the text after it, are escaped like any control.
fn colour_sequence(text: &str) -> Option<usize> {
    TABLE_COLOURS
        .iter()
        .find(|colour| text.starts_with(*colour))
        .map(|colour| colour.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            visible_controls("a\tb\nc é"),
            Cow::Borrowed("a\tb\nc é")
        ));
    }

    #[test]
    fn colours_stay_and_other_controls_show() {
        let text = "\u{1b}[1m\u{1b}[38;5;14mmodel\u{1b}[0m class \u{1b}[8m\u{1b}[2J\u{1b}]0;title\u{7}\r\u{85}";
        assert_eq!(
            visible_controls(text),
            "\u{1b}[1m\u{1b}[38;5;14mmodel\u{1b}[0m class \\u{1b}[8m\\u{1b}[2J\\u{1b}]0;title\\u{7}\\u{d}\\u{85}"
        );
    }
}
