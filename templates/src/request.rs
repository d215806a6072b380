//! One request: query options, headers, body, and the decoder of its response.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::*;

/// A field of a structured type, for `$select`, `$expand` and `$orderby`.
pub trait FieldName: Copy {
    /// The wire name.
    fn name(self) -> &'static str;
}

/// A type whose fields can be selected. Generated for every entity and complex type.
pub trait Selectable {
    /// The generated enum of its fields.
    type Field: FieldName;
}

/// Turns a success response into the request's output.
pub trait Decoder<O> {
    /// Decodes `response` (status 2xx).
    fn decode(response: HttpResponse) -> Result<O, Error>;
}

/// The body is the JSON of the output.
pub struct Json;
/// The body is ignored (204 No Content, or a body the caller did not ask for).
pub struct Empty;
/// The body is `{"value": ...}` (primitive and enumeration results).
pub struct ValueOf;
/// The body is raw bytes (media and stream content).
pub struct Bytes;
/// The body is a plain-text number (`$count`).
pub struct Count;

/// The body without a UTF-8 byte order mark (some services send one).
pub(super) fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

fn decode_json<O: DeserializeOwned>(response: &HttpResponse) -> Result<O, Error> {
    serde_json::from_slice(without_bom(&response.body)).map_err(|source| decode_error(response, source))
}

fn decode_error(response: &HttpResponse, source: serde_json::Error) -> Error {
    Error::Decode {
        status: response.status,
        source,
        body: String::from_utf8_lossy(&response.body).into_owned(),
    }
}

/// Through the output's own [`FromJson`] entry point, compiled where the type is defined.
impl<O: FromJson> Decoder<O> for Json {
    fn decode(response: HttpResponse) -> Result<O, Error> {
        O::from_json(without_bom(&response.body)).map_err(|source| decode_error(&response, source))
    }
}

impl Decoder<()> for Empty {
    fn decode(_: HttpResponse) -> Result<(), Error> {
        Ok(())
    }
}

impl Decoder<Vec<u8>> for Bytes {
    fn decode(response: HttpResponse) -> Result<Vec<u8>, Error> {
        Ok(response.body)
    }
}

impl Decoder<i64> for Count {
    fn decode(response: HttpResponse) -> Result<i64, Error> {
        let text = String::from_utf8_lossy(without_bom(&response.body));
        // A JSON number parses the same way; the error message comes from serde_json.
        serde_json::from_str::<i64>(text.trim()).map_err(|source| Error::Decode {
            status: response.status,
            source,
            body: text.into_owned(),
        })
    }
}

/// The body of a `$ref` request: `{"@odata.id": "<url>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The URL of the referenced entity.
    #[serde(rename = "@odata.id")]
    pub id: String,
}

impl<O: DeserializeOwned> Decoder<O> for ValueOf {
    fn decode(response: HttpResponse) -> Result<O, Error> {
        #[derive(Deserialize)]
        struct Wrapper<V> {
            value: V,
        }
        decode_json::<Wrapper<O>>(&response).map(|w| w.value)
    }
}

/// One request, with its OData query options and headers. `.await` it (or call
/// [`Request::send`]) to send it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<O, D = Json> {
    pub(super) client: Client,
    pub(super) method: Method,
    pub(super) url: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Option<Vec<u8>>,
    /// Why the request cannot be sent (a body that failed to serialize, an argument that
    /// cannot be written): reported when it is sent.
    pub(super) encode_error: Option<Error>,
    /// Where a page of a collection that is not OData's holds its items and next page.
    pub(super) page_keys: Option<PageKeys>,
    pub(super) _output: PhantomData<fn() -> (O, D)>,
}

/// Where a page object that is not OData's holds its items and its next page.
#[derive(Clone, Copy, Debug)]
pub(super) struct PageKeys {
    /// The property holding the items.
    items: &'static str,
    /// A JSON pointer to the next page's URL, or to its cursor (with `cursor`).
    next: Option<&'static str>,
    /// The query parameter (encoded) a cursor is sent back as.
    cursor: Option<&'static str>,
}

/// A page object as OData's (`value`, `@odata.nextLink`), which [`Page`] reads: its items
/// from `keys.items`, and the next page's URL from `keys.next` — or, with a cursor, `url`
/// with the cursor as its query parameter. A next link or cursor that is absent, `null` or
/// empty ends the paging.
fn as_odata_page(body: &[u8], keys: PageKeys, url: &str) -> Option<Vec<u8>> {
    let page: serde_json::Value = serde_json::from_slice(without_bom(body)).ok()?;
    // A JSON pointer, or (without a leading `/`) a property name.
    let at = |key: &str| if key.starts_with('/') { page.pointer(key) } else { page.get(key) };
    let next = keys.next.and_then(|key| match at(key)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let serde_json::Value::Object(mut page) = page else { return None };
    let mut out = serde_json::Map::new();
    out.insert("value".to_owned(), page.remove(keys.items).unwrap_or(serde_json::Value::Array(Vec::new())));
    if let Some(next) = next {
        let link = match keys.cursor {
            Some(parameter) => with_query_parameter(url, parameter, &next),
            None => next,
        };
        out.insert("@odata.nextLink".to_owned(), serde_json::Value::String(link));
    }
    serde_json::to_vec(&out).ok()
}

/// `url` with the query parameter `name` (encoded) set to `value` alone: any it had
/// replaced, the others kept in order.
fn with_query_parameter(url: &str, name: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("{name}={}", encode_query_value(value)));
    format!("{base}?{}", pairs.join("&"))
}

/// Adds `name=value` (both as they are) to the `Cookie` header among `headers`, after any
/// cookies it already holds.
pub(super) fn add_cookie(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    match headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("cookie")) {
        Some((_, existing)) => *existing = format!("{existing}; {name}={value}"),
        None => headers.push(("Cookie".to_owned(), format!("{name}={value}"))),
    }
}

impl<O, D> fmt::Debug for Request<O, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl<O, D> Request<O, D> {
    /// A request to `path` (relative to the service root, or an absolute URL).
    pub fn new(client: Client, method: Method, path: &str) -> Self {
        let lower = path.get(..8).unwrap_or(path).to_ascii_lowercase();
        let url = if lower.starts_with("http://") || lower.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}{path}", client.base_url())
        };
        Request {
            client,
            method,
            url,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            encode_error: None,
            page_keys: None,
            _output: PhantomData,
        }
    }

    /// Reads the pages this request returns from the property `items` and the next page's URL
    /// at the JSON pointer `next_link` (`/nextLink`, `/meta/next_page_url`; without a leading
    /// `/`, a property name), instead of OData's `value` and `@odata.nextLink`.
    pub fn page_keys(mut self, items: &'static str, next_link: Option<&'static str>) -> Self {
        self.page_keys = Some(PageKeys { items, next: next_link, cursor: None });
        self
    }

    /// Reads the pages this request returns from the property `items`, the next page being
    /// this request with the query parameter `parameter` (encoded) set to the cursor at the
    /// JSON pointer `cursor`.
    pub fn page_cursor(mut self, items: &'static str, cursor: &'static str, parameter: &'static str) -> Self {
        self.page_keys = Some(PageKeys { items, next: Some(cursor), cursor: Some(parameter) });
        self
    }

    /// Sets the JSON body.
    pub fn json_body<B: ToJson + ?Sized>(self, body: &B) -> Self {
        self.json_body_as("application/json", body)
    }

    /// Sets a JSON body sent as `content_type` (a `+json` media type such as
    /// `application/merge-patch+json`).
    pub fn json_body_as<B: ToJson + ?Sized>(mut self, content_type: &str, body: &B) -> Self {
        match body.to_json() {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.encode_error = Some(Error::Encode(e)),
        }
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self
    }

    /// Sets a body of `content_type` `application/x-www-form-urlencoded`: the value's JSON,
    /// form-encoded ([`encode_form`]).
    pub fn form_body_as<B: ToJson + ?Sized>(mut self, content_type: &str, body: &B) -> Self {
        match body.to_json().and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes)) {
            Ok(value) => self.body = Some(encode_form(&value)),
            Err(e) => self.encode_error = Some(Error::Encode(e)),
        }
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self
    }

    /// Sets a `multipart/form-data` body: the parts `form` writes, with the content types
    /// `declared` for named parts (OpenAPI's `encoding`) where a part does not state its own.
    pub fn multipart_body<F: MultipartForm + ?Sized>(mut self, form: &F, declared: &[(&str, &str)]) -> Self {
        let mut parts = Multipart::new(declared);
        match form.write_parts(&mut parts) {
            Ok(()) => {
                let (content_type, body) = parts.encode();
                self.body = Some(body);
                self.headers.push(("Content-Type".to_owned(), content_type));
            }
            Err(e) => self.encode_error = Some(Error::Encode(e)),
        }
        self
    }

    /// Sets a raw body with its content type.
    pub fn raw_body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds the cookie `name` (an HTTP token) to the `Cookie` header, its value
    /// percent-encoded ([`encode_cookie_value`]).
    pub fn cookie(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        add_cookie(&mut self.headers, &name.into(), &encode_cookie_value(&value.into()));
        self
    }

    /// Adds a query option as written (`name` is not encoded; `value` is).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        match self.query.iter_mut().find(|(n, _)| *n == name) {
            Some(existing) => existing.1 = value,
            None => self.query.push((name, value)),
        }
        self
    }

    /// Adds a query parameter after any of the same name (`?tag=a&tag=b`); `name` is not
    /// encoded, `value` is.
    pub fn append_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds an object parameter named `name` (already encoded) as query parameters
    /// ([`object_query_pairs`]): its members as `member=value` (OpenAPI's `form` style,
    /// exploded), or as `name[member]=value` (`deepObject`) when `deep`.
    pub fn object_query<T: ToJson + ?Sized>(mut self, name: &str, value: &T, deep: bool) -> Self {
        match value.to_json().and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes)) {
            Ok(value) => self.query.extend(object_query_pairs(name, &value, deep)),
            Err(e) => self.encode_error = Some(Error::Encode(e)),
        }
        self
    }

    /// `$filter`: an OData filter expression, e.g. `startswith(displayName,'a')`.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.query("$filter", expression)
    }

    /// `$search`: a search expression, e.g. `"displayName:alpha"` (quotes included).
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.query("$search", expression)
    }

    /// `$top`: at most this many items (per page).
    pub fn top(self, n: u64) -> Self {
        self.query("$top", n.to_string())
    }

    /// `$skip`: skip this many items.
    pub fn skip(self, n: u64) -> Self {
        self.query("$skip", n.to_string())
    }

    /// `$count`: ask for the total count (`@odata.count`).
    pub fn count(self, count: bool) -> Self {
        // OData V2 asks for the count beside the items with `$inlinecount`.
        if self.client.is_odata_v2() {
            return self.query("$inlinecount", if count { "allpages" } else { "none" });
        }
        self.query("$count", count.to_string())
    }

    /// `$select` with wire names as written; prefer [`Request::select`].
    pub fn select_names(self, names: &[&str]) -> Self {
        self.query("$select", names.join(","))
    }

    /// `$expand` with expressions as written; prefer [`Request::expand`].
    pub fn expand_names(self, expressions: &[&str]) -> Self {
        self.query("$expand", expressions.join(","))
    }

    /// `$orderby` with expressions as written (e.g. `displayName desc`).
    pub fn orderby_names(self, expressions: &[&str]) -> Self {
        self.query("$orderby", expressions.join(","))
    }

    /// `If-Match: <etag>`: change or delete only the version of the entity this ETag names
    /// (optimistic concurrency); a stale ETag fails with [`Error::PreconditionFailed`].
    pub fn if_match(self, etag: impl Into<String>) -> Self {
        self.header("If-Match", etag)
    }

    /// `If-Match` with the ETag `entity` was read with ([`etag`]); nothing when it has none.
    pub fn if_match_of<E: Structure>(self, entity: &E) -> Self {
        match etag(entity) {
            Some(tag) => {
                let tag = tag.to_owned();
                self.if_match(tag)
            }
            None => self,
        }
    }

    /// `If-Match: *`: change or delete the entity whatever its version.
    pub fn if_match_any(self) -> Self {
        self.if_match("*")
    }

    /// `ConsistencyLevel: eventual` (Microsoft Graph's advanced queries need it).
    pub fn consistency_level_eventual(self) -> Self {
        self.header("ConsistencyLevel", "eventual")
    }

    /// Adds a `Prefer` header preference (e.g. `return=representation`).
    pub fn prefer(self, preference: impl Into<String>) -> Self {
        self.header("Prefer", preference)
    }

    /// The HTTP request this will send (before authentication and default headers).
    pub fn to_http(&self) -> HttpRequest {
        let mut url = self.url.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            let sep = if i == 0 && !url.contains('?') { '?' } else { '&' };
            url.push(sep);
            url.push_str(name);
            url.push('=');
            url.push_str(&encode_query_value(value));
        }
        HttpRequest { method: self.method, url, headers: self.headers.clone(), body: self.body.clone() }
    }
}

impl<O: Selectable, D> Request<O, D> {
    /// `$select`: only these fields.
    pub fn select(self, fields: impl IntoIterator<Item = O::Field>) -> Self {
        let names: Vec<&str> = fields.into_iter().map(FieldName::name).collect();
        self.select_names(&names)
    }

    /// `$expand`: these navigation properties inline.
    pub fn expand(self, fields: impl IntoIterator<Item = O::Field>) -> Self {
        let names: Vec<&str> = fields.into_iter().map(FieldName::name).collect();
        self.expand_names(&names)
    }

    /// `$orderby`: ascending by these fields.
    pub fn orderby(self, fields: impl IntoIterator<Item = O::Field>) -> Self {
        let names: Vec<&str> = fields.into_iter().map(FieldName::name).collect();
        self.orderby_names(&names)
    }
}

impl<O, D: Decoder<O>> Request<O, D> {
    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<O, Error> {
        if let Some(e) = self.encode_error {
            return Err(e);
        }
        let request = self.to_http();
        let url = request.url.clone();
        let response = self.client.execute(request).await?;
        finish_response::<O, D>(response, self.client.is_odata_v2(), self.page_keys, &url)
    }
}

/// A success response to the request sent to `url` decoded by `D`: V2's JSON read as V4's
/// (`v2`), and a page that is not OData's read as one (`page_keys`).
pub(super) fn finish_response<O, D: Decoder<O>>(
    mut response: HttpResponse,
    v2: bool,
    page_keys: Option<PageKeys>,
    url: &str,
) -> Result<O, Error> {
    if v2 {
        if let Some(body) = v2::normalize(&response.body) {
            response.body = body;
        }
    }
    if let Some(keys) = page_keys {
        if let Some(body) = as_odata_page(&response.body, keys, url) {
            response.body = body;
        }
    }
    D::decode(response)
}

impl<O: Send + 'static, D: Decoder<O> + 'static> IntoFuture for Request<O, D> {
    type Output = Result<O, Error>;
    type IntoFuture = BoxFuture<'static, Result<O, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T: FromJson + Send + 'static> Request<Page<T>, Json> {
    /// Every item of every page, following `@odata.nextLink`.
    pub async fn all(self) -> Result<Vec<T>, Error> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            items.extend(page?.value);
        }
        Ok(items)
    }

    /// The pages one by one, following `@odata.nextLink`.
    pub fn pages(self) -> Pager<T> {
        Pager { next: Some(self), headers: Vec::new() }
    }
}

/// The ETag a value was read with: its `@odata.etag` (OData V4), or `__metadata.etag`
/// (OData V2), as kept in its `extra` map.
pub fn etag<E: Structure>(value: &E) -> Option<&str> {
    etag_in(value.parts().1)
}

/// [`etag`] of the `extra` map of a value (a polymorphic value's `extra()`).
pub fn etag_in(extra: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    extra
        .get("@odata.etag")
        .or_else(|| extra.get("__metadata").and_then(|m| m.get("etag")))
        .and_then(serde_json::Value::as_str)
}

/// An action bound at `path` (POST `path/name` with the parameters as a JSON body).
#[doc(hidden)]
pub fn __bound_action<O, Dec>(client: &Client, path: &str, name: &str, body: ActionBody) -> Request<O, Dec> {
    let mut request = Request::new(client.clone(), Method::Post, &format!("{path}/{name}"));
    if let Some(e) = body.1 {
        request.encode_error = Some(Error::Encode(e));
    } else if let Some(json) = body.into_json() {
        request = request.raw_body("application/json", json);
    }
    request
}

/// A function bound at `path` (GET `path/name(...)`, structured values as `@p` aliases).
#[doc(hidden)]
pub fn __bound_function<O, Dec>(
    client: &Client,
    path: &str,
    name: &str,
    args: FunctionArgs,
) -> Request<O, Dec> {
    let call = format!("{name}({})", args.inline.join(","));
    let mut request =
        Request::new(client.clone(), Method::Get, &format!("{path}/{}", encode_path_segment(&call)));
    for (alias, json) in args.aliases {
        request = request.query(alias, json);
    }
    request.encode_error = args.error.map(Error::Encode);
    request
}

/// A part of a path template: text as written, or the value of a path parameter.
#[derive(Clone, Copy, Debug)]
pub enum TemplatePart<'a> {
    /// Text of the template, as written (`/pets/`).
    Literal(&'a str),
    /// A parameter's value, percent-encoded as one path segment.
    Parameter(&'a str),
}

impl<O, D> Request<O, D> {
    /// A request to the path a template makes with these values (an operation addressed by a
    /// path template). A parameter value that is empty, `.` or `..` would make the URL address
    /// another resource (URL parsers remove dot segments), so such a request fails with
    /// [`Error::Argument`] when sent, and sends nothing.
    pub fn from_template(client: Client, method: Method, parts: &[TemplatePart<'_>]) -> Self {
        let mut path = String::new();
        let mut refused = None;
        for part in parts {
            match part {
                TemplatePart::Literal(text) => path.push_str(text),
                TemplatePart::Parameter(value) => {
                    if matches!(*value, "" | "." | "..") {
                        refused = Some(Error::Argument(format!(
                            "the path parameter value {value:?} would address another resource"
                        )));
                    }
                    path.push_str(&encode_path_segment(value));
                }
            }
        }
        let mut request = Request::new(client, method, &path);
        request.encode_error = refused;
        request
    }
}
