//! Cuts CSV text into chunks that start and end between records, so that each chunk can be
//! parsed on its own, on any thread.
//!
//! A `\n` ends a record unless it is inside a quoted value. The cut follows the quoting rules
//! of the csv crate's parser (csv-core 0.1). A quote opens a quoted value only at the start
//! of a field, and `""` inside one is a quote. After the closing quote, the field goes on
//! unquoted up to the next delimiter. A chunk without any quote is cut at its last `\n`.

use std::io::Read;

/// One piece of the text: whole records, or the rest of the input at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The position of the chunk in the input, from 0.
    pub index: usize,
    pub bytes: Vec<u8>,
    /// The line of the input (from 1) that the chunk starts on.
    pub first_line: u64,
    /// The number of `\n` in the chunk.
    pub line_breaks: u64,
}

/// Reads chunks of about `target` bytes from an input; a record longer than that makes its
/// chunk longer.
pub struct ChunkReader<R> {
    input: R,
    target: usize,
    delimiter: u8,
    /// Bytes read after the last cut: the start of the next chunk.
    carry: Vec<u8>,
    next_index: usize,
    next_line: u64,
    ended: bool,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(input: R, delimiter: u8, target: usize) -> Self {
        ChunkReader {
            input,
            target: target.max(1),
            delimiter,
            carry: Vec::new(),
            next_index: 0,
            next_line: 1,
            ended: false,
        }
    }

    /// Returns the index of the next chunk.
    pub fn next_index(&self) -> usize {
        self.next_index
    }

    /// Fills `buffer` (cleared first, its memory reused) with the next chunk; `None` at the
    /// end of the input.
    pub fn next_chunk(&mut self, mut buffer: Vec<u8>) -> std::io::Result<Option<Chunk>> {
        buffer.clear();
        buffer.append(&mut self.carry);
        let cut = loop {
            let scanned = buffer.len();
            if !self.ended {
                self.fill(&mut buffer)?;
            }
            if self.ended {
                break buffer.len();
            }
            // A record that started before `scanned` may end after it, so the search for the
            // last record end runs over the whole buffer.
            if let Some(cut) = last_record_end(&buffer, self.delimiter) {
                break cut;
            }
            debug_assert!(buffer.len() > scanned);
        };
        if buffer.is_empty() {
            return Ok(None);
        }
        self.carry.extend_from_slice(&buffer[cut..]);
        buffer.truncate(cut);
        let line_breaks = count_line_breaks(&buffer);
        let chunk = Chunk {
            index: self.next_index,
            first_line: self.next_line,
            line_breaks,
            bytes: buffer,
        };
        self.next_index += 1;
        self.next_line += line_breaks;
        Ok(Some(chunk))
    }

    /// Reads until `buffer` has grown by `target` bytes or the input ends.
    fn fill(&mut self, buffer: &mut Vec<u8>) -> std::io::Result<()> {
        buffer.reserve(self.target);
        let limit = self.target as u64;
        let read = (&mut self.input).take(limit).read_to_end(buffer)?;
        self.ended = (read as u64) < limit;
        Ok(())
    }
}

pub fn count_line_breaks(bytes: &[u8]) -> u64 {
    // Counting in byte-sized counters, 255 bytes at a time, lets LLVM compare and add 16 or
    // 32 bytes per instruction.
    bytes
        .chunks(255)
        .map(|block| u64::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

/// Finds the position after the last `\n` that ends a record, in text that starts at the
/// start of a record.
fn last_record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', bytes).is_none() {
        return memchr::memrchr(b'\n', bytes).map(|at| at + 1);
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted value: the closing quote, or the first of `""`.
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut last = None;
    for (at, &byte) in bytes.iter().enumerate() {
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart, b'"') => State::Quoted,
            (_, b'\n') => {
                last = Some(at + 1);
                State::FieldStart
            }
            (_, byte) if byte == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cuts `text` into chunks of about `target` bytes and returns their texts.
    fn chunks(text: &str, target: usize) -> Vec<String> {
        let mut reader = ChunkReader::new(text.as_bytes(), b',', target);
        let mut found = Vec::new();
        let mut line = 1;
        while let Some(chunk) = reader.next_chunk(Vec::new()).unwrap() {
            assert_eq!(chunk.index, found.len());
            assert_eq!(chunk.first_line, line);
            assert_eq!(
                chunk.line_breaks,
                chunk.bytes.iter().filter(|&&b| b == b'\n').count() as u64
            );
            line += chunk.line_breaks;
            found.push(String::from_utf8(chunk.bytes).unwrap());
        }
        assert_eq!(found.concat(), text);
        found
    }

    #[test]
    fn chunks_end_at_line_breaks() {
        assert_eq!(chunks("a,b\n1,2\n3,4\n", 5), ["a,b\n", "1,2\n", "3,4\n"]);
        assert_eq!(chunks("a,b\n1,2\n3,4\n", 9), ["a,b\n1,2\n", "3,4\n"]);
        assert_eq!(chunks("a,b\n1,2\n3,4", 100), ["a,b\n1,2\n3,4"]);
    }

    #[test]
    fn long_records_make_long_chunks() {
        assert_eq!(chunks("abcdefgh\nij\n", 2), ["abcdefgh\n", "ij\n"]);
    }

    #[test]
    fn quoted_line_breaks_are_not_cuts() {
        assert_eq!(
            chunks("a,\"x\ny\"\n\"p\"\"\nq\",2\nz\n", 4),
            ["a,\"x\ny\"\n", "\"p\"\"\nq\",2\nz\n"]
        );
    }

    #[test]
    fn quotes_inside_unquoted_fields_are_text() {
        // `b"c` opens no quoted value, so its line break ends the record.
        assert_eq!(chunks("a,b\"c\nd\n", 3), ["a,b\"c\n", "d\n"]);
        // After a closing quote the field goes on unquoted: `"x"y` then a line break.
        assert_eq!(chunks("\"x\"y\nz\n", 2), ["\"x\"y\n", "z\n"]);
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        assert_eq!(chunks("a\n\"b\nc\nd\n", 2), ["a\n", "\"b\nc\nd\n"]);
    }

    #[test]
    fn empty_input_has_no_chunks() {
        assert!(chunks("", 4).is_empty());
    }
}
