//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod common;
mod compare;
mod errors;
mod explain;
mod model;
mod predict;
mod report;
mod statistics;
mod train;
mod tree_equivalence;
mod tree_json;
