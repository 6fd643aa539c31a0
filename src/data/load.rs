//! Reads a CSV file with a header row into a typed [`Table`].
//!
//! A column is numeric when every non-missing cell parses as a number, and categorical
//! otherwise. Cells are trimmed, and the markers in [`super::missing`] read as missing.
//!
//! Reading goes in steps, each in its own module. [`super::preamble`] skips a byte-order
//! mark and the lines above the header, and [`super::sniff`] guesses the delimiter from the
//! first lines. [`super::records`] splits the records, [`super::fields`] checks each one and
//! [`super::builder`] types each column. Last, [`super::review`] warns about values that are
//! probably wrong. The loop in [`read_rows`] only strings them together.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::assemble::{Assembled, Assembler, ChunkHandler, Keep};
use super::fields::{ColumnRef, Place};
use super::numbers::DecimalMark;
use super::options::{shell_word, Delimiter, LoadOptions};
use super::parallel::{parse_in_parallel, Parallelism};
use super::preamble::skip_preamble;
use super::records::{LineBreaks, Next, Records};
use super::review::review_loaded_columns;
use super::sniff::{detect_delimiter, find_notes_above_header, read_sample, NotesAbove};
use super::table::Table;
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;

/// A loaded table and the warnings about it that did not stop the loading.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub table: Table,
    pub warnings: Vec<String>,
}

/// The buffer of each reader between the file and the chunks. Smaller than a chunk
/// ([`super::parallel::CHUNK_BYTES`]), so that the reads of whole chunks pass the buffers by
/// and land in the chunk directly, with no copy in between.
pub(crate) const READ_BUFFER_BYTES: usize = 64 << 10;

/// Reads `path` with the default [`LoadOptions`], dropping the warnings; columns named in
/// `text_columns` are read as categories even when every value is a number.
pub fn load_csv(path: &Path, text_columns: &[&str]) -> Result<Table> {
    Ok(load_table(path, &LoadOptions::default(), text_columns)?.table)
}

/// Reads `path`. Columns named in `text_columns` (such as a class label `0`/`1`) or in
/// `options.categorical` are read as categories even when every value is a number. A name
/// in `options.categorical` that is not a column is an error; `text_columns` may name
/// columns the file lacks.
pub fn load_table(path: &Path, options: &LoadOptions, text_columns: &[&str]) -> Result<Loaded> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io("read", path, &e))?;
    if !metadata.is_file() && !metadata.is_dir() {
        // A pipe such as `<(zcat data.csv.gz)` can be read only once, and the loader reads
        // the data more than once, so it is read into memory first.
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, &e))?;
        return load_table_from_bytes(&bytes, &path.display().to_string(), options, text_columns);
    }
    let open = || -> Result<Box<dyn BufRead + Send>> {
        let file = File::open(path).map_err(|e| Error::io("read", path, &e))?;
        Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, file)))
    };
    let name = path.display().to_string();
    let pass = Pass::new(&open, &name, options, text_columns)?;
    let rows = pass.read(Keep::Rows, Parallelism::default(), Some(metadata.len()))?;
    Ok(pass.loaded(rows))
}

/// Reads CSV data held in memory; `name` stands for the file in messages.
pub fn load_table_from_bytes(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
    text_columns: &[&str],
) -> Result<Loaded> {
    load_bytes_with(bytes, name, options, text_columns, Parallelism::default())
}

/// Reads CSV data held in memory, splitting the work as `parallelism` says.
pub(crate) fn load_bytes_with(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
    text_columns: &[&str],
    parallelism: Parallelism,
) -> Result<Loaded> {
    let open = || -> Result<Box<dyn BufRead + Send + '_>> { Ok(Box::new(bytes)) };
    let pass = Pass::new(&open, name, options, text_columns)?;
    let rows = pass.read(Keep::Rows, parallelism, Some(bytes.len() as u64))?;
    Ok(pass.loaded(rows))
}

/// Opens the data afresh. The loader opens it up to four times: for the first bytes, for a
/// sample to detect the layout, for the rows, and for the rows again when a column turns out
/// to hold text late.
pub(crate) type Open<'a> = dyn Fn() -> Result<Box<dyn BufRead + Send + 'a>> + 'a;

/// Reading the rows of one input, once its layout is known.
pub(crate) struct Pass<'a> {
    open: Box<dyn Fn() -> Result<Box<dyn BufRead + Send + 'a>> + 'a>,
    file: &'a str,
    layout: Layout,
    categorical: &'a [String],
    /// The columns read as text on request.
    requested_text: BTreeSet<String>,
}

impl<'a> Pass<'a> {
    /// Detects the layout of the input that `open` opens.
    pub(crate) fn new<'o: 'a>(
        open: &'a Open<'o>,
        file: &'a str,
        options: &'a LoadOptions,
        text_columns: &[&str],
    ) -> Result<Self> {
        let mac_line_breaks = has_mac_line_breaks(open()?, file)?;
        let open_text = move || -> Result<Box<dyn BufRead + Send + 'a>> {
            let input: Box<dyn BufRead + Send + 'a> = open()?;
            let input = LineBreaks::new(input, mac_line_breaks);
            Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, input)))
        };
        let layout = Layout::detect(&open_text, file, options)?;
        let mut requested_text: BTreeSet<String> =
            text_columns.iter().map(|s| s.to_string()).collect();
        requested_text.extend(options.categorical.iter().cloned());
        Ok(Pass {
            open: Box::new(open_text),
            file,
            layout,
            categorical: &options.categorical,
            requested_text,
        })
    }

    /// Reads every row, keeping the rows or a summary of each column. A column that turns
    /// out to hold text after numeric rows lost the text of those rows, so another pass
    /// reads it as text from the first row. `input_bytes`, the size of the input when
    /// known, lets the columns take their memory at once.
    pub(crate) fn read(
        &self,
        keep: Keep,
        parallelism: Parallelism,
        input_bytes: Option<u64>,
    ) -> Result<Assembled> {
        let mut forced_text = self.requested_text.clone();
        let rows = loop {
            let rows = self.read_once(&forced_text, keep, parallelism, None, input_bytes)?;
            if rows.late_text_columns.is_empty() {
                break rows;
            }
            forced_text.extend(rows.late_text_columns);
        };
        check_categorical_names(self.categorical, &rows.names, self.file)?;
        Ok(rows)
    }

    /// Reads every row once more with the columns `text` (every text column of a pass
    /// that kept a summary) read as text, handing the rows of each chunk to `on_chunk`.
    pub(crate) fn stream(
        &self,
        text: &BTreeSet<String>,
        parallelism: Parallelism,
        on_chunk: &mut ChunkHandler,
    ) -> Result<Assembled> {
        self.read_once(text, Keep::Chunks, parallelism, Some(on_chunk), None)
    }

    fn read_once(
        &self,
        forced_text: &BTreeSet<String>,
        keep: Keep,
        parallelism: Parallelism,
        on_chunk: Option<&mut ChunkHandler>,
        input_bytes: Option<u64>,
    ) -> Result<Assembled> {
        let file = self.file;
        let mut input = (self.open)()?;
        let preamble = skip_preamble(&mut input, file, self.layout.skip_lines)?;
        let delimiter = self.layout.delimiter;
        let allow_comma = self.layout.decimal_comma != DecimalComma::Off;
        let lines_before = preamble.lines_before_header;
        let mut assembler = Assembler::new(
            file,
            delimiter,
            lines_before,
            allow_comma,
            forced_text,
            keep,
        )
        .expecting(input_bytes);
        if let Some(on_chunk) = on_chunk {
            assembler = assembler.handing_on(on_chunk);
        }
        let read_error = |e: std::io::Error| Error::io("read", Path::new(file), &e);
        parse_in_parallel(
            input,
            delimiter.byte(),
            parallelism,
            &mut assembler,
            &read_error,
        )?;
        assembler.finish()
    }

    /// The warnings about the rows of a pass: detected decimal commas, and how the columns
    /// were typed.
    pub(crate) fn warnings(&self, rows: &Assembled) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.layout.decimal_comma == DecimalComma::Detect && !rows.comma_columns.is_empty() {
            warnings.push(decimal_comma_warning(self.file, &rows.comma_columns));
        }
        warnings.extend(review_loaded_columns(
            &rows.names,
            &rows.summaries,
            &self.requested_text,
            self.layout.decimal_comma != DecimalComma::Off,
            self.file,
        ));
        warnings
    }

    fn loaded(&self, rows: Assembled) -> Loaded {
        let warnings = self.warnings(&rows);
        Loaded {
            table: rows.table.expect("the rows were kept"),
            warnings,
        }
    }
}

/// How much of the start of the input [`has_mac_line_breaks`] looks at.
const LINE_BREAK_SAMPLE_BYTES: u64 = 1 << 20;

/// True when the first MiB of the input has `\r` line breaks but no `\n`, as classic Mac
/// OS and Excel's "CSV (Macintosh)" write them. The same bytes decide it for a file and for
/// a pipe, whatever the size of the reader's buffer.
fn has_mac_line_breaks(input: Box<dyn BufRead + Send + '_>, file: &str) -> Result<bool> {
    let mut start = Vec::new();
    input
        .take(LINE_BREAK_SAMPLE_BYTES)
        .read_to_end(&mut start)
        .map_err(|e| Error::io("read", Path::new(file), &e))?;
    Ok(memchr::memchr(b'\r', &start).is_some() && memchr::memchr(b'\n', &start).is_none())
}

/// Whether numbers may use `,` as the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecimalComma {
    Off,
    /// Allowed, with a warning naming the columns that use it.
    Detect,
    /// Allowed without a warning, as the user asked for it.
    On,
}

/// The layout of the file, settled before the rows are read.
#[derive(Debug, Clone, Copy)]
struct Layout {
    delimiter: Delimiter,
    skip_lines: usize,
    decimal_comma: DecimalComma,
}

impl Layout {
    /// Takes the layout from the options and fills the gaps from a sample of the file.
    /// Decimal commas are detected only with a delimiter other than a comma, where an
    /// unquoted `5,1` cannot be two fields.
    fn detect<'a>(
        open: &dyn Fn() -> Result<Box<dyn BufRead + Send + 'a>>,
        file: &str,
        options: &LoadOptions,
    ) -> Result<Layout> {
        let mut input = open()?;
        let preamble = skip_preamble(&mut input, file, options.skip_lines)?;
        let sample =
            read_sample(&mut *input).map_err(|e| Error::io("read", Path::new(file), &e))?;
        let delimiter = options
            .delimiter
            .or(preamble.delimiter)
            .unwrap_or_else(|| detect_delimiter(&sample));
        if let Some(notes) = find_notes_above_header(&sample, delimiter) {
            // With a delimiter given by the user, a header that looks like a note more
            // likely means the delimiter is wrong.
            let detected = detect_delimiter(&sample);
            if detected != delimiter && find_notes_above_header(&sample, detected).is_none() {
                return Err(wrong_delimiter_error(file, delimiter, detected, &notes));
            }
            return Err(notes_error(file, &notes, preamble.lines_before_header));
        }
        let decimal_comma = if options.decimal_comma {
            DecimalComma::On
        } else if delimiter != Delimiter::COMMA {
            DecimalComma::Detect
        } else {
            DecimalComma::Off
        };
        Ok(Layout {
            delimiter,
            skip_lines: options.skip_lines,
            decimal_comma,
        })
    }
}

fn notes_error(file: &str, notes: &NotesAbove, lines_before: u64) -> Error {
    let header_line = notes.header_line + lines_before;
    let field_word = if notes.note_fields == 1 {
        "field"
    } else {
        "fields"
    };
    Error::data(format!(
        "`{file}` line {}: `{}` does not look like the header row: it has {} {field_word}, \
         but line {header_line} and most lines after it have {}. If the header is on line \
         {header_line}, pass --skip-lines {} to skip the lines above it.",
        notes.note_line + lines_before,
        notes.note_text,
        notes.note_fields,
        notes.fields,
        header_line - 1
    ))
}

fn wrong_delimiter_error(
    file: &str,
    given: Delimiter,
    detected: Delimiter,
    notes: &NotesAbove,
) -> Error {
    let flag = match detected.byte() {
        b'\t' => "tab".to_string(),
        byte => format!("'{}'", byte as char),
    };
    Error::data(format!(
        "`{file}`: split by {given}, the header has {} {} but most lines have {}, while \
         {detected} splits the lines alike. Pass --delimiter {flag}, or leave out --delimiter \
         to detect it.",
        notes.note_fields,
        if notes.note_fields == 1 {
            "field"
        } else {
            "fields"
        },
        notes.fields
    ))
}

pub(super) fn read_record(
    records: &mut Records,
    record: &mut csv::ByteRecord,
    skip_blank: bool,
    file: &str,
) -> Result<Next> {
    records
        .read(record, skip_blank)
        .map_err(|error| match error.kind() {
            csv::ErrorKind::Io(io) => Error::io("read", Path::new(file), io),
            _ => Error::data(format!("`{file}`: cannot parse the CSV data: {error}")),
        })
}

pub(super) fn empty_file_error(file: &str) -> Error {
    Error::data(format!(
        "`{file}` is empty: rulebench needs a header row naming the columns, then one row per \
         example."
    ))
}

pub(super) fn out_of_range_error(place: Place, column: ColumnRef, cell: &str) -> Error {
    Error::data(format!(
        "`{}` line {}, {column}: `{cell}` is beyond the range of 64-bit floating-point numbers \
         (about ±1.8e308). Fix the value, or write NA to mark it missing.",
        place.file, place.line
    ))
}

/// Builds the error for a cell whose decimal mark differs from the one `other` used on its
/// line.
pub(super) fn mixed_marks_error(
    place: Place,
    column: &str,
    cell: &str,
    other: (u64, DecimalMark),
) -> Error {
    let (other_line, other) = other;
    let (this_mark, other_mark) = match other {
        DecimalMark::Comma => ("`.`", "`,`"),
        _ => ("`,`", "`.`"),
    };
    Error::data(format!(
        "`{}` line {}, column `{column}`: `{cell}` uses {this_mark} as the decimal mark, but \
         line {other_line} uses {other_mark}. Write every number of the column with the same \
         mark, or pass --categorical {} if the values are not numbers.",
        place.file,
        place.line,
        shell_word(column)
    ))
}

fn decimal_comma_warning(file: &str, columns: &[String]) -> String {
    let names: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    let noun = if columns.len() == 1 {
        "column"
    } else {
        "columns"
    };
    format!(
        "`{file}`: read `,` as the decimal mark in {noun} {}. Pass --decimal-comma to \
         confirm this and silence the warning.",
        names.join(", ")
    )
}

/// Fails when `--categorical` names a column the file does not have.
fn check_categorical_names(categorical: &[String], names: &[String], file: &str) -> Result<()> {
    for name in categorical {
        if !names.contains(name) {
            return Err(Error::data(format!(
                "--categorical `{name}`: `{file}` has no column of that name.{}",
                did_you_mean(name, names.iter().map(String::as_str))
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    use super::*;
    use crate::data::assemble::{CategorySummary, ColumnSummary};
    use crate::data::builder::{ColumnBuilder, Push};
    use crate::data::fields::{column_names, field_count_error, field_text, unclosed_quote_error};
    use crate::data::table::{Column, ColumnData};

    /// Loads `bytes` the way rulebench did before it read in parallel: one record after the
    /// other, through the csv crate, with one pass more per column that turns to text late.
    fn reference_load(
        bytes: &[u8],
        options: &LoadOptions,
        text_columns: &[&str],
    ) -> Result<Loaded> {
        let file = "data.csv";
        let open = || -> Result<Box<dyn BufRead + Send + '_>> { Ok(Box::new(bytes)) };
        let pass = Pass::new(&open, file, options, text_columns)?;
        let mut forced_text = pass.requested_text.clone();
        let (table, comma_columns) = loop {
            let (table, late, comma) =
                reference_rows((pass.open)()?, file, &pass.layout, &forced_text)?;
            if late.is_empty() {
                break (table, comma);
            }
            forced_text.extend(late);
        };
        let names: Vec<String> = table.column_names().map(str::to_string).collect();
        check_categorical_names(&options.categorical, &names, file)?;
        let summaries: Vec<ColumnSummary> = table
            .columns
            .iter()
            .map(|column| match &column.data {
                ColumnData::Numeric(_) => ColumnSummary::Numeric,
                ColumnData::Categorical { codes, levels } => ColumnSummary::Categorical(
                    CategorySummary::of(codes, levels, &table.line_numbers),
                ),
            })
            .collect();
        let mut warnings = Vec::new();
        if pass.layout.decimal_comma == DecimalComma::Detect && !comma_columns.is_empty() {
            warnings.push(decimal_comma_warning(file, &comma_columns));
        }
        warnings.extend(review_loaded_columns(
            &names,
            &summaries,
            &pass.requested_text,
            pass.layout.decimal_comma != DecimalComma::Off,
            file,
        ));
        Ok(Loaded { table, warnings })
    }

    /// One pass over the rows: the table, the columns that turned to text late, and the
    /// numeric columns with decimal commas.
    fn reference_rows(
        mut input: Box<dyn BufRead + Send + '_>,
        file: &str,
        layout: &Layout,
        forced_text: &BTreeSet<String>,
    ) -> Result<(Table, Vec<String>, Vec<String>)> {
        let preamble = skip_preamble(&mut input, file, layout.skip_lines)?;
        let lines_before = preamble.lines_before_header;
        let delimiter = layout.delimiter;
        let mut records = Records::new(input, delimiter.byte());
        let mut record = csv::ByteRecord::new();
        let place = |line: u64| Place {
            file,
            line: line + lines_before,
        };
        let names = match read_record(&mut records, &mut record, true, file)? {
            Next::End => return Err(empty_file_error(file)),
            Next::Unclosed { line, last_line } => {
                let column = ColumnRef::Position(record.len());
                return Err(unclosed_quote_error(
                    place(line),
                    column,
                    last_line + lines_before,
                ));
            }
            Next::Record { line } => column_names(&record, place(line), delimiter)?,
        };
        let allow_comma = layout.decimal_comma != DecimalComma::Off;
        let mut builders: Vec<ColumnBuilder> = names
            .iter()
            .map(|name| ColumnBuilder::new(forced_text.contains(name), allow_comma))
            .collect();
        let mut late_text_columns = Vec::new();
        let mut line_numbers: Vec<u64> = Vec::new();
        let skip_blank = names.len() > 1;
        loop {
            let place = match read_record(&mut records, &mut record, skip_blank, file)? {
                Next::End => break,
                Next::Record { line } => place(line),
                Next::Unclosed { line, last_line } => {
                    let column = ColumnRef::Name(names.last().expect("a header has columns"));
                    let error = unclosed_quote_error(place(line), column, last_line + lines_before);
                    return Err(error);
                }
            };
            if record.len() != names.len() {
                return Err(field_count_error(&record, names.len(), place, delimiter));
            }
            let whole = std::str::from_utf8(record.as_slice()).ok();
            for index in 0..record.len() {
                let column = ColumnRef::Name(&names[index]);
                let cell = field_text(&record, index, whole, place, column)?.trim();
                match builders[index].push(cell, place.line) {
                    Push::Stored => {}
                    Push::BecameText => late_text_columns.push(names[index].clone()),
                    Push::OutOfRange => return Err(out_of_range_error(place, column, cell)),
                    Push::MixedDecimalMarks { other_line, other } => {
                        return Err(mixed_marks_error(
                            place,
                            &names[index],
                            cell,
                            (other_line, other),
                        ));
                    }
                }
            }
            line_numbers.push(place.line);
        }
        if line_numbers.is_empty() {
            return Err(Error::data(format!(
                "`{file}` has a header but no data rows: add rows below the header line."
            )));
        }
        let mut comma_columns = Vec::new();
        let mut columns = Vec::new();
        for (name, builder) in names.into_iter().zip(builders) {
            if matches!(
                &builder,
                ColumnBuilder::Numeric {
                    first_comma: Some(_),
                    ..
                }
            ) {
                comma_columns.push(name.clone());
            }
            columns.push(Column {
                name,
                data: builder.finish(),
            });
        }
        let table = Table {
            columns,
            line_numbers,
        };
        Ok((table, late_text_columns, comma_columns))
    }

    /// The outcome of a load as text, so that NaN values compare equal.
    fn outcome(loaded: Result<Loaded>) -> String {
        match loaded {
            Ok(loaded) => format!("{:?}", loaded),
            Err(error) => format!("{:?}: {}", error.kind(), error.message()),
        }
    }

    /// Cells that exercise the loader: numbers with either decimal mark, NaN spellings,
    /// missing markers, text, numbers beyond range, quotes, invalid UTF-8 and whitespace.
    const CELLS: [&[u8]; 24] = [
        b"1",
        b"2.5",
        b"-0",
        b"7",
        b"0.25",
        b"1e3",
        b"NA",
        b"",
        b" ",
        b"-nan",
        b"x",
        b"Yes",
        b"yes",
        b"5,1",
        b"\"3,5\"",
        b"1e400",
        b"\"a\nb\"",
        b"\"q\"\"r\"",
        b"\xE9",
        b" 4 ",
        b"\"x",
        b"\t\"1\"",
        b"12 kg",
        b"\xC2\xA05",
    ];

    fn csv_text() -> impl Strategy<Value = Vec<u8>> {
        let row =
            proptest::collection::vec(prop_oneof![6 => 0usize..10, 3 => 0usize..CELLS.len()], 2..5);
        (
            proptest::collection::vec((row, 0u8..12), 1..40),
            prop::sample::select(vec![b',', b';']),
            any::<bool>(),
        )
            .prop_map(|(rows, delimiter, crlf)| {
                let mut text = format!("a{0}b{0}c\n", delimiter as char).into_bytes();
                for (cells, shape) in rows {
                    // Mostly three fields; sometimes a blank line or a short or long row.
                    let cells = match shape {
                        0 => Vec::new(),
                        1 | 2 => cells,
                        _ => (0..3).map(|i| cells.get(i).copied().unwrap_or(0)).collect(),
                    };
                    let fields: Vec<&[u8]> = cells.iter().map(|&c| CELLS[c]).collect();
                    text.extend(fields.join(&delimiter));
                    text.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                }
                text
            })
    }

    proptest! {
        #![proptest_config(Config::with_cases(2000))]

        #[test]
        fn parallel_load_matches_reading_row_by_row(
            text in csv_text(),
            chunk_bytes in 1usize..48,
            threads in 1usize..4,
            decimal_comma in any::<bool>(),
            forced in prop::sample::subsequence(vec!["a", "b", "c"], 0..2),
        ) {
            let options = LoadOptions { decimal_comma, ..LoadOptions::default() };
            let expected = outcome(reference_load(&text, &options, &forced));
            let parallelism = Parallelism { chunk_bytes, threads };
            let loaded = load_bytes_with(&text, "data.csv", &options, &forced, parallelism);
            prop_assert_eq!(outcome(loaded), expected);
        }
    }

    #[test]
    fn mac_detection_ignores_buffer_size() {
        // Lone `\r` line breaks, and a `\n` only after the first 16 bytes.
        let mut text = b"a,b\r1,2\r".repeat(10);
        let mac_only = text.clone();
        text.extend_from_slice(b"3,4\n");
        for capacity in [16, 1 << 16] {
            let with_lf = Box::new(BufReader::with_capacity(capacity, &text[..]));
            assert!(!has_mac_line_breaks(with_lf, "t.csv").unwrap());
            let without_lf = Box::new(BufReader::with_capacity(capacity, &mac_only[..]));
            assert!(has_mac_line_breaks(without_lf, "t.csv").unwrap());
        }
    }

    #[test]
    fn parallel_load_of_a_large_table_matches_row_by_row() {
        let mut text = String::from("x,y,label\n");
        for row in 0..20_000 {
            let y = match row {
                12_345 => "late".to_string(),
                r if r % 97 == 0 => "NA".to_string(),
                r => format!("{}.{}", r / 7, r % 10),
            };
            text.push_str(&format!("{row},{y},{}\n", ["a", "b", "c"][row % 3]));
        }
        let options = LoadOptions::default();
        let expected = outcome(reference_load(text.as_bytes(), &options, &[]));
        for threads in [1, 2, 3] {
            let parallelism = Parallelism {
                chunk_bytes: 4096,
                threads,
            };
            let loaded = load_bytes_with(text.as_bytes(), "data.csv", &options, &[], parallelism);
            assert_eq!(outcome(loaded), expected);
        }
    }
}
