//! Prints a rule file in one canonical layout. `target`, `default` and `policy` come first,
//! then the constants, then the rules in file order, one statement per line with one space
//! around operators. Parentheses are the fewest that keep the tree, plus those around an
//! `and` inside an `or` and around what `not` applies to. Comments stay with the statement
//! they precede or end, and a comment inside a statement moves above it.
//!
//! Printing a parsed file and parsing the result gives the same syntax tree, so formatting
//! never changes what the rules predict.

use pest::Parser;

use super::escapes::{quote_name, quote_string};
use super::grammar::{Rule, RuleGrammar};
use super::syntax::{
    Condition, Expr, LetValue, NamedRule, RuleFile, SetExpr, SetLiteral, SetMember, Span,
    StatementKind,
};

/// Rules longer than this are laid out with one part of the condition per line.
pub const MAX_LINE_CHARS: usize = 100;

/// Formats `file`, parsed from `text`, keeping the comments of `text`.
pub fn format_file(text: &str, file: &RuleFile) -> String {
    let printer = Printer { file };
    let comments = find_comments(text);
    let blocks = attach_comments(text, file, &comments);

    let mut out = String::new();
    for line in &blocks.header {
        push_comment_line(&mut out, line);
    }
    let mut order: Vec<usize> = (0..file.statements.len()).collect();
    order.sort_by_key(|&i| group_of(file.statements[i].kind));
    let mut previous_group = None;
    for index in order {
        let statement = file.statements[index];
        let group = group_of(statement.kind).0;
        let block = &blocks.statements[index];
        let first_in_group = previous_group != Some(group);
        if !out.is_empty() && (first_in_group || block.blank_before) {
            out.push('\n');
        }
        previous_group = Some(group);
        for (position, line) in block.leading.iter().enumerate() {
            let blank = line.blank_before && position > 0;
            push_comment_line(
                &mut out,
                &CommentLine {
                    blank_before: blank,
                    ..line.clone()
                },
            );
        }
        if block.blank_after_leading {
            out.push('\n');
        }
        out.push_str(&printer.statement(statement.kind));
        if let Some(trailing) = &block.trailing {
            out.push_str("  ");
            out.push_str(trailing);
        }
        out.push('\n');
    }
    for (position, line) in blocks.footer.iter().enumerate() {
        let blank = (position == 0 && !out.is_empty()) || line.blank_before;
        push_comment_line(
            &mut out,
            &CommentLine {
                blank_before: blank,
                ..line.clone()
            },
        );
    }
    out
}

fn push_comment_line(out: &mut String, line: &CommentLine) {
    if line.blank_before && !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&line.text);
    out.push('\n');
}

/// Header declarations first (`target`, `default`, `policy`), then constants, then rules,
/// each in file order; the first number is the group.
fn group_of(kind: StatementKind) -> (u8, usize) {
    match kind {
        StatementKind::Target => (0, 0),
        StatementKind::Default => (0, 1),
        StatementKind::Policy => (0, 2),
        StatementKind::Let(index) => (1, index),
        StatementKind::Rule(index) => (2, index),
    }
}

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

/// A `#` comment: where it starts and its text without the line break.
#[derive(Debug, Clone)]
struct Comment {
    start: usize,
    text: String,
}

#[derive(Debug, Clone)]
struct CommentLine {
    text: String,
    /// A blank line came before it in the source.
    blank_before: bool,
}

#[derive(Debug, Clone, Default)]
struct StatementComments {
    leading: Vec<CommentLine>,
    blank_after_leading: bool,
    /// A blank line came before the statement (or its leading comments).
    blank_before: bool,
    trailing: Option<String>,
}

struct Blocks {
    header: Vec<CommentLine>,
    statements: Vec<StatementComments>,
    footer: Vec<CommentLine>,
}

/// Finds the comments of `text`, skipping `#` inside strings and backquoted names.
fn find_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = text.char_indices();
    while let Some((index, c)) = chars.next() {
        if let Some(delimiter) = quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '\n') => quote = None,
                (false, c) if c == delimiter => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '`' => quote = Some(c),
            '#' => {
                let end = text[index..].find('\n').map_or(text.len(), |i| index + i);
                comments.push(Comment {
                    start: index,
                    text: text[index..end].trim_end().to_string(),
                });
                // Skip to the end of the line.
                for (i, _) in chars.by_ref() {
                    if i + 1 >= end {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    comments
}

/// True when a blank line lies between offsets `from` and `to` of `text`: some line
/// strictly between them holds only whitespace.
fn blank_between(text: &str, from: usize, to: usize) -> bool {
    let between = &text[from.min(to)..to];
    let segments: Vec<&str> = between.split('\n').collect();
    segments.len() > 2
        && segments[1..segments.len() - 1]
            .iter()
            .any(|s| s.trim().is_empty())
}

fn attach_comments(text: &str, file: &RuleFile, comments: &[Comment]) -> Blocks {
    let mut statements = vec![StatementComments::default(); file.statements.len()];
    let mut by_source: Vec<usize> = (0..file.statements.len()).collect();
    by_source.sort_by_key(|&i| file.statements[i].span.start);

    let mut header = Vec::new();
    let mut footer = Vec::new();
    let mut next_comment = 0;
    let mut previous_end = 0;
    for (position, &index) in by_source.iter().enumerate() {
        let span = file.statements[index].span;
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        let mut leading = Vec::new();
        let mut last_end = previous_end;
        while next_comment < comments.len() && comments[next_comment].start < line_end {
            let comment = &comments[next_comment];
            next_comment += 1;
            if comment.start >= span.end {
                statements[index].trailing = Some(comment.text.clone());
                continue;
            }
            let blank_before = blank_between(text, last_end, comment.start);
            leading.push(CommentLine {
                text: comment.text.clone(),
                blank_before,
            });
            last_end = comment.start + comment.text.len();
            if comment.start >= span.start {
                // A comment inside the statement moves above it.
                last_end = last_end.min(span.start);
            }
        }
        let blank_after = blank_between(text, last_end.min(span.start), span.start);
        if position == 0 && blank_after && !leading.is_empty() {
            // Comments above the first statement and a blank line: the file's header.
            header = std::mem::take(&mut leading);
        } else if position == 0 {
            if let Some(split) = leading.iter().rposition(|l| l.blank_before) {
                header = leading.drain(..split).collect();
            }
        }
        let block = &mut statements[index];
        block.blank_before = match leading.first() {
            Some(first) => first.blank_before,
            None => blank_between(text, previous_end, span.start),
        };
        block.blank_after_leading = blank_after && !leading.is_empty();
        block.leading = leading;
        previous_end = line_end;
    }
    let mut last_end = previous_end;
    for comment in &comments[next_comment..] {
        footer.push(CommentLine {
            text: comment.text.clone(),
            blank_before: blank_between(text, last_end, comment.start),
        });
        last_end = comment.start + comment.text.len();
    }
    if by_source.is_empty() {
        header = std::mem::take(&mut footer);
        if let Some(first) = header.first_mut() {
            first.blank_before = false;
        }
    }
    Blocks {
        header,
        statements,
        footer,
    }
}

// ---------------------------------------------------------------------------------------------
// Statements, conditions and values
// ---------------------------------------------------------------------------------------------

struct Printer<'a> {
    file: &'a RuleFile,
}

impl Printer<'_> {
    fn statement(&self, kind: StatementKind) -> String {
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
    fn condition(&self, condition: &Condition, outer: u8) -> String {
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
    fn expr(&self, expr: &Expr, outer: u8) -> String {
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

/// Prints one condition as the formatter would, for messages and analysis keys.
pub fn print_condition(file: &RuleFile, condition: &Condition) -> String {
    Printer { file }.condition(condition, 0)
}

/// Prints one value as the formatter would.
pub fn print_expr(file: &RuleFile, expr: &Expr) -> String {
    Printer { file }.expr(expr, 0)
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

fn set_literal(set: &SetLiteral) -> String {
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

/// Prints a class as a bare word or number when it reads back the same, else quoted.
fn class_name(text: &str) -> String {
    if is_bare_name(text) || RuleGrammar::parse(Rule::bare_number, text).is_ok() {
        text.to_string()
    } else {
        quote_string(text)
    }
}

/// True when `text` reads back as one bare name (not a keyword).
pub fn is_bare_name(text: &str) -> bool {
    RuleGrammar::parse(Rule::bare_name, text).is_ok()
}

/// Copies `file` with every span zeroed and no statement list, for comparing trees parsed
/// from different texts.
pub fn without_spans(file: &RuleFile) -> RuleFile {
    let mut copy = file.clone();
    copy.statements.clear();
    let zero = Span::default();
    for name in copy.target.iter_mut().chain(copy.default.iter_mut()) {
        name.span = zero;
    }
    if let Some(policy) = &mut copy.policy {
        policy.span = zero;
    }
    for constant in &mut copy.lets {
        constant.name.span = zero;
        match &mut constant.value {
            LetValue::Value(expr) => clear_expr(expr),
            LetValue::Set(set) => clear_set(set),
        }
    }
    for rule in &mut copy.rules {
        rule.name.span = zero;
        rule.class.span = zero;
        if let Some(priority) = &mut rule.priority {
            priority.span = zero;
        }
        if let Some(weight) = &mut rule.weight {
            weight.span = zero;
        }
        clear_condition(&mut rule.condition);
    }
    copy
}

fn clear_condition(condition: &mut Condition) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => parts.iter_mut().for_each(clear_condition),
        Condition::Not(inner) => clear_condition(inner),
        Condition::Compare {
            left, right, span, ..
        } => {
            *span = Span::default();
            clear_expr(left);
            clear_expr(right);
        }
        Condition::Between {
            value,
            low,
            high,
            span,
            ..
        } => {
            *span = Span::default();
            for e in [value, low, high] {
                clear_expr(e);
            }
        }
        Condition::In {
            value, set, span, ..
        } => {
            *span = Span::default();
            clear_expr(value);
            match set {
                SetExpr::Literal(literal) => clear_set(literal),
                SetExpr::Constant(name) => name.span = Span::default(),
            }
        }
        Condition::Missing { value, span, .. } => {
            *span = Span::default();
            clear_expr(value);
        }
        Condition::Text {
            value,
            pattern,
            span,
            ..
        } => {
            *span = Span::default();
            clear_expr(value);
            clear_expr(pattern);
        }
    }
}

fn clear_expr(expr: &mut Expr) {
    match expr {
        Expr::Number(number) => number.span = Span::default(),
        Expr::Text { span, .. } => *span = Span::default(),
        Expr::Column(name) | Expr::Constant(name) => name.span = Span::default(),
        Expr::Negate { operand, span } => {
            *span = Span::default();
            clear_expr(operand);
        }
        Expr::Binary {
            left, right, span, ..
        } => {
            *span = Span::default();
            clear_expr(left);
            clear_expr(right);
        }
        Expr::Call {
            arguments, span, ..
        } => {
            *span = Span::default();
            arguments.iter_mut().for_each(clear_expr);
        }
    }
}

fn clear_set(set: &mut SetLiteral) {
    set.span = Span::default();
    for member in &mut set.members {
        match member {
            SetMember::Number(number) => number.span = Span::default(),
            SetMember::Text { span, .. } => *span = Span::default(),
        }
    }
}
