//! Collects the cells of one column and types it: numeric while every cell is a number or
//! missing, categorical from the first cell that is not.

use std::collections::HashMap;

use super::missing::is_missing;
use super::numbers::{parse_number, DecimalMark, Number};
use super::table::{ColumnData, MISSING_CODE};

/// What happened to a pushed cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    Stored,
    /// The cell is text after numbers in earlier rows, which were stored as numbers and
    /// lost their text; the caller reads the file again with the column forced to text.
    BecameText,
    /// The cell is a finite number beyond the range of a 64-bit float.
    OutOfRange,
    /// The cell uses one decimal mark and the row given here used the other.
    MixedDecimalMarks {
        other_row: usize,
        other: DecimalMark,
    },
}

/// Collects one column's cells; starts numeric unless forced to text.
pub enum ColumnBuilder {
    Numeric {
        values: Vec<f64>,
        allow_comma: bool,
        first_point: Option<usize>,
        first_comma: Option<usize>,
    },
    Text {
        codes: Vec<u32>,
        index: HashMap<String, u32>,
    },
}

impl ColumnBuilder {
    /// A builder for a column read as text when `text` is set; numeric columns accept `,`
    /// as the decimal mark when `allow_comma` is set.
    pub fn new(text: bool, allow_comma: bool) -> Self {
        if text {
            ColumnBuilder::Text {
                codes: Vec::new(),
                index: HashMap::new(),
            }
        } else {
            ColumnBuilder::Numeric {
                values: Vec::new(),
                allow_comma,
                first_point: None,
                first_comma: None,
            }
        }
    }

    /// Adds a trimmed cell.
    pub fn push(&mut self, cell: &str) -> Push {
        let ColumnBuilder::Numeric {
            values,
            allow_comma,
            first_point,
            first_comma,
        } = self
        else {
            self.push_text(cell);
            return Push::Stored;
        };
        if is_missing(cell) {
            values.push(f64::NAN);
            return Push::Stored;
        }
        let row = values.len();
        match parse_number(cell, *allow_comma) {
            Number::Value(value, mark) => {
                let (own, other, other_mark) = match mark {
                    DecimalMark::None => (None, None, DecimalMark::None),
                    DecimalMark::Point => (Some(first_point), *first_comma, DecimalMark::Comma),
                    DecimalMark::Comma => (Some(first_comma), *first_point, DecimalMark::Point),
                };
                if let Some(other_row) = other {
                    return Push::MixedDecimalMarks {
                        other_row,
                        other: other_mark,
                    };
                }
                if let Some(first) = own {
                    first.get_or_insert(row);
                }
                values.push(value);
                Push::Stored
            }
            Number::OutOfRange => Push::OutOfRange,
            Number::NotANumber => {
                let seen_numbers = values.iter().any(|v| !v.is_nan());
                *self = ColumnBuilder::Text {
                    codes: vec![MISSING_CODE; row],
                    index: HashMap::new(),
                };
                self.push_text(cell);
                if seen_numbers {
                    Push::BecameText
                } else {
                    Push::Stored
                }
            }
        }
    }

    fn push_text(&mut self, cell: &str) {
        let ColumnBuilder::Text { codes, index } = self else {
            unreachable!("only called on text columns");
        };
        if is_missing(cell) {
            codes.push(MISSING_CODE);
            return;
        }
        let code = match index.get(cell) {
            Some(&code) => code,
            None => {
                let next = index.len() as u32;
                index.insert(cell.to_string(), next);
                next
            }
        };
        codes.push(code);
    }

    /// True when the column is numeric and some value used `,` as its decimal mark.
    pub fn uses_decimal_comma(&self) -> bool {
        matches!(
            self,
            ColumnBuilder::Numeric {
                first_comma: Some(_),
                ..
            }
        )
    }

    /// Finishes the column; category levels are sorted so codes do not depend on row order.
    pub fn finish(self) -> ColumnData {
        match self {
            ColumnBuilder::Numeric { values, .. } => ColumnData::Numeric(values),
            ColumnBuilder::Text { codes, index } => {
                let mut levels: Vec<(String, u32)> = index.into_iter().collect();
                levels.sort();
                let mut remap = vec![0u32; levels.len()];
                for (sorted, (_, old)) in levels.iter().enumerate() {
                    remap[*old as usize] = sorted as u32;
                }
                let codes = codes
                    .into_iter()
                    .map(|c| {
                        if c == MISSING_CODE {
                            c
                        } else {
                            remap[c as usize]
                        }
                    })
                    .collect();
                ColumnData::Categorical {
                    codes,
                    levels: levels.into_iter().map(|(level, _)| level).collect(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(cells: &[&str], allow_comma: bool) -> (Vec<Push>, ColumnData) {
        let mut builder = ColumnBuilder::new(false, allow_comma);
        let pushes = cells.iter().map(|c| builder.push(c)).collect();
        (pushes, builder.finish())
    }

    #[test]
    fn numbers_and_missing_stay_numeric() {
        let (_, data) = build(&["1", "NA", "2.5"], false);
        let ColumnData::Numeric(values) = data else {
            panic!("expected numbers")
        };
        assert_eq!(values[0], 1.0);
        assert!(values[1].is_nan());
        assert_eq!(values[2], 2.5);
    }

    #[test]
    fn text_after_numbers_asks_for_second_pass() {
        let (pushes, _) = build(&["1", "x"], false);
        assert_eq!(pushes[1], Push::BecameText);
    }

    #[test]
    fn text_after_missing_needs_no_second_pass() {
        let (pushes, data) = build(&["NA", "x", "y"], false);
        assert!(pushes.iter().all(|&p| p == Push::Stored));
        assert_eq!(
            data,
            ColumnData::Categorical {
                codes: vec![MISSING_CODE, 0, 1],
                levels: vec!["x".into(), "y".into()],
            }
        );
    }

    #[test]
    fn mixed_decimal_marks_are_reported() {
        let (pushes, _) = build(&["1", "2,5", "3.5"], true);
        assert_eq!(
            pushes[2],
            Push::MixedDecimalMarks {
                other_row: 1,
                other: DecimalMark::Comma
            }
        );
    }

    #[test]
    fn decimal_comma_is_noticed() {
        let mut builder = ColumnBuilder::new(false, true);
        builder.push("2,5");
        assert!(builder.uses_decimal_comma());
        assert_eq!(builder.finish(), ColumnData::Numeric(vec![2.5]));
    }

    #[test]
    fn levels_are_sorted() {
        let (_, data) = build(&["b", "a", "b"], false);
        assert_eq!(
            data,
            ColumnData::Categorical {
                codes: vec![1, 0, 1],
                levels: vec!["a".into(), "b".into()],
            }
        );
    }
}
