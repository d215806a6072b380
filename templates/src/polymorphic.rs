//! The enums of types with derived types, dispatched on `@odata.type` (or the property an
//! OpenAPI discriminator names).

use serde_json::{Map, Value};

use super::*;

/// The enum generated for a type with derived types: one variant per type (the base
/// first), chosen by `@odata.type` (or [`Self::KEY`]).
pub trait Polymorphic: Sized {
    /// The property whose value names the variant.
    const KEY: &'static str = "@odata.type";
    /// Type names (for OData qualified, and alias-qualified where the schema has an alias,
    /// without `#`; for a discriminator its values) and the variant index each names,
    /// sorted by name. Index 0 is the base type.
    const TYPES: &'static [(&'static str, u16)];
    /// For a hierarchy whose values do not name their type ([`Self::KEY`] empty: an
    /// OpenAPI `oneOf` of objects without a discriminator): the declared properties of each
    /// variant, by index. A value is read as the first variant that declares every property
    /// it has, else the one that declares the most of them (the first of equals); one that
    /// has none of them is unrecognized.
    const SHAPES: &'static [&'static [&'static str]] = &[];
    /// Reads the rest of an object as variant `index`; `None` when `@odata.type` names a
    /// type this crate does not know.
    fn read_variant(
        index: Option<u16>,
        odata_type: Option<String>,
        map: &mut dyn MapSource,
    ) -> Result<Self, ReadError>;
}

/// The variant a type name names: exactly, else without a leading `#`, else ignoring
/// ASCII case.
fn variant_of(types: &[(&'static str, u16)], odata_type: &str) -> Option<u16> {
    let name = odata_type.strip_prefix('#').unwrap_or(odata_type);
    lookup(types, odata_type)
        .or_else(|| lookup(types, name))
        .or_else(|| types.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, i)| *i))
}

/// Reads an object as the variant its `@odata.type` names. When `@odata.type` comes first
/// (as services write it) the object streams straight into that type; otherwise it is
/// buffered once and read again from the buffer.
pub fn read_polymorphic<P: Polymorphic>(map: &mut dyn MapSource) -> Result<Lenient<P>, ReadError> {
    let mut out = None;
    let raw = dispatch(map, (P::KEY, P::TYPES, P::SHAPES), &mut |index, odata_type, map| {
        out = Some(P::read_variant(index, odata_type, map)?);
        Ok(())
    })?;
    match (out, raw) {
        (Some(value), _) => Ok(Lenient::Typed(value)),
        (None, Some(raw)) => Ok(Lenient::Raw(raw)),
        (None, None) => Err(ReadError::new("no variant was read")),
    }
}

/// Reads the rest of an object as variant `index`, with `@odata.type` when it was read.
type ReadVariant<'a> =
    dyn FnMut(Option<u16>, Option<String>, &mut dyn MapSource) -> Result<(), ReadError> + 'a;

/// What chooses a variant: [`Polymorphic::KEY`], [`Polymorphic::TYPES`] and
/// [`Polymorphic::SHAPES`].
type Dispatch<'a> = (&'a str, &'a [(&'static str, u16)], &'a [&'static [&'static str]]);

/// The body of [`read_polymorphic`], compiled once: finds the variant and has `read` read
/// it; returns the value as sent instead when it is a number serde_json passed as a map.
fn dispatch(
    map: &mut dyn MapSource,
    (type_key, types, shapes): Dispatch<'_>,
    read: &mut ReadVariant<'_>,
) -> Result<Option<Value>, ReadError> {
    let mut key = String::new();
    if !map.next_key(&mut key)? {
        return read(Some(0), None, map).map(|()| None);
    }
    let first = match (key.as_str(), read_raw(map)?) {
        (key, Value::String(name)) if key == type_key && !type_key.is_empty() => {
            return read(variant_of(types, &name), Some(name), map).map(|()| None);
        }
        (NUMBER_TOKEN, value) => match number_token(&value) {
            Some(number) => return Ok(Some(number)),
            None => (key, value),
        },
        (_, value) => (key, value),
    };
    let mut object = Map::new();
    object.insert(first.0, first.1);
    let mut key = String::new();
    while map.next_key(&mut key)? {
        let value = read_raw(map)?;
        object.insert(std::mem::take(&mut key), value);
    }
    let index = match object.get(type_key) {
        _ if type_key.is_empty() => shape_of(shapes, &object),
        Some(Value::String(name)) => variant_of(types, name),
        _ => Some(0),
    };
    // The readers are the same whatever they read from, so reading the buffer costs no
    // second copy of them.
    let mut variant = VariantSink { index, read };
    read_value(Value::Object(object), &mut variant).map(|()| None)
}

/// Which of several object types an object is, by the properties each declares (`shapes`):
/// the first that declares every property it has, else the one that declares the most (the
/// first of equals); `None` when it has none of them. Generated unions of several object
/// types try that one first.
pub fn union_shape(shapes: &[&[&str]], object: &Map<String, Value>) -> Option<u16> {
    shape_of(shapes, object)
}

/// The variant an object's properties choose (see [`Polymorphic::SHAPES`]).
fn shape_of(shapes: &[&[&str]], object: &Map<String, Value>) -> Option<u16> {
    let mut best = (None, 0);
    for (i, declared) in shapes.iter().enumerate() {
        let known = object.keys().filter(|k| declared.contains(&k.as_str())).count();
        if known == object.len() && known > 0 {
            return Some(i as u16);
        }
        if known > best.1 {
            best = (Some(i as u16), known);
        }
    }
    best.0
}

/// Reads an object as variant `index`.
struct VariantSink<'a> {
    index: Option<u16>,
    read: &'a mut ReadVariant<'a>,
}

impl Sink for VariantSink<'_> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), ReadError> {
        Err(ReadError::unexpected(&value.into_value(), "a JSON object"))
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        (self.read)(self.index, None, map)
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        Err(ReadError::unexpected(&read_array(seq)?, "a JSON object"))
    }
}
