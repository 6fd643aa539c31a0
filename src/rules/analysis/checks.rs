//! Checks that need no data: conditions that are never true, redundant parts of a
//! condition, rules that an earlier rule always beats, overlapping rules under `unique`,
//! unused constants, and rule settings that the hit policy ignores.

use std::collections::HashSet;

use super::terms::{terms_overlap, terms_within, Expander, Term};
use crate::rules::constants::evaluate_constants;
use crate::rules::diagnostic::{shorten, Code, Diagnostic, Position};
use crate::rules::format::print_condition;
use crate::rules::syntax::{Condition, Expr, HitPolicy, LetValue, RuleFile, SetExpr};

/// What the static checks found about each rule, for the checks on data to build on.
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
    match file.hit_policy() {
        HitPolicy::First | HitPolicy::Priority => shadowed_rules(file, text, &terms, &mut findings),
        HitPolicy::Unique => overlapping_rules(file, text, &terms, &mut findings.diagnostics),
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
        for k in 0..parts.len() {
            let prefix = Condition::And(parts[..=k].to_vec());
            if expander.terms(&prefix, true).is_some_and(|t| t.is_empty()) {
                culprit = &parts[k];
                earlier = k > 0
                    && !expander
                        .terms(&parts[k], true)
                        .is_some_and(|t| t.is_empty());
                break;
            }
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

/// Why a test against a constant is never true, when the constant has no value.
fn missing_constant_note(condition: &Condition) -> &'static str {
    let divides = |e: &Expr| matches!(e, Expr::Binary { op, .. } if op.symbol() == "/");
    match condition {
        Condition::Compare { left, right, .. } if divides(left) || divides(right) => {
            ": a division by zero gives a missing value, and a comparison with a missing value \
             is never true"
        }
        Condition::Compare { .. } | Condition::Between { .. } => {
            ": a comparison with a missing value is never true"
        }
        Condition::In { .. } => ": nothing is in an empty set",
        _ => "",
    }
}

/// Reports parts of an `and` that the other parts imply, and parts of an `or` that the
/// other parts cover. Removing such a part changes no row's outcome, unknown included.
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
    for k in 0..parts.len() {
        let others: Vec<Condition> = (0..parts.len())
            .filter(|&i| i != k && kept[i])
            .map(|i| parts[i].clone())
            .collect();
        if others.is_empty() {
            continue;
        }
        let rest = if is_and {
            Condition::And(others)
        } else {
            Condition::Or(others)
        };
        let redundant = if is_and {
            implies(expander, &rest, &parts[k])
        } else {
            implies(expander, &parts[k], &rest)
        };
        if redundant {
            kept[k] = false;
            let shown = shorten(&print_condition(file, &parts[k]), 60);
            let (message, help) = if is_and {
                (
                    format!("`{shown}` is redundant: the rest of the `and` implies it"),
                    "remove it; the rule fires on the same rows without it",
                )
            } else {
                (
                    format!("`{shown}` is redundant: the rest of the `or` covers it"),
                    "remove it; the rule fires on the same rows without it",
                )
            };
            diagnostics.push(
                Diagnostic::warning(Code::RedundantPart, message, parts[k].covering_span())
                    .with_help(help),
            );
        }
    }
    for (part, keep) in parts.iter().zip(kept) {
        if keep {
            redundant_parts(expander, file, part, diagnostics);
        }
    }
}

/// True when `a` implies `b` in three-valued logic: wherever `a` is true `b` is true, and
/// wherever `b` is false `a` is false.
fn implies(expander: &mut Expander, a: &Condition, b: &Condition) -> bool {
    let (Some(a_true), Some(b_true)) = (expander.terms(a, true), expander.terms(b, true)) else {
        return false;
    };
    let (Some(a_false), Some(b_false)) = (expander.terms(a, false), expander.terms(b, false))
    else {
        return false;
    };
    terms_within(&a_true, &b_true) && terms_within(&b_false, &a_false)
}

/// Under `first` and `priority`, a rule never decides a row when a rule tried before it is
/// true wherever it is.
fn shadowed_rules(
    file: &RuleFile,
    text: &str,
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
        let line = Position::of(text, earlier.name.span.start).line;
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
    text: &str,
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
        let line = Position::of(text, earlier.name.span.start).line;
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
