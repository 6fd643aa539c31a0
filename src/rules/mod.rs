//! The rule language: grammar, syntax tree, diagnostics, binding to data and evaluation.

pub mod analysis;
pub mod bind;
pub mod bitmask;
mod build;
pub mod check;
pub mod compiled;
pub mod constants;
pub mod diagnostic;
pub mod escapes;
pub mod eval;
mod expected;
pub mod format;
pub mod grammar;
pub mod parser;
pub mod source;
pub mod syntax;
pub mod truth;

pub use bind::{bind_rules, text_columns};
pub use compiled::RuleSet;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use eval::{evaluate, Verdicts};
pub use parser::{parse_file, parse_rules};
pub use source::{read_rule_file, RuleSource};
pub use syntax::{HitPolicy, RuleFile};
