//! Several CSV files with the same header read as one table (for example last month's
//! data plus this month's), remembering which rows came from which file.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::checks::require_finite;
use super::load::{load_table, load_table_from_bytes, Loaded};
use super::options::LoadOptions;
use super::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};

/// One input file: its path as given, its data rows and a fingerprint of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    pub path: String,
    pub rows: usize,
    /// 64-bit FNV-1a of the file's bytes, as `fnv1a64:` and 16 hex digits. It detects a
    /// changed file but does not resist deliberate collisions.
    pub fingerprint: String,
}

/// The rows of every file, in the order given, as one table.
#[derive(Debug, Clone)]
pub struct Sources {
    pub table: Table,
    pub files: Vec<DataFile>,
    /// The loader's warnings, each naming its file when there are several.
    pub warnings: Vec<String>,
}

impl Sources {
    /// Joins the files' paths for messages: `a.csv`, or `a.csv + b.csv`.
    pub fn name(&self) -> String {
        let paths: Vec<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        paths.join(" + ")
    }

    /// Yields the table rows of each file, in order.
    fn file_rows(&self) -> impl Iterator<Item = (&DataFile, std::ops::Range<usize>)> {
        let mut start = 0;
        self.files.iter().map(move |file| {
            let range = start..start + file.rows;
            start += file.rows;
            (file, range)
        })
    }

    /// Fails on the first infinite value in `columns`, naming its file and line.
    pub fn require_finite(&self, columns: &[usize]) -> Result<()> {
        for (file, range) in self.file_rows() {
            let rows: Vec<usize> = range.collect();
            require_finite(&self.table, columns, &rows, &file.path)?;
        }
        Ok(())
    }
}

/// Reads every file in `paths` (at least one) into one table. Every file needs the same
/// column names in the same order. A column that contains text in any file is read as text
/// in all of them; `text_columns` are read as text everywhere.
pub fn load_files(
    paths: &[PathBuf],
    options: &LoadOptions,
    text_columns: &[&str],
) -> Result<Sources> {
    let inputs = paths
        .iter()
        .map(|path| Input::open(path))
        .collect::<Result<Vec<Input>>>()?;
    // Hashing a file takes about as long as reading it into a table, so the fingerprints
    // are computed on another thread meanwhile.
    let (loaded, fingerprints) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| {
            inputs
                .iter()
                .map(Input::fingerprint)
                .collect::<Result<Vec<String>>>()
        });
        let loaded = load_all(paths, &inputs, options, text_columns);
        let fingerprints = hashing.join().expect("hashing a file does not panic");
        (loaded, fingerprints)
    });
    let loaded = loaded?;
    let fingerprints = fingerprints?;

    // The loader's warnings already name their file.
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for ((input, loaded), fingerprint) in inputs.iter().zip(loaded).zip(fingerprints) {
        warnings.extend(loaded.warnings);
        files.push(DataFile {
            path: input.name.clone(),
            rows: loaded.table.n_rows(),
            fingerprint,
        });
        parts.push(loaded.table);
    }
    warnings.extend(repeated_files(&files));
    Ok(Sources {
        table: concatenate(parts),
        files,
        warnings,
    })
}

/// Loads every input; a column that holds text in any of them is read as text in all.
fn load_all(
    paths: &[PathBuf],
    inputs: &[Input],
    options: &LoadOptions,
    text_columns: &[&str],
) -> Result<Vec<Loaded>> {
    let mut forced: Vec<String> = text_columns.iter().map(|s| s.to_string()).collect();
    loop {
        let names: Vec<&str> = forced.iter().map(String::as_str).collect();
        let loaded = inputs
            .iter()
            .map(|input| input.load(options, &names))
            .collect::<Result<Vec<Loaded>>>()?;
        let tables: Vec<&Table> = loaded.iter().map(|l| &l.table).collect();
        check_same_columns(paths, &tables)?;
        let mixed = mixed_columns(&tables);
        if mixed.is_empty() {
            return Ok(loaded);
        }
        forced.extend(mixed);
    }
}

/// Warns about files given twice, or with the same content under two names: their rows
/// would be counted twice and could land in both the training and the test rows.
fn repeated_files(files: &[DataFile]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (index, file) in files.iter().enumerate() {
        if let Some(first) = files[..index]
            .iter()
            .find(|f| f.fingerprint == file.fingerprint && f.rows > 0)
        {
            warnings.push(format!(
                "`{}` has the same content as `{}`: its {} rows are read twice, so copies of a \
                 row can land in both the training and the test rows; give each file once",
                file.path, first.path, file.rows
            ));
        }
    }
    warnings
}

/// One data file. A pipe such as `/dev/stdin` can be read only once, so its bytes are kept.
struct Input {
    path: PathBuf,
    name: String,
    bytes: Option<Vec<u8>>,
}

impl Input {
    fn open(path: &Path) -> Result<Input> {
        let metadata = std::fs::metadata(path).map_err(|e| Error::io("read", path, &e))?;
        let bytes = if metadata.is_file() {
            None
        } else {
            Some(std::fs::read(path).map_err(|e| Error::io("read", path, &e))?)
        };
        Ok(Input {
            path: path.to_path_buf(),
            name: path.display().to_string(),
            bytes,
        })
    }

    fn load(&self, options: &LoadOptions, text_columns: &[&str]) -> Result<Loaded> {
        match &self.bytes {
            Some(bytes) => load_table_from_bytes(bytes, &self.name, options, text_columns),
            None => load_table(&self.path, options, text_columns),
        }
    }

    /// Hashes the file's bytes, reading a file a block at a time.
    fn fingerprint(&self) -> Result<String> {
        match &self.bytes {
            Some(bytes) => Ok(fingerprint(bytes)),
            None => {
                let error = |e: std::io::Error| Error::io("read", &self.path, &e);
                let mut file = File::open(&self.path).map_err(error)?;
                let mut hasher = Fnv1a::default();
                let mut block = vec![0u8; 1 << 20];
                loop {
                    match file.read(&mut block) {
                        Ok(0) => break,
                        Ok(read) => hasher.write(&block[..read]),
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(error(e)),
                    }
                }
                Ok(hasher.fingerprint())
            }
        }
    }
}

/// 64-bit FNV-1a of `bytes`, as `fnv1a64:` and 16 hex digits.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hasher = Fnv1a::default();
    hasher.write(bytes);
    hasher.fingerprint()
}

/// The 64-bit FNV-1a hash, fed a block of bytes at a time.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    const PRIME: u64 = 0x0100_0000_01b3;

    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(Self::PRIME)
        });
    }

    /// The hash as `fnv1a64:` and 16 hex digits.
    fn fingerprint(&self) -> String {
        format!("fnv1a64:{:016x}", self.0)
    }
}

fn check_same_columns(paths: &[PathBuf], tables: &[&Table]) -> Result<()> {
    let first: Vec<&str> = tables[0].column_names().collect();
    for (path, table) in paths.iter().zip(tables).skip(1) {
        let names: Vec<&str> = table.column_names().collect();
        if names == first {
            continue;
        }
        let position = first
            .iter()
            .zip(&names)
            .position(|(a, b)| a != b)
            .unwrap_or(first.len().min(names.len()));
        let at = |list: &[&str]| {
            list.get(position)
                .map_or("no column".to_string(), |n| format!("`{n}`"))
        };
        return Err(Error::data(format!(
            "`{}` does not have the columns of `{}`: column {} is {} there but {} here. \
             Every --data file needs the same header.",
            path.display(),
            paths[0].display(),
            position + 1,
            at(&first),
            at(&names)
        )));
    }
    Ok(())
}

/// Columns that are numbers in some files and text in others.
fn mixed_columns(tables: &[&Table]) -> Vec<String> {
    let first = &tables[0];
    (0..first.columns.len())
        .filter(|&c| {
            let kind = first.columns[c].column_type();
            tables.iter().any(|t| t.columns[c].column_type() != kind)
        })
        .map(|c| first.columns[c].name.clone())
        .collect()
}

/// Appends the rows of every table; categories are merged into one sorted list.
fn concatenate(mut tables: Vec<Table>) -> Table {
    if tables.len() == 1 {
        return tables.remove(0);
    }
    let mut columns = Vec::new();
    for c in 0..tables[0].columns.len() {
        let name = tables[0].columns[c].name.clone();
        let data = match &tables[0].columns[c].data {
            ColumnData::Numeric(_) => ColumnData::Numeric(
                tables
                    .iter()
                    .flat_map(|t| match &t.columns[c].data {
                        ColumnData::Numeric(values) => values.clone(),
                        ColumnData::Categorical { .. } => unreachable!("types agree"),
                    })
                    .collect(),
            ),
            ColumnData::Categorical { .. } => merge_categories(&tables, c),
        };
        columns.push(Column { name, data });
    }
    let line_numbers = tables.iter().flat_map(|t| t.line_numbers.clone()).collect();
    Table {
        columns,
        line_numbers,
    }
}

fn merge_categories(tables: &[Table], c: usize) -> ColumnData {
    let parts: Vec<(&[u32], &[String])> = tables
        .iter()
        .map(|t| match &t.columns[c].data {
            ColumnData::Categorical { codes, levels } => (codes.as_slice(), levels.as_slice()),
            ColumnData::Numeric(_) => unreachable!("types agree"),
        })
        .collect();
    let mut levels: Vec<String> = parts.iter().flat_map(|(_, l)| l.iter().cloned()).collect();
    levels.sort();
    levels.dedup();
    let mut codes = Vec::new();
    for (part_codes, part_levels) in parts {
        let remap: Vec<u32> = part_levels
            .iter()
            .map(|l| {
                levels
                    .binary_search(l)
                    .expect("merged levels hold every level") as u32
            })
            .collect();
        codes.extend(part_codes.iter().map(|&code| match code {
            MISSING_CODE => MISSING_CODE,
            code => remap[code as usize],
        }));
    }
    ColumnData::Categorical { codes, levels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a() {
        // Reference values of the 64-bit FNV-1a hash.
        assert_eq!(fingerprint(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "fnv1a64:af63dc4c8601ec8c");
    }

    #[test]
    fn categories_merge_across_files() {
        let table = |codes: Vec<u32>, levels: &[&str]| Table {
            columns: vec![Column {
                name: "c".into(),
                data: ColumnData::Categorical {
                    codes,
                    levels: levels.iter().map(|s| s.to_string()).collect(),
                },
            }],
            line_numbers: vec![2, 3],
        };
        let merged = concatenate(vec![
            table(vec![1, 0], &["b", "d"]),
            table(vec![MISSING_CODE, 0], &["a"]),
        ]);
        assert_eq!(
            merged.columns[0].data,
            ColumnData::Categorical {
                codes: vec![2, 1, MISSING_CODE, 0],
                levels: vec!["a".into(), "b".into(), "d".into()],
            }
        );
        assert_eq!(merged.line_numbers, vec![2, 3, 2, 3]);
    }
}
