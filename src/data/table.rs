//! The in-memory table: typed columns, stored column by column.

use serde::Serialize;

/// The code of a missing value in a categorical column.
pub const MISSING_CODE: u32 = u32::MAX;

/// The values of one column. Numeric columns store a missing value as NaN; categorical
/// columns store an index into `levels` per row, or [`MISSING_CODE`].
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Numeric(Vec<f64>),
    Categorical {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

/// Whether a column holds numbers or text categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Numeric,
    Categorical,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
}

impl Column {
    pub fn column_type(&self) -> ColumnType {
        match self.data {
            ColumnData::Numeric(_) => ColumnType::Numeric,
            ColumnData::Categorical { .. } => ColumnType::Categorical,
        }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(values) => values.len(),
            ColumnData::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the value in `row` is missing.
    pub fn is_missing(&self, row: usize) -> bool {
        match &self.data {
            ColumnData::Numeric(values) => values[row].is_nan(),
            ColumnData::Categorical { codes, .. } => codes[row] == MISSING_CODE,
        }
    }

    /// The value in `row` as text, as a user would write it; `None` when missing.
    pub fn display_value(&self, row: usize) -> Option<String> {
        match &self.data {
            ColumnData::Numeric(values) if values[row].is_nan() => None,
            ColumnData::Numeric(values) => Some(values[row].to_string()),
            ColumnData::Categorical { codes, levels } => levels.get(codes[row] as usize).cloned(),
        }
    }
}

/// A loaded data file. `line_numbers[i]` is the line of the file that row `i` came from,
/// so messages and reports can point back into the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub line_numbers: Vec<u64>,
}

impl Table {
    pub fn n_rows(&self) -> usize {
        self.line_numbers.len()
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }
}
