//! The tree options shared by `compare` and `train`: the hyperparameter grid, how a
//! setting is chosen, and the preprocessing.

use std::str::FromStr;

use crate::error::Result;
use crate::tree::{
    CategoricalImputation, Criterion, Grid, Metric, NumericImputation, Preprocessing, Scaling,
    SplitSearch, TreeOptions,
};

/// A depth limit: a positive number, or `none` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepthLimit(pub Option<usize>);

impl FromStr for DepthLimit {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        if text.eq_ignore_ascii_case("none") {
            return Ok(DepthLimit(None));
        }
        match text.parse::<usize>() {
            Ok(depth) if depth > 0 => Ok(DepthLimit(Some(depth))),
            _ => Err(format!(
                "invalid depth `{text}`: write a whole number of at least 1, or `none` for no \
                 limit"
            )),
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Tree options")]
pub struct TreeArgs {
    /// Maximum depths to try (1 to 100000), comma-separated; `none` grows until the leaves
    /// are pure.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "1,2,3,4,5,6,8,10,12,none"
    )]
    pub max_depth: Vec<DepthLimit>,
    /// Minimum training rows in a leaf to try, comma-separated (at least 1).
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "1,5,20"
    )]
    pub min_weight_leaf: Vec<f32>,
    /// Minimum training rows in a node for it to be split, comma-separated.
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "2")]
    pub min_weight_split: Vec<f32>,
    /// Minimum impurity decrease for a split to be made, comma-separated (above 0).
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "0.00001"
    )]
    pub min_impurity_decrease: Vec<f64>,
    /// Split criteria to try, comma-separated.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "gini,entropy"
    )]
    pub criterion: Vec<Criterion>,
    /// The score that chooses the tree settings.
    #[arg(long, value_enum, default_value_t = Metric::Accuracy)]
    pub metric: Metric,
    /// Choose the settings by stratified K-fold cross-validation on the training and
    /// validation rows, then refit on all of them (instead of scoring on the validation rows).
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    /// Imputation of missing numbers: the training median or mean.
    #[arg(long, value_name = "METHOD", value_enum, default_value_t = NumericImputation::Median)]
    pub impute_numeric: NumericImputation,
    /// Imputation of missing categories: a category of their own, or the most frequent
    /// training category.
    #[arg(
        long,
        value_name = "METHOD",
        value_enum,
        default_value_t = CategoricalImputation::MissingCategory
    )]
    pub impute_categorical: CategoricalImputation,
    /// Thresholds the split search considers. `linfa` reproduces linfa-trees 0.8.1: a
    /// threshold after a value only in the node with the last training row of that value.
    /// `full` tries every threshold between two neighbouring values of the node, as CART
    /// and scikit-learn do.
    #[arg(long, value_name = "SEARCH", value_enum, default_value_t = SplitSearch::Linfa)]
    pub split_search: SplitSearch,
    /// Rescale numbers before growing (fitted on the training rows). Thresholds are always
    /// shown in the data's own units. Needed when a column's values differ by less than
    /// 0.00001, which the tree cannot split.
    #[arg(long, value_enum, default_value_t = Scaling::None)]
    pub scale: Scaling,
}

impl TreeArgs {
    /// Checks the options and returns them; fails on a value the grower cannot use.
    pub fn options(&self) -> Result<TreeOptions> {
        let options = TreeOptions {
            grid: Grid {
                max_depth: self.max_depth.iter().map(|d| d.0).collect(),
                min_weight_leaf: self.min_weight_leaf.clone(),
                min_weight_split: self.min_weight_split.clone(),
                min_impurity_decrease: self.min_impurity_decrease.clone(),
                criterion: self.criterion.clone(),
                split_search: self.split_search,
            },
            metric: self.metric,
            cv_folds: self.cv,
            preprocessing: Preprocessing {
                numeric_imputation: self.impute_numeric,
                categorical_imputation: self.impute_categorical,
                scale: self.scale,
            },
        };
        options.grid.check()?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_limit_parses_none_and_numbers() {
        assert_eq!("none".parse::<DepthLimit>(), Ok(DepthLimit(None)));
        assert_eq!("7".parse::<DepthLimit>(), Ok(DepthLimit(Some(7))));
        assert!("0".parse::<DepthLimit>().is_err());
        assert!("deep".parse::<DepthLimit>().is_err());
    }
}
