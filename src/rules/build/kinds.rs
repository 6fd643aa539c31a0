//! Checks of kinds that need no data: text where a number is needed, numbers compared with
//! text, function arguments, and tests that read no column.

use super::{reads_column, set_kind, Builder, Kind, SetKind};
use crate::rules::diagnostic::{Code, Diagnostic};
use crate::rules::syntax::{Comparator, Expr, Function, SetExpr, Signature, Span, TextOperator};

impl<'t> Builder<'t> {
    pub(super) fn check_arguments(
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

    pub(super) fn check_comparison(
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

    pub(super) fn check_membership(&mut self, value: &Expr, set: &SetExpr) -> Option<()> {
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

    pub(super) fn check_text_test(
        &mut self,
        value: &Expr,
        op: TextOperator,
        pattern: &Expr,
    ) -> Option<()> {
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
    pub(super) fn require_number(&mut self, expr: &Expr, operator: &str) -> Option<()> {
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
    pub(super) fn require_column(&mut self, sides: &[&Expr], span: Span) -> Option<()> {
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
}

impl Kind {
    pub(super) fn words(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Set(_) => "a set",
            Kind::Unknown => "a column",
        }
    }
}

pub(super) fn count_words(count: usize) -> String {
    match count {
        0 => "none was".to_string(),
        1 => "1 was".to_string(),
        n => format!("{n} were"),
    }
}

pub(super) fn example_call(function: Function) -> String {
    let example = match function.signature() {
        Signature::Numbers => format!("{}(a, b)", function.name()),
        Signature::NumberToNumber => format!("{}(x)", function.name()),
        Signature::TextToText => format!("{}(name) == \"mr\"", function.name()),
    };
    format!("write it as in `{example}`")
}
