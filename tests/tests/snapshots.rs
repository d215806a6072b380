//! Snapshot tests over `fixtures/models/*`: the model (`{:#?}`) and the generated code,
//! which must also compile under `#![deny(warnings)]`. A new fixture directory is a new case;
//! a failing case is reported with all the others that fail.
//! Accept changes with `EXPECTORATE=overwrite cargo test`.

use codegen_tests::fixtures;

/// The fixture whose snapshot embeds the runtime; the others depend on the runtime crate
/// (`codegen-runtime`, a dev-dependency of this crate), so they hold only what each service
/// generates, and its request handles.
const EMBEDDED: &str = "people";

/// Runs `check` on every fixture and fails once, naming every fixture that failed, so that
/// one failing case does not hide the others.
fn each_fixture(check: impl Fn(&str, &std::path::Path) + std::panic::RefUnwindSafe) {
    let mut failed = Vec::new();
    for case in fixtures::cases("models") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if std::panic::catch_unwind(|| check(&name, &case)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "fixtures that failed (see above): {failed:?}");
}

#[test]
fn model_snapshots_match() {
    each_fixture(|name, case| {
        let (model, warnings) =
            fixtures::builder(case).generate_model().unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = format!("{model:#?}\n");
        for w in warnings.iter() {
            text.push_str(&format!("{w}\n"));
        }
        expectorate::assert_contents(format!("snapshots/models/{name}.model.txt"), &text);
    });
}

#[test]
fn code_snapshots_match_and_compile() {
    each_fixture(|name, case| {
        let mut builder = fixtures::builder(case);
        if name != EMBEDDED {
            builder = builder.runtime(codegen::Runtime::dependency(r#"{ path = "../templates" }"#));
        }
        let code = builder.generate_tokens().unwrap_or_else(|e| panic!("{name}: {e}"));
        let program = format!(
            "// Snapshot of the code generated from tests/fixtures/models/{name}; compiled by trybuild.\n\
             #![deny(warnings)]\n#![allow(dead_code)]\n\n{code}\nfn main() {{}}\n"
        );
        expectorate::assert_contents(format!("snapshots/code/{name}.rs"), &program);
    });
    // One build for every snapshot.
    let t = trybuild::TestCases::new();
    for case in fixtures::cases("models") {
        t.pass(format!("snapshots/code/{}.rs", case.file_name().unwrap().to_string_lossy()));
    }
}
