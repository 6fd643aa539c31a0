//! Checks of what the rules do on the rows of a data file: rules that fire on no row, rules
//! whose rows are all decided by other rules, and rows where several rules conflict under
//! `policy unique`. Also counts, per rule, the rows it fires on, decides and gets right, as
//! Snorkel's labeling-function summary does.

use serde::Serialize;

use super::checks::StaticFindings;
use crate::rules::compiled::RuleSet;
use crate::rules::diagnostic::{Code, Diagnostic};
use crate::rules::eval::Verdicts;
use crate::rules::syntax::{HitPolicy, RuleFile};

/// Most rule pairs reported as conflicting; the rest are counted in the last message.
const MAX_CONFLICT_PAIRS: usize = 20;

/// The counts of one rule on the checked rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleStatistics {
    pub rule: String,
    pub class: String,
    /// Rows where its condition is true.
    pub fires: usize,
    /// Rows it decided (it was the winner and the row got its class).
    pub decides: usize,
    /// Decided rows whose label is the rule's class; `None` without labels. Named apart
    /// from `compare`'s `correct`, which counts the rows where the rule fires.
    #[serde(rename = "correct_when_deciding")]
    pub correct: Option<usize>,
}

/// The rows checked and what to call them in messages.
pub struct CheckedRows<'a> {
    pub rows: &'a [usize],
    /// Such as "training rows" or "rows".
    pub noun: &'a str,
    /// The label of each row of the table, when the data has the target column.
    pub labels: Option<&'a [Option<u32>]>,
    /// The line of the data file each row came from.
    pub line_numbers: &'a [u64],
    pub data_name: &'a str,
}

/// Runs the checks on data. `findings` from the static checks keep a rule from being
/// reported twice for the same cause.
pub fn check_on_rows(
    file: &RuleFile,
    rules: &RuleSet,
    verdicts: &Verdicts,
    checked: &CheckedRows,
    findings: &StaticFindings,
) -> (Vec<Diagnostic>, Vec<RuleStatistics>) {
    let statistics = statistics(rules, verdicts, checked);
    let mut diagnostics = Vec::new();
    let total = checked.rows.len();
    for (index, stats) in statistics.iter().enumerate() {
        let name = &file.rules[index].name;
        if stats.fires == 0 {
            if !findings.never_true.contains(&index) {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::FiresOnNoRows,
                        format!(
                            "rule `{}` fires on none of the {total} {}",
                            name.text, checked.noun
                        ),
                        name.span,
                    )
                    .with_help("check its thresholds and values against the data"),
                );
            }
            continue;
        }
        let decided_elsewhere = stats.decides == 0
            && matches!(rules.policy, HitPolicy::First | HitPolicy::Priority)
            && !findings.shadowed.contains(&index);
        if decided_elsewhere {
            diagnostics.push(rows_taken(
                file,
                rules,
                verdicts,
                checked,
                index,
                stats.fires,
            ));
        }
    }
    if rules.policy == HitPolicy::Unique {
        conflicts(file, verdicts, checked, &mut diagnostics);
    }
    (diagnostics, statistics)
}

fn statistics(rules: &RuleSet, verdicts: &Verdicts, checked: &CheckedRows) -> Vec<RuleStatistics> {
    let mut stats: Vec<RuleStatistics> = (0..rules.len())
        .map(|rule| RuleStatistics {
            rule: rules.names[rule].clone(),
            class: rules.class_names[rules.classes[rule] as usize].clone(),
            fires: 0,
            decides: 0,
            correct: checked.labels.map(|_| 0),
        })
        .collect();
    // Count firings a word at a time: the checked rows as a bit mask, ANDed with each rule's.
    let mut mask = vec![0u64; verdicts.n_rows().div_ceil(64)];
    for &row in checked.rows {
        mask[row / 64] |= 1 << (row % 64);
    }
    for (entry, fires) in stats.iter_mut().zip(&verdicts.firing.fires) {
        entry.fires = fires
            .iter()
            .zip(&mask)
            .map(|(f, m)| (f & m).count_ones() as usize)
            .sum();
    }
    for &row in checked.rows {
        let Some(winner) = verdicts.firing.winner(row) else {
            continue;
        };
        if verdicts.class(row).is_none() {
            continue;
        }
        let entry = &mut stats[winner as usize];
        entry.decides += 1;
        if let (Some(labels), Some(correct)) = (checked.labels, entry.correct.as_mut()) {
            if labels[row] == Some(rules.classes[winner as usize]) {
                *correct += 1;
            }
        }
    }
    stats
}

/// Reports a rule that fires but never decides, naming the rules that decide its rows.
fn rows_taken(
    file: &RuleFile,
    rules: &RuleSet,
    verdicts: &Verdicts,
    checked: &CheckedRows,
    rule: usize,
    fires: usize,
) -> Diagnostic {
    let mut takers: Vec<(usize, usize)> = Vec::new();
    for &row in checked.rows {
        if !verdicts.firing.rule_fires(rule, row) {
            continue;
        }
        if let Some(winner) = verdicts.firing.winner(row) {
            match takers.iter_mut().find(|(r, _)| *r == winner as usize) {
                Some((_, count)) => *count += 1,
                None => takers.push((winner as usize, 1)),
            }
        }
    }
    takers.sort_by_key(|&(r, count)| (std::cmp::Reverse(count), r));
    let listed: Vec<String> = takers
        .iter()
        .map(|(r, count)| format!("`{}` ({count})", rules.names[*r]))
        .collect();
    let before = if rules.policy == HitPolicy::Priority {
        "rules with a higher priority"
    } else {
        "earlier rules"
    };
    let name = &file.rules[rule].name;
    Diagnostic::warning(
        Code::RowsTaken,
        format!(
            "rule `{}` fires on {fires} {}, but {before} decide all of them: {}",
            name.text,
            checked.noun,
            listed.join(", ")
        ),
        name.span,
    )
    .with_help(format!(
        "move `{}` earlier, or remove it if those rules already say what it says",
        name.text
    ))
}

/// Under `unique`, counts the rows where each pair of rules fires together.
fn conflicts(
    file: &RuleFile,
    verdicts: &Verdicts,
    checked: &CheckedRows,
    out: &mut Vec<Diagnostic>,
) {
    let rules = verdicts.firing.fires.len();
    let mut pairs: Vec<((usize, usize), usize, usize)> = Vec::new();
    for &row in checked.rows {
        if verdicts.conflicts(row) == 0 {
            continue;
        }
        let firing: Vec<usize> = (0..rules)
            .filter(|&r| verdicts.firing.rule_fires(r, row))
            .collect();
        for (a, &i) in firing.iter().enumerate() {
            for &j in &firing[a + 1..] {
                match pairs.iter_mut().find(|(pair, _, _)| *pair == (i, j)) {
                    Some((_, count, _)) => *count += 1,
                    None => pairs.push(((i, j), 1, row)),
                }
            }
        }
    }
    pairs.sort_by_key(|&((i, j), count, _)| (std::cmp::Reverse(count), i, j));
    let conflict_rows = checked
        .rows
        .iter()
        .filter(|&&r| verdicts.conflicts(r) > 0)
        .count();
    for (position, &((i, j), count, first_row)) in pairs.iter().enumerate() {
        if position == MAX_CONFLICT_PAIRS {
            let rest = pairs.len() - MAX_CONFLICT_PAIRS;
            let name = &file.rules[j].name;
            out.push(Diagnostic::warning(
                Code::ConflictingRows,
                format!(
                    "{rest} more pairs of rules fire together on some {}",
                    checked.noun
                ),
                name.span,
            ));
            break;
        }
        let line = checked.line_numbers[first_row];
        let name = &file.rules[j].name;
        out.push(
            Diagnostic::warning(
                Code::ConflictingRows,
                format!(
                    "rules `{}` and `{}` both fire on {count} {} (such as line {line} of `{}`), \
                     which get no class under `policy unique`",
                    file.rules[i].name.text, name.text, checked.noun, checked.data_name
                ),
                name.span,
            )
            .with_help(format!(
                "in all, {conflict_rows} of the {} {} have a conflict; narrow the conditions so \
                 that only one rule holds",
                checked.rows.len(),
                checked.noun
            )),
        );
    }
}
