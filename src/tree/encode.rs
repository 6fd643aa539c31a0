//! Turns table columns into the numeric feature matrix the tree is trained on, with every
//! statistic learned from training rows only.
//!
//! Numeric columns become one feature each; a missing value becomes the training median or
//! mean. Categorical columns become one 0/1 feature per category seen in the training rows
//! (one-hot). A missing category either gets a feature of its own (when the training rows
//! have missing values in that column) or counts as the most frequent training category.
//! A category never seen in the training rows sets none of the column's features, and so
//! does a missing value in a column whose training rows had none.
//!
//! Scaling only changes the values the grower receives: the tree's thresholds are converted
//! back to the data's own units after growing (see [`super::units`]), so prediction never
//! rescales.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::data::{ColumnData, Table, MISSING_CODE};

/// The imputation of missing numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum NumericImputation {
    /// The median of the column's training values.
    #[default]
    Median,
    /// The mean of the column's training values.
    Mean,
}

/// The encoding of missing categories.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CategoricalImputation {
    /// A separate "missing" category with its own 0/1 feature.
    #[default]
    MissingCategory,
    /// The most frequent category of the training rows (ties: first in sorted order).
    MostFrequent,
}

/// The rescaling of numeric features before growing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// The raw values.
    #[default]
    None,
    /// Subtract the training mean and divide by the training standard deviation.
    Standard,
    /// Map the training minimum to 0 and the training maximum to 1.
    Minmax,
}

/// The preprocessing choices; every statistic they need is learned on the training rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preprocessing {
    pub numeric_imputation: NumericImputation,
    pub categorical_imputation: CategoricalImputation,
    pub scale: Scaling,
}

/// An affine rescaling: the grower receives `(value - center) / scale`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Affine {
    pub center: f64,
    pub scale: f64,
}

impl Affine {
    /// Rescales one value. Values more than the largest float apart, such as -1e308 and
    /// 1e308, are divided before they are subtracted, so the result stays finite.
    pub fn apply(&self, value: f64) -> f64 {
        let scaled = (value - self.center) / self.scale;
        if scaled.is_finite() || !value.is_finite() {
            scaled
        } else {
            value / self.scale - self.center / self.scale
        }
    }
}

/// The source of one feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// A numeric column; missing values become `fill`, learned on the training rows.
    Numeric {
        column: String,
        fill: f64,
        /// The rescaling applied while growing, when `--scale` asked for one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scaling: Option<Affine>,
    },
    /// 1.0 when `column` contains `category`, or when it is missing and `includes_missing` is
    /// set (`category` is then the most frequent training category); else 0.0.
    Category {
        column: String,
        category: String,
        #[serde(default, skip_serializing_if = "is_false")]
        includes_missing: bool,
    },
    /// 1.0 when `column` is missing: the separate "missing" category.
    Missing { column: String },
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Feature {
    pub fn column(&self) -> &str {
        match self {
            Feature::Numeric { column, .. }
            | Feature::Category { column, .. }
            | Feature::Missing { column } => column,
        }
    }

    /// Names the feature as tables show it, such as `age` or `sex == "female"`.
    pub fn name(&self) -> String {
        match self {
            Feature::Numeric { column, .. } => column.clone(),
            Feature::Category {
                column, category, ..
            } => format!("{column} == {}", super::export::quote(category)),
            Feature::Missing { column } => format!("{column} is missing"),
        }
    }
}

/// The fitted preprocessing: the list of features, in matrix column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoder {
    pub features: Vec<Feature>,
}

impl Encoder {
    /// Learns the features with the default preprocessing; see [`Encoder::fit_with`].
    pub fn fit(table: &Table, columns: &[usize], train_rows: &[usize]) -> Encoder {
        Self::fit_with(table, columns, train_rows, &Preprocessing::default())
    }

    /// Learns the features from the training rows of the given columns. A column with no
    /// value in the training rows gives no feature, as nothing can be learned from it.
    pub fn fit_with(
        table: &Table,
        columns: &[usize],
        train_rows: &[usize],
        preprocessing: &Preprocessing,
    ) -> Encoder {
        let mut features = Vec::new();
        for &index in columns {
            let column = &table.columns[index];
            let name = &column.name;
            match &column.data {
                ColumnData::Numeric(values) => {
                    let mut seen: Vec<f64> = train_rows
                        .iter()
                        .map(|&r| values[r])
                        .filter(|v| !v.is_nan())
                        .collect();
                    let fill = match preprocessing.numeric_imputation {
                        NumericImputation::Median => median(&mut seen),
                        NumericImputation::Mean => mean(&seen),
                    };
                    let Some(fill) = fill else { continue };
                    let filled = train_rows.iter().map(|&r| {
                        let value = values[r];
                        if value.is_nan() {
                            fill
                        } else {
                            value
                        }
                    });
                    features.push(Feature::Numeric {
                        column: name.clone(),
                        fill,
                        scaling: fit_scaling(preprocessing.scale, filled),
                    });
                }
                ColumnData::Categorical { codes, levels } => {
                    let mut counts = vec![0usize; levels.len()];
                    let mut missing = 0usize;
                    for &row in train_rows {
                        match codes[row] {
                            MISSING_CODE => missing += 1,
                            code => counts[code as usize] += 1,
                        }
                    }
                    let mode = most_frequent(&counts);
                    let fill_with_mode =
                        preprocessing.categorical_imputation == CategoricalImputation::MostFrequent;
                    for (code, level) in levels.iter().enumerate() {
                        if counts[code] > 0 {
                            features.push(Feature::Category {
                                column: name.clone(),
                                category: level.clone(),
                                includes_missing: fill_with_mode && mode == Some(code),
                            });
                        }
                    }
                    if missing > 0 && !fill_with_mode && mode.is_some() {
                        features.push(Feature::Missing {
                            column: name.clone(),
                        });
                    }
                }
            }
        }
        Encoder { features }
    }

    /// True when some feature is rescaled for growing.
    pub fn is_scaled(&self) -> bool {
        self.features.iter().any(|f| {
            matches!(
                f,
                Feature::Numeric {
                    scaling: Some(_),
                    ..
                }
            )
        })
    }

    /// Builds the feature matrix for `rows` of `table` in the data's own units, looking
    /// columns up by name so a model can be applied to another file with the same columns.
    ///
    /// # Panics
    /// When a feature's column is missing from `table` or has the other type; callers check
    /// the schema first.
    pub fn transform(&self, table: &Table, rows: &[usize]) -> Array2<f64> {
        let mut matrix = Array2::zeros((rows.len(), self.features.len()));
        for (j, feature) in self.features.iter().enumerate() {
            let index = table
                .column_index(feature.column())
                .expect("the caller checked that every feature's column exists");
            let data = &table.columns[index].data;
            match (feature, data) {
                (Feature::Numeric { fill, .. }, ColumnData::Numeric(values)) => {
                    for (i, &row) in rows.iter().enumerate() {
                        let value = values[row];
                        matrix[(i, j)] = if value.is_nan() { *fill } else { value };
                    }
                }
                (
                    Feature::Category {
                        category,
                        includes_missing,
                        ..
                    },
                    ColumnData::Categorical { codes, levels },
                ) => {
                    let code = levels.iter().position(|l| l == category).map(|c| c as u32);
                    for (i, &row) in rows.iter().enumerate() {
                        let hit = match codes[row] {
                            MISSING_CODE => *includes_missing,
                            c => Some(c) == code,
                        };
                        matrix[(i, j)] = if hit { 1.0 } else { 0.0 };
                    }
                }
                (Feature::Missing { .. }, _) => {
                    let column = &table.columns[index];
                    for (i, &row) in rows.iter().enumerate() {
                        matrix[(i, j)] = if column.is_missing(row) { 1.0 } else { 0.0 };
                    }
                }
                _ => panic!("feature `{}` has the other column type", feature.column()),
            }
        }
        matrix
    }

    /// Copies `matrix` (from [`Encoder::transform`]) with each rescaled feature rescaled.
    pub fn scale(&self, matrix: &Array2<f64>) -> Array2<f64> {
        let mut scaled = matrix.clone();
        for (j, feature) in self.features.iter().enumerate() {
            if let Feature::Numeric {
                scaling: Some(affine),
                ..
            } = feature
            {
                scaled.column_mut(j).mapv_inplace(|v| affine.apply(v));
            }
        }
        scaled
    }

    pub fn names(&self) -> Vec<String> {
        self.features.iter().map(Feature::name).collect()
    }
}

/// Learns the rescaling of one column from its (imputed) training values. A constant
/// column keeps a scale of 1, as scikit-learn's scalers do.
fn fit_scaling(scale: Scaling, values: impl Iterator<Item = f64>) -> Option<Affine> {
    let values: Vec<f64> = values.collect();
    let usable = |s: f64| if s.is_finite() && s > 0.0 { s } else { 1.0 };
    match scale {
        Scaling::None => None,
        Scaling::Standard => {
            let center = mean(&values)?;
            Some(Affine {
                center,
                scale: usable(standard_deviation(&values, center)),
            })
        }
        Scaling::Minmax => {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            // A range wider than the largest float (from -1e308 to 1e308, say) is halved, so
            // the rescaled values run from 0 to 2 instead of 0 to 1.
            let range = max - min;
            let range = if range.is_finite() {
                range
            } else {
                max / 2.0 - min / 2.0
            };
            (!values.is_empty()).then(|| Affine {
                center: min,
                scale: usable(range),
            })
        }
    }
}

/// Computes the median of `values` (the mean of the two middle values for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // Selecting the middle value takes linear time; the values below it are then the
    // lower half, whose largest is the other middle value of an even count.
    let odd = !values.len().is_multiple_of(2);
    let mid = values.len() / 2;
    let (lower, &mut upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    if odd {
        return Some(upper);
    }
    let below = lower
        .iter()
        .copied()
        .max_by(f64::total_cmp)
        .expect("an even count has a lower half");
    Some(below / 2.0 + upper / 2.0)
}

/// Computes the arithmetic mean of `values`, summed in order. When the sum overflows (values
/// near the largest float), each value is divided by the count before it is added.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let count = values.len() as f64;
    let plain = values.iter().sum::<f64>() / count;
    if plain.is_finite() || values.iter().any(|v| !v.is_finite()) {
        return Some(plain);
    }
    Some(values.iter().map(|v| v / count).sum())
}

/// Below this, a standard deviation is recomputed from scaled deviations.
const TINY_DEVIATION: f64 = 1e-140;

/// Computes the population standard deviation of `values` around `center`. When the squares
/// overflow or underflow, the deviations are first divided by the largest of them.
fn standard_deviation(values: &[f64], center: f64) -> f64 {
    let count = values.len() as f64;
    let plain = (values
        .iter()
        .map(|v| (v - center) * (v - center))
        .sum::<f64>()
        / count)
        .sqrt();
    // Squares of deviations below about 1e-154 underflow to zero, and above about 1e154 they
    // overflow, so such deviations take the scaled path.
    if (plain.is_finite() && plain >= TINY_DEVIATION) || !center.is_finite() {
        return plain;
    }
    let deviation = |v: f64| v / 2.0 - center / 2.0;
    let largest = values
        .iter()
        .fold(0.0f64, |m, &v| m.max(deviation(v).abs()));
    if largest == 0.0 || !largest.is_finite() {
        return plain;
    }
    let relative = values
        .iter()
        .map(|&v| (deviation(v) / largest) * (deviation(v) / largest))
        .sum::<f64>()
        / count;
    // Doubling last: the deviation itself is finite even where twice the largest is not.
    largest * relative.sqrt() * 2.0
}

/// Finds the code with the highest count; ties go to the lowest code (first in sorted order).
fn most_frequent(counts: &[usize]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (code, &count) in counts.iter().enumerate() {
        if count > 0 && best.is_none_or(|b| count > counts[b]) {
            best = Some(code);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Column;

    fn table() -> Table {
        Table {
            columns: vec![
                Column {
                    name: "age".into(),
                    data: ColumnData::Numeric(vec![1.0, f64::NAN, 3.0, 100.0]),
                },
                Column {
                    name: "sex".into(),
                    data: ColumnData::Categorical {
                        codes: vec![0, 1, MISSING_CODE, 1],
                        levels: vec!["female".into(), "male".into()],
                    },
                },
            ],
            line_numbers: vec![2, 3, 4, 5],
        }
    }

    fn options(
        numeric_imputation: NumericImputation,
        categorical_imputation: CategoricalImputation,
        scale: Scaling,
    ) -> Preprocessing {
        Preprocessing {
            numeric_imputation,
            categorical_imputation,
            scale,
        }
    }

    #[test]
    fn median_uses_training_rows_only() {
        // Row 3 (age 100) is not a training row, so it must not move the median.
        let encoder = Encoder::fit(&table(), &[0, 1], &[0, 1, 2]);
        assert_eq!(
            encoder.features[0],
            Feature::Numeric {
                column: "age".into(),
                fill: 2.0,
                scaling: None,
            }
        );
        let with_row_3 = Encoder::fit(&table(), &[0, 1], &[0, 1, 2, 3]);
        assert_ne!(encoder.features[0], with_row_3.features[0]);
    }

    #[test]
    fn mean_imputation_uses_training_rows_only() {
        let preprocessing = options(
            NumericImputation::Mean,
            CategoricalImputation::MissingCategory,
            Scaling::None,
        );
        let encoder = Encoder::fit_with(&table(), &[0], &[0, 1, 3], &preprocessing);
        let Feature::Numeric { fill, .. } = encoder.features[0] else {
            panic!("numeric feature expected");
        };
        assert_eq!(fill, 50.5);
    }

    #[test]
    fn missing_category_gets_its_own_feature() {
        let encoder = Encoder::fit(&table(), &[0, 1], &[0, 1, 2, 3]);
        assert_eq!(
            encoder.names(),
            vec![
                "age",
                "sex == \"female\"",
                "sex == \"male\"",
                "sex is missing"
            ]
        );
        let matrix = encoder.transform(&table(), &[0, 1, 2, 3]);
        assert_eq!(matrix.column(3).to_vec(), vec![0.0, 0.0, 1.0, 0.0]);
        assert_eq!(matrix.column(2).to_vec(), vec![0.0, 1.0, 0.0, 1.0]);
    }

    #[test]
    fn most_frequent_category_absorbs_missing() {
        let preprocessing = options(
            NumericImputation::Median,
            CategoricalImputation::MostFrequent,
            Scaling::None,
        );
        let encoder = Encoder::fit_with(&table(), &[1], &[0, 1, 2, 3], &preprocessing);
        assert_eq!(encoder.features.len(), 2);
        let matrix = encoder.transform(&table(), &[0, 1, 2, 3]);
        // `male` is the most frequent training category, so the missing row 2 counts as male.
        assert_eq!(matrix.column(1).to_vec(), vec![0.0, 1.0, 1.0, 1.0]);
        assert_eq!(matrix.column(0).to_vec(), vec![1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn one_hot_covers_training_categories() {
        let encoder = Encoder::fit(&table(), &[0, 1], &[0, 2]);
        assert_eq!(
            encoder.names(),
            vec!["age", "sex == \"female\"", "sex is missing"]
        );
        let matrix = encoder.transform(&table(), &[0, 1, 2, 3]);
        // Rows 1 and 3 hold `male`, unseen in training: no feature is set.
        assert_eq!(matrix.column(1).to_vec(), vec![1.0, 0.0, 0.0, 0.0]);
        assert_eq!(matrix.column(2).to_vec(), vec![0.0, 0.0, 1.0, 0.0]);
        assert_eq!(matrix.column(0).to_vec(), vec![1.0, 2.0, 3.0, 100.0]);
    }

    #[test]
    fn scaling_is_fitted_on_training_rows() {
        let standard = options(
            NumericImputation::Median,
            CategoricalImputation::MissingCategory,
            Scaling::Standard,
        );
        let encoder = Encoder::fit_with(&table(), &[0], &[0, 2], &standard);
        let Feature::Numeric { scaling, .. } = &encoder.features[0] else {
            panic!("numeric feature expected");
        };
        assert_eq!(
            *scaling,
            Some(Affine {
                center: 2.0,
                scale: 1.0
            })
        );
        let minmax = options(
            NumericImputation::Median,
            CategoricalImputation::MissingCategory,
            Scaling::Minmax,
        );
        let encoder = Encoder::fit_with(&table(), &[0], &[0, 1, 3], &minmax);
        let scaled = encoder.scale(&encoder.transform(&table(), &[0, 3]));
        assert_eq!(scaled.column(0).to_vec(), vec![0.0, 1.0]);
    }

    #[test]
    fn median_of_even_count_is_midpoint() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn median_matches_the_sorted_middle() {
        let mut state = 7u64;
        for len in 1..200 {
            let values: Vec<f64> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 40) % 50) as f64 - 20.5
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mid = len / 2;
            let expected = if len % 2 == 1 {
                sorted[mid]
            } else {
                (sorted[mid - 1] + sorted[mid]) / 2.0
            };
            assert_eq!(median(&mut values.clone()), Some(expected), "{values:?}");
        }
    }
}
