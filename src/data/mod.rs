//! Reading data: CSV loading, typed columns, missing values, labels and the split.

pub mod assemble;
mod builder;
pub mod checks;
mod chunks;
pub mod fields;
pub mod labels;
pub mod load;
pub mod missing;
pub mod numbers;
pub mod options;
pub mod parallel;
mod parse;
pub mod preamble;
pub mod prepare;
pub mod records;
pub mod review;
pub mod sniff;
pub mod sources;
pub mod split;
pub mod stream;
pub mod table;

pub use labels::Labels;
pub use load::{load_csv, load_table, load_table_from_bytes, Loaded};
pub use options::{Delimiter, LoadOptions};
pub use prepare::{prepare_rows, Prepared};
pub use sources::{load_files, DataFile, Sources};
pub use split::{stratified_split, Split, SplitRatios};
pub use stream::{Scan, StreamedFile};
pub use table::{Column, ColumnData, ColumnType, Table, MISSING_CODE};
