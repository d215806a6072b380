//! Real OpenAPI documents from outside Microsoft (`../shared/openapi/`: Twilio Messaging v1,
//! 3.0 with form-encoded bodies; the OpenAPI Initiative's petstore-expanded, 3.0, and webhook
//! example, 3.1) generate crates that compile without warnings, with one operation in the
//! model for every path and method the document declares. Skips, saying so, without
//! `../shared`.

use std::path::PathBuf;

use codegen_tests::{fixtures, generated_crates};

/// The operations (path and method) a document declares, read by serde_yaml on its own.
fn declared_operations(text: &str) -> usize {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).expect("the document is YAML");
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let Some(paths) = doc.get("paths").and_then(|p| p.as_mapping()) else { return 0 };
    paths.values().map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count()).sum()
}

#[test]
fn real_openapi_documents_generate_crates_that_compile() {
    let files =
        ["oai-v3.0-petstore-expanded.yaml", "oai-v3.1-webhook-example.yaml", "twilio_messaging_v1.yaml"];
    for file in files {
        let Some(path) = fixtures::shared(&format!("openapi/{file}")) else { return };
        let name = format!("oa-{}", file.trim_end_matches(".yaml").replace(['.', '_'], "-").to_lowercase());
        let builder =
            codegen::Builder::new().input(&path).layout(codegen::Layout::Crate { name: name.clone() });
        let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{file}: {e}"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(model.path_operations.len(), declared_operations(&text), "{file}: operations");
        let output = builder.generate().unwrap_or_else(|e| panic!("{file}: {e}"));
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(&name);
        generated_crates::write(&output, &out);
        let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
        generated_crates::cargo_clean(&out, &target, &["check", "--all-targets"], &[], file);
    }
}
