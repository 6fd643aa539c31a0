//! Joins parsed chunks, in file order, into the columns of a table, or into a summary of
//! each column that does not keep the rows.
//!
//! A chunk is parsed with each column in the state the chunks before it left it. Workers
//! parse ahead with the state known when they started, so a chunk can meet a column that
//! turned to text, or took a decimal mark, after its state was taken. Where that changes the
//! chunk's values or the error it finds, the chunk is parsed again from the right state.
//! So the result is the same as reading the rows one by one, on any number of threads.

use std::collections::{BTreeSet, HashMap};

use super::builder::{sorted_categories, BuiltColumn, ColumnState};
use super::chunks::Chunk;
use super::fields::{column_names, unclosed_quote_error, ColumnRef, Place};
use super::load::{empty_file_error, read_record};
use super::options::Delimiter;
use super::parallel::{ParsedChunk, Sink, Start};
use super::parse::{parse_rows, ParsedRows, Setup};
use super::records::{Next, Records};
use super::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};

/// Whether the assembler keeps every row, only a summary of each column, or hands each
/// chunk's rows on as a table of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Rows,
    Summary,
    Chunks,
}

/// Receives the rows of each chunk, in file order, as a table.
pub type ChunkHandler<'a> = dyn FnMut(Table) -> Result<()> + 'a;

/// The categories of a text column with how often each occurs and where it first does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySummary {
    /// The categories in sorted order.
    pub levels: Vec<String>,
    /// The rows with each category.
    pub counts: Vec<usize>,
    /// The file line where each category first occurs.
    pub first_lines: Vec<u64>,
}

impl CategorySummary {
    /// Summarises a categorical column of a table.
    pub fn of(codes: &[u32], levels: &[String], line_numbers: &[u64]) -> CategorySummary {
        let mut counts = vec![0usize; levels.len()];
        let mut first_lines = vec![u64::MAX; levels.len()];
        for (&code, &line) in codes.iter().zip(line_numbers) {
            if code != MISSING_CODE {
                counts[code as usize] += 1;
                first_lines[code as usize] = first_lines[code as usize].min(line);
            }
        }
        CategorySummary {
            levels: levels.to_vec(),
            counts,
            first_lines,
        }
    }
}

/// A column as a summary: numbers, or categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnSummary {
    Numeric,
    Categorical(CategorySummary),
}

/// One pass over the rows: the table (or the summary), and what the pass found out.
#[derive(Debug)]
pub struct Assembled {
    pub names: Vec<String>,
    /// Every row, with [`Keep::Rows`].
    pub table: Option<Table>,
    pub summaries: Vec<ColumnSummary>,
    pub rows: usize,
    /// Columns that turned to text after numbers in earlier rows, which lost their text;
    /// another pass must read them as text from the first row.
    pub late_text_columns: Vec<String>,
    /// Numeric columns with a decimal comma.
    pub comma_columns: Vec<String>,
}

/// Builds a table (or summaries) from parsed chunks; a [`Sink`] for
/// [`super::parallel::parse_in_parallel`].
pub struct Assembler<'a> {
    file: &'a str,
    delimiter: Delimiter,
    lines_before: u64,
    allow_comma: bool,
    forced_text: &'a BTreeSet<String>,
    keep: Keep,
    names: Vec<String>,
    states: Vec<ColumnState>,
    /// Whether each column held a number in the rows so far.
    seen_number: Vec<bool>,
    columns: Vec<Merged>,
    line_numbers: Vec<u64>,
    rows: usize,
    late_text: Vec<usize>,
    /// The receiver of each chunk's rows, with [`Keep::Chunks`].
    on_chunk: Option<&'a mut ChunkHandler<'a>>,
    /// The size of the input in bytes, when known.
    input_bytes: Option<u64>,
}

/// One column of the rows so far.
enum Merged {
    /// The values, with [`Keep::Rows`]; empty otherwise.
    Numeric(Vec<f64>),
    Text(TextColumn),
}

#[derive(Default)]
struct TextColumn {
    /// The codes, with [`Keep::Rows`]; empty otherwise.
    codes: Vec<u32>,
    /// The categories in order of first appearance.
    levels: Vec<String>,
    index: HashMap<String, u32>,
    counts: Vec<usize>,
    first_lines: Vec<u64>,
}

impl<'a> Assembler<'a> {
    pub fn new(
        file: &'a str,
        delimiter: Delimiter,
        lines_before: u64,
        allow_comma: bool,
        forced_text: &'a BTreeSet<String>,
        keep: Keep,
    ) -> Self {
        Assembler {
            file,
            delimiter,
            lines_before,
            allow_comma,
            forced_text,
            keep,
            names: Vec::new(),
            states: Vec::new(),
            seen_number: Vec::new(),
            columns: Vec::new(),
            line_numbers: Vec::new(),
            rows: 0,
            late_text: Vec::new(),
            on_chunk: None,
            input_bytes: None,
        }
    }

    /// Sets the size of the input; with the first chunk's rows it gives the number of rows
    /// to make room for.
    pub fn expecting(mut self, input_bytes: Option<u64>) -> Self {
        self.input_bytes = input_bytes;
        self
    }

    /// Makes room in every column for the rows that the input's size and the density of the
    /// first chunk's rows promise, with a little to spare.
    fn reserve_expected_rows(&mut self, chunk_bytes: usize, rows: usize) {
        let Some(input_bytes) = self.input_bytes else {
            return;
        };
        if chunk_bytes == 0 || rows == 0 {
            return;
        }
        // A row has at least one byte per column: its delimiters and its line break.
        let max_rows = input_bytes / self.names.len().max(1) as u64;
        let expected = (input_bytes as f64 * rows as f64 / chunk_bytes as f64 * 1.02) as u64 + 64;
        let expected = usize::try_from(expected.min(max_rows)).unwrap_or(usize::MAX);
        for column in &mut self.columns {
            match column {
                Merged::Numeric(values) => reserve_expected(values, expected),
                Merged::Text(text) => reserve_expected(&mut text.codes, expected),
            }
        }
        reserve_expected(&mut self.line_numbers, expected);
    }

    /// Hands each chunk's rows to `on_chunk` instead of keeping them. Every column keeps
    /// the type it starts with, so the forced text columns must be all the text columns
    /// of the file, as a pass with [`Keep::Summary`] found them.
    pub fn handing_on(mut self, on_chunk: &'a mut ChunkHandler<'a>) -> Self {
        self.keep = Keep::Chunks;
        self.on_chunk = Some(on_chunk);
        self
    }

    /// Passes the rows of one chunk on as a table.
    fn hand_on(&mut self, rows: ParsedRows) -> Result<()> {
        let count = rows.line_numbers.len();
        let mut columns = Vec::with_capacity(rows.columns.len());
        for ((name, state), built) in self.names.iter().zip(&self.states).zip(rows.columns) {
            let data = match (built, state.text) {
                (BuiltColumn::Numeric { values, .. }, false) => ColumnData::Numeric(values),
                (
                    BuiltColumn::Text {
                        codes,
                        levels,
                        switched: None,
                    },
                    true,
                ) => sorted_categories(codes, levels),
                _ => {
                    return Err(Error::data(format!(
                        "`{}` changed while rulebench read it: column `{name}` holds text now \
                         where it held only numbers before. Run the command again on a file \
                         that does not change.",
                        self.file
                    )))
                }
            };
            columns.push(Column {
                name: name.clone(),
                data,
            });
        }
        self.rows += count;
        let table = Table {
            columns,
            line_numbers: rows.line_numbers,
        };
        (self.on_chunk.as_mut().expect("set with Keep::Chunks"))(table)
    }

    /// True when `rows`, parsed from the column states `parsed_from`, may differ from a parse
    /// from the current states. It may have lost the text of numbers in a column that is
    /// text by now, or missed a clash of decimal marks with earlier chunks. Or it stopped at
    /// an error that the current states explain away.
    fn needs_second_parse(&self, rows: &ParsedRows, parsed_from: &[ColumnState]) -> bool {
        if rows.error.is_some() && parsed_from != self.states.as_slice() {
            return true;
        }
        self.states.iter().zip(&rows.columns).any(|(state, built)| {
            let (had_values, marks) = match built {
                BuiltColumn::Numeric {
                    has_values,
                    first_point,
                    first_comma,
                    ..
                } => (*has_values, (*first_point, *first_comma)),
                BuiltColumn::Text {
                    switched: Some(switch),
                    ..
                } => (switch.had_values, (switch.first_point, switch.first_comma)),
                BuiltColumn::Text { switched: None, .. } => (false, (None, None)),
            };
            if state.text {
                return had_values;
            }
            let point = state.first_point.or(marks.0);
            let comma = state.first_comma.or(marks.1);
            point.is_some() && comma.is_some()
        })
    }

    /// Adds the rows of one chunk, which needs no second parse.
    fn append(&mut self, rows: &ParsedRows) {
        let keep_rows = self.keep == Keep::Rows;
        let count = rows.line_numbers.len();
        for (index, built) in rows.columns.iter().enumerate() {
            let state = &mut self.states[index];
            match built {
                BuiltColumn::Numeric {
                    values,
                    first_point,
                    first_comma,
                    has_numbers,
                    ..
                } => match &mut self.columns[index] {
                    Merged::Numeric(merged) => {
                        if keep_rows {
                            merged.extend_from_slice(values);
                        }
                        state.first_point = state.first_point.or(*first_point);
                        state.first_comma = state.first_comma.or(*first_comma);
                        self.seen_number[index] |= *has_numbers;
                    }
                    // Every cell is missing, or the chunk would have been parsed again.
                    Merged::Text(text) => {
                        if keep_rows {
                            text.codes.extend(std::iter::repeat_n(MISSING_CODE, count));
                        }
                    }
                },
                BuiltColumn::Text {
                    codes,
                    levels,
                    switched,
                    ..
                } => {
                    if let Merged::Numeric(_) = self.columns[index] {
                        let had_numbers = switched.is_some_and(|switch| switch.had_numbers);
                        let late = had_numbers || self.seen_number[index];
                        if late {
                            self.late_text.push(index);
                        }
                        state.text = true;
                        let mut text = TextColumn::default();
                        if keep_rows {
                            text.codes = vec![MISSING_CODE; self.rows];
                        }
                        self.columns[index] = Merged::Text(text);
                    }
                    let Merged::Text(text) = &mut self.columns[index] else {
                        unreachable!("the column was made text above");
                    };
                    text.append(codes, levels, &rows.line_numbers, keep_rows);
                }
            }
        }
        if keep_rows {
            self.line_numbers.extend_from_slice(&rows.line_numbers);
        }
        self.rows += count;
    }

    /// Finishes the pass.
    pub fn finish(self) -> Result<Assembled> {
        if self.rows == 0 {
            return Err(Error::data(format!(
                "`{}` has a header but no data rows: add rows below the header line.",
                self.file
            )));
        }
        let comma_columns = self
            .names
            .iter()
            .zip(&self.states)
            .filter(|(_, state)| !state.text && state.first_comma.is_some())
            .map(|(name, _)| name.clone())
            .collect();
        let late_text_columns = self
            .late_text
            .iter()
            .map(|&c| self.names[c].clone())
            .collect();
        let mut summaries = Vec::with_capacity(self.columns.len());
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, merged) in self.names.iter().zip(self.columns) {
            match merged {
                Merged::Numeric(values) => {
                    summaries.push(ColumnSummary::Numeric);
                    columns.push(Column {
                        name: name.clone(),
                        data: ColumnData::Numeric(values),
                    });
                }
                Merged::Text(text) => {
                    let (summary, data) = text.finish();
                    summaries.push(ColumnSummary::Categorical(summary));
                    columns.push(Column {
                        name: name.clone(),
                        data,
                    });
                }
            }
        }
        let table = (self.keep == Keep::Rows).then_some(Table {
            columns,
            line_numbers: self.line_numbers,
        });
        Ok(Assembled {
            names: self.names,
            table,
            summaries,
            rows: self.rows,
            late_text_columns,
            comma_columns,
        })
    }
}

impl Sink for Assembler<'_> {
    fn start(&mut self, first: &Chunk) -> Result<Start> {
        let file = self.file;
        let mut records = Records::new(&first.bytes[..], self.delimiter.byte());
        let mut record = csv::ByteRecord::new();
        let line_offset = self.lines_before + first.first_line - 1;
        let place = |line: u64| Place {
            file,
            line: line + line_offset,
        };
        // Blank lines above the header are passed over.
        let names = match read_record(&mut records, &mut record, true, file)? {
            Next::End => return Err(empty_file_error(file)),
            Next::Unclosed { line, last_line } => {
                let column = ColumnRef::Position(record.len());
                return Err(unclosed_quote_error(
                    place(line),
                    column,
                    last_line + line_offset,
                ));
            }
            Next::Record { line } => column_names(&record, place(line), self.delimiter)?,
        };
        let (byte, line) = records.position();
        self.states = names
            .iter()
            .map(|name| ColumnState {
                text: self.forced_text.contains(name),
                ..ColumnState::default()
            })
            .collect();
        self.seen_number = vec![false; names.len()];
        self.columns = self
            .states
            .iter()
            .map(|state| match state.text {
                true => Merged::Text(TextColumn::default()),
                false => Merged::Numeric(Vec::new()),
            })
            .collect();
        self.names = names.clone();
        Ok(Start {
            setup: Setup {
                file: file.to_string(),
                names,
                delimiter: self.delimiter,
                lines_before: self.lines_before,
                allow_comma: self.allow_comma,
            },
            // The parser appends two line breaks to the input, so a header on the last line
            // ends past it.
            offset: (byte as usize).min(first.bytes.len()),
            first_line: first.first_line + line - 1,
        })
    }

    fn states(&self) -> Vec<ColumnState> {
        self.states.clone()
    }

    fn take(&mut self, setup: &Setup, parsed: ParsedChunk) -> Result<Vec<u8>> {
        let mut rows = parsed.rows;
        if self.needs_second_parse(&rows, &parsed.states) {
            let bytes = &parsed.chunk.bytes[parsed.start..];
            let line_breaks = parsed.chunk.line_breaks;
            rows = parse_rows(setup, bytes, parsed.first_line, line_breaks, &self.states);
            debug_assert!(!self.needs_second_parse(&rows, &self.states));
        }
        if let Some(error) = rows.error {
            return Err(error);
        }
        if self.keep == Keep::Chunks {
            self.hand_on(rows)?;
        } else {
            if self.keep == Keep::Rows && self.rows == 0 {
                let chunk_bytes = parsed.chunk.bytes.len() - parsed.start;
                self.reserve_expected_rows(chunk_bytes, rows.line_numbers.len());
            }
            self.append(&rows);
        }
        Ok(parsed.chunk.bytes)
    }

    fn empty(&mut self) -> Result<()> {
        Err(empty_file_error(self.file))
    }
}

/// Makes room for `rows` items in all, so that the column is allocated once instead of
/// growing by doubling. When memory is short, no room is taken and the column grows as it
/// fills.
fn reserve_expected<T>(column: &mut Vec<T>, rows: usize) {
    let _ = column.try_reserve_exact(rows.saturating_sub(column.len()));
}

impl TextColumn {
    /// Adds a chunk's codes, which index `levels`; `lines` are the rows' file lines.
    fn append(&mut self, codes: &[u32], levels: &[String], lines: &[u64], keep_rows: bool) {
        let remap: Vec<u32> = levels
            .iter()
            .map(|level| match self.index.get(level) {
                Some(&code) => code,
                None => {
                    let code = self.levels.len() as u32;
                    self.levels.push(level.clone());
                    self.index.insert(level.clone(), code);
                    self.counts.push(0);
                    self.first_lines.push(u64::MAX);
                    code
                }
            })
            .collect();
        if keep_rows {
            self.codes.reserve(codes.len());
        }
        for (&code, &line) in codes.iter().zip(lines) {
            let code = if code == MISSING_CODE {
                MISSING_CODE
            } else {
                let merged = remap[code as usize];
                self.counts[merged as usize] += 1;
                if self.first_lines[merged as usize] == u64::MAX {
                    self.first_lines[merged as usize] = line;
                }
                merged
            };
            if keep_rows {
                self.codes.push(code);
            }
        }
    }

    /// Sorts the categories; returns the summary and the column's data.
    fn finish(self) -> (CategorySummary, ColumnData) {
        let mut order: Vec<usize> = (0..self.levels.len()).collect();
        order.sort_unstable_by(|&a, &b| self.levels[a].cmp(&self.levels[b]));
        let summary = CategorySummary {
            levels: order.iter().map(|&i| self.levels[i].clone()).collect(),
            counts: order.iter().map(|&i| self.counts[i]).collect(),
            first_lines: order.iter().map(|&i| self.first_lines[i]).collect(),
        };
        (summary, sorted_categories(self.codes, self.levels))
    }
}
