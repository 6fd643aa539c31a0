//! Builds the syntax tree from pest's pairs, checking what the grammar alone cannot: that a
//! condition is used where a condition is needed and a value where a value is, that numbers
//! and text are not mixed in ways no data could make right, escapes, names, functions, rule
//! settings and duplicate declarations.

use std::collections::HashMap;

use pest::iterators::Pair;

use super::diagnostic::{shorten, Code, Diagnostic, Position};
use super::escapes::unescape;
use super::grammar::Rule;
use super::parser::{MAX_DEPTH, MAX_NAME_CHARS};
use super::syntax::{
    ArithmeticOperator, Comparator, Condition, Expr, Function, HitPolicy, LetDecl, LetValue, Name,
    NamedRule, NumberLiteral, PolicyDecl, Priority, RuleFile, SetExpr, SetLiteral, SetMember,
    Signature, Span, Statement, StatementKind, TextOperator,
};

/// The words a bare name cannot be.
const RESERVED: [&str; 15] = [
    "target",
    "default",
    "policy",
    "let",
    "rule",
    "and",
    "or",
    "not",
    "in",
    "is",
    "missing",
    "between",
    "starts_with",
    "ends_with",
    "contains",
];

/// True when `word` is a keyword of the language.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// The kind of a value as far as it is known before the data is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Text,
    /// A set constant; `None` for the empty set.
    Set(Option<SetKind>),
    /// A column: known only once the data is read.
    Unknown,
}

/// The kind of the members of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    Numbers,
    Texts,
}

/// A built piece of an expression.
enum Node {
    Condition(Condition),
    Value(Expr),
}

/// A node and the depth of its tree.
type Built = Option<(Node, usize)>;

/// Builds statements one at a time into a [`RuleFile`].
pub struct Builder<'t> {
    text: &'t str,
    /// The offset in `text` of the chunk being built.
    offset: usize,
    file: RuleFile,
    diagnostics: Vec<Diagnostic>,
    /// Every `let` name in the file and where its statement starts, known before building
    /// so that rules may use constants defined below them.
    let_starts: HashMap<String, usize>,
    /// Kinds of the constants built so far.
    let_kinds: HashMap<String, Kind>,
    /// The start of the `let` being built: its value may use only constants defined above.
    current_let: Option<usize>,
    /// The index of each rule built so far, by name.
    rule_names: HashMap<String, usize>,
}

impl<'t> Builder<'t> {
    pub fn new(text: &'t str, statements: &[(Pair<'t, Rule>, usize)]) -> Builder<'t> {
        let mut let_starts = HashMap::new();
        for (pair, offset) in statements {
            if pair.as_rule() == Rule::let_decl {
                let name = pair.clone().into_inner().nth(1).expect("let name");
                let_starts
                    .entry(name.as_str().to_string())
                    .or_insert(offset + pair.as_span().start());
            }
        }
        Builder {
            text,
            offset: 0,
            file: RuleFile::default(),
            diagnostics: Vec::new(),
            let_starts,
            let_kinds: HashMap::new(),
            current_let: None,
            rule_names: HashMap::new(),
        }
    }

    pub fn finish(self) -> (RuleFile, Vec<Diagnostic>) {
        (self.file, self.diagnostics)
    }

    /// Builds one statement; `offset` is where its chunk starts in the file.
    pub fn statement(&mut self, pair: Pair<'t, Rule>, offset: usize) {
        self.offset = offset;
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::target_decl => {
                let name = last_inner(pair);
                let Some((name, _)) = self.name_ref(name) else {
                    return;
                };
                self.set_once_target(name).then_some(StatementKind::Target)
            }
            Rule::default_decl => {
                let Some(name) = self.class_name(last_inner(pair)) else {
                    return;
                };
                self.set_once_default(name)
                    .then_some(StatementKind::Default)
            }
            Rule::policy_decl => self.policy(last_inner(pair), span),
            Rule::let_decl => self.let_decl(pair, span),
            Rule::rule_decl => self.rule_decl(pair),
            other => unreachable!("unexpected statement {other:?}"),
        };
        if let Some(kind) = kind {
            self.file.statements.push(Statement { kind, span });
        }
    }

    fn set_once_target(&mut self, name: Name) -> bool {
        if let Some(first) = &self.file.target {
            let line = self.line_of(first.span);
            self.diagnostics
                .push(second_declaration("target", line, name.span));
            return false;
        }
        self.file.target = Some(name);
        true
    }

    fn set_once_default(&mut self, name: Name) -> bool {
        if let Some(first) = &self.file.default {
            let line = self.line_of(first.span);
            self.diagnostics
                .push(second_declaration("default", line, name.span));
            return false;
        }
        self.file.default = Some(name);
        true
    }

    fn policy(&mut self, word: Pair<Rule>, span: Span) -> Option<StatementKind> {
        let word_span = self.span(&word);
        let Some(policy) = HitPolicy::from_keyword(word.as_str()) else {
            let names = HitPolicy::ALL.map(HitPolicy::keyword);
            let help = match crate::suggest::closest(word.as_str(), names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "the hit policies are `first`, `priority`, `vote` and `unique`".into(),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::UnknownPolicy,
                    format!("unknown hit policy `{}`", shorten(word.as_str(), 40)),
                    word_span,
                )
                .with_help(help),
            );
            return None;
        };
        if let Some(first) = &self.file.policy {
            let line = self.line_of(first.span);
            self.diagnostics
                .push(second_declaration("policy", line, word_span));
            return None;
        }
        self.file.policy = Some(PolicyDecl { policy, span });
        Some(StatementKind::Policy)
    }

    fn let_decl(&mut self, pair: Pair<'t, Rule>, span: Span) -> Option<StatementKind> {
        let mut inner = pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_let | Rule::equals));
        let name = self.plain_name(inner.next().expect("let name"))?;
        let value_pair = inner.next().expect("let value");

        if let Some(first) = self.file.constant(&name.text) {
            let line = self.line_of(first.name.span);
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateLet,
                    format!(
                        "a constant named `{}` is already defined on line {line}",
                        name.text
                    ),
                    name.span,
                )
                .with_help("give each constant its own name, or remove one of them"),
            );
            return None;
        }

        self.current_let = Some(span.start);
        let value = if value_pair.as_rule() == Rule::set_literal {
            self.set_literal(value_pair).map(LetValue::Set)
        } else {
            match self.expression(value_pair) {
                Some((Node::Value(expr), _)) => Some(LetValue::Value(expr)),
                Some((Node::Condition(condition), _)) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("constant `{}` holds a condition", name.text),
                            condition.covering_span(),
                        )
                        .with_help(
                            "a `let` holds a number, a string or a set; write conditions in rules",
                        ),
                    );
                    None
                }
                None => None,
            }
        };
        self.current_let = None;

        let value = value?;
        let kind = match &value {
            LetValue::Set(set) => Kind::Set(set_kind(set)),
            LetValue::Value(expr) => self.kind_of(expr),
        };
        self.let_kinds.insert(name.text.clone(), kind);
        self.file.lets.push(LetDecl { name, value });
        Some(StatementKind::Let(self.file.lets.len() - 1))
    }

    fn rule_decl(&mut self, pair: Pair<'t, Rule>) -> Option<StatementKind> {
        let mut name = None;
        let mut settings = Some((None, None));
        let mut condition = None;
        let mut class = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::rule_name => name = self.plain_name(part),
                Rule::metadata => settings = self.metadata(part),
                Rule::expression => condition = Some(self.condition_of(part)),
                Rule::class_name => class = self.class_name(part),
                _ => {}
            }
        }
        let name = name?;
        if let Some(&first) = self.rule_names.get(&name.text) {
            let line = self.line_of(self.file.rules[first].name.span);
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateRule,
                    format!(
                        "a rule named `{}` is already defined on line {line}",
                        name.text
                    ),
                    name.span,
                )
                .with_help("give each rule its own name, so reports can tell them apart"),
            );
            return None;
        }
        let (priority, weight) = settings?;
        let condition = condition.flatten()?;
        self.rule_names
            .insert(name.text.clone(), self.file.rules.len());
        self.file.rules.push(NamedRule {
            name,
            priority,
            weight,
            condition,
            class: class?,
        });
        Some(StatementKind::Rule(self.file.rules.len() - 1))
    }

    /// Reads `[priority P, weight W]`.
    fn metadata(&mut self, pair: Pair<Rule>) -> Option<(Option<Priority>, Option<NumberLiteral>)> {
        let mut priority: Option<Priority> = None;
        let mut weight: Option<NumberLiteral> = None;
        let mut valid = true;
        for entry in pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::metadata_entry)
        {
            let mut parts = entry.into_inner();
            let key = parts.next().expect("setting key");
            let key_span = self.span(&key);
            let number = self.signed_number(parts.next().expect("setting value"));
            let Some(number) = number else {
                valid = false;
                continue;
            };
            let duplicate = match key.as_str() {
                "priority" => priority.is_some(),
                "weight" => weight.is_some(),
                _ => false,
            };
            if duplicate {
                valid = false;
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidSetting,
                        format!("`{}` is set twice for this rule", key.as_str()),
                        key_span,
                    )
                    .with_help("remove one of them"),
                );
                continue;
            }
            match key.as_str() {
                "priority" => match whole_number(number.value) {
                    Some(value) => {
                        priority = Some(Priority {
                            value,
                            span: number.span,
                        })
                    }
                    None => {
                        valid = false;
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::InvalidSetting,
                                format!("priority `{}` is not a whole number", number.text),
                                number.span,
                            )
                            .with_help("use a whole number such as `1` or `-2`; higher wins"),
                        );
                    }
                },
                "weight" => {
                    if number.value > 0.0 && number.value.is_finite() {
                        weight = Some(number);
                    } else {
                        valid = false;
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::InvalidSetting,
                                format!("weight `{}` is not a positive number", number.text),
                                number.span,
                            )
                            .with_help("use a number above zero, such as `1` or `2.5`"),
                        );
                    }
                }
                other => {
                    valid = false;
                    let keys = ["priority", "weight"];
                    let prefix_of = keys.into_iter().find(|k| k.starts_with(other));
                    let help = match prefix_of.or_else(|| crate::suggest::closest(other, keys)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "a rule's settings are `priority` and `weight`".into(),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidSetting,
                            format!("unknown rule setting `{}`", shorten(other, 40)),
                            key_span,
                        )
                        .with_help(help),
                    );
                }
            }
        }
        valid.then_some((priority, weight))
    }

    // -----------------------------------------------------------------------------------------
    // Conditions and values
    // -----------------------------------------------------------------------------------------

    /// Builds the condition of a rule; a value there is an error.
    fn condition_of(&mut self, pair: Pair<'t, Rule>) -> Option<Condition> {
        let (node, _) = self.expression(pair)?;
        self.expect_condition(node)
    }

    fn expression(&mut self, pair: Pair<'t, Rule>) -> Built {
        let disjunction = pair.into_inner().next().expect("disjunction");
        self.logical(disjunction)
    }

    /// `or` and `and` chains; a chain of one part passes the part through.
    fn logical(&mut self, pair: Pair<'t, Rule>) -> Built {
        let is_or = pair.as_rule() == Rule::disjunction;
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut failed = false;
        for part in pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and))
        {
            let built = match part.as_rule() {
                Rule::conjunction => self.logical(part),
                _ => self.negation(part),
            };
            match built {
                Some((node, d)) => {
                    depth = depth.max(d);
                    parts.push(node);
                }
                None => failed = true,
            }
        }
        if failed {
            return None;
        }
        if parts.len() == 1 {
            return parts.pop().map(|node| (node, depth));
        }
        let mut conditions = Vec::with_capacity(parts.len());
        for node in parts {
            conditions.push(self.expect_condition(node)?);
        }
        let condition = if is_or {
            Condition::Or(conditions)
        } else {
            Condition::And(conditions)
        };
        let span = condition.covering_span();
        self.checked_depth(Node::Condition(condition), depth + 1, span)
    }

    fn negation(&mut self, pair: Pair<'t, Rule>) -> Built {
        let mut nots = 0;
        let mut test = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::kw_not => nots += 1,
                _ => test = Some(part),
            }
        }
        let (node, depth) = self.test(test.expect("negated test"))?;
        if nots == 0 {
            return Some((node, depth));
        }
        let mut condition = self.expect_condition(node)?;
        let span = condition.covering_span();
        if depth + nots > MAX_DEPTH {
            // Reject before building a tree that every later pass would recurse through.
            return self.checked_depth(Node::Condition(condition), depth + nots, span);
        }
        for _ in 0..nots {
            condition = Condition::Not(Box::new(condition));
        }
        self.checked_depth(Node::Condition(condition), depth + nots, span)
    }

    fn test(&mut self, pair: Pair<'t, Rule>) -> Built {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let (left, left_depth) = self.sum(inner.next().expect("tested value"))?;
        let Some(suffix) = inner.next() else {
            return Some((left, left_depth));
        };
        let (value, _) = self.expect_value(left, left_depth)?;
        let mut depth = left_depth;
        let mut negated = false;
        let mut parts = Vec::new();
        let mut set = None;
        for part in suffix.clone().into_inner() {
            match part.as_rule() {
                Rule::negated => negated = true,
                Rule::sum => {
                    let (node, d) = self.sum(part)?;
                    depth = depth.max(d);
                    parts.push(self.expect_value(node, d)?.0);
                }
                Rule::set_literal => set = Some(SetExpr::Literal(self.set_literal(part)?)),
                Rule::name_ref => set = Some(self.set_constant(part)?),
                _ => {}
            }
        }
        let condition = match suffix.as_rule() {
            Rule::comparison => {
                let op = suffix.into_inner().next().expect("comparator").as_str();
                let op =
                    Comparator::from_symbol(op).expect("the grammar only admits known operators");
                let right = parts.pop().expect("right side");
                self.check_comparison(&value, op, &right, span)?;
                Condition::Compare {
                    left: value,
                    op,
                    right,
                    span,
                }
            }
            Rule::between_test => {
                let high = parts.pop().expect("upper bound");
                let low = parts.pop().expect("lower bound");
                for side in [&value, &low, &high] {
                    self.require_number(side, "`between`")?;
                }
                self.require_column(&[&value, &low, &high], span)?;
                Condition::Between {
                    value,
                    low,
                    high,
                    negated,
                    span,
                }
            }
            Rule::in_test => {
                let set = set.expect("set");
                self.check_membership(&value, &set)?;
                self.require_column(&[&value], span)?;
                Condition::In {
                    value,
                    set,
                    negated,
                    span,
                }
            }
            Rule::missing_test => {
                self.require_column(&[&value], span)?;
                Condition::Missing {
                    value,
                    negated,
                    span,
                }
            }
            Rule::text_test => {
                let keyword = suffix.clone().into_inner().next().expect("text operator");
                let op = match keyword.into_inner().next().expect("keyword").as_rule() {
                    Rule::kw_starts_with => TextOperator::StartsWith,
                    Rule::kw_ends_with => TextOperator::EndsWith,
                    _ => TextOperator::Contains,
                };
                let pattern = parts.pop().expect("pattern");
                self.check_text_test(&value, op, &pattern)?;
                self.require_column(&[&value], span)?;
                Condition::Text {
                    value,
                    op,
                    pattern,
                    span,
                }
            }
            other => unreachable!("unexpected test {other:?}"),
        };
        self.checked_depth(Node::Condition(condition), depth + 1, span)
    }

    fn sum(&mut self, pair: Pair<'t, Rule>) -> Built {
        self.arithmetic(pair)
    }

    /// `sum` and `product` chains, folded left to right.
    fn arithmetic(&mut self, pair: Pair<'t, Rule>) -> Built {
        let mut inner = pair.into_inner();
        let first = inner.next().expect("first operand");
        let (mut node, mut depth) = self.operand(first)?;
        while let Some(operator) = inner.next() {
            let op = match operator.as_str() {
                "+" => ArithmeticOperator::Add,
                "-" => ArithmeticOperator::Subtract,
                "*" => ArithmeticOperator::Multiply,
                _ => ArithmeticOperator::Divide,
            };
            let (right, right_depth) = self.operand(inner.next().expect("right operand"))?;
            let (left, _) = self.expect_value(node, depth)?;
            let (right, _) = self.expect_value(right, right_depth)?;
            for side in [&left, &right] {
                self.require_number(side, &format!("`{}`", op.symbol()))?;
            }
            let span = left.span().to(right.span());
            depth = depth.max(right_depth) + 1;
            let expr = Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
                span,
            };
            (node, depth) = self.checked_depth(Node::Value(expr), depth, span)?;
        }
        Some((node, depth))
    }

    fn operand(&mut self, pair: Pair<'t, Rule>) -> Built {
        match pair.as_rule() {
            Rule::product => self.arithmetic(pair),
            _ => self.unary(pair),
        }
    }

    fn unary(&mut self, pair: Pair<'t, Rule>) -> Built {
        let mut minus_starts = Vec::new();
        let mut atom = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::minus => minus_starts.push(self.span(&part).start),
                Rule::open_paren | Rule::close_paren => {}
                _ => atom = Some(part),
            }
        }
        let (node, depth) = self.atom(atom.expect("atom"))?;
        if minus_starts.is_empty() {
            return Some((node, depth));
        }
        if depth + minus_starts.len() > MAX_DEPTH {
            // Reject before building a tree that every later pass would recurse through.
            let span = Span::new(minus_starts[0], minus_starts[0] + 1);
            return self.checked_depth(node, depth + minus_starts.len(), span);
        }
        let (mut expr, _) = self.expect_value(node, depth)?;
        self.require_number(&expr, "`-`")?;
        for start in minus_starts.into_iter().rev() {
            let span = Span::new(start, expr.span().end);
            expr = Expr::Negate {
                operand: Box::new(expr),
                span,
            };
        }
        let span = expr.span();
        let depth = depth + negation_count(&expr);
        self.checked_depth(Node::Value(expr), depth, span)
    }

    fn atom(&mut self, pair: Pair<'t, Rule>) -> Built {
        let span = self.span(&pair);
        let node = match pair.as_rule() {
            Rule::number => Node::Value(Expr::Number(self.number(pair, false)?)),
            Rule::string => Node::Value(Expr::Text {
                value: self.string(pair)?,
                span,
            }),
            Rule::call => return self.call(pair),
            Rule::name_ref => Node::Value(self.reference(pair)?),
            Rule::expression => return self.expression(pair),
            other => unreachable!("unexpected atom {other:?}"),
        };
        Some((node, 1))
    }

    fn call(&mut self, pair: Pair<'t, Rule>) -> Built {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| {
            !matches!(
                p.as_rule(),
                Rule::open_paren | Rule::close_paren | Rule::comma
            )
        });
        let name_pair = inner.next().expect("function name");
        let name_span = self.span(&name_pair);
        let name = name_pair.as_str();
        let mut arguments = Vec::new();
        let mut depth = 0;
        for argument in inner {
            let (node, d) = self.expression(argument)?;
            depth = depth.max(d);
            arguments.push(self.expect_value(node, d)?.0);
        }
        let Some(function) = Function::from_name(name) else {
            let names = Function::ALL.map(Function::name);
            let help = match crate::suggest::closest(name, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the functions are {}", backquoted_list(&names)),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::UnknownFunction,
                    format!("unknown function `{}`", shorten(name, 40)),
                    name_span,
                )
                .with_help(help),
            );
            return None;
        };
        self.check_arguments(function, &arguments, span)?;
        let expr = Expr::Call {
            function,
            arguments,
            span,
        };
        self.checked_depth(Node::Value(expr), depth + 1, span)
    }

    fn check_arguments(
        &mut self,
        function: Function,
        arguments: &[Expr],
        span: Span,
    ) -> Option<()> {
        let name = function.name();
        let (count_ok, wanted) = match function.signature() {
            Signature::Numbers => (arguments.len() >= 2, "two or more numbers"),
            Signature::NumberToNumber => (arguments.len() == 1, "one number"),
            Signature::TextToText => (arguments.len() == 1, "one text value"),
        };
        if !count_ok {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::WrongArguments,
                    format!(
                        "`{name}` takes {wanted}, but {} given",
                        count_words(arguments.len())
                    ),
                    span,
                )
                .with_help(example_call(function)),
            );
            return None;
        }
        for argument in arguments {
            let kind = self.kind_of(argument);
            let wrong = match function.signature() {
                Signature::TextToText => kind == Kind::Number,
                _ => kind == Kind::Text,
            };
            if wrong || matches!(kind, Kind::Set(_)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!(
                            "`{name}` takes {wanted}, but `{}` is {}",
                            self.source(argument.span()),
                            kind.words()
                        ),
                        argument.span(),
                    )
                    .with_help(example_call(function)),
                );
                return None;
            }
        }
        Some(())
    }

    /// Resolves a name in a condition or a `let` value to a constant or a column.
    fn reference(&mut self, pair: Pair<'t, Rule>) -> Option<Expr> {
        let (name, quoted) = self.name_ref(pair)?;
        let is_constant = !quoted && self.let_starts.contains_key(&name.text);
        if let Some(current) = self.current_let {
            let defined_above = is_constant && self.let_starts[&name.text] < current;
            if !defined_above {
                let help = if is_constant {
                    "move its `let` above this one".to_string()
                } else {
                    "a `let` value is computed once, from numbers, strings and constants defined \
                     above it; it cannot read a column"
                        .to_string()
                };
                let what = if is_constant {
                    format!("constant `{}` is defined below this `let`", name.text)
                } else {
                    format!(
                        "`{}` is not a constant defined above this `let`",
                        shorten(&name.text, 60)
                    )
                };
                self.diagnostics.push(
                    Diagnostic::error(Code::UndefinedConstant, what, name.span).with_help(help),
                );
                return None;
            }
        }
        if !is_constant {
            return Some(Expr::Column(name));
        }
        if let Some(Kind::Set(_)) = self.let_kinds.get(&name.text) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!("constant `{}` holds a set, not a single value", name.text),
                    name.span,
                )
                .with_help(format!("test membership with `in {}`", name.text)),
            );
            return None;
        }
        Some(Expr::Constant(name))
    }

    /// Resolves the name after `in`, which must be a constant that contains a set.
    fn set_constant(&mut self, pair: Pair<'t, Rule>) -> Option<SetExpr> {
        let (name, quoted) = self.name_ref(pair)?;
        let is_constant = !quoted && self.let_starts.contains_key(&name.text);
        if !is_constant {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::UndefinedConstant,
                    format!("`{}` is not a set constant", shorten(&name.text, 60)),
                    name.span,
                )
                .with_help(format!(
                    "write the set, as in `{{\"a\", \"b\"}}`, or define it with `let {} = {{...}}`",
                    shorten(&name.text, 60)
                )),
            );
            return None;
        }
        if let Some(kind) = self.let_kinds.get(&name.text) {
            if !matches!(kind, Kind::Set(_)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("constant `{}` holds {}, not a set", name.text, kind.words()),
                        name.span,
                    )
                    .with_help("compare single values with `==`"),
                );
                return None;
            }
        }
        Some(SetExpr::Constant(name))
    }

    fn set_literal(&mut self, pair: Pair<'t, Rule>) -> Option<SetLiteral> {
        let span = self.span(&pair);
        let mut members = Vec::new();
        let mut valid = true;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::signed_number => match self.signed_number(part) {
                    Some(number) => members.push(SetMember::Number(number)),
                    None => valid = false,
                },
                Rule::string => {
                    let member_span = self.span(&part);
                    match self.string(part) {
                        Some(value) => members.push(SetMember::Text {
                            value,
                            span: member_span,
                        }),
                        None => valid = false,
                    }
                }
                _ => {}
            }
        }
        if !valid {
            return None;
        }
        let set = SetLiteral { members, span };
        if set_kind(&set).is_none() && !set.members.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(Code::TypeMismatch, "this set mixes numbers and text", span)
                    .with_help("a set holds only numbers or only quoted strings"),
            );
            return None;
        }
        Some(set)
    }

    // -----------------------------------------------------------------------------------------
    // Checks of kinds that need no data
    // -----------------------------------------------------------------------------------------

    fn check_comparison(
        &mut self,
        left: &Expr,
        op: Comparator,
        right: &Expr,
        span: Span,
    ) -> Option<()> {
        let kinds = (self.kind_of(left), self.kind_of(right));
        if op.is_ordering() {
            for side in [left, right] {
                self.require_number(side, &format!("`{}`", op.symbol()))?;
            }
        } else if let (Kind::Number, Kind::Text) | (Kind::Text, Kind::Number) = kinds {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!("`{}` compares a number with text", op.symbol()),
                    span,
                )
                .with_help("quote both sides to compare text, or neither to compare numbers"),
            );
            return None;
        }
        self.require_column(&[left, right], span)
    }

    fn check_membership(&mut self, value: &Expr, set: &SetExpr) -> Option<()> {
        let set_kind = match set {
            SetExpr::Literal(literal) => set_kind(literal),
            SetExpr::Constant(name) => match self.let_kinds.get(&name.text) {
                Some(Kind::Set(kind)) => *kind,
                _ => None,
            },
        };
        let mismatch = match (self.kind_of(value), set_kind) {
            (Kind::Number, Some(SetKind::Texts)) => Some(("a number", "text")),
            (Kind::Text, Some(SetKind::Numbers)) => Some(("text", "numbers")),
            _ => None,
        };
        if let Some((value_words, member_words)) = mismatch {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!("`in` tests {value_words} against a set of {member_words}"),
                    value.span(),
                )
                .with_help(
                    "the value and the members of the set must both be numbers or both be text",
                ),
            );
            return None;
        }
        Some(())
    }

    fn check_text_test(&mut self, value: &Expr, op: TextOperator, pattern: &Expr) -> Option<()> {
        if self.kind_of(value) == Kind::Number {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!(
                        "`{}` tests text, but `{}` is a number",
                        op.keyword(),
                        self.source(value.span())
                    ),
                    value.span(),
                )
                .with_help("use `starts_with`, `ends_with` and `contains` on text columns"),
            );
            return None;
        }
        let constant_text = match pattern {
            Expr::Text { .. } => true,
            Expr::Constant(name) => self.let_kinds.get(&name.text) == Some(&Kind::Text),
            _ => false,
        };
        if !constant_text {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!(
                        "the text after `{}` must be a quoted string or a text constant",
                        op.keyword()
                    ),
                    pattern.span(),
                )
                .with_help(format!("write it as in `name {} \"Mr\"`", op.keyword())),
            );
            return None;
        }
        Some(())
    }

    /// Rejects text where arithmetic or an ordering needs a number.
    fn require_number(&mut self, expr: &Expr, operator: &str) -> Option<()> {
        if self.kind_of(expr) != Kind::Text {
            return Some(());
        }
        let help = if operator.starts_with("`<") || operator.starts_with("`>") {
            "compare text with `==`, `!=`, `in`, `starts_with`, `ends_with` or `contains`"
        } else {
            "remove the quotes to use a number"
        };
        self.diagnostics.push(
            Diagnostic::error(
                Code::TypeMismatch,
                format!(
                    "{operator} needs numbers, but `{}` is text",
                    self.source(expr.span())
                ),
                expr.span(),
            )
            .with_help(help),
        );
        None
    }

    /// Rejects a test that reads no column: it would have the same outcome on every row.
    fn require_column(&mut self, sides: &[&Expr], span: Span) -> Option<()> {
        if self.current_let.is_some() || sides.iter().any(|e| reads_column(e)) {
            return Some(());
        }
        self.diagnostics.push(
            Diagnostic::error(
                Code::ConstantComparison,
                "this test reads no column, so it has the same outcome on every row",
                span,
            )
            .with_help("compare a column with a value, as in `age < 10`"),
        );
        None
    }

    /// Returns the kind of `expr` as far as it is known before the data is read.
    pub fn kind_of(&self, expr: &Expr) -> Kind {
        match expr {
            Expr::Number(_) | Expr::Negate { .. } | Expr::Binary { .. } => Kind::Number,
            Expr::Text { .. } => Kind::Text,
            Expr::Column(_) => Kind::Unknown,
            Expr::Constant(name) => self
                .let_kinds
                .get(&name.text)
                .copied()
                .unwrap_or(Kind::Unknown),
            Expr::Call { function, .. } => match function.signature() {
                Signature::TextToText => Kind::Text,
                _ => Kind::Number,
            },
        }
    }

    fn expect_value(&mut self, node: Node, depth: usize) -> Option<(Expr, usize)> {
        match node {
            Node::Value(expr) => Some((expr, depth)),
            Node::Condition(condition) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        "expected a value, found a condition",
                        condition.covering_span(),
                    )
                    .with_help(
                        "conditions join with `and`, `or` and `not`; only values (numbers, text, \
                         columns) take part in comparisons and arithmetic",
                    ),
                );
                None
            }
        }
    }

    fn expect_condition(&mut self, node: Node) -> Option<Condition> {
        match node {
            Node::Condition(condition) => Some(condition),
            Node::Value(expr) => {
                let shown = self.source(expr.span());
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("expected a condition, found the value `{shown}`"),
                        expr.span(),
                    )
                    .with_help(format!(
                        "compare it with something, as in `{shown} > 10` or `{shown} == \"text\"`, \
                         or test `{shown} is not missing`"
                    )),
                );
                None
            }
        }
    }

    fn checked_depth(&mut self, node: Node, depth: usize, span: Span) -> Built {
        if depth <= MAX_DEPTH {
            return Some((node, depth));
        }
        self.diagnostics.push(
            Diagnostic::error(
                Code::NestingTooDeep,
                format!("this condition is nested more than {MAX_DEPTH} levels deep"),
                span,
            )
            .with_help("split the condition into several rules, or use `let` for the parts"),
        );
        None
    }

    // -----------------------------------------------------------------------------------------
    // Tokens
    // -----------------------------------------------------------------------------------------

    fn number(&mut self, pair: Pair<Rule>, negative: bool) -> Option<NumberLiteral> {
        let span = self.span(&pair);
        let written = pair.as_str();
        let digits: String = written.chars().filter(|c| *c != '_').collect();
        let text = if negative {
            format!("-{written}")
        } else {
            written.to_string()
        };
        let value = match digits.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidNumber,
                        format!("the number `{}` is too large", shorten(written, 40)),
                        span,
                    )
                    .with_help(
                        "numbers must lie within ±1.7e308; rule files have no infinity or NaN",
                    ),
                );
                return None;
            }
        };
        let value = if negative { -value } else { value };
        Some(NumberLiteral { value, text, span })
    }

    fn signed_number(&mut self, pair: Pair<Rule>) -> Option<NumberLiteral> {
        let span = self.span(&pair);
        let mut negative = false;
        let mut number = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::minus => negative = true,
                _ => number = Some(part),
            }
        }
        let mut literal = self.number(number.expect("number"), negative)?;
        literal.span = span;
        Some(literal)
    }

    fn string(&mut self, pair: Pair<Rule>) -> Option<String> {
        let body = pair.into_inner().next().expect("string body");
        let start = self.span(&body).start;
        unescape(body.as_str(), start, &mut self.diagnostics)
    }

    /// Reads a bare name of a rule or constant.
    fn plain_name(&mut self, pair: Pair<Rule>) -> Option<Name> {
        let name = Name {
            text: pair.as_str().to_string(),
            span: self.span(&pair),
        };
        self.check_length(name)
    }

    /// Reads a bare or backquoted name; the flag is true when it was backquoted.
    fn name_ref(&mut self, pair: Pair<Rule>) -> Option<(Name, bool)> {
        let inner = pair.into_inner().next().expect("name");
        let span = self.span(&inner);
        if inner.as_rule() == Rule::identifier {
            let name = Name {
                text: inner.as_str().to_string(),
                span,
            };
            return self.check_length(name).map(|n| (n, false));
        }
        let body = inner.into_inner().next().expect("quoted name body");
        let start = self.span(&body).start;
        let text = unescape(body.as_str(), start, &mut self.diagnostics)?;
        if text.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(Code::Syntax, "a backquoted name cannot be empty", span)
                    .with_help("write the column's name between the backquotes"),
            );
            return None;
        }
        self.check_length(Name { text, span }).map(|n| (n, true))
    }

    fn class_name(&mut self, pair: Pair<Rule>) -> Option<Name> {
        let inner = pair.into_inner().next().expect("class token");
        let span = self.span(&inner);
        let text = match inner.as_rule() {
            Rule::string => self.string(inner)?,
            _ => inner.as_str().to_string(),
        };
        self.check_length(Name { text, span })
    }

    fn check_length(&mut self, name: Name) -> Option<Name> {
        let length = name.text.chars().count();
        if length <= MAX_NAME_CHARS {
            return Some(name);
        }
        self.diagnostics.push(
            Diagnostic::error(
                Code::NameTooLong,
                format!(
                    "this name is {length} characters long; names may have at most {MAX_NAME_CHARS}"
                ),
                name.span,
            )
            .with_help("use a shorter name; rename the column in the data if it is this long"),
        );
        None
    }

    /// Returns the span of `pair` in the file, without the whitespace and comments that
    /// pest includes at the end of a rule that ends in an optional part.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let span = pair.as_span();
        let start = self.offset + span.start();
        Span::new(
            start,
            content_end(self.text, start, self.offset + span.end()),
        )
    }

    fn line_of(&self, span: Span) -> usize {
        Position::of(self.text, span.start).line
    }

    /// Returns the text of `span`, shortened for messages.
    fn source(&self, span: Span) -> String {
        shorten(self.text.get(span.start..span.end).unwrap_or(""), 40)
    }
}

impl Kind {
    fn words(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Set(_) => "a set",
            Kind::Unknown => "a column",
        }
    }
}

/// Returns the kind of a set's members, or `None` when the set is empty or mixed.
fn set_kind(set: &SetLiteral) -> Option<SetKind> {
    let numbers = set
        .members
        .iter()
        .filter(|m| matches!(m, SetMember::Number(_)))
        .count();
    match (numbers, set.members.len()) {
        (_, 0) => None,
        (n, total) if n == total => Some(SetKind::Numbers),
        (0, _) => Some(SetKind::Texts),
        _ => None,
    }
}

/// Returns the end of `text[start..end]` without trailing whitespace and comments. Only
/// the part's own last line is searched for `#`, so the cost is bounded by its length.
pub fn content_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        end = start + text[start..end].trim_end().len();
        let own_line_start = text[start..end]
            .rfind('\n')
            .map_or(start, |i| start + i + 1);
        if !text[own_line_start..end].contains('#') {
            return end;
        }
        let line_start = text[..own_line_start].rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..end]) {
            Some(position) if line_start + position >= start => end = line_start + position,
            _ => return end,
        }
    }
}

/// Finds where a `#` comment starts in one line, skipping `#` in strings and backquotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, c) in line.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(delimiter) if c == delimiter => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if c == '#' => return Some(index),
            None => {}
        }
    }
    None
}

/// True when `expr` reads a column somewhere.
pub fn reads_column(expr: &Expr) -> bool {
    match expr {
        Expr::Column(_) => true,
        Expr::Number(_) | Expr::Text { .. } | Expr::Constant(_) => false,
        Expr::Negate { operand, .. } => reads_column(operand),
        Expr::Binary { left, right, .. } => reads_column(left) || reads_column(right),
        Expr::Call { arguments, .. } => arguments.iter().any(reads_column),
    }
}

/// Counts the `Negate` nodes stacked at the top of `expr`.
fn negation_count(expr: &Expr) -> usize {
    let mut count = 0;
    let mut current = expr;
    while let Expr::Negate { operand, .. } = current {
        count += 1;
        current = operand;
    }
    count
}

fn whole_number(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() <= 1e15).then_some(value as i64)
}

fn last_inner(pair: Pair<Rule>) -> Pair<Rule> {
    pair.into_inner().last().expect("declaration value")
}

fn second_declaration(keyword: &str, first_line: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateDeclaration,
        format!("a second `{keyword}` line; the first is on line {first_line}"),
        span,
    )
    .with_help(format!(
        "a rule file has at most one `{keyword}` line: remove one"
    ))
}

fn count_words(count: usize) -> String {
    match count {
        0 => "none was".to_string(),
        1 => "1 was".to_string(),
        n => format!("{n} were"),
    }
}

fn example_call(function: Function) -> String {
    let example = match function.signature() {
        Signature::Numbers => format!("{}(a, b)", function.name()),
        Signature::NumberToNumber => format!("{}(x)", function.name()),
        Signature::TextToText => format!("{}(name) == \"mr\"", function.name()),
    };
    format!("write it as in `{example}`")
}

fn backquoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => quoted.join(""),
    }
}
