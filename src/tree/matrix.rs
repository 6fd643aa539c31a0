//! Feature values by row and feature, as the grower and predictions read them: from a dense
//! matrix, or computed from a table's columns when read, which saves a copy of the training
//! rows in memory.

use ndarray::{Array2, ArrayView2};

use super::encode::{Affine, Encoder, Feature};
use crate::data::{ColumnData, Table, MISSING_CODE};

/// A matrix of feature values, one row per example.
pub trait FeatureMatrix: Sync {
    fn n_rows(&self) -> usize;
    fn n_features(&self) -> usize;
    fn value(&self, row: usize, feature: usize) -> f64;

    /// Returns every row's value of `feature`, in row order.
    fn column_values(&self, feature: usize) -> Vec<f64> {
        (0..self.n_rows())
            .map(|row| self.value(row, feature))
            .collect()
    }

    /// Fills `out` with the values of `feature` in the rows from `start` on.
    fn fill_column(&self, feature: usize, start: usize, out: &mut [f64]) {
        for (offset, value) in out.iter_mut().enumerate() {
            *value = self.value(start + offset, feature);
        }
    }
}

impl FeatureMatrix for ArrayView2<'_, f64> {
    fn n_rows(&self) -> usize {
        self.nrows()
    }

    fn n_features(&self) -> usize {
        self.ncols()
    }

    fn value(&self, row: usize, feature: usize) -> f64 {
        self[(row, feature)]
    }

    fn column_values(&self, feature: usize) -> Vec<f64> {
        self.column(feature).to_vec()
    }
}

impl FeatureMatrix for Array2<f64> {
    fn n_rows(&self) -> usize {
        self.nrows()
    }

    fn n_features(&self) -> usize {
        self.ncols()
    }

    fn value(&self, row: usize, feature: usize) -> f64 {
        self[(row, feature)]
    }

    fn column_values(&self, feature: usize) -> Vec<f64> {
        self.column(feature).to_vec()
    }
}

/// The encoded features of some rows of a table: the values [`Encoder::transform`] gives,
/// read from the table's columns when asked for.
pub struct EncodedRows<'a> {
    rows: &'a [usize],
    sources: Vec<Source<'a>>,
}

/// Where one feature's values come from.
enum Source<'a> {
    /// A numeric column: missing values read as `fill`; the values are rescaled when
    /// `scaling` is set.
    Numeric {
        values: &'a [f64],
        fill: f64,
        scaling: Option<Affine>,
    },
    /// 1.0 where the code is `code` (or missing, with `includes_missing`); else 0.0.
    Category {
        codes: &'a [u32],
        code: Option<u32>,
        includes_missing: bool,
    },
    /// 1.0 where a categorical value is missing.
    MissingCode(&'a [u32]),
    /// 1.0 where a numeric value is missing.
    MissingNumber(&'a [f64]),
}

impl Encoder {
    /// The features of `rows` of `table` in the data's own units, as [`Encoder::transform`]
    /// computes them.
    ///
    /// # Panics
    /// When a feature's column is missing from `table` or has the other type; callers check
    /// the schema first.
    pub fn rows<'a>(&self, table: &'a Table, rows: &'a [usize]) -> EncodedRows<'a> {
        self.encoded_rows(table, rows, false)
    }

    /// The features of `rows` as the grower receives them: rescaled where the encoder
    /// rescales, as [`Encoder::scale`] does.
    pub fn scaled_rows<'a>(&self, table: &'a Table, rows: &'a [usize]) -> EncodedRows<'a> {
        self.encoded_rows(table, rows, true)
    }

    fn encoded_rows<'a>(
        &self,
        table: &'a Table,
        rows: &'a [usize],
        scaled: bool,
    ) -> EncodedRows<'a> {
        let sources = self
            .features
            .iter()
            .map(|feature| {
                let index = table
                    .column_index(feature.column())
                    .expect("the caller checked that every feature's column exists");
                match (feature, &table.columns[index].data) {
                    (Feature::Numeric { fill, scaling, .. }, ColumnData::Numeric(values)) => {
                        Source::Numeric {
                            values,
                            fill: *fill,
                            scaling: if scaled { *scaling } else { None },
                        }
                    }
                    (
                        Feature::Category {
                            category,
                            includes_missing,
                            ..
                        },
                        ColumnData::Categorical { codes, levels },
                    ) => Source::Category {
                        codes,
                        code: levels.iter().position(|l| l == category).map(|c| c as u32),
                        includes_missing: *includes_missing,
                    },
                    (Feature::Missing { .. }, ColumnData::Categorical { codes, .. }) => {
                        Source::MissingCode(codes)
                    }
                    (Feature::Missing { .. }, ColumnData::Numeric(values)) => {
                        Source::MissingNumber(values)
                    }
                    _ => panic!("feature `{}` has the other column type", feature.column()),
                }
            })
            .collect();
        EncodedRows { rows, sources }
    }
}

impl Source<'_> {
    fn value(&self, row: usize) -> f64 {
        match self {
            Source::Numeric {
                values,
                fill,
                scaling,
            } => {
                let value = values[row];
                let value = if value.is_nan() { *fill } else { value };
                match scaling {
                    Some(affine) => affine.apply(value),
                    None => value,
                }
            }
            Source::Category {
                codes,
                code,
                includes_missing,
            } => {
                let hit = match codes[row] {
                    MISSING_CODE => *includes_missing,
                    c => Some(c) == *code,
                };
                if hit {
                    1.0
                } else {
                    0.0
                }
            }
            Source::MissingCode(codes) => f64::from(u8::from(codes[row] == MISSING_CODE)),
            Source::MissingNumber(values) => f64::from(u8::from(values[row].is_nan())),
        }
    }
}

impl FeatureMatrix for EncodedRows<'_> {
    fn n_rows(&self) -> usize {
        self.rows.len()
    }

    fn n_features(&self) -> usize {
        self.sources.len()
    }

    fn value(&self, row: usize, feature: usize) -> f64 {
        self.sources[feature].value(self.rows[row])
    }

    fn column_values(&self, feature: usize) -> Vec<f64> {
        let source = &self.sources[feature];
        self.rows.iter().map(|&row| source.value(row)).collect()
    }

    fn fill_column(&self, feature: usize, start: usize, out: &mut [f64]) {
        let source = &self.sources[feature];
        let rows = &self.rows[start..start + out.len()];
        for (value, &row) in out.iter_mut().zip(rows) {
            *value = source.value(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Column;
    use crate::tree::encode::{CategoricalImputation, Preprocessing, Scaling};

    fn table() -> Table {
        Table {
            columns: vec![
                Column {
                    name: "x".into(),
                    data: ColumnData::Numeric(vec![1.0, f64::NAN, 4.0, -2.0, 7.5]),
                },
                Column {
                    name: "c".into(),
                    data: ColumnData::Categorical {
                        codes: vec![0, 1, MISSING_CODE, 2, 1],
                        levels: vec!["a".into(), "b".into(), "c".into()],
                    },
                },
            ],
            line_numbers: (2..7).collect(),
        }
    }

    /// Asserts that the encoded rows hold exactly the values of the dense matrix.
    fn assert_same(encoded: &EncodedRows, dense: &Array2<f64>) {
        assert_eq!(encoded.n_rows(), dense.nrows());
        assert_eq!(encoded.n_features(), dense.ncols());
        for feature in 0..dense.ncols() {
            let column: Vec<u64> = encoded
                .column_values(feature)
                .iter()
                .map(|v| v.to_bits())
                .collect();
            let expected: Vec<u64> = dense.column(feature).iter().map(|v| v.to_bits()).collect();
            assert_eq!(column, expected, "feature {feature}");
            for row in 0..dense.nrows() {
                assert_eq!(
                    encoded.value(row, feature).to_bits(),
                    dense[(row, feature)].to_bits()
                );
            }
        }
    }

    #[test]
    fn encoded_rows_match_the_dense_transform() {
        let table = table();
        for categorical_imputation in [
            CategoricalImputation::MissingCategory,
            CategoricalImputation::MostFrequent,
        ] {
            for scale in [Scaling::None, Scaling::Standard, Scaling::Minmax] {
                let preprocessing = Preprocessing {
                    categorical_imputation,
                    scale,
                    ..Preprocessing::default()
                };
                let encoder = Encoder::fit_with(&table, &[0, 1], &[0, 1, 2, 3], &preprocessing);
                let rows = [4, 0, 2];
                let dense = encoder.transform(&table, &rows);
                assert_same(&encoder.rows(&table, &rows), &dense);
                assert_same(&encoder.scaled_rows(&table, &rows), &encoder.scale(&dense));
            }
        }
    }
}
