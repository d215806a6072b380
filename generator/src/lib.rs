//! Generates typed Rust crates from OData CSDL metadata (Microsoft Graph, Dynamics, SAP and
//! other OData services).
//!
//! One code path serves the `codegen` CLI, build scripts and tests:
//!
//! ```no_run
//! // In build.rs: writes `$OUT_DIR/graph.rs` and tells cargo when to rerun.
//! codegen::Builder::new()
//!     .input("metadata/service.csdl.xml")
//!     .compile("graph")
//!     .unwrap();
//! // In the crate: `include!(concat!(env!("OUT_DIR"), "/graph.rs"));`
//! ```
//!
//! The pipeline: a front end ([`csdl`]) reads the inputs into the language-neutral
//! [`model::Model`]; [`emit`] turns the model into Rust modules; [`Output`] holds the
//! formatted files and is the only part that touches the disk.
#![deny(missing_docs)]

mod config;
pub mod csdl;
pub mod diag;
pub mod docs;
pub mod emit;
pub mod model;
mod output;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use config::Config;
pub use diag::{Diagnostic, Diagnostics, Location, Severity};
pub use output::{Output, Stale};

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The settings file is invalid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The settings file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The inputs have errors; every one found is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The output on disk differs from what the inputs generate.
    #[error("{0}")]
    Stale(Stale),
}

/// How the output is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Files of one module tree: `mod.rs` and the modules beside it, for a hand-written crate
    /// that declares `mod api;` (the checked-in `generated/` crate does this).
    Module,
    /// A complete crate: `Cargo.toml`, `README.md`, `src/lib.rs` and the modules.
    Crate {
        /// The package name.
        name: String,
    },
}

/// Configures and runs the generator. Consuming: each setter returns the builder.
#[derive(Clone, Debug)]
pub struct Builder {
    inputs: Vec<Input>,
    layout: Layout,
    source_label: Option<String>,
    regenerate_hint: String,
    reqwest_in_single_file: bool,
}

#[derive(Clone, Debug)]
enum Input {
    Path(PathBuf),
    Text { name: String, text: Arc<str> },
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            inputs: Vec::new(),
            layout: Layout::Module,
            source_label: None,
            regenerate_hint: "regenerate with codegen".to_owned(),
            reqwest_in_single_file: false,
        }
    }
}

impl Builder {
    /// A builder with no inputs and the module layout.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Reads settings from a `codegen.toml`; input paths in it are relative to that file.
    pub fn from_config(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let config = Config::load(path)?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut builder = Builder::new();
        for input in &config.inputs {
            builder = builder.input(dir.join(input));
        }
        if let Some(name) = &config.crate_name {
            builder = builder.layout(Layout::Crate { name: name.clone() });
        }
        // `generated/codegen.toml`: the settings file and its directory, never an absolute path.
        let label = path
            .iter()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map(|s| s.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Ok(builder.source_label(label).regenerate_hint("run `cargo codegen generate`"))
    }

    /// Adds a metadata file (CSDL XML or a reference page; the format is detected), or a
    /// directory of them (every `.xml` and `.md` file in it, recursively, in name order).
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(Input::Path(path.into()));
        self
    }

    /// Adds metadata held in memory, known in diagnostics as `name`.
    pub fn input_text(mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        self.inputs.push(Input::Text { name: name.into(), text: text.into() });
        self
    }

    /// Sets the output layout.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// What the `@generated` header says the files come from (default: the input file names).
    pub fn source_label(mut self, label: impl Into<String>) -> Self {
        self.source_label = Some(label.into());
        self
    }

    /// What the `@generated` header tells a reader to run instead of editing.
    pub fn regenerate_hint(mut self, hint: impl Into<String>) -> Self {
        self.regenerate_hint = hint.into();
        self
    }

    /// Whether the single file written by [`Builder::compile`] includes the reqwest transport
    /// (under `#[cfg(feature = "reqwest")]`: the including crate then declares a `reqwest`
    /// feature enabling `reqwest` and `tokio`). Crates and module trees always include it.
    pub fn reqwest_transport(mut self, include: bool) -> Self {
        self.reqwest_in_single_file = include;
        self
    }

    /// The input files named by path (for `cargo:rerun-if-changed`).
    pub fn input_paths(&self) -> impl Iterator<Item = &Path> {
        self.inputs.iter().filter_map(|i| match i {
            Input::Path(p) => Some(p.as_path()),
            Input::Text { .. } => None,
        })
    }

    fn read_inputs(&self) -> Result<Vec<(String, Arc<str>)>, Error> {
        let mut files = Vec::new();
        for input in &self.inputs {
            match input {
                Input::Path(path) if path.is_dir() => {
                    for file in files_in(path)? {
                        let text = std::fs::read_to_string(&file)
                            .map_err(|source| Error::Io { path: file.clone(), source })?;
                        files.push((file.display().to_string(), Arc::from(text)));
                    }
                }
                Input::Path(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|source| Error::Io { path: path.clone(), source })?;
                    files.push((path.display().to_string(), Arc::from(text)));
                }
                Input::Text { name, text } => files.push((name.clone(), text.clone())),
            }
        }
        Ok(files)
    }

    /// Reads the inputs into the model; fails with every error found. Warnings are returned
    /// beside the model.
    pub fn generate_model(&self) -> Result<(model::Model, Diagnostics), Error> {
        let files = self.read_inputs()?;
        let mut diags = Diagnostics::default();
        if files.is_empty() {
            diags.error(None, "no input files given");
        }
        let (mut csdl_files, mut doc_files) = (Vec::new(), Vec::new());
        for (name, text) in files {
            if csdl::detect(&text) {
                csdl_files.push((name, text));
            } else if docs::detect(&name, &text) {
                doc_files.push((name, text));
            } else {
                let at = Location { file: name.clone(), line: 1, column: 1 };
                diags.error(
                    Some(at),
                    "unrecognised input format: expected OData CSDL XML (`<edmx:Edmx ...>`) or a reference page (`.md`)",
                );
            }
        }
        let pages = docs::read(&doc_files, &mut diags);
        let mut model = if csdl_files.is_empty() && !pages.is_empty() {
            // Pages alone describe the model.
            let sources = docs::lower::to_sources(&pages, &mut diags);
            csdl::lower::lower(&sources, &mut diags)
        } else {
            let mut model = csdl::load(&csdl_files, &mut diags);
            if !diags.has_errors() {
                docs::lower::annotate(&mut model, &pages, &mut diags);
            }
            model
        };
        if !diags.has_errors() {
            model.finish(&mut diags);
        }
        if !diags.has_errors() && model.types.is_empty() {
            diags.warning(None, "the inputs declare no types: the generated crate holds only the runtime");
        }
        diags.sort();
        if diags.has_errors() {
            return Err(Error::Invalid(diags));
        }
        Ok((model, diags))
    }

    fn header(&self) -> String {
        let label = match &self.source_label {
            Some(l) => l.clone(),
            None => {
                let names: Vec<String> = self
                    .inputs
                    .iter()
                    .map(|i| match i {
                        Input::Path(p) => {
                            p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
                        }
                        Input::Text { name, .. } => name.clone(),
                    })
                    .collect();
                names.join(", ")
            }
        };
        format!("// @generated by codegen from {label}. Do not edit; {}.", self.regenerate_hint)
    }

    /// Generates the output files in memory.
    pub fn generate(&self) -> Result<Output, Error> {
        let (model, warnings) = self.generate_model()?;
        let root = emit::emit(&model, emit::Options { reqwest: true });
        let header = self.header();
        let files = match &self.layout {
            Layout::Module => emit::render_files(&root, "mod.rs", &header),
            Layout::Crate { name } => {
                let mut files = emit::render_files(&root, "src/lib.rs", &header);
                files.insert("Cargo.toml".to_owned(), output::cargo_toml(name));
                files.insert("README.md".to_owned(), output::readme(name, &header));
                files
            }
        };
        Ok(Output::new(files, self.layout.clone(), warnings))
    }

    /// Generates one formatted file of inline modules (for `include!`).
    pub fn generate_single(&self) -> Result<(String, Diagnostics), Error> {
        let (model, warnings) = self.generate_model()?;
        let options = emit::Options { reqwest: self.reqwest_in_single_file };
        Ok((emit::render_single(&emit::emit(&model, options), &self.header()), warnings))
    }

    /// Generates one formatted file of inline modules and drops the warnings (for tests and
    /// snapshots).
    pub fn generate_tokens(&self) -> Result<String, Error> {
        Ok(self.generate_single()?.0)
    }

    /// For build scripts: writes `$OUT_DIR/<name>.rs` and prints `cargo:rerun-if-changed`
    /// for every input (only when run by cargo). Warnings are printed as `cargo:warning`.
    pub fn compile(self, name: &str) -> Result<PathBuf, Error> {
        let under_cargo = std::env::var_os("CARGO").is_some();
        if under_cargo {
            for p in self.input_paths() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        let (text, warnings) = self.generate_single()?;
        if under_cargo {
            for w in warnings.iter() {
                println!("cargo:warning={w}");
            }
        }
        let out_dir = std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| Error::Config {
            path: PathBuf::from("OUT_DIR"),
            message: "OUT_DIR is not set: `compile` is meant for build scripts".to_owned(),
        })?;
        let path = out_dir.join(format!("{name}.rs"));
        output::write_if_changed(&path, &text)?;
        Ok(path)
    }
}

/// Every `.xml` and `.md` file under `dir`, sorted.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|source| Error::Io { path: d.clone(), source })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml" || e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
