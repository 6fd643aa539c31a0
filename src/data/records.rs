//! The CSV parser as the loader and the detection use it: records with any number of fields,
//! the line each one starts on, and quoted values that are never closed.
//!
//! The csv crate (1.4) records a record's line before it skips the line breaks in front of
//! it. So its line numbers are too low after a blank line, and on every line of a file with
//! Windows line breaks. Here every record ends at a `\n` (a `\r` before it stays
//! in the last field, which the loader trims), the input gets two more `\n`, and a record's
//! first line is counted back from the line after its end. The csv crate also ends a quoted
//! value at the end of the input without an error; that value then holds the two added line
//! breaks and reaches the very end of the input, which is how [`Next::Unclosed`] is told.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// Appended to the input; see the module documentation.
const END: &[u8] = b"\n\n";

/// The outcome of [`Records::read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A record starting on `line`.
    Record {
        line: u64,
    },
    /// A record starting on `line` whose last field opens a quote that is never closed, so it
    /// runs on to `last_line`, the last line of the input with text.
    Unclosed {
        line: u64,
        last_line: u64,
    },
    End,
}

/// Reads records split by a delimiter from an input.
pub struct Records<'a> {
    reader: csv::Reader<Box<dyn Read + 'a>>,
    input: Rc<InputState>,
}

/// How much of the input the parser has been given, and whether that was all of it.
#[derive(Default)]
struct InputState {
    bytes: Cell<u64>,
    ended: Cell<bool>,
}

struct Tracked<R> {
    inner: R,
    state: Rc<InputState>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        let state = &self.state;
        state.bytes.set(state.bytes.get() + read as u64);
        if read == 0 && !buffer.is_empty() {
            state.ended.set(true);
        }
        Ok(read)
    }
}

impl<'a> Records<'a> {
    pub fn new(input: impl Read + 'a, delimiter: u8) -> Self {
        let state = Rc::new(InputState::default());
        let tracked = Tracked {
            inner: input.chain(END),
            state: Rc::clone(&state),
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(Box::new(tracked) as Box<dyn Read + 'a>);
        Records {
            reader,
            input: state,
        }
    }

    /// Reads the next record into `record`, passing over blank ones when `skip_blank` is set.
    /// Lines without any character are always passed over, as the csv crate does.
    pub fn read(&mut self, record: &mut csv::ByteRecord, skip_blank: bool) -> csv::Result<Next> {
        loop {
            if !self.reader.read_byte_record(record)? {
                return Ok(Next::End);
            }
            if !(skip_blank && is_blank(record)) {
                return Ok(self.place(record));
            }
        }
    }

    /// The byte offset and line (from 1) where the next record starts.
    pub fn position(&self) -> (u64, u64) {
        let position = self.reader.position();
        (position.byte(), position.line())
    }

    fn place(&self, record: &csv::ByteRecord) -> Next {
        let position = self.reader.position();
        let line_breaks = count_line_breaks(record.as_slice());
        let unclosed = self.input.ended.get() && position.byte() == self.input.bytes.get();
        if !unclosed {
            // The reader is on the line after the record's final `\n`.
            return Next::Record {
                line: position.line() - 1 - line_breaks,
            };
        }
        let last = record.iter().next_back().unwrap_or_default();
        let trailing = last.iter().rev().take_while(|&&b| b == b'\n').count() as u64;
        Next::Unclosed {
            line: position.line() - line_breaks,
            last_line: position.line() - trailing,
        }
    }
}

fn count_line_breaks(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// True for a record that contains nothing but one whitespace-only field: a line of spaces,
/// which the CSV parser does not skip on its own, or a quoted empty value.
pub fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

/// Turns Windows line breaks (`\r\n`) into `\n`, and also a lone `\r` when
/// `lone_cr_is_break` is set, for files with classic Mac line breaks. Line breaks inside
/// quoted values change the same way.
pub struct LineBreaks<R> {
    inner: R,
    lone_cr_is_break: bool,
    /// A `\r` at the end of the last chunk, held back until the next byte is known.
    pending_cr: bool,
    raw: Vec<u8>,
    converted: Vec<u8>,
    /// How much of `converted` has been handed out.
    position: usize,
    ended: bool,
}

impl<R> LineBreaks<R> {
    const CHUNK_BYTES: usize = 64 * 1024;

    pub fn new(inner: R, lone_cr_is_break: bool) -> Self {
        LineBreaks {
            inner,
            lone_cr_is_break,
            pending_cr: false,
            raw: vec![0; Self::CHUNK_BYTES],
            converted: Vec::with_capacity(Self::CHUNK_BYTES),
            position: 0,
            ended: false,
        }
    }

    fn lone_cr(&self) -> u8 {
        if self.lone_cr_is_break {
            b'\n'
        } else {
            b'\r'
        }
    }
}

impl<R: Read> LineBreaks<R> {
    /// Converts the next chunk of the input into `converted`.
    fn convert_chunk(&mut self) -> std::io::Result<()> {
        let read = self.inner.read(&mut self.raw)?;
        self.converted.clear();
        self.position = 0;
        if read == 0 {
            if self.pending_cr {
                self.converted.push(self.lone_cr());
                self.pending_cr = false;
            }
            self.ended = true;
            return Ok(());
        }
        let lone_cr = self.lone_cr();
        let mut rest = &self.raw[..read];
        if self.pending_cr {
            self.pending_cr = false;
            if rest[0] != b'\n' {
                self.converted.push(lone_cr);
            }
        }
        // Copies the runs between `\r`s whole, which keeps files without any `\r` fast.
        while let Some(at) = memchr::memchr(b'\r', rest) {
            self.converted.extend_from_slice(&rest[..at]);
            match rest.get(at + 1) {
                Some(b'\n') => {}
                Some(_) => self.converted.push(lone_cr),
                None => self.pending_cr = true,
            }
            rest = &rest[at + 1..];
        }
        self.converted.extend_from_slice(rest);
        Ok(())
    }
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.position < self.converted.len() || buffer.len() < 2 {
                return self.read_converted(buffer);
            }
            if self.ended {
                return self.read_converted(buffer);
            }
            // Reads straight into `buffer` and converts it there: a `\r` held back from the
            // last read goes first, so the line break it starts can be completed.
            let held = usize::from(self.pending_cr);
            if held == 1 {
                buffer[0] = b'\r';
            }
            let read = self.inner.read(&mut buffer[held..])?;
            if read == 0 {
                self.ended = true;
                if self.pending_cr {
                    self.pending_cr = false;
                    buffer[0] = self.lone_cr();
                    return Ok(1);
                }
                return Ok(0);
            }
            self.pending_cr = false;
            let kept = self.convert_in_place(&mut buffer[..held + read]);
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

impl<R: Read> LineBreaks<R> {
    /// Hands out converted text through `converted`, for calls with a buffer too small to
    /// convert in place.
    fn read_converted(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        while self.position == self.converted.len() {
            if self.ended || buffer.is_empty() {
                return Ok(0);
            }
            self.convert_chunk()?;
        }
        let available = &self.converted[self.position..];
        let count = available.len().min(buffer.len());
        buffer[..count].copy_from_slice(&available[..count]);
        self.position += count;
        Ok(count)
    }

    /// Converts the line breaks of `text` in place and returns the length of the result;
    /// a `\r` at the end is held back until the next byte is known.
    fn convert_in_place(&mut self, text: &mut [u8]) -> usize {
        let lone_cr = self.lone_cr();
        let mut written = 0;
        let mut from = 0;
        while let Some(offset) = memchr::memchr(b'\r', &text[from..]) {
            let at = from + offset;
            text.copy_within(from..at, written);
            written += at - from;
            match text.get(at + 1) {
                Some(b'\n') => {}
                Some(_) => {
                    text[written] = lone_cr;
                    written += 1;
                }
                None => self.pending_cr = true,
            }
            from = at + 1;
        }
        text.copy_within(from.., written);
        written + text.len() - from
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every record of `text` and returns what each read found.
    fn places(text: &str) -> Vec<Next> {
        let mut records = Records::new(text.as_bytes(), b',');
        let mut record = csv::ByteRecord::new();
        let mut places = Vec::new();
        loop {
            match records.read(&mut record, true).unwrap() {
                Next::End => return places,
                next => places.push(next),
            }
        }
    }

    fn lines(text: &str) -> Vec<u64> {
        places(text)
            .into_iter()
            .map(|next| match next {
                Next::Record { line } => line,
                other => panic!("unexpected {other:?}"),
            })
            .collect()
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
    fn closed_quote_ending_in_line_break_is_closed() {
        assert_eq!(lines("a\n\"x\n\n\"\n"), [1, 2]);
    }

    #[test]
    fn unclosed_quote_runs_to_end() {
        let found = places("a,b\n1,\"x\n2,y\n\n");
        assert_eq!(
            found,
            [
                Next::Record { line: 1 },
                Next::Unclosed {
                    line: 2,
                    last_line: 3
                }
            ]
        );
    }

    #[test]
    fn unclosed_quote_without_final_line_break() {
        let found = places("a\n\"x\ny");
        assert_eq!(
            found[1],
            Next::Unclosed {
                line: 2,
                last_line: 3
            }
        );
    }

    /// An input that hands out at most `chunk` bytes per read.
    struct Trickle<'a> {
        rest: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let count = self.rest.len().min(self.chunk).min(buffer.len());
            buffer[..count].copy_from_slice(&self.rest[..count]);
            self.rest = &self.rest[count..];
            Ok(count)
        }
    }

    /// Reads `text` through [`LineBreaks`], `chunk` bytes at a time in and out.
    fn normalised(text: &str, lone_cr_is_break: bool, chunk: usize) -> String {
        let input = Trickle {
            rest: text.as_bytes(),
            chunk,
        };
        let mut reader = LineBreaks::new(input, lone_cr_is_break);
        let mut out = Vec::new();
        let mut buffer = vec![0u8; chunk];
        loop {
            let read = reader.read(&mut buffer).unwrap();
            if read == 0 {
                return String::from_utf8(out).unwrap();
            }
            out.extend_from_slice(&buffer[..read]);
        }
    }

    #[test]
    fn windows_line_breaks_become_newlines() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(
                normalised("a,b\r\n1,\"x\r\ny\"\r\n", false, chunk),
                "a,b\n1,\"x\ny\"\n"
            );
            assert_eq!(normalised("a\rb\r", false, chunk), "a\rb\r");
        }
    }

    #[test]
    fn mac_line_breaks_become_newlines() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(normalised("a,b\r1,2\r", true, chunk), "a,b\n1,2\n");
            assert_eq!(normalised("a\r\r\nb", true, chunk), "a\n\nb");
        }
    }
}
