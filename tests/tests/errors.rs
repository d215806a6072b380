//! Bad inputs under `fixtures/errors/*` fail with every problem located as
//! `file:line:col: error[E0303]: ...`, matched against `snapshots/errors/<case>.stderr`.

use codegen_tests::fixtures;

/// Fixture `name` fails with located errors that match its snapshot.
fn reports_located_errors(name: &str) {
    let case = fixtures::root().join("fixtures/errors").join(name);
    let err = match fixtures::builder(&case).generate() {
        Ok(_) => panic!("{name}: generation succeeded but must fail"),
        Err(e) => e,
    };
    let codegen::Error::Invalid(diags) = &err else { panic!("{name}: unexpected error kind: {err}") };
    assert!(diags.has_errors(), "{name}");
    for d in diags.iter().filter(|d| d.severity() == codegen::Severity::Error) {
        let at = d.location.as_ref().unwrap_or_else(|| panic!("{name}: error without a location: {d}"));
        assert!(at.file.starts_with(&format!("{name}/")), "{name}: {at}");
        assert!(at.line > 0 && at.column > 0, "{name}: {at}");
    }
    expectorate::assert_contents(format!("snapshots/errors/{name}.stderr"), &format!("{err}\n"));
}

/// One test per fixture directory of bad inputs (the list is written by `build.rs`).
mod bad_input {
    macro_rules! fixture_cases {
        ($($name:ident),* $(,)?) => {
            $(
                #[test]
                fn $name() {
                    super::reports_located_errors(stringify!($name));
                }
            )*
        };
    }
    include!(concat!(env!("OUT_DIR"), "/fixtures_errors.rs"));
}

#[test]
fn missing_type_reports_both_errors_not_just_the_first() {
    let case = fixtures::root().join("fixtures/errors/missing_type");
    let Err(codegen::Error::Invalid(diags)) = fixtures::builder(&case).generate() else {
        panic!("must fail")
    };
    let errors: Vec<_> = diags.iter().filter(|d| d.severity() == codegen::Severity::Error).collect();
    assert_eq!(errors.len(), 2, "{diags}");
}
