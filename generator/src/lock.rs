//! The lock file, [`LOCK`]: what generated the output in a directory (the generator, each input
//! with a hash of its bytes, the options that change the output), so that `--check` can say
//! *why* the output on disk is stale, not only which files differ.
//!
//! The file is TOML, written here by hand so its bytes depend on nothing but what it records
//! (not on a serializer's version); it holds no timestamps and no absolute paths of inputs.

use std::collections::BTreeMap;
use std::fmt;

use crate::output::hash;
use crate::{Builder, Layout, Runtime};

/// The lock file, in every directory [`crate::Output::write_to`] writes (listed in the
/// [`crate::MANIFEST`] like the other generated files).
pub const LOCK: &str = "codegen.lock";

/// The version of the file's layout; a lock of another version is treated as missing.
const FORMAT: i64 = 1;

/// How hashes are written: the algorithm, then the 16 hexadecimal digits.
const HASH_PREFIX: &str = "fnv1a64:";

const HEADER: &str = "\
# Written by codegen: what generated the files in this directory. The generator, each input with
# a hash of its bytes as read (64-bit FNV-1a), and the options that change the output.
# `codegen generate --check` compares it with a new run to say why the output is stale. Do not edit.
";

/// The options of the selection, as [`crate::Selection::options`] names them, and whether each
/// is a flag (`true` when given) rather than a list. Each is written even when empty, so the
/// lock shows every setting; a test checks the list covers every option.
const SELECTION_OPTIONS: &[(&str, bool)] = &[
    ("include-path", false),
    ("exclude-path", false),
    ("include-type", false),
    ("exclude-type", false),
    ("include-namespace", false),
    ("exclude-namespace", false),
    ("derived-types", true),
];

/// The value of an option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

impl fmt::Display for Value {
    /// As TOML writes it: `"text"`, `true`, `["a", "b"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(&quoted(s)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
                write!(f, "[{}]", items.join(", "))
            }
        }
    }
}

/// One input as read: a file and the hash of its bytes, or a directory and every file read
/// from it (by path relative to it, `/`-separated), each with its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Input {
    /// As the `@generated` header names it, or relative to the `codegen.toml` that names it.
    pub(crate) name: String,
    pub(crate) content: Content,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Content {
    File(u64),
    Directory(Vec<(String, u64)>),
}

impl Input {
    pub(crate) fn file(name: String, bytes: &[u8]) -> Input {
        Input { name, content: Content::File(hash(bytes)) }
    }
}

/// The content of a [`LOCK`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lock {
    /// The generator's package name and version.
    generator: (String, String),
    /// Whether the output was generated from a model given to [`Builder::generate_from`]
    /// (whose inputs are not read, so not recorded).
    from_model: bool,
    /// In a fixed order.
    options: Vec<(String, Value)>,
    inputs: Vec<Input>,
}

/// Why the output on disk is stale, as far as its [`LOCK`] and [`crate::MANIFEST`] tell.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// Another generator, or another version of it, wrote the output (`name version`).
    Generator {
        /// The one that wrote the output.
        was: String,
        /// This one.
        now: String,
    },
    /// The output was generated from the inputs and now from a model given to
    /// [`Builder::generate_from`], or the other way round.
    Source {
        /// Whether the output on disk was generated from a given model.
        was_model: bool,
    },
    /// An input's bytes changed (a file given, or one read from a directory given).
    InputChanged(String),
    /// An input that the output was not generated from.
    InputAdded(String),
    /// An input the output was generated from that this run does not read.
    InputRemoved(String),
    /// The same inputs, in another order.
    InputsReordered {
        /// The order the output was generated from.
        was: Vec<String>,
        /// This run's order.
        now: Vec<String>,
    },
    /// An option that changes the output has another value; a value is shown as TOML, and
    /// `None` when it is not set.
    OptionChanged {
        /// The option, as the command line names it (`crate-name`, `include-path`).
        name: String,
        /// Its value when the output was generated.
        was: Option<String>,
        /// Its value now.
        now: Option<String>,
    },
    /// A generated file's content no longer has the hash the manifest records: someone
    /// edited it.
    EditedByHand(String),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| match v {
            Some(v) => format!("`{v}`"),
            None => "not set".to_owned(),
        };
        match self {
            Cause::Generator { was, now } => {
                write!(f, "the generator changed since the output was generated: was `{was}`, now `{now}`")
            }
            Cause::Source { was_model: true } => write!(
                f,
                "the output was generated from a model given to `Builder::generate_from`, and now from the inputs"
            ),
            Cause::Source { was_model: false } => write!(
                f,
                "the output was generated from the inputs, and now from a model given to `Builder::generate_from`"
            ),
            Cause::InputChanged(name) => write!(f, "input `{name}` changed since the output was generated"),
            Cause::InputAdded(name) => write!(f, "input `{name}` was added since the output was generated"),
            Cause::InputRemoved(name) => {
                write!(f, "input `{name}` was removed since the output was generated")
            }
            Cause::InputsReordered { was, now } => write!(
                f,
                "the inputs are in another order: was `{}`, now `{}`",
                was.join(", "),
                now.join(", ")
            ),
            Cause::OptionChanged { name, was, now } => {
                write!(f, "option `{name}` changed: was {}, now {}", shown(was), shown(now))
            }
            Cause::EditedByHand(file) => write!(
                f,
                "generated file `{file}` was edited by hand (its content no longer has the hash {} records)",
                crate::MANIFEST
            ),
        }
    }
}

impl Lock {
    /// What `builder` generates from: `inputs` as read, or a given model (`None`).
    pub(crate) fn new(builder: &Builder, inputs: Option<Vec<Input>>) -> Lock {
        Lock {
            generator: (env!("CARGO_PKG_NAME").to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
            from_model: inputs.is_none(),
            options: options(builder),
            inputs: inputs.unwrap_or_default(),
        }
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::from(HEADER);
        out.push_str(&format!("format = {FORMAT}\n"));
        if self.from_model {
            out.push_str("from-model = true\n");
        }
        out.push_str("\n[generator]\n");
        out.push_str(&format!(
            "name = {}\nversion = {}\n",
            quoted(&self.generator.0),
            quoted(&self.generator.1)
        ));
        out.push_str("\n[options]\n");
        for (name, value) in &self.options {
            out.push_str(&format!("{} = {value}\n", key(name)));
        }
        for input in &self.inputs {
            out.push_str(&format!("\n[[input]]\nname = {}\n", quoted(&input.name)));
            match &input.content {
                Content::File(h) => out.push_str(&format!("hash = \"{HASH_PREFIX}{h:016x}\"\n")),
                Content::Directory(files) => {
                    out.push_str("directory = true\n");
                    for (path, h) in files {
                        out.push_str(&format!(
                            "\n[[input.file]]\npath = {}\nhash = \"{HASH_PREFIX}{h:016x}\"\n",
                            quoted(path)
                        ));
                    }
                }
            }
        }
        out
    }

    /// Reads a lock written by [`Lock::render`]; the error says what is wrong (it is then
    /// treated as missing: never a failure).
    pub(crate) fn parse(text: &str) -> Result<Lock, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let message = e.message().to_owned();
            match e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)) {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            }
        })?;
        match table.get("format") {
            Some(toml::Value::Integer(FORMAT)) => {}
            Some(toml::Value::Integer(n)) => {
                return Err(format!("it is in format {n}, and this codegen reads format {FORMAT}"))
            }
            _ => return Err("it has no `format = 1`".to_owned()),
        }
        let from_model = match table.get("from-model") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err("`from-model` is not true or false".to_owned()),
        };
        let generator = sub_table(&table, "generator")?;
        let generator =
            (string(generator, "name", "[generator]")?, string(generator, "version", "[generator]")?);
        let mut options = Vec::new();
        for (name, value) in sub_table(&table, "options")? {
            let value = match value {
                toml::Value::String(s) => Value::Str(s.clone()),
                toml::Value::Boolean(b) => Value::Bool(*b),
                toml::Value::Array(items) => Value::List(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or_else(|| format!("option `{name}` is not a list of strings"))?,
                ),
                _ => return Err(format!("option `{name}` is not a string, a boolean or a list of strings")),
            };
            options.push((name.clone(), value));
        }
        let mut inputs = Vec::new();
        let none = Vec::new();
        let listed = match table.get("input") {
            None => &none,
            Some(toml::Value::Array(items)) => items,
            Some(_) => return Err("`input` is not an array of tables (`[[input]]`)".to_owned()),
        };
        for (i, input) in listed.iter().enumerate() {
            let at = format!("input {}", i + 1);
            let input = input.as_table().ok_or_else(|| format!("{at} is not a table"))?;
            let name = string(input, "name", &at)?;
            let content = if input.get("directory").and_then(toml::Value::as_bool) == Some(true) {
                let mut files = Vec::new();
                let listed = match input.get("file") {
                    None => &none,
                    Some(toml::Value::Array(items)) => items,
                    Some(_) => return Err(format!("{at}: `file` is not an array of tables")),
                };
                for file in listed {
                    let file = file.as_table().ok_or_else(|| format!("{at}: a file is not a table"))?;
                    files.push((string(file, "path", &at)?, parse_hash(file, &at)?));
                }
                Content::Directory(files)
            } else {
                Content::File(parse_hash(input, &at)?)
            };
            inputs.push(Input { name, content });
        }
        Ok(Lock { generator, from_model, options, inputs })
    }

    /// What differs from `self` (the lock the output on disk was generated with) to `now`.
    pub(crate) fn diff(&self, now: &Lock) -> Vec<Cause> {
        let mut causes = Vec::new();
        if self.generator != now.generator {
            let show = |(name, version): &(String, String)| format!("{name} {version}");
            causes.push(Cause::Generator { was: show(&self.generator), now: show(&now.generator) });
        }
        if self.from_model != now.from_model {
            causes.push(Cause::Source { was_model: self.from_model });
        }
        // Inputs: by name (a name given twice, by its hashes in order).
        let (was, is) = (self.entries(), now.entries());
        let top = |lock: &Lock| lock.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        let (was_top, now_top) = (top(self), top(now));
        let gone = |names: &[String], name: &str| !names.iter().any(|n| n == name);
        for (name, (hashes, parent)) in &is {
            match was.get(name) {
                // A file of a directory that is itself new is not listed again.
                None if parent.is_some_and(|p| gone(&was_top, p)) => {}
                None => causes.push(Cause::InputAdded(name.clone())),
                Some((old, _)) if old != hashes => causes.push(Cause::InputChanged(name.clone())),
                Some(_) => {}
            }
        }
        for (name, (_, parent)) in &was {
            if !is.contains_key(name) && !parent.is_some_and(|p| gone(&now_top, p)) {
                causes.push(Cause::InputRemoved(name.clone()));
            }
        }
        let (mut a, mut b) = (was_top.clone(), now_top.clone());
        a.sort();
        b.sort();
        if a == b && was_top != now_top {
            causes.push(Cause::InputsReordered { was: was_top, now: now_top });
        }
        // Options: this run's, in order, then any only the old lock has.
        let old: BTreeMap<&str, &Value> = self.options.iter().map(|(n, v)| (n.as_str(), v)).collect();
        for (name, value) in &now.options {
            if old.get(name.as_str()) != Some(&value) {
                causes.push(Cause::OptionChanged {
                    name: name.clone(),
                    was: old.get(name.as_str()).map(|v| v.to_string()),
                    now: Some(value.to_string()),
                });
            }
        }
        for (name, value) in &self.options {
            if !now.options.iter().any(|(n, _)| n == name) {
                causes.push(Cause::OptionChanged {
                    name: name.clone(),
                    was: Some(value.to_string()),
                    now: None,
                });
            }
        }
        causes
    }

    /// Every input and every file of a directory input, by name (`dir/file.md`), each with its
    /// hashes (`None` for a directory) and, for a file of a directory, the directory's name.
    fn entries(&self) -> BTreeMap<String, (Vec<Option<u64>>, Option<&str>)> {
        let mut out: BTreeMap<String, (Vec<Option<u64>>, Option<&str>)> = BTreeMap::new();
        for input in &self.inputs {
            match &input.content {
                Content::File(h) => out.entry(input.name.clone()).or_default().0.push(Some(*h)),
                Content::Directory(files) => {
                    out.entry(input.name.clone()).or_default().0.push(None);
                    for (path, h) in files {
                        let name = format!("{}/{path}", input.name.trim_end_matches('/'));
                        let entry = out.entry(name).or_default();
                        entry.0.push(Some(*h));
                        entry.1 = Some(input.name.as_str());
                    }
                }
            }
        }
        out
    }

    /// Whether it records a model given to [`Builder::generate_from`].
    pub(crate) fn is_from_model(&self) -> bool {
        self.from_model
    }
}

/// The options of `builder` that change the output, in a fixed order.
fn options(builder: &Builder) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut push = |name: &str, value: Value| out.push((name.to_owned(), value));
    match &builder.layout {
        Layout::Module => push("layout", Value::Str("module".into())),
        Layout::Crate { name } => {
            push("layout", Value::Str("crate".into()));
            push("crate-name", Value::Str(name.clone()));
            push("area-features", Value::Bool(builder.area_features));
        }
    }
    match &builder.runtime {
        Runtime::Embedded => push("runtime", Value::Str("embedded".into())),
        Runtime::Crate { dependency, path } => {
            push("runtime", Value::Str("crate".into()));
            // A module tree's including crate declares the dependency: it is not in the output.
            if matches!(builder.layout, Layout::Crate { .. }) {
                push("runtime-dependency", Value::Str(dependency.clone()));
            }
            push("runtime-path", Value::Str(path.clone()));
        }
    }
    if let Some(label) = &builder.source_label {
        push("source-label", Value::Str(label.clone()));
    }
    push("regenerate-hint", Value::Str(builder.regenerate_hint.clone()));
    // Recorded only when set, so that output made before paging rules existed stays fresh.
    if !builder.paging.is_empty() {
        push("paging", Value::List(builder.paging.iter().map(crate::PagingRule::describe).collect()));
    }
    if let Some(style) = builder.key_style {
        push("key-style", Value::Str(style.name().into()));
    }
    if let Some(format) = builder.batch_format {
        push("batch-format", Value::Str(format.name().into()));
    }
    // Where references were found is recorded by the documents read (as inputs), not the
    // folders, whose paths may be absolute.
    if builder.lenient {
        push("lenient", Value::Bool(true));
    }
    let given = builder.selection.options();
    for (name, flag) in SELECTION_OPTIONS {
        let values: Vec<String> =
            given.iter().filter(|(n, _)| n == name).map(|(_, v)| (*v).to_owned()).collect();
        push(name, if *flag { Value::Bool(!values.is_empty()) } else { Value::List(values) });
    }
    // An option the list above does not know yet (the test below keeps this empty).
    for (name, _) in &given {
        if !SELECTION_OPTIONS.iter().any(|(n, _)| n == name) && !out.iter().any(|(n, _)| n == name) {
            let values = given.iter().filter(|(n, _)| n == name).map(|(_, v)| (*v).to_owned()).collect();
            out.push(((*name).to_owned(), Value::List(values)));
        }
    }
    out
}

fn sub_table<'a>(table: &'a toml::Table, name: &str) -> Result<&'a toml::Table, String> {
    table.get(name).and_then(toml::Value::as_table).ok_or_else(|| format!("it has no `[{name}]` table"))
}

fn string(table: &toml::Table, key: &str, at: &str) -> Result<String, String> {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{at}: no `{key}` string"))
}

fn parse_hash(table: &toml::Table, at: &str) -> Result<u64, String> {
    let text = string(table, "hash", at)?;
    text.strip_prefix(HASH_PREFIX)
        .filter(|h| h.len() == 16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .ok_or_else(|| format!("{at}: `{text}` is not a hash `{HASH_PREFIX}` and 16 hexadecimal digits"))
}

/// A TOML key: bare when it can be.
fn key(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        name.to_owned()
    } else {
        quoted(name)
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Selection;

    fn lock(builder: Builder, inputs: Vec<Input>) -> Lock {
        Lock::new(&builder, Some(inputs))
    }

    #[test]
    fn every_selection_option_is_written_by_name() {
        let all = Selection {
            include_paths: vec!["/a".into()],
            exclude_paths: vec!["/b".into()],
            include_types: vec!["c".into()],
            exclude_types: vec!["d".into()],
            include_namespaces: vec!["e".into()],
            exclude_namespaces: vec!["f".into()],
            derived_types: true,
        };
        for (name, _) in all.options() {
            assert!(
                SELECTION_OPTIONS.iter().any(|(n, _)| *n == name),
                "`{name}` is not in SELECTION_OPTIONS"
            );
        }
    }

    #[test]
    fn a_lock_reads_back_as_written_and_escapes_what_toml_needs() {
        let builder = Builder::new()
            .layout(Layout::Crate { name: "x".into() })
            .runtime(Runtime::dependency(r#"{ path = "../t" }"#))
            .source_label("a \"label\"\twith\\ escapes\u{1}")
            .include_path("/users/**")
            .derived_types(true);
        let inputs = vec![
            Input::file("a.xml".into(), b"a"),
            Input { name: "docs".into(), content: Content::Directory(vec![("p.md".into(), 7)]) },
            Input { name: "empty".into(), content: Content::Directory(vec![]) },
        ];
        let written = lock(builder, inputs);
        let text = written.render();
        // TOML tables are read in key order.
        let mut sorted = written.clone();
        sorted.options.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(Lock::parse(&text), Ok(sorted), "{text}");
        assert!(written.diff(&Lock::parse(&text).unwrap()).is_empty());
        assert!(Lock::parse(&text).unwrap().diff(&written).is_empty());
        let from_model = Lock::new(&Builder::new(), None);
        let back = Lock::parse(&from_model.render()).unwrap();
        assert!(back.from_model && back.inputs.is_empty() && back.diff(&from_model).is_empty());
    }

    #[test]
    fn a_corrupted_lock_is_a_message_not_a_panic() {
        let good = lock(Builder::new(), vec![Input::file("a.xml".into(), b"a")]).render();
        let cases = [
            ("", "format"),
            ("format = 2\n", "format 2"),
            ("format = [\n", "line 1"),
            ("format = 1\n[generator]\nname = \"x\"\n", "version"),
            ("\u{0}\u{ff}", ""),
        ];
        for (text, says) in cases {
            let err = Lock::parse(text).expect_err(text);
            assert!(err.contains(says), "{text:?}: {err}");
        }
        let bad_hash = good.replace(HASH_PREFIX, "sha1:");
        assert!(Lock::parse(&bad_hash).unwrap_err().contains("is not a hash"));
        // Cut anywhere, it never panics.
        for end in (0..good.len()).filter(|&i| good.is_char_boundary(i)) {
            let _ = Lock::parse(&good[..end]);
        }
    }

    #[test]
    fn the_diff_names_each_changed_input_and_option() {
        let old = lock(
            Builder::new().include_path("/users/**"),
            vec![
                Input::file("a.xml".into(), b"a"),
                Input::file("gone.xml".into(), b"g"),
                Input {
                    name: "docs".into(),
                    content: Content::Directory(vec![("p.md".into(), 1), ("q.md".into(), 2)]),
                },
            ],
        );
        let new = lock(
            Builder::new().layout(Layout::Crate { name: "x".into() }),
            vec![
                Input::file("a.xml".into(), b"changed"),
                Input {
                    name: "docs".into(),
                    content: Content::Directory(vec![("p.md".into(), 1), ("r.md".into(), 3)]),
                },
                Input { name: "new".into(), content: Content::Directory(vec![("s.md".into(), 4)]) },
            ],
        );
        let shown: Vec<String> = old.diff(&new).iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "input `a.xml` changed since the output was generated",
                "input `docs/r.md` was added since the output was generated",
                "input `new` was added since the output was generated",
                "input `docs/q.md` was removed since the output was generated",
                "input `gone.xml` was removed since the output was generated",
                "option `layout` changed: was `\"module\"`, now `\"crate\"`",
                "option `crate-name` changed: was not set, now `\"x\"`",
                "option `area-features` changed: was not set, now `false`",
                "option `include-path` changed: was `[\"/users/**\"]`, now `[]`",
            ]
        );
        let swapped =
            lock(Builder::new(), vec![Input::file("b".into(), b"b"), Input::file("a".into(), b"a")]);
        let ordered =
            lock(Builder::new(), vec![Input::file("a".into(), b"a"), Input::file("b".into(), b"b")]);
        assert_eq!(
            swapped.diff(&ordered),
            [Cause::InputsReordered { was: vec!["b".into(), "a".into()], now: vec!["a".into(), "b".into()] }]
        );
    }
}
