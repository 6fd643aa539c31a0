//! Conditions and values: `or`, `and`, `not`, the tests, arithmetic, calls, names and sets,
//! each checked to be a condition or a value where one is needed, and within the depth limit.

use pest::iterators::Pair;

use super::{set_kind, Builder, Built, Kind, Node};
use crate::rules::diagnostic::{shorten, Code, Diagnostic};
use crate::rules::grammar::Rule;
use crate::rules::parser::MAX_DEPTH;
use crate::rules::syntax::{
    ArithmeticOperator, Comparator, Condition, Expr, Function, SetExpr, SetLiteral, SetMember,
    Span, TextOperator,
};

impl<'t> Builder<'t> {
    /// Builds the condition of a rule; a value there is an error.
    pub(super) fn condition_of(&mut self, pair: Pair<'t, Rule>) -> Option<Condition> {
        let (node, _) = self.expression(pair)?;
        self.expect_condition(node)
    }

    pub(super) fn expression(&mut self, pair: Pair<'t, Rule>) -> Built {
        let disjunction = pair.into_inner().next().expect("disjunction");
        self.logical(disjunction)
    }

    /// `or` and `and` chains; a chain of one part passes the part through.
    pub(super) fn logical(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn negation(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn test(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn sum(&mut self, pair: Pair<'t, Rule>) -> Built {
        self.arithmetic(pair)
    }

    /// `sum` and `product` chains, folded left to right.
    pub(super) fn arithmetic(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn operand(&mut self, pair: Pair<'t, Rule>) -> Built {
        match pair.as_rule() {
            Rule::product => self.arithmetic(pair),
            _ => self.unary(pair),
        }
    }

    pub(super) fn unary(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn atom(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    pub(super) fn call(&mut self, pair: Pair<'t, Rule>) -> Built {
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

    /// Resolves a name in a condition or a `let` value to a constant or a column.
    pub(super) fn reference(&mut self, pair: Pair<'t, Rule>) -> Option<Expr> {
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
    pub(super) fn set_constant(&mut self, pair: Pair<'t, Rule>) -> Option<SetExpr> {
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

    pub(super) fn set_literal(&mut self, pair: Pair<'t, Rule>) -> Option<SetLiteral> {
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

    pub(super) fn expect_value(&mut self, node: Node, depth: usize) -> Option<(Expr, usize)> {
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

    pub(super) fn expect_condition(&mut self, node: Node) -> Option<Condition> {
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

    pub(super) fn checked_depth(&mut self, node: Node, depth: usize, span: Span) -> Built {
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
}

/// Counts the `Negate` nodes stacked at the top of `expr`.
pub(super) fn negation_count(expr: &Expr) -> usize {
    let mut count = 0;
    let mut current = expr;
    while let Expr::Negate { operand, .. } = current {
        count += 1;
        current = operand;
    }
    count
}

pub(super) fn backquoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => quoted.join(""),
    }
}
