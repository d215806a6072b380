//! Types with derived types → their `Any…` enum, dispatched on `@odata.type`, with accessors of the base type's properties.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::ident;
use super::TypeEmitter;
use crate::model::*;
use crate::plan::PolymorphicEnum;

impl TypeEmitter<'_> {
    /// Accessors on a polymorphic enum for the fields every variant has (the base type's),
    /// except where a field's name is a method the enum has already.
    pub(super) fn base_accessors(&self, id: TypeId, p: &PolymorphicEnum) -> TokenStream {
        const TAKEN: &[&str] = &[
            "type_name",
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
        let mut out = TokenStream::new();
        for (i, f) in self.plan.fields(id).iter().enumerate() {
            let tag_field = self.plan.ty(id).tag_field.as_deref().unwrap_or("odata_type");
            if TAKEN.contains(&f.rust_name.as_str()) || f.rust_name == tag_field {
                continue;
            }
            let prop = self.plan.property(f);
            let method = ident(&f.rust_name);
            let ty = self.value_type(prop.ty, false);
            // The same property may be boxed in one variant (a cycle through it) and not in
            // another; each arm reads it as a plain reference.
            let arm = |variant: TypeId| {
                // Inherited properties come first, in the base's order, in every derived type.
                let field = &self.plan.fields(variant)[i];
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
            let cfg = self.field_condition(id, prop.ty).map(|c| quote! { #[cfg(#c)] });
            let vcfgs = self.variant_cfgs(id, p);
            out.extend(quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self) -> Option<&#ty> {
                    match self {
                        #( #vcfgs Self::#variants(value) => #arms, )*
                        Self::Unrecognized(value) => #unrecognized,
                    }
                }
            });
        }
        out
    }

    /// The `#[cfg(...)]` of each variant under area features (the base's is always empty).
    fn variant_cfgs(&self, id: TypeId, p: &PolymorphicEnum) -> Vec<TokenStream> {
        let within = self.plan.features.as_ref().map(|f| f.need(id));
        p.variants.iter().map(|(v, _)| super::super::cfg_attr(self.plan, [*v], within)).collect()
    }

    /// The enum for a type with derived types: a variant per type, chosen by `@odata.type`.
    pub(super) fn polymorphic(&self, id: TypeId) -> Option<TokenStream> {
        let t = self.plan.ty(id);
        let p = t.polymorphic.as_ref()?;
        let runtime = quote! { runtime };
        let name = ident(&p.rust_name);
        let json = self.json_entry_points(&name);
        let expecting =
            format!("a JSON object holding a {} or a type derived from it", self.model.qualified_name(id));
        // The property naming the variant; empty when the values do not name it (a union
        // told apart by properties).
        let key = match self.model.protocol {
            Protocol::OData => "@odata.type".to_owned(),
            Protocol::Json => self
                .model
                .structured(id)
                .and_then(|s| s.discriminator.as_ref())
                .map_or_else(String::new, |d| d.key.clone()),
        };
        let doc = if key.is_empty() {
            format!(
                " A `{}` or a value of a type derived from it, told apart by their properties: \
                 the first variant that declares every property the value has, else the one \
                 that declares the most of them, else [`{}::Unrecognized`], with all its data.",
                self.model.qualified_name(id),
                p.rust_name
            )
        } else {
            format!(
                " A `{}` or a value of a type derived from it, as `{key}` names it; a value \
                 without `{key}` is the declared type itself, and one naming a type this crate \
                 does not know is [`{}::Unrecognized`], with all its data.",
                self.model.qualified_name(id),
                p.rust_name
            )
        };
        let variants: Vec<_> = p.variants.iter().map(|(_, v)| ident(v)).collect();
        let types: Vec<_> = p.variants.iter().map(|(v, _)| self.concrete(*v)).collect();
        let docs = p.variants.iter().map(|(v, _)| format!(" `{}`", self.model.qualified_name(*v)));
        let mut names: Vec<(String, u16)> = Vec::new();
        for (i, (v, _)) in p.variants.iter().enumerate() {
            for name in self.model.type_tag(*v).map(|tag| tag.names).unwrap_or_default() {
                names.push((name, i as u16));
            }
        }
        let key_const = (key != "@odata.type").then(|| quote! { const KEY: &'static str = #key; });
        // Without a key: each variant's properties (unless variants are compiled out by
        // features, when every value is read as the base).
        let shapes =
            (key.is_empty() && self.variant_cfgs(id, p).iter().all(TokenStream::is_empty)).then(|| {
                quote! {
                    const SHAPES: &'static [&'static [&'static str]] =
                        &[#(<#types as #runtime::Structure>::PROPERTIES),*];
                }
            });
        let tag_field = t.tag_field.as_deref().map(ident);
        let unrecognized_doc = match &tag_field {
            Some(field) => format!(
                " A type this crate does not know (its `{field}` names it), read as the declared \
                 type with every other property in `extra`."
            ),
            None => " A value that matches no variant, read as the declared type with every \
                     property in `extra`."
                .to_owned(),
        };
        let tag_doc = format!(" `{key}` as the service sent it, whatever the variant.");
        let tag_accessor = tag_field.as_ref().map(|field| {
            let vcfgs = self.variant_cfgs(id, p);
            quote! {
                #[doc = #tag_doc]
                pub fn #field(&self) -> Option<&str> {
                    match self {
                        #( #vcfgs Self::#variants(value) => value.#field.as_deref(), )*
                        Self::Unrecognized(value) => value.#field.as_deref(),
                    }
                }
            }
        });
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        let table = names.iter().map(|(n, i)| {
            let i = Literal::u16_unsuffixed(*i);
            quote! { (#n, #i) }
        });
        let indexes = (0..variants.len()).map(|i| Literal::u16_unsuffixed(i as u16));
        let name_type = p.variants.iter().enumerate().map(|(i, _)| i > 0);
        let froms = variants.iter().zip(&types).zip(self.variant_cfgs(id, p)).map(|((v, ty), cfg)| {
            quote! {
                #cfg
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#v(Box::new(value))
                    }
                }
            }
        });
        let vcfgs = self.variant_cfgs(id, p);
        let base_variant = &variants[0];
        let base_path = &types[0];
        let field_enum = ident(t.field_enum());
        let accessors = self.base_accessors(id, p);
        Some(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #( #[doc = #docs] #vcfgs #variants(Box<#types>), )*
                #[doc = #unrecognized_doc]
                Unrecognized(Box<#base_path>),
            }

            impl #name {
                /// The qualified name of the value's type in the metadata (the declared type's
                /// for [`Self::Unrecognized`]).
                pub fn type_name(&self) -> &'static str {
                    match self {
                        #( #vcfgs Self::#variants(_) => #types::TYPE_NAME, )*
                        Self::Unrecognized(_) => #base_path::TYPE_NAME,
                    }
                }

                #accessors

                #tag_accessor

                /// The value's `extra` map (instance annotations such as `@odata.etag`,
                /// undeclared properties, explicit nulls), whatever the variant.
                pub fn extra(&self) -> &::serde_json::Map<String, ::serde_json::Value> {
                    match self {
                        #( #vcfgs Self::#variants(value) => &value.extra, )*
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
                #key_const
                #shapes
                const TYPES: &'static [(&'static str, u16)] = &[#(#table),*];

                fn read_variant(
                    index: Option<u16>,
                    odata_type: Option<String>,
                    map: &mut dyn #runtime::MapSource,
                ) -> Result<Self, #runtime::ReadError> {
                    Ok(match index {
                        #( #vcfgs Some(#indexes) => Self::#variants(Box::new(#runtime::read_typed(odata_type, map)?)), )*
                        _ => Self::Unrecognized(Box::new(#runtime::read_typed(odata_type, map)?)),
                    })
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #( #vcfgs Self::#variants(value) => #runtime::write_structure(&**value, serializer, #name_type), )*
                        Self::Unrecognized(value) => #runtime::write_structure(&**value, serializer, false),
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #runtime::deserialize_wire(deserializer)
                }
            }

            impl #runtime::Wire for #name {
                const EXPECTING: &'static str = #expecting;
                /// Not an object: kept as sent.
                fn from_scalar(value: #runtime::Scalar<'_>) -> #runtime::Lenient<Self> {
                    #runtime::Lenient::Raw(value.into_value())
                }
                fn from_map(map: &mut dyn #runtime::MapSource) -> Result<#runtime::Lenient<Self>, #runtime::ReadError> {
                    #runtime::read_polymorphic(map)
                }
            }

            #json
        })
    }
}
