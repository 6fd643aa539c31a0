//! Synthetic benchmark data: a CSV file whose labels come from a hidden decision list plus
//! label noise, and a rule file that approximates that list.
//!
//! Numbers are kept as fixed-point integers (thousandths) from drawing to printing, so the
//! labels are computed on exactly the values the CSV file holds. Rows are drawn in chunks,
//! each from its own ChaCha8 stream, so the output depends on the seed and the settings
//! only, never on the number of threads.

mod columns;
mod fixed;
mod plan;
mod rows;

pub use plan::Plan;

use crate::error::{Error, Result};

/// The settings of one generated data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub rows: usize,
    /// Numeric feature columns, named `x1`, `x2`, ...
    pub numeric: usize,
    /// Categorical feature columns, named `cat1`, `cat2`, ...
    pub categorical: usize,
    pub classes: usize,
    /// Rules in the rule file.
    pub rules: usize,
    /// Comparisons in the rule file, spread as evenly as possible over the rules.
    pub comparisons: usize,
    /// Share of feature cells left empty (missing), from 0 to 0.5.
    pub missing: f64,
    /// Share of rows whose label is replaced by a class drawn uniformly at random.
    pub noise: f64,
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            rows: 100_000,
            numeric: 20,
            categorical: 2,
            classes: 3,
            rules: 10,
            comparisons: 25,
            missing: 0.02,
            noise: 0.1,
            seed: 42,
        }
    }
}

/// The maximum of each count setting, which bounds the memory of a plan. A numeric column
/// keeps 20,000 sampled values (160 KB) to place thresholds, so 10,000 of them take 1.6 GB,
/// and the rule file contains every comparison.
pub const MAX_NUMERIC: usize = 10_000;
pub const MAX_CATEGORICAL: usize = 10_000;
/// More classes would make the benchmark slower to read, not different in kind.
pub const MAX_CLASSES: usize = 100;
pub const MAX_RULES: usize = 10_000;
pub const MAX_COMPARISONS: usize = 100_000;

/// Fails unless `value` of the option `flag` lies in `min..=max`.
fn check_count(flag: &str, value: usize, min: usize, max: usize) -> Result<()> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{flag} is `{value}`, but must be between {min} and {max}"
    )))
}

/// `1 rule`, `2 rules`.
fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl Spec {
    /// Checks the settings before anything is drawn.
    pub fn validate(&self) -> Result<()> {
        let invalid = |message: String| Err(Error::usage(message));
        if self.rows == 0 {
            return invalid("--rows must be at least 1".into());
        }
        check_count("--features", self.numeric, 1, MAX_NUMERIC)?;
        check_count("--categorical", self.categorical, 0, MAX_CATEGORICAL)?;
        check_count("--classes", self.classes, 2, MAX_CLASSES)?;
        check_count("--rule-count", self.rules, 1, MAX_RULES)?;
        check_count("--comparisons", self.comparisons, 1, MAX_COMPARISONS)?;

        // The limits above keep these sums and products far from overflowing.
        let columns = self.numeric + self.categorical;
        let per_rule = self.comparisons.div_ceil(self.rules);
        if self.comparisons < self.rules || per_rule > columns {
            let most = (self.rules * columns).min(MAX_COMPARISONS);
            let need = if self.rules == 1 { "needs" } else { "need" };
            return invalid(format!(
                "--comparisons is `{}`, but {} over {} {need} between {} and {most} \
                 comparisons (each rule tests a column at most once)",
                self.comparisons,
                count_of(self.rules, "rule"),
                count_of(columns, "column"),
                self.rules,
            ));
        }

        if !(0.0..=0.5).contains(&self.missing) {
            return invalid(format!(
                "--missing is `{}`, but must be a share between 0 and 0.5",
                self.missing
            ));
        }
        if !(0.0..=1.0).contains(&self.noise) {
            return invalid(format!(
                "--noise is `{}`, but must be a share between 0 and 1",
                self.noise
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_spec_is_valid() {
        assert!(Spec::default().validate().is_ok());
    }

    #[test]
    fn too_many_comparisons_are_rejected() {
        let spec = Spec {
            numeric: 2,
            categorical: 0,
            rules: 2,
            comparisons: 5,
            ..Spec::default()
        };
        let error = spec.validate().unwrap_err();
        assert!(
            error.message().contains("between 2 and 4"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn missing_share_above_half_is_rejected() {
        let spec = Spec {
            missing: 0.6,
            ..Spec::default()
        };
        assert!(spec.validate().unwrap_err().message().contains("--missing"));
    }

    #[test]
    fn one_class_is_rejected() {
        let spec = Spec {
            classes: 1,
            ..Spec::default()
        };
        assert!(spec.validate().unwrap_err().message().contains("--classes"));
    }
}
