//! Applying a saved model to a table: the schema check, predictions and their reasons.

use std::collections::BTreeSet;

use super::{ColumnKind, ModelFile};
use crate::data::assemble::ColumnSummary;
use crate::data::labels::delimiter_hint_for;
use crate::data::{Column, ColumnData, Scan, Table, MISSING_CODE};
use crate::error::{Error, Result};
use crate::suggest::did_you_mean;
use crate::tree::explain::describe_encoded_path;
use crate::tree::{Feature, Node};

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
}

impl ModelFile {
    /// Names the columns that some split of the tree reads.
    pub fn used_columns(&self) -> BTreeSet<&str> {
        self.tree
            .nodes
            .iter()
            .filter_map(|node| match node {
                Node::Split { feature, .. } => Some(self.preprocessing.features[*feature].column()),
                Node::Leaf { .. } => None,
            })
            .collect()
    }

    /// Checks the data `scan` found against the schema. A column the tree's splits read must
    /// be there with the same type. A column the tree never reads may be absent, or hold
    /// text where the model saw numbers: it is read as missing, with a warning, since it
    /// cannot change a prediction. Returns those warnings.
    pub fn check_columns(&self, scan: &Scan, data: &str, model: &str) -> Result<Vec<String>> {
        let used = self.used_columns();
        let mut unread = Vec::new();
        for column in &self.schema {
            let needed = used.contains(column.name.as_str());
            let Some(index) = scan.names.iter().position(|n| *n == column.name) else {
                if !needed {
                    unread.push(format!("`{}` is absent", column.name));
                    continue;
                }
                let names: Vec<&str> = scan.names.iter().map(String::as_str).collect();
                let hint = delimiter_hint_for(&names);
                if !hint.is_empty() {
                    return Err(Error::model(format!(
                        "`{data}` does not fit the model `{model}`: it has no column `{}`, \
                         which the tree splits on.{hint}",
                        column.name
                    )));
                }
                return Err(Error::model(format!(
                    "`{data}` does not fit the model `{model}`: it has no column `{}`, which \
                     the tree splits on.{} Give the data the model's columns, or train a model \
                     on this data.",
                    column.name,
                    did_you_mean(&column.name, names.iter().copied())
                )));
            };
            if let (ColumnKind::Numeric, ColumnSummary::Categorical(summary)) =
                (column.kind, &scan.summaries[index])
            {
                if !needed {
                    unread.push(format!("`{}` is read as text", column.name));
                    continue;
                }
                // The loader reads a whole column as text once one value is not a number;
                // the first such value in the file is the one to show.
                let first_text = summary
                    .levels
                    .iter()
                    .zip(&summary.first_lines)
                    .filter(|(level, _)| level.parse::<f64>().is_err())
                    .map(|(level, &line)| (line, level))
                    .min();
                let Some((line, text)) = first_text else {
                    // Every value is a number: --categorical asked for text.
                    return Err(Error::model(format!(
                        "`{data}` does not fit the model `{model}`: column `{}` is read as \
                         categories because --categorical names it, but the model was trained \
                         on numbers in it. Leave it out of --categorical.",
                        column.name
                    )));
                };
                return Err(Error::model(format!(
                    "`{data}` does not fit the model `{model}`: column `{}` contains text (`{text}` \
                     on line {line}), but the model was trained on numbers in it. Fix the value, \
                     or write NA to mark it missing.",
                    column.name
                )));
            }
        }
        if unread.is_empty() {
            return Ok(Vec::new());
        }
        let (these, are) = match unread.len() {
            1 => ("this column", "it is"),
            _ => ("these columns", "they are"),
        };
        Ok(vec![format!(
            "in `{data}`, {}: the model's tree never splits on {these}, so {are} read as \
             missing and no prediction changes",
            unread.join(", ")
        )])
    }

    /// Returns `table` with a column of missing values in place of every schema column the
    /// tree never reads that is absent or of another type, as [`ModelFile::check_columns`]
    /// allows.
    pub fn fill_unread_columns(&self, table: &Table) -> Option<Table> {
        let used = self.used_columns();
        let mut filled: Option<Table> = None;
        for column in &self.schema {
            if used.contains(column.name.as_str()) {
                continue;
            }
            let index = table.column_index(&column.name);
            let fits = index.is_some_and(|i| {
                matches!(
                    (column.kind, &table.columns[i].data),
                    (ColumnKind::Numeric, ColumnData::Numeric(_))
                        | (ColumnKind::Categorical, ColumnData::Categorical { .. })
                )
            });
            if fits {
                continue;
            }
            let rows = table.n_rows();
            let data = match column.kind {
                ColumnKind::Numeric => ColumnData::Numeric(vec![f64::NAN; rows]),
                ColumnKind::Categorical => ColumnData::Categorical {
                    codes: vec![MISSING_CODE; rows],
                    levels: Vec::new(),
                },
            };
            let target = filled.get_or_insert_with(|| table.clone());
            let missing = Column {
                name: column.name.clone(),
                data,
            };
            match index {
                Some(i) => target.columns[i] = missing,
                None => target.columns.push(missing),
            }
        }
        filled
    }

    /// Predicts every row of `table`, whose columns passed [`ModelFile::check_columns`].
    pub fn apply(&self, table: &Table) -> Applied {
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

    /// Builds one warning per categorical column with categories absent from the training
    /// rows, from the categories `scan` found in the data.
    pub fn unseen_categories(&self, scan: &Scan, data: &str) -> Vec<String> {
        let used = self.used_columns();
        let mut warnings = Vec::new();
        for column in self
            .schema
            .iter()
            .filter(|c| c.kind == ColumnKind::Categorical && used.contains(c.name.as_str()))
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
            let Some(summary) = scan.categories(&column.name) else {
                continue;
            };
            let unseen: Vec<String> = summary
                .levels
                .iter()
                .zip(&summary.counts)
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
