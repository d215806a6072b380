//! Entity and complex types → structs, their `Structure` and serde impls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{ident, rustdoc};
use super::{property_facts, TypeEmitter};
use crate::model::*;

impl TypeEmitter<'_> {
    pub(super) fn structured(&self, id: TypeId, s: &Structured) -> TokenStream {
        let (t, planned) = (self.model.ty(id), self.plan.ty(id));
        let name = ident(&planned.rust_name);
        let json = self.json_entry_points(&name);
        let qualified = self.model.qualified_name(id);
        let expecting = format!("a JSON object holding a {qualified}");
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
            let base_name = &self.plan.ty(base).rust_name;
            facts.push(format!("Derives from `{}`; the inherited properties are included.", base_name));
        }
        if !s.derived.is_empty() {
            let names: Vec<String> =
                s.derived.iter().map(|d| format!("`{}`", self.plan.ty(*d).rust_name)).collect();
            facts.push(format!("Derived types: {}.", names.join(", ")));
        }
        if is_entity && !s.key.is_empty() {
            let key: Vec<String> = s.key.iter().map(|k| format!("`{}`", k.path)).collect();
            facts.push(format!("Key: {}.", key.join(", ")));
        }
        if s.has_stream {
            facts.push("A media entity: its content is a stream of its own.".to_owned());
        }
        if is_entity && t.notes.optimistic_concurrency {
            let etag = if self.model.v2 { "`__metadata.etag`" } else { "`@odata.etag`" };
            facts.push(format!(
                "Optimistic concurrency (Core.OptimisticConcurrency): the service changes or deletes it \
                 only given its ETag, the {etag} it was read with (kept in `extra`): send it with \
                 `.if_match_of(&value)` (or `.if_match(etag)`, or `.if_match_any()` to overwrite \
                 whatever is there) on `update`, `replace` and `delete`; a stale one fails with \
                 `Error::PreconditionFailed` (412)."
            ));
        }
        if let Some(p) = &planned.polymorphic {
            facts.push(format!(
                "Where a value of this type may be of a derived type, it is read as [`{}`].",
                p.rust_name
            ));
        }
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let polymorphic = self.polymorphic(id);
        // Under area features, a field whose type another area holds exists only with it.
        let conditions: Vec<Option<TokenStream>> =
            planned.fields.iter().map(|f| self.field_condition(id, self.plan.property(f).ty)).collect();
        let cfgs: Vec<TokenStream> = conditions
            .iter()
            .map(|c| c.as_ref().map(|p| quote! { #[cfg(#p)] }).unwrap_or_default())
            .collect();
        let form = self.multipart_form(id, &cfgs);
        let absent: Vec<TokenStream> = conditions
            .iter()
            .map(|c| c.as_ref().map(|p| quote! { #[cfg(not(#p))] }).unwrap_or_default())
            .collect();

        let fields = planned.fields.iter().zip(&cfgs).map(|(f, cfg)| {
            let p = self.plan.property(f);
            let field = ident(&f.rust_name);
            let ty = self.value_type(p.ty, f.boxed);
            let notes = self.plan.field_notes(f);
            let mut facts = property_facts(p, notes);
            if f.rust_name != p.name {
                facts.insert(0, format!("Wire name: `{}`.", p.name));
            }
            let doc = rustdoc::attrs(&rustdoc::lines(notes, &facts));
            let deprecated = rustdoc::deprecated(notes);
            quote! {
                #doc
                #deprecated
                #cfg
                pub #field: Option<#ty>,
            }
        });
        let extra_doc = if self.model.protocol == Protocol::Json {
            " Everything else the service sent: undeclared properties, explicit `null`s, and \
             values that do not have their declared type (their field is then `None`). Written \
             back as it is."
        } else if s.open {
            " Everything else the service sent: the dynamic properties of this open type, instance \
             annotations (`@odata.etag`, `prop@odata.type`, ...), explicit `null`s, and values that \
             do not have their declared type (their field is then `None`). Written back as it is."
        } else {
            " Everything else the service sent: undeclared properties, instance annotations \
             (`@odata.etag`, `prop@odata.type`, ...), explicit `null`s, and values that do not have \
             their declared type (their field is then `None`). Written back as it is."
        };
        let runtime = quote! { runtime };
        // The field naming the concrete type, and how the runtime finds it.
        let tag = self.model.type_tag(id);
        let (tag_field, tag_get, tag_set, tag_consts) = match (&planned.tag_field, &tag) {
            (Some(field), Some(tag)) => {
                let field = ident(field);
                let doc =
                    format!(" `{}`: the concrete type of this value, when the service names it.", tag.key);
                let key = &tag.key;
                let consts = match &tag.written {
                    Some(written) => quote! {
                        const TYPE_KEY: &'static str = #key;
                        const TYPE_TAG: Option<&'static str> = Some(#written);
                    },
                    None if key != "@odata.type" => quote! { const TYPE_KEY: &'static str = #key; },
                    None => quote! {},
                };
                (
                    quote! { #[doc = #doc] pub #field: Option<String>, },
                    quote! { self.#field.as_deref() },
                    quote! { Some(&mut self.#field) },
                    consts,
                )
            }
            _ => (quote! {}, quote! { None }, quote! { None }, quote! { const TYPE_KEY: &'static str = ""; }),
        };
        let indexes = (0..planned.fields.len()).map(|i| Literal::u16_unsuffixed(i as u16));
        let idents: Vec<_> = planned.fields.iter().map(|f| ident(&f.rust_name)).collect();
        let wires: Vec<&str> = planned.fields.iter().map(|f| self.plan.property(f).name.as_str()).collect();
        // OData V2 JSON writes 64-bit integers and decimals as strings.
        let text = |f: &crate::plan::Field| {
            let ty = self.plan.property(f).ty;
            self.model.v2
                && !ty.collection
                && matches!(ty.target, Target::Primitive(Primitive::Int64 | Primitive::Decimal))
        };
        let writers: Vec<_> = planned
            .fields
            .iter()
            .map(|f| ident(if text(f) { "write_field_text" } else { "write_field" }))
            .collect();
        // V2 servers send those, and often doubles and singles too, as strings.
        let readers: Vec<_> = planned
            .fields
            .iter()
            .map(|f| {
                let ty = self.plan.property(f).ty;
                let textual = self.model.v2
                    && !ty.collection
                    && matches!(
                        ty.target,
                        Target::Primitive(Primitive::Int64 | Primitive::Double | Primitive::Single)
                    );
                ident(if textual { "read_field_text" } else { "read_field" })
            })
            .collect();
        let mut sorted: Vec<usize> = (0..wires.len()).collect();
        sorted.sort_by_key(|&i| wires[i]);
        let sorted = sorted.into_iter().map(|i| Literal::u16_unsuffixed(i as u16));
        let field_enum = ident(planned.field_enum());
        let variants: Vec<_> = planned.fields.iter().map(|f| ident(&f.variant)).collect();
        // What stands for a field that is compiled out (its type's area is off): its value
        // is read into `extra` and written back from there.
        let gated: Vec<usize> = (0..conditions.len()).filter(|&i| conditions[i].is_some()).collect();
        let absent_variants = gated.iter().map(|&i| &variants[i]);
        let absent_cfgs: Vec<_> = gated.iter().map(|&i| &absent[i]).collect();
        let absent_indexes = gated.iter().map(|&i| Literal::u16_unsuffixed(i as u16));
        let absent_wires = gated.iter().map(|&i| wires[i]);
        // A type without properties gets bodies without the (then unused) locals.
        let (set_null, read_write) = if planned.fields.is_empty() {
            (
                quote! { match field {} },
                quote! {
                    fn read_property(&mut self, _: u16, _: &mut dyn #runtime::MapSource) -> Result<Option<::serde_json::Value>, #runtime::ReadError> {
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
                        #( #cfgs #field_enum::#variants => self.#idents = None, )*
                        #( #absent_cfgs #field_enum::#absent_variants => {} )*
                    }
                    self.extra.insert(runtime::FieldName::name(field).to_owned(), ::serde_json::Value::Null);
                    self
                },
                quote! {
                    fn read_property(&mut self, index: u16, map: &mut dyn #runtime::MapSource) -> Result<Option<::serde_json::Value>, #runtime::ReadError> {
                        match index {
                            #( #cfgs #indexes => #runtime::#readers(map, &mut self.#idents), )*
                            #( #absent_cfgs #absent_indexes => Ok(Some(#runtime::read_raw(map)?)), )*
                            _ => Ok(None),
                        }
                    }

                    fn write_properties<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                        let extra = &self.extra;
                        #( #cfgs #runtime::#writers(map, #wires, &self.#idents, extra)?; )*
                        #( #absent_cfgs #runtime::write_field(map, #absent_wires, &None::<::serde_json::Value>, extra)?; )*
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
                #tag_field
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

                #tag_consts

                fn parts(&self) -> (Option<&str>, &::serde_json::Map<String, ::serde_json::Value>) {
                    (#tag_get, &self.extra)
                }

                fn parts_mut(&mut self) -> (Option<&mut Option<String>>, &mut ::serde_json::Map<String, ::serde_json::Value>) {
                    (#tag_set, &mut self.extra)
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
                    #runtime::read_structure_wire(map)
                }
            }

            #json

            #polymorphic

            #form
        }
    }

    /// The `multipart/form-data` form of structured type `id`, when a body sends one: a
    /// struct with the type's fields, raw-bytes fields as file parts, each sent as a part.
    fn multipart_form(&self, id: TypeId, cfgs: &[TokenStream]) -> TokenStream {
        let planned = self.plan.ty(id);
        let Some(form) = &planned.form else { return quote! {} };
        let (name, form) = (&planned.rust_name, ident(form));
        let doc = format!(
            " [`{name}`] as a `multipart/form-data` body: each field that is set is sent as a part \
             named by its wire name (text as `text/plain`, objects as JSON, each item of a list as a \
             part of its own), a file field as a file part of its bytes."
        );
        let mut fields = Vec::new();
        let mut writes = Vec::new();
        for (f, cfg) in planned.fields.iter().zip(cfgs) {
            let p = self.plan.property(f);
            let field = ident(&f.rust_name);
            let wire = &p.name;
            let notes = self.plan.field_notes(f);
            let mut facts = Vec::new();
            if f.rust_name != p.name {
                facts.push(format!("Part name: `{}`.", p.name));
            }
            if !p.nullable {
                facts.push("Required.".to_owned());
            }
            let (ty, write) = if notes.octets && p.ty.collection {
                facts.push("Files: one file part each.".to_owned());
                (quote! { Vec<runtime::FilePart> }, quote! { for file in v { form.file(#wire, file); } })
            } else if notes.octets {
                facts.push("A file part.".to_owned());
                (quote! { runtime::FilePart }, quote! { form.file(#wire, v); })
            } else {
                (self.value_type(p.ty, false), quote! { form.value(#wire, v)?; })
            };
            let doc = rustdoc::attrs(&rustdoc::lines(notes, &facts));
            fields.push(quote! { #doc #cfg pub #field: Option<#ty>, });
            writes.push(quote! { #cfg if let Some(v) = &self.#field { #write } });
        }
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #form {
                #(#fields)*
                /// More parts, by name (an open type's other properties).
                pub extra: ::serde_json::Map<String, ::serde_json::Value>,
            }

            impl runtime::MultipartForm for #form {
                fn write_parts(&self, form: &mut runtime::Multipart) -> Result<(), ::serde_json::Error> {
                    #(#writes)*
                    for (name, v) in &self.extra {
                        form.value(name, v)?;
                    }
                    Ok(())
                }
            }
        }
    }
}
