//! Collects the cells of one column and types it: numeric while every cell is a number or
//! missing, categorical from the first cell that is not.

use std::collections::HashMap;

use super::missing::{is_missing, MAX_MARKER_BYTES};
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
    /// The cell uses one decimal mark and the line given here used the other.
    MixedDecimalMarks {
        other_line: u64,
        other: DecimalMark,
    },
}

/// How a column stands before a row: its type, and the first line with each decimal mark.
/// A part of the file read on its own starts from the state the rows above it left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnState {
    pub text: bool,
    pub first_point: Option<u64>,
    pub first_comma: Option<u64>,
}

/// Text columns with at most this many categories find a cell's code by comparing it with
/// each category, which beats hashing it; larger ones use a hash map.
const LINEAR_SEARCH_LEVELS: usize = 16;

/// Collects one column's cells; starts numeric unless forced to text.
pub enum ColumnBuilder {
    Numeric {
        values: Vec<f64>,
        allow_comma: bool,
        first_point: Option<u64>,
        first_comma: Option<u64>,
        /// True once a cell held a number (not NaN) rather than a missing value.
        has_numbers: bool,
        /// True once a cell read as a number, including NaN spellings such as `-nan`.
        has_values: bool,
    },
    Text {
        codes: Vec<u32>,
        /// The categories in order of first appearance; a code indexes this list.
        levels: Vec<String>,
        index: HashMap<String, u32>,
        /// Set when the column started numeric and turned to text in this builder.
        switched: Option<Switch>,
    },
}

/// What a column held before it turned from numbers to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    /// A cell held a number other than NaN, so the column turned to text late.
    pub had_numbers: bool,
    /// A cell read as a number (NaN spellings included), whose text is lost.
    pub had_values: bool,
    pub first_point: Option<u64>,
    pub first_comma: Option<u64>,
}

/// One column of a part of the file, as its builder left it.
#[derive(Debug, Clone, PartialEq)]
pub enum BuiltColumn {
    Numeric {
        values: Vec<f64>,
        first_point: Option<u64>,
        first_comma: Option<u64>,
        has_numbers: bool,
        has_values: bool,
    },
    /// Codes index `levels`, which are in order of first appearance.
    Text {
        codes: Vec<u32>,
        levels: Vec<String>,
        switched: Option<Switch>,
    },
}

impl ColumnBuilder {
    /// A builder for a column read as text when `text` is set; numeric columns accept `,`
    /// as the decimal mark when `allow_comma` is set.
    #[cfg(test)]
    pub fn new(text: bool, allow_comma: bool) -> Self {
        let state = ColumnState {
            text,
            ..ColumnState::default()
        };
        Self::starting(&state, allow_comma, 0)
    }

    /// A builder that continues from `state`, with room for `rows` cells.
    pub fn starting(state: &ColumnState, allow_comma: bool, rows: usize) -> Self {
        if state.text {
            ColumnBuilder::Text {
                codes: Vec::with_capacity(rows),
                levels: Vec::new(),
                index: HashMap::new(),
                switched: None,
            }
        } else {
            ColumnBuilder::Numeric {
                values: Vec::with_capacity(rows),
                allow_comma,
                first_point: state.first_point,
                first_comma: state.first_comma,
                has_numbers: false,
                has_values: false,
            }
        }
    }

    /// Adds a trimmed cell from file line `line`.
    pub fn push(&mut self, cell: &str, line: u64) -> Push {
        let ColumnBuilder::Numeric {
            values,
            allow_comma,
            first_point,
            first_comma,
            has_numbers,
            has_values,
        } = self
        else {
            self.push_text(cell);
            return Push::Stored;
        };
        if is_missing(cell) {
            values.push(f64::NAN);
            return Push::Stored;
        }
        let number = parse_number(cell, *allow_comma);
        match number {
            Number::Value(value, mark) => self.push_value(value, mark, line),
            Number::OutOfRange => Push::OutOfRange,
            Number::NotANumber => {
                let had_numbers = *has_numbers;
                let switch = Switch {
                    had_numbers,
                    had_values: *has_values,
                    first_point: *first_point,
                    first_comma: *first_comma,
                };
                *self = ColumnBuilder::Text {
                    codes: vec![MISSING_CODE; values.len()],
                    levels: Vec::new(),
                    index: HashMap::new(),
                    switched: Some(switch),
                };
                self.push_text(cell);
                if had_numbers {
                    Push::BecameText
                } else {
                    Push::Stored
                }
            }
        }
    }

    /// Adds a number read from a cell on `line` of a numeric column.
    #[inline]
    pub fn push_value(&mut self, value: f64, mark: DecimalMark, line: u64) -> Push {
        let ColumnBuilder::Numeric {
            values,
            first_point,
            first_comma,
            has_numbers,
            has_values,
            ..
        } = self
        else {
            unreachable!("only called on numeric columns");
        };
        let (own, other, other_mark) = match mark {
            DecimalMark::None => (None, None, DecimalMark::None),
            DecimalMark::Point => (Some(first_point), *first_comma, DecimalMark::Comma),
            DecimalMark::Comma => (Some(first_comma), *first_point, DecimalMark::Point),
        };
        if let Some(other_line) = other {
            return Push::MixedDecimalMarks {
                other_line,
                other: other_mark,
            };
        }
        if let Some(first) = own {
            first.get_or_insert(line);
        }
        values.push(value);
        // NaN spellings such as `-nan` are values that read as missing.
        *has_numbers |= !value.is_nan();
        *has_values = true;
        Push::Stored
    }

    /// Adds a missing value, the value of an empty cell.
    #[inline]
    pub fn push_missing(&mut self) {
        match self {
            ColumnBuilder::Numeric { values, .. } => values.push(f64::NAN),
            ColumnBuilder::Text { codes, .. } => codes.push(MISSING_CODE),
        }
    }

    /// Adds a cell by its bytes if it is a known category of a text column with few
    /// categories and too long to be a missing-value marker. Returns false, adding nothing,
    /// otherwise. The caller checks that the cell needs no trimming.
    pub fn push_known_category(&mut self, cell: &[u8]) -> bool {
        let ColumnBuilder::Text { codes, levels, .. } = self else {
            return false;
        };
        if cell.len() <= MAX_MARKER_BYTES || levels.len() > LINEAR_SEARCH_LEVELS {
            return false;
        }
        match levels.iter().position(|level| level.as_bytes() == cell) {
            Some(code) => {
                codes.push(code as u32);
                true
            }
            None => false,
        }
    }

    fn push_text(&mut self, cell: &str) {
        let ColumnBuilder::Text {
            codes,
            levels,
            index,
            ..
        } = self
        else {
            unreachable!("only called on text columns");
        };
        if is_missing(cell) {
            codes.push(MISSING_CODE);
            return;
        }
        let known = if levels.len() <= LINEAR_SEARCH_LEVELS {
            levels
                .iter()
                .position(|level| level == cell)
                .map(|c| c as u32)
        } else {
            index.get(cell).copied()
        };
        let code = known.unwrap_or_else(|| {
            let next = levels.len() as u32;
            levels.push(cell.to_string());
            if levels.len() == LINEAR_SEARCH_LEVELS + 1 {
                index.extend(levels.iter().cloned().zip(0..));
            } else if levels.len() > LINEAR_SEARCH_LEVELS {
                index.insert(cell.to_string(), next);
            }
            next
        });
        codes.push(code);
    }

    /// Returns the cells as read, with text categories in order of first appearance.
    pub fn into_built(self) -> BuiltColumn {
        match self {
            ColumnBuilder::Numeric {
                values,
                first_point,
                first_comma,
                has_numbers,
                has_values,
                ..
            } => BuiltColumn::Numeric {
                values,
                first_point,
                first_comma,
                has_numbers,
                has_values,
            },
            ColumnBuilder::Text {
                codes,
                levels,
                switched,
                ..
            } => BuiltColumn::Text {
                codes,
                levels,
                switched,
            },
        }
    }

    /// Finishes the column; category levels are sorted so codes do not depend on row order.
    #[cfg(test)]
    pub fn finish(self) -> ColumnData {
        match self.into_built() {
            BuiltColumn::Numeric { values, .. } => ColumnData::Numeric(values),
            BuiltColumn::Text { codes, levels, .. } => sorted_categories(codes, levels),
        }
    }
}

/// Sorts the categories `levels` (in any order, without duplicates) and renumbers `codes`.
pub fn sorted_categories(mut codes: Vec<u32>, levels: Vec<String>) -> ColumnData {
    let mut order: Vec<u32> = (0..levels.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| levels[a as usize].cmp(&levels[b as usize]));
    let mut remap = vec![0u32; levels.len()];
    for (sorted, &old) in order.iter().enumerate() {
        remap[old as usize] = sorted as u32;
    }
    for code in codes.iter_mut().filter(|c| **c != MISSING_CODE) {
        *code = remap[*code as usize];
    }
    let mut levels: Vec<Option<String>> = levels.into_iter().map(Some).collect();
    let levels = order
        .iter()
        .map(|&old| levels[old as usize].take().expect("each level once"))
        .collect();
    ColumnData::Categorical { codes, levels }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(cells: &[&str], allow_comma: bool) -> (Vec<Push>, ColumnData) {
        let mut builder = ColumnBuilder::new(false, allow_comma);
        let pushes = (2..)
            .zip(cells)
            .map(|(line, c)| builder.push(c, line))
            .collect();
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
                other_line: 3,
                other: DecimalMark::Comma
            }
        );
    }

    #[test]
    fn decimal_comma_is_noticed() {
        let mut builder = ColumnBuilder::new(false, true);
        builder.push("2,5", 2);
        let BuiltColumn::Numeric { first_comma, .. } = builder.into_built() else {
            panic!("expected numbers");
        };
        assert_eq!(first_comma, Some(2));
    }

    #[test]
    fn many_categories_keep_their_codes() {
        let cells: Vec<String> = (0..40).map(|i| format!("level{}", i % 25)).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let (_, data) = build(&cells, false);
        let ColumnData::Categorical { codes, levels } = data else {
            panic!("expected categories");
        };
        assert_eq!(levels.len(), 25);
        for (cell, code) in cells.iter().zip(&codes) {
            assert_eq!(levels[*code as usize], *cell);
        }
    }

    #[test]
    fn known_categories_are_pushed_by_their_bytes() {
        let mut builder = ColumnBuilder::new(true, false);
        // A category not seen yet, and a cell as short as a missing-value marker, are left
        // to `push`.
        assert!(!builder.push_known_category(b"alpha"));
        builder.push("alpha", 2);
        assert!(builder.push_known_category(b"alpha"));
        builder.push("null", 4);
        assert!(!builder.push_known_category(b"null"));
        assert!(!ColumnBuilder::new(false, false).push_known_category(b"alpha"));
        assert_eq!(
            builder.finish(),
            ColumnData::Categorical {
                codes: vec![0, 0, MISSING_CODE],
                levels: vec!["alpha".into()],
            }
        );
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
