//! Shared by the targets and by the regression tests of what they found
//! (`tests/tests/fuzz_regressions.rs`). What every front-end target does: generate from the
//! input as a file named `name`; a run may fail (with located diagnostics) but never panic,
//! and the code it makes must parse.

#[allow(dead_code)]
pub fn generate(name: &str, data: &[u8]) {
    generate_with(codegen::Builder::new().input_bytes(name, data.to_vec()));
}

#[allow(dead_code)]
pub fn generate_with(builder: codegen::Builder) {
    // The runtime as a dependency: its code is the same for every input, so not parsed again.
    let builder = builder.runtime(codegen::Runtime::dependency(r#"{ path = "runtime" }"#));
    if let Ok(code) = builder.generate_tokens() {
        if let Err(e) = syn::parse_file(&code) {
            panic!("the generated code does not parse: {e}\n{code}");
        }
    }
}

/// The names target: `name` as a property, enumeration value and operation name of an OpenAPI
/// document, and as a property and member name of CSDL read leniently.
#[allow(dead_code)]
pub fn names(name: &str) {
    let json = serde_json::Value::String(name.to_owned()).to_string();
    let openapi = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
  "paths": {{"/items/{{id}}": {{"get": {{"operationId": {json}, "parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}],
    "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item"}}}}}}}}}}}}}}}},
  "components": {{"schemas": {{"Item": {{"type": "object", "properties": {{{json}: {{"type": "string", "enum": [{json}, "b"]}}}}}}}}}}}}"##
    );
    generate_with(codegen::Builder::new().input_text("api.json", openapi));
    let escaped = name.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let csdl = format!(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="t"><Property Name="{escaped}" Type="Edm.String" /></ComplexType>
<EnumType Name="e"><Member Name="{escaped}" Value="1" /></EnumType>
</Schema></edmx:DataServices></edmx:Edmx>"#
    );
    generate_with(codegen::Builder::new().input_text("metadata.xml", csdl).lenient(true));
}
