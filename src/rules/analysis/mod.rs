//! Checks of a rule file beyond parsing: static checks from interval and set reasoning on
//! each condition, and checks of what the rules do on the rows of a data file.

pub mod checks;
pub mod data;
pub mod domain;
pub mod terms;

pub use checks::{check_static, StaticFindings};
pub use data::{check_on_rows, RuleStatistics};
