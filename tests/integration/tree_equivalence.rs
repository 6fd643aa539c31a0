//! The grower must choose the splits linfa-trees chooses. linfa breaks ties between classes
//! by hash order, and its pruning merges sibling leaves whose (tie-broken) classes agree, so
//! the comparison accepts a merged subtree on either side when one class is a top class in
//! every leaf under it.

use std::path::Path;

use rulebench::data::{load_csv, stratified_split, Labels, SplitRatios};
use rulebench::synth::{Plan, Spec};
use rulebench::tree::grow::prune;
use rulebench::tree::{
    fit_tree, fit_tree_with_linfa, Criterion, DecisionTree, Encoder, Node, TreeParams,
};

use crate::common::{root, scratch};

pub struct Prepared {
    pub features: ndarray::Array2<f64>,
    pub labels: Vec<u32>,
    pub n_classes: usize,
}

/// The training rows of a shipped dataset, encoded as `compare` encodes them.
pub fn training_rows(dataset: &str, target: &str) -> Prepared {
    let path = root().join(format!("data/{dataset}.csv"));
    let table = load_csv(Path::new(&path), &[target]).unwrap();
    let labels = Labels::from_table(&table, target, dataset).unwrap();
    let split = stratified_split(&labels.rows, labels.n_classes(), SplitRatios::default(), 42);
    let target_index = table.column_index(target).unwrap();
    let columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| c != target_index)
        .collect();
    let encoder = Encoder::fit(&table, &columns, &split.train);
    Prepared {
        features: encoder.transform(&table, &split.train),
        labels: split
            .train
            .iter()
            .map(|&r| labels.rows[r].unwrap())
            .collect(),
        n_classes: labels.n_classes(),
    }
}

fn leaves_under(tree: &DecisionTree, node: usize) -> Vec<&Vec<u32>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &tree.nodes[n] {
            Node::Leaf { counts, .. } => out.push(counts),
            Node::Split { left, right, .. } => {
                stack.push(*left);
                stack.push(*right);
            }
        }
    }
    out
}

/// True when some class is a top class in every leaf of the subtree and the leaves add up
/// to `merged`: linfa could have merged the subtree into that leaf by breaking ties.
fn mergeable(tree: &DecisionTree, node: usize, merged: &[u32]) -> bool {
    let leaves = leaves_under(tree, node);
    let sum: Vec<u32> = (0..merged.len())
        .map(|c| leaves.iter().map(|l| l[c]).sum())
        .collect();
    let shared_top =
        (0..merged.len()).any(|c| leaves.iter().all(|l| l[c] == *l.iter().max().unwrap()));
    sum == merged && shared_top
}

fn same_tree(ours: &DecisionTree, a: usize, linfa: &DecisionTree, b: usize) -> Result<(), String> {
    match (&ours.nodes[a], &linfa.nodes[b]) {
        (
            Node::Split {
                feature: fa,
                threshold: ta,
                left: la,
                right: ra,
            },
            Node::Split {
                feature: fb,
                threshold: tb,
                left: lb,
                right: rb,
            },
        ) => {
            if fa != fb || ta != tb {
                return Err(format!(
                    "split on feature {fa} <= {ta} against feature {fb} <= {tb}"
                ));
            }
            same_tree(ours, *la, linfa, *lb)?;
            same_tree(ours, *ra, linfa, *rb)
        }
        (Node::Leaf { counts: ca, .. }, Node::Leaf { counts: cb, .. }) if ca == cb => Ok(()),
        (Node::Split { .. }, Node::Leaf { counts, .. }) if mergeable(ours, a, counts) => Ok(()),
        (Node::Leaf { counts, .. }, Node::Split { .. }) if mergeable(linfa, b, counts) => Ok(()),
        (x, y) => Err(format!("node {x:?} against {y:?}")),
    }
}

fn check(dataset: &str, target: &str, depths: &[Option<usize>]) {
    let data = training_rows(dataset, target);
    for criterion in [Criterion::Gini, Criterion::Entropy] {
        for &max_depth in depths {
            let params = TreeParams {
                max_depth,
                criterion,
                ..TreeParams::default()
            };
            let x = data.features.view();
            let ours = fit_tree(&x, &data.labels, data.n_classes, &params).unwrap();
            let linfa = fit_tree_with_linfa(x, &data.labels, data.n_classes, &params).unwrap();
            if let Err(difference) = same_tree(&ours, 0, &linfa, 0) {
                panic!("{dataset}, {criterion:?}, max depth {max_depth:?}: {difference}");
            }
        }
    }
}

const ALL_DEPTHS: [Option<usize>; 6] = [Some(1), Some(2), Some(4), Some(8), Some(12), None];

#[test]
fn grower_matches_linfa_on_iris() {
    check("iris", "species", &ALL_DEPTHS);
}

#[test]
fn grower_matches_linfa_on_penguins() {
    check("penguins", "species", &ALL_DEPTHS);
}

#[test]
fn grower_matches_linfa_on_titanic() {
    check("titanic", "survived", &ALL_DEPTHS);
}

#[test]
fn grower_matches_linfa_on_adult() {
    // linfa-trees rescans all training rows at every node, so deep trees on the 29,000
    // training rows take minutes; depth 6 already has dozens of splits to compare.
    check("adult", "income", &[Some(2), Some(6)]);
}

/// Rows of `rulebench gen` data (numeric and categorical columns, missing values), encoded
/// as `compare` encodes them.
pub fn generated_rows(rows: usize, seed: u64) -> Prepared {
    let spec = Spec {
        rows,
        numeric: 8,
        categorical: 2,
        seed,
        ..Spec::default()
    };
    let mut text = Vec::new();
    Plan::new(&spec)
        .unwrap()
        .write_csv(&mut text, &mut |_| {})
        .unwrap();
    let dir = scratch(&format!("generated-{rows}-{seed}"));
    let path = dir.join("data.csv");
    std::fs::write(&path, text).unwrap();
    let table = load_csv(&path, &["label"]).unwrap();
    let labels = Labels::from_table(&table, "label", "generated").unwrap();
    let all: Vec<usize> = (0..table.n_rows()).collect();
    let columns: Vec<usize> = (0..table.columns.len() - 1).collect();
    let encoder = Encoder::fit(&table, &columns, &all);
    Prepared {
        features: encoder.transform(&table, &all),
        labels: labels.rows.iter().map(|l| l.unwrap()).collect(),
        n_classes: labels.n_classes(),
    }
}

#[test]
fn grower_matches_linfa_on_generated_data() {
    // 40,000 rows: the top nodes are split with features in parallel and the subtrees below
    // them grown in parallel, so both ways of splitting are compared with linfa.
    let data = generated_rows(40_000, 3);
    for max_depth in [Some(3), Some(7)] {
        let params = TreeParams {
            max_depth,
            ..TreeParams::default()
        };
        let x = data.features.view();
        let ours = fit_tree(&x, &data.labels, data.n_classes, &params).unwrap();
        let linfa = fit_tree_with_linfa(x, &data.labels, data.n_classes, &params).unwrap();
        if let Err(difference) = same_tree(&ours, 0, &linfa, 0) {
            panic!("max depth {max_depth:?}: {difference}");
        }
    }
}

#[test]
fn grower_is_identical_for_any_thread_count() {
    let data = generated_rows(60_000, 5);
    let fit_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            fit_tree(
                &data.features.view(),
                &data.labels,
                data.n_classes,
                &TreeParams::default(),
            )
            .unwrap()
        })
    };
    let one = fit_with(1);
    assert!(one.n_leaves() > 1_000, "{} leaves", one.n_leaves());
    for threads in [2, 3, 8] {
        assert!(
            fit_with(threads) == one,
            "{threads} threads grew another tree"
        );
    }
}

/// The grid search grows one tree per group of settings and cuts it at each depth, so the
/// cut tree must be the tree grown with that depth limit.
fn check_truncation(dataset: &str, target: &str) {
    let data = training_rows(dataset, target);
    let x = data.features.view();
    for criterion in [Criterion::Gini, Criterion::Entropy] {
        for min_weight_leaf in [1.0, 5.0] {
            let base = TreeParams {
                criterion,
                min_weight_leaf,
                ..TreeParams::default()
            };
            let full = fit_tree(&x, &data.labels, data.n_classes, &base).unwrap();
            for depth in 1..=full.depth() {
                let limited = TreeParams {
                    max_depth: Some(depth),
                    ..base
                };
                let grown = fit_tree(&x, &data.labels, data.n_classes, &limited).unwrap();
                let cut = prune(&full.truncated(depth));
                assert_eq!(
                    cut, grown,
                    "{dataset}, {criterion:?}, leaf {min_weight_leaf}, depth {depth}"
                );
            }
        }
    }
}

#[test]
fn truncated_tree_matches_depth_limited_growth() {
    check_truncation("iris", "species");
    check_truncation("penguins", "species");
    check_truncation("titanic", "survived");
}
