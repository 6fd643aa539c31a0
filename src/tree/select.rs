//! The whole learned side of a run: preprocessing, the grid search on the validation rows
//! or by cross-validation, and the final tree.

use super::cv::{search_cv, Pool};
use super::encode::{Encoder, Preprocessing};
use super::fit::TreeParams;
use super::model::DecisionTree;
use super::search::{search_holdout, Grid, Metric, Search};
use super::units::TrainingSet;
use crate::data::{Split, Table};
use crate::error::Result;

/// Everything that decides how the tree is trained and chosen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreeOptions {
    pub grid: Grid,
    pub metric: Metric,
    /// `Some(k)`: choose by k-fold cross-validation on the training plus validation rows,
    /// then refit on all of them.
    pub cv_folds: Option<usize>,
    pub preprocessing: Preprocessing,
}

/// A table with its label per row and the columns the tree may use.
pub struct LabelledTable<'a> {
    pub table: &'a Table,
    pub columns: &'a [usize],
    /// The class of each table row; `None` where the label is missing.
    pub labels: &'a [Option<u32>],
    pub classes: &'a [String],
}

impl LabelledTable<'_> {
    /// The classes of `rows`, which must all be labelled.
    pub fn classes_of(&self, rows: &[usize]) -> Vec<u32> {
        rows.iter()
            .map(|&r| self.labels[r].expect("split rows are labelled"))
            .collect()
    }

    /// Learns the preprocessing on `rows` and fits one tree on them.
    pub fn fit_on(
        &self,
        rows: &[usize],
        params: &TreeParams,
        preprocessing: &Preprocessing,
    ) -> Result<(Encoder, DecisionTree)> {
        let encoder = Encoder::fit_with(self.table, self.columns, rows, preprocessing);
        let labels = self.classes_of(rows);
        let training = TrainingSet::new(&encoder, self.table, rows, &labels, self.classes.len());
        let tree = training.fit(params)?;
        Ok((encoder, tree))
    }
}

/// The chosen tree with its preprocessing and the search that chose it.
#[derive(Debug, Clone)]
pub struct Selected {
    pub encoder: Encoder,
    pub tree: DecisionTree,
    pub search: Search,
    /// The table rows the final tree and its preprocessing were fitted on.
    pub fitted_rows: Vec<usize>,
}

impl Selected {
    pub fn params(&self) -> TreeParams {
        self.search.chosen_row().params
    }
}

/// Chooses the tree settings and fits the final tree. Without cross-validation, every
/// setting is fitted on the training rows and scored on the validation rows, and the
/// chosen tree is the final one. With `--cv K`, the settings are scored by stratified
/// K-fold cross-validation on the training plus validation rows, and the chosen setting
/// is refitted on all of them. The test rows are never looked at.
pub fn select_tree(
    data: &LabelledTable,
    split: &Split,
    options: &TreeOptions,
    seed: u64,
) -> Result<Selected> {
    options.grid.check()?;
    match options.cv_folds {
        None => {
            let encoder = Encoder::fit_with(
                data.table,
                data.columns,
                &split.train,
                &options.preprocessing,
            );
            let train_y = data.classes_of(&split.train);
            let validation_x = encoder.rows(data.table, &split.validation);
            let validation_y = data.classes_of(&split.validation);
            let n_classes = data.classes.len();
            let training =
                TrainingSet::new(&encoder, data.table, &split.train, &train_y, n_classes);
            let (search, tree) = search_holdout(
                &training,
                (&validation_x, &validation_y),
                &options.grid,
                options.metric,
                data.classes,
            )?;
            Ok(Selected {
                encoder,
                tree,
                search,
                fitted_rows: split.train.clone(),
            })
        }
        Some(k) => {
            let mut pool_rows = [split.train.as_slice(), split.validation.as_slice()].concat();
            pool_rows.sort_unstable();
            let pool_labels = data.classes_of(&pool_rows);
            let pool = Pool {
                table: data.table,
                columns: data.columns,
                rows: &pool_rows,
                labels: &pool_labels,
                classes: data.classes,
            };
            let search = search_cv(
                &pool,
                k,
                seed,
                &options.grid,
                options.metric,
                &options.preprocessing,
            )?;
            let params = search.chosen_row().params;
            let (encoder, tree) = data.fit_on(&pool_rows, &params, &options.preprocessing)?;
            Ok(Selected {
                encoder,
                tree,
                search,
                fitted_rows: pool_rows,
            })
        }
    }
}
