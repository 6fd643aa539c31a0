//! Trains a decision tree, with checks that turn every input linfa-trees 0.8.1 cannot take
//! into an error.
//!
//! linfa-trees aborts the process on some inputs instead of returning an error: NaN or
//! infinite values make its split search recurse until the stack overflows, and an empty
//! training set panics. Both fitting paths reject those inputs first; the linfa path also
//! caps the depth and runs on a thread with a large stack whose panics become errors.

use linfa::prelude::*;
use linfa_trees::{DecisionTree as LinfaTree, SplitQuality, TreeNode};
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::grow::{grow, prune};
use super::matrix::FeatureMatrix;
use super::model::{majority_class, DecisionTree, Node};
use crate::error::{Error, Result};

/// The deepest tree rulebench grows, whatever `max_depth` asks for. linfa-trees recurses
/// once per level, so this bounds its stack use.
pub const MAX_TREE_DEPTH: usize = 64;

/// The largest `max_depth` setting. A tree on n rows is at most n - 1 deep, so a larger
/// limit only matters on data with more rows than this, and `none` lifts the limit.
pub const MAX_DEPTH_SETTING: usize = 100_000;

/// Stack for the thread that runs linfa's recursive fit: ample for [`MAX_TREE_DEPTH`] levels.
const FIT_STACK_BYTES: usize = 256 << 20;

/// The impurity measure a split minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// Gini impurity.
    Gini,
    /// Entropy in bits (information gain).
    Entropy,
}

impl Criterion {
    pub fn name(self) -> &'static str {
        match self {
            Criterion::Gini => "gini",
            Criterion::Entropy => "entropy",
        }
    }
}

/// The thresholds the split search considers at a node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SplitSearch {
    /// linfa-trees 0.8.1's search: a threshold after a value `v` only in the node that contains
    /// the last training row with value `v` (in the whole training set), halfway to the next
    /// value of the whole training set.
    #[default]
    Linfa,
    /// Every threshold between two consecutive distinct values of the node's rows that are
    /// at least 0.00001 apart, halfway between them, as CART and scikit-learn search.
    Full,
}

impl SplitSearch {
    pub fn name(self) -> &'static str {
        match self {
            SplitSearch::Linfa => "linfa",
            SplitSearch::Full => "full",
        }
    }
}

/// The hyperparameters of one tree, with linfa-trees' defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// `None` grows until the leaves are pure, up to [`MAX_TREE_DEPTH`].
    pub max_depth: Option<usize>,
    pub min_weight_split: f32,
    pub min_weight_leaf: f32,
    pub min_impurity_decrease: f64,
    pub criterion: Criterion,
    /// Files written before the option existed have no such field; they used linfa's search.
    #[serde(default)]
    pub split_search: SplitSearch,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams {
            max_depth: None,
            min_weight_split: 2.0,
            min_weight_leaf: 1.0,
            min_impurity_decrease: 1e-5,
            criterion: Criterion::Gini,
            split_search: SplitSearch::Linfa,
        }
    }
}

/// Trains a tree on `features` (one row per example) and `labels` (class indices below
/// `n_classes`) with rulebench's grower, which chooses the splits linfa-trees chooses.
pub fn fit_tree<M: FeatureMatrix>(
    features: &M,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> Result<DecisionTree> {
    check_inputs(features, labels, n_classes)?;
    check_params(params)?;
    Ok(grow(features, labels, n_classes, params))
}

/// Trains a tree with linfa-trees itself and converts it; the reference the grower is
/// tested against. Depth is capped at [`MAX_TREE_DEPTH`] because linfa recurses per level.
pub fn fit_tree_with_linfa(
    features: ArrayView2<f64>,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> Result<DecisionTree> {
    check_inputs(&features, labels, n_classes)?;
    check_params(params)?;
    if params.split_search != SplitSearch::Linfa {
        return Err(Error::model(
            "linfa-trees searches splits its own way only: use --split-search linfa",
        ));
    }
    let depth = params
        .max_depth
        .unwrap_or(MAX_TREE_DEPTH)
        .min(MAX_TREE_DEPTH);
    let linfa_params = LinfaTree::<f64, usize>::params()
        .max_depth(Some(depth))
        .min_weight_split(params.min_weight_split)
        .min_weight_leaf(params.min_weight_leaf)
        .min_impurity_decrease(params.min_impurity_decrease)
        .split_quality(match params.criterion {
            Criterion::Gini => SplitQuality::Gini,
            Criterion::Entropy => SplitQuality::Entropy,
        })
        .check()
        .map_err(|e| Error::model(format!("invalid tree settings: {e}")))?;

    let targets: Array1<usize> = labels.iter().map(|&c| c as usize).collect();
    let dataset = Dataset::new(features.to_owned(), targets);
    let fitted = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("tree-fit".into())
            .stack_size(FIT_STACK_BYTES)
            .spawn_scoped(scope, || linfa_params.fit(&dataset))
            .map_err(|e| Error::model(format!("cannot start the tree-fitting thread: {e}")))?
            .join()
            .map_err(|_| Error::model("the decision tree library failed while fitting"))
    })?
    .map_err(|e| Error::model(format!("cannot fit the decision tree: {e}")))?;

    Ok(convert(&fitted, features, labels, n_classes))
}

pub(crate) fn check_params(params: &TreeParams) -> Result<()> {
    let invalid = |what: &str| Err(Error::usage(format!("invalid tree setting: {what}")));
    if !(params.min_impurity_decrease.is_finite() && params.min_impurity_decrease >= 1e-12) {
        return invalid("the minimum impurity decrease must be a positive number");
    }
    if !(params.min_weight_leaf.is_finite() && params.min_weight_leaf >= 1.0) {
        return invalid("the minimum leaf size must be at least 1");
    }
    if !(params.min_weight_split.is_finite() && params.min_weight_split >= 0.0) {
        return invalid("the minimum split size must be zero or more");
    }
    if params.max_depth == Some(0) {
        return invalid("the maximum depth must be at least 1");
    }
    if params.max_depth > Some(MAX_DEPTH_SETTING) {
        return invalid("the maximum depth must be at most 100000; write `none` for no limit");
    }
    Ok(())
}

fn check_inputs(features: &dyn FeatureMatrix, labels: &[u32], n_classes: usize) -> Result<()> {
    if features.n_rows() == 0 {
        return Err(Error::model(
            "cannot fit a decision tree on zero training rows: give the training split more \
             rows",
        ));
    }
    if features.n_rows() != labels.len() {
        return Err(Error::model(format!(
            "{} feature rows but {} labels",
            features.n_rows(),
            labels.len()
        )));
    }
    if let Some(&bad) = labels.iter().find(|&&c| c as usize >= n_classes) {
        return Err(Error::model(format!(
            "class index {bad} is not below {n_classes}"
        )));
    }
    for row in 0..features.n_rows() {
        for column in 0..features.n_features() {
            let value = features.value(row, column);
            if !value.is_finite() {
                return Err(Error::model(format!(
                    "feature {column} of training row {row} is {value}: the decision tree needs \
                     finite numbers, so replace the value or mark it missing"
                )));
            }
        }
    }
    Ok(())
}

/// Copies linfa's structure, then recomputes every leaf's class counts from the training
/// rows routed with `<=` (the comparison linfa uses while training), so ties between classes
/// go to the first class instead of following hash-map order. Sibling leaves that then
/// predict the same class are merged.
fn convert(
    fitted: &LinfaTree<f64, usize>,
    features: ArrayView2<f64>,
    labels: &[u32],
    n_classes: usize,
) -> DecisionTree {
    let mut tree = DecisionTree {
        nodes: Vec::new(),
        n_classes,
    };
    copy_structure(fitted.root_node(), &mut tree.nodes, n_classes);

    for (row, &label) in features.rows().into_iter().zip(labels) {
        let leaf = tree.leaf_of(row);
        if let Node::Leaf { counts, .. } = &mut tree.nodes[leaf] {
            counts[label as usize] += 1;
        }
    }
    for node in &mut tree.nodes {
        if let Node::Leaf { class, counts } = node {
            *class = majority_class(counts);
        }
    }
    prune(&tree)
}

/// Appends `root` and its subtree in depth-first order, with an explicit stack.
fn copy_structure(root: &TreeNode<f64, usize>, nodes: &mut Vec<Node>, n_classes: usize) {
    let leaf = || Node::Leaf {
        class: 0,
        counts: vec![0; n_classes],
    };
    // Each entry: a linfa node and the parent slot to fill (parent index, is left child).
    type Entry<'a> = (&'a TreeNode<f64, usize>, Option<(usize, bool)>);
    let mut stack: Vec<Entry> = vec![(root, None)];
    while let Some((node, parent)) = stack.pop() {
        let index = nodes.len();
        let children = node.children();
        match (node.is_leaf(), children[0], children[1]) {
            (false, Some(left), Some(right)) => {
                let (feature, threshold, _) = node.split();
                nodes.push(Node::Split {
                    feature,
                    threshold,
                    left: usize::MAX,
                    right: usize::MAX,
                });
                stack.push((right, Some((index, false))));
                stack.push((left, Some((index, true))));
            }
            _ => nodes.push(leaf()),
        }
        if let Some((parent, is_left)) = parent {
            if let Node::Split { left, right, .. } = &mut nodes[parent] {
                *(if is_left { left } else { right }) = index;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn nan_feature_is_an_error() {
        let x = array![[1.0], [f64::NAN], [3.0]];
        let error = fit_tree(&x.view(), &[0, 1, 1], 2, &TreeParams::default()).unwrap_err();
        assert!(error.message().contains("is NaN"), "{}", error.message());
    }

    #[test]
    fn infinite_feature_is_an_error() {
        let x = array![[1.0], [f64::INFINITY], [3.0]];
        let error = fit_tree(&x.view(), &[0, 1, 1], 2, &TreeParams::default()).unwrap_err();
        assert!(error.message().contains("is inf"), "{}", error.message());
    }

    #[test]
    fn empty_training_set_is_an_error() {
        let x = Array2::<f64>::zeros((0, 2));
        let error = fit_tree(&x.view(), &[], 2, &TreeParams::default()).unwrap_err();
        assert!(
            error.message().contains("zero training rows"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn fit_separates_two_classes() {
        let x = array![[1.0], [2.0], [3.0], [10.0], [11.0], [12.0]];
        let tree = fit_tree(&x.view(), &[0, 0, 0, 1, 1, 1], 2, &TreeParams::default()).unwrap();
        assert_eq!(tree.n_leaves(), 2);
        assert_eq!(tree.predict_row(array![3.0].view()), 0);
        assert_eq!(tree.predict_row(array![10.0].view()), 1);
    }

    #[test]
    fn leaf_ties_go_to_first_class() {
        // Identical rows with one label each can't be split: one leaf, tied 1-1.
        let x = array![[5.0], [5.0]];
        for _ in 0..20 {
            let tree = fit_tree(&x.view(), &[1, 0], 2, &TreeParams::default()).unwrap();
            assert_eq!(tree.predict_row(array![5.0].view()), 0);
        }
    }
}
