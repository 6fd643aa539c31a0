//! One test per construct of the rule language, on five hand-made rows
//! (`tests/inputs/rules/constructs.csv`) whose outcome can be worked out by hand:
//!
//! | row | age | fare | name       | sex    | petal length (cm) |
//! |-----|-----|------|------------|--------|-------------------|
//! | 1   | 5   | 10   | Mr Smith   | male   | 1.5               |
//! | 2   | 30  | 0    | Mrs Jones  | female | 4.0               |
//! | 3   |     | 100  | Miss Brown | female |                   |
//! | 4   | 70  | -3   | Dr Who     |        | 6.2               |
//! | 5   | 18  | 7.25 | master lee | MALE   | 2.5               |
//!
//! A condition's outcome is written one character per row: `T` true, `F` false, `?` unknown.

use std::path::Path;

use rulebench::data::{load_csv, Table};
use rulebench::rules::{bind_rules, evaluate, parse_rules, text_columns, RuleFile, Verdicts};

const DATA: &str = "tests/inputs/rules/constructs.csv";

fn load(file: &RuleFile) -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    let mut text = text_columns(file);
    text.push("label");
    load_csv(&path, &text).expect("the construct data loads")
}

fn run(text: &str) -> Verdicts {
    let file = parse_rules(text).unwrap_or_else(|d| panic!("{text}\n{d:?}"));
    let table = load(&file);
    let classes = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    let rules = bind_rules(&file, &table, &classes, Some("label"))
        .unwrap_or_else(|d| panic!("{text}\n{d:?}"));
    evaluate(&rules, &table)
}

/// Returns the outcome of `condition` on each row, from the rules `condition` and
/// `not (condition)`.
fn truth(condition: &str) -> String {
    truth_with("", condition)
}

fn truth_with(header: &str, condition: &str) -> String {
    let text = format!(
        "target label\n{header}\nrule is_true: {condition} => a\nrule is_false: not ({condition}) => a\n"
    );
    let verdicts = run(&text);
    (0..5)
        .map(|row| {
            match (
                verdicts.firing.rule_fires(0, row),
                verdicts.firing.rule_fires(1, row),
            ) {
                (true, false) => 'T',
                (false, true) => 'F',
                (false, false) => '?',
                (true, true) => panic!("`{condition}` is both true and false on row {row}"),
            }
        })
        .collect()
}

/// Returns the class predicted for each row under a whole rule file, `-` for no class.
fn predictions(text: &str) -> String {
    let verdicts = run(text);
    verdicts
        .classes()
        .map(|c| match c {
            Some(0) => 'a',
            Some(1) => 'b',
            Some(2) => 'c',
            Some(_) => '!',
            None => '-',
        })
        .collect()
}

#[test]
fn numeric_comparisons() {
    assert_eq!(truth("age < 18"), "TF?FF");
    assert_eq!(truth("age <= 18"), "TF?FT");
    assert_eq!(truth("age > 18"), "FT?TF");
    assert_eq!(truth("age >= 18"), "FT?TT");
    assert_eq!(truth("age == 30"), "FT?FF");
    assert_eq!(truth("age != 30"), "TF?TT");
    assert_eq!(truth("18 > age"), "TF?FF");
}

#[test]
fn column_against_column() {
    assert_eq!(truth("age > fare"), "FT?TT");
    assert_eq!(truth("name == sex"), "FFF?F");
}

#[test]
fn text_comparisons_are_case_sensitive() {
    assert_eq!(truth("sex == \"male\""), "TFF?F");
    assert_eq!(truth("sex != \"male\""), "FTT?T");
    assert_eq!(truth("\"female\" == sex"), "FTT?F");
}

#[test]
fn arithmetic_follows_precedence() {
    // 5 + 10 * 2 = 25, 30 + 0 = 30, missing, 70 - 6 = 64, 18 + 14.5 = 32.5
    assert_eq!(truth("age + fare * 2 > 26"), "FT?TT");
    assert_eq!(truth("(age + fare) * 2 > 60"), "FF?TF");
    assert_eq!(truth("age - fare - 1 == -6"), "TF?FF");
    assert_eq!(truth("-age < -20"), "FT?TF");
    assert_eq!(truth("- -age == age"), "TT?TT");
}

#[test]
fn division_by_zero_is_missing() {
    assert_eq!(truth("age / fare > 0"), "T??FT");
    assert_eq!(truth("age / fare is missing"), "FTTFF");
    assert_eq!(truth("age / 0 is missing"), "TTTTT");
}

#[test]
fn numeric_functions() {
    assert_eq!(truth("abs(fare) == 3"), "FFFTF");
    assert_eq!(truth("min(age, fare) < 6"), "TT?TF");
    assert_eq!(truth("max(age, fare, 20) == 20"), "TF?FT");
    assert_eq!(truth("log(fare) > 2"), "T?T?F");
    assert_eq!(truth("log(fare) is missing"), "FTFTF");
    assert_eq!(truth("sqrt(fare) == 10"), "FFT?F");
    assert_eq!(truth("sqrt(fare) is missing"), "FFFTF");
    assert_eq!(truth("round(fare) == 7"), "FFFFT");
    assert_eq!(truth("floor(fare) == 7"), "FFFFT");
    assert_eq!(truth("ceil(fare) == 8"), "FFFFT");
    assert_eq!(truth("round(-2.5 + fare * 0) == -3"), "TTTTT");
}

#[test]
fn missing_argument_makes_function_missing() {
    assert_eq!(truth("min(age, 1) is missing"), "FFTFF");
    assert_eq!(truth("max(age, 1) is missing"), "FFTFF");
    assert_eq!(truth("abs(age) is missing"), "FFTFF");
}

#[test]
fn between_includes_both_ends() {
    assert_eq!(truth("age between 5 and 30"), "TT?FT");
    assert_eq!(truth("age not between 5 and 30"), "FF?TF");
    assert_eq!(truth("fare between 100 and 0"), "FFFFF");
}

#[test]
fn set_membership() {
    assert_eq!(truth("age in {5, 70}"), "TF?TF");
    assert_eq!(truth("age not in {5, 70}"), "FT?FT");
    assert_eq!(truth("sex in {\"male\", \"MALE\"}"), "TFF?T");
    assert_eq!(truth("sex not in {\"male\", \"MALE\"}"), "FTT?F");
    assert_eq!(truth("age in {}"), "FF?FF");
    assert_eq!(truth("age not in {}"), "TT?TT");
    assert_eq!(truth("fare in {-3, 7.25}"), "FFFTT");
}

#[test]
fn missing_tests_are_never_unknown() {
    assert_eq!(truth("age is missing"), "FFTFF");
    assert_eq!(truth("age is not missing"), "TTFTT");
    assert_eq!(truth("sex is missing"), "FFFTF");
    assert_eq!(truth("`petal length (cm)` is missing"), "FFTFF");
}

#[test]
fn text_tests() {
    assert_eq!(truth("name starts_with \"Mr\""), "TTFFF");
    assert_eq!(truth("name ends_with \"n\""), "FFTFF");
    assert_eq!(truth("name contains \"o\""), "FTTTF");
    assert_eq!(truth("name starts_with \"mr\""), "FFFFF");
    assert_eq!(truth("lower(name) starts_with \"m\""), "TTTFT");
    assert_eq!(truth("upper(sex) == \"MALE\""), "TFF?T");
    assert_eq!(truth("sex contains \"male\""), "TTT?F");
}

#[test]
fn backquoted_column_names() {
    assert_eq!(truth("`petal length (cm)` > 3"), "FT?TF");
    assert_eq!(truth("`age` < 18"), "TF?FF");
}

#[test]
fn constants() {
    let header = "let adult = 18\nlet twice = adult * 2\nlet title = \"Mr\"\nlet kinds = {\"male\", \"MALE\"}";
    assert_eq!(truth_with(header, "age >= adult"), "FT?TT");
    assert_eq!(truth_with(header, "age < twice"), "TT?FT");
    assert_eq!(truth_with(header, "name starts_with title"), "TTFFF");
    assert_eq!(truth_with(header, "sex in kinds"), "TFF?T");
}

#[test]
fn constant_may_share_a_column_name() {
    // A bare name is the constant; the backquoted name is the column.
    assert_eq!(truth_with("let age = 20", "`age` < age"), "TF?FT");
}

#[test]
fn numbers_with_exponents_and_separators() {
    assert_eq!(truth("fare == 1e2"), "FFTFF");
    assert_eq!(truth("fare * 1_000 == 7_250"), "FFFFT");
    assert_eq!(truth("fare == 725E-2"), "FFFFT");
    assert_eq!(truth("fare < .5 + 0.5"), "FTFTF");
}

#[test]
fn string_escapes() {
    let text = "target label\nrule quote: name != \"\\\"Mr\\\"\\t\\u{e9}\\\\\" => a\n";
    let file = parse_rules(text).unwrap();
    let rulebench::rules::syntax::Condition::Compare { right, .. } = &file.rules[0].condition
    else {
        panic!("a comparison");
    };
    let rulebench::rules::syntax::Expr::Text { value, .. } = right else {
        panic!("a string");
    };
    assert_eq!(value, "\"Mr\"\t\u{e9}\\");
}

#[test]
fn comments_anywhere() {
    let condition = "age < 18 # young\n  and # still young\n  sex == \"male\"";
    assert_eq!(truth(condition), "TFFFF");
}

#[test]
fn logic_precedence_and_three_valued_logic() {
    // `not` binds tighter than `and`, which binds tighter than `or`.
    assert_eq!(
        truth("age < 18 or fare > 50 and sex == \"female\""),
        "TFTFF"
    );
    assert_eq!(
        truth("(age < 18 or fare > 50) and sex == \"female\""),
        "FFTFF"
    );
    assert_eq!(truth("not age < 18 and fare > 5"), "FF?FT");
    // Unknown and false is false; unknown or true is true.
    assert_eq!(truth("age < 18 and fare > 50"), "FF?FF");
    assert_eq!(truth("age < 18 or fare > 50"), "TFTFF");
}

#[test]
fn policy_first_takes_file_order() {
    let text = "target label\ndefault c\nrule young: age < 20 => a\nrule cheap: fare < 8 => b\n";
    assert_eq!(predictions(text), "abcba");
}

#[test]
fn policy_priority_takes_highest_priority() {
    let text = "target label\ndefault c\npolicy priority\n\
                rule young [priority 1]: age < 20 => a\nrule cheap [priority 2]: fare < 8 => b\n";
    assert_eq!(predictions(text), "abcbb");
    let verdicts = run(text);
    assert_eq!(
        verdicts.firing.winners().collect::<Vec<_>>(),
        vec![Some(0), Some(1), None, Some(1), Some(1)]
    );
}

#[test]
fn policy_priority_ties_go_to_file_order() {
    let text = "target label\ndefault c\npolicy priority\n\
                rule young [priority 1]: age < 20 => a\nrule cheap [priority 1]: fare < 8 => b\n";
    assert_eq!(predictions(text), "abcba");
}

#[test]
fn policy_vote_weighs_rules() {
    let base = "target label\ndefault c\npolicy vote\n";
    let text = format!(
        "{base}rule young: age < 20 => a\nrule cheap: fare < 8 => b\nrule male: lower(sex) == \"male\" => b\n"
    );
    // Row 5: young (a) against cheap and male (b): b wins two votes to one.
    assert_eq!(predictions(&text), "abcbb");
    let weighted = format!(
        "{base}rule young [weight 3]: age < 20 => a\nrule cheap: fare < 8 => b\nrule male: lower(sex) == \"male\" => b\n"
    );
    assert_eq!(predictions(&weighted), "abcba");
    // The winner is the first rule in file order that voted for the winning class.
    assert_eq!(run(&text).firing.winner(4), Some(1));
}

#[test]
fn policy_vote_ties_go_to_file_order() {
    let text = "target label\ndefault c\npolicy vote\n\
                rule cheap: fare < 8 => b\nrule young: age < 20 => a\n";
    // Row 5 has one vote each; `cheap` comes first.
    assert_eq!(predictions(text), "abcbb");
}

#[test]
fn policy_unique_reports_conflicts() {
    let text = "target label\ndefault c\npolicy unique\n\
                rule young: age < 20 => a\nrule cheap: fare < 8 => b\n";
    let verdicts = run(text);
    assert_eq!(predictions(text), "abcb-");
    let conflicts: Vec<u32> = (0..5).map(|row| verdicts.conflicts(row)).collect();
    assert_eq!(conflicts, vec![0, 0, 0, 0, 2]);
    assert_eq!(verdicts.firing.winner(4), Some(0));
}

#[test]
fn without_default_uncovered_rows_abstain() {
    let text = "target label\nrule young: age < 20 => a\n";
    assert_eq!(predictions(text), "a---a");
}

#[test]
fn class_names_as_word_string_and_number() {
    let file = parse_rules(
        "target label\ndefault \"<=50K\"\nrule a: age < 1 => 1\nrule b: age < 2 => word\n",
    )
    .unwrap();
    assert_eq!(file.default.unwrap().text, "<=50K");
    assert_eq!(file.rules[0].class.text, "1");
    assert_eq!(file.rules[1].class.text, "word");
}

#[test]
fn rule_settings_are_read() {
    let file =
        parse_rules("target label\nrule a [priority -2, weight 0.5]: age < 1 => a\n").unwrap();
    assert_eq!(file.rules[0].priority.as_ref().unwrap().value, -2);
    assert_eq!(file.rules[0].weight.as_ref().unwrap().value, 0.5);
}

#[test]
fn every_example_in_the_reference_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/RULES.md");
    let reference = std::fs::read_to_string(path).unwrap();
    let examples: Vec<&str> = reference
        .split("```text\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap())
        .collect();
    assert!(examples.len() > 10);
    for example in examples {
        if let Err(errors) = parse_rules(example) {
            panic!("{example}\n{errors:?}");
        }
    }
}

#[test]
fn names_beyond_ascii_and_keywords() {
    let file = parse_rules("rule r: größe > 1 and `default` == \"x\" => a\n").unwrap();
    let rulebench::rules::syntax::Condition::And(parts) = &file.rules[0].condition else {
        panic!("an `and`");
    };
    let columns: Vec<String> = parts
        .iter()
        .map(|part| match part {
            rulebench::rules::syntax::Condition::Compare {
                left: rulebench::rules::syntax::Expr::Column(name),
                ..
            } => name.text.clone(),
            other => panic!("a comparison with a column, not {other:?}"),
        })
        .collect();
    assert_eq!(columns, ["größe", "default"]);
    assert!(parse_rules("rule r: default == \"x\" => a\n").is_err());
}
