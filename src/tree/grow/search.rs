//! One node: linfa's split search over the node's own rows, and the partition of every
//! feature's rows into the two children.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::presort::{next_value, Code};
use super::MIN_SEPARATION;
use crate::tree::fit::{Criterion, SplitSearch, TreeParams};
use crate::tree::matrix::FeatureMatrix;

/// The inputs of the search besides the rows, shared by all nodes. Only `goes_left` changes,
/// and each of its entries is written by the node that contains that row.
pub struct Context<'a> {
    pub features: &'a dyn FeatureMatrix,
    /// Per feature, its distinct training values in ascending order.
    pub distinct: &'a [Vec<f64>],
    pub params: &'a TreeParams,
    /// Per row, set while the row's node is partitioned when the row goes to the left child.
    pub goes_left: &'a [AtomicBool],
}

/// Classes up to this many are counted in buffers on the stack.
const SMALL_CLASSES: usize = 8;

/// One feature's rows, codes and ranks (empty for linfa's search) over a range made of
/// whole nodes.
pub struct FeatureSlice<'a, C> {
    pub rows: &'a mut [u32],
    pub codes: &'a mut [C],
    pub ranks: &'a mut [u32],
}

/// A node's rows: `start..end` of every [`FeatureSlice`].
#[derive(Debug, Clone)]
pub struct NodeRows {
    pub start: usize,
    pub end: usize,
    pub depth: usize,
    /// Rows per class.
    pub counts: Vec<u32>,
}

/// The result of splitting a node.
pub enum Outcome {
    Leaf,
    Split {
        feature: usize,
        threshold: f64,
        /// Rows of the left child, which come first in the node's range.
        left_rows: usize,
        left_counts: Vec<u32>,
    },
}

/// Buffers reused between partitions.
pub struct Scratch<C> {
    rows: Vec<u32>,
    codes: Vec<C>,
    ranks: Vec<u32>,
}

impl<C: Code> Default for Scratch<C> {
    fn default() -> Self {
        Scratch {
            rows: Vec::new(),
            codes: Vec::new(),
            ranks: Vec::new(),
        }
    }
}

/// One [`Scratch`] per thread of the pool, for partitions run in parallel; each keeps its
/// capacity, so large nodes do not allocate (and fault in) fresh buffers.
pub struct ScratchPool<C> {
    slots: Vec<Mutex<Scratch<C>>>,
}

impl<C: Code> ScratchPool<C> {
    pub fn new() -> Self {
        ScratchPool {
            slots: (0..rayon::current_num_threads())
                .map(|_| Mutex::new(Scratch::default()))
                .collect(),
        }
    }

    /// Runs `work` with the calling thread's scratch; only that thread uses the slot, so
    /// the lock is never contended.
    fn with<T>(&self, work: impl FnOnce(&mut Scratch<C>) -> T) -> T {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        let mut scratch = self.slots[slot].lock().unwrap_or_else(|e| e.into_inner());
        work(&mut scratch)
    }
}

/// The way a node's features are searched and partitioned.
pub enum Mode<'a, C> {
    /// One feature after another on the calling thread.
    Sequential(&'a mut Scratch<C>),
    /// Features in parallel, each thread with its scratch from the pool.
    Parallel(&'a ScratchPool<C>),
}

/// Splits `node` if linfa would. On a split, every feature's range is rearranged so the
/// left child's rows come first.
pub fn split_node<C: Code>(
    context: &Context,
    slices: &mut [FeatureSlice<C>],
    node: &NodeRows,
    mode: Mode<C>,
) -> Outcome {
    let params = context.params;
    let size = node.end - node.start;
    let too_deep = params.max_depth.is_some_and(|d| node.depth >= d);
    if (size as f32) < params.min_weight_split || too_deep || slices.is_empty() {
        return Outcome::Leaf;
    }
    let range = node.start..node.end;
    let scan = |(feature, slice): (usize, &FeatureSlice<C>)| {
        let codes = &slice.codes[range.clone()];
        match params.split_search {
            SplitSearch::Linfa => scan_feature(
                codes,
                |position| codes[position].is_candidate(),
                &node.counts,
                params,
            ),
            SplitSearch::Full => {
                let ranks = &slice.ranks[range.clone()];
                let distinct = &context.distinct[feature];
                let candidate = |position: usize| {
                    // Ranks ascend within a node, so equal ranks are equal values.
                    ranks.get(position + 1).is_some_and(|&next| {
                        let here = ranks[position];
                        next != here
                            && distinct[next as usize] - distinct[here as usize] >= MIN_SEPARATION
                    })
                };
                scan_feature(codes, candidate, &node.counts, params)
            }
        }
    };
    let per_feature: Vec<Option<(f32, usize)>> = match mode {
        Mode::Parallel(_) => slices.par_iter().enumerate().map(scan).collect(),
        Mode::Sequential(_) => slices.iter().enumerate().map(scan).collect(),
    };
    let Some((feature, score, position)) = choose(&per_feature) else {
        return Outcome::Leaf;
    };
    let parent: Vec<f32> = node.counts.iter().map(|&c| c as f32).collect();
    let decrease = impurity(&parent, params.criterion) as f64 - score as f64;
    if decrease < params.min_impurity_decrease {
        return Outcome::Leaf;
    }

    let rows = &slices[feature].rows[range.clone()];
    let value_at = |index: usize| context.features.value(rows[index] as usize, feature);
    let value = value_at(position);
    let next = match params.split_search {
        SplitSearch::Linfa => next_value(&context.distinct[feature], value)
            .expect("a candidate row has a larger value after it"),
        SplitSearch::Full => value_at(position + 1),
    };
    // Halving first keeps the midpoint of values above half the largest float finite. Above
    // the smallest normal floats, halving is exact, so this equals `(value + next) / 2`.
    let threshold = value / 2.0 + next / 2.0;
    // Rows up to the split point are at most `value`, and so at most the threshold. Rounding
    // can put the threshold on `next` itself; those rows go left too, as `<=` routes them.
    let mut left_rows = position + 1;
    while left_rows < size && value_at(left_rows) <= threshold {
        left_rows += 1;
    }
    if left_rows == size {
        return Outcome::Leaf;
    }
    let mut left_counts = vec![0u32; node.counts.len()];
    for code in &slices[feature].codes[node.start..node.start + left_rows] {
        left_counts[code.class()] += 1;
    }

    for &row in &rows[..left_rows] {
        context.goes_left[row as usize].store(true, Ordering::Relaxed);
    }
    let partition_other = |index: usize, slice: &mut FeatureSlice<C>, scratch: &mut Scratch<C>| {
        // The split feature's rows are already in place: its left rows are a prefix.
        if index != feature {
            let ranks = if slice.ranks.is_empty() {
                &mut []
            } else {
                &mut slice.ranks[range.clone()]
            };
            partition(
                (
                    &mut slice.rows[range.clone()],
                    &mut slice.codes[range.clone()],
                    ranks,
                ),
                context.goes_left,
                scratch,
            );
        }
    };
    match mode {
        Mode::Parallel(pool) => {
            slices
                .par_iter_mut()
                .enumerate()
                .for_each(|(index, slice)| {
                    pool.with(|scratch| partition_other(index, slice, scratch))
                });
        }
        Mode::Sequential(scratch) => {
            for (index, slice) in slices.iter_mut().enumerate() {
                partition_other(index, slice, scratch);
            }
        }
    }
    for &row in &slices[feature].rows[node.start..node.start + left_rows] {
        context.goes_left[row as usize].store(false, Ordering::Relaxed);
    }

    Outcome::Split {
        feature,
        threshold,
        left_rows,
        left_counts,
    }
}

/// Finds the best split point of one feature over a node's codes (in ascending order of
/// value): its score and position, the first of equal scores, as linfa's strict `<` keeps it.
/// `candidate(position)` tells whether a split after that position may be made.
fn scan_feature<C: Code>(
    codes: &[C],
    candidate: impl Fn(usize) -> bool,
    counts: &[u32],
    params: &TreeParams,
) -> Option<(f32, usize)> {
    // linfa keeps weights in f32 and adds 1.0 per row; counts below 2^24 give the same values.
    // NOTE: in a node of more than 2^24 (16.7 M) rows linfa's f32 sums stop growing, while
    // these counts stay exact, so scores there may differ from linfa's in the last bits.
    let total = counts.iter().map(|&c| c as f32).sum::<f32>();
    let n_classes = counts.len();
    // Per-class buffers on the stack for the usual few classes: this runs once per feature
    // and node, hundreds of thousands of times for a deep tree.
    let (mut small_counts, mut small_weights) = ([0u32; SMALL_CLASSES], [[0f32; SMALL_CLASSES]; 2]);
    let (mut large_counts, mut large_weights);
    let (left, [left_weights, right_weights]) = if n_classes <= SMALL_CLASSES {
        let [l, r] = &mut small_weights;
        (
            &mut small_counts[..n_classes],
            [&mut l[..n_classes], &mut r[..n_classes]],
        )
    } else {
        large_counts = vec![0u32; n_classes];
        large_weights = [vec![0f32; n_classes], vec![0f32; n_classes]];
        let [l, r] = &mut large_weights;
        (&mut large_counts[..], [&mut l[..], &mut r[..]])
    };
    let mut best: Option<(f32, usize)> = None;
    for (position, &code) in codes.iter().enumerate() {
        left[code.class()] += 1;
        if !candidate(position) {
            continue;
        }
        let weight_left = (position + 1) as f32;
        let weight_right = total - weight_left;
        if weight_right < params.min_weight_leaf || weight_left < params.min_weight_leaf {
            continue;
        }
        for class in 0..n_classes {
            left_weights[class] = left[class] as f32;
            right_weights[class] = (counts[class] - left[class]) as f32;
        }
        let w = weight_right / total;
        let score = w * impurity(right_weights, params.criterion)
            + (1.0 - w) * impurity(left_weights, params.criterion);
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, position));
        }
    }
    best
}

/// Picks the feature with the lowest score, the first of equal scores as in linfa's loop.
fn choose(per_feature: &[Option<(f32, usize)>]) -> Option<(usize, f32, usize)> {
    let mut best: Option<(usize, f32, usize)> = None;
    for (feature, found) in per_feature.iter().enumerate() {
        if let Some((score, position)) = *found {
            if best.is_none_or(|(_, b, _)| score < b) {
                best = Some((feature, score, position));
            }
        }
    }
    best
}

/// Gini impurity or entropy (in bits) of class weights, computed in `f32` as linfa does.
pub fn impurity(weights: &[f32], criterion: Criterion) -> f32 {
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

/// Moves the rows marked in `goes_left` to the front, keeping their order on each side, with
/// their codes and, when there are any, their ranks.
fn partition<C: Code>(
    (rows, codes, ranks): (&mut [u32], &mut [C], &mut [u32]),
    goes_left: &[AtomicBool],
    scratch: &mut Scratch<C>,
) {
    let len = rows.len();
    if !ranks.is_empty() {
        // The ranks follow the rows: a stable partition of the pairs by the same marks.
        scratch.ranks.clear();
        let mut write = 0;
        for index in 0..len {
            if goes_left[rows[index] as usize].load(Ordering::Relaxed) {
                ranks[write] = ranks[index];
                write += 1;
            } else {
                scratch.ranks.push(ranks[index]);
            }
        }
        ranks[write..].copy_from_slice(&scratch.ranks);
    }
    scratch.rows.resize(len, 0);
    scratch.codes.resize(len, C::new(0, false));
    // Without branches: every row is written to both sides, and only one cursor advances.
    let (mut write, mut aside) = (0, 0);
    for index in 0..len {
        let (row, code) = (rows[index], codes[index]);
        let left = usize::from(goes_left[row as usize].load(Ordering::Relaxed));
        rows[write] = row;
        codes[write] = code;
        scratch.rows[aside] = row;
        scratch.codes[aside] = code;
        write += left;
        aside += 1 - left;
    }
    rows[write..].copy_from_slice(&scratch.rows[..aside]);
    codes[write..].copy_from_slice(&scratch.codes[..aside]);
}
