//! Scoring rules, tree and baseline on the same test rows.

pub mod baseline;
pub mod metrics;
pub mod pipeline;

pub use metrics::{score, ClassScores, ConfusionMatrix, Scores};
pub use pipeline::{run_comparison, CompareOptions, Comparison};
