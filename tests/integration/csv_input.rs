//! Messy CSV files: each is read like the clean `base.csv`, or rejected with a message that
//! names the file, the line and what to do.
//!
//! `tests/inputs/csv/base.csv` has 30 rows of `label,x,color`; every other file there is a
//! variant of it with one thing changed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use rulebench::data::{load_table_from_bytes, ColumnData, Delimiter, LoadOptions};

use crate::common::{assert_error, root, rulebench, scratch, stderr, stdout, warnings};

const RULES: &str = "tests/inputs/csv/base.rules";

fn input(name: &str) -> String {
    format!("tests/inputs/csv/{name}")
}

/// Runs `predict` with the base rules on a file of `tests/inputs/csv/`.
fn predict(name: &str, flags: &[&str]) -> Output {
    let data = input(name);
    let mut args = vec!["predict", "--rules", RULES, "--data", &data];
    args.extend_from_slice(flags);
    rulebench(&args)
}

/// Runs `compare` with the base rules on a file of `tests/inputs/csv/`.
fn compare(name: &str, flags: &[&str]) -> Output {
    let data = input(name);
    let mut args = vec!["compare", "--rules", RULES, "--data", &data];
    args.extend_from_slice(flags);
    rulebench(&args)
}

/// Asserts that `name` gives the same predictions as `base.csv` without any message.
fn assert_reads_like_base(name: &str, flags: &[&str]) {
    let base = predict("base.csv", &[]);
    assert!(base.status.success(), "stderr: {}", stderr(&base));
    let output = predict(name, flags);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), stdout(&base));
    assert_eq!(stderr(&output), "");
}

#[test]
fn byte_order_mark_is_skipped() {
    assert_reads_like_base("bom.csv", &[]);
}

#[test]
fn windows_line_breaks_read_like_unix() {
    assert_reads_like_base("crlf.csv", &[]);
}

#[test]
fn windows_line_breaks_keep_line_numbers() {
    let output = predict("crlf_short_row.csv", &[]);
    assert_error(
        &output,
        3,
        "`tests/inputs/csv/crlf_short_row.csv` line 4: found 2 fields, but the header has 3 \
         columns. Add the missing fields; an empty field is a missing value.",
    );
}

#[test]
fn classic_mac_line_breaks_read_like_unix() {
    assert_reads_like_base("mac.csv", &[]);
}

#[test]
fn semicolons_and_decimal_commas_are_detected() {
    let base = stdout(&predict("base.csv", &[]));
    let output = predict("semicolon.csv", &[]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), base);
    assert_eq!(
        warnings(&output),
        [
            "`tests/inputs/csv/semicolon.csv`: read `,` as the decimal mark in column `x`. Pass \
          --decimal-comma to confirm this and silence the warning."
        ]
    );
}

#[test]
fn decimal_comma_flag_silences_warning() {
    assert_reads_like_base("semicolon.csv", &["--decimal-comma"]);
    assert_reads_like_base("semicolon.csv", &["--delimiter", ";", "--decimal-comma"]);
}

#[test]
fn tab_delimiter_is_detected() {
    assert_reads_like_base("tab.tsv", &[]);
    assert_reads_like_base("tab.tsv", &["--delimiter", "tab"]);
}

#[test]
fn excel_separator_line_sets_delimiter() {
    assert_reads_like_base("excel_sep.csv", &[]);
}

#[test]
fn wrong_delimiter_flag_is_named() {
    let output = compare("semicolon.csv", &["--delimiter", ","]);
    assert_error(
        &output,
        3,
        "`tests/inputs/csv/semicolon.csv`: split by `,`, the header has 1 field but most lines \
         have 2, while `;` splits the lines alike. Pass --delimiter ';', or leave out \
         --delimiter to detect it.",
    );
}

#[test]
fn single_column_header_gets_a_delimiter_hint() {
    let output = compare("tab.tsv", &["--delimiter", ","]);
    assert_error(
        &output,
        3,
        "`tests/inputs/csv/tab.tsv` has no column `label` to use as the target. The columns \
         are: `label\tx\tcolor`. The header has one column only: if the fields are separated \
         by a tab, pass --delimiter tab.",
    );
}

#[test]
fn invalid_delimiter_is_a_usage_error() {
    let output = predict("base.csv", &["--delimiter", "ab"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "invalid delimiter `ab`: give one character such as `;` or `|`, or `tab`; a quote \
             or a line break cannot separate fields"
        ),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn quoted_delimiters_and_line_breaks_are_values() {
    assert_reads_like_base("quoted.csv", &[]);
}

#[test]
fn lines_count_quoted_line_breaks() {
    // Two rows above line 12 hold a quoted line break, so line 12 is the 9th data row.
    let output = predict("quoted_out_of_range.csv", &[]);
    assert_error(
        &output,
        3,
        "`tests/inputs/csv/quoted_out_of_range.csv` line 12, column `x`: `1e400` is beyond the \
         range of 64-bit floating-point numbers (about ±1.8e308). Fix the value, or write NA to \
         mark it missing.",
    );
}

#[test]
fn row_with_too_many_fields_is_named() {
    assert_error(
        &predict("too_many_fields.csv", &[]),
        3,
        "`tests/inputs/csv/too_many_fields.csv` line 4: found 4 fields, but the header has 3 \
         columns. A value may contain an unquoted `,`: put quotes `\"` around such values.",
    );
}

#[test]
fn row_with_too_few_fields_is_named() {
    assert_error(
        &predict("too_few_fields.csv", &[]),
        3,
        "`tests/inputs/csv/too_few_fields.csv` line 4: found 2 fields, but the header has 3 \
         columns. Add the missing fields; an empty field is a missing value.",
    );
}

#[test]
fn trailing_delimiter_is_named() {
    assert_error(
        &predict("trailing_delimiter.csv", &[]),
        3,
        "`tests/inputs/csv/trailing_delimiter.csv` line 4: found 4 fields, but the header has \
         3 columns, and the extra fields are empty: remove the `,` at the end of the line.",
    );
}

#[test]
fn unclosed_quote_is_named() {
    assert_error(
        &predict("unclosed_quote.csv", &[]),
        3,
        "`tests/inputs/csv/unclosed_quote.csv` line 4, column `color`: the quoted value is \
         never closed, so it runs to the end of the file (line 31) and takes in the lines \
         after it. Add the closing quote `\"`.",
    );
}

#[test]
fn duplicate_header_names_are_rejected() {
    assert_error(
        &predict("duplicate_header.csv", &[]),
        3,
        "`tests/inputs/csv/duplicate_header.csv` line 1: columns 1 and 3 are both named \
         `label`: rename one of them.",
    );
}

#[test]
fn empty_header_name_is_rejected() {
    assert_error(
        &predict("empty_header.csv", &[]),
        3,
        "`tests/inputs/csv/empty_header.csv` line 1: column 2 has an empty name: give every \
         column a name in the header row.",
    );
}

#[test]
fn empty_file_is_rejected() {
    for name in ["empty.csv", "blank.csv"] {
        assert_error(
            &predict(name, &[]),
            3,
            &format!(
                "`tests/inputs/csv/{name}` is empty: rulebench needs a header row naming the \
                 columns, then one row per example."
            ),
        );
    }
}

#[test]
fn header_without_rows_is_rejected() {
    assert_error(
        &predict("header_only.csv", &[]),
        3,
        "`tests/inputs/csv/header_only.csv` has a header but no data rows: add rows below the \
         header line.",
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    assert_error(
        &predict("invalid_utf8.csv", &[]),
        3,
        "`tests/inputs/csv/invalid_utf8.csv` line 2, column `color`: the value is not valid \
         UTF-8 (byte `0xE9` after `r`). Save the file as CSV with UTF-8 encoding and try again.",
    );
}

#[test]
fn invalid_utf8_in_header_names_column_number() {
    assert_error(
        &predict("invalid_utf8_header.csv", &[]),
        3,
        "`tests/inputs/csv/invalid_utf8_header.csv` line 1, column 3: the value is not valid \
         UTF-8 (byte `0xF6` after `col`). Save the file as CSV with UTF-8 encoding and try \
         again.",
    );
}

#[test]
fn utf16_file_is_rejected() {
    assert_error(
        &predict("utf16.csv", &[]),
        3,
        "`tests/inputs/csv/utf16.csv` is UTF-16 text (it starts with a UTF-16 byte-order \
         mark). Save it as CSV with UTF-8 encoding and try again.",
    );
}

#[test]
fn utf32_file_is_rejected() {
    assert_error(
        &predict("utf32.csv", &[]),
        3,
        "`tests/inputs/csv/utf32.csv` is UTF-32 text (it starts with a UTF-32 byte-order \
         mark). Save it as CSV with UTF-8 encoding and try again.",
    );
}

#[test]
fn workbook_is_rejected() {
    assert_error(
        &predict("workbook.xlsx", &[]),
        3,
        "`tests/inputs/csv/workbook.xlsx` is a ZIP archive, such as an Excel workbook (.xlsx), \
         not a CSV file. Save it as CSV with UTF-8 encoding and try again.",
    );
}

/// Writes `base.csv` with a `note` column whose value on line 3 is `size` bytes long.
fn write_with_long_note(dir: &Path, size: usize) -> String {
    let base = std::fs::read_to_string(root().join(input("base.csv"))).unwrap();
    let mut text = String::new();
    for (index, line) in base.lines().enumerate() {
        let note = match index {
            0 => "note".to_string(),
            2 => "n".repeat(size),
            _ => String::new(),
        };
        text.push_str(&format!("{line},{note}\n"));
    }
    let path = dir.join("long_note.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn field_over_limit_is_rejected() {
    let dir = scratch("field_over_limit");
    let data = write_with_long_note(&dir, (1 << 20) + 1);
    let output = rulebench(&["predict", "--rules", RULES, "--data", &data]);
    assert_error(
        &output,
        3,
        &format!(
            "`{data}` line 3, column `note`: the value is 1048577 bytes long, more than the \
             limit of 1048576 bytes (1 MiB). If it starts with a quote `\"`, check that the \
             quote is closed."
        ),
    );
}

#[test]
fn field_at_limit_is_read() {
    let dir = scratch("field_at_limit");
    let data = write_with_long_note(&dir, 1 << 20);
    let output = rulebench(&["predict", "--rules", RULES, "--data", &data]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), stdout(&predict("base.csv", &[])));
}

#[test]
fn nan_spellings_are_missing_values() {
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/csv/missing.rules",
        "--data",
        "tests/inputs/csv/nan.csv",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let fired: Vec<String> = stdout(&output)
        .lines()
        .filter(|l| l.ends_with(",no_x"))
        .map(str::to_string)
        .collect();
    // `NaN` is on line 3 (row 2) and `-nan` on line 6 (row 5).
    assert_eq!(fired, ["2,yes,no_x", "5,yes,no_x"]);
}

#[test]
fn infinity_is_a_value_for_rules() {
    let output = predict("infinite.csv", &[]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(stdout(&output).lines().any(|l| l == "5,yes,big"));
}

#[test]
fn infinity_is_rejected_for_the_tree() {
    assert_error(
        &compare("infinite.csv", &[]),
        3,
        "`tests/inputs/csv/infinite.csv` line 6, column `x`: the value is inf, and the \
         decision tree needs finite numbers. Replace it, or write NA to mark it missing.",
    );
}

#[test]
fn number_beyond_f64_is_rejected() {
    assert_error(
        &predict("out_of_range.csv", &[]),
        3,
        "`tests/inputs/csv/out_of_range.csv` line 6, column `x`: `1e400` is beyond the range \
         of 64-bit floating-point numbers (about ±1.8e308). Fix the value, or write NA to mark \
         it missing.",
    );
}

#[test]
fn negative_zero_reads_as_zero() {
    let bytes = std::fs::read(root().join(input("negative_zero.csv"))).unwrap();
    let loaded = load_table_from_bytes(&bytes, "negative_zero.csv", &LoadOptions::default(), &[])
        .expect("the file loads");
    let ColumnData::Numeric(values) = &loaded.table.columns[1].data else {
        panic!("`x` is numeric");
    };
    // `-0.0` on line 3 and `0` on line 4 are the same value, with the same bits.
    assert_eq!(values[1].to_bits(), 0.0f64.to_bits());
    assert_eq!(values[2].to_bits(), 0.0f64.to_bits());
    let output = compare("negative_zero.csv", &[]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
}

#[test]
fn labels_with_stray_spaces_are_trimmed() {
    let output = compare("label_spaces.csv", &["--format", "json"]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["classes"], serde_json::json!(["no", "yes"]));
    assert_eq!(report["warnings"], serde_json::json!([]));
}

#[test]
fn labels_differing_in_case_are_warned_about() {
    let output = compare("label_case.csv", &["--format", "json"]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        report["classes"],
        serde_json::json!(["No", "Yes", "no", "yes"])
    );
    let warning = "`tests/inputs/csv/label_case.csv`: column `label` has 2 groups of values \
                   that differ only in case, such as `No` (1 row) and `no` (12 rows). They \
                   count as different values (and as different classes in the target column); \
                   write them alike if they mean the same.";
    assert_eq!(warnings(&output)[0], warning);
    assert_eq!(report["warnings"][0], warning);
}

#[test]
fn notes_above_header_are_reported() {
    assert_error(
        &predict("junk.csv", &[]),
        3,
        "`tests/inputs/csv/junk.csv` line 1: `Exported from the shop on 2024-05-01` does not \
         look like the header row: it has 1 field, but line 3 and most lines after it have 3. \
         If the header is on line 3, pass --skip-lines 2 to skip the lines above it.",
    );
}

#[test]
fn skip_lines_skips_notes_above_header() {
    assert_reads_like_base("junk.csv", &["--skip-lines", "2"]);
}

#[test]
fn skipped_lines_count_in_line_numbers() {
    let output = predict("too_few_fields.csv", &["--skip-lines", "0"]);
    assert!(stderr(&output).contains("line 4:"));
    let dir = scratch("skipped_lines_count");
    let text = std::fs::read_to_string(root().join(input("too_few_fields.csv"))).unwrap();
    let path = dir.join("titled.csv");
    std::fs::write(&path, format!("Title\n\n{text}")).unwrap();
    let data = path.to_str().unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        RULES,
        "--data",
        data,
        "--skip-lines",
        "2",
    ]);
    assert_error(
        &output,
        3,
        &format!(
            "`{data}` line 6: found 2 fields, but the header has 3 columns. Add the missing \
             fields; an empty field is a missing value."
        ),
    );
}

#[test]
fn skip_lines_beyond_the_file_is_rejected() {
    assert_error(
        &predict("base.csv", &["--skip-lines", "40"]),
        3,
        "`tests/inputs/csv/base.csv` has only 31 lines, so --skip-lines 40 leaves no header \
         row: give a smaller number",
    );
}

#[test]
fn mixed_decimal_marks_are_rejected() {
    assert_error(
        &predict("mixed_marks.csv", &[]),
        3,
        "`tests/inputs/csv/mixed_marks.csv` line 3, column `x`: `2,5` uses `,` as the decimal \
         mark, but line 2 uses `.`. Write every number of the column with the same mark, or \
         pass --categorical x if the values are not numbers.",
    );
}

#[test]
fn numbers_read_as_text_are_warned_about() {
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/csv/color.rules",
        "--data",
        "tests/inputs/csv/numbers_as_text.csv",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        warnings(&output),
        [
            "`tests/inputs/csv/numbers_as_text.csv`: column `x` is read as categories, although \
          28 of its 30 values are numbers. The others are `unknown` (first on line 6) and `12 \
          kg` (first on line 9). Write NA where a value is missing, or pass --categorical x to \
          confirm that the column holds categories."
        ]
    );
}

#[test]
fn data_from_a_pipe_is_read() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebench"))
        .args(["predict", "--rules", RULES, "--data", "/dev/stdin"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(root().join(input("semicolon.csv"))).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), stdout(&predict("base.csv", &[])));
}

#[test]
fn single_column_blank_lines() {
    // Empty lines are no rows; a line of spaces, `""` or `NA` is a row without a value.
    let text = "x\n1\n\n2\n   \n\"\"\nNA\n3\n";
    let loaded = load_table_from_bytes(text.as_bytes(), "one.csv", &LoadOptions::default(), &[])
        .expect("the file loads");
    let ColumnData::Numeric(values) = &loaded.table.columns[0].data else {
        panic!("`x` is numeric");
    };
    assert_eq!(values.len(), 6);
    assert_eq!(values[0], 1.0);
    assert_eq!(values[1], 2.0);
    assert!(values[2..5].iter().all(|v| v.is_nan()));
    assert_eq!(values[5], 3.0);
    assert_eq!(loaded.table.line_numbers, vec![2, 4, 5, 6, 7, 8]);
}

#[test]
fn wrong_delimiter_hint_in_check_and_predict() {
    let check = rulebench(&[
        "check",
        "rules/iris.rules",
        "--data",
        "data/iris.csv",
        "--delimiter",
        ";",
    ]);
    assert_eq!(check.status.code(), Some(4), "stderr: {}", stderr(&check));
    let hint = "if the fields are separated by `,`, pass --delimiter ','.";
    assert!(stdout(&check).contains(hint), "{}", stdout(&check));

    let predict = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        "data/iris.csv",
        "--delimiter",
        ";",
    ]);
    assert_eq!(
        predict.status.code(),
        Some(5),
        "stderr: {}",
        stderr(&predict)
    );
    assert!(stderr(&predict).contains(hint), "{}", stderr(&predict));
}

/// Loads `text` with `delimiter`; returns the values of the numeric column `x` or the error.
fn numbers_split_by(delimiter: u8, text: &str) -> Result<Vec<f64>, String> {
    let options = LoadOptions {
        delimiter: Delimiter::new(delimiter),
        ..LoadOptions::default()
    };
    let loaded = load_table_from_bytes(text.as_bytes(), "d.csv", &options, &[])
        .map_err(|error| error.message().to_string())?;
    let column = loaded.table.columns.iter().find(|c| c.name == "x");
    match column.map(|c| &c.data) {
        Some(ColumnData::Numeric(values)) => Ok(values.clone()),
        other => panic!("`x` is not numeric: {other:?}"),
    }
}

#[test]
fn delimiters_inside_numbers_split_fields() {
    // With `.` as the delimiter, `1.5` is two fields, so the row has one field too many.
    let error = numbers_split_by(b'.', "label.x\nyes.1.5\n").unwrap_err();
    assert!(
        error.contains("line 2: found 3 fields, but the header has 2 columns"),
        "{error}"
    );
    assert_eq!(
        numbers_split_by(b'.', "x.y\n1.2\n3.4\n"),
        Ok(vec![1.0, 3.0])
    );
    // With `-` as the delimiter, a leading `-` starts an empty field, not a negative number.
    let error = numbers_split_by(b'-', "x-y\n-1-2\n").unwrap_err();
    assert!(
        error.contains("line 2: found 3 fields, but the header has 2 columns"),
        "{error}"
    );
    assert_eq!(
        numbers_split_by(b'-', "y-x\n4-5\n6-7\n"),
        Ok(vec![5.0, 7.0])
    );
}
