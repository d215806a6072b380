//! `cargo doc` of a generated crate prints no warnings, with and without its `reqwest`
//! feature: descriptions from metadata and docs pages are escaped for rustdoc, and the
//! runtime templates' intra-doc links resolve whatever features are on.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen_tests::fixtures;

#[test]
fn generated_crate_docs_build_without_warnings() {
    let root = fixtures::root().join("..");
    let output = codegen::Builder::new()
        .input(root.join("generated/metadata/synchronization.csdl.xml"))
        .input(root.join("generated/docs"))
        .layout(codegen::Layout::Crate { name: "graph-synchronization-docs".into() })
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("graph-synchronization-docs");
    write_fresh(&dir, output.files());
    // Pin dependency versions to the workspace's, so the build needs no resolution.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    for features in [&[][..], &["--features", "reqwest"][..]] {
        let output = Command::new(env!("CARGO"))
            .args(["doc", "--no-deps", "--quiet"])
            .args(features)
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            // One target directory for every generated crate the tests build.
            .env("CARGO_TARGET_DIR", tmp.join("generated-crates-target"))
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("runs cargo");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "cargo doc {features:?} of the generated crate failed:\n{stderr}");
        // Quiet cargo prints only diagnostics: the generated docs must have none.
        assert!(
            !stderr.contains("warning"),
            "cargo doc {features:?} of the generated crate warns:\n{stderr}"
        );
    }
}

/// Writes `files` (relative path → content) into `dir`, emptied first.
fn write_fresh(dir: &Path, files: &std::collections::BTreeMap<String, String>) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}
