//! `codegen.toml`: the inputs and settings of one generated crate, shared by the CLI, build
//! scripts and the freshness test so settings are never copied.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Error;

/// The settings file. Paths are relative to the file's directory.
///
/// ```toml
/// inputs = ["metadata/synchronization.csdl.xml"]
/// out = "src/api"
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Metadata files, in order.
    pub inputs: Vec<PathBuf>,
    /// Where the output goes.
    pub out: PathBuf,
    /// When set, a complete crate of this name is written; otherwise one module tree.
    #[serde(default)]
    pub crate_name: Option<String>,
}

impl Config {
    /// Reads and validates a settings file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text =
            std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
        let config: Config = toml::from_str(&text)
            .map_err(|e| Error::Config { path: path.to_owned(), message: e.to_string() })?;
        if config.inputs.is_empty() {
            return Err(Error::Config { path: path.to_owned(), message: "`inputs` is empty".to_owned() });
        }
        Ok(config)
    }

    /// The output directory, resolved against the settings file's directory.
    pub fn out_dir(&self, config_path: &Path) -> PathBuf {
        config_path.parent().unwrap_or(Path::new("")).join(&self.out)
    }
}
