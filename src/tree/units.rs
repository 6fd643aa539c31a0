//! Growing on rescaled features while keeping every threshold in the data's own units.
//!
//! linfa-trees 0.8.1 (and so the grower) never separates two values closer than 1e-5, so
//! a feature with a tiny range can only be split after rescaling. Rescaling is monotone,
//! so a split of the rescaled training values is also a split of the raw ones: the
//! threshold becomes the midpoint of the two raw training values on either side of it.
//! The converted tree sends every training row to the same leaf as the grown one, and it
//! routes raw values, so prediction, explanations and exported rules never rescale.

use super::encode::Encoder;
use super::fit::{fit_tree, TreeParams};
use super::matrix::{EncodedRows, FeatureMatrix};
use super::model::{DecisionTree, Node};
use crate::data::Table;
use crate::error::Result;

/// The training rows of one fit, in the data's units and as the grower receives them. The
/// values are read from the table, so no copy of the training rows is made.
pub struct TrainingSet<'a> {
    pub raw: EncodedRows<'a>,
    /// The rescaled features, when the encoder rescales any.
    scaled: Option<EncodedRows<'a>>,
    /// Per feature, the (rescaled, raw) training values sorted, for rescaled features.
    pairs: Vec<Vec<(f64, f64)>>,
    pub labels: &'a [u32],
    pub n_classes: usize,
}

impl<'a> TrainingSet<'a> {
    /// The rows `rows` of `table` encoded by `encoder`, with their `labels`.
    pub fn new(
        encoder: &Encoder,
        table: &'a Table,
        rows: &'a [usize],
        labels: &'a [u32],
        n_classes: usize,
    ) -> Self {
        let raw = encoder.rows(table, rows);
        let scaled = encoder
            .is_scaled()
            .then(|| encoder.scaled_rows(table, rows));
        let mut pairs = vec![Vec::new(); raw.n_features()];
        if let Some(scaled) = &scaled {
            for (j, column) in pairs.iter_mut().enumerate() {
                let (scaled_values, raw_values) = (scaled.column_values(j), raw.column_values(j));
                if scaled_values != raw_values {
                    *column = scaled_values.into_iter().zip(raw_values).collect();
                    column.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                }
            }
        }
        TrainingSet {
            raw,
            scaled,
            pairs,
            labels,
            n_classes,
        }
    }

    /// Grows a tree with `params` and returns it with thresholds in the data's units.
    pub fn fit(&self, params: &TreeParams) -> Result<DecisionTree> {
        let grown_on = self.scaled.as_ref().unwrap_or(&self.raw);
        let mut tree = fit_tree(grown_on, self.labels, self.n_classes, params)?;
        if self.scaled.is_some() {
            self.to_data_units(&mut tree);
        }
        Ok(tree)
    }

    fn to_data_units(&self, tree: &mut DecisionTree) {
        for node in &mut tree.nodes {
            if let Node::Split {
                feature, threshold, ..
            } = node
            {
                let pairs = &self.pairs[*feature];
                if pairs.is_empty() {
                    continue;
                }
                let split = pairs.partition_point(|p| p.0 <= *threshold);
                // The grower only puts thresholds between two training values.
                debug_assert!(split > 0 && split < pairs.len());
                let below = pairs[split.saturating_sub(1)].1;
                let above = pairs[split.min(pairs.len() - 1)].1;
                *threshold = midpoint(below, above);
            }
        }
    }
}

/// Returns a threshold between `below` and `above` that sends `below` left and `above` right:
/// their midpoint, or `below` itself when the midpoint rounds onto `above`.
pub fn midpoint(below: f64, above: f64) -> f64 {
    let middle = below + (above - below) / 2.0;
    if below <= middle && middle < above {
        middle
    } else {
        below
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Column, ColumnData, Table};
    use crate::tree::encode::{Preprocessing, Scaling};
    use ndarray::array;

    fn tiny_range_table() -> Table {
        // The two classes differ by 2e-7, far below linfa's 1e-5 separation.
        let values = vec![1.0e-7, 1.5e-7, 2.0e-7, 4.0e-7, 4.5e-7, 5.0e-7];
        Table {
            columns: vec![Column {
                name: "x".into(),
                data: ColumnData::Numeric(values),
            }],
            line_numbers: (2..8).collect(),
        }
    }

    fn fit_with_scale(scale: Scaling) -> DecisionTree {
        let table = tiny_range_table();
        let rows: Vec<usize> = (0..6).collect();
        let preprocessing = Preprocessing {
            scale,
            ..Preprocessing::default()
        };
        let encoder = Encoder::fit_with(&table, &[0], &rows, &preprocessing);
        let labels = [0, 0, 0, 1, 1, 1];
        TrainingSet::new(&encoder, &table, &rows, &labels, 2)
            .fit(&TreeParams::default())
            .unwrap()
    }

    #[test]
    fn tiny_range_needs_scaling() {
        assert_eq!(fit_with_scale(Scaling::None).n_leaves(), 1);
        for scale in [Scaling::Standard, Scaling::Minmax] {
            let tree = fit_with_scale(scale);
            assert_eq!(tree.n_leaves(), 2, "{scale:?}");
            let Node::Split { threshold, .. } = tree.nodes[0] else {
                panic!("a split at the root");
            };
            assert_eq!(threshold, midpoint(2.0e-7, 4.0e-7), "{scale:?}");
            assert_eq!(tree.predict_row(array![2.0e-7].view()), 0);
            assert_eq!(tree.predict_row(array![4.0e-7].view()), 1);
        }
    }

    #[test]
    fn midpoint_never_lands_on_the_upper_value() {
        let below: f64 = 1.0e12;
        let above = f64::from_bits(below.to_bits() + 1);
        assert_eq!(midpoint(below, above), below);
        assert_eq!(midpoint(1.0, 2.0), 1.5);
    }
}
