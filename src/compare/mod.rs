//! Scoring rules, tree and baseline on the same test rows.

pub mod analysis;
pub mod baseline;
pub mod bootstrap;
pub mod disagreements;
pub mod metrics;
pub mod paired;
pub mod pipeline;
pub mod rule_evidence;
pub mod verdict;

pub use analysis::ReportOptions;
pub use metrics::{score, ClassScores, ConfusionMatrix, Scores};
pub use pipeline::{run_comparison, CompareOptions, Comparison};
