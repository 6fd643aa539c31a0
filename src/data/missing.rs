//! Which cell texts stand for a missing value.

/// Texts read as a missing value, compared case-insensitively after trimming.
pub const MISSING_TOKENS: [&str; 6] = ["", "na", "n/a", "nan", "null", "?"];

/// The length in bytes of the longest marker in [`MISSING_TOKENS`].
pub const MAX_MARKER_BYTES: usize = 4;

/// Returns true when a trimmed cell is one of the missing-value markers.
pub fn is_missing(cell: &str) -> bool {
    cell.len() <= MAX_MARKER_BYTES && MISSING_TOKENS.iter().any(|t| t.eq_ignore_ascii_case(cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_case_insensitive() {
        for cell in [
            "", "NA", "na", "N/A", "n/a", "NaN", "NAN", "null", "NULL", "?",
        ] {
            assert!(is_missing(cell), "{cell:?} should be missing");
        }
    }

    #[test]
    fn max_marker_bytes_matches_tokens() {
        let longest = MISSING_TOKENS.iter().map(|t| t.len()).max();
        assert_eq!(longest, Some(MAX_MARKER_BYTES));
    }

    #[test]
    fn ordinary_values_are_not_missing() {
        for cell in ["0", "none", "nan1", "Nathan", "??"] {
            assert!(!is_missing(cell), "{cell:?} should not be missing");
        }
    }
}
