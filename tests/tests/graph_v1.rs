//! The whole of Microsoft Graph v1.0 generates, and the generated crate compiles.
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
    output.write_to(&out).unwrap();
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
}
