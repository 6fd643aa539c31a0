//! The step between loading the data and fitting the tree that `compare`, `explain` and
//! `train` share: the split, the reviews of the classes and the feature columns, and the
//! checks that stop a run. Sharing it keeps the saved tree the tree `compare` reports.

use super::labels::Labels;
use super::review::{review_classes, review_features, unlabelled_warning};
use super::sources::Sources;
use super::split::{stratified_split, Split, SplitRatios};
use crate::error::Result;

/// The labelled rows split into parts, and the columns the tree may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub split: Split,
    /// Rows without a label, which the split leaves out.
    pub unlabelled: usize,
    /// Every column but the target, without the columns the review leaves out (no values
    /// at all, or a different text in every row).
    pub feature_columns: Vec<usize>,
    /// The reviews' warnings in the order they were found: unlabelled rows, classes, then
    /// feature columns.
    pub warnings: Vec<String>,
}

/// Splits the labelled rows of `sources`, reviews the classes and the feature columns, and
/// fails on an empty part of the split or an infinite value in a feature column.
pub fn prepare_rows(
    sources: &Sources,
    labels: &Labels,
    ratios: SplitRatios,
    seed: u64,
) -> Result<Prepared> {
    let table = &sources.table;
    let unlabelled = labels.n_missing();
    let mut warnings: Vec<String> = unlabelled_warning(labels, table).into_iter().collect();
    let split = stratified_split(&labels.rows, labels.n_classes(), ratios, seed);
    split.require_nonempty(table.n_rows() - unlabelled)?;
    warnings.extend(review_classes(labels, &split));

    // The tree may use every column but the target, without those the review leaves out.
    let target_index = table
        .column_index(&labels.column)
        .expect("labels were read from it");
    let candidates: Vec<usize> = (0..table.columns.len())
        .filter(|&c| c != target_index)
        .collect();
    let review = review_features(table, &candidates);
    warnings.extend(review.warnings);
    sources.require_finite(&review.kept)?;
    Ok(Prepared {
        split,
        unlabelled,
        feature_columns: review.kept,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{load_table_from_bytes, DataFile, LoadOptions};

    /// Builds a one-file source of `text`, with `label` read as text.
    fn sources(text: &str) -> Sources {
        let loaded = load_table_from_bytes(
            text.as_bytes(),
            "t.csv",
            &LoadOptions::default(),
            &["label"],
        )
        .unwrap();
        Sources {
            files: vec![DataFile {
                path: "t.csv".into(),
                rows: loaded.table.n_rows(),
                fingerprint: String::new(),
            }],
            table: loaded.table,
            warnings: loaded.warnings,
        }
    }

    /// 40 rows: a text ID, a number, an empty column and the label.
    fn rows_with_id() -> String {
        let mut text = String::from("id,x,empty,label\n");
        for i in 0..40 {
            let label = if i % 2 == 0 { "a" } else { "b" };
            text.push_str(&format!("P{i:03},{},,{label}\n", i % 7));
        }
        text
    }

    #[test]
    fn id_and_empty_columns_are_left_out() {
        let sources = sources(&rows_with_id());
        let labels = Labels::from_table(&sources.table, "label", "t.csv").unwrap();
        let prepared = prepare_rows(&sources, &labels, SplitRatios::default(), 42).unwrap();
        // Column 1 (`x`) is the only feature: `id` is an ID, `empty` has no values and
        // `label` is the target.
        assert_eq!(prepared.feature_columns, [1]);
        assert_eq!(prepared.warnings.len(), 2, "{:?}", prepared.warnings);
        assert!(prepared.warnings[0].starts_with("column `id` has a different value in each"));
        assert!(prepared.warnings[1].starts_with("column `empty` has no values"));
        assert_eq!(prepared.unlabelled, 0);
        assert_eq!(
            prepared.split.train.len()
                + prepared.split.validation.len()
                + prepared.split.test.len(),
            40
        );
    }

    #[test]
    fn unlabelled_rows_are_counted_and_named() {
        let text = rows_with_id() + "P999,3,,\n";
        let sources = sources(&text);
        let labels = Labels::from_table(&sources.table, "label", "t.csv").unwrap();
        let prepared = prepare_rows(&sources, &labels, SplitRatios::default(), 42).unwrap();
        assert_eq!(prepared.unlabelled, 1);
        assert_eq!(
            prepared.warnings[0],
            "1 row has no value in `label` and was left out (line 42)"
        );
    }

    #[test]
    fn infinite_feature_stops_the_run() {
        let text = rows_with_id().replacen(",3,,", ",inf,,", 1);
        let sources = sources(&text);
        let labels = Labels::from_table(&sources.table, "label", "t.csv").unwrap();
        let error = prepare_rows(&sources, &labels, SplitRatios::default(), 42).unwrap_err();
        assert!(
            error
                .message()
                .starts_with("`t.csv` line 5, column `x`: the value is inf"),
            "{}",
            error.message()
        );
    }
}
