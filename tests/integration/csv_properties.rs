//! Property tests of the CSV loader: any table written by the csv crate reads back as it
//! was, with the right line numbers, and no input at all makes the loader panic.
//!
//! Each property runs a fixed number of cases so that `cargo test` stays quick; proptest
//! derives its seed from the test's source location, so runs repeat.

use proptest::prelude::*;
use proptest::test_runner::Config;
use rulebench::data::missing::is_missing;
use rulebench::data::{load_table_from_bytes, ColumnData, Delimiter, LoadOptions, Table};

/// One cell of a generated table.
#[derive(Debug, Clone)]
enum Cell {
    Number(f64),
    Text(String),
    Missing,
}

/// A generated column: its name, whether it contains text, and its cells.
#[derive(Debug, Clone)]
struct GeneratedColumn {
    name: String,
    text: bool,
    cells: Vec<Cell>,
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1.0e6..1.0e6f64,
        (-1000i64..1000).prop_map(|n| n as f64),
        Just(-0.0),
        Just(1.0e300),
        Just(-2.5e-300),
        Just(f64::MAX),
    ]
}

/// Text that the loader keeps as it is: no surrounding whitespace and not a missing-value
/// marker. Unless `plain`, it contains delimiters, quotes and line breaks that need quoting.
fn text(plain: bool) -> impl Strategy<Value = String> {
    let (ends, middle) = if plain {
        ("[a-zA-Zé0-9.-]", "[a-zA-Zé0-9. -]{0,6}")
    } else {
        ("[a-zA-Zé0-9,;|\".-]", "[a-zA-Zé0-9,;|\t\"\n\r. -]{0,6}")
    };
    (ends, middle, ends)
        .prop_map(|(first, middle, last)| format!("{first}{middle}{last}"))
        .prop_filter("not a missing-value marker", |t| !is_missing(t))
}

fn column(index: usize, rows: usize, plain: bool) -> impl Strategy<Value = GeneratedColumn> {
    let suffix = if plain {
        "[a-z_]{0,4}"
    } else {
        "[a-z ;,\"]{0,4}"
    };
    let name = suffix.prop_map(move |suffix| format!("c{index}{}", suffix.trim_end()));
    (name, any::<bool>()).prop_flat_map(move |(name, text_column)| {
        let cell = if text_column {
            prop_oneof![4 => text(plain).prop_map(Cell::Text), 1 => Just(Cell::Missing)].boxed()
        } else {
            prop_oneof![4 => number().prop_map(Cell::Number), 1 => Just(Cell::Missing)].boxed()
        };
        proptest::collection::vec(cell, rows).prop_map(move |cells| GeneratedColumn {
            name: name.clone(),
            text: text_column,
            cells,
        })
    })
}

/// Generates a table of 1 to 4 columns (at least `min_columns`) and 1 to 11 rows.
fn table(min_columns: usize, plain: bool) -> impl Strategy<Value = Vec<GeneratedColumn>> {
    (min_columns..5, 1usize..12).prop_flat_map(move |(columns, rows)| {
        (0..columns)
            .map(|index| column(index, rows, plain))
            .collect::<Vec<_>>()
    })
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(value) => value.to_string(),
        Cell::Text(text) => text.clone(),
        Cell::Missing => String::new(),
    }
}

/// Writes the table as CSV and returns the bytes and the line each data row starts on.
fn write_csv(columns: &[GeneratedColumn], delimiter: u8, crlf: bool) -> (Vec<u8>, Vec<u64>) {
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut bytes = Vec::new();
    let mut lines = Vec::new();
    let mut line = 1u64;
    let mut write = |record: Vec<String>, bytes: &mut Vec<u8>| {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(terminator)
            .from_writer(Vec::new());
        writer.write_record(&record).unwrap();
        let written = writer.into_inner().unwrap();
        let start = line;
        line += written.iter().filter(|&&b| b == b'\n').count() as u64;
        bytes.extend_from_slice(&written);
        start
    };
    write(columns.iter().map(|c| c.name.clone()).collect(), &mut bytes);
    for row in 0..columns[0].cells.len() {
        let record = columns.iter().map(|c| cell_text(&c.cells[row])).collect();
        lines.push(write(record, &mut bytes));
    }
    (bytes, lines)
}

/// Asserts that `table` contains exactly the generated columns.
fn assert_same(table: &Table, columns: &[GeneratedColumn]) {
    assert_eq!(table.columns.len(), columns.len());
    for (loaded, generated) in table.columns.iter().zip(columns) {
        assert_eq!(loaded.name, generated.name);
        for (row, cell) in generated.cells.iter().enumerate() {
            match (&loaded.data, cell) {
                (ColumnData::Numeric(values), Cell::Number(value)) => {
                    assert_eq!(values[row].to_bits(), (value + 0.0).to_bits());
                }
                (ColumnData::Numeric(values), Cell::Missing) => assert!(values[row].is_nan()),
                (ColumnData::Categorical { .. }, Cell::Text(text)) => {
                    // Windows line breaks inside values are read as `\n`.
                    let expected = text.replace("\r\n", "\n");
                    assert_eq!(loaded.display_value(row), Some(expected));
                }
                (ColumnData::Categorical { .. }, Cell::Missing) => {
                    assert!(loaded.is_missing(row));
                }
                (data, cell) => panic!("column `{}` read as {data:?} for {cell:?}", loaded.name),
            }
        }
    }
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

proptest! {
    #![proptest_config(Config::with_cases(500))]

    #[test]
    fn written_tables_read_back(
        columns in table(1, false),
        delimiter in prop::sample::select(DELIMITERS.to_vec()),
        crlf in any::<bool>(),
        notes in 0usize..3,
    ) {
        let (csv, lines) = write_csv(&columns, delimiter, crlf);
        let mut bytes: Vec<u8> = (0..notes).flat_map(|n| format!("note {n}\n").into_bytes()).collect();
        bytes.extend_from_slice(&csv);
        let text_columns: Vec<&str> =
            columns.iter().filter(|c| c.text).map(|c| c.name.as_str()).collect();
        let options = LoadOptions {
            delimiter: Delimiter::new(delimiter),
            skip_lines: notes,
            ..LoadOptions::default()
        };
        let loaded = load_table_from_bytes(&bytes, "generated.csv", &options, &text_columns)
            .map_err(|e| TestCaseError::fail(e.message().to_string()))?;
        assert_same(&loaded.table, &columns);
        let expected: Vec<u64> = lines.iter().map(|l| l + notes as u64).collect();
        prop_assert_eq!(&loaded.table.line_numbers, &expected);
    }

    #[test]
    fn delimiter_detection_matches_flag(
        columns in table(2, true),
        delimiter in prop::sample::select(DELIMITERS.to_vec()),
    ) {
        // Plain text holds no delimiter, since detection looks at how the lines split.
        let (bytes, _) = write_csv(&columns, delimiter, false);
        let text_columns: Vec<&str> =
            columns.iter().filter(|c| c.text).map(|c| c.name.as_str()).collect();
        let loaded = load_table_from_bytes(&bytes, "generated.csv", &LoadOptions::default(), &text_columns)
            .map_err(|e| TestCaseError::fail(e.message().to_string()))?;
        assert_same(&loaded.table, &columns);
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        delimiter in prop::option::of(prop::sample::select(DELIMITERS.to_vec())),
        skip_lines in 0usize..3,
        decimal_comma in any::<bool>(),
    ) {
        let options = LoadOptions {
            delimiter: delimiter.and_then(Delimiter::new),
            skip_lines,
            decimal_comma,
            categorical: Vec::new(),
        };
        let _ = load_table_from_bytes(&bytes, "arbitrary.csv", &options, &["a"]);
    }

    #[test]
    fn csv_like_text_never_panics(
        text in "[a1.,;\t|\"\r\n -]{0,200}",
        decimal_comma in any::<bool>(),
    ) {
        let options = LoadOptions { decimal_comma, ..LoadOptions::default() };
        if let Ok(loaded) = load_table_from_bytes(text.as_bytes(), "like.csv", &options, &[]) {
            let rows = loaded.table.n_rows();
            prop_assert!(rows > 0);
            prop_assert!(loaded.table.columns.iter().all(|c| c.len() == rows));
            prop_assert!(loaded.table.line_numbers.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
