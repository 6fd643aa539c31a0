//! Chooses the tree depth on the validation split.

use ndarray::ArrayView2;
use serde::Serialize;

use super::fit::{fit_tree, TreeParams};
use super::model::DecisionTree;
use crate::error::Result;

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

/// One tried setting and its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    pub max_depth: Option<usize>,
    pub train_accuracy: f64,
    pub validation_accuracy: f64,
    pub leaves: usize,
}

/// The tuned tree and every trial, in the order tried.
#[derive(Debug, Clone)]
pub struct Tuned {
    pub tree: DecisionTree,
    pub params: TreeParams,
    pub trials: Vec<Trial>,
}

/// Fits a tree on the training rows for each depth, scores each on the validation rows and
/// keeps the most accurate; ties go to the shallower tree, the simpler explanation.
pub fn tune_depth(
    train: (ArrayView2<f64>, &[u32]),
    validation: (ArrayView2<f64>, &[u32]),
    n_classes: usize,
    depths: &[Option<usize>],
    base: TreeParams,
) -> Result<Tuned> {
    let mut best: Option<(f64, DecisionTree, TreeParams)> = None;
    let mut trials = Vec::new();
    for &max_depth in depths {
        let params = TreeParams { max_depth, ..base };
        let tree = fit_tree(train.0, train.1, n_classes, &params)?;
        let train_accuracy = accuracy(&tree, train.0, train.1);
        let validation_accuracy = accuracy(&tree, validation.0, validation.1);
        trials.push(Trial {
            max_depth,
            train_accuracy,
            validation_accuracy,
            leaves: tree.n_leaves(),
        });
        if best
            .as_ref()
            .is_none_or(|(score, _, _)| validation_accuracy > *score)
        {
            best = Some((validation_accuracy, tree, params));
        }
    }
    let (_, tree, params) = best.expect("at least one depth is tried");
    Ok(Tuned {
        tree,
        params,
        trials,
    })
}

fn accuracy(tree: &DecisionTree, features: ArrayView2<f64>, labels: &[u32]) -> f64 {
    if labels.is_empty() {
        return 0.0;
    }
    let correct = features
        .rows()
        .into_iter()
        .zip(labels)
        .filter(|(row, &label)| tree.predict_row(row.view()) == label)
        .count();
    correct as f64 / labels.len() as f64
}
