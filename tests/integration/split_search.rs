//! `--split-search full` must grow the tree a plain CART search grows: at every node, every
//! threshold halfway between two neighbouring values of that node's own rows. The reference
//! here is written the slow, obvious way (sort each node's rows, try every threshold) and
//! shares no code with the grower.

use ndarray::Array2;
use rulebench::tree::grow::prune;
use rulebench::tree::{fit_tree, Criterion, DecisionTree, Node, SplitSearch, TreeParams};

use crate::common::{root, rulebench, scratch, stderr, stdout};
use crate::tree_equivalence::{generated_rows, training_rows};

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

fn counts_of(rows: &[usize], labels: &[u32], n_classes: usize) -> Vec<u32> {
    let mut counts = vec![0u32; n_classes];
    rows.iter().for_each(|&r| counts[labels[r] as usize] += 1);
    counts
}

fn leaf(counts: Vec<u32>) -> Node {
    let mut class = 0;
    for (c, &n) in counts.iter().enumerate() {
        if n > counts[class] {
            class = c;
        }
    }
    Node::Leaf {
        class: class as u32,
        counts,
    }
}

/// Finds the best threshold of one feature over `rows`, with its score.
fn best_threshold(
    x: &Array2<f64>,
    feature: usize,
    rows: &[usize],
    labels: &[u32],
    counts: &[u32],
    params: &TreeParams,
) -> Option<(f32, f64)> {
    let mut sorted = rows.to_vec();
    sorted.sort_by(|&a, &b| x[[a, feature]].total_cmp(&x[[b, feature]]).then(a.cmp(&b)));
    let total: f32 = counts.iter().map(|&c| c as f32).sum();
    let mut left = vec![0u32; counts.len()];
    let mut best: Option<(f32, f64)> = None;
    for position in 0..sorted.len() - 1 {
        left[labels[sorted[position]] as usize] += 1;
        let (here, next) = (
            x[[sorted[position], feature]],
            x[[sorted[position + 1], feature]],
        );
        if next == here || next - here < 1e-5 {
            continue;
        }
        let weight_left = (position + 1) as f32;
        let weight_right = total - weight_left;
        if weight_left < params.min_weight_leaf || weight_right < params.min_weight_leaf {
            continue;
        }
        let left_weights: Vec<f32> = left.iter().map(|&c| c as f32).collect();
        let right_weights: Vec<f32> = counts
            .iter()
            .zip(&left)
            .map(|(&c, &l)| (c - l) as f32)
            .collect();
        let w = weight_right / total;
        let score = w * impurity(&right_weights, params.criterion)
            + (1.0 - w) * impurity(&left_weights, params.criterion);
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, (here + next) / 2.0));
        }
    }
    best
}

/// Grows the subtree over `rows`, appending its nodes in depth-first order; returns the index
/// of its root.
fn grow(
    x: &Array2<f64>,
    rows: &[usize],
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
    depth: usize,
    nodes: &mut Vec<Node>,
) -> usize {
    let counts = counts_of(rows, labels, n_classes);
    let index = nodes.len();
    nodes.push(leaf(counts.clone()));
    if (rows.len() as f32) < params.min_weight_split || params.max_depth.is_some_and(|d| depth >= d)
    {
        return index;
    }
    let mut best: Option<(usize, f32, f64)> = None;
    for feature in 0..x.ncols() {
        if let Some((score, threshold)) = best_threshold(x, feature, rows, labels, &counts, params)
        {
            if best.is_none_or(|(_, b, _)| score < b) {
                best = Some((feature, score, threshold));
            }
        }
    }
    let Some((feature, score, threshold)) = best else {
        return index;
    };
    let parent: Vec<f32> = counts.iter().map(|&c| c as f32).collect();
    if (impurity(&parent, params.criterion) as f64 - score as f64) < params.min_impurity_decrease {
        return index;
    }
    let (left_rows, right_rows): (Vec<usize>, Vec<usize>) =
        rows.iter().partition(|&&r| x[[r, feature]] <= threshold);
    if right_rows.is_empty() {
        return index;
    }
    let left = grow(x, &left_rows, labels, n_classes, params, depth + 1, nodes);
    let right = grow(x, &right_rows, labels, n_classes, params, depth + 1, nodes);
    nodes[index] = Node::Split {
        feature,
        threshold,
        left,
        right,
    };
    index
}

fn reference_tree(
    x: &Array2<f64>,
    labels: &[u32],
    n_classes: usize,
    params: &TreeParams,
) -> DecisionTree {
    let rows: Vec<usize> = (0..labels.len()).collect();
    let mut nodes = Vec::new();
    grow(x, &rows, labels, n_classes, params, 0, &mut nodes);
    prune(&DecisionTree { nodes, n_classes })
}

fn full(max_depth: Option<usize>, criterion: Criterion, min_weight_leaf: f32) -> TreeParams {
    TreeParams {
        max_depth,
        criterion,
        min_weight_leaf,
        split_search: SplitSearch::Full,
        ..TreeParams::default()
    }
}

fn check(dataset: &str, target: &str) {
    let data = training_rows(dataset, target);
    for criterion in [Criterion::Gini, Criterion::Entropy] {
        for max_depth in [Some(2), Some(5), None] {
            for min_weight_leaf in [1.0, 4.0] {
                let params = full(max_depth, criterion, min_weight_leaf);
                let ours =
                    fit_tree(&data.features.view(), &data.labels, data.n_classes, &params).unwrap();
                let reference =
                    reference_tree(&data.features, &data.labels, data.n_classes, &params);
                assert!(
                    ours == reference,
                    "{dataset}, {criterion:?}, depth {max_depth:?}, leaf {min_weight_leaf}"
                );
            }
        }
    }
}

#[test]
fn full_search_matches_exhaustive_cart_on_iris() {
    check("iris", "species");
}

#[test]
fn full_search_matches_exhaustive_cart_on_penguins() {
    check("penguins", "species");
}

#[test]
fn full_search_matches_exhaustive_cart_on_titanic() {
    check("titanic", "survived");
}

#[test]
fn full_search_matches_exhaustive_cart_on_generated_data() {
    // 40,000 rows: the top nodes are split with features in parallel and the subtrees below
    // them grown in parallel, each moving its rows' ranks along with them.
    let data = generated_rows(40_000, 3);
    let params = full(Some(6), Criterion::Gini, 1.0);
    let ours = fit_tree(&data.features.view(), &data.labels, data.n_classes, &params).unwrap();
    let reference = reference_tree(&data.features, &data.labels, data.n_classes, &params);
    assert!(ours.n_leaves() > 20, "{} leaves", ours.n_leaves());
    assert!(ours == reference);
}

#[test]
fn full_search_splits_where_linfa_search_cannot() {
    // Rows 0..4 have x = 1 and 2, rows 4..8 have x = 1.5 and 2.5. The root splits on z, and
    // its left child contains x = 1 and 2 only. The full search puts that node's threshold
    // halfway between them, at 1.5; linfa's puts it halfway from 1 to the next value of the
    // whole column, 1.5, though no row of the node lies there.
    let x = ndarray::array![
        [1.0, 0.0],
        [1.0, 0.0],
        [2.0, 0.0],
        [2.0, 0.0],
        [1.5, 1.0],
        [1.5, 1.0],
        [2.5, 1.0],
        [2.5, 1.0]
    ];
    let labels = [0, 0, 1, 1, 2, 2, 2, 2];
    let thresholds = |search| {
        let params = TreeParams {
            split_search: search,
            ..TreeParams::default()
        };
        let tree = fit_tree(&x.view(), &labels, 3, &params).unwrap();
        let mut found: Vec<(usize, f64)> = tree
            .nodes
            .iter()
            .filter_map(|node| match node {
                Node::Split {
                    feature, threshold, ..
                } => Some((*feature, *threshold)),
                Node::Leaf { .. } => None,
            })
            .collect();
        found.sort_by(|a, b| a.partial_cmp(b).unwrap());
        found
    };
    assert_eq!(thresholds(SplitSearch::Full), vec![(0, 1.5), (1, 0.5)]);
    assert_eq!(thresholds(SplitSearch::Linfa), vec![(0, 1.25), (1, 0.5)]);
}

#[test]
fn compare_reports_and_saves_the_split_search() {
    let out = rulebench(&[
        "compare",
        "--data",
        "data/penguins.csv",
        "--rules",
        "rules/penguins.rules",
        "--split-search",
        "full",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["tree"]["params"]["split_search"], "full");
    let rows = report["tree"]["search"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 60);
    assert!(rows.iter().all(|row| row["split_search"] == "full"));
}

/// Removes every `split_search` field, as in model files written before the option existed.
fn strip_split_search(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("split_search");
            map.values_mut().for_each(strip_split_search);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_split_search),
        _ => {}
    }
}

#[test]
fn model_without_split_search_loads_as_linfa_search() {
    let fixture = root().join("tests/inputs/model_iris.json");
    let text = std::fs::read_to_string(&fixture).unwrap();
    assert!(text.contains("\"split_search\": \"linfa\""));
    let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
    strip_split_search(&mut model);
    let dir = scratch("model_without_split_search");
    let older = dir.join("older.json");
    std::fs::write(&older, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    let predict = |path: &std::path::Path| {
        let out = rulebench(&[
            "predict",
            "--model",
            path.to_str().unwrap(),
            "--data",
            "data/iris.csv",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(predict(&older), predict(&fixture));
}
