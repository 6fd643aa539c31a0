//! Statements, conditions and values printed in the canonical layout.

use super::{class_name, is_bare_name, MAX_LINE_CHARS};
use crate::rules::escapes::{quote_name, quote_string};
use crate::rules::syntax::{
    Condition, Expr, LetValue, NamedRule, RuleFile, SetExpr, SetLiteral, SetMember, StatementKind,
};

pub(super) struct Printer<'a> {
    pub(super) file: &'a RuleFile,
}

impl Printer<'_> {
    pub(super) fn statement(&self, kind: StatementKind) -> String {
        let file = self.file;
        match kind {
            StatementKind::Target => {
                let name = file
                    .target
                    .as_ref()
                    .expect("a target statement has a target");
                format!("target {}", self.column(&name.text))
            }
            StatementKind::Default => {
                let name = file
                    .default
                    .as_ref()
                    .expect("a default statement has a class");
                format!("default {}", class_name(&name.text))
            }
            StatementKind::Policy => {
                format!("policy {}", file.hit_policy().keyword())
            }
            StatementKind::Let(index) => {
                let constant = &file.lets[index];
                let value = match &constant.value {
                    LetValue::Value(expr) => self.expr(expr, 0),
                    LetValue::Set(set) => set_literal(set),
                };
                format!("let {} = {value}", constant.name.text)
            }
            StatementKind::Rule(index) => self.rule(&file.rules[index]),
        }
    }

    fn rule(&self, rule: &NamedRule) -> String {
        let mut head = format!("rule {}", rule.name.text);
        let mut settings = Vec::new();
        if let Some(priority) = &rule.priority {
            settings.push(format!("priority {}", priority.value));
        }
        if let Some(weight) = &rule.weight {
            settings.push(format!("weight {}", weight.text));
        }
        if !settings.is_empty() {
            head.push_str(&format!(" [{}]", settings.join(", ")));
        }
        let class = class_name(&rule.class.text);
        let one_line = format!("{head}: {} => {class}", self.condition(&rule.condition, 0));
        if one_line.chars().count() <= MAX_LINE_CHARS {
            return one_line;
        }
        let (parts, joiner) = match &rule.condition {
            Condition::And(parts) => (parts, "and"),
            Condition::Or(parts) => (parts, "or"),
            _ => return one_line,
        };
        let level = if joiner == "and" { AND } else { OR };
        let mut out = format!("{head}:\n");
        for (position, part) in parts.iter().enumerate() {
            let prefix = if position == 0 {
                String::new()
            } else {
                format!("{joiner} ")
            };
            out.push_str(&format!("    {prefix}{}\n", self.part(part, level)));
        }
        out.push_str(&format!("    => {class}"));
        out
    }

    /// Prints a condition; `outer` is the binding strength of what contains it.
    pub(super) fn condition(&self, condition: &Condition, outer: u8) -> String {
        let (text, own) = match condition {
            Condition::Or(parts) => (self.joined(parts, " or ", OR), OR),
            Condition::And(parts) => (self.joined(parts, " and ", AND), AND),
            Condition::Not(inner) => {
                let inner_text = match inner.as_ref() {
                    Condition::Not(_) => self.condition(inner, NOT),
                    other => format!("({})", self.condition(other, 0)),
                };
                (format!("not {inner_text}"), NOT)
            }
            Condition::Compare {
                left, op, right, ..
            } => (
                format!(
                    "{} {} {}",
                    self.expr(left, TEST),
                    op.symbol(),
                    self.expr(right, TEST)
                ),
                TEST,
            ),
            Condition::Between {
                value,
                low,
                high,
                negated,
                ..
            } => (
                format!(
                    "{} {}between {} and {}",
                    self.expr(value, TEST),
                    if *negated { "not " } else { "" },
                    self.expr(low, TEST),
                    self.expr(high, TEST)
                ),
                TEST,
            ),
            Condition::In {
                value,
                set,
                negated,
                ..
            } => {
                let set = match set {
                    SetExpr::Literal(literal) => set_literal(literal),
                    SetExpr::Constant(name) => name.text.clone(),
                };
                let not = if *negated { "not " } else { "" };
                (format!("{} {not}in {set}", self.expr(value, TEST)), TEST)
            }
            Condition::Missing { value, negated, .. } => {
                let not = if *negated { "not " } else { "" };
                (format!("{} is {not}missing", self.expr(value, TEST)), TEST)
            }
            Condition::Text {
                value, op, pattern, ..
            } => (
                format!(
                    "{} {} {}",
                    self.expr(value, TEST),
                    op.keyword(),
                    self.expr(pattern, TEST)
                ),
                TEST,
            ),
        };
        if own <= outer {
            format!("({text})")
        } else {
            text
        }
    }

    fn joined(&self, parts: &[Condition], joiner: &str, level: u8) -> String {
        parts
            .iter()
            .map(|p| self.part(p, level))
            .collect::<Vec<_>>()
            .join(joiner)
    }

    /// Prints a part of an `and` or `or`. A nested `and` or `or` always gets parentheses,
    /// which keeps the tree and makes `a or (b and c)` plain to read.
    fn part(&self, part: &Condition, level: u8) -> String {
        match part {
            Condition::Or(_) | Condition::And(_) => {
                format!("({})", self.condition(part, 0))
            }
            _ => self.condition(part, level),
        }
    }

    /// Prints a value; `outer` is the binding strength its place needs.
    pub(super) fn expr(&self, expr: &Expr, outer: u8) -> String {
        let (text, own) = match expr {
            Expr::Number(number) => (number.text.clone(), ATOM),
            Expr::Text { value, .. } => (quote_string(value), ATOM),
            Expr::Column(name) => (self.column(&name.text), ATOM),
            Expr::Constant(name) => (name.text.clone(), ATOM),
            Expr::Negate { operand, .. } => (format!("-{}", self.expr(operand, UNARY - 1)), UNARY),
            Expr::Binary {
                op, left, right, ..
            } => {
                let own = if op.precedence() == 1 { SUM } else { PRODUCT };
                (
                    format!(
                        "{} {} {}",
                        self.expr(left, own - 1),
                        op.symbol(),
                        self.expr(right, own)
                    ),
                    own,
                )
            }
            Expr::Call {
                function,
                arguments,
                ..
            } => {
                let arguments: Vec<String> = arguments.iter().map(|a| self.expr(a, 0)).collect();
                (
                    format!("{}({})", function.name(), arguments.join(", ")),
                    ATOM,
                )
            }
        };
        if own <= outer {
            format!("({text})")
        } else {
            text
        }
    }

    /// Prints a column name, backquoted unless it is a bare name that no constant hides.
    fn column(&self, name: &str) -> String {
        if is_bare_name(name) && self.file.constant(name).is_none() {
            name.to_string()
        } else {
            quote_name(name)
        }
    }
}

// Binding strengths, loosest first.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const TEST: u8 = 4;
const SUM: u8 = 5;
const PRODUCT: u8 = 6;
const UNARY: u8 = 7;
const ATOM: u8 = 8;

pub(super) fn set_literal(set: &SetLiteral) -> String {
    let members: Vec<String> = set
        .members
        .iter()
        .map(|m| match m {
            SetMember::Number(number) => number.text.clone(),
            SetMember::Text { value, .. } => quote_string(value),
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}
