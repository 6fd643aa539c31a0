//! Small pieces of the plain-words readings: capitals, lists and signed differences.

/// Returns `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins items as "a", "a and b" or "a, b and c".
pub fn join_words<T: AsRef<str>>(items: &[T]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Formats a difference with its sign, such as `+0.012` or `-0.004`. A difference that
/// rounds to zero is `+0.000`, never `-0.000`.
pub fn signed(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded:+.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_join_with_and() {
        assert_eq!(join_words::<&str>(&[]), "");
        assert_eq!(join_words(&["a"]), "a");
        assert_eq!(join_words(&["a", "b"]), "a and b");
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn signed_never_prints_minus_zero() {
        assert_eq!(signed(-0.0001), "+0.000");
        assert_eq!(signed(0.0125), "+0.013");
        assert_eq!(signed(-0.2), "-0.200");
        assert_eq!(capitalise("the rules"), "The rules");
    }
}
