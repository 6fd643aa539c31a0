//! The syntax tree of a rule file, with the source span of every name and test so that
//! later checks can point at the text.

/// A byte range in the rule file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleFile {
    pub target: Option<Name>,
    pub default: Option<Name>,
    pub rules: Vec<NamedRule>,
}

/// `rule NAME: CONDITION => CLASS`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedRule {
    pub name: Name,
    pub condition: Condition,
    pub class: Name,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Or(Vec<Condition>),
    And(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        left: Operand,
        op: Comparator,
        right: Operand,
        span: Span,
    },
    /// `COLUMN in {...}`, or `not in` when `negated`.
    InSet {
        column: Name,
        values: Vec<Literal>,
        negated: bool,
        span: Span,
    },
    /// `COLUMN is missing`, or `is not missing` when `negated`.
    IsMissing {
        column: Name,
        negated: bool,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Less => "<",
            Comparator::LessEqual => "<=",
            Comparator::Greater => ">",
            Comparator::GreaterEqual => ">=",
            Comparator::Equal => "==",
            Comparator::NotEqual => "!=",
        }
    }

    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub fn mirrored(self) -> Comparator {
        match self {
            Comparator::Less => Comparator::Greater,
            Comparator::LessEqual => Comparator::GreaterEqual,
            Comparator::Greater => Comparator::Less,
            Comparator::GreaterEqual => Comparator::LessEqual,
            other => other,
        }
    }

    pub fn is_ordering(self) -> bool {
        !matches!(self, Comparator::Equal | Comparator::NotEqual)
    }

    pub fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Comparator::Less => left < right,
            Comparator::LessEqual => left <= right,
            Comparator::Greater => left > right,
            Comparator::GreaterEqual => left >= right,
            Comparator::Equal => left == right,
            Comparator::NotEqual => left != right,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Column(Name),
    Literal(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number { value: f64, span: Span },
    Text { value: String, span: Span },
}

impl Literal {
    pub fn span(&self) -> Span {
        match self {
            Literal::Number { span, .. } | Literal::Text { span, .. } => *span,
        }
    }
}

impl Operand {
    pub fn span(&self) -> Span {
        match self {
            Operand::Column(name) => name.span,
            Operand::Literal(literal) => literal.span(),
        }
    }
}
