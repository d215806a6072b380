//! Directory walks over inputs: symbolic links neither loop nor read a file twice, and a
//! generated crate inside an input directory (it holds a `.codegen-manifest`) is not read back.

#![cfg(unix)]

use std::path::Path;

use codegen::{Builder, Error, Layout};
use codegen_tests::fixtures;

fn copy_enums(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(fixtures::root().join("fixtures/models/enums/enums.csdl.xml"), dir.join("enums.csdl.xml"))
        .unwrap();
}

fn generate(builder: Builder) -> codegen::Output {
    match builder.generate() {
        Ok(out) => out,
        Err(Error::Invalid(diags)) => panic!("generation failed:\n{diags}"),
        Err(e) => panic!("generation failed: {e}"),
    }
}

fn warnings(out: &codegen::Output) -> Vec<String> {
    out.warnings().iter().map(|d| d.to_string()).collect()
}

/// What generating from the fixture file alone gives, to compare the walks with.
fn expected() -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    copy_enums(dir.path());
    code(&generate(Builder::new().input(dir.path().join("enums.csdl.xml")).source_label("enums")))
}

/// The generated files but the lock file (which names a directory input differently from a
/// file) and the manifest (which lists its hash).
fn code(out: &codegen::Output) -> std::collections::BTreeMap<String, String> {
    let mut files = out.files().clone();
    files.remove(codegen::LOCK).expect("the output has a lock file");
    files.remove(codegen::MANIFEST);
    files
}

/// The files of directory inputs the lock file records (the walk's reads), by path.
fn locked_files(out: &codegen::Output) -> Vec<String> {
    out.files()[codegen::LOCK]
        .lines()
        .filter_map(|l| l.strip_prefix("path = \"")?.strip_suffix('"').map(str::to_owned))
        .collect()
}

#[test]
fn the_same_file_read_twice_does_not_generate_the_same_files() {
    // What the tests below rule out is visible: two reads of one schema do not go unnoticed.
    let dir = tempfile::tempdir().unwrap();
    copy_enums(dir.path());
    let file = dir.path().join("enums.csdl.xml");
    let twice = Builder::new().input(&file).input(&file).source_label("enums").generate();
    assert!(
        !matches!(&twice, Ok(out) if code(out) == expected() && out.warnings().is_empty()),
        "reading a file twice must show in the result for these tests to mean anything"
    );
}

#[test]
fn a_symlink_loop_reads_each_file_once_and_generates() {
    let dir = tempfile::tempdir().unwrap();
    copy_enums(dir.path());
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/up")).unwrap();
    let out = generate(Builder::new().input(dir.path()).source_label("enums"));
    assert!(warnings(&out).is_empty(), "{:?}", warnings(&out));
    assert!(code(&out) == expected(), "the walk read something other than the file once");
    assert_eq!(locked_files(&out), ["enums.csdl.xml"]);
}

#[test]
fn a_directory_symlink_to_a_sibling_does_not_duplicate_its_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_enums(&dir.path().join("a"));
    std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
    // A file linked beside the directory it is in is the same file too.
    std::os::unix::fs::symlink("a/enums.csdl.xml", dir.path().join("c.csdl.xml")).unwrap();
    let out = generate(Builder::new().input(dir.path()).source_label("enums"));
    assert!(warnings(&out).is_empty(), "{:?}", warnings(&out));
    assert!(code(&out) == expected(), "the walk read something other than the file once");
    // Once, under the name the walk reaches first (a directory's files before its subdirectories').
    assert_eq!(locked_files(&out), ["c.csdl.xml"]);
}

#[test]
fn an_output_crate_inside_the_input_directory_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    copy_enums(dir.path());
    let builder = Builder::new().input(dir.path()).layout(Layout::Crate { name: "x".into() });
    let first = generate(builder.clone());
    assert!(first.files().contains_key("README.md"), "{:?}", first.files().keys());
    first.write_to(dir.path().join("out")).unwrap();
    assert!(dir.path().join("out/.codegen-manifest").is_file());
    let second = generate(builder);
    let about_out: Vec<String> = warnings(&second).into_iter().filter(|w| w.contains("out/")).collect();
    assert!(about_out.is_empty(), "{about_out:?}");
    assert!(second.files() == first.files());
}

#[test]
fn a_directory_given_as_input_is_read_even_when_it_holds_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    copy_enums(dir.path());
    std::fs::write(dir.path().join(".codegen-manifest"), "").unwrap();
    let out = generate(Builder::new().input(dir.path()).source_label("enums"));
    assert!(code(&out) == expected());
}
