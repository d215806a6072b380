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
    /// The Rust type of a value declared as `id`: its polymorphic enum when it has derived
    /// types, else the type itself.
    fn named(&self, id: TypeId) -> TokenStream {
        self.path_in(id, self.model.ty(id).value_name())
    }

    /// The Rust type generated for `id` itself.
    fn concrete(&self, id: TypeId) -> TokenStream {
        self.path_in(id, &self.model.ty(id).rust_name)
    }

    /// An item of `id`'s namespace module.
    fn path_in(&self, id: TypeId, name: &str) -> TokenStream {
        let t = self.model.ty(id);
        let name = ident(name);
        if t.namespace == self.namespace {
            quote! { super::#name }
        } else {
            let module = ident(&self.model.namespaces[t.namespace.0].module);
            quote! { super::super::#module::#name }
        }
    }

    /// A primitive in a module that imports `runtime` (every type module but aliases).
    fn primitive(&self, p: Primitive) -> TokenStream {
        super::primitive(p, &quote! { runtime })
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
                let ty = super::primitive(d.underlying, &quote! { super::super::runtime });
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
        if let Some(p) = &t.polymorphic {
            facts.push(format!(
                "Where a value of this type may be of a derived type, it is read as [`{}`].",
                p.rust_name
            ));
        }
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let polymorphic = self.polymorphic(id);

        let fields = s.fields.iter().map(|f| {
            let p = self.model.field_property(f);
            let field = ident(&f.rust_name);
            let ty = self.value_type(p.ty, f.boxed);
            let notes = self.model.field_notes(f);
            let mut facts = property_facts(p, notes);
            if f.rust_name != p.name {
                facts.insert(0, format!("Wire name: `{}`.", p.name));
            }
            let doc = rustdoc::attrs(&rustdoc::lines(notes, &facts));
            let deprecated = rustdoc::deprecated(notes);
            quote! {
                #doc
                #deprecated
                pub #field: Option<#ty>,
            }
        });
        let extra_doc = if s.open {
            " Everything else the service sent: the dynamic properties of this open type, instance \
             annotations (`@odata.etag`, `prop@odata.type`, ...), explicit `null`s, and values that \
             do not have their declared type (their field is then `None`). Written back as it is."
        } else {
            " Everything else the service sent: undeclared properties, instance annotations \
             (`@odata.etag`, `prop@odata.type`, ...), explicit `null`s, and values that do not have \
             their declared type (their field is then `None`). Written back as it is."
        };
        let runtime = quote! { runtime };
        let indexes = (0..s.fields.len()).map(|i| Literal::u16_unsuffixed(i as u16));
        let idents: Vec<_> = s.fields.iter().map(|f| ident(&f.rust_name)).collect();
        let wires: Vec<&str> = s.fields.iter().map(|f| self.model.field_property(f).name.as_str()).collect();
        let mut sorted: Vec<usize> = (0..wires.len()).collect();
        sorted.sort_by_key(|&i| wires[i]);
        let sorted = sorted.into_iter().map(|i| Literal::u16_unsuffixed(i as u16));
        let field_enum = ident(&t.field_enum);
        let variants = s.fields.iter().map(|f| ident(&f.variant));
        // A type without properties gets bodies without the (then unused) locals.
        let (set_null, read_write) = if s.fields.is_empty() {
            (
                quote! { match field {} },
                quote! {
                    fn read_property<'de, A: ::serde::de::MapAccess<'de>>(&mut self, _: u16, _: &mut A) -> Result<Option<::serde_json::Value>, A::Error> {
                        Ok(None)
                    }

                    fn write_properties<M: ::serde::ser::SerializeMap>(&self, _: &mut M) -> Result<(), M::Error> {
                        Ok(())
                    }
                },
            )
        } else {
            (
                quote! {
                    match field {
                        #( #field_enum::#variants => self.#idents = None, )*
                    }
                    self.extra.insert(runtime::FieldName::name(field).to_owned(), ::serde_json::Value::Null);
                    self
                },
                quote! {
                    fn read_property<'de, A: ::serde::de::MapAccess<'de>>(&mut self, index: u16, map: &mut A) -> Result<Option<::serde_json::Value>, A::Error> {
                        match index {
                            #( #indexes => #runtime::read_field(map, &mut self.#idents), )*
                            _ => Ok(None),
                        }
                    }

                    fn write_properties<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                        let extra = &self.extra;
                        #( #runtime::write_field(map, #wires, &self.#idents, extra)?; )*
                        Ok(())
                    }
                },
            )
        };
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #name {
                /// `@odata.type`: the concrete type of this value, when the service names it.
                pub odata_type: Option<String>,
                #(#fields)*
                #[doc = #extra_doc]
                pub extra: ::serde_json::Map<String, ::serde_json::Value>,
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;

                /// Sends `field` as an explicit `null` (which clears it on the service), where
                /// `None` leaves it out.
                pub fn set_null(&mut self, field: #field_enum) -> &mut Self {
                    #set_null
                }
            }

            impl #runtime::Structure for #name {
                const TYPE_NAME: &'static str = #qualified;
                const PROPERTIES: &'static [&'static str] = &[#(#wires),*];
                const SORTED: &'static [u16] = &[#(#sorted),*];

                fn parts(&self) -> (Option<&str>, &::serde_json::Map<String, ::serde_json::Value>) {
                    (self.odata_type.as_deref(), &self.extra)
                }

                fn parts_mut(&mut self) -> (&mut Option<String>, &mut ::serde_json::Map<String, ::serde_json::Value>) {
                    (&mut self.odata_type, &mut self.extra)
                }

                #read_write
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    #runtime::write_structure(self, serializer, false)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #runtime::deserialize_structure(deserializer)
                }
            }

            impl #runtime::Wire for #name {
                fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> Result<#runtime::Lenient<Self>, A::Error> {
                    #runtime::read_structure_wire(map)
                }
            }

            #polymorphic
        }
    }

    /// Accessors on a polymorphic enum for the fields every variant has (the base type's),
    /// except where a field's name is a method the enum has already.
    fn base_accessors(&self, id: TypeId, p: &PolymorphicEnum) -> TokenStream {
        const TAKEN: &[&str] = &[
            "type_name",
            "odata_type",
            "extra",
            "clone",
            "clone_from",
            "eq",
            "ne",
            "fmt",
            "from",
            "into",
            "default",
            "serialize",
            "deserialize",
            "to_owned",
        ];
        let base = self.model.structured(id).expect("a polymorphic type is structured");
        let mut out = TokenStream::new();
        for (i, f) in base.fields.iter().enumerate() {
            if TAKEN.contains(&f.rust_name.as_str()) {
                continue;
            }
            let prop = self.model.field_property(f);
            let method = ident(&f.rust_name);
            let ty = self.value_type(prop.ty, false);
            // The same property may be boxed in one variant (a cycle through it) and not in
            // another; each arm reads it as a plain reference.
            let arm = |variant: TypeId| {
                // Inherited properties come first, in the base's order, in every derived type.
                let field = &self.model.structured(variant).expect("structured").fields[i];
                let name = ident(&field.rust_name);
                if field.boxed {
                    quote! { value.#name.as_deref() }
                } else {
                    quote! { value.#name.as_ref() }
                }
            };
            let variants = p.variants.iter().map(|(_, v)| ident(v));
            let arms: Vec<_> = p.variants.iter().map(|(v, _)| arm(*v)).collect();
            let unrecognized = arm(id);
            let doc = format!(" `{}`, whatever the variant.", prop.name);
            out.extend(quote! {
                #[doc = #doc]
                pub fn #method(&self) -> Option<&#ty> {
                    match self {
                        #( Self::#variants(value) => #arms, )*
                        Self::Unrecognized(value) => #unrecognized,
                    }
                }
            });
        }
        out
    }

    /// The enum for a type with derived types: a variant per type, chosen by `@odata.type`.
    fn polymorphic(&self, id: TypeId) -> Option<TokenStream> {
        let t = self.model.ty(id);
        let p = t.polymorphic.as_ref()?;
        let runtime = quote! { runtime };
        let name = ident(&p.rust_name);
        let doc = format!(
            " A `{}` or a value of a type derived from it, as `@odata.type` names it; a value \
             without `@odata.type` is the declared type itself, and one naming a type this crate \
             does not know is [`{}::Unrecognized`], with all its data.",
            self.model.qualified_name(id),
            p.rust_name
        );
        let variants: Vec<_> = p.variants.iter().map(|(_, v)| ident(v)).collect();
        let types: Vec<_> = p.variants.iter().map(|(v, _)| self.concrete(*v)).collect();
        let docs = p.variants.iter().map(|(v, _)| format!(" `{}`", self.model.qualified_name(*v)));
        let mut names: Vec<(String, u16)> = Vec::new();
        for (i, (v, _)) in p.variants.iter().enumerate() {
            let ty = self.model.ty(*v);
            let ns = &self.model.namespaces[ty.namespace.0];
            for prefix in std::iter::once(&ns.name).chain(&ns.aliases) {
                names.push((format!("{prefix}.{}", ty.name), i as u16));
            }
        }
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        let table = names.iter().map(|(n, i)| {
            let i = Literal::u16_unsuffixed(*i);
            quote! { (#n, #i) }
        });
        let indexes = (0..variants.len()).map(|i| Literal::u16_unsuffixed(i as u16));
        let name_type = p.variants.iter().enumerate().map(|(i, _)| i > 0);
        let froms = variants.iter().zip(&types).map(|(v, ty)| {
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#v(Box::new(value))
                    }
                }
            }
        });
        let base_variant = &variants[0];
        let base_path = &types[0];
        let field_enum = ident(&t.field_enum);
        let accessors = self.base_accessors(id, p);
        Some(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #( #[doc = #docs] #variants(Box<#types>), )*
                /// A type this crate does not know (its `odata_type` names it), read as the
                /// declared type with every other property in `extra`.
                Unrecognized(Box<#base_path>),
            }

            impl #name {
                /// The qualified name of the value's type in the metadata (the declared type's
                /// for [`Self::Unrecognized`]).
                pub fn type_name(&self) -> &'static str {
                    match self {
                        #( Self::#variants(_) => #types::TYPE_NAME, )*
                        Self::Unrecognized(_) => #base_path::TYPE_NAME,
                    }
                }

                #accessors

                /// `@odata.type` as the service sent it, whatever the variant.
                pub fn odata_type(&self) -> Option<&str> {
                    match self {
                        #( Self::#variants(value) => value.odata_type.as_deref(), )*
                        Self::Unrecognized(value) => value.odata_type.as_deref(),
                    }
                }

                /// The value's `extra` map (instance annotations such as `@odata.etag`,
                /// undeclared properties, explicit nulls), whatever the variant.
                pub fn extra(&self) -> &::serde_json::Map<String, ::serde_json::Value> {
                    match self {
                        #( Self::#variants(value) => &value.extra, )*
                        Self::Unrecognized(value) => &value.extra,
                    }
                }
            }

            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::#base_variant(Box::default())
                }
            }

            #(#froms)*

            impl runtime::Selectable for #name {
                type Field = #field_enum;
            }

            impl #runtime::Polymorphic for #name {
                const TYPES: &'static [(&'static str, u16)] = &[#(#table),*];

                fn read_variant<'de, A: ::serde::de::MapAccess<'de>>(
                    index: Option<u16>,
                    odata_type: Option<String>,
                    map: A,
                ) -> Result<Self, A::Error> {
                    Ok(match index {
                        #( Some(#indexes) => Self::#variants(Box::new(#runtime::read_typed(odata_type, map)?)), )*
                        _ => Self::Unrecognized(Box::new(#runtime::read_typed(odata_type, map)?)),
                    })
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #( Self::#variants(value) => #runtime::write_structure(&**value, serializer, #name_type), )*
                        Self::Unrecognized(value) => #runtime::write_structure(&**value, serializer, false),
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #runtime::deserialize_polymorphic(deserializer)
                }
            }

            impl #runtime::Wire for #name {
                fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> Result<#runtime::Lenient<Self>, A::Error> {
                    #runtime::read_polymorphic(map)
                }
            }
        })
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

            impl runtime::Wire for #name {
                fn from_str(wire: &str) -> Option<Self> {
                    Some(Self::from(wire))
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
        let flags = quote! { runtime::Flags };
        let runtime = quote! { runtime };
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, Default)]
            pub struct #name {
                bits: u64,
                unrecognized: Vec<String>,
                /// The text this set was read from, written back as it was.
                wire: Option<String>,
            }

            impl ::std::cmp::PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    self.bits == other.bits && self.unrecognized == other.unrecognized
                }
            }

            impl ::std::cmp::Eq for #name {}

            impl ::std::hash::Hash for #name {
                fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                    self.bits.hash(state);
                    self.unrecognized.hash(state);
                }
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;
                #(#consts)*

                /// The set with exactly these bits.
                pub const fn from_bits(bits: u64) -> Self {
                    Self { bits, unrecognized: Vec::new(), wire: None }
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
                    Self { bits, unrecognized, wire: None }
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
                    Self { wire: Some(wire.to_owned()), ..#runtime::flags_parse(wire) }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match &self.wire {
                        Some(wire) => f.write_str(wire),
                        None => f.write_str(&#runtime::flags_format(self)),
                    }
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.collect_str(self)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let wire = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(&*wire))
                }
            }

            impl #runtime::Wire for #name {
                fn from_str(wire: &str) -> Option<Self> {
                    Some(Self::from(wire))
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
