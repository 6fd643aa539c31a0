//! Readable conditions for a row's path through the tree, in the data's own units.

use ndarray::ArrayView1;

use super::encode::{Encoder, Feature};
use super::export::{column_ref, number, quote};
use super::model::{DecisionTree, Step};
use crate::data::Table;

/// Describes one step of a path as a condition on the original column, such as
/// `age <= 9.5`, `sex == "female"` or `age <= 30.5 (age is missing, treated as 28)`.
pub fn describe_step(encoder: &Encoder, step: &Step, table: &Table, row: usize) -> String {
    let feature = &encoder.features[step.feature];
    let missing = table
        .column_index(feature.column())
        .is_some_and(|c| table.columns[c].is_missing(row));
    let column = column_ref(feature.column());
    match feature {
        Feature::Numeric { fill, .. } => {
            let symbol = if step.went_left { "<=" } else { ">" };
            let condition = format!("{column} {symbol} {}", number(step.threshold));
            if missing {
                format!(
                    "{condition} ({column} is missing, treated as {})",
                    number(*fill)
                )
            } else {
                condition
            }
        }
        Feature::Category {
            category,
            includes_missing,
            ..
        } => {
            // One-hot features are 0 or 1 and every threshold lies between, so going left
            // means the row does not have this category.
            match (missing, step.went_left) {
                (true, _) if *includes_missing => {
                    format!("{column} is missing (treated as {})", quote(category))
                }
                (true, _) => format!("{column} is missing"),
                (false, true) => format!("{column} != {}", quote(category)),
                (false, false) => format!("{column} == {}", quote(category)),
            }
        }
        Feature::Missing { .. } => {
            if step.went_left {
                format!("{column} is not missing")
            } else {
                format!("{column} is missing")
            }
        }
    }
}

/// Describes the conditions a row meets on its way from the root to its leaf, and returns
/// them with the leaf.
pub fn describe_path(
    encoder: &Encoder,
    tree: &DecisionTree,
    table: &Table,
    row: usize,
) -> (Vec<String>, usize) {
    let features = encoder.transform(table, &[row]);
    describe_encoded_path(encoder, tree, features.row(0), table, row)
}

/// [`describe_path`] for a row whose features are already computed.
pub fn describe_encoded_path(
    encoder: &Encoder,
    tree: &DecisionTree,
    features: ArrayView1<f64>,
    table: &Table,
    row: usize,
) -> (Vec<String>, usize) {
    let conditions = tree
        .path(features)
        .iter()
        .map(|step| describe_step(encoder, step, table, row))
        .collect();
    (conditions, tree.leaf_of(features))
}
