//! The whole of Microsoft Graph v1.0 generates, and the generated crate compiles and documents
//! without warnings.
//! Needs `../shared/graph/v1.0/metadata.xml` beside the checkout; skips (saying so) without it.

use std::path::PathBuf;
use std::process::Command;

use codegen_tests::fixtures;

#[test]
fn graph_v1_generates_and_compiles() {
    let Some(metadata) = fixtures::shared("graph/v1.0/metadata.xml") else {
        return;
    };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let out = tmp.join("graph-v1");
    let builder =
        codegen::Builder::new().input(&metadata).layout(codegen::Layout::Crate { name: "graph-v1".into() });
    let output = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    // Deterministic at full scale: a second run gives the same bytes.
    let again = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.files() == again.files(), "two runs over Graph v1.0 differ");
    assert!(output.files().len() > 3000, "{} files", output.files().len());
    // The test's own scratch directory: Force also takes over one left by an older version.
    output.write_to_with(&out, codegen::Overwrite::Force).unwrap_or_else(|e| panic!("{e}"));
    // Pin dependency versions to the workspace's, so the check needs no resolution.
    let lock = fixtures::root().join("../Cargo.lock");
    std::fs::copy(lock, out.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        // One target directory for every generated crate the tests check.
        .env("CARGO_TARGET_DIR", tmp.join("generated-crates-target"))
        .output()
        .expect("runs cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo check of the generated Graph v1.0 crate failed:\n{stderr}");
    // Quiet cargo prints only diagnostics: the generated code must have none.
    assert!(!stderr.contains("warning"), "the generated Graph v1.0 crate has warnings:\n{stderr}");
    // Its documentation builds cleanly too: every description from the metadata is escaped
    // for rustdoc. Same target directory and RUSTFLAGS, so the check's artefacts are reused.
    let output = Command::new(env!("CARGO"))
        .args(["doc", "--no-deps", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", tmp.join("generated-crates-target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("runs cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo doc of the generated Graph v1.0 crate failed:\n{stderr}");
    assert!(!stderr.contains("warning"), "cargo doc of the generated Graph v1.0 crate warns:\n{stderr}");
}
