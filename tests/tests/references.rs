//! Multi-file CSDL: `edmx:Reference`s resolved from the inputs, beside the referencing file
//! (relative URIs) and from reference directories (by the URI's file name), on fixtures of our
//! own in the shape of Redfish's schemas (`fixtures/references`); and on the real OASIS and SAP
//! vocabularies (`../shared/odata/`), which reference each other by URL.

use std::path::PathBuf;

use codegen_tests::fixtures;

fn dir() -> PathBuf {
    fixtures::root().join("fixtures/references")
}

fn type_names(model: &codegen::model::Model) -> Vec<String> {
    let mut names: Vec<String> =
        (0..model.types.len()).map(|i| model.qualified_name(codegen::model::TypeId(i))).collect();
    names.sort();
    names
}

#[test]
fn a_root_document_and_a_reference_dir_give_the_closure_the_root_reaches() {
    let builder =
        codegen::Builder::new().input(dir().join("service.xml")).reference_dir(dir().join("schemas"));
    let (model, warnings) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    // The service's own type, its base (by URL, from the directory), the thermal schema (a
    // relative URI, beside the root), what those use (`Common_v1.xml`, referenced from the
    // directory's document); not `Resource.Orphan`, which nothing uses; the vocabulary and
    // `Unused_v1.xml` references, never found, bring nothing the model uses: no error.
    assert_eq!(
        type_names(&model),
        [
            "Common.Health",
            "Resource.Reading",
            "Resource.v1_0_0.Resource",
            "Service.ServiceRoot",
            "Thermal.v1_0_0.Thermal",
        ]
    );
    assert!(warnings.is_empty(), "{warnings}");
    let root = model.types.iter().find(|t| t.name == "ServiceRoot").unwrap();
    assert_eq!(root.notes.description.as_deref(), Some("The root of the service."));
    // The crate builds from it, and the lock records the documents read by reference.
    let output = builder.layout(codegen::Layout::Crate { name: "redfish-like".into() }).generate().unwrap();
    let lock = &output.files()["codegen.lock"];
    for name in ["Resource_v1.xml", "Common_v1.xml", "Thermal_v1.xml"] {
        assert!(lock.contains(name), "{name} is not in the lock:\n{lock}");
    }
}

#[test]
fn a_document_given_as_an_input_satisfies_a_reference_by_its_file_name() {
    let builder = codegen::Builder::new()
        .input(dir().join("service.xml"))
        .input(dir().join("schemas/Resource_v1.xml"))
        .input(dir().join("schemas/Common_v1.xml"));
    let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    // Inputs are generated whole: `Resource.Orphan` is an input's type.
    assert!(type_names(&model).contains(&"Resource.Orphan".to_owned()));
    assert!(type_names(&model).contains(&"Thermal.v1_0_0.Thermal".to_owned()));
}

#[test]
fn a_reference_found_nowhere_is_an_error_at_the_reference_naming_its_uri() {
    let err =
        codegen::Builder::new().input(dir().join("service.xml")).generate_model().unwrap_err().to_string();
    assert!(
        err.contains("service.xml:7:3: error[E0312]: the document of `edmx:Reference` `http://redfish.example/schemas/v1/Resource_v1.xml` was not found"),
        "{err}"
    );
    assert!(err.contains("no --reference-dir was given"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let err = codegen::Builder::new()
        .input(dir().join("service.xml"))
        .reference_dir(empty.path())
        .generate_model()
        .unwrap_err()
        .to_string();
    assert!(err.contains("looked for `") && err.contains("Resource_v1.xml`"), "{err}");
    // Once per reference, not once per use; never as an undeclared type.
    assert_eq!(err.matches("E0312").count(), 1, "{err}");
    assert!(!err.contains("E0303"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_cannot_lead_a_reference_out_of_its_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let (inside, outside) = (tmp.path().join("schemas"), tmp.path().join("elsewhere"));
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(dir().join("schemas/Resource_v1.xml"), outside.join("Resource_v1.xml")).unwrap();
    std::fs::copy(dir().join("schemas/Common_v1.xml"), inside.join("Common_v1.xml")).unwrap();
    std::os::unix::fs::symlink(outside.join("Resource_v1.xml"), inside.join("Resource_v1.xml")).unwrap();
    let err = codegen::Builder::new()
        .input(dir().join("service.xml"))
        .reference_dir(&inside)
        .generate_model()
        .unwrap_err()
        .to_string();
    assert!(err.contains("error[E0312]") && err.contains("Resource_v1.xml"), "{err}");
}

/// Every vocabulary of `dir` generates with the others as reference directories.
fn vocabularies_generate(dir: &std::path::Path, dirs: &[PathBuf]) -> usize {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    for file in &files {
        let builder = dirs.iter().fold(codegen::Builder::new().input(file), |b, d| b.reference_dir(d));
        match builder.generate_model() {
            Ok(_) => {}
            // A vocabulary of terms only has no types to generate: that is what the run says.
            Err(e) if e.to_string().contains("E0601") => {}
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
    files.len()
}

#[test]
fn the_oasis_and_sap_vocabularies_resolve_each_others_references() {
    let (Some(oasis), Some(sap)) =
        (fixtures::shared("odata/oasis-vocabularies"), fixtures::shared("odata/sap-vocabularies"))
    else {
        return;
    };
    let dirs = [oasis.clone(), sap.clone()];
    assert!(vocabularies_generate(&oasis, &dirs) >= 9);
    assert!(vocabularies_generate(&sap, &dirs) >= 10);
    // SAP's UI vocabulary uses types of Common and of the OASIS vocabularies: without the
    // directories the references it needs are reported, by URI.
    let ui = sap.join("UI.xml");
    let err = codegen::Builder::new().input(&ui).generate_model().unwrap_err().to_string();
    assert!(err.contains("E0312") && err.contains("https://"), "{err}");
    let builder = dirs.iter().fold(codegen::Builder::new().input(&ui), |b, d| b.reference_dir(d));
    let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    assert!(type_names(&model).iter().any(|n| n.starts_with("com.sap.vocabularies.UI.v1.")));
}
