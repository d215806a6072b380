//! The OData CSDL XML front end (CSDL 4.0 and 4.01).
//!
//! [`read`] turns quick-xml events into raw structs that mirror the file; [`lower`] resolves
//! them into the [`Model`](crate::model::Model) and reports every problem found.

pub mod lower;
pub mod read;

use crate::diag::{Diagnostics, SourceMap};
use crate::model::Model;

/// Whether `text` looks like CSDL XML (as opposed to a markdown reference page).
pub fn detect(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && (head.contains("Edmx") || head.contains("<Schema"))
}

/// Reads and lowers a set of CSDL documents (name, text) into one model.
pub fn load(files: &[(String, std::sync::Arc<str>)], diags: &mut Diagnostics) -> Model {
    let mut sources = Vec::new();
    for (name, text) in files {
        let map = SourceMap::new(name, text.clone());
        match read::read(text) {
            Ok((doc, problems)) => {
                for p in problems {
                    diags.error(p.code, Some(map.locate(p.pos)), p.message);
                }
                sources.push(lower::Source { map, doc });
            }
            Err(e) => diags.error(e.code, Some(map.locate(e.pos)), e.message),
        }
    }
    lower::lower(&sources, diags)
}
