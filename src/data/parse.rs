//! Parses the records of one chunk into typed columns, with the checks of [`super::fields`]
//! on every field: the number of fields, the size and encoding of each, and its number.
//!
//! A chunk without quotes is split at delimiters and line breaks directly, which is how the
//! csv crate reads such text. A chunk with quotes goes through the csv crate itself
//! ([`super::records`]).

use super::builder::{BuiltColumn, ColumnBuilder, ColumnState, Push};
use super::fields::{
    cell_text, field_count_error, field_text, unclosed_quote_error, ColumnRef, Place,
};
use super::load::{mixed_marks_error, out_of_range_error};
use super::numbers::scan_plain_decimal;
use super::options::Delimiter;
use super::records::{is_blank, Next, Records};
use crate::error::{Error, Result};

/// The settings every chunk of one file shares: the file, its columns and its format.
#[derive(Debug, Clone)]
pub struct Setup {
    pub file: String,
    pub names: Vec<String>,
    pub delimiter: Delimiter,
    /// Lines of the file above the text that chunks count lines in.
    pub lines_before: u64,
    pub allow_comma: bool,
}

impl Setup {
    /// Tells whether blank lines are passed over: a blank line is no row in a file with
    /// several columns, but with one column it is a row whose value is missing.
    fn skip_blank(&self) -> bool {
        self.names.len() > 1
    }

    /// Tells whether numbers can be read while the fields are split: not when the delimiter
    /// is a byte that a plain number may contain, as in `--delimiter .`, where `1.5` is two
    /// fields.
    fn reads_numbers_while_splitting(&self) -> bool {
        !matches!(self.delimiter.byte(), b'0'..=b'9' | b'.' | b'-' | b'+')
    }
}

/// The rows of one chunk, up to the first error in it.
#[derive(Debug)]
pub struct ParsedRows {
    pub columns: Vec<BuiltColumn>,
    /// The file line of each row.
    pub line_numbers: Vec<u64>,
    /// The first error in the chunk; the rows after it were not read.
    pub error: Option<Error>,
}

/// Parses the records of `bytes`, whose first byte is on line `first_line` of the text,
/// with each column continuing from `states`. `line_breaks` is the number of `\n` in
/// `bytes`, which bounds the number of rows.
pub fn parse_rows(
    setup: &Setup,
    bytes: &[u8],
    first_line: u64,
    line_breaks: u64,
    states: &[ColumnState],
) -> ParsedRows {
    let capacity = line_breaks as usize + 1;
    let mut rows = Rows {
        setup,
        builders: states
            .iter()
            .map(|state| ColumnBuilder::starting(state, setup.allow_comma, capacity))
            .collect(),
        line_numbers: Vec::with_capacity(capacity),
    };
    let line_offset = setup.lines_before + first_line - 1;
    let result = if memchr::memchr(b'"', bytes).is_some() {
        rows.read_quoted(bytes, line_offset)
    } else {
        rows.read_plain(bytes, line_offset)
    };
    ParsedRows {
        columns: rows
            .builders
            .into_iter()
            .map(ColumnBuilder::into_built)
            .collect(),
        line_numbers: rows.line_numbers,
        error: result.err(),
    }
}

struct Rows<'a> {
    setup: &'a Setup,
    builders: Vec<ColumnBuilder>,
    line_numbers: Vec<u64>,
}

impl Rows<'_> {
    /// Reads text with quotes through the csv crate; `line_offset` turns its lines into
    /// file lines.
    fn read_quoted(&mut self, bytes: &[u8], line_offset: u64) -> Result<()> {
        let setup = self.setup;
        let mut records = Records::new(bytes, setup.delimiter.byte());
        let mut record = csv::ByteRecord::new();
        loop {
            let next = records
                .read(&mut record, setup.skip_blank())
                .map_err(|error| {
                    Error::data(format!(
                        "`{}`: cannot parse the CSV data: {error}",
                        setup.file
                    ))
                })?;
            let place = |line: u64| Place {
                file: &setup.file,
                line: line + line_offset,
            };
            match next {
                Next::End => return Ok(()),
                Next::Unclosed { line, last_line } => {
                    let column = ColumnRef::Name(setup.names.last().expect("a header has columns"));
                    return Err(unclosed_quote_error(
                        place(line),
                        column,
                        last_line + line_offset,
                    ));
                }
                Next::Record { line } => {
                    let place = place(line);
                    if record.len() != setup.names.len() {
                        return Err(field_count_error(
                            &record,
                            setup.names.len(),
                            place,
                            setup.delimiter,
                        ));
                    }
                    let whole = std::str::from_utf8(record.as_slice()).ok();
                    for index in 0..record.len() {
                        let column = ColumnRef::Name(&setup.names[index]);
                        let cell = field_text(&record, index, whole, place, column)?;
                        self.push(index, cell, place)?;
                    }
                    self.line_numbers.push(place.line);
                }
            }
        }
    }

    /// Reads text without quotes: every `\n` ends a record and every delimiter a field.
    fn read_plain(&mut self, bytes: &[u8], line_offset: u64) -> Result<()> {
        let mut start = 0;
        let mut line = line_offset;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
            line += 1;
            let record = start..end;
            start = end + 1;
            // The csv crate passes over lines without any character.
            if record.is_empty() {
                continue;
            }
            let place = Place {
                file: &self.setup.file,
                line,
            };
            if self.read_plain_record(&bytes[record], place)? {
                self.line_numbers.push(line);
            }
        }
        Ok(())
    }

    /// Adds the fields of one record without quotes; returns false for a blank line that
    /// is no row. A number in a numeric column is read as the field is split.
    fn read_plain_record(&mut self, record: &[u8], place: Place) -> Result<bool> {
        let setup = self.setup;
        let delimiter = setup.delimiter.byte();
        let columns = setup.names.len();
        let scan_numbers = setup.reads_numbers_while_splitting();
        let mut start = 0;
        for index in 0..columns {
            let last = index + 1 == columns;
            let rest = &record[start..];
            if scan_numbers && matches!(self.builders[index], ColumnBuilder::Numeric { .. }) {
                let ends_at = |at: usize| match rest.get(at) {
                    None => last,
                    Some(&byte) => byte == delimiter && !last,
                };
                match scan_plain_decimal(rest) {
                    Some((value, mark, read)) if ends_at(read) => {
                        let pushed = self.builders[index].push_value(value, mark, place.line);
                        if pushed != Push::Stored {
                            let cell =
                                std::str::from_utf8(&rest[..read]).expect("digits are ASCII");
                            let error = self.check_push(pushed, index, cell, place);
                            error.map_err(|error| self.count_error_or(record, place, error))?;
                        }
                        start += read + 1;
                        continue;
                    }
                    // An empty cell is a missing value.
                    None if ends_at(0) => {
                        self.builders[index].push_missing();
                        start += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            let next_delimiter = memchr::memchr(delimiter, rest);
            let length = match (next_delimiter, last) {
                (Some(at), false) => at,
                (None, true) => rest.len(),
                // Too few or too many fields, or a blank line.
                _ => return self.irregular_record(record, place),
            };
            let field = &rest[..length];
            if needs_no_trim(field) && self.builders[index].push_known_category(field) {
                start += length + 1;
                continue;
            }
            let column = ColumnRef::Name(&setup.names[index]);
            let pushed =
                cell_text(field, place, column).and_then(|text| self.push(index, text, place));
            pushed.map_err(|error| self.count_error_or(record, place, error))?;
            start += length + 1;
        }
        Ok(true)
    }

    /// Handles a record whose number of fields differs from the header's: a blank line,
    /// which is passed over, or an error.
    fn irregular_record(&self, record: &[u8], place: Place) -> Result<bool> {
        let fields = split_fields(record, self.setup.delimiter.byte());
        if fields.len() == 1 && self.setup.skip_blank() && is_blank(&fields) {
            return Ok(false);
        }
        debug_assert_ne!(fields.len(), self.setup.names.len());
        Err(field_count_error(
            &fields,
            self.setup.names.len(),
            place,
            self.setup.delimiter,
        ))
    }

    /// Returns the field count error of `record` if it has one, which comes before any
    /// error in its fields, or else `error`.
    fn count_error_or(&self, record: &[u8], place: Place, error: Error) -> Error {
        let delimiter = self.setup.delimiter.byte();
        let count = memchr::memchr_iter(delimiter, record).count() + 1;
        if count == self.setup.names.len() {
            return error;
        }
        let fields = split_fields(record, delimiter);
        field_count_error(&fields, self.setup.names.len(), place, self.setup.delimiter)
    }

    /// Adds one field, trimmed, to its column.
    fn push(&mut self, index: usize, field: &str, place: Place) -> Result<()> {
        let cell = trim(field);
        let pushed = self.builders[index].push(cell, place.line);
        self.check_push(pushed, index, cell, place)
    }

    /// Turns what a push did into an error, if it was one.
    fn check_push(&self, pushed: Push, index: usize, cell: &str, place: Place) -> Result<()> {
        let name = &self.setup.names[index];
        match pushed {
            Push::Stored | Push::BecameText => Ok(()),
            Push::OutOfRange => Err(out_of_range_error(place, ColumnRef::Name(name), cell)),
            Push::MixedDecimalMarks { other_line, other } => {
                Err(mixed_marks_error(place, name, cell, (other_line, other)))
            }
        }
    }
}

/// Tells whether a field starts and ends with a visible ASCII character, so that trimming
/// leaves it as it is.
fn needs_no_trim(field: &[u8]) -> bool {
    let visible = |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_graphic());
    visible(field.first()) && visible(field.last())
}

/// Trims whitespace as `str::trim` does, checking the ASCII whitespace byte by byte first.
fn trim(field: &str) -> &str {
    // `str::trim` removes Unicode White_Space, which in ASCII is `\t` to `\r` and the space.
    let is_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = field.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |at| at + 1);
    let trimmed = &field[start..end];
    match (trimmed.as_bytes().first(), trimmed.as_bytes().last()) {
        // Other Unicode whitespace, such as a no-break space, starts with a byte above 0x7F.
        (Some(&first), Some(&last)) if first > 0x7F || last > 0x7F => trimmed.trim(),
        _ => trimmed,
    }
}

/// Splits a record without quotes at every delimiter.
fn split_fields(record: &[u8], delimiter: u8) -> csv::ByteRecord {
    let mut fields = csv::ByteRecord::new();
    for field in record.split(|&b| b == delimiter) {
        fields.push_field(field);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_matches_str_trim() {
        for field in [
            "",
            " ",
            "a",
            " a ",
            "\ta\r",
            "\u{b}a\u{c}",
            "\u{a0}a",
            "a\u{3000}",
            " \u{a0} a b \u{85}",
            "\u{a0}",
            "é",
            " é ",
            "a\u{200b}",
        ] {
            assert_eq!(trim(field), field.trim(), "{field:?}");
        }
    }
}
