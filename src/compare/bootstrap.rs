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
    paired_bootstraps(truth, &[first, second], &[(0, 1)], n_classes, settings)[0]
}

/// Bootstraps several pairs of `models` (indices into it, first minus second) on the same
/// resamples. Each pair's intervals are the ones [`paired_bootstrap`] gives it alone, as
/// every resample depends on the seed only; drawing the rows once for all pairs saves the
/// time of drawing them again.
pub fn paired_bootstraps(
    truth: &[u32],
    models: &[&[Option<u32>]],
    pairs: &[(usize, usize)],
    n_classes: usize,
    settings: &BootstrapSettings,
) -> Vec<Differences> {
    let n = truth.len();
    let confusion = |counts: &[u64]| ConfusionMatrix {
        counts: counts.chunks(n_classes + 1).map(<[u64]>::to_vec).collect(),
    };
    // Each row's cell in each model's confusion matrix, flattened; the last column of a
    // row of the matrix counts abstentions.
    let cells: Vec<Vec<u32>> = models
        .iter()
        .map(|predicted| {
            truth
                .iter()
                .zip(predicted.iter())
                .map(|(&t, p)| t * (n_classes as u32 + 1) + p.map_or(n_classes as u32, |p| p))
                .collect()
        })
        .collect();
    let whole: Vec<ConfusionMatrix> = models
        .iter()
        .map(|predicted| ConfusionMatrix::new(truth, predicted, n_classes))
        .collect();

    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    rng.set_stream(BOOTSTRAP_STREAM);
    let mut resampled: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|_| {
            let buffer = || Vec::with_capacity(settings.resamples);
            (buffer(), buffer())
        })
        .collect();
    let mut counts = vec![vec![0u64; n_classes * (n_classes + 1)]; models.len()];
    for _ in 0..settings.resamples {
        if n == 0 {
            break;
        }
        counts.iter_mut().for_each(|c| c.fill(0));
        for _ in 0..n {
            let row = rng.gen_range(0..n);
            for (model_counts, model_cells) in counts.iter_mut().zip(&cells) {
                model_counts[model_cells[row] as usize] += 1;
            }
        }
        let matrices: Vec<ConfusionMatrix> = counts.iter().map(|c| confusion(c)).collect();
        for (&(first, second), (accuracy, f1)) in pairs.iter().zip(resampled.iter_mut()) {
            accuracy.push(accuracy_of(&matrices[first]) - accuracy_of(&matrices[second]));
            f1.push(macro_f1_of(&matrices[first]) - macro_f1_of(&matrices[second]));
        }
    }
    pairs
        .iter()
        .zip(resampled)
        .map(|(&(first, second), (accuracy, f1))| {
            let (first, second) = (&whole[first], &whole[second]);
            let accuracy_estimate = accuracy_of(first) - accuracy_of(second);
            let f1_estimate = macro_f1_of(first) - macro_f1_of(second);
            Differences {
                accuracy: interval(accuracy_estimate, accuracy, settings.confidence),
                macro_f1: interval(f1_estimate, f1, settings.confidence),
            }
        })
        .collect()
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
    fn pairs_on_shared_resamples_match_each_pair_alone() {
        let (truth, first, second) = example();
        let third: Vec<Option<u32>> = truth.iter().map(|&t| Some(1 - t)).collect();
        let models = [first.as_slice(), second.as_slice(), third.as_slice()];
        let together = paired_bootstraps(&truth, &models, &[(0, 1), (2, 1)], 2, &settings(3));
        assert_eq!(
            together[0],
            paired_bootstrap(&truth, &first, &second, 2, &settings(3))
        );
        assert_eq!(
            together[1],
            paired_bootstrap(&truth, &third, &second, 2, &settings(3))
        );
    }

    #[test]
    fn percentile_interpolates_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], 25) == 1.75
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0], 0.25) - 1.75).abs() < 1e-15);
    }
}
