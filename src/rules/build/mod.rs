//! Builds the syntax tree from pest's pairs, checking what the grammar alone cannot: that a
//! condition is used where a condition is needed and a value where a value is, that numbers
//! and text are not mixed in ways no data could make right, escapes, names, functions, rule
//! settings and duplicate declarations.

mod expressions;
mod kinds;
mod statements;
mod tokens;

use std::collections::HashMap;

use pest::iterators::Pair;

use crate::rules::diagnostic::{shorten, Diagnostic, Position};
use crate::rules::grammar::Rule;
use crate::rules::syntax::{
    Condition, Expr, RuleFile, SetLiteral, SetMember, Span, Statement, StatementKind,
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

fn last_inner(pair: Pair<Rule>) -> Pair<Rule> {
    pair.into_inner().last().expect("declaration value")
}
