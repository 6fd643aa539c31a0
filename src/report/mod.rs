//! Rendering a comparison for people (tables) and programs (JSON).

pub mod json;
pub mod table;
pub mod tree_sections;

pub use json::{render_json, SCHEMA_VERSION};
pub use table::render_tables;
