//! Long steps: a progress bar on standard error once a step has run for a second, and the
//! time each step took.
//!
//! Both are off by default, so library callers and tests see nothing. The command line turns
//! bars on when standard error is a terminal ([`show_bars`]) and timings on for `--timings`
//! ([`record_timings`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A step shorter than this never shows a bar.
const REVEAL_AFTER: Duration = Duration::from_secs(1);

static SHOW_BARS: AtomicBool = AtomicBool::new(false);
static RECORD_TIMINGS: AtomicBool = AtomicBool::new(false);
static TIMINGS: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

/// Shows a bar for each step that runs longer than a second from now on.
pub fn show_bars() {
    SHOW_BARS.store(true, Ordering::Relaxed);
}

/// Records the duration of every step from now on; [`take_timings`] returns them.
pub fn record_timings() {
    RECORD_TIMINGS.store(true, Ordering::Relaxed);
}

/// The recorded steps in the order they finished, as (name, seconds), emptying the record.
pub fn take_timings() -> Vec<(String, f64)> {
    std::mem::take(&mut *TIMINGS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// A running step. Dropping it (also on an early return with an error) clears its bar;
/// [`Stage::finish`] also records its duration.
pub struct Stage {
    name: &'static str,
    started: Instant,
    bar: ProgressBar,
    reveal: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Stage {
    /// Starts step `name` (a short identifier used in timings) described by `message`, with
    /// `total` units of work when known.
    pub fn start(name: &'static str, message: impl Into<String>, total: Option<u64>) -> Stage {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let template = match total {
            Some(_) => "{spinner} {msg} [{elapsed}] {wide_bar} {human_pos}/{human_len}",
            None => "{spinner} {msg} [{elapsed}]",
        };
        bar.set_style(ProgressStyle::with_template(template).expect("the template is valid"));
        bar.set_message(message.into());
        let reveal = SHOW_BARS
            .load(Ordering::Relaxed)
            .then(|| spawn_reveal(bar.clone()));
        Stage {
            name,
            started: Instant::now(),
            bar,
            reveal,
        }
    }

    /// Sets the units of work done so far.
    pub fn set_position(&self, done: u64) {
        self.bar.set_position(done);
    }

    /// Ends the step, records its duration when timings are on, and returns it.
    pub fn finish(mut self) -> Duration {
        let elapsed = self.started.elapsed();
        self.stop();
        if RECORD_TIMINGS.load(Ordering::Relaxed) {
            TIMINGS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((self.name.to_string(), elapsed.as_secs_f64()));
        }
        elapsed
    }

    fn stop(&mut self) {
        if let Some((sender, thread)) = self.reveal.take() {
            drop(sender);
            let _ = thread.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts a thread that draws `bar` on standard error unless the step ends within
/// [`REVEAL_AFTER`]; the step ends when the returned sender is dropped.
fn spawn_reveal(bar: ProgressBar) -> (Sender<()>, JoinHandle<()>) {
    let (sender, receiver) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        if receiver.recv_timeout(REVEAL_AFTER) == Err(RecvTimeoutError::Timeout) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    });
    (sender, thread)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_returns_elapsed_time() {
        let stage = Stage::start("test-step", "sleeping", None);
        std::thread::sleep(Duration::from_millis(20));
        assert!(stage.finish() >= Duration::from_millis(20));
    }
}
