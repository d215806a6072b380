//! README.md is true: every Rust block in it is compiled or checked against the code it shows,
//! its build.rs recipe builds verbatim in a crate outside the workspace, and a generated
//! crate's own README example compiles.

use std::path::PathBuf;

use codegen_tests::{fixtures, generated_crates};

/// A fenced block of README.md: its info string, its text, and the `readme-check` marker
/// in the line before it.
struct Block {
    info: String,
    text: String,
    check: Option<String>,
    line: usize,
}

fn checkout() -> PathBuf {
    fixtures::root().join("..")
}

fn readme_blocks() -> Vec<Block> {
    let readme = std::fs::read_to_string(checkout().join("README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut lines = readme.lines().enumerate().peekable();
    let mut previous = "";
    while let Some((i, line)) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let mut text = String::new();
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                text.push_str(l);
                text.push('\n');
            }
            let check = previous
                .trim()
                .strip_prefix("<!-- readme-check:")
                .and_then(|m| m.strip_suffix("-->"))
                .map(|m| m.trim().to_owned());
            blocks.push(Block { info: info.trim().to_owned(), text, check, line: i + 1 });
            previous = "";
        } else {
            previous = line;
        }
    }
    blocks
}

fn recipe(name: &str) -> String {
    let wanted = format!("recipe {name}");
    readme_blocks()
        .into_iter()
        .find(|b| b.check.as_deref() == Some(wanted.as_str()))
        .unwrap_or_else(|| panic!("README.md has no block marked `{wanted}`"))
        .text
}

#[test]
fn every_rust_block_of_the_readme_is_checked() {
    let blocks = readme_blocks();
    // rustdoc compiles a fence without a language as Rust: every block must say what it is.
    for b in &blocks {
        assert!(!b.info.is_empty(), "README.md:{}: a code block without a language", b.line);
    }
    let rust: Vec<Block> = blocks.into_iter().filter(|b| b.info.starts_with("rust")).collect();
    assert!(rust.len() >= 5, "{} Rust blocks", rust.len());
    for b in rust {
        let check = b.check.as_deref().unwrap_or_else(|| {
            panic!("README.md:{}: a Rust block without a `<!-- readme-check: ... -->` marker", b.line)
        });
        let ignored = b.info.split(',').any(|w| w == "ignore");
        // Blocks that are not ignored are doctests (tests/src/lib.rs includes the README);
        // ignored ones must be checked here.
        let checked_here = check.starts_with("excerpt of ") || check == "recipe src/lib.rs";
        assert_eq!(ignored, checked_here, "README.md:{}: `{}` with marker `{check}`", b.line, b.info);
    }
}

#[test]
fn readme_excerpts_are_lines_of_the_generated_code_in_order() {
    let mut seen = 0;
    for b in readme_blocks() {
        let Some(file) = b.check.as_deref().and_then(|c| c.strip_prefix("excerpt of ")) else { continue };
        seen += 1;
        let code = std::fs::read_to_string(checkout().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut code_lines = code.lines().map(str::trim);
        for wanted in b.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(
                code_lines.any(|l| l == wanted),
                "README.md:{}: `{wanted}` is not in {file} (after the lines before it)",
                b.line
            );
        }
    }
    assert!(seen >= 1);
}

#[test]
fn readme_quickstart_is_the_compiled_example() {
    let b = readme_blocks()
        .into_iter()
        .find(|b| b.check.as_deref() == Some("same as generated/examples/quickstart.rs"))
        .expect("the quickstart block");
    let example = std::fs::read_to_string(checkout().join("generated/examples/quickstart.rs")).unwrap();
    assert!(
        example.ends_with(&b.text),
        "README.md:{}: the block differs from generated/examples/quickstart.rs",
        b.line
    );
}

/// One target directory for every crate these tests build outside the workspace.
fn target_dir() -> PathBuf {
    generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"))
}

#[test]
fn readme_build_rs_recipe_builds_verbatim_outside_the_workspace() {
    // tmp/codegen is "your clone" (the checkout), tmp/app the crate of the recipe.
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(checkout().canonicalize().unwrap(), tmp.path().join("codegen")).unwrap();
    let app = tmp.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::create_dir_all(app.join("metadata")).unwrap();
    let manifest = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{}",
        recipe("Cargo.toml")
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(app.join("build.rs"), recipe("build.rs")).unwrap();
    // The recipe's library, and a use of what it promises at the module's root.
    let lib = format!(
        "{}\n#[cfg(feature = \"reqwest\")]\npub fn client() -> service::Client {{\n    \
         service::Client::new(\"https://example.com/odata\", service::ReqwestTransport::new())\n}}\n\
         pub fn person() -> service::Person {{\n    service::Person::default()\n}}\n",
        recipe("src/lib.rs")
    );
    std::fs::write(app.join("src/lib.rs"), lib).unwrap();
    let metadata = app.join("metadata/service.csdl.xml");
    std::fs::copy(fixtures::root().join("fixtures/models/people/people.csdl.xml"), &metadata).unwrap();
    generated_crates::pin_versions(&app);

    for args in [&["check", "--features", "reqwest"][..], &["check"]] {
        generated_crates::cargo_clean(&app, &target_dir(), args, &[], "the README's build.rs recipe");
    }

    // Bad metadata: the build fails with the located errors, not a panic or a Debug dump.
    std::fs::write(
        &metadata,
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<broken\n",
    )
    .unwrap();
    let run = generated_crates::cargo(&app, &target_dir(), &["check"], &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("metadata/service.csdl.xml:") && stderr.contains(": error[E0201]: "), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("Diagnostics {"), "{stderr}");
}

#[test]
fn a_generated_crates_readme_example_compiles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("people-api");
    let case = fixtures::root().join("fixtures/models/people");
    let output = fixtures::builder(&case)
        .layout(codegen::Layout::Crate { name: "people-api".into() })
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    generated_crates::write(&output, &out);
    let example = generated_crates::add_readme_example(&out);
    assert!(example.contains("use people_api::{Client, Error, ReqwestTransport};"), "{example}");
    let args = ["check", "--example", "readme", "--features", "reqwest"];
    generated_crates::cargo_clean(&out, &target_dir(), &args, &[], "the generated README's example");
}

#[test]
fn a_module_tree_builds_in_a_binary_crate_with_the_dependencies_codegen_names() {
    // `cargo new app`, `mod api;` in main.rs, the dependencies `codegen::DEPENDENCIES` lists
    // (what the CLI prints when it first writes a module tree).
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{}",
        codegen::DEPENDENCIES
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        "mod api;\n\nfn main() {\n    let _ = api::Person::default();\n}\n",
    )
    .unwrap();
    let output = fixtures::builder(&fixtures::root().join("fixtures/models/people"))
        .layout(codegen::Layout::Module)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    generated_crates::write(&output, &app.join("src/api"));
    generated_crates::pin_versions(&app);
    generated_crates::cargo_clean(
        &app,
        &target_dir(),
        &["check"],
        &[],
        "a binary crate holding a module tree",
    );
}
