//! URLs of the client surface: the operations listing (`METHOD /url/template -> rust call`)
//! and the resolution of a concrete request URL to the call that makes it. Both walk the same
//! [`Surface`](super::surface::Surface) the emitter writes and render each operation's
//! [`OperationPlan`](super::OperationPlan), so they cannot drift from the code.

use super::surface::{Access, Member, MemberKind};
use super::{Passing, Plan};
use crate::model::{
    KeyStyle, OperationId, OperationKind, PathOperationId, PathPart, Primitive, Target, TypeId, TypeKind,
};

/// One line of the listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    /// HTTP method.
    pub method: &'static str,
    /// URL template relative to the service root, e.g. `/users/{user-id}/manager`.
    pub template: String,
    /// The Rust call that sends it, e.g. `client.users().by_id(user_id).manager().get()`.
    pub call: String,
}

/// A resource the walk stands on.
#[derive(Clone, Copy, Debug)]
enum Node {
    Entity(TypeId, Access),
    Collection(TypeId, Access),
}

fn members<'p>(plan: &'p Plan, node: Node) -> &'p [Member] {
    let map = match node {
        Node::Entity(..) => &plan.surface.entity,
        Node::Collection(..) => &plan.surface.collection,
    };
    let t = match node {
        Node::Entity(t, _) | Node::Collection(t, _) => t,
    };
    map.get(&t).map(Vec::as_slice).unwrap_or_default()
}

fn operation_line(
    plan: &Plan,
    m: &Member,
    op: OperationId,
    segment: &str,
    path: &str,
    call: &str,
    on_entity: bool,
) -> Endpoint {
    let (o, planned) = (&plan.model.operations[op.0], plan.operation(op));
    let args: Vec<&str> = planned.arguments.iter().map(|a| a.rust_name.as_str()).collect();
    let mut call = format!("{call}.{}({})", m.rust_name, args.join(", "));
    // A composable function bound to an entity returns a handle: sending it is its read.
    if let (true, Some((_, collection))) = (on_entity, planned.composes) {
        call.push_str(if collection { ".list()" } else { ".get()" });
    }
    // As the client writes the arguments: in the body, inline as literals, or as parameter
    // aliases (`p=@p`, `?@p=<json>`).
    let (mut inline, mut aliases) = (Vec::new(), Vec::new());
    for (p, a) in o.parameters.iter().zip(&planned.arguments) {
        match a.passing {
            Passing::Body | Passing::Path | Passing::Query | Passing::Header | Passing::Cookie => {}
            Passing::Literal => inline.push(format!("{0}={{{0}}}", p.name)),
            Passing::Alias => {
                inline.push(format!("{0}=@{0}", p.name));
                aliases.push(format!("@{0}={{{0}}}", p.name));
            }
        }
    }
    let mut template = format!("{path}/{segment}");
    if planned.parenthesized {
        template.push_str(&format!("({})", inline.join(",")));
    }
    if !aliases.is_empty() {
        template.push('?');
        template.push_str(&aliases.join("&"));
    }
    Endpoint { method: planned.method, template, call }
}

/// Every endpoint reachable from the service root, collected; see [`listing_each`].
pub fn listing(plan: &Plan, max_depth: usize) -> Vec<Endpoint> {
    let mut out = Vec::new();
    listing_each(plan, max_depth, &mut |e| out.push(e));
    out
}

/// Every endpoint reachable from the service root, handed to `each` one at a time in listing
/// order, so memory stays proportional to the depth rather than to the number of endpoints.
/// Navigation is followed while it leads to types not yet on the current path (so recursive
/// containment such as folders in folders is listed once) and to at most `max_depth`
/// navigation steps.
pub fn listing_each(plan: &Plan, max_depth: usize, each: &mut dyn FnMut(Endpoint)) {
    for m in &plan.surface.root {
        match &m.kind {
            MemberKind::Navigate { segment, target, collection, access, .. } => {
                let node = if *collection {
                    Node::Collection(*target, *access)
                } else {
                    Node::Entity(*target, *access)
                };
                walk(
                    plan,
                    node,
                    &format!("/{segment}"),
                    &format!("client.{}()", m.rust_name),
                    max_depth,
                    &mut vec![*target],
                    each,
                );
            }
            MemberKind::Operation { operation, segment } => {
                each(operation_line(plan, m, *operation, segment, "", "client", false));
            }
            MemberKind::PathOperation { operation } => {
                let (o, planned) =
                    (&plan.model.path_operations[operation.0], plan.path_operation(*operation));
                let args: Vec<&str> = planned
                    .arguments
                    .iter()
                    .map(|a| a.rust_name.as_str())
                    .chain(planned.body.as_ref().map(|b| b.rust_name.as_str()))
                    .collect();
                each(Endpoint {
                    method: o.method.as_str(),
                    template: o.template(),
                    call: format!("client.{}({})", m.rust_name, args.join(", ")),
                });
            }
            MemberKind::Cast { .. } | MemberKind::Property { .. } => {}
        }
    }
}

/// Whether the members of a collection of `t` are addressed by key (`by_id`).
fn keyed(plan: &Plan, t: TypeId) -> bool {
    matches!(&plan.model.ty(t).kind, TypeKind::Entity(s) if !s.key.is_empty())
}

fn id_name(plan: &Plan, t: TypeId) -> String {
    format!("{}-id", plan.model.ty(t).name)
}

fn id_variable(plan: &Plan, t: TypeId) -> String {
    super::names::snake(&format!("{}Id", plan.model.ty(t).name))
}

fn walk(
    plan: &Plan,
    node: Node,
    path: &str,
    call: &str,
    depth: usize,
    stack: &mut Vec<TypeId>,
    out: &mut dyn FnMut(Endpoint),
) {
    match node {
        Node::Collection(t, access) => {
            let methods = [(access.read, "GET", "list()"), (access.insert, "POST", "create(&entity)")];
            push_allowed(&methods, path, call, out);
            for m in members(plan, node) {
                match &m.kind {
                    MemberKind::Operation { operation, segment } => {
                        out(operation_line(plan, m, *operation, segment, path, call, false))
                    }
                    MemberKind::Cast { target } => out(Endpoint {
                        method: "GET",
                        template: format!("{path}/{}", plan.model.qualified_name(*target)),
                        call: format!("{call}.{}().list()", m.rust_name),
                    }),
                    MemberKind::Navigate { .. }
                    | MemberKind::Property { .. }
                    | MemberKind::PathOperation { .. } => {}
                }
            }
            // A collection of a keyless entity type (non-containment navigation) is not
            // addressed by key.
            if !keyed(plan, t) {
                return;
            }
            let id = id_name(plan, t);
            let key_call = format!("{call}.by_id({})", id_variable(plan, t));
            let keyed = match plan.key_style {
                KeyStyle::Segment => format!("{path}/{{{id}}}"),
                KeyStyle::Parentheses => format!("{path}({{{id}}})"),
            };
            walk(plan, Node::Entity(t, access), &keyed, &key_call, depth, stack, out);
        }
        Node::Entity(_, access) => {
            let methods = [
                (access.read, "GET", "get()"),
                (access.update, "PATCH", "update(&patch)"),
                (access.delete, "DELETE", "delete()"),
            ];
            push_allowed(&methods, path, call, out);
            for m in members(plan, node) {
                match &m.kind {
                    MemberKind::Operation { operation, segment } => {
                        out(operation_line(plan, m, *operation, segment, path, call, true))
                    }
                    MemberKind::Property { segment, target } => {
                        let stream = matches!(target, Target::Primitive(Primitive::Stream));
                        let (template, call) =
                            (format!("{path}/{segment}"), format!("{call}.{}()", m.rust_name));
                        out(Endpoint {
                            method: "GET",
                            template: template.clone(),
                            call: format!("{call}.get()"),
                        });
                        out(if stream {
                            Endpoint {
                                method: "PUT",
                                template,
                                call: format!("{call}.put(content_type, bytes)"),
                            }
                        } else {
                            Endpoint { method: "PATCH", template, call: format!("{call}.update(&value)") }
                        });
                    }
                    MemberKind::Cast { target } => out(Endpoint {
                        method: "GET",
                        template: format!("{path}/{}", plan.model.qualified_name(*target)),
                        call: format!("{call}.{}().get()", m.rust_name),
                    }),
                    // Only the client root has them.
                    MemberKind::PathOperation { .. } => {}
                    MemberKind::Navigate { segment, target, collection, access, .. } => {
                        if depth == 0 || stack.contains(target) {
                            continue;
                        }
                        let next = if *collection {
                            Node::Collection(*target, *access)
                        } else {
                            Node::Entity(*target, *access)
                        };
                        stack.push(*target);
                        walk(
                            plan,
                            next,
                            &format!("{path}/{segment}"),
                            &format!("{call}.{}()", m.rust_name),
                            depth - 1,
                            stack,
                            out,
                        );
                        stack.pop();
                    }
                }
            }
        }
    }
}

/// The endpoints of the handle's own methods that the metadata allows: (allowed, HTTP
/// method, call on the handle).
fn push_allowed(
    methods: &[(bool, &'static str, &str)],
    path: &str,
    call: &str,
    out: &mut dyn FnMut(Endpoint),
) {
    for &(allowed, method, suffix) in methods {
        if allowed {
            out(Endpoint { method, template: path.to_owned(), call: format!("{call}.{suffix}") });
        }
    }
}

/// Splits a URL path into segments at `/`, except inside parentheses or quotes.
fn segments(path: &str) -> Vec<&str> {
    let (mut out, mut start, mut depth, mut quoted) = (Vec::new(), 0, 0i32, false);
    for (i, c) in path.char_indices() {
        match c {
            // Quotes only mean something inside parentheses: `o'brien` is a plain key.
            '\'' if depth > 0 => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            '/' if !quoted && depth <= 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// `name(args)` → (`name`, Some(`args`)).
fn split_call(segment: &str) -> (&str, Option<&str>) {
    match (segment.find('('), segment.ends_with(')')) {
        (Some(open), true) => (&segment[..open], Some(&segment[open + 1..segment.len() - 1])),
        _ => (segment, None),
    }
}

/// What a request sends, as the metadata declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestBody {
    /// An entity of this type (create, update, replace).
    Entity(TypeId),
    /// The parameters of this action, as one JSON object.
    Parameters(OperationId),
    /// The body a path operation declares.
    Body(PathOperationId),
}

/// A request the surface can send: the Rust call and what its body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The Rust call, e.g. `client.users().create(..)`.
    pub call: String,
    /// The body's declared type; `None` for requests without a typed body.
    pub body: Option<RequestBody>,
}

/// Finds the call that sends `method path` (path relative to the service root, without the
/// query string). Returns the Rust call, or why the surface cannot send it.
pub fn resolve(plan: &Plan, method: &str, path: &str) -> Result<String, String> {
    resolve_request(plan, method, path).map(|r| r.call)
}

/// [`resolve`], also saying what the request's body is.
pub fn resolve_request(plan: &Plan, method: &str, path: &str) -> Result<Resolved, String> {
    let untyped = |call: String| Resolved { call, body: None };
    if let Some(found) = resolve_path_operation(plan, method, path) {
        return found;
    }
    let segs = segments(path);
    let Some((first, rest)) = segs.split_first() else { return Err("the service root itself".into()) };
    let (name, args) = split_call(first);
    let mut call;
    let node;
    let root = find(plan, &plan.surface.root, name, args);
    match root.map(|m| (m, &m.kind)) {
        Some((m, MemberKind::Navigate { target, collection, access, .. })) => {
            call = format!("client.{}()", m.rust_name);
            node = if !*collection {
                Node::Entity(*target, *access)
            } else if args.is_some() {
                call.push_str(".by_id(..)");
                Node::Entity(*target, *access)
            } else {
                Node::Collection(*target, *access)
            };
        }
        Some((m, MemberKind::Operation { operation, .. })) => {
            call = format!("client.{}", operation_call(plan, m, *operation));
            return finish_operation(plan, method, *operation, rest, call);
        }
        _ => return Err(format!("`/{name}` is not an entity set, singleton or import of the service")),
    }
    let mut node = node;
    let mut i = 0;
    while i < rest.len() {
        let seg = rest[i];
        let (name, args) = split_call(seg);
        let found = find(plan, members(plan, node), name, args);
        match (node, found.map(|m| (m, &m.kind))) {
            (_, Some((m, MemberKind::Navigate { target, collection, access, .. }))) => {
                call.push_str(&format!(".{}()", m.rust_name));
                node = if *collection {
                    Node::Collection(*target, *access)
                } else {
                    Node::Entity(*target, *access)
                };
                if let (Some(_), true, true) = (args, *collection, keyed(plan, *target)) {
                    call.push_str(".by_id(..)");
                    node = Node::Entity(*target, *access);
                }
            }
            (_, Some((m, MemberKind::Cast { target }))) => {
                call.push_str(&format!(".{}()", m.rust_name));
                node = match node {
                    Node::Entity(_, a) => Node::Entity(*target, a),
                    Node::Collection(_, a) => Node::Collection(*target, a),
                };
            }
            (_, Some((m, MemberKind::Operation { operation, .. }))) => {
                call.push_str(&format!(".{}", operation_call(plan, m, *operation)));
                match (node, plan.operation(*operation).composes) {
                    (Node::Entity(..), Some((t, collection))) if i + 1 < rest.len() || method != "GET" => {
                        let all = Access { read: true, insert: true, update: true, delete: true };
                        node = if collection { Node::Collection(t, all) } else { Node::Entity(t, all) };
                    }
                    // A composable function last in the path: its handle's `get()` / `list()`.
                    (Node::Entity(..), Some((_, collection))) => {
                        let read = if collection { "list()" } else { "get()" };
                        return Ok(untyped(format!("{call}.{read}")));
                    }
                    _ => return finish_operation(plan, method, *operation, &rest[i + 1..], call),
                }
            }
            (_, Some((_, MemberKind::PathOperation { .. }))) => {
                return Err(format!("`{seg}` is a path operation, which only the service root has"))
            }
            (_, Some((m, MemberKind::Property { target, .. }))) => {
                call.push_str(&format!(".{}()", m.rust_name));
                if i + 1 < rest.len() {
                    return Err(format!("paths into the property `{seg}` are not generated"));
                }
                let stream = matches!(target, Target::Primitive(Primitive::Stream));
                return match (method, stream) {
                    ("GET", _) => Ok(untyped(format!("{call}.get()"))),
                    ("PUT", true) => Ok(untyped(format!("{call}.put(..)"))),
                    ("PATCH", false) => Ok(untyped(format!("{call}.update(..)"))),
                    (m, _) => Err(format!("{m} on the property `{seg}` is not generated")),
                };
            }
            (_, None) if seg.starts_with('$') && i + 1 == rest.len() => {
                return dollar_segment(node, seg, method, &call).map(untyped);
            }
            (Node::Collection(t, access), None) if !seg.starts_with('$') && keyed(plan, t) => {
                // Any other segment of a collection is a key.
                call.push_str(".by_id(..)");
                node = Node::Entity(t, access);
            }
            (_, None) => {
                let what = if seg.starts_with('$') {
                    format!("the `{seg}` segment is not generated")
                } else {
                    let t = match node {
                        Node::Entity(t, _) | Node::Collection(t, _) => t,
                    };
                    match property_kind(plan, t, seg) {
                        Some(kind) => format!(
                            "`{seg}` is a {kind} of `{}`; property paths are not generated",
                            plan.model.ty(t).name
                        ),
                        None => format!(
                            "`{seg}` is not a navigation property, cast or bound operation of `{}`",
                            plan.model.ty(t).name
                        ),
                    }
                };
                return Err(what);
            }
        }
        i += 1;
    }
    match (node, method) {
        (Node::Collection(_, a), "GET") if a.read => Ok(untyped(format!("{call}.list()"))),
        (Node::Collection(t, a), "POST") if a.insert => {
            Ok(Resolved { call: format!("{call}.create(..)"), body: Some(RequestBody::Entity(t)) })
        }
        (Node::Entity(_, a), "GET") if a.read => Ok(untyped(format!("{call}.get()"))),
        (Node::Entity(t, a), "PATCH") if a.update => {
            Ok(Resolved { call: format!("{call}.update(..)"), body: Some(RequestBody::Entity(t)) })
        }
        (Node::Entity(_, a), "DELETE") if a.delete => Ok(untyped(format!("{call}.delete()"))),
        (Node::Entity(t, a), "PUT") if a.update => {
            Ok(Resolved { call: format!("{call}.replace(..)"), body: Some(RequestBody::Entity(t)) })
        }
        (Node::Collection(..), m) => {
            Err(format!("{m} on a collection is not allowed by the metadata or not generated"))
        }
        (Node::Entity(..), m) => {
            Err(format!("{m} on an entity is not allowed by the metadata or not generated"))
        }
    }
}

/// The member a URL segment selects: by exact name, else ignoring case (services such as
/// Microsoft Graph treat URLs case-insensitively; the generated code uses the exact names).
/// Among overloads, the one whose parameter names are the call's argument names wins.
fn find<'m>(plan: &Plan, members: &'m [Member], name: &str, args: Option<&str>) -> Option<&'m Member> {
    let named: Vec<&str> = args
        .map(|a| a.split(',').filter_map(|p| p.split_once('=')).map(|(n, _)| n.trim()).collect())
        .unwrap_or_default();
    let overload_fits = |m: &Member| match &m.kind {
        MemberKind::Operation { operation, .. } => {
            let params = &plan.model.operations[operation.0].parameters;
            params.len() == named.len() && params.iter().all(|p| named.contains(&p.name.as_str()))
        }
        _ => false,
    };
    let exact: Vec<&Member> =
        members.iter().filter(|m| wire_names(plan, m).iter().any(|w| w == name)).collect();
    let candidates = if exact.is_empty() {
        members.iter().filter(|m| wire_names(plan, m).iter().any(|w| w.eq_ignore_ascii_case(name))).collect()
    } else {
        exact
    };
    candidates.iter().copied().find(|m| overload_fits(m)).or_else(|| candidates.first().copied())
}

/// The URL segments that select member `m` (operations also by qualified name).
fn wire_names(plan: &Plan, m: &Member) -> Vec<String> {
    match &m.kind {
        MemberKind::Navigate { segment, .. } | MemberKind::Property { segment, .. } => vec![segment.clone()],
        MemberKind::Cast { target } => vec![plan.model.qualified_name(*target)],
        MemberKind::Operation { segment, operation } => {
            let o = &plan.model.operations[operation.0];
            vec![segment.clone(), format!("{}.{}", plan.model.namespaces[o.namespace.0].name, o.name)]
        }
        // Matched by template, not by segment.
        MemberKind::PathOperation { .. } => Vec::new(),
    }
}

/// The path operation whose template matches `path`: among several, the one with the most
/// literal text (`/pets/mine` before `/pets/{id}`, as OpenAPI orders them). `None` when no
/// template matches; an error when one does but not for `method`.
fn resolve_path_operation(plan: &Plan, method: &str, path: &str) -> Option<Result<Resolved, String>> {
    let mut best: Option<(usize, &Member, PathOperationId)> = None;
    let mut other_methods = Vec::new();
    for m in &plan.surface.root {
        let MemberKind::PathOperation { operation } = &m.kind else { continue };
        let o = &plan.model.path_operations[operation.0];
        if !template_matches(&o.path, path) {
            continue;
        }
        if o.method.as_str() != method {
            other_methods.push(o.method.as_str());
            continue;
        }
        let literal: usize =
            o.path.iter().map(|p| if let PathPart::Literal(t) = p { t.len() } else { 0 }).sum();
        if best.is_none_or(|(l, ..)| literal > l) {
            best = Some((literal, m, *operation));
        }
    }
    match best {
        Some((_, m, id)) => {
            let (o, planned) = (&plan.model.path_operations[id.0], plan.path_operation(id));
            let args = if planned.arguments.is_empty() && planned.body.is_none() { "" } else { ".." };
            let body = o.body.as_ref().map(|_| RequestBody::Body(id));
            Some(Ok(Resolved { call: format!("client.{}({args})", m.rust_name), body }))
        }
        None if !other_methods.is_empty() => {
            Some(Err(format!("{method} on `{path}` is not declared (it has {})", other_methods.join(", "))))
        }
        None => None,
    }
}

/// Whether `path` fits a template: literal parts exactly, each parameter one or more
/// characters of a single segment.
fn template_matches(parts: &[PathPart], path: &str) -> bool {
    match parts.split_first() {
        None => path.is_empty(),
        Some((PathPart::Literal(text), rest)) => {
            path.strip_prefix(text.as_str()).is_some_and(|tail| template_matches(rest, tail))
        }
        Some((PathPart::Parameter(_), rest)) => {
            let segment_end = path.find('/').unwrap_or(path.len());
            (1..=segment_end).any(|end| template_matches(rest, &path[end..]))
        }
    }
}

/// `$ref`, `$value` and `$count` at the end of a path.
fn dollar_segment(node: Node, seg: &str, method: &str, call: &str) -> Result<String, String> {
    let done = |c: &str| Ok(format!("{call}.{c}"));
    match (node, seg, method) {
        (Node::Collection(..), "$ref", "GET") => done("list_refs()"),
        (Node::Collection(..), "$ref", "POST") => done("add_ref(url)"),
        (Node::Collection(..), "$ref", "DELETE") => done("remove_ref(url)"),
        (Node::Collection(..), "$count", "GET") => done("count()"),
        (Node::Entity(..), "$ref", "GET") => done("get_ref()"),
        (Node::Entity(..), "$ref", "PUT") => done("set_ref(url)"),
        (Node::Entity(..), "$ref", "DELETE") => done("delete_ref()"),
        (Node::Entity(..), "$value", "GET") => done("get_value()"),
        (Node::Entity(..), "$value", "PUT") => done("put_value(content_type, bytes)"),
        _ => Err(format!("{method} on `{seg}` is not generated")),
    }
}

fn finish_operation(
    plan: &Plan,
    method: &str,
    op: OperationId,
    rest: &[&str],
    call: String,
) -> Result<Resolved, String> {
    let (o, planned) = (&plan.model.operations[op.0], plan.operation(op));
    let want = planned.method;
    if !rest.is_empty() {
        return Err(format!(
            "segments after the operation `{}` (composing on its result) are not generated",
            o.name
        ));
    }
    if method != want {
        let kind = match o.kind {
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        };
        return Err(format!("{method} on the {kind} `{}` (expected {want})", o.name));
    }
    let body =
        planned.arguments.iter().any(|a| a.passing == Passing::Body).then_some(RequestBody::Parameters(op));
    Ok(Resolved { call, body })
}

fn property_kind(plan: &Plan, t: TypeId, name: &str) -> Option<&'static str> {
    let p = plan.fields(t).iter().map(|f| plan.property(f)).find(|p| p.name == name)?;
    Some(if p.navigation.is_some() { "navigation property to a complex type" } else { "structural property" })
}

/// `name(..)` for an operation with parameters, `name()` without.
fn operation_call(plan: &Plan, m: &Member, op: OperationId) -> String {
    let args = if plan.model.operations[op.0].parameters.is_empty() { "" } else { ".." };
    format!("{}({args})", m.rust_name)
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn segments_split_outside_parentheses_and_quotes() {
        assert_eq!(segments("/a/b('x/y')/c(d=1,e='/')"), ["a", "b('x/y')", "c(d=1,e='/')"]);
        // An apostrophe outside parentheses is part of a key, not a quote.
        assert_eq!(
            segments("/users/o'brien@x.com/manager/$ref"),
            ["users", "o'brien@x.com", "manager", "$ref"]
        );
    }
}
