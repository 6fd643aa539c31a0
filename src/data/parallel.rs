//! Parses CSV records on several threads and hands the parsed chunks on in file order.
//!
//! One thread reads the input and cuts it into chunks ([`super::chunks`]), and worker threads
//! parse the chunks ([`super::parse`]). The calling thread reads the header from the first
//! chunk and passes every parsed chunk, in order, to a [`Sink`]. A fixed pool of buffers
//! bounds the memory in flight, so the input may be far larger than memory.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::builder::ColumnState;
use super::chunks::{Chunk, ChunkReader};
use super::parse::{parse_rows, ParsedRows, Setup};
use crate::error::{Error, Result};

/// The default size of a chunk: large enough that the work per chunk dwarfs passing it
/// between threads, small enough for the chunks in flight to stay a few MiB.
pub const CHUNK_BYTES: usize = 1 << 19;

/// How to split the work.
#[derive(Debug, Clone, Copy)]
pub struct Parallelism {
    pub chunk_bytes: usize,
    pub threads: usize,
}

impl Default for Parallelism {
    /// Chunks of [`CHUNK_BYTES`], on as many threads as rayon uses.
    fn default() -> Self {
        Parallelism {
            chunk_bytes: CHUNK_BYTES,
            threads: rayon::current_num_threads(),
        }
    }
}

/// A chunk and its rows, parsed with every column starting from `states`.
#[derive(Debug)]
pub struct ParsedChunk {
    pub chunk: Chunk,
    /// The offset of the first record in the chunk (after the header, in the first chunk).
    pub start: usize,
    /// The line of the text that `chunk.bytes[start]` is on.
    pub first_line: u64,
    pub states: Arc<Vec<ColumnState>>,
    pub rows: ParsedRows,
}

impl ParsedChunk {
    /// Parses `chunk` from byte `start` (on line `first_line`) with the columns continuing
    /// from `states`.
    pub fn parse(
        setup: &Setup,
        chunk: Chunk,
        start: usize,
        first_line: u64,
        states: Arc<Vec<ColumnState>>,
    ) -> ParsedChunk {
        let bytes = &chunk.bytes[start..];
        let line_breaks = chunk.line_breaks.min(bytes.len() as u64);
        let rows = parse_rows(setup, bytes, first_line, line_breaks, &states);
        ParsedChunk {
            chunk,
            start,
            first_line,
            states,
            rows,
        }
    }
}

/// The start of the records in the first chunk, found by reading its header.
pub struct Start {
    pub setup: Setup,
    /// The first byte after the header.
    pub offset: usize,
    /// The line of the text that the byte at `offset` is on.
    pub first_line: u64,
}

/// Receives the parsed chunks in file order.
pub trait Sink {
    /// Reads the header from the first chunk of the input.
    fn start(&mut self, first: &Chunk) -> Result<Start>;

    /// Returns the state of each column after the chunks received so far. Chunks parsed
    /// from it need no second parse.
    fn states(&self) -> Vec<ColumnState>;

    /// Takes the next chunk in file order; returns its buffer for reuse.
    fn take(&mut self, setup: &Setup, parsed: ParsedChunk) -> Result<Vec<u8>>;

    /// Called when the input has no chunk at all.
    fn empty(&mut self) -> Result<()>;
}

/// Items the reader hands to the workers: a chunk, or the read error where the next chunk
/// would have been.
enum Work {
    Chunk(Chunk),
    Failed { index: usize, error: Error },
}

/// A parsed chunk, or the read error, with the index that orders it.
type Done = (usize, std::result::Result<ParsedChunk, Error>);

/// Reads `input` in chunks, parses them on `parallelism.threads` threads and passes them to
/// `sink` in order. Stops at the first error the sink or the input returns.
pub fn parse_in_parallel(
    input: impl Read + Send,
    delimiter: u8,
    parallelism: Parallelism,
    sink: &mut dyn Sink,
    read_error: &(dyn Fn(std::io::Error) -> Error + Sync),
) -> Result<()> {
    let threads = parallelism.threads.max(1);
    let (free_tx, free_rx) = channel::<Vec<u8>>();
    for _ in 0..threads + 2 {
        free_tx.send(Vec::new()).expect("the receiver is alive");
    }
    let (work_tx, work_rx) = channel::<Work>();
    let (done_tx, done_rx) = channel::<Done>();

    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("csv reader".into());
        let spawned = reader.spawn_scoped(scope, move || {
            let mut reader = ChunkReader::new(input, delimiter, parallelism.chunk_bytes);
            while let Ok(buffer) = free_rx.recv() {
                match reader.next_chunk(buffer) {
                    Ok(Some(chunk)) => {
                        if work_tx.send(Work::Chunk(chunk)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(error) => {
                        let index = reader.next_index();
                        let _ = work_tx.send(Work::Failed {
                            index,
                            error: read_error(error),
                        });
                        return;
                    }
                }
            }
        });
        // As `std::thread::spawn` does, a thread the system cannot start is a panic.
        spawned.expect("failed to spawn the CSV reader thread");
        let result = run_consumer(sink, threads, &free_tx, work_rx, done_tx, &done_rx, scope);
        // Dropping the pool's sender stops the reader if it still waits for a buffer.
        drop(free_tx);
        result
    })
}

/// Runs the calling thread's part: the first chunk, the workers, then the chunks in order.
fn run_consumer<'scope>(
    sink: &mut dyn Sink,
    threads: usize,
    free: &Sender<Vec<u8>>,
    work: Receiver<Work>,
    done_tx: Sender<Done>,
    done_rx: &Receiver<Done>,
    scope: &'scope std::thread::Scope<'scope, '_>,
) -> Result<()> {
    let first = match work.recv() {
        Ok(Work::Chunk(first)) => first,
        Ok(Work::Failed { error, .. }) => return Err(error),
        Err(_) => return sink.empty(),
    };
    let start = sink.start(&first)?;
    let setup = Arc::new(start.setup);
    let states = Arc::new(sink.states());
    let parsed = ParsedChunk::parse(&setup, first, start.offset, start.first_line, states);
    let _ = free.send(sink.take(&setup, parsed)?);

    let states = Arc::new(sink.states());
    let work = Arc::new(Mutex::new(work));
    for _ in 0..threads {
        let (work, done, setup, states) = (
            Arc::clone(&work),
            done_tx.clone(),
            Arc::clone(&setup),
            Arc::clone(&states),
        );
        let worker = std::thread::Builder::new().name("csv parser".into());
        let spawned = worker.spawn_scoped(scope, move || loop {
            let item = work
                .lock()
                .expect("no worker panics holding the lock")
                .recv();
            let Ok(item) = item else { return };
            let done_item = match item {
                Work::Chunk(chunk) => {
                    let (index, first_line) = (chunk.index, chunk.first_line);
                    let states = Arc::clone(&states);
                    let parsed = ParsedChunk::parse(&setup, chunk, 0, first_line, states);
                    (index, Ok(parsed))
                }
                Work::Failed { index, error } => (index, Err(error)),
            };
            if done.send(done_item).is_err() {
                return;
            }
        });
        spawned.expect("failed to spawn a CSV parser thread");
    }
    drop(done_tx);

    let mut pending = BTreeMap::new();
    let mut next = 1;
    for (index, parsed) in done_rx.iter() {
        pending.insert(index, parsed);
        while let Some(entry) = pending.first_entry() {
            if *entry.key() != next {
                break;
            }
            let parsed = entry.remove()?;
            let _ = free.send(sink.take(&setup, parsed)?);
            next += 1;
        }
    }
    Ok(())
}
