//! Packs a per-row predicate into bitmasks, 64 rows per word: bit `i` of word `w` is the
//! predicate on row `64 * w + i`. Bits past the last row are always zero.
//!
//! The loops are written so that LLVM turns them into vector comparisons. On x86-64 they are
//! compiled twice, for the baseline (SSE2) and for AVX2, and the AVX2 copy runs when the
//! processor has it.

/// Sets `out` from `predicate(values[row])`; `out` has one word per 64 values.
pub fn pack_values(values: &[f64], out: &mut [u64], predicate: impl Fn(f64) -> bool + Copy) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, checked just above.
        unsafe { pack_values_avx2(values, out, predicate) };
        return;
    }
    pack_values_portable(values, out, predicate);
}

/// Sets `out` from `predicate(left[row], right[row])`; the slices have the same length.
pub fn pack_pairs(
    left: &[f64],
    right: &[f64],
    out: &mut [u64],
    predicate: impl Fn(f64, f64) -> bool + Copy,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2, checked just above.
        unsafe { pack_pairs_avx2(left, right, out, predicate) };
        return;
    }
    pack_pairs_portable(left, right, out, predicate);
}

/// Sets `out` from `predicate(codes[row])`, for category codes.
pub fn pack_codes(codes: &[u32], out: &mut [u64], predicate: impl Fn(u32) -> bool + Copy) {
    pack_portable(codes, out, predicate);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn pack_values_avx2(values: &[f64], out: &mut [u64], predicate: impl Fn(f64) -> bool) {
    pack_portable(values, out, predicate);
}

fn pack_values_portable(values: &[f64], out: &mut [u64], predicate: impl Fn(f64) -> bool) {
    pack_portable(values, out, predicate);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn pack_pairs_avx2(
    left: &[f64],
    right: &[f64],
    out: &mut [u64],
    predicate: impl Fn(f64, f64) -> bool,
) {
    pack_pairs_inline(left, right, out, predicate);
}

fn pack_pairs_portable(
    left: &[f64],
    right: &[f64],
    out: &mut [u64],
    predicate: impl Fn(f64, f64) -> bool,
) {
    pack_pairs_inline(left, right, out, predicate);
}

#[inline(always)]
fn pack_portable<T: Copy>(values: &[T], out: &mut [u64], predicate: impl Fn(T) -> bool) {
    debug_assert_eq!(out.len(), values.len().div_ceil(64));
    let mut chunks = values.chunks_exact(64);
    for (word, chunk) in out.iter_mut().zip(&mut chunks) {
        let mut bits = 0u64;
        for (i, &value) in chunk.iter().enumerate() {
            bits |= u64::from(predicate(value)) << i;
        }
        *word = bits;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut bits = 0u64;
        for (i, &value) in rest.iter().enumerate() {
            bits |= u64::from(predicate(value)) << i;
        }
        out[values.len() / 64] = bits;
    }
}

#[inline(always)]
fn pack_pairs_inline(
    left: &[f64],
    right: &[f64],
    out: &mut [u64],
    predicate: impl Fn(f64, f64) -> bool,
) {
    debug_assert_eq!(left.len(), right.len());
    debug_assert_eq!(out.len(), left.len().div_ceil(64));
    for (word, (a, b)) in out.iter_mut().zip(left.chunks(64).zip(right.chunks(64))) {
        let mut bits = 0u64;
        for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
            bits |= u64::from(predicate(x, y)) << i;
        }
        *word = bits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_pack_in_row_order_with_zero_tail() {
        let values: Vec<f64> = (0..130).map(f64::from).collect();
        let mut out = vec![u64::MAX; 3];
        pack_values(&values, &mut out, |x| x >= 1.0 && x != 64.0);
        assert_eq!(out[0], u64::MAX - 1);
        assert_eq!(out[1], u64::MAX - 1);
        // Rows 128 and 129 only; the bits for rows that do not exist stay zero.
        assert_eq!(out[2], 0b11);
    }

    #[test]
    fn pairs_compare_row_by_row() {
        let left = [1.0, 2.0, f64::NAN, 4.0];
        let right = [1.0, 3.0, 3.0, f64::NAN];
        let mut out = [0u64];
        pack_pairs(&left, &right, &mut out, |a, b| a <= b);
        assert_eq!(out[0], 0b0011);
    }

    #[test]
    fn codes_pack_with_partial_word() {
        let codes = [0u32, 1, 2, 1, 0];
        let mut out = [0u64];
        pack_codes(&codes, &mut out, |c| c == 1);
        assert_eq!(out[0], 0b01010);
    }
}
