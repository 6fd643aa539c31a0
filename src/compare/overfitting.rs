//! The overfitting report: training against validation scores per depth, every other setting
//! as chosen. A gap is flagged only when it is large both in size and against the noise of the
//! two scores. So a shallow tree scored on few validation rows is not called overfitted for a
//! gap that chance alone could make.

use serde::Serialize;

use super::noise::{binomial_standard_error, NOISE_MULTIPLE};
use super::phrases::{capitalise, join_words};
use crate::tree::search::LARGE_GAP;
use crate::tree::Search;

/// Training and validation scores for one depth, with every other setting as chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthGap {
    pub max_depth: Option<usize>,
    pub leaves: usize,
    pub train_score: f64,
    pub validation_score: f64,
    /// `train_score - validation_score`.
    pub gap: f64,
    /// The binomial standard error of the gap; `None` when the number of validation rows is
    /// not known.
    pub gap_standard_error: Option<f64>,
    /// True when the gap exceeds [`LARGE_GAP`] and, where its standard error is known,
    /// [`NOISE_MULTIPLE`] standard errors.
    pub large_gap: bool,
}

/// The rows behind the two scores of each depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoredRows {
    /// Rows the training score was measured on.
    pub train: usize,
    /// Rows the validation score was measured on (with cross-validation: every held-out row
    /// once); `None` when not known.
    pub validation: Option<usize>,
}

/// Builds the overfitting report of `search`: one entry per depth of the grid, in grid order.
pub fn depth_gaps(search: &Search, rows: ScoredRows) -> Vec<DepthGap> {
    search
        .overfitting()
        .into_iter()
        .map(|depth| {
            let standard_error = rows.validation.map(|validation| {
                let train = binomial_standard_error(depth.train_score, rows.train);
                let held_out = binomial_standard_error(depth.validation_score, validation);
                (train * train + held_out * held_out).sqrt()
            });
            let beyond_noise =
                standard_error.is_none_or(|error| depth.gap > NOISE_MULTIPLE * error);
            DepthGap {
                max_depth: depth.max_depth,
                leaves: depth.leaves,
                train_score: depth.train_score,
                validation_score: depth.validation_score,
                gap: depth.gap,
                gap_standard_error: standard_error,
                large_gap: depth.gap > LARGE_GAP && beyond_noise,
            }
        })
        .collect()
}

/// Writes the plain-words reading of the overfitting report: which depths are flagged, why
/// the chosen setting was kept if it is one of them, and which large gaps are only noise.
pub fn overfitting_sentences(gaps: &[DepthGap], search: &Search) -> Vec<String> {
    let metric = search.metric.label();
    let held_out = if search.cv_folds.is_some() {
        "held-out"
    } else {
        "validation"
    };
    let noise_known = gaps.iter().all(|g| g.gap_standard_error.is_some());
    let flagged: Vec<Option<usize>> = gaps
        .iter()
        .filter(|g| g.large_gap)
        .map(|g| g.max_depth)
        .collect();
    let mut sentences = Vec::new();
    if !flagged.is_empty() {
        let noise = if noise_known {
            " and by more than twice the standard error of the gap"
        } else {
            ""
        };
        sentences.push(format!(
            "{}, the training {metric} is above the {held_out} {metric} by more than \
             {LARGE_GAP}{noise}: the tree fits details of its training rows that do not carry \
             over to rows it has not seen.",
            where_phrase(gaps, &flagged)
        ));
        let chosen = search.chosen_row().params.max_depth;
        if flagged.contains(&chosen) {
            sentences.push(format!(
                "The chosen setting ({}) is one of them. It was chosen anyway because its \
                 {held_out} {metric} is the best of the {} settings tried; the gap means that \
                 its training {metric} overstates how it does on new rows, which the \
                 {held_out} and test scores measure instead.",
                depth_name(chosen),
                search.rows.len()
            ));
        }
    }
    let within_noise: Vec<Option<usize>> = gaps
        .iter()
        .filter(|g| g.gap > LARGE_GAP && !g.large_gap)
        .map(|g| g.max_depth)
        .collect();
    if !within_noise.is_empty() {
        sentences.push(format!(
            "{} the gap is above {LARGE_GAP} but within twice its standard error, so it could \
             be noise of the {held_out} score and is not flagged.",
            capitalise(&depth_list(&within_noise))
        ));
    }
    sentences
}

/// Names the flagged depths: "From max depth 6 on" when every deeper setting is flagged too,
/// otherwise a list.
fn where_phrase(gaps: &[DepthGap], flagged: &[Option<usize>]) -> String {
    let order = |depth: Option<usize>| depth.unwrap_or(usize::MAX);
    let first = flagged.iter().copied().min_by_key(|&d| order(d));
    let deeper: Vec<Option<usize>> = gaps
        .iter()
        .map(|g| g.max_depth)
        .filter(|&d| first.is_some_and(|first| order(d) >= order(first)))
        .collect();
    match first {
        Some(Some(depth)) if flagged.len() > 1 && deeper.len() == flagged.len() => {
            format!("From max depth {depth} on")
        }
        _ => capitalise(&depth_list(flagged)),
    }
}

/// Lists depths as "at max depth 2, 3 and 5", and a missing limit as "with no depth limit".
fn depth_list(depths: &[Option<usize>]) -> String {
    let mut names: Vec<String> = depths.iter().flatten().map(usize::to_string).collect();
    let unlimited = depths.iter().any(Option::is_none);
    if names.is_empty() {
        return "with no depth limit".to_string();
    }
    if unlimited {
        names.push("with no depth limit".to_string());
    }
    format!("at max depth {}", join_words(&names))
}

fn depth_name(depth: Option<usize>) -> String {
    depth.map_or("no depth limit".to_string(), |d| format!("max depth {d}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::search::GridRow;
    use crate::tree::{Metric, TreeParams};

    /// A search over depths 1 to 6 and no limit, with `(train, validation)` scores per depth.
    fn search(scores: &[(f64, f64)], chosen: usize) -> Search {
        let depths = [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), None];
        let rows = scores
            .iter()
            .zip(depths)
            .map(|(&(train, validation), max_depth)| GridRow {
                params: TreeParams {
                    max_depth,
                    ..TreeParams::default()
                },
                leaves: max_depth.map_or(40, |d| 1 << d),
                train_score: train,
                validation_score: validation,
                validation_std: None,
                mean_leaves: 0.0,
                accuracy: (train, validation),
            })
            .collect();
        Search {
            metric: Metric::Accuracy,
            cv_folds: None,
            rows,
            chosen,
        }
    }

    fn gaps_on(search: &Search, train: usize, validation: Option<usize>) -> Vec<DepthGap> {
        depth_gaps(search, ScoredRows { train, validation })
    }

    /// Reads the overfitting report of `scores` on 360 training and 120 validation rows.
    fn reading(scores: &[(f64, f64)], chosen: usize) -> String {
        let search = search(scores, chosen);
        let gaps = gaps_on(&search, 360, Some(120));
        overfitting_sentences(&gaps, &search).join(" ")
    }

    const SCORES: [(f64, f64); 7] = [
        (0.72, 0.70),
        (0.78, 0.717),
        (0.80, 0.72),
        (0.81, 0.722),
        (0.81, 0.723),
        (0.831, 0.725),
        (1.0, 0.68),
    ];

    #[test]
    fn small_gap_on_few_rows_is_noise() {
        // 120 validation rows: the standard error of a gap near 0.06 is about 0.047.
        let search = search(&SCORES, 5);
        let gaps = gaps_on(&search, 360, Some(120));
        let flagged: Vec<Option<usize>> = gaps
            .iter()
            .filter(|g| g.large_gap)
            .map(|g| g.max_depth)
            .collect();
        assert_eq!(flagged, [Some(6), None]);
        assert!(gaps[1].gap > LARGE_GAP, "depth 2 has a gap above 0.05");
        let error = gaps[1].gap_standard_error.unwrap();
        assert!((error - 0.0465).abs() < 0.001, "{error}");
    }

    #[test]
    fn same_gap_on_many_rows_is_flagged() {
        let gaps = gaps_on(&search(&SCORES, 5), 30_000, Some(10_000));
        assert!(gaps[1].large_gap, "{:?}", gaps[1]);
        assert!(!gaps[0].large_gap);
    }

    #[test]
    fn unknown_rows_fall_back_to_the_size_alone() {
        let gaps = gaps_on(&search(&SCORES, 5), 360, None);
        assert!(gaps[1].large_gap);
        assert_eq!(gaps[1].gap_standard_error, None);
    }

    #[test]
    fn chosen_setting_in_flagged_range_is_explained() {
        let text = reading(&SCORES, 5);
        assert!(
            text.starts_with("From max depth 6 on, the training accuracy"),
            "{text}"
        );
        assert!(
            text.contains("The chosen setting (max depth 6) is one of them."),
            "{text}"
        );
        assert!(
            text.contains("is the best of the 7 settings tried"),
            "{text}"
        );
        assert!(
            text.contains("At max depth 2, 3, 4 and 5 the gap is above 0.05 but within twice"),
            "{text}"
        );
        assert!(!text.contains("memorise"), "{text}");
    }

    #[test]
    fn chosen_setting_outside_flagged_range_is_not_mentioned() {
        let text = reading(&SCORES, 0);
        assert!(!text.contains("chosen setting"), "{text}");
    }

    #[test]
    fn flagged_depths_with_gaps_between_are_listed() {
        let mut scores = SCORES;
        scores[4] = (0.85, 0.70);
        scores[5] = (0.75, 0.74);
        let text = reading(&scores, 0);
        assert!(
            text.starts_with("At max depth 5 and with no depth limit, the training accuracy"),
            "{text}"
        );
    }

    #[test]
    fn depth_lists_read_as_words() {
        assert_eq!(depth_list(&[Some(2)]), "at max depth 2");
        assert_eq!(depth_list(&[Some(2), Some(3)]), "at max depth 2 and 3");
        assert_eq!(
            depth_list(&[Some(2), Some(3), None]),
            "at max depth 2, 3 and with no depth limit"
        );
        assert_eq!(depth_list(&[None]), "with no depth limit");
    }
}
