//! Scoring rules, tree and baseline on the same test rows.

pub mod analysis;
pub mod baseline;
pub mod bootstrap;
pub mod disagreements;
pub mod history;
pub mod learning_curve;
pub mod metrics;
pub mod noise;
pub mod overfitting;
pub mod paired;
pub mod phrases;
pub mod pipeline;
pub mod rule_evidence;
pub mod tree_report;
pub mod verdict;

pub use analysis::ReportOptions;
pub use metrics::{score, ClassScores, ConfusionMatrix, Scores};
pub use pipeline::{run_comparison, CompareOptions, Comparison};
