//! The parts of a comparison that describe how the tree was trained and chosen, and how
//! each part of the rows was used.

use serde::Serialize;

use super::learning_curve::LearningCurve;
use super::overfitting::{depth_gaps, DepthGap, ScoredRows};
use crate::data::DataFile;
use crate::tree::importance::{column_importance, ColumnImportance};
use crate::tree::{Preprocessing, Search, Selected, TreeParams};

/// The chosen settings, the search behind them, and what the tree relies on. Its fields
/// sit in the `tree` object of the JSON report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeDetails {
    /// The chosen hyperparameters.
    pub params: TreeParams,
    pub preprocessing: Preprocessing,
    /// Rows the final tree and its preprocessing were fitted on.
    pub fitted_rows: usize,
    pub search: Search,
    pub overfitting: Vec<DepthGap>,
    pub importance: Vec<ColumnImportance>,
}

impl TreeDetails {
    /// Describes the selected tree, weighing each overfitting gap against the noise of scores
    /// on `validation_rows` rows. With cross-validation every fitted row is held out once, so
    /// the fitted rows are the scored rows whatever `validation_rows` says.
    pub fn with_validation_rows(
        selected: &Selected,
        preprocessing: Preprocessing,
        validation_rows: Option<usize>,
    ) -> Self {
        let params = selected.params();
        let fitted = selected.fitted_rows.len();
        let rows = ScoredRows {
            train: fitted,
            validation: match selected.search.cv_folds {
                Some(_) => Some(fitted),
                None => validation_rows,
            },
        };
        TreeDetails {
            params,
            preprocessing,
            fitted_rows: fitted,
            search: selected.search.clone(),
            overfitting: depth_gaps(&selected.search, rows),
            importance: column_importance(&selected.tree, &selected.encoder, params.criterion),
        }
    }
}

/// The uses of one part of the rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowUsage {
    /// `train`, `validation`, `test` or `unlabelled`, as the parts are named everywhere in the
    /// JSON report.
    pub part: String,
    pub rows: usize,
    pub uses: Vec<String>,
}

/// Top-level parts of the report about the input and the use of the rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDetails {
    pub data_files: Vec<DataFile>,
    pub row_use: Vec<RowUsage>,
    pub learning_curve: LearningCurve,
}

/// Row counts of the parts of the split.
pub struct PartSizes {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    pub unlabelled: usize,
}

/// Says which rows were used for what, for a run with or without cross-validation.
pub fn row_use(sizes: &PartSizes, search: &Search) -> Vec<RowUsage> {
    let usage = |part: &str, rows: usize, uses: &[String]| RowUsage {
        part: part.to_string(),
        rows,
        uses: uses.to_vec(),
    };
    let metric = search.metric.label();
    let (train_uses, validation_uses) = match search.cv_folds {
        None => (
            vec![
                "fit the tree and its preprocessing (imputation, scaling, categories)".into(),
                "the baseline's majority class".into(),
                "the learning curve's trees".into(),
            ],
            vec![
                format!("choose the tree settings by {metric}"),
                "the overfitting report and the learning curve's scores".into(),
            ],
        ),
        Some(k) => (
            vec![
                format!("{k}-fold cross-validation with the validation rows, to choose the tree settings by {metric}"),
                "refit the chosen tree and its preprocessing, with the validation rows".into(),
                "the baseline's majority class".into(),
                "the learning curve's trees".into(),
            ],
            vec![
                format!("{k}-fold cross-validation and the refit, with the training rows"),
                "the learning curve's scores".into(),
            ],
        ),
    };
    let mut parts = vec![
        usage("train", sizes.train, &train_uses),
        usage("validation", sizes.validation, &validation_uses),
        usage(
            "test",
            sizes.test,
            &["scored once, after every choice was made: the test scores".into()],
        ),
    ];
    if sizes.unlabelled > 0 {
        parts.push(usage(
            "unlabelled",
            sizes.unlabelled,
            &["left out: no class to learn from or score against".into()],
        ));
    }
    parts
}
