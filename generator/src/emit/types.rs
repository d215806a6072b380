//! Model types → Rust items: structs for entity and complex types, enums (or flag sets) for
//! enumeration types, aliases for type definitions.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, rustdoc};
use crate::model::*;

/// Emits items for types of one namespace, resolving paths relative to a type module
/// (`<root>::<namespace>::<type module>`). Prelude names (`Option`, `String`, `Vec`, `Box`,
/// `Result`) are used bare: [`crate::model::names`] never gives a generated type one of them.
pub struct TypeEmitter<'a> {
    pub model: &'a Model,
    pub namespace: NamespaceId,
}

impl TypeEmitter<'_> {
    fn runtime(&self, name: &str) -> TokenStream {
        let name = ident(name);
        quote! { super::super::runtime::#name }
    }

    fn named(&self, id: TypeId) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(&t.rust_name);
        if t.namespace == self.namespace {
            quote! { super::#name }
        } else {
            let module = ident(&self.model.namespaces[t.namespace.0].module);
            quote! { super::super::#module::#name }
        }
    }

    fn primitive(&self, p: Primitive) -> TokenStream {
        super::primitive(p, &quote! { super::super::runtime })
    }

    /// The Rust type of a value of `ty` (without the outer `Option`).
    fn value_type(&self, ty: TypeRef, boxed: bool) -> TokenStream {
        let item = match ty.target {
            Target::Primitive(p) => self.primitive(p),
            Target::Named(id) => self.named(id),
        };
        if ty.collection {
            quote! { Vec<#item> }
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
            TypeKind::Definition(d) => {
                let name = ident(&t.rust_name);
                let mut facts = vec![format!(
                    "`{}`: a type definition over `Edm.{:?}`.",
                    self.model.qualified_name(id),
                    d.underlying
                )];
                facts.extend(facets(&d.facets));
                let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
                let deprecated = rustdoc::deprecated(&t.notes);
                let ty = self.primitive(d.underlying);
                quote! { #doc #deprecated pub type #name = #ty; }
            }
        }
    }

    fn structured(&self, id: TypeId, s: &Structured) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(&t.rust_name);
        let qualified = self.model.qualified_name(id);
        let is_entity = matches!(t.kind, TypeKind::Entity(_));
        let mut facts = vec![format!(
            "`{qualified}`: {}{}{}.",
            if s.is_abstract {
                "an abstract "
            } else if is_entity {
                "an "
            } else {
                "a "
            },
            if is_entity { "entity type" } else { "complex type" },
            if s.open { ", open (instances may carry undeclared properties)" } else { "" },
        )];
        if let Some(base) = s.base {
            let base_name = &self.model.ty(base).rust_name;
            facts.push(format!("Derives from `{}`; the inherited properties are included.", base_name));
        }
        if !s.derived.is_empty() {
            let names: Vec<String> =
                s.derived.iter().map(|d| format!("`{}`", self.model.ty(*d).rust_name)).collect();
            facts.push(format!("Derived types: {}.", names.join(", ")));
        }
        if is_entity && !s.key.is_empty() {
            let key: Vec<String> = s.key.iter().map(|k| format!("`{}`", k.path)).collect();
            facts.push(format!("Key: {}.", key.join(", ")));
        }
        if s.has_stream {
            facts.push("A media entity: its content is a stream of its own.".to_owned());
        }
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);

        let fields = s.fields.iter().map(|f| {
            let p = self.model.field_property(f);
            let field = ident(&f.rust_name);
            let ty = self.value_type(p.ty, f.boxed);
            let wire = &p.name;
            let rename = (f.rust_name != *wire).then(|| quote! { rename = #wire, });
            let notes = self.model.field_notes(f);
            let doc = rustdoc::attrs(&rustdoc::lines(notes, &property_facts(p, notes)));
            let deprecated = rustdoc::deprecated(notes);
            quote! {
                #doc
                #deprecated
                #[serde(#rename skip_serializing_if = "Option::is_none")]
                pub #field: Option<#ty>,
            }
        });
        let open = s.open.then(|| {
            quote! {
                /// Properties the metadata does not declare (this is an open type).
                #[serde(flatten)]
                pub additional_properties: ::std::collections::BTreeMap<String, ::serde_json::Value>,
            }
        });
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #name {
                /// `@odata.type`: the concrete type of this value, when the service names it.
                #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
                pub odata_type: Option<String>,
                #(#fields)*
                #open
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;
            }
        }
    }

    fn enumeration(&self, id: TypeId, e: &EnumDef) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(&t.rust_name);
        let qualified = self.model.qualified_name(id);
        let facts = vec![format!(
            "`{qualified}`: an enumeration. Values this crate does not know (the service adds members over time) \
             are kept as [`{}::Unrecognized`].",
            t.rust_name
        )];
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let variants: Vec<_> = e.members.iter().map(|m| ident(&m.rust_name)).collect();
        let wires: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
        let values: Vec<Literal> = e.members.iter().map(|m| Literal::i64_unsuffixed(m.value)).collect();
        let docs = e.members.iter().map(|m| {
            let fact = format!("`{}` (value {}).", m.name, m.value);
            let doc = rustdoc::attrs(&rustdoc::lines(&m.notes, &[fact]));
            let deprecated = rustdoc::deprecated(&m.notes);
            quote! { #doc #deprecated }
        });
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #( #docs #variants, )*
                /// A value this crate does not know, kept as the service sent it.
                Unrecognized(String),
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;

                /// The member name as it appears on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #wires, )*
                        Self::Unrecognized(other) => other,
                    }
                }

                /// The member's numeric value in the metadata; `None` when unrecognized.
                pub fn value(&self) -> Option<i64> {
                    match self {
                        #( Self::#variants => Some(#values), )*
                        Self::Unrecognized(_) => None,
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(wire: &str) -> Self {
                    match wire {
                        #( #wires => Self::#variants, )*
                        other => Self::Unrecognized(other.to_owned()),
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let wire = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(&*wire))
                }
            }
        }
    }

    fn flags(&self, id: TypeId, e: &EnumDef) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(&t.rust_name);
        let qualified = self.model.qualified_name(id);
        let facts = vec![format!(
            "`{qualified}`: a flags enumeration, written on the wire as comma-separated member names. \
             Combine with `|`; names this crate does not know are kept."
        )];
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let consts = e.members.iter().map(|m| {
            let c = ident(&m.rust_name);
            let bits = Literal::u64_unsuffixed(m.value as u64);
            let fact = format!("`{}` (value {}).", m.name, m.value);
            let doc = rustdoc::attrs(&rustdoc::lines(&m.notes, &[fact]));
            let deprecated = rustdoc::deprecated(&m.notes);
            quote! { #doc #deprecated pub const #c: Self = Self::from_bits(#bits); }
        });
        let members = e.members.iter().map(|m| {
            let (wire, bits) = (&m.name, Literal::u64_unsuffixed(m.value as u64));
            quote! { (#wire, #bits) }
        });
        let flags = self.runtime("Flags");
        let runtime = quote! { super::super::runtime };
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #name {
                bits: u64,
                unrecognized: Vec<String>,
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;
                #(#consts)*

                /// The set with exactly these bits.
                pub const fn from_bits(bits: u64) -> Self {
                    Self { bits, unrecognized: Vec::new() }
                }

                /// The bits of the known members in the set.
                pub const fn bits(&self) -> u64 {
                    self.bits
                }

                /// Whether every member of `other` is in `self`.
                pub fn contains(&self, other: &Self) -> bool {
                    self.bits & other.bits == other.bits
                        && other.unrecognized.iter().all(|u| self.unrecognized.contains(u))
                }

                /// Member names the service sent that this crate does not know.
                pub fn unrecognized(&self) -> &[String] {
                    &self.unrecognized
                }
            }

            impl #flags for #name {
                const MEMBERS: &'static [(&'static str, u64)] = &[#(#members),*];
                fn from_parts(bits: u64, unrecognized: Vec<String>) -> Self {
                    Self { bits, unrecognized }
                }
                fn parts(&self) -> (u64, &[String]) {
                    (self.bits, &self.unrecognized)
                }
            }

            impl ::std::ops::BitOr for #name {
                type Output = Self;
                fn bitor(self, other: Self) -> Self {
                    #runtime::flags_union(self, other)
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(wire: &str) -> Self {
                    #runtime::flags_parse(wire)
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&#runtime::flags_format(self))
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(&#runtime::flags_format(self))
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let wire = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(#runtime::flags_parse(&wire))
                }
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
    if !p.nullable && !p.ty.collection {
        flags.push("Not nullable".to_owned());
    }
    if notes.computed {
        flags.push("Computed by the service (read-only)".to_owned());
    }
    if notes.immutable {
        flags.push("Immutable after creation".to_owned());
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
