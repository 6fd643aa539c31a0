//! Checks on the raw fields of one CSV record: the header's column names, the number of
//! fields, the size of a field and its encoding. Each failure becomes a message that names
//! the file, the line and the column.

use std::collections::HashMap;
use std::fmt;

use super::options::Delimiter;
use crate::error::{Error, Result};

/// The maximum size of a field, in bytes. Longer fields are rejected after the CSV
/// parser has read them, so reading one still takes memory in proportion to its size.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// The position of a record in the file, for messages.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub file: &'a str,
    pub line: u64,
}

/// Reads the column names from the header record: trimmed, valid UTF-8, non-empty and
/// distinct.
pub fn column_names(
    header: &csv::ByteRecord,
    place: Place,
    delimiter: Delimiter,
) -> Result<Vec<String>> {
    let Place { file, line } = place;
    let mut names = Vec::with_capacity(header.len());
    for (index, raw) in header.iter().enumerate() {
        names.push(cell_text(raw, place, ColumnRef::Position(index + 1))?.trim());
    }
    if names.iter().all(|n| n.is_empty()) {
        return Err(Error::data(format!(
            "`{file}` is empty: rulebench needs a header row naming the columns, then one row \
             per example."
        )));
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, &name) in names.iter().enumerate() {
        if name.is_empty() {
            let trailing = if index + 1 == names.len() {
                format!(", or remove the {delimiter} at the end of the line")
            } else {
                String::new()
            };
            return Err(Error::data(format!(
                "`{file}` line {line}: column {} has an empty name: give every column a name \
                 in the header row{trailing}.",
                index + 1
            )));
        }
        if let Some(first) = seen.insert(name, index) {
            return Err(Error::data(format!(
                "`{file}` line {line}: columns {} and {} are both named `{name}`: rename one \
                 of them.",
                first + 1,
                index + 1
            )));
        }
    }
    Ok(names.into_iter().map(str::to_string).collect())
}

/// A column as messages name it.
#[derive(Debug, Clone, Copy)]
pub enum ColumnRef<'a> {
    Name(&'a str),
    /// The 1-based position in the header row, for header fields.
    Position(usize),
}

impl fmt::Display for ColumnRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnRef::Name(name) => write!(f, "column `{name}`"),
            ColumnRef::Position(position) => write!(f, "column {position}"),
        }
    }
}

/// Returns field `index` of `record` as text, or an error when it is too long or not valid
/// UTF-8. `whole` is the record's buffer as text, when that is valid UTF-8: a field is then
/// valid unless it splits a character, which spares checking each field on its own.
pub fn field_text<'r>(
    record: &'r csv::ByteRecord,
    index: usize,
    whole: Option<&'r str>,
    place: Place,
    column: ColumnRef,
) -> Result<&'r str> {
    let range = record
        .range(index)
        .expect("the index is below the record's length");
    if range.len() <= MAX_FIELD_BYTES {
        if let Some(text) = whole.and_then(|w| w.get(range.clone())) {
            return Ok(text);
        }
    }
    cell_text(&record.as_slice()[range], place, column)
}

/// Returns a field as text, or an error when it is too long or not valid UTF-8.
pub fn cell_text<'r>(field: &'r [u8], place: Place, column: ColumnRef) -> Result<&'r str> {
    let Place { file, line } = place;
    if field.len() > MAX_FIELD_BYTES {
        return Err(Error::data(format!(
            "`{file}` line {line}, {column}: the value is {} bytes long, more than the limit of \
             {MAX_FIELD_BYTES} bytes (1 MiB). If it starts with a quote `\"`, check that the \
             quote is closed.",
            field.len()
        )));
    }
    std::str::from_utf8(field).map_err(|error| {
        let valid = std::str::from_utf8(&field[..error.valid_up_to()]).unwrap_or_default();
        let shown_from = valid.char_indices().rev().nth(19).map_or(0, |(i, _)| i);
        let before = &valid[shown_from..];
        let position = if before.is_empty() {
            "at the start".to_string()
        } else {
            format!("after `{before}`")
        };
        Error::data(format!(
            "`{file}` line {line}, {column}: the value is not valid UTF-8 (byte `0x{:02X}` \
             {position}). Save the file as CSV with UTF-8 encoding and try again.",
            field[error.valid_up_to()]
        ))
    })
}

/// Builds the error for a record whose number of fields differs from the header's.
pub fn field_count_error(
    record: &csv::ByteRecord,
    expected: usize,
    place: Place,
    delimiter: Delimiter,
) -> Error {
    let Place { file, line } = place;
    let found = record.len();
    let counts = format!(
        "`{file}` line {line}: found {found} fields, but the header has {expected} columns"
    );
    if found > expected {
        let extra_empty = record
            .iter()
            .skip(expected)
            .all(|f| f.iter().all(u8::is_ascii_whitespace));
        if extra_empty {
            return Error::data(format!(
                "{counts}, and the extra fields are empty: remove the {delimiter} at the end of \
                 the line."
            ));
        }
        return Error::data(format!(
            "{counts}. A value may contain an unquoted {delimiter}: put quotes `\"` around such \
             values."
        ));
    }
    let line_breaks: usize = record
        .iter()
        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
        .sum();
    if line_breaks > 0 {
        return Error::data(format!(
            "{counts}. A quoted value starting on this line runs on to line {}: check that \
             every quote `\"` is closed.",
            line + line_breaks as u64
        ));
    }
    Error::data(format!(
        "{counts}. Add the missing fields; an empty field is a missing value."
    ))
}

/// Builds the error for a quoted value in the last column of the record on `place` that is
/// never closed, so it runs on to `last_line`, the end of the file.
pub fn unclosed_quote_error(place: Place, column: ColumnRef, last_line: u64) -> Error {
    Error::data(format!(
        "`{}` line {}, {column}: the quoted value is never closed, so it runs to the end of the \
         file (line {last_line}) and takes in the lines after it. Add the closing quote `\"`.",
        place.file, place.line
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: Place = Place {
        file: "t.csv",
        line: 4,
    };

    #[test]
    fn invalid_utf8_names_byte_and_position() {
        let error = cell_text(b"Caf\xE9", PLACE, ColumnRef::Name("name")).unwrap_err();
        assert_eq!(
            error.message(),
            "`t.csv` line 4, column `name`: the value is not valid UTF-8 (byte `0xE9` after \
             `Caf`). Save the file as CSV with UTF-8 encoding and try again."
        );
    }

    #[test]
    fn character_split_across_fields_is_invalid() {
        // Together the two fields make `é`, but each on its own is invalid.
        let record = csv::ByteRecord::from(vec![&b"\xC3"[..], &b"\xA9"[..]]);
        let whole = std::str::from_utf8(record.as_slice()).ok();
        assert!(whole.is_some());
        let error = field_text(&record, 0, whole, PLACE, ColumnRef::Name("a")).unwrap_err();
        assert!(error.message().contains("(byte `0xC3` at the start)"));
    }

    #[test]
    fn valid_fields_come_from_whole_record() {
        let record = csv::ByteRecord::from(vec!["Café", "x"]);
        let whole = std::str::from_utf8(record.as_slice()).ok();
        let text = field_text(&record, 0, whole, PLACE, ColumnRef::Name("a")).unwrap();
        assert_eq!(text, "Café");
    }

    #[test]
    fn oversized_field_is_rejected() {
        let field = vec![b'x'; MAX_FIELD_BYTES + 1];
        let error = cell_text(&field, PLACE, ColumnRef::Position(3)).unwrap_err();
        assert!(error
            .message()
            .starts_with("`t.csv` line 4, column 3: the value is 1048577 bytes long"));
    }

    #[test]
    fn field_of_maximum_size_is_accepted() {
        let field = vec![b'x'; MAX_FIELD_BYTES];
        assert!(cell_text(&field, PLACE, ColumnRef::Position(3)).is_ok());
    }
}
