//! The whole of Microsoft Graph v1.0 generates, and the generated crate compiles and documents
//! without warnings, with all its area features (the default), with one area and with none.
//! Needs `../shared/graph/v1.0/metadata.xml` beside the checkout; skips (saying so) without it.

use std::path::PathBuf;

use codegen_tests::{fixtures, generated_crates};

#[test]
fn graph_v1_generates_and_compiles() {
    let Some(metadata) = fixtures::shared("graph/v1.0/metadata.xml") else {
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let out = tmp.join("graph-v1");
    let builder = codegen::Builder::new()
        .input(&metadata)
        .layout(codegen::Layout::Crate { name: "graph-v1".into() })
        .area_features(true);
    let output = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    // Deterministic at full scale: a second run gives the same bytes.
    let again = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.files() == again.files(), "two runs over Graph v1.0 differ");
    assert!(output.files().len() > 3000, "{} files", output.files().len());
    generated_crates::write(&output, &out);
    // One target directory for every generated crate the tests build.
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    // The generated code has no warnings, with the transport and the README's example, nor
    // has its documentation (every description from the metadata is escaped for rustdoc).
    generated_crates::add_readme_example(&out);
    let check = ["check", "--all-targets", "--features", "reqwest"];
    generated_crates::cargo_clean(&out, &target, &check, &[], "the generated Graph v1.0 crate");
    // One area (what a program that lists users enables), and none.
    let users = ["check", "--no-default-features", "--features", "users,reqwest"];
    generated_crates::cargo_clean(&out, &target, &users, &[], "the Graph v1.0 crate with `users` only");
    let none = ["check", "--no-default-features"];
    generated_crates::cargo_clean(&out, &target, &none, &[], "the Graph v1.0 crate without features");
    let doc = ["doc", "--no-deps"];
    generated_crates::cargo_clean(
        &out,
        &target,
        &doc,
        &[("RUSTDOCFLAGS", "-D warnings")],
        "the Graph v1.0 crate",
    );
    // The rendered pages (700 MB) have been checked; they need not stay on the disk.
    std::fs::remove_dir_all(target.join("doc")).unwrap();
}
