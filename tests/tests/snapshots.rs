//! Snapshot tests over `fixtures/models/*`: the model (`{:#?}`) and the generated code,
//! which must also compile under `#![deny(warnings)]`. A new fixture directory is a new case.
//! Accept changes with `EXPECTORATE=overwrite cargo test`.

use codegen_tests::fixtures;

#[test]
fn model_snapshots_match() {
    for case in fixtures::cases("models") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (model, warnings) =
            fixtures::builder(&case).generate_model().unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = format!("{model:#?}\n");
        for w in warnings.iter() {
            text.push_str(&format!("{w}\n"));
        }
        expectorate::assert_contents(format!("snapshots/models/{name}.model.txt"), &text);
    }
}

#[test]
fn code_snapshots_match_and_compile() {
    let mut paths = Vec::new();
    for case in fixtures::cases("models") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let code = fixtures::builder(&case).generate_tokens().unwrap_or_else(|e| panic!("{name}: {e}"));
        let program = format!(
            "// Snapshot of the code generated from tests/fixtures/models/{name}; compiled by trybuild.\n\
             #![deny(warnings)]\n#![allow(dead_code)]\n\n{code}\nfn main() {{}}\n"
        );
        let path = format!("snapshots/code/{name}.rs");
        expectorate::assert_contents(&path, &program);
        paths.push(path);
    }
    let t = trybuild::TestCases::new();
    for p in paths {
        t.pass(p);
    }
}
