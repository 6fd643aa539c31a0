//! Checks on a loaded table that turn into clear errors before any model sees the data.

use super::labels::Labels;
use super::table::{ColumnData, Table};
use crate::error::{Error, Result};

/// Fails unless the labelled rows hold at least two classes, which both the split and the
/// comparison need.
pub fn require_two_classes(labels: &Labels, file: &str) -> Result<()> {
    let mut seen = vec![false; labels.n_classes()];
    for class in labels.rows.iter().flatten() {
        seen[*class as usize] = true;
    }
    match seen.iter().filter(|&&s| s).count() {
        0 => Err(Error::data(format!(
            "`{file}`: the target column `{}` has no values: fill in the class of each row",
            labels.column
        ))),
        1 => Err(Error::data(format!(
            "`{file}`: the target column `{}` holds only the class `{}`; a classifier needs at \
             least two classes to tell apart",
            labels.column,
            labels.classes[seen.iter().position(|&s| s).unwrap_or(0)]
        ))),
        _ => Ok(()),
    }
}

/// Fails on the first infinite value in the given numeric columns and rows, naming the file
/// line; a decision tree cannot split on infinity.
pub fn require_finite(table: &Table, columns: &[usize], rows: &[usize], file: &str) -> Result<()> {
    for &index in columns {
        let ColumnData::Numeric(values) = &table.columns[index].data else {
            continue;
        };
        if let Some(&row) = rows.iter().find(|&&r| values[r].is_infinite()) {
            return Err(Error::data(format!(
                "`{file}` line {}, column `{}`: the value is {}, and the decision tree needs \
                 finite numbers. Replace it, or write NA to mark it missing.",
                table.line_numbers[row], table.columns[index].name, values[row]
            )));
        }
    }
    Ok(())
}
