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
    if let Some((value, mark)) = parse_plain_decimal(cell.as_bytes()) {
        return Number::Value(value, mark);
    }
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

/// Exact powers of ten: every one up to 10^22 is a 64-bit float without rounding.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Reads the common cell `[+-]digits[.digits]` with at most 19 digits quickly, or returns
/// `None` for the general parser to read. The digits form an integer `m` and the fraction
/// has `k` digits; when `m <= 2^53` and `k <= 22`, both `m` and `10^k` are exact floats,
/// so the one rounding of `m / 10^k` gives the correctly rounded value, the same as
/// `str::parse::<f64>` (Clinger's fast path).
fn parse_plain_decimal(cell: &[u8]) -> Option<(f64, DecimalMark)> {
    match scan_plain_decimal(cell)? {
        (value, mark, read) if read == cell.len() => Some((value, mark)),
        _ => None,
    }
}

/// Reads a plain decimal (see [`parse_plain_decimal`]) at the start of `bytes`, stopping at
/// the first byte that cannot continue it; returns the value, its decimal mark and the
/// number of bytes read. The caller checks that the number ends where the cell does.
pub fn scan_plain_decimal(bytes: &[u8]) -> Option<(f64, DecimalMark, usize)> {
    let (negative, skip) = match bytes.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let (mut read, mantissa) = read_digits(bytes, skip, 0);
    let integer_digits = read - skip;
    let point = bytes.get(read) == Some(&b'.');
    let mut fraction_digits = 0;
    let mut mantissa = mantissa;
    if point {
        let fraction_start = read + 1;
        (read, mantissa) = read_digits(bytes, fraction_start, mantissa);
        fraction_digits = read - fraction_start;
    }
    let count = integer_digits + fraction_digits;
    // Up to 19 digits fit in the mantissa; more may have wrapped it, and go to the general
    // parser.
    if count == 0 || count > 19 || mantissa > 1 << 53 || fraction_digits >= POWERS_OF_TEN.len() {
        return None;
    }
    let magnitude = mantissa as f64 / POWERS_OF_TEN[fraction_digits];
    let value = if negative { -magnitude } else { magnitude };
    let mark = if point {
        DecimalMark::Point
    } else {
        DecimalMark::None
    };
    // Adding zero turns -0.0 into 0.0, as `checked` does.
    Some((value + 0.0, mark, read))
}

/// Reads the digits from `bytes[from..]` on into `mantissa`, wrapping on overflow; returns
/// the position after them and the new mantissa. Two tight loops, before and after the
/// point, run faster than one loop that also watches for the point.
fn read_digits(bytes: &[u8], from: usize, mut mantissa: u64) -> (usize, u64) {
    let mut at = from;
    while let Some(digit) = bytes
        .get(at)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|&d| d < 10)
    {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        at += 1;
    }
    (at, mantissa)
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
    fn plain_decimals_match_the_general_parser() {
        let cells = [
            "0",
            "-0",
            "+0.0",
            "7",
            "-12.75",
            "6.744",
            "0.1",
            "0.3",
            "123456789.123456789",
            "9007199254740993",
            "9007199254740992",
            "1.",
            ".5",
            "-.25",
            "0.0000001",
            "1234567890123456789",
            "12345678901234567890",
            "3.14159265358979323846",
            "00000000000000000001.5",
            "0.1000000000000000000000001",
        ];
        for cell in cells {
            let general = cell.parse::<f64>().unwrap() + 0.0;
            match parse_plain_decimal(cell.as_bytes()) {
                Some((value, _)) => assert_eq!(value.to_bits(), general.to_bits(), "{cell}"),
                None => assert_eq!(value(cell, false).to_bits(), general.to_bits(), "{cell}"),
            }
        }
    }

    #[test]
    fn scanning_stops_where_the_number_does() {
        for (text, read) in [
            ("1.2.3,", 3),
            ("-12,4", 3),
            (".5x", 2),
            ("1.,", 2),
            ("+7;", 2),
            ("0042\n", 4),
            ("-0.25", 5),
        ] {
            let scanned = scan_plain_decimal(text.as_bytes()).map(|(_, _, read)| read);
            assert_eq!(scanned, Some(read), "{text:?}");
        }
        for text in ["", "-", ".", "-.", "x1", "1234567890123456789012"] {
            assert_eq!(scan_plain_decimal(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn plain_decimals_leave_other_text_to_the_general_parser() {
        for cell in [
            "", "-", "+", ".", "1e5", "1.2.3", "1,5", "inf", "nan", "1_000", " 1", "--1",
        ] {
            assert_eq!(parse_plain_decimal(cell.as_bytes()), None, "{cell}");
        }
    }

    #[test]
    fn plain_decimals_of_random_digits_match_the_general_parser() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut fast = 0;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = 1 + (state % 19) as usize;
            let integer = (state >> 8) % 10u64.pow(digits as u32);
            let point = (state >> 40) as usize % (digits + 1);
            let text = format!("{integer:0digits$}");
            let cell = format!("-{}.{}", &text[..point], &text[point..]);
            // Mantissas above 2^53 are left to the general parser.
            if let Some((value, _)) = parse_plain_decimal(cell.as_bytes()) {
                let general = cell.parse::<f64>().unwrap() + 0.0;
                assert_eq!(value.to_bits(), general.to_bits(), "{cell}");
                fast += 1;
            }
        }
        assert!(fast > 100_000, "only {fast} cells took the fast path");
    }

    #[test]
    fn thousands_separators_are_not_numbers() {
        assert_eq!(parse_number("1,234,567", true), Number::NotANumber);
        assert_eq!(parse_number("1.234,5", true), Number::NotANumber);
        assert_eq!(parse_number("1 234", true), Number::NotANumber);
    }
}
