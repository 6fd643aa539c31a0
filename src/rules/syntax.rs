//! The syntax tree of a rule file, with the source span of every name and test so that
//! later checks can point at the text.
//!
//! Bare names are resolved while parsing: a name that a `let` defines is a [`Expr::Constant`],
//! any other bare name or backquoted name is a [`Expr::Column`]. Parentheses are not kept,
//! because the shape of the tree already gives the grouping.

/// A byte range in the rule file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Returns the smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A name as written (escapes resolved), with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A whole rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFile {
    pub target: Option<Name>,
    pub default: Option<Name>,
    pub policy: Option<PolicyDecl>,
    pub lets: Vec<LetDecl>,
    pub rules: Vec<NamedRule>,
    /// Every statement in file order with its span, for the formatter.
    pub statements: Vec<Statement>,
}

impl RuleFile {
    /// The declared hit policy, or `first`.
    pub fn hit_policy(&self) -> HitPolicy {
        self.policy.as_ref().map_or(HitPolicy::First, |p| p.policy)
    }

    /// The `let` named `name`.
    pub fn constant(&self, name: &str) -> Option<&LetDecl> {
        self.lets.iter().find(|l| l.name.text == name)
    }
}

/// A statement's kind and span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

/// A kind of statement; `Let` and `Rule` index [`RuleFile::lets`] and [`RuleFile::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatementKind {
    Target,
    Default,
    Policy,
    Let(usize),
    Rule(usize),
}

/// The rule for combining rules that are true on the same row, as in DMN decision tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HitPolicy {
    /// The first true rule in file order decides.
    #[default]
    First,
    /// The true rule with the highest priority decides; ties go to file order.
    Priority,
    /// The class with the largest total weight of true rules wins; ties go to the class whose
    /// first true rule comes first in the file.
    Vote,
    /// Exactly one rule may be true; more than one is a conflict and the row gets no class.
    Unique,
}

impl HitPolicy {
    pub const ALL: [HitPolicy; 4] = [
        HitPolicy::First,
        HitPolicy::Priority,
        HitPolicy::Vote,
        HitPolicy::Unique,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            HitPolicy::First => "first",
            HitPolicy::Priority => "priority",
            HitPolicy::Vote => "vote",
            HitPolicy::Unique => "unique",
        }
    }

    pub fn from_keyword(word: &str) -> Option<HitPolicy> {
        HitPolicy::ALL.into_iter().find(|p| p.keyword() == word)
    }
}

/// `policy NAME`.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDecl {
    pub policy: HitPolicy,
    pub span: Span,
}

/// `let NAME = VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    pub name: Name,
    pub value: LetValue,
}

/// The value of a constant.
#[derive(Debug, Clone, PartialEq)]
pub enum LetValue {
    /// A number or a string, possibly computed from other constants.
    Value(Expr),
    /// A set literal, for `in`.
    Set(SetLiteral),
}

/// `rule NAME [priority P, weight W]: CONDITION => CLASS`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedRule {
    pub name: Name,
    pub priority: Option<Priority>,
    pub weight: Option<NumberLiteral>,
    pub condition: Condition,
    pub class: Name,
}

/// `priority P`: a whole number, higher wins under `policy priority`.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub value: i64,
    pub span: Span,
}

/// A number as written (without a sign unless it is a set member or a setting) and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberLiteral {
    pub value: f64,
    pub text: String,
    pub span: Span,
}

/// A condition: true, false or unknown on each row.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Or(Vec<Condition>),
    And(Vec<Condition>),
    Not(Box<Condition>),
    /// `LEFT OP RIGHT`.
    Compare {
        left: Expr,
        op: Comparator,
        right: Expr,
        span: Span,
    },
    /// `VALUE between LOW and HIGH`, both ends included, or `not between` when `negated`.
    Between {
        value: Expr,
        low: Expr,
        high: Expr,
        negated: bool,
        span: Span,
    },
    /// `VALUE in SET`, or `not in` when `negated`.
    In {
        value: Expr,
        set: SetExpr,
        negated: bool,
        span: Span,
    },
    /// `VALUE is missing`, or `is not missing` when `negated`.
    Missing {
        value: Expr,
        negated: bool,
        span: Span,
    },
    /// `VALUE starts_with PATTERN` and the other text tests.
    Text {
        value: Expr,
        op: TextOperator,
        pattern: Expr,
        span: Span,
    },
}

impl Condition {
    /// Returns the text the condition covers, or `None` for `and`, `or` and `not`, which
    /// carry no span of their own.
    pub fn span(&self) -> Option<Span> {
        match self {
            Condition::Or(_) | Condition::And(_) | Condition::Not(_) => None,
            Condition::Compare { span, .. }
            | Condition::Between { span, .. }
            | Condition::In { span, .. }
            | Condition::Missing { span, .. }
            | Condition::Text { span, .. } => Some(*span),
        }
    }

    /// Returns the span from the first to the last test inside.
    pub fn covering_span(&self) -> Span {
        match self {
            Condition::Or(parts) | Condition::And(parts) => {
                let first = parts.first().map(Condition::covering_span);
                let last = parts.last().map(Condition::covering_span);
                match (first, last) {
                    (Some(first), Some(last)) => first.to(last),
                    _ => Span::default(),
                }
            }
            Condition::Not(inner) => inner.covering_span(),
            other => other.span().unwrap_or_default(),
        }
    }
}

/// A value per row: a number or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(NumberLiteral),
    Text {
        value: String,
        span: Span,
    },
    /// A column of the data.
    Column(Name),
    /// A `let` constant.
    Constant(Name),
    /// `-VALUE`.
    Negate {
        operand: Box<Expr>,
        span: Span,
    },
    /// `LEFT OP RIGHT`.
    Binary {
        op: ArithmeticOperator,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    /// `FUNCTION(ARGUMENTS)`.
    Call {
        function: Function,
        arguments: Vec<Expr>,
        span: Span,
    },
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number(number) => number.span,
            Expr::Column(name) | Expr::Constant(name) => name.span,
            Expr::Text { span, .. }
            | Expr::Negate { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Call { span, .. } => *span,
        }
    }
}

/// The set in an `in` test.
#[derive(Debug, Clone, PartialEq)]
pub enum SetExpr {
    Literal(SetLiteral),
    /// A `let` constant that contains a set.
    Constant(Name),
}

/// `{MEMBER, ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLiteral {
    pub members: Vec<SetMember>,
    pub span: Span,
}

/// A member of a set literal.
#[derive(Debug, Clone, PartialEq)]
pub enum SetMember {
    /// A number; `text` keeps its sign.
    Number(NumberLiteral),
    Text {
        value: String,
        span: Span,
    },
}

impl SetMember {
    pub fn span(&self) -> Span {
        match self {
            SetMember::Number(number) => number.span,
            SetMember::Text { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Comparator {
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
}

impl Comparator {
    pub const ALL: [Comparator; 6] = [
        Comparator::Less,
        Comparator::LessEqual,
        Comparator::Greater,
        Comparator::GreaterEqual,
        Comparator::Equal,
        Comparator::NotEqual,
    ];

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

    pub fn from_symbol(symbol: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|c| c.symbol() == symbol)
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

    /// The operator that is true exactly where this one is false (for present values).
    pub fn negated(self) -> Comparator {
        match self {
            Comparator::Less => Comparator::GreaterEqual,
            Comparator::LessEqual => Comparator::Greater,
            Comparator::Greater => Comparator::LessEqual,
            Comparator::GreaterEqual => Comparator::Less,
            Comparator::Equal => Comparator::NotEqual,
            Comparator::NotEqual => Comparator::Equal,
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

/// `+`, `-`, `*` and `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithmeticOperator {
    Add,
    Subtract,
    Multiply,
    Divide,
}

impl ArithmeticOperator {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithmeticOperator::Add => "+",
            ArithmeticOperator::Subtract => "-",
            ArithmeticOperator::Multiply => "*",
            ArithmeticOperator::Divide => "/",
        }
    }

    /// Binding strength: `*` and `/` bind tighter than `+` and `-`.
    pub fn precedence(self) -> u8 {
        match self {
            ArithmeticOperator::Add | ArithmeticOperator::Subtract => 1,
            ArithmeticOperator::Multiply | ArithmeticOperator::Divide => 2,
        }
    }

    /// Applies the operator; division by zero gives a missing value (NaN), not infinity.
    pub fn apply(self, left: f64, right: f64) -> f64 {
        match self {
            ArithmeticOperator::Add => left + right,
            ArithmeticOperator::Subtract => left - right,
            ArithmeticOperator::Multiply => left * right,
            ArithmeticOperator::Divide if right == 0.0 => f64::NAN,
            ArithmeticOperator::Divide => left / right,
        }
    }
}

/// `starts_with`, `ends_with` and `contains`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextOperator {
    StartsWith,
    EndsWith,
    Contains,
}

impl TextOperator {
    pub fn keyword(self) -> &'static str {
        match self {
            TextOperator::StartsWith => "starts_with",
            TextOperator::EndsWith => "ends_with",
            TextOperator::Contains => "contains",
        }
    }

    pub fn holds(self, text: &str, pattern: &str) -> bool {
        match self {
            TextOperator::StartsWith => text.starts_with(pattern),
            TextOperator::EndsWith => text.ends_with(pattern),
            TextOperator::Contains => text.contains(pattern),
        }
    }
}

/// The functions of the language. Every one gives a missing value when an argument is
/// missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Abs,
    Min,
    Max,
    /// The natural logarithm; missing for zero and negative numbers.
    Log,
    /// The square root; missing for negative numbers.
    Sqrt,
    /// Rounds half away from zero.
    Round,
    Floor,
    Ceil,
    /// Text in lower case, for tests that ignore case.
    Lower,
    /// Text in upper case.
    Upper,
}

/// The argument and result types of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// One number in, one number out.
    NumberToNumber,
    /// Two or more numbers in, one number out.
    Numbers,
    /// One text in, one text out.
    TextToText,
}

impl Function {
    pub const ALL: [Function; 10] = [
        Function::Abs,
        Function::Min,
        Function::Max,
        Function::Log,
        Function::Sqrt,
        Function::Round,
        Function::Floor,
        Function::Ceil,
        Function::Lower,
        Function::Upper,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Function::Abs => "abs",
            Function::Min => "min",
            Function::Max => "max",
            Function::Log => "log",
            Function::Sqrt => "sqrt",
            Function::Round => "round",
            Function::Floor => "floor",
            Function::Ceil => "ceil",
            Function::Lower => "lower",
            Function::Upper => "upper",
        }
    }

    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn signature(self) -> Signature {
        match self {
            Function::Min | Function::Max => Signature::Numbers,
            Function::Lower | Function::Upper => Signature::TextToText,
            _ => Signature::NumberToNumber,
        }
    }

    /// Applies a numeric function to one number; `Min` and `Max` fold with
    /// [`Function::combine`] instead.
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Function::Abs => x.abs(),
            Function::Log if x <= 0.0 => f64::NAN,
            Function::Log => x.ln(),
            Function::Sqrt if x < 0.0 => f64::NAN,
            Function::Sqrt => x.sqrt(),
            Function::Round => x.round(),
            Function::Floor => x.floor(),
            Function::Ceil => x.ceil(),
            Function::Min | Function::Max | Function::Lower | Function::Upper => {
                unreachable!("`{}` is not a one-number function", self.name())
            }
        }
    }

    /// Folds two arguments of `min` or `max`; a missing argument makes the result missing
    /// (unlike `f64::min`, which skips NaN).
    pub fn combine(self, a: f64, b: f64) -> f64 {
        if a.is_nan() || b.is_nan() {
            return f64::NAN;
        }
        match self {
            Function::Min => a.min(b),
            Function::Max => a.max(b),
            _ => unreachable!("`{}` does not combine numbers", self.name()),
        }
    }

    pub fn apply_text(self, text: &str) -> String {
        match self {
            Function::Lower => text.to_lowercase(),
            Function::Upper => text.to_uppercase(),
            _ => unreachable!("`{}` is not a text function", self.name()),
        }
    }
}
