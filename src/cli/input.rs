//! The options that say how to read the CSV file, shared by every command that reads one.

use crate::data::{Delimiter, LoadOptions};

#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Reading the CSV file")]
pub struct DataArgs {
    /// Field delimiter: one character such as `;` or `|`, or `tab`. Detected from the first
    /// lines when omitted (`,`, `;`, tab or `|`).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<Delimiter>,
    /// Lines at the top of the file to skip before the header row, such as a title.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip_lines: usize,
    /// Read `,` as the decimal mark (`5,1` is 5.1). Without this flag, decimal commas are
    /// detected, with a warning, when the delimiter is not a comma.
    #[arg(long)]
    pub decimal_comma: bool,
    /// Read this column as categories even when every value is a number, such as integer
    /// codes; repeat the option for more columns.
    #[arg(long, value_name = "COLUMN")]
    pub categorical: Vec<String>,
}

impl DataArgs {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            delimiter: self.delimiter,
            skip_lines: self.skip_lines,
            decimal_comma: self.decimal_comma,
            categorical: self.categorical.clone(),
        }
    }
}
