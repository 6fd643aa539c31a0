//! The data options every command that reads data shares: several `--data` files, the CSV
//! options, `--target`, `--seed` and `--split`, on `check` and `explain` as on `compare`.

use serde_json::Value;

use crate::common::{assert_fails, rulebench, scratch, stderr, stdout, titanic_in_two_files};

const CSV: &str = "tests/inputs/csv";

/// Runs `check RULES --format json` with `args` and returns the JSON document.
fn check_json(rules: &str, args: &[&str]) -> Value {
    let mut all = vec!["check", rules, "--format", "json"];
    all.extend_from_slice(args);
    let output = rulebench(&all);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// Runs `explain --row ROW --format json` with `args` and returns the explanation.
fn explain_json(row: &str, rules: &str, args: &[&str]) -> Value {
    let mut all = vec![
        "explain", "--row", row, "--rules", rules, "--format", "json",
    ];
    all.extend_from_slice(args);
    let output = rulebench(&all);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    document["explanation"].clone()
}

#[test]
fn check_skips_lines_above_the_header() {
    let rules = format!("{CSV}/base.rules");
    let junk = format!("{CSV}/junk.csv");
    // The error suggests the option, and the option works.
    let output = rulebench(&["check", &rules, "--data", &junk]);
    assert_fails(&output, 3, "pass --skip-lines 2 to skip the lines above it");

    let base = check_json(&rules, &["--data", &format!("{CSV}/base.csv")]);
    let skipped = check_json(&rules, &["--data", &junk, "--skip-lines", "2"]);
    assert_eq!(skipped["data"]["rules"], base["data"]["rules"]);
    assert_eq!(skipped["data"]["rows"], base["data"]["rows"]);
    assert_eq!(skipped["data"]["file"], junk.as_str());
}

#[test]
fn check_reads_delimiter_and_decimal_commas() {
    let rules = format!("{CSV}/base.rules");
    let base = check_json(&rules, &["--data", &format!("{CSV}/base.csv")]);
    let semicolon = format!("{CSV}/semicolon.csv");
    let read = check_json(
        &rules,
        &["--data", &semicolon, "--delimiter", ";", "--decimal-comma"],
    );
    assert_eq!(read["data"]["rules"], base["data"]["rules"]);

    // Detected decimal commas are read too, with the loader's warning.
    let output = rulebench(&["check", &rules, "--data", &semicolon]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        crate::common::warnings(&output),
        [format!(
            "`{semicolon}`: read `,` as the decimal mark in column `x`. Pass --decimal-comma to \
             confirm this and silence the warning."
        )]
    );

    // A comma delimiter reads the file as one column, which has no `x` to check.
    let output = rulebench(&["check", &rules, "--data", &semicolon, "--delimiter", ","]);
    assert_fails(&output, 3, "split by `,`, the header has 1 field");
}

#[test]
fn check_reads_categorical_columns_as_text() {
    // `x > 5` needs numbers, so reading `x` as categories turns it into an error.
    let rules = format!("{CSV}/base.rules");
    let data = format!("{CSV}/base.csv");
    let output = rulebench(&[
        "check",
        &rules,
        "--data",
        &data,
        "--categorical",
        "x",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(4), "stderr: {}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "column-type");
    assert_eq!(
        report["diagnostics"][0]["message"],
        "column `x` holds text, not numbers"
    );
}

#[test]
fn check_reads_several_files_as_one() {
    let dir = scratch("check_several_files");
    let (first, second) = titanic_in_two_files(&dir);
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    let rules = "rules/titanic.rules";
    let whole = check_json(rules, &["--data", "data/titanic.csv"]);
    let parts = check_json(rules, &["--data", first, "--data", second]);
    assert_eq!(parts["data"]["rules"], whole["data"]["rules"]);
    assert_eq!(parts["data"]["rows"], 785);
    assert_eq!(
        parts["data"]["file"].as_str().unwrap(),
        format!("{first} + {second}")
    );
    // The split follows --seed and --split, as in `compare`.
    let other = check_json(
        rules,
        &["--data", "data/titanic.csv", "--split", "80/10/10"],
    );
    assert_eq!(other["data"]["rows"], 1047);
    let reseeded = check_json(rules, &["--data", "data/titanic.csv", "--seed", "7"]);
    assert_ne!(reseeded["data"]["rules"], whole["data"]["rules"]);
}

#[test]
fn explain_reads_several_files_as_one() {
    let dir = scratch("explain_several_files");
    let (first, second) = titanic_in_two_files(&dir);
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    let rules = "rules/titanic.rules";
    for row in ["605", "800", "1309"] {
        let whole = explain_json(row, rules, &["--data", "data/titanic.csv"]);
        let parts = explain_json(row, rules, &["--data", first, "--data", second]);
        for field in ["row", "part", "truth", "rules", "tree", "values"] {
            assert_eq!(parts[field], whole[field], "row {row}, {field}");
        }
    }
    // Row 800 is the 101st data row of the second file, on its line 102.
    let parts = explain_json("800", rules, &["--data", first, "--data", second]);
    assert_eq!(parts["line"], 102);
}

#[test]
fn explain_reads_csv_options() {
    let rules = format!("{CSV}/base.rules");
    let base = explain_json("3", &rules, &["--data", &format!("{CSV}/base.csv")]);
    let cases: [&[&str]; 2] = [
        &["--data", &format!("{CSV}/junk.csv"), "--skip-lines", "2"],
        &[
            "--data",
            &format!("{CSV}/semicolon.csv"),
            "--delimiter",
            "semicolon",
            "--decimal-comma",
        ],
    ];
    for args in cases {
        let read = explain_json("3", &rules, args);
        for field in ["row", "part", "truth", "rules", "tree", "values"] {
            assert_eq!(read[field], base[field], "{args:?}: {field}");
        }
    }
    assert_eq!(base["values"][0]["value"], "6.2");

    // `--categorical x` reads `x` as text, which `x > 5` cannot compare.
    let output = rulebench(&[
        "explain",
        "--row",
        "3",
        "--rules",
        &rules,
        "--data",
        &format!("{CSV}/base.csv"),
        "--categorical",
        "x",
    ]);
    assert_fails(&output, 4, "column `x` holds text, not numbers");
}

#[test]
fn explain_follows_seed_and_split() {
    // Row 17 of the titanic data is a training row at seed 42, a test row at seed 1 and a
    // validation row at seed 8 or with the split 10/10/80.
    let rules = "rules/titanic.rules";
    let part = |extra: &[&str]| {
        let args = [&["--data", "data/titanic.csv"][..], extra].concat();
        explain_json("17", rules, &args)["part"].clone()
    };
    assert_eq!(part(&[]), "train");
    assert_eq!(part(&["--seed", "1"]), "test");
    assert_eq!(part(&["--seed", "8"]), "validation");
    assert_eq!(part(&["--split", "10/10/80"]), "validation");
}

/// The options of the "Data and split" and "Reading the CSV file" headings.
const DATA_OPTIONS: [&str; 8] = [
    "--data <FILE>",
    "--target <COLUMN>",
    "--seed <SEED>",
    "--split <TRAIN/VALIDATION/TEST>",
    "--delimiter <CHAR>",
    "--skip-lines <N>",
    "--decimal-comma",
    "--categorical <COLUMN>",
];

/// Lists the options of a `--help` text with the heading each is under, as (heading,
/// option) pairs.
fn options_by_heading(help: &str) -> Vec<(String, String)> {
    let mut heading = String::new();
    let mut options = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            heading = line.trim_end_matches(':').to_string();
        } else if let Some(option) = line.trim_start().strip_prefix("--") {
            options.push((heading.clone(), format!("--{option}")));
        }
    }
    options
}

#[test]
fn every_data_command_takes_the_data_options() {
    let mut listings = Vec::new();
    for command in ["compare", "explain", "train", "check"] {
        let output = rulebench(&[command, "--help"]);
        assert!(output.status.success(), "{command}: {}", stderr(&output));
        let options: Vec<(String, String)> = options_by_heading(&stdout(&output))
            .into_iter()
            .filter(|(_, option)| DATA_OPTIONS.iter().any(|o| option.starts_with(o)))
            .collect();
        let names: Vec<&str> = options.iter().map(|(_, o)| o.as_str()).collect();
        assert_eq!(names, DATA_OPTIONS, "{command}");
        listings.push(options);
    }
    // Under the same headings everywhere.
    assert!(listings.windows(2).all(|w| w[0] == w[1]), "{listings:?}");
    assert_eq!(listings[0][0].0, "Data and split");
    assert_eq!(listings[0][4].0, "Reading the CSV file");
}

#[test]
fn timings_option_is_not_a_csv_option() {
    let output = rulebench(&["compare", "--help"]);
    let options = options_by_heading(&stdout(&output));
    let timings = options.iter().find(|(_, o)| o == "--timings").unwrap();
    assert_eq!(timings.0, "Options");
}
