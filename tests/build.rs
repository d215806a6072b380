//! The living build-script example: generate types from a fixture into `$OUT_DIR`; and the
//! client of a service built by hand as a model (`src/petstore_model.rs`).
include!("src/petstore_model.rs");

fn main() {
    for case in ["inheritance", "operations", "annotations", "wire", "people", "keys", "v2_catalog"] {
        let file = if case.starts_with("v2_") { format!("{case}.xml") } else { format!("{case}.csdl.xml") };
        let fixture = format!("fixtures/models/{case}/{file}");
        if let Err(e) = codegen::Builder::new().input(fixture).compile(case) {
            panic!("codegen failed:\n{e}");
        }
    }
    // The key style set against the metadata: segments for a service that does not say it
    // supports them, parentheses for one that does.
    let styles = [("keys", codegen::KeyStyle::Segment), ("operations", codegen::KeyStyle::Parentheses)];
    for (case, style) in styles {
        let fixture = format!("fixtures/models/{case}/{case}.csdl.xml");
        let name = format!("{case}_{}", style.name());
        if let Err(e) = codegen::Builder::new().input(fixture).key_style(style).compile(&name) {
            panic!("codegen failed:\n{e}");
        }
    }
    println!("cargo:rerun-if-changed=src/petstore_model.rs");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // One `#[test]` per fixture: `fixture_cases! { name, ... }` for each group, which the
    // snapshot and error tests expand (a new fixture directory is a new test).
    for group in ["models", "errors"] {
        let dir = format!("fixtures/{group}");
        println!("cargo:rerun-if-changed={dir}");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("the fixtures directory")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().expect("a name").to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in &names {
            let ident = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            assert!(ident, "fixture directory `{dir}/{name}` must be a snake_case name (it names a test)");
        }
        let list = format!("fixture_cases! {{ {} }}\n", names.join(", "));
        std::fs::write(out.join(format!("fixtures_{group}.rs")), list).expect("OUT_DIR is writable");
    }
    // The client of an OpenAPI document of two files (`fixtures/models/openapi_shop`).
    // Its lists that the document does not say how to page are paged by rules: a cursor, and
    // a next link beside two arrays (so the items are named).
    let shop = codegen::Builder::new()
        .input("fixtures/models/openapi_shop/shop.yaml")
        .input("fixtures/models/openapi_shop/common.yaml")
        .paging(codegen::PagingRule::cursor("/paging/next", "cursor"))
        .paging(codegen::PagingRule::next_link("/next_url").items("items"));
    match shop.generate_single() {
        Ok((code, _)) => std::fs::write(out.join("openapi_shop.rs"), code).expect("OUT_DIR is writable"),
        Err(e) => panic!("codegen failed:\n{e}"),
    }
    // The client of an OpenAPI 3.1 document of hierarchies and unions
    // (`fixtures/models/openapi_polymorphism`).
    match codegen::Builder::new().input("fixtures/models/openapi_polymorphism/zoo.yaml").generate_single() {
        Ok((code, _)) => std::fs::write(out.join("openapi_zoo.rs"), code).expect("OUT_DIR is writable"),
        Err(e) => panic!("codegen failed:\n{e}"),
    }
    // Clients of real OpenAPI documents from `../shared/openapi` (beside the checkout in CI
    // only), with the reqwest transport, for the loopback tests; `cfg(shared_openapi)` says
    // they are there.
    println!("cargo:rustc-check-cfg=cfg(shared_openapi)");
    let shared = std::path::Path::new("../../shared/openapi");
    let documents = [
        ("oai-v3.0-petstore-expanded.yaml", "openapi_petstore_expanded.rs"),
        ("twilio_messaging_v1.yaml", "openapi_twilio_messaging.rs"),
    ];
    if documents.iter().all(|(file, _)| shared.join(file).exists()) {
        for (file, generated) in documents {
            let input = shared.join(file);
            println!("cargo:rerun-if-changed={}", input.display());
            let mut builder = codegen::Builder::new().input(input).reqwest_transport(true);
            if file.starts_with("twilio") {
                // Twilio's lists hold their next page's URL in `meta.next_page_url`.
                builder = builder.paging(codegen::PagingRule::next_link("/meta/next_page_url"));
            }
            match builder.generate_single() {
                Ok((code, _)) => std::fs::write(out.join(generated), code).expect("OUT_DIR is writable"),
                Err(e) => panic!("codegen failed:\n{e}"),
            }
        }
        println!("cargo:rustc-cfg=shared_openapi");
    }
    match codegen::Builder::new().generate_single_from(&petstore_model()) {
        Ok((code, _)) => std::fs::write(out.join("petstore.rs"), code).expect("OUT_DIR is writable"),
        Err(e) => panic!("codegen failed:\n{e}"),
    }
}
