//! A rule file bound to a table's columns and a list of classes, ready to evaluate.

use super::syntax::Comparator;

/// A value in a numeric comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum NumericOperand {
    Column(usize),
    Constant(f64),
}

/// A condition with column names resolved to indices and text values to category codes.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Or(Vec<Test>),
    And(Vec<Test>),
    Not(Box<Test>),
    /// Compares two numbers; unknown when either side is missing.
    Numeric {
        left: NumericOperand,
        op: Comparator,
        right: NumericOperand,
    },
    /// `column == "text"` or `!=`. `code` is `None` when no row of the data holds the text,
    /// so equality is false on every row with a value.
    CategoryEquals {
        column: usize,
        code: Option<u32>,
        negated: bool,
    },
    /// Compares two text columns; `right_code_of[left code]` is the right column's code for
    /// the same text, or `None`.
    CategoryColumns {
        left: usize,
        right: usize,
        right_code_of: Vec<Option<u32>>,
        negated: bool,
    },
    /// `column in {...}` on a text column; `members[code]` says whether the category is listed.
    CategoryIn {
        column: usize,
        members: Vec<bool>,
        negated: bool,
    },
    /// `column in {...}` on a numeric column.
    NumericIn {
        column: usize,
        values: Vec<f64>,
        negated: bool,
    },
    IsMissing {
        column: usize,
        negated: bool,
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
}

impl RuleSet {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
