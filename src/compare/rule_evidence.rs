//! Evidence for each rule on the training and the test rows. For each rule: where it fires,
//! how often it is right there, and which rows it decides. Also where it overlaps or conflicts
//! with other rules, and how often the tree gives the same class.

use serde::Serialize;

use crate::rules::compiled::RuleSet;
use crate::rules::eval::Firing;

/// One part of the data with everything the evidence is computed from.
pub struct PartRows<'a> {
    /// Row indices into the table, in ascending order.
    pub rows: &'a [usize],
    /// The true class of each of `rows`.
    pub truth: &'a [u32],
    /// The tree's class for each of `rows`.
    pub tree: &'a [u32],
}

/// The record of one rule on one part of the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleStats {
    /// Rows where the rule's condition is true.
    pub fires: u64,
    /// `fires` as a share of the part's rows.
    pub coverage: f64,
    /// Firing rows whose true class is the rule's class.
    pub correct: u64,
    pub wrong: u64,
    /// `correct / fires`; `None` when the rule never fires.
    pub precision: Option<f64>,
    /// Rows the rule decided under the hit policy.
    pub wins: u64,
    /// Rows it decided whose true class is the rule's class.
    pub wins_correct: u64,
    /// Firing rows where at least one other rule fires too.
    pub overlaps: u64,
    /// Overlapping rows where another firing rule predicts a different class.
    pub conflicts: u64,
    /// Firing rows where the tree predicts the rule's class.
    pub tree_agrees: u64,
    /// `tree_agrees / fires`; `None` when the rule never fires.
    pub tree_agreement: Option<f64>,
}

/// The evidence for one rule on the training and the test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleEvidence {
    pub rule: String,
    pub class: String,
    pub train: RuleStats,
    pub test: RuleStats,
}

/// The rows of one part where no rule fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotFired {
    pub rows: u64,
    /// Of those, rows whose true class is the default class (0 when there is no default and
    /// the rules abstain).
    pub default_correct: u64,
    /// Of those, rows where the tree predicts the true class.
    pub tree_correct: u64,
}

/// The evidence for every rule, in file order, and for the rows no rule covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceReport {
    pub rules: Vec<RuleEvidence>,
    pub not_fired_train: NotFired,
    pub not_fired_test: NotFired,
}

/// Pairwise counts between rules on one part: `overlaps[i][j]` rows where rules `i` and `j`
/// both fire (the diagonal is each rule's own firing count), `conflicts[i][j]` the same rows
/// when the two predict different classes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCounts {
    pub overlaps: Vec<Vec<u64>>,
    pub conflicts: Vec<Vec<u64>>,
}

/// The overlap and conflict matrix between rules, on the training and the test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMatrix {
    pub rules: Vec<String>,
    pub train: PairCounts,
    pub test: PairCounts,
}

/// Computes the evidence for every rule on the training and the test rows.
pub fn rule_evidence(
    rule_set: &RuleSet,
    firing: &Firing,
    train: &PartRows,
    test: &PartRows,
) -> EvidenceReport {
    let (train_stats, not_fired_train) = part_evidence(rule_set, firing, train);
    let (test_stats, not_fired_test) = part_evidence(rule_set, firing, test);
    let rules = train_stats
        .into_iter()
        .zip(test_stats)
        .enumerate()
        .map(|(rule, (train, test))| RuleEvidence {
            rule: rule_set.names[rule].clone(),
            class: rule_set.class_names[rule_set.classes[rule] as usize].clone(),
            train,
            test,
        })
        .collect();
    EvidenceReport {
        rules,
        not_fired_train,
        not_fired_test,
    }
}

/// Computes the pairwise overlap and conflict counts on the training and the test rows.
/// The cost grows with the square of the number of rules, so it is computed on request.
pub fn rule_matrix(
    rule_set: &RuleSet,
    firing: &Firing,
    train: &[usize],
    test: &[usize],
) -> RuleMatrix {
    RuleMatrix {
        rules: rule_set.names.clone(),
        train: pair_counts(rule_set, firing, train),
        test: pair_counts(rule_set, firing, test),
    }
}

fn part_evidence(
    rule_set: &RuleSet,
    firing: &Firing,
    part: &PartRows,
) -> (Vec<RuleStats>, NotFired) {
    let n_classes = rule_set.class_names.len();
    let n_rules = rule_set.len();

    // Per part row: how many rules fire, and how many of them predict each class.
    let mut firing_count = vec![0u32; part.rows.len()];
    let mut class_count = vec![0u32; part.rows.len() * n_classes];
    for rule in 0..n_rules {
        let class = rule_set.classes[rule] as usize;
        for (position, &row) in part.rows.iter().enumerate() {
            if firing.rule_fires(rule, row) {
                firing_count[position] += 1;
                class_count[position * n_classes + class] += 1;
            }
        }
    }

    let mut stats = Vec::with_capacity(n_rules);
    for rule in 0..n_rules {
        let class = rule_set.classes[rule];
        let mut s = RuleStats {
            fires: 0,
            coverage: 0.0,
            correct: 0,
            wrong: 0,
            precision: None,
            wins: 0,
            wins_correct: 0,
            overlaps: 0,
            conflicts: 0,
            tree_agrees: 0,
            tree_agreement: None,
        };
        for (position, &row) in part.rows.iter().enumerate() {
            if !firing.rule_fires(rule, row) {
                continue;
            }
            let right = part.truth[position] == class;
            s.fires += 1;
            s.correct += u64::from(right);
            s.tree_agrees += u64::from(part.tree[position] == class);
            s.overlaps += u64::from(firing_count[position] > 1);
            let same_class = class_count[position * n_classes + class as usize];
            s.conflicts += u64::from(same_class < firing_count[position]);
            if firing.winner(row) == Some(rule as u32) {
                s.wins += 1;
                s.wins_correct += u64::from(right);
            }
        }
        s.wrong = s.fires - s.correct;
        s.coverage = share(s.fires, part.rows.len() as u64).unwrap_or(0.0);
        s.precision = share(s.correct, s.fires);
        s.tree_agreement = share(s.tree_agrees, s.fires);
        stats.push(s);
    }

    let mut not_fired = NotFired {
        rows: 0,
        default_correct: 0,
        tree_correct: 0,
    };
    for (position, &count) in firing_count.iter().enumerate() {
        if count > 0 {
            continue;
        }
        let truth = part.truth[position];
        not_fired.rows += 1;
        not_fired.default_correct += u64::from(rule_set.default == Some(truth));
        not_fired.tree_correct += u64::from(part.tree[position] == truth);
    }
    (stats, not_fired)
}

fn pair_counts(rule_set: &RuleSet, firing: &Firing, rows: &[usize]) -> PairCounts {
    let n = rule_set.len();
    let mut overlaps = vec![vec![0u64; n]; n];
    let mut conflicts = vec![vec![0u64; n]; n];
    for &row in rows {
        let fired: Vec<usize> = (0..n).filter(|&r| firing.rule_fires(r, row)).collect();
        for &i in &fired {
            for &j in &fired {
                overlaps[i][j] += 1;
                if rule_set.classes[i] != rule_set.classes[j] {
                    conflicts[i][j] += 1;
                }
            }
        }
    }
    PairCounts {
        overlaps,
        conflicts,
    }
}

fn share(count: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| count as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::syntax::HitPolicy;

    /// Three rules over six rows. Rule 0 (class 1) fires on rows 0-2, rule 1 (class 0) on
    /// rows 2-3, rule 2 (class 1) on rows 1-2. Winners are first-match.
    fn example() -> (RuleSet, Firing) {
        let rule_set = RuleSet {
            names: vec!["a".into(), "b".into(), "c".into()],
            tests: Vec::new(),
            classes: vec![1, 0, 1],
            default: Some(0),
            class_names: vec!["no".into(), "yes".into()],
            policy: HitPolicy::First,
            priorities: vec![0; 3],
            weights: vec![1.0; 3],
        };
        let firing = Firing::new(
            vec![vec![0b000111], vec![0b001100], vec![0b000110]],
            &[Some(0), Some(0), Some(0), Some(1), None, None],
        );
        (rule_set, firing)
    }

    #[test]
    fn evidence_counts_fires_wins_overlaps_and_conflicts() {
        let (rule_set, firing) = example();
        let rows = [0, 1, 2, 3, 4, 5];
        let truth = [1, 1, 0, 0, 0, 1];
        let tree = [1, 0, 0, 0, 0, 0];
        let part = PartRows {
            rows: &rows,
            truth: &truth,
            tree: &tree,
        };
        let report = rule_evidence(&rule_set, &firing, &part, &part);
        let a = &report.rules[0].train;
        assert_eq!(a.fires, 3);
        assert_eq!(a.correct, 2);
        assert_eq!(a.wrong, 1);
        assert_eq!(a.precision, Some(2.0 / 3.0));
        assert_eq!(a.wins, 3);
        assert_eq!(a.wins_correct, 2);
        // Rows 1 and 2 have another rule firing; only row 2 has one of another class.
        assert_eq!(a.overlaps, 2);
        assert_eq!(a.conflicts, 1);
        assert_eq!(a.tree_agrees, 1);
        assert_eq!(a.coverage, 0.5);

        let b = &report.rules[1].test;
        assert_eq!(b.fires, 2);
        assert_eq!(b.wins, 1);
        assert_eq!(b.conflicts, 1);
        assert_eq!(b.overlaps, 1);
        assert_eq!(b.tree_agreement, Some(1.0));

        // Rows 4 and 5: the default `no` is right on row 4, the tree on row 4 too.
        assert_eq!(report.not_fired_test.rows, 2);
        assert_eq!(report.not_fired_test.default_correct, 1);
        assert_eq!(report.not_fired_test.tree_correct, 1);
    }

    #[test]
    fn rule_that_never_fires_has_no_precision() {
        let (rule_set, firing) = example();
        let rows = [4, 5];
        let part = PartRows {
            rows: &rows,
            truth: &[0, 1],
            tree: &[0, 1],
        };
        let report = rule_evidence(&rule_set, &firing, &part, &part);
        assert_eq!(report.rules[0].train.precision, None);
        assert_eq!(report.rules[0].train.tree_agreement, None);
    }

    #[test]
    fn matrix_is_symmetric_with_fires_on_diagonal() {
        let (rule_set, firing) = example();
        let matrix = rule_matrix(&rule_set, &firing, &[0, 1, 2, 3, 4, 5], &[2]);
        assert_eq!(
            matrix.train.overlaps,
            vec![vec![3, 1, 2], vec![1, 2, 1], vec![2, 1, 2]]
        );
        assert_eq!(
            matrix.train.conflicts,
            vec![vec![0, 1, 0], vec![1, 0, 1], vec![0, 1, 0]]
        );
        assert_eq!(matrix.test.overlaps[0][1], 1);
    }
}
