//! rulebench's own decision tree: the structure linfa-trees learned, with one routing rule
//! (`value <= threshold` goes left, as during training) and leaf classes that do not depend
//! on hash order.

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Node {
    /// A leaf predicting `class`; `counts[c]` is the number of training rows of class `c`
    /// that reach it.
    Leaf { class: u32, counts: Vec<u32> },
    /// Rows with `feature <= threshold` go to `left`, the others to `right` (node indices).
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
}

/// A tree stored as a list of nodes; the root is node 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionTree {
    pub nodes: Vec<Node>,
    pub n_classes: usize,
}

/// One step on the way from the root to a leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub feature: usize,
    pub threshold: f64,
    /// True when the row went left, that is `value <= threshold`.
    pub went_left: bool,
}

impl DecisionTree {
    /// The leaf a row of features reaches.
    pub fn leaf_of(&self, row: ArrayView1<f64>) -> usize {
        self.leaf_with(|feature| row[feature])
    }

    /// The leaf reached by a row whose value of each feature is `value(feature)`.
    pub fn leaf_with(&self, value: impl Fn(usize) -> f64) -> usize {
        let mut node = 0;
        while let Node::Split {
            feature,
            threshold,
            left,
            right,
        } = self.nodes[node]
        {
            node = if value(feature) <= threshold {
                left
            } else {
                right
            };
        }
        node
    }

    pub fn predict_row(&self, row: ArrayView1<f64>) -> u32 {
        self.predict_with(|feature| row[feature])
    }

    /// Predicts a row whose value of each feature is `value(feature)`.
    pub fn predict_with(&self, value: impl Fn(usize) -> f64) -> u32 {
        match &self.nodes[self.leaf_with(value)] {
            Node::Leaf { class, .. } => *class,
            Node::Split { .. } => unreachable!("leaf_with stops at a leaf"),
        }
    }

    /// The tests a row passes on its way to its leaf.
    pub fn path(&self, row: ArrayView1<f64>) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut node = 0;
        while let Node::Split {
            feature,
            threshold,
            left,
            right,
        } = self.nodes[node]
        {
            let went_left = row[feature] <= threshold;
            steps.push(Step {
                feature,
                threshold,
                went_left,
            });
            node = if went_left { left } else { right };
        }
        steps
    }

    pub fn n_leaves(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| matches!(n, Node::Leaf { .. }))
            .count()
    }

    /// The training class counts of every node: a leaf's own, a split's the sum of its
    /// children's. Children must come after their parent, as in every tree rulebench builds
    /// or loads.
    pub fn node_counts(&self) -> Vec<Vec<u32>> {
        let mut counts = vec![Vec::new(); self.nodes.len()];
        for index in (0..self.nodes.len()).rev() {
            counts[index] = match &self.nodes[index] {
                Node::Leaf { counts, .. } => counts.clone(),
                Node::Split { left, right, .. } => counts[*left]
                    .iter()
                    .zip(&counts[*right])
                    .map(|(a, b)| a + b)
                    .collect(),
            };
        }
        counts
    }

    /// The tree cut at `max_depth`: splits at that depth become leaves with the counts of
    /// the rows below them. Growing with a depth limit gives the same tree once both are
    /// pruned, because the grower's choice at a node does not depend on the limit.
    pub fn truncated(&self, max_depth: usize) -> DecisionTree {
        let counts = self.node_counts();
        let mut nodes = Vec::new();
        // Each entry: old node, its depth, and the new parent slot to fill.
        let mut stack = vec![(0usize, 0usize, None::<(usize, bool)>)];
        while let Some((old, depth, parent)) = stack.pop() {
            let index = nodes.len();
            match &self.nodes[old] {
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } if depth < max_depth => {
                    nodes.push(Node::Split {
                        feature: *feature,
                        threshold: *threshold,
                        left: usize::MAX,
                        right: usize::MAX,
                    });
                    stack.push((*right, depth + 1, Some((index, false))));
                    stack.push((*left, depth + 1, Some((index, true))));
                }
                _ => nodes.push(Node::Leaf {
                    class: majority_class(&counts[old]),
                    counts: counts[old].clone(),
                }),
            }
            if let Some((parent, is_left)) = parent {
                if let Node::Split { left, right, .. } = &mut nodes[parent] {
                    *(if is_left { left } else { right }) = index;
                }
            }
        }
        DecisionTree {
            nodes,
            n_classes: self.n_classes,
        }
    }

    /// The leaves in node order, which is depth-first with the left child first.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&n| matches!(self.nodes[n], Node::Leaf { .. }))
    }

    /// The number of splits on the longest path from the root.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            match self.nodes[node] {
                Node::Leaf { .. } => deepest = deepest.max(depth),
                Node::Split { left, right, .. } => {
                    stack.push((left, depth + 1));
                    stack.push((right, depth + 1));
                }
            }
        }
        deepest
    }
}

/// The class with the most rows; ties go to the class that comes first in class order.
pub fn majority_class(counts: &[u32]) -> u32 {
    let mut best = 0;
    for (class, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = class;
        }
    }
    best as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn stump() -> DecisionTree {
        DecisionTree {
            nodes: vec![
                Node::Split {
                    feature: 0,
                    threshold: 2.5,
                    left: 1,
                    right: 2,
                },
                Node::Leaf {
                    class: 0,
                    counts: vec![3, 0],
                },
                Node::Leaf {
                    class: 1,
                    counts: vec![0, 4],
                },
            ],
            n_classes: 2,
        }
    }

    #[test]
    fn value_on_threshold_goes_left() {
        assert_eq!(stump().predict_row(array![2.5].view()), 0);
        assert_eq!(stump().predict_row(array![2.5000001].view()), 1);
    }

    #[test]
    fn majority_ties_go_to_first_class() {
        assert_eq!(majority_class(&[2, 5, 5]), 1);
        assert_eq!(majority_class(&[0, 0]), 0);
    }

    #[test]
    fn path_records_each_step() {
        let steps = stump().path(array![1.0].view());
        assert_eq!(steps.len(), 1);
        assert!(steps[0].went_left);
        assert_eq!(stump().depth(), 1);
        assert_eq!(stump().n_leaves(), 2);
    }
}
