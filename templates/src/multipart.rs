//! `multipart/form-data` bodies (RFC 7578): the forms generated for OpenAPI operations that
//! take one, their file parts, and the encoding.

use std::fmt;

use super::*;

/// The content of a file part: its bytes, and what the part says about them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The file's bytes, sent as they are.
    pub bytes: Vec<u8>,
    /// The `filename` the part names; the part's name when `None`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; when `None`, the one the operation declares for the part, else
    /// `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file part of `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Names the file (`filename` in the part's `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A value sent as a `multipart/form-data` body: a generated form writes each of its fields
/// as parts.
pub trait MultipartForm {
    /// Adds the form's parts to `form`.
    fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error>;
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: String,
    bytes: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, in the order they are added.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// The content type of each named part, as the operation declares it (OpenAPI's
    /// `encoding`): used where a part does not state its own.
    declared: Vec<(String, String)>,
}

impl Multipart {
    /// An empty body; `declared` gives the content type of named parts (the operation's).
    pub fn new(declared: &[(&str, &str)]) -> Self {
        Multipart {
            parts: Vec::new(),
            declared: declared.iter().map(|(n, c)| ((*n).to_owned(), (*c).to_owned())).collect(),
        }
    }

    fn declared(&self, name: &str) -> Option<&str> {
        self.declared.iter().find(|(n, _)| n == name).map(|(_, c)| c.as_str())
    }

    /// Adds `value` as the part `name`, by OpenAPI's defaults: a string is sent as its text
    /// (`text/plain`), a number or boolean as its JSON text, an object as JSON
    /// (`application/json`), an array as one part per item, `null` not at all. A content type
    /// the operation declares for the part wins, except over `text/plain` for strings.
    pub fn value<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), serde_json::Error> {
        let json: serde_json::Value = serde_json::from_slice(&value.to_json()?)?;
        match json {
            serde_json::Value::Array(items) => {
                for item in items {
                    self.scalar(name, item);
                }
            }
            other => self.scalar(name, other),
        }
        Ok(())
    }

    fn scalar(&mut self, name: &str, value: serde_json::Value) {
        let (content_type, bytes) = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(s) => ("text/plain; charset=utf-8", s.into_bytes()),
            serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                ("application/json", value.to_string().into_bytes())
            }
            other => ("text/plain", other.to_string().into_bytes()),
        };
        let content_type = self.declared(name).unwrap_or(content_type).to_owned();
        self.parts.push(Part { name: name.to_owned(), file_name: None, content_type, bytes });
    }

    /// Adds a file part named `name`.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        let content_type = file
            .content_type
            .as_deref()
            .or_else(|| self.declared(name))
            .unwrap_or("application/octet-stream")
            .to_owned();
        let file_name = Some(file.file_name.clone().unwrap_or_else(|| name.to_owned()));
        self.parts.push(Part { name: name.to_owned(), file_name, content_type, bytes: file.bytes.clone() });
    }

    /// The boundary: one that no part's bytes contain, derived from them (so a body is the
    /// same each time it is built).
    fn boundary(&self) -> String {
        let contents: Vec<&[u8]> = self.parts.iter().flat_map(|p| [p.name.as_bytes(), &p.bytes]).collect();
        super::batch::unique_boundary("codegen", &contents)
    }

    /// The body and its `Content-Type` (`multipart/form-data; boundary=…`).
    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(&part.name));
            if let Some(file) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(
                format!("\r\nContent-Type: {}\r\n\r\n", super::batch::header_safe(&part.content_type))
                    .as_bytes(),
            );
            out.extend_from_slice(&part.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), out)
    }
}

/// A name inside a quoted `Content-Disposition` parameter: `"`, CR and LF percent-encoded, as
/// the HTML standard's form encoding does, and `\\` (an escape to some parsers), so no name
/// can end the parameter or the header.
fn quoted(name: &str) -> String {
    name.replace('\\', "%5C").replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}
