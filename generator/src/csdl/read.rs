//! quick-xml events → raw CSDL structs that mirror the file faithfully, with byte offsets.
//!
//! Nothing is resolved here: type names stay strings and annotations stay terms with values.
//! Elements and attributes this reader does not know are skipped, never an error; a document
//! that is not well-formed XML is. Struct fields are named after the CSDL attributes they
//! hold (`pos` is the element's byte offset).
#![allow(missing_docs)]

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::diag::Code;

/// One CSDL document.
#[derive(Debug, Default)]
pub struct Document {
    /// An OData V2 (or V1, V3) document: EDMX 1.0 (`edmx:Edmx Version="1.0"`), whose
    /// navigation goes through associations and whose function imports stand alone.
    pub v2: bool,
    /// The OData version it declares (`edmx:Edmx Version`, CSDL JSON's `$Version`): `4.0`,
    /// `4.01`, `1.0`...
    pub version: String,
    /// `edmx:Reference` elements: the documents this one refers to.
    pub references: Vec<Reference>,
    /// `edmx:Reference/edmx:Include` namespaces and their aliases.
    pub includes: Vec<Include>,
    /// The schemas, in document order.
    pub schemas: Vec<Schema>,
}

/// `edmx:Include Namespace=".." Alias=".."`.
#[derive(Debug)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    /// The index of its `edmx:Reference` in [`Document::references`].
    pub reference: usize,
}

/// `edmx:Reference Uri=".."`: another document, of which this one includes schemas
/// (`edmx:Include`) or annotations (`edmx:IncludeAnnotations`).
#[derive(Debug)]
pub struct Reference {
    pub uri: String,
    pub pos: usize,
}

/// A `Schema` element.
#[derive(Debug, Default)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub pos: usize,
    pub entity_types: Vec<Structured>,
    pub complex_types: Vec<Structured>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub operations: Vec<Operation>,
    /// `Association`s (OData V2): the two ends navigation properties lead between.
    pub associations: Vec<Association>,
    pub containers: Vec<Container>,
    /// `Annotations Target=".."` blocks.
    pub annotation_blocks: Vec<AnnotationBlock>,
}

/// `EntityType` or `ComplexType`.
#[derive(Debug, Default)]
pub struct Structured {
    pub name: String,
    pub pos: usize,
    pub base_type: Option<(String, usize)>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    /// `Key/PropertyRef`: (Name, Alias).
    pub key: Vec<(String, Option<String>)>,
    pub properties: Vec<Property>,
    pub annotations: Vec<Annotation>,
}

/// `Property` or `NavigationProperty`.
#[derive(Debug, Default)]
pub struct Property {
    pub name: String,
    pub ty: String,
    pub pos: usize,
    pub nullable: Option<bool>,
    pub is_navigation: bool,
    /// A V2 navigation property's association (it has no `Type`).
    pub relationship: Option<Relationship>,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub default_value: Option<String>,
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub srid: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// `Association` (OData V2).
#[derive(Debug, Default)]
pub struct Association {
    pub name: String,
    pub pos: usize,
    pub ends: Vec<AssociationEnd>,
}

/// `Association/End`: a role, its entity type and multiplicity (`1`, `0..1` or `*`).
#[derive(Debug, Default)]
pub struct AssociationEnd {
    pub role: String,
    pub ty: String,
    pub multiplicity: String,
}

/// A V2 `NavigationProperty`'s `Relationship`, `FromRole` and `ToRole`.
#[derive(Debug, Default, Clone)]
pub struct Relationship {
    pub association: String,
    pub from_role: String,
    pub to_role: String,
}

/// `AssociationSet` (OData V2): which entity sets an association's ends live in.
#[derive(Debug, Default)]
pub struct AssociationSet {
    pub association: String,
    pub pos: usize,
    /// `End`: (Role, EntitySet).
    pub ends: Vec<(String, String)>,
}

/// A V2 `FunctionImport` (a service operation): its own signature, and the HTTP method it is
/// invoked with (`m:HttpMethod`, GET when not given).
#[derive(Debug, Default)]
pub struct ServiceOperation {
    pub return_type: Option<String>,
    pub http_method: Option<String>,
    pub parameters: Vec<Parameter>,
    /// `sap:action-for`: the entity type it acts on.
    pub action_for: Option<String>,
}

/// `EnumType`.
#[derive(Debug, Default)]
pub struct EnumType {
    pub name: String,
    pub pos: usize,
    pub underlying: Option<String>,
    pub is_flags: bool,
    pub members: Vec<Member>,
    pub annotations: Vec<Annotation>,
}

/// `EnumType/Member`.
#[derive(Debug, Default)]
pub struct Member {
    pub name: String,
    pub value: Option<String>,
    pub pos: usize,
    pub annotations: Vec<Annotation>,
}

/// `TypeDefinition`.
#[derive(Debug, Default)]
pub struct TypeDefinition {
    pub name: String,
    pub pos: usize,
    pub underlying: String,
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub srid: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// `Action` or `Function`.
#[derive(Debug, Default)]
pub struct Operation {
    pub is_function: bool,
    pub name: String,
    pub pos: usize,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    /// A V2 service operation's HTTP method (the operation was read from its function import).
    pub service_operation: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// `Parameter`.
#[derive(Debug, Default)]
pub struct Parameter {
    pub name: String,
    pub ty: String,
    pub pos: usize,
    pub nullable: Option<bool>,
    pub annotations: Vec<Annotation>,
}

/// `ReturnType`.
#[derive(Debug, Default)]
pub struct ReturnType {
    pub ty: String,
    pub pos: usize,
    pub nullable: Option<bool>,
}

/// `EntityContainer`.
#[derive(Debug, Default)]
pub struct Container {
    pub name: String,
    pub pos: usize,
    pub children: Vec<ContainerChild>,
    /// `AssociationSet`s (OData V2).
    pub association_sets: Vec<AssociationSet>,
    pub annotations: Vec<Annotation>,
}

/// What an `EntityContainer` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    EntitySet,
    Singleton,
    ActionImport,
    FunctionImport,
}

/// `EntitySet`, `Singleton`, `ActionImport` or `FunctionImport`.
#[derive(Debug)]
pub struct ContainerChild {
    pub kind: ChildKind,
    pub name: String,
    pub pos: usize,
    /// EntityType / Type / Action / Function.
    pub target: String,
    /// EntitySet of an import.
    pub entity_set: Option<String>,
    /// NavigationPropertyBinding: (Path, Target).
    pub bindings: Vec<(String, String)>,
    /// A V2 function import's signature (`target` is then empty).
    pub service_operation: Option<ServiceOperation>,
    pub annotations: Vec<Annotation>,
}

/// `Annotations Target=".."`.
#[derive(Debug)]
pub struct AnnotationBlock {
    pub target: String,
    pub pos: usize,
    pub annotations: Vec<Annotation>,
}

/// `Annotation Term=".." Qualifier=".."` with its value.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub term: String,
    pub qualifier: Option<String>,
    pub value: Value,
    pub pos: usize,
}

/// An annotation value, as written (constant expressions kept as text).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value (a term applied without one, e.g. a Tag).
    None,
    /// A constant: the element or attribute name (`String`, `Bool`, `Int`, `Date`,
    /// `EnumMember`, `Path`, ...) and its text.
    Constant(String, String),
    /// `Record`: property values in order.
    Record(Vec<(String, Value)>),
    /// `Collection`.
    Collection(Vec<Value>),
}

/// A read failure: its kind, the message and the byte offset it applies to.
#[derive(Debug)]
pub struct ReadError {
    pub code: Code,
    pub message: String,
    pub pos: usize,
}

/// Element names whose text or attribute is a constant annotation expression.
const CONSTANTS: &[&str] = &[
    "Binary",
    "Bool",
    "Date",
    "DateTimeOffset",
    "Decimal",
    "Duration",
    "EnumMember",
    "Float",
    "Guid",
    "Int",
    "String",
    "TimeOfDay",
    "AnnotationPath",
    "ModelElementPath",
    "NavigationPropertyPath",
    "Path",
    "PropertyPath",
    "UrlRef",
];

/// An element start: local name, attributes (local name, unescaped value), offset, and whether
/// it is self-closing.
struct Start {
    name: String,
    attrs: Vec<(String, String)>,
    pos: usize,
    empty: bool,
}

impl Start {
    fn attr(&self, name: &str) -> Option<String> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
    fn flag(&self, name: &str) -> bool {
        self.attr(name).is_some_and(|v| v == "true")
    }
    fn nullable(&self) -> Option<bool> {
        self.attr("Nullable").map(|v| v != "false")
    }
}

enum Item {
    Start(Start),
    Text(String),
    End,
    Eof,
}

struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    /// Reading an OData V2 document (EDMX 1.0).
    v2: bool,
    /// Missing required attributes and the like: reported, the element skipped.
    problems: Vec<ReadError>,
}

fn unescape(raw: &str, pos: usize) -> Result<String, ReadError> {
    quick_xml::escape::unescape(raw).map(|c| c.into_owned()).map_err(|e| ReadError {
        code: Code::MalformedXml,
        message: format!("bad character reference: {e}"),
        pos,
    })
}

fn resolve_entity(name: &str, pos: usize) -> Result<String, ReadError> {
    unescape(&format!("&{name};"), pos)
}

impl<'a> Xml<'a> {
    fn new(text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(false);
        Xml { reader, text, v2: false, problems: Vec::new() }
    }

    fn next(&mut self) -> Result<Item, ReadError> {
        loop {
            let pos = self.reader.buffer_position() as usize;
            let event = self.reader.read_event().map_err(|e| ReadError {
                code: Code::MalformedXml,
                message: format!("malformed XML: {e}"),
                pos: self.reader.error_position() as usize,
            })?;
            return Ok(match event {
                Event::Start(e) => Item::Start(self.start(&e, pos, false)?),
                Event::Empty(e) => Item::Start(self.start(&e, pos, true)?),
                Event::End(_) => Item::End,
                Event::Eof => Item::Eof,
                Event::Text(t) => {
                    let raw = std::str::from_utf8(&t).map_err(|e| ReadError {
                        code: Code::MalformedXml,
                        message: e.to_string(),
                        pos,
                    })?;
                    Item::Text(unescape(raw, pos)?)
                }
                Event::CData(t) => Item::Text(String::from_utf8_lossy(&t).into_owned()),
                Event::GeneralRef(r) => {
                    let raw = std::str::from_utf8(&r).map_err(|e| ReadError {
                        code: Code::MalformedXml,
                        message: e.to_string(),
                        pos,
                    })?;
                    Item::Text(resolve_entity(raw, pos)?)
                }
                _ => continue,
            });
        }
    }

    fn start(&self, e: &BytesStart, pos: usize, empty: bool) -> Result<Start, ReadError> {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| ReadError {
                code: Code::MalformedXml,
                message: format!("malformed XML attribute: {err}"),
                pos,
            })?;
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            attrs.push((key, unescape(&raw, pos)?));
        }
        Ok(Start { name, attrs, pos, empty })
    }

    /// Calls `f` for each child element of an element just started; skips text.
    fn children(
        &mut self,
        parent: &Start,
        mut f: impl FnMut(&mut Self, Start) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        if parent.empty {
            return Ok(());
        }
        loop {
            match self.next()? {
                Item::Start(s) => f(self, s)?,
                Item::Text(_) => {}
                Item::End => return Ok(()),
                Item::Eof => {
                    return Err(ReadError {
                        code: Code::MalformedXml,
                        message: format!("`{}` is never closed", parent.name),
                        pos: parent.pos,
                    })
                }
            }
        }
    }

    /// Skips the content of an element just started.
    fn skip(&mut self, s: &Start) -> Result<(), ReadError> {
        self.children(s, |x, child| x.skip(&child))
    }

    /// Collects text content (for constant expressions written as elements).
    fn text_content(&mut self, s: &Start) -> Result<String, ReadError> {
        let mut out = String::new();
        if s.empty {
            return Ok(out);
        }
        loop {
            match self.next()? {
                Item::Text(t) => out.push_str(&t),
                Item::Start(child) => self.skip(&child)?,
                Item::End => return Ok(out),
                Item::Eof => {
                    return Err(ReadError {
                        code: Code::MalformedXml,
                        message: format!("`{}` is never closed", s.name),
                        pos: s.pos,
                    })
                }
            }
        }
    }

    fn required(&mut self, s: &Start, attr: &str) -> Option<String> {
        let v = s.attr(attr);
        if v.is_none() {
            self.problems.push(ReadError {
                code: Code::MissingAttribute,
                message: format!("`{}` has no `{attr}` attribute", s.name),
                pos: s.pos,
            });
        }
        v
    }

    fn annotation(&mut self, s: Start) -> Result<Option<Annotation>, ReadError> {
        let term = self.required(&s, "Term");
        let qualifier = s.attr("Qualifier");
        let value = self.value_of(&s)?;
        Ok(term.map(|term| Annotation { term, qualifier, value, pos: s.pos }))
    }

    /// The value of an `Annotation` or `PropertyValue`: an attribute constant, or a child
    /// expression element.
    fn value_of(&mut self, s: &Start) -> Result<Value, ReadError> {
        let mut value = Value::None;
        for (k, v) in &s.attrs {
            if CONSTANTS.contains(&k.as_str()) {
                value = Value::Constant(k.clone(), v.clone());
            }
        }
        self.children(s, |x, child| {
            if child.name == "Annotation" {
                x.skip(&child)
            } else {
                value = x.expression(child)?;
                Ok(())
            }
        })?;
        Ok(value)
    }

    fn expression(&mut self, s: Start) -> Result<Value, ReadError> {
        match s.name.as_str() {
            "Record" => {
                let mut fields = Vec::new();
                self.children(&s, |x, child| {
                    if child.name == "PropertyValue" {
                        let name = child.attr("Property").unwrap_or_default();
                        let v = x.value_of(&child)?;
                        fields.push((name, v));
                        Ok(())
                    } else {
                        x.skip(&child)
                    }
                })?;
                Ok(Value::Record(fields))
            }
            "Collection" => {
                let mut items = Vec::new();
                self.children(&s, |x, child| {
                    items.push(x.expression(child)?);
                    Ok(())
                })?;
                Ok(Value::Collection(items))
            }
            name if CONSTANTS.contains(&name) => {
                let text = self.text_content(&s)?;
                Ok(Value::Constant(name.to_owned(), text))
            }
            _ => {
                self.skip(&s)?;
                Ok(Value::None)
            }
        }
    }

    fn document(&mut self) -> Result<Document, ReadError> {
        let mut doc = Document::default();
        let mut saw_root = false;
        loop {
            match self.next()? {
                Item::Start(s) if s.name == "Edmx" => {
                    saw_root = true;
                    doc.version = s.attr("Version").unwrap_or_default();
                    doc.v2 = doc.version.starts_with("1.");
                    self.v2 = doc.v2;
                    self.children(&s, |x, child| match child.name.as_str() {
                        "Reference" => {
                            let reference = doc.references.len();
                            let uri = x.required(&child, "Uri").unwrap_or_default();
                            doc.references.push(Reference { uri, pos: child.pos });
                            x.children(&child, |x, inc| {
                                if inc.name == "Include" {
                                    if let Some(namespace) = x.required(&inc, "Namespace") {
                                        let alias = inc.attr("Alias");
                                        doc.includes.push(Include { namespace, alias, reference });
                                    }
                                }
                                x.skip(&inc)
                            })
                        }
                        "DataServices" => x.children(&child, |x, schema| {
                            if schema.name == "Schema" {
                                let s = x.schema(schema)?;
                                doc.schemas.extend(s);
                                Ok(())
                            } else {
                                x.skip(&schema)
                            }
                        }),
                        _ => x.skip(&child),
                    })?;
                }
                // A bare `Schema` document (no edmx wrapper) is accepted too.
                Item::Start(s) if s.name == "Schema" => {
                    saw_root = true;
                    doc.schemas.extend(self.schema(s)?);
                }
                Item::Start(s) => {
                    return Err(ReadError {
                        code: Code::NotCsdl,
                        message: format!(
                            "expected an `edmx:Edmx` or `Schema` root element, found `{}`",
                            s.name
                        ),
                        pos: s.pos,
                    })
                }
                Item::Text(t) if t.trim().is_empty() => {}
                Item::Text(_) => {
                    return Err(ReadError {
                        code: Code::MalformedXml,
                        message: "text outside the root element".into(),
                        pos: 0,
                    });
                }
                Item::End => {}
                Item::Eof => break,
            }
        }
        if !saw_root {
            return Err(ReadError {
                code: Code::NotCsdl,
                message: "no `edmx:Edmx` element: this is not a CSDL document".into(),
                pos: 0,
            });
        }
        Ok(doc)
    }

    fn schema(&mut self, s: Start) -> Result<Option<Schema>, ReadError> {
        let Some(namespace) = self.required(&s, "Namespace") else {
            self.skip(&s)?;
            return Ok(None);
        };
        let mut schema = Schema { namespace, alias: s.attr("Alias"), pos: s.pos, ..Schema::default() };
        self.children(&s, |x, child| {
            match child.name.as_str() {
                "EntityType" | "ComplexType" => {
                    if let Some(t) = x.structured(child.name == "EntityType", child)? {
                        if t.0 {
                            schema.entity_types.push(t.1)
                        } else {
                            schema.complex_types.push(t.1)
                        }
                    }
                }
                "EnumType" => {
                    if let Some(e) = x.enum_type(child)? {
                        schema.enum_types.push(e)
                    }
                }
                "TypeDefinition" => {
                    let (name, underlying) =
                        (x.required(&child, "Name"), x.required(&child, "UnderlyingType"));
                    let annotations = x.annotations_only(&child)?;
                    if let (Some(name), Some(underlying)) = (name, underlying) {
                        schema.type_definitions.push(TypeDefinition {
                            name,
                            pos: child.pos,
                            underlying,
                            max_length: child.attr("MaxLength"),
                            precision: child.attr("Precision"),
                            scale: child.attr("Scale"),
                            srid: child.attr("SRID"),
                            annotations,
                        });
                    }
                }
                "Action" | "Function" => {
                    if let Some(op) = x.operation(child)? {
                        schema.operations.push(op)
                    }
                }
                "Association" => {
                    let name = x.required(&child, "Name");
                    let mut ends = Vec::new();
                    x.children(&child, |x, end| {
                        if end.name == "End" {
                            let (role, ty) = (x.required(&end, "Role"), x.required(&end, "Type"));
                            let multiplicity = x.required(&end, "Multiplicity");
                            if let (Some(role), Some(ty), Some(multiplicity)) = (role, ty, multiplicity) {
                                ends.push(AssociationEnd { role, ty, multiplicity });
                            }
                        }
                        x.skip(&end)
                    })?;
                    if let Some(name) = name {
                        schema.associations.push(Association { name, pos: child.pos, ends });
                    }
                }
                "EntityContainer" => {
                    if let Some(mut c) = x.container(child)? {
                        // A V2 function import is its own operation: declared here, in the
                        // container's schema, for the import to name as a V4 one would.
                        for child in &mut c.children {
                            let Some(op) = child.service_operation.take() else {
                                continue;
                            };
                            let method = op.http_method.unwrap_or_else(|| "GET".to_owned());
                            let is_function = method.eq_ignore_ascii_case("GET");
                            child.kind =
                                if is_function { ChildKind::FunctionImport } else { ChildKind::ActionImport };
                            child.target = format!("{}.{}", schema.namespace, child.name);
                            let mut annotations = std::mem::take(&mut child.annotations);
                            if let Some(t) = op.action_for {
                                let text = format!("Acts on `{t}`.");
                                annotations.push(Annotation {
                                    term: "Org.OData.Core.V1.LongDescription".into(),
                                    qualifier: None,
                                    value: Value::Constant("String".into(), text),
                                    pos: child.pos,
                                });
                            }
                            schema.operations.push(Operation {
                                is_function,
                                name: child.name.clone(),
                                pos: child.pos,
                                parameters: op.parameters,
                                return_type: op.return_type.map(|ty| ReturnType {
                                    ty,
                                    pos: child.pos,
                                    nullable: None,
                                }),
                                service_operation: Some(method.to_ascii_uppercase()),
                                annotations,
                                ..Operation::default()
                            });
                        }
                        schema.containers.push(c)
                    }
                }
                "Annotations" => {
                    let target = x.required(&child, "Target");
                    let annotations = x.annotations_only(&child)?;
                    if let Some(target) = target {
                        schema.annotation_blocks.push(AnnotationBlock {
                            target,
                            pos: child.pos,
                            annotations,
                        });
                    }
                }
                _ => x.skip(&child)?,
            }
            Ok(())
        })?;
        Ok(Some(schema))
    }

    /// Reads the children of an element, keeping only `Annotation`s.
    fn annotations_only(&mut self, s: &Start) -> Result<Vec<Annotation>, ReadError> {
        let mut out = Vec::new();
        self.children(s, |x, child| {
            if child.name == "Annotation" {
                out.extend(x.annotation(child)?);
                Ok(())
            } else {
                x.skip(&child)
            }
        })?;
        Ok(out)
    }

    fn structured(&mut self, is_entity: bool, s: Start) -> Result<Option<(bool, Structured)>, ReadError> {
        let name = self.required(&s, "Name");
        let mut t = Structured {
            name: name.clone().unwrap_or_default(),
            pos: s.pos,
            base_type: s.attr("BaseType").map(|b| (b, s.pos)),
            is_abstract: s.flag("Abstract"),
            open_type: s.flag("OpenType"),
            has_stream: s.flag("HasStream"),
            annotations: sap_annotations(&s),
            ..Structured::default()
        };
        self.children(&s, |x, child| {
            match child.name.as_str() {
                "Key" => x.children(&child, |x, r| {
                    if r.name == "PropertyRef" {
                        if let Some(n) = x.required(&r, "Name") {
                            t.key.push((n, r.attr("Alias")));
                        }
                    }
                    x.skip(&r)
                })?,
                "Property" | "NavigationProperty" => {
                    let is_navigation = child.name == "NavigationProperty";
                    // A V2 navigation property names an association's roles, not a type.
                    let relationship = match (is_navigation, child.attr("Relationship")) {
                        (true, Some(association)) if child.attr("Type").is_none() => Some(Relationship {
                            association,
                            from_role: x.required(&child, "FromRole").unwrap_or_default(),
                            to_role: x.required(&child, "ToRole").unwrap_or_default(),
                        }),
                        _ => None,
                    };
                    let name = x.required(&child, "Name");
                    let ty = match relationship {
                        Some(_) => Some(String::new()),
                        None => x.required(&child, "Type"),
                    };
                    let mut annotations = sap_annotations(&child);
                    annotations.extend(x.annotations_only(&child)?);
                    if let (Some(name), Some(ty)) = (name, ty) {
                        t.properties.push(Property {
                            name,
                            ty,
                            pos: child.pos,
                            nullable: child.nullable(),
                            is_navigation,
                            relationship,
                            contains_target: child.flag("ContainsTarget"),
                            partner: child.attr("Partner"),
                            default_value: child.attr("DefaultValue"),
                            max_length: child.attr("MaxLength"),
                            precision: child.attr("Precision"),
                            scale: child.attr("Scale"),
                            srid: child.attr("SRID"),
                            annotations,
                        });
                    }
                }
                "Annotation" => t.annotations.extend(x.annotation(child)?),
                _ => x.skip(&child)?,
            }
            Ok(())
        })?;
        Ok(name.map(|_| (is_entity, t)))
    }

    fn enum_type(&mut self, s: Start) -> Result<Option<EnumType>, ReadError> {
        let name = self.required(&s, "Name");
        let mut e = EnumType {
            name: name.clone().unwrap_or_default(),
            pos: s.pos,
            underlying: s.attr("UnderlyingType"),
            is_flags: s.flag("IsFlags"),
            ..EnumType::default()
        };
        self.children(&s, |x, child| {
            match child.name.as_str() {
                "Member" => {
                    let name = x.required(&child, "Name");
                    let annotations = x.annotations_only(&child)?;
                    if let Some(name) = name {
                        e.members.push(Member {
                            name,
                            value: child.attr("Value"),
                            pos: child.pos,
                            annotations,
                        });
                    }
                }
                "Annotation" => e.annotations.extend(x.annotation(child)?),
                _ => x.skip(&child)?,
            }
            Ok(())
        })?;
        Ok(name.map(|_| e))
    }

    fn operation(&mut self, s: Start) -> Result<Option<Operation>, ReadError> {
        let name = self.required(&s, "Name");
        let mut op = Operation {
            is_function: s.name == "Function",
            name: name.clone().unwrap_or_default(),
            pos: s.pos,
            is_bound: s.flag("IsBound"),
            is_composable: s.flag("IsComposable"),
            entity_set_path: s.attr("EntitySetPath"),
            ..Operation::default()
        };
        self.children(&s, |x, child| {
            match child.name.as_str() {
                "Parameter" => {
                    let (name, ty) = (x.required(&child, "Name"), x.required(&child, "Type"));
                    let annotations = x.annotations_only(&child)?;
                    if let (Some(name), Some(ty)) = (name, ty) {
                        op.parameters.push(Parameter {
                            name,
                            ty,
                            pos: child.pos,
                            nullable: child.nullable(),
                            annotations,
                        });
                    }
                }
                "ReturnType" => {
                    let ty = x.required(&child, "Type");
                    x.skip(&child)?;
                    if let Some(ty) = ty {
                        op.return_type = Some(ReturnType { ty, pos: child.pos, nullable: child.nullable() });
                    }
                }
                "Annotation" => op.annotations.extend(x.annotation(child)?),
                _ => x.skip(&child)?,
            }
            Ok(())
        })?;
        Ok(name.map(|_| op))
    }

    fn container(&mut self, s: Start) -> Result<Option<Container>, ReadError> {
        let name = self.required(&s, "Name");
        let mut c = Container { name: name.clone().unwrap_or_default(), pos: s.pos, ..Container::default() };
        self.children(&s, |x, child| {
            let (kind, target_attr) = match child.name.as_str() {
                "EntitySet" => (ChildKind::EntitySet, "EntityType"),
                "Singleton" => (ChildKind::Singleton, "Type"),
                "ActionImport" => (ChildKind::ActionImport, "Action"),
                "FunctionImport" => (ChildKind::FunctionImport, "Function"),
                "AssociationSet" => {
                    let association = x.required(&child, "Association");
                    let mut ends = Vec::new();
                    x.children(&child, |x, end| {
                        if end.name == "End" {
                            if let (Some(r), Some(s)) =
                                (x.required(&end, "Role"), x.required(&end, "EntitySet"))
                            {
                                ends.push((r, s));
                            }
                        }
                        x.skip(&end)
                    })?;
                    if let Some(association) = association {
                        c.association_sets.push(AssociationSet { association, pos: child.pos, ends });
                    }
                    return Ok(());
                }
                "Annotation" => {
                    c.annotations.extend(x.annotation(child)?);
                    return Ok(());
                }
                _ => return x.skip(&child),
            };
            // A V2 function import declares its own signature: no `Function` to name.
            let v2_import = kind == ChildKind::FunctionImport && x.v2 && child.attr("Function").is_none();
            let name = x.required(&child, "Name");
            let target = if v2_import { Some(String::new()) } else { x.required(&child, target_attr) };
            let mut bindings = Vec::new();
            let mut annotations = sap_annotations(&child);
            let mut service_operation = v2_import.then(|| ServiceOperation {
                return_type: child.attr("ReturnType"),
                http_method: child.attr("HttpMethod"),
                parameters: Vec::new(),
                action_for: child.attr("action-for"),
            });
            x.children(&child, |x, g| match g.name.as_str() {
                "Parameter" if service_operation.is_some() => {
                    let (name, ty) = (x.required(&g, "Name"), x.required(&g, "Type"));
                    let annotations = x.annotations_only(&g)?;
                    if let (Some(name), Some(ty), Some(op)) = (name, ty, service_operation.as_mut()) {
                        // V2 writes `Nullable="true"` on the parameters a call may leave out.
                        let nullable = g.nullable().or(Some(false));
                        op.parameters.push(Parameter { name, ty, pos: g.pos, nullable, annotations });
                    }
                    Ok(())
                }
                "NavigationPropertyBinding" => {
                    if let (Some(p), Some(t)) = (x.required(&g, "Path"), x.required(&g, "Target")) {
                        bindings.push((p, t));
                    }
                    x.skip(&g)
                }
                "Annotation" => {
                    annotations.extend(x.annotation(g)?);
                    Ok(())
                }
                _ => x.skip(&g),
            })?;
            if let (Some(name), Some(target)) = (name, target) {
                c.children.push(ContainerChild {
                    kind,
                    name,
                    pos: child.pos,
                    target,
                    entity_set: child.attr("EntitySet"),
                    bindings,
                    service_operation,
                    annotations,
                });
            }
            Ok(())
        })?;
        Ok(name.map(|_| c))
    }
}

/// What SAP's V2 attributes (`sap:label`, `sap:creatable`, ...) on `s` say, as the
/// annotations of the OASIS vocabularies that say the same, so that the lowering treats them
/// as it treats V4 metadata: `label` is `Core.Description`, `quickinfo`
/// `Core.LongDescription`; on an entity set `creatable`/`updatable`/`deletable="false"` are
/// Capabilities Insert/Update/Delete restrictions; on a property `updatable="false"` is
/// `Core.Immutable`, and with `creatable="false"` too, `Core.Computed`. V2's
/// `ConcurrencyMode="Fixed"` on a property is `Core.OptimisticConcurrency`.
fn sap_annotations(s: &Start) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut push = |term: &str, value: Value| {
        out.push(Annotation { term: term.to_owned(), qualifier: None, value, pos: s.pos });
    };
    let text = |v: String| Value::Constant("String".into(), v);
    if let Some(label) = s.attr("label") {
        push("Org.OData.Core.V1.Description", text(label));
    }
    if let Some(info) = s.attr("quickinfo") {
        push("Org.OData.Core.V1.LongDescription", text(info));
    }
    let no = |name: &str| s.attr(name).is_some_and(|v| v == "false");
    // V2's concurrency token: the entity's ETag is computed from this property.
    if s.name == "Property" && s.attr("ConcurrencyMode").is_some_and(|m| m == "Fixed") {
        push("Org.OData.Core.V1.OptimisticConcurrency", Value::None);
    }
    match s.name.as_str() {
        "EntitySet" => {
            for (attr, term, property) in [
                ("creatable", "InsertRestrictions", "Insertable"),
                ("updatable", "UpdateRestrictions", "Updatable"),
                ("deletable", "DeleteRestrictions", "Deletable"),
            ] {
                if no(attr) {
                    let record = vec![(property.to_owned(), Value::Constant("Bool".into(), "false".into()))];
                    push(&format!("Org.OData.Capabilities.V1.{term}"), Value::Record(record));
                }
            }
        }
        "Property" if no("updatable") => {
            let term = if no("creatable") { "Computed" } else { "Immutable" };
            push(&format!("Org.OData.Core.V1.{term}"), Value::None);
        }
        _ => {}
    }
    out
}

/// Reads one CSDL document. On success, also returns the non-fatal problems found
/// (missing required attributes: the element was skipped).
pub fn read(text: &str) -> Result<(Document, Vec<ReadError>), ReadError> {
    let mut xml = Xml::new(text);
    let doc = xml.document()?;
    let _ = xml.text;
    Ok((doc, xml.problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_schema_types_with_offsets() {
        let text = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="a.b" Alias="ab" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="thing"><Property Name="x" Type="Edm.String" Nullable="false"/></ComplexType>
      <Annotations Target="ab.thing"><Annotation Term="Org.OData.Core.V1.Description" String="A &amp; B"/></Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        let (doc, problems) = read(text).unwrap();
        assert!(problems.is_empty());
        let s = &doc.schemas[0];
        assert_eq!((s.namespace.as_str(), s.alias.as_deref()), ("a.b", Some("ab")));
        let t = &s.complex_types[0];
        assert_eq!(&text[t.pos..t.pos + 12], "<ComplexType");
        assert_eq!(t.properties[0].nullable, Some(false));
        let a = &s.annotation_blocks[0].annotations[0];
        assert_eq!(a.value, Value::Constant("String".into(), "A & B".into()));
    }

    #[test]
    fn malformed_xml_is_an_error_with_a_position() {
        let err = read("<edmx:Edmx>\n<Schema Namespace=\"x\">\n</Oops>\n</edmx:Edmx>").unwrap_err();
        assert!(err.message.contains("malformed XML"), "{}", err.message);
        assert!(err.pos > 10);
    }

    #[test]
    fn element_form_annotation_values_are_read() {
        let text = r#"<Schema Namespace="n"><Annotations Target="n.t"><Annotation Term="Core.Revisions"><Collection><Record>
            <PropertyValue Property="Kind"><EnumMember>Org.OData.Core.V1.RevisionKind/Deprecated</EnumMember></PropertyValue>
            <PropertyValue Property="Date" Date="2024-01-01"/></Record></Collection></Annotation></Annotations></Schema>"#;
        let (doc, _) = read(text).unwrap();
        let v = &doc.schemas[0].annotation_blocks[0].annotations[0].value;
        let Value::Collection(items) = v else { panic!("{v:?}") };
        let Value::Record(fields) = &items[0] else { panic!() };
        assert_eq!(
            fields[0].1,
            Value::Constant("EnumMember".into(), "Org.OData.Core.V1.RevisionKind/Deprecated".into())
        );
        assert_eq!(fields[1].1, Value::Constant("Date".into(), "2024-01-01".into()));
    }
}
