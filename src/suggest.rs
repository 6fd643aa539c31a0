//! "Did you mean" suggestions for misspelt column, class and rule names.

/// Returns the candidate closest to `name` by edit distance, if it is close enough to be a
/// plausible typo: at most a third of the longer name's characters differ, or the names
/// match ignoring case.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate.to_lowercase() == lowered {
            return Some(candidate);
        }
        let distance = strsim::levenshtein(name, candidate);
        let limit = name.chars().count().max(candidate.chars().count()) / 3;
        if distance <= limit.max(1) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Formats the suggestion as a sentence to append to an error message, or an empty string.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match closest(name, candidates) {
        Some(candidate) => format!(" Did you mean `{candidate}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typo() {
        let names = ["petal_length", "petal_width", "species"];
        assert_eq!(closest("petal_lenght", names), Some("petal_length"));
    }

    #[test]
    fn closest_ignores_case() {
        assert_eq!(closest("AGE", ["sex", "age"]), Some("age"));
    }

    #[test]
    fn closest_rejects_unrelated_name() {
        assert_eq!(closest("income", ["sex", "age"]), None);
    }
}
