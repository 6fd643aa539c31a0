//! The full report of every shipped dataset in every format, checked for its sections and for
//! numbers that agree with each other. The reports are also written to
//! `target/tmp/reports/DATASET.{txt,json,md,csv,html}` for a person to read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::common::{root, rulebench, scratch, stderr, stdout};
use crate::compare::Report;
use rulebench::compare::paired::mcnemar_exact_p_value;
use rulebench::compare::{run_comparison, CompareOptions, Comparison, ReportOptions};
use rulebench::data::SplitRatios;
use rulebench::report::{render_csv, render_html, render_json, render_markdown, render_tables};
use rulebench::tree::TreeOptions;

/// Section ids in page order; `rule-matrix` is there because the reports ask for it.
const SECTIONS: [&str; 12] = [
    "scores",
    "per-class",
    "confusion",
    "tree-settings",
    "overfitting",
    "learning-curve",
    "importance",
    "row-use",
    "paired",
    "rule-evidence",
    "rule-matrix",
    "disagreements",
];

/// The heading of each section as the terminal and Markdown show it (its first words).
const HEADINGS: [&str; 12] = [
    "Scores on the",
    "Per-class scores on the test rows",
    "Confusion matrices on the test rows",
    "Tree settings tried",
    "Overfitting: training against",
    "Learning curve: the chosen tree refitted",
    "Feature importance",
    "How the rows were used",
    "Rules against tree on the same",
    "Evidence per rule on the training and test rows",
    "Rows where two rules both fire",
    "Test rows where rules and tree disagree",
];

const DISAGREEMENTS: usize = 5;

fn comparison(dataset: &str) -> Comparison {
    let options = CompareOptions {
        data: vec![PathBuf::from(format!("data/{dataset}.csv"))],
        rules: PathBuf::from(format!("rules/{dataset}.rules")),
        target: None,
        seed: 42,
        split: SplitRatios::default(),
        tree: TreeOptions::default(),
        load: rulebench::data::LoadOptions::default(),
        report: ReportOptions {
            disagreements: DISAGREEMENTS,
            rule_matrix: true,
            ..ReportOptions::default()
        },
    };
    // The paths in the report are relative to the repository root.
    std::env::set_current_dir(root()).expect("the repository root exists");
    run_comparison(&options).expect("the shipped dataset compares")
}

/// Renders every report of one dataset, writes it out and checks it.
fn check_all_formats(dataset: &str) {
    let c = comparison(dataset);
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports");
    std::fs::create_dir_all(&folder).expect("the reports folder");
    let write = |extension: &str, text: &str| {
        std::fs::write(folder.join(format!("{dataset}.{extension}")), text).expect("written");
    };

    let table = render_tables(&c);
    write("txt", &table);
    check_text(&table);

    let json = render_json(&c);
    write("json", &json);
    let report: Report = serde_json::from_str(&json).expect("the JSON report decodes");
    check_numbers(&report);

    let markdown = render_markdown(&c);
    write("md", &markdown);
    check_markdown(&markdown);

    let csv = render_csv(&c).expect("the CSV renders");
    write("csv", &csv);
    check_csv(&csv, &report);

    let html = render_html(&c);
    write("html", &html);
    check_html(&html);
}

fn check_text(text: &str) {
    for heading in HEADINGS {
        assert!(text.contains(heading), "no `{heading}` in:\n{text}");
    }
    assert!(
        !text.contains('\u{1b}'),
        "colour codes in output that is not a terminal"
    );
    assert!(text.contains("McNemar's exact test"));
}

/// Checks that the numbers of the report agree with each other and with the statistics they
/// restate.
fn check_numbers(r: &Report) {
    let test = r.split.test as u64;
    let correct = |counts: &Vec<Vec<u64>>| (0..counts.len()).map(|c| counts[c][c]).sum::<u64>();

    let pair = &r.paired.rules_vs_tree;
    let t = &pair.table;
    assert_eq!(
        t.both_right + t.only_first_right + t.only_second_right + t.both_wrong,
        test
    );
    assert_eq!(
        t.both_right + t.only_first_right,
        correct(&r.models.rules.confusion.counts)
    );
    assert_eq!(
        t.both_right + t.only_second_right,
        correct(&r.models.tree.confusion.counts)
    );
    let p = mcnemar_exact_p_value(t.only_first_right, t.only_second_right);
    assert_eq!(pair.mcnemar_p_value, p);
    assert_eq!(
        pair.verdict.contains("could be chance"),
        p >= 0.05,
        "{}",
        pair.verdict
    );
    assert_eq!(pair.verdict.contains("probably not chance alone"), p < 0.05);
    for overclaim in ["significant", "proves", "certainly", "clearly"] {
        assert!(!pair.verdict.contains(overclaim), "{}", pair.verdict);
    }
    let difference = &pair.difference.accuracy;
    let accuracy_gap = r.models.rules.accuracy - r.models.tree.accuracy;
    assert!((difference.estimate - accuracy_gap).abs() < 1e-12);
    assert!(difference.low <= difference.estimate);
    assert!(difference.estimate <= difference.high);
    assert_eq!(r.paired.bootstrap.seed, r.seed);
    assert_eq!(r.paired.bootstrap.resamples, 2000);

    // The disagreements are the rows where the two predictions differ.
    assert_eq!(r.disagreements.total, test - pair.predictions.same);
    assert!(r.disagreements.rows.len() <= DISAGREEMENTS);
    for row in &r.disagreements.rows {
        assert_eq!(row.part, "test");
        assert_ne!(row.rules.class.as_deref(), Some(row.tree.class.as_str()));
        assert!(row.line > row.row as u64, "the header line comes first");
        if let Some(rule) = &row.rules.rule {
            assert!(row.rules.fired.contains(rule));
        }
    }
    let rows: Vec<usize> = r.disagreements.rows.iter().map(|row| row.row).collect();
    assert!(
        rows.windows(2).all(|w| w[0] < w[1]),
        "in data order: {rows:?}"
    );

    // Under first-match every covered test row is won by exactly one rule.
    let wins: u64 = r
        .rule_evidence
        .rules
        .iter()
        .map(|rule| rule.test.wins)
        .sum();
    assert_eq!(wins, r.rule_coverage.fired as u64);
    assert_eq!(
        r.rule_evidence.not_fired_test.rows,
        r.rule_coverage.not_fired as u64
    );
    for rule in &r.rule_evidence.rules {
        for stats in [&rule.train, &rule.test] {
            assert_eq!(stats.correct + stats.wrong, stats.fires);
            assert!(stats.wins <= stats.fires);
            assert!(stats.conflicts <= stats.overlaps);
            assert_eq!(stats.precision.is_none(), stats.fires == 0);
        }
    }
    let matrix = r.rule_matrix.as_ref().expect("the matrix was asked for");
    for (index, rule) in r.rule_evidence.rules.iter().enumerate() {
        assert_eq!(matrix.test.overlaps[index][index], rule.test.fires);
        assert_eq!(matrix.train.overlaps[index][index], rule.train.fires);
    }

    // The hybrid differs from the rules only where it took the tree's class.
    if r.paired.hybrid_changes == 0 {
        assert_eq!(
            r.models.hybrid.confusion.counts,
            r.models.rules.confusion.counts
        );
    }
    assert_eq!(r.models.baseline.kappa, Some(0.0));

    // Parts of the rows have one name each across the document.
    let parts: Vec<&str> = r.row_use.iter().map(|p| p.part.as_str()).collect();
    assert_eq!(parts, ["train", "validation", "test"]);
}

fn check_markdown(markdown: &str) {
    for heading in HEADINGS {
        assert!(
            markdown
                .lines()
                .any(|line| line.starts_with(&format!("## {heading}"))),
            "no heading `{heading}`"
        );
    }
    // Every row of a pipe table has as many cells as its header.
    let mut columns: Option<usize> = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count() - 1;
        match columns {
            None => columns = Some(cells),
            Some(expected) => assert_eq!(cells, expected, "ragged table row: {line}"),
        }
    }
}

fn check_csv(text: &str, report: &Report) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header row").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["section", "subject", "class", "part", "measure", "value"]
    );
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("every CSV row parses"))
        .collect();
    let value = |section: &str, subject: &str, measure: &str| -> String {
        value_of(&records, section, subject, measure)
    };
    // serde_json's default float parsing may be one unit in the last place off.
    let accuracy: f64 = value("scores", "rules", "accuracy").parse().unwrap();
    assert!((accuracy - report.models.rules.accuracy).abs() < 1e-15);
    let p: f64 = value("paired", "rules vs tree", "mcnemar_p_value")
        .parse()
        .unwrap();
    assert!((p - report.paired.rules_vs_tree.mcnemar_p_value).abs() <= 1e-15 * p);
    let sections: BTreeSet<&str> = records.iter().map(|r| &r[0]).collect();
    for section in [
        "run",
        "scores",
        "per_class",
        "confusion",
        "paired",
        "rule",
        "not_fired",
        "rule_matrix",
        "disagreements",
        "tree",
        "search",
        "tuning",
        "overfitting",
        "learning_curve",
        "importance",
        "row_use",
    ] {
        assert!(sections.contains(section), "no `{section}` rows");
    }
    check_csv_tree(&records, report);
}

/// Checks the tree's rows of the CSV report: the whole settings grid, one row per number, each
/// under the part of the rows it was measured on.
fn check_csv_tree(records: &[csv::StringRecord], report: &Report) {
    let rows_of = |section: &str, measure: &str| -> Vec<&csv::StringRecord> {
        records
            .iter()
            .filter(|r| &r[0] == section && &r[4] == measure)
            .collect()
    };
    let search = &report.tree.search;
    for measure in [
        "max_depth",
        "min_weight_split",
        "min_weight_leaf",
        "min_impurity_decrease",
        "criterion",
        "chosen",
        "leaves",
        "train_score",
        "validation_score",
        "validation_std",
    ] {
        assert_eq!(
            rows_of("search", measure).len(),
            search.rows.len(),
            "search rows of `{measure}`"
        );
    }
    let chosen: Vec<&str> = rows_of("search", "chosen")
        .iter()
        .filter(|r| &r[5] == "true")
        .map(|r| &r[1])
        .collect();
    assert_eq!(chosen, [format!("setting {}", search.chosen + 1)]);
    let chosen_row = &search.rows[search.chosen];
    let criterion = rows_of("search", "criterion")
        .into_iter()
        .find(|r| r[1] == *chosen[0])
        .unwrap();
    assert_eq!(&criterion[5], chosen_row.criterion);
    assert_eq!(
        value_of(records, "tree", "chosen", "criterion"),
        report.tree.params.criterion
    );
    for measure in ["leaves", "train_score"] {
        for row in rows_of("search", measure) {
            assert_eq!(&row[3], "train", "{row:?}");
        }
    }
    for row in rows_of("search", "validation_score") {
        assert_eq!(&row[3], "validation", "{row:?}");
    }
    // The leaves of a depth belong to the tree fitted on the training rows.
    let tuning_leaves = rows_of("tuning", "leaves");
    assert_eq!(tuning_leaves.len(), report.tree.tuning.len());
    for row in tuning_leaves {
        assert_eq!(&row[3], "train", "{row:?}");
    }
    assert_eq!(
        rows_of("overfitting", "large_gap").len(),
        report.tree.overfitting.len()
    );
    let parts: Vec<&str> = rows_of("row_use", "rows").iter().map(|r| &r[3]).collect();
    assert_eq!(parts, ["train", "validation", "test"]);
    let baseline_p: f64 = value_of(records, "paired", "rules vs baseline", "mcnemar_p_value")
        .parse()
        .unwrap();
    let expected = report.paired.baseline.rules.mcnemar_p_value;
    assert!((baseline_p - expected).abs() <= 1e-15 * expected);
}

fn value_of(records: &[csv::StringRecord], section: &str, subject: &str, measure: &str) -> String {
    records
        .iter()
        .find(|r| &r[0] == section && &r[1] == subject && &r[4] == measure)
        .unwrap_or_else(|| panic!("no {section}/{subject}/{measure} row"))[5]
        .to_string()
}

/// Parses the page as XML, which is stricter than an HTML parser: every element must be
/// closed and properly nested. Returns the section ids and the number of charts.
fn parse_html(html: &str) -> (Vec<String>, usize) {
    let mut reader = Reader::from_str(html);
    let mut sections = Vec::new();
    let mut charts = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(element)) => {
                let name = element.name().as_ref().to_vec();
                if name == b"svg" {
                    charts += 1;
                }
                if name == b"section" {
                    let id = element
                        .try_get_attribute("id")
                        .expect("attributes parse")
                        .expect("every section has an id");
                    sections.push(String::from_utf8(id.value.to_vec()).unwrap());
                }
            }
            Ok(_) => {}
            Err(error) => panic!(
                "the page does not parse at byte {}: {error}",
                reader.buffer_position()
            ),
        }
    }
    (sections, charts)
}

fn check_html(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    let (sections, charts) = parse_html(html);
    assert_eq!(sections, SECTIONS);
    // Four heat maps, the intervals, the rule bars, the tuning curve and the learning curve.
    assert_eq!(charts, 8);
    assert!(html.matches("<table>").count() >= 10);
    assert!(html.contains("McNemar&#39;s exact test"));
    assert!(
        html.matches("<code>").count() >= 2,
        "quoted names are shown as code"
    );
    assert!(!html.contains('`'), "a backtick is shown as it is");
    assert!(
        html.contains("<td>baseline (always <code>"),
        "the score table shows the baseline's class as code"
    );
    // Each use of the training rows is on a line of its own in its cell.
    assert!(
        html.contains(
            "(imputation, scaling, categories)<br/>the baseline&#39;s majority class<br/>the \
             learning curve&#39;s trees</td>"
        ),
        "the uses of a part run together"
    );
    for reference in [
        "http:", "https:", "src=", "url(", "@import", "<link", "<script", "//",
    ] {
        assert!(
            !html.contains(reference),
            "the page refers to something outside it: `{reference}`"
        );
    }
}

#[test]
fn titanic_report_in_every_format() {
    check_all_formats("titanic");
}

#[test]
fn iris_report_in_every_format() {
    check_all_formats("iris");
}

#[test]
fn penguins_report_in_every_format() {
    check_all_formats("penguins");
}

#[test]
fn adult_report_in_every_format() {
    check_all_formats("adult");
}

#[test]
fn html_parser_rejects_unclosed_element() {
    let result = std::panic::catch_unwind(|| parse_html("<html><body><p>open</body></html>"));
    assert!(result.is_err(), "the check must catch a broken page");
}

#[test]
fn report_files_are_byte_identical_across_runs() {
    let dir = scratch("report-identical");
    let run = |name: &str| {
        let html = dir.join(format!("{name}.html"));
        let output = rulebench(&[
            "compare",
            "--data",
            "data/penguins.csv",
            "--rules",
            "rules/penguins.rules",
            "--format",
            "markdown",
            "--rule-matrix",
            "--disagreements",
            "3",
            "--html",
            html.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
        (
            stdout(&output),
            std::fs::read(&html).expect("the page was written"),
        )
    };
    let (first_text, first_page) = run("first");
    let (second_text, second_page) = run("second");
    assert_eq!(first_text, second_text);
    assert_eq!(first_page, second_page);
    assert!(first_text.starts_with("# rulebench: rules"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Runs `compare` on a shipped dataset with extra arguments and checks it succeeded.
pub fn compare_shipped(dataset: &str, extra: &[&str]) -> Output {
    let data = format!("data/{dataset}.csv");
    let rules = format!("rules/{dataset}.rules");
    let mut args = vec!["compare", "--data", &data, "--rules", &rules];
    args.extend_from_slice(extra);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    output
}

#[test]
fn seed_changes_bootstrap_interval() {
    let json = |seed: &str| -> Report {
        let output = compare_shipped("titanic", &["--format", "json", "--seed", seed]);
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let (a, b) = (json("7"), json("8"));
    assert_eq!(a.paired.bootstrap.seed, 7);
    assert_eq!(b.paired.bootstrap.seed, 8);
    let (a, b) = (
        &a.paired.rules_vs_tree.difference.accuracy,
        &b.paired.rules_vs_tree.difference.accuracy,
    );
    assert!(a.low != b.low || a.high != b.high, "{a:?} {b:?}");
}

#[test]
fn rule_matrix_and_disagreements_are_opt_in() {
    let output = compare_shipped("iris", &["--format", "json"]);
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(report.rule_matrix.is_none());
    assert!(report.disagreements.rows.is_empty());
    assert_eq!(report.disagreements.total, 1);
    let text = stdout(&compare_shipped("iris", &[]));
    assert!(!text.contains("Rows where two rules both fire"));
    assert!(text.contains("Pass --disagreements N to list the first N of them."));
}

#[test]
fn csv_writes_undefined_precision_as_empty() {
    let output = compare_shipped("titanic", &["--format", "csv"]);
    // The baseline never predicts `yes`, so its precision for `yes` is undefined.
    assert!(stdout(&output).contains("per_class,baseline,yes,test,precision,\n"));
}

#[test]
fn html_to_unwritable_path_fails_cleanly() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
        "--html",
        "/nonexistent-folder/report.html",
    ]);
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    assert!(stderr(&output).contains("/nonexistent-folder/report.html"));
}

/// Strips ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `rulebench ARGUMENTS` on a pseudo-terminal `columns` wide, made by `script` from
/// util-linux, with `environment` (such as `NO_COLOR=1`) set, and returns what it printed.
fn on_terminal(columns: u16, environment: &str, arguments: &str) -> String {
    let binary = env!("CARGO_BIN_EXE_rulebench");
    let command = format!("stty cols {columns} rows 50; {environment} {binary} {arguments}");
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(root())
        .output()
        .expect("`script` from util-linux runs");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    stdout(&output)
}

/// Counts the words of `text` that contain a digit, with table borders taken as spaces. A
/// number split over two lines of a cell turns into two other words, so it changes the count.
fn numeric_words(text: &str) -> BTreeMap<String, usize> {
    let mut words = BTreeMap::new();
    let spaced: String = text
        .chars()
        .map(|c| {
            if "│┆┌┐└┘├┤┬┴┼─╞╡╪═".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    for word in spaced.split_whitespace() {
        if word.chars().any(|c| c.is_ascii_digit()) {
            *words.entry(word.to_string()).or_insert(0) += 1;
        }
    }
    words
}

#[test]
fn terminal_output_fits_width_and_has_colour() {
    let arguments =
        "compare --data data/titanic.csv --rules rules/titanic.rules --disagreements 3 \
                     --rule-matrix";
    let piped = stdout(&rulebench(&arguments.split(' ').collect::<Vec<_>>()));
    for columns in [80, 70] {
        let text = on_terminal(columns, "", arguments);
        assert!(text.contains("\u{1b}["), "no colour on a terminal");
        // The tables' own colours are kept, not shown as escapes.
        assert!(!text.contains("\\u{1b}"), "escaped colour on a terminal");
        let plain = strip_ansi(&text).replace('\r', "");
        assert!(plain.contains("Test rows where rules and tree disagree"));
        for line in plain.lines() {
            assert!(
                line.chars().count() <= usize::from(columns),
                "line of {} characters on a {columns}-column terminal: {line}",
                line.chars().count()
            );
        }
        // A split number loses its whole form and leaves pieces the unwrapped report does
        // not have. Wide tables are split into narrower ones that repeat their label columns,
        // so a word may appear more often, never less.
        let (terminal, unwrapped) = (numeric_words(&plain), numeric_words(&piped));
        for (word, count) in &unwrapped {
            let shown = terminal.get(word).copied().unwrap_or(0);
            assert!(
                shown >= *count,
                "`{word}` is whole {shown} times, not {count}, at {columns} columns:\n{plain}"
            );
        }
        for word in terminal.keys() {
            assert!(
                unwrapped.contains_key(word),
                "`{word}` is a piece of a number at {columns} columns:\n{plain}"
            );
        }
        for number in ["0.948", "155 (100 %)", "+0.042 [-0.004, 0.088]", "19.7 %"] {
            assert!(
                plain.contains(number),
                "`{number}` at {columns} columns:\n{plain}"
            );
        }
    }
}

#[test]
fn numeric_words_catch_a_split_number() {
    let whole = numeric_words("│ 0.948 ┆ 155 │");
    let split = numeric_words("│ 0.9 ┆ 155 │\n│ 48  ┆     │");
    assert_eq!(whole.get("0.948"), Some(&1));
    assert_eq!(split.get("0.948"), None);
    assert_eq!(split.get("0.9"), Some(&1));
}

#[test]
fn markup_in_names_is_escaped_in_the_page() {
    let dir = scratch("report-markup");
    let data = dir.join("data.csv");
    let rules = dir.join("markup.rules");
    let page = dir.join("report.html");
    let mut csv = String::from("size,label\n");
    for i in 0..60 {
        let label = if i % 2 == 0 { "<b>big</b>" } else { "x&y" };
        csv.push_str(&format!("{},\"{label}\"\n", i % 2 * 10 + i % 3));
    }
    std::fs::write(&data, csv).unwrap();
    std::fs::write(
        &rules,
        "target label\ndefault \"x&y\"\nrule size_over_5: size > 5 => \"<b>big</b>\"\n",
    )
    .unwrap();
    let output = rulebench(&[
        "compare",
        "--data",
        data.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--html",
        page.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let html = std::fs::read_to_string(&page).unwrap();
    let (sections, _) = parse_html(&html);
    assert!(sections.contains(&"rule-evidence".to_string()));
    assert!(html.contains("&lt;b&gt;big&lt;/b&gt;"));
    assert!(html.contains("x&amp;y"));
    assert!(!html.contains("<b>big</b>"));
}

#[test]
fn abstentions_are_their_own_category() {
    let dir = scratch("report-abstain");
    let rules = dir.join("no-default.rules");
    std::fs::write(
        &rules,
        "target species\n\
         rule small_petals: petal_length < 2.5 => setosa\n\
         rule narrow_petals: petal_width < 1.75 => versicolor\n",
    )
    .unwrap();
    let args = [
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        rules.to_str().unwrap(),
        "--disagreements",
        "30",
    ];
    let output = rulebench(&[&args[..], &["--format", "json"]].concat());
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();

    // Nine virginica test rows get no class: the last confusion column, never a class.
    let abstained: u64 = report
        .models
        .rules
        .confusion
        .counts
        .iter()
        .map(|row| row[3])
        .sum();
    assert_eq!(abstained, 9);
    assert_eq!(report.rule_coverage.default_class, None);
    assert_eq!(report.rule_evidence.not_fired_test.default_correct, 0);
    assert_eq!(report.paired.hybrid_changes, 9);
    let abstaining_rows = report
        .disagreements
        .rows
        .iter()
        .filter(|row| row.rules.class.is_none())
        .count();
    assert_eq!(abstaining_rows, 9);
    assert_eq!(
        report
            .models
            .hybrid
            .confusion
            .counts
            .iter()
            .map(|row| row[3])
            .sum::<u64>(),
        0
    );

    let text = stdout(&rulebench(&args));
    assert!(text.contains("The rules abstained on 9 test rows; an abstention is never right."));
    assert!(text.contains("(abstained)"), "{text}");
    assert!(
        text.contains("On those test rows the rules abstained"),
        "{text}"
    );
}

#[test]
fn no_color_keeps_the_terminal_plain() {
    let text = on_terminal(
        120,
        "NO_COLOR=1",
        "compare --data data/iris.csv --rules rules/iris.rules",
    );
    assert!(!text.contains("\u{1b}["), "colour despite NO_COLOR");
}

#[test]
fn terminal_controls_in_data_are_shown_as_escapes() {
    // A class name that would clear the screen and set the window title if printed raw.
    let dir = scratch("terminal_controls");
    let data = dir.join("controls.csv");
    let mut text = String::from("x,y\n");
    for row in 0..60 {
        let class = if row % 2 == 0 {
            "a"
        } else {
            "b\u{1b}[2J\u{1b}]0;title\u{7}"
        };
        text.push_str(&format!("{row},\"{class}\"\n"));
    }
    std::fs::write(&data, text).unwrap();
    let rules = dir.join("controls.rules");
    std::fs::write(&rules, "target y\ndefault a\nrule odd: x > 100 => a\n").unwrap();
    let output = rulebench(&[
        "compare",
        "--data",
        data.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(!report.contains("\u{1b}[2J"), "{report}");
    assert!(!report.contains('\u{7}'), "{report}");
    assert!(
        report.contains("b\\u{1b}[2J\\u{1b}]0;title\\u{7}"),
        "{report}"
    );
}
