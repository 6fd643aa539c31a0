//! The seeded, stratified train / validation / test split.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::{Error, Result};

/// Shares of the rows for training, validation and testing, as fractions that sum to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitRatios {
    pub train: f64,
    pub validation: f64,
    pub test: f64,
}

impl Default for SplitRatios {
    fn default() -> Self {
        SplitRatios {
            train: 0.6,
            validation: 0.2,
            test: 0.2,
        }
    }
}

impl std::str::FromStr for SplitRatios {
    type Err = String;

    /// Parses `TRAIN/VALIDATION/TEST` percentages such as `60/20/20`.
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let parts: Vec<&str> = text.split('/').map(str::trim).collect();
        let invalid = || {
            format!("invalid split `{text}`: write three percentages TRAIN/VALIDATION/TEST that add up to 100, such as 60/20/20")
        };
        if parts.len() != 3 {
            return Err(invalid());
        }
        let mut shares = [0.0; 3];
        for (share, part) in shares.iter_mut().zip(&parts) {
            *share = part.parse::<f64>().map_err(|_| invalid())?;
            if !share.is_finite() || *share < 0.0 {
                return Err(invalid());
            }
        }
        if (shares.iter().sum::<f64>() - 100.0).abs() > 1e-9 {
            return Err(invalid());
        }
        if shares[0] <= 0.0 {
            return Err(format!(
                "invalid split `{text}`: the training share is 0, but the tree needs training \
                 rows; give it a share above 0, such as 60/20/20"
            ));
        }
        if shares[2] <= 0.0 {
            return Err(format!(
                "invalid split `{text}`: the test share is 0, but rules and tree are scored \
                 on the test rows; give it a share above 0, such as 60/20/20"
            ));
        }
        Ok(SplitRatios {
            train: shares[0] / 100.0,
            validation: shares[1] / 100.0,
            test: shares[2] / 100.0,
        })
    }
}

/// Row indices of each part, each in ascending order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

/// Splits the labelled rows so that each class keeps its share in every part. Rows without
/// a label are left out. Within each class the rows are shuffled with a ChaCha8 stream seeded
/// by `seed`, so the same file and seed always give the same split.
pub fn stratified_split(
    labels: &[Option<u32>],
    n_classes: usize,
    ratios: SplitRatios,
    seed: u64,
) -> Split {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (row, label) in labels.iter().enumerate() {
        if let Some(class) = label {
            by_class[*class as usize].push(row);
        }
    }

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut split = Split {
        train: Vec::new(),
        validation: Vec::new(),
        test: Vec::new(),
    };
    for mut rows in by_class {
        rows.shuffle(&mut rng);
        let n = rows.len();
        let mut n_test = (n as f64 * ratios.test).round() as usize;
        let mut n_validation = (n as f64 * ratios.validation).round() as usize;
        // Every class keeps at least one training row when it has any.
        while n > 0 && n_test + n_validation >= n {
            if n_validation >= n_test && n_validation > 0 {
                n_validation -= 1;
            } else {
                n_test -= 1;
            }
        }
        split.test.extend_from_slice(&rows[..n_test]);
        split
            .validation
            .extend_from_slice(&rows[n_test..n_test + n_validation]);
        split
            .train
            .extend_from_slice(&rows[n_test + n_validation..]);
    }
    split.train.sort_unstable();
    split.validation.sort_unstable();
    split.test.sort_unstable();
    split
}

impl Split {
    /// Fails with a message that names the empty part and how to fix it.
    pub fn require_nonempty(&self, n_labelled: usize) -> Result<()> {
        for (name, rows) in [
            ("training", &self.train),
            ("validation", &self.validation),
            ("test", &self.test),
        ] {
            if rows.is_empty() {
                return Err(Error::data(format!(
                    "the {name} split is empty: the data has only {n_labelled} labelled rows. \
                     Add rows, or give that part a larger share with --split (for example \
                     --split 50/25/25)."
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(counts: &[usize]) -> Vec<Option<u32>> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(class, &n)| std::iter::repeat_n(Some(class as u32), n))
            .collect()
    }

    #[test]
    fn split_keeps_class_shares() {
        let rows = labels(&[50, 50, 50]);
        let split = stratified_split(&rows, 3, SplitRatios::default(), 7);
        assert_eq!(split.train.len(), 90);
        assert_eq!(split.validation.len(), 30);
        assert_eq!(split.test.len(), 30);
        for class in 0..3 {
            let in_test = split
                .test
                .iter()
                .filter(|&&r| rows[r] == Some(class))
                .count();
            assert_eq!(in_test, 10);
        }
    }

    #[test]
    fn split_is_a_partition() {
        let rows = labels(&[13, 7, 1]);
        let split = stratified_split(&rows, 3, SplitRatios::default(), 1);
        let mut all: Vec<usize> = [split.train, split.validation, split.test].concat();
        all.sort_unstable();
        assert_eq!(all, (0..21).collect::<Vec<_>>());
    }

    #[test]
    fn split_depends_only_on_seed() {
        let rows = labels(&[30, 20]);
        let a = stratified_split(&rows, 2, SplitRatios::default(), 42);
        let b = stratified_split(&rows, 2, SplitRatios::default(), 42);
        let c = stratified_split(&rows, 2, SplitRatios::default(), 43);
        assert_eq!(a, b);
        assert_ne!(a.test, c.test);
    }

    #[test]
    fn single_row_class_goes_to_training() {
        let rows = labels(&[10, 1]);
        let split = stratified_split(&rows, 2, SplitRatios::default(), 3);
        assert!(split.train.contains(&10));
    }

    #[test]
    fn unlabelled_rows_are_left_out() {
        let rows = vec![Some(0), None, Some(0), Some(0), Some(0), Some(0)];
        let split = stratified_split(&rows, 1, SplitRatios::default(), 3);
        let all: Vec<usize> = [split.train, split.validation, split.test].concat();
        assert!(!all.contains(&1));
        assert_eq!(all.len(), 5);
    }

    #[test]
    fn ratios_parse_percentages() {
        let ratios: SplitRatios = "70/10/20".parse().unwrap();
        assert!((ratios.train - 0.7).abs() < 1e-12);
        assert!("70/10".parse::<SplitRatios>().is_err());
        assert!("50/30/30".parse::<SplitRatios>().is_err());
        let no_training = "0/50/50".parse::<SplitRatios>().unwrap_err();
        assert!(
            no_training.contains("the training share is 0"),
            "{no_training}"
        );
    }
}
