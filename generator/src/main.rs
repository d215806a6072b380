//! `codegen`: the command-line front end. It only maps arguments onto [`codegen::Builder`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{Builder, Config, Error, Layout};

/// Generates typed Rust crates from OData CSDL metadata.
#[derive(Parser)]
#[command(name = "codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print every operation the generated crate exposes: `METHOD /url/template  ->  rust call`.
    Operations {
        /// Metadata files (CSDL XML).
        #[arg(long, num_args = 1.., required = true)]
        input: Vec<PathBuf>,
        /// How many navigation steps to follow from each entity set or singleton.
        #[arg(long, default_value_t = 4)]
        depth: usize,
    },
    /// Generate a crate. With no arguments, regenerates `generated/` from `generated/codegen.toml`.
    Generate {
        /// A settings file (default: `generated/codegen.toml` of this checkout).
        #[arg(long, conflicts_with_all = ["input", "out", "crate_name"])]
        config: Option<PathBuf>,
        /// Metadata files (CSDL XML); the format is detected from the content.
        #[arg(long, num_args = 1.., requires = "out")]
        input: Vec<PathBuf>,
        /// Output directory of the crate written from `--input`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Package name of the crate (default: the output directory's name).
        #[arg(long)]
        crate_name: Option<String>,
        /// Report whether the output on disk is stale, without writing (exit 1 when stale).
        #[arg(long)]
        check: bool,
    },
}

/// `generated/codegen.toml` of the checkout: looked for from the current directory up, then
/// beside this package's sources.
fn default_config() -> PathBuf {
    let rel = Path::new("generated").join("codegen.toml");
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(dir) = cwd.ancestors().find(|d| d.join(&rel).is_file()) {
            return dir.join(&rel);
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn crate_name_for(dir: &Path) -> String {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if name.is_empty() {
        "generated".to_owned()
    } else {
        name
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let (config, input, out, crate_name, check) = match cli.command {
        Command::Generate { config, input, out, crate_name, check } => {
            (config, input, out, crate_name, check)
        }
        Command::Operations { input, depth } => {
            let (model, _) = input.iter().fold(Builder::new(), |b, i| b.input(i)).generate_model()?;
            for e in codegen::model::paths::listing(&model, depth) {
                println!("{:<6} {}  ->  {}", e.method, e.template, e.call);
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let (builder, out) = match out {
        Some(out) => {
            let name = crate_name.unwrap_or_else(|| crate_name_for(&out));
            let builder = input.iter().fold(Builder::new(), |b, i| b.input(i)).layout(Layout::Crate { name });
            (builder, out)
        }
        None => {
            let path = config.unwrap_or_else(default_config);
            let out = Config::load(&path)?.out_dir(&path);
            (Builder::from_config(&path)?, out)
        }
    };
    let output = builder.generate()?;
    for warning in output.warnings().iter() {
        eprintln!("{warning}");
    }
    if check {
        output.check(&out)?;
        println!("{} is up to date ({} files)", out.display(), output.files().len());
    } else {
        let w = output.write_to(&out)?;
        println!(
            "wrote {}: {} files ({} changed, {} removed), {} warning(s)",
            out.display(),
            output.files().len(),
            w.changed,
            w.removed,
            output.warnings().len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(Error::Stale(stale)) => {
            eprint!("{stale}");
            eprintln!("fix: run `cargo codegen generate` and commit the result");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
