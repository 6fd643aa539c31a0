//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod check_fmt;
mod common;
mod compare;
mod csv_input;
mod csv_properties;
mod data_checks;
mod data_options;
mod diagnostics;
mod errors;
mod explain;
mod gen;
mod guarantees;
mod history;
mod model;
mod predict;
mod progress;
mod report;
mod rules_hostile;
mod rules_language;
mod rules_properties;
mod statistics;
mod train;
mod tree_equivalence;
mod tree_json;
mod verdicts;
