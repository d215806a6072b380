//! OData primitive types that JSON carries as strings, kept as the text that was sent.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::*;

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
            const EXPECTING: &'static str = "a string";
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
    /// `Edm.DateTimeOffset`: an RFC 3339 timestamp such as `2024-05-01T08:30:00Z` (in OData
    /// V2 JSON, `/Date(1714552200000+0060)/`: see [`DateTime::millis`]).
    DateTimeOffset
}

text_primitive! {
    /// OData V2's `Edm.DateTime`: a date and time without an offset, written in V2 JSON as
    /// `/Date(<milliseconds since 1970-01-01T00:00:00>)/` (some services send ISO 8601,
    /// `2024-05-01T08:30:00`): the text is kept as sent.
    DateTime
}

/// The milliseconds in a V2 JSON date, `/Date(1714552200000)/` or `/Date(…+0060)/` (the
/// offset, in minutes, is not applied: the milliseconds are UTC).
fn v2_millis(text: &str) -> Option<i64> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    // The offset's sign comes after the first character (which may be a minus).
    let end = inner.get(1..)?.find(['+', '-']).map_or(inner.len(), |i| i + 1);
    inner.get(..end)?.parse().ok()
}

impl DateTime {
    /// A V2 JSON date for `millis` since 1970-01-01T00:00:00: `/Date(millis)/`.
    pub fn from_millis(millis: i64) -> DateTime {
        DateTime(format!("/Date({millis})/"))
    }

    /// The milliseconds since 1970-01-01T00:00:00 of a V2 JSON date (`/Date(…)/`); `None`
    /// for text in another form.
    pub fn millis(&self) -> Option<i64> {
        v2_millis(&self.0)
    }
}

impl DateTimeOffset {
    /// The milliseconds since 1970-01-01T00:00:00Z of a V2 JSON date (`/Date(…+0060)/`);
    /// `None` for an RFC 3339 timestamp or other text.
    pub fn v2_millis(&self) -> Option<i64> {
        v2_millis(&self.0)
    }
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
        // ISO 8601 wants at least one component, and one after a `T`.
        let mut components = 0;
        if !days.is_empty() {
            seconds += days.strip_suffix('D')?.parse::<f64>().ok()? * 86_400.0;
            components += 1;
        }
        if rest.contains('T') && time.is_empty() {
            return None;
        }
        let mut number = String::new();
        for c in time.chars() {
            match c {
                '0'..='9' | '.' => number.push(c),
                'H' | 'M' | 'S' => {
                    let n: f64 = number.parse().ok()?;
                    components += 1;
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
        if !number.is_empty() || components == 0 {
            return None;
        }
        // Out of range (or not finite) is `None`, never a panic: the text comes from a service.
        std::time::Duration::try_from_secs_f64(seconds).ok()
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
        let digits = self.0.trim_end_matches('=');
        // A last group of one digit carries no whole byte: the text was cut.
        if digits.len() % 4 == 1 {
            return None;
        }
        for c in digits.bytes() {
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
        deserialize_wire(deserializer)
    }
}

impl Wire for Decimal {
    const EXPECTING: &'static str = "a decimal number or a string";
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
    const EXPECTING: &'static str = "a GeoJSON object";
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        Ok(Lenient::Typed(GeoJson(read_object(map)?)))
    }
}
