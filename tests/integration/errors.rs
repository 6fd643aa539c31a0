//! Bad input ends in a clear message and the documented exit code, never a panic.

use crate::common::{assert_fails, rulebench, stdout};

#[test]
fn syntax_error_points_at_the_token() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "tests/inputs/syntax_error.rules",
    ]);
    let expected = "\
error: expected an operator (such as `==`, `<`, `+`, `in`, `between` or `is missing`), `and`, `or` or `=>` followed by the class, found `=`
 --> tests/inputs/syntax_error.rules:5:17
  |
5 | rule young: age = 10 => yes
  |                 ^
  = help: write `==` to test equality
";
    assert_fails(&output, 4, expected);
}

#[test]
fn unknown_column_suggests_closest_name() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "tests/inputs/unknown_column.rules",
    ]);
    let expected = "\
error: the data has no column `sexx`
 --> tests/inputs/unknown_column.rules:3:13
  |
3 | rule women: sexx == \"female\" => yes
  |             ^^^^
  = help: did you mean `sex`?
";
    assert_fails(&output, 4, expected);
}

#[test]
fn unknown_class_suggests_closest_class() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "tests/inputs/unknown_class.rules",
    ]);
    assert_fails(&output, 4, "error: class `yess` never occurs in `survived`");
    assert_fails(&output, 4, "= help: did you mean `yes`?");
}

#[test]
fn infinite_value_is_a_data_error() {
    let output = rulebench(&[
        "compare",
        "--data",
        "tests/inputs/infinite.csv",
        "--rules",
        "tests/inputs/sex_age.rules",
        "--split",
        "40/30/30",
    ]);
    assert_fails(
        &output,
        3,
        "`tests/inputs/infinite.csv` line 3, column `age`: the value is inf, and the decision tree needs finite numbers",
    );
}

#[test]
fn empty_split_is_a_data_error() {
    let output = rulebench(&[
        "compare",
        "--data",
        "tests/inputs/tiny.csv",
        "--rules",
        "tests/inputs/sex_age.rules",
    ]);
    assert_fails(
        &output,
        3,
        "the validation split is empty: the data has only 3 labelled rows",
    );
}

#[test]
fn single_class_is_a_data_error() {
    let output = rulebench(&[
        "compare",
        "--data",
        "tests/inputs/one_class.csv",
        "--rules",
        "tests/inputs/sex_age.rules",
    ]);
    assert_fails(&output, 3, "holds only the class `yes`");
}

#[test]
fn missing_target_column_is_named() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/titanic.rules",
    ]);
    assert_fails(
        &output,
        3,
        "`data/iris.csv` has no column `survived` to use as the target",
    );
}

#[test]
fn missing_file_is_an_io_error() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/nope.csv",
        "--rules",
        "rules/titanic.rules",
    ]);
    assert_fails(&output, 1, "cannot read `data/nope.csv`");
}

#[test]
fn negated_comparison_does_not_fire_on_missing_value() {
    // Rows 2 and 4 have no age: `not (age < 10)` is unknown there, so the rule must not
    // fire, and `age is missing` catches them instead.
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/not_missing.rules",
        "--data",
        "tests/inputs/missing_age.csv",
    ]);
    let text = stdout(&output);
    let expected = "row,prediction,rule\n1,yes,not_young\n2,unknown,unknown_age\n3,no,default\n4,unknown,unknown_age\n";
    assert_eq!(text, expected);
}
