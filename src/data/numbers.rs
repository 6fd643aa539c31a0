//! Reading one cell as a number: decimal points or commas, infinity, negative zero, and
//! values beyond the range of a 64-bit float.

/// The decimal mark a number was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// No fraction part, as in `12` or `1e5`.
    None,
    Point,
    Comma,
}

/// What a cell holds, read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A value (NaN for a spelling of NaN such as `-nan`) and the decimal mark it used.
    Value(f64, DecimalMark),
    /// Text that is not a number.
    NotANumber,
    /// A finite number too large for a 64-bit float, such as `1e400`.
    OutOfRange,
}

/// Reads a trimmed cell as a number, as Rust's `f64` parser does. With `allow_comma`, a cell
/// with one `,` and no `.` uses the comma as its decimal mark, so `5,1` is 5.1.
///
/// Negative zero becomes zero, so `-0.0` and `0` are the same value everywhere. `inf` and
/// `infinity` (any case and sign) are infinite values; a finite number written with too
/// large an exponent is [`Number::OutOfRange`] instead of silently becoming infinity.
pub fn parse_number(cell: &str, allow_comma: bool) -> Number {
    if let Ok(value) = cell.parse::<f64>() {
        let mark = if cell.contains('.') {
            DecimalMark::Point
        } else {
            DecimalMark::None
        };
        return checked(value, cell, mark);
    }
    let one_comma = cell.bytes().filter(|&b| b == b',').count() == 1 && !cell.contains('.');
    if allow_comma && one_comma {
        if let Ok(value) = cell.replacen(',', ".", 1).parse::<f64>() {
            return checked(value, cell, DecimalMark::Comma);
        }
    }
    Number::NotANumber
}

fn checked(value: f64, cell: &str, mark: DecimalMark) -> Number {
    if value.is_infinite() && !names_infinity(cell) {
        return Number::OutOfRange;
    }
    // Adding zero turns -0.0 into 0.0 and leaves every other value as it is.
    Number::Value(value + 0.0, mark)
}

fn names_infinity(cell: &str) -> bool {
    let unsigned = cell.trim_start_matches(['+', '-']);
    unsigned.len() >= 3 && unsigned[..3].eq_ignore_ascii_case("inf")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(cell: &str, allow_comma: bool) -> f64 {
        match parse_number(cell, allow_comma) {
            Number::Value(v, _) => v,
            other => panic!("{cell:?} read as {other:?}"),
        }
    }

    #[test]
    fn plain_numbers_parse() {
        assert_eq!(value("12", false), 12.0);
        assert_eq!(value("-3.5", false), -3.5);
        assert_eq!(value("1e3", false), 1000.0);
        assert_eq!(value(".5", false), 0.5);
    }

    #[test]
    fn negative_zero_becomes_zero() {
        let zero = value("-0.0", false);
        assert_eq!(zero, 0.0);
        assert!(zero.is_sign_positive());
    }

    #[test]
    fn infinity_is_a_value() {
        assert_eq!(value("inf", false), f64::INFINITY);
        assert_eq!(value("-Infinity", false), f64::NEG_INFINITY);
    }

    #[test]
    fn huge_exponent_is_out_of_range() {
        assert_eq!(parse_number("1e400", false), Number::OutOfRange);
        assert_eq!(parse_number("-1e400", false), Number::OutOfRange);
    }

    #[test]
    fn tiny_exponent_is_zero() {
        assert_eq!(value("1e-400", false), 0.0);
    }

    #[test]
    fn nan_spellings_are_nan() {
        assert!(value("-nan", false).is_nan());
    }

    #[test]
    fn decimal_comma_needs_permission() {
        assert_eq!(parse_number("5,1", false), Number::NotANumber);
        assert_eq!(
            parse_number("5,1", true),
            Number::Value(5.1, DecimalMark::Comma)
        );
        assert_eq!(
            parse_number("5.1", true),
            Number::Value(5.1, DecimalMark::Point)
        );
        assert_eq!(
            parse_number("5", true),
            Number::Value(5.0, DecimalMark::None)
        );
    }

    #[test]
    fn thousands_separators_are_not_numbers() {
        assert_eq!(parse_number("1,234,567", true), Number::NotANumber);
        assert_eq!(parse_number("1.234,5", true), Number::NotANumber);
        assert_eq!(parse_number("1 234", true), Number::NotANumber);
    }
}
