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
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::builder::{ColumnBuilder, Push};
use super::fields::{
    column_names, field_count_error, field_text, unclosed_quote_error, ColumnRef, Place,
};
use super::numbers::DecimalMark;
use super::options::{shell_word, Delimiter, LoadOptions};
use super::preamble::skip_preamble;
use super::records::{LineBreaks, Next, Records};
use super::review::review_loaded_columns;
use super::sniff::{detect_delimiter, find_notes_above_header, read_sample, NotesAbove};
use super::table::{Column, Table};
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;

/// A loaded table and the warnings about it that did not stop the loading.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub table: Table,
    pub warnings: Vec<String>,
}

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
    let open = || -> Result<Box<dyn BufRead>> {
        let file = File::open(path).map_err(|e| Error::io("read", path, &e))?;
        Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
    };
    load(&open, &path.display().to_string(), options, text_columns)
}

/// Reads CSV data held in memory; `name` stands for the file in messages.
pub fn load_table_from_bytes(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
    text_columns: &[&str],
) -> Result<Loaded> {
    let open = || -> Result<Box<dyn BufRead + '_>> { Ok(Box::new(bytes)) };
    load(&open, name, options, text_columns)
}

/// Opens the data afresh. The loader opens it up to four times: for the first bytes, for a
/// sample to detect the layout, for the rows, and for the rows again when a column turns out
/// to hold text late.
type Open<'a> = dyn Fn() -> Result<Box<dyn BufRead + 'a>> + 'a;

fn load(open: &Open, file: &str, options: &LoadOptions, text_columns: &[&str]) -> Result<Loaded> {
    let mac_line_breaks = has_mac_line_breaks(open()?, file)?;
    let open_text = || -> Result<Box<dyn BufRead + '_>> {
        let input = LineBreaks::new(open()?, mac_line_breaks);
        Ok(Box::new(BufReader::with_capacity(1 << 20, input)))
    };
    let open = &open_text;
    let layout = Layout::detect(open, file, options)?;
    let mut requested_text: BTreeSet<String> = text_columns.iter().map(|s| s.to_string()).collect();
    requested_text.extend(options.categorical.iter().cloned());
    let mut forced_text = requested_text.clone();
    let rows = loop {
        let rows = read_rows(open()?, file, &layout, &forced_text)?;
        // A column that turned out to hold text after numeric rows lost the text of those
        // rows, so another pass reads it as text from the first row.
        if rows.late_text_columns.is_empty() {
            break rows;
        }
        forced_text.extend(rows.late_text_columns);
    };
    check_categorical_names(&options.categorical, &rows.table, file)?;

    let mut warnings = Vec::new();
    if layout.decimal_comma == DecimalComma::Detect && !rows.comma_columns.is_empty() {
        warnings.push(decimal_comma_warning(file, &rows.comma_columns));
    }
    warnings.extend(review_loaded_columns(
        &rows.table,
        &requested_text,
        layout.decimal_comma != DecimalComma::Off,
        file,
    ));
    Ok(Loaded {
        table: rows.table,
        warnings,
    })
}

/// True when the start of the file has `\r` line breaks but no `\n`, as classic Mac OS
/// and Excel's "CSV (Macintosh)" write them.
fn has_mac_line_breaks(mut input: Box<dyn BufRead + '_>, file: &str) -> Result<bool> {
    let start = input
        .fill_buf()
        .map_err(|e| Error::io("read", Path::new(file), &e))?;
    Ok(start.contains(&b'\r') && !start.contains(&b'\n'))
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
    fn detect(open: &Open, file: &str, options: &LoadOptions) -> Result<Layout> {
        let mut input = open()?;
        let preamble = skip_preamble(&mut *input, file, options.skip_lines)?;
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

/// One pass over the rows.
struct Rows {
    table: Table,
    late_text_columns: Vec<String>,
    comma_columns: Vec<String>,
}

/// Reads the header and every row from `input` into typed columns.
fn read_rows(
    mut input: Box<dyn BufRead + '_>,
    file: &str,
    layout: &Layout,
    forced_text: &BTreeSet<String>,
) -> Result<Rows> {
    let preamble = skip_preamble(&mut *input, file, layout.skip_lines)?;
    let lines_before = preamble.lines_before_header;
    let delimiter = layout.delimiter;
    let mut records = Records::new(input, delimiter.byte());
    let mut record = csv::ByteRecord::new();
    let place = |line: u64| Place {
        file,
        line: line + lines_before,
    };

    // Blank lines above the header are passed over.
    let names = match read_record(&mut records, &mut record, true, file)? {
        Next::End => return Err(empty_file_error(file)),
        Next::Unclosed { line, last_line } => {
            let column = ColumnRef::Position(record.len());
            let error = unclosed_quote_error(place(line), column, last_line + lines_before);
            return Err(error);
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

    // A blank line is no row in a file with several columns; with one column, it is a row
    // whose value is missing.
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
            match builders[index].push(cell) {
                Push::Stored => {}
                Push::BecameText => late_text_columns.push(names[index].clone()),
                Push::OutOfRange => return Err(out_of_range_error(place, column, cell)),
                Push::MixedDecimalMarks { other_row, other } => {
                    let other_line = line_numbers[other_row];
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
    Ok(finish_rows(
        names,
        builders,
        line_numbers,
        late_text_columns,
    ))
}

fn finish_rows(
    names: Vec<String>,
    builders: Vec<ColumnBuilder>,
    line_numbers: Vec<u64>,
    late_text_columns: Vec<String>,
) -> Rows {
    let comma_columns = names
        .iter()
        .zip(&builders)
        .filter(|(_, builder)| builder.uses_decimal_comma())
        .map(|(name, _)| name.clone())
        .collect();
    let columns = names
        .into_iter()
        .zip(builders)
        .map(|(name, builder)| Column {
            name,
            data: builder.finish(),
        })
        .collect();
    Rows {
        table: Table {
            columns,
            line_numbers,
        },
        late_text_columns,
        comma_columns,
    }
}

fn read_record(
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

fn empty_file_error(file: &str) -> Error {
    Error::data(format!(
        "`{file}` is empty: rulebench needs a header row naming the columns, then one row per \
         example."
    ))
}

fn out_of_range_error(place: Place, column: ColumnRef, cell: &str) -> Error {
    Error::data(format!(
        "`{}` line {}, {column}: `{cell}` is beyond the range of 64-bit floating-point numbers \
         (about ±1.8e308). Fix the value, or write NA to mark it missing.",
        place.file, place.line
    ))
}

/// Builds the error for a cell whose decimal mark differs from the one `other` used on its
/// line.
fn mixed_marks_error(place: Place, column: &str, cell: &str, other: (u64, DecimalMark)) -> Error {
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
fn check_categorical_names(categorical: &[String], table: &Table, file: &str) -> Result<()> {
    for name in categorical {
        if table.column_index(name).is_none() {
            return Err(Error::data(format!(
                "--categorical `{name}`: `{file}` has no column of that name.{}",
                did_you_mean(name, table.column_names())
            )));
        }
    }
    Ok(())
}
