//! Evaluates a [`RuleSet`] over a table, a block of rows at a time.

use super::compiled::{NumericOperand, RuleSet, Test};
use super::truth::Truth;
use crate::data::{ColumnData, Table, MISSING_CODE};

/// Rows evaluated together; a multiple of 64 so blocks fill whole words.
const BLOCK_ROWS: usize = 4096;

/// Which rules fire on which rows, and the outcome under first-match.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// `fires[rule]` has bit `row` set when the rule's condition is true on that row.
    pub fires: Vec<Vec<u64>>,
    /// The first rule in file order whose condition is true, per row.
    pub winner: Vec<Option<u32>>,
}

impl Firing {
    pub fn rule_fires(&self, rule: usize, row: usize) -> bool {
        self.fires[rule][row / 64] & (1 << (row % 64)) != 0
    }
}

/// The outcome of the rules for each row: the class and the rule that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdicts {
    pub firing: Firing,
    /// The predicted class per row; `None` when no rule fired and there is no default.
    pub classes: Vec<Option<u32>>,
}

/// Evaluates every rule on every row of `table`; the first rule that is true wins, and rows
/// no rule covers get the default class.
pub fn evaluate(rules: &RuleSet, table: &Table) -> Verdicts {
    let rows = table.n_rows();
    let words = Truth::words_for(rows);
    let mut fires = vec![vec![0u64; words]; rules.len()];
    for start in (0..rows).step_by(BLOCK_ROWS) {
        let len = BLOCK_ROWS.min(rows - start);
        for (rule, test) in rules.tests.iter().enumerate() {
            let truth = eval_test(test, table, start, len);
            fires[rule][start / 64..start / 64 + truth.true_bits.len()]
                .copy_from_slice(&truth.true_bits);
        }
    }

    let winner: Vec<Option<u32>> = (0..rows)
        .map(|row| {
            (0..rules.len())
                .find(|&rule| fires[rule][row / 64] & (1 << (row % 64)) != 0)
                .map(|rule| rule as u32)
        })
        .collect();
    let classes = winner
        .iter()
        .map(|w| match w {
            Some(rule) => Some(rules.classes[*rule as usize]),
            None => rules.default,
        })
        .collect();
    Verdicts {
        firing: Firing { fires, winner },
        classes,
    }
}

fn eval_test(test: &Test, table: &Table, start: usize, len: usize) -> Truth {
    match test {
        Test::Or(parts) => fold(parts, table, start, len, Truth::or),
        Test::And(parts) => fold(parts, table, start, len, Truth::and),
        Test::Not(inner) => eval_test(inner, table, start, len).negate(),
        Test::Numeric { left, op, right } => {
            let left = numeric_values(left, table, start, len);
            let right = numeric_values(right, table, start, len);
            Truth::from_fn(len, |r| {
                let (a, b) = (left.get(r), right.get(r));
                (!a.is_nan() && !b.is_nan()).then(|| op.holds(a, b))
            })
        }
        Test::CategoryEquals {
            column,
            code,
            negated,
        } => {
            let codes = &categorical(table, *column)[start..start + len];
            Truth::from_fn(len, |r| {
                (codes[r] != MISSING_CODE).then(|| (Some(codes[r]) == *code) != *negated)
            })
        }
        Test::CategoryColumns {
            left,
            right,
            right_code_of,
            negated,
        } => {
            let left = &categorical(table, *left)[start..start + len];
            let right = &categorical(table, *right)[start..start + len];
            Truth::from_fn(len, |r| {
                (left[r] != MISSING_CODE && right[r] != MISSING_CODE)
                    .then(|| (right_code_of[left[r] as usize] == Some(right[r])) != *negated)
            })
        }
        Test::CategoryIn {
            column,
            members,
            negated,
        } => {
            let codes = &categorical(table, *column)[start..start + len];
            Truth::from_fn(len, |r| {
                (codes[r] != MISSING_CODE).then(|| members[codes[r] as usize] != *negated)
            })
        }
        Test::NumericIn {
            column,
            values,
            negated,
        } => {
            let column = &numeric(table, *column)[start..start + len];
            Truth::from_fn(len, |r| {
                (!column[r].is_nan()).then(|| values.contains(&column[r]) != *negated)
            })
        }
        Test::IsMissing { column, negated } => {
            let column = &table.columns[*column];
            Truth::from_fn(len, |r| Some(column.is_missing(start + r) != *negated))
        }
    }
}

fn fold(
    parts: &[Test],
    table: &Table,
    start: usize,
    len: usize,
    combine: fn(Truth, &Truth) -> Truth,
) -> Truth {
    let mut parts = parts.iter();
    let first = parts
        .next()
        .expect("`and` and `or` have at least two parts");
    let mut acc = eval_test(first, table, start, len);
    for part in parts {
        acc = combine(acc, &eval_test(part, table, start, len));
    }
    acc
}

/// A numeric operand over a block: a slice of a column or one constant for every row.
enum Values<'a> {
    Slice(&'a [f64]),
    Constant(f64),
}

impl Values<'_> {
    fn get(&self, row: usize) -> f64 {
        match self {
            Values::Slice(values) => values[row],
            Values::Constant(value) => *value,
        }
    }
}

fn numeric_values<'a>(
    operand: &NumericOperand,
    table: &'a Table,
    start: usize,
    len: usize,
) -> Values<'a> {
    match operand {
        NumericOperand::Column(index) => Values::Slice(&numeric(table, *index)[start..start + len]),
        NumericOperand::Constant(value) => Values::Constant(*value),
    }
}

fn numeric(table: &Table, index: usize) -> &[f64] {
    match &table.columns[index].data {
        ColumnData::Numeric(values) => values,
        ColumnData::Categorical { .. } => unreachable!("binding checked the column is numeric"),
    }
}

fn categorical(table: &Table, index: usize) -> &[u32] {
    match &table.columns[index].data {
        ColumnData::Categorical { codes, .. } => codes,
        ColumnData::Numeric(_) => unreachable!("binding checked the column is categorical"),
    }
}
