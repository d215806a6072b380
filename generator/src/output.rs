//! Generated files in memory, and the only code that writes them to disk.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Diagnostics, Error, Layout};

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.in");
const README: &str = include_str!("../../templates/README.md.in");

/// The generated files, by path relative to the output directory (`/`-separated).
#[derive(Debug)]
pub struct Output {
    files: BTreeMap<String, String>,
    layout: Layout,
    warnings: Diagnostics,
}

/// How the output on disk differs from what the inputs generate.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stale {
    /// Files whose content differs.
    pub changed: Vec<String>,
    /// Files that should exist and do not.
    pub missing: Vec<String>,
    /// Generated-looking files that the inputs no longer produce.
    pub orphaned: Vec<String>,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the generated output is stale:")?;
        for (what, list) in
            [("changed", &self.changed), ("missing", &self.missing), ("orphaned", &self.orphaned)]
        {
            for file in list {
                writeln!(f, "  {what}: {file}")?;
            }
        }
        Ok(())
    }
}

impl Stale {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.orphaned.is_empty()
    }
}

/// Summary of a write.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files whose content changed (or that are new).
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Orphaned files removed.
    pub removed: usize,
}

impl Output {
    pub(crate) fn new(files: BTreeMap<String, String>, layout: Layout, warnings: Diagnostics) -> Self {
        Output { files, layout, warnings }
    }

    /// The files: relative path → content.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Warnings found while generating.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The directories (relative) whose `.rs` files all belong to the generator.
    fn owned_dirs(&self) -> Vec<&'static str> {
        match self.layout {
            Layout::Module => vec![""],
            Layout::Crate { .. } => vec!["src"],
        }
    }

    /// Existing `.rs` files under the owned directories that the output does not contain.
    fn orphans(&self, dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        for owned in self.owned_dirs() {
            collect_rs(&dir.join(owned), owned, &mut found);
        }
        found.retain(|f| !self.files.contains_key(f));
        found.sort();
        found
    }

    /// Writes the files into `dir`, touching only files whose content changed, and removes
    /// orphaned `.rs` files. Each file is replaced atomically (written beside, then renamed).
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Written, Error> {
        let dir = dir.as_ref();
        let mut summary = Written::default();
        for (rel, text) in &self.files {
            if write_if_changed(&dir.join(rel), text)? {
                summary.changed += 1;
            } else {
                summary.unchanged += 1;
            }
        }
        for orphan in self.orphans(dir) {
            let path = dir.join(&orphan);
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
            summary.removed += 1;
        }
        Ok(summary)
    }

    /// Compares the files with `dir` without writing.
    pub fn check(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        let mut stale = Stale::default();
        for (rel, text) in &self.files {
            match std::fs::read_to_string(dir.join(rel)) {
                Ok(existing) if existing == *text => {}
                Ok(_) => stale.changed.push(rel.clone()),
                Err(_) => stale.missing.push(rel.clone()),
            }
        }
        stale.orphaned = self.orphans(dir);
        if stale.is_empty() {
            Ok(())
        } else {
            Err(Error::Stale(stale))
        }
    }
}

fn collect_rs(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel_name = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, &rel_name, out);
        } else if name.ends_with(".rs") {
            out.push(rel_name);
        }
    }
}

/// Writes `text` to `path` unless it already holds exactly that; returns whether it wrote.
/// The new content is written to a temporary file beside `path` and renamed over it, so a
/// reader never sees a half-written file.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<bool, Error> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return Ok(false);
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".codegen-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(true)
}

/// The `Cargo.toml` of a generated crate.
pub(crate) fn cargo_toml(name: &str) -> String {
    CARGO_TOML.replace("{{name}}", name)
}

/// The `README.md` of a generated crate.
pub(crate) fn readme(name: &str, header: &str) -> String {
    let source = header.trim_start_matches("// ");
    README.replace("{{name}}", name).replace("{{generated}}", source)
}
