//! Guesses from the first lines of a CSV file how it is laid out: which delimiter separates
//! the fields, and whether notes sit above the header row.
//!
//! Both guesses count the fields of each record with a quote-aware CSV parser, so quoted
//! delimiters and line breaks do not mislead them.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};

use super::options::Delimiter;
use super::records::{Next, Records};

/// How much of the file the guesses read.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// The delimiters detection chooses from, in order of preference when they fit equally well.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Reads up to [`SAMPLE_BYTES`] from `input`. When the input is longer, the sample ends
/// with the last complete line.
pub fn read_sample(input: &mut dyn BufRead) -> std::io::Result<Vec<u8>> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    input
        .take(SAMPLE_BYTES as u64 + 1)
        .read_to_end(&mut sample)?;
    if sample.len() > SAMPLE_BYTES {
        sample.truncate(SAMPLE_BYTES);
        if let Some(end) = sample.iter().rposition(|&b| b == b'\n') {
            sample.truncate(end + 1);
        }
    }
    Ok(sample)
}

/// Counts the fields of each non-blank record in the sample and returns them with the line
/// each record starts on. A quoted value that is never closed ends the sample.
fn record_shapes(sample: &[u8], delimiter: u8) -> Vec<(u64, usize)> {
    let mut records = Records::new(sample, delimiter);
    let mut record = csv::ByteRecord::new();
    let mut shapes = Vec::new();
    while let Ok(Next::Record { line }) = records.read(&mut record, true) {
        shapes.push((line, record.len()));
    }
    shapes
}

/// Returns the most common number of fields per record and how many records have it. Ties
/// go to the larger number of fields.
fn usual_field_count(shapes: &[(u64, usize)]) -> Option<(usize, usize)> {
    let mut frequency: BTreeMap<usize, usize> = BTreeMap::new();
    for &(_, fields) in shapes {
        *frequency.entry(fields).or_default() += 1;
    }
    frequency
        .into_iter()
        .max_by_key(|&(fields, count)| (count, fields))
}

/// Chooses the candidate delimiter that splits the most records into the same number of
/// fields (at least two). A file with one column gets a comma.
pub fn detect_delimiter(sample: &[u8]) -> Delimiter {
    let mut best = (0, Delimiter::COMMA);
    for byte in CANDIDATE_DELIMITERS {
        let shapes = record_shapes(sample, byte);
        let agreeing = match usual_field_count(&shapes) {
            Some((fields, count)) if fields >= 2 => count,
            _ => 0,
        };
        if agreeing > best.0 {
            best = (
                agreeing,
                Delimiter::new(byte).expect("candidates are valid delimiters"),
            );
        }
    }
    best.1
}

/// Lines above the header that look like notes rather than CSV records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesAbove {
    /// The first non-blank line of the sample, its text and its number of fields.
    pub note_line: u64,
    pub note_text: String,
    pub note_fields: usize,
    /// The line of the sample where the records with the usual number of fields start.
    pub header_line: u64,
    pub fields: usize,
}

/// Finds notes above the header: records at the top of the sample with at most half as many
/// fields as most records have, followed by the first record with the usual count.
///
/// NOTE: a note line with as many fields as the header cannot be distinguished from a
/// header, and a header naming fewer columns than the rows have (as R's `write.table` writes) looks like
/// a note; the message for the second case still names both counts.
pub fn find_notes_above_header(sample: &[u8], delimiter: Delimiter) -> Option<NotesAbove> {
    let shapes = record_shapes(sample, delimiter.byte());
    let (fields, _) = usual_field_count(&shapes)?;
    if fields < 2 {
        return None;
    }
    let header = shapes.iter().position(|&(_, f)| f == fields)?;
    if header == 0 || shapes[..header].iter().any(|&(_, f)| f * 2 > fields) {
        return None;
    }
    Some(NotesAbove {
        note_line: shapes[0].0,
        note_text: line_text(sample, shapes[0].0),
        note_fields: shapes[0].1,
        header_line: shapes[header].0,
        fields,
    })
}

/// Line `number` (1-based) of the sample as trimmed text, shortened to 60 characters.
fn line_text(sample: &[u8], number: u64) -> String {
    let line = sample
        .split(|&b| b == b'\n')
        .nth(number.saturating_sub(1) as usize)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(sample: &str) -> u8 {
        detect_delimiter(sample.as_bytes()).byte()
    }

    #[test]
    fn comma_is_detected() {
        assert_eq!(detected("a,b,c\n1,2,3\n4,5,6\n"), b',');
    }

    #[test]
    fn semicolon_with_decimal_commas_is_detected() {
        let sample = "length;width;species\n5,1;3,5;setosa\n4,9;3,0;setosa\n";
        assert_eq!(detected(sample), b';');
    }

    #[test]
    fn tab_is_detected() {
        assert_eq!(detected("a\tb\n1\t2\n3\t4\n"), b'\t');
    }

    #[test]
    fn quoted_delimiters_do_not_count() {
        let sample = "name;note\nx;\"a,b,c\"\ny;\"d,e,f\"\n";
        assert_eq!(detected(sample), b';');
    }

    #[test]
    fn single_column_gets_comma() {
        assert_eq!(detected("value\n1\n2\n"), b',');
    }

    #[test]
    fn notes_above_header_are_found() {
        let sample = "Exported from the shop\n\na,b,c\n1,2,3\n4,5,6\n";
        let notes = find_notes_above_header(sample.as_bytes(), Delimiter::COMMA).unwrap();
        assert_eq!(notes.note_line, 1);
        assert_eq!(notes.note_text, "Exported from the shop");
        assert_eq!(notes.note_fields, 1);
        assert_eq!(notes.header_line, 3);
        assert_eq!(notes.fields, 3);
    }

    #[test]
    fn plain_file_has_no_notes() {
        let sample = "a,b,c\n1,2\n4,5,6\n";
        assert_eq!(
            find_notes_above_header(sample.as_bytes(), Delimiter::COMMA),
            None
        );
    }

    #[test]
    fn header_one_field_short_is_no_note() {
        let sample = "a,b,c\n1,2,3,\n4,5,6,\n";
        assert_eq!(
            find_notes_above_header(sample.as_bytes(), Delimiter::COMMA),
            None
        );
    }

    #[test]
    fn sample_ends_with_complete_line() {
        let line = "1234567,1234567\n";
        let text = line.repeat(SAMPLE_BYTES / line.len() + 10);
        let mut input = text.as_bytes();
        let sample = read_sample(&mut input).unwrap();
        assert!(sample.len() <= SAMPLE_BYTES);
        assert!(sample.ends_with(b"\n"));
        assert_eq!(sample.len() % line.len(), 0);
    }
}
