//! Reads a CSV file a chunk of rows at a time, so that memory does not grow with the file.
//!
//! The file is read twice. The first pass ([`StreamedFile::scan`]) types every column and
//! finds every error and warning that loading the whole table would, keeping only a summary
//! of each column. The second pass ([`StreamedFile::for_each_chunk`]) reads the rows again
//! with those types and hands them on a chunk at a time. Memory then grows only with the
//! number of distinct values in text columns.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::assemble::{CategorySummary, ColumnSummary, Keep};
use super::load::{Pass, READ_BUFFER_BYTES};
use super::options::LoadOptions;
use super::parallel::Parallelism;
use super::table::{Column, ColumnData, Table};
use crate::error::{Error, Result};

/// A data file to read in chunks. A pipe such as `<(zcat data.csv.gz)` can be read only
/// once, so its bytes are kept in memory.
pub struct StreamedFile<'a> {
    path: &'a Path,
    name: String,
    options: &'a LoadOptions,
    bytes: Option<Vec<u8>>,
}

/// What the first pass found: the columns, their types and categories, and the warnings.
#[derive(Debug, Clone)]
pub struct Scan {
    pub names: Vec<String>,
    pub summaries: Vec<ColumnSummary>,
    pub rows: usize,
    /// The loader's warnings, as loading the whole table gives them.
    pub warnings: Vec<String>,
}

impl Scan {
    /// A table with the file's columns and types and every category, but no rows: enough to
    /// bind rules or check a model's columns against.
    pub fn schema(&self) -> Table {
        let columns = self
            .names
            .iter()
            .zip(&self.summaries)
            .map(|(name, summary)| Column {
                name: name.clone(),
                data: match summary {
                    ColumnSummary::Numeric => ColumnData::Numeric(Vec::new()),
                    ColumnSummary::Categorical(summary) => ColumnData::Categorical {
                        codes: Vec::new(),
                        levels: summary.levels.clone(),
                    },
                },
            })
            .collect();
        Table {
            columns,
            line_numbers: Vec::new(),
        }
    }

    /// The categories of column `name`, when it holds text.
    pub fn categories(&self, name: &str) -> Option<&CategorySummary> {
        let index = self.names.iter().position(|n| n == name)?;
        match &self.summaries[index] {
            ColumnSummary::Categorical(summary) => Some(summary),
            ColumnSummary::Numeric => None,
        }
    }

    fn text_columns(&self) -> BTreeSet<String> {
        self.names
            .iter()
            .zip(&self.summaries)
            .filter(|(_, summary)| matches!(summary, ColumnSummary::Categorical(_)))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl<'a> StreamedFile<'a> {
    /// Opens `path`, reading it into memory when it is not a regular file.
    pub fn open(path: &'a Path, options: &'a LoadOptions) -> Result<Self> {
        let metadata = std::fs::metadata(path).map_err(|e| Error::io("read", path, &e))?;
        let bytes = if metadata.is_file() || metadata.is_dir() {
            None
        } else {
            Some(std::fs::read(path).map_err(|e| Error::io("read", path, &e))?)
        };
        Ok(StreamedFile {
            path,
            name: path.display().to_string(),
            options,
            bytes,
        })
    }

    /// Reads every row once to type the columns (`text_columns` are read as text) and to
    /// find what loading the whole table would report.
    pub fn scan(&self, text_columns: &[&str]) -> Result<Scan> {
        let open = self.opener();
        let pass = Pass::new(&open, &self.name, self.options, text_columns)?;
        let rows = pass.read(Keep::Summary, Parallelism::default(), None)?;
        Ok(Scan {
            warnings: pass.warnings(&rows),
            names: rows.names,
            summaries: rows.summaries,
            rows: rows.rows,
        })
    }

    /// Reads the rows again with the types `scan` found, handing each chunk of rows to
    /// `on_chunk` as a table in file order. Categories are numbered within each chunk.
    pub fn for_each_chunk(
        &self,
        scan: &Scan,
        on_chunk: &mut dyn FnMut(Table) -> Result<()>,
    ) -> Result<()> {
        let open = self.opener();
        let text = scan.text_columns();
        let text_names: Vec<&str> = text.iter().map(String::as_str).collect();
        let pass = Pass::new(&open, &self.name, self.options, &text_names)?;
        let streamed = pass.stream(&text, Parallelism::default(), on_chunk)?;
        if streamed.rows != scan.rows {
            return Err(Error::data(format!(
                "`{}` changed while rulebench read it: it had {} rows, now {}. Run the \
                 command again on a file that does not change.",
                self.name, scan.rows, streamed.rows
            )));
        }
        Ok(())
    }

    fn opener<'s>(&'s self) -> impl Fn() -> Result<Box<dyn BufRead + Send + 's>> + 's {
        move || -> Result<Box<dyn BufRead + Send + 's>> {
            match &self.bytes {
                Some(bytes) => Ok(Box::new(bytes.as_slice())),
                None => {
                    let file =
                        File::open(self.path).map_err(|e| Error::io("read", self.path, &e))?;
                    Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, file)))
                }
            }
        }
    }
}
