//! The majority-class baseline: the score any useful model must beat.

/// The most frequent class among `labels`; ties go to the first class in class order.
pub fn majority_class(labels: &[u32], n_classes: usize) -> u32 {
    let mut counts = vec![0u32; n_classes];
    for &label in labels {
        counts[label as usize] += 1;
    }
    crate::tree::model::majority_class(&counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_picks_most_frequent() {
        assert_eq!(majority_class(&[1, 0, 1, 2, 1], 3), 1);
    }
}
