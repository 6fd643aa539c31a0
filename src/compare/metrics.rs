//! Classification metrics from a confusion matrix, following scikit-learn's definitions.
//!
//! A prediction may be `None` (the rules abstained); it counts as wrong for every class and
//! has its own column in the confusion matrix.

use serde::Serialize;

/// Counts of (true class, predicted class) pairs. `counts[t][p]` for `p < n_classes`, and
/// `counts[t][n_classes]` for rows where the model abstained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfusionMatrix {
    pub counts: Vec<Vec<u64>>,
}

impl ConfusionMatrix {
    pub fn new(truth: &[u32], predicted: &[Option<u32>], n_classes: usize) -> Self {
        assert_eq!(truth.len(), predicted.len(), "one prediction per row");
        let mut counts = vec![vec![0; n_classes + 1]; n_classes];
        for (&t, p) in truth.iter().zip(predicted) {
            let column = p.map_or(n_classes, |p| p as usize);
            counts[t as usize][column] += 1;
        }
        ConfusionMatrix { counts }
    }

    pub fn n_classes(&self) -> usize {
        self.counts.len()
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    pub fn support(&self, class: usize) -> u64 {
        self.counts[class].iter().sum()
    }

    /// Rows predicted as `class`.
    pub fn predicted(&self, class: usize) -> u64 {
        self.counts.iter().map(|row| row[class]).sum()
    }

    pub fn abstained(&self) -> u64 {
        let n = self.n_classes();
        self.counts.iter().map(|row| row[n]).sum()
    }

    pub fn correct(&self) -> u64 {
        (0..self.n_classes()).map(|c| self.counts[c][c]).sum()
    }
}

/// Precision, recall and F1 of one class. Precision is `None` when the class is never
/// predicted, and recall is `None` when it never occurs, since 0/0 is not a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassScores {
    pub class: String,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// `2·tp / (2·tp + fp + fn)`; `None` when the class neither occurs nor is predicted.
    pub f1: Option<f64>,
    pub support: u64,
}

/// The summary scores of one model on one set of rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub accuracy: f64,
    /// The mean recall over classes that occur in the rows.
    pub balanced_accuracy: f64,
    /// The mean F1 over classes that occur in the rows or are predicted.
    pub macro_f1: f64,
    pub per_class: Vec<ClassScores>,
    pub confusion: ConfusionMatrix,
    /// Cohen's kappa between the true and the predicted classes, with an abstention as a
    /// category of its own; `None` when chance agreement is already perfect.
    pub kappa: Option<f64>,
}

pub fn score(truth: &[u32], predicted: &[Option<u32>], classes: &[String]) -> Scores {
    let confusion = ConfusionMatrix::new(truth, predicted, classes.len());
    let per_class: Vec<ClassScores> = classes
        .iter()
        .enumerate()
        .map(|(c, name)| class_scores(&confusion, c, name))
        .collect();

    let total = confusion.total();
    let accuracy = ratio(confusion.correct(), total).unwrap_or(0.0);
    let recalls: Vec<f64> = per_class.iter().filter_map(|s| s.recall).collect();
    let f1s: Vec<f64> = per_class.iter().filter_map(|s| s.f1).collect();
    let kappa = cohen_kappa(&confusion.counts);
    Scores {
        accuracy,
        balanced_accuracy: mean(&recalls),
        macro_f1: mean(&f1s),
        per_class,
        confusion,
        kappa,
    }
}

/// The share of rows on the diagonal of a confusion matrix; 0 when it is empty.
pub fn accuracy_of(confusion: &ConfusionMatrix) -> f64 {
    ratio(confusion.correct(), confusion.total()).unwrap_or(0.0)
}

/// The mean F1 over classes that occur in the rows or are predicted, as in [`score`].
pub fn macro_f1_of(confusion: &ConfusionMatrix) -> f64 {
    let f1s: Vec<f64> = (0..confusion.n_classes())
        .filter_map(|c| {
            ratio(
                2 * confusion.counts[c][c],
                confusion.predicted(c) + confusion.support(c),
            )
        })
        .collect();
    mean(&f1s)
}

/// Cohen's kappa of a table of counts, `counts[a][b]` being the rows that the first rater put
/// in category `a` and the second in category `b`. Categories share indices, and a category
/// past the end of one side (the abstention column of a confusion matrix) never matches.
/// `None` when the table is empty or chance agreement is 1, where kappa is 0/0.
pub fn cohen_kappa(counts: &[Vec<u64>]) -> Option<f64> {
    let total: u64 = counts.iter().flatten().sum();
    let n_columns = counts.iter().map(Vec::len).max().unwrap_or(0);
    let shared = counts.len().min(n_columns);
    let observed: u64 = (0..shared).map(|c| counts[c][c]).sum();
    let column_sum = |c: usize| -> u64 {
        counts
            .iter()
            .map(|row| row.get(c).copied().unwrap_or(0))
            .sum()
    };
    // Chance agreement times total², kept in integers so that "exactly 1" is exact.
    let expected: u128 = (0..shared)
        .map(|c| counts[c].iter().sum::<u64>() as u128 * column_sum(c) as u128)
        .sum();
    let total_squared = total as u128 * total as u128;
    if total == 0 || expected == total_squared {
        return None;
    }
    let observed = observed as f64 / total as f64;
    let expected = expected as f64 / total_squared as f64;
    Some((observed - expected) / (1.0 - expected))
}

fn class_scores(confusion: &ConfusionMatrix, class: usize, name: &str) -> ClassScores {
    let true_positives = confusion.counts[class][class];
    let predicted = confusion.predicted(class);
    let support = confusion.support(class);
    let f1 = ratio(2 * true_positives, predicted + support);
    ClassScores {
        class: name.to_string(),
        precision: ratio(true_positives, predicted),
        recall: ratio(true_positives, support),
        f1,
        support,
    }
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    // Worked by hand. Truth a a a b b c; predicted a a b b b b.
    // a: tp 2, predicted 2, support 3 -> precision 1, recall 2/3, F1 4/5.
    // b: tp 2, predicted 4, support 2 -> precision 1/2, recall 1, F1 4/6.
    // c: tp 0, never predicted, support 1 -> precision n/a, recall 0, F1 0.
    #[test]
    fn scores_match_hand_computation() {
        let truth = [0, 0, 0, 1, 1, 2];
        let predicted = [Some(0), Some(0), Some(1), Some(1), Some(1), Some(1)];
        let scores = score(&truth, &predicted, &classes(&["a", "b", "c"]));

        assert!((scores.accuracy - 4.0 / 6.0).abs() < 1e-12);
        assert!((scores.balanced_accuracy - (2.0 / 3.0 + 1.0 + 0.0) / 3.0).abs() < 1e-12);
        assert!((scores.macro_f1 - (0.8 + 4.0 / 6.0 + 0.0) / 3.0).abs() < 1e-12);

        let c = &scores.per_class[2];
        assert_eq!(c.precision, None);
        assert_eq!(c.recall, Some(0.0));
        assert_eq!(c.f1, Some(0.0));
        assert_eq!(c.support, 1);

        let b = &scores.per_class[1];
        assert_eq!(b.precision, Some(0.5));
        assert_eq!(b.recall, Some(1.0));

        // Observed agreement 4/6; chance agreement (3·2 + 2·4 + 1·0) / 36 = 14/36.
        let expected_kappa = (4.0 / 6.0 - 14.0 / 36.0) / (1.0 - 14.0 / 36.0);
        assert!((scores.kappa.unwrap() - expected_kappa).abs() < 1e-12);
        assert!((macro_f1_of(&scores.confusion) - scores.macro_f1).abs() < 1e-15);
        assert!((accuracy_of(&scores.confusion) - scores.accuracy).abs() < 1e-15);
    }

    #[test]
    fn kappa_undefined_when_chance_agreement_is_one() {
        let scores = score(&[0, 0], &[Some(0), Some(0)], &classes(&["a", "b"]));
        assert_eq!(scores.kappa, None);
    }

    #[test]
    fn kappa_of_constant_prediction_is_zero() {
        let scores = score(
            &[0, 1, 1],
            &[Some(1), Some(1), Some(1)],
            &classes(&["a", "b"]),
        );
        assert_eq!(scores.kappa, Some(0.0));
    }

    #[test]
    fn abstentions_count_as_wrong() {
        let truth = [0, 1, 1];
        let predicted = [Some(0), None, Some(1)];
        let scores = score(&truth, &predicted, &classes(&["a", "b"]));
        assert!((scores.accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(scores.confusion.abstained(), 1);
        assert_eq!(scores.confusion.counts[1], vec![0, 1, 1]);
        assert_eq!(scores.per_class[1].recall, Some(0.5));
        assert_eq!(scores.per_class[1].precision, Some(1.0));
    }

    #[test]
    fn class_absent_from_rows_is_left_out_of_averages() {
        // Class c neither occurs nor is predicted: it must not pull the means down.
        let truth = [0, 1];
        let predicted = [Some(0), Some(1)];
        let scores = score(&truth, &predicted, &classes(&["a", "b", "c"]));
        assert_eq!(scores.per_class[2].f1, None);
        assert_eq!(scores.balanced_accuracy, 1.0);
        assert_eq!(scores.macro_f1, 1.0);
    }
}
