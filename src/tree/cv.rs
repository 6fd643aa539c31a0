//! Stratified K-fold cross-validation over the grid. Each fold learns its own
//! preprocessing from its own training part, so no statistic leaks from held-out rows.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::encode::{Encoder, Preprocessing};
use super::search::{choose, fit_group, predict_all, Grid, GridRow, Metric, Search};
use super::units::TrainingSet;
use crate::data::Table;
use crate::error::{Error, Result};

/// The ChaCha8 stream for fold assignment, apart from the split's stream 0.
const FOLD_STREAM: u64 = 1;

/// Assigns each of `labels` (one per row of the pool) to one of `k` folds: each class is
/// shuffled with the seed and dealt round-robin, so every fold keeps the class balance.
pub fn stratified_folds(labels: &[u32], n_classes: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (position, &label) in labels.iter().enumerate() {
        by_class[label as usize].push(position);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(FOLD_STREAM);
    let mut folds = vec![0; labels.len()];
    // Dealing continues across classes, so small classes do not all start in fold 0.
    let mut next = 0;
    for mut positions in by_class {
        positions.shuffle(&mut rng);
        for position in positions {
            folds[position] = next % k;
            next += 1;
        }
    }
    folds
}

/// The rows and labels cross-validation runs on.
pub struct Pool<'a> {
    pub table: &'a Table,
    pub columns: &'a [usize],
    /// Table rows of the pool (training plus validation rows).
    pub rows: &'a [usize],
    pub labels: &'a [u32],
    pub classes: &'a [String],
}

impl Pool<'_> {
    /// Splits the pool's table rows and labels into those of `fold` (`held_out`) or those of
    /// the other folds.
    fn part(&self, folds: &[usize], fold: usize, held_out: bool) -> (Vec<usize>, Vec<u32>) {
        (0..self.rows.len())
            .filter(|&p| (folds[p] == fold) == held_out)
            .map(|p| (self.rows[p], self.labels[p]))
            .unzip()
    }
}

/// Scores every setting of `grid` by `k`-fold cross-validation on the pool.
pub fn search_cv(
    pool: &Pool,
    k: usize,
    seed: u64,
    grid: &Grid,
    metric: Metric,
    preprocessing: &Preprocessing,
) -> Result<Search> {
    if k < 2 || k > pool.rows.len() {
        return Err(Error::usage(format!(
            "--cv {k} needs between 2 and {} folds: one fold per row at most, as the \
             training and validation rows number {}",
            pool.rows.len(),
            pool.rows.len()
        )));
    }
    let folds = stratified_folds(pool.labels, pool.classes.len(), k, seed);
    // Per setting (grid order): scores and leaves per fold.
    let mut train_scores: Vec<Vec<f64>> = Vec::new();
    let mut held_out_scores: Vec<Vec<f64>> = Vec::new();
    let mut leaves: Vec<Vec<f64>> = Vec::new();
    let mut accuracies: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut params = Vec::new();

    for fold in 0..k {
        let (fit_rows, fit_labels) = pool.part(&folds, fold, false);
        let (held_rows, held_labels) = pool.part(&folds, fold, true);
        // Each fold learns its preprocessing from its own training part only.
        let encoder = Encoder::fit_with(pool.table, pool.columns, &fit_rows, preprocessing);
        let held_x = encoder.rows(pool.table, &held_rows);
        let n_classes = pool.classes.len();
        let training = TrainingSet::new(&encoder, pool.table, &fit_rows, &fit_labels, n_classes);

        let mut setting = 0;
        for (base, depths) in grid.groups() {
            fit_group(&training, &base, &depths, |p, tree| {
                if fold == 0 {
                    params.push(p);
                    train_scores.push(Vec::with_capacity(k));
                    held_out_scores.push(Vec::with_capacity(k));
                    leaves.push(Vec::with_capacity(k));
                    accuracies.push(Vec::with_capacity(k));
                }
                let train = metric.of(
                    &fit_labels,
                    &predict_all(&tree, &training.raw),
                    pool.classes,
                );
                let held = metric.of(&held_labels, &predict_all(&tree, &held_x), pool.classes);
                train_scores[setting].push(train.0);
                held_out_scores[setting].push(held.0);
                accuracies[setting].push((train.1, held.1));
                leaves[setting].push(tree.n_leaves() as f64);
                setting += 1;
                Ok(())
            })?;
        }
    }

    let rows: Vec<GridRow> = params
        .into_iter()
        .enumerate()
        .map(|(s, params)| {
            let mean_leaves = mean(&leaves[s]);
            let (train_accuracy, held_accuracy): (Vec<f64>, Vec<f64>) =
                accuracies[s].iter().copied().unzip();
            GridRow {
                params,
                leaves: mean_leaves.round() as usize,
                train_score: mean(&train_scores[s]),
                validation_score: mean(&held_out_scores[s]),
                validation_std: Some(standard_deviation(&held_out_scores[s])),
                mean_leaves,
                accuracy: (mean(&train_accuracy), mean(&held_accuracy)),
            }
        })
        .collect();
    Ok(Search {
        metric,
        cv_folds: Some(k),
        chosen: choose(&rows),
        rows,
    })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The population standard deviation (numpy's default, `ddof=0`).
fn standard_deviation(values: &[f64]) -> f64 {
    let m = mean(values);
    (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_keep_class_balance() {
        let labels: Vec<u32> = (0..30).map(|i| u32::from(i >= 20)).collect();
        let folds = stratified_folds(&labels, 2, 5, 7);
        for fold in 0..5 {
            let members: Vec<usize> = (0..30).filter(|&p| folds[p] == fold).collect();
            assert_eq!(members.len(), 6);
            let ones = members.iter().filter(|&&p| labels[p] == 1).count();
            assert_eq!(ones, 2);
        }
        assert_eq!(folds, stratified_folds(&labels, 2, 5, 7));
        assert_ne!(folds, stratified_folds(&labels, 2, 5, 8));
    }

    #[test]
    fn fold_parts_partition_the_pool() {
        use crate::data::{Column, ColumnData};
        let table = Table {
            columns: vec![Column {
                name: "x".into(),
                data: ColumnData::Numeric((0..12).map(f64::from).collect()),
            }],
            line_numbers: (2..14).collect(),
        };
        let rows: Vec<usize> = (2..12).collect();
        let labels: Vec<u32> = rows.iter().map(|&r| u32::from(r >= 7)).collect();
        let classes = ["a".to_string(), "b".to_string()];
        let pool = Pool {
            table: &table,
            columns: &[0],
            rows: &rows,
            labels: &labels,
            classes: &classes,
        };
        let folds = stratified_folds(&labels, 2, 5, 3);
        for fold in 0..5 {
            let (fit, fit_labels) = pool.part(&folds, fold, false);
            let (held, _) = pool.part(&folds, fold, true);
            assert_eq!(fit.len(), 8);
            assert_eq!(held.len(), 2);
            assert!(fit.iter().all(|r| !held.contains(r)));
            assert_eq!(
                fit_labels,
                fit.iter().map(|&r| u32::from(r >= 7)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn population_standard_deviation() {
        assert_eq!(standard_deviation(&[1.0, 3.0]), 1.0);
        assert_eq!(standard_deviation(&[2.0, 2.0, 2.0]), 0.0);
    }
}
