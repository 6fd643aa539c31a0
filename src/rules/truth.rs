//! Three-valued truth (true, false, unknown) for a block of rows, packed 64 rows per word.
//!
//! A row is true when its bit is set in `true_bits`, false when set in `false_bits`, and
//! unknown when set in neither, which is SQL's logic for missing values: `not unknown` is
//! unknown, `unknown and false` is false, `unknown or true` is true.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub true_bits: Vec<u64>,
    pub false_bits: Vec<u64>,
}

impl Truth {
    pub fn words_for(rows: usize) -> usize {
        rows.div_ceil(64)
    }

    /// Builds a block from a per-row function returning `Some(bool)` or `None` for unknown.
    pub fn from_fn(rows: usize, mut value: impl FnMut(usize) -> Option<bool>) -> Truth {
        let words = Self::words_for(rows);
        let mut truth = Truth {
            true_bits: vec![0; words],
            false_bits: vec![0; words],
        };
        for row in 0..rows {
            let bit = 1u64 << (row % 64);
            match value(row) {
                Some(true) => truth.true_bits[row / 64] |= bit,
                Some(false) => truth.false_bits[row / 64] |= bit,
                None => {}
            }
        }
        truth
    }

    pub fn negate(self) -> Truth {
        Truth {
            true_bits: self.false_bits,
            false_bits: self.true_bits,
        }
    }

    pub fn and(mut self, other: &Truth) -> Truth {
        for (word, (t, f)) in self
            .true_bits
            .iter_mut()
            .zip(&mut self.false_bits)
            .enumerate()
        {
            *t &= other.true_bits[word];
            *f |= other.false_bits[word];
        }
        self
    }

    pub fn or(mut self, other: &Truth) -> Truth {
        for (word, (t, f)) in self
            .true_bits
            .iter_mut()
            .zip(&mut self.false_bits)
            .enumerate()
        {
            *t |= other.true_bits[word];
            *f &= other.false_bits[word];
        }
        self
    }

    pub fn is_true(&self, row: usize) -> bool {
        self.true_bits[row / 64] & (1 << (row % 64)) != 0
    }

    pub fn is_false(&self, row: usize) -> bool {
        self.false_bits[row / 64] & (1 << (row % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows: true, false, unknown.
    fn tfu() -> Truth {
        Truth::from_fn(3, |r| [Some(true), Some(false), None][r])
    }

    fn unknown() -> Truth {
        Truth::from_fn(3, |_| None)
    }

    fn values(truth: &Truth) -> Vec<Option<bool>> {
        (0..3)
            .map(|r| {
                if truth.is_true(r) {
                    Some(true)
                } else if truth.is_false(r) {
                    Some(false)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn not_keeps_unknown() {
        assert_eq!(values(&tfu().negate()), vec![Some(false), Some(true), None]);
    }

    #[test]
    fn and_with_unknown_follows_sql() {
        assert_eq!(
            values(&tfu().and(&unknown())),
            vec![None, Some(false), None]
        );
    }

    #[test]
    fn or_with_unknown_follows_sql() {
        assert_eq!(values(&tfu().or(&unknown())), vec![Some(true), None, None]);
    }
}
