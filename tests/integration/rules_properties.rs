//! Property tests of the parser, checker and formatter, on seeded random input so that a
//! failure reproduces. Formatting keeps the syntax tree and the predictions, formatting
//! twice changes nothing, and no input makes the parser, the checks or the formatter panic.

use std::path::Path;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rulebench::data::{load_csv, Table};
use rulebench::rules::analysis::check_static;
use rulebench::rules::format::{format_file, without_spans};
use rulebench::rules::{bind_rules, evaluate, parse_file, parse_rules, text_columns};

/// Cases per property; enough to reach every construct many times in a second or two.
/// `PROPTEST_CASES=100000 cargo test --test integration rules_properties` runs more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn runner() -> TestRunner {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let seed = [7u8; 32];
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

/// Whitespace between tokens: mostly a space, sometimes a line break or a comment.
fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => Just(" ".to_string()),
        1 => Just("\n    ".to_string()),
        1 => Just("  # note\n  ".to_string()),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["1", "2.5", "1_000", "1e2", ".5", "0", "30", "7.25E-1"])
        .prop_map(str::to_string)
}

fn numeric_column() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["age", "fare", "`petal length (cm)`", "x_1", "`age`"])
        .prop_map(str::to_string)
}

/// Generates a numeric value that reads at least one column.
fn value() -> impl Strategy<Value = String> {
    let leaf = numeric_column();
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                number(),
                gap()
            )
                .prop_map(|(a, op, n, g)| format!("{a}{g}{op} {n}")),
            (
                number(),
                prop::sample::select(vec!["+", "*"]),
                inner.clone()
            )
                .prop_map(|(n, op, a)| format!("{n} {op} {a}")),
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("({a})")),
            (
                prop::sample::select(vec!["abs", "log", "sqrt", "round", "floor", "ceil"]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (
                prop::sample::select(vec!["min", "max"]),
                inner.clone(),
                number()
            )
                .prop_map(|(f, a, n)| format!("{f}({a}, {n}, k)")),
        ]
    })
}

fn string() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        r#""female""#,
        r#""male""#,
        r#""Mr""#,
        r#""a \"quoted\" word""#,
        r#""back\\slash""#,
        r#""tab\tand\u{e9}""#,
        r#""""#,
    ])
    .prop_map(str::to_string)
}

fn text_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "sex",
        "name",
        "lower(sex)",
        "upper(name)",
        "lower(upper(sex))",
    ])
    .prop_map(str::to_string)
}

fn test() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            value(),
            prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]),
            value()
        )
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (
            value(),
            prop::sample::select(vec!["<", ">=", "!="]),
            number()
        )
            .prop_map(|(a, op, n)| format!("{a} {op} {n}")),
        (value(), any::<bool>(), number(), number()).prop_map(|(a, not, l, h)| format!(
            "{a} {}between {l} and {h}",
            if not { "not " } else { "" }
        )),
        (
            value(),
            any::<bool>(),
            prop::collection::vec(number(), 0..3)
        )
            .prop_map(|(a, not, members)| format!(
                "{a} {}in {{{}}}",
                if not { "not " } else { "" },
                members.join(", ")
            )),
        (numeric_column(), any::<bool>())
            .prop_map(|(a, not)| format!("{a} is {}missing", if not { "not " } else { "" })),
        (
            text_value(),
            prop::sample::select(vec!["==", "!="]),
            string()
        )
            .prop_map(|(a, op, s)| format!("{a} {op} {s}")),
        (
            text_value(),
            any::<bool>(),
            prop::collection::vec(string(), 0..3)
        )
            .prop_map(|(a, not, members)| format!(
                "{a} {}in {{{}}}",
                if not { "not " } else { "" },
                members.join(", ")
            )),
        (
            text_value(),
            prop::sample::select(vec!["starts_with", "ends_with", "contains"]),
            string()
        )
            .prop_map(|(a, op, s)| format!("{a} {op} {s}")),
        (text_value(), any::<bool>())
            .prop_map(|(a, not)| format!("{a} {}in names", if not { "not " } else { "" })),
        Just("sex == name".to_string()),
        Just("lower(sex) != upper(name)".to_string()),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    test().prop_recursive(4, 16, 3, |inner| {
        prop_oneof![
            (inner.clone(), gap(), inner.clone()).prop_map(|(a, g, b)| format!("{a}{g}and {b}")),
            (inner.clone(), gap(), inner.clone()).prop_map(|(a, g, b)| format!("{a}{g}or {b}")),
            inner.clone().prop_map(|a| format!("not {a}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("not ({a})")),
        ]
    })
}

fn settings() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just(" [priority 2]".to_string()),
        1 => Just(" [weight 1.5]".to_string()),
        1 => Just(" [priority -1, weight 3]".to_string()),
    ]
}

/// Generates a whole rule file that parses.
fn rule_file() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "",
            "policy first\n",
            "policy priority\n",
            "policy vote\n",
            "policy unique\n",
        ]),
        any::<bool>(),
        prop::collection::vec(
            (
                condition(),
                settings(),
                prop::sample::select(vec!["a", "b", "\"c d\"", "1"]),
            ),
            1..5,
        ),
    )
        .prop_map(|(policy, default, rules)| {
            let mut text = String::from("# random rules\n\ntarget label\n");
            if default {
                text.push_str("default b\n");
            }
            text.push_str(policy);
            text.push_str("let k = 2 * 3\nlet names = {\"Mr Smith\", \"Dr Who\"}\n\n");
            for (index, (condition, settings, class)) in rules.into_iter().enumerate() {
                text.push_str(&format!(
                    "rule r{index}{settings}: {condition} => {class}  # r{index}\n"
                ));
            }
            text
        })
}

fn table(file: &rulebench::rules::RuleFile) -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/rules/properties.csv");
    load_csv(&path, &text_columns(file)).expect("the property data loads")
}

/// Runs `property` on [`cases`] values of `strategy`, reporting the first failing input.
fn check<S: Strategy>(strategy: S, property: impl Fn(&S::Value) -> Result<(), String>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = runner();
    for _ in 0..cases() {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        let value = tree.current();
        if let Err(message) = property(&value) {
            panic!("{message}\ninput: {value:?}");
        }
    }
}

#[test]
fn formatted_rules_parse_to_the_same_tree() {
    check(rule_file(), |text| {
        let file = parse_rules(text).map_err(|d| format!("the input does not parse: {d:?}"))?;
        let formatted = format_file(text, &file);
        let reparsed = parse_rules(&formatted)
            .map_err(|d| format!("the formatted text does not parse: {d:?}\n{formatted}"))?;
        if without_spans(&reparsed) != without_spans(&file) {
            return Err(format!("the tree changed:\n{formatted}"));
        }
        Ok(())
    });
}

#[test]
fn formatting_twice_changes_nothing() {
    check(rule_file(), |text| {
        let file = parse_rules(text).map_err(|d| format!("{d:?}"))?;
        let once = format_file(text, &file);
        let again = format_file(&once, &parse_rules(&once).map_err(|d| format!("{d:?}"))?);
        if once != again {
            return Err(format!("first:\n{once}\nsecond:\n{again}"));
        }
        Ok(())
    });
}

#[test]
fn formatting_keeps_every_prediction() {
    check(rule_file(), |text| {
        let file = parse_rules(text).map_err(|d| format!("{d:?}"))?;
        let formatted = format_file(text, &file);
        let reformatted = parse_rules(&formatted).map_err(|d| format!("{d:?}"))?;
        let data = table(&file);
        let classes: Vec<String> = ["a", "b", "c d", "1"].map(String::from).to_vec();
        let before = bind_rules(&file, &data, &classes, Some("label"))
            .map_err(|d| format!("bind: {d:?}"))?;
        let after = bind_rules(&reformatted, &data, &classes, Some("label"))
            .map_err(|d| format!("bind after formatting: {d:?}"))?;
        let (before, after) = (evaluate(&before, &data), evaluate(&after, &data));
        if before != after {
            return Err(format!("predictions changed:\n{formatted}"));
        }
        Ok(())
    });
}

/// Runs everything that reads rule text on `text`; none of it may panic.
fn read_everything(text: &str) {
    let (file, diagnostics) = parse_file(text);
    if diagnostics.iter().all(|d| !d.is_error()) {
        check_static(&file, text);
        let formatted = format_file(text, &file);
        parse_file(&formatted);
        // Bind to a table with the column names the generators use; unknown names and
        // type mismatches must come back as diagnostics.
        let data = table(&file);
        let mut classes: Vec<String> = file.rules.iter().map(|r| r.class.text.clone()).collect();
        classes.extend(file.default.iter().map(|d| d.text.clone()));
        if let Ok(rules) = bind_rules(&file, &data, &classes, None) {
            evaluate(&rules, &data);
        }
    }
    for diagnostic in &diagnostics {
        diagnostic.render(
            "fuzz.rules",
            &rulebench::rules::diagnostic::LineIndex::new(text),
        );
    }
}

#[test]
fn arbitrary_text_never_panics() {
    check(".{0,300}", |text| {
        read_everything(text);
        Ok(())
    });
}

#[test]
fn token_soup_never_panics() {
    let token = prop::sample::select(vec![
        "rule ",
        "r",
        ":",
        "=>",
        "yes",
        "let ",
        "k",
        "=",
        "2",
        "target ",
        "default ",
        "policy ",
        "vote",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ",",
        "priority ",
        "weight ",
        "age",
        "`a b`",
        "\"s\\q\"",
        "\"x\"",
        "and ",
        "or ",
        "not ",
        "in ",
        "is ",
        "missing ",
        "between ",
        "<",
        "==",
        "+",
        "-",
        "*",
        "/",
        "abs(",
        "min(",
        "lower(",
        "starts_with ",
        "1e999",
        "0/0",
        "\n",
        "# c\n",
        " ",
        "\u{feff}",
        "é",
        "\\",
        "`",
    ]);
    check(prop::collection::vec(token, 0..60), |tokens| {
        read_everything(&tokens.concat());
        Ok(())
    });
}

#[test]
fn shuffled_valid_files_never_panic() {
    check(
        (
            rule_file(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
        ),
        |(text, a, b)| {
            // Cut a valid file at two places and swap the pieces: a nearly valid file.
            let (mut i, mut j) = (a.index(text.len() + 1), b.index(text.len() + 1));
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            while !text.is_char_boundary(j) {
                j -= 1;
            }
            let (i, j) = (i.min(j), i.max(j));
            let mangled = format!("{}{}{}", &text[j..], &text[i..j], &text[..i]);
            read_everything(&mangled);
            Ok(())
        },
    );
}
