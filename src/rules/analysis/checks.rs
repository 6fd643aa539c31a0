//! Checks that need no data: conditions that are never true, redundant parts of a
//! condition, rules that an earlier rule always beats, overlapping rules under `unique`,
//! unused constants, and rule settings that the hit policy ignores.

use std::collections::HashSet;

use super::terms::{product, terms_overlap, terms_within, union, Expander, Term};
use crate::rules::constants::evaluate_constants;
use crate::rules::diagnostic::{shorten, Code, Diagnostic, LineIndex};
use crate::rules::format::print_condition;
use crate::rules::syntax::{Condition, Expr, HitPolicy, LetValue, RuleFile, SetExpr};

/// The findings of the static checks, which the checks on data build on.
#[derive(Debug, Clone, Default)]
pub struct StaticFindings {
    pub diagnostics: Vec<Diagnostic>,
    /// Rules whose condition is never true.
    pub never_true: HashSet<usize>,
    /// Rules that another rule always beats.
    pub shadowed: HashSet<usize>,
}

/// Runs every check that needs no data on a parsed file.
pub fn check_static(file: &RuleFile, text: &str) -> StaticFindings {
    let constants = evaluate_constants(file);
    let mut expander = Expander::new(file, &constants);
    let mut findings = StaticFindings::default();

    let terms: Vec<Option<Vec<Term>>> = file
        .rules
        .iter()
        .map(|rule| expander.terms(&rule.condition, true))
        .collect();
    for (index, rule) in file.rules.iter().enumerate() {
        if terms[index].as_ref().is_some_and(Vec::is_empty) {
            findings.never_true.insert(index);
            findings
                .diagnostics
                .push(never_true(&mut expander, file, index));
            continue;
        }
        redundant_parts(
            &mut expander,
            file,
            &rule.condition,
            &mut findings.diagnostics,
        );
    }
    let lines = LineIndex::new(text);
    match file.hit_policy() {
        HitPolicy::First | HitPolicy::Priority => {
            shadowed_rules(file, &lines, &terms, &mut findings)
        }
        HitPolicy::Unique => overlapping_rules(file, &lines, &terms, &mut findings.diagnostics),
        HitPolicy::Vote => {}
    }
    unused_constants(file, &mut findings.diagnostics);
    ignored_settings(file, &mut findings.diagnostics);
    findings
}

/// Explains why rule `index` never fires: the first part of its `and` that contradicts the
/// parts before it, or the whole condition.
fn never_true(expander: &mut Expander, file: &RuleFile, index: usize) -> Diagnostic {
    let rule = &file.rules[index];
    let mut culprit = &rule.condition;
    let mut earlier = false;
    if let Condition::And(parts) = &rule.condition {
        let mut so_far = vec![Term::default()];
        for part in parts {
            let Some(part_terms) = expander.terms(part, true) else {
                break;
            };
            let Some(next) = product([&so_far, &part_terms]) else {
                break;
            };
            if next.is_empty() {
                culprit = part;
                earlier = !part_terms.is_empty();
                break;
            }
            so_far = next;
        }
    }
    let shown = shorten(&print_condition(file, culprit), 60);
    let help = if earlier {
        format!("`{shown}` contradicts the parts of the condition before it")
    } else {
        format!("`{shown}` is never true{}", missing_constant_note(culprit))
    };
    Diagnostic::warning(
        Code::NeverTrue,
        format!(
            "rule `{}` never fires: its condition is never true",
            rule.name.text
        ),
        culprit.covering_span(),
    )
    .with_help(help)
}

/// Explains why a test against a constant is never true, when the constant has no value.
fn missing_constant_note(condition: &Condition) -> &'static str {
    let divides = |e: &Expr| matches!(e, Expr::Binary { op, .. } if op.symbol() == "/");
    match condition {
        Condition::Compare { left, right, .. } if divides(left) || divides(right) => {
            ": a division by zero gives a missing value, and a comparison with a missing value \
             is never true"
        }
        Condition::Between {
            low, high, negated, ..
        } if !negated && literal(low).zip(literal(high)).is_some_and(|(l, h)| l > h) => {
            ": its lower bound is above its upper bound; write the smaller number first"
        }
        Condition::Compare { .. } | Condition::Between { .. } => {
            ": a comparison with a missing value is never true"
        }
        Condition::In { .. } => ": nothing is in an empty set",
        _ => "",
    }
}

/// Reads a number written in place, such as `5` or `-1.5`.
fn literal(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Number(number) => Some(number.value),
        Expr::Negate { operand, .. } => literal(operand).map(|v| -v),
        _ => None,
    }
}

/// Maximum number of parts of an `and` or `or` that are checked for redundancy. Each check
/// combines all the other parts, so the cost grows with the square of the count.
const MAX_PARTS_CHECKED: usize = 32;

/// Reports parts of an `and` that the other parts imply, and parts of an `or` that the
/// other parts cover. Removing such a part changes no row's outcome, unknown included:
/// `a and b` equals `a` when `a` true implies `b` true and `b` false implies `a` false.
fn redundant_parts(
    expander: &mut Expander,
    file: &RuleFile,
    condition: &Condition,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (parts, is_and) = match condition {
        Condition::And(parts) => (parts, true),
        Condition::Or(parts) => (parts, false),
        Condition::Not(inner) => return redundant_parts(expander, file, inner, diagnostics),
        _ => return,
    };
    let mut kept: Vec<bool> = vec![true; parts.len()];
    let cached: Option<Vec<(Vec<Term>, Vec<Term>)>> = if parts.len() <= MAX_PARTS_CHECKED {
        parts
            .iter()
            .map(|p| Some((expander.terms(p, true)?, expander.terms(p, false)?)))
            .collect()
    } else {
        None
    };
    for k in 0..cached.as_ref().map_or(0, Vec::len) {
        let cached = cached.as_ref().expect("checked above");
        let others: Vec<usize> = (0..parts.len()).filter(|&i| i != k && kept[i]).collect();
        if others.is_empty() {
            continue;
        }
        let rest_true = others.iter().map(|&i| &cached[i].0);
        let rest_false = others.iter().map(|&i| &cached[i].1);
        let (rest_true, rest_false) = if is_and {
            (product(rest_true), union(rest_false))
        } else {
            (union(rest_true), product(rest_false))
        };
        let (Some(rest_true), Some(rest_false)) = (rest_true, rest_false) else {
            continue;
        };
        let (part_true, part_false) = &cached[k];
        let redundant = if is_and {
            terms_within(&rest_true, part_true) && terms_within(part_false, &rest_false)
        } else {
            terms_within(part_true, &rest_true) && terms_within(&rest_false, part_false)
        };
        if !redundant {
            continue;
        }
        kept[k] = false;
        let shown = shorten(&print_condition(file, &parts[k]), 60);
        let message = if is_and {
            format!("`{shown}` is redundant: the rest of the `and` implies it")
        } else {
            format!("`{shown}` is redundant: the rest of the `or` covers it")
        };
        diagnostics.push(
            Diagnostic::warning(Code::RedundantPart, message, parts[k].covering_span())
                .with_help("remove it; the rule fires on the same rows without it"),
        );
    }
    for (part, keep) in parts.iter().zip(kept) {
        if keep {
            redundant_parts(expander, file, part, diagnostics);
        }
    }
}

/// Under `first` and `priority`, a rule never decides a row when a rule tried before it is
/// true wherever it is.
fn shadowed_rules(
    file: &RuleFile,
    lines: &LineIndex,
    terms: &[Option<Vec<Term>>],
    findings: &mut StaticFindings,
) {
    let policy = file.hit_policy();
    let mut order: Vec<usize> = (0..file.rules.len()).collect();
    if policy == HitPolicy::Priority {
        order.sort_by_key(|&r| {
            std::cmp::Reverse(file.rules[r].priority.as_ref().map_or(0, |p| p.value))
        });
    }
    // Columns that every term of a rule constrains: a rule can only cover another that
    // constrains at least those columns.
    let masks: Vec<u128> = terms
        .iter()
        .map(|t| match t {
            Some(terms) => terms.iter().fold(u128::MAX, |m, t| m & t.mask()),
            None => 0,
        })
        .collect();
    for (position, &j) in order.iter().enumerate() {
        let Some(inner) = &terms[j] else { continue };
        if inner.is_empty() {
            continue;
        }
        let cover = order[..position].iter().copied().find(|&i| {
            masks[i] & !masks[j] == 0
                && terms[i]
                    .as_ref()
                    .is_some_and(|outer| terms_within(inner, outer))
        });
        let Some(i) = cover else { continue };
        findings.shadowed.insert(j);
        let (rule, earlier) = (&file.rules[j], &file.rules[i]);
        let line = lines.position(earlier.name.span.start).line;
        let why = if policy == HitPolicy::Priority {
            "has a higher priority (or the same, and comes first)"
        } else {
            "comes first"
        };
        findings.diagnostics.push(
            Diagnostic::warning(
                Code::ShadowedRule,
                format!(
                    "rule `{}` never decides a row: rule `{}` (line {line}) {why} and is true \
                     wherever `{}` is",
                    rule.name.text, earlier.name.text, rule.name.text
                ),
                rule.name.span,
            )
            .with_help(format!(
                "move `{}` before `{}`, narrow `{}`, or remove `{}`",
                rule.name.text, earlier.name.text, earlier.name.text, rule.name.text
            )),
        );
    }
}

/// Under `unique`, two rules that can be true on the same row are a conflict waiting for
/// data. Each rule is reported once, against the first earlier rule it overlaps.
fn overlapping_rules(
    file: &RuleFile,
    lines: &LineIndex,
    terms: &[Option<Vec<Term>>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for j in 0..file.rules.len() {
        let Some(later) = &terms[j] else { continue };
        let overlap = (0..j).find(|&i| {
            terms[i]
                .as_ref()
                .is_some_and(|earlier| terms_overlap(earlier, later))
        });
        let Some(i) = overlap else { continue };
        let (rule, earlier) = (&file.rules[j], &file.rules[i]);
        let line = lines.position(earlier.name.span.start).line;
        let help = if rule.class.text == earlier.class.text {
            format!(
                "both predict `{}`: join their conditions with `or` in one rule",
                shorten(&rule.class.text, 40)
            )
        } else {
            format!(
                "they predict `{}` and `{}`: narrow one condition so they cannot both hold",
                shorten(&earlier.class.text, 40),
                shorten(&rule.class.text, 40)
            )
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::OverlappingRules,
                format!(
                    "rules `{}` (line {line}) and `{}` can both be true on one row, which is a \
                     conflict under `policy unique`",
                    earlier.name.text, rule.name.text
                ),
                rule.name.span,
            )
            .with_help(help),
        );
    }
}

fn unused_constants(file: &RuleFile, diagnostics: &mut Vec<Diagnostic>) {
    let mut used: HashSet<&str> = HashSet::new();
    for rule in &file.rules {
        condition_constants(&rule.condition, &mut used);
    }
    for constant in &file.lets {
        if let LetValue::Value(expr) = &constant.value {
            expr_constants(expr, &mut used);
        }
    }
    for constant in &file.lets {
        if !used.contains(constant.name.text.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnusedLet,
                    format!("constant `{}` is never used", constant.name.text),
                    constant.name.span,
                )
                .with_help("use it in a rule, or remove the `let`"),
            );
        }
    }
}

fn condition_constants<'a>(condition: &'a Condition, used: &mut HashSet<&'a str>) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => {
            parts.iter().for_each(|p| condition_constants(p, used))
        }
        Condition::Not(inner) => condition_constants(inner, used),
        Condition::Compare { left, right, .. } => {
            expr_constants(left, used);
            expr_constants(right, used);
        }
        Condition::Between {
            value, low, high, ..
        } => [value, low, high]
            .into_iter()
            .for_each(|e| expr_constants(e, used)),
        Condition::In { value, set, .. } => {
            expr_constants(value, used);
            if let SetExpr::Constant(name) = set {
                used.insert(&name.text);
            }
        }
        Condition::Missing { value, .. } => expr_constants(value, used),
        Condition::Text { value, pattern, .. } => {
            expr_constants(value, used);
            expr_constants(pattern, used);
        }
    }
}

fn expr_constants<'a>(expr: &'a Expr, used: &mut HashSet<&'a str>) {
    match expr {
        Expr::Constant(name) => {
            used.insert(&name.text);
        }
        Expr::Number(_) | Expr::Text { .. } | Expr::Column(_) => {}
        Expr::Negate { operand, .. } => expr_constants(operand, used),
        Expr::Binary { left, right, .. } => {
            expr_constants(left, used);
            expr_constants(right, used);
        }
        Expr::Call { arguments, .. } => arguments.iter().for_each(|a| expr_constants(a, used)),
    }
}

/// `priority` matters only under `policy priority`, `weight` only under `policy vote`.
fn ignored_settings(file: &RuleFile, diagnostics: &mut Vec<Diagnostic>) {
    let policy = file.hit_policy();
    for rule in &file.rules {
        let settings = [
            (
                rule.priority.as_ref().map(|p| p.span),
                "priority",
                HitPolicy::Priority,
            ),
            (
                rule.weight.as_ref().map(|w| w.span),
                "weight",
                HitPolicy::Vote,
            ),
        ];
        for (span, setting, needs) in settings {
            let Some(span) = span else { continue };
            if policy == needs {
                continue;
            }
            diagnostics.push(
                Diagnostic::warning(
                    Code::SettingWithoutEffect,
                    format!(
                        "`{setting}` has no effect under `policy {}`",
                        policy.keyword()
                    ),
                    span,
                )
                .with_help(format!(
                    "declare `policy {}` to use it, or remove the setting",
                    needs.keyword()
                )),
            );
        }
    }
}
