//! A rule file bound to a table's columns and a list of classes, ready to evaluate.

use super::syntax::{ArithmeticOperator, Comparator, Function, HitPolicy};

/// A numeric value per row, with column names resolved to indices and constants folded.
/// A missing value is NaN, and every operator and function gives NaN when an input is NaN.
#[derive(Debug, Clone, PartialEq)]
pub enum NumericExpr {
    Column(usize),
    Constant(f64),
    Negate(Box<NumericExpr>),
    Binary {
        op: ArithmeticOperator,
        left: Box<NumericExpr>,
        right: Box<NumericExpr>,
    },
    Call {
        function: Function,
        arguments: Vec<NumericExpr>,
    },
}

/// A condition with column names resolved to indices and text values to category codes.
/// Every test is unknown on rows where a value it reads is missing, except the missing
/// tests themselves, which are always true or false.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Or(Vec<Test>),
    And(Vec<Test>),
    Not(Box<Test>),
    /// Compares two numbers.
    Compare {
        left: NumericExpr,
        op: Comparator,
        right: NumericExpr,
    },
    /// `low <= value <= high`.
    Between {
        value: NumericExpr,
        low: NumericExpr,
        high: NumericExpr,
    },
    /// `value in {members}`.
    NumberIn {
        value: NumericExpr,
        members: Vec<f64>,
    },
    /// True where the value is missing (NaN, including division by zero).
    NumberMissing(NumericExpr),
    /// Any test of one text column against constants (`==`, `!=`, `in`, `starts_with`,
    /// `lower(...)`), decided once per category: `members[code]`.
    Category {
        column: usize,
        members: Vec<bool>,
    },
    /// True where the text column's value is missing.
    CategoryMissing(usize),
    /// Compares two text columns: the values are equal when `left_keys[left code]` equals
    /// `right_keys[right code]`; `equal` is false for `!=`.
    CategoryColumns {
        left: usize,
        right: usize,
        left_keys: Vec<u32>,
        right_keys: Vec<u32>,
        equal: bool,
    },
}

/// The rules of a file, in file order, bound to data.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub names: Vec<String>,
    pub tests: Vec<Test>,
    /// The class index each rule predicts.
    pub classes: Vec<u32>,
    /// The class of rows no rule covers; `None` makes those rows abstain.
    pub default: Option<u32>,
    /// The class names that `classes` and `default` index.
    pub class_names: Vec<String>,
    /// The rule for combining rules that are true on the same row.
    pub policy: HitPolicy,
    /// Each rule's priority (0 when not set); used by [`HitPolicy::Priority`].
    pub priorities: Vec<i64>,
    /// Each rule's weight (1 when not set); used by [`HitPolicy::Vote`].
    pub weights: Vec<f64>,
}

impl RuleSet {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Rule indices in the order the hit policy tries them: file order, or by descending
    /// priority (ties in file order) under [`HitPolicy::Priority`].
    pub fn decision_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        if self.policy == HitPolicy::Priority {
            order.sort_by_key(|&rule| std::cmp::Reverse(self.priorities[rule]));
        }
        order
    }

    /// The table columns that any rule reads, in ascending order.
    pub fn columns_read(&self) -> Vec<usize> {
        let mut columns = Vec::new();
        for test in &self.tests {
            test.collect_columns(&mut columns);
        }
        columns.sort_unstable();
        columns.dedup();
        columns
    }
}

impl Test {
    /// Appends the columns the test reads to `columns`, possibly more than once.
    fn collect_columns(&self, columns: &mut Vec<usize>) {
        match self {
            Test::Or(tests) | Test::And(tests) => {
                for test in tests {
                    test.collect_columns(columns);
                }
            }
            Test::Not(test) => test.collect_columns(columns),
            Test::Compare { left, right, .. } => {
                left.collect_columns(columns);
                right.collect_columns(columns);
            }
            Test::Between { value, low, high } => {
                for expr in [value, low, high] {
                    expr.collect_columns(columns);
                }
            }
            Test::NumberIn { value, .. } | Test::NumberMissing(value) => {
                value.collect_columns(columns);
            }
            Test::Category { column, .. } | Test::CategoryMissing(column) => {
                columns.push(*column);
            }
            Test::CategoryColumns { left, right, .. } => columns.extend([*left, *right]),
        }
    }
}

impl NumericExpr {
    /// Appends the columns the expression reads to `columns`, possibly more than once.
    fn collect_columns(&self, columns: &mut Vec<usize>) {
        match self {
            NumericExpr::Column(column) => columns.push(*column),
            NumericExpr::Constant(_) => {}
            NumericExpr::Negate(operand) => operand.collect_columns(columns),
            NumericExpr::Binary { left, right, .. } => {
                left.collect_columns(columns);
                right.collect_columns(columns);
            }
            NumericExpr::Call { arguments, .. } => {
                for argument in arguments {
                    argument.collect_columns(columns);
                }
            }
        }
    }
}
