//! The CSV parser as the loader and the detection use it, and the line each record starts on.
//!
//! The csv crate (1.4) records a record's line before it skips the line breaks in front of
//! it, so after a blank line, and on every line of a file with Windows line breaks, its line
//! numbers are one or more too low. Here every record ends at a `\n` (a `\r` before it stays
//! in the last field, which the loader trims), the input gets a final `\n`, and a record's
//! first line is counted back from the line after its end.

use std::io::Read;

/// A reader of records with any number of fields, split by `delimiter`, each ending at `\n`.
pub fn csv_reader<'a>(input: impl Read + 'a, delimiter: u8) -> csv::Reader<Box<dyn Read + 'a>> {
    let input: Box<dyn Read + 'a> = Box::new(input.chain(&b"\n"[..]));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input)
}

/// The 1-based line of the input on which `record`, just read by `reader`, starts.
pub fn start_line<R: Read>(reader: &csv::Reader<R>, record: &csv::ByteRecord) -> u64 {
    // The reader stands on the line after the record's final `\n`; line breaks inside
    // quoted fields are kept in the record, so counting them finds the first line.
    let line_breaks = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    reader.position().line() - 1 - line_breaks
}

/// True for a record that holds nothing but one whitespace-only field: a blank line with
/// spaces or a `\r`, which the CSV parser does not skip on its own.
pub fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

/// Turns every `\r` into `\n`, for files with classic Mac line breaks (`\r` alone).
pub struct CarriageReturnsAsNewlines<R>(pub R);

impl<R: Read> Read for CarriageReturnsAsNewlines<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.0.read(buffer)?;
        for byte in &mut buffer[..read] {
            if *byte == b'\r' {
                *byte = b'\n';
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start line of every non-blank record of `text`.
    fn lines(text: &str) -> Vec<u64> {
        let mut reader = csv_reader(text.as_bytes(), b',');
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            if !is_blank(&record) {
                lines.push(start_line(&reader, &record));
            }
        }
        lines
    }

    #[test]
    fn lines_count_blank_lines() {
        assert_eq!(lines("a,b\n1,2\n\n\n3,4\n"), [1, 2, 5]);
    }

    #[test]
    fn lines_of_windows_line_breaks() {
        assert_eq!(lines("a,b\r\n1,2\r\n\r\n3,4\r\n"), [1, 2, 4]);
    }

    #[test]
    fn lines_after_quoted_line_breaks() {
        assert_eq!(lines("a,b\n\"x\ny\",2\n3,4"), [1, 2, 4]);
    }

    #[test]
    fn last_line_without_line_break() {
        assert_eq!(lines("a,b\n1,2"), [1, 2]);
    }

    #[test]
    fn carriage_returns_become_newlines() {
        let mut text = String::new();
        CarriageReturnsAsNewlines("a,b\r1,2\r".as_bytes())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "a,b\n1,2\n");
    }
}
