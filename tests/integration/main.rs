//! End-to-end tests of the `rulebench` binary on the shipped datasets.

mod check_fmt;
mod common;
mod compare;
mod diagnostics;
mod errors;
mod predict;
mod rules_hostile;
mod rules_language;
mod rules_properties;
mod tree_equivalence;
