//! rulebench: do hand-written classification rules beat a learned decision tree on the
//! same data, where, and by how much?
//!
//! The modules follow the pipeline: [`data`] reads and splits a CSV file, [`rules`] parses
//! and evaluates rule files, [`tree`] trains the decision tree, [`compare`] scores both on
//! the same test rows, [`report`] renders the result, and [`cli`] wires it to the command line.

pub mod cli;
pub mod compare;
pub mod data;
pub mod error;
pub mod model_file;
pub mod progress;
pub mod report;
pub mod rules;
pub mod suggest;
pub mod synth;
pub mod tree;

pub use error::{Error, ErrorKind, Result};
