//! The client surface: what each request handle offers. Navigation is written once per
//! entity type (its navigation properties, casts to derived types, bound operations), and the
//! service root offers entity sets, singletons and imports; every URL of the service is a
//! walk through these, so generated code grows with types, not with paths.

use std::collections::{BTreeMap, BTreeSet};

use super::{Argument, BodyEncoding, BodyPlan, Decoding, OperationPlan, Passing, PathOperationPlan, Plan};
use crate::model::{
    Capabilities, Model, Operation, OperationId, OperationKind, Parameter, ParameterLocation, PathOperation,
    PathOperationId, Primitive, RequestBody, Target, TypeId, TypeKind, TypeRef,
};

/// What a collection or entity reached through a member allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// GET (list or get).
    pub read: bool,
    /// POST to the collection.
    pub insert: bool,
    /// PATCH an entity.
    pub update: bool,
    /// DELETE an entity.
    pub delete: bool,
}

impl Access {
    /// Everything allowed, narrowed by what `caps` states (first stated wins).
    fn from(caps: &[&Capabilities]) -> Access {
        let pick = |f: fn(&Capabilities) -> Option<bool>| caps.iter().find_map(|c| f(c)).unwrap_or(true);
        Access {
            read: pick(|c| c.readable),
            insert: pick(|c| c.insertable),
            update: pick(|c| c.updatable),
            delete: pick(|c| c.deletable),
        }
    }
}

/// One method of a request handle or of the client root.
#[derive(Clone, Debug)]
pub struct Member {
    /// The Rust method name, assigned by [`super::names`] (empty until then).
    pub rust_name: String,
    /// What the method does.
    pub kind: MemberKind,
}

/// What a member does.
#[derive(Clone, Debug)]
pub enum MemberKind {
    /// Appends `segment` and leads to an entity (single) or a collection of entities.
    Navigate {
        /// The URL segment.
        segment: String,
        /// The entity type reached.
        target: TypeId,
        /// A collection (entity set, collection-valued navigation property).
        collection: bool,
        /// What the reached resource allows.
        access: Access,
        /// The navigation property, when it is one: (declaring type, index).
        property: Option<(TypeId, usize)>,
    },
    /// Addresses a structural property on its own: a stream (`…/content`) or a single
    /// structured value (`…/mailboxSettings`).
    Property {
        /// The URL segment (the property name).
        segment: String,
        /// The property type.
        target: Target,
    },
    /// Appends the qualified name of a derived type.
    Cast {
        /// The derived type.
        target: TypeId,
    },
    /// Calls an operation addressed by a path template (the client root only).
    PathOperation {
        /// The operation.
        operation: PathOperationId,
    },
    /// Calls a bound operation or an import.
    Operation {
        /// The overload.
        operation: OperationId,
        /// The URL segment (the import name, or the operation name, qualified unless its
        /// namespace is the service's own).
        segment: String,
    },
}

/// The whole surface.
#[derive(Debug, Default)]
pub struct Surface {
    /// Methods on the client root.
    pub root: Vec<Member>,
    /// Methods on `EntityRequest<T>`, per entity type.
    pub entity: BTreeMap<TypeId, Vec<Member>>,
    /// Methods on `CollectionRequest<T>`, per entity type.
    pub collection: BTreeMap<TypeId, Vec<Member>>,
}

fn is_entity(model: &Model, id: TypeId) -> bool {
    matches!(model.ty(id).kind, TypeKind::Entity(_))
}

/// Every type derived from `id`, directly or not, in declaration order of the tree walk.
fn descendants(model: &Model, id: TypeId) -> Vec<TypeId> {
    model.with_descendants(id).split_off(1)
}

/// The URL segment of a bound operation: unqualified when its namespace is the service's
/// own (the namespace of the entity container; OData 4.01 default namespaces, and how
/// Microsoft Graph documents its URLs), qualified otherwise.
pub fn operation_segment(model: &Model, op: OperationId) -> String {
    let o = &model.operations[op.0];
    if Some(o.namespace) == model.container_namespace() {
        o.name.clone()
    } else {
        format!("{}.{}", model.namespaces[o.namespace.0].name, o.name)
    }
}

/// Builds the surface (Rust names are left empty for [`super::names`]).
pub(super) fn build(plan: &Plan) -> Surface {
    let model = plan.model;
    let mut surface = Surface::default();
    // Bound operations by binding type: (single, collection).
    let mut bound: BTreeMap<TypeId, (Vec<OperationId>, Vec<OperationId>)> = BTreeMap::new();
    for (i, op) in model.operations.iter().enumerate() {
        if let Some(b) = op.binding {
            if let Target::Named(t) = b.target {
                let entry = bound.entry(t).or_default();
                if b.collection {
                    entry.1.push(OperationId(i));
                } else {
                    entry.0.push(OperationId(i));
                }
            }
        }
    }
    let member = |kind| Member { rust_name: String::new(), kind };
    // Handles exist for the types the root leads to by navigation (`direct`), and for their
    // derived types (reached by casts); only those get request methods.
    let mut direct: BTreeSet<TypeId> = BTreeSet::new();
    let mut reachable: BTreeSet<TypeId> = BTreeSet::new();
    let mut queue: Vec<TypeId> = Vec::new();
    let reach = |t: TypeId,
                 direct: &mut BTreeSet<TypeId>,
                 reachable: &mut BTreeSet<TypeId>,
                 queue: &mut Vec<TypeId>| {
        if direct.insert(t) {
            for r in std::iter::once(t).chain(descendants(model, t)) {
                if reachable.insert(r) {
                    queue.push(r);
                }
            }
        }
    };
    for c in &model.containers {
        for t in c.entity_sets.iter().map(|s| s.entity_type).chain(c.singletons.iter().map(|s| s.entity_type))
        {
            reach(t, &mut direct, &mut reachable, &mut queue);
        }
    }
    // Without a service root (metadata that only declares types, or reference pages), every
    // entity type gets handles: `client.collection::<T>(path)` leads to them.
    if model.containers.is_empty() {
        for (i, t) in model.types.iter().enumerate() {
            if matches!(t.kind, TypeKind::Entity(_)) {
                reach(TypeId(i), &mut direct, &mut reachable, &mut queue);
            }
        }
    }
    while let Some(t) = queue.pop() {
        for f in plan.fields(t) {
            let p = plan.property(f);
            if let (Some(_), Target::Named(target)) = (&p.navigation, p.ty.target) {
                if is_entity(model, target) {
                    reach(target, &mut direct, &mut reachable, &mut queue);
                }
            }
        }
    }
    for &id in &reachable {
        if model.structured(id).is_none() {
            continue;
        }
        let mut single = Vec::new();
        let mut collection = Vec::new();
        for f in plan.fields(id) {
            let p = plan.property(f);
            let (Some(_), Target::Named(target)) = (&p.navigation, p.ty.target) else { continue };
            if !is_entity(model, target) {
                continue;
            }
            let access =
                Access::from(&[&plan.field_notes(f).capabilities, &model.ty(target).notes.capabilities]);
            single.push(member(MemberKind::Navigate {
                segment: p.name.clone(),
                target,
                collection: p.ty.collection,
                access,
                property: Some((f.declared_in, f.index)),
            }));
        }
        for f in plan.fields(id) {
            let p = plan.property(f);
            let addressable = match p.ty.target {
                Target::Primitive(Primitive::Stream) => true,
                Target::Named(t) => matches!(model.ty(t).kind, TypeKind::Complex(_)),
                Target::Primitive(_) => false,
            };
            if p.navigation.is_none() && !p.ty.collection && addressable {
                single.push(member(MemberKind::Property { segment: p.name.clone(), target: p.ty.target }));
            }
        }
        if direct.contains(&id) {
            for d in descendants(model, id) {
                single.push(member(MemberKind::Cast { target: d }));
                collection.push(member(MemberKind::Cast { target: d }));
            }
        }
        // Operations bound to the type or a base type; an operation re-declared for a derived
        // type with the same parameters has the same URL, so the nearest binding wins.
        let mut seen: BTreeSet<(usize, String, Vec<String>)> = BTreeSet::new();
        for a in model.ancestors(id) {
            let Some((ops_single, ops_collection)) = bound.get(&a) else { continue };
            for (ops, list, tag) in
                [(ops_single, &mut single, "entity"), (ops_collection, &mut collection, "collection")]
            {
                for &op in ops {
                    let o = &model.operations[op.0];
                    let params = std::iter::once(tag.to_owned())
                        .chain(o.parameters.iter().map(|p| p.name.clone()))
                        .collect();
                    if seen.insert((o.namespace.0, o.name.clone(), params)) {
                        list.push(member(MemberKind::Operation {
                            operation: op,
                            segment: operation_segment(model, op),
                        }));
                    }
                }
            }
        }
        surface.entity.insert(id, single);
        surface.collection.insert(id, collection);
    }
    for c in &model.containers {
        // Entity sets (collections), then singletons.
        let sets = c.entity_sets.iter().map(|s| (&s.name, s.entity_type, &s.notes, true));
        let singletons = c.singletons.iter().map(|s| (&s.name, s.entity_type, &s.notes, false));
        for (name, target, notes, collection) in sets.chain(singletons) {
            let access = Access::from(&[&notes.capabilities, &model.ty(target).notes.capabilities]);
            surface.root.push(member(MemberKind::Navigate {
                segment: name.clone(),
                target,
                collection,
                access,
                property: None,
            }));
        }
        for import in &c.imports {
            for &op in &import.operations {
                surface
                    .root
                    .push(member(MemberKind::Operation { operation: op, segment: import.name.clone() }));
            }
        }
    }
    for i in 0..model.path_operations.len() {
        surface.root.push(member(MemberKind::PathOperation { operation: PathOperationId(i) }));
    }
    surface
}

/// How a path operation is called: each parameter where its location says, and the body as
/// the last argument. Argument names are left empty for [`super::names`].
pub(super) fn path_operation_plan(model: &Model, op: &PathOperation) -> PathOperationPlan {
    let arguments = op
        .parameters
        .iter()
        .map(|p| Argument {
            rust_name: String::new(),
            passing: match p.location {
                ParameterLocation::Path => Passing::Path,
                ParameterLocation::Query => Passing::Query,
                ParameterLocation::Header => Passing::Header,
                ParameterLocation::Cookie => Passing::Cookie,
            },
        })
        .collect();
    // The successful response's content: JSON of its declared type, bytes of any other media
    // type (or of JSON without a declared type), or nothing.
    let returns = match op.success() {
        Some(r) => match (r.media_type.as_deref(), r.ty) {
            (Some(media), Some(ty)) if is_json(media) && r.page.is_some() && ty.collection => {
                Decoding::Page(ty.target)
            }
            (Some(media), Some(ty)) if is_json(media) => Decoding::Json(ty),
            (Some(_), _) => Decoding::Bytes,
            (None, _) => Decoding::Empty,
        },
        None => Decoding::Empty,
    };
    // A body is typed when its media type is JSON or a form and it declares a type, or
    // multipart with an object type; anything else is bytes.
    let body = op.body.as_ref().map(|b| {
        let encoding = if is_form(&b.media_type) {
            BodyEncoding::Form
        } else if is_multipart(&b.media_type) {
            BodyEncoding::Multipart
        } else {
            BodyEncoding::Json
        };
        let typed = match encoding {
            BodyEncoding::Multipart => multipart_form(model, b).is_some(),
            _ => is_json(&b.media_type) || is_form(&b.media_type),
        };
        BodyPlan {
            rust_name: String::new(),
            media_type: b.media_type.clone(),
            json: b.ty.filter(|_| typed),
            encoding,
            part_types: b.part_types.clone(),
            optional: !b.required,
        }
    });
    PathOperationPlan { arguments, body, returns }
}

/// The structured type whose form a `multipart/form-data` body sends: its declared type,
/// when that is one object (not a collection or map).
pub(crate) fn multipart_form(model: &Model, body: &RequestBody) -> Option<TypeId> {
    match body.ty {
        Some(TypeRef { map: false, collection: false, target: Target::Named(id) })
            if is_multipart(&body.media_type) && model.structured(id).is_some() =>
        {
            Some(id)
        }
        _ => None,
    }
}

/// A media type without its parameters, in lower case (`application/json`).
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a media type is JSON: `application/json` or a `+json` suffix, parameters aside.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type is `multipart/form-data`, parameters aside.
pub(crate) fn is_multipart(media: &str) -> bool {
    essence(media) == "multipart/form-data"
}

/// Whether a media type is `application/x-www-form-urlencoded`, parameters aside.
pub(crate) fn is_form(media: &str) -> bool {
    essence(media) == "application/x-www-form-urlencoded"
}

/// How `op` is called, by the OData conventions: an action is POSTed with its parameters as
/// members of a JSON body; a function is a GET with its parameters in the URL, inline as
/// literals where they have one and as JSON parameter aliases otherwise. Argument names are
/// left empty for [`super::names`].
pub(super) fn operation_plan(model: &Model, op: &Operation) -> OperationPlan {
    let (method, parenthesized, arguments) = match op.kind {
        // A V2 service operation: its method, every parameter a literal in the query string.
        _ if op.service_operation.is_some() => (
            op.service_operation.map_or("GET", crate::model::HttpMethod::as_str),
            true,
            op.parameters.iter().map(|_| Passing::Literal).collect(),
        ),
        OperationKind::Action => {
            ("POST", false, op.parameters.iter().map(|_| Passing::Body).collect::<Vec<_>>())
        }
        OperationKind::Function => (
            "GET",
            true,
            op.parameters
                .iter()
                .map(|p| if has_literal(model, p) { Passing::Literal } else { Passing::Alias })
                .collect(),
        ),
    };
    let arguments: Vec<Argument> =
        arguments.into_iter().map(|passing| Argument { rust_name: String::new(), passing }).collect();
    let composes = if op.service_operation.is_some() { None } else { composes(model, op, &arguments) };
    // OData results: collections are pages, structured values are the body itself, and other
    // values come wrapped in `{"value": …}`.
    let returns = match &op.returns {
        None => Decoding::Empty,
        Some(r) if r.ty.collection => Decoding::Page(r.ty.target),
        Some(r) => match r.ty.target {
            Target::Named(id) if model.structured(id).is_some() => Decoding::Json(r.ty),
            target => Decoding::Value(target),
        },
    };
    OperationPlan { method, parenthesized, arguments, returns, composes }
}

/// Whether a function parameter can be written inline as a literal (`name='x'`, `n=1`);
/// structured and collection values go in JSON parameter aliases instead.
fn has_literal(model: &Model, p: &Parameter) -> bool {
    use Primitive::*;
    if p.ty.collection {
        return false;
    }
    let primitive = match p.ty.target {
        Target::Primitive(prim) => prim,
        Target::Named(id) => match &model.ty(id).kind {
            TypeKind::Enum(_) => return true,
            TypeKind::Definition(d) => d.underlying,
            _ => return false,
        },
    };
    primitive.is_copy()
        || matches!(
            primitive,
            String | Duration | Decimal | Guid | Date | DateTime | DateTimeOffset | TimeOfDay
        )
}

/// The entity type a composable function leads to when its result is addressed further (all
/// parameters inline, so the call fits in a path segment): (type, collection).
fn composes(model: &Model, op: &Operation, arguments: &[Argument]) -> Option<(TypeId, bool)> {
    let r = op.returns.as_ref()?;
    let Target::Named(t) = r.ty.target else { return None };
    let ok = op.kind == OperationKind::Function
        && op.composable
        && is_entity(model, t)
        && arguments.iter().all(|a| a.passing == Passing::Literal);
    ok.then_some((t, r.ty.collection))
}
