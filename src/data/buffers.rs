//! Growing the large buffers that hold a whole column.
//!
//! A column of a million rows fills several MiB of fresh memory, and the kernel zeroes and
//! maps it a 4 KiB page at a time as it is first written. On Linux the buffers ask for
//! transparent huge pages instead (2 MiB each), which makes up to 512 times fewer page
//! faults and takes most of the cost of fresh memory off the load. Elsewhere, and
//! when the kernel declines, they grow as any vector does.

/// Below this many bytes a buffer grows as any vector does: huge pages cover whole 2 MiB
/// spans and would not fit in a smaller buffer.
const LARGE_BYTES: usize = 4 << 20;

/// Appends `items` to `buffer`, growing it by doubling as a vector does.
pub fn extend<T: Copy>(buffer: &mut Vec<T>, items: &[T]) {
    reserve(buffer, items.len());
    buffer.extend_from_slice(items);
}

/// Makes room for `extra` more items in `buffer`, by at least doubling its capacity.
pub fn reserve<T>(buffer: &mut Vec<T>, extra: usize) {
    if buffer.capacity() - buffer.len() >= extra {
        return;
    }
    let wanted = (buffer.len() + extra).max(buffer.capacity() * 2);
    buffer.reserve_exact(wanted - buffer.len());
    if buffer.capacity() * std::mem::size_of::<T>() >= LARGE_BYTES {
        advise_huge_pages(buffer);
    }
}

/// Makes room for `items` items in all, the number of rows expected from the size of the
/// input. A buffer that does not grow later is written once, into fresh huge pages. When
/// memory is short, no room is taken and the buffer grows as it fills.
pub fn reserve_expected<T>(buffer: &mut Vec<T>, items: usize) {
    let extra = items.saturating_sub(buffer.len());
    if buffer.try_reserve_exact(extra).is_ok()
        && buffer.capacity() * std::mem::size_of::<T>() >= LARGE_BYTES
    {
        advise_huge_pages(buffer);
    }
}

/// Asks the kernel to back the unwritten part of `buffer`'s memory with huge pages.
#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(buffer: &mut Vec<T>) {
    const HUGE_PAGE: usize = 2 << 20;
    let size = std::mem::size_of::<T>();
    let unwritten = buffer.spare_capacity_mut();
    let from = unwritten.as_mut_ptr() as usize;
    let to = from + unwritten.len() * size;
    // Only whole huge pages inside the buffer's own memory are named.
    let start = from.next_multiple_of(HUGE_PAGE);
    let end = to - to % HUGE_PAGE;
    if end > start {
        // SAFETY: `start..end` lies inside memory this vector owns and has not written, and
        // the advice changes how the kernel backs that memory, never its contents. A kernel
        // without huge pages returns an error, which leaves the memory as it was.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_buffer: &mut Vec<T>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extend_keeps_every_item_in_order() {
        let mut buffer = Vec::new();
        let mut expected = Vec::new();
        for block in 0..40u64 {
            let items: Vec<u64> = (0..70_000).map(|i| block * 100_000 + i).collect();
            extend(&mut buffer, &items);
            expected.extend_from_slice(&items);
        }
        assert_eq!(buffer, expected);
        assert!(buffer.capacity() < 2 * buffer.len());
    }

    #[test]
    fn reserve_at_least_doubles() {
        let mut buffer: Vec<f64> = Vec::with_capacity(10);
        buffer.push(1.0);
        reserve(&mut buffer, 10);
        assert!(buffer.capacity() >= 20);
        assert_eq!(buffer, [1.0]);
    }
}
