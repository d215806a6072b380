//! URL encoding, key predicates, literals, function arguments and action bodies.

use std::fmt;

use super::*;

/// Percent-encodes a query option value: everything but unreserved characters and the
/// characters OData expressions use that are safe in a query (`$ ( ) , : @ / ! *`). Quotes are
/// encoded (`%27`), as WHATWG URL parsers such as reqwest's would do anyway.
pub fn encode_query_value(value: &str) -> String {
    encode(value, b"-._~$(),:@/!*")
}

/// Percent-encodes a path segment (a key value or a function call).
pub fn encode_path_segment(value: &str) -> String {
    encode(value, b"-._~$'(),:@!*=+&;")
}

/// Percent-encodes a cookie value: what RFC 6265 allows in one (`cookie-octet`) but `%`,
/// so no value can end the cookie (`;`) or add another.
pub fn encode_cookie_value(value: &str) -> String {
    encode(value, b"!#$&'()*+-./:<=>?@[]^_`{|}~")
}

fn encode(value: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A JSON object as an `application/x-www-form-urlencoded` body: each member `name=value`;
/// an array repeats its name once per item (`To=a&To=b`); an object's members are named
/// `name[member]` (the nesting Stripe and others use); `null` members are left out; strings
/// are sent as they are, other scalars as their JSON text, and objects inside arrays as
/// JSON. Fields come in the order the JSON map keeps (sorted, or as written with serde_json's
/// `preserve_order`). A value that is not an object is sent as one field named `value`.
pub fn encode_form(value: &serde_json::Value) -> Vec<u8> {
    fn field(out: &mut String, name: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Object(members) => {
                for (member, v) in members {
                    field(out, &format!("{name}[{member}]"), v);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    pair(out, name, &member_text(item));
                }
            }
            scalar => pair(out, name, &member_text(scalar)),
        }
    }
    fn pair(out: &mut String, name: &str, value: &str) {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(name, b"*-._").replace("%20", "+"));
        out.push('=');
        out.push_str(&encode(value, b"*-._").replace("%20", "+"));
    }
    let mut out = String::new();
    match value {
        serde_json::Value::Object(members) => {
            for (name, v) in members {
                field(&mut out, name, v);
            }
        }
        other => field(&mut out, "value", other),
    }
    out.into_bytes()
}

/// The text of a scalar member of an object parameter or a form: a string as it is, anything
/// else as its JSON text.
fn member_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The query parameters an object parameter named `name` (already encoded) is sent as, by
/// OpenAPI's styles: each member as `member=value` (`form`, exploded), or as
/// `name[member]=value` (`deepObject`, nested objects as `name[a][b]`) when `deep`; an array
/// member repeats its name once per item, `null` members are left out, member names are
/// encoded. A value that is not an object is the one pair `name=value`.
pub fn object_query_pairs(name: &str, value: &serde_json::Value, deep: bool) -> Vec<(String, String)> {
    fn add(out: &mut Vec<(String, String)>, name: String, value: &serde_json::Value, deep: bool) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in items {
                    add(out, name.clone(), item, false);
                }
            }
            serde_json::Value::Object(members) if deep => {
                for (member, v) in members {
                    add(out, format!("{name}%5B{}%5D", encode_query_value(member)), v, true);
                }
            }
            other => out.push((name, member_text(other))),
        }
    }
    let mut out = Vec::new();
    match value {
        serde_json::Value::Object(members) => {
            for (member, v) in members {
                let key = if deep {
                    format!("{name}%5B{}%5D", encode_query_value(member))
                } else {
                    encode_query_value(member)
                };
                add(&mut out, key, v, deep);
            }
        }
        other => add(&mut out, name.to_owned(), other, false),
    }
    out
}

/// The text of an object parameter written as one value, by OpenAPI's `simple` style (and
/// unexploded `form`): members and values joined by commas (`R,100,G,200`), or
/// `R=100,G=200` when `explode`; `null` members left out, arrays and nested objects as their
/// JSON text. A value that is not an object: its text (a string as it is, else its JSON).
pub fn object_text<T: ToJson + ?Sized>(value: &T, explode: bool) -> String {
    let value: serde_json::Value = match value.to_json().and_then(|bytes| serde_json::from_slice(&bytes)) {
        Ok(v) => v,
        Err(_) => return String::new(),
    };
    let serde_json::Value::Object(members) = value else { return member_text(&value) };
    let mut parts = Vec::new();
    for (member, v) in &members {
        if v.is_null() {
            continue;
        }
        if explode {
            parts.push(format!("{member}={}", member_text(v)));
        } else {
            parts.push(member.clone());
            parts.push(member_text(v));
        }
    }
    parts.join(",")
}

/// How a service writes an entity's key in a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStyle {
    /// OData's key predicate in parentheses: `/Books(201)`, `/Books('abc')`,
    /// `/lines(orderId=1,lineNumber=2)`.
    Parentheses,
    /// A single key value as its own path segment (OData 4.01's key-as-segment convention,
    /// Microsoft Graph's form): `/Books/201`, `/Books/abc`. Composite keys, and string
    /// values that would mean something else as a segment (empty, `.`, `..`, `$…`), are
    /// still written in parentheses, which such services accept too.
    Segment,
}

/// An entity type whose collections are addressed by key
/// ([`CollectionRequest::by_id`](super::CollectionRequest::by_id)): generated for every
/// entity type with a key, own or inherited.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no key: its collections are not addressed by key (no `by_id`)",
    note = "the metadata declares no key for this entity type (allowed for the targets of non-containment navigation); address its members through the entity set they live in"
)]
pub trait Keyed {
    /// How the service writes keys in URLs.
    const KEY_STYLE: KeyStyle;
}

/// An entity key: a single value (`201`, `"abc"`, a [`Guid`]), or a composite key built
/// from its parts with [`Key::composite`]. It is written in the URL as the service's
/// [`KeyStyle`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(KeyValue);

#[derive(Clone, Debug, PartialEq, Eq)]
enum KeyValue {
    /// A string value, unquoted.
    Text(String),
    /// A value whose literal is its text (numbers).
    Bare(String),
    /// A 64-bit integer: `12`, `12L` in OData V2.
    Int64(i64),
    /// A GUID: bare, `guid'…'` in OData V2.
    Guid(String),
    /// `name=literal` pairs, joined with commas.
    Composite(String),
}

impl Key {
    /// A composite key from `(property, literal)` pairs; build literals with [`Literal`].
    pub fn composite(parts: &[(&str, Literal)]) -> Key {
        let inner: Vec<String> = parts.iter().map(|(name, lit)| format!("{name}={}", lit.0)).collect();
        Key(KeyValue::Composite(inner.join(",")))
    }

    /// `path` followed by this key in `style`, encoded; `v2`: with OData V2's literal forms.
    #[doc(hidden)]
    pub fn append_to(&self, path: &str, style: KeyStyle, v2: bool) -> String {
        let parens = |inner: &str| format!("{path}({})", encode_path_segment(inner));
        let segment = |value: &str| format!("{path}/{}", encode_path_segment(value));
        match (&self.0, style) {
            (KeyValue::Composite(inner), _) => parens(inner),
            (KeyValue::Int64(value), KeyStyle::Parentheses) if v2 => parens(&format!("{value}L")),
            (KeyValue::Guid(value), KeyStyle::Parentheses) if v2 => {
                parens(&Literal::prefixed("guid", value).0)
            }
            (KeyValue::Int64(value), KeyStyle::Segment) => segment(&value.to_string()),
            (KeyValue::Int64(value), KeyStyle::Parentheses) => parens(&value.to_string()),
            (KeyValue::Guid(value), KeyStyle::Segment) => segment(value),
            (KeyValue::Guid(value), KeyStyle::Parentheses) => parens(value),
            (KeyValue::Bare(value), KeyStyle::Segment) => segment(value),
            (KeyValue::Bare(value), KeyStyle::Parentheses) => parens(value),
            // URL parsers collapse dot segments, and `$` starts system segments such as
            // `$ref`: such values keep the parenthesised form.
            (KeyValue::Text(value), KeyStyle::Segment)
                if !(value.is_empty() || value == "." || value == ".." || value.starts_with('$')) =>
            {
                segment(value)
            }
            (KeyValue::Text(value), _) => parens(&Literal::string(value).0),
        }
    }
}

impl From<&str> for Key {
    fn from(value: &str) -> Key {
        Key(KeyValue::Text(value.to_owned()))
    }
}

impl From<String> for Key {
    fn from(value: String) -> Key {
        Key(KeyValue::Text(value))
    }
}

impl From<&String> for Key {
    fn from(value: &String) -> Key {
        Key(KeyValue::Text(value.clone()))
    }
}

macro_rules! key_from_display {
    ($($t:ty),*) => {$(
        impl From<$t> for Key {
            fn from(value: $t) -> Key {
                Key(KeyValue::Bare(value.to_string()))
            }
        }
    )*};
}

key_from_display!(i16, i32, u8);

impl From<i64> for Key {
    fn from(value: i64) -> Key {
        Key(KeyValue::Int64(value))
    }
}

impl From<Guid> for Key {
    /// A GUID is written bare (V2: `guid'…'`); text that is not one (hex digits and dashes)
    /// is written as a quoted string, so that no value can end the key predicate.
    fn from(value: Guid) -> Key {
        if !value.0.is_empty() && value.0.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            Key(KeyValue::Guid(value.0))
        } else {
            Key(KeyValue::Text(value.0))
        }
    }
}

/// An OData literal for a URL: a function parameter or a key part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal(String);

impl Literal {
    /// A string literal: quoted, with `'` doubled.
    pub fn string(value: &str) -> Literal {
        Literal(format!("'{}'", value.replace('\'', "''")))
    }

    /// A literal written as is (numbers, booleans, GUIDs, dates, `null`).
    pub fn raw(value: impl fmt::Display) -> Literal {
        Literal(value.to_string())
    }

    /// A duration literal: `duration'P1D'`.
    pub fn duration(value: &str) -> Literal {
        Literal(format!("duration'{value}'"))
    }

    /// A literal with a type prefix, `prefix'text'` (`'` doubled), as OData V2 writes GUIDs,
    /// dates and times: `guid'…'`, `datetime'2024-05-01T08:30:00'`, `time'PT13H20M'`.
    pub fn prefixed(prefix: &str, text: &str) -> Literal {
        Literal(format!("{prefix}'{}'", text.replace('\'', "''")))
    }

    /// A literal with a type suffix, as OData V2 writes 64-bit integers, decimals and floats:
    /// `12L`, `1.5M`, `2.5d`, `0.5f`.
    pub fn suffixed(value: impl fmt::Display, suffix: &str) -> Literal {
        Literal(format!("{value}{suffix}"))
    }
}

/// The parameters of a function call in the URL: `name(a='x',b=1)`. Structured and
/// collection values are passed as parameter aliases (`b=@b` and `?@b=<json>`).
#[derive(Debug, Default)]
pub struct FunctionArgs {
    pub(super) inline: Vec<String>,
    pub(super) aliases: Vec<(String, String)>,
    /// A value that failed to serialize: reported when the request is sent.
    pub(super) error: Option<serde_json::Error>,
}

impl FunctionArgs {
    /// The call `name(a=1,b='x')` of a function whose parameters are all literals (composable
    /// functions: no aliases to carry), encoded as a path segment.
    #[doc(hidden)]
    pub fn composed_segment(&self, name: &str) -> String {
        debug_assert!(self.aliases.is_empty());
        encode_path_segment(&format!("{name}({})", self.inline.join(",")))
    }
}

impl FunctionArgs {
    /// No parameters yet.
    pub fn new() -> Self {
        FunctionArgs::default()
    }

    /// A parameter as a literal.
    pub fn literal(mut self, name: &str, value: Literal) -> Self {
        self.inline.push(format!("{name}={}", value.0));
        self
    }

    /// A parameter as JSON in an alias (structured values, collections).
    pub fn json<V: ToJson + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match value.to_json() {
            Ok(bytes) => {
                // serde_json writes UTF-8.
                let json = String::from_utf8_lossy(&bytes).into_owned();
                self.inline.push(format!("{name}=@{name}"));
                self.aliases.push((format!("@{name}"), json));
            }
            Err(e) => self.error = Some(e),
        }
        self
    }
}

/// The JSON body of an action: its parameters by name, in the order given.
#[derive(Debug, Default)]
pub struct ActionBody(
    /// The members written so far (`"name":value`, comma-separated, no braces).
    Vec<u8>,
    pub(super) Option<serde_json::Error>,
);

impl ActionBody {
    /// No parameters yet.
    pub fn new() -> Self {
        ActionBody::default()
    }

    /// Adds a parameter.
    pub fn param<V: ToJson + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let start = self.0.len();
        if start > 0 {
            self.0.push(b',');
        }
        let written = serde_json::to_writer(&mut self.0, name).and_then(|()| {
            self.0.push(b':');
            value.write_json(&mut self.0)
        });
        if let Err(e) = written {
            self.0.truncate(start);
            self.1 = Some(e);
        }
        self
    }

    /// The body: `None` when no parameter was added (the request then has no body).
    pub(super) fn into_json(self) -> Option<Vec<u8>> {
        if self.0.is_empty() {
            return None;
        }
        let mut json = Vec::with_capacity(self.0.len() + 2);
        json.push(b'{');
        json.extend_from_slice(&self.0);
        json.push(b'}');
        Some(json)
    }

    /// Adds an optional parameter when it is set.
    pub fn optional<V: ToJson>(self, name: &str, value: &Option<V>) -> Self {
        match value {
            Some(v) => self.param(name, v),
            None => self,
        }
    }
}
