//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod common;
mod compare;
mod errors;
mod gen;
mod predict;
mod progress;
mod tree_equivalence;
