//! Enumeration types → open enums, or flag sets for `IsFlags` enumerations.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{ident, rustdoc};
use super::TypeEmitter;
use crate::model::*;

impl TypeEmitter<'_> {
    pub(super) fn enumeration(&self, id: TypeId, e: &EnumDef) -> TokenStream {
        let (t, planned) = (self.model.ty(id), self.plan.ty(id));
        let name = ident(&planned.rust_name);
        let json = self.json_entry_points(&name);
        let qualified = self.model.qualified_name(id);
        let expecting = format!("a string naming a member of {qualified}");
        let facts = vec![format!(
            "`{qualified}`: an enumeration. Values this crate does not know (the service adds members over time) \
             are kept as [`{}::Unrecognized`].",
            planned.rust_name
        )];
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let variants: Vec<_> = planned.members.iter().map(|m| ident(m)).collect();
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
                const EXPECTING: &'static str = #expecting;
                fn from_str(wire: &str) -> Option<Self> {
                    Some(Self::from(wire))
                }
                fn from_scalar(value: runtime::Scalar<'_>) -> runtime::Lenient<Self> {
                    match value.into_text() {
                        Ok(wire) => runtime::Lenient::Typed(Self::from(&*wire)),
                        Err(raw) => runtime::Lenient::Raw(raw),
                    }
                }
            }

            #json
        }
    }

    pub(super) fn flags(&self, id: TypeId, e: &EnumDef) -> TokenStream {
        let (t, planned) = (self.model.ty(id), self.plan.ty(id));
        let name = ident(&planned.rust_name);
        let json = self.json_entry_points(&name);
        let qualified = self.model.qualified_name(id);
        let expecting = format!("a string of comma-separated members of {qualified}");
        let facts = vec![format!(
            "`{qualified}`: a flags enumeration, written on the wire as comma-separated member names. \
             Combine with `|`; names this crate does not know are kept."
        )];
        let doc = rustdoc::attrs(&rustdoc::lines(&t.notes, &facts));
        let deprecated = rustdoc::deprecated(&t.notes);
        let consts = e.members.iter().zip(&planned.members).map(|(m, rust_name)| {
            let c = ident(rust_name);
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
                const EXPECTING: &'static str = #expecting;
                fn from_str(wire: &str) -> Option<Self> {
                    Some(Self::from(wire))
                }
                fn from_scalar(value: #runtime::Scalar<'_>) -> #runtime::Lenient<Self> {
                    match value.into_text() {
                        Ok(wire) => #runtime::Lenient::Typed(Self::from(&*wire)),
                        Err(raw) => #runtime::Lenient::Raw(raw),
                    }
                }
            }

            #json
        }
    }
}
