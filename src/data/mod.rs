//! Reading data: CSV loading, typed columns, missing values, labels and the split.

pub mod checks;
pub mod labels;
pub mod load;
pub mod missing;
pub mod sources;
pub mod split;
pub mod table;

pub use labels::Labels;
pub use load::load_csv;
pub use sources::{load_files, DataFile, Sources};
pub use split::{stratified_split, Split, SplitRatios};
pub use table::{Column, ColumnData, ColumnType, Table, MISSING_CODE};
