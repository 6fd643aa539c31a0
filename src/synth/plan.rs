//! The plan of a generated data set: its columns, the hidden decision list that labels the
//! rows, and the rule file that approximates it.

use std::fmt::Write as _;

use rand::seq::index::sample;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::columns::{Categorical, Distribution};
use super::fixed;
use super::Spec;
use crate::error::Result;

/// Draws per column used to place thresholds at quantiles.
const SAMPLE_SIZE: usize = 20_000;

/// Share of rows the hidden two-column rule takes before the other rules are tried.
const DIAGONAL_SHARE: f64 = 0.08;

/// Largest distance, as a share of rows, between a hidden threshold and the written one.
const THRESHOLD_SHIFT: f64 = 0.04;

/// A numeric cell's value when the cell is missing.
pub const MISSING_NUMBER: i64 = i64::MIN;

/// A categorical cell's level when the cell is missing.
pub const MISSING_LEVEL: u32 = u32::MAX;

/// One test of a rule; a test on a missing cell is never true.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Numeric column `column` is below `threshold` (thousandths).
    Below { column: usize, threshold: i64 },
    /// Numeric column `column` is at least `threshold` (thousandths).
    AtLeast { column: usize, threshold: i64 },
    /// Categorical column `column` holds a level marked in `levels`.
    InSet { column: usize, levels: Vec<bool> },
}

/// A rule: all tests true gives `class`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub tests: Vec<Test>,
    pub class: u32,
}

/// A hidden rule on two numeric columns, `(a - center_a) / scale_a - (b - center_b) /
/// scale_b > offset`: an oblique boundary, which a tree can only approach with many splits.
#[derive(Debug, Clone, PartialEq)]
struct Diagonal {
    a: usize,
    b: usize,
    center: (f64, f64),
    scale: (f64, f64),
    offset: f64,
    class: u32,
}

/// Everything that decides the generated rows, drawn from the seed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub spec: Spec,
    pub numeric: Vec<Distribution>,
    pub categorical: Vec<Categorical>,
    /// The rules written to the rule file.
    pub written: Vec<Rule>,
    /// The rules that label the rows: the written ones with shifted thresholds.
    hidden: Vec<Rule>,
    diagonal: Option<Diagonal>,
    pub default_class: u32,
}

impl Plan {
    pub fn new(spec: &Spec) -> Result<Plan> {
        spec.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let numeric: Vec<Distribution> = (0..spec.numeric)
            .map(|i| Distribution::pick(i, &mut rng))
            .collect();
        let categorical: Vec<Categorical> = (0..spec.categorical)
            .map(|i| Categorical::pick(i, &mut rng))
            .collect();
        let samples: Vec<Vec<i64>> = numeric
            .iter()
            .map(|d| (0..SAMPLE_SIZE).map(|_| d.draw(&mut rng)).collect())
            .collect();
        let diagonal = (spec.numeric >= 2).then(|| {
            let class = ((spec.rules + 1) % spec.classes) as u32;
            Diagonal::draw(&samples, class, &mut rng)
        });
        let sorted: Vec<Vec<i64>> = samples
            .into_iter()
            .map(|mut s| {
                s.sort_unstable();
                s
            })
            .collect();

        let mut written = Vec::with_capacity(spec.rules);
        let mut hidden = Vec::with_capacity(spec.rules);
        // Each rule fires on about 1 / (rules + 1) of the rows that reach it.
        let rule_share = 1.0 / (spec.rules as f64 + 1.0);
        for index in 0..spec.rules {
            let n_tests =
                spec.comparisons / spec.rules + usize::from(index < spec.comparisons % spec.rules);
            let pass = rule_share.powf(1.0 / n_tests as f64);
            let class = (index % spec.classes) as u32;
            let columns = sample(&mut rng, spec.numeric + spec.categorical, n_tests);
            let (mut shown, mut true_tests) = (Vec::new(), Vec::new());
            for column in columns {
                let (test, hidden_test) = if column < spec.numeric {
                    numeric_tests(column, &numeric[column], &sorted[column], pass, &mut rng)
                } else {
                    let index = column - spec.numeric;
                    let test = set_test(index, &categorical[index], pass, &mut rng);
                    (test.clone(), test)
                };
                shown.push(test);
                true_tests.push(hidden_test);
            }
            written.push(Rule {
                tests: shown,
                class,
            });
            hidden.push(Rule {
                tests: true_tests,
                class,
            });
        }
        Ok(Plan {
            spec: spec.clone(),
            numeric,
            categorical,
            written,
            hidden,
            diagonal,
            default_class: (spec.rules % spec.classes) as u32,
        })
    }

    pub fn class_name(&self, class: u32) -> String {
        format!("class{class}")
    }

    pub fn column_names(&self) -> Vec<String> {
        let numeric = (1..=self.numeric.len()).map(|i| format!("x{i}"));
        let categorical = (1..=self.categorical.len()).map(|i| format!("cat{i}"));
        numeric
            .chain(categorical)
            .chain(["label".to_string()])
            .collect()
    }

    /// The class the hidden decision list gives a row (before label noise).
    pub fn hidden_class(&self, numbers: &[i64], levels: &[u32]) -> u32 {
        if let Some(diagonal) = &self.diagonal {
            if diagonal.fires(numbers) {
                return diagonal.class;
            }
        }
        self.hidden
            .iter()
            .find(|rule| rule.tests.iter().all(|t| t.holds(numbers, levels)))
            .map_or(self.default_class, |rule| rule.class)
    }

    /// Lists the classes the rule file names, as `(class, rule)` pairs: each rule's class
    /// with the rule's name, then the default class with `None`.
    pub fn named_classes(&self) -> Vec<(u32, Option<String>)> {
        let rules = self
            .written
            .iter()
            .enumerate()
            .map(|(index, rule)| (rule.class, Some(format!("r{}", index + 1))));
        rules.chain([(self.default_class, None)]).collect()
    }

    /// The rule file: the written rules in the rule language, with a comment on their origin.
    pub fn rule_text(&self) -> String {
        let spec = &self.spec;
        let mut text = format!(
            "# Rules for data made by `rulebench gen --seed {}`: {} rules, {} comparisons.\n\
             # The labels come from similar rules with shifted thresholds, a hidden rule on two\n\
             # columns and {} % label noise, so these rules are good but not perfect.\n\n\
             target label\ndefault {}\n\n",
            spec.seed,
            spec.rules,
            spec.comparisons,
            (spec.noise * 1000.0).round() / 10.0,
            self.class_name(self.default_class)
        );
        let names = self.column_names();
        for (index, rule) in self.written.iter().enumerate() {
            let tests: Vec<String> = rule
                .tests
                .iter()
                .map(|test| self.test_text(test, &names))
                .collect();
            writeln!(
                text,
                "rule r{}: {} => {}",
                index + 1,
                tests.join(" and "),
                self.class_name(rule.class)
            )
            .expect("writing to a String cannot fail");
        }
        text
    }

    fn test_text(&self, test: &Test, names: &[String]) -> String {
        match test {
            Test::Below { column, threshold } => format!(
                "{} < {}",
                names[*column],
                fixed::decimal_string(*threshold, threshold_decimals(&self.numeric[*column]))
            ),
            Test::AtLeast { column, threshold } => format!(
                "{} >= {}",
                names[*column],
                fixed::decimal_string(*threshold, threshold_decimals(&self.numeric[*column]))
            ),
            Test::InSet { column, levels } => {
                let column_levels = &self.categorical[*column].levels;
                let members: Vec<String> = column_levels
                    .iter()
                    .zip(levels)
                    .filter(|(_, &member)| member)
                    .map(|(level, _)| format!("\"{level}\""))
                    .collect();
                format!(
                    "{} in {{{}}}",
                    names[self.spec.numeric + column],
                    members.join(", ")
                )
            }
        }
    }
}

impl Test {
    fn holds(&self, numbers: &[i64], levels: &[u32]) -> bool {
        match self {
            Test::Below { column, threshold } => {
                numbers[*column] != MISSING_NUMBER && numbers[*column] < *threshold
            }
            Test::AtLeast { column, threshold } => {
                numbers[*column] != MISSING_NUMBER && numbers[*column] >= *threshold
            }
            Test::InSet {
                column,
                levels: set,
            } => levels[*column] != MISSING_LEVEL && set[levels[*column] as usize],
        }
    }
}

impl Diagonal {
    fn draw(samples: &[Vec<i64>], class: u32, rng: &mut ChaCha8Rng) -> Diagonal {
        let picked = sample(rng, samples.len(), 2);
        let (a, b) = (picked.index(0), picked.index(1));
        let center_scale = |values: &[i64]| {
            let mut sorted = values.to_vec();
            sorted.sort_unstable();
            let at = |p: f64| fixed::to_f64(quantile(&sorted, p));
            let spread = (at(0.75) - at(0.25)).max(0.001);
            (at(0.5), spread)
        };
        let (center_a, scale_a) = center_scale(&samples[a]);
        let (center_b, scale_b) = center_scale(&samples[b]);
        let mut diagonal = Diagonal {
            a,
            b,
            center: (center_a, center_b),
            scale: (scale_a, scale_b),
            offset: 0.0,
            class,
        };
        // Sample draws are independent per column, so pairing them by position gives rows.
        let mut scores: Vec<f64> = samples[a]
            .iter()
            .zip(&samples[b])
            .map(|(&x, &y)| diagonal.score(x, y))
            .collect();
        scores.sort_by(f64::total_cmp);
        diagonal.offset = scores[((1.0 - DIAGONAL_SHARE) * (scores.len() - 1) as f64) as usize];
        diagonal
    }

    fn score(&self, a: i64, b: i64) -> f64 {
        (fixed::to_f64(a) - self.center.0) / self.scale.0
            - (fixed::to_f64(b) - self.center.1) / self.scale.1
    }

    fn fires(&self, numbers: &[i64]) -> bool {
        let (a, b) = (numbers[self.a], numbers[self.b]);
        a != MISSING_NUMBER && b != MISSING_NUMBER && self.score(a, b) > self.offset
    }
}

/// A written and a hidden threshold test on a numeric column that passes about `pass` of
/// the rows.
fn numeric_tests(
    column: usize,
    distribution: &Distribution,
    sorted: &[i64],
    pass: f64,
    rng: &mut ChaCha8Rng,
) -> (Test, Test) {
    let shift = rng.gen_range(-THRESHOLD_SHIFT..THRESHOLD_SHIFT);
    let decimals = threshold_decimals(distribution);
    let at = |p: f64| round_to(quantile(sorted, p.clamp(0.0, 1.0)), decimals);
    if rng.gen_bool(0.5) {
        (
            Test::Below {
                column,
                threshold: at(pass),
            },
            Test::Below {
                column,
                threshold: at(pass + shift),
            },
        )
    } else {
        (
            Test::AtLeast {
                column,
                threshold: at(1.0 - pass),
            },
            Test::AtLeast {
                column,
                threshold: at(1.0 - pass + shift),
            },
        )
    }
}

/// A set test on a categorical column whose levels cover about `pass` of the rows (at least
/// one level, never all).
fn set_test(column: usize, categorical: &Categorical, pass: f64, rng: &mut ChaCha8Rng) -> Test {
    let mut order: Vec<usize> = (0..categorical.levels.len()).collect();
    order.shuffle(rng);
    let mut levels = vec![false; order.len()];
    let mut covered = 0.0;
    for &level in &order[..order.len() - 1] {
        levels[level] = true;
        covered += categorical.probability(level);
        if covered >= pass {
            break;
        }
    }
    Test::InSet { column, levels }
}

/// Digits of a threshold: whole numbers for integer columns, hundredths otherwise.
fn threshold_decimals(distribution: &Distribution) -> u32 {
    distribution.decimals().min(2)
}

fn quantile(sorted: &[i64], p: f64) -> i64 {
    sorted[(p * (sorted.len() - 1) as f64).round() as usize]
}

/// Rounds a fixed-point number to `decimals` digits after the point.
fn round_to(value: i64, decimals: u32) -> i64 {
    let step = 10i64.pow(3 - decimals);
    (value as f64 / step as f64).round() as i64 * step
}
