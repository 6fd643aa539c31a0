//! Drawing the rows of a plan and writing them as CSV, chunks in parallel.

use std::io::{self, Write};

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::fixed;
use super::plan::{Plan, MISSING_LEVEL, MISSING_NUMBER};

/// Rows drawn from one random stream, for data of at most [`NARROW_COLUMNS`] columns.
const CHUNK_ROWS: usize = 16_384;

/// Wider data gets chunks of fewer rows, so a chunk's text stays below about
/// `CHUNK_ROWS * NARROW_COLUMNS` cells (a few MB) however many columns there are.
const NARROW_COLUMNS: usize = 64;

/// Chunks formatted before they are written, which bounds the memory held at once.
const CHUNKS_PER_BATCH: usize = 32;

impl Plan {
    /// Writes the CSV file (header, then every row) to `out`, calling `on_rows` with the
    /// number of rows written after each batch. Returns the number of rows of each class.
    pub fn write_csv(
        &self,
        out: &mut dyn Write,
        on_rows: &mut dyn FnMut(usize),
    ) -> io::Result<Vec<usize>> {
        out.write_all(self.column_names().join(",").as_bytes())?;
        out.write_all(b"\n")?;
        let chunk_rows = self.chunk_rows();
        let n_chunks = self.spec.rows.div_ceil(chunk_rows);
        let mut class_rows = vec![0usize; self.spec.classes];
        for batch_start in (0..n_chunks).step_by(CHUNKS_PER_BATCH) {
            let batch_end = (batch_start + CHUNKS_PER_BATCH).min(n_chunks);
            let chunks: Vec<(Vec<u8>, Vec<usize>)> = (batch_start..batch_end)
                .into_par_iter()
                .map(|chunk| self.chunk_text(chunk, chunk_rows))
                .collect();
            for (text, counts) in &chunks {
                out.write_all(text)?;
                for (total, count) in class_rows.iter_mut().zip(counts) {
                    *total += count;
                }
            }
            on_rows(batch_end.saturating_mul(chunk_rows).min(self.spec.rows));
        }
        Ok(class_rows)
    }

    /// Rows per chunk: [`CHUNK_ROWS`] up to [`NARROW_COLUMNS`] columns, fewer for wider data.
    fn chunk_rows(&self) -> usize {
        let columns = self.numeric.len() + self.categorical.len();
        if columns <= NARROW_COLUMNS {
            CHUNK_ROWS
        } else {
            (CHUNK_ROWS * NARROW_COLUMNS / columns).max(1)
        }
    }

    /// Draws the `chunk_rows` rows of chunk `chunk` from ChaCha8 stream `chunk + 1` of the
    /// seed (stream 0 draws the plan). Returns their CSV lines and the number of rows of each
    /// class.
    fn chunk_text(&self, chunk: usize, chunk_rows: usize) -> (Vec<u8>, Vec<usize>) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.spec.seed);
        rng.set_stream(chunk as u64 + 1);
        let first = chunk * chunk_rows;
        let rows = chunk_rows.min(self.spec.rows - first);
        let class_names: Vec<String> = (0..self.spec.classes as u32)
            .map(|c| self.class_name(c))
            .collect();
        // A cell is missing when a uniform u64 falls below this.
        let missing_below = (self.spec.missing * u64::MAX as f64) as u64;

        let mut numbers = vec![0i64; self.numeric.len()];
        let mut levels = vec![0u32; self.categorical.len()];
        let mut text = Vec::with_capacity(rows * (self.numeric.len() * 8 + 8));
        let mut class_rows = vec![0usize; self.spec.classes];
        for _ in 0..rows {
            for (value, distribution) in numbers.iter_mut().zip(&self.numeric) {
                let missing = rng.next_u64() < missing_below;
                let drawn = distribution.draw(&mut rng);
                *value = if missing { MISSING_NUMBER } else { drawn };
            }
            for (level, categorical) in levels.iter_mut().zip(&self.categorical) {
                let missing = rng.next_u64() < missing_below;
                let drawn = categorical.draw(&mut rng);
                *level = if missing { MISSING_LEVEL } else { drawn };
            }
            let mut class = self.hidden_class(&numbers, &levels);
            if rng.gen::<f64>() < self.spec.noise {
                class = rng.gen_range(0..self.spec.classes as u32);
            }

            for (&value, distribution) in numbers.iter().zip(&self.numeric) {
                if value != MISSING_NUMBER {
                    fixed::push_decimal(&mut text, value, distribution.decimals());
                }
                text.push(b',');
            }
            for (&level, categorical) in levels.iter().zip(&self.categorical) {
                if level != MISSING_LEVEL {
                    text.extend_from_slice(categorical.levels[level as usize].as_bytes());
                }
                text.push(b',');
            }
            text.extend_from_slice(class_names[class as usize].as_bytes());
            text.push(b'\n');
            class_rows[class as usize] += 1;
        }
        (text, class_rows)
    }
}
