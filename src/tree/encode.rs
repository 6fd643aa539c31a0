//! Turns table columns into the numeric feature matrix the tree is trained on, with every
//! statistic learned from training rows only.
//!
//! Numeric columns become one feature each, with missing values replaced by the training
//! median. Categorical columns become one 0/1 feature per category seen in the training
//! rows (one-hot); a missing or unseen category sets none of them.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::data::{ColumnData, Table, MISSING_CODE};

/// Where one feature comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// A numeric column; missing values become `fill`, the training median.
    Numeric { column: String, fill: f64 },
    /// 1.0 when `column` holds `category`, else 0.0.
    Category { column: String, category: String },
}

impl Feature {
    pub fn column(&self) -> &str {
        match self {
            Feature::Numeric { column, .. } | Feature::Category { column, .. } => column,
        }
    }
}

/// The fitted preprocessing: the list of features, in matrix column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoder {
    pub features: Vec<Feature>,
}

impl Encoder {
    /// Learns the features from the training rows of the given columns. A numeric column
    /// with no value in the training rows gives no feature, as nothing can be learned from it.
    pub fn fit(table: &Table, columns: &[usize], train_rows: &[usize]) -> Encoder {
        let mut features = Vec::new();
        for &index in columns {
            let column = &table.columns[index];
            match &column.data {
                ColumnData::Numeric(values) => {
                    let mut seen: Vec<f64> = train_rows
                        .iter()
                        .map(|&r| values[r])
                        .filter(|v| !v.is_nan())
                        .collect();
                    if let Some(fill) = median(&mut seen) {
                        features.push(Feature::Numeric {
                            column: column.name.clone(),
                            fill,
                        });
                    }
                }
                ColumnData::Categorical { codes, levels } => {
                    let mut present = vec![false; levels.len()];
                    for &row in train_rows {
                        if codes[row] != MISSING_CODE {
                            present[codes[row] as usize] = true;
                        }
                    }
                    for (level, _) in levels.iter().zip(&present).filter(|(_, &p)| p) {
                        features.push(Feature::Category {
                            column: column.name.clone(),
                            category: level.clone(),
                        });
                    }
                }
            }
        }
        Encoder { features }
    }

    /// Builds the feature matrix for `rows` of `table`, looking columns up by name so a model
    /// can be applied to another file with the same columns.
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
            match (feature, &table.columns[index].data) {
                (Feature::Numeric { fill, .. }, ColumnData::Numeric(values)) => {
                    for (i, &row) in rows.iter().enumerate() {
                        let value = values[row];
                        matrix[(i, j)] = if value.is_nan() { *fill } else { value };
                    }
                }
                (Feature::Category { category, .. }, ColumnData::Categorical { codes, levels }) => {
                    if let Some(code) = levels.iter().position(|l| l == category) {
                        for (i, &row) in rows.iter().enumerate() {
                            if codes[row] == code as u32 {
                                matrix[(i, j)] = 1.0;
                            }
                        }
                    }
                }
                _ => panic!("feature `{}` has the other column type", feature.column()),
            }
        }
        matrix
    }

    pub fn names(&self) -> Vec<String> {
        self.features
            .iter()
            .map(|f| match f {
                Feature::Numeric { column, .. } => column.clone(),
                Feature::Category { column, category } => format!("{column}=={category}"),
            })
            .collect()
    }
}

/// The median of `values` (the mean of the two middle values for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
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

    #[test]
    fn median_uses_training_rows_only() {
        // Row 3 (age 100) is not a training row, so it must not move the median.
        let encoder = Encoder::fit(&table(), &[0, 1], &[0, 1, 2]);
        assert_eq!(
            encoder.features[0],
            Feature::Numeric {
                column: "age".into(),
                fill: 2.0
            }
        );
        let with_row_3 = Encoder::fit(&table(), &[0, 1], &[0, 1, 2, 3]);
        assert_ne!(encoder.features[0], with_row_3.features[0]);
    }

    #[test]
    fn one_hot_covers_training_categories() {
        let encoder = Encoder::fit(&table(), &[0, 1], &[0, 2]);
        assert_eq!(encoder.names(), vec!["age", "sex==female"]);
        let matrix = encoder.transform(&table(), &[0, 1, 2, 3]);
        assert_eq!(matrix.column(1).to_vec(), vec![1.0, 0.0, 0.0, 0.0]);
        assert_eq!(matrix.column(0).to_vec(), vec![1.0, 2.0, 3.0, 100.0]);
    }

    #[test]
    fn median_of_even_count_is_midpoint() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
