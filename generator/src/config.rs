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
    /// When set, generated code depends on the runtime crate (this is the dependency's
    /// value); otherwise it embeds a copy.
    #[serde(default)]
    pub runtime: Option<toml::Value>,
    /// The runtime crate's Rust path, when the including crate renames it.
    #[serde(default)]
    pub runtime_path: Option<String>,
    /// URL path patterns of the endpoints to generate (see [`crate::select`]).
    #[serde(default)]
    pub include_paths: Vec<String>,
    /// URL path patterns of endpoints to leave out.
    #[serde(default)]
    pub exclude_paths: Vec<String>,
    /// Qualified type names (globs) to generate as models.
    #[serde(default)]
    pub include_types: Vec<String>,
    /// Qualified type names (globs) to leave out.
    #[serde(default)]
    pub exclude_types: Vec<String>,
    /// Namespaces (globs) whose types to generate as models.
    #[serde(default)]
    pub include_namespaces: Vec<String>,
    /// Namespaces (globs) to leave out.
    #[serde(default)]
    pub exclude_namespaces: Vec<String>,
    /// Also generate every type derived from a kept type.
    #[serde(default)]
    pub derived_types: bool,
    /// One cargo feature per area of the service (crates only).
    #[serde(default)]
    pub area_features: bool,
    /// Paging rules for results the document does not say how to page.
    #[serde(default)]
    pub paging: Vec<crate::PagingRule>,
    /// How entity keys are written in URLs (default: as the metadata says).
    #[serde(default)]
    pub key_style: Option<crate::KeyStyle>,
    /// How `$batch` requests are written (default: as the metadata says).
    #[serde(default)]
    pub batch_format: Option<crate::BatchFormat>,
    /// Folders where referenced CSDL documents are looked for.
    #[serde(default)]
    pub reference_dirs: Vec<PathBuf>,
    /// Read type references that name nothing as untyped JSON, with a warning each.
    #[serde(default)]
    pub lenient: bool,
}

impl Config {
    /// The selection these settings make.
    pub fn selection(&self) -> crate::Selection {
        crate::Selection {
            include_paths: self.include_paths.clone(),
            exclude_paths: self.exclude_paths.clone(),
            include_types: self.include_types.clone(),
            exclude_types: self.exclude_types.clone(),
            include_namespaces: self.include_namespaces.clone(),
            exclude_namespaces: self.exclude_namespaces.clone(),
            derived_types: self.derived_types,
        }
    }
}

/// Every key of `codegen.toml`: name, whether it is required, an example value, and what it
/// means. `codegen generate --help` and `codegen init` are written from this table, and a test
/// checks that it names exactly the keys [`Config`] accepts.
pub const KEYS: &[(&str, bool, &str, &str)] = &[
    (
        "inputs",
        true,
        r#"["metadata/service.csdl.xml"]"#,
        "Metadata files (OData CSDL XML or JSON, V4 or V2; OpenAPI documents; Microsoft Graph reference \
         pages in markdown) or directories \
         of them (searched recursively for .xml, .json, .yaml, .yml and .md files), relative to \
         codegen.toml. They make \
         one model.",
    ),
    (
        "out",
        true,
        r#""src/api""#,
        "The output directory, relative to codegen.toml. codegen writes only into an empty \
         directory or one holding its own output (its .codegen-manifest).",
    ),
    (
        "crate_name",
        false,
        r#""my-service""#,
        "When set, `out` receives a complete crate of this name (Cargo.toml, README.md, src/); \
         otherwise one module tree (mod.rs and its modules) for a crate that declares `mod api;`.",
    ),
    (
        "runtime",
        false,
        r#"{ path = "../codegen/templates" }"#,
        "When set, generated code depends on the runtime crate `codegen-runtime` (a generated \
         Cargo.toml declares it with this value: a path relative to `out`, a git source or a \
         version), so that several generated crates share one transport, client configuration \
         and error type; otherwise each embeds a copy of the runtime.",
    ),
    (
        "runtime_path",
        false,
        r#""::codegen_runtime""#,
        "With `runtime`: the crate's path in generated code, when the including crate renames \
         the dependency.",
    ),
    (
        "include_paths",
        false,
        r#"["/servicePrincipals/**/synchronization/**", "/me/messages#GET"]"#,
        "Generate only the endpoints whose URL matches one of these patterns (`**` any segments, \
         `*` any text in a segment, `{id}` a key, `#GET,POST` the methods), and what they need: \
         the navigation leading there, the operations, every type they use. `codegen operations` \
         with the same settings lists what is kept.",
    ),
    (
        "exclude_paths",
        false,
        r#"["/me/**#DELETE"]"#,
        "Leave out the endpoints whose URL matches one of these patterns (alone: keep every other).",
    ),
    (
        "include_types",
        false,
        r#"["microsoft.graph.user"]"#,
        "Also generate these types (qualified names, `*` globs) as models, with what they need.",
    ),
    (
        "exclude_types",
        false,
        r#"["microsoft.graph.security.*"]"#,
        "Leave out these types (qualified names, `*` globs), the types derived from them, and \
         the properties, navigation and operations that use them.",
    ),
    (
        "include_namespaces",
        false,
        r#"["microsoft.graph.callRecords"]"#,
        "Also generate every type of these namespaces (`*` globs) as models.",
    ),
    (
        "exclude_namespaces",
        false,
        r#"["microsoft.graph.ediscovery"]"#,
        "Leave out every type of these namespaces (`*` globs) and what uses them.",
    ),
    (
        "derived_types",
        false,
        "true",
        "With a selection: also generate every type derived from a kept type (by default a \
         value of a derived type left out is read as its nearest kept base type, the rest of \
         it kept in `extra`).",
    ),
    (
        "area_features",
        false,
        "true",
        "With `crate_name`: one cargo feature per area of the service (each entity set, singleton \
         and import, with what it needs), `full` being the default; a program that enables only the \
         areas it uses compiles only those.",
    ),
    (
        "paging",
        false,
        r#"[{ next_link = "/meta/next_page_url" }, { cursor = "/next_cursor", cursor_parameter = "cursor", items = "data" }]"#,
        "Paging rules for results the document does not say how to page (OData services and \
         OpenAPI's `x-ms-pageable` do): an operation whose successful result is an object with \
         the property a rule's JSON pointer names — the next page's URL (`next_link`), or a \
         cursor sent back as the query parameter `cursor_parameter` (GET only) — and an array of \
         items (`items`, else its only array property) returns a `Page` of the items that \
         `.all()` and `.pages()` follow. The first rule that fits an operation applies.",
    ),
    (
        "key_style",
        false,
        r#""segment""#,
        "How the client writes entity keys in URLs: \"parentheses\" (`/Books(201)`, \
         `/Books('abc')`, OData's default form) or \"segment\" (`/Books/201`, the key-as-segment \
         convention; composite keys stay in parentheses). Default: segments where the entity \
         container is annotated `Capabilities.KeyAsSegmentSupported`, else parentheses. Microsoft \
         Graph's CSDL does not annotate it; Graph documents segments: set \"segment\" for Graph.",
    ),
    (
        "batch_format",
        false,
        r#""json""#,
        "How the client's `batch()` writes `$batch` requests: \"json\" (OData 4.01's JSON batch) \
         or \"multipart\" (`multipart/mixed`, OData 4.0 and V2). Default: multipart for V2; for V4 \
         the first format `Capabilities.BatchSupport/SupportedFormats` names, else JSON where the \
         metadata's version is 4.01, else multipart. Microsoft Graph's metadata (4.0) says \
         nothing and Graph takes JSON batches only: set \"json\" for Graph.",
    ),
    (
        "reference_dirs",
        false,
        r#"["vocabularies", "../shared/schemas"]"#,
        "Folders (relative to codegen.toml) where the documents CSDL `edmx:Reference`s name are \
         looked for, by the last segment of the reference's URI (after the inputs, and a \
         relative URI's file beside the referencing document). Only what the inputs reach is \
         read, and of those documents' types only what the inputs use is generated. A reference \
         found nowhere is an error where the model uses a type of a namespace it includes; one \
         that only brings vocabulary terms may stay unresolved.",
    ),
    (
        "lenient",
        false,
        "true",
        "Lenient mode for sloppy metadata: a type reference that names no declared type (a \
         base type `System.Object` no schema declares) is read as untyped JSON (a base type \
         dropped) with a warning (W0313) each, instead of failing. Default: strict.",
    ),
];

/// A TOML value written inline (`{ path = "x" }`), as a dependency's value in a Cargo.toml.
pub(crate) fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(key, value)| {
                    let bare = !key.is_empty()
                        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                    let key = if bare { key.clone() } else { toml::Value::String(key.clone()).to_string() };
                    format!("{key} = {}", inline_toml(value))
                })
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            format!("[{}]", items.iter().map(inline_toml).collect::<Vec<_>>().join(", "))
        }
        other => other.to_string(),
    }
}

impl Config {
    /// The file name the CLI looks for, from the current directory up.
    pub const FILE_NAME: &'static str = "codegen.toml";

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

    /// The nearest `codegen.toml` in `dir` or a directory above it.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors().map(|d| d.join(Config::FILE_NAME)).find(|p| p.is_file())
    }

    /// A starter `codegen.toml` documenting every key; `inputs`, `out` and `crate_name` are
    /// written when given, the rest as commented examples.
    pub fn template(inputs: &[String], out: Option<&str>, crate_name: Option<&str>) -> String {
        let mut text = String::from(
            "# Settings of `codegen generate`, which looks for this file from the current directory up.\n\
             # Paths are relative to this file.\n",
        );
        for &(key, required, example, meaning) in KEYS {
            text.push('\n');
            for line in wrap(meaning, 92) {
                text.push_str(&format!("# {line}\n"));
            }
            let given = match key {
                "inputs" if !inputs.is_empty() => Some(toml_array(inputs)),
                "out" => out.map(toml_string),
                "crate_name" => crate_name.map(toml_string),
                _ => None,
            };
            match given {
                Some(value) => text.push_str(&format!("{key} = {value}\n")),
                None if required => text.push_str(&format!("{key} = {example}\n")),
                None => text.push_str(&format!("# {key} = {example}\n")),
            }
        }
        text
    }

    /// The keys, for `--help`.
    pub fn help() -> String {
        let mut text = String::from(
            "codegen.toml keys (paths relative to the file; looked for from the current directory up \
             when neither --input nor --config is given):\n",
        );
        for &(key, required, example, meaning) in KEYS {
            let req = if required { "required" } else { "optional" };
            text.push_str(&format!("\n  {key} = {example}   ({req})\n"));
            for line in wrap(meaning, 88) {
                text.push_str(&format!("      {line}\n"));
            }
        }
        text
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn toml_array(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", items.join(", "))
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_dependency_is_written_back_as_inline_toml() {
        let config: Config = toml::from_str(
            "inputs = [\"x\"]\nout = \"o\"\nruntime = { path = \"../rt\", \"default-features\" = false, features = [\"a\"] }\n",
        )
        .unwrap();
        let inline = inline_toml(config.runtime.as_ref().unwrap());
        assert_eq!(inline, r#"{ default-features = false, features = ["a"], path = "../rt" }"#);
        let version: toml::Value = toml::Value::String("0.1".to_owned());
        assert_eq!(inline_toml(&version), r#""0.1""#);
        // What is written parses back to the same value.
        let back: toml::Table = toml::from_str(&format!("runtime = {inline}")).unwrap();
        assert_eq!(Some(&back["runtime"]), config.runtime.as_ref());
    }

    #[test]
    fn runtime_settings_are_validated_before_anything_is_generated() {
        let dir = tempfile_dir();
        let write = |text: &str| {
            let path = dir.join("codegen.toml");
            std::fs::write(&path, text).unwrap();
            crate::Builder::from_config(&path).map(|_| ()).map_err(|e| e.to_string())
        };
        assert!(write("inputs = [\"x\"]\nout = \"o\"\nruntime = { path = \"../rt\" }\n").is_ok());
        let bad_path =
            write("inputs = [\"x\"]\nout = \"o\"\nruntime = \"0.1\"\nruntime_path = \"not a path\"\n");
        assert!(bad_path
            .unwrap_err()
            .contains("`runtime`: the runtime path `not a path` is not a Rust path"));
        let alone = write("inputs = [\"x\"]\nout = \"o\"\nruntime_path = \"::rt\"\n");
        assert!(alone.unwrap_err().contains("`runtime_path` is set without `runtime`"));
        let number = write("inputs = [\"x\"]\nout = \"o\"\nruntime = 1\n");
        assert!(number.unwrap_err().contains("is not a TOML version string or inline table"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A scratch directory of this test process, under the system temporary directory.
    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn keys_table_names_exactly_the_accepted_keys() {
        // Every documented key is accepted...
        let all: String = KEYS.iter().map(|(k, _, example, _)| format!("{k} = {example}\n")).collect();
        let config: Config = toml::from_str(&all).unwrap_or_else(|e| panic!("{e}\n{all}"));
        assert_eq!(config.crate_name.as_deref(), Some("my-service"));
        // ...and nothing else is (a key added to Config without documentation fails here).
        let err = toml::from_str::<Config>(&format!("{all}bogus = 1\n")).unwrap_err().to_string();
        let expected: Vec<String> = KEYS.iter().map(|(k, ..)| format!("`{k}`")).collect();
        assert!(err.contains(&expected.join(", ")), "{err}");
    }

    #[test]
    fn template_is_a_valid_config_with_the_given_values() {
        let text = Config::template(&["metadata/svc.xml".into()], Some("gen"), Some("svc"));
        let config: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(config.inputs, vec![PathBuf::from("metadata/svc.xml")]);
        assert_eq!(config.out, PathBuf::from("gen"));
        assert_eq!(config.crate_name.as_deref(), Some("svc"));
        // Without values: the required keys hold examples, the optional ones are comments.
        let text = Config::template(&[], None, None);
        let config: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(config.crate_name, None);
        for (key, ..) in KEYS {
            assert!(text.contains(&format!("{key} = ")), "{key} missing from\n{text}");
        }
    }
}
