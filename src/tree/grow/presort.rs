//! Each feature's rows in ascending order of value, with each row's class and whether linfa
//! evaluates a split after it, packed into one small code.

use rayon::prelude::*;

use super::MIN_SEPARATION;
use crate::tree::matrix::FeatureMatrix;

/// A row's class and its candidate flag: set when linfa evaluates a split after the row.
pub trait Code: Copy + Send + Sync + 'static {
    /// The maximum number of classes the code can store.
    const MAX_CLASSES: usize;
    fn new(class: u32, candidate: bool) -> Self;
    fn class(self) -> usize;
    fn is_candidate(self) -> bool;
}

impl Code for u8 {
    const MAX_CLASSES: usize = 0x80;
    fn new(class: u32, candidate: bool) -> Self {
        class as u8 | (u8::from(candidate) << 7)
    }
    fn class(self) -> usize {
        (self & 0x7f) as usize
    }
    fn is_candidate(self) -> bool {
        self & 0x80 != 0
    }
}

impl Code for u32 {
    const MAX_CLASSES: usize = 0x8000_0000;
    fn new(class: u32, candidate: bool) -> Self {
        class | (u32::from(candidate) << 31)
    }
    fn class(self) -> usize {
        (self & 0x7fff_ffff) as usize
    }
    fn is_candidate(self) -> bool {
        self & 0x8000_0000 != 0
    }
}

/// One feature's presorted rows. `rows`, `codes` and `ranks` are rearranged as nodes split,
/// so that every pending node's rows occupy one contiguous range (the same range in every
/// feature), still in ascending order of value within it.
pub struct SortedFeature<C> {
    pub rows: Vec<u32>,
    pub codes: Vec<C>,
    /// Each row's value as an index into `distinct`; only for the full split search, which
    /// compares the values of neighbouring rows within a node. Empty otherwise.
    pub ranks: Vec<u32>,
    /// The feature's distinct values in ascending order, to find the value that follows a
    /// split point in the whole training set.
    pub distinct: Vec<f64>,
}

/// Sorts every feature, in parallel; with `ranks`, records each row's value as an index
/// into the distinct values.
pub fn presort<C: Code>(
    features: &dyn FeatureMatrix,
    labels: &[u32],
    ranks: bool,
) -> Vec<SortedFeature<C>> {
    (0..features.n_features())
        .into_par_iter()
        .map(|feature| sort_feature(&features.column_values(feature), labels, ranks))
        .collect()
}

/// linfa-trees 0.8.1 sorts rows stably by value and, after a row with value `v`, evaluates a
/// split only when the next row's value differs from `v` by at least [`MIN_SEPARATION`].
fn sort_feature<C: Code>(column: &[f64], labels: &[u32], with_ranks: bool) -> SortedFeature<C> {
    // Sorting (key, row) pairs orders ties by row: the order of a stable sort by value.
    let mut pairs: Vec<(u64, u32)> = column
        .iter()
        .enumerate()
        .map(|(row, &value)| (sort_key(value), row as u32))
        .collect();
    pairs.sort_unstable();

    let mut rows = Vec::with_capacity(pairs.len());
    let mut codes = Vec::with_capacity(pairs.len());
    let mut ranks = Vec::with_capacity(if with_ranks { pairs.len() } else { 0 });
    let mut distinct = Vec::new();
    for (index, &(key, row)) in pairs.iter().enumerate() {
        let value = key_value(key);
        let candidate = pairs
            .get(index + 1)
            .is_some_and(|&(next, _)| (value - key_value(next)).abs() >= MIN_SEPARATION);
        rows.push(row);
        codes.push(C::new(labels[row as usize], candidate));
        if distinct.last() != Some(&value) {
            distinct.push(value);
        }
        if with_ranks {
            ranks.push(distinct.len() as u32 - 1);
        }
    }
    distinct.shrink_to_fit();
    SortedFeature {
        rows,
        codes,
        ranks,
        distinct,
    }
}

/// An integer that orders values as [`f64::total_cmp`] does.
fn sort_key(value: f64) -> u64 {
    let bits = value.to_bits();
    // Negative values: flip every bit; positive ones: flip the sign bit.
    let mask = ((bits as i64 >> 63) as u64) | (1 << 63);
    bits ^ mask
}

/// The value whose [`sort_key`] is `key`.
fn key_value(key: u64) -> f64 {
    let mask = if key >> 63 == 1 { 1 << 63 } else { u64::MAX };
    f64::from_bits(key ^ mask)
}

/// The smallest of a feature's `distinct` values (ascending) above `value`.
pub fn next_value(distinct: &[f64], value: f64) -> Option<f64> {
    let after = distinct.partition_point(|&v| v <= value);
    distinct.get(after).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rows_sorted_with_candidates_after_each_value_group() {
        let x = array![[3.0], [1.0], [3.0], [1.0 + 1e-6], [2.0]];
        let sorted: Vec<SortedFeature<u8>> = presort(&x.view(), &[0, 1, 0, 1, 1], true);
        let feature = &sorted[0];
        assert_eq!(feature.rows, vec![1, 3, 4, 0, 2]);
        let candidates: Vec<bool> = feature.codes.iter().map(|c| c.is_candidate()).collect();
        // 1.0 and 1.0 + 1e-6 are too close to split between; the last row has no successor.
        assert_eq!(candidates, vec![false, true, true, false, false]);
        let classes: Vec<usize> = feature.codes.iter().map(|c| c.class()).collect();
        assert_eq!(classes, vec![1, 1, 1, 0, 0]);
        assert_eq!(feature.ranks, vec![0, 1, 2, 3, 3]);
        assert_eq!(next_value(&feature.distinct, 1.0 + 1e-6), Some(2.0));
        assert_eq!(next_value(&feature.distinct, 3.0), None);
    }

    #[test]
    fn sort_key_orders_like_total_cmp() {
        let values = [
            f64::NEG_INFINITY,
            -2.5,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            3.0,
            f64::MAX,
        ];
        for pair in values.windows(2) {
            assert!(
                sort_key(pair[0]) < sort_key(pair[1]),
                "{} {}",
                pair[0],
                pair[1]
            );
        }
        for value in values {
            assert_eq!(key_value(sort_key(value)).to_bits(), value.to_bits());
        }
    }

    #[test]
    fn wide_codes_keep_large_classes() {
        let code = <u32 as Code>::new(1_000_000, true);
        assert_eq!(code.class(), 1_000_000);
        assert!(code.is_candidate());
        assert!(!<u32 as Code>::new(5, false).is_candidate());
    }
}
