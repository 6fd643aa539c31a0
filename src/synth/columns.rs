//! The feature columns of a generated data set and how their values are drawn.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::fixed;

/// How a numeric column's values are spread. The kinds differ on purpose: symmetric, flat,
/// skewed, and integer-valued with many ties.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, width: f64 },
    Exponential { scale: f64 },
    Integer { max: i64 },
}

impl Distribution {
    /// The `index`-th column's distribution, with parameters drawn from `rng`.
    pub fn pick(index: usize, rng: &mut ChaCha8Rng) -> Self {
        match index % 4 {
            0 => Distribution::Normal {
                mean: rng.gen_range(-50.0..50.0),
                sd: rng.gen_range(1.0..20.0),
            },
            1 => Distribution::Uniform {
                low: rng.gen_range(-100.0..100.0),
                width: rng.gen_range(1.0..100.0),
            },
            2 => Distribution::Exponential {
                scale: rng.gen_range(0.5..5.0),
            },
            _ => Distribution::Integer {
                max: rng.gen_range(5..=50),
            },
        }
    }

    /// Draws one value in thousandths.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> i64 {
        match *self {
            Distribution::Normal { mean, sd } => fixed::from_f64(mean + sd * standard_normal(rng)),
            Distribution::Uniform { low, width } => fixed::from_f64(low + width * rng.gen::<f64>()),
            Distribution::Exponential { scale } => {
                // 1 - u lies in (0, 1], so the logarithm is finite.
                fixed::from_f64(-scale * (1.0 - rng.gen::<f64>()).ln())
            }
            Distribution::Integer { max } => rng.gen_range(0..=max) * fixed::SCALE,
        }
    }

    /// Digits printed after the decimal point.
    pub fn decimals(&self) -> u32 {
        match self {
            Distribution::Integer { .. } => 0,
            _ => 3,
        }
    }
}

/// A standard normal draw by the Box-Muller transform (one of the pair is used), written out
/// so the stream does not change with the version of a distributions crate.
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.gen::<f64>();
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A categorical column: its levels and their cumulative probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Categorical {
    pub levels: Vec<String>,
    /// `cumulative[i]` is the probability of a level at most `i`; the last entry is 1.
    pub cumulative: Vec<f64>,
}

impl Categorical {
    /// The `index`-th categorical column: 3 to 7 levels named `a`, `b`, ..., with unequal
    /// probabilities.
    pub fn pick(index: usize, rng: &mut ChaCha8Rng) -> Self {
        let n_levels = 3 + index % 5;
        let weights: Vec<f64> = (0..n_levels).map(|_| rng.gen_range(1.0..4.0)).collect();
        let total: f64 = weights.iter().sum();
        let mut running = 0.0;
        let mut cumulative: Vec<f64> = weights
            .iter()
            .map(|w| {
                running += w / total;
                running
            })
            .collect();
        *cumulative.last_mut().expect("at least three levels") = 1.0;
        Categorical {
            levels: (0..n_levels)
                .map(|i| char::from(b'a' + i as u8).to_string())
                .collect(),
            cumulative,
        }
    }

    pub fn probability(&self, level: usize) -> f64 {
        self.cumulative[level]
            - if level == 0 {
                0.0
            } else {
                self.cumulative[level - 1]
            }
    }

    /// Draws one level's index.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> u32 {
        let u: f64 = rng.gen();
        self.cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.levels.len() - 1) as u32
    }
}
