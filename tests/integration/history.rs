//! `compare --history` and `rulebench history` on runs that can and cannot be compared.

use serde_json::Value;

use crate::common::{rulebench, scratch, stderr, stdout};

/// Runs `compare` on penguins with `extra` options, recording it in `history`.
fn record_run(history: &str, extra: &[&str]) {
    let mut args = vec![
        "compare",
        "--data",
        "data/penguins.csv",
        "--rules",
        "rules/penguins.rules",
        "--history",
        history,
    ];
    args.extend_from_slice(extra);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
}

/// Joins the lines of a report, so sentences can be matched across line breaks.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn history_records_split_and_settings() {
    let dir = scratch("history-record");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    record_run(history, &["--max-depth", "2,3", "--split", "70/10/20"]);
    let text = std::fs::read_to_string(history).unwrap();
    let record: Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(record["split"]["percentages"], "70/10/20");
    let settings = &record["tree"]["settings"];
    assert_eq!(settings["max_depth"], serde_json::json!([2, 3]));
    assert_eq!(
        settings["min_weight_leaf"],
        serde_json::json!([1.0, 5.0, 20.0])
    );
    assert_eq!(
        settings["criterion"],
        serde_json::json!(["gini", "entropy"])
    );
    assert_eq!(settings["cv_folds"], Value::Null);
    assert_eq!(settings["preprocessing"]["scale"], "none");
}

#[test]
fn history_shows_seed_and_fingerprint() {
    let dir = scratch("history-columns");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    record_run(history, &[]);
    record_run(history, &["--seed", "7"]);
    let text = std::fs::read_to_string(history).unwrap();
    let record: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let fingerprint = record["data_files"][0]["fingerprint"].as_str().unwrap();
    let digits = fingerprint.strip_prefix("fnv1a64:").unwrap();
    let short = &digits[..8];

    let output = rulebench(&["history", history]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let table = stdout(&output);
    assert!(table.contains("┆ fingerprint ┆ seed ┆"), "{table}");
    assert_eq!(table.matches(short).count(), 2, "{table}");
    let seeds: Vec<&str> = table
        .lines()
        .filter(|line| line.contains("data/penguins.csv"))
        .map(|line| line.split('┆').nth(5).unwrap().trim())
        .collect();
    assert_eq!(seeds, ["42", "7"]);
}

#[test]
fn history_does_not_compare_unlike_runs() {
    let dir = scratch("history-unlike");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    record_run(history, &[]);
    record_run(history, &["--max-depth", "2,3"]);
    record_run(history, &["--seed", "7", "--metric", "balanced-accuracy"]);
    let output = rulebench(&["history", history]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = one_line(&stdout(&output));
    assert!(
        text.contains(
            "Run 1 differs from the last run in seed and selection metric, and run 2 in seed, \
             selection metric and tree settings. Their scores come from other test rows and \
             another choice of tree, so they are not directly comparable with the last run's, \
             and no trend is read across them."
        ),
        "{text}"
    );
    assert!(!text.contains("went from"), "{text}");

    // A fourth run like the third can be compared with it.
    record_run(history, &["--seed", "7", "--metric", "balanced-accuracy"]);
    let text = one_line(&stdout(&rulebench(&["history", history])));
    assert!(
        text.contains("Over runs 3 and 4, which are comparable, the tree's lead over the rules"),
        "{text}"
    );
}

#[test]
fn history_reads_a_trend_over_like_runs() {
    let dir = scratch("history-like");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    record_run(history, &[]);
    record_run(history, &[]);
    let text = one_line(&stdout(&rulebench(&["history", history])));
    assert!(
        text.contains("Over 2 runs the tree's lead over the rules went from +0.029 to +0.029."),
        "{text}"
    );
    assert!(!text.contains("not directly comparable"), "{text}");
}

#[test]
fn history_with_byte_order_mark_is_read() {
    let dir = scratch("history-bom");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    record_run(history, &[]);
    let text = std::fs::read_to_string(history).unwrap();
    std::fs::write(history, format!("\u{feff}{text}")).unwrap();
    record_run(history, &[]);
    let output = rulebench(&["history", history]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(std::fs::read_to_string(history).unwrap().lines().count(), 2);
}
