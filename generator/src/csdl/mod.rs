//! The OData CSDL front end: CSDL XML 4.0 and 4.01, EDMX 1.0 (OData V2), and CSDL JSON 4.01.
//!
//! [`read`] turns quick-xml events into raw structs that mirror the file ([`json`] does the
//! same for CSDL JSON); [`lower`] resolves
//! them into the [`Model`](crate::model::Model) and reports every problem found. [`load`]
//! joins the two, following `edmx:Reference`s to the documents they name.

pub mod json;
pub mod lower;
pub mod read;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostics, SourceMap};
use crate::model::Model;

/// Whether `text` looks like CSDL: XML (`edmx:Edmx` or `Schema`), or CSDL JSON (an object
/// with `$Version`).
pub fn detect(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && (head.contains("Edmx") || head.contains("<Schema")) || json::detect(text)
}

/// How [`load`] finds referenced documents and what the lowering may relax.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Folders where the documents `edmx:Reference`s name are looked for, by the URI's file
    /// name, in order.
    pub reference_dirs: Vec<PathBuf>,
    /// See [`lower::Options::lenient`].
    pub lenient: bool,
    /// The inputs (by name) read from files on disk: only beside those are relative
    /// references looked for.
    pub on_disk: BTreeSet<String>,
}

/// A document read because another one references it.
#[derive(Debug)]
pub struct Referenced {
    /// Where it was found.
    pub path: PathBuf,
    /// Its bytes, as read.
    pub bytes: Vec<u8>,
}

/// Reads a set of CSDL documents (name, text) and the documents their `edmx:Reference`s
/// reach, and lowers them into one model; returns it and the documents read by reference.
///
/// A reference is satisfied by a document already read whose file name is the last segment
/// of the reference's URI (the inputs, then what references brought), else by the file the
/// URI names relative to the referencing file (a relative URI), else by the first file of that
/// name in a reference directory. Only what the inputs reach is read, each document once; of
/// the referenced documents' types, only those the inputs' use are kept. A reference
/// whose document is found nowhere is an error only where the model uses a type of a
/// namespace it includes (at the reference, naming its URI); references that bring only
/// vocabulary terms may stay unresolved, their annotations being skipped.
pub fn load(
    files: &[(String, Arc<str>)],
    options: &LoadOptions,
    diags: &mut Diagnostics,
) -> (Model, Vec<Referenced>) {
    let mut sources: Vec<lower::Source> = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (name, text) in files {
        names.insert(file_name(name).to_owned());
        if let Some(source) = read_source(name, text.clone(), diags) {
            sources.push(source);
        }
    }
    let roots = sources.len();
    let mut referenced = Vec::new();
    let mut missing = Vec::new();
    let mut i = 0;
    while i < sources.len() {
        let refs: Vec<(String, usize, Vec<String>)> = (0..sources[i].doc.references.len())
            .map(|r| {
                let reference = &sources[i].doc.references[r];
                let namespaces = sources[i]
                    .doc
                    .includes
                    .iter()
                    .filter(|inc| inc.reference == r)
                    .map(|inc| inc.namespace.clone());
                (reference.uri.clone(), reference.pos, namespaces.collect())
            })
            .collect();
        let from = sources[i].map.name().to_owned();
        // Beside a document read from disk: an input named so, or one found by reference.
        let beside = options.on_disk.contains(&from) || i >= roots;
        for (uri, pos, namespaces) in refs {
            let file = uri_file_name(&uri);
            if names.contains(file) {
                continue;
            }
            let candidates = candidates(&from, beside, &uri, file, &options.reference_dirs);
            let found = candidates.iter().find(|(p, base)| is_within(p, base)).and_then(|(path, _)| {
                let bytes = std::fs::read(path).ok()?;
                Some((path.clone(), bytes))
            });
            match found {
                Some((path, bytes)) => {
                    names.insert(file.to_owned());
                    let name = path.display().to_string();
                    match crate::decode::decode(&name, &bytes) {
                        Ok(text) => {
                            if let Some(source) = read_source(&name, Arc::from(text), diags) {
                                sources.push(source);
                            }
                        }
                        Err(d) => diags.push(d.code, d.location, d.message, d.notes),
                    }
                    referenced.push(Referenced { path, bytes });
                }
                None => {
                    let looked = if file.is_empty() {
                        "its URI names no file".to_owned()
                    } else if candidates.is_empty() {
                        "no --reference-dir was given".to_owned()
                    } else {
                        let list: Vec<String> =
                            candidates.iter().map(|(p, _)| format!("`{}`", p.display())).collect();
                        format!("looked for {}", list.join(", "))
                    };
                    missing.push(lower::Missing { file: i, pos, uri, namespaces, looked })
                }
            }
        }
        i += 1;
    }
    let lower_options = lower::Options { lenient: options.lenient, missing };
    let model = lower::lower_with(&sources, &lower_options, diags);
    if sources.len() == roots {
        return (model, referenced);
    }
    // Of what the references brought, keep what the inputs' schemas reach.
    let namespaces: BTreeSet<&str> =
        sources[..roots].iter().flat_map(|s| s.doc.schemas.iter().map(|sc| sc.namespace.as_str())).collect();
    (crate::select::reached_from_namespaces(&model, &namespaces), referenced)
}

fn read_source(name: &str, text: Arc<str>, diags: &mut Diagnostics) -> Option<lower::Source> {
    let map = SourceMap::new(name, text.clone());
    let read = if json::detect(&text) { json::read(&text) } else { read::read(&text) };
    match read {
        Ok((doc, problems)) => {
            for p in problems {
                diags.error(p.code, Some(map.locate(p.pos)), p.message);
            }
            Some(lower::Source { map, doc })
        }
        Err(e) => {
            diags.error(e.code, Some(map.locate(e.pos)), e.message);
            None
        }
    }
}

/// The last segment of a path or URL (`/` or `\` separated).
fn file_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The file name a reference's URI names: its path's last segment, without query or fragment.
fn uri_file_name(uri: &str) -> &str {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    file_name(path)
}

/// Where the document of a reference from `from` to `uri` (file name `file`) may be, each
/// with the directory it must stay in: the path a relative URI names beside `from` (when
/// `beside`: `from` was read from disk), then each reference directory's `file`. Only plain
/// file names and relative paths without `..` are looked up beside `from`.
fn candidates(from: &str, beside: bool, uri: &str, file: &str, dirs: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    let relative = !path.contains([':', '\\'])
        && !path.starts_with('/')
        && !path.split('/').any(|s| s == ".." || s == ".");
    if relative && beside && Path::new(from).is_file() {
        let dir = Path::new(from).parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        out.push((dir.join(path), dir.to_owned()));
    }
    // A URI that names no file (`…/`), or a dot segment, names nothing in a directory.
    if !file.is_empty() && file != "." && file != ".." {
        out.extend(dirs.iter().map(|d| (d.join(file), d.clone())));
    }
    out
}

/// Whether `path` is a file inside `base` once symbolic links are followed: metadata cannot
/// lead the reader out of the folders it was given.
fn is_within(path: &Path, base: &Path) -> bool {
    match (path.canonicalize(), base.canonicalize()) {
        (Ok(path), Ok(base)) => path.is_file() && path.starts_with(base),
        _ => false,
    }
}
