//! rulebench's statistics against scikit-learn, SciPy and statsmodels on the fixed inputs of
//! `tests/fixtures/statistics.json` (written by `tests/fixtures/make_statistics.py`).
//!
//! Tolerances: scores, kappa and agreement rates agree to 1e-12, because they are ratios of
//! the same counts. McNemar p-values agree to a relative 1e-9, because they reach 1e-23, where
//! an absolute tolerance would accept any value. Bootstrap interval ends agree to 0.01: the
//! two draw different random resamples, and 10,000 resamples leave a Monte Carlo error of a
//! few thousandths at the 2.5 % and 97.5 % percentiles (at most 0.004 on these inputs).

use serde::Deserialize;

use crate::common::root;
use rulebench::compare::bootstrap::{paired_bootstrap, BootstrapSettings};
use rulebench::compare::metrics::score;
use rulebench::compare::paired::{mcnemar_exact_p_value, AgreementTable, PredictionAgreement};

const EXACT: f64 = 1e-12;
const P_VALUE_RELATIVE: f64 = 1e-9;
const BOOTSTRAP: f64 = 0.01;

#[derive(Deserialize)]
struct Fixture {
    scores: Vec<ScoresCase>,
    mcnemar: Vec<McNemarCase>,
    paired: Vec<PairedCase>,
    bootstrap: Vec<BootstrapCase>,
}

#[derive(Deserialize)]
struct ScoresCase {
    name: String,
    n_classes: usize,
    truth: Vec<u32>,
    predicted: Vec<Option<u32>>,
    accuracy: f64,
    balanced_accuracy: f64,
    macro_f1: f64,
    kappa: Option<f64>,
    per_class: Vec<ClassCase>,
}

#[derive(Deserialize)]
struct ClassCase {
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    support: u64,
}

#[derive(Deserialize)]
struct McNemarCase {
    b: u64,
    c: u64,
    p_value: f64,
}

#[derive(Deserialize)]
struct PairedCase {
    name: String,
    n_classes: usize,
    truth: Vec<u32>,
    first: Vec<Option<u32>>,
    second: Vec<Option<u32>>,
    table: [[u64; 2]; 2],
    mcnemar_p_value: f64,
    agreement_rate: f64,
    kappa_between: Option<f64>,
}

#[derive(Deserialize)]
struct BootstrapCase {
    name: String,
    n_classes: usize,
    truth: Vec<u32>,
    first: Vec<Option<u32>>,
    second: Vec<Option<u32>>,
    resamples: usize,
    confidence: f64,
    accuracy: IntervalCase,
    macro_f1: IntervalCase,
}

#[derive(Deserialize)]
struct IntervalCase {
    estimate: f64,
    low: f64,
    high: f64,
}

fn fixture() -> Fixture {
    let path = root().join("tests/fixtures/statistics.json");
    let text = std::fs::read_to_string(&path).expect("the fixture is readable");
    serde_json::from_str(&text).expect("the fixture decodes")
}

fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: rulebench {actual}, reference {expected}, tolerance {tolerance}"
    );
}

fn assert_close_optional(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => assert_close(a, e, EXACT, what),
        (a, e) => assert_eq!(a, e, "{what}: one side is undefined"),
    }
}

fn class_names(n: usize) -> Vec<String> {
    (0..n).map(|c| format!("class{c}")).collect()
}

#[test]
fn scores_match_scikit_learn() {
    let cases = fixture().scores;
    assert!(cases.len() >= 5);
    for case in &cases {
        let scores = score(&case.truth, &case.predicted, &class_names(case.n_classes));
        let name = &case.name;
        assert_close(
            scores.accuracy,
            case.accuracy,
            EXACT,
            &format!("{name}: accuracy"),
        );
        assert_close(
            scores.balanced_accuracy,
            case.balanced_accuracy,
            EXACT,
            &format!("{name}: balanced accuracy"),
        );
        assert_close(
            scores.macro_f1,
            case.macro_f1,
            EXACT,
            &format!("{name}: macro F1"),
        );
        assert_close_optional(scores.kappa, case.kappa, &format!("{name}: kappa"));
        for (c, expected) in case.per_class.iter().enumerate() {
            let actual = &scores.per_class[c];
            let what = format!("{name}: class {c}");
            assert_close_optional(
                actual.precision,
                expected.precision,
                &format!("{what} precision"),
            );
            assert_close_optional(actual.recall, expected.recall, &format!("{what} recall"));
            assert_close_optional(actual.f1, expected.f1, &format!("{what} F1"));
            assert_eq!(actual.support, expected.support, "{what} support");
        }
    }
}

#[test]
fn never_predicted_class_has_no_precision() {
    let cases = fixture().scores;
    let case = cases
        .iter()
        .find(|c| c.name == "three classes, one never predicted")
        .expect("the case is in the fixture");
    let scores = score(&case.truth, &case.predicted, &class_names(3));
    assert_eq!(case.per_class[2].precision, None);
    assert_eq!(scores.per_class[2].precision, None);
    assert_eq!(scores.per_class[2].f1, Some(0.0));
}

#[test]
fn mcnemar_matches_scipy_and_statsmodels() {
    let cases = fixture().mcnemar;
    assert!(
        cases.iter().any(|c| c.p_value < 1e-20),
        "a tiny p-value is covered"
    );
    for case in &cases {
        let p = mcnemar_exact_p_value(case.b, case.c);
        let relative = (p - case.p_value).abs() / case.p_value;
        assert!(
            relative <= P_VALUE_RELATIVE,
            "b {} c {}: rulebench {p}, reference {}",
            case.b,
            case.c,
            case.p_value
        );
    }
}

#[test]
fn paired_table_and_agreement_match_references() {
    for case in &fixture().paired {
        let name = &case.name;
        let table = AgreementTable::new(&case.truth, &case.first, &case.second);
        assert_eq!(table.both_right, case.table[0][0], "{name}: both right");
        assert_eq!(
            table.only_first_right, case.table[0][1],
            "{name}: only first"
        );
        assert_eq!(
            table.only_second_right, case.table[1][0],
            "{name}: only second"
        );
        assert_eq!(table.both_wrong, case.table[1][1], "{name}: both wrong");

        let p = mcnemar_exact_p_value(table.only_first_right, table.only_second_right);
        assert!(
            (p - case.mcnemar_p_value).abs() / case.mcnemar_p_value <= P_VALUE_RELATIVE,
            "{name}: p {p} against {}",
            case.mcnemar_p_value
        );

        let agreement = PredictionAgreement::new(&case.first, &case.second, case.n_classes);
        assert_close(
            agreement.rate,
            case.agreement_rate,
            EXACT,
            &format!("{name}: agreement"),
        );
        assert_close_optional(
            agreement.kappa,
            case.kappa_between,
            &format!("{name}: kappa"),
        );
    }
}

#[test]
fn bootstrap_intervals_match_scipy() {
    for case in &fixture().bootstrap {
        let settings = BootstrapSettings {
            resamples: case.resamples,
            confidence: case.confidence,
            seed: 42,
        };
        let d = paired_bootstrap(
            &case.truth,
            &case.first,
            &case.second,
            case.n_classes,
            &settings,
        );
        let name = &case.name;
        for (what, actual, expected) in [
            ("accuracy", &d.accuracy, &case.accuracy),
            ("macro F1", &d.macro_f1, &case.macro_f1),
        ] {
            assert_close(
                actual.estimate,
                expected.estimate,
                EXACT,
                &format!("{name}: {what} estimate"),
            );
            assert_close(
                actual.low,
                expected.low,
                BOOTSTRAP,
                &format!("{name}: {what} low"),
            );
            assert_close(
                actual.high,
                expected.high,
                BOOTSTRAP,
                &format!("{name}: {what} high"),
            );
        }
    }
}
