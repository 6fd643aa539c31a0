//! The plain-words reading of a paired comparison. It states what the test can support and
//! no more: a p-value of 0.05 or above means the difference could be chance, and the size of
//! the difference always comes with its bootstrap interval.

use super::bootstrap::Interval;
use super::paired::AgreementTable;

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
    accuracy: &Interval,
    confidence: f64,
) -> String {
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
    sentences.join(" ")
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
             {bounds} and includes no difference."
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

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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

    fn interval(estimate: f64, low: f64, high: f64) -> Interval {
        Interval {
            estimate,
            low,
            high,
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
        assert!(text.contains("includes no difference"), "{text}");
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
