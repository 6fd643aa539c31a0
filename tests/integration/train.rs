//! How the tree is trained and chosen: statistics from training rows only, the grid,
//! cross-validation, rescaling, several data files, and the run history.

use std::path::Path;

use rulebench::data::{load_csv, stratified_split, ColumnData, Labels, Split, SplitRatios};
use rulebench::tree::encode::{mean, median};
use serde_json::Value;

use crate::common::{assert_fails, root, rulebench, scratch, stderr, stdout, titanic_in_two_files};
use crate::compare::{compare_json, Report};

/// Runs `train` and returns its standard output and the model as JSON.
fn train(out: &Path, args: &[&str]) -> (String, Value) {
    let mut all = vec!["train", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = rulebench(&all);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let model = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    (stdout(&output), model)
}

/// Finds the feature of `model` on `column` (the first, for a categorical column).
fn feature<'a>(model: &'a Value, column: &str) -> &'a Value {
    model["preprocessing"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["column"] == column)
        .unwrap()
}

/// Seed 38 puts rows that move the statistics below outside the training rows: the
/// titanic median age, and the one adult row from `Holand-Netherlands`.
const SEED: &str = "38";

/// Loads a shipped file as `train` reads it and splits it with [`SEED`].
fn shipped(dataset: &str, target: &str) -> (rulebench::data::Table, Split) {
    let table = load_csv(&root().join(format!("data/{dataset}.csv")), &[target]).unwrap();
    let labels = Labels::from_table(&table, target, dataset).unwrap();
    let seed = SEED.parse().unwrap();
    let split = stratified_split(
        &labels.rows,
        labels.n_classes(),
        SplitRatios::default(),
        seed,
    );
    (table, split)
}

#[test]
fn numeric_statistics_come_from_training_rows_only() {
    let dir = scratch("train_statistics");
    let (table, split) = shipped("titanic", "survived");
    let ColumnData::Numeric(ages) = &table.columns[table.column_index("age").unwrap()].data else {
        panic!("age is numeric");
    };
    let known = |rows: &[usize]| -> Vec<f64> {
        rows.iter()
            .map(|&r| ages[r])
            .filter(|a| !a.is_nan())
            .collect()
    };
    let with_validation = [split.train.clone(), split.validation.clone()].concat();

    type Statistic = fn(&mut Vec<f64>) -> Option<f64>;
    let statistics: [(&str, Statistic); 2] = [("median", |v| median(v)), ("mean", |v| mean(v))];
    for (name, statistic) in statistics {
        let out = dir.join(format!("{name}.json"));
        let (_, model) = train(
            &out,
            &[
                "--data",
                "data/titanic.csv",
                "--target",
                "survived",
                "--impute-numeric",
                name,
                "--scale",
                "standard",
                "--seed",
                SEED,
            ],
        );
        let age = feature(&model, "age");
        let fill = age["fill"].as_f64().unwrap();
        assert_eq!(Some(fill), statistic(&mut known(&split.train)), "{name}");
        // Proof that the test can tell: the validation rows would move the statistic.
        assert_ne!(
            Some(fill),
            statistic(&mut known(&with_validation)),
            "{name}"
        );

        // The standardisation is learned on the imputed training values.
        let imputed = |rows: &[usize]| -> Vec<f64> {
            rows.iter()
                .map(|&r| if ages[r].is_nan() { fill } else { ages[r] })
                .collect()
        };
        let center = age["scaling"]["center"].as_f64().unwrap();
        assert_eq!(Some(center), mean(&imputed(&split.train)), "{name}");
        assert_ne!(Some(center), mean(&imputed(&with_validation)), "{name}");
    }
}

#[test]
fn categories_come_from_training_rows_only() {
    // `Holand-Netherlands` occurs once in the adult data, outside the training rows.
    let dir = scratch("train_categories");
    let (table, split) = shipped("adult", "income");
    let ColumnData::Categorical { codes, levels } =
        &table.columns[table.column_index("native_country").unwrap()].data
    else {
        panic!("native_country is categorical");
    };
    let categories = |rows: &[usize]| -> Vec<String> {
        let mut seen: Vec<String> = rows
            .iter()
            .filter(|&&r| codes[r] != rulebench::data::MISSING_CODE)
            .map(|&r| levels[codes[r] as usize].clone())
            .collect();
        seen.sort();
        seen.dedup();
        seen
    };
    let (_, model) = train(
        &dir.join("adult.json"),
        &[
            "--data",
            "data/adult.csv",
            "--target",
            "income",
            "--max-depth",
            "1",
            "--min-weight-leaf",
            "1",
            "--criterion",
            "gini",
            "--seed",
            SEED,
        ],
    );
    let in_model: Vec<String> = model["preprocessing"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["column"] == "native_country" && f["kind"] == "category")
        .map(|f| f["category"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(in_model, categories(&split.train));
    let all_rows: Vec<usize> = (0..table.n_rows()).collect();
    assert!(categories(&all_rows).contains(&"Holand-Netherlands".to_string()));
    assert!(!in_model.contains(&"Holand-Netherlands".to_string()));
}

#[test]
fn grid_marks_the_best_validation_score() {
    let report = compare_json("titanic");
    let search = &report.tree.search;
    assert_eq!(search.rows.len(), 60);
    assert_eq!(search.metric, "accuracy");
    let chosen = &search.rows[search.chosen];
    let best = search
        .rows
        .iter()
        .map(|r| r.validation_score)
        .fold(0.0, f64::max);
    assert_eq!(chosen.validation_score, best);
    // Ties go to fewer leaves.
    let fewest = search
        .rows
        .iter()
        .filter(|r| r.validation_score == best)
        .map(|r| r.leaves)
        .min();
    assert_eq!(Some(chosen.leaves), fewest);
    assert_eq!(report.tree.params.max_depth, chosen.max_depth);
    assert_eq!(report.tree.params.criterion, chosen.criterion);
    assert_eq!(report.tree.params.min_weight_leaf, chosen.min_weight_leaf);

    let output = rulebench(&["compare"]);
    let text = stdout(&output);
    let marked: Vec<&str> = text.lines().filter(|l| l.starts_with("│ * ")).collect();
    assert_eq!(marked.len(), 1, "{text}");
    assert!(text.contains("Tree settings tried: 60 settings"), "{text}");
}

fn compare_titanic(extra: &[&str]) -> Report {
    let mut args = vec![
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "rules/titanic.rules",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn metric_flag_scores_the_grid() {
    let report = compare_titanic(&["--metric", "macro-f1", "--max-depth", "2,4"]);
    let search = &report.tree.search;
    assert_eq!(search.metric, "macro_f1");
    assert_eq!(search.rows.len(), 12);
    // The grid contains macro F1, which differs from the accuracy of the same trees.
    let accuracy = compare_titanic(&["--max-depth", "2,4"]);
    assert_ne!(
        search.rows[0].validation_score,
        accuracy.tree.search.rows[0].validation_score
    );
    assert_eq!(
        search.rows[0].validation_score,
        search.rows[0].validation_score.clamp(0.0, 1.0)
    );
}

#[test]
fn cross_validation_reports_mean_and_spread() {
    let report = compare_titanic(&["--cv", "5"]);
    let search = &report.tree.search;
    assert_eq!(search.cv_folds, Some(5));
    assert!(search.rows.iter().all(|r| r.validation_std.is_some()));
    assert!(search.rows.iter().any(|r| r.validation_std.unwrap() > 0.0));
    // The chosen setting is refitted on the training and validation rows.
    assert_eq!(
        report.tree.fitted_rows,
        report.split.train + report.split.validation
    );
    assert!(report.row_use[0].uses[0].starts_with("5-fold cross-validation"));

    let output = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "rules/titanic.rules",
        "--cv",
        "5",
    ]);
    let text = stdout(&output);
    assert!(text.contains("scored by 5-fold cross-validation"), "{text}");
    assert!(text.contains("held-out accuracy ┆   std"), "{text}");
}

#[test]
fn cross_validation_needs_enough_rows() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
        "--cv",
        "1",
    ]);
    assert_fails(
        &output,
        2,
        "error: --cv 1 needs between 2 and 120 folds: one fold per row at most, as the training and validation rows number 120",
    );
}

#[test]
fn invalid_grid_value_is_a_usage_error() {
    let output = rulebench(&["compare", "--min-weight-leaf", "0.5"]);
    assert_fails(
        &output,
        2,
        "error: invalid tree setting: the minimum leaf size must be at least 1",
    );
    let output = rulebench(&["compare", "--max-depth", "0"]);
    assert_fails(&output, 2, "invalid depth `0`");
}

#[test]
fn adult_report_shows_overfitting_curve_and_importance() {
    let report = compare_json("adult");
    let tree = &report.tree;

    // Unlimited depth fits the training rows far better than the validation rows; shallow
    // trees do not.
    let gaps = &tree.overfitting;
    assert_eq!(gaps.len(), 10);
    let unlimited = gaps.iter().find(|g| g.max_depth.is_none()).unwrap();
    assert!(unlimited.large_gap, "{unlimited:?}");
    assert!(!gaps[0].large_gap);
    for gap in gaps {
        assert!((gap.gap - (gap.train_score - gap.validation_score)).abs() < 1e-12);
        let error = gap
            .gap_standard_error
            .expect("compare knows the validation rows");
        assert!(error > 0.0 && error < 0.01, "9768 validation rows: {error}");
        assert_eq!(gap.large_gap, gap.gap > 0.05 && gap.gap > 2.0 * error);
    }

    // The curve at 100 % refits the chosen setting on every training row, which is the
    // chosen tree: its score must be the chosen setting's validation score.
    let points = &report.learning_curve.points;
    let percents: Vec<u32> = points.iter().map(|p| p.percent).collect();
    assert_eq!(percents, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    assert!(points.windows(2).all(|w| w[0].train_rows < w[1].train_rows));
    assert_eq!(points[9].train_rows, report.split.train);
    let chosen = &tree.search.rows[tree.search.chosen];
    assert_eq!(points[9].tree_score, chosen.validation_score);
    assert!(points
        .iter()
        .all(|p| p.rules_score == points[0].rules_score));

    let total: f64 = tree.importance.iter().map(|c| c.importance).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert_eq!(tree.importance.len(), 14);
    assert!(tree
        .importance
        .windows(2)
        .all(|w| w[0].importance >= w[1].importance));
    assert_eq!(tree.importance[0].column, "marital_status");

    let parts: Vec<(&str, usize)> = report
        .row_use
        .iter()
        .map(|p| (p.part.as_str(), p.rows))
        .collect();
    assert_eq!(
        parts,
        [
            ("train", report.split.train),
            ("validation", report.split.validation),
            ("test", report.split.test)
        ]
    );
}

#[test]
fn tables_show_every_tree_section() {
    let output = rulebench(&["compare"]);
    let text = stdout(&output);
    for heading in [
        "Tree settings tried:",
        "Overfitting: training against validation accuracy per depth",
        "Learning curve: the chosen tree refitted on shares of the training rows",
        "Feature importance:",
        "How the rows were used",
        "scored once, after every choice was made",
    ] {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }
}

#[test]
fn rescaling_splits_tiny_range_in_data_units() {
    let dir = scratch("train_scale");
    let data = [
        "--data",
        "tests/inputs/tiny_range.csv",
        "--target",
        "response",
    ];
    let unscaled = dir.join("none.json");
    let (_, raw) = train(&unscaled, &data);
    assert_eq!(raw["tree"]["nodes"].as_array().unwrap().len(), 1);
    let rules = stdout(&rulebench(&["export", unscaled.to_str().unwrap()]));
    assert!(rules.ends_with("\ndefault high\n"), "{rules}");

    for scale in ["standard", "minmax"] {
        let out = dir.join(format!("{scale}.json"));
        let (text, model) = train(&out, &[&data[..], &["--scale", scale]].concat());
        assert!(text.contains("The tree has depth 1 and 2 leaves"), "{text}");
        // The threshold is in the data's own units, between the two classes.
        let threshold = model["tree"]["nodes"][0]["threshold"].as_f64().unwrap();
        assert!(threshold > 1.9e-7, "{threshold}");
        assert!(threshold < 4.0e-7, "{threshold}");
        let rules = rulebench(&["export", out.to_str().unwrap()]);
        assert!(stdout(&rules).contains(&format!("dose > {threshold} => high")));
    }
}

#[test]
fn several_data_files_train_like_one() {
    let dir = scratch("train_several");
    let (first, second) = titanic_in_two_files(&dir);

    let target = ["--target", "survived"];
    let (_, whole) = train(
        &dir.join("whole.json"),
        &[&["--data", "data/titanic.csv"][..], &target].concat(),
    );
    let (text, parts) = train(
        &dir.join("parts.json"),
        &[
            &[
                "--data",
                first.to_str().unwrap(),
                "--data",
                second.to_str().unwrap(),
            ][..],
            &target,
        ]
        .concat(),
    );
    assert!(text.contains("first.csv + "), "{text}");
    assert_eq!(whole["tree"], parts["tree"]);
    assert_eq!(whole["preprocessing"], parts["preprocessing"]);
    let files = parts["training_data"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["rows"], 699);
    assert_eq!(files[1]["rows"], 610);
}

#[test]
fn data_files_with_other_headers_are_rejected() {
    let output = rulebench(&[
        "train",
        "--data",
        "tests/inputs/header_abc.csv",
        "--data",
        "tests/inputs/header_acb.csv",
        "--target",
        "c",
        "--out",
        "never.json",
    ]);
    assert_fails(
        &output,
        3,
        "error: `tests/inputs/header_acb.csv` does not have the columns of `tests/inputs/header_abc.csv`: column 2 is `b` there but `c` here. Every --data file needs the same header.",
    );
    assert!(!root().join("never.json").exists());
}

#[test]
fn history_records_runs_and_prints_them() {
    let dir = scratch("history");
    let history = dir.join("runs.jsonl");
    let history = history.to_str().unwrap();
    for data in ["data/penguins.csv", "data/penguins.csv"] {
        let output = rulebench(&[
            "compare",
            "--data",
            data,
            "--rules",
            "rules/penguins.rules",
            "--history",
            history,
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
    }
    let text = std::fs::read_to_string(history).unwrap();
    assert_eq!(text.lines().count(), 2);
    let record: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(record["history_version"], 1);
    assert_eq!(record["rules"], "rules/penguins.rules");
    assert_eq!(record["data_files"][0]["rows"], 344);
    assert!(record["scores"]["tree"]["accuracy"].as_f64().unwrap() > 0.9);

    let output = rulebench(&["history", history]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let table = stdout(&output);
    assert!(
        table.starts_with("Test accuracy of rules and tree, run by run\n"),
        "{table}"
    );
    assert_eq!(table.matches("data/penguins.csv").count(), 2, "{table}");
    assert!(
        table.contains("Over 2 runs the tree's lead over the rules went from"),
        "{table}"
    );
}

#[test]
fn history_rejects_foreign_file() {
    let dir = scratch("history_foreign");
    let foreign = dir.join("notes.txt");
    std::fs::write(&foreign, "my notes\n").unwrap();
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
        "--history",
        foreign.to_str().unwrap(),
    ]);
    assert_fails(&output, 2, "line 1 is not a rulebench history record");
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "my notes\n");
}

/// Returns the lines of the section of `text` that starts with `heading`, down to the end
/// of its table.
fn section(text: &str, heading: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with(heading))
        .collect();
    let end = lines
        .iter()
        .position(|line| line.starts_with('└'))
        .unwrap_or_else(|| panic!("no table under `{heading}` in:\n{text}"));
    lines[..=end].join("\n")
}

/// Writes the titanic data with a first column `passenger` that names each row (`P0001`,
/// `P0002`, ...), like the ID column of an exported database table.
fn titanic_with_ids(dir: &Path) -> String {
    let source = std::fs::read_to_string(root().join("data/titanic.csv")).unwrap();
    let mut lines = source.lines();
    let mut text = format!("passenger,{}\n", lines.next().unwrap());
    for (index, line) in lines.enumerate() {
        text.push_str(&format!("P{:04},{line}\n", index + 1));
    }
    let path = dir.join("titanic_ids.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn train_drops_id_column_like_compare() {
    let dir = scratch("train_id_column");
    let data = titanic_with_ids(&dir);
    let out = dir.join("model.json");
    let trained = rulebench(&[
        "train",
        "--data",
        &data,
        "--target",
        "survived",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(trained.status.success(), "stderr: {}", stderr(&trained));
    let model: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let compare = |format: &str| {
        let output = rulebench(&[
            "compare",
            "--data",
            &data,
            "--rules",
            "rules/titanic.rules",
            "--format",
            format,
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
        stdout(&output)
    };
    let report: Report = serde_json::from_str(&compare("json")).unwrap();
    let tables = compare("table");

    // The same warnings, the ID column's first.
    assert_eq!(crate::common::warnings(&trained), report.warnings);
    assert!(
        report.warnings[0].starts_with("column `passenger` has a different value in each"),
        "{:?}",
        report.warnings
    );

    // The same grid, and the same chosen tree.
    let text = stdout(&trained);
    for heading in ["Tree settings tried", "Overfitting", "Feature importance"] {
        assert_eq!(
            section(&text, heading),
            section(&tables, heading),
            "{heading}"
        );
    }
    let features = model["preprocessing"]["features"].as_array().unwrap();
    assert_eq!(features.len(), report.tree.features);
    assert!(features.iter().all(|f| f["column"] != "passenger"));
    let schema: Vec<&str> = model["schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(schema, ["sex", "age", "passengerClass"]);
    let nodes = model["tree"]["nodes"].as_array().unwrap();
    let leaves = nodes.iter().filter(|n| n["kind"] == "leaf").count();
    assert_eq!(leaves, report.tree.leaves);
    assert_eq!(
        model["hyperparameters"]["max_depth"],
        serde_json::json!(report.tree.params.max_depth)
    );
    assert_eq!(
        model["hyperparameters"]["criterion"],
        report.tree.params.criterion.as_str()
    );
    let scores = &model["test_scores"];
    assert_eq!(
        scores["accuracy"].as_f64(),
        Some(report.models.tree.accuracy)
    );
    assert_eq!(
        scores["balanced_accuracy"].as_f64(),
        Some(report.models.tree.balanced_accuracy)
    );
    assert_eq!(
        scores["macro_f1"].as_f64(),
        Some(report.models.tree.macro_f1)
    );
}
