//! Readable conditions for a row's path through the tree, in the data's own units.

use super::encode::{Encoder, Feature};
use super::model::{DecisionTree, Step};
use crate::data::Table;

/// Describes one step of a path as a condition on the original column, such as
/// `age <= 9.5`, `sex == "female"` or `age is missing (treated as 28)`.
pub fn describe_step(encoder: &Encoder, step: &Step, table: &Table, row: usize) -> String {
    let feature = &encoder.features[step.feature];
    let missing = table
        .column_index(feature.column())
        .is_some_and(|c| table.columns[c].is_missing(row));
    match feature {
        Feature::Numeric { column, fill } => {
            let symbol = if step.went_left { "<=" } else { ">" };
            let condition = format!("{column} {symbol} {}", step.threshold);
            if missing {
                format!("{condition} ({column} is missing, treated as {fill})")
            } else {
                condition
            }
        }
        Feature::Category { column, category } => {
            // One-hot features are 0 or 1 and every threshold lies between, so going left
            // means the row does not have this category.
            if missing {
                format!("{column} is missing")
            } else if step.went_left {
                format!("{column} != {}", quote(category))
            } else {
                format!("{column} == {}", quote(category))
            }
        }
    }
}

/// The conditions a row meets on its way from the root to its leaf.
pub fn describe_path(
    encoder: &Encoder,
    tree: &DecisionTree,
    table: &Table,
    row: usize,
) -> Vec<String> {
    let features = encoder.transform(table, &[row]);
    tree.path(features.row(0))
        .iter()
        .map(|step| describe_step(encoder, step, table, row))
        .collect()
}

/// Quotes text as a rule-file string literal.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
