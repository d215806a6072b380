//! Snapshot tests over `fixtures/models/*`: the model and its plan (`{:#?}`) and the generated code,
//! which must also compile under `#![deny(warnings)]`. A new fixture directory is a new test
//! (`build.rs` lists them), so a failing case hides no other.
//! Accept changes with `EXPECTORATE=overwrite cargo test`.

use codegen_tests::fixtures;

/// The fixture whose snapshot embeds the runtime; the others depend on the runtime crate
/// (`codegen-runtime`, a dev-dependency of this crate), so they hold only what each service
/// generates, and its request handles.
const EMBEDDED: &str = "people";

/// The model, its plan and the code generated from fixture `name` match their snapshots.
fn snapshots_match(name: &str) {
    let case = fixtures::root().join("fixtures/models").join(name);
    let (model, mut warnings) =
        fixtures::builder(&case).generate_model().unwrap_or_else(|e| panic!("{name}: {e}"));
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
    expectorate::assert_contents(format!("snapshots/code/{name}.rs"), &program(name));
}

/// The generated code of fixture `name` as the program trybuild compiles.
fn program(name: &str) -> String {
    let mut builder = fixtures::builder(&fixtures::root().join("fixtures/models").join(name));
    if name != EMBEDDED {
        builder = builder.runtime(codegen::Runtime::dependency(r#"{ path = "../templates" }"#));
    }
    let code = builder.generate_tokens().unwrap_or_else(|e| panic!("{name}: {e}"));
    format!(
        "// Snapshot of the code generated from tests/fixtures/models/{name}; compiled by trybuild.\n\
         #![deny(warnings)]\n#![allow(dead_code)]\n\n{code}\nfn main() {{}}\n"
    )
}

/// One test per fixture directory (the list is written by `build.rs`).
mod fixture {
    macro_rules! fixture_cases {
        ($($name:ident),* $(,)?) => {
            $(
                #[test]
                fn $name() {
                    super::snapshots_match(stringify!($name));
                }
            )*
        };
    }
    include!(concat!(env!("OUT_DIR"), "/fixtures_models.rs"));
}

/// Every code snapshot compiles under `#![deny(warnings)]`, in one build. The snapshots are
/// the files the per-fixture tests check; a stale one fails there.
#[test]
fn code_snapshots_compile() {
    let t = trybuild::TestCases::new();
    for case in fixtures::cases("models") {
        t.pass(format!("snapshots/code/{}.rs", case.file_name().unwrap().to_string_lossy()));
    }
}
