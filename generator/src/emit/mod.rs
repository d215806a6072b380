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

use crate::model::{Model, NamespaceId, TypeKind};
pub use output::{render_files, render_single};

/// Runtime support copied into every generated crate (OData primitives, flags helpers).
pub const RUNTIME: &str = include_str!("../../../templates/runtime.rs");

/// The HTTP client runtime copied into every generated crate (transport, requests, paging).
pub const CLIENT: &str = include_str!("../../../templates/client.rs");

/// The reqwest transport, compiled with the generated crate's `reqwest` feature.
pub const REQWEST_TRANSPORT: &str = include_str!("../../../templates/reqwest_transport.rs");

/// Every Rust template, by path (checked to parse by a test).
pub const RUST_TEMPLATES: &[(&str, &str)] = &[
    ("templates/runtime.rs", RUNTIME),
    ("templates/client.rs", CLIENT),
    ("templates/reqwest_transport.rs", REQWEST_TRANSPORT),
];

/// An identifier from a name [`crate::model::names`] produced (always valid).
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

/// The Rust type of a value of `ty` as a path from `root` (the module holding the namespace
/// modules and `runtime`), e.g. `my_crate::graph::AnyDirectoryObject` or
/// `Vec<my_crate::runtime::Date>`: for code that names generated types from outside, such as
/// test harnesses and dispatch tables.
pub fn value_type_path(model: &Model, ty: crate::model::TypeRef, root: &str) -> String {
    use crate::model::Target;
    let item = match ty.target {
        Target::Primitive(p) => {
            let runtime: TokenStream = format!("{root}::runtime").parse().expect("a path");
            primitive(p, &runtime).to_string().replace(' ', "")
        }
        Target::Named(id) => {
            let t = model.ty(id);
            format!("{root}::{}::{}", model.namespaces[t.namespace.0].module, t.value_name())
        }
    };
    if ty.collection {
        format!("Vec<{item}>")
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
    /// The module.
    pub module: Module,
}

/// What to emit besides the model's own code.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Emit the reqwest transport module, under `#[cfg(feature = "reqwest")]`: the crate
    /// that holds the code must declare that feature (with `reqwest` and `tokio`).
    pub reqwest: bool,
}

/// Builds the module tree for `model`: one module per namespace (re-exporting one private
/// module per type) and the runtime module.
pub fn emit(model: &Model, options: Options) -> Module {
    let mut root = Module {
        doc: vec![
            "Types generated from OData metadata: one module per namespace.".to_owned(),
            String::new(),
            "Every structural and navigation property is an `Option`: OData lets a service omit any"
                .to_owned(),
            "property (`$select`, partial responses), and requests send only what is set.".to_owned(),
            String::new(),
            "The service namespace's types, [`Client`] and [`Error`] are re-exported here.".to_owned(),
        ],
        ..Module::default()
    };
    root.children.insert(
        "runtime".to_owned(),
        Child {
            public: true,
            allow_deprecated: false,
            feature: None,
            module: Module { verbatim: Some(RUNTIME), ..Module::default() },
        },
    );
    root.children.insert(
        "client".to_owned(),
        Child {
            public: true,
            allow_deprecated: false,
            feature: None,
            module: Module { verbatim: Some(CLIENT), ..Module::default() },
        },
    );
    if options.reqwest {
        root.children.insert(
            "reqwest_transport".to_owned(),
            Child {
                public: true,
                allow_deprecated: false,
                feature: Some("reqwest"),
                module: Module { verbatim: Some(REQWEST_TRANSPORT), ..Module::default() },
            },
        );
    }

    for (i, ns) in model.namespaces.iter().enumerate() {
        let mut module =
            Module { doc: vec![format!("Types of the `{}` namespace.", ns.name)], ..Module::default() };
        let emitter = types::TypeEmitter { model, namespace: NamespaceId(i) };
        let in_type = requests::RequestEmitter {
            model,
            root: quote! { super::super },
            namespace: Some(NamespaceId(i)),
        };
        let mut reexports = Vec::new();
        for &id in &ns.types {
            let t = model.ty(id);
            let file = ident(&t.file);
            let name = ident(&t.rust_name);
            let mut items = emitter.emit(id);
            if model.structured(id).is_some() {
                let fields = ident(&t.field_enum);
                match &t.polymorphic {
                    Some(p) => {
                        let any = ident(&p.rust_name);
                        reexports.push(quote! { pub use self::#file::{#any, #name, #fields}; });
                    }
                    None => reexports.push(quote! { pub use self::#file::{#name, #fields}; }),
                }
                items = quote! { use super::super::{client, runtime}; #items };
                items.extend(in_type.fields(id));
                items.extend(in_type.entity(id));
            } else {
                if matches!(t.kind, TypeKind::Enum(_)) {
                    items = quote! { use super::super::runtime; #items };
                }
                reexports.push(quote! { pub use self::#file::#name; });
            }
            module.children.insert(
                t.file.clone(),
                Child {
                    public: false,
                    allow_deprecated: false,
                    feature: None,
                    module: Module { items, ..Module::default() },
                },
            );
        }
        module.items = quote! { #(#reexports)* };
        root.children
            .insert(ns.module.clone(), Child { public: true, allow_deprecated: true, feature: None, module });
    }
    root.items = root_reexports(model, options);
    if !model.surface.root.is_empty() {
        root.items.extend(requests::RequestEmitter { model, root: quote! { self }, namespace: None }.root());
    }
    root
}

/// The names re-exported at the root besides the service namespace's types, which they
/// shadow there: (module, name, the feature the module is compiled under, what the name is).
/// The `pub use` items are made from it, and [`names`](crate::model::names) warns from it
/// about a namespace type that one of them hides.
pub(crate) const ROOT_REEXPORTS: &[(&str, &str, Option<&str>, &str)] = &[
    ("client", "Client", None, "the HTTP client"),
    ("client", "Error", None, "the client's error type"),
    ("reqwest_transport", "ReqwestTransport", Some("reqwest"), "the reqwest transport"),
];

/// The names a user reaches for first, at the root: the service namespace's types (so the
/// main namespace needs no `graph::graph::` path), then [`ROOT_REEXPORTS`], one `pub use` per
/// module. Explicit re-exports shadow a namespace type of the same name, which stays
/// reachable through its module.
fn root_reexports(model: &Model, options: Options) -> TokenStream {
    let mut items = TokenStream::new();
    if let Some(ns) = model.main_namespace() {
        let module = ident(&model.namespaces[ns.0].module);
        items.extend(quote! {
            #[doc(no_inline)]
            pub use self::#module::*;
        });
    }
    for group in ROOT_REEXPORTS.chunk_by(|a, b| (a.0, a.2) == (b.0, b.2)) {
        let (module, feature) = (group[0].0, group[0].2);
        // The transport module is emitted only on request.
        if feature == Some("reqwest") && !options.reqwest {
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_rust_template_parses() {
        for (name, text) in super::RUST_TEMPLATES {
            syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
