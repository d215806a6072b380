//! The model → Rust source. Items are built with `quote!`, checked by `syn`, and formatted
//! by prettyplease; emit never sees which front end produced the model.

mod output;
pub mod readme;
mod requests;
pub mod rustdoc;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{NamespaceId, TypeKind};
use crate::plan::Plan;
pub use output::{render_files, render_included, render_single};

/// The runtime crate's root (`templates/src/lib.rs`): its docs, module declarations and
/// re-exports make the `runtime` module of a generated crate that embeds the runtime.
pub const RUNTIME_LIB: &str = include_str!("../../../templates/src/lib.rs");

/// The sources of the runtime crate's modules, by module name, as `RUNTIME_LIB` declares
/// them; copied verbatim into a generated crate that embeds the runtime.
pub const RUNTIME_MODULES: &[(&str, &str)] = &[
    ("batch", include_str!("../../../templates/src/batch.rs")),
    ("client", include_str!("../../../templates/src/client.rs")),
    ("errors", include_str!("../../../templates/src/errors.rs")),
    ("flags", include_str!("../../../templates/src/flags.rs")),
    ("handles", include_str!("../../../templates/src/handles.rs")),
    ("json", include_str!("../../../templates/src/json.rs")),
    ("literals", include_str!("../../../templates/src/literals.rs")),
    ("multipart", include_str!("../../../templates/src/multipart.rs")),
    ("paging", include_str!("../../../templates/src/paging.rs")),
    ("polymorphic", include_str!("../../../templates/src/polymorphic.rs")),
    ("primitives", include_str!("../../../templates/src/primitives.rs")),
    ("read", include_str!("../../../templates/src/read.rs")),
    ("request", include_str!("../../../templates/src/request.rs")),
    ("reqwest_transport", include_str!("../../../templates/src/reqwest_transport.rs")),
    ("transport", include_str!("../../../templates/src/transport.rs")),
    ("v2", include_str!("../../../templates/src/v2.rs")),
    ("wire", include_str!("../../../templates/src/wire.rs")),
];

/// The cargo feature of the runtime's optional reqwest transport.
const REQWEST_FEATURE: &str = "reqwest";

/// The runtime modules that belong to each service rather than to the shared runtime crate:
/// generated code adds inherent methods to their types, which Rust allows only in the crate
/// that defines them. A crate that depends on the runtime crate still gets a copy of these;
/// they use only the runtime's public items.
pub const SERVICE_MODULES: &[&str] = &["handles"];

/// An identifier from a name [`crate::plan::names`] produced (always valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of an Edm primitive; `runtime` is the path of the runtime module from where
/// the type is written. The one place the mapping is decided (README: "Primitive types").
pub(crate) fn primitive(p: crate::model::Primitive, runtime: &TokenStream) -> TokenStream {
    use crate::model::Primitive::*;
    let support = |name: &str| {
        let name = ident(name);
        quote! { #runtime::#name }
    };
    match p {
        String => quote! { String },
        Boolean => quote! { bool },
        Byte => quote! { u8 },
        SByte => quote! { i8 },
        Int16 => quote! { i16 },
        Int32 => quote! { i32 },
        Int64 => quote! { i64 },
        Single => quote! { f32 },
        Double => quote! { f64 },
        Decimal => support("Decimal"),
        Date => support("Date"),
        DateTime => support("DateTime"),
        DateTimeOffset => support("DateTimeOffset"),
        TimeOfDay => support("TimeOfDay"),
        Duration => support("Duration"),
        Guid => support("Guid"),
        Binary => support("Binary"),
        Stream => support("Stream"),
        Geography | Geometry => support("GeoJson"),
        Untyped => quote! { ::serde_json::Value },
    }
}

/// The condition (`cfg` predicate) under which an item using the types `uses` is compiled,
/// inside an item compiled when `within` is (`None`: the crate root): `None` when there are
/// no area features or `within` already implies every use.
pub(crate) fn cfg_predicate(
    plan: &Plan,
    uses: impl IntoIterator<Item = crate::model::TypeId>,
    within: Option<&crate::plan::features::Need>,
) -> Option<TokenStream> {
    use crate::plan::features::Need;
    let features = plan.features.as_ref()?;
    let mut needs: Vec<&[usize]> = Vec::new();
    for t in uses {
        let need = features.need(t);
        let Need::Areas(areas) = need else { continue };
        if within.is_some_and(|w| need.covers(w)) || needs.contains(&areas.as_slice()) {
            continue;
        }
        needs.push(areas);
    }
    let parts: Vec<TokenStream> = needs
        .iter()
        .map(|areas| {
            let names = areas.iter().map(|&a| features.names[a].as_str());
            match areas {
                [] => quote! { feature = "full" },
                [_] => quote! { #(feature = #names)* },
                _ => quote! { any(#(feature = #names),*) },
            }
        })
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(quote! { all(#(#parts),*) }),
    }
}

/// `#[cfg(...)]` for [`cfg_predicate`], or nothing.
pub(crate) fn cfg_attr(
    plan: &Plan,
    uses: impl IntoIterator<Item = crate::model::TypeId>,
    within: Option<&crate::plan::features::Need>,
) -> TokenStream {
    match cfg_predicate(plan, uses, within) {
        Some(p) => quote! { #[cfg(#p)] },
        None => TokenStream::new(),
    }
}

/// The Rust type of a value of `ty` as a path from `root` (the module holding the namespace
/// modules and `runtime`), e.g. `my_crate::graph::AnyDirectoryObject` or
/// `Vec<my_crate::runtime::Date>`: for code that names generated types from outside, such as
/// test harnesses and dispatch tables.
pub fn value_type_path(plan: &Plan, ty: crate::model::TypeRef, root: &str) -> String {
    use crate::model::Target;
    let item = match ty.target {
        Target::Primitive(p) => {
            let runtime: TokenStream = format!("{root}::runtime").parse().expect("a path");
            primitive(p, &runtime).to_string().replace(' ', "")
        }
        Target::Named(id) => {
            format!("{root}::{}::{}", plan.module(plan.model.ty(id).namespace), plan.ty(id).value_name())
        }
    };
    if ty.collection {
        format!("Vec<{item}>")
    } else if ty.map {
        format!("BTreeMap<String, {item}>")
    } else {
        item
    }
}

/// A Rust module of the output: its items and its child modules.
#[derive(Default)]
pub struct Module {
    /// Inner doc lines.
    pub doc: Vec<String>,
    /// The module's own items.
    pub items: TokenStream,
    /// Child modules by name.
    pub children: BTreeMap<String, Child>,
    /// Text copied verbatim instead of `items` (runtime support from templates/).
    pub verbatim: Option<&'static str>,
    /// Inner attributes after the doc (`#![allow(...)]`); files only, as an included file
    /// cannot carry them.
    pub inner_attrs: TokenStream,
}

/// A child module and how its parent declares it.
pub struct Child {
    /// `pub mod` (true) or `mod` (false).
    pub public: bool,
    /// Whether the declaration carries `#[allow(deprecated)]` (lint levels are inherited, so
    /// namespace modules carry it for everything in them).
    pub allow_deprecated: bool,
    /// A cargo feature the module is compiled under (`#[cfg(feature = "...")]`).
    pub feature: Option<&'static str>,
    /// Another condition it is compiled under (`#[cfg(...)]`, area features), or nothing.
    pub cfg: TokenStream,
    /// The module.
    pub module: Module,
}

/// What to emit besides the model's own code.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Emit the reqwest transport module, under `#[cfg(feature = "reqwest")]`: the crate
    /// that holds the code must declare that feature (with `reqwest` and `tokio`).
    pub reqwest: bool,
    /// Where the shared runtime comes from: `None` embeds a copy of its sources, `Some(path)`
    /// re-exports the runtime crate at that Rust path (`::codegen_runtime`).
    pub runtime_crate: Option<&'a str>,
}

/// Builds the module tree for `plan`: one module per namespace (re-exporting one private
/// module per type) and the runtime module.
pub fn emit(plan: &Plan, options: Options) -> Module {
    let model = plan.model;
    let doc = match model.protocol {
        crate::model::Protocol::OData => vec![
            "Types generated from OData metadata: one module per namespace.".to_owned(),
            String::new(),
            "Every structural and navigation property is an `Option`: OData lets a service omit any"
                .to_owned(),
            "property (`$select`, partial responses), and requests send only what is set.".to_owned(),
        ],
        crate::model::Protocol::Json => vec![
            "Types generated from an OpenAPI description: one module per namespace (the document's,"
                .to_owned(),
            "and one per prefix of dotted schema names).".to_owned(),
            String::new(),
            "Every property is an `Option`, required or not: what a service sends is read whatever"
                .to_owned(),
            "it omits, and requests send only what is set.".to_owned(),
        ],
    };
    let mut root = Module {
        doc: doc
            .into_iter()
            .chain([
                String::new(),
                "The service namespace's types, [`Client`] and [`Error`] are re-exported here.".to_owned(),
            ])
            .collect(),
        ..Module::default()
    };
    root.children.insert(
        "runtime".to_owned(),
        Child {
            public: true,
            allow_deprecated: false,
            feature: None,
            cfg: TokenStream::new(),
            module: runtime_module(options),
        },
    );

    for (i, ns) in model.namespaces.iter().enumerate() {
        let mut module =
            Module { doc: vec![format!("Types of the `{}` namespace.", ns.name)], ..Module::default() };
        let emitter = types::TypeEmitter { plan, model, namespace: NamespaceId(i) };
        let in_type = requests::RequestEmitter {
            plan,
            model,
            root: quote! { super::super },
            namespace: Some(NamespaceId(i)),
        };
        let mut reexports = Vec::new();
        for &id in &ns.types {
            let (t, planned) = (model.ty(id), plan.ty(id));
            let file = ident(&planned.file);
            let name = ident(&planned.rust_name);
            let mut items = emitter.emit(id);
            let cfg = cfg_attr(plan, [id], None);
            if model.structured(id).is_some() {
                let fields = ident(planned.field_enum());
                let any = planned.polymorphic.as_ref().map(|p| ident(&p.rust_name));
                let form = planned.form.as_deref().map(ident);
                let names = any.iter().chain([&name]).chain(&form).chain([&fields]);
                reexports.push(quote! { #cfg pub use self::#file::{#(#names),*}; });
                items = quote! { use super::super::runtime; #items };
                items.extend(in_type.fields(id));
                items.extend(in_type.entity(id));
            } else {
                if matches!(t.kind, TypeKind::Enum(_) | TypeKind::Union(_)) {
                    items = quote! { use super::super::runtime; #items };
                }
                reexports.push(quote! { #cfg pub use self::#file::#name; });
            }
            module.children.insert(
                planned.file.clone(),
                Child {
                    public: false,
                    allow_deprecated: false,
                    feature: None,
                    cfg,
                    module: Module { items, ..Module::default() },
                },
            );
        }
        module.items = quote! { #(#reexports)* };
        root.children.insert(
            plan.module(NamespaceId(i)).to_owned(),
            Child { public: true, allow_deprecated: true, feature: None, cfg: TokenStream::new(), module },
        );
    }
    root.items = root_reexports(plan, options);
    root.items
        .extend(requests::RequestEmitter { plan, model, root: quote! { self }, namespace: None }.root());
    root
}

/// The names the root defines or re-exports besides the service namespace's types, which
/// they shadow there: (module re-exported from, or `None` for the root's own `Client`; name;
/// the feature the module is compiled under; what the name is).
/// The `pub use` items are made from it, and [`names`](crate::plan::names) warns from it
/// about a namespace type that one of them hides.
pub(crate) const ROOT_REEXPORTS: &[(Option<&str>, &str, Option<&str>, &str)] = &[
    (None, "Client", None, "the service's client"),
    (Some("runtime"), "Error", None, "the client's error type"),
    (Some("runtime"), "ReqwestTransport", Some(REQWEST_FEATURE), "the reqwest transport"),
];

/// The names a user reaches for first, at the root: the service namespace's types (so the
/// main namespace needs no `graph::graph::` path), then [`ROOT_REEXPORTS`], one `pub use` per
/// module. Explicit re-exports shadow a namespace type of the same name, which stays
/// reachable through its module.
fn root_reexports(plan: &Plan, options: Options) -> TokenStream {
    let mut items = TokenStream::new();
    if let Some(ns) = plan.model.main_namespace() {
        let module = ident(plan.module(ns));
        // Under area features the namespace may hold nothing with the features enabled.
        let allow = plan.features.is_some().then(|| quote! { #[allow(unused_imports)] });
        items.extend(quote! {
            #[doc(no_inline)]
            #allow
            pub use self::#module::*;
        });
    }
    for group in ROOT_REEXPORTS.chunk_by(|a, b| (a.0, a.2) == (b.0, b.2)) {
        let (Some(module), feature) = (group[0].0, group[0].2) else { continue };
        // The transport module is emitted only on request.
        if feature == Some(REQWEST_FEATURE) && !options.reqwest {
            continue;
        }
        let module = ident(module);
        let names: Vec<Ident> = group.iter().map(|r| ident(r.1)).collect();
        let used = match names.as_slice() {
            [name] => quote! { #name },
            _ => quote! { {#(#names),*} },
        };
        let cfg = feature.map(|f| quote! { #[cfg(feature = #f)] });
        items.extend(quote! {
            #cfg
            #[doc(no_inline)]
            pub use self::#module::#used;
        });
    }
    items
}

/// The runtime module of a crate that embeds the runtime: [`RUNTIME_LIB`]'s docs and
/// re-exports, and one verbatim child per module it declares. What is compiled under the
/// reqwest feature is left out unless `options` asks for the transport.
fn runtime_module(options: Options) -> Module {
    if let Some(path) = options.runtime_crate {
        return runtime_reexport(path);
    }
    let lib = syn::parse_file(RUNTIME_LIB).expect("templates/src/lib.rs parses (tested)");
    let mut module = Module::default();
    for attr in &lib.attrs {
        module.inner_attrs.extend(quote! { #attr });
    }
    for item in &lib.items {
        let reqwest_only = is_reqwest_only(item);
        if reqwest_only && !options.reqwest {
            continue;
        }
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let name = m.ident.to_string();
                let public = matches!(m.vis, syn::Visibility::Public(_));
                let feature = reqwest_only.then_some(REQWEST_FEATURE);
                let child = Module { verbatim: Some(runtime_source(&name)), ..Module::default() };
                module.children.insert(
                    name,
                    Child {
                        public,
                        allow_deprecated: false,
                        feature,
                        cfg: TokenStream::new(),
                        module: child,
                    },
                );
            }
            item => module.items.extend(quote! { #item }),
        }
    }
    module
}

/// The runtime module of a crate that depends on the runtime crate at `path`: everything
/// the crate exports, and a copy of the [`SERVICE_MODULES`] whose public names shadow the
/// crate's own.
fn runtime_reexport(text: &str) -> Module {
    let path: syn::Path = syn::parse_str(text).expect("the runtime path is validated by the Builder");
    let doc = format!(" The runtime: the crate `{text}`, and this service's own request handles.");
    let mut module = Module { inner_attrs: quote! { #![doc = #doc] }, ..Module::default() };
    module.items.extend(quote! { pub use #path::*; });
    for &name in SERVICE_MODULES {
        let source = runtime_source(name);
        let file = syn::parse_file(source).expect("runtime sources parse (tested)");
        let names = file.items.iter().filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => Some(&s.ident),
            syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => Some(&e.ident),
            syn::Item::Trait(t) if matches!(t.vis, syn::Visibility::Public(_)) => Some(&t.ident),
            syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => Some(&f.sig.ident),
            _ => None,
        });
        let module_ident = ident(name);
        module.items.extend(quote! { pub use self::#module_ident::{#(#names),*}; });
        let child = Module { verbatim: Some(source), ..Module::default() };
        module.children.insert(
            name.to_owned(),
            Child {
                public: false,
                allow_deprecated: false,
                feature: None,
                cfg: TokenStream::new(),
                module: child,
            },
        );
    }
    module
}

/// The source of the runtime module `name` (a test checks that every module
/// `templates/src/lib.rs` declares is in [`RUNTIME_MODULES`]).
fn runtime_source(name: &str) -> &'static str {
    RUNTIME_MODULES
        .iter()
        .find(|(module, _)| *module == name)
        .unwrap_or_else(|| panic!("templates/src/lib.rs declares `{name}`, which RUNTIME_MODULES lacks"))
        .1
}

/// Whether an item of the runtime's root is compiled only with the reqwest feature
/// (`#[cfg(feature = "reqwest")]`).
fn is_reqwest_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Use(u) => &u.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| {
        a.meta.require_list().is_ok_and(|list| {
            list.path.is_ident("cfg") && list.tokens.to_string() == format!("feature = \"{REQWEST_FEATURE}\"")
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_runtime_source_parses_and_lib_declares_exactly_the_listed_modules() {
        for (name, text) in super::RUNTIME_MODULES {
            syn::parse_file(text).unwrap_or_else(|e| panic!("templates/src/{name}.rs: {e}"));
        }
        let lib = syn::parse_file(super::RUNTIME_LIB).expect("templates/src/lib.rs parses");
        let declared: Vec<String> = lib
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        let listed: Vec<String> = super::RUNTIME_MODULES.iter().map(|(name, _)| name.to_string()).collect();
        assert_eq!(declared, listed, "templates/src/lib.rs and emit::RUNTIME_MODULES list different modules");
    }

    #[test]
    fn the_embedded_runtime_leaves_out_the_transport_unless_asked() {
        let without = super::runtime_module(super::Options { reqwest: false, runtime_crate: None });
        assert!(!without.children.contains_key("reqwest_transport"));
        assert!(!without.items.to_string().contains("reqwest_transport"));
        let with = super::runtime_module(super::Options { reqwest: true, runtime_crate: None });
        assert_eq!(with.children["reqwest_transport"].feature, Some("reqwest"));
    }
}
