//! The learned side: feature encoding, growing, rulebench's own tree type, the search for
//! the best settings, explanations and export to the rule language.

pub mod cv;
pub mod encode;
pub mod explain;
pub mod export;
pub mod fit;
pub mod grow;
pub mod importance;
pub mod matrix;
pub mod model;
pub mod search;
pub mod select;
pub mod units;

pub use encode::{
    CategoricalImputation, Encoder, Feature, NumericImputation, Preprocessing, Scaling,
};
pub use fit::{fit_tree, fit_tree_with_linfa, Criterion, SplitSearch, TreeParams, MAX_TREE_DEPTH};
pub use matrix::{EncodedRows, FeatureMatrix};
pub use model::{DecisionTree, Node};
pub use search::{Grid, Metric, Search, Trial, DEFAULT_DEPTHS};
pub use select::{select_tree, LabelledTable, Selected, TreeOptions};
