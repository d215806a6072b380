//! `cargo doc` of a generated crate prints no warnings, with and without its `reqwest`
//! feature: descriptions from metadata and docs pages are escaped for rustdoc, and the
//! runtime templates' intra-doc links resolve whatever features are on.

use std::path::PathBuf;

use codegen_tests::{fixtures, generated_crates};

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
    generated_crates::write(&output, &dir);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    let env = [("RUSTDOCFLAGS", "-D warnings")];
    for features in [&["doc", "--no-deps"][..], &["doc", "--no-deps", "--features", "reqwest"]] {
        generated_crates::cargo_clean(&dir, &target, features, &env, "the generated synchronization crate");
    }
}
