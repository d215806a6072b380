//! Reading and writing the generated entity and complex types, losslessly.

use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use super::*;

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
/// shape (the defaults accept none), and a value no hook accepts is kept raw. The hooks take
/// what a deserializer hands over through the object-safe interface of [`Sink`], so a type's
/// reader is compiled once, whatever reads it.
pub trait Wire: Sized {
    /// What a value of the type looks like, for the error when one is required and another
    /// shape is found ("a string", "a JSON object holding a ...").
    const EXPECTING: &'static str = "a value of its declared type";
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
    /// From a number kept as text (beyond 64 bits, or serde_json's `arbitrary_precision`).
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
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        Ok(match read_object(map)? {
            Value::Number(n) => Self::from_number(&n).map_or(Lenient::Raw(Value::Number(n)), Lenient::Typed),
            other => Lenient::Raw(other),
        })
    }
    /// From a JSON array.
    fn from_seq(seq: &mut dyn SeqSource) -> Result<Lenient<Self>, ReadError> {
        read_array(seq).map(Lenient::Raw)
    }
    /// From a scalar, through the hooks above (`null` is kept raw).
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        match value {
            Scalar::Null => Lenient::Raw(Value::Null),
            Scalar::Bool(v) => Self::from_bool(v).map_or(Lenient::Raw(Value::Bool(v)), Lenient::Typed),
            Scalar::I64(v) => Self::from_i64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed),
            Scalar::U64(v) => Self::from_u64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed),
            Scalar::F64(v) => Self::from_f64(v).map_or(Lenient::Raw(Value::from(v)), Lenient::Typed),
            Scalar::Number(n) => Self::from_number(&n).map_or(Lenient::Raw(Value::Number(n)), Lenient::Typed),
            Scalar::Str(v) => {
                Self::from_str(v).map_or_else(|| Lenient::Raw(Value::String(v.to_owned())), Lenient::Typed)
            }
            Scalar::String(v) => {
                Self::from_string(v).map_or_else(|v| Lenient::Raw(Value::String(v)), Lenient::Typed)
            }
        }
    }
}

impl Wire for String {
    const EXPECTING: &'static str = "a string";
    fn from_str(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn from_string(text: String) -> Result<Self, String> {
        Ok(text)
    }
}

impl Wire for bool {
    const EXPECTING: &'static str = "a boolean";
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

macro_rules! wire_integer {
    ($($t:ty)*) => {$(
        impl Wire for $t {
            const EXPECTING: &'static str = concat!("an integer that fits `", stringify!($t), "`");
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

/// A value of `T` that may also come as its text in a JSON string: OData V2 JSON's form of
/// `Edm.Int64` (and, from many servers, `Edm.Double` and `Edm.Single`; see
/// [`read_field_text`]).
struct Textual<T>(T);

impl<T: Wire + std::str::FromStr> Wire for Textual<T> {
    const EXPECTING: &'static str = T::EXPECTING;
    fn from_str(text: &str) -> Option<Self> {
        text.parse().ok().map(Textual)
    }
    fn from_i64(v: i64) -> Option<Self> {
        T::from_i64(v).map(Textual)
    }
    fn from_u64(v: u64) -> Option<Self> {
        T::from_u64(v).map(Textual)
    }
    fn from_f64(v: f64) -> Option<Self> {
        T::from_f64(v).map(Textual)
    }
}

/// Integers up to 2^53 are exact in an `f64`; larger ones are kept raw.
const EXACT_IN_F64: u64 = 1 << 53;

impl Wire for f64 {
    const EXPECTING: &'static str = "a number";
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
    const EXPECTING: &'static str = "a number that fits `f32`";
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
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        Ok(Lenient::Typed(read_object(map)?))
    }
    fn from_seq(seq: &mut dyn SeqSource) -> Result<Lenient<Self>, ReadError> {
        read_array(seq).map(Lenient::Typed)
    }
    /// Any scalar but `null`, which is always kept raw (so absent and null stay apart).
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        match value {
            Scalar::Null => Lenient::Raw(Value::Null),
            other => Lenient::Typed(other.into_value()),
        }
    }
}

impl<T: Wire> Wire for Box<T> {
    const EXPECTING: &'static str = T::EXPECTING;
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
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        Ok(T::from_map(map)?.map(Box::new))
    }
    fn from_seq(seq: &mut dyn SeqSource) -> Result<Lenient<Self>, ReadError> {
        Ok(T::from_seq(seq)?.map(Box::new))
    }
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        T::from_scalar(value).map(Box::new)
    }
}

/// A collection is typed when every item is; one item of the wrong shape keeps the whole
/// collection as sent (the items read so far written back as the JSON they round-trip to).
impl<T: Wire + ToJson> Wire for Vec<T> {
    const EXPECTING: &'static str = "an array";
    fn from_seq(seq: &mut dyn SeqSource) -> Result<Lenient<Self>, ReadError> {
        let mut typed = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let mut item = WireSink::<T>::new();
        while seq.next_item(&mut item)? {
            if let Some(raw) = item.take_raw() {
                let read: Vec<&dyn ToJson> = typed.iter().map(|t| t as &dyn ToJson).collect();
                return raw_collection(&read, raw, seq).map(Lenient::Raw);
            }
            typed.extend(item.value.take());
        }
        Ok(Lenient::Typed(typed))
    }
    /// Not an array: kept as sent.
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        Lenient::Raw(value.into_value())
    }
}

/// A map (an OpenAPI object of `additionalProperties`) is typed when every value is; one
/// value of the wrong shape keeps the whole object as sent.
impl<T: Wire + ToJson> Wire for std::collections::BTreeMap<String, T> {
    const EXPECTING: &'static str = "a JSON object";
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        let mut typed: Self = std::collections::BTreeMap::new();
        let mut key = String::new();
        let mut item = WireSink::<T>::new();
        let mut first = true;
        while map.next_key(&mut key)? {
            if std::mem::take(&mut first) && key == NUMBER_TOKEN {
                // A number serde_json passed as a map: not an object.
                return Ok(Lenient::Raw(number_token(&read_raw(map)?).unwrap_or(Value::Null)));
            }
            map.next_value(&mut item)?;
            if let Some(raw) = item.raw.take() {
                let mut object = Map::new();
                for (k, v) in &typed {
                    let text = ToJson::to_json(v).map_err(ReadError::new)?;
                    object.insert(k.clone(), serde_json::from_slice(&text).map_err(ReadError::new)?);
                }
                object.insert(std::mem::take(&mut key), raw);
                while map.next_key(&mut key)? {
                    let value = read_raw(map)?;
                    object.insert(std::mem::take(&mut key), value);
                }
                return Ok(Lenient::Raw(Value::Object(object)));
            }
            if let Some(value) = item.value.take() {
                typed.insert(std::mem::take(&mut key), value);
            }
        }
        Ok(Lenient::Typed(typed))
    }
    /// Not an object: kept as sent.
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        Lenient::Raw(value.into_value())
    }
}

/// A collection with an item not of its type, as sent: the items read before it (written
/// back as the JSON they round-trip to, through text, which writes every number exactly),
/// that item, and the rest.
fn raw_collection(read: &[&dyn ToJson], raw: Value, seq: &mut dyn SeqSource) -> Result<Value, ReadError> {
    let mut items = read
        .iter()
        .map(|t| t.to_json().and_then(|text| serde_json::from_slice(&text)))
        .collect::<Result<Vec<Value>, _>>()
        .map_err(ReadError::new)?;
    items.push(raw);
    let mut rest = ValueSink(None);
    while seq.next_item(&mut rest)? {
        items.push(rest.take());
    }
    Ok(Value::Array(items))
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
    /// The property that names a value's concrete type (OData's `@odata.type`, or an
    /// OpenAPI discriminator); empty for a type that has none.
    const TYPE_KEY: &'static str = "@odata.type";
    /// What names this type under [`Self::TYPE_KEY`] where a value must say it (a derived
    /// value in a base-typed place); `None` for `#` and [`Self::TYPE_NAME`], as OData writes it.
    const TYPE_TAG: Option<&'static str> = None;
    /// The concrete type's name (`None` when the type has no [`Self::TYPE_KEY`]) and the
    /// `extra` map.
    fn parts(&self) -> (Option<&str>, &Map<String, Value>);
    /// Where the concrete type's name is kept (`None` when the type has no
    /// [`Self::TYPE_KEY`]) and the `extra` map, mutably.
    fn parts_mut(&mut self) -> (Option<&mut Option<String>>, &mut Map<String, Value>);
    /// Reads the value of declared property `index` (the map's next value) into its field;
    /// returns it as sent when it is `null` or of another shape (see [`read_field`]).
    fn read_property(&mut self, index: u16, map: &mut dyn MapSource) -> Result<Option<Value>, ReadError>;
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

/// [`read_field`] of a value that may come as its text (OData V2 writes `Edm.Int64` as a
/// JSON string); written back as text by [`write_field_text`].
pub fn read_field_text<T: Wire + std::str::FromStr>(
    map: &mut dyn MapSource,
    field: &mut Option<T>,
) -> Result<Option<Value>, ReadError> {
    let mut sink = WireSink::<Textual<T>>::new();
    map.next_value(&mut sink)?;
    *field = sink.value.map(|t| t.0);
    Ok(sink.raw)
}

/// Reads a declared property into its field; returns the value as sent, for `extra`, when
/// it is `null` or of another shape (the field is then `None`).
pub fn read_field<T: Wire>(
    map: &mut dyn MapSource,
    field: &mut Option<T>,
) -> Result<Option<Value>, ReadError> {
    let mut sink = WireSink::<T>::new();
    map.next_value(&mut sink)?;
    // A value that is not of the field's type leaves the field `None` (`raw` holds it).
    *field = sink.value;
    Ok(sink.raw)
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

/// [`write_field`] of a value written as its text, a JSON string: OData V2 JSON's form of
/// `Edm.Int64` and `Edm.Decimal` values.
pub fn write_field_text<M: SerializeMap, T: fmt::Display>(
    map: &mut M,
    name: &str,
    field: &Option<T>,
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    match field {
        Some(v) => map.serialize_entry(name, &v.to_string()),
        None => write_field(map, name, &None::<Value>, extra),
    }
}

enum Key {
    Property(u16),
    Type,
    Other,
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

impl Cursor {
    /// What the property called `name` is, among `names` (sorted by `sorted`).
    fn classify(&mut self, names: &[&str], sorted: &[u16], type_key: &str, name: &str) -> Option<Key> {
        if names.get(self.next) == Some(&name) {
            self.next += 1;
            return Some(Key::Property((self.next - 1) as u16));
        }
        let at = match sorted.get(self.next_sorted) {
            Some(&i) if names[usize::from(i)] == name => Some(self.next_sorted),
            _ => position(names, sorted, name),
        };
        match at {
            Some(at) => {
                let index = sorted[at];
                self.next_sorted = at + 1;
                self.next = usize::from(index) + 1;
                Some(Key::Property(index))
            }
            None if name == type_key && !type_key.is_empty() => Some(Key::Type),
            None => None,
        }
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

/// What [`read_into`] fills, behind `dyn` ([`Structure`] has constants), so that the reader
/// of objects is compiled once rather than once per type.
trait Fields {
    fn read_property(&mut self, index: u16, map: &mut dyn MapSource) -> Result<Option<Value>, ReadError>;
    fn parts_mut(&mut self) -> (Option<&mut Option<String>>, &mut Map<String, Value>);
}

impl<T: Structure> Fields for T {
    fn read_property(&mut self, index: u16, map: &mut dyn MapSource) -> Result<Option<Value>, ReadError> {
        Structure::read_property(self, index, map)
    }
    fn parts_mut(&mut self) -> (Option<&mut Option<String>>, &mut Map<String, Value>) {
        Structure::parts_mut(self)
    }
}

/// Reads the (rest of an) object into `out`. When `numbers` is set and the "object" is a
/// number serde_json passes as a map, returns that number instead.
fn read_into(
    out: &mut dyn Fields,
    (names, sorted, type_key): (&[&'static str], &[u16], &str),
    map: &mut dyn MapSource,
    numbers: bool,
) -> Result<Option<Value>, ReadError> {
    let mut cursor = Cursor::default();
    let mut first = numbers;
    let mut name = String::new();
    while map.next_key(&mut name)? {
        match cursor.classify(names, sorted, type_key, &name).unwrap_or(Key::Other) {
            Key::Property(index) => {
                let name = names[usize::from(index)];
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
            Key::Type => match (read_raw(map)?, out.parts_mut()) {
                (Value::String(name), (Some(slot), _)) => *slot = Some(name),
                (other, (_, extra)) => {
                    extra.insert(type_key.to_owned(), other);
                }
            },
            Key::Other => {
                let value = read_raw(map)?;
                if first && name == NUMBER_TOKEN {
                    if let Some(number) = number_token(&value) {
                        return Ok(Some(number));
                    }
                }
                out.parts_mut().1.insert(std::mem::take(&mut name), value);
            }
        }
        first = false;
    }
    Ok(None)
}

/// [`Wire::from_map`] of a generated structure: the object, typed (or a number serde_json
/// passed as a map, kept raw).
pub fn read_structure_wire<T: Structure>(map: &mut dyn MapSource) -> Result<Lenient<T>, ReadError> {
    let mut out = T::default();
    Ok(match read_into(&mut out, (T::PROPERTIES, T::SORTED, T::TYPE_KEY), map, true)? {
        Some(number) => Lenient::Raw(number),
        None => Lenient::Typed(out),
    })
}

/// Reads the rest of an object as a `T` whose `@odata.type` was already read.
pub fn read_typed<T: Structure>(odata_type: Option<String>, map: &mut dyn MapSource) -> Result<T, ReadError> {
    let mut out = T::default();
    match out.parts_mut() {
        (Some(slot), _) => *slot = odata_type,
        (None, extra) => {
            if let Some(name) = odata_type {
                extra.insert(T::TYPE_KEY.to_owned(), Value::String(name));
            }
        }
    }
    read_into(&mut out, (T::PROPERTIES, T::SORTED, T::TYPE_KEY), map, false)?;
    Ok(out)
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
    let shape = Shape {
        type_name: T::TYPE_NAME,
        type_key: T::TYPE_KEY,
        type_tag: T::TYPE_TAG,
        properties: T::PROPERTIES,
        sorted: T::SORTED,
    };
    write_object(serializer, shape, odata_type, extra, name_type, &mut |map| value.write_properties(map))
}

/// What [`write_object`] needs of a structure's type.
struct Shape {
    type_name: &'static str,
    type_key: &'static str,
    type_tag: Option<&'static str>,
    properties: &'static [&'static str],
    sorted: &'static [u16],
}

/// Writes a structure's declared properties into its map.
type WriteProperties<'a, S> =
    dyn FnMut(&mut <S as Serializer>::SerializeMap) -> Result<(), <S as Serializer>::Error> + 'a;

/// The body of [`write_structure`], generic over the serializer alone (the declared
/// properties are written by `properties`), so it is compiled once per serializer rather
/// than once per type.
fn write_object<S: Serializer>(
    serializer: S,
    shape: Shape,
    odata_type: Option<&str>,
    extra: &Map<String, Value>,
    name_type: bool,
    properties: &mut WriteProperties<'_, S>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let key = shape.type_key;
    let typed = match (odata_type, shape.type_tag) {
        _ if key.is_empty() => false,
        (Some(name), _) => map.serialize_entry(key, name).map(|_| true)?,
        (None, Some(tag)) if name_type => map.serialize_entry(key, tag).map(|_| true)?,
        (None, None) if name_type => {
            map.serialize_entry(key, &format_args!("#{}", shape.type_name)).map(|_| true)?
        }
        (None, _) => false,
    };
    for (name, v) in extra.iter().filter(|(name, _)| name.starts_with('@')) {
        // A raw type name (not a string, as read) only when none was written.
        if !(typed && name == key) {
            map.serialize_entry(name, v)?;
        }
    }
    properties(&mut map)?;
    // The rest of `extra`, less the declared properties `properties` wrote. The map
    // iterates sorted (unless serde_json's `preserve_order` is on), so a merge with `sorted`
    // finds them; out of order, a search does.
    let (names, order) = (shape.properties, shape.sorted);
    let (mut at, mut previous, mut in_order) = (0, "", true);
    for (name, v) in extra {
        if name.starts_with('@') || typed && name == key {
            continue;
        }
        in_order &= previous <= name.as_str();
        let declared = if in_order {
            while at < order.len() && names[usize::from(order[at])] < name.as_str() {
                at += 1;
            }
            at < order.len() && names[usize::from(order[at])] == name
        } else {
            position(names, order, name).is_some()
        };
        previous = name;
        if !declared {
            map.serialize_entry(name, v)?;
        }
    }
    map.end()
}
