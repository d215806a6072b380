//! The language-neutral model every front end produces and every emitter reads.
//!
//! Nodes live in arenas and refer to each other by id ([`TypeId`], [`OperationId`]); every
//! reference is resolved when the model is built, so emitters never look a name up. Every
//! node keeps its wire name and the [`Location`] it came from. The model holds no tokens.

mod layout;
pub mod names;
pub mod paths;
pub mod surface;

use crate::diag::{Diagnostics, Location};

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of an operation in [`Model::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// Index of a namespace in [`Model::namespaces`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespaceId(pub usize);

/// A whole service description.
#[derive(Debug, Default)]
pub struct Model {
    /// Namespaces (CSDL schemas) in the order first seen.
    pub namespaces: Vec<Namespace>,
    /// Every named type, in declaration order.
    pub types: Vec<TypeDef>,
    /// Every action and function overload, in declaration order.
    pub operations: Vec<Operation>,
    /// Entity containers (service roots).
    pub containers: Vec<Container>,
    /// What the generated client offers, built by [`Model::finish`].
    pub surface: surface::Surface,
}

/// A namespace: one Rust module.
#[derive(Debug)]
pub struct Namespace {
    /// The namespace as written, e.g. `microsoft.graph`.
    pub name: String,
    /// Aliases it is known by, e.g. `graph`.
    pub aliases: Vec<String>,
    /// The Rust module name, assigned by [`names`].
    pub module: String,
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
    /// Core.Permissions (e.g. `Read`, `ReadWrite`).
    pub permissions: Option<String>,
    /// Capabilities.*Restrictions.
    pub capabilities: Capabilities,
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
        if let Some(v) = &self.permissions {
            d.field("permissions", v);
        }
        if !self.capabilities.is_empty() {
            d.field("capabilities", &self.capabilities);
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
#[derive(Debug)]
pub struct TypeDef {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// The wire name, e.g. `synchronizationJob`.
    pub name: String,
    /// The Rust type name, assigned by [`names`].
    pub rust_name: String,
    /// The Rust module (file) name inside the namespace module, assigned by [`names`].
    pub file: String,
    /// For entity and complex types: the Rust name of the enum of its fields (for `$select`),
    /// assigned by [`names`].
    pub field_enum: String,
    /// For entity and complex types with derived types: the enum that holds a value of this
    /// type or of any type derived from it, assigned by [`names`].
    pub polymorphic: Option<PolymorphicEnum>,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Descriptions, deprecation and the like.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Location,
}

impl TypeDef {
    /// The Rust name of a value declared as this type: its polymorphic enum when it has
    /// derived types, else its own name.
    pub fn value_name(&self) -> &str {
        self.polymorphic.as_ref().map_or(&self.rust_name, |p| &p.rust_name)
    }
}

/// The enum standing for a structured type wherever a value of it may be of a derived type
/// (chosen on the wire by `@odata.type`).
#[derive(Debug, Clone, Default)]
pub struct PolymorphicEnum {
    /// The enum's Rust name, e.g. `AnyDirectoryObject`.
    pub rust_name: String,
    /// The type itself, then every type derived from it (depth first, in declaration
    /// order), each with its variant name.
    pub variants: Vec<(TypeId, String)>,
}

/// The kinds of named types.
#[derive(Debug)]
pub enum TypeKind {
    /// An entity type (has identity).
    Entity(Structured),
    /// A complex type (a structured value).
    Complex(Structured),
    /// An enumeration.
    Enum(EnumDef),
    /// A type definition: a named primitive.
    Definition(Definition),
}

/// An entity or complex type.
#[derive(Debug, Default)]
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
    /// Every property including inherited ones, root base first, with its Rust name.
    /// Filled by [`Model::finish`].
    pub fields: Vec<Field>,
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
    pub origin: Location,
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

/// A property of a structured type as it appears in the flattened Rust struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// The type that declares it.
    pub declared_in: TypeId,
    /// Index into that type's [`Structured::properties`].
    pub index: usize,
    /// The Rust field name.
    pub rust_name: String,
    /// The variant naming this field in the type's field enum.
    pub variant: String,
    /// Whether the value must be boxed because the types contain each other.
    pub boxed: bool,
    /// The property's notes as seen through this type, when an annotation aimed at the
    /// inherited property through this type (or a base between) adds to the declaration's.
    pub notes: Option<Notes>,
}

/// A reference to a type: a primitive or a named type, possibly a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeRef {
    /// `Collection(...)`.
    pub collection: bool,
    /// The (item) type.
    pub target: Target,
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
#[derive(Debug)]
pub struct EnumDef {
    /// UnderlyingType (an integer type; Int32 when not given).
    pub underlying: Primitive,
    /// IsFlags="true": values combine, written comma-separated on the wire.
    pub is_flags: bool,
    /// Members in declaration order.
    pub members: Vec<Member>,
}

/// An enumeration member.
#[derive(Debug)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// Its value (explicit or implicit).
    pub value: i64,
    /// The Rust variant (or, for flags, constant) name, assigned by [`names`].
    pub rust_name: String,
    /// Descriptions, deprecation.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Location,
}

/// A type definition: a primitive with a name.
#[derive(Debug)]
pub struct Definition {
    /// The underlying primitive.
    pub underlying: Primitive,
    /// Its facets.
    pub facets: Facets,
}

/// Action (side effects, POST) or function (no side effects, GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// An action.
    Action,
    /// A function.
    Function,
}

impl OperationKind {
    /// The HTTP method that invokes it (OData: actions are POSTed with their parameters as a
    /// JSON body, functions are GET with their parameters in the URL), and the runtime hook the
    /// generated call goes through (`__action` / `__function`) sends it so. The one place the
    /// verb is decided: the emitter's docs and the operations listing both read it.
    pub fn http_method(self) -> &'static str {
        match self {
            OperationKind::Action => "POST",
            OperationKind::Function => "GET",
        }
    }
}

/// An action or function overload.
#[derive(Debug)]
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
    /// Descriptions, deprecation.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Location,
}

/// An operation parameter.
#[derive(Debug)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// The Rust argument name, assigned by [`names`].
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Nullable.
    pub nullable: bool,
    /// Core.OptionalParameter.
    pub optional: bool,
    /// Descriptions.
    pub notes: Notes,
    /// Where it was declared.
    pub origin: Location,
}

/// An operation's return type.
#[derive(Debug)]
pub struct ReturnType {
    /// The type.
    pub ty: TypeRef,
    /// Nullable.
    pub nullable: bool,
}

/// An entity container: the service's top-level resources.
#[derive(Debug)]
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
    pub origin: Location,
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
#[derive(Debug)]
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
    pub origin: Location,
}

/// A top-level single entity.
#[derive(Debug)]
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
    pub origin: Location,
}

/// An action or function import: an unbound operation exposed at the service root.
#[derive(Debug)]
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
    pub origin: Location,
}

impl Model {
    /// The service's own namespace: the first entity container's, else the only namespace.
    /// Its types are re-exported at the root of a generated crate.
    pub fn main_namespace(&self) -> Option<NamespaceId> {
        match self.containers.first() {
            Some(c) => Some(c.namespace),
            None if self.namespaces.len() == 1 => Some(NamespaceId(0)),
            None => None,
        }
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

    /// Whether values declared as type `id` may be of a derived type.
    pub fn is_polymorphic(&self, id: TypeId) -> bool {
        self.structured(id).is_some_and(|s| !s.derived.is_empty())
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

    /// The qualified wire name, e.g. `microsoft.graph.synchronizationJob`.
    pub fn qualified_name(&self, id: TypeId) -> String {
        let t = self.ty(id);
        format!("{}.{}", self.namespaces[t.namespace.0].name, t.name)
    }

    /// The notes of a field: the declaration's, or those refined for the containing type.
    pub fn field_notes<'a>(&'a self, field: &'a Field) -> &'a Notes {
        field.notes.as_ref().unwrap_or(&self.field_property(field).notes)
    }

    /// The declaration behind a field.
    pub fn field_property(&self, field: &Field) -> &Property {
        let s = self.structured(field.declared_in).expect("fields belong to structured types");
        &s.properties[field.index]
    }

    /// Completes the model after a front end built it: flattens inherited properties,
    /// assigns every Rust name, and decides which fields are boxed.
    pub fn finish(&mut self, diags: &mut Diagnostics) {
        layout::flatten_fields(self);
        self.surface = surface::build(self);
        names::assign(self, diags);
        layout::box_recursive_fields(self);
    }
}
