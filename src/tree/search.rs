//! The hyperparameter grid, the selection metric, and the search on a validation split.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fit::{check_params, Criterion, SplitSearch, TreeParams};
use super::grow::prune;
use super::matrix::FeatureMatrix;
use super::model::DecisionTree;
use super::units::TrainingSet;
use crate::compare::metrics::score;
use crate::error::{Error, Result};

/// The score that chooses between settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The share of rows predicted right.
    #[default]
    Accuracy,
    /// The mean recall over classes.
    BalancedAccuracy,
    /// The mean F1 over classes.
    MacroF1,
}

impl Metric {
    /// Returns the metric's name in tables.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::BalancedAccuracy => "balanced accuracy",
            Metric::MacroF1 => "macro F1",
        }
    }

    /// Scores `predicted` against `truth` with scikit-learn's definitions: this metric,
    /// then accuracy.
    pub fn of(self, truth: &[u32], predicted: &[u32], classes: &[String]) -> (f64, f64) {
        let predicted: Vec<Option<u32>> = predicted.iter().copied().map(Some).collect();
        let scores = score(truth, &predicted, classes);
        (self.pick(&scores), scores.accuracy)
    }

    /// Picks this metric out of a full set of scores.
    pub fn pick(self, scores: &crate::compare::Scores) -> f64 {
        match self {
            Metric::Accuracy => scores.accuracy,
            Metric::BalancedAccuracy => scores.balanced_accuracy,
            Metric::MacroF1 => scores.macro_f1,
        }
    }
}

/// The values tried for each hyperparameter; the search tries every combination.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub max_depth: Vec<Option<usize>>,
    pub min_weight_leaf: Vec<f32>,
    pub min_weight_split: Vec<f32>,
    pub min_impurity_decrease: Vec<f64>,
    pub criterion: Vec<Criterion>,
    /// One search for every setting.
    pub split_search: SplitSearch,
}

/// Depths tried by default; `None` (no limit) comes last.
pub const DEFAULT_DEPTHS: [Option<usize>; 10] = [
    Some(1),
    Some(2),
    Some(3),
    Some(4),
    Some(5),
    Some(6),
    Some(8),
    Some(10),
    Some(12),
    None,
];

impl Default for Grid {
    /// 10 depths × 2 criteria × 3 leaf sizes: 60 settings, but only 6 trees are grown
    /// (one per combination of the other settings, cut at each depth).
    fn default() -> Self {
        let defaults = TreeParams::default();
        Grid {
            max_depth: DEFAULT_DEPTHS.to_vec(),
            min_weight_leaf: vec![1.0, 5.0, 20.0],
            min_weight_split: vec![defaults.min_weight_split],
            min_impurity_decrease: vec![defaults.min_impurity_decrease],
            criterion: vec![Criterion::Gini, Criterion::Entropy],
            split_search: SplitSearch::Linfa,
        }
    }
}

impl Grid {
    /// Fails on an empty list or a value the grower cannot use.
    pub fn check(&self) -> Result<()> {
        let lists = [
            ("--max-depth", self.max_depth.len()),
            ("--min-weight-leaf", self.min_weight_leaf.len()),
            ("--min-weight-split", self.min_weight_split.len()),
            ("--min-impurity-decrease", self.min_impurity_decrease.len()),
            ("--criterion", self.criterion.len()),
        ];
        if let Some((flag, _)) = lists.iter().find(|(_, n)| *n == 0) {
            return Err(Error::usage(format!("{flag} needs at least one value")));
        }
        self.groups()
            .iter()
            .flat_map(|(base, depths)| {
                depths
                    .iter()
                    .map(|&max_depth| TreeParams { max_depth, ..*base })
            })
            .try_for_each(|params| check_params(&params))
    }

    /// Counts the settings.
    pub fn len(&self) -> usize {
        self.groups().iter().map(|(_, depths)| depths.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Groups the settings by everything but the depth, in grid order (criterion, leaf
    /// weight, split weight, impurity decrease, then depth). One tree per group is grown
    /// to the deepest depth and cut for the others.
    pub fn groups(&self) -> Vec<(TreeParams, Vec<Option<usize>>)> {
        let mut groups = Vec::new();
        for &criterion in &self.criterion {
            for &min_weight_leaf in &self.min_weight_leaf {
                for &min_weight_split in &self.min_weight_split {
                    for &min_impurity_decrease in &self.min_impurity_decrease {
                        let base = TreeParams {
                            max_depth: None,
                            min_weight_split,
                            min_weight_leaf,
                            min_impurity_decrease,
                            criterion,
                            split_search: self.split_search,
                        };
                        groups.push((base, self.max_depth.clone()));
                    }
                }
            }
        }
        groups
    }
}

/// Fits one tree per group at the group's deepest depth and yields the tree for every
/// depth of the group, in grid order.
pub fn fit_group(
    training: &TrainingSet,
    base: &TreeParams,
    depths: &[Option<usize>],
    mut visit: impl FnMut(TreeParams, DecisionTree) -> Result<()>,
) -> Result<()> {
    let deepest = if depths.contains(&None) {
        None
    } else {
        depths.iter().flatten().max().copied()
    };
    let full = training.fit(&TreeParams {
        max_depth: deepest,
        ..*base
    })?;
    let full_depth = full.depth();
    for &max_depth in depths {
        let tree = match max_depth {
            Some(depth) if depth < full_depth => prune(&full.truncated(depth)),
            _ => full.clone(),
        };
        visit(TreeParams { max_depth, ..*base }, tree)?;
    }
    Ok(())
}

/// One setting of the grid and its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    #[serde(flatten)]
    pub params: TreeParams,
    /// Leaves of the tree (with cross-validation: the mean over folds, rounded).
    pub leaves: usize,
    /// The score on the rows the tree was fitted on (with cross-validation: the mean over
    /// folds of the score on each fold's training part).
    pub train_score: f64,
    /// The score on the validation rows (with cross-validation: the mean over held-out
    /// folds).
    pub validation_score: f64,
    /// The standard deviation of the held-out scores over folds; `None` without
    /// cross-validation.
    pub validation_std: Option<f64>,
    /// Mean leaves over folds, unrounded, for breaking ties.
    #[serde(skip)]
    pub mean_leaves: f64,
    /// Accuracy on the training and validation rows (means over folds with
    /// cross-validation), whatever the metric.
    #[serde(skip)]
    pub accuracy: (f64, f64),
}

/// Every setting tried, and which one was chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    pub metric: Metric,
    /// The number of folds, or `None` when the validation split chose.
    pub cv_folds: Option<usize>,
    pub rows: Vec<GridRow>,
    /// Index into `rows` of the chosen setting.
    pub chosen: usize,
}

impl Search {
    pub fn chosen_row(&self) -> &GridRow {
        &self.rows[self.chosen]
    }
}

/// Finds the best row: the highest validation score. Ties go to fewer leaves (the simpler
/// explanation), then to the earlier setting in grid order.
pub fn choose(rows: &[GridRow]) -> usize {
    let mut best = 0;
    for (index, row) in rows.iter().enumerate().skip(1) {
        let current = &rows[best];
        let better = row.validation_score > current.validation_score
            || (row.validation_score == current.validation_score
                && row.mean_leaves < current.mean_leaves);
        if better {
            best = index;
        }
    }
    best
}

/// Rows predicted together: their features are copied into a block that stays in cache
/// while the rows walk down the tree.
const PREDICT_BLOCK_ROWS: usize = 1024;

/// Predicts every row of `features`, blocks of rows in parallel.
pub fn predict_all(tree: &DecisionTree, features: &dyn FeatureMatrix) -> Vec<u32> {
    let n_features = features.n_features();
    let mut predicted = vec![0u32; features.n_rows()];
    predicted
        .par_chunks_mut(PREDICT_BLOCK_ROWS)
        .enumerate()
        .for_each(|(index, out)| {
            let (start, len) = (index * PREDICT_BLOCK_ROWS, out.len());
            // Column-major: feature `f` of row `i` is at `f * len + i`.
            let mut block = vec![0.0; n_features * len];
            for (feature, column) in block.chunks_mut(len.max(1)).enumerate() {
                features.fill_column(feature, start, column);
            }
            for (row, class) in out.iter_mut().enumerate() {
                *class = tree.predict_with(|feature| block[feature * len + row]);
            }
        });
    predicted
}

/// Fits every setting on the training rows and scores it on the validation rows. Returns
/// the search and the tree of the chosen setting.
pub fn search_holdout(
    training: &TrainingSet,
    validation: (&dyn FeatureMatrix, &[u32]),
    grid: &Grid,
    metric: Metric,
    classes: &[String],
) -> Result<(Search, DecisionTree)> {
    let mut rows = Vec::with_capacity(grid.len());
    let mut best: Option<(usize, DecisionTree)> = None;
    for (base, depths) in grid.groups() {
        fit_group(training, &base, &depths, |params, tree| {
            let train = metric.of(training.labels, &predict_all(&tree, &training.raw), classes);
            let validation = metric.of(validation.1, &predict_all(&tree, validation.0), classes);
            let leaves = tree.n_leaves();
            rows.push(GridRow {
                params,
                leaves,
                train_score: train.0,
                validation_score: validation.0,
                validation_std: None,
                mean_leaves: leaves as f64,
                accuracy: (train.1, validation.1),
            });
            let index = rows.len() - 1;
            if choose(&rows) == index {
                best = Some((index, tree));
            }
            Ok(())
        })?;
    }
    let (chosen, tree) = best.expect("the grid has at least one setting");
    Ok((
        Search {
            metric,
            cv_folds: None,
            rows,
            chosen,
        },
        tree,
    ))
}

/// Training and validation scores for each depth, with every other setting as chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthGap {
    pub max_depth: Option<usize>,
    pub leaves: usize,
    pub train_score: f64,
    pub validation_score: f64,
    /// `train_score - validation_score`.
    pub gap: f64,
    /// True when the gap exceeds [`LARGE_GAP`]: the tree fits its training rows much
    /// better than rows it has not seen.
    pub large_gap: bool,
}

/// A gap between training and validation scores above this (5 points of the metric) is
/// flagged as overfitting.
pub const LARGE_GAP: f64 = 0.05;

/// One depth tried, with every other setting as chosen, scored by accuracy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    pub max_depth: Option<usize>,
    pub train_accuracy: f64,
    pub validation_accuracy: f64,
    pub leaves: usize,
}

impl Search {
    /// Selects the rows that differ from the chosen setting in their depth only, in grid order.
    fn depth_rows(&self) -> impl Iterator<Item = &GridRow> {
        let chosen = self.chosen_row().params;
        self.rows.iter().filter(move |row| {
            TreeParams {
                max_depth: chosen.max_depth,
                ..row.params
            } == chosen
        })
    }

    /// Accuracy per depth, every other setting as chosen.
    pub fn depth_trials(&self) -> Vec<Trial> {
        self.depth_rows()
            .map(|row| Trial {
                max_depth: row.params.max_depth,
                train_accuracy: row.accuracy.0,
                validation_accuracy: row.accuracy.1,
                leaves: row.leaves,
            })
            .collect()
    }

    /// Builds the overfitting report: one entry per depth of the grid.
    pub fn overfitting(&self) -> Vec<DepthGap> {
        self.depth_rows()
            .map(|row| {
                let gap = row.train_score - row.validation_score;
                DepthGap {
                    max_depth: row.params.max_depth,
                    leaves: row.leaves,
                    train_score: row.train_score,
                    validation_score: row.validation_score,
                    gap,
                    large_gap: gap > LARGE_GAP,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(validation_score: f64, leaves: usize) -> GridRow {
        GridRow {
            params: TreeParams::default(),
            leaves,
            train_score: 1.0,
            validation_score,
            validation_std: None,
            mean_leaves: leaves as f64,
            accuracy: (1.0, validation_score),
        }
    }

    #[test]
    fn choose_prefers_score_then_fewer_leaves() {
        assert_eq!(choose(&[row(0.8, 3), row(0.9, 9), row(0.9, 5)]), 2);
        assert_eq!(choose(&[row(0.9, 5), row(0.9, 5)]), 0);
        assert_eq!(choose(&[row(0.7, 1), row(0.6, 1)]), 0);
    }

    #[test]
    fn default_grid_has_sixty_settings_in_six_groups() {
        let grid = Grid::default();
        assert_eq!(grid.len(), 60);
        assert_eq!(grid.groups().len(), 6);
        grid.check().unwrap();
    }

    #[test]
    fn grid_rejects_bad_values() {
        let grid = Grid {
            min_weight_leaf: vec![0.5],
            ..Grid::default()
        };
        assert!(grid.check().is_err());
        let grid = Grid {
            criterion: Vec::new(),
            ..Grid::default()
        };
        assert_eq!(
            grid.check().unwrap_err().message(),
            "--criterion needs at least one value"
        );
    }
}
