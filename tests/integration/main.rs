//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod common;
mod compare;
mod errors;
mod explain;
mod predict;
mod report;
mod statistics;
mod tree_equivalence;
