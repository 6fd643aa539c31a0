//! Evaluates a [`RuleSet`] over a table, a block of rows at a time, then combines the rules
//! that are true on each row under the file's hit policy.

use super::compiled::{NumericExpr, RuleSet, Test};
use super::constants::apply_function;
use super::syntax::HitPolicy;
use super::truth::Truth;
use crate::data::{ColumnData, Table, MISSING_CODE};

/// Rows evaluated together; a multiple of 64 so blocks fill whole words.
const BLOCK_ROWS: usize = 4096;

/// The rows each rule fires on, and the rule that decided each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// `fires[rule]` has bit `row` set when the rule's condition is true on that row.
    pub fires: Vec<Vec<u64>>,
    /// The rule that decided each row, `None` where no rule fired. Under `first`, it is the
    /// first true rule in file order. Under `priority`, it is the true rule with the highest
    /// priority (ties in file order). Under `vote`, it is the first true rule in file order
    /// among those voting for the winning class. Under `unique`, it is the one true rule,
    /// or on a conflict the first true rule in file order, and the row then gets no class.
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
    /// The predicted class per row; `None` (the row abstains) when no rule fired and there
    /// is no default, or on a conflict under `unique`.
    pub classes: Vec<Option<u32>>,
    /// The hit policy the rules were combined with.
    pub policy: HitPolicy,
    /// Under `unique`, the number of true rules on each row where more than one is true;
    /// 0 on every other row and under the other policies.
    pub conflicts: Vec<u32>,
}

impl Verdicts {
    /// Rows where more than one rule fired under `unique`.
    pub fn conflict_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.conflicts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(row, _)| row)
    }
}

/// Evaluates every rule on every row of `table` and combines them under the rules' hit
/// policy. Rows that no rule covers get the default class, or none without a default.
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

    let mut conflicts = vec![0u32; rows];
    let winner = match rules.policy {
        HitPolicy::First | HitPolicy::Priority => {
            first_in_order(&fires, &rules.decision_order(), rows)
        }
        HitPolicy::Vote => vote(rules, &fires, rows),
        HitPolicy::Unique => {
            let winner = first_in_order(&fires, &rules.decision_order(), rows);
            for (row, count) in conflicts.iter_mut().enumerate() {
                let firing = (0..rules.len())
                    .filter(|&rule| fires[rule][row / 64] & (1 << (row % 64)) != 0)
                    .count() as u32;
                if firing > 1 {
                    *count = firing;
                }
            }
            winner
        }
    };
    let classes = winner
        .iter()
        .zip(&conflicts)
        .map(|(w, &conflict)| match w {
            _ if conflict > 0 => None,
            Some(rule) => Some(rules.classes[*rule as usize]),
            None => rules.default,
        })
        .collect();
    Verdicts {
        firing: Firing { fires, winner },
        classes,
        policy: rules.policy,
        conflicts,
    }
}

/// For each row, the first rule in `order` that fires there.
fn first_in_order(fires: &[Vec<u64>], order: &[usize], rows: usize) -> Vec<Option<u32>> {
    let mut winner = vec![None; rows];
    let mut undecided: Vec<u64> = (0..Truth::words_for(rows))
        .map(|word| {
            let left = rows - word * 64;
            if left >= 64 {
                u64::MAX
            } else {
                (1u64 << left) - 1
            }
        })
        .collect();
    for &rule in order {
        for (word, open) in undecided.iter_mut().enumerate() {
            let mut taken = fires[rule][word] & *open;
            *open &= !taken;
            while taken != 0 {
                let bit = taken.trailing_zeros() as usize;
                winner[word * 64 + bit] = Some(rule as u32);
                taken &= taken - 1;
            }
        }
    }
    winner
}

/// Picks the weighted majority of the true rules on each row. A tie goes to the class whose
/// first true rule comes first in the file, and the winner is that class's first true rule.
fn vote(rules: &RuleSet, fires: &[Vec<u64>], rows: usize) -> Vec<Option<u32>> {
    let mut totals = vec![0.0f64; rules.class_names.len().max(1)];
    let mut first_rule: Vec<Option<u32>> = vec![None; totals.len()];
    (0..rows)
        .map(|row| {
            totals.iter_mut().for_each(|t| *t = 0.0);
            first_rule.iter_mut().for_each(|r| *r = None);
            let mut best: Option<(f64, u32)> = None;
            for (rule, bits) in fires.iter().enumerate() {
                if bits[row / 64] & (1 << (row % 64)) == 0 {
                    continue;
                }
                let class = rules.classes[rule] as usize;
                totals[class] += rules.weights[rule];
                first_rule[class].get_or_insert(rule as u32);
            }
            // Visit classes in the order their first true rule appears, so a tie keeps the
            // earlier one.
            let mut candidates: Vec<(u32, usize)> = first_rule
                .iter()
                .enumerate()
                .filter_map(|(class, rule)| rule.map(|r| (r, class)))
                .collect();
            candidates.sort_unstable();
            for (rule, class) in candidates {
                if best.is_none_or(|(total, _)| totals[class] > total) {
                    best = Some((totals[class], rule));
                }
            }
            best.map(|(_, rule)| rule)
        })
        .collect()
}

fn eval_test(test: &Test, table: &Table, start: usize, len: usize) -> Truth {
    match test {
        Test::Or(parts) => fold(parts, table, start, len, Truth::or),
        Test::And(parts) => fold(parts, table, start, len, Truth::and),
        Test::Not(inner) => eval_test(inner, table, start, len).negate(),
        Test::Compare { left, op, right } => {
            let left = numeric_values(left, table, start, len);
            let right = numeric_values(right, table, start, len);
            Truth::from_fn(len, |r| {
                let (a, b) = (left.get(r), right.get(r));
                (!a.is_nan() && !b.is_nan()).then(|| op.holds(a, b))
            })
        }
        Test::Between { value, low, high } => {
            let value = numeric_values(value, table, start, len);
            let low = numeric_values(low, table, start, len);
            let high = numeric_values(high, table, start, len);
            Truth::from_fn(len, |r| {
                let (x, a, b) = (value.get(r), low.get(r), high.get(r));
                (!x.is_nan() && !a.is_nan() && !b.is_nan()).then_some(a <= x && x <= b)
            })
        }
        Test::NumberIn { value, members } => {
            let value = numeric_values(value, table, start, len);
            Truth::from_fn(len, |r| {
                let x = value.get(r);
                (!x.is_nan()).then(|| members.contains(&x))
            })
        }
        Test::NumberMissing(value) => {
            let value = numeric_values(value, table, start, len);
            Truth::from_fn(len, |r| Some(value.get(r).is_nan()))
        }
        Test::Category { column, members } => {
            let codes = &categorical(table, *column)[start..start + len];
            Truth::from_fn(len, |r| {
                (codes[r] != MISSING_CODE).then(|| members[codes[r] as usize])
            })
        }
        Test::CategoryMissing(column) => {
            let codes = &categorical(table, *column)[start..start + len];
            Truth::from_fn(len, |r| Some(codes[r] == MISSING_CODE))
        }
        Test::CategoryColumns {
            left,
            right,
            left_keys,
            right_keys,
            equal,
        } => {
            let left = &categorical(table, *left)[start..start + len];
            let right = &categorical(table, *right)[start..start + len];
            Truth::from_fn(len, |r| {
                (left[r] != MISSING_CODE && right[r] != MISSING_CODE).then(|| {
                    (left_keys[left[r] as usize] == right_keys[right[r] as usize]) == *equal
                })
            })
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

/// A numeric value over a block: a slice of a column, computed values, or one constant
/// for every row. NaN stands for a missing value.
enum Values<'a> {
    Slice(&'a [f64]),
    Owned(Vec<f64>),
    Constant(f64),
}

impl Values<'_> {
    fn get(&self, row: usize) -> f64 {
        match self {
            Values::Slice(values) => values[row],
            Values::Owned(values) => values[row],
            Values::Constant(value) => *value,
        }
    }

    fn map(self, len: usize, f: impl Fn(f64) -> f64) -> Values<'static> {
        match self {
            Values::Constant(value) => Values::Constant(f(value)),
            other => Values::Owned((0..len).map(|r| f(other.get(r))).collect()),
        }
    }
}

fn numeric_values<'a>(
    expr: &NumericExpr,
    table: &'a Table,
    start: usize,
    len: usize,
) -> Values<'a> {
    match expr {
        NumericExpr::Column(index) => Values::Slice(&numeric(table, *index)[start..start + len]),
        NumericExpr::Constant(value) => Values::Constant(*value),
        NumericExpr::Negate(operand) => numeric_values(operand, table, start, len).map(len, |x| -x),
        NumericExpr::Binary { op, left, right } => {
            let left = numeric_values(left, table, start, len);
            let right = numeric_values(right, table, start, len);
            Values::Owned(
                (0..len)
                    .map(|r| op.apply(left.get(r), right.get(r)))
                    .collect(),
            )
        }
        NumericExpr::Call {
            function,
            arguments,
        } => {
            let arguments: Vec<Values> = arguments
                .iter()
                .map(|a| numeric_values(a, table, start, len))
                .collect();
            let mut inputs = vec![0.0; arguments.len()];
            Values::Owned(
                (0..len)
                    .map(|r| {
                        for (input, argument) in inputs.iter_mut().zip(&arguments) {
                            *input = argument.get(r);
                        }
                        apply_function(*function, &inputs)
                    })
                    .collect(),
            )
        }
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
