//! Every input the fuzz targets (`tests/fuzz/`) found a crash with, kept under
//! `tests/fuzz/regressions/<target>/`, run through the same code as its target: none may
//! panic again.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

use codegen_tests::fixtures;

/// The inputs kept for `target`, by file name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixtures::root().join("fuzz/regressions").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn names_the_fuzzer_broke_the_generated_code_with_now_generate_code_that_parses() {
    let found = inputs("names");
    assert!(!found.is_empty());
    for (file, data) in found {
        eprintln!("names/{file}");
        common::names(&String::from_utf8_lossy(&data));
    }
}

#[test]
fn front_end_inputs_the_fuzzer_broke_now_fail_or_generate_code_that_parses() {
    for (target, name) in [
        ("csdl_xml", "metadata.xml"),
        ("csdl_json", "metadata.json"),
        ("openapi", "openapi.yaml"),
        ("docs_page", "page.md"),
    ] {
        for (file, data) in inputs(target) {
            eprintln!("{target}/{file}");
            common::generate(name, &data);
        }
    }
}

/// A description with bare carriage returns (CSDL's `&#13;`, JSON's `\r`) is documentation
/// rustdoc accepts: a bare CR in a `///` comment is a compile error.
#[test]
fn descriptions_with_carriage_returns_generate_code_that_parses() {
    let csdl = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="t"><Property Name="p" Type="Edm.String">
<Annotation Term="Org.OData.Core.V1.Description" String="one&#13;two&#13;&#10;three" /></Property></ComplexType>
</Schema></edmx:DataServices></edmx:Edmx>"#;
    let code = codegen::Builder::new().input_text("metadata.xml", csdl).generate_tokens().unwrap();
    assert!(!code.contains('\r'), "{code}");
    syn::parse_file(&code).unwrap();
}

#[test]
fn runtime_inputs_the_fuzzer_broke_now_pass_its_checks() {
    let found = inputs("runtime");
    assert!(!found.is_empty());
    for (file, data) in found {
        eprintln!("runtime/{file}");
        common::runtime(&data);
    }
}
