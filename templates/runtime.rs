//! Runtime support for the generated types: OData primitive types that JSON carries as
//! strings, the helpers behind flags enumerations, and the readers and writers of the
//! generated entity and complex types (lossless and polymorphic; see "Reading and writing
//! the generated models" below).
//!
//! The text-based primitives (`Date`, `DateTimeOffset`, `TimeOfDay`, `Duration`, `Guid`,
//! `Binary`, `Stream`, `Decimal`) keep the exact text the service sent, so a value that does
//! not parse as its declared type never makes a whole document fail, and a read-modify-write
//! sends back what was read. Each offers typed access on top.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

macro_rules! text_primitive {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps the wire text.
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The wire text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Wire for $name {
            fn from_str(text: &str) -> Option<Self> {
                Some($name(text.to_owned()))
            }
            fn from_string(text: String) -> Result<Self, String> {
                Ok($name(text))
            }
        }
    };
}

text_primitive! {
    /// `Edm.Date`: a calendar date, `YYYY-MM-DD`.
    Date
}

text_primitive! {
    /// `Edm.DateTimeOffset`: an RFC 3339 timestamp such as `2024-05-01T08:30:00Z`.
    DateTimeOffset
}

text_primitive! {
    /// `Edm.TimeOfDay`: a clock time, `hh:mm:ss.fffffff`.
    TimeOfDay
}

text_primitive! {
    /// `Edm.Guid`: a GUID such as `01234567-89ab-cdef-0123-456789abcdef`.
    Guid
}

text_primitive! {
    /// `Edm.Stream`: stream content inlined in JSON (base64) or its media link.
    Stream
}

text_primitive! {
    /// `Edm.Duration`: an ISO 8601 duration such as `PT1H30M` or `P2DT4S`.
    Duration
}

text_primitive! {
    /// `Edm.Binary`: base64 (standard or URL-safe alphabet) encoded bytes.
    Binary
}

impl Duration {
    /// Parses `[-]PnDTnHnMn.nS` (days, hours, minutes, seconds; OData durations have no
    /// years or months). `None` for negative durations and text that is not a duration.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let rest = self.0.strip_prefix('P')?;
        let (days, time) = match rest.split_once('T') {
            Some((d, t)) => (d, t),
            None => (rest, ""),
        };
        let mut seconds = 0f64;
        if !days.is_empty() {
            seconds += days.strip_suffix('D')?.parse::<f64>().ok()? * 86_400.0;
        }
        let mut number = String::new();
        for c in time.chars() {
            match c {
                '0'..='9' | '.' => number.push(c),
                'H' | 'M' | 'S' => {
                    let n: f64 = number.parse().ok()?;
                    seconds += n * match c {
                        'H' => 3_600.0,
                        'M' => 60.0,
                        _ => 1.0,
                    };
                    number.clear();
                }
                _ => return None,
            }
        }
        if !number.is_empty() || !seconds.is_finite() {
            return None;
        }
        Some(std::time::Duration::from_secs_f64(seconds))
    }

    /// Formats a duration as `PT<seconds>S` (with fractional seconds when needed).
    pub fn from_std(duration: std::time::Duration) -> Self {
        let (secs, nanos) = (duration.as_secs(), duration.subsec_nanos());
        if nanos == 0 {
            Duration(format!("PT{secs}S"))
        } else {
            let fraction = format!("{nanos:09}");
            Duration(format!("PT{secs}.{}S", fraction.trim_end_matches('0')))
        }
    }
}

impl Binary {
    /// Encodes bytes as standard base64 with padding.
    pub fn encode(bytes: &[u8]) -> Self {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        Binary(out)
    }

    /// Decodes standard or URL-safe base64, padded or not. `None` when the text is not base64.
    pub fn decode(&self) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(self.0.len() / 4 * 3);
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in self.0.trim_end_matches('=').bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                _ => return None,
            };
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        Some(out)
    }
}

/// `Edm.Decimal`: a decimal number, kept as its text. Services send it as a JSON number (or,
/// with `IEEE754Compatible=true`, as a string); both are accepted and written back in the
/// form they came in. A number is read by serde_json, which keeps every digit only with its
/// `arbitrary_precision` feature (this crate's `arbitrary-precision` feature); without it the
/// digits are those of the nearest `f64`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal {
    text: String,
    quoted: bool,
}

impl Decimal {
    /// A decimal written as a JSON number (when `text` is one).
    pub fn new(text: impl Into<String>) -> Self {
        Decimal { text: text.into(), quoted: false }
    }

    /// A decimal written as a JSON string (`IEEE754Compatible=true`).
    pub fn quoted(text: impl Into<String>) -> Self {
        Decimal { text: text.into(), quoted: true }
    }

    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it is written as a JSON string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The value as `f64` (rounded), when the text is a number.
    pub fn to_f64(&self) -> Option<f64> {
        self.text.parse().ok()
    }
}

impl From<&str> for Decimal {
    fn from(text: &str) -> Self {
        Decimal::new(text)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.text.parse::<serde_json::Number>() {
            Ok(number) if !self.quoted => number.serialize(serializer),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Decimal::read(deserializer)? {
            Lenient::Typed(decimal) => Ok(decimal),
            Lenient::Raw(other) => {
                Err(de::Error::custom(format_args!("expected a decimal number or a string, found {other}")))
            }
        }
    }
}

impl Wire for Decimal {
    fn from_str(text: &str) -> Option<Self> {
        Some(Decimal::quoted(text))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(Decimal::new(v.to_string()))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Decimal::new(v.to_string()))
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(Decimal::new(v.to_string()))
    }
    fn from_number(n: &serde_json::Number) -> Option<Self> {
        Some(Decimal::new(n.to_string()))
    }
}

/// `Edm.Geography*` / `Edm.Geometry*`: a GeoJSON value.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct GeoJson(pub serde_json::Value);

impl Wire for GeoJson {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        Ok(Lenient::Typed(GeoJson(Value::deserialize(de::value::MapAccessDeserializer::new(map))?)))
    }
}

/// A flags enumeration: a set of members written as `"a,b,c"` on the wire.
pub trait Flags: Sized {
    /// Member names and values in declaration order.
    const MEMBERS: &'static [(&'static str, u64)];
    /// Builds a set from known bits and unrecognized names.
    fn from_parts(bits: u64, unrecognized: Vec<String>) -> Self;
    /// The known bits and unrecognized names.
    fn parts(&self) -> (u64, &[String]);
}

/// Parses `"a, b"` into a set; names that are not members are kept as unrecognized.
pub fn flags_parse<F: Flags>(wire: &str) -> F {
    let mut bits = 0;
    let mut unrecognized = Vec::new();
    for name in wire.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match F::MEMBERS.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => bits |= v,
            None => unrecognized.push(name.to_owned()),
        }
    }
    F::from_parts(bits, unrecognized)
}

/// Writes a set as member names, then the unrecognized names. Members covering more bits
/// are chosen first (so `15` is written `Full` rather than the four members it combines),
/// each only when all its bits are set and it adds bits not yet covered; the chosen names
/// are written in declaration order. An empty set is the zero-valued member, or `""`.
pub fn flags_format<F: Flags>(flags: &F) -> String {
    let (bits, unrecognized) = flags.parts();
    let mut order: Vec<usize> = (0..F::MEMBERS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(F::MEMBERS[i].1.count_ones()));
    let mut chosen = vec![false; F::MEMBERS.len()];
    let mut covered = 0u64;
    for i in order {
        let value = F::MEMBERS[i].1;
        if value != 0 && bits & value == value && covered | value != covered {
            chosen[i] = true;
            covered |= value;
        }
    }
    let mut names: Vec<&str> =
        F::MEMBERS.iter().zip(&chosen).filter(|(_, c)| **c).map(|((name, _), _)| *name).collect();
    if bits == 0 && unrecognized.is_empty() {
        if let Some((zero, _)) = F::MEMBERS.iter().find(|(_, v)| *v == 0) {
            names.push(zero);
        }
    }
    names.extend(unrecognized.iter().map(String::as_str));
    names.join(",")
}

/// The union of two sets.
pub fn flags_union<F: Flags>(a: F, b: F) -> F {
    let (bits_a, unrecognized_a) = a.parts();
    let (bits_b, unrecognized_b) = b.parts();
    let mut unrecognized = unrecognized_a.to_vec();
    for u in unrecognized_b {
        if !unrecognized.contains(u) {
            unrecognized.push(u.clone());
        }
    }
    F::from_parts(bits_a | bits_b, unrecognized)
}

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
    fn read_property<'de, A: MapAccess<'de>>(&mut self, index: u16, map: &mut A) -> Result<Option<Value>, A::Error>;
    /// Writes the declared properties that are set, or what `extra` holds for them.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// The position in `sorted` of the property called `name`.
fn position(names: &[&str], sorted: &[u16], name: &str) -> Option<usize> {
    sorted.binary_search_by(|&i| names[usize::from(i)].cmp(name)).ok()
}

fn lookup(table: &[(&'static str, u16)], name: &str) -> Option<u16> {
    table.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| table[i].1)
}

/// Reads a declared property into its field; returns the value as sent, for `extra`, when
/// it is `null` or of another shape (the field is then `None`).
pub fn read_field<'de, A: MapAccess<'de>, T: Wire>(map: &mut A, field: &mut Option<T>) -> Result<Option<Value>, A::Error> {
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
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A number that serde_json passed as a map (see [`NUMBER_TOKEN`]), once its value is read.
fn number_token(value: &Value) -> Option<Value> {
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
    while let Some(key) = map.next_key_seed(KeySeed { names: T::PROPERTIES, sorted: T::SORTED, cursor: &mut cursor })? {
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
pub fn read_typed<'de, T: Structure, A: MapAccess<'de>>(odata_type: Option<String>, map: A) -> Result<T, A::Error> {
    let mut out = T::default();
    *out.parts_mut().0 = odata_type;
    read_structure(out, map)
}

/// `Deserialize` for a generated structure.
pub fn deserialize_structure<'de, T: Structure, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
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
        None if name_type => map.serialize_entry("@odata.type", &format_args!("#{}", T::TYPE_NAME)).map(|_| true)?,
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
    P::read_variant(index, None, de::value::MapDeserializer::<_, serde_json::Error>::new(object.into_iter()))
        .map(Lenient::Typed)
        .map_err(de::Error::custom)
}

/// `Deserialize` for a generated polymorphic enum.
pub fn deserialize_polymorphic<'de, P: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<P, D::Error> {
    struct PolymorphicVisitor<P>(PhantomData<P>);
    impl<'de, P: Polymorphic> Visitor<'de> for PolymorphicVisitor<P> {
        type Value = P;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<P, A::Error> {
            match read_polymorphic(map)? {
                Lenient::Typed(value) => Ok(value),
                Lenient::Raw(other) => Err(de::Error::custom(format_args!("expected an object, found {other}"))),
            }
        }
    }
    deserializer.deserialize_map(PolymorphicVisitor(PhantomData))
}
