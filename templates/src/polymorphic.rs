//! The enums of types with derived types, dispatched on `@odata.type`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::*;

/// The enum generated for a type with derived types: one variant per type (the base
/// first), chosen by `@odata.type`.
pub trait Polymorphic: Sized {
    /// Type names (qualified, and alias-qualified where the schema has an alias, without
    /// `#`) and the variant index each names, sorted by name. Index 0 is the base type.
    const TYPES: &'static [(&'static str, u16)];
    /// Reads the rest of an object as variant `index`; `None` when `@odata.type` names a
    /// type this crate does not know.
    fn read_variant<'de, A: MapAccess<'de>>(
        index: Option<u16>,
        odata_type: Option<String>,
        map: A,
    ) -> Result<Self, A::Error>;
}

/// The variant an `@odata.type` names: exactly, else ignoring ASCII case.
fn variant_of(types: &[(&'static str, u16)], odata_type: &str) -> Option<u16> {
    let name = odata_type.strip_prefix('#').unwrap_or(odata_type);
    lookup(types, name).or_else(|| types.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, i)| *i))
}

enum FirstKey {
    Type,
    Other(String),
}

struct FirstKeySeed;

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKeySeed {
    type Value = FirstKey;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E>(self, v: &str) -> Result<FirstKey, E> {
        Ok(if v == "@odata.type" { FirstKey::Type } else { FirstKey::Other(v.to_owned()) })
    }
}

/// Reads an object as the variant its `@odata.type` names. When `@odata.type` comes first
/// (as services write it) the object streams straight into that type; otherwise it is
/// buffered once.
pub fn read_polymorphic<'de, P: Polymorphic, A: MapAccess<'de>>(mut map: A) -> Result<Lenient<P>, A::Error> {
    let first = match map.next_key_seed(FirstKeySeed)? {
        None => return P::read_variant(Some(0), None, map).map(Lenient::Typed),
        Some(FirstKey::Type) => match map.next_value::<Value>()? {
            Value::String(name) => {
                return P::read_variant(variant_of(P::TYPES, &name), Some(name), map).map(Lenient::Typed)
            }
            other => ("@odata.type".to_owned(), other),
        },
        Some(FirstKey::Other(name)) => {
            let value = map.next_value::<Value>()?;
            (name, value)
        }
    };
    if first.0 == NUMBER_TOKEN {
        if let Some(number) = number_token(&first.1) {
            return Ok(Lenient::Raw(number));
        }
    }
    let mut object = Map::new();
    object.insert(first.0, first.1);
    while let Some((name, value)) = map.next_entry::<String, Value>()? {
        object.insert(name, value);
    }
    let index = match object.get("@odata.type") {
        Some(Value::String(name)) => variant_of(P::TYPES, name),
        _ => Some(0),
    };
    // Read again from JSON text rather than from the `Value`: the variants are then read by
    // the same code as an object whose `@odata.type` comes first (when the document is read
    // from bytes), instead of a second copy of every type's reader compiled for `Value`.
    let bytes = serde_json::to_vec(&Value::Object(object)).map_err(de::Error::custom)?;
    let mut reread = serde_json::Deserializer::from_slice(&bytes);
    serde::Deserializer::deserialize_map(&mut reread, VariantVisitor::<P> { index, _p: PhantomData })
        .map(Lenient::Typed)
        .map_err(de::Error::custom)
}

/// Reads an object as variant `index` of `P`.
struct VariantVisitor<P> {
    index: Option<u16>,
    _p: PhantomData<P>,
}

impl<'de, P: Polymorphic> Visitor<'de> for VariantVisitor<P> {
    type Value = P;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<P, A::Error> {
        P::read_variant(self.index, None, map)
    }
}

/// `Deserialize` for a generated polymorphic enum.
pub fn deserialize_polymorphic<'de, P: Polymorphic, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<P, D::Error> {
    struct PolymorphicVisitor<P>(PhantomData<P>);
    impl<'de, P: Polymorphic> Visitor<'de> for PolymorphicVisitor<P> {
        type Value = P;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<P, A::Error> {
            match read_polymorphic(map)? {
                Lenient::Typed(value) => Ok(value),
                Lenient::Raw(other) => {
                    Err(de::Error::custom(format_args!("expected an object, found {other}")))
                }
            }
        }
    }
    deserializer.deserialize_map(PolymorphicVisitor(PhantomData))
}
