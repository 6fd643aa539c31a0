//! Statements: `target`, `default`, `policy`, `let` and `rule` with its settings.

use pest::iterators::Pair;

use super::{set_kind, Builder, Kind, Node};
use crate::rules::diagnostic::{shorten, Code, Diagnostic};
use crate::rules::grammar::Rule;
use crate::rules::syntax::{
    HitPolicy, LetDecl, LetValue, Name, NamedRule, NumberLiteral, PolicyDecl, Priority, Span,
    StatementKind,
};

impl<'t> Builder<'t> {
    pub(super) fn set_once_target(&mut self, name: Name) -> bool {
        if let Some(first) = &self.file.target {
            let line = self.line_of(first.span);
            self.diagnostics
                .push(second_declaration("target", line, name.span));
            return false;
        }
        self.file.target = Some(name);
        true
    }

    pub(super) fn set_once_default(&mut self, name: Name) -> bool {
        if let Some(first) = &self.file.default {
            let line = self.line_of(first.span);
            self.diagnostics
                .push(second_declaration("default", line, name.span));
            return false;
        }
        self.file.default = Some(name);
        true
    }

    pub(super) fn policy(&mut self, word: Pair<Rule>, span: Span) -> Option<StatementKind> {
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

    pub(super) fn let_decl(&mut self, pair: Pair<'t, Rule>, span: Span) -> Option<StatementKind> {
        let mut inner = pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_let | Rule::equals));
        let name = self.plain_name(inner.next().expect("let name"))?;
        let value_pair = inner.next().expect("let value");

        // `let_starts` holds where the first `let` of each name starts.
        let first_start = self.let_starts.get(&name.text).copied();
        if let Some(first_start) = first_start.filter(|&start| start < span.start) {
            let line = self.line_of(Span::new(first_start, first_start));
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

    pub(super) fn rule_decl(&mut self, pair: Pair<'t, Rule>) -> Option<StatementKind> {
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
        // A name is registered only with its rule, so the index always points at it.
        let class = class?;
        self.rule_names
            .insert(name.text.clone(), self.file.rules.len());
        self.file.rules.push(NamedRule {
            name,
            priority,
            weight,
            condition,
            class,
        });
        Some(StatementKind::Rule(self.file.rules.len() - 1))
    }

    /// Reads `[priority P, weight W]`.
    pub(super) fn metadata(
        &mut self,
        pair: Pair<Rule>,
    ) -> Option<(Option<Priority>, Option<NumberLiteral>)> {
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
                                if number.value.fract() == 0.0 {
                                    format!(
                                        "priority `{}` is too large: priorities lie within \
                                         ±1e15",
                                        number.text
                                    )
                                } else {
                                    format!("priority `{}` is not a whole number", number.text)
                                },
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
}

pub(super) fn whole_number(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() <= 1e15).then_some(value as i64)
}

pub(super) fn second_declaration(keyword: &str, first_line: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateDeclaration,
        format!("a second `{keyword}` line; the first is on line {first_line}"),
        span,
    )
    .with_help(format!(
        "a rule file has at most one `{keyword}` line: remove one"
    ))
}
