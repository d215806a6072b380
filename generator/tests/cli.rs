//! The `codegen` binary: exit codes, `--check`, determinism, and that a failed run leaves the
//! previous output untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(rel)
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).output().expect("runs codegen")
}

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            if entry.path().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

fn generate(inputs: &[PathBuf], out: &Path) -> Output {
    let mut args = vec!["generate".to_owned(), "--input".to_owned()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend([
        "--out".to_owned(),
        out.display().to_string(),
        "--crate-name".to_owned(),
        "fixture".to_owned(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    codegen(&args)
}

#[test]
fn two_runs_produce_byte_identical_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [fixture("models/multi_schema/a.csdl.xml"), fixture("models/multi_schema/b.csdl.xml")];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(generate(&inputs, &a).status.success());
    assert!(generate(&inputs, &b).status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 3, "{:?}", ta.keys());
    assert_eq!(ta, tb);
}

#[test]
fn check_reports_stale_output_with_exit_code_1() {
    let tmp = tempfile::tempdir().unwrap();
    let input = fixture("models/enums/enums.csdl.xml");
    let out = tmp.path().join("crate");
    assert!(generate(std::slice::from_ref(&input), &out).status.success());
    let check = |out: &Path| {
        codegen(&[
            "generate",
            "--input",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "fixture",
            "--check",
        ])
    };
    assert!(check(&out).status.success());
    std::fs::write(out.join("src/lib.rs"), "// edited\n").unwrap();
    std::fs::write(out.join("src/stray.rs"), "// not generated\n").unwrap();
    let stale = check(&out);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("changed: src/lib.rs"), "{stderr}");
    assert!(stderr.contains("orphaned: src/stray.rs"), "{stderr}");
    // --check wrote nothing.
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), "// edited\n");
}

#[test]
fn a_failed_run_exits_non_zero_and_leaves_the_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    assert!(generate(&[fixture("models/enums/enums.csdl.xml")], &out).status.success());
    let before = tree(&out);
    for case in [
        "malformed_xml/broken.csdl.xml",
        "missing_type/missing_type.csdl.xml",
        "base_type_cycle/base_type_cycle.csdl.xml",
        "duplicate_type/duplicate_type.csdl.xml",
    ] {
        let run = generate(&[fixture(&format!("errors/{case}"))], &out);
        assert_eq!(run.status.code(), Some(1), "{case}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let file = case.split('/').next_back().unwrap();
        assert!(stderr.contains(&format!("{file}:")) && stderr.contains(": error: "), "{case}: {stderr}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        assert_eq!(tree(&out), before, "{case} changed the output");
    }
}

#[test]
fn an_unreadable_input_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = generate(&[tmp.path().join("nope.xml")], &tmp.path().join("out"));
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("nope.xml"));
    assert!(!tmp.path().join("out").exists());
}
