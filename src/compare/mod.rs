//! Scoring rules, tree and baseline on the same test rows.

pub mod baseline;
pub mod history;
pub mod learning_curve;
pub mod metrics;
pub mod pipeline;
pub mod tree_report;

pub use metrics::{score, ClassScores, ConfusionMatrix, Scores};
pub use pipeline::{run_comparison, CompareOptions, Comparison};
