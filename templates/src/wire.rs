//! Reading and writing the generated entity and complex types, losslessly.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

// Reading and writing the generated models.
//
// The generated entity and complex types implement `Structure`, and serde's traits through
// `read_structure` and `write_structure`; types with derived types get a polymorphic enum
// (`Polymorphic`). Reading never fails a document over a value of the wrong shape: every
// declared property is read through `Wire`, and what does not fit its declared type is kept,
// as sent, in the value's `extra` map under the property's name, with the field left `None`.
// Explicit nulls are kept there too (as `null`), so absent and null stay apart. Undeclared
// properties and instance annotations (`@odata.etag`, `prop@odata.type`, ...) land in
// `extra` as well. Writing sends the fields that are set, then whatever `extra` holds for
// the fields that are not, so a read-modify-write sends back everything that was read.

/// A value read from the wire: of its declared type, or the JSON exactly as sent when it
/// does not have that type's shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Lenient<T> {
    /// The value, typed.
    Typed(T),
    /// The JSON as sent.
    Raw(Value),
}

impl<T> Lenient<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Lenient<U> {
        match self {
            Lenient::Typed(t) => Lenient::Typed(f(t)),
            Lenient::Raw(raw) => Lenient::Raw(raw),
        }
    }
}

/// How a model value is read without failing the document: each hook accepts one JSON
/// shape (the defaults accept none), and a value no hook accepts is kept raw.
pub trait Wire: Sized {
    /// From a JSON string.
    fn from_str(text: &str) -> Option<Self> {
        let _ = text;
        None
    }
    /// From an owned JSON string (avoids a copy when the hook keeps it).
    fn from_string(text: String) -> Result<Self, String> {
        Self::from_str(&text).ok_or(text)
    }
    /// From `true` or `false`.
    fn from_bool(v: bool) -> Option<Self> {
        let _ = v;
        None
    }
    /// From a negative integer (or any integer serde_json reads as `i64`).
    fn from_i64(v: i64) -> Option<Self> {
        let _ = v;
        None
    }
    /// From a non-negative integer.
    fn from_u64(v: u64) -> Option<Self> {
        let _ = v;
        None
    }
    /// From a number with a fraction or exponent.
    fn from_f64(v: f64) -> Option<Self> {
        let _ = v;
        None
    }
    /// From a number serde_json kept as text (its `arbitrary_precision` feature).
    fn from_number(n: &serde_json::Number) -> Option<Self> {
        if let Some(i) = n.as_i64() {
            Self::from_i64(i)
        } else if let Some(u) = n.as_u64() {
            Self::from_u64(u)
        } else {
            n.as_f64().and_then(Self::from_f64)
        }
    }
    /// From a JSON object.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        let raw = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(match raw {
            Value::Number(n) => Self::from_number(&n).map_or(Lenient::Raw(Value::Number(n)), Lenient::Typed),
            other => Lenient::Raw(other),
        })
    }
    /// From a JSON array.
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Lenient<Self>, A::Error> {
        Ok(Lenient::Raw(Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?))
    }
    /// Reads one value (any JSON, `null` included, which is kept raw).
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Lenient<Self>, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Lenient<T>, E> {
        Ok(T::from_bool(v).map_or(Lenient::Raw(Value::Bool(v)), Lenient::Typed))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Lenient<T>, E> {
        Ok(T::from_i64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Lenient<T>, E> {
        Ok(T::from_u64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Lenient<T>, E> {
        Ok(T::from_f64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Lenient<T>, E> {
        Ok(wide_integer(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Lenient<T>, E> {
        Ok(wide_integer(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Lenient<T>, E> {
        Ok(T::from_str(v).map_or_else(|| Lenient::Raw(Value::String(v.to_owned())), Lenient::Typed))
    }
    fn visit_string<E>(self, v: String) -> Result<Lenient<T>, E> {
        Ok(T::from_string(v).map_or_else(|v| Lenient::Raw(Value::String(v)), Lenient::Typed))
    }
    fn visit_unit<E>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient::Raw(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient::Raw(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Lenient<T>, D::Error> {
        T::read(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Lenient<T>, A::Error> {
        T::from_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<T>, A::Error> {
        T::from_map(map)
    }
}

/// An integer beyond 64 bits (serde_json hands those over with `arbitrary_precision`).
fn wide_integer<T: Wire>(digits: String) -> Lenient<T> {
    match digits.parse::<serde_json::Number>() {
        Ok(n) => T::from_number(&n).map_or(Lenient::Raw(Value::Number(n)), Lenient::Typed),
        Err(_) => Lenient::Raw(Value::String(digits)),
    }
}

/// Reads a [`Wire`] value as a seed (map values, array items).
struct WireSeed<T>(PhantomData<T>);

impl<'de, T: Wire> DeserializeSeed<'de> for WireSeed<T> {
    type Value = Lenient<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Lenient<T>, D::Error> {
        T::read(deserializer)
    }
}

impl Wire for String {
    fn from_str(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn from_string(text: String) -> Result<Self, String> {
        Ok(text)
    }
}

impl Wire for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

macro_rules! wire_integer {
    ($($t:ty)*) => {$(
        impl Wire for $t {
            fn from_i64(v: i64) -> Option<Self> {
                <$t>::try_from(v).ok()
            }
            fn from_u64(v: u64) -> Option<Self> {
                <$t>::try_from(v).ok()
            }
        }
    )*};
}

wire_integer!(u8 i8 i16 i32 i64);

/// Integers up to 2^53 are exact in an `f64`; larger ones are kept raw.
const EXACT_IN_F64: u64 = 1 << 53;

impl Wire for f64 {
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<Self> {
        (v.unsigned_abs() <= EXACT_IN_F64).then_some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        (v <= EXACT_IN_F64).then_some(v as f64)
    }
}

impl Wire for f32 {
    /// Only numbers an `f32` writes back unchanged.
    fn from_f64(v: f64) -> Option<Self> {
        let narrow = v as f32;
        (narrow.is_finite() && narrow.to_string().parse::<f64>() == Ok(v)).then_some(narrow)
    }
    fn from_i64(v: i64) -> Option<Self> {
        (v.unsigned_abs() <= 1 << 24).then_some(v as f32)
    }
    fn from_u64(v: u64) -> Option<Self> {
        (v <= 1 << 24).then_some(v as f32)
    }
}

impl Wire for Value {
    fn from_str(text: &str) -> Option<Self> {
        Some(Value::String(text.to_owned()))
    }
    fn from_string(text: String) -> Result<Self, String> {
        Ok(Value::String(text))
    }
    fn from_bool(v: bool) -> Option<Self> {
        Some(Value::Bool(v))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(Value::from(v))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Value::from(v))
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(Value::from(v))
    }
    fn from_number(n: &serde_json::Number) -> Option<Self> {
        Some(Value::Number(n.clone()))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        Ok(Lenient::Typed(Value::deserialize(de::value::MapAccessDeserializer::new(map))?))
    }
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Lenient<Self>, A::Error> {
        Ok(Lenient::Typed(Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?))
    }
}

impl<T: Wire> Wire for Box<T> {
    fn from_str(text: &str) -> Option<Self> {
        T::from_str(text).map(Box::new)
    }
    fn from_string(text: String) -> Result<Self, String> {
        T::from_string(text).map(Box::new)
    }
    fn from_bool(v: bool) -> Option<Self> {
        T::from_bool(v).map(Box::new)
    }
    fn from_i64(v: i64) -> Option<Self> {
        T::from_i64(v).map(Box::new)
    }
    fn from_u64(v: u64) -> Option<Self> {
        T::from_u64(v).map(Box::new)
    }
    fn from_f64(v: f64) -> Option<Self> {
        T::from_f64(v).map(Box::new)
    }
    fn from_number(n: &serde_json::Number) -> Option<Self> {
        T::from_number(n).map(Box::new)
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        Ok(T::from_map(map)?.map(Box::new))
    }
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Lenient<Self>, A::Error> {
        Ok(T::from_seq(seq)?.map(Box::new))
    }
}

/// A collection is typed when every item is; one item of the wrong shape keeps the whole
/// collection as sent (the items read so far written back as the JSON they round-trip to).
impl<T: Wire + Serialize> Wire for Vec<T> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Lenient<Self>, A::Error> {
        let mut typed = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(WireSeed::<T>(PhantomData))? {
            match item {
                Lenient::Typed(t) => typed.push(t),
                Lenient::Raw(raw) => {
                    // Through text, which writes every number exactly (`to_value` widens
                    // an `f32`).
                    let mut items = typed
                        .iter()
                        .map(|t| serde_json::to_string(t).and_then(|text| serde_json::from_str(&text)))
                        .collect::<Result<Vec<Value>, _>>()
                        .map_err(de::Error::custom)?;
                    items.push(raw);
                    while let Some(rest) = seq.next_element::<Value>()? {
                        items.push(rest);
                    }
                    return Ok(Lenient::Raw(Value::Array(items)));
                }
            }
        }
        Ok(Lenient::Typed(typed))
    }
}

/// A generated entity or complex type, as the readers and writers below see it.
pub trait Structure: Default {
    /// The qualified name of the type in the metadata.
    const TYPE_NAME: &'static str;
    /// The wire names of the declared properties, in declaration order (a property's index
    /// is its position here).
    const PROPERTIES: &'static [&'static str];
    /// The indexes of [`Self::PROPERTIES`] sorted by name.
    const SORTED: &'static [u16];
    /// `@odata.type` and the `extra` map.
    fn parts(&self) -> (Option<&str>, &Map<String, Value>);
    /// `@odata.type` and the `extra` map, mutably.
    fn parts_mut(&mut self) -> (&mut Option<String>, &mut Map<String, Value>);
    /// Reads the value of declared property `index` (the map's next value) into its field;
    /// returns it as sent when it is `null` or of another shape (see [`read_field`]).
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        index: u16,
        map: &mut A,
    ) -> Result<Option<Value>, A::Error>;
    /// Writes the declared properties that are set, or what `extra` holds for them.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// The position in `sorted` of the property called `name`.
fn position(names: &[&str], sorted: &[u16], name: &str) -> Option<usize> {
    sorted.binary_search_by(|&i| names[usize::from(i)].cmp(name)).ok()
}

pub(super) fn lookup(table: &[(&'static str, u16)], name: &str) -> Option<u16> {
    table.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| table[i].1)
}

/// Reads a declared property into its field; returns the value as sent, for `extra`, when
/// it is `null` or of another shape (the field is then `None`).
pub fn read_field<'de, A: MapAccess<'de>, T: Wire>(
    map: &mut A,
    field: &mut Option<T>,
) -> Result<Option<Value>, A::Error> {
    Ok(match map.next_value_seed(WireSeed::<T>(PhantomData))? {
        Lenient::Typed(v) => {
            *field = Some(v);
            None
        }
        Lenient::Raw(raw) => {
            *field = None;
            Some(raw)
        }
    })
}

/// Writes a declared property: its value when set, else what `extra` holds for it.
pub fn write_field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &str,
    field: &Option<T>,
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    match field {
        Some(v) => map.serialize_entry(name, v),
        None if extra.is_empty() => Ok(()),
        None => match extra.get(name) {
            Some(raw) => map.serialize_entry(name, raw),
            None => Ok(()),
        },
    }
}

enum Key {
    Property(u16),
    Type,
    Other(String),
}

/// Where the next property of an object is likely to be: services write properties in
/// declaration order (or sorted), so a guess usually saves the search.
#[derive(Default)]
struct Cursor {
    /// The index after the previous property's.
    next: usize,
    /// The position in `SORTED` after the previous property's.
    next_sorted: usize,
}

struct KeySeed<'a> {
    names: &'static [&'static str],
    sorted: &'static [u16],
    cursor: &'a mut Cursor,
}

impl KeySeed<'_> {
    fn classify(&mut self, name: &str) -> Option<Key> {
        let cursor = &mut *self.cursor;
        if self.names.get(cursor.next) == Some(&name) {
            cursor.next += 1;
            return Some(Key::Property((cursor.next - 1) as u16));
        }
        let at = match self.sorted.get(cursor.next_sorted) {
            Some(&i) if self.names[usize::from(i)] == name => Some(cursor.next_sorted),
            _ => position(self.names, self.sorted, name),
        };
        match at {
            Some(at) => {
                let index = self.sorted[at];
                cursor.next_sorted = at + 1;
                cursor.next = usize::from(index) + 1;
                Some(Key::Property(index))
            }
            None if name == "@odata.type" => Some(Key::Type),
            None => None,
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E>(mut self, v: &str) -> Result<Key, E> {
        Ok(self.classify(v).unwrap_or_else(|| Key::Other(v.to_owned())))
    }
    fn visit_string<E>(mut self, v: String) -> Result<Key, E> {
        Ok(self.classify(&v).unwrap_or(Key::Other(v)))
    }
}

/// The key under which serde_json, with its `arbitrary_precision` feature, hands a number
/// it keeps as text to `visit_map`.
pub(super) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A number that serde_json passed as a map (see [`NUMBER_TOKEN`]), once its value is read.
pub(super) fn number_token(value: &Value) -> Option<Value> {
    match value {
        Value::String(text) => text.parse().ok().map(Value::Number),
        _ => None,
    }
}

/// Reads the (rest of an) object into `out`. When `numbers` is set and the "object" is a
/// number serde_json passes as a map, returns that number instead.
fn read_into<'de, T: Structure, A: MapAccess<'de>>(
    out: &mut T,
    map: &mut A,
    numbers: bool,
) -> Result<Option<Value>, A::Error> {
    let mut cursor = Cursor::default();
    let mut first = numbers;
    while let Some(key) =
        map.next_key_seed(KeySeed { names: T::PROPERTIES, sorted: T::SORTED, cursor: &mut cursor })?
    {
        match key {
            Key::Property(index) => {
                let name = T::PROPERTIES[usize::from(index)];
                match out.read_property(index, map)? {
                    Some(raw) => {
                        out.parts_mut().1.insert(name.to_owned(), raw);
                    }
                    None => {
                        let extra = out.parts_mut().1;
                        if !extra.is_empty() {
                            extra.remove(name);
                        }
                    }
                }
            }
            Key::Type => match map.next_value::<Value>()? {
                Value::String(name) => *out.parts_mut().0 = Some(name),
                other => {
                    out.parts_mut().1.insert("@odata.type".to_owned(), other);
                }
            },
            Key::Other(name) => {
                let value = map.next_value::<Value>()?;
                if first && name == NUMBER_TOKEN {
                    if let Some(number) = number_token(&value) {
                        return Ok(Some(number));
                    }
                }
                out.parts_mut().1.insert(name, value);
            }
        }
        first = false;
    }
    Ok(None)
}

/// Reads the (rest of an) object into `out`.
pub fn read_structure<'de, T: Structure, A: MapAccess<'de>>(mut out: T, mut map: A) -> Result<T, A::Error> {
    read_into(&mut out, &mut map, false)?;
    Ok(out)
}

/// [`Wire::from_map`] of a generated structure: the object, typed (or a number serde_json
/// passed as a map, kept raw).
pub fn read_structure_wire<'de, T: Structure, A: MapAccess<'de>>(mut map: A) -> Result<Lenient<T>, A::Error> {
    let mut out = T::default();
    Ok(match read_into(&mut out, &mut map, true)? {
        Some(number) => Lenient::Raw(number),
        None => Lenient::Typed(out),
    })
}

/// Reads the rest of an object as a `T` whose `@odata.type` was already read.
pub fn read_typed<'de, T: Structure, A: MapAccess<'de>>(
    odata_type: Option<String>,
    map: A,
) -> Result<T, A::Error> {
    let mut out = T::default();
    *out.parts_mut().0 = odata_type;
    read_structure(out, map)
}

/// `Deserialize` for a generated structure.
pub fn deserialize_structure<'de, T: Structure, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct StructureVisitor<T>(PhantomData<T>);
    impl<'de, T: Structure> Visitor<'de> for StructureVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a JSON object holding a {}", T::TYPE_NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            read_structure(T::default(), map)
        }
    }
    deserializer.deserialize_map(StructureVisitor(PhantomData))
}

/// `Serialize` for a generated structure: `@odata.type` (the value's own, else `#TYPE_NAME`
/// when `name_type` asks for it, as a derived value in a base-typed place needs), the
/// object's instance annotations, the declared properties, then the undeclared ones.
pub fn write_structure<T: Structure, S: Serializer>(
    value: &T,
    serializer: S,
    name_type: bool,
) -> Result<S::Ok, S::Error> {
    let (odata_type, extra) = value.parts();
    let mut map = serializer.serialize_map(None)?;
    let typed = match odata_type {
        Some(name) => map.serialize_entry("@odata.type", name).map(|_| true)?,
        None if name_type => {
            map.serialize_entry("@odata.type", &format_args!("#{}", T::TYPE_NAME)).map(|_| true)?
        }
        None => false,
    };
    for (name, v) in extra.iter().filter(|(name, _)| name.starts_with('@')) {
        // A raw `@odata.type` (not a string, as read) only when no type was written.
        if !(typed && name == "@odata.type") {
            map.serialize_entry(name, v)?;
        }
    }
    value.write_properties(&mut map)?;
    // The rest of `extra`, less the declared properties `write_properties` wrote. The map
    // iterates sorted (unless serde_json's `preserve_order` is on), so a merge with `SORTED`
    // finds them; out of order, a search does.
    let (mut at, mut previous, mut sorted) = (0, "", true);
    for (name, v) in extra {
        if name.starts_with('@') {
            continue;
        }
        sorted &= previous <= name.as_str();
        let declared = if sorted {
            while at < T::SORTED.len() && T::PROPERTIES[usize::from(T::SORTED[at])] < name.as_str() {
                at += 1;
            }
            at < T::SORTED.len() && T::PROPERTIES[usize::from(T::SORTED[at])] == name
        } else {
            position(T::PROPERTIES, T::SORTED, name).is_some()
        };
        previous = name;
        if !declared {
            map.serialize_entry(name, v)?;
        }
    }
    map.end()
}
