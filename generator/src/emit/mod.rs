//! The model → Rust source. Items are built with `quote!`, checked by `syn`, and formatted
//! by prettyplease; emit never sees which front end produced the model.

mod output;
pub mod rustdoc;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Model, NamespaceId};
pub use output::{render_files, render_single};

/// Runtime support copied into every generated crate (OData primitives, flags helpers).
pub const RUNTIME: &str = include_str!("../../../templates/runtime.rs");

/// Every Rust template, by path (checked to parse by a test).
pub const RUST_TEMPLATES: &[(&str, &str)] = &[("templates/runtime.rs", RUNTIME)];

/// An identifier from a name [`crate::model::names`] produced (always valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
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
}

/// A child module and how its parent declares it.
pub struct Child {
    /// `pub mod` (true) or `mod` (false).
    pub public: bool,
    /// Whether the declaration carries `#[allow(deprecated)]` (lint levels are inherited, so
    /// namespace modules carry it for everything in them).
    pub allow_deprecated: bool,
    /// The module.
    pub module: Module,
}

/// Builds the module tree for `model`: one module per namespace (re-exporting one private
/// module per type) and the runtime module.
pub fn emit(model: &Model) -> Module {
    let mut root = Module {
        doc: vec![
            "Types generated from OData metadata: one module per namespace.".to_owned(),
            String::new(),
            "Every structural and navigation property is an `Option`: OData lets a service omit any"
                .to_owned(),
            "property (`$select`, partial responses), and requests send only what is set.".to_owned(),
        ],
        ..Module::default()
    };
    root.children.insert(
        "runtime".to_owned(),
        Child {
            public: true,
            allow_deprecated: false,
            module: Module { verbatim: Some(RUNTIME), ..Module::default() },
        },
    );
    for (i, ns) in model.namespaces.iter().enumerate() {
        let mut module =
            Module { doc: vec![format!("Types of the `{}` namespace.", ns.name)], ..Module::default() };
        let emitter = types::TypeEmitter { model, namespace: NamespaceId(i) };
        let mut reexports = Vec::new();
        for &id in &ns.types {
            let t = model.ty(id);
            let file = ident(&t.file);
            let name = ident(&t.rust_name);
            reexports.push(quote! { pub use self::#file::#name; });
            module.children.insert(
                t.file.clone(),
                Child {
                    public: false,
                    allow_deprecated: false,
                    module: Module { items: emitter.emit(id), ..Module::default() },
                },
            );
        }
        module.items = quote! { #(#reexports)* };
        root.children.insert(ns.module.clone(), Child { public: true, allow_deprecated: true, module });
    }
    root
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
