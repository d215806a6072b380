//! Snapshot tests over `fixtures/models/*`: the model and its plan (`{:#?}`) and the generated code,
//! which must also compile under `#![deny(warnings)]`. A new fixture directory is a new case;
//! a failing case is reported with all the others that fail.
//! Accept changes with `EXPECTORATE=overwrite cargo test`.

use codegen_tests::fixtures;

/// The fixture whose snapshot embeds the runtime; the others depend on the runtime crate
/// (`codegen-runtime`, a dev-dependency of this crate), so they hold only what each service
/// generates, and its request handles.
const EMBEDDED: &str = "people";

#[test]
fn model_snapshots_match() {
    fixtures::each("models", |name, case| {
        let (model, mut warnings) =
            fixtures::builder(case).generate_model().unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = format!("{model:#?}\n");
        for w in warnings.iter() {
            text.push_str(&format!("{w}\n"));
        }
        expectorate::assert_contents(format!("snapshots/models/{name}.model.txt"), &text);
        // The Rust decisions, and the warnings they raise (naming collisions).
        let planned = warnings.len();
        let plan = codegen::plan::build(&model, &mut warnings);
        let mut text = format!("{plan:#?}\n");
        for w in warnings.iter().skip(planned) {
            text.push_str(&format!("{w}\n"));
        }
        expectorate::assert_contents(format!("snapshots/models/{name}.plan.txt"), &text);
    });
}

#[test]
fn code_snapshots_match_and_compile() {
    fixtures::each("models", |name, case| {
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
