//! Turns rule-file text into a [`RuleFile`], or diagnostics that say what was expected.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser;

use super::diagnostic::Diagnostic;
use super::expected::join_alternatives;
use super::grammar::{Rule, RuleGrammar};
use super::syntax::{Comparator, Condition, Literal, Name, NamedRule, Operand, RuleFile, Span};

/// Deepest nesting of parentheses and `not` a condition may have. The parser recurses once
/// per level, so a limit keeps hostile input from exhausting the stack.
pub const MAX_NESTING: usize = 200;

/// Parses a whole rule file. Structural mistakes that the grammar allows (two `target`
/// lines, two rules with one name) are reported here too.
pub fn parse_rules(text: &str) -> Result<RuleFile, Vec<Diagnostic>> {
    if let Some(diagnostic) = check_nesting(text) {
        return Err(vec![diagnostic]);
    }
    let mut pairs =
        RuleGrammar::parse(Rule::file, text).map_err(|e| vec![syntax_error(text, &e)])?;
    let file = pairs
        .next()
        .expect("the grammar always yields a `file` pair");

    let mut rule_file = RuleFile {
        target: None,
        default: None,
        rules: Vec::new(),
    };
    let mut diagnostics = Vec::new();
    for statement in file.into_inner() {
        match statement.as_rule() {
            Rule::target_decl => {
                let name = name_of(last_inner(statement));
                set_once(&mut rule_file.target, name, "target", &mut diagnostics);
            }
            Rule::default_decl => {
                let name = class_of(last_inner(statement));
                set_once(&mut rule_file.default, name, "default", &mut diagnostics);
            }
            Rule::rule_decl => {
                let rule = build_rule(statement);
                if let Some(first) = rule_file
                    .rules
                    .iter()
                    .find(|r| r.name.text == rule.name.text)
                {
                    let line = super::diagnostic::Position::of(text, first.name.span.start).line;
                    diagnostics.push(
                        Diagnostic::error(
                            format!(
                                "a rule named `{}` is already defined on line {line}",
                                rule.name.text
                            ),
                            rule.name.span,
                        )
                        .with_help("give each rule its own name, so reports can tell them apart"),
                    );
                }
                rule_file.rules.push(rule);
            }
            Rule::EOI => {}
            other => unreachable!("unexpected top-level pair {other:?}"),
        }
    }
    if diagnostics.is_empty() {
        Ok(rule_file)
    } else {
        Err(diagnostics)
    }
}

fn set_once(slot: &mut Option<Name>, name: Name, keyword: &str, diagnostics: &mut Vec<Diagnostic>) {
    if slot.is_some() {
        diagnostics.push(
            Diagnostic::error(format!("a second `{keyword}` line"), name.span).with_help(format!(
                "a rule file has at most one `{keyword}` line: remove one"
            )),
        );
    } else {
        *slot = Some(name);
    }
}

fn build_rule(pair: Pair<Rule>) -> NamedRule {
    let mut inner = pair
        .into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::kw_rule | Rule::colon | Rule::arrow));
    let name = name_of(inner.next().expect("rule name"));
    let condition = build_condition(inner.next().expect("condition"));
    let class = class_of(inner.next().expect("class"));
    NamedRule {
        name,
        condition,
        class,
    }
}

fn build_condition(pair: Pair<Rule>) -> Condition {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::condition => build_condition(pair.into_inner().next().expect("disjunction")),
        Rule::disjunction | Rule::conjunction => {
            let is_or = pair.as_rule() == Rule::disjunction;
            let mut parts: Vec<Condition> = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and))
                .map(build_condition)
                .collect();
            match (parts.len(), is_or) {
                (1, _) => parts.pop().expect("one part"),
                (_, true) => Condition::Or(parts),
                (_, false) => Condition::And(parts),
            }
        }
        Rule::negation => {
            let mut inner = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::open_paren | Rule::close_paren));
            let first = inner.next().expect("negation body");
            if first.as_rule() == Rule::kw_not {
                Condition::Not(Box::new(build_condition(
                    inner.next().expect("negated part"),
                )))
            } else {
                build_condition(first)
            }
        }
        Rule::comparison => {
            let mut inner = pair.into_inner();
            let left = build_operand(inner.next().expect("left operand"));
            let op = comparator_of(inner.next().expect("operator").as_str());
            let right = build_operand(inner.next().expect("right operand"));
            Condition::Compare {
                left,
                op,
                right,
                span,
            }
        }
        Rule::set_test => {
            let mut column = None;
            let mut negated = false;
            let mut values = Vec::new();
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::column => column = Some(name_of(part)),
                    Rule::negated => negated = true,
                    Rule::number | Rule::string => values.push(build_literal(part)),
                    _ => {}
                }
            }
            Condition::InSet {
                column: column.expect("set test column"),
                values,
                negated,
                span,
            }
        }
        Rule::missing_test => {
            let mut inner = pair.into_inner();
            let column = name_of(inner.next().expect("column"));
            let negated = inner.any(|p| p.as_rule() == Rule::negated);
            Condition::IsMissing {
                column,
                negated,
                span,
            }
        }
        other => unreachable!("unexpected condition pair {other:?}"),
    }
}

fn build_operand(pair: Pair<Rule>) -> Operand {
    match pair.as_rule() {
        Rule::column => Operand::Column(name_of(pair)),
        _ => Operand::Literal(build_literal(pair)),
    }
}

fn build_literal(pair: Pair<Rule>) -> Literal {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::number => Literal::Number {
            value: pair
                .as_str()
                .parse()
                .expect("the grammar only admits valid numbers"),
            span,
        },
        Rule::string => Literal::Text {
            value: unescape(pair.into_inner().next().expect("string body").as_str()),
            span,
        },
        other => unreachable!("unexpected literal pair {other:?}"),
    }
}

fn comparator_of(symbol: &str) -> Comparator {
    match symbol {
        "<" => Comparator::Less,
        "<=" => Comparator::LessEqual,
        ">" => Comparator::Greater,
        ">=" => Comparator::GreaterEqual,
        "==" => Comparator::Equal,
        "!=" => Comparator::NotEqual,
        other => unreachable!("the grammar only admits known operators, got {other}"),
    }
}

/// A class written as a word, a quoted string or a number; the name is the text itself.
fn class_of(pair: Pair<Rule>) -> Name {
    let inner = pair.into_inner().next().expect("class name token");
    let span = span_of(&inner);
    let text = match inner.as_rule() {
        Rule::string => unescape(inner.into_inner().next().expect("string body").as_str()),
        _ => inner.as_str().to_string(),
    };
    Name { text, span }
}

fn name_of(pair: Pair<Rule>) -> Name {
    Name {
        text: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

fn last_inner(pair: Pair<Rule>) -> Pair<Rule> {
    pair.into_inner().last().expect("declaration value")
}

fn span_of(pair: &Pair<Rule>) -> Span {
    let span = pair.as_span();
    Span {
        start: span.start(),
        end: span.end(),
    }
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Converts a pest error into a diagnostic that names what was expected in plain words
/// and what was found at that spot.
fn syntax_error(text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let start = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let found = token_at(text, start);
    let end = start + found.len();
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => join_alternatives(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let found_words = if found.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{found}`")
    };
    let diagnostic = Diagnostic::error(
        format!("expected {expected}, found {found_words}"),
        Span { start, end },
    );
    match hint_for(found) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// The word or symbol that starts at `offset`, for "found ..." in messages.
fn token_at(text: &str, offset: usize) -> &str {
    let rest = &text[offset.min(text.len())..];
    let first = match rest.chars().next() {
        None => return "",
        Some(c) => c,
    };
    let length = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else if first == '"' {
        rest[1..].find('"').map_or(rest.len(), |i| i + 2)
    } else {
        rest.find(|c: char| c.is_alphanumeric() || c.is_whitespace() || c == '_')
            .unwrap_or(rest.len())
            .max(first.len_utf8())
    };
    rest[..length].lines().next().unwrap_or("")
}

/// Advice for mistakes people coming from other languages make.
fn hint_for(found: &str) -> Option<&'static str> {
    match found {
        "=" => Some("write `==` to test equality"),
        "&&" | "&" => Some("write `and` to join conditions"),
        "||" | "|" => Some("write `or` to join conditions"),
        "!" => Some("write `not` to negate a condition, or `!=` for \"not equal\""),
        "'" => Some("quote text with double quotes, as in \"female\""),
        _ => None,
    }
}

/// Rejects conditions nested deeper than [`MAX_NESTING`] before pest recurses into them.
fn check_nesting(text: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') | (false, '\n') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => in_string = true,
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::error(
                            format!("parentheses are nested more than {MAX_NESTING} levels deep"),
                            Span {
                                start: offset,
                                end: offset + 1,
                            },
                        )
                        .with_help("split the condition into several rules or simplify it"),
                    );
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
