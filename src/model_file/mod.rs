//! The saved model: everything needed to apply, explain or export a trained tree, and to
//! tell what it was trained on, as one JSON document.
//!
//! The layout is documented in the README. [`FORMAT_VERSION`] changes whenever a field
//! changes meaning or disappears; rulebench reads only its own format version.

mod apply;
mod check;
mod read;

use serde::{Deserialize, Serialize};

use crate::compare::Scores;
use crate::data::{ColumnData, DataFile, Table};
use crate::tree::{
    CategoricalImputation, DecisionTree, Feature, Metric, NumericImputation, Preprocessing,
    Scaling, TreeParams,
};

pub use apply::Applied;
pub use read::read_model;

/// The version of the model file layout.
pub const FORMAT_VERSION: u32 = 1;

/// Whether a column held numbers or categories in the training data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Numeric,
    Categorical,
}

/// One input column the model needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnKind,
}

/// The data the model was trained from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingData {
    pub files: Vec<DataFile>,
    /// Rows in each part of the split.
    pub train_rows: usize,
    pub validation_rows: usize,
    pub test_rows: usize,
    /// Rows the final tree and its preprocessing were fitted on.
    pub fitted_rows: usize,
}

/// The choice of the settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub metric: Metric,
    /// Folds of cross-validation, or `None` when the validation rows chose.
    pub cv_folds: Option<usize>,
    pub settings_tried: usize,
    /// The chosen setting's validation score (the mean over folds with cross-validation).
    pub validation_score: f64,
}

/// The preprocessing choices and every statistic learned for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreprocessingRecord {
    pub numeric_imputation: NumericImputation,
    pub categorical_imputation: CategoricalImputation,
    pub scale: Scaling,
    /// The tree's features in order, with their fill values and rescaling.
    pub features: Vec<Feature>,
}

impl PreprocessingRecord {
    pub fn new(choices: &Preprocessing, features: Vec<Feature>) -> Self {
        PreprocessingRecord {
            numeric_imputation: choices.numeric_imputation,
            categorical_imputation: choices.categorical_imputation,
            scale: choices.scale,
            features,
        }
    }
}

/// The summary scores on the test rows, scored once after the settings were chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestScores {
    pub accuracy: f64,
    pub balanced_accuracy: f64,
    pub macro_f1: f64,
}

impl From<&Scores> for TestScores {
    fn from(scores: &Scores) -> Self {
        TestScores {
            accuracy: scores.accuracy,
            balanced_accuracy: scores.balanced_accuracy,
            macro_f1: scores.macro_f1,
        }
    }
}

/// A trained model as saved by `rulebench train`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format_version: u32,
    /// The rulebench version that wrote the file.
    pub rulebench_version: String,
    pub target: String,
    /// Class names in the order leaf counts use.
    pub classes: Vec<String>,
    /// Every column but the target, as it was typed in the training data.
    pub schema: Vec<SchemaColumn>,
    pub training_data: TrainingData,
    pub seed: u64,
    pub selection: Selection,
    pub preprocessing: PreprocessingRecord,
    pub hyperparameters: TreeParams,
    pub tree: DecisionTree,
    pub test_scores: TestScores,
}

impl ModelFile {
    /// Writes the file's text: pretty-printed JSON with a trailing newline. Nothing in it depends
    /// on the time or on hash order, so the same training gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("the model serialises");
        text.push('\n');
        text
    }
}

/// Describes the types of `columns` of `table`.
pub fn schema_of(table: &Table, columns: &[usize]) -> Vec<SchemaColumn> {
    columns
        .iter()
        .map(|&c| SchemaColumn {
            name: table.columns[c].name.clone(),
            kind: match table.columns[c].data {
                ColumnData::Numeric(_) => ColumnKind::Numeric,
                ColumnData::Categorical { .. } => ColumnKind::Categorical,
            },
        })
        .collect()
}

impl ModelFile {
    /// Rebuilds the encoder the features describe.
    pub fn encoder(&self) -> crate::tree::Encoder {
        crate::tree::Encoder {
            features: self.preprocessing.features.clone(),
        }
    }

    /// Lists the columns to read as text when loading data for this model.
    pub fn text_columns(&self) -> Vec<&str> {
        self.schema
            .iter()
            .filter(|c| c.kind == ColumnKind::Categorical)
            .map(|c| c.name.as_str())
            .collect()
    }
}
