//! Runtime support for the generated types: OData primitive types that JSON carries as
//! strings, and the helpers behind flags enumerations.
//!
//! The text-based primitives (`Date`, `DateTimeOffset`, `TimeOfDay`, `Duration`, `Guid`,
//! `Binary`, `Stream`, `Decimal`) keep the exact text the service sent, so a value that does
//! not parse as its declared type never makes a whole document fail, and a read-modify-write
//! sends back what was read. Each offers typed access on top.

use std::fmt;

macro_rules! text_primitive {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
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
/// with `IEEE754Compatible=true`, as a string); both are accepted, and it is written back as a
/// number when the text is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal(pub String);

impl Decimal {
    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as `f64` (rounded), when the text is a number.
    pub fn to_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Ok(i) = self.0.parse::<i64>() {
            serializer.serialize_i64(i)
        } else if let Ok(u) = self.0.parse::<u64>() {
            serializer.serialize_u64(u)
        } else if let Some(f) = self.to_f64().filter(|f| f.is_finite()) {
            serializer.serialize_f64(f)
        } else {
            serializer.serialize_str(&self.0)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number or a string holding one")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Decimal, E> {
                Ok(Decimal(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Decimal, E> {
                Ok(Decimal(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `Edm.Geography*` / `Edm.Geometry*`: a GeoJSON value.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct GeoJson(pub serde_json::Value);

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
