//! Evaluates a [`RuleSet`] over a table, a block of rows at a time, then combines the rules
//! that are true on each row under the file's hit policy.
//!
//! Each block of [`BLOCK_ROWS`] rows is evaluated on its own: every rule's true rows as a
//! bitmask (see [`super::truth`]), then the rule that decides each row. Blocks run in
//! parallel and write disjoint parts of the result, so the result does not depend on the
//! number of threads.

use rayon::prelude::*;

use super::compiled::RuleSet;
use super::syntax::HitPolicy;
use super::truth::{mask, Block, BLOCK_ROWS};
use crate::data::Table;

const BLOCK_WORDS: usize = BLOCK_ROWS / 64;

/// The rows each rule fires on, and the rule that decided each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// `fires[rule]` has bit `row` set when the rule's condition is true on that row.
    pub fires: Vec<Vec<u64>>,
    /// Per row, 1 + the index of the rule that decided it, or 0 where no rule fired; 0 lets
    /// the vector start as zeroed memory that only decided rows write to.
    winners: Vec<u32>,
}

impl Firing {
    /// Builds the firing record from each rule's bitmask and each row's winner.
    pub fn new(fires: Vec<Vec<u64>>, winners: &[Option<u32>]) -> Firing {
        let winners = winners
            .iter()
            .map(|w| w.map_or(0, |rule| rule + 1))
            .collect();
        Firing { fires, winners }
    }

    pub fn rule_fires(&self, rule: usize, row: usize) -> bool {
        self.fires[rule][row / 64] & (1 << (row % 64)) != 0
    }

    /// The rule that decided `row`, `None` where no rule fired. Under `first`, it is the
    /// first true rule in file order. Under `priority`, it is the true rule with the highest
    /// priority (ties in file order). Under `vote`, it is the first true rule in file order
    /// among those voting for the winning class. Under `unique`, it is the one true rule,
    /// or on a conflict the first true rule in file order, and the row then gets no class.
    pub fn winner(&self, row: usize) -> Option<u32> {
        self.winners[row].checked_sub(1)
    }

    /// Returns the winner of every row, in row order.
    pub fn winners(&self) -> impl Iterator<Item = Option<u32>> + '_ {
        (0..self.n_rows()).map(|row| self.winner(row))
    }

    pub fn n_rows(&self) -> usize {
        self.winners.len()
    }
}

/// The outcome of the rules for each row: the class and the rule that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdicts {
    pub firing: Firing,
    /// The class index each rule predicts.
    rule_classes: Vec<u32>,
    /// The class of rows that no rule decided.
    default: Option<u32>,
    /// The hit policy the rules were combined with.
    pub policy: HitPolicy,
    /// Under `unique`, the number of true rules per row where more than one is true and 0
    /// elsewhere; empty under the other policies.
    conflicts: Vec<u32>,
}

impl Verdicts {
    pub fn n_rows(&self) -> usize {
        self.firing.n_rows()
    }

    /// The predicted class of `row`; `None` (the row abstains) when no rule fired and there
    /// is no default, or on a conflict under `unique`.
    pub fn class(&self, row: usize) -> Option<u32> {
        if self.conflicts(row) > 0 {
            return None;
        }
        match self.firing.winner(row) {
            Some(rule) => Some(self.rule_classes[rule as usize]),
            None => self.default,
        }
    }

    /// Returns the class of every row, in row order.
    pub fn classes(&self) -> impl Iterator<Item = Option<u32>> + '_ {
        (0..self.n_rows()).map(|row| self.class(row))
    }

    /// Under `unique`, the number of true rules on `row` when more than one is true; 0 on
    /// every other row and under the other policies.
    pub fn conflicts(&self, row: usize) -> u32 {
        self.conflicts.get(row).copied().unwrap_or(0)
    }

    /// Rows where more than one rule fired under `unique`.
    pub fn conflict_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.conflicts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(row, _)| row)
    }
}

/// The parts of the result that one block writes.
struct BlockOutput<'a> {
    fires: Vec<&'a mut [u64]>,
    winners: &'a mut [u32],
    conflicts: Option<&'a mut [u32]>,
}

/// Evaluates every rule on every row of `table` and combines them under the rules' hit
/// policy. Rows that no rule covers get the default class, or none without a default.
pub fn evaluate(rules: &RuleSet, table: &Table) -> Verdicts {
    let rows = table.n_rows();
    let words = rows.div_ceil(64);
    let mut fires = vec![vec![0u64; words]; rules.len()];
    let mut winners = vec![0u32; rows];
    let unique = rules.policy == HitPolicy::Unique;
    let mut conflicts = if unique { vec![0u32; rows] } else { Vec::new() };

    let mut blocks: Vec<BlockOutput> = winners
        .chunks_mut(BLOCK_ROWS)
        .map(|winners| BlockOutput {
            fires: Vec::with_capacity(rules.len()),
            winners,
            conflicts: None,
        })
        .collect();
    for rule_fires in &mut fires {
        for (block, words) in blocks.iter_mut().zip(rule_fires.chunks_mut(BLOCK_WORDS)) {
            block.fires.push(words);
        }
    }
    for (block, counts) in blocks.iter_mut().zip(conflicts.chunks_mut(BLOCK_ROWS)) {
        block.conflicts = Some(counts);
    }

    let order = rules.decision_order();
    blocks
        .into_par_iter()
        .enumerate()
        .for_each(|(index, mut output)| {
            let block = Block {
                table,
                start: index * BLOCK_ROWS,
                len: output.winners.len(),
            };
            for (test, out) in rules.tests.iter().zip(output.fires.iter_mut()) {
                mask(test, true, &block, out);
            }
            match rules.policy {
                HitPolicy::First | HitPolicy::Priority | HitPolicy::Unique => {
                    first_in_order(&output.fires, &order, output.winners);
                }
                HitPolicy::Vote => vote(rules, &output.fires, output.winners),
            }
            if let Some(counts) = output.conflicts {
                count_conflicts(&output.fires, counts);
            }
        });

    Verdicts {
        firing: Firing { fires, winners },
        rule_classes: rules.classes.clone(),
        default: rules.default,
        policy: rules.policy,
        conflicts,
    }
}

/// Sets each row's winner (1 + rule index) to the first rule in `order` that fires there.
fn first_in_order(fires: &[&mut [u64]], order: &[usize], winners: &mut [u32]) {
    let rows = winners.len();
    let mut open = [u64::MAX; BLOCK_WORDS];
    let open = &mut open[..rows.div_ceil(64)];
    if !rows.is_multiple_of(64) {
        open[rows / 64] = (1u64 << (rows % 64)) - 1;
    }
    for &rule in order {
        let mut any_open = 0u64;
        for (word, (open, &fired)) in open.iter_mut().zip(fires[rule].iter()).enumerate() {
            let mut taken = fired & *open;
            *open &= !taken;
            any_open |= *open;
            while taken != 0 {
                let bit = taken.trailing_zeros() as usize;
                winners[word * 64 + bit] = rule as u32 + 1;
                taken &= taken - 1;
            }
        }
        if any_open == 0 {
            break;
        }
    }
}

/// Sets each row's number of true rules where more than one is true.
fn count_conflicts(fires: &[&mut [u64]], counts: &mut [u32]) {
    for rule_fires in fires {
        for (word, &fired) in rule_fires.iter().enumerate() {
            let mut bits = fired;
            while bits != 0 {
                counts[word * 64 + bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
    }
    for count in counts.iter_mut() {
        if *count < 2 {
            *count = 0;
        }
    }
}

/// Picks the weighted majority of the true rules on each row. A tie goes to the class whose
/// first true rule comes first in the file, and the winner is that class's first true rule.
fn vote(rules: &RuleSet, fires: &[&mut [u64]], winners: &mut [u32]) {
    let mut totals = vec![0.0f64; rules.class_names.len().max(1)];
    let mut first_rule: Vec<Option<u32>> = vec![None; totals.len()];
    for (row, winner) in winners.iter_mut().enumerate() {
        totals.iter_mut().for_each(|t| *t = 0.0);
        first_rule.iter_mut().for_each(|r| *r = None);
        let mut best: Option<(f64, u32)> = None;
        for (rule, bits) in fires.iter().enumerate() {
            if bits[row / 64] & (1 << (row % 64)) == 0 {
                continue;
            }
            let class = rules.classes[rule] as usize;
            totals[class] += rules.weights[rule];
            first_rule[class].get_or_insert(rule as u32);
        }
        // Visit classes in the order their first true rule appears, so a tie keeps the
        // earlier one.
        let mut candidates: Vec<(u32, usize)> = first_rule
            .iter()
            .enumerate()
            .filter_map(|(class, rule)| rule.map(|r| (r, class)))
            .collect();
        candidates.sort_unstable();
        for (rule, class) in candidates {
            if best.is_none_or(|(total, _)| totals[class] > total) {
                best = Some((totals[class], rule));
            }
        }
        if let Some((_, rule)) = best {
            *winner = rule + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::rules::truth::tests::{random_test, reference, table};

    /// Finds the rule that decides a row under the policy from the rules true on it.
    fn reference_winner(rules: &RuleSet, fired: &[usize]) -> Option<u32> {
        match rules.policy {
            HitPolicy::First | HitPolicy::Unique => fired.first().map(|&r| r as u32),
            HitPolicy::Priority => fired
                .iter()
                .max_by_key(|&&r| (rules.priorities[r], std::cmp::Reverse(r)))
                .map(|&r| r as u32),
            HitPolicy::Vote => {
                let total = |class: u32| -> f64 {
                    fired
                        .iter()
                        .filter(|&&r| rules.classes[r] == class)
                        .map(|&r| rules.weights[r])
                        .sum()
                };
                // Classes in the order of their first true rule; the first largest total wins.
                let mut best: Option<(f64, usize)> = None;
                for &rule in fired {
                    let class = rules.classes[rule];
                    if fired.iter().any(|&r| r < rule && rules.classes[r] == class) {
                        continue;
                    }
                    if best.is_none_or(|(t, _)| total(class) > t) {
                        best = Some((total(class), rule));
                    }
                }
                best.map(|(_, rule)| rule as u32)
            }
        }
    }

    #[test]
    fn evaluation_matches_row_by_row_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        // Three blocks, the last one partial.
        let rows = 2 * BLOCK_ROWS + 100;
        let table = table(rows, &mut rng);
        for policy in [
            HitPolicy::First,
            HitPolicy::Priority,
            HitPolicy::Vote,
            HitPolicy::Unique,
        ] {
            for _ in 0..20 {
                let count = rng.gen_range(1..6);
                let rules = RuleSet {
                    names: (0..count).map(|r| format!("r{r}")).collect(),
                    tests: (0..count).map(|_| random_test(&mut rng, 2)).collect(),
                    classes: (0..count).map(|_| rng.gen_range(0..3)).collect(),
                    default: [None, Some(1)][rng.gen_range(0..2)],
                    class_names: vec!["a".into(), "b".into(), "c".into()],
                    policy,
                    priorities: (0..count).map(|_| rng.gen_range(0..3)).collect(),
                    weights: (0..count).map(|_| f64::from(rng.gen_range(1..4))).collect(),
                };
                let verdicts = evaluate(&rules, &table);
                assert_eq!(verdicts.n_rows(), rows);
                for row in 0..rows {
                    let fired: Vec<usize> = (0..count)
                        .filter(|&r| reference(&rules.tests[r], &table, row) == Some(true))
                        .collect();
                    for rule in 0..count {
                        assert_eq!(verdicts.firing.rule_fires(rule, row), fired.contains(&rule));
                    }
                    let winner = reference_winner(&rules, &fired);
                    assert_eq!(verdicts.firing.winner(row), winner, "{policy:?} row {row}");
                    let conflict = policy == HitPolicy::Unique && fired.len() > 1;
                    let expected_conflicts = if conflict { fired.len() as u32 } else { 0 };
                    assert_eq!(verdicts.conflicts(row), expected_conflicts);
                    let class = match winner {
                        _ if conflict => None,
                        Some(rule) => Some(rules.classes[rule as usize]),
                        None => rules.default,
                    };
                    assert_eq!(verdicts.class(row), class);
                }
                let words = rows.div_ceil(64);
                for fires in &verdicts.firing.fires {
                    assert_eq!(fires.len(), words);
                    assert_eq!(
                        fires[words - 1] >> (rows % 64),
                        0,
                        "no bits past the last row"
                    );
                }
            }
        }
    }

    #[test]
    fn evaluation_is_the_same_on_any_number_of_threads() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let table = table(3 * BLOCK_ROWS + 7, &mut rng);
        let rules = RuleSet {
            names: vec!["a".into(), "b".into()],
            tests: vec![random_test(&mut rng, 3), random_test(&mut rng, 3)],
            classes: vec![0, 1],
            default: None,
            class_names: vec!["x".into(), "y".into()],
            policy: HitPolicy::First,
            priorities: vec![0, 0],
            weights: vec![1.0, 1.0],
        };
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| evaluate(&rules, &table))
        };
        let one = on(1);
        assert_eq!(on(2), one);
        assert_eq!(on(5), one);
    }
}
