//! Reads a CSV file with a header row into a typed [`Table`].
//!
//! A column is numeric when every non-missing cell parses as a number, and categorical
//! otherwise. Cells are trimmed, and the markers in [`super::missing`] read as missing.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::missing::is_missing;
use super::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};

/// Reads `path`, typing columns from their values; columns named in `text_columns` are
/// read as categories even when every value is a number (a class label such as `0`/`1`).
pub fn load_csv(path: &Path, text_columns: &[&str]) -> Result<Table> {
    let mut forced_text: BTreeSet<String> = text_columns.iter().map(|s| s.to_string()).collect();
    loop {
        let attempt = read_once(path, &forced_text)?;
        // A column that turned out to hold text after numeric rows was read with those rows
        // lost; a second pass reads it as text from the first row.
        if attempt.late_text_columns.is_empty() {
            return Ok(attempt.table);
        }
        forced_text.extend(attempt.late_text_columns);
    }
}

struct Attempt {
    table: Table,
    late_text_columns: Vec<String>,
}

fn read_once(path: &Path, forced_text: &BTreeSet<String>) -> Result<Attempt> {
    let file = File::open(path).map_err(|e| Error::io("read", path, &e))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(BufReader::with_capacity(1 << 20, file));

    let names = read_header(&mut reader, path)?;
    let mut builders: Vec<ColumnBuilder> = names
        .iter()
        .map(|name| ColumnBuilder::new(forced_text.contains(name)))
        .collect();
    let mut late_text_columns = Vec::new();
    let mut line_numbers = Vec::new();
    let mut record = csv::StringRecord::new();

    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let line = record.position().map_or(0, |p| p.line());
        for (index, (builder, cell)) in builders.iter_mut().zip(record.iter()).enumerate() {
            if builder.push(cell.trim()) == Push::BecameText {
                late_text_columns.push(names[index].clone());
            }
        }
        line_numbers.push(line);
    }

    if line_numbers.is_empty() {
        return Err(Error::data(format!(
            "`{}` has a header but no data rows: add rows below the header line.",
            path.display()
        )));
    }
    let columns = names
        .into_iter()
        .zip(builders)
        .map(|(name, builder)| Column {
            name,
            data: builder.finish(),
        })
        .collect();
    Ok(Attempt {
        table: Table {
            columns,
            line_numbers,
        },
        late_text_columns,
    })
}

fn read_header<R: std::io::Read>(reader: &mut csv::Reader<R>, path: &Path) -> Result<Vec<String>> {
    let header = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
        return Err(Error::data(format!(
            "`{}` is empty: rulebench needs a header row naming the columns, then one row per \
             example.",
            path.display()
        )));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut names = Vec::with_capacity(header.len());
    for (index, raw) in header.iter().enumerate() {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Error::data(format!(
                "`{}` line 1: column {} has an empty name: give every column a name in the \
                 header row.",
                path.display(),
                index + 1
            )));
        }
        if let Some(first) = seen.insert(name, index) {
            return Err(Error::data(format!(
                "`{}` line 1: columns {} and {} are both named `{name}`: rename one of them.",
                path.display(),
                first + 1,
                index + 1
            )));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

fn csv_error(path: &Path, error: &csv::Error) -> Error {
    let file = path.display();
    match error.kind() {
        csv::ErrorKind::Io(io) => Error::io("read", path, io),
        csv::ErrorKind::Utf8 { pos, err } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            Error::data(format!(
                "`{file}` line {line}, field {}: the text is not valid UTF-8. Save the file \
                 as UTF-8 and try again.",
                err.field() + 1
            ))
        }
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            Error::data(format!(
                "`{file}` line {line}: found {len} fields, but the header has {expected_len}. \
                 Check for a delimiter inside an unquoted value or a missing delimiter."
            ))
        }
        _ => Error::data(format!("`{file}`: cannot parse the CSV data: {error}")),
    }
}

#[derive(PartialEq)]
enum Push {
    Stored,
    BecameText,
}

/// Collects one column's cells; starts numeric unless forced to text.
enum ColumnBuilder {
    Numeric(Vec<f64>),
    Text {
        codes: Vec<u32>,
        index: HashMap<String, u32>,
    },
}

impl ColumnBuilder {
    fn new(text: bool) -> Self {
        if text {
            ColumnBuilder::Text {
                codes: Vec::new(),
                index: HashMap::new(),
            }
        } else {
            ColumnBuilder::Numeric(Vec::new())
        }
    }

    fn push(&mut self, cell: &str) -> Push {
        match self {
            ColumnBuilder::Numeric(values) => {
                if is_missing(cell) {
                    values.push(f64::NAN);
                    return Push::Stored;
                }
                if let Ok(value) = cell.parse::<f64>() {
                    values.push(value);
                    return Push::Stored;
                }
                let seen_numbers = values.iter().any(|v| !v.is_nan());
                let mut codes = vec![MISSING_CODE; values.len()];
                let mut index = HashMap::new();
                index.insert(cell.to_string(), 0);
                codes.push(0);
                *self = ColumnBuilder::Text { codes, index };
                if seen_numbers {
                    Push::BecameText
                } else {
                    Push::Stored
                }
            }
            ColumnBuilder::Text { codes, index } => {
                if is_missing(cell) {
                    codes.push(MISSING_CODE);
                    return Push::Stored;
                }
                let next = index.len() as u32;
                let code = *index.entry(cell.to_string()).or_insert(next);
                codes.push(code);
                Push::Stored
            }
        }
    }

    /// Finishes the column; category levels are sorted so codes do not depend on row order.
    fn finish(self) -> ColumnData {
        match self {
            ColumnBuilder::Numeric(values) => ColumnData::Numeric(values),
            ColumnBuilder::Text { codes, index } => {
                let mut levels: Vec<(String, u32)> = index.into_iter().collect();
                levels.sort();
                let mut remap = vec![0u32; levels.len()];
                for (sorted, (_, old)) in levels.iter().enumerate() {
                    remap[*old as usize] = sorted as u32;
                }
                let codes = codes
                    .into_iter()
                    .map(|c| {
                        if c == MISSING_CODE {
                            c
                        } else {
                            remap[c as usize]
                        }
                    })
                    .collect();
                ColumnData::Categorical {
                    codes,
                    levels: levels.into_iter().map(|(level, _)| level).collect(),
                }
            }
        }
    }
}
