//! Per-area cargo features: a crate generated with them compiles with every feature, with
//! one area, and with none, and an area leaves out what only other areas use. The Graph case
//! (in `graph_v1.rs`) does the same at full scale.

use std::path::PathBuf;

use codegen_tests::generated_crates;

const DIRECTORY: &str = include_str!("../fixtures/selection/directory.csdl.xml");

/// The directory service as a crate with area features.
fn generate() -> codegen::Output {
    codegen::Builder::new()
        .input_text("directory.csdl.xml", DIRECTORY)
        .layout(codegen::Layout::Crate { name: "directory-areas".into() })
        .area_features(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_crate_with_area_features_compiles_with_all_one_or_no_areas() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("area-features-directory");
    let output = generate();
    let cargo_toml = &output.files()["Cargo.toml"];
    assert!(cargo_toml.contains("default = [\"full\"]"), "{cargo_toml}");
    assert!(
        cargo_toml.contains(
            "full = [\"directory_objects\", \"users\", \"groups\", \"service_principals\", \"audit_events\", \"me\", \"status\"]"
        ),
        "{cargo_toml}"
    );
    let readme = &output.files()["README.md"];
    assert!(readme.contains("## Features") && readme.contains("`audit_events`"), "{readme}");
    // A message is reached from users (contained) but not from audit events.
    let namespace = &output.files()["src/example_directory/mod.rs"];
    let message = namespace.find("mod message;").expect("the message module");
    let cfg = &namespace[namespace[..message].rfind("#[cfg(").unwrap()..message];
    assert!(cfg.contains("\"users\"") && !cfg.contains("\"audit_events\""), "{cfg}");
    // The root's entity sets are their areas'.
    let lib = &output.files()["src/lib.rs"];
    assert!(lib.contains("#[cfg(feature = \"users\")]"), "{lib}");
    generated_crates::write(&output, &out);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    for features in [
        &["check"][..],
        &["check", "--no-default-features", "--features", "users"],
        &["check", "--no-default-features", "--features", "audit_events,me"],
        &["check", "--no-default-features"],
    ] {
        generated_crates::cargo_clean(&out, &target, features, &[], "the crate with area features");
    }
    // Where a field is compiled out, its value is read into `extra` and written back from
    // there: nothing the service sent is lost.
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(
        out.join("tests/compiled_out.rs"),
        r##"
#[test]
fn a_compiled_out_field_round_trips_through_extra() {
    let json = r#"{"id":"sp","appId":"a","synchronization":{"id":"s1"}}"#;
    let sp: directory_areas::ServicePrincipal = serde_json::from_str(json).unwrap();
    assert_eq!(sp.extra["synchronization"], serde_json::json!({"id": "s1"}));
    let back = serde_json::to_value(&sp).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
}
"##,
    )
    .unwrap();
    let test = ["test", "--no-default-features", "--features", "groups", "--test", "compiled_out"];
    generated_crates::cargo_clean(&out, &target, &test, &[], "the crate with only `groups`");
}

#[test]
fn an_area_leaves_out_the_fields_and_methods_of_types_it_does_not_hold() {
    let output = generate();
    // Every area holding a user holds its fields' types; a service principal is reached from
    // `groups` (a member) without its synchronization, whose field is then compiled out.
    let user = &output.files()["src/example_directory/user.rs"];
    assert!(!user.contains("#[cfg(not("), "every area holding a user holds its fields' types:\n{user}");
    let sp = &output.files()["src/example_directory/service_principal.rs"];
    let field = sp.find("pub synchronization:").expect("the synchronization field");
    assert!(sp[..field].rfind("#[cfg(").is_some_and(|at| field - at < 200), "{sp}");
    assert!(sp.contains("#[cfg(not("), "a compiled-out field is read as raw JSON:\n{sp}");
}
