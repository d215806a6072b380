//! CSDL JSON (OData CSDL JSON 4.01, what `$metadata?$format=json` returns) is another input
//! format, detected from the content, into the same model: a service written in JSON and in
//! XML generates the same code.

use codegen_tests::fixtures;

/// The code generated from the file `name` of `fixtures/csdl_json`, without the header line
/// that names the input.
fn code(name: &str) -> String {
    let path = fixtures::root().join("fixtures/csdl_json").join(name);
    let text =
        codegen::Builder::new().input(&path).generate_tokens().unwrap_or_else(|e| panic!("{name}: {e}"));
    text.lines().filter(|l| !l.contains("@generated")).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_service_in_csdl_json_generates_the_code_its_xml_twin_does() {
    let (json, xml) = (code("catalog.json"), code("catalog.xml"));
    assert!(json.contains("pub struct Book"), "{json}");
    if json != xml {
        let first = json.lines().zip(xml.lines()).position(|(a, b)| a != b).unwrap_or(0);
        let around =
            |text: &str| text.lines().skip(first.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
        panic!(
            "JSON and XML differ at line {first}:\n--- json\n{}\n--- xml\n{}",
            around(&json),
            around(&xml)
        );
    }
}

#[test]
fn bad_csdl_json_is_a_located_error() {
    let bad = r#"{"$Version": "4.0", "ns": {"T": {"$Kind": "EntityType", "a": {"$Type": "ns.Missing"}}}}"#;
    let err = codegen::Builder::new().input_text("bad.json", bad).generate_model().unwrap_err().to_string();
    assert!(err.contains("bad.json:1:57: error[E0303]: reference to undeclared type `ns.Missing`"), "{err}");
    let duplicate = "{\"$Version\": \"4.0\",\n \"ns\": {},\n \"ns\": {}}";
    let err =
        codegen::Builder::new().input_text("dup.json", duplicate).generate_model().unwrap_err().to_string();
    assert!(err.contains("dup.json:3:") && err.contains("error[E0204]") && err.contains("twice"), "{err}");
    let wrong = r#"{"$Version": "4.0", "ns": {"T": {"$Kind": "Nonsense"}, "U": {"$Kind": "ComplexType"}}}"#;
    let err =
        codegen::Builder::new().input_text("kind.json", wrong).generate_model().unwrap_err().to_string();
    assert!(err.contains("error[E0205]: `ns.T` has the unknown `$Kind` `Nonsense`"), "{err}");
}
