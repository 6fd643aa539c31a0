//! Seeded paired bootstrap confidence intervals for the difference between two models.
//!
//! Each resample draws the test rows with replacement, the same rows for both models, and
//! recomputes the difference in accuracy and in macro F1. The interval is the percentile
//! interval of those differences (linear interpolation between order statistics, as numpy's
//! default `percentile`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::metrics::{accuracy_of, macro_f1_of, ConfusionMatrix};

/// The stream of the seeded generator used for resampling, apart from the split's stream 0
/// so that the split and the resamples do not reuse the same random numbers.
const BOOTSTRAP_STREAM: u64 = 1;

/// Resamples drawn by default.
pub const DEFAULT_RESAMPLES: usize = 2000;

/// How the intervals are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapSettings {
    pub resamples: usize,
    /// The coverage of each interval, such as 0.95.
    pub confidence: f64,
    pub seed: u64,
}

/// A difference between two models with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The difference on the test rows themselves (first model minus second).
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// True when the interval lies entirely on one side of zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The bootstrap intervals of one paired comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Differences {
    pub accuracy: Interval,
    pub macro_f1: Interval,
}

/// Bootstraps the first model's accuracy and macro F1 minus the second's on the same rows.
pub fn paired_bootstrap(
    truth: &[u32],
    first: &[Option<u32>],
    second: &[Option<u32>],
    n_classes: usize,
    settings: &BootstrapSettings,
) -> Differences {
    let n = truth.len();
    let whole = |predicted: &[Option<u32>]| ConfusionMatrix::new(truth, predicted, n_classes);
    let (first_all, second_all) = (whole(first), whole(second));
    let accuracy_estimate = accuracy_of(&first_all) - accuracy_of(&second_all);
    let f1_estimate = macro_f1_of(&first_all) - macro_f1_of(&second_all);

    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    rng.set_stream(BOOTSTRAP_STREAM);
    let mut accuracy_differences = Vec::with_capacity(settings.resamples);
    let mut f1_differences = Vec::with_capacity(settings.resamples);
    let empty = vec![vec![0u64; n_classes + 1]; n_classes];
    for _ in 0..settings.resamples {
        if n == 0 {
            break;
        }
        let mut first_counts = ConfusionMatrix {
            counts: empty.clone(),
        };
        let mut second_counts = first_counts.clone();
        for _ in 0..n {
            let row = rng.gen_range(0..n);
            let t = truth[row] as usize;
            first_counts.counts[t][first[row].map_or(n_classes, |p| p as usize)] += 1;
            second_counts.counts[t][second[row].map_or(n_classes, |p| p as usize)] += 1;
        }
        accuracy_differences.push(accuracy_of(&first_counts) - accuracy_of(&second_counts));
        f1_differences.push(macro_f1_of(&first_counts) - macro_f1_of(&second_counts));
    }
    Differences {
        accuracy: interval(accuracy_estimate, accuracy_differences, settings.confidence),
        macro_f1: interval(f1_estimate, f1_differences, settings.confidence),
    }
}

fn interval(estimate: f64, mut resampled: Vec<f64>, confidence: f64) -> Interval {
    if resampled.is_empty() {
        return Interval {
            estimate,
            low: estimate,
            high: estimate,
        };
    }
    resampled.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval {
        estimate,
        low: percentile(&resampled, tail),
        high: percentile(&resampled, 1.0 - tail),
    }
}

/// The `q` quantile of sorted values, interpolating linearly between neighbours.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * weight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(seed: u64) -> BootstrapSettings {
        BootstrapSettings {
            resamples: 500,
            confidence: 0.95,
            seed,
        }
    }

    fn example() -> (Vec<u32>, Vec<Option<u32>>, Vec<Option<u32>>) {
        let truth: Vec<u32> = (0..60).map(|i| (i % 3 == 0) as u32).collect();
        let first: Vec<Option<u32>> = truth
            .iter()
            .enumerate()
            .map(|(i, &t)| Some(if i % 7 == 0 { 1 - t } else { t }))
            .collect();
        let second: Vec<Option<u32>> = truth
            .iter()
            .enumerate()
            .map(|(i, &t)| if i % 4 == 0 { None } else { Some(t) })
            .collect();
        (truth, first, second)
    }

    #[test]
    fn same_seed_gives_same_interval() {
        let (truth, first, second) = example();
        let a = paired_bootstrap(&truth, &first, &second, 2, &settings(7));
        let b = paired_bootstrap(&truth, &first, &second, 2, &settings(7));
        let c = paired_bootstrap(&truth, &first, &second, 2, &settings(8));
        assert_eq!(a, b);
        assert_ne!(a.accuracy.low, c.accuracy.low);
    }

    #[test]
    fn interval_brackets_the_estimate() {
        let (truth, first, second) = example();
        let d = paired_bootstrap(&truth, &first, &second, 2, &settings(1));
        // first is wrong on 9 rows, second abstains on 15: 51/60 - 45/60.
        assert!((d.accuracy.estimate - 0.1).abs() < 1e-12);
        assert!(d.accuracy.low <= d.accuracy.estimate);
        assert!(d.accuracy.high >= d.accuracy.estimate);
        assert!(d.macro_f1.low <= d.macro_f1.high);
    }

    #[test]
    fn identical_models_have_a_zero_width_interval() {
        let (truth, first, _) = example();
        let d = paired_bootstrap(&truth, &first, &first, 2, &settings(1));
        assert_eq!((d.accuracy.low, d.accuracy.high), (0.0, 0.0));
        assert!(!d.accuracy.excludes_zero());
    }

    #[test]
    fn percentile_interpolates_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], 25) == 1.75
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0], 0.25) - 1.75).abs() < 1e-15);
    }
}
