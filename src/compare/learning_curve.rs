//! The learning curve: the tree refitted on growing shares of the training rows and scored
//! on the validation rows next to the rules. It shows whether more data would let the tree
//! catch up with the rules or pull away from them. The test rows are not used.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::metrics::score;
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

#[cfg(test)]
mod tests {
    use super::*;

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
