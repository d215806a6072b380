//! The `codegen` binary: exit codes, `--check`, determinism, that a failed run leaves the
//! previous output untouched, that it never destroys files it did not write, and that it
//! stands alone outside this checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(rel)
}

fn codegen(args: &[&str]) -> Output {
    codegen_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs the binary as an installed one would run: from `cwd`, wherever the checkout is.
fn codegen_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).current_dir(cwd).args(args).output().expect("runs codegen")
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
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

fn generate_args(inputs: &[PathBuf], out: &Path) -> Vec<String> {
    let mut args = vec!["generate".to_owned(), "--input".to_owned()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend([
        "--out".to_owned(),
        out.display().to_string(),
        "--crate-name".to_owned(),
        "fixture".to_owned(),
    ]);
    args
}

fn generate(inputs: &[PathBuf], out: &Path) -> Output {
    generate_with(inputs, out, &[])
}

/// `generate` with more arguments (`--force`, `--check`).
fn generate_with(inputs: &[PathBuf], out: &Path, more: &[&str]) -> Output {
    let mut args = generate_args(inputs, out);
    args.extend(more.iter().map(|a| a.to_string()));
    codegen(&args.iter().map(String::as_str).collect::<Vec<_>>())
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
    // A file of the user's beside the generated ones is theirs, not staleness.
    std::fs::write(out.join("src/stray.rs"), "// not generated\n").unwrap();
    let stale = check(&out);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("changed: src/lib.rs"), "{stderr}");
    assert!(!stderr.contains("stray.rs"), "{stderr}");
    // A write would be refused (the edit is not codegen's): the fix says so, and names the
    // command that was run, without --check.
    assert!(stderr.contains("edited since codegen wrote it: src/lib.rs"), "{stderr}");
    let rerun = format!(
        "codegen generate --input {} --out {} --crate-name fixture --force",
        input.display(),
        out.display()
    );
    assert!(stderr.contains("fix: revert the changes listed") && stderr.contains(&rerun), "{stderr}");
    // --check wrote nothing.
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), "// edited\n");
}

#[test]
fn check_reports_files_an_earlier_run_wrote_that_the_inputs_no_longer_produce() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    assert!(generate(&[fixture("models/enums/enums.csdl.xml")], &out).status.success());
    let run = generate_with(&[fixture("models/people/people.csdl.xml")], &out, &["--check"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("orphaned: src/"), "{}", stderr(&run));
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
        "invalid_names/invalid_names.csdl.xml",
        "invalid_names_json/invalid_names.json",
        "duplicate_members/duplicate_members.csdl.xml",
        "invalid_key/invalid_key.csdl.xml",
    ] {
        let run = generate(&[fixture(&format!("errors/{case}"))], &out);
        assert_eq!(run.status.code(), Some(1), "{case}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let file = case.split('/').next_back().unwrap();
        assert!(stderr.contains(&format!("{file}:")) && stderr.contains(": error[E"), "{case}: {stderr}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        assert_eq!(tree(&out), before, "{case} changed the output");
    }
}

#[test]
fn a_failed_run_on_bad_openapi_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let shop = [fixture("models/openapi_shop/shop.yaml"), fixture("models/openapi_shop/common.yaml")];
    assert!(generate(&shop, &out).status.success());
    let before = tree(&out);
    // Invalid YAML, invalid JSON, a dangling `$ref`, an `allOf` cycle, a keyword of the
    // wrong type, a remote `$ref`, Swagger 2.0: each located, naming the JSON pointer.
    for (case, code) in [
        ("openapi_malformed_yaml/api.yaml", "E0801"),
        ("openapi_duplicate_key_json/api.json", "E0801"),
        ("openapi_dangling_ref/api.yaml", "E0804"),
        ("openapi_allof_cycle/api.yaml", "E0806"),
        ("openapi_wrong_keyword_type/api.yaml", "E0803"),
        ("openapi_remote_ref/api.yaml", "E0805"),
        ("openapi_swagger2/api.yaml", "E0802"),
        ("openapi_dot_segment/api.yaml", "E0810"),
    ] {
        let run = generate(&[fixture(&format!("errors/{case}"))], &out);
        assert_eq!(run.status.code(), Some(1), "{case}");
        let stderr = stderr(&run);
        let file = case.split('/').next_back().unwrap();
        assert!(
            stderr.contains(&format!("{file}:")) && stderr.contains(&format!(": error[{code}]")),
            "{case}: {stderr}"
        );
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

/// A crate of the user's: their manifest, their program, a file of their own.
fn users_crate(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"mine\"\n\n[dependencies]\nanyhow = \"1\"\n")
        .unwrap();
    std::fs::write(dir.join("src/main.rs"), "fn main() { println!(\"mine\"); }\n").unwrap();
    std::fs::write(dir.join("NOTES.txt"), "my notes\n").unwrap();
}

#[test]
fn generating_into_a_users_crate_fails_without_changing_a_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    users_crate(&proj);
    let before = tree(&proj);
    let run = generate(&[fixture("models/enums/enums.csdl.xml")], &proj);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("refusing to write into") && err.contains("Cargo.toml") && err.contains("src/"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(tree(&proj), before);
}

#[test]
fn force_writes_into_a_users_crate_but_keeps_their_cargo_toml_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    users_crate(&proj);
    let before = tree(&proj);
    let run = generate_with(&[fixture("models/enums/enums.csdl.xml")], &proj, &["--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("kept") && stderr(&run).contains("Cargo.toml"), "{}", stderr(&run));
    let after = tree(&proj);
    // Every file of the user's is still there, byte for byte; the generated ones were added.
    for (file, bytes) in &before {
        assert_eq!(after.get(file), Some(bytes), "{file}");
    }
    assert!(after.contains_key("src/lib.rs") && after.contains_key(".codegen-manifest"));
    // The directory is now the generator's: a plain rerun succeeds and still keeps them.
    let run = generate(&[fixture("models/enums/enums.csdl.xml")], &proj);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(tree(&proj), after);
}

#[test]
fn a_generated_file_the_user_edited_is_reported_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let input = [fixture("models/enums/enums.csdl.xml")];
    assert!(generate(&input, &out).status.success());
    std::fs::write(out.join("src/lib.rs"), "// my edit\n").unwrap();
    let before = tree(&out);
    let run = generate(&input, &out);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("edited since codegen wrote it: src/lib.rs"), "{}", stderr(&run));
    assert_eq!(tree(&out), before);
    // --force overwrites it, and says so.
    let run = generate_with(&input, &out, &["--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("overwrote 1 file(s)") && stderr(&run).contains("src/lib.rs"),
        "{}",
        stderr(&run)
    );
    assert_ne!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), "// my edit\n");
}

#[test]
fn files_the_inputs_no_longer_produce_are_removed_only_while_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    assert!(generate(&[fixture("models/enums/enums.csdl.xml")], &out).status.success());
    let enums = tree(&out);
    // A file of the user's added to the generated tree is theirs.
    std::fs::write(out.join("src/mine.rs"), "// mine\n").unwrap();
    // An edited generated file that the next inputs do not produce blocks the run...
    let people = [fixture("models/people/people.csdl.xml")];
    let reference = tmp.path().join("reference");
    assert!(generate(&people, &reference).status.success());
    let reference = tree(&reference);
    let edited =
        enums.keys().find(|f| !reference.contains_key(*f)).expect("a file only enums produce").clone();
    std::fs::write(out.join(&edited), "// edited\n").unwrap();
    let run = generate(&people, &out);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains(&format!("(the inputs no longer produce it): {edited}")),
        "{}",
        stderr(&run)
    );
    // ...and with --force it is kept, not removed; the other stale files are removed.
    let run = generate_with(&people, &out, &["--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let after = tree(&out);
    assert_eq!(after.get(&edited).map(Vec::as_slice), Some(&b"// edited\n"[..]));
    assert_eq!(after.get("src/mine.rs").map(Vec::as_slice), Some(&b"// mine\n"[..]));
    let removed = enums.keys().filter(|f| !after.contains_key(*f)).count();
    assert!(removed > 0, "no stale file was removed");
    // The kept file is no longer the generator's: a later run leaves it alone without --force.
    let run = generate(&people, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(out.join(&edited).exists());
}

#[test]
fn a_manifest_naming_paths_outside_the_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(tmp.path().join("victim.txt"), "keep me\n").unwrap();
    std::fs::write(out.join(".codegen-manifest"), "0000000000000000 ../victim.txt\n").unwrap();
    let run = generate(&[fixture("models/enums/enums.csdl.xml")], &out);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains(".codegen-manifest:1:1: error:"), "{}", stderr(&run));
    assert!(tmp.path().join("victim.txt").exists());
}

/// A directory with no codegen.toml in it or above it (the temporary directory's root is
/// checked to have none).
fn no_config_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let found = tmp.path().ancestors().find(|d| d.join("codegen.toml").exists());
    assert!(
        found.is_none(),
        "{found:?} has a codegen.toml; these tests need a directory without one above it"
    );
    tmp
}

/// Every file of the checkout's generated/ tree, to prove a run elsewhere leaves it alone.
fn checkout_generated() -> BTreeMap<String, Vec<u8>> {
    tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated"))
}

#[test]
fn outside_a_checkout_generate_without_arguments_asks_for_a_codegen_toml() {
    let tmp = no_config_dir();
    let before = checkout_generated();
    let run = codegen_in(tmp.path(), &["generate"]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(err.contains(&format!("error: no codegen.toml in {}", tmp.path().display())), "{err}");
    assert!(err.contains("codegen init") && err.contains("--input"), "{err}");
    assert!(String::from_utf8_lossy(&run.stdout).is_empty());
    // Nothing was written, here or in the checkout the binary was built from.
    assert!(tree(tmp.path()).is_empty());
    assert_eq!(checkout_generated(), before);
}

#[test]
fn init_writes_a_codegen_toml_that_generate_finds_from_a_subdirectory() {
    let tmp = no_config_dir();
    std::fs::create_dir_all(tmp.path().join("metadata/nested")).unwrap();
    std::fs::copy(fixture("models/enums/enums.csdl.xml"), tmp.path().join("metadata/enums.csdl.xml"))
        .unwrap();
    let run = codegen_in(
        tmp.path(),
        &["init", "--input", "metadata/enums.csdl.xml", "--out", "gen", "--crate-name", "enums"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(tmp.path().join("codegen.toml")).unwrap();
    for key in ["inputs", "out", "crate_name"] {
        assert!(text.contains(&format!("{key} = ")), "{key}: {text}");
    }
    // A second init never replaces it.
    let again = codegen_in(tmp.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(tmp.path().join("codegen.toml")).unwrap(), text);
    // generate, run from below, reads it and writes beside it.
    let run = codegen_in(&tmp.path().join("metadata/nested"), &["generate"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(tmp.path().join("gen/Cargo.toml").is_file());
    assert!(tmp.path().join("gen/src/lib.rs").is_file());
    let check = codegen_in(tmp.path(), &["generate", "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn generate_help_documents_every_codegen_toml_key() {
    let run = codegen(&["generate", "--help"]);
    assert!(run.status.success());
    let help = String::from_utf8_lossy(&run.stdout);
    for key in ["inputs", "out", "crate_name"] {
        assert!(help.contains(&format!("  {key} = ")), "{key} missing from\n{help}");
    }
    assert!(!help.contains("generated/"), "help mentions this checkout:\n{help}");
}

#[test]
fn operations_lists_only_what_the_filter_names() {
    let input = fixture("models/operations/operations.csdl.xml");
    let all = codegen(&["operations", "--input", input.to_str().unwrap()]);
    assert!(all.status.success(), "{}", stderr(&all));
    let all = String::from_utf8_lossy(&all.stdout).into_owned();
    let first = all.lines().next().expect("some operations");
    // The first operation's URL template, as a filter, keeps it and drops others.
    let template = first.split_whitespace().nth(1).unwrap();
    let some = codegen(&["operations", "--filter", template, "--input", input.to_str().unwrap()]);
    let some = String::from_utf8_lossy(&some.stdout).into_owned();
    assert!(some.lines().count() >= 1 && some.lines().count() < all.lines().count(), "{some}");
    assert!(some.lines().all(|l| l.to_lowercase().contains(&template.to_lowercase())), "{some}");
    let shallow = codegen(&["operations", "--depth", "0", "--input", input.to_str().unwrap()]);
    let shallow = String::from_utf8_lossy(&shallow.stdout).into_owned();
    assert!(shallow.lines().count() < all.lines().count(), "--depth 0 lists as much as the default");
}

#[test]
fn operations_lists_an_openapi_documents_operations_with_their_calls() {
    let (shop, common) =
        (fixture("models/openapi_shop/shop.yaml"), fixture("models/openapi_shop/common.yaml"));
    let run =
        codegen(&["operations", "--input", shop.to_str().unwrap(), "--input", common.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let listed = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        listed.contains("POST   /orders/{orderId}/notes  ->  client.add_note(order_id, body)"),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 11, "{listed}");
    assert!(!stderr(&run).contains("no operations"), "{}", stderr(&run));
}

#[test]
fn operations_and_generate_take_the_same_selection() {
    let input = fixture("models/operations/operations.csdl.xml");
    let input = input.to_str().unwrap();
    let some = codegen(&["operations", "--input", input, "--include-path", "/orders/**#GET"]);
    assert!(some.status.success(), "{}", stderr(&some));
    let some = String::from_utf8_lossy(&some.stdout).into_owned();
    assert!(!some.is_empty() && some.lines().all(|l| l.starts_with("GET    /orders")), "{some}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("orders");
    let run = codegen(&[
        "generate",
        "--input",
        input,
        "--out",
        out.to_str().unwrap(),
        "--include-path",
        "/orders/**#GET",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub fn orders(") && !lib.contains("pub fn customers("), "{lib}");
    let bad = codegen(&["operations", "--input", input, "--include-path", "orders"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("error[E0701]"), "{}", stderr(&bad));
}

#[test]
fn an_invalid_crate_name_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = fixture("models/enums/enums.csdl.xml");
    let run = codegen(&[
        "generate",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "My Crate",
    ]);
    // A usage error, as clap reports its own.
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).starts_with("error: "), "{}", stderr(&run));
    assert!(stderr(&run).contains("`My Crate` is not a valid crate name"), "{}", stderr(&run));
    assert!(!out.exists());
    // A directory name that is not a crate name asks for --crate-name.
    let bad_dir = tmp.path().join("2 bad");
    let run = codegen(&["generate", "--input", input.to_str().unwrap(), "--out", bad_dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--crate-name"), "{}", stderr(&run));
    assert!(!bad_dir.exists());
}

#[test]
fn check_on_stale_output_suggests_the_command_without_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    assert!(generate(&[fixture("models/enums/enums.csdl.xml")], &out).status.success());
    let people = fixture("models/people/people.csdl.xml");
    let run = generate_with(std::slice::from_ref(&people), &out, &["--check"]);
    assert_eq!(run.status.code(), Some(1));
    let rerun = format!(
        "fix: run `codegen generate --input {} --out {} --crate-name fixture`",
        people.display(),
        out.display()
    );
    assert!(stderr(&run).contains(&rerun), "{}", stderr(&run));
    assert!(generate(&[people], &out).status.success(), "the suggested command works");
}

#[test]
fn an_edited_generated_cargo_toml_becomes_the_users_and_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let input = [fixture("models/enums/enums.csdl.xml")];
    assert!(generate(&input, &out).status.success());
    let mut manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    manifest.push_str("\n[dependencies.anyhow]\nversion = \"1\"\n");
    std::fs::write(out.join("Cargo.toml"), &manifest).unwrap();
    let run = generate(&input, &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("it was edited, so it is yours now"), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(out.join("Cargo.toml")).unwrap(), manifest);
    // From then on it is the crate's own: runs and --check leave it alone, quietly.
    let run = generate(&input, &out);
    assert!(run.status.success() && !stderr(&run).contains("Cargo.toml"), "{}", stderr(&run));
    assert!(generate_with(&input, &out, &["--check"]).status.success());
    assert!(!std::fs::read_to_string(out.join(".codegen-manifest")).unwrap().contains("Cargo.toml"));
}

#[test]
fn nothing_is_written_through_a_symbolic_link_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let input = [fixture("models/enums/enums.csdl.xml")];
    assert!(generate(&input, &out).status.success());
    // Someone replaced the generated src/ with a link to a directory elsewhere.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::rename(out.join("src"), tmp.path().join("old-src")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("src")).unwrap();
    for more in [&[][..], &["--force"]] {
        let run = generate_with(&input, &out, more);
        assert_eq!(run.status.code(), Some(1), "{more:?}");
        assert!(stderr(&run).contains("symbolic link"), "{}", stderr(&run));
        assert!(!stderr(&run).contains("--force`"), "forcing cannot help: {}", stderr(&run));
    }
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "wrote through the link");
}

#[test]
fn output_options_without_their_inputs_are_usage_errors() {
    let tmp = no_config_dir();
    for args in [&["generate", "--crate-name", "x"][..], &["generate", "--out", "x"]] {
        let run = codegen_in(tmp.path(), args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", stderr(&run));
    }
    assert!(tree(tmp.path()).is_empty());
}

/// `--check` of `generate_args(inputs, out)` with `more` (other options than the run that
/// wrote the output).
fn check_with(inputs: &[PathBuf], out: &Path, more: &[&str]) -> Output {
    generate_with(inputs, out, &[&["--check"], more].concat())
}

/// The enums fixture copied into `dir`, to be changed there.
fn copied_enums(dir: &Path) -> PathBuf {
    let input = dir.join("enums.csdl.xml");
    std::fs::copy(fixture("models/enums/enums.csdl.xml"), &input).unwrap();
    input
}

fn assert_up_to_date(run: &Output, out: &Path) {
    assert!(run.status.success(), "{}", stderr(run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains(&format!("{} is up to date", out.display())), "{stdout}");
}

#[test]
fn check_names_an_input_that_changed_since_the_output_was_generated() {
    let tmp = tempfile::tempdir().unwrap();
    let input = copied_enums(tmp.path());
    let out = tmp.path().join("crate");
    assert!(generate(std::slice::from_ref(&input), &out).status.success());
    assert_up_to_date(&check_with(std::slice::from_ref(&input), &out, &[]), &out);
    let csdl = std::fs::read_to_string(&input).unwrap();
    std::fs::write(
        &input,
        csdl.replace(r#"<Member Name="blue" />"#, r#"<Member Name="blue" /><Member Name="cyan" />"#),
    )
    .unwrap();
    let run = check_with(std::slice::from_ref(&input), &out, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    let cause = "  input `enums.csdl.xml` changed since the output was generated\n";
    assert!(err.starts_with(&format!("error: the generated output is stale:\n{cause}")), "{err}");
    // The cause comes before the files it changed; nothing else is blamed.
    let files = err.find("the files that differ").expect("the file list");
    assert!(err.find(cause).unwrap() < files && err[files..].contains("changed: codegen.lock"), "{err}");
    assert!(!err.contains("option `") && !err.contains("edited by hand"), "{err}");
    // A change that generates the same code is still a change of the input the lock records.
    std::fs::write(&input, format!("{csdl}<!-- a comment -->\n")).unwrap();
    let run = check_with(std::slice::from_ref(&input), &out, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(cause) && stderr(&run).contains("  changed: codegen.lock\n"),
        "{}",
        stderr(&run)
    );
    assert!(!stderr(&run).contains("changed: src/"), "{}", stderr(&run));
    // Back to what generated the output: up to date again.
    std::fs::write(&input, &csdl).unwrap();
    assert_up_to_date(&check_with(std::slice::from_ref(&input), &out, &[]), &out);
}

#[test]
fn check_names_an_input_added_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (fixture("models/multi_schema/a.csdl.xml"), fixture("models/multi_schema/b.csdl.xml"));
    let enums = fixture("models/enums/enums.csdl.xml");
    let out = tmp.path().join("crate");
    assert!(generate(&[a.clone(), b.clone()], &out).status.success());
    let run = check_with(&[a.clone(), b.clone(), enums.clone()], &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("  input `enums.csdl.xml` was added since the output was generated\n"), "{err}");
    assert!(!err.contains("csdl.xml` changed") && !err.contains("removed"), "{err}");
    assert!(generate(&[a.clone(), b.clone(), enums], &out).status.success());
    let run = check_with(&[a, b], &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("  input `enums.csdl.xml` was removed since the output was generated\n"), "{err}");
    assert!(!err.contains("csdl.xml` changed") && !err.contains("added"), "{err}");
}

#[test]
fn check_names_an_option_that_changed_with_its_old_and_new_value() {
    let tmp = tempfile::tempdir().unwrap();
    let input = [fixture("models/enums/enums.csdl.xml")];
    let out = tmp.path().join("crate");
    assert!(generate(&input, &out).status.success());
    // `generate_args` names the crate `fixture`.
    let mut args = generate_args(&input, &out);
    *args.last_mut().unwrap() = "other".to_owned();
    args.push("--check".to_owned());
    let run = codegen(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("  option `crate-name` changed: was `\"fixture\"`, now `\"other\"`\n"), "{err}");
    assert!(!err.contains("input `") && !err.contains("edited by hand"), "{err}");

    // A selection given to the run that wrote the output and not to this one.
    let input = fixture("models/operations/operations.csdl.xml");
    let out = tmp.path().join("orders");
    let inputs = std::slice::from_ref(&input);
    assert!(generate_with(inputs, &out, &["--include-path", "/orders/**"]).status.success());
    assert_up_to_date(&check_with(inputs, &out, &["--include-path", "/orders/**"]), &out);
    let run = check_with(inputs, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("  option `include-path` changed: was `[\"/orders/**\"]`, now `[]`\n"), "{err}");
    assert!(!err.contains("option `crate-name`"), "{err}");
}

#[test]
fn check_names_a_generated_file_edited_by_hand_apart_from_the_files_that_would_change() {
    let tmp = tempfile::tempdir().unwrap();
    let input = [fixture("models/enums/enums.csdl.xml")];
    let out = tmp.path().join("crate");
    assert!(generate(&input, &out).status.success());
    let lib = out.join("src/lib.rs");
    std::fs::write(&lib, format!("{}// my edit\n", std::fs::read_to_string(&lib).unwrap())).unwrap();
    let run = check_with(&input, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains(
            "  generated file `src/lib.rs` was edited by hand (its content no longer has the hash .codegen-manifest records)\n"
        ),
        "{err}"
    );
    // Only that file is blamed: the inputs and options are those of the output.
    assert!(!err.contains("input `") && !err.contains("option `"), "{err}");
    assert_eq!(err.matches("was edited by hand").count(), 1, "{err}");
    assert!(err.contains("  changed: src/lib.rs\n"), "{err}");
}

/// 64-bit FNV-1a, as the manifest records hashes.
fn fnv1a(bytes: &[u8]) -> String {
    let h = bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{h:016x}")
}

#[test]
fn check_names_the_generator_version_that_wrote_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = [fixture("models/enums/enums.csdl.xml")];
    let out = tmp.path().join("crate");
    assert!(generate(&input, &out).status.success());
    // What an older codegen would have written: its version in the lock, which the manifest
    // records as codegen's.
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let older = lock.replace(&format!("version = \"{version}\""), "version = \"0.0.1\"");
    assert_ne!(older, lock);
    std::fs::write(out.join("codegen.lock"), &older).unwrap();
    let manifest = std::fs::read_to_string(out.join(".codegen-manifest")).unwrap();
    let manifest = manifest.replace(&fnv1a(lock.as_bytes()), &fnv1a(older.as_bytes()));
    std::fs::write(out.join(".codegen-manifest"), manifest).unwrap();
    let run = check_with(&input, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    let cause = format!(
        "  the generator changed since the output was generated: was `odata-codegen 0.0.1`, now `odata-codegen {version}`\n"
    );
    assert!(err.contains(&cause), "{err}");
    assert!(!err.contains("edited by hand") && !err.contains("input `"), "{err}");
    // A run brings it up to date, without --force: the lock is codegen's own.
    assert!(generate(&input, &out).status.success());
    assert_up_to_date(&check_with(&input, &out, &[]), &out);
}

#[test]
fn check_without_a_readable_lock_lists_the_files_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let input = [fixture("models/enums/enums.csdl.xml")];
    let out = tmp.path().join("crate");
    assert!(generate(&input, &out).status.success());
    // Output of a codegen that wrote no lock file.
    std::fs::remove_file(out.join("codegen.lock")).unwrap();
    let manifest = std::fs::read_to_string(out.join(".codegen-manifest")).unwrap();
    let without: String =
        manifest.lines().filter(|l| !l.ends_with(" codegen.lock")).map(|l| format!("{l}\n")).collect();
    std::fs::write(out.join(".codegen-manifest"), without).unwrap();
    let run = check_with(&input, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("note: the output has no codegen.lock (an older codegen wrote it, or none did)"),
        "{err}"
    );
    assert!(err.contains("  missing: codegen.lock\n") && err.contains("fix: run `"), "{err}");
    // A plain run writes it.
    assert!(generate(&input, &out).status.success());
    assert_up_to_date(&check_with(&input, &out, &[]), &out);

    // A corrupted one is read as missing, with what is wrong, and never panics.
    for garbage in ["version = [\n", "format = 7\n", "\u{0}\u{1}binary"] {
        std::fs::write(out.join("codegen.lock"), garbage).unwrap();
        let run = check_with(&input, &out, &[]);
        assert_eq!(run.status.code(), Some(1), "{garbage:?}");
        let err = stderr(&run);
        assert!(
            err.contains("note: codegen.lock cannot be read (")
                && err.contains("so it is treated as missing"),
            "{err}"
        );
        assert!(err.contains("  changed: codegen.lock\n") && !err.contains("panicked"), "{err}");
        assert!(err.contains("generated file `codegen.lock` was edited by hand"), "{err}");
    }
}

#[test]
fn the_lock_file_names_no_absolute_path_and_is_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [fixture("models/multi_schema/a.csdl.xml"), fixture("models/multi_schema/b.csdl.xml")];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(generate(&inputs, &a).status.success());
    // Another output directory, from another working directory.
    let mut args = generate_args(&inputs, &b);
    args.push("--force".to_owned());
    let run = codegen_in(tmp.path(), &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run.status.success(), "{}", stderr(&run));
    let lock = std::fs::read(a.join("codegen.lock")).unwrap();
    assert_eq!(lock, std::fs::read(b.join("codegen.lock")).unwrap());
    let lock = String::from_utf8(lock).unwrap();
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for absolute in [tmp.path(), checkout] {
        assert!(!lock.contains(absolute.to_str().unwrap()), "{lock}");
    }
    assert!(!lock.contains("\"/"), "an absolute path in\n{lock}");
    for line in ["name = \"a.csdl.xml\"", "name = \"b.csdl.xml\"", "crate-name = \"fixture\"", "format = 1"] {
        assert!(lock.lines().any(|l| l == line), "{line} in\n{lock}");
    }
    assert!(std::fs::read_to_string(a.join(".codegen-manifest")).unwrap().contains(" codegen.lock\n"));
}

#[test]
fn a_lock_from_a_codegen_toml_names_inputs_relative_to_it_and_every_file_of_a_directory() {
    let tmp = no_config_dir();
    std::fs::create_dir_all(tmp.path().join("metadata/more")).unwrap();
    copied_enums(&tmp.path().join("metadata"));
    std::fs::copy(fixture("models/people/people.csdl.xml"), tmp.path().join("metadata/more/people.csdl.xml"))
        .unwrap();
    std::fs::write(
        tmp.path().join("codegen.toml"),
        "inputs = [\"metadata\"]\nout = \"gen\"\ncrate_name = \"svc\"\n",
    )
    .unwrap();
    let run = codegen_in(tmp.path(), &["generate"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lock = std::fs::read_to_string(tmp.path().join("gen/codegen.lock")).unwrap();
    let wanted = "[[input]]\nname = \"metadata\"\ndirectory = true\n\n[[input.file]]\npath = \"enums.csdl.xml\"\nhash = \"fnv1a64:";
    assert!(lock.contains(wanted), "{lock}");
    assert!(lock.contains("[[input.file]]\npath = \"more/people.csdl.xml\"\n"), "{lock}");
    assert!(!lock.contains(tmp.path().to_str().unwrap()), "{lock}");
    // A file changed in the directory is named by its path from the codegen.toml.
    std::fs::write(
        tmp.path().join("metadata/more/people.csdl.xml"),
        std::fs::read_to_string(fixture("models/people/people.csdl.xml")).unwrap() + "<!-- edited -->\n",
    )
    .unwrap();
    let run = codegen_in(&tmp.path().join("metadata"), &["generate", "--check"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run)
            .contains("  input `metadata/more/people.csdl.xml` changed since the output was generated\n"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn paging_rules_from_the_command_line_page_results_and_are_recorded_in_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [fixture("models/openapi_shop/shop.yaml"), fixture("models/openapi_shop/common.yaml")];
    let out = tmp.path().join("shop");
    let rule = r#"{ cursor = "/paging/next", cursor_parameter = "cursor" }"#;
    let run = generate_with(&inputs, &out, &["--paging", rule]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains(r#"request.page_cursor("data", "/paging/next", "cursor")"#), "a page by its cursor");
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    assert!(lock.contains("cursor=/paging/next cursor_parameter=cursor"), "{lock}");
    // Without the rule the options differ: the output is stale.
    let check = generate_with(&inputs, &out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    // A rule that is not one is a usage error that says why; nothing is written.
    let bad = generate_with(&inputs, &tmp.path().join("bad"), &["--paging", r#"{ cursor = "/c" }"#]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("needs `cursor_parameter`"), "{}", stderr(&bad));
    let unknown = generate_with(&inputs, &tmp.path().join("bad"), &["--paging", r#"{ next = "/n" }"#]);
    assert!(stderr(&unknown).contains("unknown field `next`"), "{}", stderr(&unknown));
    assert!(!tmp.path().join("bad").exists());
}

#[test]
fn the_key_style_from_the_command_line_decides_the_url_form_and_is_recorded_in_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [fixture("models/keys/keys.csdl.xml")];
    let out = tmp.path().join("keys");
    let run = generate_with(&inputs, &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let book = std::fs::read_to_string(out.join("src/keys/book.rs")).unwrap();
    assert!(book.contains("KeyStyle::Parentheses"), "the metadata does not say segments:\n{book}");
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    assert!(!lock.contains("key-style"), "unset, it is not recorded (older locks stay fresh):\n{lock}");
    let run = generate_with(&inputs, &out, &["--key-style", "segment"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let book = std::fs::read_to_string(out.join("src/keys/book.rs")).unwrap();
    assert!(book.contains("KeyStyle::Segment"), "{book}");
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    assert!(lock.contains(r#"key-style = "segment""#), "{lock}");
    let check = generate_with(&inputs, &out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "without the setting the output is stale: {}", stderr(&check));
    let bad = generate_with(&inputs, &tmp.path().join("bad"), &["--key-style", "curly"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("expected `parentheses` or `segment`"), "{}", stderr(&bad));
    assert!(!tmp.path().join("bad").exists());
}

#[test]
fn the_batch_format_from_the_command_line_decides_what_batch_writes_and_is_recorded_in_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [fixture("models/keys/keys.csdl.xml")];
    let out = tmp.path().join("keys");
    let client = |out: &Path| std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    let run = generate_with(&inputs, &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(client(&out).contains("BatchFormat::Multipart"), "version 4.0, not annotated:\n{}", client(&out));
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    assert!(!lock.contains("batch-format"), "unset, it is not recorded (older locks stay fresh):\n{lock}");
    let run = generate_with(&inputs, &out, &["--batch-format", "json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(client(&out).contains("BatchFormat::Json"), "{}", client(&out));
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    assert!(lock.contains(r#"batch-format = "json""#), "{lock}");
    let check = generate_with(&inputs, &out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "without the setting the output is stale: {}", stderr(&check));
    let bad = generate_with(&inputs, &tmp.path().join("bad"), &["--batch-format", "xml"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("expected `json` or `multipart`"), "{}", stderr(&bad));
    assert!(!tmp.path().join("bad").exists());
}

#[test]
fn reference_dirs_from_the_command_line_and_codegen_toml_resolve_references_and_lock_what_they_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture("references/service.xml");
    let schemas = fixture("references/schemas");
    // Without the folder: the reference the model needs is an error naming its URI; nothing
    // is written.
    let missing = generate_with(std::slice::from_ref(&root), &tmp.path().join("none"), &[]);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("error[E0312]"), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("http://redfish.example/schemas/v1/Resource_v1.xml"),
        "{}",
        stderr(&missing)
    );
    assert!(!tmp.path().join("none").exists());
    let out = tmp.path().join("redfish");
    let run =
        generate_with(std::slice::from_ref(&root), &out, &["--reference-dir", schemas.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lock = std::fs::read_to_string(out.join("codegen.lock")).unwrap();
    for name in ["service.xml", "Thermal_v1.xml", "Resource_v1.xml", "Common_v1.xml"] {
        assert!(lock.contains(&format!("name = \"{name}\"")), "{name}:\n{lock}");
    }
    assert!(!lock.contains(schemas.to_str().unwrap()), "no absolute path in the lock:\n{lock}");
    // The same from a codegen.toml, relative to it; with a codegen.toml the flags are refused.
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("metadata")).unwrap();
    for f in ["service.xml", "Thermal_v1.xml"] {
        std::fs::copy(fixture("references").join(f), project.join("metadata").join(f)).unwrap();
    }
    std::fs::create_dir_all(project.join("schemas")).unwrap();
    for f in ["Resource_v1.xml", "Common_v1.xml"] {
        std::fs::copy(schemas.join(f), project.join("schemas").join(f)).unwrap();
    }
    std::fs::write(
        project.join("codegen.toml"),
        "inputs = [\"metadata/service.xml\"]\nout = \"api\"\nreference_dirs = [\"schemas\"]\nlenient = true\n",
    )
    .unwrap();
    let run = codegen_in(&project, &["generate"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let lock = std::fs::read_to_string(project.join("api/codegen.lock")).unwrap();
    assert!(lock.contains("name = \"schemas/Resource_v1.xml\""), "relative to codegen.toml:\n{lock}");
    assert!(lock.contains("lenient = true"), "{lock}");
    let refused = codegen_in(&project, &["generate", "--lenient"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("`lenient`"), "{}", stderr(&refused));
    // A referenced document changed: the output is stale.
    std::fs::write(
        project.join("schemas/Common_v1.xml"),
        std::fs::read_to_string(schemas.join("Common_v1.xml")).unwrap().replace("Critical", "Failed"),
    )
    .unwrap();
    let check = codegen_in(&project, &["generate", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
}

/// A service of `types` entity types (each with a key, a dozen properties and a navigation
/// property) and an entity set for each; `variant` renames one property of every type and
/// shifts which types exist, so that a run of another variant changes, adds and removes files.
fn large_csdl(types: usize, variant: usize) -> String {
    let first = variant * types / 10;
    let names: Vec<String> = (first..first + types).map(|i| format!("t{i}")).collect();
    let mut doc = String::from(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#,
    );
    for (i, name) in names.iter().enumerate() {
        let next = &names[(i + 1) % names.len()];
        doc.push_str(&format!(
            r#"<EntityType Name="{name}"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /><Property Name="v{variant}" Type="Edm.Int32" />"#
        ));
        for p in 0..10 {
            doc.push_str(&format!(r#"<Property Name="p{p}" Type="Edm.String" />"#));
        }
        doc.push_str(&format!(r#"<NavigationProperty Name="next" Type="s.{next}" /></EntityType>"#));
    }
    doc.push_str(r#"<EntityContainer Name="c">"#);
    for name in &names {
        doc.push_str(&format!(r#"<EntitySet Name="{name}s" EntityType="s.{name}" />"#));
    }
    doc.push_str("</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>");
    doc
}

/// A run killed (SIGKILL) at many moments of writing a large output leaves the previous tree
/// or the new one, never a mix, with the files codegen did not write kept; the next run
/// clears what the killed one left and writes the new tree. `CODEGEN_KILL_TYPES` sets the
/// size (default 250 types, about 270 files; Graph v1.0 is about 3,800).
#[cfg(unix)]
#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_tree_or_the_new_one() {
    let types: usize = std::env::var("CODEGEN_KILL_TYPES").ok().and_then(|n| n.parse().ok()).unwrap_or(250);
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.csdl.xml"), tmp.path().join("b.csdl.xml"));
    std::fs::write(&a, large_csdl(types, 0)).unwrap();
    std::fs::write(&b, large_csdl(types, 1)).unwrap();
    let mine = |dir: &Path| {
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        std::fs::create_dir_all(dir.join("target/debug")).unwrap();
        std::fs::write(dir.join("target/debug/build.log"), "built").unwrap();
    };
    let expected = |input: &PathBuf, name: &str| {
        let dir = tmp.path().join(name);
        let run = generate(std::slice::from_ref(input), &dir);
        assert!(run.status.success(), "{}", stderr(&run));
        mine(&dir);
        tree(&dir)
    };
    let (old, new) = (expected(&a, "expected-old"), expected(&b, "expected-new"));
    assert_ne!(old, new);
    let out = tmp.path().join("out");
    let building = tmp.path().join(".out.codegen-new");
    let restore = |out: &Path| {
        if out.exists() {
            std::fs::remove_dir_all(out).unwrap();
        }
        for (rel, bytes) in &old {
            let path = out.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    };
    // Spawns a run writing the new tree over the old one; returns it once it has started
    // building the new tree (or ended).
    let start = |out: &Path| {
        if !out.exists() || tree(out) != old {
            restore(out);
        }
        // What the previous killed run left beside the output would read as this run's new
        // tree (the last one's is left for the final run to clear).
        for leftover in [&building, &tmp.path().join(".out.codegen-old")] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).unwrap();
            }
        }
        let args = generate_args(std::slice::from_ref(&b), out);
        let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        while !building.exists() && child.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        child
    };
    // Counts the files of the new tree being built.
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries.flatten().map(|e| if e.path().is_dir() { count(&e.path()) } else { 1 }).sum()
            })
            .unwrap_or(0)
    }
    let files = new.len();
    // Killed once the new tree holds a twelfth, two twelfths... of its files, then when it is
    // finished (the marker gone: the exchange is next or done), then after the run.
    let mut outcomes = BTreeMap::new();
    for k in 0..=14usize {
        let mut child = start(&out);
        let marker = building.join(".codegen-building");
        loop {
            let done = child.try_wait().unwrap().is_some();
            let reached = match k {
                0..=12 => count(&building) >= k * files / 12,
                13 => !marker.exists(),
                _ => false,
            };
            if done || reached {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        let point = k;
        let now = tree(&out);
        let outcome = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let differ: Vec<_> = now.keys().filter(|k| old.get(*k) != now.get(*k)).take(5).collect();
            panic!(
                "killed at point {point} of writing: a mix of the trees ({differ:?} differ from the old one)"
            );
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
    }
    eprintln!("killed runs left: {outcomes:?}");
    // The next run clears what the killed ones left beside the output and writes the new tree.
    let run = generate(std::slice::from_ref(&b), &out);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(tree(&out), new);
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(beside.iter().all(|n| !n.contains("codegen-")), "{beside:?}");
}
