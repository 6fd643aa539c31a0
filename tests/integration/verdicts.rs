//! The plain-words readings of the report on the shipped data: the learning curve and the
//! overfitting report weighed against noise, and the verdict against the baseline.

use crate::common::{rulebench, scratch, stderr, stdout};
use crate::compare::Report;

/// Runs `compare` on a shipped dataset with `extra` options; returns the terminal report with
/// its lines joined, so sentences match across line breaks, and the JSON report.
fn report(dataset: &str, extra: &[&str]) -> (String, Report) {
    let data = format!("data/{dataset}.csv");
    let rules = format!("rules/{dataset}.rules");
    report_with(&data, &rules, extra)
}

fn report_with(data: &str, rules: &str, extra: &[&str]) -> (String, Report) {
    let mut args = vec!["compare", "--data", data, "--rules", rules];
    args.extend_from_slice(extra);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    args.extend_from_slice(&["--format", "json"]);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let json = serde_json::from_str(&stdout(&output)).expect("the JSON report decodes");
    (text, json)
}

/// The binomial standard error with two rows right and two wrong added (Agresti-Coull).
fn standard_error(score: f64, rows: usize) -> f64 {
    let n = rows as f64 + 4.0;
    let p = (score * rows as f64 + 2.0) / n;
    (p * (1.0 - p) / n).sqrt()
}

/// How the second half of a learning curve reads, worked out from the JSON report alone.
#[derive(Debug, PartialEq)]
enum Trend {
    Flat,
    Noisy,
    Rising,
    RisingThenFalling,
    Falling,
}

fn trend(report: &Report) -> Trend {
    let half: Vec<(f64, f64)> = report
        .learning_curve
        .points
        .iter()
        .filter(|p| p.percent >= 50)
        .map(|p| (f64::from(p.percent), p.tree_score))
        .collect();
    let n = half.len() as f64;
    let mean_x = half.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = half.iter().map(|p| p.1).sum::<f64>() / n;
    let slope = half
        .iter()
        .map(|p| (p.0 - mean_x) * (p.1 - mean_y))
        .sum::<f64>()
        / half.iter().map(|p| (p.0 - mean_x).powi(2)).sum::<f64>();
    let change = slope * (half[half.len() - 1].0 - half[0].0);
    let last = half[half.len() - 1].1;
    let noise = 2.0 * standard_error(last, report.split.validation);
    let spread = half.iter().map(|p| p.1).fold(f64::MIN, f64::max)
        - half.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    if change.abs() <= noise {
        if spread <= noise {
            Trend::Flat
        } else {
            Trend::Noisy
        }
    } else if change > 0.0 && last < half[half.len() - 2].1 {
        Trend::RisingThenFalling
    } else if change > 0.0 {
        Trend::Rising
    } else {
        Trend::Falling
    }
}

/// The sentence on the learning curve.
fn curve_sentence(text: &str) -> &str {
    let start = text
        .find("From 50 % to 100 % of the training rows")
        .expect("a learning curve verdict");
    let end = text[start..].find(" Feature importance").unwrap();
    &text[start..start + end]
}

#[test]
fn learning_curve_verdicts_on_shipped_data() {
    let expected = [
        ("titanic", Trend::Flat, "flat within noise"),
        ("iris", Trend::Flat, "flat within noise"),
        (
            "penguins",
            Trend::RisingThenFalling,
            "but fell by 0.014 over the last step",
        ),
        (
            "adult",
            Trend::Rising,
            "this suggests more rows of the same kind may still help",
        ),
    ];
    for (dataset, shape, phrase) in expected {
        let (text, json) = report(dataset, &[]);
        let sentence = curve_sentence(&text);
        assert_eq!(trend(&json), shape, "{dataset}: {sentence}");
        assert!(sentence.contains(phrase), "{dataset}: {sentence}");
        for overclaim in ["still rising", "would likely", "unlikely to change"] {
            assert!(!sentence.contains(overclaim), "{dataset}: {sentence}");
        }
        let rows = format!("a score on {} validation rows", json.split.validation);
        assert!(sentence.contains(&rows), "{dataset}: {sentence}");
    }
}

#[test]
fn titanic_curve_change_is_within_noise() {
    let (text, json) = report("titanic", &[]);
    let sentence = curve_sentence(&text);
    assert!(
        sentence.starts_with(
            "From 50 % to 100 % of the training rows the tree's score changed by +0.012 on a \
             straight-line fit, within twice the standard error of a score on 262 validation \
             rows (0.049)"
        ),
        "{sentence}"
    );
    let last = json.learning_curve.points.last().unwrap();
    let noise = 2.0 * standard_error(last.tree_score, 262);
    assert!((noise - 0.049).abs() < 0.0005, "{noise}");
    assert!(
        sentence.ends_with(
            "With all of the training rows the tree is ahead of the rules by 0.011, within twice \
             the standard error of the difference (0.070), so the two are level within noise."
        ),
        "{sentence}"
    );
}

/// The overfitting sentences, up to the learning curve's heading.
fn overfitting_text(text: &str) -> &str {
    let start = text.find("Overfitting: training against").unwrap();
    let end = text[start..].find("Learning curve:").unwrap();
    &text[start..start + end]
}

#[test]
fn small_gap_on_few_rows_is_not_flagged() {
    // 131 validation rows: a gap of +0.078 is within twice its standard error (0.081).
    let options = [
        "--split",
        "80/10/10",
        "--min-weight-leaf",
        "1",
        "--max-depth",
        "2,3,4",
    ];
    let (text, json) = report("titanic", &options);
    let gaps = &json.tree.overfitting;
    let flags: Vec<(Option<usize>, bool)> =
        gaps.iter().map(|g| (g.max_depth, g.large_gap)).collect();
    assert_eq!(flags, [(Some(2), false), (Some(3), true), (Some(4), true)]);
    for gap in gaps {
        let expected = (standard_error(gap.train_score, json.split.train).powi(2)
            + standard_error(gap.validation_score, json.split.validation).powi(2))
        .sqrt();
        let error = gap.gap_standard_error.unwrap();
        assert!((error - expected).abs() < 1e-12, "{error} {expected}");
        assert_eq!(gap.large_gap, gap.gap > 0.05 && gap.gap > 2.0 * error);
    }
    assert!(gaps[0].gap > 0.05, "{:?}", gaps[0]);

    let reading = overfitting_text(&text);
    assert!(
        reading.contains(
            "From max depth 3 on, the training accuracy is above the validation accuracy by more \
             than 0.05 and by more than twice the standard error of the gap"
        ),
        "{reading}"
    );
    assert!(
        reading.contains(
            "At max depth 2 the gap is above 0.05 but within twice its standard error, so it \
             could be noise of the validation score and is not flagged."
        ),
        "{reading}"
    );
    assert_eq!(json.tree.params.max_depth, Some(2));
    assert!(!reading.contains("chosen setting"), "{reading}");
    assert!(!reading.contains("memorise"), "{reading}");
}

#[test]
fn chosen_setting_in_flagged_range_is_explained() {
    let options = [
        "--split",
        "80/10/10",
        "--min-weight-leaf",
        "1",
        "--max-depth",
        "3,4",
    ];
    let (text, json) = report("titanic", &options);
    assert_eq!(json.tree.params.max_depth, Some(3));
    assert!(json.tree.overfitting[0].large_gap);
    let reading = overfitting_text(&text);
    assert!(
        reading.contains(
            "The chosen setting (max depth 3) is one of them. It was chosen anyway because its \
             validation accuracy is the best of the 4 settings tried"
        ),
        "{reading}"
    );
}

#[test]
fn gaps_within_noise_on_penguins_are_named() {
    let options = ["--split", "70/10/20", "--min-weight-leaf", "1"];
    let (text, json) = report("penguins", &options);
    assert!(json.tree.overfitting.iter().all(|g| !g.large_gap));
    assert!(json.tree.overfitting.iter().any(|g| g.gap > 0.05));
    let reading = overfitting_text(&text);
    assert!(!reading.contains("large gap"), "{reading}");
    assert!(
        reading.contains("the gap is above 0.05 but within twice its standard error"),
        "{reading}"
    );
}

#[test]
fn adult_flags_only_the_unlimited_tree() {
    let (text, json) = report("adult", &[]);
    let flagged: Vec<Option<usize>> = json
        .tree
        .overfitting
        .iter()
        .filter(|g| g.large_gap)
        .map(|g| g.max_depth)
        .collect();
    assert_eq!(flagged, [None]);
    let reading = overfitting_text(&text);
    assert!(
        reading.contains("With no depth limit, the training accuracy is above the validation"),
        "{reading}"
    );
    assert!(!reading.contains("chosen setting"), "{reading}");
}

#[test]
fn titanic_verdict_names_macro_f1_and_baseline() {
    let (text, json) = report("titanic", &[]);
    let verdict = &json.paired.rules_vs_tree.verdict;
    assert!(
        verdict.contains("runs from -0.4 to 8.8 points and includes zero (no difference)."),
        "{verdict}"
    );
    assert!(
        verdict.ends_with(
            "Macro F1, which weighs every class equally, reads differently: its difference of \
             7.8 points has an interval of 2.5 to 13.1 points, which excludes zero, so by that \
             measure the difference is larger than the resampling noise."
        ),
        "{verdict}"
    );
    let difference = &json.paired.rules_vs_tree.difference;
    assert!(difference.accuracy.low < 0.0 && difference.accuracy.high > 0.0);
    assert!(difference.macro_f1.low > 0.0);

    let baseline = &json.paired.baseline.verdict;
    assert_eq!(
        baseline,
        "The majority-class baseline (always `no`) is right on 162 of the 262 test rows. The \
         rules are right on 199, 37 more: ahead of the baseline, probably not by chance alone \
         (p < 0.001). The tree is right on 188, 26 more: ahead of the baseline, probably not by \
         chance alone (p = 0.001)."
    );
    assert!(text.contains(baseline.as_str()), "the report prints it");
}

#[test]
fn rules_level_with_or_behind_the_baseline() {
    let dir = scratch("verdict-baseline");
    let write = |name: &str, rule: &str| {
        let path = dir.join(name);
        std::fs::write(&path, format!("target survived\ndefault no\n{rule}\n")).unwrap();
        path.to_str().unwrap().to_string()
    };
    let children = write("children.rules", "rule children: age < 5 => yes");
    let men = write("men.rules", "rule men: sex == \"male\" => yes");

    let (_, json) = report_with("data/titanic.csv", &children, &[]);
    let verdict = &json.paired.baseline.verdict;
    assert!(
        verdict.contains(
            "The rules are right on 165, 3 more, which could be chance (p = 0.549), so the rules \
             are level with the baseline within noise."
        ),
        "{verdict}"
    );

    let (_, json) = report_with("data/titanic.csv", &men, &[]);
    let verdict = &json.paired.baseline.verdict;
    assert!(
        verdict.contains(
            "The rules are right on 59, 103 fewer: behind the baseline, probably not by chance \
             alone (p < 0.001)."
        ),
        "{verdict}"
    );
    let against = &json.paired.baseline.rules.table;
    assert_eq!(against.only_second_right - against.only_first_right, 103);
}
