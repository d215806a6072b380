//! The HTTP side of the generated client: the transport and token hooks, the client root,
//! request handles that the generated navigation methods return, request options, paging
//! and errors.
//!
//! Generated code adds inherent methods to [`EntityRequest`] and [`CollectionRequest`] for
//! each entity type (navigation properties, casts to derived types, bound actions and
//! functions) and to [`Client`] (entity sets, singletons, action and function imports), so
//! the code grows with the number of types, not with the number of URL paths.
//!
//! The const parameters of the handles carry the metadata's Capabilities restrictions
//! (readable, insertable, updatable, deletable): where the service says a collection is not
//! insertable, `create` does not exist on its handle.

use std::collections::BTreeMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// HTTP methods the client uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request as handed to the [`Transport`]: absolute URL, headers, optional body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, query string included and encoded.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body (JSON for this client).
    pub body: Option<Vec<u8>>,
}

/// A response as returned by the [`Transport`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A failure below HTTP: connection, TLS, timeout, or a token provider that failed.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        TransportError { message: message.into(), source: None }
    }

    /// An error with a message and its cause.
    pub fn with_source(message: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        TransportError { message: message.into(), source: Some(Box::new(source)) }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {source}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// Sends HTTP requests. Implement it with any HTTP stack; `ReqwestTransport` in the
/// `reqwest_transport` module (cargo feature `reqwest`) is ready-made.
pub trait Transport: Send + Sync + 'static {
    /// Sends one request and returns the response, whatever its status.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Waits before a retry. The default parks a helper thread, so it works on any executor;
    /// implementations on an async runtime should use its timer.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(ThreadSleep::new(duration))
    }
}

/// Supplies bearer tokens; called before every request (cache inside the provider).
pub trait TokenProvider: Send + Sync + 'static {
    /// The access token (without the `Bearer ` prefix).
    fn token(&self) -> BoxFuture<'_, Result<String, TransportError>>;
}

/// A fixed bearer token.
#[derive(Clone)]
pub struct StaticToken(pub String);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(..)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, TransportError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Retries of throttled (429) and unavailable (503) responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The wait when the response has no usable `Retry-After`, doubled on each retry.
    pub base_delay: Duration,
    /// The longest wait, whatever `Retry-After` asks for.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(60) }
    }
}

struct ClientInner {
    base_url: String,
    transport: Box<dyn Transport>,
    tokens: Option<Box<dyn TokenProvider>>,
    retry: RetryPolicy,
    headers: Vec<(String, String)>,
}

/// The service root: base URL, transport, token provider and retry policy. Cheap to clone.
/// Generated methods on it lead to the service's entity sets, singletons and imports.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base_url).finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    inner: ClientInner,
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn token_provider(mut self, tokens: impl TokenProvider) -> Self {
        self.inner.tokens = Some(Box::new(tokens));
        self
    }

    /// Sends a fixed bearer token with every request.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken(token.into()))
    }

    /// Sets the retry policy for 429 and 503 responses.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.inner.retry = retry;
        self
    }

    /// Adds a header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner.headers.push((name.into(), value.into()));
        self
    }

    /// The client.
    pub fn build(self) -> Client {
        Client { inner: Arc::new(self.inner) }
    }
}

impl Client {
    /// A client for the service at `base_url` (e.g. `https://graph.microsoft.com/v1.0`).
    pub fn new(base_url: impl Into<String>, transport: impl Transport) -> Self {
        Client::builder(base_url, transport).build()
    }

    /// A builder for a client with a token provider, retry policy or default headers.
    pub fn builder(base_url: impl Into<String>, transport: impl Transport) -> ClientBuilder {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        ClientBuilder {
            inner: ClientInner {
                base_url,
                transport: Box::new(transport),
                tokens: None,
                retry: RetryPolicy::default(),
                headers: Vec::new(),
            },
        }
    }

    /// The service root URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle on the entity at `path` (relative to the service root, e.g. `/me`).
    pub fn entity<T>(&self, path: impl Into<String>) -> EntityRequest<T> {
        EntityRequest::new(self.clone(), path.into())
    }

    /// A handle on the collection at `path` (e.g. `/users`).
    pub fn collection<T>(&self, path: impl Into<String>) -> CollectionRequest<T> {
        CollectionRequest::new(self.clone(), path.into())
    }

    /// Sends a request: adds default headers and the bearer token, retries 429 and 503 as
    /// the policy allows, and turns error statuses into [`Error`]s.
    pub async fn execute(&self, mut request: HttpRequest) -> Result<HttpResponse, Error> {
        let inner = &self.inner;
        for (name, value) in &inner.headers {
            if !request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                request.headers.push((name.clone(), value.clone()));
            }
        }
        // The token goes only to the service's own origin (a next link may name another host),
        // and never replaces an Authorization header the caller set.
        let has_auth = request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        if let (Some(tokens), false, true) = (&inner.tokens, has_auth, same_origin(&request.url, &inner.base_url)) {
            let token = tokens.token().await.map_err(Error::Transport)?;
            request.headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        }
        let mut attempt = 0;
        loop {
            let response = inner.transport.send(request.clone()).await.map_err(Error::Transport)?;
            let retryable = response.status == 429 || response.status == 503;
            if retryable && attempt < inner.retry.max_retries {
                let delay = retry_after(&response)
                    .unwrap_or_else(|| inner.retry.base_delay.saturating_mul(1 << attempt.min(16)))
                    .min(inner.retry.max_delay);
                attempt += 1;
                inner.transport.sleep(delay).await;
                continue;
            }
            if (200..300).contains(&response.status) {
                return Ok(response);
            }
            return Err(Error::from_response(response));
        }
    }
}

/// `scheme://host[:port]` of a URL, lower-cased.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase())
}

fn same_origin(a: &str, b: &str) -> bool {
    origin(a) == origin(b)
}

/// Resolves a link from a payload against the URL of the request it came from: absolute
/// links stay, `/path` keeps the origin, other relative links replace the last segment.
fn resolve_link(base: &str, link: &str) -> String {
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return link.to_owned();
    }
    if link.starts_with('/') {
        return format!("{}{link}", origin(base));
    }
    let path = base.split(['?', '#']).next().unwrap_or(base);
    match path.rfind('/') {
        Some(i) if i > path.find("://").map(|j| j + 2).unwrap_or(0) => format!("{}{link}", &path[..=i]),
        _ => format!("{path}/{link}"),
    }
}

/// `Retry-After` in seconds (HTTP dates are not honoured: the policy's delay applies).
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header("Retry-After")?.trim();
    value.parse::<u64>().ok().map(Duration::from_secs)
}

/// The error body of an OData service: `{"error": {"code", "message", ...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceError {
    /// A service-defined error code.
    #[serde(default)]
    pub code: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// The target of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further errors.
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ServiceError>,
    /// Service-specific detail (`innererror`, written `innerError` by Microsoft Graph).
    #[serde(default, rename = "innerError", alias = "innererror", skip_serializing_if = "Option::is_none")]
    pub inner_error: Option<serde_json::Value>,
    /// Anything else the service sent.
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// `null` and absent both read as an empty list.
fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ServiceError,
}

/// What can go wrong with a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status and an OData error body.
    Service {
        /// The HTTP status.
        status: u16,
        /// The error body.
        error: Box<ServiceError>,
        /// The `request-id` header, when present (quote it to the service's support).
        request_id: Option<String>,
    },
    /// The service answered with an error status and a body that is not an OData error.
    Status {
        /// The HTTP status.
        status: u16,
        /// The body, as text.
        body: String,
    },
    /// The request did not get an HTTP response.
    Transport(TransportError),
    /// A success response whose body is not what the metadata declares.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not parse.
        source: serde_json::Error,
        /// The body, as text.
        body: String,
    },
    /// A request body could not be serialized.
    Encode(serde_json::Error),
}

impl Error {
    fn from_response(response: HttpResponse) -> Error {
        let request_id = response.header("request-id").map(str::to_owned);
        match serde_json::from_slice::<ErrorEnvelope>(without_bom(&response.body)) {
            Ok(envelope) => Error::Service { status: response.status, error: Box::new(envelope.error), request_id },
            Err(_) => Error::Status {
                status: response.status,
                body: String::from_utf8_lossy(&response.body).into_owned(),
            },
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service { status, .. } | Error::Status { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Transport(_) | Error::Encode(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service { status, error, .. } => write!(f, "HTTP {status}: {}: {}", error.code, error.message),
            Error::Status { status, body } => write!(f, "HTTP {status}: {body}"),
            Error::Transport(e) => write!(f, "transport: {e}"),
            Error::Decode { status, source, .. } => write!(f, "HTTP {status}: unexpected response body: {source}"),
            Error::Encode(e) => write!(f, "request body: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode { source, .. } | Error::Encode(source) => Some(source),
            _ => None,
        }
    }
}

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

/// One page of a collection: `value`, `@odata.nextLink`, `@odata.count`, `@odata.deltaLink`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned", serialize = "T: Serialize"))]
pub struct Page<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// The delta link of the last page of a delta query.
    #[serde(rename = "@odata.deltaLink", default, skip_serializing_if = "Option::is_none")]
    pub delta_link: Option<String>,
}

impl<T: Selectable> Selectable for Page<T> {
    type Field = T::Field;
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
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

fn decode_json<O: DeserializeOwned>(response: &HttpResponse) -> Result<O, Error> {
    serde_json::from_slice(without_bom(&response.body)).map_err(|source| Error::Decode {
        status: response.status,
        source,
        body: String::from_utf8_lossy(&response.body).into_owned(),
    })
}

impl<O: DeserializeOwned> Decoder<O> for Json {
    fn decode(response: HttpResponse) -> Result<O, Error> {
        decode_json(&response)
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
    client: Client,
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    /// A body that failed to serialize: reported when the request is sent.
    encode_error: Option<serde_json::Error>,
    _output: PhantomData<fn() -> (O, D)>,
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
            _output: PhantomData,
        }
    }

    /// Sets the JSON body.
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.encode_error = Some(e),
        }
        self.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
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
            return Err(Error::Encode(e));
        }
        let request = self.to_http();
        let response = self.client.execute(request).await?;
        D::decode(response)
    }
}

impl<O: Send + 'static, D: Decoder<O> + 'static> IntoFuture for Request<O, D> {
    type Output = Result<O, Error>;
    type IntoFuture = BoxFuture<'static, Result<O, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T: DeserializeOwned + Send + 'static> Request<Page<T>, Json> {
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

/// Walks the pages of a collection.
pub struct Pager<T> {
    next: Option<Request<Page<T>, Json>>,
    headers: Vec<(String, String)>,
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    /// The next page; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        let request = self.next.take()?;
        if self.headers.is_empty() {
            self.headers = request.headers.clone();
        }
        let client = request.client.clone();
        let url = request.url.clone();
        let result = request.send().await;
        if let Ok(page) = &result {
            if let Some(link) = &page.next_link {
                // The next link carries the query; the headers (e.g. ConsistencyLevel) are
                // sent again. A relative link is relative to the request it came from.
                let mut next = Request::new(client, Method::Get, &resolve_link(&url, link));
                next.headers = self.headers.clone();
                self.next = Some(next);
            }
        }
        Some(result)
    }
}

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

/// An entity key: a single value written as a path segment (`/jobs/{id}`), or a composite
/// key written in parentheses (`/lines(orderId=1,lineNumber=2)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(KeyForm);

#[derive(Clone, Debug, PartialEq, Eq)]
enum KeyForm {
    Segment(String),
    Parens(String),
}

impl Key {
    /// A composite key from `(property, literal)` pairs; build literals with [`Literal`].
    pub fn composite(parts: &[(&str, Literal)]) -> Key {
        let inner: Vec<String> = parts.iter().map(|(name, lit)| format!("{name}={}", lit.0)).collect();
        Key(KeyForm::Parens(inner.join(",")))
    }

    fn append_to(&self, path: &str) -> String {
        match &self.0 {
            KeyForm::Segment(s) => format!("{path}/{}", encode_path_segment(s)),
            KeyForm::Parens(s) => format!("{path}({})", encode_path_segment(s)),
        }
    }
}

impl Key {
    /// A string key: a path segment, or `('…')` when a segment would mean something else
    /// (empty, `.`, `..`, or `$…`: URL parsers collapse dot segments, and `$` starts system
    /// segments such as `$ref`).
    fn string(value: String) -> Key {
        if value.is_empty() || value == "." || value == ".." || value.starts_with('$') {
            Key(KeyForm::Parens(Literal::string(&value).0))
        } else {
            Key(KeyForm::Segment(value))
        }
    }
}

impl From<&str> for Key {
    fn from(value: &str) -> Key {
        Key::string(value.to_owned())
    }
}

impl From<String> for Key {
    fn from(value: String) -> Key {
        Key::string(value)
    }
}

impl From<&String> for Key {
    fn from(value: &String) -> Key {
        Key::string(value.clone())
    }
}

macro_rules! key_from_display {
    ($($t:ty),*) => {$(
        impl From<$t> for Key {
            fn from(value: $t) -> Key {
                Key(KeyForm::Segment(value.to_string()))
            }
        }
    )*};
}

key_from_display!(i16, i32, i64, u8, super::runtime::Guid);

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
}

/// The parameters of a function call in the URL: `name(a='x',b=1)`. Structured and
/// collection values are passed as parameter aliases (`b=@b` and `?@b=<json>`).
#[derive(Debug, Default)]
pub struct FunctionArgs {
    inline: Vec<String>,
    aliases: Vec<(String, String)>,
    /// A value that failed to serialize: reported when the request is sent.
    error: Option<serde_json::Error>,
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
    pub fn json<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_string(value) {
            Ok(json) => {
                self.inline.push(format!("{name}=@{name}"));
                self.aliases.push((format!("@{name}"), json));
            }
            Err(e) => self.error = Some(e),
        }
        self
    }
}

/// The JSON body of an action: its parameters by name.
#[derive(Debug, Default)]
pub struct ActionBody(serde_json::Map<String, serde_json::Value>, Option<serde_json::Error>);

impl ActionBody {
    /// No parameters yet.
    pub fn new() -> Self {
        ActionBody::default()
    }

    /// Adds a parameter.
    pub fn param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.0.insert(name.to_owned(), v);
            }
            Err(e) => self.1 = Some(e),
        }
        self
    }

    /// Adds an optional parameter when it is set.
    pub fn optional<V: Serialize>(self, name: &str, value: &Option<V>) -> Self {
        match value {
            Some(v) => self.param(name, v),
            None => self,
        }
    }
}

/// A handle on one entity: the generated methods on it navigate further, call bound
/// operations and cast to derived types; `get`, `update` and `delete` act on it where the
/// metadata allows (`R`, `U`, `D`: readable, updatable, deletable).
pub struct EntityRequest<T, const R: bool = true, const U: bool = true, const D: bool = true> {
    client: Client,
    path: String,
    _t: PhantomData<fn() -> T>,
}

impl<T, const R: bool, const U: bool, const D: bool> Clone for EntityRequest<T, R, U, D> {
    fn clone(&self) -> Self {
        EntityRequest { client: self.client.clone(), path: self.path.clone(), _t: PhantomData }
    }
}

impl<T, const R: bool, const U: bool, const D: bool> fmt::Debug for EntityRequest<T, R, U, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EntityRequest").field(&self.path).finish()
    }
}

impl<T, const R: bool, const U: bool, const D: bool> EntityRequest<T, R, U, D> {
    /// A handle on the entity at `path` (relative to the service root).
    pub fn new(client: Client, path: String) -> Self {
        EntityRequest { client, path, _t: PhantomData }
    }

    /// The path relative to the service root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A single-valued navigation property (or a cast segment).
    #[doc(hidden)]
    pub fn __entity<N, const R2: bool, const U2: bool, const D2: bool>(
        &self,
        segment: &str,
    ) -> EntityRequest<N, R2, U2, D2> {
        EntityRequest::new(self.client.clone(), format!("{}/{segment}", self.path))
    }

    /// A collection-valued navigation property.
    #[doc(hidden)]
    pub fn __collection<N, const R2: bool, const I2: bool, const U2: bool, const D2: bool>(
        &self,
        segment: &str,
    ) -> CollectionRequest<N, R2, I2, U2, D2> {
        CollectionRequest::new(self.client.clone(), format!("{}/{segment}", self.path))
    }

    /// A bound action call.
    #[doc(hidden)]
    pub fn __action<O, Dec>(&self, name: &str, body: ActionBody) -> Request<O, Dec> {
        action(&self.client, &self.path, name, body)
    }

    /// A bound function call.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        function(&self.client, &self.path, name, args)
    }
}

fn action<O, Dec>(client: &Client, path: &str, name: &str, body: ActionBody) -> Request<O, Dec> {
    let mut request = Request::new(client.clone(), Method::Post, &format!("{path}/{name}"));
    if body.1.is_some() {
        request.encode_error = body.1;
    } else if !body.0.is_empty() {
        request = request.json_body(&body.0);
    }
    request
}

fn function<O, Dec>(client: &Client, path: &str, name: &str, args: FunctionArgs) -> Request<O, Dec> {
    let call = format!("{name}({})", args.inline.join(","));
    let mut request = Request::new(client.clone(), Method::Get, &format!("{path}/{}", encode_path_segment(&call)));
    for (alias, json) in args.aliases {
        request = request.query(alias, json);
    }
    request.encode_error = args.error;
    request
}

impl<T: DeserializeOwned + Send + 'static, const U: bool, const D: bool> EntityRequest<T, true, U, D> {
    /// GET the entity.
    pub fn get(&self) -> Request<T> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }
}

impl<T: Serialize, const R: bool, const D: bool> EntityRequest<T, R, true, D> {
    /// PATCH the entity with the properties set in `patch` (unset `Option`s are not sent).
    pub fn update(&self, patch: &T) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Patch, &self.path).json_body(patch)
    }
}

impl<T: Serialize, const R: bool, const D: bool> EntityRequest<T, R, true, D> {
    /// PUT the entity: replace it with `entity` (properties left unset take their defaults).
    pub fn replace(&self, entity: &T) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Put, &self.path).json_body(entity)
    }
}

impl<T, const R: bool, const U: bool> EntityRequest<T, R, U, true> {
    /// DELETE the entity.
    pub fn delete(&self) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Delete, &self.path)
    }
}

impl<T, const R: bool, const U: bool, const D: bool> EntityRequest<T, R, U, D> {
    /// GET `…/$value`: the content of a media entity.
    pub fn get_value(&self) -> Request<Vec<u8>, Bytes> {
        Request::new(self.client.clone(), Method::Get, &format!("{}/$value", self.path))
    }

    /// PUT `…/$value`: replace the content of a media entity.
    pub fn put_value(&self, content_type: &str, content: Vec<u8>) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Put, &format!("{}/$value", self.path)).raw_body(content_type, content)
    }

    /// GET `…/$ref`: the URL of the entity this single-valued navigation property references.
    pub fn get_ref(&self) -> Request<Reference> {
        Request::new(self.client.clone(), Method::Get, &format!("{}/$ref", self.path))
    }

    /// PUT `…/$ref`: make this single-valued navigation property reference the entity at
    /// `url` (e.g. `https://graph.microsoft.com/v1.0/users/{id}`).
    pub fn set_ref(&self, url: &str) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Put, &format!("{}/$ref", self.path))
            .json_body(&Reference { id: url.to_owned() })
    }

    /// DELETE `…/$ref`: remove the reference (the entity itself stays).
    pub fn delete_ref(&self) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Delete, &format!("{}/$ref", self.path))
    }

    /// A structured property of the entity, by its wire name.
    #[doc(hidden)]
    pub fn __property<P>(&self, segment: &str) -> PropertyRequest<P> {
        PropertyRequest { client: self.client.clone(), path: format!("{}/{segment}", self.path), _p: PhantomData }
    }

    /// A stream property of the entity, by its wire name.
    #[doc(hidden)]
    pub fn __stream(&self, segment: &str) -> StreamRequest {
        StreamRequest { client: self.client.clone(), path: format!("{}/{segment}", self.path) }
    }

    /// A composable function call whose result is addressed further.
    #[doc(hidden)]
    pub fn __compose<N, const R2: bool, const U2: bool, const D2: bool>(
        &self,
        name: &str,
        args: FunctionArgs,
    ) -> EntityRequest<N, R2, U2, D2> {
        // Only functions whose parameters are all literals compose (no aliases to carry).
        debug_assert!(args.aliases.is_empty());
        let call = format!("{name}({})", args.inline.join(","));
        EntityRequest::new(self.client.clone(), format!("{}/{}", self.path, encode_path_segment(&call)))
    }

    /// A composable function call whose result is a collection addressed further.
    #[doc(hidden)]
    pub fn __compose_collection<N, const R2: bool, const I2: bool, const U2: bool, const D2: bool>(
        &self,
        name: &str,
        args: FunctionArgs,
    ) -> CollectionRequest<N, R2, I2, U2, D2> {
        debug_assert!(args.aliases.is_empty());
        let call = format!("{name}({})", args.inline.join(","));
        CollectionRequest::new(self.client.clone(), format!("{}/{}", self.path, encode_path_segment(&call)))
    }
}

/// A structured property addressed on its own (`…/mailboxSettings`): GET or PATCH it.
pub struct PropertyRequest<P> {
    client: Client,
    path: String,
    _p: PhantomData<fn() -> P>,
}

impl<P> fmt::Debug for PropertyRequest<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PropertyRequest").field(&self.path).finish()
    }
}

impl<P: DeserializeOwned + Serialize + Send + 'static> PropertyRequest<P> {
    /// GET the property value.
    pub fn get(&self) -> Request<P> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }

    /// PATCH the property with the fields set in `value`.
    pub fn update(&self, value: &P) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Patch, &self.path).json_body(value)
    }
}

/// A stream property addressed on its own (`…/content`): GET or PUT its bytes.
pub struct StreamRequest {
    client: Client,
    path: String,
}

impl fmt::Debug for StreamRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StreamRequest").field(&self.path).finish()
    }
}

impl StreamRequest {
    /// GET the stream content.
    pub fn get(&self) -> Request<Vec<u8>, Bytes> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }

    /// PUT new stream content.
    pub fn put(&self, content_type: &str, content: Vec<u8>) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Put, &self.path).raw_body(content_type, content)
    }
}

/// A handle on a collection of entities: `list` (with paging), `create`, `by_id`, and the
/// generated collection-bound operations and casts, where the metadata allows (`R`, `I`, `U`,
/// `D`: readable, insertable, updatable, deletable).
pub struct CollectionRequest<
    T,
    const R: bool = true,
    const I: bool = true,
    const U: bool = true,
    const D: bool = true,
> {
    client: Client,
    path: String,
    _t: PhantomData<fn() -> T>,
}

impl<T, const R: bool, const I: bool, const U: bool, const D: bool> Clone for CollectionRequest<T, R, I, U, D> {
    fn clone(&self) -> Self {
        CollectionRequest { client: self.client.clone(), path: self.path.clone(), _t: PhantomData }
    }
}

impl<T, const R: bool, const I: bool, const U: bool, const D: bool> fmt::Debug for CollectionRequest<T, R, I, U, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CollectionRequest").field(&self.path).finish()
    }
}

impl<T, const R: bool, const I: bool, const U: bool, const D: bool> CollectionRequest<T, R, I, U, D> {
    /// A handle on the collection at `path` (relative to the service root).
    pub fn new(client: Client, path: String) -> Self {
        CollectionRequest { client, path, _t: PhantomData }
    }

    /// The path relative to the service root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The entity with this key.
    pub fn by_id(&self, key: impl Into<Key>) -> EntityRequest<T, R, U, D> {
        EntityRequest::new(self.client.clone(), key.into().append_to(&self.path))
    }

    /// GET `…/$count`: the number of entities (accepts `$filter` and `$search`).
    pub fn count(&self) -> Request<i64, Count> {
        Request::new(self.client.clone(), Method::Get, &format!("{}/$count", self.path))
    }

    /// GET `…/$ref`: the URLs of the entities this navigation property references.
    pub fn list_refs(&self) -> Request<Page<Reference>> {
        Request::new(self.client.clone(), Method::Get, &format!("{}/$ref", self.path))
    }

    /// POST `…/$ref`: add a reference to the entity at `url` (e.g. a member to a group).
    pub fn add_ref(&self, url: &str) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Post, &format!("{}/$ref", self.path))
            .json_body(&Reference { id: url.to_owned() })
    }

    /// DELETE `…/$ref?$id=<url>`: remove the reference to the entity at `url`.
    pub fn remove_ref(&self, url: &str) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Delete, &format!("{}/$ref", self.path)).query("$id", url)
    }

    /// A cast segment.
    #[doc(hidden)]
    pub fn __cast<N>(&self, segment: &str) -> CollectionRequest<N, R, I, U, D> {
        CollectionRequest::new(self.client.clone(), format!("{}/{segment}", self.path))
    }

    /// A bound action call.
    #[doc(hidden)]
    pub fn __action<O, Dec>(&self, name: &str, body: ActionBody) -> Request<O, Dec> {
        action(&self.client, &self.path, name, body)
    }

    /// A bound function call.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        function(&self.client, &self.path, name, args)
    }
}

impl<T: DeserializeOwned + Send + 'static, const I: bool, const U: bool, const D: bool>
    CollectionRequest<T, true, I, U, D>
{
    /// GET one page of the collection; `.all()` or `.pages()` on the request follow the
    /// next links.
    pub fn list(&self) -> Request<Page<T>> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static, const R: bool, const U: bool, const D: bool>
    CollectionRequest<T, R, true, U, D>
{
    /// POST a new entity; returns the entity as created.
    pub fn create(&self, entity: &T) -> Request<T> {
        Request::new(self.client.clone(), Method::Post, &self.path).json_body(entity)
    }
}

impl Client {
    /// An unbound action import at the service root.
    #[doc(hidden)]
    pub fn __action<O, Dec>(&self, name: &str, body: ActionBody) -> Request<O, Dec> {
        action(self, "", name, body)
    }

    /// An unbound function import at the service root.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        function(self, "", name, args)
    }
}

/// Whether the delay has passed, and the waker to call when it does.
type SleepState = Arc<Mutex<(bool, Option<Waker>)>>;

/// A future that completes after a delay, timed by a helper thread.
struct ThreadSleep {
    duration: Duration,
    shared: Option<SleepState>,
}

impl ThreadSleep {
    fn new(duration: Duration) -> Self {
        ThreadSleep { duration, shared: None }
    }
}

impl Future for ThreadSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.duration.is_zero() {
            return Poll::Ready(());
        }
        let shared = match &self.shared {
            Some(shared) => shared.clone(),
            None => {
                let shared = Arc::new(Mutex::new((false, Some(cx.waker().clone()))));
                let (thread_shared, duration) = (shared.clone(), self.duration);
                std::thread::spawn(move || {
                    std::thread::sleep(duration);
                    let mut state = thread_shared.lock().unwrap_or_else(|e| e.into_inner());
                    state.0 = true;
                    if let Some(waker) = state.1.take() {
                        waker.wake();
                    }
                });
                self.shared = Some(shared);
                return Poll::Pending;
            }
        };
        let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
