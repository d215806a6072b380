//! Reading JSON through one object-safe interface, so that a model's readers are compiled
//! once.
//!
//! serde's `Deserialize` is generic over the deserializer, and a deserializer's methods are
//! generic over the visitor: reading a type the serde way compiles a copy of the
//! deserializer's parser for every type that is read (serde_json's `deserialize_any` alone is
//! kilobytes of code per copy), and compiles it again in every crate that reads with another
//! deserializer. For a model of thousands of types that is most of the build.
//!
//! Here the deserializer meets one visitor, [`read_with`]'s, which hands what it reads to a
//! [`Sink`] behind `&mut dyn`: scalars as a [`Scalar`], objects and arrays as a
//! [`MapSource`] or [`SeqSource`] the sink pulls from, also behind `&mut dyn`. The readers of
//! the generated types ([`Wire`]) are written against those traits, so they are plain
//! functions of the generated crate, compiled once and shared by every deserializer; the
//! only code compiled per deserializer is the adapter below. The cost is an indirect call
//! per value, which is small next to parsing the value.
//!
//! A deserializer's own errors (a syntax error at a line and column) are kept as they are:
//! the adapter that meets one keeps it and hands the sink a [`ReadError`] that stands for
//! it, and gives it back when the sink's error comes back out.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::*;

/// A JSON scalar, as a deserializer hands it over.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A negative integer (or one a deserializer reads as `i64`).
    I64(i64),
    /// A non-negative integer.
    U64(u64),
    /// A number with a fraction or exponent.
    F64(f64),
    /// A number kept exactly, as text (beyond 64 bits, or serde_json's
    /// `arbitrary_precision`).
    Number(Number),
    /// A string the deserializer lends.
    Str(&'a str),
    /// A string the deserializer gives away.
    String(String),
}

impl<'a> Scalar<'a> {
    /// A string's text; any other scalar as the JSON value it is.
    pub fn into_text(self) -> Result<std::borrow::Cow<'a, str>, Value> {
        match self {
            Scalar::Str(text) => Ok(std::borrow::Cow::Borrowed(text)),
            Scalar::String(text) => Ok(std::borrow::Cow::Owned(text)),
            other => Err(other.into_value()),
        }
    }

    /// The scalar as a JSON value.
    pub fn into_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(v) => Value::Bool(v),
            Scalar::I64(v) => Value::from(v),
            Scalar::U64(v) => Value::from(v),
            // A non-finite float (not JSON) becomes `null`, as serde_json writes it.
            Scalar::F64(v) => Value::from(v),
            Scalar::Number(n) => Value::Number(n),
            Scalar::Str(v) => Value::String(v.to_owned()),
            Scalar::String(v) => Value::String(v),
        }
    }
}

/// What a value is read into: the deserializer calls one of these once per value.
pub trait Sink {
    /// A scalar.
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError>;
    /// An object: its entries are pulled from `map`, all of them or none (the rest is then
    /// skipped by the deserializer's own rules; serde_json reports it).
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError>;
    /// An array: its items are pulled from `seq`.
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError>;
    /// For a lenient sink, the value just read when it was not of the sink's type (kept as
    /// sent); `None` otherwise.
    fn take_raw(&mut self) -> Option<Value> {
        None
    }
}

/// The entries of an object being read.
pub trait MapSource {
    /// Reads the next key into `key` (cleared first); `false` after the last entry.
    fn next_key(&mut self, key: &mut String) -> Result<bool, ReadError>;
    /// Reads the value of the entry whose key was just read into `sink`.
    fn next_value(&mut self, sink: &mut dyn Sink) -> Result<(), ReadError>;
}

/// The items of an array being read.
pub trait SeqSource {
    /// Reads the next item into `sink`; `false` (and `sink` untouched) after the last.
    fn next_item(&mut self, sink: &mut dyn Sink) -> Result<bool, ReadError>;
    /// How many items are left, when the deserializer knows.
    fn size_hint(&self) -> Option<usize>;
}

/// An error while reading: a message of the readers, or the deserializer's own error, which
/// the adapter that met it keeps and gives back (see the module's documentation).
pub struct ReadError(Option<Box<str>>);

impl ReadError {
    /// An error with this message.
    pub fn new(message: impl fmt::Display) -> Self {
        ReadError(Some(message.to_string().into_boxed_str()))
    }

    /// The error for a value that does not have the shape `expected` describes.
    pub fn unexpected(found: &Value, expected: &str) -> Self {
        let found = match found {
            Value::Null => "null".to_owned(),
            Value::Bool(v) => format!("boolean `{v}`"),
            Value::Number(n) => format!("number `{n}`"),
            Value::String(s) => format!("string {s:?}"),
            Value::Array(_) => "an array".to_owned(),
            Value::Object(_) => "an object".to_owned(),
        };
        ReadError::new(format_args!("invalid type: {found}, expected {expected}"))
    }

    /// The deserializer's error, which an adapter keeps.
    fn kept() -> Self {
        ReadError(None)
    }

    /// The deserializer's error type for this error: the one `kept` stands for, else one
    /// with this error's message.
    fn into_source<E: de::Error>(self, kept: &mut Option<E>) -> E {
        match (self.0, kept.take()) {
            (None, Some(kept)) => kept,
            (Some(message), _) => E::custom(message),
            (None, None) => E::custom("the reader failed without a message"),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("the deserializer failed (its error is kept by the adapter)"))
    }
}

impl fmt::Debug for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReadError({self})")
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError::new(message)
    }
}

/// Reads one value from `deserializer` into `sink`: the one place reading is generic over
/// the deserializer.
pub fn read_with<'de, D: Deserializer<'de>>(deserializer: D, sink: &mut dyn Sink) -> Result<(), D::Error> {
    deserializer.deserialize_any(SinkVisitor(sink))
}

/// Reads a JSON document into `sink` (the whole of `body`, as `serde_json::from_slice`).
pub fn read_json(body: &[u8], sink: &mut dyn Sink) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    read_with(&mut deserializer, sink)?;
    deserializer.end()
}

/// Hands a JSON value to `sink`, as a deserializer would.
pub fn read_value(value: Value, sink: &mut dyn Sink) -> Result<(), ReadError> {
    match value {
        Value::Null => sink.scalar(Scalar::Null),
        Value::Bool(v) => sink.scalar(Scalar::Bool(v)),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(v), _, _) => sink.scalar(Scalar::U64(v)),
            (None, Some(v), _) => sink.scalar(Scalar::I64(v)),
            // An integer beyond 64 bits reads as a float with `arbitrary_precision` too:
            // only numbers that do not round-trip through the text stay `Number`.
            (None, None, Some(v)) if Number::from_f64(v).as_ref() == Some(&n) => sink.scalar(Scalar::F64(v)),
            _ => sink.scalar(Scalar::Number(n)),
        },
        Value::String(v) => sink.scalar(Scalar::String(v)),
        Value::Array(items) => {
            let len = items.len();
            sink.seq(&mut ValueItems { items: items.into_iter(), len })
        }
        Value::Object(entries) => sink.map(&mut ValueEntries { entries: entries.into_iter(), pending: None }),
    }
}

/// The items of a JSON array value.
struct ValueItems {
    items: std::vec::IntoIter<Value>,
    len: usize,
}

impl SeqSource for ValueItems {
    fn next_item(&mut self, sink: &mut dyn Sink) -> Result<bool, ReadError> {
        match self.items.next() {
            Some(item) => {
                self.len -= 1;
                read_value(item, sink).map(|()| true)
            }
            None => Ok(false),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.len)
    }
}

/// The entries of a JSON object value.
struct ValueEntries {
    entries: serde_json::map::IntoIter,
    pending: Option<Value>,
}

impl MapSource for ValueEntries {
    fn next_key(&mut self, key: &mut String) -> Result<bool, ReadError> {
        match self.entries.next() {
            Some((name, value)) => {
                *key = name;
                self.pending = Some(value);
                Ok(true)
            }
            None => Ok(false),
        }
    }
    fn next_value(&mut self, sink: &mut dyn Sink) -> Result<(), ReadError> {
        match self.pending.take() {
            Some(value) => read_value(value, sink),
            None => Err(ReadError::new("a value was read before its key")),
        }
    }
}

/// Reads a value as JSON, exactly as sent.
#[derive(Default)]
pub struct ValueSink(pub Option<Value>);

impl ValueSink {
    /// The value read (`null` when none was).
    pub fn take(&mut self) -> Value {
        self.0.take().unwrap_or(Value::Null)
    }
}

impl Sink for ValueSink {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        self.0 = Some(value.into_value());
        Ok(())
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        self.0 = Some(read_object(map)?);
        Ok(())
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let mut item = ValueSink(None);
        while seq.next_item(&mut item)? {
            items.push(item.take());
        }
        self.0 = Some(Value::Array(items));
        Ok(())
    }
}

/// Reads the rest of an object as JSON (a number serde_json passes as a map, with its
/// `arbitrary_precision` feature, as that number).
pub fn read_object(map: &mut dyn MapSource) -> Result<Value, ReadError> {
    let mut object = Map::new();
    let mut key = String::new();
    let mut value = ValueSink(None);
    let mut first = true;
    while map.next_key(&mut key)? {
        map.next_value(&mut value)?;
        let value = value.take();
        if first && key == NUMBER_TOKEN {
            if let Some(number) = number_token(&value) {
                return Ok(number);
            }
        }
        first = false;
        object.insert(std::mem::take(&mut key), value);
    }
    Ok(Value::Object(object))
}

/// Reads the next value of `map` as JSON.
pub fn read_raw(map: &mut dyn MapSource) -> Result<Value, ReadError> {
    let mut value = ValueSink(None);
    map.next_value(&mut value)?;
    Ok(value.take())
}

/// The visitor every deserializer meets: it hands what it is given to a sink.
struct SinkVisitor<'a>(&'a mut dyn Sink);

impl<'de> Visitor<'de> for SinkVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.scalar(Scalar::Bool(v)).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.0.scalar(Scalar::I64(v)).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.0.scalar(Scalar::U64(v)).map_err(E::custom)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.0.scalar(wide_integer(v.to_string())).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.0.scalar(wide_integer(v.to_string())).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.0.scalar(Scalar::F64(v)).map_err(E::custom)
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<(), E> {
        self.0.scalar(Scalar::Str(v.encode_utf8(&mut [0; 4]))).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.scalar(Scalar::Str(v)).map_err(E::custom)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.0.scalar(Scalar::String(v)).map_err(E::custom)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.scalar(Scalar::Null).map_err(E::custom)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.scalar(Scalar::Null).map_err(E::custom)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read_with(deserializer, self.0)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read_with(deserializer, self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let mut items = SeqAdapter { seq, kept: None, _de: PhantomData };
        self.0.seq(&mut items).map_err(|e| e.into_source(&mut items.kept))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let mut entries = MapAdapter { map, kept: None, _de: PhantomData };
        self.0.map(&mut entries).map_err(|e| e.into_source(&mut entries.kept))
    }
}

/// An integer beyond 64 bits, kept exactly.
fn wide_integer(digits: String) -> Scalar<'static> {
    match digits.parse::<Number>() {
        Ok(n) => Scalar::Number(n),
        Err(_) => Scalar::String(digits),
    }
}

/// Reads a value into a sink, as a seed (map values, array items).
struct SinkSeed<'a>(&'a mut dyn Sink);

impl<'de> DeserializeSeed<'de> for SinkSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read_with(deserializer, self.0)
    }
}

/// Reads a key into a buffer.
struct KeyInto<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for KeyInto<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyInto<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
    fn visit_string<E>(self, v: String) -> Result<(), E> {
        *self.0 = v;
        Ok(())
    }
}

/// A serde `MapAccess` as a [`MapSource`].
struct MapAdapter<'de, A: MapAccess<'de>> {
    map: A,
    kept: Option<A::Error>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> MapSource for MapAdapter<'de, A> {
    fn next_key(&mut self, key: &mut String) -> Result<bool, ReadError> {
        key.clear();
        match self.map.next_key_seed(KeyInto(key)) {
            Ok(found) => Ok(found.is_some()),
            Err(e) => Err(keep(&mut self.kept, e)),
        }
    }
    fn next_value(&mut self, sink: &mut dyn Sink) -> Result<(), ReadError> {
        self.map.next_value_seed(SinkSeed(sink)).map_err(|e| keep(&mut self.kept, e))
    }
}

/// A serde `SeqAccess` as a [`SeqSource`].
struct SeqAdapter<'de, A: SeqAccess<'de>> {
    seq: A,
    kept: Option<A::Error>,
    _de: PhantomData<&'de ()>,
}

impl<'de, A: SeqAccess<'de>> SeqSource for SeqAdapter<'de, A> {
    fn next_item(&mut self, sink: &mut dyn Sink) -> Result<bool, ReadError> {
        match self.seq.next_element_seed(SinkSeed(sink)) {
            Ok(found) => Ok(found.is_some()),
            Err(e) => Err(keep(&mut self.kept, e)),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

fn keep<E>(kept: &mut Option<E>, error: E) -> ReadError {
    *kept = Some(error);
    ReadError::kept()
}

/// Reads a [`Wire`] value leniently: typed into `value`, or the JSON as sent into `raw`.
pub struct WireSink<T> {
    /// The value read, when it had its type.
    pub value: Option<T>,
    /// The value read as sent, when it did not.
    pub raw: Option<Value>,
}

impl<T> WireSink<T> {
    /// An empty sink.
    pub fn new() -> Self {
        WireSink { value: None, raw: None }
    }

    /// The value read, typed or as sent; `None` when none was read.
    pub fn into_lenient(self) -> Option<Lenient<T>> {
        match (self.value, self.raw) {
            (Some(value), _) => Some(Lenient::Typed(value)),
            (None, Some(raw)) => Some(Lenient::Raw(raw)),
            (None, None) => None,
        }
    }

    fn put(&mut self, value: Lenient<T>) {
        match value {
            Lenient::Typed(value) => self.value = Some(value),
            Lenient::Raw(raw) => self.raw = Some(raw),
        }
    }
}

impl<T> Default for WireSink<T> {
    fn default() -> Self {
        WireSink::new()
    }
}

impl<T: Wire> Sink for WireSink<T> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        self.put(T::from_scalar(value));
        Ok(())
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        let value = T::from_map(map)?;
        self.put(value);
        Ok(())
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        let value = T::from_seq(seq)?;
        self.put(value);
        Ok(())
    }
    fn take_raw(&mut self) -> Option<Value> {
        self.raw.take()
    }
}

/// Reads through a lenient sink strictly: a value not of its type is an error, raised
/// where the value is (so serde_json names its line and column).
pub struct Strict<'a> {
    /// The lenient sink read into.
    pub inner: &'a mut dyn Sink,
    /// What a value of the type looks like ([`Wire::EXPECTING`]).
    pub expected: &'static str,
}

impl Strict<'_> {
    fn check(&mut self) -> Result<(), ReadError> {
        match self.inner.take_raw() {
            Some(raw) => Err(ReadError::unexpected(&raw, self.expected)),
            None => Ok(()),
        }
    }
}

impl Sink for Strict<'_> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        self.inner.scalar(value)?;
        self.check()
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        self.inner.map(map)?;
        self.check()
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        self.inner.seq(seq)?;
        self.check()
    }
}

/// The items of an array being collected: where the next item is read, and how it is kept.
pub trait Collect {
    /// The (lenient) sink the next item is read into.
    fn item(&mut self) -> &mut dyn Sink;
    /// Keeps the item just read.
    fn keep(&mut self) -> Result<(), ReadError>;
    /// What an item looks like ([`Wire::EXPECTING`]).
    fn expected(&self) -> &'static str;
}

/// A `Vec` of [`Wire`] values being collected.
pub struct VecOf<T> {
    /// The items kept so far.
    pub items: Vec<T>,
    next: WireSink<T>,
}

impl<T> Default for VecOf<T> {
    fn default() -> Self {
        VecOf { items: Vec::new(), next: WireSink::new() }
    }
}

impl<T: Wire> Collect for VecOf<T> {
    fn item(&mut self) -> &mut dyn Sink {
        &mut self.next
    }
    fn keep(&mut self) -> Result<(), ReadError> {
        let item = self.next.value.take().ok_or_else(|| ReadError::new("an array item was not read"))?;
        self.items.push(item);
        Ok(())
    }
    fn expected(&self) -> &'static str {
        T::EXPECTING
    }
}

/// Reads an array strictly into a [`Collect`], each item checked where it is.
pub struct Items<'a>(pub &'a mut dyn Collect);

impl Sink for Items<'_> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        Err(ReadError::unexpected(&value.into_value(), "an array"))
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        Err(reject_map(map, "an array"))
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        loop {
            let expected = self.0.expected();
            let mut item = Strict { inner: self.0.item(), expected };
            if !seq.next_item(&mut item)? {
                return Ok(());
            }
            self.0.keep()?;
        }
    }
}

/// Reads a page strictly: `value` into a [`Collect`], and the `@odata.nextLink`,
/// `@odata.count`, `@odata.context` and `@odata.deltaLink` annotations into `page` (whose
/// `value` stays empty); other members are skipped.
pub struct PageSink<'a> {
    /// Collects the items.
    pub items: &'a mut dyn Collect,
    /// The annotations read.
    pub page: Page<()>,
}

impl Sink for PageSink<'_> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        Err(ReadError::unexpected(&value.into_value(), PAGE))
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        Err(reject_seq(seq, PAGE))
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        let page = &mut self.page;
        let mut key = String::new();
        while map.next_key(&mut key)? {
            let link = match key.as_str() {
                "value" => {
                    map.next_value(&mut Items(&mut *self.items))?;
                    continue;
                }
                "@odata.count" => {
                    page.count = read_count(read_raw(map)?)?;
                    continue;
                }
                "@odata.nextLink" => &mut page.next_link,
                "@odata.context" => &mut page.context,
                "@odata.deltaLink" => &mut page.delta_link,
                _ => {
                    read_raw(map)?;
                    continue;
                }
            };
            *link = match read_raw(map)? {
                Value::String(text) => Some(text),
                Value::Null => None,
                other => return Err(ReadError::unexpected(&other, "a URL")),
            };
        }
        Ok(())
    }
}

const PAGE: &str = "a page: an object with a `value` array";

/// The error for an array where `expected` is, once the array is read.
fn reject_seq(seq: &mut dyn SeqSource, expected: &str) -> ReadError {
    match read_array(seq) {
        Ok(array) => ReadError::unexpected(&array, expected),
        Err(e) => e,
    }
}

/// The error for an object where `expected` is, once the object is read.
fn reject_map(map: &mut dyn MapSource, expected: &str) -> ReadError {
    match read_object(map) {
        Ok(object) => ReadError::unexpected(&object, expected),
        Err(e) => e,
    }
}

/// Reads the rest of an array as JSON.
pub fn read_array(seq: &mut dyn SeqSource) -> Result<Value, ReadError> {
    let mut raw = ValueSink(None);
    raw.seq(seq)?;
    Ok(raw.take())
}

/// `@odata.count`: a number, or a string of digits (`IEEE754Compatible=true`).
fn read_count(value: Value) -> Result<Option<i64>, ReadError> {
    match &value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| ReadError::unexpected(&value, "an integer")),
        Value::String(text) => text
            .parse()
            .map(Some)
            .map_err(|_| ReadError::new(format_args!("`@odata.count` is not an integer: {text:?}"))),
        _ => Err(ReadError::unexpected(&value, "an integer")),
    }
}

/// `Deserialize` of a [`Wire`] type: strict at the top, lenient within.
pub fn deserialize_wire<'de, T: Wire, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut value = WireSink::<T>::new();
    read_with(deserializer, &mut Strict { inner: &mut value, expected: T::EXPECTING })?;
    value.value.ok_or_else(|| de::Error::custom("no value was read"))
}

/// [`FromJson::from_json`] of a [`Wire`] type.
pub fn wire_from_json<T: Wire>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut value = WireSink::<T>::new();
    read_json(body, &mut Strict { inner: &mut value, expected: T::EXPECTING })?;
    value.value.ok_or_else(|| de::Error::custom("no value was read"))
}

/// [`FromJson::page_from_json`] of a [`Wire`] type.
pub fn wire_page_from_json<T: Wire>(body: &[u8]) -> Result<Page<T>, serde_json::Error> {
    let mut items = VecOf::<T>::default();
    let page = read_page_json(body, &mut items)?;
    Ok(Page {
        value: items.items,
        next_link: page.next_link,
        count: page.count,
        context: page.context,
        delta_link: page.delta_link,
    })
}

/// Reads a page document, its items into `items`.
fn read_page_json(body: &[u8], items: &mut dyn Collect) -> Result<Page<()>, serde_json::Error> {
    let page = Page { value: Vec::new(), next_link: None, count: None, context: None, delta_link: None };
    let mut sink = PageSink { items, page };
    read_json(body, &mut sink)?;
    Ok(sink.page)
}

/// [`FromJson::vec_from_json`] of a [`Wire`] type.
pub fn wire_vec_from_json<T: Wire>(body: &[u8]) -> Result<Vec<T>, serde_json::Error> {
    let mut items = VecOf::<T>::default();
    read_json(body, &mut Items(&mut items))?;
    Ok(items.items)
}
