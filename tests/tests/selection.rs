//! Generating only what you use: path, type and namespace selections keep what they name and
//! everything it needs, and the result compiles. The Graph case needs
//! `../shared/graph/v1.0/metadata.xml` beside the checkout and skips (saying so) without it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::{Builder, Code, Selection};
use codegen_tests::{fixtures, generated_crates};

/// A directory service of our own: derived types, containment several levels deep,
/// navigation that does not contain its target, bound actions, two namespaces.
const DIRECTORY: &str = include_str!("../fixtures/selection/directory.csdl.xml");

fn builder() -> Builder {
    Builder::new().input_text("directory.csdl.xml", DIRECTORY)
}

/// What `selection` keeps: the qualified names of the types, and the operations listing
/// (`METHOD template`), as `codegen operations` prints it.
fn kept(selection: Selection) -> (BTreeSet<String>, Vec<String>, codegen::Diagnostics) {
    let (model, mut diags) = builder().select(selection).selected_model().unwrap_or_else(|e| panic!("{e}"));
    let types = (0..model.types.len()).map(|i| model.qualified_name(codegen::model::TypeId(i))).collect();
    let plan = codegen::plan::build(&model, &mut diags);
    let listing = codegen::plan::paths::listing(&plan, 8)
        .into_iter()
        .map(|e| format!("{} {}", e.method, e.template))
        .collect();
    (types, listing, diags)
}

fn paths(include: &[&str], exclude: &[&str]) -> Selection {
    Selection {
        include_paths: include.iter().map(|s| s.to_string()).collect(),
        exclude_paths: exclude.iter().map(|s| s.to_string()).collect(),
        ..Selection::default()
    }
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|n| n.to_string()).collect()
}

#[test]
fn a_path_selection_keeps_the_endpoints_it_matches_and_what_they_need() {
    let (types, listing, diags) = kept(paths(&["/servicePrincipals/**/synchronization/**"], &[]));
    assert!(diags.is_empty(), "{diags:?}");
    let expected = names(&[
        "Example.Directory.entity",
        "Example.Directory.directoryObject",
        "Example.Directory.servicePrincipal",
        "Example.Directory.synchronization",
        "Example.Directory.synchronizationJob",
        "Example.Directory.synchronizationSchema",
        "Example.Directory.schedule",
        "Example.Directory.jobState",
        "Example.Directory.keyValue",
        "Example.Directory.directoryDefinition",
        "Example.Directory.provisionParameters",
        "Example.Directory.provisionResult",
    ]);
    assert_eq!(types, expected, "the types on the way, their properties' and the operations' types");
    let sp = "/servicePrincipals/{servicePrincipal-id}";
    for line in [
        format!("GET {sp}/synchronization"),
        format!("GET {sp}/synchronization/jobs"),
        format!("POST {sp}/synchronization/jobs"),
        format!("PATCH {sp}/synchronization/jobs/{{synchronizationJob-id}}"),
        format!("POST {sp}/synchronization/jobs/{{synchronizationJob-id}}/pause"),
        format!("POST {sp}/synchronization/jobs/{{synchronizationJob-id}}/provisionOnDemand"),
        format!("GET {sp}/synchronization/jobs/{{synchronizationJob-id}}/schema"),
    ] {
        assert!(listing.contains(&line), "{line} missing from {listing:#?}");
    }
    // The handles on the way offer navigation only: their own methods were not selected.
    for line in ["GET /servicePrincipals", "POST /servicePrincipals", format!("GET {sp}").as_str()] {
        assert!(!listing.iter().any(|l| l == line), "{line} kept: {listing:#?}");
    }
    assert!(!listing.iter().any(|l| l.contains("/owners") || l.contains("/users")), "{listing:#?}");
}

#[test]
fn navigation_that_does_not_contain_its_target_is_followed_one_step() {
    // `manager` leads to a directory object: its URL and its casts are kept, but not the
    // navigation of the objects it leads to (they are addressed through their own entity set).
    let (types, listing, _) = kept(paths(&["/users/**"], &[]));
    assert!(listing.contains(&"GET /users/{user-id}/manager".to_owned()), "{listing:#?}");
    assert!(listing.contains(&"GET /users/{user-id}/messages/{message-id}".to_owned()), "{listing:#?}");
    assert!(
        listing.contains(&"GET /users/{user-id}/manager/Example.Directory.group".to_owned()),
        "{listing:#?}"
    );
    assert!(!listing.iter().any(|l| l.contains("/groups")), "{listing:#?}");
    assert!(types.contains("Example.Directory.group"), "{types:?}");
    let (model, _) = builder().include_path("/users/**").selected_model().unwrap();
    let group = (0..model.types.len()).find(|&i| model.types[i].name == "group").unwrap();
    let group = model.structured(codegen::model::TypeId(group)).unwrap();
    assert!(group.properties.iter().all(|p| p.name != "members"), "a group's members are not on the way");
}

#[test]
fn method_filters_and_exclusions_narrow_what_a_handle_offers() {
    let (types, listing, _) = kept(paths(&["/users/**#GET"], &["/users/{id}/messages/**"]));
    assert!(listing.contains(&"GET /users".to_owned()), "{listing:#?}");
    assert!(listing.contains(&"GET /users/{user-id}".to_owned()), "{listing:#?}");
    for gone in ["POST /users", "PATCH /users/{user-id}", "DELETE /users/{user-id}"] {
        assert!(!listing.contains(&gone.to_owned()), "{gone} kept: {listing:#?}");
    }
    assert!(!listing.iter().any(|l| l.contains("messages") || l.contains("sendMail")), "{listing:#?}");
    assert!(!types.contains("Example.Directory.message"), "{types:?}");
}

#[test]
fn exclusions_alone_keep_every_other_endpoint() {
    let (types, listing, _) = kept(paths(&[], &["/me/**", "/users/**#DELETE"]));
    assert!(
        !listing.iter().any(|l| l.split(' ').nth(1).is_some_and(|t| t.starts_with("/me"))),
        "{listing:#?}"
    );
    assert!(listing.contains(&"PATCH /users/{user-id}".to_owned()), "{listing:#?}");
    assert!(!listing.contains(&"DELETE /users/{user-id}".to_owned()), "{listing:#?}");
    assert!(listing.contains(&"GET /status()".to_owned()), "{listing:#?}");
    assert!(types.contains("Example.Audit.auditEvent"), "{types:?}");
}

#[test]
fn type_and_namespace_selections_keep_models_without_client_methods() {
    let selection = Selection {
        include_types: vec!["example.directory.unused*".into()],
        include_namespaces: vec!["Example.Audit".into()],
        ..Selection::default()
    };
    let (types, listing, _) = kept(selection);
    assert_eq!(
        types,
        names(&["Example.Directory.unusedThing", "Example.Directory.keyValue", "Example.Audit.auditEvent"])
    );
    assert!(listing.is_empty(), "{listing:#?}");
}

#[test]
fn excluding_a_type_removes_it_and_what_uses_it() {
    let selection =
        Selection { exclude_types: vec!["Example.Directory.message".into()], ..Selection::default() };
    let (types, listing, _) = kept(selection);
    assert!(!types.contains("Example.Directory.message"), "{types:?}");
    assert!(types.contains("Example.Directory.user"), "{types:?}");
    assert!(!listing.iter().any(|l| l.contains("messages") || l.contains("sendMail")), "{listing:#?}");
    assert!(listing.contains(&"GET /users/{user-id}".to_owned()), "{listing:#?}");
    // A base type excluded takes its derived types with it.
    let base =
        Selection { exclude_types: vec!["Example.Directory.directoryObject".into()], ..Selection::default() };
    let (types, listing, _) = kept(base);
    for gone in ["user", "group", "servicePrincipal", "directoryObject"] {
        assert!(!types.contains(&format!("Example.Directory.{gone}")), "{gone} kept: {types:?}");
    }
    assert!(listing.contains(&"GET /auditEvents".to_owned()), "{listing:#?}");
}

#[test]
fn derived_types_are_kept_only_on_request() {
    let (types, _, _) = kept(paths(&["/directoryObjects#GET"], &[]));
    assert_eq!(types, names(&["Example.Directory.entity", "Example.Directory.directoryObject"]));
    let (types, _, _) = kept(Selection { derived_types: true, ..paths(&["/directoryObjects#GET"], &[]) });
    for derived in ["user", "group", "servicePrincipal"] {
        assert!(types.contains(&format!("Example.Directory.{derived}")), "{derived} missing: {types:?}");
    }
}

#[test]
fn bad_patterns_fail_and_patterns_that_match_nothing_warn() {
    let err = builder().include_path("users/**").generate().map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("E0701") && err.contains("starts with `/`"), "{err}");
    let err = builder().include_path("/users#FETCH").generate().map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("E0701") && err.contains("FETCH"), "{err}");
    let output = builder().include_path("/users").include_path("/nothing/**").generate().unwrap();
    let codes: Vec<Code> = output.warnings().iter().map(|w| w.code).collect();
    assert_eq!(codes, vec![Code::UnmatchedSelection], "{:?}", output.warnings());
    assert!(output.warnings().iter().next().unwrap().to_string().contains("/nothing/**"));
    let err = builder().include_path("/nothing").generate().map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("E0703"), "{err}");
}

#[test]
fn the_same_selection_from_a_codegen_toml() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("selection-config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("directory.csdl.xml"), DIRECTORY).unwrap();
    std::fs::write(
        dir.join("codegen.toml"),
        "inputs = [\"directory.csdl.xml\"]\nout = \"out\"\ninclude_paths = [\"/servicePrincipals/**/synchronization/**\"]\n",
    )
    .unwrap();
    let from_config = Builder::from_config(dir.join("codegen.toml")).unwrap();
    assert_eq!(from_config.selection(), &paths(&["/servicePrincipals/**/synchronization/**"], &[]));
    std::fs::write(
        dir.join("codegen.toml"),
        "inputs = [\"x\"]\nout = \"out\"\ninclude_paths = [\"users\"]\n",
    )
    .unwrap();
    let err = Builder::from_config(dir.join("codegen.toml")).map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("starts with `/`"), "{err}");
}

#[test]
fn a_selected_crate_compiles() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("selection-directory");
    let output = builder()
        .layout(codegen::Layout::Crate { name: "directory-sync".into() })
        .include_path("/servicePrincipals/**/synchronization/**")
        .include_path("/users/**#GET")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    generated_crates::write(&output, &out);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    generated_crates::cargo_clean(&out, &target, &["check"], &[], "the selected directory crate");
}

/// Acceptance of issue 16: the synchronization API alone, out of the whole of Graph v1.0.
#[test]
fn graph_synchronization_selection_has_every_synchronization_method_and_compiles() {
    let Some(metadata) = fixtures::shared("graph/v1.0/metadata.xml") else {
        return;
    };
    let builder = Builder::new()
        .input(&metadata)
        .layout(codegen::Layout::Crate { name: "graph-synchronization-only".into() })
        .key_style(codegen::KeyStyle::Segment)
        .include_path("/servicePrincipals/**/synchronization/**");
    let (model, mut diags) = builder.selected_model().unwrap_or_else(|e| panic!("{e}"));
    let settings =
        codegen::plan::Settings { key_style: Some(codegen::KeyStyle::Segment), ..Default::default() };
    let plan = codegen::plan::build_with(&model, settings, &mut diags);
    let listing: Vec<String> = codegen::plan::paths::listing(&plan, 8)
        .into_iter()
        .map(|e| format!("{} {}", e.method, e.template))
        .collect();
    let job = "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}";
    let template =
        "/servicePrincipals/{servicePrincipal-id}/synchronization/templates/{synchronizationTemplate-id}";
    for line in [
        format!("GET {job}"),
        format!("PATCH {job}"),
        format!("DELETE {job}"),
        format!("POST {job}/pause"),
        format!("POST {job}/start"),
        format!("POST {job}/restart"),
        format!("POST {job}/provisionOnDemand"),
        format!("POST {job}/validateCredentials"),
        format!("GET {job}/schema"),
        format!("GET {job}/schema/directories"),
        format!("POST {job}/schema/directories/{{directoryDefinition-id}}/discover"),
        format!("POST {job}/schema/parseExpression"),
        format!("GET {job}/schema/filterOperators()"),
        format!("GET {job}/schema/functions()"),
        "GET /servicePrincipals/{servicePrincipal-id}/synchronization/jobs".to_owned(),
        "POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs".to_owned(),
        "POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/validateCredentials".to_owned(),
        "POST /servicePrincipals/{servicePrincipal-id}/synchronization/acquireAccessToken".to_owned(),
        format!("GET {template}"),
        format!("GET {template}/schema"),
    ] {
        assert!(listing.contains(&line), "{line} missing");
    }
    assert!(model.types.len() < 150, "{} types kept", model.types.len());
    let output = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("graph-synchronization-only");
    generated_crates::write(&output, &out);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    let check = ["check", "--all-targets", "--features", "reqwest"];
    generated_crates::cargo_clean(&out, &target, &check, &[], "the Graph synchronization selection");
}
