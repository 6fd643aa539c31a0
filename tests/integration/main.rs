//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod common;
mod compare;
mod csv_input;
mod csv_properties;
mod data_checks;
mod errors;
mod guarantees;
mod predict;
mod tree_equivalence;
