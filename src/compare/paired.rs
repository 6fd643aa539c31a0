//! Two models on the same rows: which rows each gets right, McNemar's exact test on the rows
//! where exactly one is right, and how often the two predict the same class.

use serde::Serialize;

use super::metrics::cohen_kappa;

/// The 2 x 2 table of a paired comparison. "Right" means the predicted class is the true one;
/// an abstention is never right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgreementTable {
    pub both_right: u64,
    pub only_first_right: u64,
    pub only_second_right: u64,
    pub both_wrong: u64,
}

impl AgreementTable {
    pub fn new(truth: &[u32], first: &[Option<u32>], second: &[Option<u32>]) -> Self {
        assert_eq!(truth.len(), first.len(), "one prediction per row");
        assert_eq!(truth.len(), second.len(), "one prediction per row");
        let mut table = AgreementTable {
            both_right: 0,
            only_first_right: 0,
            only_second_right: 0,
            both_wrong: 0,
        };
        for ((&t, a), b) in truth.iter().zip(first).zip(second) {
            let cell = match (*a == Some(t), *b == Some(t)) {
                (true, true) => &mut table.both_right,
                (true, false) => &mut table.only_first_right,
                (false, true) => &mut table.only_second_right,
                (false, false) => &mut table.both_wrong,
            };
            *cell += 1;
        }
        table
    }

    /// Rows where exactly one of the two models is right: the only rows McNemar's test uses.
    pub fn discordant(&self) -> u64 {
        self.only_first_right + self.only_second_right
    }

    pub fn total(&self) -> u64 {
        self.both_right + self.only_first_right + self.only_second_right + self.both_wrong
    }
}

/// Computes the two-sided p-value of McNemar's exact test. Under the null hypothesis that both models
/// are equally accurate, each of the `b + c` discordant rows is a fair coin flip, so the
/// p-value is `min(1, 2 · P(X <= min(b, c)))` for `X ~ Binomial(b + c, 1/2)`. This is what
/// `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue` and statsmodels'
/// `mcnemar(table, exact=True)` return. With no discordant rows the p-value is 1.
pub fn mcnemar_exact_p_value(b: u64, c: u64) -> f64 {
    let n = b + c;
    let k = b.min(c);
    if n == 0 || 2 * k == n {
        return 1.0;
    }
    // Sum the binomial probabilities in log space: 0.5^n underflows for n above ~1074.
    let mut log_term = -(n as f64) * std::f64::consts::LN_2;
    let mut log_terms = Vec::with_capacity(k as usize + 1);
    log_terms.push(log_term);
    for i in 0..k {
        log_term += ((n - i) as f64).ln() - ((i + 1) as f64).ln();
        log_terms.push(log_term);
    }
    let largest = log_terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = log_terms.iter().map(|t| (t - largest).exp()).sum();
    let lower_tail = (largest + sum.ln()).exp();
    (2.0 * lower_tail).min(1.0)
}

/// How often two models predict the same class on the same rows, with an abstention counted
/// as a category of its own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PredictionAgreement {
    /// Rows where both give the same class, or both abstain.
    pub same: u64,
    /// `same` as a share of the rows.
    pub rate: f64,
    /// Cohen's kappa between the two models' predictions; `None` when chance agreement is 1.
    pub kappa: Option<f64>,
}

impl PredictionAgreement {
    pub fn new(first: &[Option<u32>], second: &[Option<u32>], n_classes: usize) -> Self {
        assert_eq!(first.len(), second.len(), "one prediction per row");
        // Category `n_classes` is an abstention.
        let category = |p: &Option<u32>| p.map_or(n_classes, |c| c as usize);
        let mut counts = vec![vec![0u64; n_classes + 1]; n_classes + 1];
        for (a, b) in first.iter().zip(second) {
            counts[category(a)][category(b)] += 1;
        }
        let same: u64 = (0..=n_classes).map(|c| counts[c][c]).sum();
        let rate = if first.is_empty() {
            0.0
        } else {
            same as f64 / first.len() as f64
        };
        PredictionAgreement {
            same,
            rate,
            kappa: cohen_kappa(&counts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_table_counts_each_cell() {
        let truth = [0, 0, 1, 1, 1];
        let first = [Some(0), Some(0), Some(0), None, Some(1)];
        let second = [Some(0), Some(1), Some(1), Some(1), Some(0)];
        let table = AgreementTable::new(&truth, &first, &second);
        assert_eq!(table.both_right, 1);
        assert_eq!(table.only_first_right, 2);
        assert_eq!(table.only_second_right, 2);
        assert_eq!(table.both_wrong, 0);
        assert_eq!(table.discordant(), 4);
        assert_eq!(table.total(), 5);
    }

    // Binomial(5, 1/2): P(X <= 1) = 6/32, so the two-sided p-value is 12/32.
    #[test]
    fn mcnemar_small_case_by_hand() {
        assert!((mcnemar_exact_p_value(1, 4) - 0.375).abs() < 1e-15);
        assert!((mcnemar_exact_p_value(4, 1) - 0.375).abs() < 1e-15);
        assert!((mcnemar_exact_p_value(0, 3) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn mcnemar_without_discordant_rows_is_one() {
        assert_eq!(mcnemar_exact_p_value(0, 0), 1.0);
        assert_eq!(mcnemar_exact_p_value(7, 7), 1.0);
        assert!((mcnemar_exact_p_value(7, 8) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn mcnemar_survives_thousands_of_discordant_rows() {
        let p = mcnemar_exact_p_value(1000, 1500);
        assert!(p > 0.0, "{p}");
        assert!(p < 1e-20, "{p}");
    }

    #[test]
    fn abstaining_together_counts_as_agreement() {
        let agreement =
            PredictionAgreement::new(&[None, Some(1), Some(0)], &[None, Some(1), Some(1)], 2);
        assert_eq!(agreement.same, 2);
        assert!((agreement.rate - 2.0 / 3.0).abs() < 1e-15);
    }
}
