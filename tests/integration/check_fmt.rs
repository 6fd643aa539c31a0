//! `rulebench check` (text and JSON) and `rulebench fmt` on the shipped rule files.

// Every documented field is declared so that decoding rejects undocumented ones.
#![allow(dead_code)]

use serde::Deserialize;

use crate::common::{rulebench, scratch, stderr, stdout};

const DATASETS: [&str; 4] = ["iris", "penguins", "titanic", "adult"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckReport {
    schema_version: u32,
    rules: String,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
    data: Option<DataSummary>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDiagnostic {
    severity: String,
    code: String,
    message: String,
    help: Option<String>,
    span: JsonSpan,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSpan {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataSummary {
    file: String,
    rows_kind: String,
    rows: usize,
    rules: Vec<RuleStatistics>,
    conflict_rows: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleStatistics {
    rule: String,
    class: String,
    fires: usize,
    decides: usize,
    correct_when_deciding: Option<usize>,
}

fn check_json(args: &[&str]) -> (CheckReport, Option<i32>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = rulebench(&all);
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (report, output.status.code())
}

#[test]
fn shipped_rules_check_clean_on_their_data() {
    for dataset in DATASETS {
        let rules = format!("rules/{dataset}.rules");
        let data = format!("data/{dataset}.csv");
        let (report, code) = check_json(&[&rules, "--data", &data, "--strict"]);
        assert_eq!(code, Some(0), "{dataset}: {:?}", report.diagnostics);
        assert_eq!(report.schema_version, 2);
        assert_eq!(report.errors, 0);
        assert_eq!(report.warnings, 0, "{dataset}: {:?}", report.diagnostics);
        let summary = report.data.expect("a data summary");
        assert_eq!(summary.rows_kind, "training rows");
        assert!(summary.rules.iter().all(|r| r.fires > 0 && r.decides > 0));
    }
}

#[test]
fn json_spans_give_line_column_and_offsets() {
    let (report, code) = check_json(&[
        "tests/golden/diagnostics/unknown-column.rules",
        "--data",
        "data/titanic.csv",
    ]);
    assert_eq!(code, Some(4));
    assert_eq!(report.errors, 5);
    let first = &report.diagnostics[0];
    assert_eq!(first.severity, "error");
    assert_eq!(first.code, "unknown-column");
    assert_eq!(first.message, "the data has no column `sexx`");
    assert_eq!(first.help.as_deref(), Some("did you mean `sex`?"));
    assert_eq!((first.span.start.line, first.span.start.column), (4, 13));
    assert_eq!((first.span.end.line, first.span.end.column), (4, 17));
    let text = std::fs::read_to_string(
        crate::common::root().join("tests/golden/diagnostics/unknown-column.rules"),
    )
    .unwrap();
    assert_eq!(
        &text[first.span.start.offset..first.span.end.offset],
        "sexx"
    );
}

#[test]
fn titanic_rule_statistics_on_training_rows() {
    let (report, _) = check_json(&["rules/titanic.rules", "--data", "data/titanic.csv"]);
    let summary = report.data.unwrap();
    assert_eq!(summary.rows, 785);
    let figures: Vec<(&str, usize, usize, Option<usize>)> = summary
        .rules
        .iter()
        .map(|r| (r.rule.as_str(), r.fires, r.decides, r.correct_when_deciding))
        .collect();
    assert_eq!(
        figures,
        vec![
            ("upper_class_women", 155, 155, Some(147)),
            ("young_children", 50, 45, Some(28)),
            ("third_class_women", 284, 113, Some(49)),
        ]
    );
}

#[test]
fn check_without_data_runs_static_checks() {
    let (report, code) = check_json(&["tests/golden/diagnostics/shadowed-rule.rules"]);
    assert_eq!(code, Some(0));
    assert!(report.data.is_none());
    assert_eq!(report.diagnostics[0].code, "shadowed-rule");
}

#[test]
fn strict_check_fails_on_warnings() {
    let output = rulebench(&[
        "check",
        "--strict",
        "tests/golden/diagnostics/unused-let.rules",
    ]);
    assert_eq!(output.status.code(), Some(4));
    assert!(stderr(&output)
        .contains("error: `tests/golden/diagnostics/unused-let.rules` has 0 errors and 1 warning"));
}

#[test]
fn shipped_rules_are_formatted() {
    for dataset in DATASETS {
        let rules = format!("rules/{dataset}.rules");
        let output = rulebench(&["fmt", "--check", &rules]);
        assert!(output.status.success(), "{rules}: {}", stderr(&output));
    }
}

#[test]
fn fmt_rewrites_in_place_and_keeps_predictions() {
    let dir = scratch("fmt_in_place");
    let path = dir.join("messy.rules");
    let messy = "# Who survived?\n\nrule women :sex==\"female\"   and(age>=18 or age is missing)=>yes # women\n\
                 default no\ntarget   survived\nrule  children:age<10=>   yes\n";
    std::fs::write(&path, messy).unwrap();
    let path = path.to_str().unwrap();
    let before = stdout(&rulebench(&[
        "predict",
        "--rules",
        path,
        "--data",
        "data/titanic.csv",
    ]));

    let check = rulebench(&["fmt", "--check", path]);
    assert_eq!(check.status.code(), Some(4));
    assert!(stderr(&check).contains("is not formatted: run `rulebench fmt"));

    let output = rulebench(&["fmt", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let formatted = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        formatted,
        "# Who survived?\n\ntarget survived\ndefault no\n\n\
         rule women: sex == \"female\" and (age >= 18 or age is missing) => yes  # women\n\
         rule children: age < 10 => yes\n"
    );
    let after = stdout(&rulebench(&[
        "predict",
        "--rules",
        path,
        "--data",
        "data/titanic.csv",
    ]));
    assert_eq!(before, after);

    assert!(rulebench(&["fmt", "--check", path]).status.success());
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left: {leftovers:?}"
    );
}

#[test]
fn fmt_refuses_a_file_with_errors() {
    let dir = scratch("fmt_errors");
    let path = dir.join("broken.rules");
    let text = "target survived\nrule young: age = 10 => yes\n";
    std::fs::write(&path, text).unwrap();
    let output = rulebench(&["fmt", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(4));
    assert!(stderr(&output).contains("write `==` to test equality"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn fmt_moves_comments_inside_a_rule_above_it() {
    let dir = scratch("fmt_comments");
    let path = dir.join("comments.rules");
    std::fs::write(
        &path,
        "target survived\nrule women: sex == \"female\" # why\n  and age > 18 => yes\n",
    )
    .unwrap();
    let output = rulebench(&["fmt", "--stdout", path.to_str().unwrap()]);
    assert_eq!(
        stdout(&output),
        "target survived\n\n# why\nrule women: sex == \"female\" and age > 18 => yes\n"
    );
}

#[test]
fn check_without_labels_uses_every_row() {
    let (report, code) = check_json(&[
        "tests/golden/diagnostics/fires-on-no-rows.rules",
        "--data",
        "tests/inputs/rules/unlabelled.csv",
    ]);
    assert_eq!(code, Some(0));
    let summary = report.data.unwrap();
    assert_eq!(summary.rows_kind, "rows");
    assert_eq!(summary.rows, 3);
    assert_eq!(summary.rules[1].fires, 1);
    assert_eq!(summary.rules[1].correct_when_deciding, None);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unknown-target", "fires-on-no-rows"]);
    assert_eq!(
        report.diagnostics[1].message,
        "rule `very_old` fires on none of the 3 rows"
    );
}

#[test]
fn check_table_names_what_it_counts() {
    let output = rulebench(&["check", "rules/titanic.rules", "--data", "data/titanic.csv"]);
    let text = stdout(&output);
    let header = text.lines().find(|l| l.starts_with("│ rule")).unwrap();
    let columns: Vec<&str> = header.trim_matches('│').split('┆').map(str::trim).collect();
    assert_eq!(
        columns,
        [
            "rule",
            "class",
            "fires",
            "decides",
            "correct when deciding",
            "accuracy when deciding"
        ]
    );
    assert!(
        text.contains("correct when deciding: decided rows that have the rule's class"),
        "{text}"
    );
}
