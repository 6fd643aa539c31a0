//! How much a score moves by chance alone. A score measured on `n` rows is read as a share of
//! rows right, so its standard error is the binomial `sqrt(p (1 - p) / n)`. For balanced
//! accuracy and macro F1 this is an approximation, good enough to tell a real change from
//! noise but not a test.
//!
//! `p` and `n` get the Agresti-Coull adjustment (two rows right and two wrong added), so a
//! score of exactly 0 or 1 on a few rows still has an error: 30 of 30 rows right does not
//! make the next 30 certain.

/// A change counts as beyond noise when it is larger than this many standard errors, which is
/// close to a two-sided 95 % band.
pub const NOISE_MULTIPLE: f64 = 2.0;

/// Returns the binomial standard error of `score` measured on `rows` rows, with the
/// Agresti-Coull adjustment. A score outside 0..=1 is clamped into it; no rows give an
/// infinite error.
pub fn binomial_standard_error(score: f64, rows: usize) -> f64 {
    if rows == 0 {
        return f64::INFINITY;
    }
    let n = rows as f64 + 4.0;
    let p = (score.clamp(0.0, 1.0) * rows as f64 + 2.0) / n;
    (p * (1.0 - p) / n).sqrt()
}

/// Returns the standard error of the difference between two scores measured on separate rows,
/// as if the two were independent: `sqrt(se1² + se2²)`.
pub fn difference_standard_error(first: (f64, usize), second: (f64, usize)) -> f64 {
    let one = binomial_standard_error(first.0, first.1);
    let two = binomial_standard_error(second.0, second.1);
    (one * one + two * two).sqrt()
}

/// True when `change` is larger in size than [`NOISE_MULTIPLE`] standard errors.
pub fn beyond_noise(change: f64, standard_error: f64) -> bool {
    change.abs() > NOISE_MULTIPLE * standard_error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_error_of_a_share() {
        // 0.7 on 120 rows: p = 86 / 124, sqrt(p (1 - p) / 124) = 0.0414, close to the plain
        // sqrt(0.21 / 120) = 0.0418.
        let error = binomial_standard_error(0.7, 120);
        assert!((error - 0.041_38).abs() < 1e-4, "{error}");
        // 50 of 50 right: p = 52 / 54.
        let error = binomial_standard_error(1.0, 50);
        assert!((error - 0.025_67).abs() < 1e-4, "{error}");
        assert_eq!(binomial_standard_error(0.5, 0), f64::INFINITY);
    }

    #[test]
    fn difference_adds_variances() {
        let se = difference_standard_error((0.5, 96), (0.5, 96));
        assert!((se - (0.005_f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn beyond_noise_needs_two_standard_errors() {
        assert!(!beyond_noise(0.08, 0.04));
        assert!(beyond_noise(0.081, 0.04));
        assert!(beyond_noise(-0.081, 0.04));
    }
}
