//! Feature importance: the impurity decrease of each column's splits (scikit-learn's
//! `feature_importances_`, mean decrease in impurity), summed over the one-hot features of
//! a categorical column and normalised to add up to 1.

use serde::Serialize;

use super::encode::Encoder;
use super::fit::Criterion;
use super::model::{DecisionTree, Node};

/// How much one column's splits reduce the impurity of the training rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnImportance {
    pub column: String,
    /// The column's share of the total impurity decrease, between 0 and 1.
    pub importance: f64,
    /// Split nodes that test the column.
    pub splits: usize,
}

/// The importance of every column the encoder uses, most important first (ties in
/// column order). Columns the tree never splits on are listed with 0.
pub fn column_importance(
    tree: &DecisionTree,
    encoder: &Encoder,
    criterion: Criterion,
) -> Vec<ColumnImportance> {
    let mut columns: Vec<ColumnImportance> = Vec::new();
    for feature in &encoder.features {
        if !columns.iter().any(|c| c.column == feature.column()) {
            columns.push(ColumnImportance {
                column: feature.column().to_string(),
                importance: 0.0,
                splits: 0,
            });
        }
    }

    let counts = tree.node_counts();
    let total_rows: u32 = counts.first().map_or(0, |c| c.iter().sum());
    let mut total = 0.0;
    for (index, node) in tree.nodes.iter().enumerate() {
        let Node::Split {
            feature,
            left,
            right,
            ..
        } = node
        else {
            continue;
        };
        let weighted = |n: usize| {
            let rows: u32 = counts[n].iter().sum();
            rows as f64 * impurity(&counts[n], criterion)
        };
        let decrease = (weighted(index) - weighted(*left) - weighted(*right)) / total_rows as f64;
        total += decrease;
        let name = encoder.features[*feature].column();
        if let Some(entry) = columns.iter_mut().find(|c| c.column == name) {
            entry.importance += decrease;
            entry.splits += 1;
        }
    }
    if total > 0.0 {
        columns.iter_mut().for_each(|c| c.importance /= total);
    }
    // A stable sort keeps column order among equal importances.
    columns.sort_by(|a, b| b.importance.total_cmp(&a.importance));
    columns
}

/// Gini impurity or entropy (in bits) of class counts, in `f64`.
fn impurity(counts: &[u32], criterion: Criterion) -> f64 {
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let shares = counts.iter().map(|&c| c as f64 / total as f64);
    match criterion {
        Criterion::Gini => 1.0 - shares.map(|p| p * p).sum::<f64>(),
        Criterion::Entropy => shares.filter(|&p| p > 0.0).map(|p| -p * p.log2()).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::encode::Feature;

    #[test]
    fn importance_matches_hand_computation() {
        // The root (4 rows of each class, Gini 0.5) splits on `a` into [4, 2] and [0, 2];
        // the left child splits on `b` into pure leaves.
        let tree = DecisionTree {
            nodes: vec![
                Node::Split {
                    feature: 0,
                    threshold: 0.5,
                    left: 1,
                    right: 4,
                },
                Node::Split {
                    feature: 1,
                    threshold: 0.5,
                    left: 2,
                    right: 3,
                },
                Node::Leaf {
                    class: 0,
                    counts: vec![4, 0],
                },
                Node::Leaf {
                    class: 1,
                    counts: vec![0, 2],
                },
                Node::Leaf {
                    class: 1,
                    counts: vec![0, 2],
                },
            ],
            n_classes: 2,
        };
        let encoder = Encoder {
            features: vec![
                Feature::Numeric {
                    column: "a".into(),
                    fill: 0.0,
                    scaling: None,
                },
                Feature::Numeric {
                    column: "b".into(),
                    fill: 0.0,
                    scaling: None,
                },
            ],
        };
        // Root: 8 × 0.5 − 6 × (1 − (4/6)² − (2/6)²) − 0 = 4 − 8/3 = 4/3.
        // Node 1: 6 × 4/9 − 0 − 0 = 8/3. Total 4, so a: 1/3, b: 2/3.
        let importance = column_importance(&tree, &encoder, Criterion::Gini);
        assert_eq!(importance[0].column, "b");
        assert!((importance[0].importance - 2.0 / 3.0).abs() < 1e-12);
        assert!((importance[1].importance - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(importance[1].splits, 1);
    }
}
