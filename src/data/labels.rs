//! The target column: the class of each row.

use super::options::Delimiter;
use super::table::{ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;

/// The classes of the target column in sorted order, which is also the fixed order used
/// to break ties, and each row's class index (`None` where the label is missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub column: String,
    pub classes: Vec<String>,
    pub rows: Vec<Option<u32>>,
}

impl Labels {
    /// Reads the labels from the column named `target`, which the loader must have read as
    /// categorical.
    pub fn from_table(table: &Table, target: &str, file: &str) -> Result<Labels> {
        let Some(index) = table.column_index(target) else {
            return Err(Error::data(format!(
                "`{file}` has no column `{target}` to use as the target.{} The columns are: \
                 {}.{}",
                did_you_mean(target, table.column_names()),
                quoted_list(table.column_names()),
                delimiter_hint(table)
            )));
        };
        let ColumnData::Categorical { codes, levels } = &table.columns[index].data else {
            unreachable!("the loader reads the target column as text");
        };
        let rows = codes
            .iter()
            .map(|&c| (c != MISSING_CODE).then_some(c))
            .collect();
        Ok(Labels {
            column: target.to_string(),
            classes: levels.clone(),
            rows,
        })
    }

    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    pub fn class_index(&self, name: &str) -> Option<u32> {
        self.classes
            .iter()
            .position(|c| c == name)
            .map(|i| i as u32)
    }

    /// Number of rows whose label is missing.
    pub fn n_missing(&self) -> usize {
        self.rows.iter().filter(|r| r.is_none()).count()
    }
}

/// A hint for a table read with the wrong delimiter: one column whose name holds one of the
/// usual delimiters. Empty for any other table; otherwise a sentence after a space.
pub fn delimiter_hint(table: &Table) -> String {
    delimiter_hint_for(&table.column_names().collect::<Vec<_>>())
}

/// Builds the [`delimiter_hint`] for a header of `names`.
pub fn delimiter_hint_for(names: &[&str]) -> String {
    let [name] = names else {
        return String::new();
    };
    let Some(delimiter) = [';', '\t', '|', ',']
        .into_iter()
        .find(|&d| name.contains(d))
    else {
        return String::new();
    };
    let flag = if delimiter == '\t' {
        "tab".to_string()
    } else {
        format!("'{delimiter}'")
    };
    format!(" The header has one column only: if the fields are separated by {}, pass --delimiter {flag}.", Delimiter::new(delimiter as u8).expect("a usual delimiter"))
}

/// Formats names as a comma-separated list in backquotes, shortened after 12 names.
pub fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let mut shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    if names.len() > 12 {
        shown.push(format!("and {} more", names.len() - 12));
    }
    shown.join(", ")
}
