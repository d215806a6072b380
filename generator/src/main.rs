//! `codegen`: the command-line front end. It only maps arguments onto [`codegen::Builder`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{Builder, Config, Error, Kept, Layout, Overwrite};

/// Generates typed Rust crates from OData CSDL metadata and Microsoft Graph reference pages.
#[derive(Parser)]
#[command(name = "codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate (or module tree) from metadata.
    ///
    /// With --input and --out, from those files; with --config, from that codegen.toml; with
    /// neither, from the nearest codegen.toml in the current directory or a directory above it.
    ///
    /// The output directory must be empty, missing, or hold codegen's own earlier output (its
    /// .codegen-manifest). A file codegen did not write, or one it wrote and someone edited
    /// since, is never overwritten or removed: the run fails naming it and writes nothing.
    /// Beside the generated files, codegen.lock records what generated them: the generator's
    /// version, each input with a hash of its bytes, and the options.
    #[command(after_long_help = Config::help())]
    Generate {
        /// A codegen.toml to read (default: the nearest one from the current directory up).
        #[arg(long, conflicts_with_all = ["input", "out", "crate_name", "runtime"])]
        config: Option<PathBuf>,
        /// Metadata files or directories; the format is detected from the content.
        #[arg(long, num_args = 1.., requires = "out")]
        input: Vec<PathBuf>,
        /// Output directory of the crate written from --input.
        #[arg(long, requires = "input")]
        out: Option<PathBuf>,
        /// Package name of the crate (default: the output directory's name).
        #[arg(long, requires = "out")]
        crate_name: Option<String>,
        /// Depend on the runtime crate instead of embedding a copy: the dependency's value in
        /// the generated Cargo.toml, e.g. '{ path = "../codegen/templates" }' (a path is
        /// relative to the crate).
        #[arg(long, requires = "out", value_name = "TOML")]
        runtime: Option<String>,
        /// Report whether the output on disk is stale, without writing (exit 1 when stale):
        /// why (from its codegen.lock: inputs changed, added or removed, options changed, another
        /// generator version; and generated files edited by hand), then the files that differ.
        #[arg(long, conflicts_with = "force")]
        check: bool,
        /// Write even into a directory codegen does not own, and over files that were edited
        /// or that codegen did not write. Files codegen did not write are still never removed,
        /// and a Cargo.toml it did not write is kept.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        select: SelectArgs,
        /// One cargo feature per area of the service (each entity set, singleton and import,
        /// with what it needs), `full` being the default.
        #[arg(long, requires = "out")]
        area_features: bool,
        /// A paging rule (repeatable; the `paging` key of codegen.toml), e.g.
        /// '{ next_link = "/meta/next_page_url" }' or
        /// '{ cursor = "/next_cursor", cursor_parameter = "cursor" }'.
        #[arg(long, requires = "out", value_name = "TOML")]
        paging: Vec<String>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Write a starter codegen.toml in the current directory, documenting every key.
    Init {
        /// Metadata files or directories, relative to the current directory.
        #[arg(long, num_args = 1..)]
        input: Vec<String>,
        /// The output directory (default: the crate name with --crate-name, else `src/api`).
        #[arg(long)]
        out: Option<String>,
        /// Write a complete crate of this name rather than a module tree.
        #[arg(long)]
        crate_name: Option<String>,
    },
    /// Print every operation the generated crate exposes: `METHOD /url/template  ->  rust call`.
    ///
    /// Without --input, reads the inputs of the nearest codegen.toml.
    Operations {
        /// Only operations whose URL template or Rust call contains this text
        /// (case-insensitive), e.g. `/users/{user-id}/messages` or `send_mail`.
        #[arg(long)]
        filter: Option<String>,
        /// Metadata files or directories.
        #[arg(long, num_args = 1..)]
        input: Vec<PathBuf>,
        /// A codegen.toml whose inputs to read.
        #[arg(long, conflicts_with = "input")]
        config: Option<PathBuf>,
        /// How many navigation steps to follow from each entity set or singleton.
        #[arg(long, default_value_t = 4)]
        depth: usize,
        /// List what this selection keeps (added to a codegen.toml's own).
        #[command(flatten)]
        select: SelectArgs,
        /// Settings added to a codegen.toml's own.
        #[command(flatten)]
        read: ReadArgs,
    },
}

/// How the metadata is read and its URLs written.
#[derive(clap::Args, Debug, Default)]
struct ReadArgs {
    /// How entity keys are written in URLs: `parentheses` (`/Books(201)`) or `segment`
    /// (`/Books/201`); default: segments where the metadata says the service supports them
    /// (`Capabilities.KeyAsSegmentSupported`), else parentheses. Microsoft Graph: `segment`.
    #[arg(long, value_name = "STYLE")]
    key_style: Option<codegen::KeyStyle>,
    /// How `batch()` writes `$batch` requests: `json` (OData 4.01) or `multipart` (OData 4.0
    /// and V2); default: as the metadata says (`Capabilities.BatchSupport`, else JSON for
    /// version 4.01, else multipart). Microsoft Graph: `json`.
    #[arg(long, value_name = "FORMAT")]
    batch_format: Option<codegen::BatchFormat>,
    /// A folder where the documents CSDL `edmx:Reference`s name are looked for, by the URI's
    /// file name (repeatable; the `reference_dirs` key of codegen.toml).
    #[arg(long, value_name = "DIR")]
    reference_dir: Vec<PathBuf>,
    /// Read type references that name no declared type as untyped JSON, with a warning each,
    /// instead of failing (the `lenient` key of codegen.toml).
    #[arg(long)]
    lenient: bool,
}

impl ReadArgs {
    fn given(&self) -> bool {
        self.key_style.is_some()
            || self.batch_format.is_some()
            || !self.reference_dir.is_empty()
            || self.lenient
    }

    /// `builder` with these settings added.
    fn apply(&self, mut builder: Builder) -> Builder {
        if let Some(style) = self.key_style {
            builder = builder.key_style(style);
        }
        if let Some(format) = self.batch_format {
            builder = builder.batch_format(format);
        }
        for dir in &self.reference_dir {
            builder = builder.reference_dir(dir);
        }
        if self.lenient {
            builder = builder.lenient(true);
        }
        builder
    }
}

/// What to generate of the metadata (all of it by default); see `codegen::select`.
#[derive(clap::Args, Debug, Default)]
struct SelectArgs {
    /// Generate only the endpoints whose URL matches PATTERN (repeatable): `**` matches any
    /// segments, `*` any text in a segment, `{id}` a key; `#GET,POST` limits the methods.
    /// What they need comes along (the navigation there, operations, every type used).
    #[arg(long, value_name = "PATTERN")]
    include_path: Vec<String>,
    /// Leave out the endpoints whose URL matches PATTERN (repeatable).
    #[arg(long, value_name = "PATTERN")]
    exclude_path: Vec<String>,
    /// Also generate the types whose qualified name matches GLOB as models (repeatable).
    #[arg(long, value_name = "GLOB")]
    include_type: Vec<String>,
    /// Leave out the types matching GLOB, their derived types and what uses them (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude_type: Vec<String>,
    /// Also generate every type of the namespaces matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include_namespace: Vec<String>,
    /// Leave out every type of the namespaces matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude_namespace: Vec<String>,
    /// With a selection, also generate every type derived from a kept type.
    #[arg(long)]
    derived_types: bool,
}

impl SelectArgs {
    fn given(&self) -> bool {
        !self.selection().is_empty() || self.derived_types
    }

    fn selection(&self) -> codegen::Selection {
        codegen::Selection {
            include_paths: self.include_path.clone(),
            exclude_paths: self.exclude_path.clone(),
            include_types: self.include_type.clone(),
            exclude_types: self.exclude_type.clone(),
            include_namespaces: self.include_namespace.clone(),
            exclude_namespaces: self.exclude_namespace.clone(),
            derived_types: self.derived_types,
        }
    }
}

/// Why a run stopped: a library error, or a message of the CLI's own with its exit code
/// (2 for a usage error, as clap uses, 1 for a failure).
enum Failure {
    Codegen(Error),
    Message(String, u8),
}

impl Failure {
    fn usage(message: String) -> Failure {
        Failure::Message(message, 2)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Codegen(e)
    }
}

/// The settings file to use: `--config`, else the nearest `codegen.toml` from the current
/// directory up. Never a file of the checkout the binary was built from.
fn config_path(given: Option<PathBuf>, without: &str) -> Result<PathBuf, Failure> {
    if let Some(path) = given {
        return Ok(path);
    }
    let cwd =
        std::env::current_dir().map_err(|e| Failure::usage(format!("error: no current directory: {e}")))?;
    Config::find(&cwd).ok_or_else(|| {
        Failure::usage(format!(
            "error: no codegen.toml in {} or any directory above it\n\
             fix: pass {without}, or --config FILE, or write a starter codegen.toml with `{} init`",
            cwd.display(),
            program()
        ))
    })
}

/// The name this program was run as (`codegen`), for messages.
fn program() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| Path::new(&a).file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "codegen".to_owned())
}

/// The command line as run, with `drop` removed and `add` appended: the fix to suggest.
fn command_line(drop: &str, add: &str) -> String {
    let mut words = vec![program()];
    for arg in std::env::args().skip(1).filter(|a| a != drop) {
        if arg.is_empty() || arg.contains(|c: char| c.is_whitespace() || "'\"$`\\*?;&|<>()".contains(c)) {
            words.push(format!("'{}'", arg.replace('\'', r"'\''")));
        } else {
            words.push(arg);
        }
    }
    if !add.is_empty() {
        words.push(add.to_owned());
    }
    words.join(" ")
}

/// The package name for a crate written to `dir`: the directory's name.
fn crate_name_for(dir: &Path) -> Result<String, Failure> {
    // `..` and `.` stand for the directories they name.
    let mut absolute = PathBuf::new();
    for component in std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()).components() {
        match component {
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            std::path::Component::CurDir => {}
            other => absolute.push(other),
        }
    }
    let name = absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    codegen::validate_crate_name(&name).map_err(|message| {
        Failure::usage(format!(
            "error: {message}\nfix: the crate is named after its directory unless --crate-name NAME is given"
        ))
    })?;
    Ok(name)
}

fn inputs_builder(inputs: &[PathBuf]) -> Builder {
    inputs.iter().fold(Builder::new(), |b, i| b.input(i))
}

fn print_warnings(warnings: &codegen::Diagnostics) {
    for warning in warnings.iter() {
        eprintln!("{warning}");
    }
}

/// A `--paging` value: a TOML inline table, as the `paging` key of codegen.toml holds.
fn paging_rule(text: &str) -> Result<codegen::PagingRule, Failure> {
    #[derive(serde::Deserialize)]
    struct Holder {
        rule: codegen::PagingRule,
    }
    let rule = toml::from_str::<Holder>(&format!("rule = {text}"))
        .map_err(|e| Failure::usage(format!("error: --paging {text}: {}", e.message())))?
        .rule;
    rule.validate().map_err(|message| Failure::usage(format!("error: --paging {text}: {message}")))?;
    Ok(rule)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Generate {
            config,
            input,
            out,
            crate_name,
            runtime,
            check,
            force,
            select,
            area_features,
            paging,
            read,
        } => {
            let (builder, out) = match out {
                Some(out) => {
                    let name = match crate_name {
                        Some(name) => name,
                        None => crate_name_for(&out)?,
                    };
                    let mut builder = inputs_builder(&input)
                        .layout(Layout::Crate { name })
                        .select(select.selection())
                        .area_features(area_features);
                    if let Some(dependency) = runtime {
                        builder = builder.runtime(codegen::Runtime::dependency(dependency));
                    }
                    for text in &paging {
                        builder = builder.paging(paging_rule(text)?);
                    }
                    builder = read.apply(builder);
                    (builder, out)
                }
                None => {
                    if read.given() {
                        return Err(Failure::usage(
                            "error: with a codegen.toml, these settings are its `key_style`, `batch_format`, `reference_dirs` and `lenient` keys\nfix: set them there, or pass --input and --out"
                                .to_owned(),
                        ));
                    }
                    if select.given() {
                        return Err(Failure::usage(
                            "error: with a codegen.toml, the selection is its `include_paths`, `exclude_paths`, \
                             `include_types`, ... keys\nfix: set them there, or pass --input and --out"
                                .to_owned(),
                        ));
                    }
                    let path = config_path(config, "--input FILE... --out DIR")?;
                    let out = Config::load(&path)?.out_dir(&path);
                    (Builder::from_config(&path)?, out)
                }
            };
            let output = builder.generate()?;
            print_warnings(output.warnings());
            if check {
                return match output.check(&out) {
                    Ok(()) => {
                        println!("{} is up to date ({} files)", out.display(), output.files().len());
                        Ok(())
                    }
                    Err(Error::Stale(stale)) => {
                        let rerun = command_line("--check", "");
                        let fix = match output.conflicts(&out)? {
                            None => format!("fix: run `{rerun}`"),
                            Some(c) => format!("{c}\n{}", conflict_fix(&c, &rerun)),
                        };
                        Err(Failure::Message(format!("{}{fix}", stale), 1))
                    }
                    Err(e) => Err(e.into()),
                };
            }
            let overwrite = if force { Overwrite::Force } else { Overwrite::Never };
            let w = output.write_to_with(&out, overwrite)?;
            if !w.overwritten.is_empty() {
                const SHOWN: usize = 10;
                let mut names = w.overwritten.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
                if w.overwritten.len() > SHOWN {
                    names.push_str(&format!(", ... ({} more)", w.overwritten.len() - SHOWN));
                }
                eprintln!(
                    "warning: --force overwrote {} file(s) that codegen did not write or that were edited since: {names}",
                    w.overwritten.len()
                );
            }
            let cargo_toml = out.join("Cargo.toml");
            for (file, why) in &w.kept {
                match why {
                    // Quiet once the directory is codegen's: the manifest is the crate's own.
                    Kept::UsersCargoToml if !w.first => {}
                    Kept::UsersCargoToml => eprintln!(
                        "warning: kept {}, which codegen did not write; the generated code needs it to declare:\n{}",
                        cargo_toml.display(),
                        output.dependencies().trim_end()
                    ),
                    Kept::EditedCargoToml => eprintln!(
                        "warning: kept {}: it was edited, so it is yours now and codegen no longer writes it; \
                         keep declaring:\n{}",
                        cargo_toml.display(),
                        output.dependencies().trim_end()
                    ),
                    Kept::EditedOrphan => eprintln!(
                        "warning: kept {file}: it was edited since codegen wrote it, and the inputs no longer produce it"
                    ),
                }
            }
            if w.first && !output.files().contains_key("Cargo.toml") {
                eprintln!(
                    "note: the crate that declares this module tree (`mod {};`) needs in its Cargo.toml:\n{}",
                    out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "api".into()),
                    output.dependencies().trim_end()
                );
            }
            println!(
                "wrote {}: {} files ({} changed, {} removed), {} warning(s)",
                out.display(),
                output.files().len(),
                w.changed,
                w.removed,
                output.warnings().len()
            );
            Ok(())
        }
        Command::Init { input, out, crate_name } => {
            if let Some(name) = &crate_name {
                codegen::validate_crate_name(name).map_err(|m| Failure::usage(format!("error: {m}")))?;
            }
            let path = Path::new(Config::FILE_NAME);
            if path.exists() {
                return Err(Failure::usage(format!(
                    "error: {} already exists; codegen init never replaces it",
                    path.display()
                )));
            }
            let out = out.unwrap_or_else(|| crate_name.clone().unwrap_or_else(|| "src/api".to_owned()));
            let text = Config::template(&input, Some(&out), crate_name.as_deref());
            std::fs::write(path, text).map_err(|source| Error::Io { path: path.to_owned(), source })?;
            let edit = if input.is_empty() { "edit `inputs`, then run" } else { "now run" };
            println!("wrote {}: {edit} `{} generate`", path.display(), program());
            Ok(())
        }
        Command::Operations { filter, input, config, depth, select, read } => {
            let builder = if input.is_empty() {
                Builder::from_config(config_path(config, "--input FILE...")?)?
            } else {
                inputs_builder(&input)
            };
            let builder = read.apply(builder);
            // The options add to the settings file's selection.
            let mut selection = builder.selection().clone();
            selection.extend(select.selection());
            let builder = builder.select(selection);
            let (model, mut warnings) = builder.selected_model()?;
            let plan = codegen::plan::build_with(&model, builder.plan_settings(), &mut warnings);
            warnings.sort();
            print_warnings(&warnings);
            let filter = filter.map(|f| f.to_lowercase());
            let mut shown = 0usize;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut closed = false;
            // Streamed: a deep walk of a large service is millions of lines, never held at once.
            // A closed pipe (`| head`) ends the output quietly.
            codegen::plan::paths::listing_each(&plan, depth, &mut |e| {
                if closed {
                    return;
                }
                if let Some(f) = &filter {
                    if !e.template.to_lowercase().contains(f) && !e.call.to_lowercase().contains(f) {
                        return;
                    }
                }
                shown += 1;
                use std::io::Write;
                closed = writeln!(stdout, "{:<6} {}  ->  {}", e.method, e.template, e.call).is_err();
            });
            use std::io::Write;
            if closed || stdout.flush().is_err() {
                return Ok(());
            }
            if model.containers.is_empty() && model.path_operations.is_empty() {
                eprintln!("note: the model has no entity container and no path operations, so the client has no operations");
            } else if shown == 0 {
                eprintln!("no operations match (depth {depth})");
            }
            Ok(())
        }
    }
}

/// The fix for a refused write: revert, choose another directory, or `--force` (unless it
/// would not help).
fn conflict_fix(conflicts: &codegen::Conflicts, rerun: &str) -> String {
    if conflicts.forcing_does_not_help() {
        return "fix: replace the symbolic links with real directories or files, or choose another output directory"
            .to_owned();
    }
    let force = format!("`{rerun} --force`");
    if !conflicts.not_ours.is_empty() {
        format!(
            "fix: choose a new or empty output directory, or run {force} to write into this one \
             (files codegen did not write are never removed, and a Cargo.toml it did not write is kept)"
        )
    } else {
        format!(
            "fix: revert the changes listed (or move them out of the generated files), or run {force} to overwrite them \
             (files codegen did not write are never removed)"
        )
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Message(message, code)) => {
            eprintln!("{message}");
            ExitCode::from(code)
        }
        Err(Failure::Codegen(Error::Conflict(conflicts))) => {
            eprintln!("{conflicts}");
            eprintln!("{}", conflict_fix(&conflicts, &command_line("--force", "")));
            ExitCode::from(1)
        }
        Err(Failure::Codegen(e @ Error::Manifest { .. })) => {
            eprintln!("{e}");
            eprintln!(
                "fix: restore the manifest, delete it (codegen then treats the directory as not its own), \
                 or run `{}` to take the directory over",
                command_line("--force", "--force")
            );
            ExitCode::from(1)
        }
        Err(Failure::Codegen(e @ Error::CrateName { .. })) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(Failure::Codegen(e)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
