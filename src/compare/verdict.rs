//! The plain-words reading of a paired comparison. It states what the test can support and
//! no more: a p-value of 0.05 or above means the difference could be chance, and the size of
//! the difference always comes with its bootstrap interval.

use super::bootstrap::{Differences, Interval};
use super::paired::AgreementTable;
use super::phrases::capitalise;

/// The significance level the verdict reads p-values against.
pub const ALPHA: f64 = 0.05;

/// With this many discordant rows or fewer, no split reaches p < 0.05: the smallest exact
/// p-value is 2 · 0.5^5 = 0.0625.
const TOO_FEW_DISCORDANT: u64 = 5;

/// Writes the verdict on `first` against `second`, both named as they read in a sentence
/// ("the rules", "the tree").
pub fn paired_verdict(
    first: &str,
    second: &str,
    table: &AgreementTable,
    p_value: f64,
    differences: &Differences,
    confidence: f64,
) -> String {
    let accuracy = &differences.accuracy;
    let rows = table.total();
    if table.discordant() == 0 {
        return format!(
            "{} and {second} are right on exactly the same {rows} test rows, so there is no \
             difference in accuracy to test.",
            capitalise(first)
        );
    }

    let mut sentences = vec![format!(
        "Only {first} {} right on {}, and only {second} on {}.",
        if is_plural(first) { "were" } else { "was" },
        rows_phrase(table.only_first_right),
        rows_phrase(table.only_second_right)
    )];
    if p_value < ALPHA {
        sentences.push(format!(
            "McNemar's exact test gives {}: a split this uneven would be unlikely if both were \
             equally accurate, so the difference is probably not chance alone.",
            format_p_value(p_value)
        ));
    } else {
        sentences.push(format!(
            "McNemar's exact test gives {}: the difference could be chance.",
            format_p_value(p_value)
        ));
    }
    if table.discordant() <= TOO_FEW_DISCORDANT {
        sentences.push(format!(
            "With only {} no split could reach p < {ALPHA}; more test rows are needed to tell \
             the two apart.",
            if table.discordant() == 1 {
                "1 such row".to_string()
            } else {
                format!("{} such rows", table.discordant())
            }
        ));
    }
    sentences.push(size_sentence(first, second, accuracy, confidence));
    if let Some(sentence) = macro_f1_sentence(differences) {
        sentences.push(sentence);
    }
    sentences.join(" ")
}

/// Points out a macro F1 interval that reads differently from the accuracy interval: one
/// excludes zero and the other does not.
fn macro_f1_sentence(differences: &Differences) -> Option<String> {
    let (accuracy, macro_f1) = (&differences.accuracy, &differences.macro_f1);
    if accuracy.excludes_zero() == macro_f1.excludes_zero() {
        return None;
    }
    let bounds = format!(
        "{} to {} points",
        points(macro_f1.low),
        points(macro_f1.high)
    );
    let reading = if macro_f1.excludes_zero() {
        "excludes zero, so by that measure the difference is larger than the resampling noise"
    } else {
        "includes zero (no difference), so by that measure the difference could be resampling \
         noise"
    };
    Some(format!(
        "Macro F1, which weighs every class equally, reads differently: its difference of {} \
         points has an interval of {bounds}, which {reading}.",
        points(macro_f1.estimate)
    ))
}

/// Writes how rules and tree fare against the majority-class baseline, which always predicts
/// `baseline_class`. Each model comes with its 2 x 2 table against the baseline (the model
/// first) and the McNemar p-value of that table. A p-value of 0.05 or above reads as level
/// within noise.
pub fn baseline_verdict(
    baseline_class: &str,
    rules: (&AgreementTable, f64),
    tree: (&AgreementTable, f64),
) -> String {
    let table = rules.0;
    let baseline_right = table.both_right + table.only_second_right;
    let mut sentences = vec![format!(
        "The majority-class baseline (always `{baseline_class}`) is right on {baseline_right} of \
         the {} test rows.",
        table.total()
    )];
    for (name, (table, p_value)) in [("the rules", rules), ("the tree", tree)] {
        sentences.push(against_baseline(name, table, p_value));
    }
    sentences.join(" ")
}

/// States how many more or fewer test rows a model gets right than the baseline, and whether
/// that is beyond chance.
fn against_baseline(name: &str, table: &AgreementTable, p_value: f64) -> String {
    let verb = if is_plural(name) { "are" } else { "is" };
    let right = table.both_right + table.only_first_right;
    let start = format!("{} {verb} right on {right}", capitalise(name));
    let lead = table.only_first_right as i64 - table.only_second_right as i64;
    if lead == 0 {
        return format!("{start} too: level with the baseline.");
    }
    let (count, more, side) = if lead > 0 {
        (lead, "more", "ahead of the baseline")
    } else {
        (-lead, "fewer", "behind the baseline")
    };
    if p_value < ALPHA {
        format!(
            "{start}, {count} {more}: {side}, probably not by chance alone ({}).",
            format_p_value(p_value)
        )
    } else {
        format!(
            "{start}, {count} {more}, which could be chance ({}), so {name} {verb} level with \
             the baseline within noise.",
            format_p_value(p_value)
        )
    }
}

/// States the direction and size of the accuracy difference, with its interval.
fn size_sentence(first: &str, second: &str, accuracy: &Interval, confidence: f64) -> String {
    let level = format!("{:.0} %", confidence * 100.0);
    let bounds = format!(
        "{} to {} points",
        points(accuracy.low),
        points(accuracy.high)
    );
    let (leader, points_ahead) = if accuracy.estimate > 0.0 {
        (first, accuracy.estimate)
    } else if accuracy.estimate < 0.0 {
        (second, -accuracy.estimate)
    } else {
        return format!(
            "Their accuracy is the same on these rows ({level} bootstrap interval of the \
             difference: {bounds})."
        );
    };
    let lead = format!(
        "{} {} ahead by {} points of accuracy",
        capitalise(leader),
        if is_plural(leader) { "are" } else { "is" },
        points(points_ahead)
    );
    if accuracy.excludes_zero() {
        format!("{lead} ({level} bootstrap interval of {first} minus {second}: {bounds}).")
    } else {
        format!(
            "{lead}, but the {level} bootstrap interval of {first} minus {second} runs from \
             {bounds} and includes zero (no difference)."
        )
    }
}

/// True for names that take a plural verb, such as "the rules".
fn is_plural(name: &str) -> bool {
    name.ends_with('s')
}

fn rows_phrase(count: u64) -> String {
    if count == 1 {
        "1 test row".to_string()
    } else {
        format!("{count} test rows")
    }
}

/// Formats a share as percentage points with one decimal, such as `4.6` or `-2.1`.
fn points(share: f64) -> String {
    let value = share * 100.0;
    // Avoid printing `-0.0` for a difference that rounds to zero.
    if value.abs() < 0.05 {
        "0.0".to_string()
    } else {
        format!("{value:.1}")
    }
}

/// `p = 0.035`, or `p < 0.001` for smaller values.
pub fn format_p_value(p_value: f64) -> String {
    if p_value < 0.001 {
        format!("p {}", p_value_cell(p_value))
    } else {
        format!("p = {}", p_value_cell(p_value))
    }
}

/// Formats a p-value for a table cell: `0.035`, or `< 0.001` for smaller values.
pub fn p_value_cell(p_value: f64) -> String {
    if p_value < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p_value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(only_first: u64, only_second: u64) -> AgreementTable {
        AgreementTable {
            both_right: 100,
            only_first_right: only_first,
            only_second_right: only_second,
            both_wrong: 10,
        }
    }

    fn interval(estimate: f64, low: f64, high: f64) -> Differences {
        let accuracy = Interval {
            estimate,
            low,
            high,
        };
        Differences {
            accuracy,
            macro_f1: accuracy,
        }
    }

    #[test]
    fn large_p_value_says_chance() {
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(12, 8),
            0.503,
            &interval(0.031, -0.03, 0.09),
            0.95,
        );
        assert!(text.contains("p = 0.503"), "{text}");
        assert!(text.contains("could be chance"), "{text}");
        assert!(text.contains("The rules are ahead by 3.1 points"), "{text}");
        assert!(text.contains("includes zero (no difference)"), "{text}");
        assert!(!text.contains("significant"), "{text}");
    }

    #[test]
    fn small_p_value_names_the_leader_and_interval() {
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(5, 30),
            0.00002,
            &interval(-0.18, -0.26, -0.1),
            0.95,
        );
        assert!(text.contains("p < 0.001"), "{text}");
        assert!(text.contains("probably not chance alone"), "{text}");
        assert!(text.contains("The tree is ahead by 18.0 points"), "{text}");
        assert!(text.contains("-26.0 to -10.0 points"), "{text}");
    }

    #[test]
    fn no_discordant_rows_has_nothing_to_test() {
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(0, 0),
            1.0,
            &interval(0.0, 0.0, 0.0),
            0.95,
        );
        assert!(text.starts_with("The rules and the tree are right on exactly the same 110"));
    }

    #[test]
    fn macro_f1_interval_that_excludes_zero_is_named() {
        let mut differences = interval(0.042, -0.004, 0.088);
        differences.macro_f1 = Interval {
            estimate: 0.078,
            low: 0.025,
            high: 0.131,
        };
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(25, 14),
            0.108,
            &differences,
            0.95,
        );
        assert!(text.contains("includes zero (no difference)."), "{text}");
        assert!(
            text.contains(
                "Macro F1, which weighs every class equally, reads differently: its difference \
                 of 7.8 points has an interval of 2.5 to 13.1 points, which excludes zero"
            ),
            "{text}"
        );
    }

    #[test]
    fn accuracy_interval_alone_excluding_zero_is_named() {
        let mut differences = interval(0.06, 0.01, 0.11);
        differences.macro_f1 = Interval {
            estimate: 0.03,
            low: -0.02,
            high: 0.08,
        };
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(30, 14),
            0.02,
            &differences,
            0.95,
        );
        assert!(
            text.contains("-2.0 to 8.0 points, which includes zero (no difference), so by"),
            "{text}"
        );
    }

    #[test]
    fn agreeing_intervals_add_no_macro_f1_sentence() {
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(12, 8),
            0.503,
            &interval(0.031, -0.03, 0.09),
            0.95,
        );
        assert!(!text.contains("macro F1"), "{text}");
    }

    #[test]
    fn baseline_verdict_reads_ahead_behind_and_level() {
        // The rules beat the baseline on 25 rows and lose on 40; the tree on 8 and 7.
        let rules = AgreementTable {
            both_right: 45,
            only_first_right: 25,
            only_second_right: 40,
            both_wrong: 10,
        };
        let tree = AgreementTable {
            both_right: 78,
            only_first_right: 8,
            only_second_right: 7,
            both_wrong: 27,
        };
        let text = baseline_verdict("yes", (&rules, 0.014), (&tree, 1.0));
        assert!(
            text.starts_with(
                "The majority-class baseline (always `yes`) is right on 85 of the 120 test rows."
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "The rules are right on 70, 15 fewer: behind the baseline, probably not by \
                 chance alone (p = 0.014)."
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "The tree is right on 86, 1 more, which could be chance (p = 1.000), so the \
                 tree is level with the baseline within noise."
            ),
            "{text}"
        );
    }

    #[test]
    fn baseline_verdict_on_a_tie_is_level() {
        let table = AgreementTable {
            both_right: 50,
            only_first_right: 3,
            only_second_right: 3,
            both_wrong: 4,
        };
        let text = baseline_verdict("no", (&table, 1.0), (&table, 1.0));
        assert!(
            text.contains("The rules are right on 53 too: level with the baseline."),
            "{text}"
        );
    }

    #[test]
    fn few_discordant_rows_are_flagged() {
        let text = paired_verdict(
            "the rules",
            "the tree",
            &table(3, 0),
            0.25,
            &interval(0.027, 0.0, 0.06),
            0.95,
        );
        assert!(text.contains("With only 3 such rows"), "{text}");
    }
}
