//! rulebench's tree grower: linfa-trees 0.8.1's split search, reproduced so that it is
//! deterministic and only looks at each node's own rows.
//!
//! linfa-trees scans every training row of every feature at every node, keeps class counts
//! in hash maps (so ties and sum order depend on hash order), and recurses once per level.
//! This grower keeps each feature's rows in sorted order, partitioned by node, so a level
//! costs one pass over the rows; counts are arrays indexed by class; and nodes wait on an
//! explicit stack. The split it chooses at each node is the split linfa-trees chooses,
//! including two details of linfa's search:
//!
//! - Candidate thresholds come from the *whole* training set's sorted values: after a row
//!   with value `v`, linfa evaluates a split only when the next value in the global order,
//!   `v'`, differs by at least 1e-5, and it puts the threshold at `(v + v') / 2`, even when
//!   the row holding `v'` belongs to another node.
//! - Impurities, weights and scores are `f32`, compared with a strict `<`, so the first
//!   best candidate (lowest feature, then lowest value) wins.
//!
//! The one difference: linfa adds class impurity terms in hash order, which for three or
//! more classes can change the last bit of a score; here they are added in class order.

use ndarray::ArrayView2;

use super::fit::{Criterion, TreeParams};
use super::model::{majority_class, DecisionTree, Node};

/// Values closer than this are never separated by a split (linfa-trees 0.8.1's constant).
pub const MIN_SEPARATION: f64 = 1e-5;

/// Marks a row after which no split is evaluated.
const NO_CANDIDATE: u32 = u32::MAX;

/// Grows a tree; inputs must be finite with at least one row (see [`super::fit::fit_tree`]).
pub fn grow(
    features: ArrayView2<f64>,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> DecisionTree {
    let mut grower = Grower::new(features, labels, n_classes, params);
    grower.run();
    prune(&DecisionTree {
        nodes: grower.nodes,
        n_classes,
    })
}

struct Grower<'a> {
    labels: &'a [u32],
    n_classes: usize,
    params: &'a TreeParams,
    /// Feature values, one vector per feature.
    columns: Vec<Vec<f64>>,
    /// Per feature, the row indices in ascending order of value, rearranged so that every
    /// pending node's rows occupy one contiguous range (the same range in every feature).
    orders: Vec<Vec<u32>>,
    /// Per feature and row, the row that follows it in the global sorted order, or
    /// [`NO_CANDIDATE`] when linfa evaluates no split after it.
    successors: Vec<Vec<u32>>,
    /// Rows of the node being split; scratch space, indexed by row.
    goes_left: Vec<bool>,
    scratch: Vec<u32>,
    nodes: Vec<Node>,
}

/// A node waiting to be grown: its rows are `start..end` of every order.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    /// The split node that points here, and whether as its left child.
    parent: Option<(usize, bool)>,
}

/// The best split found for a node.
struct Candidate {
    feature: usize,
    threshold: f64,
    score: f32,
}

impl<'a> Grower<'a> {
    fn new(
        features: ArrayView2<f64>,
        labels: &'a [u32],
        n_classes: usize,
        params: &'a TreeParams,
    ) -> Self {
        let n = features.nrows();
        let columns: Vec<Vec<f64>> = features.columns().into_iter().map(|c| c.to_vec()).collect();
        let mut orders = Vec::with_capacity(columns.len());
        let mut successors = Vec::with_capacity(columns.len());
        for column in &columns {
            let order = sorted_rows(column);
            let mut successor = vec![NO_CANDIDATE; n];
            for pair in order.windows(2) {
                let (row, next) = (pair[0] as usize, pair[1]);
                if (column[row] - column[next as usize]).abs() >= MIN_SEPARATION {
                    successor[row] = next;
                }
            }
            orders.push(order);
            successors.push(successor);
        }
        Grower {
            labels,
            n_classes,
            params,
            columns,
            orders,
            successors,
            goes_left: vec![false; n],
            scratch: Vec::with_capacity(n),
            nodes: Vec::new(),
        }
    }

    fn run(&mut self) {
        let n = self.labels.len();
        let mut stack = vec![Pending {
            start: 0,
            end: n,
            depth: 0,
            parent: None,
        }];
        while let Some(pending) = stack.pop() {
            let index = self.nodes.len();
            if let Some((parent, is_left)) = pending.parent {
                if let Node::Split { left, right, .. } = &mut self.nodes[parent] {
                    *(if is_left { left } else { right }) = index;
                }
            }
            let counts = self.class_counts(pending.start, pending.end);
            match self.split_node(&pending, &counts) {
                Some((feature, threshold, middle)) => {
                    self.nodes.push(Node::Split {
                        feature,
                        threshold,
                        left: usize::MAX,
                        right: usize::MAX,
                    });
                    // Right is pushed first so the left subtree is grown first.
                    stack.push(Pending {
                        start: middle,
                        end: pending.end,
                        depth: pending.depth + 1,
                        parent: Some((index, false)),
                    });
                    stack.push(Pending {
                        start: pending.start,
                        end: middle,
                        depth: pending.depth + 1,
                        parent: Some((index, true)),
                    });
                }
                None => self.nodes.push(Node::Leaf {
                    class: majority_class(&counts),
                    counts,
                }),
            }
        }
    }

    fn rows(&self, start: usize, end: usize) -> &[u32] {
        match self.orders.first() {
            Some(order) => &order[start..end],
            None => &[],
        }
    }

    fn class_counts(&self, start: usize, end: usize) -> Vec<u32> {
        let mut counts = vec![0u32; self.n_classes];
        if self.orders.is_empty() {
            // Without features there is one node holding every row.
            self.labels.iter().for_each(|&l| counts[l as usize] += 1);
        } else {
            for &row in self.rows(start, end) {
                counts[self.labels[row as usize] as usize] += 1;
            }
        }
        counts
    }

    /// Splits the node's rows if linfa would, returning the feature, the threshold and the
    /// position where the right child's rows begin.
    fn split_node(&mut self, pending: &Pending, counts: &[u32]) -> Option<(usize, f64, usize)> {
        let size = pending.end - pending.start;
        let too_deep = self.params.max_depth.is_some_and(|d| pending.depth >= d);
        if (size as f32) < self.params.min_weight_split || too_deep || self.orders.is_empty() {
            return None;
        }
        let parent: Vec<f32> = counts.iter().map(|&c| c as f32).collect();
        let best = self.best_split(pending, &parent)?;
        let decrease = impurity(&parent, self.params.criterion) as f64 - best.score as f64;
        if decrease < self.params.min_impurity_decrease {
            return None;
        }

        let column = &self.columns[best.feature];
        let mut left = 0;
        for &row in &self.orders[0][pending.start..pending.end] {
            let goes_left = column[row as usize] <= best.threshold;
            self.goes_left[row as usize] = goes_left;
            left += goes_left as usize;
        }
        if left == 0 || left == size {
            return None;
        }
        for order in &mut self.orders {
            stable_partition(
                &mut order[pending.start..pending.end],
                &self.goes_left,
                &mut self.scratch,
            );
        }
        Some((best.feature, best.threshold, pending.start + left))
    }

    fn best_split(&self, pending: &Pending, parent: &[f32]) -> Option<Candidate> {
        let total: f32 = parent.iter().sum();
        let mut best: Option<Candidate> = None;
        let mut right = vec![0f32; self.n_classes];
        let mut left = vec![0f32; self.n_classes];
        for (feature, order) in self.orders.iter().enumerate() {
            right.copy_from_slice(parent);
            left.iter_mut().for_each(|w| *w = 0.0);
            let (mut weight_right, mut weight_left) = (total, 0f32);
            let successors = &self.successors[feature];
            let column = &self.columns[feature];
            for &row in &order[pending.start..pending.end] {
                let class = self.labels[row as usize] as usize;
                right[class] -= 1.0;
                weight_right -= 1.0;
                left[class] += 1.0;
                weight_left += 1.0;

                let next = successors[row as usize];
                if next == NO_CANDIDATE
                    || weight_right < self.params.min_weight_leaf
                    || weight_left < self.params.min_weight_leaf
                {
                    continue;
                }
                let w = weight_right / total;
                let score = w * impurity(&right, self.params.criterion)
                    + (1.0 - w) * impurity(&left, self.params.criterion);
                if best.as_ref().is_none_or(|b| score < b.score) {
                    best = Some(Candidate {
                        feature,
                        threshold: (column[row as usize] + column[next as usize]) / 2.0,
                        score,
                    });
                }
            }
        }
        best
    }
}

/// Sorts the rows in ascending order of value, equal values in row order (a stable sort, like
/// linfa's). Sorting (value, row) keys unstably gives that order faster than a stable sort
/// through the row indices.
fn sorted_rows(column: &[f64]) -> Vec<u32> {
    let mut keys: Vec<(u64, u32)> = column
        .iter()
        .enumerate()
        .map(|(row, &value)| (total_order_key(value), row as u32))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, row)| row).collect()
}

/// Maps a float to an integer that sorts as [`f64::total_cmp`] does.
fn total_order_key(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Gini impurity or entropy (in bits) of class weights, computed in `f32` as linfa does.
fn impurity(weights: &[f32], criterion: Criterion) -> f32 {
    let total: f32 = weights.iter().sum();
    match criterion {
        Criterion::Gini => {
            1.0 - weights
                .iter()
                .map(|w| (w / total) * (w / total))
                .sum::<f32>()
        }
        Criterion::Entropy => weights
            .iter()
            .map(|w| w / total)
            .map(|p| if p > 0.0 { -p * p.log2() } else { 0.0 })
            .sum(),
    }
}

/// Reorders `rows` so those marked in `goes_left` come first, keeping order on each side.
fn stable_partition(rows: &mut [u32], goes_left: &[bool], scratch: &mut Vec<u32>) {
    scratch.clear();
    let mut write = 0;
    for index in 0..rows.len() {
        let row = rows[index];
        if goes_left[row as usize] {
            rows[write] = row;
            write += 1;
        } else {
            scratch.push(row);
        }
    }
    rows[write..].copy_from_slice(scratch);
}

/// Merges, bottom-up, every split whose two children are leaves of the same class (linfa's
/// pruning, with classes that do not depend on hash order), and numbers the remaining
/// nodes in depth-first order.
pub fn prune(tree: &DecisionTree) -> DecisionTree {
    // Post-order over the old tree, building the new one; an explicit stack keeps very deep
    // trees off the call stack. Each entry: old node, whether its children are done.
    let mut built: Vec<Option<Vec<Node>>> = vec![None; tree.nodes.len()];
    let mut stack = vec![(0usize, false)];
    while let Some((node, children_done)) = stack.pop() {
        match &tree.nodes[node] {
            Node::Leaf { .. } => built[node] = Some(vec![tree.nodes[node].clone()]),
            Node::Split { left, right, .. } if !children_done => {
                stack.push((node, true));
                stack.push((*right, false));
                stack.push((*left, false));
            }
            Node::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                let left_nodes = built[*left].take().expect("left child built");
                let right_nodes = built[*right].take().expect("right child built");
                built[node] = Some(join(*feature, *threshold, left_nodes, right_nodes));
            }
        }
    }
    DecisionTree {
        nodes: built[0].take().expect("root built"),
        n_classes: tree.n_classes,
    }
}

/// Builds a split over two subtrees stored with their root first, or one merged leaf.
fn join(feature: usize, threshold: f64, left: Vec<Node>, right: Vec<Node>) -> Vec<Node> {
    if let (
        [Node::Leaf {
            class: a,
            counts: ca,
        }],
        [Node::Leaf {
            class: b,
            counts: cb,
        }],
    ) = (left.as_slice(), right.as_slice())
    {
        if a == b {
            let counts = ca.iter().zip(cb).map(|(x, y)| x + y).collect();
            return vec![Node::Leaf { class: *a, counts }];
        }
    }
    let offset_left = 1;
    let offset_right = 1 + left.len();
    let mut nodes = Vec::with_capacity(1 + left.len() + right.len());
    nodes.push(Node::Split {
        feature,
        threshold,
        left: offset_left,
        right: offset_right,
    });
    nodes.extend(left.into_iter().map(|n| shift(n, offset_left)));
    nodes.extend(right.into_iter().map(|n| shift(n, offset_right)));
    nodes
}

fn shift(node: Node, offset: usize) -> Node {
    match node {
        Node::Split {
            feature,
            threshold,
            left,
            right,
        } => Node::Split {
            feature,
            threshold,
            left: left + offset,
            right: right + offset,
        },
        leaf => leaf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_rows_is_a_stable_total_order() {
        let column: [f64; 7] = [2.0, -0.0, 1.0, 0.0, 2.0, -3.5, 1.0];
        let mut expected: Vec<u32> = (0..column.len() as u32).collect();
        expected.sort_by(|&a, &b| column[a as usize].total_cmp(&column[b as usize]));
        assert_eq!(sorted_rows(&column), expected);
        assert_eq!(sorted_rows(&column), vec![5, 1, 3, 2, 6, 0, 4]);
    }
}
