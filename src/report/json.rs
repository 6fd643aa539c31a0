//! The comparison as one JSON document. The layout is documented in the README; bump
//! [`SCHEMA_VERSION`] whenever a field changes meaning or disappears.

use serde::Serialize;

use crate::compare::Comparison;

/// The version of the JSON layout.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    #[serde(flatten)]
    comparison: &'a Comparison,
}

/// Renders the comparison as pretty-printed JSON with a trailing newline.
pub fn render_json(comparison: &Comparison) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        comparison,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the report serialises");
    text.push('\n');
    text
}
