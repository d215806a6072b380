//! Model types → Rust items: structs for entity and complex types (`structs.rs`), the enums
//! of types with derived types (`polymorphic.rs`), enums or flag sets for enumeration types
//! (`enums.rs`), aliases for type definitions (here).

mod enums;
mod polymorphic;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rustdoc};
use crate::model::*;
use crate::plan::Plan;

/// Emits items for types of one namespace, resolving paths relative to a type module
/// (`<root>::<namespace>::<type module>`). Prelude names (`Option`, `String`, `Vec`, `Box`,
/// `Result`) are used bare: [`crate::plan::names`] never gives a generated type one of them.
pub struct TypeEmitter<'a> {
    pub plan: &'a Plan<'a>,
    pub model: &'a Model,
    pub namespace: NamespaceId,
}

impl TypeEmitter<'_> {
    /// The Rust type of a value declared as `id`: its polymorphic enum when it has derived
    /// types, else the type itself.
    fn named(&self, id: TypeId) -> TokenStream {
        self.path_in(id, self.plan.ty(id).value_name())
    }

    /// The Rust type generated for `id` itself.
    fn concrete(&self, id: TypeId) -> TokenStream {
        self.path_in(id, &self.plan.ty(id).rust_name)
    }

    /// An item of `id`'s namespace module.
    fn path_in(&self, id: TypeId, name: &str) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(name);
        if t.namespace == self.namespace {
            quote! { super::#name }
        } else {
            let module = ident(self.plan.module(t.namespace));
            quote! { super::super::#module::#name }
        }
    }

    /// A primitive in a module that imports `runtime` (every type module but aliases).
    fn primitive(&self, p: Primitive) -> TokenStream {
        super::primitive(p, &quote! { runtime })
    }

    /// The JSON entry points of type `name` ([`FromJson`, `ToJson`] of the runtime): plain
    /// functions, so that its JSON code is compiled here, once, rather than in every crate
    /// that sends or receives it. The readers are (`Wire`); the `FromJson` functions are
    /// only the few lines that hand a body to them, `#[inline]` so that they are compiled
    /// where a request uses them rather than for each of the crate's thousands of types.
    fn json_entry_points(&self, name: &proc_macro2::Ident) -> TokenStream {
        quote! {
            impl runtime::FromJson for #name {
                #[inline]
                fn from_json(body: &[u8]) -> Result<Self, ::serde_json::Error> {
                    runtime::wire_from_json(body)
                }
                #[inline]
                fn page_from_json(body: &[u8]) -> Result<runtime::Page<Self>, ::serde_json::Error> {
                    runtime::wire_page_from_json(body)
                }
                #[inline]
                fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, ::serde_json::Error> {
                    runtime::wire_vec_from_json(body)
                }
            }

            impl runtime::ToJson for #name {
                fn write_json(&self, out: &mut Vec<u8>) -> Result<(), ::serde_json::Error> {
                    ::serde_json::to_writer(out, self)
                }
            }
        }
    }

    /// The condition under which a field (or a variant) of type `ty` exists in the code of
    /// type `owner`, under area features: `None` when it always does.
    fn field_condition(&self, owner: TypeId, ty: TypeRef) -> Option<TokenStream> {
        let Target::Named(target) = ty.target else { return None };
        let within = self.plan.features.as_ref().map(|f| f.need(owner));
        super::cfg_predicate(self.plan, [target], within)
    }

    /// The Rust type of a value of `ty` (without the outer `Option`).
    fn value_type(&self, ty: TypeRef, boxed: bool) -> TokenStream {
        let item = match ty.target {
            Target::Primitive(p) => self.primitive(p),
            Target::Named(id) => self.named(id),
        };
        if ty.collection {
            quote! { Vec<#item> }
        } else if ty.map {
            quote! { ::std::collections::BTreeMap<String, #item> }
        } else if boxed {
            quote! { Box<#item> }
        } else {
            item
        }
    }

    /// The items of the type module for `id`.
    pub fn emit(&self, id: TypeId) -> TokenStream {
        let t = self.model.ty(id);
        match &t.kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => self.structured(id, s),
            TypeKind::Enum(e) if e.is_flags => self.flags(id, e),
            TypeKind::Enum(e) => self.enumeration(id, e),
            TypeKind::Union(u) => self.union(id, u),
            TypeKind::Definition(d) => {
                let name = ident(&self.plan.ty(id).rust_name);
                let mut facts = vec![format!(
                    "`{}`: a type definition over `Edm.{:?}`.",
                    self.model.qualified_name(id),
                    d.underlying
                )];
                facts.extend(facets(&d.facets));
                let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
                let deprecated = rustdoc::deprecated(&t.notes);
                let ty = super::primitive(d.underlying, &quote! { super::super::runtime });
                quote! { #doc #deprecated pub type #name = #ty; }
            }
        }
    }
}

fn facets(f: &Facets) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(v) = &f.max_length {
        parts.push(format!("max length {v}"));
    }
    if let Some(v) = &f.precision {
        parts.push(format!("precision {v}"));
    }
    if let Some(v) = &f.scale {
        parts.push(format!("scale {v}"));
    }
    if let Some(v) = &f.srid {
        parts.push(format!("SRID {v}"));
    }
    if parts.is_empty() {
        Vec::new()
    } else {
        vec![format!("Facets: {}.", parts.join(", "))]
    }
}

/// Short facts about a property that a user needs when reading or writing it.
fn property_facts(p: &Property, notes: &Notes) -> Vec<String> {
    let mut out = Vec::new();
    let mut flags = Vec::new();
    if let Some(nav) = &p.navigation {
        flags.push(if nav.contains_target {
            "Contained navigation property; present when expanded (`$expand`)".to_owned()
        } else {
            "Navigation property; present when expanded (`$expand`)".to_owned()
        });
    }
    if !p.nullable && !p.ty.collection && !p.ty.map {
        flags.push("Not nullable".to_owned());
    }
    if notes.computed {
        flags.push("Computed by the service (read-only)".to_owned());
    }
    if notes.immutable {
        flags.push("Immutable after creation".to_owned());
    }
    if notes.write_only {
        flags.push("Write-only: sent by clients, never returned by the service".to_owned());
    }
    if let Some(perm) = &notes.permissions {
        flags.push(format!("Permissions: {perm}"));
    }
    if let Some(d) = &p.default_value {
        flags.push(format!("Default: `{d}`"));
    }
    if !flags.is_empty() {
        out.push(format!("{}.", flags.join(". ")));
    }
    out.extend(facets(&p.facets));
    out
}
