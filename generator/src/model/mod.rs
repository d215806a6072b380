//! The language-neutral model every front end produces and every emitter reads.
//!
//! Nodes live in arenas and refer to each other by id ([`TypeId`], [`OperationId`]); every
//! reference is resolved when the model is built, so emitters never look a name up. Every
//! node keeps its wire name and the [`Location`] it came from. The model knows nothing of
//! Rust: names, layout, boxing and the client surface are decided by [`crate::plan`].

use crate::diag::Location;

/// Where a node of the model comes from.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A place in an input file.
    Span(Location),
    /// Made by a program rather than read (a model built by hand), described.
    Synthetic(String),
}

impl Origin {
    /// The place in an input file, when there is one (diagnostics point at it).
    pub fn location(&self) -> Option<&Location> {
        match self {
            Origin::Span(at) => Some(at),
            Origin::Synthetic(_) => None,
        }
    }

    /// A diagnostic note pointing here, saying `text` (none for a synthetic origin).
    pub fn note(&self, text: &str) -> Vec<(Location, String)> {
        self.location().map(|at| (at.clone(), text.to_owned())).into_iter().collect()
    }
}

impl From<Location> for Origin {
    fn from(at: Location) -> Self {
        Origin::Span(at)
    }
}

/// A span prints as `file:line:col`, a synthetic origin as `synthetic: <what>`.
impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Span(at) => write!(f, "{at}"),
            Origin::Synthetic(what) => write!(f, "synthetic: {what}"),
        }
    }
}

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of an operation in [`Model::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// Index of a path operation in [`Model::path_operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathOperationId(pub usize);

/// Index of a namespace in [`Model::namespaces`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespaceId(pub usize);

/// A whole service description.
#[derive(Debug, Default, Clone)]
pub struct Model {
    /// Namespaces (CSDL schemas) in the order first seen.
    pub namespaces: Vec<Namespace>,
    /// Every named type, in declaration order.
    pub types: Vec<TypeDef>,
    /// Every action and function overload, in declaration order.
    pub operations: Vec<Operation>,
    /// Entity containers (service roots).
    pub containers: Vec<Container>,
    /// Operations addressed by a path template (an OpenAPI document's operations), in
    /// declaration order.
    pub path_operations: Vec<PathOperation>,
    /// The service's root URL when the description names one (an OpenAPI document's first
    /// absolute `servers` URL, its variables at their defaults).
    pub base_url: Option<String>,
    /// What the service's JSON is: OData's (every structured value may name its type in
    /// `@odata.type`), or plain (only where a [`Discriminator`] says).
    pub protocol: Protocol,
    /// How the service writes entity keys in URLs: in parentheses (OData's default), or as
    /// path segments where its entity container says it supports that
    /// (`Capabilities.KeyAsSegmentSupported`).
    pub key_style: KeyStyle,
    /// How the client writes a `$batch` request (an OData service's): JSON (OData 4.01) or
    /// multipart (OData 4.0 and V2), as the service's metadata says it supports.
    pub batch_format: BatchFormat,
    /// An OData V2 service (EDMX 1.0; also V1 and V3): V2 URL literals (`guid'…'`, `12L`),
    /// service operations, and V2's JSON (`d`, `results`, `__metadata`, `/Date(…)/`).
    pub v2: bool,
    /// How the service authenticates callers (an OpenAPI document's `securitySchemes`), in
    /// declaration order.
    pub security: Vec<SecurityScheme>,
    /// The groups path operations are tagged with (an OpenAPI document's `tags`, with those
    /// operations name that it does not list after), each with its description.
    pub tags: Vec<Tag>,
    /// Example values the description gives for its schemas, bodies and parameters (an
    /// OpenAPI document's `example` and `examples`), each with the type the generated code
    /// reads it as; by file, then by JSON pointer.
    pub examples: Vec<Example>,
}

/// An example value from the description, and the type it is an example of.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Where it is written: the file and the JSON pointer of the value, e.g.
    /// `api.yaml#/components/schemas/Pet/example`.
    pub at: String,
    /// The type it is a value of.
    pub ty: TypeRef,
    /// Whether `null` is a value of that type (the Rust type is an `Option`).
    pub nullable: bool,
    /// The value, as JSON text.
    pub value: String,
    /// Where it was declared.
    pub origin: Origin,
}

/// A way of authenticating to the service.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the description.
    pub name: String,
    /// What the client sends.
    pub kind: SecurityKind,
    /// Whether the service asks for it on every operation unless one says otherwise.
    pub default: bool,
    /// The description's text.
    pub description: Option<String>,
}

/// What a [`SecurityScheme`] sends.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// HTTP basic authentication.
    Basic,
    /// A bearer token (HTTP bearer, OAuth 2, OpenID Connect): `Authorization: Bearer`.
    Bearer(String),
    /// An API key in a header, the query string or a cookie, under `name`.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: String,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// A scheme the client does not send by itself (its OpenAPI `type`, or HTTP scheme).
    Other(String),
}

/// Where a page of a collection holds its items and the link to the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The property holding the items.
    pub items: String,
    /// A JSON pointer to the next page's URL (`/@odata.nextLink`, `/meta/next_page_url`), or,
    /// with `cursor_parameter`, to the next page's cursor; `None` when there is no next page.
    pub next_link: Option<String>,
    /// When the next page is asked for by a cursor: the query parameter it is sent as.
    pub cursor_parameter: Option<String>,
}

impl Paging {
    /// Whether this is OData's page: `value` and `@odata.nextLink`.
    pub fn is_odata(&self) -> bool {
        self.items == "value"
            && self.next_link.as_deref() == Some("/@odata.nextLink")
            && self.cursor_parameter.is_none()
    }

    /// A JSON pointer to the property `name` of an object.
    pub fn pointer_to(name: &str) -> String {
        format!("/{}", name.replace('~', "~0").replace('/', "~1"))
    }
}

/// The JSON a service speaks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OData JSON: `@odata.type` names a structured value's type, instance annotations.
    #[default]
    OData,
    /// Plain JSON (an OpenAPI document): a value names its type only in the property a
    /// hierarchy's [`Discriminator`] declares.
    Json,
}

/// How a service writes an entity's key in a URL (OData URL Conventions 4.01, 4.3.1 and
/// 4.3.6).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStyle {
    /// A key predicate in parentheses: `/Books(201)`, `/Books('abc')`.
    #[default]
    Parentheses,
    /// A single key value as a path segment: `/Books/201` (composite keys, and strings that
    /// would mean something else as a segment, stay in parentheses).
    Segment,
}

impl KeyStyle {
    /// The name settings use: `parentheses` or `segment`.
    pub fn name(self) -> &'static str {
        match self {
            KeyStyle::Parentheses => "parentheses",
            KeyStyle::Segment => "segment",
        }
    }
}

impl std::str::FromStr for KeyStyle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "parentheses" => Ok(KeyStyle::Parentheses),
            "segment" => Ok(KeyStyle::Segment),
            _ => Err(format!("`{s}` is not a key style: expected `parentheses` or `segment`")),
        }
    }
}

/// How a client writes a `$batch` request (OData 4.01 Part 1, 11.7).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchFormat {
    /// A `multipart/mixed` body (OData 4.0 and V2): every OData service's format.
    #[default]
    Multipart,
    /// A JSON body (`{"requests": [...]}`, OData 4.01; Microsoft Graph's only format).
    Json,
}

impl BatchFormat {
    /// The name settings use: `multipart` or `json`.
    pub fn name(self) -> &'static str {
        match self {
            BatchFormat::Multipart => "multipart",
            BatchFormat::Json => "json",
        }
    }
}

impl std::str::FromStr for BatchFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "multipart" => Ok(BatchFormat::Multipart),
            "json" => Ok(BatchFormat::Json),
            _ => Err(format!("`{s}` is not a batch format: expected `json` or `multipart`")),
        }
    }
}

/// How the values of a type hierarchy name their concrete type (an OpenAPI discriminator),
/// on each type of the hierarchy. An empty `key`: they do not, and are told apart by their
/// properties (a `oneOf` of objects without a discriminator).
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property that names the type.
    pub key: String,
    /// The values that name this type, the one written first.
    pub values: Vec<String>,
}

/// Where and how a structured type's values name their concrete type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeTag {
    /// The property (`@odata.type`, or a discriminator's).
    pub key: String,
    /// The names that choose this type when read (without OData's `#`).
    pub names: Vec<String>,
    /// The name written where a value must say its type; `None` for OData's
    /// `#Namespace.Name`.
    pub written: Option<String>,
}

/// A namespace (a CSDL schema).
#[derive(Debug, Clone)]
pub struct Namespace {
    /// The namespace as written, e.g. `microsoft.graph`.
    pub name: String,
    /// Aliases it is known by, e.g. `graph`.
    pub aliases: Vec<String>,
    /// Its types in declaration order.
    pub types: Vec<TypeId>,
}

/// Facts that annotations (or docs pages) attach to any node.
#[derive(Clone, Default, PartialEq)]
pub struct Notes {
    /// Core.Description.
    pub description: Option<String>,
    /// Core.LongDescription.
    pub long_description: Option<String>,
    /// Core.Revisions with kind Deprecated.
    pub deprecation: Option<Deprecation>,
    /// Core.Computed: the service sets the value; clients do not send it.
    pub computed: bool,
    /// Core.Immutable: set on create, never changed.
    pub immutable: bool,
    /// OpenAPI's `writeOnly`: clients send it; the service never returns it (a password).
    pub write_only: bool,
    /// Raw bytes: an OpenAPI string of `format: binary` (or with a 3.1 `contentMediaType` and
    /// no `contentEncoding`), sent as a file part where a body is `multipart/form-data`.
    pub octets: bool,
    /// Core.Permissions (e.g. `Read`, `ReadWrite`).
    pub permissions: Option<String>,
    /// Capabilities.*Restrictions.
    pub capabilities: Capabilities,
    /// Core.OptimisticConcurrency on an entity set (and, on an entity type, on a set of it):
    /// changes need an ETag in `If-Match`.
    pub optimistic_concurrency: bool,
    /// Examples from reference pages: (title, text), e.g. an HTTP request and its response.
    pub examples: Vec<(String, String)>,
}

impl Notes {
    /// Adds what `more` states, overriding what both state.
    pub fn merge(&mut self, more: Notes) {
        if more.description.is_some() {
            self.description = more.description;
        }
        if more.long_description.is_some() {
            self.long_description = more.long_description;
        }
        if more.deprecation.is_some() {
            self.deprecation = more.deprecation;
        }
        self.computed |= more.computed;
        self.immutable |= more.immutable;
        self.write_only |= more.write_only;
        self.octets |= more.octets;
        self.optimistic_concurrency |= more.optimistic_concurrency;
        if more.permissions.is_some() {
            self.permissions = more.permissions;
        }
        let (c, m) = (&mut self.capabilities, more.capabilities);
        c.insertable = m.insertable.or(c.insertable);
        c.updatable = m.updatable.or(c.updatable);
        c.deletable = m.deletable.or(c.deletable);
        c.readable = m.readable.or(c.readable);
        self.examples.extend(more.examples);
    }
}

/// Prints only what is stated, so model snapshots stay readable.
impl std::fmt::Debug for Notes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Notes");
        if let Some(v) = &self.description {
            d.field("description", v);
        }
        if let Some(v) = &self.long_description {
            d.field("long_description", v);
        }
        if let Some(v) = &self.deprecation {
            d.field("deprecation", v);
        }
        if self.computed {
            d.field("computed", &true);
        }
        if self.immutable {
            d.field("immutable", &true);
        }
        if self.write_only {
            d.field("write_only", &true);
        }
        if self.octets {
            d.field("octets", &true);
        }
        if let Some(v) = &self.permissions {
            d.field("permissions", v);
        }
        if !self.capabilities.is_empty() {
            d.field("capabilities", &self.capabilities);
        }
        if self.optimistic_concurrency {
            d.field("optimistic_concurrency", &true);
        }
        if !self.examples.is_empty() {
            d.field("examples", &self.examples);
        }
        d.finish()
    }
}

/// A deprecation notice from Core.Revisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deprecation {
    /// When it was deprecated.
    pub date: Option<String>,
    /// When it goes away.
    pub removal_date: Option<String>,
    /// Why, and what to use instead.
    pub description: Option<String>,
    /// The revision label.
    pub version: Option<String>,
}

/// What a collection or entity allows (Capabilities vocabulary); `None` means not stated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Capabilities {
    /// InsertRestrictions/Insertable.
    pub insertable: Option<bool>,
    /// UpdateRestrictions/Updatable.
    pub updatable: Option<bool>,
    /// DeleteRestrictions/Deletable.
    pub deletable: Option<bool>,
    /// ReadRestrictions/Readable.
    pub readable: Option<bool>,
}

impl Capabilities {
    /// Whether nothing is stated.
    pub fn is_empty(&self) -> bool {
        *self == Capabilities::default()
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// The wire name, e.g. `synchronizationJob`.
    pub name: String,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Descriptions, deprecation and the like.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// The kinds of named types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An entity type (has identity).
    Entity(Structured),
    /// A complex type (a structured value).
    Complex(Structured),
    /// An enumeration.
    Enum(EnumDef),
    /// A type definition: a named primitive.
    Definition(Definition),
    /// A value of one of several types that its JSON tells apart (an OpenAPI `oneOf` or
    /// `anyOf` without a discriminator that is not only of objects).
    Union(UnionDef),
}

/// An entity or complex type.
#[derive(Debug, Default, Clone)]
pub struct Structured {
    /// The base type.
    pub base: Option<TypeId>,
    /// Types that name this one as their base, in declaration order.
    pub derived: Vec<TypeId>,
    /// Abstract="true".
    pub is_abstract: bool,
    /// OpenType="true": instances may carry undeclared properties.
    pub open: bool,
    /// HasStream="true": a media entity.
    pub has_stream: bool,
    /// The key, own or inherited (entity types only).
    pub key: Vec<KeyPart>,
    /// Properties declared on this type itself, in declaration order.
    pub properties: Vec<Property>,
    /// Annotations aimed at an inherited property through this type (`Type/inherited`):
    /// property name and notes. They apply to this type and the types derived from it.
    pub inherited_notes: Vec<(String, Notes)>,
    /// How values of this type name their concrete type, in a [`Protocol::Json`] model.
    pub discriminator: Option<Discriminator>,
}

/// One part of an entity key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPart {
    /// The property path, e.g. `id` or `info/code`.
    pub path: String,
    /// The alias for a path through a complex property.
    pub alias: Option<String>,
}

/// A structural or navigation property.
#[derive(Debug, Clone)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Nullable (for collections: whether items may be null).
    pub nullable: bool,
    /// Navigation facts; `None` for structural properties.
    pub navigation: Option<Navigation>,
    /// DefaultValue as written.
    pub default_value: Option<String>,
    /// MaxLength / Precision / Scale / SRID.
    pub facets: Facets,
    /// Descriptions, deprecation, computed...
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// Navigation facts of a navigation property.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// ContainsTarget="true": the targets live under this property's URL.
    pub contains_target: bool,
    /// The partner navigation property on the target type.
    pub partner: Option<String>,
}

/// Type facets, kept as written.
#[derive(Clone, Default, PartialEq)]
pub struct Facets {
    /// MaxLength.
    pub max_length: Option<String>,
    /// Precision.
    pub precision: Option<String>,
    /// Scale.
    pub scale: Option<String>,
    /// SRID.
    pub srid: Option<String>,
}

/// Prints only the facets that are set.
impl std::fmt::Debug for Facets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Facets");
        for (name, v) in [
            ("max_length", &self.max_length),
            ("precision", &self.precision),
            ("scale", &self.scale),
            ("srid", &self.srid),
        ] {
            if let Some(v) = v {
                d.field(name, v);
            }
        }
        d.finish()
    }
}

/// A reference to a type: a primitive or a named type, possibly a collection, or a map of
/// string keys to values of it (an OpenAPI object of `additionalProperties`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TypeRef {
    /// A map whose values are `target` (never with `collection`).
    pub map: bool,
    /// `Collection(...)`.
    pub collection: bool,
    /// The (item) type.
    pub target: Target,
}

impl std::fmt::Debug for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("TypeRef");
        if self.map {
            out.field("map", &self.map);
        }
        out.field("collection", &self.collection).field("target", &self.target).finish()
    }
}

/// What a [`TypeRef`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An `Edm.*` primitive or abstract type.
    Primitive(Primitive),
    /// A named type of the model.
    Named(TypeId),
}

/// The built-in `Edm` types.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    /// OData V2's `Edm.DateTime`: a date and time without an offset (`/Date(ms)/` in V2 JSON).
    DateTime,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// Any `Edm.Geography*` type (GeoJSON on the wire).
    Geography,
    /// Any `Edm.Geometry*` type (GeoJSON on the wire).
    Geometry,
    /// `Edm.Untyped`, `Edm.PrimitiveType`, `Edm.ComplexType`, `Edm.EntityType` and other
    /// abstract types: any JSON value.
    Untyped,
}

impl Primitive {
    /// Parses the part after `Edm.`.
    pub fn from_edm(name: &str) -> Option<Primitive> {
        use Primitive::*;
        Some(match name {
            "Binary" => Binary,
            "Boolean" => Boolean,
            "Byte" => Byte,
            "Date" => Date,
            "DateTimeOffset" => DateTimeOffset,
            // OData V2: `Edm.DateTime`, and `Edm.Time`, a time of day written as an ISO 8601
            // duration (`PT13H20M`).
            "DateTime" => DateTime,
            "Time" => Duration,
            "Decimal" => Decimal,
            "Double" => Double,
            "Duration" => Duration,
            "Guid" => Guid,
            "Int16" => Int16,
            "Int32" => Int32,
            "Int64" => Int64,
            "SByte" => SByte,
            "Single" => Single,
            "Stream" => Stream,
            "String" => String,
            "TimeOfDay" => TimeOfDay,
            "Untyped"
            | "PrimitiveType"
            | "ComplexType"
            | "EntityType"
            | "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnyPropertyPath"
            | "ModelElementPath" => Untyped,
            n if n.starts_with("Geography") => Geography,
            n if n.starts_with("Geometry") => Geometry,
            _ => return None,
        })
    }

    /// Whether values are booleans or numbers that Rust passes by value (`bool`, integers,
    /// floats).
    pub fn is_copy(self) -> bool {
        use Primitive::*;
        matches!(self, Boolean | Byte | SByte | Int16 | Int32 | Int64 | Single | Double)
    }

    /// Whether it is an integer type an enumeration may use as its underlying type.
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Primitive::Byte | Primitive::SByte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64
        )
    }
}

/// An enumeration type.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// UnderlyingType (an integer type; Int32 when not given).
    pub underlying: Primitive,
    /// IsFlags="true": values combine, written comma-separated on the wire.
    pub is_flags: bool,
    /// Members in declaration order.
    pub members: Vec<Member>,
}

/// An enumeration member.
#[derive(Debug, Clone)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// Its value (explicit or implicit).
    pub value: i64,
    /// Descriptions, deprecation.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// A type definition: a primitive with a name.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The underlying primitive.
    pub underlying: Primitive,
    /// Its facets.
    pub facets: Facets,
}

/// The types a union's values may have, in the order the document lists them.
#[derive(Debug, Clone, Default)]
pub struct UnionDef {
    /// Its members.
    pub members: Vec<UnionMember>,
}

/// One type of a union.
#[derive(Debug, Clone)]
pub struct UnionMember {
    /// A name for it (the type's, or its JSON type's: `string`, `integer`...).
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
}

/// Action (side effects, POST) or function (no side effects, GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// An action.
    Action,
    /// A function.
    Function,
}

/// An action or function overload.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// The wire name.
    pub name: String,
    /// Action or function.
    pub kind: OperationKind,
    /// The binding parameter's type, for bound operations.
    pub binding: Option<TypeRef>,
    /// Parameters after the binding parameter.
    pub parameters: Vec<Parameter>,
    /// The return type; `None` for actions that return nothing.
    pub returns: Option<ReturnType>,
    /// IsComposable="true".
    pub composable: bool,
    /// EntitySetPath, when the result's entity set follows from the binding parameter.
    pub entity_set_path: Option<String>,
    /// An OData V2 service operation (a function import): invoked with this method at
    /// `/{name}`, its parameters in the query string as V2 literals, not as a V4 function
    /// call or action body.
    pub service_operation: Option<HttpMethod>,
    /// Descriptions, deprecation.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Nullable.
    pub nullable: bool,
    /// Core.OptionalParameter.
    pub optional: bool,
    /// Descriptions.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// An operation's return type.
#[derive(Debug, Clone)]
pub struct ReturnType {
    /// The type.
    pub ty: TypeRef,
    /// Nullable.
    pub nullable: bool,
}

/// An entity container: the service's top-level resources.
#[derive(Debug, Clone)]
pub struct Container {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// The wire name.
    pub name: String,
    /// Entity sets.
    pub entity_sets: Vec<EntitySet>,
    /// Singletons.
    pub singletons: Vec<Singleton>,
    /// Action and function imports.
    pub imports: Vec<Import>,
    /// Where it was declared.
    pub origin: Origin,
}

/// An entity set or singleton's navigation property binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The navigation property path.
    pub path: String,
    /// The target entity set or singleton path, as written.
    pub target: String,
}

/// A top-level collection of entities.
#[derive(Debug, Clone)]
pub struct EntitySet {
    /// The wire name (URL segment).
    pub name: String,
    /// The entity type of its members.
    pub entity_type: TypeId,
    /// Navigation property bindings.
    pub bindings: Vec<Binding>,
    /// Capabilities and descriptions.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// A top-level single entity.
#[derive(Debug, Clone)]
pub struct Singleton {
    /// The wire name (URL segment).
    pub name: String,
    /// Its entity type.
    pub entity_type: TypeId,
    /// Navigation property bindings.
    pub bindings: Vec<Binding>,
    /// Capabilities and descriptions.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// An action or function import: an unbound operation exposed at the service root.
#[derive(Debug, Clone)]
pub struct Import {
    /// The wire name (URL segment).
    pub name: String,
    /// Action or function.
    pub kind: OperationKind,
    /// The unbound overloads it exposes.
    pub operations: Vec<OperationId>,
    /// The entity set the results belong to, as written.
    pub entity_set: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI's Path Item Object lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method's name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Parses a method name, ignoring ASCII case (`get`, `GET`).
    pub fn parse(name: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

/// An operation addressed by a path template, e.g. `GET /pets/{petId}`: what an OpenAPI
/// document declares (and how OData V2 function imports are called).
#[derive(Debug, Clone)]
pub struct PathOperation {
    /// The namespace whose types it uses.
    pub namespace: NamespaceId,
    /// Its name (an OpenAPI `operationId`), or one made from the method and the path.
    pub name: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template relative to the service root, in parts.
    pub path: Vec<PathPart>,
    /// Path, query and header parameters, in declaration order.
    pub parameters: Vec<RequestParameter>,
    /// The request body, when it has one.
    pub body: Option<RequestBody>,
    /// The responses it declares, in declaration order.
    pub responses: Vec<Response>,
    /// The groups it belongs to (OpenAPI `tags`), the first being where it is documented.
    pub tags: Vec<String>,
    /// The server its path is relative to, when it names its own (OpenAPI `servers` on the
    /// operation or its path item): an absolute URL, instead of the client's base URL.
    pub server: Option<String>,
    /// The OData system query options it declares (`$select`, `$top`...), in declaration
    /// order: set on the request it returns, with the runtime's methods, rather than passed as
    /// arguments.
    pub query_options: Vec<String>,
    /// Descriptions, deprecation.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// A group of path operations (an OpenAPI tag).
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Its name.
    pub name: String,
    /// What the document says of it.
    pub description: Option<String>,
}

/// The OData system query options a request sets with methods of its own (`.select(..)`,
/// `.top(n)`...), which an OpenAPI description of an OData service declares as parameters.
pub const QUERY_OPTIONS: &[&str] =
    &["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$search", "$count"];

impl Operation {
    /// Every type the operation uses: its binding, parameters and result.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.binding
            .iter()
            .chain(self.parameters.iter().map(|p| &p.ty))
            .chain(self.returns.iter().map(|r| &r.ty))
    }
}

impl PathOperation {
    /// Every type the operation uses: its parameters, body and responses.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.parameters
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.iter().filter_map(|b| b.ty.as_ref()))
            .chain(self.responses.iter().filter_map(|r| r.ty.as_ref()))
    }

    /// The template as written, e.g. `/pets/{petId}`.
    pub fn template(&self) -> String {
        self.path
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => text.clone(),
                PathPart::Parameter(i) => format!("{{{}}}", self.parameters[*i].name),
            })
            .collect()
    }

    /// The response a successful call gets: the first `2XX` one declared (a status code
    /// before a range), else `default`.
    pub fn success(&self) -> Option<&Response> {
        let ok = |r: &&Response| match r.status {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(class) => class == 2,
            Status::Default => false,
        };
        let code = |r: &&Response| matches!(r.status, Status::Code(_));
        self.responses
            .iter()
            .filter(ok)
            .find(code)
            .or_else(|| self.responses.iter().find(ok))
            .or_else(|| self.responses.iter().find(|r| r.status == Status::Default))
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text as written (`/pets/`).
    Literal(String),
    /// The value of a path parameter: an index into [`PathOperation::parameters`].
    Parameter(usize),
}

/// Whether `name` is an HTTP token (RFC 9110), as a header name must be.
pub fn is_http_token(name: &str) -> bool {
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty() && name.chars().all(tchar)
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// A part of the path.
    Path,
    /// A query parameter (a collection repeats it, `?id=1&id=2`).
    Query,
    /// A request header.
    Header,
    /// A cookie of the `Cookie` header, its value percent-encoded.
    Cookie,
}

/// How a parameter whose value is an object (a structured type, or any JSON value) is
/// written, by OpenAPI's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectStyle {
    /// As its JSON text, whatever its type (a parameter with `content: application/json`).
    Json,
    /// Its members as `member=value`: separate query parameters (`form`, exploded), or
    /// `R=100,G=200` in a path, header or cookie (`simple`, exploded).
    Exploded,
    /// Members and values joined by commas: `R,100,G,200` (`simple`, or `form` not exploded).
    #[default]
    Joined,
    /// Query parameters `name[member]=value` (`deepObject`).
    Deep,
}

/// A parameter of a path operation.
#[derive(Debug, Clone)]
pub struct RequestParameter {
    /// The wire name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether a call must give it (path parameters always).
    pub required: bool,
    /// For a collection in the query: the text its items are joined with in one value
    /// (OpenAPI's `explode: false`: `,` for the `form` style, ` ` for `spaceDelimited`, `|` for
    /// `pipeDelimited`); `None` repeats the parameter once per item (`?id=1&id=2`).
    pub delimiter: Option<char>,
    /// How a value that is an object is written.
    pub object_style: ObjectStyle,
    /// Descriptions.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Origin,
}

/// The body of a path operation's request.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Its media type, e.g. `application/json`.
    pub media_type: String,
    /// Its type, for JSON bodies; `None` for other media (bytes).
    pub ty: Option<TypeRef>,
    /// Whether a call must send it.
    pub required: bool,
    /// For `multipart/form-data`: the content type declared for named parts (OpenAPI's
    /// `encoding`), by part name.
    pub part_types: Vec<(String, String)>,
}

/// A response of a path operation.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status it is for.
    pub status: Status,
    /// Its media type; `None` when it has no content.
    pub media_type: Option<String>,
    /// Its type, for JSON content.
    pub ty: Option<TypeRef>,
    /// When the content is one page of a collection (`ty`, a collection, its items): where
    /// the page object holds the items and the next page's URL (OData's `value` and
    /// `@odata.nextLink`, or what OpenAPI's `x-ms-pageable` names).
    pub page: Option<Paging>,
    /// Its description.
    pub notes: Notes,
}

/// The status a response is declared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// One status code, e.g. 200.
    Code(u16),
    /// A class of codes: `2XX` is `Range(2)`.
    Range(u8),
    /// Any status not otherwise declared.
    Default,
}

impl Model {
    /// The service's own namespace: the first entity container's, else the only namespace, else
    /// the one path operations are declared in. Its types are re-exported at the root of a
    /// generated crate.
    pub fn main_namespace(&self) -> Option<NamespaceId> {
        match self.container_namespace() {
            Some(ns) => Some(ns),
            None if self.namespaces.len() == 1 => Some(NamespaceId(0)),
            // A document of path operations: the namespace they are declared in, when it
            // holds types (an OpenAPI document's own, beside those of dotted schema names).
            None => self
                .path_operations
                .first()
                .map(|op| op.namespace)
                .filter(|ns| !self.namespaces[ns.0].types.is_empty()),
        }
    }

    /// The namespace of the (first) entity container: the service's default namespace, whose
    /// operations are addressed by their unqualified names (OData 4.01).
    pub fn container_namespace(&self) -> Option<NamespaceId> {
        self.containers.first().map(|c| c.namespace)
    }

    /// The type with id `id`.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The structured part of an entity or complex type.
    pub fn structured(&self, id: TypeId) -> Option<&Structured> {
        match &self.types[id.0].kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            _ => None,
        }
    }

    /// Whether values declared as type `id` may be of a derived type (one the value names:
    /// in plain JSON, only where a discriminator says which).
    pub fn is_polymorphic(&self, id: TypeId) -> bool {
        self.structured(id).is_some_and(|s| {
            !s.derived.is_empty() && (self.protocol == Protocol::OData || s.discriminator.is_some())
        })
    }

    /// `id` and every type derived from it, depth first in declaration order.
    pub fn with_descendants(&self, id: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(t) = stack.pop() {
            if out.contains(&t) {
                continue;
            }
            out.push(t);
            if let Some(s) = self.structured(t) {
                stack.extend(s.derived.iter().rev());
            }
        }
        out
    }

    /// Where and how values of structured type `id` name their concrete type; `None` when
    /// they do not (a plain JSON type outside a discriminated hierarchy).
    pub fn type_tag(&self, id: TypeId) -> Option<TypeTag> {
        match self.protocol {
            Protocol::OData => {
                let ty = self.ty(id);
                let ns = &self.namespaces[ty.namespace.0];
                let names = std::iter::once(&ns.name)
                    .chain(&ns.aliases)
                    .map(|prefix| format!("{prefix}.{}", ty.name));
                Some(TypeTag { key: "@odata.type".to_owned(), names: names.collect(), written: None })
            }
            Protocol::Json => {
                let d = self.structured(id)?.discriminator.as_ref().filter(|d| !d.key.is_empty())?;
                Some(TypeTag {
                    key: d.key.clone(),
                    names: d.values.clone(),
                    written: d.values.first().cloned(),
                })
            }
        }
    }

    /// The qualified wire name, e.g. `microsoft.graph.synchronizationJob`.
    pub fn qualified_name(&self, id: TypeId) -> String {
        let t = self.ty(id);
        format!("{}.{}", self.namespaces[t.namespace.0].name, t.name)
    }

    /// Checks that every id refers to a node that exists and that path templates and their
    /// parameters agree; front ends guarantee this, a model built by hand may not.
    pub fn check(&self) -> Result<(), String> {
        let types = self.types.len();
        let ty_ok = |t: &TypeRef| match t.target {
            Target::Named(id) => id.0 < types,
            Target::Primitive(_) => true,
        };
        let ns_ok = |ns: NamespaceId| ns.0 < self.namespaces.len();
        for n in &self.namespaces {
            if let Some(t) = n.types.iter().find(|t| t.0 >= types) {
                return Err(format!("namespace `{}` lists type {} of {types}", n.name, t.0));
            }
        }
        for t in &self.types {
            let bad = !ns_ok(t.namespace)
                || match &t.kind {
                    TypeKind::Entity(s) | TypeKind::Complex(s) => {
                        s.base.is_some_and(|b| b.0 >= types)
                            || s.derived.iter().any(|d| d.0 >= types)
                            || s.properties.iter().any(|p| !ty_ok(&p.ty))
                    }
                    TypeKind::Union(u) => u.members.iter().any(|m| !ty_ok(&m.ty)),
                    TypeKind::Enum(_) | TypeKind::Definition(_) => false,
                };
            if bad {
                return Err(format!("type `{}` refers to a namespace or type that does not exist", t.name));
            }
        }
        for o in &self.operations {
            let bad = !ns_ok(o.namespace) || !o.type_refs().all(ty_ok);
            if bad {
                return Err(format!(
                    "operation `{}` refers to a namespace or type that does not exist",
                    o.name
                ));
            }
        }
        // Names the client writes as URL segments (entity sets, singletons, imports, navigation
        // properties, bound operations): none may add a segment, climb or start a query.
        let segments = self.containers.iter().flat_map(|c| {
            let sets = c.entity_sets.iter().map(|e| &e.name);
            sets.chain(c.singletons.iter().map(|s| &s.name)).chain(c.imports.iter().map(|i| &i.name))
        });
        let navigation = self
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| s.properties.iter().filter(|p| p.navigation.is_some()).map(|p| &p.name));
        let operations = self.operations.iter().map(|o| &o.name);
        if let Some(name) = segments.chain(navigation).chain(operations).find(|n| !is_url_segment_name(n)) {
            return Err(format!("the name {name:?} cannot be written as a URL segment"));
        }
        for c in &self.containers {
            let bad = !ns_ok(c.namespace)
                || c.entity_sets.iter().any(|e| e.entity_type.0 >= types)
                || c.singletons.iter().any(|e| e.entity_type.0 >= types)
                || c.imports.iter().flat_map(|i| &i.operations).any(|o| o.0 >= self.operations.len());
            if bad {
                return Err(format!("container `{}` refers to a node that does not exist", c.name));
            }
        }
        for o in &self.path_operations {
            let bad = !ns_ok(o.namespace) || !o.type_refs().all(ty_ok);
            if bad {
                return Err(format!(
                    "path operation `{}` refers to a namespace or type that does not exist",
                    o.name
                ));
            }
            if !matches!(o.path.first(), Some(PathPart::Literal(text)) if text.starts_with('/')) {
                return Err(format!("path operation `{}`: the template does not start with `/`", o.name));
            }
            if o.path.iter().any(|part| matches!(part, PathPart::Parameter(i) if *i >= o.parameters.len())) {
                return Err(format!("path operation `{}`: the template names a parameter it lacks", o.name));
            }
            let template: String = o
                .path
                .iter()
                .map(|part| match part {
                    PathPart::Literal(text) => text.as_str(),
                    PathPart::Parameter(_) => "{p}",
                })
                .collect();
            if let Some(why) = path_template_problem(&template) {
                return Err(format!("path operation `{}`: the template {template:?} {why}", o.name));
            }
            for (i, p) in o.parameters.iter().enumerate() {
                let named = matches!(p.location, ParameterLocation::Header | ParameterLocation::Cookie);
                if named && !is_http_token(&p.name) {
                    return Err(format!(
                        "path operation `{}`: the header or cookie name {:?} is not an HTTP token",
                        o.name, p.name
                    ));
                }
                let used = o.path.iter().filter(|part| **part == PathPart::Parameter(i)).count();
                let expected = usize::from(p.location == ParameterLocation::Path);
                if used != expected {
                    return Err(format!(
                        "path operation `{}`: parameter `{}` appears {used} times in the template",
                        o.name, p.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// The property `name` of structured type `id` or of one of its base types.
    pub fn property_of(&self, id: TypeId, name: &str) -> Option<&Property> {
        self.ancestors(id)
            .into_iter()
            .filter_map(|t| self.structured(t))
            .find_map(|s| s.properties.iter().find(|p| p.name == name))
    }

    /// `id` and its base types, nearest first (a base-type cycle, which the front ends
    /// reject, would end the walk).
    pub fn ancestors(&self, id: TypeId) -> Vec<TypeId> {
        let mut out = vec![id];
        while let Some(b) = self.structured(*out.last().expect("non-empty")).and_then(|s| s.base) {
            if out.contains(&b) {
                break;
            }
            out.push(b);
        }
        out
    }
}

/// Why the path template `template` (`/pets/{petId}`) could address something other than the
/// path it spells, if it could: a `?` or `#` (a query or fragment), a control character, or a
/// `.` or `..` segment (which URL parsers remove, climbing out of the service). A template
/// must start with `/`.
pub fn path_template_problem(template: &str) -> Option<&'static str> {
    if !template.starts_with('/') {
        return Some("does not start with `/`");
    }
    if template.contains(['?', '#']) || template.chars().any(char::is_control) {
        return Some("holds a `?`, `#` or control character, which would end the path");
    }
    // Percent-encoded dots are dots to URL parsers too.
    let segments = template.split('/').map(|s| s.replace("%2E", ".").replace("%2e", "."));
    if segments.skip(1).any(|s| s == "." || s == "..") {
        return Some("has a `.` or `..` segment, which would climb out of where it points");
    }
    None
}

/// Whether a name can be written as a URL segment as it is: not empty, `.` or `..`, and
/// without `/`, `?`, `#`, `%`, whitespace or control characters.
pub fn is_url_segment_name(name: &str) -> bool {
    !matches!(name, "" | "." | "..")
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%' | '\\') || c.is_whitespace() || c.is_control())
}
