//! How to read a CSV file: the delimiter, lines to skip, decimal commas and forced categories.

use std::fmt;
use std::str::FromStr;

/// Settings for reading a CSV file. The default detects the delimiter and decimal commas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The field delimiter; `None` detects it from the first lines of the file.
    pub delimiter: Option<Delimiter>,
    /// Lines at the top of the file to skip before the header row.
    pub skip_lines: usize,
    /// Reads `,` as the decimal mark in every column and every delimiter, without the
    /// warning that detection gives.
    pub decimal_comma: bool,
    /// Columns to read as categories even when every value is a number, such as integer codes.
    pub categorical: Vec<String>,
}

/// A field delimiter: one ASCII character other than a quote or a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(u8);

impl Delimiter {
    pub const COMMA: Delimiter = Delimiter(b',');

    /// Returns the delimiter for `byte`, or `None` for a byte that cannot separate fields.
    pub fn new(byte: u8) -> Option<Delimiter> {
        let usable = byte.is_ascii() && !matches!(byte, b'"' | b'\n' | b'\r') && byte != 0;
        usable.then_some(Delimiter(byte))
    }

    pub fn byte(self) -> u8 {
        self.0
    }
}

impl FromStr for Delimiter {
    type Err = String;

    /// Parses a single character such as `;`, or one of the names `tab`, `comma`,
    /// `semicolon`, `pipe` and `space`. `\t` also means a tab.
    fn from_str(text: &str) -> Result<Self, String> {
        let byte = match text.to_ascii_lowercase().as_str() {
            "tab" | "\\t" => Some(b'\t'),
            "comma" => Some(b','),
            "semicolon" => Some(b';'),
            "pipe" => Some(b'|'),
            "space" => Some(b' '),
            _ if text.len() == 1 => Some(text.as_bytes()[0]),
            _ => None,
        };
        byte.and_then(Delimiter::new).ok_or_else(|| {
            format!(
                "invalid delimiter `{text}`: give one character such as `;` or `|`, or `tab`; \
                 a quote or a line break cannot separate fields"
            )
        })
    }
}

impl fmt::Display for Delimiter {
    /// Writes the delimiter as a phrase for messages: `` `;` `` or `a tab`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b'\t' => f.write_str("a tab"),
            b' ' => f.write_str("a space"),
            byte => write!(f, "`{}`", byte as char),
        }
    }
}

/// Writes `value` as a shell word for a command line suggested in a message: as it is when
/// it holds only letters, digits and `_.-`, else in single quotes.
pub fn shell_word(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_word_quotes_when_needed() {
        assert_eq!(shell_word("age"), "age");
        assert_eq!(shell_word("body mass"), "'body mass'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn delimiter_parses_characters_and_names() {
        assert_eq!("tab".parse(), Ok(Delimiter(b'\t')));
        assert_eq!("\\t".parse(), Ok(Delimiter(b'\t')));
        assert_eq!("\t".parse(), Ok(Delimiter(b'\t')));
        assert_eq!(";".parse(), Ok(Delimiter(b';')));
        assert_eq!("Semicolon".parse(), Ok(Delimiter(b';')));
        assert_eq!("|".parse(), Ok(Delimiter(b'|')));
    }

    #[test]
    fn delimiter_rejects_quotes_and_words() {
        assert!("\"".parse::<Delimiter>().is_err());
        assert!("\n".parse::<Delimiter>().is_err());
        assert!(";;".parse::<Delimiter>().is_err());
        assert!("é".parse::<Delimiter>().is_err());
        assert!("".parse::<Delimiter>().is_err());
    }

    #[test]
    fn delimiter_displays_as_phrase() {
        assert_eq!(Delimiter(b'\t').to_string(), "a tab");
        assert_eq!(Delimiter(b';').to_string(), "`;`");
    }
}
