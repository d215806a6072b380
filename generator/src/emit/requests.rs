//! The client surface → inherent methods on the runtime's request handles: navigation,
//! casts and bound operations per entity type, and the service root on `Client`. Also the
//! field enums that make `$select`/`$expand` typed.

use crate::contract;
use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rustdoc};
use crate::model::*;
use crate::plan::surface::{Access, Member, MemberKind};
use crate::plan::{BodyEncoding, Decoding, Passing, Plan};

/// Emits request code whose paths start from `root` (`super::super` inside a type module,
/// `self` in the root module). The runtime module is in scope as `runtime` (type modules
/// import it); types of `namespace` are named relative to it (`super::User`).
pub struct RequestEmitter<'a> {
    pub plan: &'a Plan<'a>,
    pub model: &'a Model,
    pub root: TokenStream,
    pub namespace: Option<NamespaceId>,
}

fn bool_lit(b: bool) -> TokenStream {
    if b {
        quote! { true }
    } else {
        quote! { false }
    }
}

/// How an argument is passed.
enum Pass {
    /// `&str`
    Str,
    /// by value (`bool`, integers, floats)
    Copy,
    /// `&T`
    Ref,
    /// `&[T]`
    Slice,
}

impl RequestEmitter<'_> {
    /// The runtime module, in scope wherever request code is emitted.
    fn client(&self) -> TokenStream {
        quote! { runtime }
    }

    /// The Rust type of a value declared as `id` (its polymorphic enum when it has derived
    /// types); handles of entity type `id` are parameterised by it too.
    fn named(&self, id: TypeId) -> TokenStream {
        self.path_in(id, self.plan.ty(id).value_name())
    }

    /// An item of `id`'s namespace module.
    fn path_in(&self, id: TypeId, name: &str) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(name);
        if Some(t.namespace) == self.namespace {
            return quote! { super::#name };
        }
        let (root, module) = (&self.root, ident(self.plan.module(t.namespace)));
        quote! { #root::#module::#name }
    }

    /// `<T, r, u, d>` arguments of a handle; all-true (the defaults) are left out.
    fn handle_args(&self, ty: TokenStream, flags: &[bool]) -> TokenStream {
        if flags.iter().all(|f| *f) {
            quote! { <#ty> }
        } else {
            let flags = flags.iter().map(|f| bool_lit(*f));
            quote! { <#ty, #(#flags),*> }
        }
    }

    fn primitive(&self, p: Primitive) -> TokenStream {
        let root = &self.root;
        super::primitive(p, &quote! { #root::runtime })
    }

    fn item(&self, target: Target) -> TokenStream {
        match target {
            Target::Primitive(p) => self.primitive(p),
            Target::Named(id) => self.named(id),
        }
    }

    /// The primitive behind a target, looking through type definitions.
    fn primitive_of(&self, target: Target) -> Option<Primitive> {
        match target {
            Target::Primitive(p) => Some(p),
            Target::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Definition(d) => Some(d.underlying),
                _ => None,
            },
        }
    }

    fn pass(&self, ty: TypeRef) -> Pass {
        if ty.collection {
            return Pass::Slice;
        }
        match (ty.target, self.primitive_of(ty.target)) {
            (Target::Primitive(Primitive::String), _) => Pass::Str,
            (_, Some(p)) if p.is_copy() => Pass::Copy,
            _ => Pass::Ref,
        }
    }

    /// The Rust type an argument of type `ty` is passed as (without an outer `Option`).
    fn passed_type(&self, ty: TypeRef) -> TokenStream {
        let item = self.item(ty.target);
        match self.pass(ty) {
            Pass::Str => quote! { &str },
            Pass::Copy => item,
            Pass::Ref => quote! { &#item },
            Pass::Slice => quote! { &[#item] },
        }
    }

    fn arg_type(&self, p: &Parameter) -> TokenStream {
        let base = self.passed_type(p.ty);
        if p.nullable || p.optional {
            quote! { Option<#base> }
        } else {
            base
        }
    }

    /// The request type that reads a response as the plan decides.
    fn returns(&self, decoding: Decoding) -> TokenStream {
        let client = self.client();
        match decoding {
            Decoding::Empty => quote! { #client::Request<(), #client::Empty> },
            Decoding::Page(target) => {
                let item = self.item(target);
                quote! { #client::Request<#client::Page<#item>> }
            }
            Decoding::Json(ty) => {
                let item = self.item(ty.target);
                if ty.collection {
                    quote! { #client::Request<Vec<#item>> }
                } else {
                    quote! { #client::Request<#item> }
                }
            }
            Decoding::Value(target) => {
                let item = self.item(target);
                quote! { #client::Request<#item, #client::ValueOf> }
            }
            Decoding::Bytes => quote! { #client::Request<Vec<u8>, #client::Bytes> },
        }
    }

    /// Statements that add one function parameter to `args`.
    fn function_arg(&self, p: &Parameter, argument: &crate::plan::Argument) -> TokenStream {
        let client = self.client();
        let (wire, name) = (&p.name, ident(&argument.rust_name));
        // Which parameters are literals is decided once, in the plan; here only the literal's
        // form is chosen.
        let literal = |v: TokenStream| -> Option<TokenStream> {
            if argument.passing != Passing::Literal {
                return None;
            }
            if let Target::Named(id) = p.ty.target {
                if matches!(self.model.ty(id).kind, TypeKind::Enum(_)) {
                    return Some(quote! { #client::Literal::string(&#v.to_string()) });
                }
            }
            let primitive = self.primitive_of(p.ty.target)?;
            // OData V2 writes most literals with a type prefix or suffix (URI conventions
            // 2.0, 2.2.2): `guid'…'`, `datetime'…'`, `time'PT1H'`, `12L`, `1.5M`.
            if self.model.v2 {
                let prefixed = |prefix: &str| quote! { #client::Literal::prefixed(#prefix, #v.as_str()) };
                let suffixed = |suffix: &str| quote! { #client::Literal::suffixed(#v, #suffix) };
                return Some(match primitive {
                    Primitive::String => quote! { #client::Literal::string(#v) },
                    Primitive::Guid => prefixed("guid"),
                    Primitive::DateTime => prefixed("datetime"),
                    Primitive::DateTimeOffset => prefixed("datetimeoffset"),
                    Primitive::Duration => prefixed("time"),
                    Primitive::Int64 => suffixed("L"),
                    Primitive::Decimal => suffixed("M"),
                    Primitive::Double => suffixed("d"),
                    Primitive::Single => suffixed("f"),
                    _ => quote! { #client::Literal::raw(#v) },
                });
            }
            Some(match primitive {
                Primitive::String => quote! { #client::Literal::string(#v) },
                Primitive::Duration => quote! { #client::Literal::duration(#v.as_str()) },
                _ => quote! { #client::Literal::raw(#v) },
            })
        };
        let add = |v: TokenStream| match literal(v.clone()) {
            Some(lit) => quote! { args = args.literal(#wire, #lit); },
            None => quote! { args = args.json(#wire, #v); },
        };
        if p.nullable || p.optional {
            let some = add(quote! { value });
            // V2 service operations leave an absent parameter out: V2 has no `null` literal.
            let none = if p.optional || self.model.v2 {
                quote! {}
            } else {
                quote! { else { args = args.literal(#wire, #client::Literal::raw("null")); } }
            };
            quote! { if let Some(value) = #name { #some } #none }
        } else {
            add(quote! { #name })
        }
    }

    fn operation(&self, m: &Member, op_id: OperationId, segment: &str) -> TokenStream {
        self.operation_on(m, op_id, segment, false)
    }

    fn operation_on(&self, m: &Member, op_id: OperationId, segment: &str, on_entity: bool) -> TokenStream {
        let client = self.client();
        let (op, planned) = (&self.model.operations[op_id.0], self.plan.operation(op_id));
        let method = ident(&m.rust_name);
        let args: Vec<TokenStream> = op
            .parameters
            .iter()
            .zip(&planned.arguments)
            .map(|(p, a)| {
                let (name, ty) = (ident(&a.rust_name), self.arg_type(p));
                quote! { #name: #ty }
            })
            .collect();
        let mut returns = self.returns(planned.returns);
        let composed = if on_entity { planned.composes } else { None };
        if let Some((t, collection)) = composed {
            let ty = self.named(t);
            returns = if collection {
                quote! { #client::CollectionRequest<#ty> }
            } else {
                quote! { #client::EntityRequest<#ty> }
            };
        }
        let verb = planned.method;
        // Arguments in a JSON body (actions) or in the URL (functions), as the plan says.
        let call = match planned.parenthesized {
            false => {
                let params = op.parameters.iter().zip(&planned.arguments).map(|(p, a)| {
                    let (wire, name) = (&p.name, ident(&a.rust_name));
                    if p.nullable || p.optional {
                        quote! { .optional(#wire, &#name) }
                    } else {
                        quote! { .param(#wire, &#name) }
                    }
                });
                let hook_action = hook(contract::hook::ACTION);
                quote! { self.#hook_action(#segment, #client::ActionBody::new() #(#params)*) }
            }
            true => {
                let adds = op.parameters.iter().zip(&planned.arguments).map(|(p, a)| self.function_arg(p, a));
                let mutable = (!op.parameters.is_empty()).then(|| quote! { mut });
                let (hook_compose, hook_compose_collection, hook_function) = (
                    hook(contract::hook::COMPOSE),
                    hook(contract::hook::COMPOSE_COLLECTION),
                    hook(contract::hook::FUNCTION),
                );
                let call = match (composed, op.service_operation) {
                    (Some((_, true)), _) => quote! { self.#hook_compose_collection(#segment, args) },
                    (Some((_, false)), _) => quote! { self.#hook_compose(#segment, args) },
                    (None, Some(method)) => {
                        let hook_service = hook(contract::hook::SERVICE_OPERATION);
                        let verb = ident(&crate::plan::names::camel(&method.as_str().to_ascii_lowercase()));
                        quote! { self.#hook_service(#client::Method::#verb, #segment, args) }
                    }
                    (None, None) => quote! { self.#hook_function(#segment, args) },
                };
                quote! {
                    let #mutable args = #client::FunctionArgs::new();
                    #(#adds)*
                    #call
                }
            }
        };
        let kind = if op.kind == OperationKind::Action { "action" } else { "function" };
        let mut facts = vec![match composed {
            Some(_) => format!(
                "The composable function `{}` (`…/{segment}(…)`): its result, addressed further.",
                op.name
            ),
            None => format!("The {kind} `{}` (`{verb} …/{segment}`).", op.name),
        }];
        facts.extend(argument_docs(op.parameters.iter().map(|p| &p.notes), &planned.arguments));
        let doc = rustdoc::attrs(&rustdoc::lines(&op.notes, &facts));
        let deprecated = rustdoc::deprecated(&op.notes);
        quote! {
            #doc
            #deprecated
            pub fn #method(&self, #(#args),*) -> #returns {
                #call
            }
        }
    }

    /// The text of a path, query or header argument `v` of type `ty`: its `Display` form
    /// (strings, numbers, enums and the runtime's primitives), or JSON for other values.
    fn text_of(&self, ty: TypeRef, v: TokenStream) -> TokenStream {
        if ty.collection {
            // Comma-separated, as OpenAPI's `simple` style writes arrays in paths and headers.
            return self.joined(ty, v, ',');
        }
        let displayed = match ty.target {
            Target::Named(id) => {
                !matches!(self.model.ty(id).kind, TypeKind::Entity(_) | TypeKind::Complex(_))
            }
            Target::Primitive(p) => {
                !matches!(p, Primitive::Untyped | Primitive::Geography | Primitive::Geometry)
            }
        };
        if ty.target == Target::Primitive(Primitive::String) {
            // `&str` (or `&String` for a collection's items) already.
            v
        } else if displayed {
            quote! { #v.to_string() }
        } else {
            quote! { ::serde_json::to_string(&#v).unwrap_or_default() }
        }
    }

    /// Whether a value of `ty` is written by its parameter's [`ObjectStyle`]: a structured
    /// value or any JSON value (which may be an object), not a list of them.
    fn is_object(&self, ty: TypeRef) -> bool {
        !ty.collection
            && match ty.target {
                Target::Named(id) => self.model.structured(id).is_some(),
                Target::Primitive(p) => p == Primitive::Untyped,
            }
    }

    /// The text of parameter `p`'s value `v` as one value (a path segment, a header, a cookie
    /// or one query value).
    fn parameter_text(&self, p: &RequestParameter, v: TokenStream) -> TokenStream {
        let client = self.client();
        match p.object_style {
            ObjectStyle::Json => quote! { ::serde_json::to_string(&#v).unwrap_or_default() },
            ObjectStyle::Exploded | ObjectStyle::Deep if self.is_object(p.ty) => {
                quote! { #client::object_text(#v, true) }
            }
            ObjectStyle::Joined if self.is_object(p.ty) => quote! { #client::object_text(#v, false) },
            _ => self.text_of(p.ty, v),
        }
    }

    /// The text of collection `v` of `ty`: its items' texts joined with `delimiter`.
    fn joined(&self, ty: TypeRef, v: TokenStream, delimiter: char) -> TokenStream {
        let delimiter = delimiter.to_string();
        if ty.target == Target::Primitive(Primitive::String) {
            return quote! { #v.join(#delimiter) };
        }
        let item =
            self.text_of(TypeRef { map: false, collection: false, target: ty.target }, quote! { item });
        quote! { #v.iter().map(|item| #item).collect::<Vec<String>>().join(#delimiter) }
    }

    /// A method of the client root for an operation addressed by a path template.
    fn path_operation(&self, m: &Member, id: PathOperationId) -> TokenStream {
        let client = self.client();
        let (op, planned) = (&self.model.path_operations[id.0], self.plan.path_operation(id));
        let method = ident(&m.rust_name);
        let mut args: Vec<TokenStream> = Vec::new();
        let mut sets: Vec<TokenStream> = Vec::new();
        for (p, a) in op.parameters.iter().zip(&planned.arguments) {
            let name = ident(&a.rust_name);
            let base = self.passed_type(p.ty);
            let optional = !p.required && a.passing != Passing::Path;
            args.push(if optional {
                quote! { #name: Option<#base> }
            } else {
                quote! { #name: #base }
            });
            let item_ty = TypeRef { map: false, collection: false, target: p.ty.target };
            // The runtime sends query names as given: encode this one now.
            let wire = match a.passing {
                Passing::Query => encode_query_name(&p.name),
                _ => p.name.clone(),
            };
            let set = match a.passing {
                Passing::Query
                    if p.ty.collection && p.delimiter.is_some() && p.object_style != ObjectStyle::Json =>
                {
                    let text = self.joined(p.ty, quote! { value }, p.delimiter.unwrap_or(','));
                    quote! { request = request.query(#wire, #text); }
                }
                Passing::Query if p.ty.collection && p.object_style != ObjectStyle::Json => {
                    let text = self.text_of(item_ty, quote! { item });
                    quote! { for item in value { request = request.append_query(#wire, #text); } }
                }
                Passing::Query
                    if self.is_object(p.ty)
                        && matches!(p.object_style, ObjectStyle::Exploded | ObjectStyle::Deep) =>
                {
                    let deep = p.object_style == ObjectStyle::Deep;
                    quote! { request = request.object_query(#wire, value, #deep); }
                }
                Passing::Query => {
                    let text = self.parameter_text(p, quote! { value });
                    quote! { request = request.query(#wire, #text); }
                }
                Passing::Header => {
                    let text = self.parameter_text(p, quote! { value });
                    quote! { request = request.header(#wire, #text); }
                }
                Passing::Cookie => {
                    let text = self.parameter_text(p, quote! { value });
                    quote! { request = request.cookie(#wire, #text); }
                }
                _ => continue,
            };
            sets.push(if optional {
                quote! { if let Some(value) = #name { #set } }
            } else {
                quote! { let value = #name; #set }
            });
        }
        // The path: literal parts as written, each path argument as one encoded segment; after
        // the operation's own server, when it names one.
        let server = op.server.iter().map(|url| quote! { #client::TemplatePart::Literal(#url) });
        let parts = op.path.iter().map(|part| match part {
            PathPart::Literal(text) => quote! { #client::TemplatePart::Literal(#text) },
            PathPart::Parameter(i) => {
                let name = ident(&planned.arguments[*i].rust_name);
                let ty = op.parameters[*i].ty;
                let text = match ty.target {
                    Target::Primitive(Primitive::String) if !ty.collection => quote! { #name },
                    // The runtime's text primitives hold their wire text.
                    Target::Primitive(
                        Primitive::Date
                        | Primitive::DateTime
                        | Primitive::DateTimeOffset
                        | Primitive::TimeOfDay
                        | Primitive::Guid
                        | Primitive::Duration,
                    ) if !ty.collection => quote! { #name.as_str() },
                    _ => {
                        let text = self.parameter_text(&op.parameters[*i], quote! { #name });
                        quote! { &#text }
                    }
                };
                quote! { #client::TemplatePart::Parameter(#text) }
            }
        });
        let send_body = match &planned.body {
            Some(body) => {
                let (name, media) = (ident(&body.rust_name), &body.media_type);
                let (arg, set) = match body.json {
                    Some(TypeRef { target: Target::Named(id), .. })
                        if body.encoding == BodyEncoding::Multipart =>
                    {
                        let form = self.path_in(id, self.plan.ty(id).form.as_deref().unwrap_or_default());
                        let declared = body.part_types.iter().map(|(n, c)| quote! { (#n, #c) });
                        (quote! { &#form }, quote! { request.multipart_body(value, &[#(#declared),*]) })
                    }
                    Some(ty) => {
                        let item = self.item(ty.target);
                        let t = if ty.collection {
                            quote! { [#item] }
                        } else {
                            item
                        };
                        let set = if body.encoding == BodyEncoding::Form {
                            quote! { request.form_body_as(#media, value) }
                        } else {
                            quote! { request.json_body_as(#media, value) }
                        };
                        (quote! { &#t }, set)
                    }
                    None => (quote! { Vec<u8> }, quote! { request.raw_body(#media, value) }),
                };
                if body.optional {
                    args.push(quote! { #name: Option<#arg> });
                    quote! { if let Some(value) = #name { request = #set; } }
                } else {
                    args.push(quote! { #name: #arg });
                    quote! { let value = #name; request = #set; }
                }
            }
            None => quote! {},
        };
        // A page that is not OData's: where it holds its items and next link.
        if let Some(paging) = op.success().and_then(|r| r.page.as_ref()) {
            if matches!(planned.returns, Decoding::Page(_)) && !paging.is_odata() {
                let items = &paging.items;
                sets.push(match (&paging.next_link, &paging.cursor_parameter) {
                    (Some(cursor), Some(parameter)) => {
                        let parameter = encode_query_name(parameter);
                        quote! { request = request.page_cursor(#items, #cursor, #parameter); }
                    }
                    (Some(link), None) => quote! { request = request.page_keys(#items, Some(#link)); },
                    (None, _) => quote! { request = request.page_keys(#items, None); },
                });
            }
        }
        let returns = self.returns(planned.returns);
        let verb = op.method.as_str();
        let verb_ident = ident(&crate::plan::names::camel(&verb.to_ascii_lowercase()));
        let template = op.template();
        let mut facts = vec![format!("`{} {template}`.", verb)];
        if let Some(server) = &op.server {
            facts.push(format!(
                "Sent to `{server}`, this operation's own server, not the client's base URL (the \
                 client's credentials go only to its base URL's origin)."
            ));
        }
        // The error responses the document types: what `Error::body_as` reads them as.
        let success = op.success().map(|r| r.status);
        let errors: Vec<String> = op
            .responses
            .iter()
            .filter(|r| {
                Some(r.status) != success && !matches!(r.status, Status::Code(200..=299) | Status::Range(2))
            })
            .filter_map(|r| {
                let ty = r.ty?;
                let name = match ty.target {
                    Target::Named(id) => self.plan.ty(id).value_name().to_owned(),
                    Target::Primitive(_) => return None,
                };
                let status = match r.status {
                    Status::Code(c) => c.to_string(),
                    Status::Range(c) => format!("{c}XX"),
                    Status::Default => "other statuses".to_owned(),
                };
                Some(format!("{status}: `{name}`"))
            })
            .collect();
        if !errors.is_empty() {
            facts.push(format!("Error bodies (read with `error.body_as::<T>()`): {}.", errors.join("; ")));
        }
        if !op.query_options.is_empty() {
            let options: Vec<String> = op.query_options.iter().map(|o| format!("`{o}`")).collect();
            facts.push(format!(
                "OData query options: {} — set them on the request (`.select(..)`, `.expand(..)`, \
                 `.filter(..)`, `.orderby(..)`, `.top(n)`, `.skip(n)`, `.search(..)`, `.count(true)`).",
                options.join(", ")
            ));
        }
        facts.extend(argument_docs(op.parameters.iter().map(|p| &p.notes), &planned.arguments));
        let doc = rustdoc::attrs(&rustdoc::lines(&op.notes, &facts));
        let deprecated = rustdoc::deprecated(&op.notes);
        let mutable = (!sets.is_empty() || planned.body.is_some()).then(|| quote! { mut });
        // One argument per declared parameter is the operation's signature, however many.
        let many = (args.len() >= 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        quote! {
            #doc
            #deprecated
            #many
            pub fn #method(&self, #(#args),*) -> #returns {
                let #mutable request = #client::Request::from_template(
                    self.0.clone(),
                    #client::Method::#verb_ident,
                    &[#(#server,)* #(#parts),*],
                );
                #(#sets)*
                #send_body
                request
            }
        }
    }

    fn navigate(
        &self,
        m: &Member,
        segment: &str,
        target: TypeId,
        collection: bool,
        access: Access,
        property: Option<(TypeId, usize)>,
    ) -> TokenStream {
        let client = self.client();
        let method = ident(&m.rust_name);
        let ty = self.named(target);
        let notes = match property {
            Some((t, index)) => {
                self.model.structured(t).map(|s| s.properties[index].notes.clone()).unwrap_or_default()
            }
            None => Notes::default(),
        };
        let what = if collection { "collection" } else { "entity" };
        let doc = rustdoc::attrs(&rustdoc::lines(&notes, &[format!("The {what} at `…/{segment}`.")]));
        let (hook_collection, hook_entity) = (hook(contract::hook::COLLECTION), hook(contract::hook::ENTITY));
        let deprecated = rustdoc::deprecated(&notes);
        if collection {
            let args = self.handle_args(ty, &[access.read, access.insert, access.update, access.delete]);
            quote! {
                #doc #deprecated
                pub fn #method(&self) -> #client::CollectionRequest #args {
                    self.#hook_collection(#segment)
                }
            }
        } else {
            let args = self.handle_args(ty, &[access.read, access.update, access.delete]);
            quote! {
                #doc #deprecated
                pub fn #method(&self) -> #client::EntityRequest #args {
                    self.#hook_entity(#segment)
                }
            }
        }
    }

    /// The inherent impls on `EntityRequest<T>` and `CollectionRequest<T>` for entity type `id`.
    pub fn entity(&self, id: TypeId) -> TokenStream {
        let client = self.client();
        let (hook_entity, hook_stream, hook_property, hook_cast) = (
            hook(contract::hook::ENTITY),
            hook(contract::hook::STREAM),
            hook(contract::hook::PROPERTY),
            hook(contract::hook::CAST),
        );
        let ty = self.named(id);
        let single = self.plan.surface.entity.get(&id).map(Vec::as_slice).unwrap_or_default();
        let collection = self.plan.surface.collection.get(&id).map(Vec::as_slice).unwrap_or_default();
        let single_methods = single.iter().map(|m| (self.member_cfg(Some(id), m), m)).map(|(cfg, m)| {
            let method = match &m.kind {
                MemberKind::Navigate { segment, target, collection, access, property } => {
                    self.navigate(m, segment, *target, *collection, *access, *property)
                }
                MemberKind::Cast { target } => {
                    let method = ident(&m.rust_name);
                    let (t, segment) = (self.named(*target), self.model.qualified_name(*target));
                    let doc =
                        format!(" This entity as a `{}` (`…/{segment}`).", self.plan.ty(*target).rust_name);
                    quote! {
                        #[doc = #doc]
                        pub fn #method(&self) -> #client::EntityRequest<#t, R, U, D> {
                            self.#hook_entity(#segment)
                        }
                    }
                }
                MemberKind::Property { segment, target } => {
                    let method = ident(&m.rust_name);
                    let doc = format!(" The property `…/{segment}` addressed on its own.");
                    if *target == Target::Primitive(Primitive::Stream) {
                        quote! {
                            #[doc = #doc]
                            pub fn #method(&self) -> #client::StreamRequest {
                                self.#hook_stream(#segment)
                            }
                        }
                    } else {
                        let ty = self.item(*target);
                        quote! {
                            #[doc = #doc]
                            pub fn #method(&self) -> #client::PropertyRequest<#ty> {
                                self.#hook_property(#segment)
                            }
                        }
                    }
                }
                MemberKind::Operation { operation, segment } => {
                    self.operation_on(m, *operation, segment, true)
                }
                MemberKind::PathOperation { .. } => unreachable!("path operations are on the root"),
            };
            quote! { #cfg #method }
        });
        let collection_methods =
            collection.iter().map(|m| (self.member_cfg(Some(id), m), m)).map(|(cfg, m)| {
                let method = match &m.kind {
                    MemberKind::Cast { target } => {
                        let method = ident(&m.rust_name);
                        let (t, segment) = (self.named(*target), self.model.qualified_name(*target));
                        let doc = format!(
                            " The members of this collection that are `{}`s (`…/{segment}`).",
                            self.plan.ty(*target).rust_name
                        );
                        quote! {
                            #[doc = #doc]
                            pub fn #method(&self) -> #client::CollectionRequest<#t, R, I, U, D> {
                                self.#hook_cast(#segment)
                            }
                        }
                    }
                    MemberKind::Operation { operation, segment } => self.operation(m, *operation, segment),
                    MemberKind::Navigate { .. }
                    | MemberKind::Property { .. }
                    | MemberKind::PathOperation { .. } => {
                        unreachable!("collections have no navigation, property or path members")
                    }
                };
                quote! { #cfg #method }
            });
        let single = (!single.is_empty()).then(|| {
            quote! {
                impl<const R: bool, const U: bool, const D: bool> #client::EntityRequest<#ty, R, U, D> {
                    #(#single_methods)*
                }
            }
        });
        let collection = (!collection.is_empty()).then(|| {
            quote! {
                impl<const R: bool, const I: bool, const U: bool, const D: bool> #client::CollectionRequest<#ty, R, I, U, D> {
                    #(#collection_methods)*
                }
            }
        });
        quote! { #single #collection }
    }

    /// The `#[cfg(...)]` of a member of `owner`'s handles under area features: it exists
    /// when every type it uses is compiled.
    fn member_cfg(&self, owner: Option<TypeId>, m: &Member) -> TokenStream {
        let mut uses = Vec::new();
        let mut add = |t: &TypeRef| {
            if let Target::Named(id) = t.target {
                uses.push(id);
            }
        };
        match &m.kind {
            MemberKind::Navigate { target, .. } | MemberKind::Cast { target } => uses.push(*target),
            MemberKind::Property { target, .. } => {
                add(&TypeRef { map: false, collection: false, target: *target })
            }
            MemberKind::Operation { operation, .. } => {
                self.model.operations[operation.0].type_refs().for_each(&mut add);
                if let Some((t, _)) = self.plan.operation(*operation).composes {
                    uses.push(t);
                }
            }
            MemberKind::PathOperation { operation } => {
                self.model.path_operations[operation.0].type_refs().for_each(&mut add);
            }
        }
        let within = owner.and_then(|t| self.plan.features.as_ref().map(|f| f.need(t)));
        super::cfg_attr(self.plan, uses, within)
    }

    /// The field enum and `Selectable` impl of a structured type.
    pub fn fields(&self, id: TypeId) -> TokenStream {
        let client = self.client();
        let t = self.plan.ty(id);
        let (ty, enum_name) = (ident(&t.rust_name), ident(t.field_enum()));
        let variants: Vec<_> = t.fields.iter().map(|f| ident(&f.variant)).collect();
        let wires: Vec<&str> = t.fields.iter().map(|f| self.plan.property(f).name.as_str()).collect();
        let doc = format!(" The fields of [`{}`], for `$select`, `$expand` and `$orderby`.", t.rust_name);
        let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
        // Collections of an entity type with a key are addressed by key, as the service
        // writes keys; the type's polymorphic value too.
        let keyed = matches!(&self.model.ty(id).kind, TypeKind::Entity(s) if !s.key.is_empty()).then(|| {
            let style = match self.plan.key_style {
                KeyStyle::Parentheses => quote! { Parentheses },
                KeyStyle::Segment => quote! { Segment },
            };
            let any = t.polymorphic.as_ref().map(|p| ident(&p.rust_name));
            let types = std::iter::once(ty.clone()).chain(any);
            quote! {
                #(
                    impl #client::Keyed for #types {
                        const KEY_STYLE: #client::KeyStyle = #client::KeyStyle::#style;
                    }
                )*
            }
        });
        let body = if variants.is_empty() {
            quote! { match self {} }
        } else {
            quote! { match self { #( Self::#variants => #wires, )* } }
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #enum_name {
                #( #[doc = #variant_docs] #variants, )*
            }

            impl #client::FieldName for #enum_name {
                fn name(self) -> &'static str {
                    #body
                }
            }

            impl #client::Selectable for #ty {
                type Field = #enum_name;
            }

            #keyed
        }
    }

    /// The service root: entity sets, singletons and imports as methods on `Client`.
    pub fn root(&self) -> TokenStream {
        let client = self.client();
        let methods = self.plan.surface.root.iter().enumerate().map(|(i, m)| {
            // Under area features, each member of the root is its own area's.
            let cfg = self.plan.features.as_ref().map(|f| {
                let name = &f.names[f.root[i]];
                quote! { #[cfg(feature = #name)] }
            });
            let method = match &m.kind {
                MemberKind::Navigate { segment, target, collection, access, .. } => {
                    let method = ident(&m.rust_name);
                    let ty = self.named(*target);
                    let path = format!("/{segment}");
                    let what = if *collection { "entity set" } else { "singleton" };
                    let doc = format!(" The {what} `{path}`.");
                    if *collection {
                        let args =
                            self.handle_args(ty, &[access.read, access.insert, access.update, access.delete]);
                        quote! {
                            #[doc = #doc]
                            pub fn #method(&self) -> #client::CollectionRequest #args {
                                #client::CollectionRequest::new(self.0.clone(), #path.to_owned())
                            }
                        }
                    } else {
                        let args = self.handle_args(ty, &[access.read, access.update, access.delete]);
                        quote! {
                            #[doc = #doc]
                            pub fn #method(&self) -> #client::EntityRequest #args {
                                #client::EntityRequest::new(self.0.clone(), #path.to_owned())
                            }
                        }
                    }
                }
                MemberKind::Operation { operation, segment } => self.operation(m, *operation, segment),
                MemberKind::PathOperation { operation } => self.path_operation(m, *operation),
                MemberKind::Cast { .. } | MemberKind::Property { .. } => {
                    unreachable!("the root has no casts or properties")
                }
            };
            quote! { #cfg #method }
        });
        let methods: Vec<TokenStream> = methods.collect();
        // Path operations in one `impl` block per tag (their first), documented with the tag,
        // in the order the document lists its tags; the rest in one block first.
        let group = |m: &Member| match &m.kind {
            MemberKind::PathOperation { operation } => self.model.path_operations[operation.0]
                .tags
                .first()
                .and_then(|t| self.model.tags.iter().position(|known| &known.name == t)),
            _ => None,
        };
        let groups: Vec<Option<usize>> = self.plan.surface.root.iter().map(group).collect();
        let mut order: Vec<Option<usize>> = groups.clone();
        order.sort();
        order.dedup();
        let blocks: Vec<TokenStream> = order
            .into_iter()
            .map(|g| {
                let members = methods.iter().zip(&groups).filter(|(_, m)| **m == g).map(|(t, _)| t);
                let doc = g.map(|i| {
                    let tag = &self.model.tags[i];
                    let line = match &tag.description {
                        Some(d) => format!("Operations tagged `{}`: {d}", tag.name),
                        None => format!("Operations tagged `{}`.", tag.name),
                    };
                    rustdoc::attrs(&rustdoc::lines(
                        &Notes { description: Some(line), ..Notes::default() },
                        &[],
                    ))
                });
                quote! {
                    #doc
                    #[allow(deprecated)]
                    impl Client {
                        #(#members)*
                    }
                }
            })
            .collect();
        let surface = (!methods.is_empty()).then(|| quote! { #(#blocks)* });
        let auth = auth_docs(&self.model.security).into_iter().map(|line| quote! { #[doc = #line] });
        let base_url = self.model.base_url.as_ref().map(|url| {
            quote! {
                /// The service's root URL as its description names it, for [`Client::new`].
                pub const DEFAULT_BASE_URL: &'static str = #url;
            }
        });
        // An OData V2 service's client reads and writes V2 (`runtime::Client::odata_v2`),
        // however the runtime client was made.
        let (v2, from_doc) = match self.model.v2 {
            true => (
                quote! { .odata_v2() },
                Some(
                    quote! { #[doc = " The client of this OData V2 service, over the configuration of `client`."] },
                ),
            ),
            false => (quote! {}, None),
        };
        // An OData service takes `$batch` requests, in the format its metadata (or the
        // settings) names.
        let batch = (self.model.protocol == crate::model::Protocol::OData).then(|| {
            let (format, kind) = match self.plan.batch_format {
                crate::model::BatchFormat::Json => (quote! { Json }, "OData 4.01's JSON batch"),
                crate::model::BatchFormat::Multipart => (quote! { Multipart }, "a `multipart/mixed` batch"),
            };
            let doc = format!(" A `$batch` of this client's requests, sent as one request ({kind};");
            quote! {
                #[doc = #doc]
                /// `with_format` changes it): add the requests the client builds, send it, and
                /// take each result with the item its `add` returned.
                pub fn batch(&self) -> #client::Batch {
                    #client::Batch::new(self.0.clone(), #client::BatchFormat::#format)
                }
            }
        });
        // The service root is this crate's own type (Rust allows inherent methods only there);
        // what every service shares lives in the runtime's client, which it wraps. The methods
        // it defines are those `contract::GENERATED_CLIENT` reserves.
        quote! {
            /// The client of this service: its entity sets, singletons and imports are methods.
            ///
            /// It wraps a [`runtime::Client`] (base URL, transport, token provider, retries and
            /// default headers) and dereferences to it. One runtime client can serve several
            /// generated services: build it once and pass `client.with_base_url(..)` to each
            /// service's `Client::from`.
            #(#auth)*
            #[derive(Clone, Debug)]
            pub struct Client(#client::Client);

            impl Client {
                #base_url

                /// A client of the service at `base_url` (e.g. `https://host/service`, without a
                /// trailing slash; one is removed), sending through `transport`.
                pub fn new(base_url: impl Into<String>, transport: impl #client::Transport) -> Self {
                    Self::from(#client::Client::new(base_url, transport))
                }

                /// A builder for a client with a token provider, retry policy or default headers.
                pub fn builder(
                    base_url: impl Into<String>,
                    transport: impl #client::Transport,
                ) -> #client::ClientBuilder<Self> {
                    #client::ClientBuilder::new(base_url, transport)
                }

                /// A handle on the entity at `path` (relative to the service root, e.g. `/me`).
                pub fn entity<T>(&self, path: impl Into<String>) -> #client::EntityRequest<T> {
                    #client::EntityRequest::new(self.0.clone(), path.into())
                }

                /// A handle on the collection at `path` (e.g. `/users`).
                pub fn collection<T>(&self, path: impl Into<String>) -> #client::CollectionRequest<T> {
                    #client::CollectionRequest::new(self.0.clone(), path.into())
                }

                #batch
            }

            impl ::std::convert::From<#client::Client> for Client {
                #from_doc
                fn from(client: #client::Client) -> Self {
                    Client(client #v2)
                }
            }

            impl ::std::convert::From<Client> for #client::Client {
                fn from(client: Client) -> Self {
                    client.0
                }
            }

            impl ::std::ops::Deref for Client {
                type Target = #client::Client;

                fn deref(&self) -> &#client::Client {
                    &self.0
                }
            }

            #surface
        }
    }
}

/// The docs of a method's arguments: a list of each described one, by its Rust name.
fn argument_docs<'a>(
    notes: impl Iterator<Item = &'a Notes>,
    arguments: &[crate::plan::Argument],
) -> Option<String> {
    let described: Vec<String> = notes
        .zip(arguments)
        .filter_map(|(n, a)| {
            n.description.as_ref().map(|d| format!("- `{}`: {}", a.rust_name, d.replace('\n', " ")))
        })
        .collect();
    (!described.is_empty()).then(|| described.join("\n"))
}

/// Percent-encodes a query parameter's name, keeping only unreserved characters, so no name
/// can add parameters (`&`) or end the query (`#`).
fn encode_query_name(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A runtime hook's name as an identifier (see [`contract::hook`]).
fn hook(name: &str) -> proc_macro2::Ident {
    ident(name)
}

/// The lines of the client's documentation that say how to authenticate: one per security
/// scheme, with the builder call that sends it.
fn auth_docs(schemes: &[SecurityScheme]) -> Vec<String> {
    if schemes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::new(), " # Authentication".to_owned(), String::new()];
    lines.push(" The service's security schemes, and how [`Client::builder`] sends each:".to_owned());
    lines.push(String::new());
    for s in schemes {
        let how = match &s.kind {
            SecurityKind::Basic => {
                "HTTP basic: `.credential(runtime::Credential::basic(user, password))`".to_owned()
            }
            SecurityKind::Bearer(what) => {
                format!(
                    "{what}: `.bearer_token(token)`, or `.token_provider(provider)` for tokens that expire"
                )
            }
            SecurityKind::ApiKey { location, name } => {
                let constructor = match location.as_str() {
                    "query" => "api_key_query",
                    "cookie" => "api_key_cookie",
                    _ => "api_key_header",
                };
                format!("an API key in the {location} `{name}`: `.credential(runtime::Credential::{constructor}({name:?}, key))`")
            }
            SecurityKind::Other(what) => format!(
                "{what}, which the client does not send by itself: add its header with `.default_header(..)`"
            ),
        };
        let default = if s.default { " (required by default)" } else { "" };
        lines.push(format!(" - `{}`{default}: {how}.", s.name.replace('`', "'")));
        if let Some(d) = &s.description {
            lines.push(format!("   {}", d.lines().next().unwrap_or_default()));
        }
    }
    lines
}
