//! The OpenAPI front end (OpenAPI 3.0.x and 3.1.x, YAML or JSON).
//!
//! [`node`] reads a document into an ordered tree (serde_yaml for YAML, serde_json for
//! JSON) and locates JSON pointers in its text; [`lower`] turns the documents' schemas into
//! the model's types and their paths into [`PathOperation`](crate::model::PathOperation)s,
//! resolving `$ref`s within and across the documents given.

pub mod lower;
pub mod node;

use std::sync::Arc;

use crate::diag::{Code, Diagnostics, SourceMap};
use crate::model::Model;

/// Whether `text` is an OpenAPI (or Swagger) document: a JSON object or YAML mapping whose
/// top level has an `openapi` (or `swagger`) member.
pub fn detect(name: &str, text: &str) -> bool {
    if name.ends_with(".md") {
        return false;
    }
    let body = text.trim_start_matches('\u{feff}');
    if node::is_json(body) {
        // The member may come anywhere in the object: look at the top level only.
        return top_level_json_keys(body).iter().any(|k| k == "openapi" || k == "swagger");
    }
    body.lines().take(2000).any(|line| {
        let key = line.split(':').next().unwrap_or("").trim_end();
        line.contains(':') && ["openapi", "swagger", "\"openapi\"", "'openapi'", "\"swagger\""].contains(&key)
    })
}

/// The keys of a JSON document's top-level object, found by a scan that tracks nesting
/// and strings (no full parse).
pub(crate) fn top_level_json_keys(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let (mut depth, mut i, mut keys) = (0usize, 0usize, Vec::new());
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    keys.push(body.get(start..i.min(body.len())).unwrap_or("").to_owned());
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Reads and lowers a set of OpenAPI documents (name, text) into one model.
pub fn load(files: &[(String, Arc<str>)], diags: &mut Diagnostics) -> Model {
    let mut docs = Vec::new();
    for (name, text) in files {
        let map = SourceMap::new(name, text.clone());
        match node::parse(text) {
            Ok(root) => docs.push(lower::Document { name: name.clone(), text: text.clone(), map, root }),
            Err(e) => diags.error(Code::MalformedDocument, Some(map.locate(e.offset)), e.message),
        }
    }
    lower::lower(&docs, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_openapi_in_yaml_and_json_at_the_top_level_only() {
        assert!(detect("a.yaml", "openapi: 3.0.3\ninfo: {}\n"));
        assert!(detect("a.yaml", "# comment\n---\n\"openapi\": \"3.1.0\"\n"));
        assert!(detect("a.json", "{\"info\": {\"openapi\": 1}, \"openapi\": \"3.1.0\"}"));
        assert!(!detect("a.json", "{\"info\": {\"openapi\": \"3.1.0\"}}"));
        assert!(!detect("a.md", "openapi: 3.0.0\n"));
        assert!(!detect("a.yaml", "name: x\n"));
        assert!(detect("a.yaml", "swagger: '2.0'\n"));
    }

    #[test]
    fn examples_of_schemas_media_types_parameters_and_headers_are_read_with_their_types() {
        let text = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}, example: 7}
      responses:
        '200':
          headers:
            X-Rate: {schema: {type: integer, format: int32}, example: 10}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                rex: {$ref: '#/components/examples/Rex'}
                inline: {value: {name: Tom}}
components:
  examples:
    Rex: {value: {name: Rex}}
  schemas:
    Pet:
      type: object
      example: {name: Fido}
      properties:
        name: {type: [string, 'null'], examples: [Bella, null]}
"#;
        let files = vec![("api.yaml".to_owned(), Arc::<str>::from(text))];
        let mut diags = Diagnostics::default();
        let model = load(&files, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        let found: Vec<(String, String, bool, String)> = model
            .examples
            .iter()
            .map(|e| {
                let ty = match e.ty.target {
                    crate::model::Target::Named(id) => model.ty(id).name.clone(),
                    crate::model::Target::Primitive(p) => format!("{p:?}"),
                };
                (e.at.clone(), ty, e.nullable, e.value.clone())
            })
            .collect();
        let expect = |at: &str, ty: &str, nullable: bool, value: &str| {
            (format!("api.yaml#{at}"), ty.to_owned(), nullable, value.to_owned())
        };
        assert_eq!(
            found,
            vec![
                expect("/components/schemas/Pet/example", "Pet", false, r#"{"name":"Fido"}"#),
                expect("/components/schemas/Pet/properties/name/examples/0", "String", true, r#""Bella""#),
                expect("/components/schemas/Pet/properties/name/examples/1", "String", true, "null"),
                expect("/paths/~1pets~1{id}/get/parameters/0/example", "Int64", false, "7"),
                expect("/components/examples/Rex/value", "Pet", false, r#"{"name":"Rex"}"#),
                expect(
                    "/paths/~1pets~1{id}/get/responses/200/content/application~1json/examples/inline/value",
                    "Pet",
                    false,
                    r#"{"name":"Tom"}"#
                ),
                expect("/paths/~1pets~1{id}/get/responses/200/headers/X-Rate/example", "Int32", false, "10"),
            ]
        );
    }

    #[test]
    fn a_union_member_leading_back_to_its_union_through_unions_is_dropped() {
        let text = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      oneOf: [{type: string}, {$ref: '#/components/schemas/U'}, {$ref: '#/components/schemas/V'}]
    V:
      anyOf: [{type: integer}, {$ref: '#/components/schemas/U'}, {type: array, items: {$ref: '#/components/schemas/V'}}]
"#;
        let files = vec![("api.yaml".to_owned(), Arc::<str>::from(text))];
        let mut diags = Diagnostics::default();
        let model = load(&files, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        let members = |name: &str| -> Vec<String> {
            let t = model.types.iter().find(|t| t.name == name).expect("declared");
            let crate::model::TypeKind::Union(u) = &t.kind else { panic!("{name} is not a union") };
            u.members.iter().map(|m| m.name.clone()).collect()
        };
        // `U` through `U` and through `V` would read a value neither reads forever.
        assert_eq!(members("U"), ["text"]);
        // `V` keeps `U` (which no longer leads back) and its list of itself (a nested array).
        assert_eq!(members("V"), ["integer", "U", "list"]);
    }
}
