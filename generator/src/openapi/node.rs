//! An OpenAPI document as read: a JSON-shaped tree that keeps the order objects were
//! written in (properties, paths and operations keep their declaration order in the
//! generated code), read from YAML by serde_yaml or from JSON by serde_json, and a locator
//! that finds the line and column of a JSON pointer in the text.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null` (or an empty YAML value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written when it is an integer, else as serde reads it.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, in the order written. Keys that YAML reads as numbers or booleans (a
    /// response's `200:`) are kept as the text they print as.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string it is.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members of an object (none for another value).
    pub fn members(&self) -> &[(String, Node)] {
        match self {
            Node::Object(members) => members,
            _ => &[],
        }
    }

    /// The items of an array (none for another value).
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Array(items) => items,
            _ => &[],
        }
    }

    /// What kind of value it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    /// The value at `pointer` (a JSON pointer, `/components/schemas/Pet`).
    pub fn at(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        if pointer.is_empty() {
            return Some(node);
        }
        for segment in pointer.strip_prefix('/')?.split('/') {
            let key = unescape(segment);
            node = match node {
                Node::Object(_) => node.get(&key)?,
                Node::Array(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The value as JSON (for examples and defaults).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => serde_json::Value::Bool(*b),
            Node::Number(n) => serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, |n| {
                if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                    serde_json::Value::from(n.as_f64().unwrap_or_default() as i64)
                } else {
                    serde_json::Value::Number(n)
                }
            }),
            Node::String(s) => serde_json::Value::String(s.clone()),
            Node::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Object(members) => {
                serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// A JSON pointer segment with `~1` and `~0` undone (and `%`-escapes, as `$ref`s in URI
/// fragments may write them).
pub fn unescape(segment: &str) -> String {
    let segment = segment.replace("~1", "/").replace("~0", "~");
    percent_decode(&segment)
}

/// A JSON pointer segment for `key`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let key = match key {
                Node::String(s) => s,
                Node::Bool(b) => b.to_string(),
                Node::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => (n as i64).to_string(),
                Node::Number(n) => n.to_string(),
                Node::Null => "null".to_owned(),
                other => return Err(de::Error::custom(format!("an object key is {}", other.kind()))),
            };
            let value = map.next_value()?;
            if members.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!("the key `{key}` appears twice in one object")));
            }
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

/// Whether `text` is JSON rather than YAML (its first character opens an object).
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// A parse error: message and byte offset.
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Where, as a byte offset into the text.
    pub offset: usize,
}

/// Reads a document, JSON or YAML.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let body = text.trim_start_matches('\u{feff}');
    let skipped = text.len() - body.len();
    if is_json(body) {
        let mut de = serde_json::Deserializer::from_str(body);
        let node = Node::deserialize(&mut de).and_then(|node| de.end().map(|()| node));
        node.map_err(|e| ParseError {
            message: strip_position(&e.to_string()),
            offset: skipped + offset_of(body, e.line(), e.column()),
        })
    } else {
        serde_yaml::from_str::<Node>(body).map_err(|e| {
            let offset = e.location().map_or(0, |l| l.index());
            ParseError { message: strip_position(&e.to_string()), offset: skipped + offset }
        })
    }
}

/// A serde error's message without the " at line 3 column 7" its display adds (the
/// diagnostic prints the place itself).
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The byte offset of 1-based `line` and `column` (counted in bytes, as serde_json does).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Finds where a JSON pointer's value is written: follows the pointer's keys through the
/// text, each after the previous one and (in YAML) indented deeper. A best effort: the
/// document tree does not keep positions, so a key written twice in an unusual layout may
/// be found at the wrong place; the diagnostic also prints the pointer.
#[cfg(test)]
pub fn locate(text: &str, root: &Node, pointer: &str) -> usize {
    locate_cached(text, root, pointer, &mut Located::new())
}

/// Where the pointers located so far are: pointer → (offset, indentation), the prefixes a
/// later pointer shares are not searched again.
pub type Located = std::collections::HashMap<String, (usize, Option<usize>)>;

/// [`locate`], reusing (and adding to) what `cache` holds.
pub fn locate_cached(text: &str, root: &Node, pointer: &str, cache: &mut Located) -> usize {
    let json = is_json(text);
    // The longest prefix already located.
    let mut done = 0;
    let (mut offset, mut indent) = (0, None);
    let mut cut = pointer.len();
    loop {
        if let Some(&(at, column)) = cache.get(&pointer[..cut]) {
            (offset, indent, done) = (at, column, cut);
            break;
        }
        match pointer[..cut].rfind('/') {
            Some(i) if i > 0 => cut = i,
            _ => break,
        }
    }
    let mut node = root.at(&pointer[..done]);
    let mut end = done;
    for segment in pointer[done..].split('/').skip(1) {
        end += 1 + segment.len();
        let key = unescape(segment);
        let found = match node {
            Some(Node::Array(items)) => {
                let index = key.parse::<usize>().ok();
                node = index.and_then(|i| items.get(i));
                match index {
                    Some(i) if !json => find_item(text, offset, i, indent),
                    // JSON items are not found by a scan: stay at the array.
                    _ => continue,
                }
            }
            Some(parent) => {
                node = parent.get(&key);
                find_key(text, offset, &key, json, indent)
            }
            None => None,
        };
        match found {
            Some((at, column)) => {
                offset = at;
                indent = Some(column);
                cache.insert(pointer[..end].to_owned(), (offset, indent));
            }
            None => break,
        }
    }
    offset
}

/// The offset and indentation of item `index` of the YAML block sequence under the key at
/// `from` (indented `parent`): the `index`-th line that starts with `-` among its children.
fn find_item(text: &str, from: usize, index: usize, parent: Option<usize>) -> Option<(usize, usize)> {
    let mut line_start = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    let (mut level, mut seen) = (None, 0);
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let start = line_start;
        line_start = line_end + 1;
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let column = line.len() - trimmed.len();
        if parent.is_some_and(|p| column < p)
            || !trimmed.starts_with('-') && parent.is_some_and(|p| column <= p)
        {
            return None;
        }
        if *level.get_or_insert(column) != column || !trimmed.starts_with('-') {
            continue;
        }
        if seen == index {
            return Some((start + column, column));
        }
        seen += 1;
    }
    None
}

/// The offset and indentation of key `key`: in JSON the next one from `from`; in YAML the
/// one among the direct children of the key at `from` (indented `parent`), or at the top
/// level when there is no parent.
fn find_key(text: &str, from: usize, key: &str, json: bool, parent: Option<usize>) -> Option<(usize, usize)> {
    if json {
        let quoted = format!("\"{key}\"");
        let mut search = from;
        while let Some(i) = text[search..].find(&quoted) {
            let at = search + i;
            if text[at + quoted.len()..].trim_start().starts_with(':') {
                return Some((at, 0));
            }
            search = at + 1;
        }
        return None;
    }
    let candidates = [format!("\"{key}\""), format!("'{}'", key.replace('\'', "''")), key.to_owned()];
    let mut line_start = match parent {
        None => 0,
        // An item (`- key: ...`): its first key is on its own line.
        Some(_) if text[from..].starts_with('-') => text[..from].rfind('\n').map_or(0, |i| i + 1),
        Some(_) => text[from..].find('\n').map_or(text.len(), |i| from + i + 1),
    };
    let mut children: Option<usize> = None;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        line_start = line_end + 1;
        let trimmed = line.trim_start_matches([' ', '-']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let column = line.len() - trimmed.len();
        if parent.is_some_and(|p| column <= p) {
            return None;
        }
        let level = *children.get_or_insert(column);
        if column != level {
            continue;
        }
        for c in &candidates {
            if let Some(rest) = trimmed.strip_prefix(c.as_str()) {
                if rest.trim_start().starts_with(':') {
                    return Some((line_end - trimmed.len(), column));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_read_into_the_same_ordered_tree() {
        let yaml = parse("b: 1\na:\n  - x\n  - true\n200: ok\n").ok().unwrap();
        let json = parse(r#"{"b": 1, "a": ["x", true], "200": "ok"}"#).ok().unwrap();
        assert_eq!(yaml, json);
        let keys: Vec<&str> = yaml.members().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "200"]);
        assert_eq!(yaml.at("/a/1"), Some(&Node::Bool(true)));
    }

    #[test]
    fn parse_errors_carry_offsets_without_the_position_text() {
        let Err(e) = parse("a: [1, 2\nb: 3\n") else { panic!("parsed") };
        assert!(!e.message.contains(" at line "), "{}", e.message);
        let Err(e) = parse("{\"a\": 1,\n \"a\": 2}") else { panic!("parsed") };
        assert!(e.message.contains("appears twice"), "{}", e.message);
        assert_eq!(&"{\"a\": 1,\n \"a\": 2}"[..e.offset].lines().count(), &2);
    }

    #[test]
    fn locate_follows_pointer_keys_by_indentation() {
        let text = "paths:\n  /a:\n    get:\n      x: 1\ncomponents:\n  schemas:\n    get:\n      x: 2\n";
        let root = parse(text).ok().unwrap();
        let at = locate(text, &root, "/components/schemas/get/x");
        assert_eq!(&text[at..at + 4], "x: 2");
        let at = locate(text, &root, "/paths/~1a/get");
        assert_eq!(&text[at..at + 4], "get:");
        let text = "p:\n  \"200\":\n    list:\n      - a: 1\n      - a: 2\n        b: 3\n";
        let root = parse(text).ok().unwrap();
        let at = locate(text, &root, "/p/200/list/1/b");
        assert_eq!(&text[at..at + 4], "b: 3");
        let at = locate(text, &root, "/p/200/list/1");
        assert_eq!(&text[at..at + 6], "- a: 2");
        let at = locate(text, &root, "/p/200/list/1/a");
        assert_eq!(&text[at..at + 4], "a: 2");
        let json = "{\"paths\": {\"/a\": {\"get\": {}}}, \"get\": 1}";
        let root = parse(json).ok().unwrap();
        let at = locate(json, &root, "/paths/~1a/get");
        assert_eq!(at, json.find("\"get\"").unwrap());
    }
}
