//! Feeds arbitrary bytes to the CSV loader, with options taken from the first byte, and
//! checks what a loaded table promises. Then runs the reviews and the split on it.
//!
//! Layout of an input: one byte of options, then the CSV data. Bits 0-1 pick the delimiter
//! (detected, `;`, tab, `,`), bits 2-3 the lines to skip, bit 4 sets `--decimal-comma`,
//! bit 5 forces a column `label` to text and bit 6 sets `--categorical x`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rulebench::data::review::{review_classes, review_features, unlabelled_warning};
use rulebench::data::{
    load_table_from_bytes, stratified_split, ColumnData, Delimiter, Labels, LoadOptions,
    SplitRatios, Table, MISSING_CODE,
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, csv)) = data.split_first() else {
        return;
    };
    let options = LoadOptions {
        delimiter: match mode & 3 {
            0 => None,
            1 => Delimiter::new(b';'),
            2 => Delimiter::new(b'\t'),
            _ => Delimiter::new(b','),
        },
        skip_lines: usize::from((mode >> 2) & 3),
        decimal_comma: mode & 16 != 0,
        categorical: if mode & 64 != 0 {
            vec!["x".to_string()]
        } else {
            Vec::new()
        },
    };
    let text_columns: &[&str] = if mode & 32 != 0 { &["label"] } else { &[] };
    let Ok(loaded) = load_table_from_bytes(csv, "fuzz.csv", &options, text_columns) else {
        return;
    };
    check_table(&loaded.table);

    let table = &loaded.table;
    let columns: Vec<usize> = (0..table.columns.len()).collect();
    let review = review_features(table, &columns);
    assert!(review.kept.iter().all(|c| columns.contains(c)));
    if mode & 32 != 0 && table.column_index("label").is_some() {
        let labels = Labels::from_table(table, "label", "fuzz.csv").expect("the column exists");
        let _ = unlabelled_warning(&labels, table);
        let split = stratified_split(
            &labels.rows,
            labels.n_classes(),
            SplitRatios::default(),
            7,
        );
        let _ = review_classes(&labels, &split);
    }
});

/// Checks the promises of a loaded table: columns of equal length, rising line numbers,
/// codes within their levels, and no negative zero.
fn check_table(table: &Table) {
    assert!(table.n_rows() > 0, "a loaded table has rows");
    assert!(table.line_numbers.windows(2).all(|w| w[0] < w[1]));
    for column in &table.columns {
        assert_eq!(column.len(), table.n_rows());
        assert_eq!(column.name, column.name.trim());
        match &column.data {
            ColumnData::Numeric(values) => {
                assert!(values.iter().all(|v| *v != 0.0 || v.is_sign_positive()));
            }
            ColumnData::Categorical { codes, levels } => {
                assert!(codes
                    .iter()
                    .all(|&c| c == MISSING_CODE || (c as usize) < levels.len()));
                assert!(levels.windows(2).all(|w| w[0] < w[1]), "levels are sorted");
            }
        }
    }
}
