//! OpenAPI documents → the model.
//!
//! - Named schemas (`components/schemas`) become types: objects (`properties`, `allOf`)
//!   complex types, string `enum`s enumerations, other primitives type definitions. A schema
//!   that is an array, or only a `$ref`, is not a type: references to it stand for what it
//!   is (a collection of its items, the referenced type).
//! - An inline object or enumeration becomes a type named after where it stands (typify's
//!   approach): `Pet` + property `owner` is `PetOwner`, an array's items add `Item`, an
//!   operation's body and result are `{operation}Request` and `{operation}Response`.
//! - `allOf` with one `$ref` to an object schema and inline parts is inheritance (Graph's
//!   pattern): the schema derives from the referenced one and declares what the inline
//!   parts add. Any other `allOf` is merged: the properties of every part, in order (a
//!   `$ref` part's own parts first).
//! - A `oneOf`/`anyOf` of `$ref`s with a `discriminator` is an abstract type the listed
//!   schemas derive from (unless one derives from another type already).
//! - A hierarchy is polymorphic (read as the type its values name) when it has a
//!   discriminator: a `discriminator` in it, else `@odata.type` when its root declares that
//!   property or the document describes an OData service. Without one, a value is read as
//!   the declared type, what a derived type adds kept in `extra`.
//! - `anyOf`/`oneOf` of one schema and `null` (the nullable-wrapper idiom) is that schema;
//!   other `anyOf`/`oneOf`, and schemas with no type, are any JSON value.
//! - Every path and method is a path operation; path-item parameters apply to each of its
//!   operations unless one redeclares them. Bodies and responses are typed when their
//!   media type is JSON (`application/json`, `*+json`), bytes otherwise.
//! - `$ref`s resolve within a document and into the other documents given (relative to the
//!   referring file); remote references are never fetched.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::node::{escape, locate_cached, Located, Node};
use crate::diag::{Code, Diagnostics, Location, SourceMap};
use crate::model::*;
use crate::plan::surface::{is_form, is_json, is_multipart};

/// A document read.
pub struct Document {
    /// The file as the user named it.
    pub name: String,
    /// Its text (for locating pointers).
    pub text: Arc<str>,
    /// Locates byte offsets of the text.
    pub map: SourceMap,
    /// What was read.
    pub root: Node,
}

/// A place in the documents: a document and a JSON pointer into it.
type Place = (usize, String);

struct Lower<'a> {
    docs: &'a [Document],
    diags: &'a mut Diagnostics,
    model: Model,
    namespace: NamespaceId,
    /// Schemas that are types, by place.
    named: BTreeMap<Place, TypeId>,
    /// Type names used.
    names: BTreeSet<(NamespaceId, String)>,
    /// Objects whose properties are still to read.
    pending: Vec<(TypeId, Place)>,
    /// Schemas being followed through `$ref`s (a cycle guard).
    following: Vec<Place>,
    /// Places already reported, so a schema used twice is reported once.
    reported: BTreeSet<(Place, Code)>,
    /// Path operations whose responses are pages (`x-ms-pageable`) and where the pages hold
    /// their items and next link, marked once the properties of their types are read.
    pageable: Vec<(usize, Paging)>,
    /// Where pointers were found in each document's text.
    located: std::cell::RefCell<Vec<Located>>,
    /// Types a `oneOf`/`anyOf` with a discriminator lists, and that type: each becomes a
    /// derived type of it unless it has a base already.
    members: Vec<(TypeId, TypeId, Place)>,
    /// Whether an operation says the document describes an OData service
    /// (`x-ms-docs-operation-type`, or paging by `@odata.nextLink`).
    odata: bool,
    /// Places that may hold examples (schemas, media types, parameters), with the type a
    /// value there is read as and whether it may be `null`.
    example_places: BTreeMap<Place, (TypeRef, bool)>,
}

/// Lowers the documents (each a valid YAML or JSON tree) into one model.
pub fn lower(docs: &[Document], diags: &mut Diagnostics) -> Model {
    let mut lower = Lower {
        docs,
        diags,
        model: Model::default(),
        namespace: NamespaceId(0),
        named: BTreeMap::new(),
        names: BTreeSet::new(),
        pending: Vec::new(),
        following: Vec::new(),
        reported: BTreeSet::new(),
        pageable: Vec::new(),
        located: std::cell::RefCell::new(docs.iter().map(|_| Located::new()).collect()),
        members: Vec::new(),
        odata: false,
        example_places: BTreeMap::new(),
    };
    lower.model.protocol = Protocol::Json;
    let valid: Vec<usize> = (0..docs.len()).filter(|&d| lower.check_version(d)).collect();
    if valid.is_empty() {
        return lower.model;
    }
    // The namespace is named after the document that declares operations (the others
    // hold shared schemas), else the first.
    let main =
        valid.iter().copied().find(|&d| !docs[d].root.get("paths").map_or(&[][..], Node::members).is_empty());
    let title = docs[main.unwrap_or(valid[0])].root.at("/info/title").and_then(Node::as_str).unwrap_or("");
    lower.model.namespaces.push(Namespace {
        name: namespace_name(title),
        aliases: Vec::new(),
        types: Vec::new(),
    });
    lower.model.base_url = base_url(&docs[main.unwrap_or(valid[0])].root);
    lower.security(main.unwrap_or(valid[0]));
    lower.tags(main.unwrap_or(valid[0]));
    for &d in &valid {
        lower.declare_components(d);
    }
    for &d in &valid {
        lower.operations(d);
    }
    lower.query_options();
    lower.fill_pending();
    lower.break_union_cycles();
    lower.link_members();
    lower.discriminators();
    lower.mark_pages();
    lower.examples();
    lower.model
}

/// The namespace for a document titled `title`: its words in snake case (`Swagger Petstore`
/// is `swagger_petstore`), or `api`.
fn namespace_name(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => "api".to_owned(),
    }
}

/// The first `servers` URL that is absolute (`http://` or `https://`), its `{variables}` at
/// their defaults; `None` when there is none, or a variable has no default.
fn base_url(root: &Node) -> Option<String> {
    root.get("servers")?.items().iter().find_map(|server| {
        let mut url = server.get("url")?.as_str()?.to_owned();
        for (name, variable) in server.get("variables").map_or(&[][..], Node::members) {
            let default = variable.get("default")?.as_str()?;
            url = url.replace(&format!("{{{name}}}"), default);
        }
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        // A query or fragment would make every path a query value: not a base URL.
        (absolute && !url.contains(['{', '}', '?', '#']) && !url.chars().any(char::is_whitespace))
            .then(|| url.trim_end_matches('/').to_owned())
    })
}

/// `name` with its first letter in upper case (for names made of parts).
fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

impl Lower<'_> {
    fn node(&self, (d, pointer): &Place) -> Option<&Node> {
        self.docs[*d].root.at(pointer)
    }

    fn location(&self, (d, pointer): &Place) -> Location {
        let doc = &self.docs[*d];
        let offset = locate_cached(&doc.text, &doc.root, pointer, &mut self.located.borrow_mut()[*d]);
        doc.map.locate(offset)
    }

    fn origin(&self, place: &Place) -> Origin {
        Origin::Span(self.location(place))
    }

    /// Reports `message` at `place`, with the JSON pointer; once per place and code.
    fn report(&mut self, code: Code, place: &Place, message: impl std::fmt::Display) {
        if !self.reported.insert((place.clone(), code)) {
            return;
        }
        let at = self.location(place);
        let pointer = if place.1.is_empty() { "/" } else { place.1.as_str() };
        self.diags.push(code, Some(at), format!("{message} (at `#{pointer}`)"), Vec::new());
    }

    /// Whether document `d` is OpenAPI 3.0 or 3.1 (reported when not).
    fn check_version(&mut self, d: usize) -> bool {
        let root = &self.docs[d].root;
        let place = (d, String::new());
        if !matches!(root, Node::Object(_)) {
            let kind = root.kind();
            self.report(
                Code::UnsupportedDocument,
                &place,
                format!("the document is {kind}, not an OpenAPI object"),
            );
            return false;
        }
        match (root.get("openapi"), root.get("swagger")) {
            (Some(Node::String(v)), _) if v.starts_with("3.0") || v.starts_with("3.1") => true,
            (Some(Node::String(v)), _) => {
                let v = v.clone();
                let message = format!("OpenAPI {v} is not read: only OpenAPI 3.0 and 3.1 are");
                self.report(Code::UnsupportedDocument, &(d, "/openapi".into()), message);
                false
            }
            (Some(other), _) => {
                let message =
                    format!("`openapi` must be a version string such as \"3.1.0\", not {}", other.kind());
                self.report(Code::WrongKeywordType, &(d, "/openapi".into()), message);
                false
            }
            (None, Some(_)) => {
                let message = "Swagger 2.0 is not read: convert the document to OpenAPI 3 (for example with swagger2openapi)";
                self.report(Code::UnsupportedDocument, &(d, "/swagger".into()), message);
                false
            }
            (None, None) => {
                self.report(Code::UnsupportedDocument, &place, "the document has no `openapi` version");
                false
            }
        }
    }

    /// The security schemes of document `d`, and which its top-level `security` requires.
    fn security(&mut self, d: usize) {
        let root = &self.docs[d].root;
        let required: Vec<String> = root
            .get("security")
            .map_or(&[][..], Node::items)
            .iter()
            .flat_map(|requirement| requirement.members().iter().map(|(name, _)| name.clone()))
            .collect();
        let Some(schemes) = root.at("/components/securitySchemes") else { return };
        for (name, _) in schemes.members() {
            let place = (d, format!("/components/securitySchemes/{}", escape(name)));
            let Some(scheme) = self.follow(&place).and_then(|p| self.node(&p).cloned()) else { continue };
            let text = |key: &str| scheme.get(key).and_then(Node::as_str).map(str::to_owned);
            let kind =
                match (text("type").as_deref(), text("scheme").map(|s| s.to_ascii_lowercase()).as_deref()) {
                    (Some("http"), Some("basic")) => SecurityKind::Basic,
                    (Some("http"), Some("bearer")) => SecurityKind::Bearer("HTTP bearer".to_owned()),
                    (Some("oauth2"), _) => SecurityKind::Bearer("OAuth 2".to_owned()),
                    (Some("openIdConnect"), _) => SecurityKind::Bearer("OpenID Connect".to_owned()),
                    (Some("apiKey"), _) => match (text("in"), text("name")) {
                        (Some(location), Some(key))
                            if matches!(location.as_str(), "header" | "query" | "cookie") =>
                        {
                            SecurityKind::ApiKey { location, name: key }
                        }
                        _ => {
                            self.report(
                                Code::WrongKeywordType,
                                &place,
                                "an `apiKey` scheme needs a `name` and `in` (header, query or cookie)",
                            );
                            continue;
                        }
                    },
                    (Some("http"), Some(other)) => SecurityKind::Other(format!("HTTP {other}")),
                    (Some(other), _) => SecurityKind::Other(other.to_owned()),
                    (None, _) => {
                        self.report(Code::WrongKeywordType, &place, "a security scheme needs a `type`");
                        continue;
                    }
                };
            self.model.security.push(SecurityScheme {
                name: name.clone(),
                kind,
                default: required.contains(name),
                description: text("description"),
            });
        }
    }

    /// The tags document `d` lists, in its order, with their descriptions.
    fn tags(&mut self, d: usize) {
        for tag in self.docs[d].root.get("tags").map_or(&[][..], Node::items) {
            let Some(name) = tag.get("name").and_then(Node::as_str) else { continue };
            if !self.model.tags.iter().any(|t| t.name == name) {
                let description = tag.get("description").and_then(Node::as_str).map(str::to_owned);
                self.model.tags.push(Tag { name: name.to_owned(), description });
            }
        }
    }

    /// Declares the named schemas of document `d` that are types.
    fn declare_components(&mut self, d: usize) {
        let Some(schemas) = self.docs[d].root.at("/components/schemas") else { return };
        let names: Vec<String> = schemas.members().iter().map(|(name, _)| name.clone()).collect();
        for name in names {
            let place = (d, format!("/components/schemas/{}", escape(&name)));
            self.declare(&place, &name);
        }
    }

    /// Makes the type schema `place` is, named `name`, when it is one (an object, an
    /// enumeration, a primitive); `None` for arrays, references and any-value schemas.
    fn declare(&mut self, place: &Place, name: &str) -> Option<TypeId> {
        if let Some(&id) = self.named.get(place) {
            return Some(id);
        }
        let node = self.node(place)?.clone();
        if node.get("$ref").is_some() {
            return None;
        }
        let kind = if is_object(&node) || self.is_object_union(place) {
            let is_abstract = is_ref_union(&node);
            TypeKind::Complex(Structured { open: true, is_abstract, ..Structured::default() })
        } else if self.is_mixed_union(place) {
            TypeKind::Union(UnionDef::default())
        } else if let Some(def) = self.enum_def(place, &node) {
            TypeKind::Enum(def)
        } else {
            let (ty, _) = primitive_of(&node)?;
            TypeKind::Definition(Definition { underlying: ty, facets: Facets::default() })
        };
        let structured = matches!(kind, TypeKind::Complex(_) | TypeKind::Union(_));
        let (namespace, name) = self.namespace_of(name);
        let name = self.unique_name(namespace, &name);
        let id = TypeId(self.model.types.len());
        self.model.types.push(TypeDef {
            namespace,
            name,
            kind,
            notes: notes(&node),
            origin: self.origin(place),
        });
        self.model.namespaces[namespace.0].types.push(id);
        self.named.insert(place.clone(), id);
        if structured {
            self.pending.push((id, place.clone()));
        }
        Some(id)
    }

    /// The namespace and name of a type named `name`: a dotted name (`microsoft.graph.user`,
    /// `io.k8s.api.core.v1.Pod`) is qualified, its last segment the name in the namespace the
    /// others name; any other name is in the document's namespace.
    fn namespace_of(&mut self, name: &str) -> (NamespaceId, String) {
        let Some((prefix, last)) = name.rsplit_once('.') else { return (self.namespace, name.to_owned()) };
        let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !valid(last) || !prefix.split('.').all(valid) {
            return (self.namespace, name.to_owned());
        }
        let id = match self.model.namespaces.iter().position(|ns| ns.name == prefix) {
            Some(i) => NamespaceId(i),
            None => {
                self.model.namespaces.push(Namespace {
                    name: prefix.to_owned(),
                    aliases: Vec::new(),
                    types: Vec::new(),
                });
                NamespaceId(self.model.namespaces.len() - 1)
            }
        };
        (id, last.to_owned())
    }

    /// The name of type `id` for the names of what stands in it: qualified when it is not
    /// in the document's namespace.
    fn hint_of(&self, id: TypeId) -> String {
        let ty = &self.model.types[id.0];
        if ty.namespace == self.namespace {
            ty.name.clone()
        } else {
            format!("{}.{}", self.model.namespaces[ty.namespace.0].name, ty.name)
        }
    }

    fn unique_name(&mut self, namespace: NamespaceId, name: &str) -> String {
        let base = if name.is_empty() { "Value".to_owned() } else { name.to_owned() };
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.names.insert((namespace, candidate.clone())) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        candidate
    }

    /// A string enumeration (`enum`, or a string `const`: an enumeration of one), with
    /// members named by their values (which are the wire names) and documented by
    /// `x-ms-enum`'s `values` descriptions.
    fn enum_def(&mut self, place: &Place, node: &Node) -> Option<EnumDef> {
        let (keyword, values) = match (node.get("enum"), node.get("const")) {
            (Some(values), _) => ("enum", values.clone()),
            (None, Some(c @ Node::String(_))) => ("const", Node::Array(vec![c.clone()])),
            _ => return None,
        };
        let strings = matches!(types_of(node).as_slice(), [] | ["string"]);
        if !strings {
            return None;
        }
        let described = |value: &str| {
            node.at("/x-ms-enum/values")?.items().iter().find_map(|v| {
                (v.get("value").and_then(Node::as_str) == Some(value))
                    .then(|| v.get("description").and_then(Node::as_str).map(str::to_owned))
                    .flatten()
            })
        };
        let mut members = Vec::new();
        for (i, v) in values.items().iter().enumerate() {
            match v {
                Node::String(s) => {
                    if !members.iter().any(|m: &crate::model::Member| m.name == *s) {
                        let at = if keyword == "const" {
                            format!("{}/const", place.1)
                        } else {
                            format!("{}/enum/{i}", place.1)
                        };
                        members.push(crate::model::Member {
                            name: s.clone(),
                            value: members.len() as i64,
                            notes: Notes { description: described(s), ..Notes::default() },
                            origin: self.origin(&(place.0, at)),
                        });
                    }
                }
                // `null` among the values: the enumeration is nullable.
                Node::Null => {}
                _ => return None,
            }
        }
        if !matches!(values, Node::Array(_)) {
            let kind = values.kind();
            self.report(
                Code::WrongKeywordType,
                &(place.0, format!("{}/enum", place.1)),
                format!("`enum` must be an array, not {kind}"),
            );
            return None;
        }
        (!members.is_empty()).then_some(EnumDef { underlying: Primitive::Int32, is_flags: false, members })
    }

    /// Where a `$ref` written at `at` points; reported (and `None`) when it is remote or
    /// names nothing.
    fn resolve(&mut self, at: &Place, reference: &str) -> Option<Place> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file.contains("://") || file.starts_with("//") {
            let message = format!("`$ref: {reference}` is a remote reference; remote documents are never fetched: download it and give it as an input");
            self.report(Code::RemoteReference, at, message);
            return None;
        }
        let d = if file.is_empty() {
            at.0
        } else {
            let wanted = join(&self.docs[at.0].name, file);
            match self.docs.iter().position(|doc| normalize(&doc.name) == wanted) {
                Some(d) => d,
                None => {
                    let message = format!("`$ref: {reference}` names `{wanted}`, which is not among the inputs: give it as an input too");
                    self.report(Code::DanglingReference, at, message);
                    return None;
                }
            }
        };
        let target = (d, fragment.to_owned());
        if !fragment.is_empty() && !fragment.starts_with('/') || self.node(&target).is_none() {
            let message = format!("`$ref: {reference}` names nothing in `{}`", self.docs[d].name);
            self.report(Code::DanglingReference, at, message);
            return None;
        }
        Some(target)
    }

    /// Follows `$ref`s from `place` to a schema that is not one; `None` when one dangles or
    /// they form a cycle (reported).
    fn follow(&mut self, place: &Place) -> Option<Place> {
        let mut place = place.clone();
        let mut seen = vec![place.clone()];
        loop {
            let reference = match self.node(&place)?.get("$ref") {
                Some(Node::String(r)) => r.clone(),
                Some(other) => {
                    let message = format!("`$ref` must be a string, not {}", other.kind());
                    self.report(Code::WrongKeywordType, &place, message);
                    return None;
                }
                None => return Some(place),
            };
            let next = self.resolve(&place, &reference)?;
            if seen.contains(&next) {
                self.report(
                    Code::ReferenceCycle,
                    &place,
                    format!("`$ref: {reference}` leads back to itself"),
                );
                return None;
            }
            seen.push(next.clone());
            place = next;
        }
    }

    /// The type of the schema at `place`, and whether it allows `null`; an inline object or
    /// enumeration becomes a type named `hint`.
    fn schema(&mut self, place: &Place, hint: &str) -> (TypeRef, bool) {
        let (ty, nullable) = self.schema_type(place, hint);
        self.may_have_examples(place, ty, nullable);
        (ty, nullable)
    }

    /// Notes that values at `place` (its `example` and `examples`) are of type `ty`.
    fn may_have_examples(&mut self, place: &Place, ty: TypeRef, nullable: bool) {
        let node = self.node(place);
        if node.is_some_and(|n| n.get("example").is_some() || n.get("examples").is_some()) {
            self.example_places.entry(place.clone()).or_insert((ty, nullable));
        }
    }

    /// [`Self::schema`], without noting examples.
    fn schema_type(&mut self, place: &Place, hint: &str) -> (TypeRef, bool) {
        let any =
            (TypeRef { map: false, collection: false, target: Target::Primitive(Primitive::Untyped) }, true);
        let Some(node) = self.node(place).cloned() else { return any };
        let nullable_here = is_nullable(&node);
        if node.get("$ref").is_some() {
            let Some(target) = self.follow(place) else { return any };
            if let Some(&id) = self.named.get(&target) {
                return (TypeRef { map: false, collection: false, target: Target::Named(id) }, nullable_here);
            }
            if self.following.contains(&target) {
                return any;
            }
            let name = target.1.rsplit('/').next().map(super::node::unescape).unwrap_or_default();
            self.following.push(target.clone());
            let (ty, nullable) = if target.1.starts_with("/components/schemas/") {
                match self.declare(&target, &name) {
                    Some(id) => (TypeRef { map: false, collection: false, target: Target::Named(id) }, false),
                    None => self.schema(&target, &name),
                }
            } else {
                self.schema(&target, &name)
            };
            self.following.pop();
            return (ty, nullable || nullable_here);
        }
        if !matches!(node, Node::Object(_)) {
            // `true` or `{}`: any value (3.1 boolean schemas).
            return any;
        }
        // A `oneOf`/`anyOf` of objects: a type its members derive from.
        if is_discriminated_union(&node) || self.is_object_union(place) {
            if let Some(id) = self.declare(place, hint) {
                return (TypeRef { map: false, collection: false, target: Target::Named(id) }, nullable_here);
            }
        }
        // The nullable-wrapper idiom: one schema and `null`.
        for keyword in ["anyOf", "oneOf"] {
            if let Some(list) = node.get(keyword) {
                let parts: Vec<usize> =
                    (0..list.items().len()).filter(|&i| !is_null_schema(&list.items()[i])).collect();
                let null = parts.len() < list.items().len();
                if let [only] = parts.as_slice() {
                    let inner = (place.0, format!("{}/{keyword}/{only}", place.1));
                    let (ty, nullable) = self.schema(&inner, hint);
                    return (ty, nullable || null || nullable_here);
                }
                // Of several types: a union of them.
                if self.is_mixed_union(place) {
                    if let Some(id) = self.declare(place, hint) {
                        let ty = TypeRef { map: false, collection: false, target: Target::Named(id) };
                        return (ty, null || nullable_here);
                    }
                }
                return any;
            }
        }
        if let Some(list) = node.get("allOf") {
            if let ([_], None) = (list.items(), node.get("properties")) {
                let inner = (place.0, format!("{}/allOf/0", place.1));
                let (ty, nullable) = self.schema(&inner, hint);
                return (ty, nullable || nullable_here);
            }
        }
        let types = types_of(&node);
        // An object of `additionalProperties` only: a map of their type.
        if let Some(Node::Object(members)) = node.get("additionalProperties") {
            let plain = matches!(types.as_slice(), [] | ["object"])
                && node.get("properties").is_none()
                && node.get("allOf").is_none()
                && node.get("oneOf").is_none()
                && node.get("anyOf").is_none();
            if plain && !members.is_empty() {
                let at = (place.0, format!("{}/additionalProperties", place.1));
                let (item, _) = self.schema(&at, &format!("{hint}Value"));
                if item.collection || item.map {
                    return (TypeRef { map: true, collection: false, target: any.0.target }, nullable_here);
                }
                return (TypeRef { map: true, collection: false, target: item.target }, nullable_here);
            }
        }
        if types.as_slice() == ["array"] || (types.is_empty() && node.get("items").is_some()) {
            let items = (place.0, format!("{}/items", place.1));
            if self.node(&items).is_none() {
                return (
                    TypeRef { map: false, collection: true, target: Target::Primitive(Primitive::Untyped) },
                    nullable_here,
                );
            }
            let (item, _) = self.schema(&items, &format!("{hint}Item"));
            if item.collection || item.map {
                // An array of arrays is not a model type: any value.
                return (TypeRef { map: false, collection: false, ..any.0 }, nullable_here);
            }
            return (TypeRef { map: false, collection: true, target: item.target }, nullable_here);
        }
        if let Some(def) = self.enum_def(place, &node).filter(|_| !is_object(&node)) {
            // `x-ms-enum`'s name names the enumeration; places of the same name and members
            // share one type.
            let name = node.at("/x-ms-enum/name").and_then(Node::as_str).filter(|n| !n.trim().is_empty());
            if let Some(name) = name {
                let members: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
                let same = self.named.values().copied().find(|&id| {
                    let t = &self.model.types[id.0];
                    t.name == name
                        && matches!(&t.kind, TypeKind::Enum(e) if e.members.iter().map(|m| m.name.as_str()).eq(members.iter().copied()))
                });
                if let Some(id) = same {
                    return (
                        TypeRef { map: false, collection: false, target: Target::Named(id) },
                        nullable_here,
                    );
                }
            }
            let hint = name.map_or_else(|| hint.to_owned(), str::to_owned);
            if let Some(id) = self.declare(place, &hint) {
                return (TypeRef { map: false, collection: false, target: Target::Named(id) }, nullable_here);
            }
        }
        if is_object(&node) {
            if let Some(id) = self.declare(place, hint) {
                return (TypeRef { map: false, collection: false, target: Target::Named(id) }, nullable_here);
            }
        }
        match primitive_of(&node) {
            Some((p, nullable)) => (
                TypeRef { map: false, collection: false, target: Target::Primitive(p) },
                nullable || nullable_here,
            ),
            None => any,
        }
    }

    /// The examples at the places noted ([`Self::may_have_examples`]) and at the named
    /// schemas: a schema's `example` and (3.1) `examples` array; a media type's or
    /// parameter's `example` and `examples` map of Example objects (their `value`; an
    /// `externalValue` is never fetched).
    fn examples(&mut self) {
        let named: Vec<(Place, TypeId)> = self.named.iter().map(|(p, &id)| (p.clone(), id)).collect();
        for (place, id) in named {
            let nullable = self.node(&place).is_some_and(is_nullable);
            let ty = TypeRef { map: false, collection: false, target: Target::Named(id) };
            self.may_have_examples(&place, ty, nullable);
        }
        let places = std::mem::take(&mut self.example_places);
        for (place, (ty, nullable)) in places {
            let Some(node) = self.node(&place).cloned() else { continue };
            let mut values = Vec::new();
            if node.get("example").is_some() {
                values.push((place.0, format!("{}/example", place.1)));
            }
            match node.get("examples") {
                Some(Node::Array(items)) => {
                    values.extend((0..items.len()).map(|i| (place.0, format!("{}/examples/{i}", place.1))))
                }
                Some(Node::Object(members)) => {
                    for (name, _) in members {
                        let at = (place.0, format!("{}/examples/{}", place.1, escape(name)));
                        let Some(example) = self.follow(&at) else { continue };
                        if self.node(&example).is_some_and(|e| e.get("value").is_some()) {
                            values.push((example.0, format!("{}/value", example.1)));
                        }
                    }
                }
                _ => {}
            }
            for at in values {
                let Some(value) = self.node(&at) else { continue };
                let value = value.to_json().to_string();
                let origin = self.origin(&at);
                let at = format!("{}#{}", self.docs[at.0].name, at.1);
                // An Example object several places refer to, once per type.
                if !self.model.examples.iter().any(|e| e.at == at && e.ty == ty) {
                    self.model.examples.push(Example { at, ty, nullable, value, origin });
                }
            }
        }
    }

    /// Reads the properties of the objects declared, and of those they declare in turn.
    fn fill_pending(&mut self) {
        while let Some((id, place)) = self.pending.pop() {
            if matches!(self.model.types[id.0].kind, TypeKind::Union(_)) {
                self.fill_union(id, &place);
                continue;
            }
            let type_name = self.hint_of(id);
            let mut properties = Vec::new();
            let mut seen = Vec::new();
            let base = self.inheritance(&place, id);
            self.collect_properties(&place, &type_name, base.map(|(i, _)| i), &mut properties, &mut seen);
            self.union_members(&place, id);
            if let TypeKind::Complex(s) = &mut self.model.types[id.0].kind {
                s.properties = properties;
                s.base = base.map(|(_, b)| b);
            }
        }
    }

    /// The base type of the object at `place` (type `id`): the one `$ref` among its `allOf`
    /// parts, when it is an object type and the others are inline (Graph's pattern); with
    /// the index of that part. `None` (the parts merged) otherwise, or when the bases would
    /// form a cycle (reported).
    fn inheritance(&mut self, place: &Place, id: TypeId) -> Option<(usize, TypeId)> {
        let list = self.node(place)?.get("allOf")?;
        let refs: Vec<usize> =
            (0..list.items().len()).filter(|&i| list.items()[i].get("$ref").is_some()).collect();
        let [i] = refs[..] else { return None };
        let part = (place.0, format!("{}/allOf/{i}", place.1));
        let base = self.object_type(&part)?;
        self.checked_base(id, base, &part).then_some((i, base))
    }

    /// The object type the `$ref` at `place` names, declared if need be.
    fn object_type(&mut self, place: &Place) -> Option<TypeId> {
        let target = self.follow(place)?;
        let id = match self.named.get(&target) {
            Some(&id) => id,
            None => {
                let name = target.1.rsplit('/').next().map(super::node::unescape).unwrap_or_default();
                self.declare(&target, &name)?
            }
        };
        matches!(self.model.types[id.0].kind, TypeKind::Complex(_)).then_some(id)
    }

    /// Whether `base` may be the base of `id`: not `id` itself nor derived from it (a cycle,
    /// reported at `at`).
    fn checked_base(&mut self, id: TypeId, base: TypeId, at: &Place) -> bool {
        let mut t = Some(base);
        while let Some(x) = t {
            if x == id {
                self.report(Code::ReferenceCycle, at, "the schema derives from itself through `allOf`");
                return false;
            }
            t = self.model.structured(x).and_then(|s| s.base);
        }
        true
    }

    /// Whether the schema at `place` is a `oneOf`/`anyOf` of two or more schemas (`null`
    /// aside) that each state what they are (a `$ref`, a `type`, an `enum` or `const`), with
    /// nothing of its own, and is not a union of objects (which [`Self::is_object_union`]
    /// reads as a hierarchy).
    fn is_mixed_union(&mut self, place: &Place) -> bool {
        let Some(node) = self.node(place).cloned() else { return false };
        if node.get("properties").is_some() || node.get("allOf").is_some() || !types_of(&node).is_empty() {
            return false;
        }
        let Some(list) = node.get("oneOf").or_else(|| node.get("anyOf")) else { return false };
        let parts: Vec<&Node> = list.items().iter().filter(|p| !is_null_schema(p)).collect();
        let stated = |p: &Node| ["$ref", "type", "enum", "const"].iter().any(|k| p.get(k).is_some());
        parts.len() >= 2
            && parts.iter().all(|p| stated(p))
            && !is_discriminated_union(&node)
            && !self.is_object_union(place)
    }

    /// Reads the members of the union at `place` (type `id`): each part but `null`, named
    /// after its schema (a `$ref`'s name) or its JSON type, in the order listed.
    fn fill_union(&mut self, id: TypeId, place: &Place) {
        let Some(node) = self.node(place).cloned() else { return };
        let keyword = if node.get("oneOf").is_some() { "oneOf" } else { "anyOf" };
        let hint = self.hint_of(id);
        let count = node.get(keyword).map_or(0, |l| l.items().len());
        let mut members: Vec<UnionMember> = Vec::new();
        for i in 0..count {
            let part = node.get(keyword).expect("counted above").items()[i].clone();
            if is_null_schema(&part) {
                continue;
            }
            let at = (place.0, format!("{}/{keyword}/{i}", place.1));
            let mut name = match part.get("$ref").and_then(Node::as_str) {
                Some(reference) => {
                    reference.rsplit('/').next().map(super::node::unescape).unwrap_or_default()
                }
                None => match (types_of(&part).first(), part.get("format").and_then(Node::as_str)) {
                    (Some(&"string"), Some(format)) => format.to_owned(),
                    (Some(&"string"), None) => "text".to_owned(),
                    (Some(&"array"), _) => "list".to_owned(),
                    (Some(t), _) => (*t).to_owned(),
                    (None, _) => "value".to_owned(),
                },
            };
            let (ty, _) = self.schema(&at, &format!("{hint}{}", pascal(&name)));
            let base = name.clone();
            let mut n = 2;
            while members.iter().any(|m| m.name == name) {
                name = format!("{base}{n}");
                n += 1;
            }
            members.push(UnionMember { name, ty });
        }
        if let TypeKind::Union(u) = &mut self.model.types[id.0].kind {
            u.members = members;
        }
    }

    /// Drops each union member that is a union leading back to the union through union
    /// members only (`U: oneOf: [string, $ref: U]`): reading a value none of them reads would
    /// otherwise never end. Such a value is the outer union's `Other`.
    fn break_union_cycles(&mut self) {
        let union_members = |model: &Model, id: TypeId| -> Vec<TypeId> {
            match &model.types[id.0].kind {
                TypeKind::Union(u) => u
                    .members
                    .iter()
                    .filter_map(|m| match m.ty {
                        TypeRef { collection: false, map: false, target: Target::Named(t) } => Some(t),
                        _ => None,
                    })
                    .filter(|t| matches!(model.types[t.0].kind, TypeKind::Union(_)))
                    .collect(),
                _ => Vec::new(),
            }
        };
        for id in (0..self.model.types.len()).map(TypeId) {
            if !matches!(self.model.types[id.0].kind, TypeKind::Union(_)) {
                continue;
            }
            // The members from which `id` is reachable.
            let leads_back: Vec<TypeId> = union_members(&self.model, id)
                .into_iter()
                .filter(|&start| {
                    let (mut seen, mut stack) = (BTreeSet::new(), vec![start]);
                    while let Some(t) = stack.pop() {
                        if t == id {
                            return true;
                        }
                        if seen.insert(t) {
                            stack.extend(union_members(&self.model, t));
                        }
                    }
                    false
                })
                .collect();
            if let TypeKind::Union(u) = &mut self.model.types[id.0].kind {
                u.members.retain(|m| !matches!(m.ty.target, Target::Named(t) if leads_back.contains(&t) && !m.ty.collection && !m.ty.map));
            }
        }
    }

    /// Whether the schema at `place` is a `oneOf`/`anyOf` of `$ref`s to object schemas
    /// (without a discriminator: its values are told apart by their properties).
    fn is_object_union(&mut self, place: &Place) -> bool {
        let Some(node) = self.node(place) else { return false };
        if !is_ref_union(node) {
            return false;
        }
        let keyword = if node.get("oneOf").is_some() { "oneOf" } else { "anyOf" };
        let parts: Vec<usize> = (0..node.get(keyword).map_or(0, |l| l.items().len()))
            .filter(|&i| !is_null_schema(&node.get(keyword).expect("counted above").items()[i]))
            .collect();
        parts.into_iter().all(|i| {
            let part = (place.0, format!("{}/{keyword}/{i}", place.1));
            self.follow(&part).is_some_and(|target| self.node(&target).is_some_and(is_object))
        })
    }

    /// Records the object types a `oneOf`/`anyOf` of objects at `place` (type `id`) lists.
    fn union_members(&mut self, place: &Place, id: TypeId) {
        let Some(node) = self.node(place).cloned() else { return };
        if !is_discriminated_union(&node) && !self.is_object_union(place) {
            return;
        }
        for keyword in ["oneOf", "anyOf"] {
            for i in 0..node.get(keyword).map_or(0, |l| l.items().len()) {
                let part = (place.0, format!("{}/{keyword}/{i}", place.1));
                if self.node(&part).is_some_and(|p| p.get("$ref").is_some()) {
                    if let Some(member) = self.object_type(&part) {
                        self.members.push((member, id, part));
                    }
                }
            }
        }
    }

    /// Makes each member of a discriminated union derive from the union's type, unless it
    /// derives from another type already (it is then read as that type's).
    fn link_members(&mut self) {
        for (member, union, at) in std::mem::take(&mut self.members) {
            let has_base = self.model.structured(member).is_some_and(|s| s.base.is_some());
            if member != union && !has_base && self.checked_base(member, union, &at) {
                if let TypeKind::Complex(s) = &mut self.model.types[member.0].kind {
                    s.base = Some(union);
                }
            }
        }
        for i in 0..self.model.types.len() {
            if let Some(base) = self.model.structured(TypeId(i)).and_then(|s| s.base) {
                if let TypeKind::Complex(s) = &mut self.model.types[base.0].kind {
                    s.derived.push(TypeId(i));
                }
            }
        }
    }

    /// Gives each type hierarchy its discriminator: the property a `discriminator` in it
    /// names, else `@odata.type` when its root declares that property or the document is
    /// an OData service's. The values naming each type: `mapping` entries that name it,
    /// `x-ms-discriminator-value`, and its schema name (OpenAPI's implicit mapping; with
    /// OData's `#` for `@odata.type`). The property itself leaves the types' properties:
    /// the generated field for the concrete type holds it.
    fn discriminators(&mut self) {
        let places: BTreeMap<TypeId, Place> = self.named.iter().map(|(p, &id)| (id, p.clone())).collect();
        let roots: Vec<TypeId> = (0..self.model.types.len())
            .map(TypeId)
            .filter(|&t| self.model.structured(t).is_some_and(|s| s.base.is_none() && !s.derived.is_empty()))
            .collect();
        for root in roots {
            let hierarchy = self.model.with_descendants(root);
            let declared = |lower: &Self, t: TypeId| {
                places.get(&t).and_then(|p| lower.node(p)).and_then(|n| n.get("discriminator")).cloned()
            };
            let explicit = hierarchy.iter().find_map(|&t| {
                declared(self, t)
                    .and_then(|d| d.get("propertyName").and_then(Node::as_str).map(str::to_owned))
            });
            let odata_property = self
                .model
                .structured(root)
                .is_some_and(|s| s.properties.iter().any(|p| p.name == "@odata.type"));
            let union = places.get(&root).and_then(|p| self.node(p)).is_some_and(is_ref_union);
            let key = match explicit {
                Some(key) => key,
                None if odata_property || self.odata => "@odata.type".to_owned(),
                // A union without a discriminator: its values are told apart by their
                // properties (no key).
                None if union => {
                    for t in hierarchy {
                        if let TypeKind::Complex(s) = &mut self.model.types[t.0].kind {
                            s.discriminator = Some(Discriminator { key: String::new(), values: Vec::new() });
                        }
                    }
                    continue;
                }
                None => continue,
            };
            let mut values: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
            for &t in &hierarchy {
                let Some(d) = declared(self, t) else { continue };
                let owner = places[&t].clone();
                for (value, target) in d.get("mapping").map_or(&[][..], Node::members) {
                    let at = (owner.0, format!("{}/discriminator/mapping/{}", owner.1, escape(value)));
                    let Some(target) = target.as_str() else {
                        self.report(
                            Code::WrongKeywordType,
                            &at,
                            "a discriminator mapping's value must be a string",
                        );
                        continue;
                    };
                    // A reference, or (per OpenAPI) a schema name.
                    let reference = if target.contains(['#', '/']) {
                        target.to_owned()
                    } else {
                        format!("#/components/schemas/{}", escape(target))
                    };
                    let Some(place) = self.resolve(&at, &reference) else { continue };
                    let Some(place) = self.follow(&place) else { continue };
                    match self.named.get(&place) {
                        Some(id) if hierarchy.contains(id) => values.entry(*id).or_default().push(value.clone()),
                        _ => self.report(
                            Code::DanglingReference,
                            &at,
                            format!("the discriminator value `{value}` names a schema that is not in this hierarchy; it is left out"),
                        ),
                    }
                }
            }
            for &t in &hierarchy {
                let mut names = values.remove(&t).unwrap_or_default();
                let node = places.get(&t).and_then(|p| self.node(p));
                if let Some(v) = node.and_then(|n| n.get("x-ms-discriminator-value")).and_then(Node::as_str) {
                    names.push(v.to_owned());
                }
                let schema = places.get(&t).and_then(|p| p.1.rsplit('/').next()).map(super::node::unescape);
                let schema = schema.unwrap_or_else(|| self.model.types[t.0].name.clone());
                names.push(if key == "@odata.type" { format!("#{schema}") } else { schema });
                let mut unique = Vec::new();
                for n in names {
                    if !unique.contains(&n) {
                        unique.push(n);
                    }
                }
                if let TypeKind::Complex(s) = &mut self.model.types[t.0].kind {
                    s.properties.retain(|p| p.name != key);
                    s.discriminator = Some(Discriminator { key: key.clone(), values: unique });
                }
            }
        }
    }

    /// The properties of the object at `place` (its `allOf` parts' first), appended to `out`
    /// unless a property of that name is there already.
    fn collect_properties(
        &mut self,
        place: &Place,
        type_name: &str,
        base: Option<usize>,
        out: &mut Vec<Property>,
        seen: &mut Vec<Place>,
    ) {
        if seen.contains(place) {
            self.report(Code::ReferenceCycle, place, "`allOf` includes this schema in itself");
            return;
        }
        seen.push(place.clone());
        let Some(node) = self.node(place).cloned() else { return };
        if let Some(list) = node.get("allOf") {
            if !matches!(list, Node::Array(_)) {
                let message = format!("`allOf` must be an array, not {}", list.kind());
                self.report(Code::WrongKeywordType, &(place.0, format!("{}/allOf", place.1)), message);
            }
            for i in (0..list.items().len()).filter(|&i| Some(i) != base) {
                let part = (place.0, format!("{}/allOf/{i}", place.1));
                if let Some(target) = self.follow(&part) {
                    // What a referenced schema declares is named after that schema.
                    let owner = match self.named.get(&target) {
                        _ if target == part => type_name.to_owned(),
                        Some(&id) => self.hint_of(id),
                        None => target.1.rsplit('/').next().map(super::node::unescape).unwrap_or_default(),
                    };
                    self.collect_properties(&target, &owner, None, out, seen);
                }
            }
        }
        let required: Vec<&str> = node
            .get("required")
            .map(|r| r.items().iter().filter_map(Node::as_str).collect())
            .unwrap_or_default();
        let members = node.get("properties").map(|p| p.members().to_vec()).unwrap_or_default();
        if let Some(p @ (Node::Array(_) | Node::String(_) | Node::Number(_) | Node::Bool(_))) =
            node.get("properties")
        {
            let message = format!("`properties` must be an object, not {}", p.kind());
            self.report(Code::WrongKeywordType, &(place.0, format!("{}/properties", place.1)), message);
        }
        for (name, schema) in members {
            if out.iter().any(|p: &Property| p.name == name) {
                continue;
            }
            let at = (place.0, format!("{}/properties/{}", place.1, escape(&name)));
            let (ty, nullable) = self.schema(&at, &format!("{type_name}{}", pascal(&name)));
            let mut notes = notes(&schema);
            notes.computed = schema.get("readOnly") == Some(&Node::Bool(true));
            notes.write_only = schema.get("writeOnly") == Some(&Node::Bool(true));
            notes.octets = self.is_octets(&at);
            out.push(Property {
                name: name.clone(),
                ty,
                nullable: nullable || !required.contains(&name.as_str()),
                navigation: None,
                default_value: schema.get("default").map(|v| v.to_json().to_string()),
                facets: Facets::default(),
                notes,
                origin: self.origin(&at),
            });
        }
        seen.pop();
    }

    /// The path operations of document `d`.
    fn operations(&mut self, d: usize) {
        let Some(paths) = self.docs[d].root.get("paths") else { return };
        let templates: Vec<String> = paths.members().iter().map(|(t, _)| t.clone()).collect();
        for template in templates {
            let item_place = (d, format!("/paths/{}", escape(&template)));
            let Some(item_place) = self.follow(&item_place) else { continue };
            if !template.starts_with('/') {
                self.report(
                    Code::WrongKeywordType,
                    &item_place,
                    format!("the path `{template}` does not start with `/`"),
                );
                continue;
            }
            let item = self.node(&item_place).cloned().unwrap_or(Node::Null);
            for method in HttpMethod::ALL {
                let key = method.as_str().to_ascii_lowercase();
                if item.get(&key).is_none() {
                    continue;
                }
                let place = (item_place.0, format!("{}/{key}", item_place.1));
                self.operation(&template, method, &item_place, &place);
            }
        }
    }

    fn operation(&mut self, template: &str, method: HttpMethod, item_place: &Place, place: &Place) {
        let Some(op) = self.node(place).cloned() else { return };
        let name = match op.get("operationId") {
            Some(Node::String(id)) if !id.trim().is_empty() => id.clone(),
            _ => made_name(method, template),
        };
        let name = if self.model.path_operations.iter().any(|o| o.name == name) {
            let mut n = 2;
            while self.model.path_operations.iter().any(|o| o.name == format!("{name}{n}")) {
                n += 1;
            }
            let renamed = format!("{name}{n}");
            let message = format!("another operation is also called `{name}`; this one is `{renamed}`");
            self.report(Code::DuplicateOperationId, &(place.0, format!("{}/operationId", place.1)), message);
            renamed
        } else {
            name
        };
        let hint = pascal(&name);

        // Parameters: the operation's, then the path item's it does not redeclare.
        let mut declared: Vec<(Place, Node)> = Vec::new();
        for (owner, list_key) in [(place, "parameters"), (item_place, "parameters")] {
            let Some(list) = self.node(owner).and_then(|n| n.get(list_key)).cloned() else { continue };
            for i in 0..list.items().len() {
                let at = (owner.0, format!("{}/parameters/{i}", owner.1));
                let Some(target) = self.follow(&at) else { continue };
                let Some(p) = self.node(&target).cloned() else { continue };
                let key = (p.get("name").cloned(), p.get("in").cloned());
                if declared.iter().any(|(_, q)| (q.get("name").cloned(), q.get("in").cloned()) == key) {
                    continue;
                }
                declared.push((target, p));
            }
        }
        let mut parameters = Vec::new();
        for (at, p) in declared {
            let (Some(Node::String(pname)), Some(Node::String(location))) = (p.get("name"), p.get("in"))
            else {
                self.report(Code::WrongKeywordType, &at, "a parameter needs a string `name` and `in`");
                continue;
            };
            let location = match location.as_str() {
                "path" => ParameterLocation::Path,
                "query" => ParameterLocation::Query,
                "header" => ParameterLocation::Header,
                "cookie" => ParameterLocation::Cookie,
                other => {
                    let message = format!("`{pname}` is a parameter `in: {other}`, which the generated client does not send; it is left out");
                    self.report(Code::SkippedParameter, &at, message);
                    continue;
                }
            };
            if matches!(location, ParameterLocation::Header | ParameterLocation::Cookie)
                && !is_http_token(pname)
            {
                self.report(
                    Code::SkippedParameter,
                    &at,
                    format!("the header or cookie name {pname:?} is not an HTTP token; it is left out"),
                );
                continue;
            }
            // A `schema`, or a `content` map of one media type whose schema the value has (as
            // JSON text when the media type is JSON; as a string otherwise).
            let content = p.get("content").and_then(|c| c.members().first().map(|(m, _)| m.clone()));
            let (schema, object_style) = match &content {
                Some(media) if p.get("schema").is_none() => {
                    let schema = (at.0, format!("{}/content/{}/schema", at.1, escape(media)));
                    (is_json(media).then_some(schema), ObjectStyle::Json)
                }
                _ => (Some((at.0, format!("{}/schema", at.1))), object_style(&p, location)),
            };
            let ty = match schema {
                Some(schema) if self.node(&schema).is_some() => {
                    unmapped(self.schema(&schema, &format!("{hint}{}", pascal(pname))).0)
                }
                _ => TypeRef { map: false, collection: false, target: Target::Primitive(Primitive::String) },
            };
            self.may_have_examples(&at, ty, false);
            let required =
                location == ParameterLocation::Path || p.get("required") == Some(&Node::Bool(true));
            let delimiter = self.delimiter(&at, &p, location, ty);
            parameters.push(RequestParameter {
                name: pname.clone(),
                location,
                ty,
                required,
                delimiter,
                object_style,
                notes: notes(&p),
                origin: self.origin(&at),
            });
        }

        if let Some(why) = crate::model::path_template_problem(template) {
            self.report(Code::InvalidPathTemplate, place, format!("the path `{template}` {why}"));
        }
        // The template: text, and `{name}` for a path parameter.
        let mut path = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            if open > 0 {
                path.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let pname = &rest[open + 1..close];
            let index = match parameters
                .iter()
                .position(|p| p.location == ParameterLocation::Path && p.name == pname)
            {
                Some(i) if !path.contains(&PathPart::Parameter(i)) => i,
                _ => {
                    let message = format!("the path names `{{{pname}}}`, which the operation does not declare as a path parameter; it is taken as a string");
                    self.report(Code::UndeclaredPathParameter, place, message);
                    parameters.push(RequestParameter {
                        name: pname.to_owned(),
                        location: ParameterLocation::Path,
                        ty: TypeRef {
                            map: false,
                            collection: false,
                            target: Target::Primitive(Primitive::String),
                        },
                        required: true,
                        delimiter: None,
                        object_style: ObjectStyle::Joined,
                        notes: Notes::default(),
                        origin: self.origin(place),
                    });
                    parameters.len() - 1
                }
            };
            path.push(PathPart::Parameter(index));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() || path.is_empty() {
            path.push(PathPart::Literal(rest.to_owned()));
        }
        // A path parameter the template does not name: dropped.
        let unused: Vec<usize> = (0..parameters.len())
            .filter(|&i| {
                parameters[i].location == ParameterLocation::Path && !path.contains(&PathPart::Parameter(i))
            })
            .collect();
        for &i in unused.iter().rev() {
            let message = format!(
                "the path parameter `{}` does not appear in `{template}`; it is left out",
                parameters[i].name
            );
            self.report(Code::UndeclaredPathParameter, place, message);
            parameters.remove(i);
            for part in &mut path {
                if let PathPart::Parameter(j) = part {
                    if *j > i {
                        *j -= 1;
                    }
                }
            }
        }

        // The body.
        let body = match op.get("requestBody") {
            Some(_) => {
                let at = (place.0, format!("{}/requestBody", place.1));
                self.follow(&at).and_then(|target| {
                    let node = self.node(&target).cloned()?;
                    let (media_type, ty) = self.content(&target, &format!("{hint}Request"))?;
                    let part_types = if is_multipart(&media_type) {
                        self.part_types(&target, &media_type)
                    } else {
                        Vec::new()
                    };
                    Some(RequestBody {
                        media_type,
                        ty,
                        required: node.get("required") == Some(&Node::Bool(true)),
                        part_types,
                    })
                })
            }
            None => None,
        };

        // The responses.
        let mut responses = Vec::new();
        let statuses: Vec<String> = op
            .get("responses")
            .map(|r| r.members().iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default();
        for status_text in statuses {
            let at = (place.0, format!("{}/responses/{}", place.1, escape(&status_text)));
            let status = match parse_status(&status_text) {
                Some(s) => s,
                None => {
                    self.report(
                        Code::WrongKeywordType,
                        &at,
                        format!("`{status_text}` is not a status code, a range such as `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some(target) = self.follow(&at) else { continue };
            let node = self.node(&target).cloned().unwrap_or(Node::Null);
            let suffix = match status {
                Status::Code(c) if (200..300).contains(&c) => "Response".to_owned(),
                Status::Range(2) => "Response".to_owned(),
                Status::Code(c) => format!("Response{c}"),
                Status::Range(r) => format!("Response{r}XX"),
                Status::Default => "Error".to_owned(),
            };
            let (media_type, ty) = match self.content(&target, &format!("{hint}{suffix}")) {
                Some((m, ty)) => (Some(m), ty),
                None => (None, None),
            };
            self.response_headers(&target, &node);
            responses.push(Response { status, media_type, ty, page: None, notes: notes(&node) });
        }

        // `x-ms-pageable`: the success response is a page of the items in `itemName`
        // (`value` by default), the next page's URL in `nextLinkName` (none when `null`).
        if let Some(pageable) = op.get("x-ms-pageable") {
            let at = (place.0, format!("{}/x-ms-pageable", place.1));
            match (pageable.get("nextLinkName"), pageable.get("itemName")) {
                (Some(Node::String(_)) | Some(Node::Null) | None, Some(Node::String(_)) | None) => {
                    let items = pageable.get("itemName").and_then(Node::as_str).unwrap_or("value").to_owned();
                    let next_link =
                        pageable.get("nextLinkName").and_then(Node::as_str).map(Paging::pointer_to);
                    let paging = Paging { items, next_link, cursor_parameter: None };
                    self.pageable.push((self.model.path_operations.len(), paging));
                }
                _ => {
                    self.report(Code::WrongKeywordType, &at, "`nextLinkName` and `itemName` must be strings")
                }
            }
        }
        let next_link = op.at("/x-ms-pageable/nextLinkName").and_then(Node::as_str);
        self.odata |= next_link == Some("@odata.nextLink") || op.get("x-ms-docs-operation-type").is_some();
        // Its groups, each also a tag of the model (the document's, else one it names).
        let tags: Vec<String> = op
            .get("tags")
            .map(|t| t.items().iter().filter_map(Node::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        for tag in &tags {
            if !self.model.tags.iter().any(|t| &t.name == tag) {
                self.model.tags.push(Tag { name: tag.clone(), description: None });
            }
        }
        // Its own server (the operation's, else its path item's), unless that is the
        // document's.
        let item = self.node(item_place).cloned().unwrap_or(Node::Null);
        let server =
            base_url(&op).or_else(|| base_url(&item)).filter(|s| Some(s) != self.model.base_url.as_ref());
        let mut op_notes = notes(&op);
        if op_notes.description.is_none() {
            op_notes.description = op.get("summary").and_then(Node::as_str).map(str::to_owned);
        }
        self.model.path_operations.push(PathOperation {
            namespace: self.namespace,
            name,
            method,
            path,
            parameters,
            body,
            responses,
            tags,
            server,
            query_options: Vec::new(),
            notes: op_notes,
            origin: self.origin(place),
        });
    }

    /// In the description of an OData service: takes the system query options (`$select`,
    /// `$top`...) out of each operation's parameters, to be set on the request it returns
    /// with the runtime's typed methods, as on CSDL requests.
    fn query_options(&mut self) {
        if !self.odata {
            return;
        }
        for op in &mut self.model.path_operations {
            let is_option = |p: &RequestParameter| {
                p.location == ParameterLocation::Query && QUERY_OPTIONS.contains(&p.name.as_str())
            };
            let mut index = Vec::new();
            let mut kept = Vec::new();
            for p in std::mem::take(&mut op.parameters) {
                if is_option(&p) {
                    op.query_options.push(p.name);
                    index.push(None);
                } else {
                    index.push(Some(kept.len()));
                    kept.push(p);
                }
            }
            op.parameters = kept;
            for part in &mut op.path {
                if let PathPart::Parameter(i) = part {
                    *i = index[*i].expect("path parameters stay");
                }
            }
        }
    }

    /// How a query parameter's array is sent: `None` to repeat the parameter (`form` with
    /// `explode: true`, the default), else the delimiter of one value. A style the client
    /// cannot send (`deepObject`, a path or header style in the query) is reported and sent
    /// as the default.
    fn delimiter(&mut self, at: &Place, p: &Node, location: ParameterLocation, ty: TypeRef) -> Option<char> {
        if location != ParameterLocation::Query {
            return None;
        }
        let style = p.get("style").and_then(Node::as_str).unwrap_or("form");
        if style == "deepObject" && !ty.collection {
            return None;
        }
        let style = p.get("style").and_then(Node::as_str).unwrap_or("form");
        let explode = match p.get("explode") {
            Some(Node::Bool(b)) => *b,
            _ => style == "form",
        };
        match (style, explode) {
            ("form" | "spaceDelimited" | "pipeDelimited", true) => None,
            ("form", false) => Some(','),
            ("spaceDelimited", false) => Some(' '),
            ("pipeDelimited", false) => Some('|'),
            (other, _) => {
                let message = format!(
                    "the query style `{other}` is not one the client sends; items are sent as repeated parameters"
                );
                self.report(Code::SkippedParameter, at, message);
                None
            }
        }
    }

    /// Makes the success response of each pageable operation a page of the items of its
    /// type's items property (when it has one, an array; otherwise the response stays an
    /// object).
    fn mark_pages(&mut self) {
        for (i, paging) in std::mem::take(&mut self.pageable) {
            let Some((at, id)) = crate::paging::object_result(&self.model, i) else { continue };
            let items = crate::paging::array_property(&self.model, id, Some(&paging.items)).map(|(_, ty)| ty);
            if let Some(items) = items {
                let response = &mut self.model.path_operations[i].responses[at];
                response.ty = Some(items);
                response.page = Some(paging);
            }
        }
    }

    /// Notes the types of the headers of the response at `place`, for their examples: the
    /// client does not return response headers typed, but a header of a primitive type (or
    /// an array of one) has examples of that type.
    fn response_headers(&mut self, place: &Place, response: &Node) {
        let names: Vec<String> = response
            .get("headers")
            .map(|h| h.members().iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default();
        for name in names {
            let at = (place.0, format!("{}/headers/{}", place.1, escape(&name)));
            let Some(header) = self.follow(&at) else { continue };
            let Some(schema) = self.follow(&(header.0, format!("{}/schema", header.1))) else { continue };
            let Some(node) = self.node(&schema).cloned() else { continue };
            let (item, collection) = match (types_of(&node).as_slice(), node.get("items")) {
                (["array"], Some(items)) => (items.clone(), true),
                _ => (node.clone(), false),
            };
            if let Some((p, nullable)) = primitive_of(&item) {
                let ty = TypeRef { map: false, collection, target: Target::Primitive(p) };
                self.may_have_examples(&header, ty, nullable);
                self.may_have_examples(&schema, ty, nullable);
            }
        }
    }

    /// Whether the schema at `place` (a `$ref` followed; an array: its items) is raw bytes.
    fn is_octets(&mut self, place: &Place) -> bool {
        let Some(target) = self.follow(place) else { return false };
        let Some(node) = self.node(&target).cloned() else { return false };
        let bytes = |n: &Node| {
            types_of(n) == ["string"]
                && (n.get("format").and_then(Node::as_str) == Some("binary")
                    || (n.get("contentMediaType").is_some() && n.get("contentEncoding").is_none()))
        };
        if types_of(&node) == ["array"] && node.get("items").is_some() {
            let items = (target.0, format!("{}/items", target.1));
            return match self.follow(&items) {
                Some(items) => self.node(&items).is_some_and(bytes),
                None => false,
            };
        }
        bytes(&node)
    }

    /// The content types a multipart body at `place` declares for its parts (`encoding`, by
    /// part name; a list of types keeps the first).
    fn part_types(&mut self, place: &Place, media: &str) -> Vec<(String, String)> {
        let at = (place.0, format!("{}/content/{}/encoding", place.1, escape(media)));
        let Some(encoding) = self.node(&at).cloned() else { return Vec::new() };
        let mut out = Vec::new();
        for (name, e) in encoding.members() {
            match e.get("contentType") {
                Some(Node::String(types)) => {
                    let first = types.split(',').next().unwrap_or_default().trim();
                    if !first.is_empty() && !first.contains(['\r', '\n']) {
                        out.push((name.clone(), first.to_owned()));
                    }
                }
                Some(other) => {
                    let message = format!("`contentType` must be a string, not {}", other.kind());
                    let place = (at.0, format!("{}/{}/contentType", at.1, escape(name)));
                    self.report(Code::WrongKeywordType, &place, message);
                }
                None => {}
            }
        }
        out
    }

    /// The media type of a body or response with `content` at `place`, and its type when it
    /// is JSON; `None` without content.
    fn content(&mut self, place: &Place, hint: &str) -> Option<(String, Option<TypeRef>)> {
        let content = self.node(place)?.get("content")?.clone();
        let media: Vec<String> = content.members().iter().map(|(m, _)| m.clone()).collect();
        // JSON if it is offered, else a form, else multipart, else the first: typed when one
        // of those three.
        let json = media
            .iter()
            .find(|m| is_json(m))
            .or_else(|| media.iter().find(|m| is_form(m)))
            .or_else(|| media.iter().find(|m| is_multipart(m)))
            .or(media.first())?
            .clone();
        if !is_json(&json) && !is_form(&json) && !is_multipart(&json) {
            return Some((json, None));
        }
        let media = (place.0, format!("{}/content/{}", place.1, escape(&json)));
        let schema = (place.0, format!("{}/schema", media.1));
        if self.node(&schema).is_none() {
            return Some((json, None));
        }
        let (ty, nullable) = self.schema(&schema, hint);
        let ty = unmapped(ty);
        self.may_have_examples(&media, ty, nullable);
        Some((json, Some(ty)))
    }
}

/// How parameter `p` in `location` writes an object value, by its `style` and `explode`
/// (the defaults: `form` exploded in the query and cookies, `simple` not exploded in paths
/// and headers). Styles that do not apply to objects are read as the nearest that does.
fn object_style(p: &Node, location: ParameterLocation) -> ObjectStyle {
    let query_like = matches!(location, ParameterLocation::Query | ParameterLocation::Cookie);
    let style = p.get("style").and_then(Node::as_str).unwrap_or(if query_like { "form" } else { "simple" });
    let explode = match p.get("explode") {
        Some(Node::Bool(b)) => *b,
        _ => style == "form",
    };
    match (style, explode) {
        ("deepObject", _) if location == ParameterLocation::Query => ObjectStyle::Deep,
        ("form", true) if location == ParameterLocation::Query => ObjectStyle::Exploded,
        (_, true) if location != ParameterLocation::Query => ObjectStyle::Exploded,
        _ => ObjectStyle::Joined,
    }
}

/// `ty`, or any JSON value when it is a map: maps are typed as properties only (a body,
/// result or parameter of one is a JSON value).
fn unmapped(ty: TypeRef) -> TypeRef {
    if ty.map {
        TypeRef { map: false, collection: false, target: Target::Primitive(Primitive::Untyped) }
    } else {
        ty
    }
}

fn parse_status(text: &str) -> Option<Status> {
    if text == "default" {
        return Some(Status::Default);
    }
    let bytes = text.as_bytes();
    if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) && text[1..].eq_ignore_ascii_case("XX") {
        return Some(Status::Range(bytes[0] - b'0'));
    }
    match text.parse::<u16>() {
        Ok(code) if (100..600).contains(&code) => Some(Status::Code(code)),
        _ => None,
    }
}

/// An operation name from its method and path: `GET /pets/{petId}` is `get_pets_petId`.
fn made_name(method: HttpMethod, template: &str) -> String {
    let mut name = method.as_str().to_ascii_lowercase();
    for word in template.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        name.push('_');
        name.push_str(word);
    }
    name
}

/// The `type`s a schema names (3.1 allows an array of them), `null` left out.
fn types_of(node: &Node) -> Vec<&str> {
    match node.get("type") {
        Some(Node::String(t)) => vec![t.as_str()],
        Some(Node::Array(ts)) => ts.iter().filter_map(Node::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema allows `null`: 3.0's `nullable: true`, 3.1's `"null"` among its types.
fn is_nullable(node: &Node) -> bool {
    node.get("nullable") == Some(&Node::Bool(true))
        || node.get("type").is_some_and(|t| t.items().iter().any(|t| t.as_str() == Some("null")))
        || node.get("type").and_then(Node::as_str) == Some("null")
}

/// A schema that only admits `null`: `{type: 'null'}`, or `{nullable: true}` with nothing
/// else typed (the wrapper idiom writes `{type: object, nullable: true}`).
fn is_null_schema(node: &Node) -> bool {
    if node.get("type").and_then(Node::as_str) == Some("null") {
        return true;
    }
    node.get("nullable") == Some(&Node::Bool(true))
        && node.get("properties").is_none()
        && node.get("$ref").is_none()
        && node.get("allOf").is_none()
        && node.get("enum").is_none()
        && matches!(types_of(node).as_slice(), [] | ["object"])
}

/// Whether a schema is an object with a shape of its own (properties, or `allOf` parts),
/// or a discriminated union of objects.
fn is_object(node: &Node) -> bool {
    let types = types_of(node);
    (types.is_empty() || types == ["object"])
        && (node.get("properties").is_some()
            || node.get("allOf").is_some_and(|a| a.items().len() > 1 || node.get("properties").is_some())
            || is_discriminated_union(node))
}

/// A `oneOf`/`anyOf` with a `discriminator`, whose parts are all `$ref`s (to object
/// schemas, which become its derived types).
fn is_discriminated_union(node: &Node) -> bool {
    node.get("discriminator").is_some() && is_ref_union(node)
}

/// A `oneOf`/`anyOf` of two or more `$ref`s (and maybe `null`), with no `properties` or
/// `allOf` of its own.
fn is_ref_union(node: &Node) -> bool {
    node.get("properties").is_none()
        && node.get("allOf").is_none()
        && ["oneOf", "anyOf"].iter().any(|k| {
            node.get(k).is_some_and(|l| {
                let parts: Vec<&Node> = l.items().iter().filter(|p| !is_null_schema(p)).collect();
                parts.len() >= 2 && parts.iter().all(|p| p.get("$ref").is_some())
            })
        })
}

/// The primitive a schema's `type` and `format` are, and whether it allows `null`.
fn primitive_of(node: &Node) -> Option<(Primitive, bool)> {
    let format = node.get("format").and_then(Node::as_str).unwrap_or("");
    let p = match types_of(node).as_slice() {
        ["string"] => match format {
            "date" => Primitive::Date,
            "date-time" => Primitive::DateTimeOffset,
            "time" => Primitive::TimeOfDay,
            "duration" => Primitive::Duration,
            "uuid" => Primitive::Guid,
            "byte" | "base64url" => Primitive::Binary,
            "decimal" => Primitive::Decimal,
            _ => Primitive::String,
        },
        ["integer"] => match format {
            "int8" => Primitive::SByte,
            "uint8" => Primitive::Byte,
            "int16" => Primitive::Int16,
            "int32" => Primitive::Int32,
            _ => Primitive::Int64,
        },
        ["number"] => match format {
            "float" => Primitive::Single,
            "decimal" => Primitive::Decimal,
            "int32" => Primitive::Int32,
            "int64" => Primitive::Int64,
            _ => Primitive::Double,
        },
        ["boolean"] => Primitive::Boolean,
        _ => return None,
    };
    Some((p, is_nullable(node)))
}

/// A schema's or operation's docs: `description` (else `title`), deprecation.
fn notes(node: &Node) -> Notes {
    let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    let deprecated =
        node.get("deprecated") == Some(&Node::Bool(true)) || node.get("x-ms-deprecation").is_some();
    Notes {
        description: text("description").or_else(|| text("title")),
        deprecation: deprecated.then(|| Deprecation {
            description: node.at("/x-ms-deprecation/description").and_then(Node::as_str).map(str::to_owned),
            date: node.at("/x-ms-deprecation/date").and_then(Node::as_str).map(str::to_owned),
            removal_date: node.at("/x-ms-deprecation/removalDate").and_then(Node::as_str).map(str::to_owned),
            version: node.at("/x-ms-deprecation/version").and_then(Node::as_str).map(str::to_owned),
        }),
        ..Notes::default()
    }
}

/// `relative` resolved against the directory of the file `from` (both `/`-separated).
fn join(from: &str, relative: &str) -> String {
    let dir = match from.replace('\\', "/").rfind('/') {
        Some(i) => from[..i + 1].to_owned(),
        None => String::new(),
    };
    normalize(&format!("{dir}{relative}"))
}

/// A path with `.` and `..` segments resolved and `\` as `/`.
fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_from_where_things_stand() {
        assert_eq!(namespace_name("Swagger Petstore"), "swagger_petstore");
        assert_eq!(namespace_name("123"), "api");
        assert_eq!(pascal("owner_name"), "OwnerName");
        assert_eq!(made_name(HttpMethod::Get, "/pets/{petId}"), "get_pets_petId");
        assert_eq!(join("specs/main.yaml", "../common/pet.yaml"), "common/pet.yaml");
        assert_eq!(join("main.yaml", "./pet.yaml"), "pet.yaml");
    }

    #[test]
    fn statuses_are_codes_ranges_or_default() {
        assert_eq!(parse_status("204"), Some(Status::Code(204)));
        assert_eq!(parse_status("4XX"), Some(Status::Range(4)));
        assert_eq!(parse_status("default"), Some(Status::Default));
        assert_eq!(parse_status("ok"), None);
    }
}
