//! OData CSDL JSON 4.01 (what `$metadata?$format=json` returns) → the same raw structs the
//! XML reader makes, so both lower the same way. Positions are the byte offsets where each
//! member is written, found through its JSON pointer.
//!
//! The JSON form's defaults differ from XML's, and are applied here: a property's, parameter's
//! or return type's `$Type` is `Edm.String` when absent and its `$Nullable` false; an
//! enumeration member's value is its number.

use super::read::{
    Annotation, AnnotationBlock, ChildKind, Container, ContainerChild, Document, EnumType, Include, Member,
    Operation, Parameter, Property, ReadError, Reference, ReturnType, Schema, Structured, TypeDefinition,
    Value,
};
use crate::diag::Code;
use crate::openapi::node::{self, Node};

/// Whether `text` is a CSDL JSON document: a JSON object whose top level has `$Version`.
pub fn detect(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}');
    node::is_json(body) && crate::openapi::top_level_json_keys(body).iter().any(|k| k == "$Version")
}

/// Reads one CSDL JSON document; also returns the non-fatal problems found.
pub fn read(text: &str) -> Result<(Document, Vec<ReadError>), ReadError> {
    let root = node::parse(text).map_err(|e| ReadError {
        code: Code::MalformedJson,
        message: format!("malformed JSON: {}", e.message),
        pos: e.offset,
    })?;
    let mut r = Reader { text, root: &root, located: node::Located::new(), problems: Vec::new() };
    let doc = r.document()?;
    Ok((doc, r.problems))
}

struct Reader<'a> {
    text: &'a str,
    root: &'a Node,
    located: node::Located,
    problems: Vec<ReadError>,
}

/// `pointer` extended by the member `key`.
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", node::escape(key))
}

fn string(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_owned)
}

fn flag(node: &Node, key: &str) -> bool {
    matches!(node.get(key), Some(Node::Bool(true)))
}

/// A facet written as a number or a string (`"max"`, `"variable"`).
fn facet(node: &Node, key: &str) -> Option<String> {
    match node.get(key)? {
        Node::Number(n) => Some(number_text(*n)),
        Node::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        (n as i64).to_string()
    } else {
        n.to_string()
    }
}

/// `$Type` (default `Edm.String`) wrapped in `Collection(..)` when `$Collection` is true.
fn type_of(node: &Node) -> String {
    let ty = string(node, "$Type").unwrap_or_else(|| "Edm.String".to_owned());
    if flag(node, "$Collection") {
        format!("Collection({ty})")
    } else {
        ty
    }
}

/// `$Nullable`, whose absence means false in CSDL JSON.
fn nullable(node: &Node) -> Option<bool> {
    Some(flag(node, "$Nullable"))
}

impl Reader<'_> {
    fn pos(&mut self, pointer: &str) -> usize {
        node::locate_cached(self.text, self.root, pointer, &mut self.located)
    }

    fn problem(&mut self, pointer: &str, message: String) {
        let pos = self.pos(pointer);
        self.problems.push(ReadError { code: Code::WrongJsonKind, message, pos });
    }

    /// The object at `pointer`, or a problem saying what it is instead.
    fn object<'n>(&mut self, node: &'n Node, pointer: &str, what: &str) -> Option<&'n Node> {
        match node {
            Node::Object(_) => Some(node),
            other => {
                self.problem(pointer, format!("{what} must be a JSON object, not {}", other.kind()));
                None
            }
        }
    }

    fn document(&mut self) -> Result<Document, ReadError> {
        let root = self.root;
        let Node::Object(members) = root else {
            return Err(ReadError {
                code: Code::NotCsdl,
                message: "a CSDL JSON document is a JSON object".into(),
                pos: 0,
            });
        };
        let version = string(root, "$Version").unwrap_or_default();
        let v2 = version.starts_with("1.") || version.starts_with("2.");
        let mut doc = Document { v2, version, ..Document::default() };
        if let Some(references) = root.get("$Reference") {
            for (uri, reference) in references.members() {
                let pointer = child("/$Reference", uri);
                let index = doc.references.len();
                let pos = self.pos(&pointer);
                doc.references.push(Reference { uri: uri.clone(), pos });
                for include in reference.get("$Include").map(Node::items).unwrap_or_default() {
                    if let Some(namespace) = string(include, "$Namespace") {
                        doc.includes.push(Include {
                            namespace,
                            alias: string(include, "$Alias"),
                            reference: index,
                        });
                    }
                }
            }
        }
        for (namespace, schema) in members.iter().filter(|(k, _)| !k.starts_with('$')) {
            let pointer = child("", namespace);
            if let Some(schema) = self.object(schema, &pointer, &format!("the schema `{namespace}`")) {
                doc.schemas.push(self.schema(namespace, schema, &pointer));
            }
        }
        Ok(doc)
    }

    fn schema(&mut self, namespace: &str, node: &Node, pointer: &str) -> Schema {
        let pos = self.pos(pointer);
        let mut schema = Schema {
            namespace: namespace.to_owned(),
            alias: string(node, "$Alias"),
            pos,
            ..Schema::default()
        };
        for (name, element) in node.members() {
            let here = child(pointer, name);
            if name == "$Annotations" {
                for (target, annotations) in element.members() {
                    let at = child(&here, target);
                    let pos = self.pos(&at);
                    let annotations = self.annotations(annotations, &at, "");
                    schema.annotation_blocks.push(AnnotationBlock {
                        target: target.clone(),
                        pos,
                        annotations,
                    });
                }
                continue;
            }
            if name.starts_with('$') || name.starts_with('@') {
                continue;
            }
            // Actions and functions are arrays of overloads.
            if let Node::Array(overloads) = element {
                for (i, overload) in overloads.iter().enumerate() {
                    let at = format!("{here}/{i}");
                    if let Some(op) = self.operation(name, overload, &at) {
                        schema.operations.push(op);
                    }
                }
                continue;
            }
            let Some(element) = self.object(element, &here, &format!("`{namespace}.{name}`")) else {
                continue;
            };
            match element.get("$Kind").and_then(Node::as_str) {
                Some("EntityType") => schema.entity_types.push(self.structured(name, element, &here)),
                Some("ComplexType") => schema.complex_types.push(self.structured(name, element, &here)),
                Some("EnumType") => schema.enum_types.push(self.enum_type(name, element, &here)),
                Some("TypeDefinition") => {
                    let pos = self.pos(&here);
                    schema.type_definitions.push(TypeDefinition {
                        name: name.clone(),
                        pos,
                        underlying: string(element, "$UnderlyingType").unwrap_or_else(|| "Edm.String".into()),
                        max_length: facet(element, "$MaxLength"),
                        precision: facet(element, "$Precision"),
                        scale: facet(element, "$Scale"),
                        srid: facet(element, "$SRID"),
                        annotations: self.annotations(element, &here, ""),
                    });
                }
                Some("EntityContainer") => schema.containers.push(self.container(name, element, &here)),
                // Terms declare vocabulary, not model types.
                Some("Term") => {}
                Some(other) => {
                    let message =
                        format!("`{namespace}.{name}` has the unknown `$Kind` `{other}`; it is skipped");
                    self.problem(&here, message);
                }
                None => self.problem(&here, format!("`{namespace}.{name}` has no `$Kind`; it is skipped")),
            }
        }
        schema
    }

    /// The annotations among `node`'s members: `@Term` and `@Term#Qualifier` (`prefix` empty),
    /// or `prefix@Term` for those of the member `prefix`. An annotation's own annotations
    /// (`@A@B`) are skipped.
    fn annotations(&mut self, node: &Node, pointer: &str, prefix: &str) -> Vec<Annotation> {
        let mut out = Vec::new();
        for (key, value) in node.members() {
            let Some(rest) = key.strip_prefix(prefix).and_then(|k| k.strip_prefix('@')) else {
                continue;
            };
            if rest.contains('@') || rest.is_empty() {
                continue;
            }
            let (term, qualifier) = match rest.split_once('#') {
                Some((t, q)) => (t.to_owned(), Some(q.to_owned())),
                None => (rest.to_owned(), None),
            };
            let pos = self.pos(&child(pointer, key));
            out.push(Annotation { term, qualifier, value: annotation_value(value), pos });
        }
        out
    }

    fn structured(&mut self, name: &str, node: &Node, pointer: &str) -> Structured {
        let pos = self.pos(pointer);
        let mut t = Structured {
            name: name.to_owned(),
            pos,
            base_type: string(node, "$BaseType").map(|b| (b, pos)),
            is_abstract: flag(node, "$Abstract"),
            open_type: flag(node, "$OpenType"),
            has_stream: flag(node, "$HasStream"),
            annotations: self.annotations(node, pointer, ""),
            ..Structured::default()
        };
        for part in node.get("$Key").map(Node::items).unwrap_or_default() {
            match part {
                Node::String(name) => t.key.push((name.clone(), None)),
                // `{"alias": "path/to/property"}`
                Node::Object(aliased) => {
                    for (alias, path) in aliased {
                        if let Some(path) = path.as_str() {
                            t.key.push((path.to_owned(), Some(alias.clone())));
                        }
                    }
                }
                _ => {}
            }
        }
        for (member, value) in node.members().iter().filter(|(k, _)| !k.starts_with('$') && !k.contains('@'))
        {
            let here = child(pointer, member);
            let Some(value) = self.object(value, &here, &format!("the property `{name}.{member}`")) else {
                continue;
            };
            let is_navigation = value.get("$Kind").and_then(Node::as_str) == Some("NavigationProperty");
            let pos = self.pos(&here);
            t.properties.push(Property {
                name: member.clone(),
                ty: type_of(value),
                pos,
                nullable: nullable(value),
                is_navigation,
                relationship: None,
                contains_target: flag(value, "$ContainsTarget"),
                partner: string(value, "$Partner"),
                default_value: value.get("$DefaultValue").map(|v| match v {
                    Node::String(s) => s.clone(),
                    Node::Number(n) => number_text(*n),
                    Node::Bool(b) => b.to_string(),
                    _ => String::new(),
                }),
                max_length: facet(value, "$MaxLength"),
                precision: facet(value, "$Precision"),
                scale: facet(value, "$Scale"),
                srid: facet(value, "$SRID"),
                annotations: {
                    let mut a = self.annotations(value, &here, "");
                    a.extend(self.annotations(node, pointer, member));
                    a
                },
            });
        }
        t
    }

    fn enum_type(&mut self, name: &str, node: &Node, pointer: &str) -> EnumType {
        let pos = self.pos(pointer);
        let mut e = EnumType {
            name: name.to_owned(),
            pos,
            underlying: string(node, "$UnderlyingType"),
            is_flags: flag(node, "$IsFlags"),
            annotations: self.annotations(node, pointer, ""),
            ..EnumType::default()
        };
        for (member, value) in node.members().iter().filter(|(k, _)| !k.starts_with('$') && !k.contains('@'))
        {
            let here = child(pointer, member);
            let pos = self.pos(&here);
            let value = match value {
                Node::Number(n) => Some(number_text(*n)),
                Node::String(s) => Some(s.clone()),
                _ => None,
            };
            let annotations = self.annotations(node, pointer, member);
            e.members.push(Member { name: member.clone(), value, pos, annotations });
        }
        e
    }

    fn operation(&mut self, name: &str, node: &Node, pointer: &str) -> Option<Operation> {
        let is_function = match node.get("$Kind").and_then(Node::as_str) {
            Some("Function") => true,
            Some("Action") => false,
            _ => {
                self.problem(
                    pointer,
                    format!("an overload of `{name}` is neither an `Action` nor a `Function`"),
                );
                return None;
            }
        };
        let pos = self.pos(pointer);
        let mut parameters = Vec::new();
        for (i, p) in node.get("$Parameter").map(Node::items).unwrap_or_default().iter().enumerate() {
            let here = format!("{pointer}/$Parameter/{i}");
            let Some(name) = string(p, "$Name") else {
                self.problem(&here, "a parameter has no `$Name`; it is skipped".to_owned());
                continue;
            };
            let annotations = self.annotations(p, &here, "");
            let pos = self.pos(&here);
            parameters.push(Parameter { name, ty: type_of(p), pos, nullable: nullable(p), annotations });
        }
        let return_type =
            node.get("$ReturnType").map(|r| ReturnType { ty: type_of(r), pos, nullable: nullable(r) });
        Some(Operation {
            is_function,
            name: name.to_owned(),
            pos,
            is_bound: flag(node, "$IsBound"),
            is_composable: flag(node, "$IsComposable"),
            entity_set_path: string(node, "$EntitySetPath"),
            parameters,
            return_type,
            service_operation: None,
            annotations: self.annotations(node, pointer, ""),
        })
    }

    fn container(&mut self, name: &str, node: &Node, pointer: &str) -> Container {
        let pos = self.pos(pointer);
        let mut c = Container {
            name: name.to_owned(),
            pos,
            annotations: self.annotations(node, pointer, ""),
            ..Container::default()
        };
        for (member, value) in node.members().iter().filter(|(k, _)| !k.starts_with('$') && !k.contains('@'))
        {
            let here = child(pointer, member);
            let (kind, target) = if let Some(action) = string(value, "$Action") {
                (ChildKind::ActionImport, action)
            } else if let Some(function) = string(value, "$Function") {
                (ChildKind::FunctionImport, function)
            } else if let Some(ty) = string(value, "$Type") {
                let kind =
                    if flag(value, "$Collection") { ChildKind::EntitySet } else { ChildKind::Singleton };
                (kind, ty)
            } else {
                self.problem(
                    &here,
                    format!("`{name}/{member}` is no entity set, singleton or import; it is skipped"),
                );
                continue;
            };
            let bindings = value
                .get("$NavigationPropertyBinding")
                .map(Node::members)
                .unwrap_or_default()
                .iter()
                .filter_map(|(path, target)| Some((path.clone(), target.as_str()?.to_owned())))
                .collect();
            let pos = self.pos(&here);
            let mut annotations = self.annotations(value, &here, "");
            annotations.extend(self.annotations(node, pointer, member));
            c.children.push(ContainerChild {
                kind,
                name: member.clone(),
                pos,
                target,
                entity_set: string(value, "$EntitySet"),
                bindings,
                service_operation: None,
                annotations,
            });
        }
        c
    }
}

/// An annotation's JSON value as the XML reader represents it: strings, booleans and numbers
/// as constants, arrays as collections, objects as records (`$Path` and the like as the
/// constant they stand for; other dynamic expressions as no value).
fn annotation_value(node: &Node) -> Value {
    match node {
        Node::Null => Value::Constant("Null".into(), String::new()),
        Node::Bool(b) => Value::Constant("Bool".into(), b.to_string()),
        Node::Number(n) if n.fract() == 0.0 => Value::Constant("Int".into(), number_text(*n)),
        Node::Number(n) => Value::Constant("Float".into(), n.to_string()),
        Node::String(s) => Value::Constant("String".into(), s.clone()),
        Node::Array(items) => Value::Collection(items.iter().map(annotation_value).collect()),
        Node::Object(members) => {
            for (key, kind) in [
                ("$Path", "Path"),
                ("$PropertyPath", "PropertyPath"),
                ("$NavigationPropertyPath", "NavigationPropertyPath"),
                ("$AnnotationPath", "AnnotationPath"),
                ("$ModelElementPath", "ModelElementPath"),
            ] {
                if let Some(path) = node.get(key).and_then(Node::as_str) {
                    return Value::Constant(kind.into(), path.to_owned());
                }
            }
            if members.iter().any(|(k, _)| k.starts_with('$')) {
                return Value::None;
            }
            let fields = members
                .iter()
                .filter(|(k, _)| !k.contains('@'))
                .map(|(k, v)| (k.clone(), annotation_value(v)))
                .collect();
            Value::Record(fields)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = r#"{
  "$Version": "4.01",
  "$EntityContainer": "shop.Shop",
  "$Reference": {
    "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json": {
      "$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]
    }
  },
  "shop": {
    "$Alias": "s",
    "Book": {
      "$Kind": "EntityType",
      "$Key": ["ID"],
      "@Core.Description": "A book.",
      "ID": {"$Type": "Edm.Int32"},
      "title": {"$Nullable": true},
      "title@Core.Description": "Its title.",
      "tags": {"$Collection": true},
      "author": {"$Kind": "NavigationProperty", "$Type": "s.Author", "$Nullable": true}
    },
    "Author": {"$Kind": "EntityType", "$Key": ["name"], "name": {}},
    "Genre": {"$Kind": "EnumType", "Fiction": 0, "Poetry": 1},
    "rate": [{"$Kind": "Action", "$IsBound": true, "$Parameter": [{"$Name": "book", "$Type": "s.Book"}, {"$Name": "stars", "$Type": "Edm.Int32"}]}],
    "Shop": {
      "$Kind": "EntityContainer",
      "Books": {"$Collection": true, "$Type": "s.Book", "$NavigationPropertyBinding": {"author": "Authors"}},
      "Authors": {"$Collection": true, "$Type": "s.Author"},
      "Featured": {"$Type": "s.Book"}
    },
    "$Annotations": {"s.Shop/Books": {"@Core.Description": "All books."}}
  }
}"#;

    #[test]
    fn csdl_json_reads_into_the_raw_structs_with_json_defaults_and_positions() {
        assert!(detect(SERVICE));
        let (doc, problems) = read(SERVICE).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(doc.includes[0].alias.as_deref(), Some("Core"));
        let s = &doc.schemas[0];
        assert_eq!((s.namespace.as_str(), s.alias.as_deref()), ("shop", Some("s")));
        let book = &s.entity_types[0];
        assert!(SERVICE[book.pos..].starts_with("\"Book\""), "{}", &SERVICE[book.pos..book.pos + 10]);
        let props: Vec<(&str, &str, Option<bool>)> =
            book.properties.iter().map(|p| (p.name.as_str(), p.ty.as_str(), p.nullable)).collect();
        assert_eq!(
            props,
            [
                ("ID", "Edm.Int32", Some(false)),
                ("title", "Edm.String", Some(true)),
                ("tags", "Collection(Edm.String)", Some(false)),
                ("author", "s.Author", Some(true)),
            ]
        );
        assert_eq!(
            book.properties[1].annotations[0].value,
            Value::Constant("String".into(), "Its title.".into())
        );
        assert!(book.properties[3].is_navigation);
        assert_eq!(s.enum_types[0].members[1].value.as_deref(), Some("1"));
        assert!(s.operations[0].is_bound && !s.operations[0].is_function);
        let kinds: Vec<ChildKind> = s.containers[0].children.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChildKind::EntitySet, ChildKind::EntitySet, ChildKind::Singleton]);
        assert_eq!(s.annotation_blocks[0].target, "s.Shop/Books");
    }

    #[test]
    fn malformed_json_and_duplicate_members_are_located_errors() {
        let err = read("{\"$Version\": \"4.0\", \"a\": {\"$Kind\": }}").unwrap_err();
        assert!(err.message.starts_with("malformed JSON"), "{}", err.message);
        assert_eq!(err.pos, 35, "at the closing brace where a value was expected");
        let err = read("{\"$Version\": \"4.0\", \"a\": {}, \"a\": {}}").unwrap_err();
        assert!(err.message.contains("appears twice"), "{}", err.message);
    }
}
