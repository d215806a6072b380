//! Unions (OpenAPI `oneOf`/`anyOf` without a discriminator, not only of objects) → enums
//! with one variant per member and `Other` for values none of them reads.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{ident, rustdoc};
use super::TypeEmitter;
use crate::model::*;

/// The JSON a member reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    String,
    Integer,
    Number,
    /// A number, or a string (a decimal written as one).
    Decimal,
    Boolean,
    Array,
    Object,
    /// Anything (any JSON value, a nested union): tried after every other member.
    Any,
}

impl TypeEmitter<'_> {
    fn shape(&self, ty: TypeRef) -> Shape {
        if ty.collection {
            return Shape::Array;
        }
        if ty.map {
            return Shape::Object;
        }
        let primitive = match ty.target {
            Target::Primitive(p) => p,
            Target::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Entity(_) | TypeKind::Complex(_) => return Shape::Object,
                TypeKind::Enum(_) => return Shape::String,
                TypeKind::Union(_) => return Shape::Any,
                TypeKind::Definition(d) => d.underlying,
            },
        };
        use Primitive::*;
        match primitive {
            Boolean => Shape::Boolean,
            Byte | SByte | Int16 | Int32 | Int64 => Shape::Integer,
            Single | Double => Shape::Number,
            Decimal => Shape::Decimal,
            Geography | Geometry => Shape::Object,
            Untyped => Shape::Any,
            String | Date | DateTime | DateTimeOffset | TimeOfDay | Duration | Guid | Binary | Stream => {
                Shape::String
            }
        }
    }

    /// Whether a member's values are boxed (structured types and unions, which may contain
    /// the union).
    fn boxed_member(&self, ty: TypeRef) -> bool {
        !ty.collection
            && !ty.map
            && matches!(ty.target, Target::Named(id) if matches!(
                self.model.ty(id).kind,
                TypeKind::Entity(_) | TypeKind::Complex(_) | TypeKind::Union(_)
            ))
    }

    pub(super) fn union(&self, id: TypeId, u: &UnionDef) -> TokenStream {
        let (t, planned) = (self.model.ty(id), self.plan.ty(id));
        let name = ident(&planned.rust_name);
        let json = self.json_entry_points(&name);
        let qualified = self.model.qualified_name(id);
        let listed: Vec<String> =
            planned.members.iter().map(|m| format!("[`{}::{m}`]", planned.rust_name)).collect();
        let facts = vec![
            format!("`{qualified}`: one of {}.", listed.join(", ")),
            "A value is read as the first member, in the order the document lists them, that reads its \
             JSON (a string, an integer, a number, a boolean, an array, an object); of several object \
             members, first the one that declares every property the value has (else the most of \
             them); a member of any JSON is tried last. A value no member reads is kept as `Other`."
                .to_owned(),
        ];
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let variants: Vec<_> = planned.members.iter().map(|m| ident(m)).collect();
        let mut types = Vec::new();
        let mut inner = Vec::new();
        for m in &u.members {
            let value = self.value_type(m.ty, false);
            inner.push(value.clone());
            types.push(if self.boxed_member(m.ty) {
                quote! { Box<#value> }
            } else {
                value
            });
        }
        let docs = u.members.iter().map(|m| format!(" `{}`.", m.name));
        // The tries, in order: by JSON shape, any-value members last; objects by shape first.
        let condition = |shape: Shape| match shape {
            Shape::String => quote! { value.is_string() },
            Shape::Integer => quote! { value.is_i64() || value.is_u64() },
            Shape::Number => quote! { value.is_number() },
            Shape::Decimal => quote! { value.is_number() || value.is_string() },
            Shape::Boolean => quote! { value.is_boolean() },
            Shape::Array => quote! { value.is_array() },
            Shape::Object => quote! { value.is_object() },
            Shape::Any => quote! { true },
        };
        let shapes: Vec<Shape> = u.members.iter().map(|m| self.shape(m.ty)).collect();
        // An enumeration keeps any text as `Unrecognized`: a member of one reads only its own
        // values while a string member follows it.
        let later_string = |i: usize| (i + 1..shapes.len()).any(|j| shapes[j] == Shape::String);
        let attempt = |i: usize| {
            let (variant, ty) = (&variants[i], &inner[i]);
            let wrap = if self.boxed_member(u.members[i].ty) {
                quote! { Box::new(v) }
            } else {
                quote! { v }
            };
            let m = &u.members[i];
            let closed_enum = !m.ty.collection
                && !m.ty.map
                && later_string(i)
                && matches!(m.ty.target, Target::Named(e)
                    if matches!(&self.model.ty(e).kind, TypeKind::Enum(d) if !d.is_flags));
            let known = if closed_enum {
                quote! { if !matches!(v, #ty::Unrecognized(_)) }
            } else {
                quote! {}
            };
            quote! {
                if let Ok(v) = ::serde_json::from_value::<#ty>(value.clone()) {
                    #known {
                        return Self::#variant(#wrap);
                    }
                }
            }
        };
        let objects: Vec<usize> = (0..shapes.len())
            .filter(|&i| {
                shapes[i] == Shape::Object
                    && matches!(u.members[i].ty.target, Target::Named(_))
                    && !u.members[i].ty.map
            })
            .collect();
        let by_shape = if objects.len() > 1 {
            let declared = objects.iter().map(|&i| {
                let Target::Named(member) = u.members[i].ty.target else { unreachable!("objects are named") };
                let names: Vec<&str> = self
                    .model
                    .ancestors(member)
                    .into_iter()
                    .filter_map(|a| self.model.structured(a))
                    .flat_map(|s| s.properties.iter().map(|p| p.name.as_str()))
                    .collect();
                quote! { &[#(#names),*] }
            });
            let arms = objects.iter().enumerate().map(|(k, &i)| {
                let k = proc_macro2::Literal::u16_unsuffixed(k as u16);
                let attempt = attempt(i);
                quote! { Some(#k) => { #attempt } }
            });
            quote! {
                if let ::serde_json::Value::Object(object) = &value {
                    match runtime::union_shape(&[#(#declared),*], object) {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        } else {
            quote! {}
        };
        let displays: Vec<TokenStream> = u
            .members
            .iter()
            .zip(&shapes)
            .map(|(m, shape)| {
                let scalar = !m.ty.collection
                    && !m.ty.map
                    && matches!(
                        shape,
                        Shape::String
                            | Shape::Integer
                            | Shape::Number
                            | Shape::Decimal
                            | Shape::Boolean
                            | Shape::Any
                    )
                    && !matches!(m.ty.target, Target::Primitive(Primitive::Untyped));
                if scalar {
                    quote! { ::std::fmt::Display::fmt(v, f) }
                } else {
                    quote! { f.write_str(&::serde_json::to_string(v).unwrap_or_default()) }
                }
            })
            .collect();
        let ordered = (0..shapes.len())
            .filter(|&i| shapes[i] != Shape::Any)
            .chain((0..shapes.len()).filter(|&i| shapes[i] == Shape::Any));
        let tries = ordered.map(|i| {
            let condition = condition(shapes[i]);
            let attempt = attempt(i);
            quote! { if #condition { #attempt } }
        });
        quote! {
            #doc
            #deprecated
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #( #[doc = #docs] #variants(#types), )*
                /// A value no member reads, kept as the service sent it.
                Other(::serde_json::Value),
            }

            impl #name {
                /// The qualified name of this type in the metadata.
                pub const TYPE_NAME: &'static str = #qualified;

                /// Reads `value` as the first member that reads it (see the type's documentation).
                pub fn from_value(value: ::serde_json::Value) -> Self {
                    #by_shape
                    #(#tries)*
                    Self::Other(value)
                }
            }

            /// A string, number or boolean member as its text (as a URL or header value), any
            /// other value as its JSON.
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #( Self::#variants(v) => #displays, )*
                        Self::Other(v) => match v {
                            ::serde_json::Value::String(s) => f.write_str(s),
                            other => ::std::fmt::Display::fmt(other, f),
                        },
                    }
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #( Self::#variants(v) => ::serde::Serialize::serialize(v, serializer), )*
                        Self::Other(v) => ::serde::Serialize::serialize(v, serializer),
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from_value(value))
                }
            }

            impl runtime::Wire for #name {
                fn from_map(map: &mut dyn runtime::MapSource) -> Result<runtime::Lenient<Self>, runtime::ReadError> {
                    Ok(runtime::Lenient::Typed(Self::from_value(runtime::read_object(map)?)))
                }
                fn from_seq(seq: &mut dyn runtime::SeqSource) -> Result<runtime::Lenient<Self>, runtime::ReadError> {
                    Ok(runtime::Lenient::Typed(Self::from_value(runtime::read_array(seq)?)))
                }
                fn from_scalar(value: runtime::Scalar<'_>) -> runtime::Lenient<Self> {
                    match value.into_value() {
                        ::serde_json::Value::Null => runtime::Lenient::Raw(::serde_json::Value::Null),
                        value => runtime::Lenient::Typed(Self::from_value(value)),
                    }
                }
            }

            #json
        }
    }
}
