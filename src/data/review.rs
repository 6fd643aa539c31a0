//! Warnings about data that loads and trains without error but can mislead: numbers read as
//! text, spellings that differ only in case, ID-like, constant and empty columns, classes
//! too rare for the test rows, and rows without a label.
//!
//! Each function returns complete sentences; callers print them as `warning: ...` and put
//! them in the comparison's `warnings`.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::assemble::{CategorySummary, ColumnSummary};
use super::labels::Labels;
use super::numbers::{parse_number, Number};
use super::options::shell_word;
use super::split::Split;
use super::table::{Column, ColumnData, Table};

/// Below this many rows, a column with a distinct value per row is too common to be worth
/// a warning.
pub const MIN_ROWS_FOR_ID_WARNING: usize = 20;

/// How many examples a warning lists before it says "and N more".
const SHOWN: usize = 3;

/// Warnings about how the loader typed the columns `names`, from their `summaries`.
/// `forced_text` names the columns read as text on request, which are not reviewed for
/// numbers; `allow_comma` tells whether `5,1` counted as a number while loading.
pub fn review_loaded_columns(
    names: &[String],
    summaries: &[ColumnSummary],
    forced_text: &BTreeSet<String>,
    allow_comma: bool,
    file: &str,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (name, summary) in names.iter().zip(summaries) {
        let ColumnSummary::Categorical(summary) = summary else {
            continue;
        };
        if !forced_text.contains(name) {
            let numeric: Vec<bool> = summary
                .levels
                .iter()
                .map(|l| matches!(parse_number(l, allow_comma), Number::Value(..)))
                .collect();
            if let Some(warning) = numbers_read_as_text(name, summary, &numeric, file) {
                warnings.push(warning);
            }
        }
        if let Some(warning) = case_variants(name, summary, file) {
            warnings.push(warning);
        }
    }
    warnings
}

/// Warns when most values of a text column are numbers, so that a few stray values (`12 kg`,
/// `unknown`) turned a numeric column into categories.
fn numbers_read_as_text(
    name: &str,
    summary: &CategorySummary,
    numeric: &[bool],
    file: &str,
) -> Option<String> {
    if !numeric.contains(&true) {
        return None;
    }
    let present: usize = summary.counts.iter().sum();
    let numbers: usize = summary
        .counts
        .iter()
        .zip(numeric)
        .filter(|(_, &is_number)| is_number)
        .map(|(count, _)| count)
        .sum();
    if numbers * 2 <= present {
        return None;
    }
    // The first line of each value that is not a number, in order of appearance.
    let mut first_lines: Vec<(u64, &str)> = summary
        .levels
        .iter()
        .zip(&summary.first_lines)
        .zip(numeric)
        .filter(|(_, &is_number)| !is_number)
        .map(|((level, &line), _)| (line, level.as_str()))
        .collect();
    first_lines.sort_unstable();
    let mut shown: Vec<String> = first_lines
        .iter()
        .take(SHOWN)
        .map(|&(line, level)| format!("`{level}` (first on line {line})"))
        .collect();
    if first_lines.len() > SHOWN {
        shown.push(format!("{} more", first_lines.len() - SHOWN));
    }
    Some(format!(
        "`{file}`: column `{name}` is read as categories, although {numbers} of its {present} \
         values are numbers. The others are {}. Write NA where a value is missing, or pass \
         --categorical {} to confirm that the column holds categories.",
        join_words(&shown),
        shell_word(name)
    ))
}

/// Warns about columns of numbers that the rules compare with text (`rule_text`): the rules
/// make them text columns, so the tree, too, treats their values as categories instead of
/// splitting them at thresholds. Columns in `categorical` were meant as categories.
pub fn rule_text_warnings(
    table: &Table,
    rule_text: &[&str],
    categorical: &[String],
    target: &str,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for &name in rule_text {
        if name == target || categorical.iter().any(|c| c == name) {
            continue;
        }
        let Some(column) = table.column_index(name).map(|i| &table.columns[i]) else {
            continue;
        };
        let ColumnData::Categorical { levels, .. } = &column.data else {
            continue;
        };
        let all_numbers = levels
            .iter()
            .all(|level| matches!(parse_number(level, true), Number::Value(..)));
        if levels.is_empty() || !all_numbers {
            continue;
        }
        warnings.push(format!(
            "the rules compare column `{name}`, whose values are all numbers, with text (a \
             quoted string, a set of strings or a text test), so it is read as text: the tree \
             then treats its {} distinct values as categories instead of splitting at thresholds. \
             Compare it with numbers, such as `{name} == 1` instead of `{name} == \"1\"`, or \
             pass --categorical {} to keep it as categories without this warning.",
            levels.len(),
            shell_word(name)
        ));
    }
    warnings
}

/// Warns when two values of a text column differ only in letter case, such as `Yes` and `yes`:
/// they stay apart, as rule comparisons are case-sensitive too.
fn case_variants(name: &str, summary: &CategorySummary, file: &str) -> Option<String> {
    let levels = &summary.levels;
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (code, level) in levels.iter().enumerate() {
        groups.entry(level.to_lowercase()).or_default().push(code);
    }
    // Levels are sorted, so ordering the groups by their first level is deterministic.
    let mut clashes: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() > 1).collect();
    clashes.sort_unstable_by_key(|group| group[0]);
    let first = clashes.first()?;
    let spellings: Vec<String> = first
        .iter()
        .map(|&code| {
            let rows = count_of(summary.counts[code], "row");
            format!("`{}` ({rows})", levels[code])
        })
        .collect();
    let which = match clashes.len() {
        1 => "values that differ only in case:".to_string(),
        n => format!("{n} groups of values that differ only in case, such as"),
    };
    Some(format!(
        "`{file}`: column `{name}` has {which} {}. They count as different values (and as \
         different classes in the target column); write them alike if they mean the same.",
        join_words(&spellings)
    ))
}

/// The feature columns worth training on, and warnings about the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureReview {
    /// The given columns without those that have no values at all or a different text in
    /// every row.
    pub kept: Vec<usize>,
    pub warnings: Vec<String>,
}

/// Reviews the feature columns of `table`: warns about ID-like and constant columns, and
/// leaves out columns without a single value and text columns with a different value in
/// every row.
pub fn review_features(table: &Table, columns: &[usize]) -> FeatureReview {
    let mut review = FeatureReview {
        kept: Vec::with_capacity(columns.len()),
        warnings: Vec::new(),
    };
    for &index in columns {
        let column = &table.columns[index];
        let missing = (0..column.len()).filter(|&r| column.is_missing(r)).count();
        if missing == column.len() {
            review.warnings.push(format!(
                "column `{}` has no values (every cell is empty or a missing-value marker), so \
                 the tree leaves it out",
                column.name
            ));
            continue;
        }
        let complete = missing == 0;
        if complete && column.len() >= MIN_ROWS_FOR_ID_WARNING && looks_like_id(column) {
            let ColumnData::Numeric(_) = column.data else {
                // One-hot features of values that never repeat cannot match any new row,
                // and there are as many of them as training rows.
                review.warnings.push(format!(
                    "column `{}` has a different value in each of the {} rows, like a row ID: \
                     a tree could only memorise rows by it, so the tree leaves it out",
                    column.name,
                    column.len()
                ));
                continue;
            };
            review.warnings.push(format!(
                "column `{}` has a different whole number in each of the {} rows, like a row \
                 ID: the tree can memorise rows by it, which does not carry over to new rows. \
                 Remove the column if it is an ID.",
                column.name,
                column.len()
            ));
        } else if complete && is_constant(column) {
            review.warnings.push(format!(
                "column `{}` has the same value `{}` in every row, so it cannot tell the \
                 classes apart",
                column.name,
                column.display_value(0).unwrap_or_default()
            ));
        }
        review.kept.push(index);
    }
    review
}

/// True when a column without missing values has one value in every row.
fn is_constant(column: &Column) -> bool {
    match &column.data {
        ColumnData::Numeric(values) => values.iter().all(|v| *v == values[0]),
        ColumnData::Categorical { codes, .. } => codes.iter().all(|c| *c == codes[0]),
    }
}

/// True when a column without missing values has a different value in each row. Text
/// always can be an ID; numbers only when they are whole numbers, as measurements such as
/// weights are often all distinct without naming rows.
/// The largest number taken for an ID: 2^53. Above it, neighbouring floats are 2 or more
/// apart, so every float is a whole number, measurements included.
const ID_LIMIT: f64 = 9_007_199_254_740_992.0;

fn looks_like_id(column: &Column) -> bool {
    match &column.data {
        ColumnData::Numeric(values) => {
            let mut seen = HashSet::with_capacity(values.len());
            values
                .iter()
                .all(|v| v.fract() == 0.0 && v.abs() <= ID_LIMIT && seen.insert(v.to_bits()))
        }
        ColumnData::Categorical { codes, levels } => levels.len() == codes.len(),
    }
}

/// Warns about classes that the test rows lack although the data has them, and about classes
/// in the test rows that no training row has.
pub fn review_classes(labels: &Labels, split: &Split) -> Vec<String> {
    let count = |rows: &[usize]| {
        let mut counts = vec![0usize; labels.n_classes()];
        for &row in rows {
            if let Some(class) = labels.rows[row] {
                counts[class as usize] += 1;
            }
        }
        counts
    };
    let (train, validation, test) = (
        count(&split.train),
        count(&split.validation),
        count(&split.test),
    );
    let mut warnings = Vec::new();
    for (class, name) in labels.classes.iter().enumerate() {
        let total = train[class] + validation[class] + test[class];
        if total > 0 && test[class] == 0 {
            let parts = if validation[class] == 0 {
                "the training rows"
            } else {
                "the training and validation rows"
            };
            warnings.push(format!(
                "class `{name}` has only {}, which the split puts in {parts}: the test rows \
                 hold none, so the test scores say nothing about this class",
                count_of(total, "labelled row")
            ));
        }
        if train[class] == 0 && test[class] > 0 {
            warnings.push(format!(
                "class `{name}` occurs in {} but in no training row, so the tree and the \
                 baseline cannot predict it",
                count_of(test[class], "test row")
            ));
        }
    }
    warnings
}

/// Warns that rows without a label were left out, naming their lines.
pub fn unlabelled_warning(labels: &Labels, table: &Table) -> Option<String> {
    let lines: Vec<u64> = labels
        .rows
        .iter()
        .zip(&table.line_numbers)
        .filter(|(label, _)| label.is_none())
        .map(|(_, &line)| line)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut shown: Vec<String> = lines.iter().take(SHOWN).map(u64::to_string).collect();
    if lines.len() > SHOWN {
        shown.push(format!("{} more", lines.len() - SHOWN));
    }
    let (noun, verb, line_word) = if lines.len() == 1 {
        ("row has", "was", "line")
    } else {
        ("rows have", "were", "lines")
    };
    Some(format!(
        "{} {noun} no value in `{}` and {verb} left out ({line_word} {})",
        lines.len(),
        labels.column,
        join_words(&shown)
    ))
}

/// `1 row`, `2 rows`: a count and a noun that takes an `s` in the plural.
fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Joins words as a sentence does: `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
