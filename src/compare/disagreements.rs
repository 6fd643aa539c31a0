//! Single rows explained side by side: the true class, the rules' class and the rule that gave
//! it, and the tree's class with its path as conditions on the data's columns.

use serde::Serialize;

use crate::data::{Split, Table};
use crate::rules::compiled::RuleSet;
use crate::rules::Verdicts;
use crate::tree::explain::describe_path;
use crate::tree::{DecisionTree, Encoder};

/// The part of the data a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Train,
    Validation,
    Test,
    /// Rows without a label, left out of the split.
    Unlabelled,
}

impl Part {
    /// Describes the part as it reads in a sentence: "a training row".
    pub fn describe(self) -> &'static str {
        match self {
            Part::Train => "a training row (the tree learned from it)",
            Part::Validation => "a validation row (used to choose the tree settings)",
            Part::Test => "a test row",
            Part::Unlabelled => "a row without a label (left out of the split)",
        }
    }
}

/// The rules' outcome for a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesAnswer {
    /// The class given; `None` when the rules abstained.
    pub class: Option<String>,
    /// The rule that decided the row; `None` when the default class applied or the rules
    /// abstained.
    pub rule: Option<String>,
    /// Every rule whose condition is true on the row, in file order.
    pub fired: Vec<String>,
}

/// The tree's outcome for a row, and its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeAnswer {
    pub class: String,
    /// The conditions the row meets from the root to its leaf.
    pub path: Vec<String>,
}

/// One row with the outcome of each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowExplanation {
    /// The 1-based data row (the header is not counted).
    pub row: usize,
    /// The line of the file the row starts on.
    pub line: u64,
    pub part: Part,
    /// The true class; `None` when the label is missing.
    pub truth: Option<String>,
    pub rules: RulesAnswer,
    pub tree: TreeAnswer,
    /// The row's values in the columns the rules or the tree read, in column order. Only
    /// `explain` fills them in; the list of disagreements leaves them out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<ColumnValue>>,
}

/// One value of an explained row, and which side reads its column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnValue {
    pub column: String,
    /// The value as text; `None` when it is missing.
    pub value: Option<String>,
    /// True when a rule reads the column.
    pub rules: bool,
    /// True when the tree tests the column on this row's path.
    pub tree: bool,
}

/// The first test rows where rules and tree give different answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreements {
    /// Test rows where the two differ (an abstention differs from every class).
    pub total: u64,
    /// The first of them in data order, as many as requested.
    pub rows: Vec<RowExplanation>,
}

/// Everything needed to explain any row of the table.
pub struct Explainer<'a> {
    pub table: &'a Table,
    pub labels: &'a [Option<u32>],
    pub classes: &'a [String],
    pub split: &'a Split,
    pub rule_set: &'a RuleSet,
    pub verdicts: &'a Verdicts,
    pub encoder: &'a Encoder,
    pub tree: &'a DecisionTree,
}

impl Explainer<'_> {
    /// Explains the row at 0-based index `row`.
    pub fn explain(&self, row: usize) -> RowExplanation {
        let class_name = |class: u32| self.classes[class as usize].clone();
        let features = self.encoder.transform(self.table, &[row]);
        let tree_class = self.tree.predict_row(features.row(0));
        let fired = (0..self.rule_set.len())
            .filter(|&rule| self.verdicts.firing.rule_fires(rule, row))
            .map(|rule| self.rule_set.names[rule].clone())
            .collect();
        RowExplanation {
            row: row + 1,
            line: self.table.line_numbers[row],
            part: self.part_of(row),
            truth: self.labels[row].map(class_name),
            rules: RulesAnswer {
                class: self.verdicts.class(row).map(class_name),
                rule: self
                    .verdicts
                    .firing
                    .winner(row)
                    .map(|rule| self.rule_set.names[rule as usize].clone()),
                fired,
            },
            tree: TreeAnswer {
                class: class_name(tree_class),
                path: describe_path(self.encoder, self.tree, self.table, row).0,
            },
            values: None,
        }
    }

    /// Explains the row at 0-based index `row`, with its values in the columns the rules
    /// read and the columns the tree tests on its path.
    pub fn explain_with_values(&self, row: usize) -> RowExplanation {
        let rule_columns = self.rule_set.columns_read();
        let features = self.encoder.transform(self.table, &[row]);
        let tree_columns: Vec<usize> = self
            .tree
            .path(features.row(0))
            .iter()
            .filter_map(|step| {
                let name = self.encoder.features[step.feature].column();
                self.table.column_index(name)
            })
            .collect();
        let values = (0..self.table.columns.len())
            .filter_map(|index| {
                let rules = rule_columns.contains(&index);
                let tree = tree_columns.contains(&index);
                let column = &self.table.columns[index];
                (rules || tree).then(|| ColumnValue {
                    column: column.name.clone(),
                    value: column.display_value(row),
                    rules,
                    tree,
                })
            })
            .collect();
        RowExplanation {
            values: Some(values),
            ..self.explain(row)
        }
    }

    fn part_of(&self, row: usize) -> Part {
        // The parts are sorted, so a binary search finds the row.
        if self.split.test.binary_search(&row).is_ok() {
            Part::Test
        } else if self.split.validation.binary_search(&row).is_ok() {
            Part::Validation
        } else if self.split.train.binary_search(&row).is_ok() {
            Part::Train
        } else {
            Part::Unlabelled
        }
    }
}

/// Lists the first `limit` test rows where the rules' answer differs from the tree's.
pub fn disagreements(
    explainer: &Explainer,
    rule_predictions: &[Option<u32>],
    tree_predictions: &[Option<u32>],
    limit: usize,
) -> Disagreements {
    let differing: Vec<usize> = explainer
        .split
        .test
        .iter()
        .zip(rule_predictions.iter().zip(tree_predictions))
        .filter(|(_, (rules, tree))| rules != tree)
        .map(|(&row, _)| row)
        .collect();
    Disagreements {
        total: differing.len() as u64,
        rows: differing
            .iter()
            .take(limit)
            .map(|&row| explainer.explain(row))
            .collect(),
    }
}
