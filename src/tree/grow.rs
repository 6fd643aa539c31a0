//! rulebench's tree grower: linfa-trees 0.8.1's split search, reproduced so that it is
//! deterministic and only looks at each node's own rows.
//!
//! linfa-trees scans every training row of every feature at every node, keeps class counts
//! in hash maps (so ties and sum order depend on hash order), and recurses once per level.
//! This grower sorts each feature's rows once and keeps them partitioned by node, so a level
//! costs one pass over the rows; counts are arrays indexed by class. The split it chooses at
//! each node is the split linfa-trees chooses, including two details of linfa's search:
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
//!
//! Both cores are used without changing the result: nodes with many rows are split one at a
//! time with the features searched and partitioned in parallel, and the subtrees below them
//! are grown in parallel, each on its own range of rows. Which thread does what never
//! changes a split, so the tree is the same for any number of threads.

mod presort;
mod search;

use std::sync::atomic::AtomicBool;

use rayon::prelude::*;

use super::fit::{SplitSearch, TreeParams};
use super::matrix::FeatureMatrix;
use super::model::{majority_class, DecisionTree, Node};
use presort::{presort, Code};
use search::{split_node, Context, FeatureSlice, Mode, NodeRows, Outcome, Scratch, ScratchPool};

/// Values closer than this are never separated by a split (linfa-trees 0.8.1's constant).
pub const MIN_SEPARATION: f64 = 1e-5;

/// Nodes with at least this many rows are split one at a time with the features in
/// parallel; smaller ones are grown as independent subtrees, in parallel.
const SUBTREE_ROWS: usize = 16_384;

/// Grows a tree; inputs must be finite with at least one row (see [`super::fit::fit_tree`]).
pub fn grow(
    features: &dyn FeatureMatrix,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> DecisionTree {
    let nodes = if n_classes <= <u8 as Code>::MAX_CLASSES {
        grow_nodes::<u8>(features, labels, n_classes, params)
    } else {
        grow_nodes::<u32>(features, labels, n_classes, params)
    };
    prune(&DecisionTree { nodes, n_classes })
}

/// One feature's rows, their codes and their ranks (empty for linfa's search), in the order
/// the nodes have arranged them.
type Order<C> = (Vec<u32>, Vec<C>, Vec<u32>);

/// A node waiting to be grown, and the split node that points to it (and whether as its
/// left child).
struct Pending {
    rows: NodeRows,
    parent: Option<(usize, bool)>,
}

/// Grows the unpruned tree; node 0 is the root, children follow in no particular order.
fn grow_nodes<C: Code>(
    features: &dyn FeatureMatrix,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> Vec<Node> {
    let mut counts = vec![0u32; n_classes];
    labels.iter().for_each(|&l| counts[l as usize] += 1);
    if features.n_features() == 0 {
        // Without features there is one node holding every row.
        return vec![leaf(counts)];
    }
    let ranks = params.split_search == SplitSearch::Full;
    let (mut orders, distinct): (Vec<Order<C>>, Vec<Vec<f64>>) =
        presort::<C>(features, labels, ranks)
            .into_iter()
            .map(|f| ((f.rows, f.codes, f.ranks), f.distinct))
            .unzip();
    let goes_left: Vec<AtomicBool> = (0..labels.len()).map(|_| AtomicBool::new(false)).collect();
    let context = Context {
        features,
        distinct: &distinct,
        params,
        goes_left: &goes_left,
    };

    let mut nodes = Vec::new();
    let mut subtrees = Vec::new();
    let mut stack = vec![Pending {
        rows: NodeRows {
            start: 0,
            end: labels.len(),
            depth: 0,
            counts,
        },
        parent: None,
    }];
    let pool = ScratchPool::new();
    while let Some(pending) = stack.pop() {
        if pending.rows.end - pending.rows.start < SUBTREE_ROWS {
            subtrees.push(pending);
            continue;
        }
        let mut slices = feature_slices(&mut orders);
        let outcome = split_node(&context, &mut slices, &pending.rows, Mode::Parallel(&pool));
        let index = add_node(&mut nodes, pending.parent, &pending.rows, &outcome);
        stack.extend(children(&pending.rows, index, outcome).into_iter().rev());
    }

    // Subtrees own disjoint ranges of rows, so each can rearrange its own part of every order.
    subtrees.sort_by_key(|s| s.rows.start);
    drop(pool);
    let parts = carve(&mut orders, &subtrees);
    let grown: Vec<Vec<Node>> = subtrees
        .par_iter()
        .zip(parts)
        .map(|(subtree, mut slices)| grow_subtree(&context, &mut slices, subtree))
        .collect();
    for (subtree, subtree_nodes) in subtrees.iter().zip(grown) {
        let offset = nodes.len();
        link(&mut nodes, subtree.parent, offset);
        nodes.extend(subtree_nodes.into_iter().map(|n| shift(n, offset)));
    }
    nodes
}

/// Grows the subtree under `root` on its own slices, whose ranges start at `root`'s start.
fn grow_subtree<C: Code>(
    context: &Context,
    slices: &mut [FeatureSlice<C>],
    root: &Pending,
) -> Vec<Node> {
    let offset = root.rows.start;
    let mut nodes = Vec::new();
    let mut stack = vec![Pending {
        rows: NodeRows {
            start: 0,
            end: root.rows.end - offset,
            ..root.rows.clone()
        },
        parent: None,
    }];
    let mut scratch = Scratch::default();
    while let Some(pending) = stack.pop() {
        let mode = Mode::Sequential(&mut scratch);
        let outcome = split_node(context, slices, &pending.rows, mode);
        let index = add_node(&mut nodes, pending.parent, &pending.rows, &outcome);
        stack.extend(children(&pending.rows, index, outcome).into_iter().rev());
    }
    nodes
}

fn feature_slices<C>(orders: &mut [Order<C>]) -> Vec<FeatureSlice<'_, C>> {
    orders
        .iter_mut()
        .map(|(rows, codes, ranks)| FeatureSlice { rows, codes, ranks })
        .collect()
}

/// Cuts every feature's order into one set of slices per subtree (sorted by start).
fn carve<'a, C>(orders: &'a mut [Order<C>], subtrees: &[Pending]) -> Vec<Vec<FeatureSlice<'a, C>>> {
    let mut parts: Vec<Vec<FeatureSlice<C>>> = subtrees
        .iter()
        .map(|_| Vec::with_capacity(orders.len()))
        .collect();
    for (rows, codes, ranks) in orders.iter_mut() {
        let (mut rest_rows, mut rest_codes) = (rows.as_mut_slice(), codes.as_mut_slice());
        let mut rest_ranks = ranks.as_mut_slice();
        let mut cut = 0;
        for (part, subtree) in parts.iter_mut().zip(subtrees) {
            let (start, end) = (subtree.rows.start, subtree.rows.end);
            let rows_here = take_range(&mut rest_rows, start - cut, end - start);
            let codes_here = take_range(&mut rest_codes, start - cut, end - start);
            let ranks_here = if rest_ranks.is_empty() {
                &mut []
            } else {
                take_range(&mut rest_ranks, start - cut, end - start)
            };
            cut = end;
            part.push(FeatureSlice {
                rows: rows_here,
                codes: codes_here,
                ranks: ranks_here,
            });
        }
    }
    parts
}

/// Splits `len` items after the first `skip` off the front of `rest`, dropping the skipped
/// ones, and leaves the items after them in `rest`.
fn take_range<'a, T>(rest: &mut &'a mut [T], skip: usize, len: usize) -> &'a mut [T] {
    let (_, after) = std::mem::take(rest).split_at_mut(skip);
    let (here, after) = after.split_at_mut(len);
    *rest = after;
    here
}

/// Appends the node for `outcome` and links it to its parent; returns its index.
fn add_node(
    nodes: &mut Vec<Node>,
    parent: Option<(usize, bool)>,
    rows: &NodeRows,
    outcome: &Outcome,
) -> usize {
    let index = nodes.len();
    link(nodes, parent, index);
    nodes.push(match outcome {
        Outcome::Leaf => leaf(rows.counts.clone()),
        Outcome::Split {
            feature, threshold, ..
        } => Node::Split {
            feature: *feature,
            threshold: *threshold,
            left: usize::MAX,
            right: usize::MAX,
        },
    });
    index
}

fn link(nodes: &mut [Node], parent: Option<(usize, bool)>, child: usize) {
    if let Some((parent, is_left)) = parent {
        if let Node::Split { left, right, .. } = &mut nodes[parent] {
            *(if is_left { left } else { right }) = child;
        }
    }
}

/// Lists the children of split node `index`, left first; none for a leaf.
fn children(rows: &NodeRows, index: usize, outcome: Outcome) -> Vec<Pending> {
    let Outcome::Split {
        left_rows,
        left_counts,
        ..
    } = outcome
    else {
        return Vec::new();
    };
    let middle = rows.start + left_rows;
    let right_counts = rows
        .counts
        .iter()
        .zip(&left_counts)
        .map(|(all, left)| all - left)
        .collect();
    vec![
        Pending {
            rows: NodeRows {
                start: rows.start,
                end: middle,
                depth: rows.depth + 1,
                counts: left_counts,
            },
            parent: Some((index, true)),
        },
        Pending {
            rows: NodeRows {
                start: middle,
                end: rows.end,
                depth: rows.depth + 1,
                counts: right_counts,
            },
            parent: Some((index, false)),
        },
    ]
}

fn leaf(counts: Vec<u32>) -> Node {
    Node::Leaf {
        class: majority_class(&counts),
        counts,
    }
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
    use crate::tree::fit::fit_tree_with_linfa;
    use ndarray::Array2;

    #[test]
    fn no_features_gives_one_leaf() {
        let x = Array2::<f64>::zeros((4, 0));
        let tree = grow(&x.view(), &[1, 0, 1, 1], 2, &TreeParams::default());
        assert_eq!(
            tree.nodes,
            vec![Node::Leaf {
                class: 1,
                counts: vec![1, 3]
            }]
        );
    }

    #[test]
    fn many_classes_match_linfa() {
        // 300 classes do not fit the one-byte codes, so the four-byte codes are used.
        let n = 1_200;
        let x = Array2::from_shape_fn((n, 2), |(row, column)| ((row * (column + 7)) % 97) as f64);
        let labels: Vec<u32> = (0..n as u32).map(|row| (row * 31) % 300).collect();
        let params = TreeParams {
            max_depth: Some(6),
            ..TreeParams::default()
        };
        let ours = grow(&x.view(), &labels, 300, &params);
        let linfa = fit_tree_with_linfa(x.view(), &labels, 300, &params).unwrap();
        let splits = |tree: &DecisionTree| -> Vec<(usize, f64)> {
            tree.nodes
                .iter()
                .filter_map(|node| match node {
                    Node::Split {
                        feature, threshold, ..
                    } => Some((*feature, *threshold)),
                    Node::Leaf { .. } => None,
                })
                .collect()
        };
        assert!(splits(&ours).len() > 3, "{} splits", splits(&ours).len());
        assert_eq!(splits(&ours), splits(&linfa));
    }
}
