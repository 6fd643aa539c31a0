//! Fixed-point numbers in thousandths, and their decimal text.

/// Fixed-point units per 1.0.
pub const SCALE: i64 = 1000;

/// Rounds `value` to the nearest thousandth, as a fixed-point number.
pub fn from_f64(value: f64) -> i64 {
    (value * SCALE as f64).round() as i64
}

/// The exact value of a fixed-point number as the nearest `f64`, which is also what parsing
/// its decimal text gives.
pub fn to_f64(value: i64) -> f64 {
    value as f64 / SCALE as f64
}

/// Appends `value` (in thousandths) with `decimals` digits after the point (0 to 3); digits
/// beyond `decimals` are cut, so callers round first.
pub fn push_decimal(out: &mut Vec<u8>, value: i64, decimals: u32) {
    if value < 0 {
        out.push(b'-');
    }
    let magnitude = value.unsigned_abs();
    let whole = magnitude / SCALE as u64;
    push_unsigned(out, whole);
    if decimals > 0 {
        let fraction = magnitude % SCALE as u64 / 10u64.pow(3 - decimals);
        out.push(b'.');
        for place in (0..decimals).rev() {
            out.push(b'0' + (fraction / 10u64.pow(place) % 10) as u8);
        }
    }
}

fn push_unsigned(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// `value` as text with `decimals` digits after the point.
pub fn decimal_string(value: i64, decimals: u32) -> String {
    let mut out = Vec::new();
    push_decimal(&mut out, value, decimals);
    String::from_utf8(out).expect("digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_zero_padded() {
        assert_eq!(decimal_string(12_005, 3), "12.005");
        assert_eq!(decimal_string(-500, 3), "-0.500");
        assert_eq!(decimal_string(-7, 3), "-0.007");
        assert_eq!(decimal_string(0, 3), "0.000");
        assert_eq!(decimal_string(1_230, 2), "1.23");
        assert_eq!(decimal_string(42_000, 0), "42");
    }

    #[test]
    fn text_parses_to_the_same_f64() {
        for value in [-123_456_789, -1, 0, 7, 999, 1_000, 12_345, 987_654_321_012] {
            let parsed: f64 = decimal_string(value, 3).parse().unwrap();
            assert_eq!(parsed, to_f64(value), "{value}");
        }
    }
}
