//! Rendering a comparison for people (terminal tables, Markdown, an HTML page) and programs
//! (JSON, long-form CSV).

pub mod blocks;
pub mod csv;
pub mod explain;
pub mod fit;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sections;
pub mod svg;
pub mod table;
pub mod tree_sections;

pub use csv::render_csv;
pub use html::render_html;
pub use json::{render_json, SCHEMA_VERSION};
pub use markdown::render_markdown;
pub use table::render_tables;
