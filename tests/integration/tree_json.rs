//! The tree's parts of the JSON report, decoded strictly like the rest of it.

// Every documented field is declared so that decoding rejects undocumented ones, even
// where no test reads the field.
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub max_depth: Option<usize>,
    pub min_weight_split: f64,
    pub min_weight_leaf: f64,
    pub min_impurity_decrease: f64,
    pub criterion: String,
    pub split_search: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preprocessing {
    pub numeric_imputation: String,
    pub categorical_imputation: String,
    pub scale: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridRow {
    pub max_depth: Option<usize>,
    pub min_weight_split: f64,
    pub min_weight_leaf: f64,
    pub min_impurity_decrease: f64,
    pub criterion: String,
    pub split_search: String,
    pub leaves: usize,
    pub train_score: f64,
    pub validation_score: f64,
    pub validation_std: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub metric: String,
    pub cv_folds: Option<usize>,
    pub rows: Vec<GridRow>,
    pub chosen: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthGap {
    pub max_depth: Option<usize>,
    pub leaves: usize,
    pub train_score: f64,
    pub validation_score: f64,
    pub gap: f64,
    pub gap_standard_error: Option<f64>,
    pub large_gap: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Importance {
    pub column: String,
    pub importance: f64,
    pub splits: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    pub path: String,
    pub rows: usize,
    pub fingerprint: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowUsage {
    pub part: String,
    pub rows: usize,
    pub uses: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvePoint {
    pub percent: u32,
    pub train_rows: usize,
    pub tree_score: f64,
    pub rules_score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningCurve {
    pub metric: String,
    pub points: Vec<CurvePoint>,
}
