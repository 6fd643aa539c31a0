//! Three-valued truth (true, false, unknown) of a condition over a block of rows, as bitmasks.
//!
//! A condition is unknown on a row where a value it reads is missing, and SQL's logic
//! combines the three values: `not unknown` is unknown, `unknown and false` is false,
//! `unknown or true` is true. Instead of carrying both masks through every step, [`mask`]
//! computes one side at a time: the rows where the condition is true, or the rows where it is
//! false. Each side of `and`, `or` and `not` needs only one side of its parts (`a and b` is
//! false where `a` or `b` is false; `not a` is true where `a` is false), so a rule's true
//! rows never need the false rows of its comparisons unless a `not` needs them. Rows
//! where neither side is set are unknown.

use super::bitmask::{pack_codes, pack_pairs, pack_values};
use super::compiled::{NumericExpr, Test};
use super::constants::apply_function;
use super::syntax::Comparator;
use crate::data::{ColumnData, Table, MISSING_CODE};

/// The maximum number of rows in a block: 64 words, so that the columns of a block stay in the
/// processor's cache while its rules are evaluated.
pub const BLOCK_ROWS: usize = 4096;

const BLOCK_WORDS: usize = BLOCK_ROWS / 64;

/// The rows `start..start + len` of a table.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub table: &'a Table,
    pub start: usize,
    pub len: usize,
}

/// Sets `out` (one word per 64 rows of `block`) to the rows where `test` is `want`.
pub fn mask(test: &Test, want: bool, block: &Block, out: &mut [u64]) {
    debug_assert!(block.len <= BLOCK_ROWS);
    debug_assert_eq!(out.len(), block.len.div_ceil(64));
    match test {
        Test::And(parts) | Test::Or(parts) => {
            // `a and b` is true where both are true and false where either is false; `or`
            // is the other way round.
            let intersect = matches!(test, Test::And(_)) == want;
            combine(parts, want, intersect, block, out);
        }
        Test::Not(inner) => mask(inner, !want, block, out),
        Test::Compare { left, op, right } => compare(left, *op, right, want, block, out),
        Test::Between { value, low, high } => {
            let value = numeric_values(value, block);
            let low = numeric_values(low, block);
            let high = numeric_values(high, block);
            between(&value, &low, &high, want, block.len, out);
        }
        Test::NumberIn { value, members } => {
            let value = numeric_values(value, block);
            let holds = |x: f64| !x.is_nan() && members.contains(&x) == want;
            match value {
                Values::Constant(x) => fill(out, block.len, holds(x)),
                other => pack_values(other.slice(), out, holds),
            }
        }
        Test::NumberMissing(value) => match numeric_values(value, block) {
            Values::Constant(x) => fill(out, block.len, x.is_nan() == want),
            other => pack_values(other.slice(), out, |x| x.is_nan() == want),
        },
        Test::Category { column, members } => {
            let codes = codes(block, *column);
            pack_codes(codes, out, |code| {
                members.get(code as usize).is_some_and(|&m| m == want)
            });
        }
        Test::CategoryMissing(column) => {
            let codes = codes(block, *column);
            pack_codes(codes, out, |code| (code == MISSING_CODE) == want);
        }
        Test::CategoryColumns {
            left,
            right,
            left_keys,
            right_keys,
            equal,
        } => {
            let (left, right) = (codes(block, *left), codes(block, *right));
            for (word, (a, b)) in out.iter_mut().zip(left.chunks(64).zip(right.chunks(64))) {
                let mut bits = 0u64;
                for (i, (&a, &b)) in a.iter().zip(b).enumerate() {
                    let known = a != MISSING_CODE && b != MISSING_CODE;
                    let holds = known
                        && ((left_keys[a as usize] == right_keys[b as usize]) == *equal) == want;
                    bits |= u64::from(holds) << i;
                }
                *word = bits;
            }
        }
    }
}

/// Intersects (for `and` true, `or` false) or unites the masks of `parts` into `out`.
fn combine(parts: &[Test], want: bool, intersect: bool, block: &Block, out: &mut [u64]) {
    let (first, rest) = parts
        .split_first()
        .expect("`and` and `or` have at least two parts");
    mask(first, want, block, out);
    let mut part = [0u64; BLOCK_WORDS];
    let part = &mut part[..out.len()];
    for test in rest {
        if intersect && out.iter().all(|&word| word == 0) {
            // Nothing is left to intersect, so the other parts cannot change the result.
            return;
        }
        mask(test, want, block, part);
        for (word, &other) in out.iter_mut().zip(part.iter()) {
            if intersect {
                *word &= other;
            } else {
                *word |= other;
            }
        }
    }
}

/// The comparison that holds exactly where `left op right` is `want` with neither side
/// missing. IEEE comparisons other than `!=` are false when a side is NaN, so each side maps
/// to one ordered comparison: `a < b` is false where `a >= b`, and `a != b` is true where
/// `a < b or a > b`.
fn ordered(op: Comparator, want: bool) -> Comparator {
    if want {
        op
    } else {
        op.negated()
    }
}

fn compare(
    left: &NumericExpr,
    op: Comparator,
    right: &NumericExpr,
    want: bool,
    block: &Block,
    out: &mut [u64],
) {
    let op = ordered(op, want);
    match (numeric_values(left, block), numeric_values(right, block)) {
        (Values::Constant(a), Values::Constant(b)) => {
            fill(out, block.len, holds_ordered(op, a, b));
        }
        (values, Values::Constant(c)) => compare_constant(values.slice(), op, c, out),
        (Values::Constant(c), values) => compare_constant(values.slice(), op.mirrored(), c, out),
        (left, right) => {
            let (left, right) = (left.slice(), right.slice());
            match op {
                Comparator::Less => pack_pairs(left, right, out, |a, b| a < b),
                Comparator::LessEqual => pack_pairs(left, right, out, |a, b| a <= b),
                Comparator::Greater => pack_pairs(left, right, out, |a, b| a > b),
                Comparator::GreaterEqual => pack_pairs(left, right, out, |a, b| a >= b),
                Comparator::Equal => pack_pairs(left, right, out, |a, b| a == b),
                Comparator::NotEqual => pack_pairs(left, right, out, ordered_ne),
            }
        }
    }
}

/// `value op c` for every value, with `op` ordered (false where a value or `c` is NaN).
fn compare_constant(values: &[f64], op: Comparator, c: f64, out: &mut [u64]) {
    match op {
        Comparator::Less => pack_values(values, out, |x| x < c),
        Comparator::LessEqual => pack_values(values, out, |x| x <= c),
        Comparator::Greater => pack_values(values, out, |x| x > c),
        Comparator::GreaterEqual => pack_values(values, out, |x| x >= c),
        Comparator::Equal => pack_values(values, out, |x| x == c),
        Comparator::NotEqual => pack_values(values, out, |x| ordered_ne(x, c)),
    }
}

fn holds_ordered(op: Comparator, a: f64, b: f64) -> bool {
    match op {
        Comparator::NotEqual => ordered_ne(a, b),
        other => other.holds(a, b),
    }
}

/// `a != b` where neither is NaN; `a != b` alone is true when one is NaN.
#[allow(clippy::double_comparisons)]
fn ordered_ne(a: f64, b: f64) -> bool {
    a < b || a > b
}

/// `low <= value <= high` is true where all three are present and the value lies within,
/// and false where all three are present and it lies outside.
fn between(value: &Values, low: &Values, high: &Values, want: bool, len: usize, out: &mut [u64]) {
    let holds = |x: f64, a: f64, b: f64| {
        if want {
            a <= x && x <= b
        } else {
            (x < a && !b.is_nan()) || (x > b && !a.is_nan())
        }
    };
    if let (Values::Slice(_) | Values::Owned(_), Values::Constant(a), Values::Constant(b)) =
        (value, low, high)
    {
        let (a, b) = (*a, *b);
        pack_values(value.slice(), out, |x| holds(x, a, b));
        return;
    }
    for (word, start) in out.iter_mut().zip((0..len).step_by(64)) {
        let mut bits = 0u64;
        for row in start..(start + 64).min(len) {
            let holds = holds(value.get(row), low.get(row), high.get(row));
            bits |= u64::from(holds) << (row - start);
        }
        *word = bits;
    }
}

/// Sets the first `len` bits of `out` to `value` and clears the rest.
fn fill(out: &mut [u64], len: usize, value: bool) {
    out.fill(if value { u64::MAX } else { 0 });
    if value && !len.is_multiple_of(64) {
        if let Some(last) = out.last_mut() {
            *last = (1u64 << (len % 64)) - 1;
        }
    }
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

    /// Returns the values per row; callers handle constants before.
    fn slice(&self) -> &[f64] {
        match self {
            Values::Slice(values) => values,
            Values::Owned(values) => values,
            Values::Constant(_) => unreachable!("constants are handled by the caller"),
        }
    }

    fn map(self, len: usize, f: impl Fn(f64) -> f64) -> Values<'static> {
        match self {
            Values::Constant(value) => Values::Constant(f(value)),
            other => Values::Owned((0..len).map(|r| f(other.get(r))).collect()),
        }
    }
}

fn numeric_values<'a>(expr: &NumericExpr, block: &Block<'a>) -> Values<'a> {
    let len = block.len;
    match expr {
        NumericExpr::Column(index) => {
            Values::Slice(&numeric(block.table, *index)[block.start..block.start + len])
        }
        NumericExpr::Constant(value) => Values::Constant(*value),
        NumericExpr::Negate(operand) => numeric_values(operand, block).map(len, |x| -x),
        NumericExpr::Binary { op, left, right } => {
            let left = numeric_values(left, block);
            let right = numeric_values(right, block);
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
            let arguments: Vec<Values> =
                arguments.iter().map(|a| numeric_values(a, block)).collect();
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

fn codes<'a>(block: &Block<'a>, index: usize) -> &'a [u32] {
    match &block.table.columns[index].data {
        ColumnData::Categorical { codes, .. } => &codes[block.start..block.start + block.len],
        ColumnData::Numeric(_) => unreachable!("binding checked the column is categorical"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::data::Column;
    use crate::rules::syntax::{ArithmeticOperator, Function};

    /// Computes the three-valued truth of `test` on one row directly from SQL's rules.
    pub(crate) fn reference(test: &Test, table: &Table, row: usize) -> Option<bool> {
        let number = |expr: &NumericExpr| value_at(expr, table, row);
        let code = |column: usize| match &table.columns[column].data {
            ColumnData::Categorical { codes, .. } => codes[row],
            ColumnData::Numeric(_) => unreachable!(),
        };
        match test {
            Test::And(parts) => {
                let values: Vec<Option<bool>> =
                    parts.iter().map(|p| reference(p, table, row)).collect();
                if values.contains(&Some(false)) {
                    Some(false)
                } else if values.contains(&None) {
                    None
                } else {
                    Some(true)
                }
            }
            Test::Or(parts) => {
                let values: Vec<Option<bool>> =
                    parts.iter().map(|p| reference(p, table, row)).collect();
                if values.contains(&Some(true)) {
                    Some(true)
                } else if values.contains(&None) {
                    None
                } else {
                    Some(false)
                }
            }
            Test::Not(inner) => reference(inner, table, row).map(|b| !b),
            Test::Compare { left, op, right } => {
                let (a, b) = (number(left), number(right));
                (!a.is_nan() && !b.is_nan()).then(|| op.holds(a, b))
            }
            Test::Between { value, low, high } => {
                let (x, a, b) = (number(value), number(low), number(high));
                (!x.is_nan() && !a.is_nan() && !b.is_nan()).then_some(a <= x && x <= b)
            }
            Test::NumberIn { value, members } => {
                let x = number(value);
                (!x.is_nan()).then(|| members.contains(&x))
            }
            Test::NumberMissing(value) => Some(number(value).is_nan()),
            Test::Category { column, members } => {
                let c = code(*column);
                (c != MISSING_CODE).then(|| members[c as usize])
            }
            Test::CategoryMissing(column) => Some(code(*column) == MISSING_CODE),
            Test::CategoryColumns {
                left,
                right,
                left_keys,
                right_keys,
                equal,
            } => {
                let (a, b) = (code(*left), code(*right));
                (a != MISSING_CODE && b != MISSING_CODE)
                    .then(|| (left_keys[a as usize] == right_keys[b as usize]) == *equal)
            }
        }
    }

    fn value_at(expr: &NumericExpr, table: &Table, row: usize) -> f64 {
        match expr {
            NumericExpr::Column(index) => numeric(table, *index)[row],
            NumericExpr::Constant(value) => *value,
            NumericExpr::Negate(operand) => -value_at(operand, table, row),
            NumericExpr::Binary { op, left, right } => {
                op.apply(value_at(left, table, row), value_at(right, table, row))
            }
            NumericExpr::Call {
                function,
                arguments,
            } => {
                let inputs: Vec<f64> = arguments.iter().map(|a| value_at(a, table, row)).collect();
                apply_function(*function, &inputs)
            }
        }
    }

    /// Two numeric columns with missing values and ties, and two categorical columns.
    pub(crate) fn table(rows: usize, rng: &mut ChaCha8Rng) -> Table {
        let mut number = || match rng.gen_range(0..10) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            _ => f64::from(rng.gen_range(-4..5)) / 2.0,
        };
        let x: Vec<f64> = (0..rows).map(|_| number()).collect();
        let y: Vec<f64> = (0..rows).map(|_| number()).collect();
        let mut code = || match rng.gen_range(0..6) {
            0 => MISSING_CODE,
            c => c % 3,
        };
        let a: Vec<u32> = (0..rows).map(|_| code()).collect();
        let b: Vec<u32> = (0..rows).map(|_| code()).collect();
        let levels = || vec!["p".to_string(), "q".to_string(), "r".to_string()];
        let column = |name: &str, data| Column {
            name: name.to_string(),
            data,
        };
        Table {
            columns: vec![
                column("x", ColumnData::Numeric(x)),
                column("y", ColumnData::Numeric(y)),
                column(
                    "a",
                    ColumnData::Categorical {
                        codes: a,
                        levels: levels(),
                    },
                ),
                column(
                    "b",
                    ColumnData::Categorical {
                        codes: b,
                        levels: levels(),
                    },
                ),
            ],
            line_numbers: (2..rows as u64 + 2).collect(),
        }
    }

    fn random_number(rng: &mut ChaCha8Rng, depth: usize) -> NumericExpr {
        match rng.gen_range(0..if depth == 0 { 3 } else { 6 }) {
            0 | 1 => NumericExpr::Column(rng.gen_range(0..2)),
            2 => NumericExpr::Constant(match rng.gen_range(0..8) {
                0 => f64::NAN,
                c => f64::from(c - 4) / 2.0,
            }),
            3 => NumericExpr::Negate(Box::new(random_number(rng, depth - 1))),
            4 => NumericExpr::Binary {
                op: [
                    ArithmeticOperator::Add,
                    ArithmeticOperator::Subtract,
                    ArithmeticOperator::Multiply,
                    ArithmeticOperator::Divide,
                ][rng.gen_range(0..4)],
                left: Box::new(random_number(rng, depth - 1)),
                right: Box::new(random_number(rng, depth - 1)),
            },
            _ => NumericExpr::Call {
                function: [Function::Abs, Function::Sqrt, Function::Floor][rng.gen_range(0..3)],
                arguments: vec![random_number(rng, depth - 1)],
            },
        }
    }

    pub(crate) fn random_test(rng: &mut ChaCha8Rng, depth: usize) -> Test {
        let leaves = 7;
        let choice = rng.gen_range(0..if depth == 0 { leaves } else { leaves + 3 });
        match choice {
            0 => Test::Compare {
                left: random_number(rng, 2),
                op: Comparator::ALL[rng.gen_range(0..6)],
                right: random_number(rng, 2),
            },
            1 => Test::Between {
                value: random_number(rng, 1),
                low: random_number(rng, 1),
                high: random_number(rng, 1),
            },
            2 => Test::NumberIn {
                value: random_number(rng, 1),
                members: vec![0.5, -1.0, f64::INFINITY],
            },
            3 => Test::NumberMissing(random_number(rng, 1)),
            4 => Test::Category {
                column: 2 + rng.gen_range(0..2),
                members: (0..3).map(|_| rng.gen_bool(0.5)).collect(),
            },
            5 => Test::CategoryMissing(2 + rng.gen_range(0..2)),
            6 => Test::CategoryColumns {
                left: 2,
                right: 3,
                left_keys: vec![0, 1, 2],
                right_keys: vec![1, 1, 2],
                equal: rng.gen_bool(0.5),
            },
            7 => Test::Not(Box::new(random_test(rng, depth - 1))),
            8 => Test::And(
                (0..rng.gen_range(2..4))
                    .map(|_| random_test(rng, depth - 1))
                    .collect(),
            ),
            _ => Test::Or(
                (0..rng.gen_range(2..4))
                    .map(|_| random_test(rng, depth - 1))
                    .collect(),
            ),
        }
    }

    fn row_mask(table: &Table, rows: usize, value: impl Fn(usize) -> bool) -> Vec<u64> {
        let mut words = vec![0u64; rows.div_ceil(64)];
        for row in (0..rows).filter(|&r| value(r)) {
            words[row / 64] |= 1 << (row % 64);
        }
        assert_eq!(table.n_rows(), rows);
        words
    }

    #[test]
    fn masks_match_three_valued_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        // 150 rows: two whole words and a partial one.
        let rows = 150;
        let table = table(rows, &mut rng);
        let block = Block {
            table: &table,
            start: 0,
            len: rows,
        };
        for case in 0..2000 {
            let test = random_test(&mut rng, 3);
            for want in [true, false] {
                let mut out = vec![0u64; rows.div_ceil(64)];
                mask(&test, want, &block, &mut out);
                let expected = row_mask(&table, rows, |row| {
                    reference(&test, &table, row) == Some(want)
                });
                assert_eq!(out, expected, "case {case}, want {want}: {test:?}");
            }
        }
    }

    #[test]
    fn masks_of_a_later_block_read_its_own_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let table = table(200, &mut rng);
        let block = Block {
            table: &table,
            start: 70,
            len: 100,
        };
        for _ in 0..200 {
            let test = random_test(&mut rng, 2);
            let mut out = vec![0u64; 2];
            mask(&test, true, &block, &mut out);
            for row in 0..100 {
                let fired = out[row / 64] & (1 << (row % 64)) != 0;
                assert_eq!(fired, reference(&test, &table, 70 + row) == Some(true));
            }
            assert_eq!(out[1] >> 36, 0, "bits past the block stay clear");
        }
    }
}
