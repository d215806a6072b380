//! The Microsoft Graph reference-page front end (markdown, the format of the seed page).
//!
//! [`page`] reads one page's machine-readable parts; [`lower`] turns resource and method
//! pages into the model (pages alone) or annotates a CSDL model with them.

pub mod lower;
pub mod page;

use std::sync::Arc;

use crate::diag::{Diagnostics, SourceMap};

/// Whether an input is a reference page: a `.md` file, or text that starts with front matter.
pub fn detect(name: &str, text: &str) -> bool {
    name.ends_with(".md") || text.trim_start_matches('\u{feff}').starts_with("---")
}

/// Reads pages; problems are reported as errors at their line and column.
pub fn read(files: &[(String, Arc<str>)], diags: &mut Diagnostics) -> Vec<lower::DocPage> {
    files
        .iter()
        .map(|(name, text)| {
            let map = SourceMap::new(name, text.clone());
            let (page, errors) = page::read(text);
            for e in errors {
                diags.error(e.code, Some(map.locate(e.pos)), e.message);
            }
            lower::DocPage { map, page }
        })
        .collect()
}
