//! Tokens: numbers, strings, names and classes.

use pest::iterators::Pair;

use super::Builder;
use crate::rules::diagnostic::{shorten, Code, Diagnostic};
use crate::rules::escapes::unescape;
use crate::rules::grammar::Rule;
use crate::rules::parser::MAX_NAME_CHARS;
use crate::rules::syntax::{Name, NumberLiteral};

impl<'t> Builder<'t> {
    pub(super) fn number(&mut self, pair: Pair<Rule>, negative: bool) -> Option<NumberLiteral> {
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

    pub(super) fn signed_number(&mut self, pair: Pair<Rule>) -> Option<NumberLiteral> {
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

    pub(super) fn string(&mut self, pair: Pair<Rule>) -> Option<String> {
        let body = pair.into_inner().next().expect("string body");
        let start = self.span(&body).start;
        unescape(body.as_str(), start, &mut self.diagnostics)
    }

    /// Reads a bare name of a rule or constant.
    pub(super) fn plain_name(&mut self, pair: Pair<Rule>) -> Option<Name> {
        let name = Name {
            text: pair.as_str().to_string(),
            span: self.span(&pair),
        };
        self.check_length(name)
    }

    /// Reads a bare or backquoted name; the flag is true when it was backquoted.
    pub(super) fn name_ref(&mut self, pair: Pair<Rule>) -> Option<(Name, bool)> {
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

    pub(super) fn class_name(&mut self, pair: Pair<Rule>) -> Option<Name> {
        let inner = pair.into_inner().next().expect("class token");
        let span = self.span(&inner);
        let text = match inner.as_rule() {
            Rule::string => self.string(inner)?,
            _ => inner.as_str().to_string(),
        };
        self.check_length(Name { text, span })
    }

    pub(super) fn check_length(&mut self, name: Name) -> Option<Name> {
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
}
