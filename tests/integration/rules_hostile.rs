//! Hostile rule files: each ends in a clear message with exit code 4, never a panic.

use crate::common::{assert_fails, rulebench, scratch};

fn compare_with(rules: &str) -> std::process::Output {
    rulebench(&["compare", "--data", "data/titanic.csv", "--rules", rules])
}

#[test]
fn ten_thousand_parentheses_are_rejected() {
    let output = compare_with("tests/inputs/rules/deep_nesting.rules");
    assert_fails(
        &output,
        4,
        "error: parentheses are nested more than 100 levels deep\n \
         --> tests/inputs/rules/deep_nesting.rules:3:112\n",
    );
    assert_fails(
        &output,
        4,
        "= help: split the condition into several rules or simplify it",
    );
}

#[test]
fn ten_thousand_nots_are_rejected() {
    let output = compare_with("tests/inputs/rules/deep_not.rules");
    assert_fails(
        &output,
        4,
        "error: this condition is nested more than 256 levels deep\n \
         --> tests/inputs/rules/deep_not.rules:3:40017\n",
    );
}

#[test]
fn long_chain_of_minus_signs_is_rejected() {
    let dir = scratch("minus_chain");
    let path = dir.join("minus.rules");
    let text = format!(
        "target survived\nrule r: {}age < 1 => yes\n",
        "-".repeat(200_000)
    );
    std::fs::write(&path, text).unwrap();
    let output = compare_with(path.to_str().unwrap());
    assert_fails(
        &output,
        4,
        "error: this condition is nested more than 256 levels deep",
    );
}

#[test]
fn megabyte_identifier_is_rejected() {
    let dir = scratch("huge_identifier");
    let path = dir.join("huge.rules");
    let text = format!(
        "target survived\nrule r: {} > 1 => yes\n",
        "a".repeat(1 << 20)
    );
    std::fs::write(&path, text).unwrap();
    let output = compare_with(path.to_str().unwrap());
    assert_fails(
        &output,
        4,
        "error: this name is 1048576 characters long; names may have at most 1000\n",
    );
    assert_fails(
        &output,
        4,
        "= help: use a shorter name; rename the column in the data if it is this long",
    );
    let longest = crate::common::stderr(&output)
        .lines()
        .map(str::len)
        .max()
        .unwrap();
    assert!(longest < 200, "the message shows a cut line, not 1 MB");
}

#[test]
fn unknown_escape_is_named() {
    let output = compare_with("tests/inputs/rules/unknown_escape.rules");
    let expected = "\
error: unknown escape `\\a`
 --> tests/inputs/rules/unknown_escape.rules:3:25
  |
3 | rule quoted: sex == \"fem\\ale\" => yes
  |                         ^^
  = help: the escapes are `\\\"`, `\\``, `\\\\`, `\\n`, `\\t`, `\\r` and `\\u{HEX}` (such as `\\u{e9}`); write `\\\\` for a backslash
";
    assert_fails(&output, 4, expected);
}

#[test]
fn comparison_with_nan_is_explained() {
    let output = compare_with("tests/inputs/rules/nan_comparison.rules");
    let expected = "\
error: the data has no column `NaN`
 --> tests/inputs/rules/nan_comparison.rules:3:21
  |
3 | rule no_age: age == NaN => yes
  |                     ^^^
  = help: rule files have no `NaN` value: to find rows without a value, write `COLUMN is missing`
";
    assert_fails(&output, 4, expected);
}

#[test]
fn comparison_with_missing_constant_never_fires() {
    let output = rulebench(&["check", "tests/inputs/rules/nan_constant.rules"]);
    assert_eq!(output.status.code(), Some(0));
    let expected = "\
warning: rule `no_age` never fires: its condition is never true
 --> tests/inputs/rules/nan_constant.rules:4:14
  |
4 | rule no_age: age != nothing => yes
  |              ^^^^^^^^^^^^^^
  = help: `age != nothing` is never true: a comparison with a missing value is never true
";
    assert!(crate::common::stdout(&output).starts_with(expected));
}

#[test]
fn latin1_rule_file_is_rejected() {
    let output = compare_with("tests/inputs/rules/latin1.rules");
    assert_fails(
        &output,
        4,
        "error: `tests/inputs/rules/latin1.rules` line 3: the file is not valid UTF-8 (byte \
         0xE9 at offset 30); it may be in Latin-1 or Windows-1252. Save it as UTF-8 and try \
         again.\n",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = scratch("bom_rules");
    let path = dir.join("bom.rules");
    std::fs::write(
        &path,
        "\u{feff}target survived\ndefault no\nrule women: sex == \"female\" => yes\n",
    )
    .unwrap();
    let output = compare_with(path.to_str().unwrap());
    assert!(
        output.status.success(),
        "{}",
        crate::common::stderr(&output)
    );
}

#[test]
fn huge_priority_is_too_large() {
    let dir = scratch("huge_priority");
    let rules = dir.join("huge.rules");
    std::fs::write(
        &rules,
        "target survived\ndefault no\npolicy priority\n\
         rule women [priority 99999999999999999999]: sex == \"female\" => yes\n",
    )
    .unwrap();
    let output = compare_with(rules.to_str().unwrap());
    assert_fails(
        &output,
        4,
        "error: priority `99999999999999999999` is too large: priorities lie within ±1e15",
    );
}

#[test]
fn bad_class_then_same_rule_name() {
    // The first rule is dropped for its unknown escape, so the second is not a duplicate.
    let dir = scratch("bad_class_same_name");
    let rules = dir.join("same_name.rules");
    std::fs::write(
        &rules,
        "target survived\ndefault no\n\
         rule women: sex == \"female\" => \"y\\qes\"\n\
         rule women: sex == \"female\" => yes\n",
    )
    .unwrap();
    let output = rulebench(&["check", rules.to_str().unwrap()]);
    assert_fails(&output, 4, "has 1 error and 0 warnings");
    let report = crate::common::stdout(&output);
    assert!(report.contains("error: unknown escape `\\q`"), "{report}");
    assert!(!report.contains("already defined"), "{report}");
}
