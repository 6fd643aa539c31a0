//! `rulebench predict --rules`.

use crate::common::{root, rulebench, scratch, stderr, stdout};

/// The data's own labels, by row.
fn iris_species() -> Vec<String> {
    let mut reader = csv::Reader::from_path(root().join("data/iris.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[4].to_string())
        .collect()
}

#[test]
fn iris_simple_rules_are_right_on_144_rows() {
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/iris_simple.rules",
        "--data",
        "data/iris.csv",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["row", "prediction", "rule"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 150);

    let truth = iris_species();
    let right = rows
        .iter()
        .zip(&truth)
        .filter(|(r, t)| &r[1] == t.as_str())
        .count();
    assert_eq!(right, 144);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][2], "small_petals");
    let defaulted = rows.iter().filter(|r| &r[2] == "default").count();
    assert!(defaulted > 0);
    assert!(rows
        .iter()
        .filter(|r| &r[2] == "default")
        .all(|r| &r[1] == "virginica"));
}

#[test]
fn predict_writes_out_file() {
    let dir = scratch("predict_out");
    let out = dir.join("predictions.csv");
    let output = rulebench(&[
        "predict",
        "--rules",
        "rules/titanic.rules",
        "--data",
        "data/titanic.csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 1310);
    assert!(stdout(&output).is_empty());
}

#[test]
fn predict_refuses_to_overwrite_its_data() {
    let dir = scratch("predict_overwrite");
    let data = dir.join("iris.csv");
    std::fs::copy(root().join("data/iris.csv"), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        "rules/iris.rules",
        "--data",
        data.to_str().unwrap(),
        "--out",
        data.to_str().unwrap(),
    ]);
    crate::common::assert_fails(&output, 2, "it is one of the input files");
    assert_eq!(std::fs::read(&data).unwrap(), before);
}

/// Generates `rows` rows with two categorical columns into `dir`; returns the data and rules.
fn generated(dir: &std::path::Path, rows: usize) -> (String, String) {
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let output = rulebench(&[
        "gen",
        "--rows",
        &rows.to_string(),
        "--categorical",
        "2",
        "--seed",
        "3",
        "--out",
        data.to_str().unwrap(),
        "--rules-out",
        rules.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = |p: std::path::PathBuf| p.to_str().unwrap().to_string();
    (text(data), text(rules))
}

/// The predictions of `rules` on every row of `data`, computed on the whole table in memory
/// and written as `predict --rules` writes them.
fn predictions_in_memory(data: &str, rules: &str) -> String {
    use rulebench::data::load_csv;
    use rulebench::rules::{evaluate, read_rule_file, text_columns};

    let source = read_rule_file(std::path::Path::new(rules)).unwrap();
    let table = load_csv(std::path::Path::new(data), &text_columns(&source.file)).unwrap();
    let classes = source.named_classes();
    let target = source.file.target.as_ref().map(|n| n.text.as_str());
    let rule_set = source.bind(&table, &classes, target).unwrap();
    let verdicts = evaluate(&rule_set, &table);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["row", "prediction", "rule"]).unwrap();
    for row in 0..table.n_rows() {
        let prediction = verdicts
            .class(row)
            .map_or("", |c| classes[c as usize].as_str());
        let rule = match verdicts.firing.winner(row) {
            Some(rule) => rule_set.names[rule as usize].as_str(),
            None => "default",
        };
        writer
            .write_record([&(row + 1).to_string(), prediction, rule])
            .unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn predictions_stream_across_chunks() {
    // About 4 MB of data: several chunks of the streaming reader.
    let dir = scratch("predict_stream");
    let (data, rules) = generated(&dir, 30_000);
    assert!(std::fs::metadata(&data).unwrap().len() > 3 << 20);
    let output = rulebench(&["predict", "--rules", &rules, "--data", &data]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), predictions_in_memory(&data, &rules));
}

#[test]
fn predictions_to_file_match_stdout_across_chunks() {
    let dir = scratch("predict_stream_file");
    let (data, rules) = generated(&dir, 30_000);
    let out = dir.join("predictions.csv");
    let output = rulebench(&[
        "predict",
        "--rules",
        &rules,
        "--data",
        &data,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let printed = stdout(&rulebench(&["predict", "--rules", &rules, "--data", &data]));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), printed);
}

/// Writes `data` with the value of `column` on file line `line` replaced by `text`.
fn with_text_in(data: &str, column: &str, line: usize, text: &str) -> String {
    let original = std::fs::read_to_string(data).unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = header.iter().position(|&name| name == column).unwrap();
    let mut fields: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    fields[column] = text.to_string();
    lines[line - 1] = fields.join(",");
    let path = format!("{data}.text.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn text_deep_in_a_numeric_model_column_names_its_line() {
    let dir = scratch("predict_stream_text_model");
    let (data, _) = generated(&dir, 30_000);
    let model = dir.join("model.json");
    let output = rulebench(&[
        "train",
        "--data",
        &data,
        "--target",
        "label",
        "--max-depth",
        "3",
        "--out",
        model.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    // Text in a column the tree never splits on is read as missing, so break the column of
    // the root split.
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let root_feature = saved["tree"]["nodes"][0]["feature"].as_u64().unwrap() as usize;
    let column = saved["preprocessing"]["features"][root_feature]["column"]
        .as_str()
        .unwrap()
        .to_string();
    // Line 25,000 is far past the first chunk of rows.
    let broken = with_text_in(&data, &column, 25_000, "n/a yet");
    let output = rulebench(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        &broken,
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(5), "stderr: {err}");
    let message = format!(
        "error: `{broken}` does not fit the model `{}`: column `{column}` contains text (`n/a yet` \
         on line 25000), but the model was trained on numbers in it. Fix the value, or write NA \
         to mark it missing.\n",
        model.display()
    );
    assert!(err.ends_with(&message), "stderr: {err}");
    // The loader's warning about the column comes first, as it does for `compare`.
    assert!(err.starts_with("warning: "), "stderr: {err}");
    assert!(output.stdout.is_empty());
}

#[test]
fn text_deep_in_a_numeric_rule_column_stops_before_output() {
    let dir = scratch("predict_stream_text_rules");
    let (data, _) = generated(&dir, 30_000);
    let rules = dir.join("x3.rules");
    std::fs::write(&rules, "default class0\nrule high: x3 > 1 => class1\n").unwrap();
    let broken = with_text_in(&data, "x3", 25_000, "n/a yet");
    let output = rulebench(&[
        "predict",
        "--rules",
        rules.to_str().unwrap(),
        "--data",
        &broken,
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "stderr: {err}");
    assert!(err.contains("column `x3` holds text, not numbers"), "{err}");
    assert!(err.contains(&format!("{}:2:", rules.display())), "{err}");
    assert!(
        err.contains("`n/a yet` (first on line 25000)"),
        "the warning names the text and its line: {err}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn misspelt_class_in_rules_is_named() {
    let dir = scratch("predict_misspelt_class");
    let rules = dir.join("typo.rules");
    std::fs::write(
        &rules,
        "target species\ndefault virginica\nrule small: petal_length < 2.5 => setosaa\n",
    )
    .unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        rules.to_str().unwrap(),
        "--data",
        "data/iris.csv",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "warning: the rules predict class `setosaa`, which column `species` of the data never \
         holds. Did you mean `setosa`?\n"
    );
}
