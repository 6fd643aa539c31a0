//! The learned side: feature encoding, fitting with linfa-trees, rulebench's own tree type,
//! and tuning on the validation split.

pub mod encode;
pub mod explain;
pub mod fit;
pub mod grow;
pub mod model;
pub mod tune;

pub use encode::{Encoder, Feature};
pub use fit::{fit_tree, fit_tree_with_linfa, Criterion, TreeParams, MAX_TREE_DEPTH};
pub use model::{DecisionTree, Node};
pub use tune::{tune_depth, Trial, Tuned, DEFAULT_DEPTHS};
