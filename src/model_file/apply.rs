//! Applying a saved model to a table: the schema check, predictions and their reasons.

use super::{ColumnKind, ModelFile};
use crate::data::{ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use crate::tree::explain::describe_encoded_path;
use crate::tree::Feature;

/// Categories listed per column in a warning before the list is shortened.
const LISTED_CATEGORIES: usize = 5;

/// The model's verdict on every row of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The predicted class index per row.
    pub classes: Vec<u32>,
    /// The 1-based number of the leaf each row reached, in node order (the `leaf_N` rule of
    /// the exported rule file).
    pub leaves: Vec<usize>,
    /// The conditions on each row's path, joined by `and`.
    pub reasons: Vec<String>,
    /// Categories the model never saw, and other things that did not stop the run.
    pub warnings: Vec<String>,
}

impl ModelFile {
    /// Fails unless `table` has every column of the schema with the same type.
    pub fn check_table(&self, table: &Table, data: &str, model: &str) -> Result<()> {
        for column in &self.schema {
            let Some(index) = table.column_index(&column.name) else {
                return Err(Error::model(format!(
                    "`{data}` does not fit the model `{model}`: it has no column `{}`, which \
                     the model was trained with.{} Give the data the model's columns, or \
                     train a model on this data.",
                    column.name,
                    did_you_mean(&column.name, table.column_names())
                )));
            };
            if let (ColumnKind::Numeric, ColumnData::Categorical { codes, levels }) =
                (column.kind, &table.columns[index].data)
            {
                // The loader reads a whole column as text once one value is not a number.
                let is_text =
                    |&c: &u32| c != MISSING_CODE && levels[c as usize].parse::<f64>().is_err();
                let row = codes
                    .iter()
                    .position(is_text)
                    .expect("a column read as text has a value that is not a number");
                return Err(Error::model(format!(
                    "`{data}` does not fit the model `{model}`: column `{}` contains text (`{}` \
                     on line {}), but the model was trained on numbers in it. Fix the value, \
                     or write NA to mark it missing.",
                    column.name, levels[codes[row] as usize], table.line_numbers[row]
                )));
            }
        }
        Ok(())
    }

    /// Predicts every row of `table`, which must have passed [`ModelFile::check_table`].
    pub fn apply(&self, table: &Table, data: &str) -> Applied {
        let encoder = self.encoder();
        let leaf_numbers: Vec<usize> = {
            let mut numbers = vec![0; self.tree.nodes.len()];
            for (n, leaf) in self.tree.leaves().enumerate() {
                numbers[leaf] = n + 1;
            }
            numbers
        };
        let mut applied = Applied {
            classes: Vec::with_capacity(table.n_rows()),
            leaves: Vec::with_capacity(table.n_rows()),
            reasons: Vec::with_capacity(table.n_rows()),
            warnings: self.unseen_categories(table, data),
        };
        let all_rows: Vec<usize> = (0..table.n_rows()).collect();
        let features = encoder.transform(table, &all_rows);
        for row in all_rows {
            let (conditions, leaf) =
                describe_encoded_path(&encoder, &self.tree, features.row(row), table, row);
            let crate::tree::Node::Leaf { class, .. } = self.tree.nodes[leaf] else {
                unreachable!("a path ends at a leaf");
            };
            applied.classes.push(class);
            applied.leaves.push(leaf_numbers[leaf]);
            applied.reasons.push(conditions.join(" and "));
        }
        applied
    }

    /// Builds one warning per categorical column with categories absent from the training rows.
    fn unseen_categories(&self, table: &Table, data: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        for column in self
            .schema
            .iter()
            .filter(|c| c.kind == ColumnKind::Categorical)
        {
            let known: Vec<&str> = self
                .preprocessing
                .features
                .iter()
                .filter_map(|f| match f {
                    Feature::Category {
                        column: c,
                        category,
                        ..
                    } if *c == column.name => Some(category.as_str()),
                    _ => None,
                })
                .collect();
            let index = table
                .column_index(&column.name)
                .expect("check_table found every column");
            let ColumnData::Categorical { codes, levels } = &table.columns[index].data else {
                continue;
            };
            let mut rows = vec![0usize; levels.len()];
            for &code in codes.iter().filter(|&&c| c != MISSING_CODE) {
                rows[code as usize] += 1;
            }
            let unseen: Vec<String> = levels
                .iter()
                .zip(&rows)
                .filter(|(level, &n)| n > 0 && !known.contains(&level.as_str()))
                .map(|(level, &n)| {
                    format!("`{level}` ({n} {})", if n == 1 { "row" } else { "rows" })
                })
                .collect();
            if unseen.is_empty() {
                continue;
            }
            let mut listed = unseen[..unseen.len().min(LISTED_CATEGORIES)].join(", ");
            if unseen.len() > LISTED_CATEGORIES {
                listed.push_str(&format!(" and {} more", unseen.len() - LISTED_CATEGORIES));
            }
            warnings.push(format!(
                "column `{}` of `{data}` contains categories the model never saw in training: \
                 {listed}. They match none of the model's categories, so every `!=` test on \
                 the column is true for them.",
                column.name
            ));
        }
        warnings
    }
}
