//! Sets of values a column may take in a row where a condition is true: unions of numeric
//! intervals, and finite or co-finite sets of text.

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    closed: bool,
}

/// A non-empty interval between two bounds; the infinities are values a column may hold.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    low: Bound,
    high: Bound,
}

impl Interval {
    fn is_empty(&self) -> bool {
        self.low.value > self.high.value
            || (self.low.value == self.high.value && !(self.low.closed && self.high.closed))
    }

    fn intersect(&self, other: &Interval) -> Interval {
        let low = if self.low.value > other.low.value
            || (self.low.value == other.low.value && !self.low.closed)
        {
            self.low
        } else {
            other.low
        };
        let high = if self.high.value < other.high.value
            || (self.high.value == other.high.value && !self.high.closed)
        {
            self.high
        } else {
            other.high
        };
        Interval { low, high }
    }
}

/// A union of disjoint intervals in increasing order, within `[-inf, +inf]`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSet {
    intervals: Vec<Interval>,
}

impl NumberSet {
    pub fn all() -> NumberSet {
        NumberSet {
            intervals: vec![Interval {
                low: Bound {
                    value: f64::NEG_INFINITY,
                    closed: true,
                },
                high: Bound {
                    value: f64::INFINITY,
                    closed: true,
                },
            }],
        }
    }

    pub fn empty() -> NumberSet {
        NumberSet {
            intervals: Vec::new(),
        }
    }

    /// The values `x` with `x OP value`; NaN gives the empty set.
    pub fn compared(op: super::super::syntax::Comparator, value: f64) -> NumberSet {
        use super::super::syntax::Comparator::*;
        if value.is_nan() {
            return NumberSet::empty();
        }
        let point = |closed| Bound { value, closed };
        let low_end = Bound {
            value: f64::NEG_INFINITY,
            closed: true,
        };
        let high_end = Bound {
            value: f64::INFINITY,
            closed: true,
        };
        let set = |low, high| NumberSet::from_intervals(vec![Interval { low, high }]);
        match op {
            Less => set(low_end, point(false)),
            LessEqual => set(low_end, point(true)),
            Greater => set(point(false), high_end),
            GreaterEqual => set(point(true), high_end),
            Equal => set(point(true), point(true)),
            NotEqual => set(point(true), point(true)).complement(),
        }
    }

    /// `[low, high]`; empty when `low > high` or either is NaN.
    pub fn between(low: f64, high: f64) -> NumberSet {
        if low.is_nan() || high.is_nan() {
            return NumberSet::empty();
        }
        NumberSet::from_intervals(vec![Interval {
            low: Bound {
                value: low,
                closed: true,
            },
            high: Bound {
                value: high,
                closed: true,
            },
        }])
    }

    /// The listed values (NaN members never match).
    pub fn points(values: &[f64]) -> NumberSet {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup_by(|a, b| a == b);
        NumberSet::from_intervals(
            sorted
                .into_iter()
                .map(|value| Interval {
                    low: Bound {
                        value,
                        closed: true,
                    },
                    high: Bound {
                        value,
                        closed: true,
                    },
                })
                .collect(),
        )
    }

    fn from_intervals(intervals: Vec<Interval>) -> NumberSet {
        NumberSet {
            intervals: intervals.into_iter().filter(|i| !i.is_empty()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    pub fn intersect(&self, other: &NumberSet) -> NumberSet {
        let mut out = Vec::new();
        for a in &self.intervals {
            for b in &other.intervals {
                let both = a.intersect(b);
                if !both.is_empty() {
                    out.push(both);
                }
            }
        }
        out.sort_by(|a, b| a.low.value.total_cmp(&b.low.value));
        NumberSet { intervals: out }
    }

    pub fn complement(&self) -> NumberSet {
        let mut out = Vec::new();
        let mut low = Bound {
            value: f64::NEG_INFINITY,
            closed: true,
        };
        for interval in &self.intervals {
            out.push(Interval {
                low,
                high: Bound {
                    value: interval.low.value,
                    closed: !interval.low.closed,
                },
            });
            low = Bound {
                value: interval.high.value,
                closed: !interval.high.closed,
            };
        }
        out.push(Interval {
            low,
            high: Bound {
                value: f64::INFINITY,
                closed: true,
            },
        });
        NumberSet::from_intervals(out)
    }

    /// True when every value of `self` is in `other`.
    pub fn is_subset(&self, other: &NumberSet) -> bool {
        self.intersect(&other.complement()).is_empty()
    }
}

/// A set of texts: the listed ones, or every text but the listed ones.
#[derive(Debug, Clone, PartialEq)]
pub enum TextSet {
    Only(Vec<String>),
    AllBut(Vec<String>),
}

impl TextSet {
    pub fn only(texts: &[String]) -> TextSet {
        let mut texts = texts.to_vec();
        texts.sort_unstable();
        texts.dedup();
        TextSet::Only(texts)
    }

    pub fn all_but(texts: &[String]) -> TextSet {
        let mut texts = texts.to_vec();
        texts.sort_unstable();
        texts.dedup();
        TextSet::AllBut(texts)
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, TextSet::Only(texts) if texts.is_empty())
    }

    pub fn complement(&self) -> TextSet {
        match self {
            TextSet::Only(texts) => TextSet::AllBut(texts.clone()),
            TextSet::AllBut(texts) => TextSet::Only(texts.clone()),
        }
    }

    pub fn intersect(&self, other: &TextSet) -> TextSet {
        match (self, other) {
            (TextSet::Only(a), TextSet::Only(b)) => {
                TextSet::Only(a.iter().filter(|t| b.contains(t)).cloned().collect())
            }
            (TextSet::Only(a), TextSet::AllBut(b)) | (TextSet::AllBut(b), TextSet::Only(a)) => {
                TextSet::Only(a.iter().filter(|t| !b.contains(t)).cloned().collect())
            }
            (TextSet::AllBut(a), TextSet::AllBut(b)) => {
                let mut union: Vec<String> = a.iter().chain(b).cloned().collect();
                union.sort_unstable();
                union.dedup();
                TextSet::AllBut(union)
            }
        }
    }

    pub fn is_subset(&self, other: &TextSet) -> bool {
        self.intersect(&other.complement()).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::syntax::Comparator;
    use super::*;

    #[test]
    fn contradicting_bounds_are_empty() {
        let above = NumberSet::compared(Comparator::Greater, 5.0);
        let below = NumberSet::compared(Comparator::Less, 3.0);
        assert!(above.intersect(&below).is_empty());
    }

    #[test]
    fn touching_open_bounds_are_empty() {
        let below = NumberSet::compared(Comparator::Less, 3.0);
        let from = NumberSet::compared(Comparator::GreaterEqual, 3.0);
        assert!(below.intersect(&from).is_empty());
        let to = NumberSet::compared(Comparator::LessEqual, 3.0);
        assert!(!to.intersect(&from).is_empty());
    }

    #[test]
    fn stricter_bound_is_subset() {
        let above_five = NumberSet::compared(Comparator::Greater, 5.0);
        let above_three = NumberSet::compared(Comparator::Greater, 3.0);
        assert!(above_five.is_subset(&above_three));
        assert!(!above_three.is_subset(&above_five));
    }

    #[test]
    fn not_equal_leaves_a_hole() {
        let not_two = NumberSet::compared(Comparator::NotEqual, 2.0);
        assert!(NumberSet::points(&[2.0]).intersect(&not_two).is_empty());
        assert!(NumberSet::points(&[1.0, 3.0]).is_subset(&not_two));
    }

    #[test]
    fn text_sets_combine() {
        let ab = TextSet::only(&["a".into(), "b".into()]);
        let not_a = TextSet::all_but(&["a".into()]);
        assert_eq!(ab.intersect(&not_a), TextSet::Only(vec!["b".into()]));
        assert!(TextSet::only(&["b".into()]).is_subset(&not_a));
        assert!(!not_a.is_subset(&ab));
    }
}
