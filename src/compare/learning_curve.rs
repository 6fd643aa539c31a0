//! The learning curve: the tree refitted on growing shares of the training rows and scored
//! on the validation rows next to the rules. It shows whether more data would let the tree
//! catch up with the rules or pull away from them. The test rows are not used.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::metrics::score;
use super::noise::{binomial_standard_error, difference_standard_error, NOISE_MULTIPLE};
use crate::data::Split;
use crate::error::Result;
use crate::tree::search::predict_all;
use crate::tree::{LabelledTable, Metric, Preprocessing, TreeParams};

/// The shares of the training rows, in percent.
pub const CURVE_PERCENTS: [u32; 10] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

/// The ChaCha8 stream for drawing the shares, apart from the split's and the folds'.
const CURVE_STREAM: u64 = 2;

/// One point of the curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// The share of the training rows, in percent.
    pub percent: u32,
    pub train_rows: usize,
    /// The tree's score on the validation rows.
    pub tree_score: f64,
    /// The rules' score on the same rows; the rules learn nothing, so it stays put.
    pub rules_score: f64,
}

/// The learning curve in the selection metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearningCurve {
    pub metric: Metric,
    pub points: Vec<CurvePoint>,
}

/// Nested, stratified shares of `train`: each class is shuffled once with the seed and
/// its first `percent` % rows taken (at least one per class), so every share contains the
/// smaller ones.
pub fn training_shares(
    train: &[usize],
    labels: &[u32],
    n_classes: usize,
    seed: u64,
) -> Vec<(u32, Vec<usize>)> {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (&row, &label) in train.iter().zip(labels) {
        by_class[label as usize].push(row);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(CURVE_STREAM);
    by_class.iter_mut().for_each(|rows| rows.shuffle(&mut rng));
    CURVE_PERCENTS
        .iter()
        .map(|&percent| {
            let mut rows: Vec<usize> = by_class
                .iter()
                .flat_map(|class_rows| {
                    let n = class_rows.len();
                    let take = ((n as f64 * f64::from(percent) / 100.0).round() as usize)
                        .clamp(n.min(1), n);
                    class_rows[..take].iter().copied()
                })
                .collect();
            rows.sort_unstable();
            (percent, rows)
        })
        .collect()
}

/// Fits the tree with the chosen settings at each share and scores it and the rules on the
/// validation rows. `rule_predictions` contains the rules' class for each validation row.
pub fn learning_curve(
    data: &LabelledTable,
    split: &Split,
    chosen: (&TreeParams, &Preprocessing),
    rule_predictions: &[Option<u32>],
    metric: Metric,
    seed: u64,
) -> Result<LearningCurve> {
    let validation_y = data.classes_of(&split.validation);
    let rules_score = metric.pick(&score(&validation_y, rule_predictions, data.classes));
    let train_y = data.classes_of(&split.train);
    let mut points = Vec::new();
    for (percent, rows) in training_shares(&split.train, &train_y, data.classes.len(), seed) {
        let (encoder, tree) = data.fit_on(&rows, chosen.0, chosen.1)?;
        let validation_x = encoder.rows(data.table, &split.validation);
        let predicted = predict_all(&tree, &validation_x);
        points.push(CurvePoint {
            percent,
            train_rows: rows.len(),
            tree_score: metric.of(&validation_y, &predicted, data.classes).0,
            rules_score,
        });
    }
    Ok(LearningCurve { metric, points })
}

/// The curve's trend is read over its second half, from this share of the training rows on:
/// that is where it shows whether more rows still help.
const TREND_FROM_PERCENT: u32 = 50;

/// Writes the plain-words reading of the curve. The trend is the change over the second half
/// of the curve on a least-squares line through its points, so one noisy point cannot decide
/// it. It is weighed against the binomial standard error of a score on the `validation_rows`
/// rows: a change within [`NOISE_MULTIPLE`] standard errors is read as no clear sign, and a
/// rise whose last step falls is never read as still rising. Returns `None` for a curve with
/// fewer than two points in its second half.
pub fn curve_verdict(curve: &LearningCurve, validation_rows: usize) -> Option<String> {
    let half: Vec<&CurvePoint> = curve
        .points
        .iter()
        .filter(|p| p.percent >= TREND_FROM_PERCENT)
        .collect();
    let [first, .., last] = half.as_slice() else {
        return None;
    };
    let before_last = half[half.len() - 2];
    let change = fitted_slope(&half) * f64::from(last.percent - first.percent);
    let error = binomial_standard_error(last.tree_score, validation_rows);
    let noise = NOISE_MULTIPLE * error;
    let last_step = last.tree_score - before_last.tree_score;
    let lowest = half
        .iter()
        .map(|p| p.tree_score)
        .fold(f64::INFINITY, f64::min);
    let highest = half
        .iter()
        .map(|p| p.tree_score)
        .fold(f64::NEG_INFINITY, f64::max);

    let span = format!(
        "From {} % to {} % of the training rows",
        first.percent, last.percent
    );
    let noise_note = format!(
        "twice the standard error of a score on {validation_rows} validation rows ({})",
        amount(noise)
    );
    let trend = if change.abs() <= noise {
        let shape = if highest - lowest <= noise {
            "the points stay within that band too, so the curve is flat within noise and shows \
             no clear sign that more rows of the same kind would help the tree"
                .to_string()
        } else {
            format!(
                "the points move up and down by up to {}, more than that, so the curve gives no \
                 clear sign either way",
                amount(highest - lowest)
            )
        };
        format!(
            "{span} the tree's score changed by {} on a straight-line fit, within {noise_note}: \
             {shape}.",
            signed_amount(change)
        )
    } else if change > 0.0 && last_step < 0.0 {
        format!(
            "{span} the tree's score rose by {} on a straight-line fit, more than {noise_note}, \
             but fell by {} over the last step: it may be levelling off, so the curve gives no \
             clear sign that more rows would help.",
            amount(change),
            amount(-last_step)
        )
    } else if change > 0.0 {
        format!(
            "{span} the tree's score rose by {} on a straight-line fit, more than {noise_note}: \
             this suggests more rows of the same kind may still help the tree.",
            amount(change)
        )
    } else {
        format!(
            "{span} the tree's score fell by {} on a straight-line fit, more than {noise_note}: \
             the rows added later did not help the tree on these validation rows.",
            amount(-change)
        )
    };
    Some(format!("{trend} {}", standing(last, validation_rows)))
}

/// Compares tree and rules at the last point, weighing the difference against noise. Both
/// are scored on the same rows, so treating them as independent overstates the noise a little.
fn standing(last: &CurvePoint, validation_rows: usize) -> String {
    let difference = last.tree_score - last.rules_score;
    let start = "With all of the training rows the tree is";
    if difference == 0.0 {
        return format!("{start} level with the rules.");
    }
    let noise = NOISE_MULTIPLE
        * difference_standard_error(
            (last.tree_score, validation_rows),
            (last.rules_score, validation_rows),
        );
    let side = if difference > 0.0 {
        "ahead of"
    } else {
        "behind"
    };
    let size = amount(difference.abs());
    if difference.abs() <= noise {
        format!(
            "{start} {side} the rules by {size}, within twice the standard error of the \
             difference ({}), so the two are level within noise.",
            amount(noise)
        )
    } else {
        format!(
            "{start} {side} the rules by {size}, more than twice the standard error of the \
             difference ({}).",
            amount(noise)
        )
    }
}

/// Returns the least-squares slope of the tree's score against the percent of rows.
fn fitted_slope(points: &[&CurvePoint]) -> f64 {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| f64::from(p.percent)).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.tree_score).sum::<f64>() / n;
    let covariance: f64 = points
        .iter()
        .map(|p| (f64::from(p.percent) - mean_x) * (p.tree_score - mean_y))
        .sum();
    let variance: f64 = points
        .iter()
        .map(|p| (f64::from(p.percent) - mean_x).powi(2))
        .sum();
    covariance / variance
}

/// Formats a difference with its sign and as many decimals as [`amount`] gives it.
fn signed_amount(value: f64) -> String {
    let text = amount(value);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// Formats a size with three decimals, or four below 0.01 so that two small sizes compared
/// in one sentence do not print alike. A value that rounds to zero has no minus sign.
fn amount(value: f64) -> String {
    let decimals = if value.abs() < 0.01 { 4 } else { 3 };
    let scale = 10f64.powi(decimals);
    let rounded = (value * scale).round() / scale;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded:.prec$}", prec = decimals as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A curve over 10 % to 100 % with the tree's scores given and the rules at 0.7.
    fn curve(tree_scores: [f64; 10]) -> LearningCurve {
        LearningCurve {
            metric: Metric::Accuracy,
            points: CURVE_PERCENTS
                .iter()
                .zip(tree_scores)
                .map(|(&percent, tree_score)| CurvePoint {
                    percent,
                    train_rows: percent as usize * 10,
                    tree_score,
                    rules_score: 0.7,
                })
                .collect(),
        }
    }

    #[test]
    fn rising_curve_suggests_more_rows() {
        let scores = [0.60, 0.64, 0.67, 0.70, 0.72, 0.74, 0.76, 0.78, 0.80, 0.82];
        let text = curve_verdict(&curve(scores), 1000).unwrap();
        assert!(
            text.contains("rose by 0.100 on a straight-line fit"),
            "{text}"
        );
        assert!(
            text.contains("this suggests more rows of the same kind may still help"),
            "{text}"
        );
        assert!(
            text.contains("ahead of the rules by 0.120, more than twice"),
            "{text}"
        );
        assert!(!text.contains("would likely"), "{text}");
    }

    #[test]
    fn falling_last_step_is_not_rising() {
        let scores = [0.60, 0.64, 0.67, 0.70, 0.72, 0.76, 0.80, 0.84, 0.88, 0.86];
        let text = curve_verdict(&curve(scores), 1000).unwrap();
        assert!(
            text.contains("but fell by 0.020 over the last step"),
            "{text}"
        );
        assert!(
            text.contains("no clear sign that more rows would help"),
            "{text}"
        );
        assert!(!text.contains("may still help"), "{text}");
        assert!(!text.contains("rising"), "{text}");
    }

    #[test]
    fn falling_curve_says_the_rows_did_not_help() {
        let scores = [0.80, 0.80, 0.80, 0.80, 0.80, 0.78, 0.76, 0.74, 0.72, 0.70];
        let text = curve_verdict(&curve(scores), 2000).unwrap();
        assert!(text.contains("fell by 0.100"), "{text}");
        assert!(text.contains("did not help the tree"), "{text}");
        assert!(text.contains("level with the rules."), "{text}");
    }

    #[test]
    fn noisy_curve_gives_no_clear_sign() {
        // 120 validation rows: twice the standard error of a score near 0.7 is about 0.08.
        let scores = [
            0.60, 0.675, 0.733, 0.658, 0.675, 0.717, 0.667, 0.567, 0.617, 0.717,
        ];
        let text = curve_verdict(&curve(scores), 120).unwrap();
        assert!(text.contains("within twice the standard error"), "{text}");
        assert!(text.contains("move up and down by up to 0.150"), "{text}");
        assert!(text.contains("no clear sign either way"), "{text}");
        assert!(text.contains("level within noise"), "{text}");
    }

    #[test]
    fn flat_curve_is_flat_within_noise() {
        let scores = [0.70, 0.75, 0.80, 0.80, 0.81, 0.80, 0.81, 0.80, 0.81, 0.81];
        let text = curve_verdict(&curve(scores), 500).unwrap();
        assert!(text.contains("flat within noise"), "{text}");
        assert!(text.contains("no clear sign that more rows"), "{text}");
    }

    #[test]
    fn same_change_counts_on_many_rows_only() {
        let scores = [0.70, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79];
        let few = curve_verdict(&curve(scores), 100).unwrap();
        assert!(few.contains("within twice the standard error"), "{few}");
        let many = curve_verdict(&curve(scores), 5000).unwrap();
        assert!(many.contains("may still help"), "{many}");
    }

    #[test]
    fn curve_without_a_second_half_has_no_verdict() {
        let mut short = curve([0.7; 10]);
        short.points.retain(|p| p.percent <= 50);
        assert_eq!(curve_verdict(&short, 100), None);
        let mut two = curve([0.7; 10]);
        two.points.retain(|p| p.percent == 50 || p.percent == 100);
        assert!(curve_verdict(&two, 100).is_some());
    }

    #[test]
    fn amounts_keep_two_significant_digits() {
        assert_eq!(amount(0.0123), "0.012");
        assert_eq!(amount(0.00734), "0.0073");
        assert_eq!(signed_amount(-0.00001), "+0.0000");
        assert_eq!(signed_amount(0.05), "+0.050");
    }

    #[test]
    fn shares_are_nested_and_stratified() {
        let train: Vec<usize> = (100..140).collect();
        let labels: Vec<u32> = (0..40).map(|i| u32::from(i % 4 == 0)).collect();
        let shares = training_shares(&train, &labels, 2, 5);
        assert_eq!(shares.len(), 10);
        assert_eq!(shares[0].1.len(), 4);
        assert_eq!(shares[9].1, train);
        for pair in shares.windows(2) {
            assert!(pair[0].1.iter().all(|r| pair[1].1.contains(r)));
        }
        let ones = shares[4].1.iter().filter(|&&r| (r - 100) % 4 == 0).count();
        assert_eq!(ones, 5);
    }
}
