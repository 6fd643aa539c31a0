//! Conditions as unions of terms: each term is a conjunction of constraints on single
//! columns (intervals, sets of text, missing or present) and of opaque tests that the
//! analysis cannot look into (such as `a + b > 3`). The rows where a condition is true (or
//! false) are the union of its terms, under SQL's three-valued logic: a constraint on a
//! column's value also requires the value to be present.

use std::collections::HashMap;

use super::domain::{NumberSet, TextSet};
use crate::rules::build::reads_column;
use crate::rules::constants::{constant_value, ConstantValue};
use crate::rules::format::print_condition;
use crate::rules::syntax::{Comparator, Condition, Expr, RuleFile, SetExpr, SetMember};

/// Most terms a condition may expand to before the analysis gives up on it.
pub const MAX_TERMS: usize = 256;

/// The requirement a term places on one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    Missing,
    /// Present, and within the sets that are given.
    Present {
        numbers: Option<NumberSet>,
        texts: Option<TextSet>,
    },
}

impl Constraint {
    fn present() -> Constraint {
        Constraint::Present {
            numbers: None,
            texts: None,
        }
    }

    /// Both at once; `None` when no value satisfies both.
    fn intersect(&self, other: &Constraint) -> Option<Constraint> {
        match (self, other) {
            (Constraint::Missing, Constraint::Missing) => Some(Constraint::Missing),
            (Constraint::Missing, _) | (_, Constraint::Missing) => None,
            (
                Constraint::Present {
                    numbers: n1,
                    texts: t1,
                },
                Constraint::Present {
                    numbers: n2,
                    texts: t2,
                },
            ) => {
                let numbers = match (n1, n2) {
                    (Some(a), Some(b)) => Some(a.intersect(b)),
                    (a, b) => a.clone().or_else(|| b.clone()),
                };
                let texts = match (t1, t2) {
                    (Some(a), Some(b)) => Some(a.intersect(b)),
                    (a, b) => a.clone().or_else(|| b.clone()),
                };
                let empty = numbers.as_ref().is_some_and(NumberSet::is_empty)
                    || texts.as_ref().is_some_and(TextSet::is_empty);
                (!empty).then_some(Constraint::Present { numbers, texts })
            }
        }
    }

    /// True when every value allowed by `self` is allowed by `other`.
    fn within(&self, other: &Constraint) -> bool {
        match (self, other) {
            (Constraint::Missing, Constraint::Missing) => true,
            (_, Constraint::Missing) | (Constraint::Missing, _) => false,
            (
                Constraint::Present {
                    numbers: n1,
                    texts: t1,
                },
                Constraint::Present {
                    numbers: n2,
                    texts: t2,
                },
            ) => {
                let numbers_within = match (n1, n2) {
                    (_, None) => true,
                    (Some(a), Some(b)) => a.is_subset(b),
                    (None, Some(_)) => false,
                };
                let texts_within = match (t1, t2) {
                    (_, None) => true,
                    (Some(a), Some(b)) => a.is_subset(b),
                    (None, Some(_)) => false,
                };
                numbers_within && texts_within
            }
        }
    }
}

/// A conjunction of constraints; never empty once built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Term {
    /// Constraints by column id, sorted by id.
    pub columns: Vec<(u32, Constraint)>,
    /// Opaque tests by id and the truth they must have, sorted by id.
    pub opaque: Vec<(u32, bool)>,
}

impl Term {
    /// Both terms at once; `None` when they contradict.
    pub fn intersect(&self, other: &Term) -> Option<Term> {
        let mut columns = Vec::with_capacity(self.columns.len() + other.columns.len());
        let (mut i, mut j) = (0, 0);
        while i < self.columns.len() || j < other.columns.len() {
            let left = self.columns.get(i);
            let right = other.columns.get(j);
            match (left, right) {
                (Some((a, ca)), Some((b, cb))) if a == b => {
                    columns.push((*a, ca.intersect(cb)?));
                    i += 1;
                    j += 1;
                }
                (Some((a, ca)), Some((b, _))) if a < b => {
                    columns.push((*a, ca.clone()));
                    i += 1;
                }
                (Some(_), Some((b, cb))) => {
                    columns.push((*b, cb.clone()));
                    j += 1;
                }
                (Some((a, ca)), None) => {
                    columns.push((*a, ca.clone()));
                    i += 1;
                }
                (None, Some((b, cb))) => {
                    columns.push((*b, cb.clone()));
                    j += 1;
                }
                (None, None) => unreachable!("the loop stops when both are done"),
            }
        }
        let mut opaque = self.opaque.clone();
        for (id, truth) in &other.opaque {
            match opaque.binary_search_by_key(id, |(k, _)| *k) {
                Ok(position) if opaque[position].1 != *truth => return None,
                Ok(_) => {}
                Err(position) => opaque.insert(position, (*id, *truth)),
            }
        }
        Some(Term { columns, opaque })
    }

    /// True when every row that satisfies `self` satisfies `other`.
    pub fn within(&self, other: &Term) -> bool {
        let constraints_within = other.columns.iter().all(|(id, required)| {
            match self.columns.binary_search_by_key(id, |(k, _)| *k) {
                Ok(position) => self.columns[position].1.within(required),
                Err(_) => false,
            }
        });
        constraints_within && other.opaque.iter().all(|atom| self.opaque.contains(atom))
    }

    /// Column ids this term constrains, as a bit mask of the first 128 ids.
    pub fn mask(&self) -> u128 {
        self.columns
            .iter()
            .filter(|(id, _)| *id < 128)
            .fold(0, |mask, (id, _)| mask | (1u128 << id))
    }
}

/// True when every term of `inner` lies within some term of `outer`. This can miss a
/// containment that needs several terms of `outer` together, but never claims a false one.
pub fn terms_within(inner: &[Term], outer: &[Term]) -> bool {
    inner.iter().all(|t| outer.iter().any(|o| t.within(o)))
}

/// True when some row can satisfy a term of `a` and a term of `b`.
pub fn terms_overlap(a: &[Term], b: &[Term]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.intersect(y).is_some()))
}

/// Intersects the lists: the terms of an `and` of true parts. Returns `None` past
/// [`MAX_TERMS`].
pub fn product<'t>(lists: impl IntoIterator<Item = &'t Vec<Term>>) -> Option<Vec<Term>> {
    let mut product = vec![Term::default()];
    for list in lists {
        let mut next = Vec::new();
        for a in &product {
            for b in list {
                if let Some(both) = a.intersect(b) {
                    next.push(both);
                }
            }
            if next.len() > MAX_TERMS {
                return None;
            }
        }
        product = next;
        if product.is_empty() {
            break;
        }
    }
    Some(product)
}

/// Joins the lists: the terms of an `or` of true parts. Returns `None` past [`MAX_TERMS`].
pub fn union<'t>(lists: impl IntoIterator<Item = &'t Vec<Term>>) -> Option<Vec<Term>> {
    let mut union = Vec::new();
    for list in lists {
        union.extend(list.iter().cloned());
        if union.len() > MAX_TERMS {
            return None;
        }
    }
    Some(union)
}

/// Turns conditions into terms, giving columns and opaque tests small ids.
pub struct Expander<'a> {
    file: &'a RuleFile,
    constants: &'a HashMap<String, ConstantValue>,
    column_ids: HashMap<String, u32>,
    opaque_ids: HashMap<String, u32>,
}

impl<'a> Expander<'a> {
    pub fn new(file: &'a RuleFile, constants: &'a HashMap<String, ConstantValue>) -> Self {
        Expander {
            file,
            constants,
            column_ids: HashMap::new(),
            opaque_ids: HashMap::new(),
        }
    }

    /// Expands `condition` into the terms of the rows where it is true (`truth`) or false
    /// (`!truth`). Returns `None` when there would be more than [`MAX_TERMS`].
    pub fn terms(&mut self, condition: &Condition, truth: bool) -> Option<Vec<Term>> {
        match (condition, truth) {
            (Condition::Not(inner), _) => self.terms(inner, !truth),
            (Condition::And(parts), true) | (Condition::Or(parts), false) => {
                let lists: Option<Vec<Vec<Term>>> =
                    parts.iter().map(|p| self.terms(p, truth)).collect();
                product(&lists?)
            }
            (Condition::Or(parts), true) | (Condition::And(parts), false) => {
                let lists: Option<Vec<Vec<Term>>> =
                    parts.iter().map(|p| self.terms(p, truth)).collect();
                union(&lists?)
            }
            (
                Condition::Compare {
                    left, op, right, ..
                },
                _,
            ) => Some(self.comparison(condition, left, *op, right, truth)),
            (
                Condition::Between {
                    value,
                    low,
                    high,
                    negated,
                    ..
                },
                _,
            ) => {
                let bounds = (self.number(low), self.number(high));
                match (value, bounds) {
                    (Expr::Column(name), (Some(low), Some(high))) => {
                        let inside = NumberSet::between(low, high);
                        let set = if truth != *negated {
                            inside
                        } else {
                            inside.complement()
                        };
                        Some(self.numbers_term(&name.text, set))
                    }
                    _ => Some(self.opaque(condition, truth)),
                }
            }
            (
                Condition::In {
                    value,
                    set,
                    negated,
                    ..
                },
                _,
            ) => {
                let Expr::Column(name) = value else {
                    return Some(self.opaque(condition, truth));
                };
                let inside = truth != *negated;
                Some(match self.set_values(set) {
                    SetValues::Numbers(numbers) => {
                        let set = NumberSet::points(&numbers);
                        let set = if inside { set } else { set.complement() };
                        self.numbers_term(&name.text, set)
                    }
                    SetValues::Texts(texts) => {
                        let set = if inside {
                            TextSet::only(&texts)
                        } else {
                            TextSet::all_but(&texts)
                        };
                        self.texts_term(&name.text, set)
                    }
                    SetValues::Empty if inside => Vec::new(),
                    SetValues::Empty => vec![self.single(&name.text, Constraint::present())],
                })
            }
            (Condition::Missing { value, negated, .. }, _) => {
                let missing = truth != *negated;
                match value {
                    Expr::Column(name) => {
                        let constraint = if missing {
                            Constraint::Missing
                        } else {
                            Constraint::present()
                        };
                        Some(vec![self.single(&name.text, constraint)])
                    }
                    _ => {
                        let key = format!("missing {}", print_condition(self.file, condition));
                        let id = self.opaque_id(key);
                        let mut term = Term {
                            columns: Vec::new(),
                            opaque: vec![(id, missing)],
                        };
                        if !missing {
                            term = self.with_present_columns(term, &[value]);
                        }
                        Some(vec![term])
                    }
                }
            }
            (Condition::Text { .. }, _) => Some(self.opaque(condition, truth)),
        }
    }

    fn comparison(
        &mut self,
        condition: &Condition,
        left: &Expr,
        op: Comparator,
        right: &Expr,
        truth: bool,
    ) -> Vec<Term> {
        let op = if truth { op } else { op.negated() };
        let (column, op, other) = match (left, right) {
            (Expr::Column(name), other) if !reads_column(other) => (name, op, other),
            (other, Expr::Column(name)) if !reads_column(other) => (name, op.mirrored(), other),
            _ => return self.opaque(condition, truth),
        };
        match constant_value(other, self.constants) {
            ConstantValue::Number(value) => {
                self.numbers_term(&column.text, NumberSet::compared(op, value))
            }
            ConstantValue::Text(text) => match op {
                Comparator::Equal => self.texts_term(&column.text, TextSet::only(&[text])),
                Comparator::NotEqual => self.texts_term(&column.text, TextSet::all_but(&[text])),
                _ => self.opaque(condition, truth),
            },
            _ => self.opaque(condition, truth),
        }
    }

    /// Builds the term of a test the analysis cannot look into. Such a test is true or false
    /// as a whole, and only on rows where every column it reads is present.
    fn opaque(&mut self, condition: &Condition, truth: bool) -> Vec<Term> {
        let key = print_condition(self.file, condition);
        let id = self.opaque_id(key);
        let term = Term {
            columns: Vec::new(),
            opaque: vec![(id, truth)],
        };
        let mut values = Vec::new();
        collect_values(condition, &mut values);
        vec![self.with_present_columns(term, &values)]
    }

    fn with_present_columns(&mut self, term: Term, values: &[&Expr]) -> Term {
        let mut names = Vec::new();
        for value in values {
            collect_columns(value, &mut names);
        }
        names.iter().fold(term, |term, name| {
            let present = self.single(name, Constraint::present());
            term.intersect(&present)
                .expect("presence never contradicts an opaque test")
        })
    }

    fn numbers_term(&mut self, column: &str, set: NumberSet) -> Vec<Term> {
        if set.is_empty() {
            return Vec::new();
        }
        vec![self.single(
            column,
            Constraint::Present {
                numbers: Some(set),
                texts: None,
            },
        )]
    }

    fn texts_term(&mut self, column: &str, set: TextSet) -> Vec<Term> {
        if set.is_empty() {
            return Vec::new();
        }
        vec![self.single(
            column,
            Constraint::Present {
                numbers: None,
                texts: Some(set),
            },
        )]
    }

    fn single(&mut self, column: &str, constraint: Constraint) -> Term {
        let next = self.column_ids.len() as u32;
        let id = *self.column_ids.entry(column.to_string()).or_insert(next);
        Term {
            columns: vec![(id, constraint)],
            opaque: Vec::new(),
        }
    }

    fn opaque_id(&mut self, key: String) -> u32 {
        let next = self.opaque_ids.len() as u32;
        *self.opaque_ids.entry(key).or_insert(next)
    }

    fn number(&self, expr: &Expr) -> Option<f64> {
        if reads_column(expr) {
            return None;
        }
        match constant_value(expr, self.constants) {
            ConstantValue::Number(value) => Some(value),
            _ => None,
        }
    }

    fn set_values(&self, set: &SetExpr) -> SetValues {
        let (numbers, texts) = match set {
            SetExpr::Literal(literal) => {
                let mut numbers = Vec::new();
                let mut texts = Vec::new();
                for member in &literal.members {
                    match member {
                        SetMember::Number(n) => numbers.push(n.value),
                        SetMember::Text { value, .. } => texts.push(value.clone()),
                    }
                }
                (numbers, texts)
            }
            SetExpr::Constant(name) => match self.constants.get(&name.text) {
                Some(ConstantValue::NumberSet(n)) => (n.clone(), Vec::new()),
                Some(ConstantValue::TextSet(t)) => (Vec::new(), t.clone()),
                _ => (Vec::new(), Vec::new()),
            },
        };
        match (numbers.is_empty(), texts.is_empty()) {
            (true, true) => SetValues::Empty,
            (false, _) => SetValues::Numbers(numbers),
            (true, false) => SetValues::Texts(texts),
        }
    }
}

enum SetValues {
    Empty,
    Numbers(Vec<f64>),
    Texts(Vec<String>),
}

/// Collects the values a test reads.
fn collect_values<'c>(condition: &'c Condition, out: &mut Vec<&'c Expr>) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => {
            parts.iter().for_each(|p| collect_values(p, out))
        }
        Condition::Not(inner) => collect_values(inner, out),
        Condition::Compare { left, right, .. } => out.extend([left, right]),
        Condition::Between {
            value, low, high, ..
        } => out.extend([value, low, high]),
        Condition::In { value, .. } | Condition::Missing { value, .. } => out.push(value),
        Condition::Text { value, pattern, .. } => out.extend([value, pattern]),
    }
}

fn collect_columns<'e>(expr: &'e Expr, out: &mut Vec<&'e str>) {
    match expr {
        Expr::Column(name) => out.push(&name.text),
        Expr::Number(_) | Expr::Text { .. } | Expr::Constant(_) => {}
        Expr::Negate { operand, .. } => collect_columns(operand, out),
        Expr::Binary { left, right, .. } => {
            collect_columns(left, out);
            collect_columns(right, out);
        }
        Expr::Call { arguments, .. } => arguments.iter().for_each(|a| collect_columns(a, out)),
    }
}
