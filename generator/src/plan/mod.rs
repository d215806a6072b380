//! The Rust plan: every decision about how a [`Model`] becomes Rust, made once.
//!
//! [`build`] reads the language-neutral model and decides, in this order:
//! - which properties each struct holds, inherited ones included ([`layout`]);
//! - what each request handle and the client root offer, and how each operation (bound,
//!   imported or addressed by a path template) is called: its HTTP method and how every
//!   argument travels ([`surface`]);
//! - every Rust name: namespace modules, type files, types, field enums, polymorphic enums
//!   and their variants, fields, enum members, methods and arguments ([`names`]);
//! - which fields are boxed because types contain each other ([`layout`]).
//!
//! The results are side tables indexed like the model's arenas ([`TypeId`],
//! [`OperationId`], [`NamespaceId`]), so the model stays free of Rust. The emitter, the
//! operations listing and URL resolution ([`paths`]) all read this one plan, so they cannot
//! disagree about a name, a verb or an argument's form.

pub mod features;
mod layout;
pub(crate) mod names;
pub mod paths;
pub mod surface;

use crate::diag::Diagnostics;
use crate::model::{
    Model, NamespaceId, Notes, OperationId, PathOperationId, Property, Target, TypeId, TypeRef,
};

/// The Rust decisions for one model.
pub struct Plan<'m> {
    /// The model planned.
    pub model: &'m Model,
    /// The Rust module of each namespace, by [`NamespaceId`].
    pub modules: Vec<String>,
    /// Rust names and layout of each type, by [`TypeId`].
    pub types: Vec<TypePlan>,
    /// How each operation is called, by [`OperationId`].
    pub operations: Vec<OperationPlan>,
    /// How each path operation is called, by [`PathOperationId`].
    pub path_operations: Vec<PathOperationPlan>,
    /// What the client root and each request handle offer.
    pub surface: surface::Surface,
    /// The per-area cargo features, when [`Settings::area_features`] asks for them.
    pub features: Option<features::Features>,
    /// How keys are written in URLs: the settings', else the model's.
    pub key_style: crate::model::KeyStyle,
    /// How `$batch` requests are written: the settings', else the model's.
    pub batch_format: crate::model::BatchFormat,
}

/// Choices of the caller's that the plan follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// One cargo feature per member of the service root ([`features`]); for crates only.
    pub area_features: bool,
    /// How keys are written in URLs, overriding the model's [`Model::key_style`].
    pub key_style: Option<crate::model::KeyStyle>,
    /// How `$batch` requests are written, overriding the model's [`Model::batch_format`].
    pub batch_format: Option<crate::model::BatchFormat>,
}

/// Prints the decisions only (the model prints on its own).
impl std::fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("modules", &self.modules)
            .field("types", &self.types)
            .field("operations", &self.operations)
            .field("path_operations", &self.path_operations)
            .field("surface", &self.surface)
            .field("features", &self.features)
            .finish()
    }
}

/// What the plan decides for one type.
#[derive(Debug, Default)]
pub struct TypePlan {
    /// The Rust type name.
    pub rust_name: String,
    /// The Rust module (file) inside the namespace module.
    pub file: String,
    /// For entity and complex types: the enum of its fields (for `$select`).
    pub field_enum: Option<String>,
    /// For entity and complex types with derived types: the enum that holds a value of this
    /// type or of any type derived from it.
    pub polymorphic: Option<PolymorphicEnum>,
    /// For entity and complex types: every property including inherited ones, root base
    /// first, as the Rust struct holds them.
    pub fields: Vec<Field>,
    /// For entity and complex types whose values name their concrete type: the field that
    /// holds that name (`odata_type` for OData's `@odata.type`).
    pub tag_field: Option<String>,
    /// For structured types sent as a `multipart/form-data` body: the struct of that form
    /// (each field a part, raw-bytes fields file parts).
    pub form: Option<String>,
    /// For enumeration types: the Rust variant (or, for flags, constant) of each member, in
    /// declaration order.
    pub members: Vec<String>,
}

impl TypePlan {
    /// The Rust name of a value declared as this type: its polymorphic enum when it has
    /// derived types, else its own name.
    pub fn value_name(&self) -> &str {
        self.polymorphic.as_ref().map_or(&self.rust_name, |p| &p.rust_name)
    }

    /// The field enum's name (structured types only).
    pub fn field_enum(&self) -> &str {
        self.field_enum.as_deref().expect("only structured types have field enums")
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

/// A property of a structured type as it appears in the flattened Rust struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// The type that declares it.
    pub declared_in: TypeId,
    /// Index into that type's [`crate::model::Structured::properties`].
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

/// How an operation is called.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// The HTTP method that invokes it.
    pub method: &'static str,
    /// Whether its URL segment carries an argument list, `name(…)` (functions, even without
    /// parameters), rather than just its name (actions).
    pub parenthesized: bool,
    /// Its arguments, one per parameter of the operation (binding parameter excluded), in
    /// declaration order.
    pub arguments: Vec<Argument>,
    /// What a successful response holds.
    pub returns: Decoding,
    /// For a composable function whose every argument is a literal: the entity type its
    /// result is, and whether a collection. Bound to an entity, such a function returns a
    /// handle on that result, which can be addressed further.
    pub composes: Option<(TypeId, bool)>,
}

/// How a path operation is called: a method of the client root (named in
/// [`surface::Surface::root`]).
#[derive(Debug, Clone)]
pub struct PathOperationPlan {
    /// Its arguments, one per parameter of the operation, in declaration order.
    pub arguments: Vec<Argument>,
    /// The request body, the last argument.
    pub body: Option<BodyPlan>,
    /// What a successful response holds.
    pub returns: Decoding,
}

/// How a path operation's request body is passed and sent.
#[derive(Debug, Clone)]
pub struct BodyPlan {
    /// The argument's Rust name.
    pub rust_name: String,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// A value of this type written as `encoding` says, or (`None`) bytes as given.
    pub json: Option<TypeRef>,
    /// How the typed value is written.
    pub encoding: BodyEncoding,
    /// For multipart bodies: the content type declared for named parts.
    pub part_types: Vec<(String, String)>,
    /// Whether the argument is an `Option`.
    pub optional: bool,
}

/// How a typed request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// As JSON.
    Json,
    /// Its JSON, as `application/x-www-form-urlencoded`.
    Form,
    /// The form of its type ([`TypePlan::form`]), as `multipart/form-data`.
    Multipart,
}

/// How the body of a successful response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// Nothing is read (no content declared).
    Empty,
    /// A JSON value of the type (a collection as a `Vec`).
    Json(TypeRef),
    /// An OData collection: a page of items (`value`, `@odata.nextLink`, `@odata.count`).
    Page(Target),
    /// An OData primitive or enumeration result, wrapped as `{"value": …}`.
    Value(Target),
    /// The bytes as sent (a media type other than JSON).
    Bytes,
}

/// One argument of a generated operation method.
#[derive(Debug, Clone)]
pub struct Argument {
    /// The Rust argument name.
    pub rust_name: String,
    /// How its value travels.
    pub passing: Passing,
}

/// Where an argument's value goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passing {
    /// A member of the JSON body (action parameters).
    Body,
    /// Inline in the call's URL segment as a literal (`name='x'`, `n=1`).
    Literal,
    /// As a JSON parameter alias: `name=@name` in the segment, `@name=<json>` in the query
    /// (structured and collection values of functions).
    Alias,
    /// In its place in a path template, percent-encoded as one segment.
    Path,
    /// As a query parameter (each item of a collection as one more, `?id=1&id=2`).
    Query,
    /// As a request header.
    Header,
    /// As a cookie of the `Cookie` header.
    Cookie,
}

impl<'m> Plan<'m> {
    /// The decisions for type `id`.
    pub fn ty(&self, id: TypeId) -> &TypePlan {
        &self.types[id.0]
    }

    /// The Rust module of namespace `id`.
    pub fn module(&self, id: NamespaceId) -> &str {
        &self.modules[id.0]
    }

    /// How operation `id` is called.
    pub fn operation(&self, id: OperationId) -> &OperationPlan {
        &self.operations[id.0]
    }

    /// How path operation `id` is called.
    pub fn path_operation(&self, id: PathOperationId) -> &PathOperationPlan {
        &self.path_operations[id.0]
    }

    /// The struct fields of structured type `id` (empty for other kinds).
    pub fn fields(&self, id: TypeId) -> &[Field] {
        &self.types[id.0].fields
    }

    /// The declaration behind a field.
    pub fn property(&self, field: &Field) -> &'m Property {
        let s = self.model.structured(field.declared_in).expect("fields belong to structured types");
        &s.properties[field.index]
    }

    /// The notes of a field: the declaration's, or those refined for the containing type.
    pub fn field_notes<'a>(&'a self, field: &'a Field) -> &'a Notes {
        field.notes.as_ref().unwrap_or(&self.property(field).notes)
    }
}

/// Plans `model` with the default [`Settings`]. Naming collisions are warnings in `diags`;
/// nothing here fails.
pub fn build<'m>(model: &'m Model, diags: &mut Diagnostics) -> Plan<'m> {
    build_with(model, Settings::default(), diags)
}

/// Plans `model` following `settings`.
pub fn build_with<'m>(model: &'m Model, settings: Settings, diags: &mut Diagnostics) -> Plan<'m> {
    let mut plan = Plan {
        model,
        modules: vec![String::new(); model.namespaces.len()],
        types: model.types.iter().map(|_| TypePlan::default()).collect(),
        operations: model.operations.iter().map(|op| surface::operation_plan(model, op)).collect(),
        path_operations: model
            .path_operations
            .iter()
            .map(|op| surface::path_operation_plan(model, op))
            .collect(),
        surface: surface::Surface::default(),
        features: None,
        key_style: settings.key_style.unwrap_or(model.key_style),
        batch_format: settings.batch_format.unwrap_or(model.batch_format),
    };
    layout::flatten_fields(&mut plan);
    plan.surface = surface::build(&plan);
    names::assign(&mut plan, diags);
    layout::box_recursive_fields(&mut plan);
    if settings.area_features {
        plan.features = Some(features::build(&plan));
    }
    plan
}
