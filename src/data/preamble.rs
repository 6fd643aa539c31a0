//! What comes before the header row of a CSV file: a byte-order mark, the lines the user
//! asked to skip, and the `sep=;` line that Excel writes and reads. Also rejects files that
//! are plainly not UTF-8 text, before any of their bytes are taken for data.

use std::io::{BufRead, Cursor, Read};
use std::path::Path;

use super::options::Delimiter;
use crate::error::{Error, Result};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many bytes at the start of the file are searched for a NUL byte.
const NUL_SEARCH_BYTES: usize = 4096;

/// What the lines before the header said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preamble {
    /// Lines of the file before the header row; added to the CSV reader's line numbers so
    /// that messages name lines of the file.
    pub lines_before_header: u64,
    /// The delimiter named by an Excel `sep=` line.
    pub delimiter: Option<Delimiter>,
}

/// The longest `sep=` line: `sep=;\r\n`.
const SEP_LINE_BYTES: usize = 7;

/// The input of a load.
type Input<'a> = Box<dyn BufRead + Send + 'a>;

/// Reads past the preamble of `input`, leaving it at the header row.
pub fn skip_preamble(input: &mut Input, file: &str, skip_lines: usize) -> Result<Preamble> {
    let io_error = |e: std::io::Error| Error::io("read", Path::new(file), &e);
    let start = input.fill_buf().map_err(io_error)?;
    check_encoding(start, file)?;
    if start.starts_with(UTF8_BOM) {
        input.consume(UTF8_BOM.len());
    }

    for skipped in 0..skip_lines {
        if !skip_line(input).map_err(io_error)? {
            return Err(Error::data(format!(
                "`{file}` has only {skipped} lines, so --skip-lines {skip_lines} leaves no \
                 header row: give a smaller number"
            )));
        }
    }
    let mut preamble = Preamble {
        lines_before_header: skip_lines as u64,
        delimiter: None,
    };
    let (line_start, taken) = start_of_line(input).map_err(io_error)?;
    match excel_separator(&line_start) {
        Some(delimiter) => {
            // A `sep=` line taken from the input ends at its `\n` or at the end of the input.
            if !taken {
                skip_line(input).map_err(io_error)?;
            }
            preamble.lines_before_header += 1;
            preamble.delimiter = Some(delimiter);
        }
        None if taken => {
            let rest = std::mem::replace(input, Box::new(std::io::empty()));
            *input = Box::new(Cursor::new(line_start).chain(rest));
        }
        None => {}
    }
    Ok(preamble)
}

/// Returns the first [`SEP_LINE_BYTES`] bytes of the line at the front of `input` (fewer at
/// a line break or the end of the input), and whether they were taken from the input. They
/// are taken only when the reader's buffer ends inside them.
fn start_of_line(input: &mut Input) -> std::io::Result<(Vec<u8>, bool)> {
    let buffered = input.fill_buf()?;
    let holds_start = buffered.len() >= SEP_LINE_BYTES || buffered.contains(&b'\n');
    if holds_start || buffered.is_empty() {
        return Ok((
            buffered[..buffered.len().min(SEP_LINE_BYTES)].to_vec(),
            false,
        ));
    }
    let mut start = Vec::with_capacity(SEP_LINE_BYTES);
    input
        .by_ref()
        .take(SEP_LINE_BYTES as u64)
        .read_until(b'\n', &mut start)?;
    Ok((start, true))
}

/// Rejects UTF-16 and UTF-32 text, archives and binary files by their first bytes.
fn check_encoding(start: &[u8], file: &str) -> Result<()> {
    let problem =
        if start.starts_with(b"\xFF\xFE\x00\x00") || start.starts_with(b"\x00\x00\xFE\xFF") {
            "is UTF-32 text (it starts with a UTF-32 byte-order mark)"
        } else if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
            "is UTF-16 text (it starts with a UTF-16 byte-order mark)"
        } else if start.starts_with(b"PK\x03\x04") {
            "is a ZIP archive, such as an Excel workbook (.xlsx), not a CSV file"
        } else if start.starts_with(b"\x1F\x8B") {
            "is compressed with gzip, not a plain CSV file"
        } else if start.iter().take(NUL_SEARCH_BYTES).any(|&b| b == 0) {
            "contains NUL bytes, so it is UTF-16 text or not text at all"
        } else {
            return Ok(());
        };
    Err(Error::data(format!(
        "`{file}` {problem}. Save it as CSV with UTF-8 encoding and try again."
    )))
}

/// Consumes one line, including its `\n`; returns false at the end of the input.
fn skip_line(input: &mut dyn BufRead) -> std::io::Result<bool> {
    let mut consumed_any = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(consumed_any);
        }
        consumed_any = true;
        match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return Ok(true);
            }
            None => {
                let length = buffer.len();
                input.consume(length);
            }
        }
    }
}

/// The delimiter of a first line such as `sep=;`, as Excel writes it.
fn excel_separator(start: &[u8]) -> Option<Delimiter> {
    let rest = start.strip_prefix(b"sep=")?;
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    match &rest[..line_end] {
        [byte] | [byte, b'\r'] => Delimiter::new(*byte),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preamble_of(text: &[u8], skip: usize) -> (Result<Preamble>, Vec<u8>) {
        preamble_with_buffer(text, skip, text.len().max(1))
    }

    /// Reads the preamble through a buffer of `capacity` bytes; returns what is left.
    fn preamble_with_buffer(
        text: &[u8],
        skip: usize,
        capacity: usize,
    ) -> (Result<Preamble>, Vec<u8>) {
        let mut input: Input = Box::new(std::io::BufReader::with_capacity(capacity, text));
        let preamble = skip_preamble(&mut input, "t.csv", skip);
        let mut rest = Vec::new();
        input.read_to_end(&mut rest).unwrap();
        (preamble, rest)
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let (preamble, rest) = preamble_of(b"\xEF\xBB\xBFa,b\n1,2\n", 0);
        assert_eq!(preamble.unwrap().lines_before_header, 0);
        assert_eq!(rest, b"a,b\n1,2\n");
    }

    #[test]
    fn skipped_lines_are_counted() {
        let (preamble, rest) = preamble_of(b"title\r\n\nnote\na,b\n", 3);
        assert_eq!(preamble.unwrap().lines_before_header, 3);
        assert_eq!(rest, b"a,b\n");
    }

    #[test]
    fn skipping_past_the_end_fails() {
        let (preamble, _) = preamble_of(b"a,b\n1,2", 3);
        let message = preamble.unwrap_err().message().to_string();
        assert_eq!(
            message,
            "`t.csv` has only 2 lines, so --skip-lines 3 leaves no header row: give a smaller \
             number"
        );
    }

    #[test]
    fn excel_separator_line_sets_delimiter() {
        let (preamble, rest) = preamble_of(b"sep=;\r\na;b\n", 0);
        let preamble = preamble.unwrap();
        assert_eq!(preamble.delimiter, Delimiter::new(b';'));
        assert_eq!(preamble.lines_before_header, 1);
        assert_eq!(rest, b"a;b\n");
    }

    #[test]
    fn sep_line_is_found_across_buffer_ends() {
        let text = b"note one\nnote two\nsep=;\r\na;b\n1;2\n";
        let notes = b"note one\nnote two\n".len();
        // Buffers that end before, inside and after the `sep=` line.
        for capacity in [1, 2, 3, notes - 1, notes + 1, notes + 3, notes + 6, 64] {
            let (preamble, rest) = preamble_with_buffer(text, 2, capacity);
            let preamble = preamble.unwrap();
            assert_eq!(
                preamble.delimiter,
                Delimiter::new(b';'),
                "buffer {capacity}"
            );
            assert_eq!(preamble.lines_before_header, 3, "buffer {capacity}");
            assert_eq!(rest, b"a;b\n1;2\n", "buffer {capacity}");
        }
    }

    #[test]
    fn header_is_kept_across_buffer_ends() {
        let text = b"note\nsep,x\n1,2\n";
        for capacity in [1, 3, 5, 7, 9, 64] {
            let (preamble, rest) = preamble_with_buffer(text, 1, capacity);
            assert_eq!(preamble.unwrap().delimiter, None, "buffer {capacity}");
            assert_eq!(rest, b"sep,x\n1,2\n", "buffer {capacity}");
        }
    }

    #[test]
    fn header_starting_with_sep_is_kept() {
        let (preamble, rest) = preamble_of(b"sep=x,b\n", 0);
        assert_eq!(preamble.unwrap().delimiter, None);
        assert_eq!(rest, b"sep=x,b\n");
    }

    #[test]
    fn utf16_is_rejected() {
        let (preamble, _) = preamble_of(b"\xFF\xFEa\x00,\x00b\x00", 0);
        assert!(preamble.unwrap_err().message().contains("is UTF-16 text"));
    }
}
