//! `$batch`: several requests sent as one HTTP request, each built as it would be sent alone
//! and each response decoded into its own request's result type.
//!
//! Two formats, as the service supports: OData 4.01's JSON batch (`{"requests": [...]}`, with
//! ids, `dependsOn` and atomicity groups; what Microsoft Graph speaks) and the `multipart/mixed`
//! batch of OData 4.0 and V2, whose change sets are nested multipart parts. Requests are
//! written relative to the service root (`Books(201)`), the way both formats resolve them
//! against the batch request's URL.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;

use super::*;

/// How a batch is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchFormat {
    /// OData 4.01's JSON batch: `{"requests": [{"id", "method", "url", "headers", "body",
    /// "atomicityGroup", "dependsOn"}]}`, answered by `{"responses": [...]}` in any order.
    Json,
    /// A `multipart/mixed` body of `application/http` parts (OData 4.0 and V2), a change set
    /// being a nested `multipart/mixed` part; answered in the order asked.
    Multipart,
}

/// A change set (an atomicity group in JSON batches): the requests added to it succeed or
/// fail together. Made by [`Batch::change_set`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeSet(usize);

/// A request added to a [`Batch`]: its result is taken from the [`BatchResponses`] with it.
pub struct BatchItem<O, D = Json> {
    index: usize,
    _output: PhantomData<fn() -> (O, D)>,
}

impl<O, D> BatchItem<O, D> {
    /// Its position in the batch, from 0.
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<O, D> Clone for BatchItem<O, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, D> Copy for BatchItem<O, D> {}

impl<O, D> fmt::Debug for BatchItem<O, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchItem({})", self.index)
    }
}

/// One request of a batch, as it will be written.
struct Entry {
    request: HttpRequest,
    page_keys: Option<PageKeys>,
    group: Option<usize>,
    depends_on: Vec<usize>,
}

/// Several requests sent together to the service's `$batch` endpoint. Add the requests the
/// client builds (`batch.add(client.books().by_id(201).get())`), optionally in change sets,
/// then [`Batch::send`] it and take each result from the responses with the item `add`
/// returned:
///
/// ```ignore
/// let mut batch = client.batch();
/// let book = batch.add(client.books().by_id(201).get());
/// let changes = batch.change_set();
/// let created = batch.add_to(changes, client.books().create(&new_book));
/// let mut responses = batch.send().await?;
/// let book = responses.take(book)?;       // a `Books`
/// let created = responses.take(created)?; // the created `Books`
/// ```
///
/// A response with an error status is that request's [`Error`]; the batch itself fails only
/// when its own request does (or a request in it could not be written: nothing is sent).
/// Throttled responses inside a batch are not retried.
pub struct Batch {
    client: Client,
    format: BatchFormat,
    entries: Vec<Entry>,
    groups: usize,
    continue_on_error: bool,
    /// The first request that could not be written: reported by `send`.
    error: Option<Error>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("format", &self.format)
            .field("requests", &self.entries.iter().map(|e| &e.request).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Batch {
    /// An empty batch sent to the `$batch` endpoint of `client`'s service, in `format`. A
    /// generated client's `batch()` makes one in the format its service supports.
    pub fn new(client: Client, format: BatchFormat) -> Self {
        Batch { client, format, entries: Vec::new(), groups: 0, continue_on_error: false, error: None }
    }

    /// This batch in another format.
    pub fn with_format(mut self, format: BatchFormat) -> Self {
        self.format = format;
        self
    }

    /// The format it is written in.
    pub fn format(&self) -> BatchFormat {
        self.format
    }

    /// How many requests it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Asks the service to go on after a request fails (OData V4's
    /// `Prefer: odata.continue-on-error`); by default a service may stop at the first failure,
    /// and the requests after it have no response.
    pub fn continue_on_error(&mut self) -> &mut Self {
        self.continue_on_error = true;
        self
    }

    /// Adds a request on its own.
    pub fn add<O, D>(&mut self, request: Request<O, D>) -> BatchItem<O, D> {
        self.push(request, None)
    }

    /// A new change set (atomicity group): what is added to it succeeds or fails as a whole.
    /// In a multipart batch it is written where its first request was added.
    pub fn change_set(&mut self) -> ChangeSet {
        self.groups += 1;
        ChangeSet(self.groups - 1)
    }

    /// Adds a request to a change set.
    pub fn add_to<O, D>(&mut self, set: ChangeSet, request: Request<O, D>) -> BatchItem<O, D> {
        self.push(request, Some(set.0))
    }

    /// Makes `item` wait for `earlier` (JSON's `dependsOn`: when `earlier` fails, `item` is not
    /// run). A multipart batch runs its requests in order anyway.
    pub fn depends_on<O, D, P, E>(&mut self, item: &BatchItem<O, D>, earlier: &BatchItem<P, E>) {
        if let Some(entry) = self.entries.get_mut(item.index) {
            if earlier.index < item.index && !entry.depends_on.contains(&earlier.index) {
                entry.depends_on.push(earlier.index);
            }
        }
    }

    fn push<O, D>(&mut self, mut request: Request<O, D>, group: Option<usize>) -> BatchItem<O, D> {
        if self.error.is_none() {
            self.error = request.encode_error.take();
        }
        let mut http = request.to_http();
        // Default headers are every request's; credentials go on the batch request itself.
        for (name, value) in self.client.default_headers() {
            let credential =
                name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie");
            if !credential && !http.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                http.headers.push((name.clone(), value.clone()));
            }
        }
        if self.client.is_odata_v2() {
            v2::adapt(&mut http);
        }
        self.entries.push(Entry {
            request: http,
            page_keys: request.page_keys,
            group,
            depends_on: Vec::new(),
        });
        BatchItem { index: self.entries.len() - 1, _output: PhantomData }
    }

    /// The HTTP request the batch is sent as (before authentication and default headers).
    pub fn to_http(&self) -> Result<HttpRequest, Error> {
        let url = format!("{}/$batch", self.client.base_url());
        let mut headers = Vec::new();
        let body = match self.format {
            BatchFormat::Json => {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                headers.push(("Accept".to_owned(), "application/json".to_owned()));
                self.json_body()?
            }
            BatchFormat::Multipart => {
                let (content_type, body) = self.multipart_body();
                headers.push(("Content-Type".to_owned(), content_type));
                headers.push(("Accept".to_owned(), "multipart/mixed".to_owned()));
                body
            }
        };
        if self.continue_on_error && !self.client.is_odata_v2() {
            headers.push(("Prefer".to_owned(), "odata.continue-on-error".to_owned()));
        }
        Ok(HttpRequest { method: Method::Post, url, headers, body: Some(body) })
    }

    /// The URL of a request as written in the batch: relative to the service root (so
    /// resolved against the batch's own URL), or absolute when it is not below it.
    fn relative_url(&self, url: &str) -> String {
        let base = self.client.base_url();
        match url.strip_prefix(base) {
            Some(rest) if rest.starts_with('/') || rest.starts_with('?') || rest.is_empty() => {
                let rest = rest.strip_prefix('/').unwrap_or(rest);
                // A first segment with a colon would read as a URL scheme (RFC 3986, 4.2).
                let first = rest.split(['/', '?']).next().unwrap_or_default();
                if first.contains(':') || rest.is_empty() || rest.starts_with('?') {
                    format!("./{rest}")
                } else {
                    rest.to_owned()
                }
            }
            _ => url.to_owned(),
        }
    }

    fn json_body(&self) -> Result<Vec<u8>, Error> {
        use serde_json::{Map, Value};
        let mut requests = Vec::with_capacity(self.entries.len());
        for (i, entry) in self.entries.iter().enumerate() {
            let request = &entry.request;
            let mut item = Map::new();
            item.insert("id".to_owned(), Value::String((i + 1).to_string()));
            if let Some(group) = entry.group {
                item.insert("atomicityGroup".to_owned(), Value::String(format!("g{}", group + 1)));
            }
            if !entry.depends_on.is_empty() {
                let ids = entry.depends_on.iter().map(|d| Value::String((d + 1).to_string())).collect();
                item.insert("dependsOn".to_owned(), Value::Array(ids));
            }
            let (method, headers) = tunnelled(request);
            item.insert("method".to_owned(), Value::String(method));
            item.insert("url".to_owned(), Value::String(self.relative_url(&request.url)));
            let content_type =
                headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone());
            if !headers.is_empty() {
                // Header names are case-insensitive (RFC 9110, 5.1); some services read only the
                // lower-case names of a JSON batch (HTTP/2's spelling).
                let map =
                    headers.into_iter().map(|(n, v)| (n.to_ascii_lowercase(), Value::String(v))).collect();
                item.insert("headers".to_owned(), Value::Object(map));
            }
            if let Some(body) = &request.body {
                let value = match content_type.as_deref() {
                    Some(media) if is_json_media(media) => {
                        serde_json::from_slice(without_bom(body)).map_err(Error::Encode)?
                    }
                    Some(media)
                        if essence(media).starts_with("text/") && std::str::from_utf8(body).is_ok() =>
                    {
                        Value::String(String::from_utf8_lossy(body).into_owned())
                    }
                    _ => Value::String(base64url(body)),
                };
                item.insert("body".to_owned(), value);
            }
            requests.push(Value::Object(item));
        }
        let mut document = Map::new();
        document.insert("requests".to_owned(), Value::Array(requests));
        serde_json::to_vec(&Value::Object(document)).map_err(Error::Encode)
    }

    /// What the multipart body holds, in order: requests on their own and change sets
    /// (each where its first request was added).
    fn layout(&self) -> Vec<Slot> {
        let mut slots: Vec<Slot> = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            match entry.group {
                None => slots.push(Slot::Single(i)),
                Some(g) => match slots.iter_mut().find(|s| matches!(s, Slot::Group(h, _) if *h == g)) {
                    Some(Slot::Group(_, members)) => members.push(i),
                    _ => slots.push(Slot::Group(g, vec![i])),
                },
            }
        }
        slots
    }

    fn multipart_body(&self) -> (String, Vec<u8>) {
        let parts: Vec<Vec<u8>> =
            self.entries.iter().enumerate().map(|(i, e)| self.http_part(i, e)).collect();
        let contents: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let boundary = unique_boundary("batch", &contents);
        let mut out = Vec::new();
        for slot in self.layout() {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match slot {
                Slot::Single(i) => out.extend_from_slice(&parts[i]),
                Slot::Group(_, members) => {
                    let inner: Vec<&[u8]> = members.iter().map(|&i| parts[i].as_slice()).collect();
                    let change_set = unique_boundary("changeset", &inner);
                    out.extend_from_slice(
                        format!("Content-Type: multipart/mixed; boundary={change_set}\r\n\r\n").as_bytes(),
                    );
                    for part in inner {
                        out.extend_from_slice(format!("--{change_set}\r\n").as_bytes());
                        out.extend_from_slice(part);
                        out.extend_from_slice(b"\r\n");
                    }
                    out.extend_from_slice(format!("--{change_set}--\r\n").as_bytes());
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/mixed; boundary={boundary}"), out)
    }

    /// One request as an `application/http` part: its part headers, then the request.
    fn http_part(&self, index: usize, entry: &Entry) -> Vec<u8> {
        let request = &entry.request;
        let (method, headers) = tunnelled(request);
        let url = self.relative_url(&request.url);
        let mut out = format!(
            "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: {}\r\n\r\n\
             {method} {} HTTP/1.1\r\n",
            index + 1,
            // A URL never holds spaces or line breaks once encoded; these could only break the line.
            url.replace(' ', "%20").replace('\r', "%0D").replace('\n', "%0A"),
        )
        .into_bytes();
        for (name, value) in &headers {
            out.extend_from_slice(format!("{}: {}\r\n", header_safe(name), header_safe(value)).as_bytes());
        }
        if let Some(body) = &request.body {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend_from_slice(body);
        } else {
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// Sends the batch. Fails when its own request fails, or a request in it could not be
    /// written (then nothing is sent); each request's own outcome is in the responses.
    pub async fn send(self) -> Result<BatchResponses, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let request = self.to_http()?;
        let response = self.client.execute(request).await?;
        let responses = match self.format {
            BatchFormat::Json => read_json(&response, self.entries.len())?,
            BatchFormat::Multipart => read_multipart(&response, &self.layout(), self.entries.len())?,
        };
        Ok(BatchResponses {
            responses,
            entries: self
                .entries
                .into_iter()
                .map(|e| Finish { page_keys: e.page_keys, url: e.request.url })
                .collect(),
            v2: self.client.is_odata_v2(),
        })
    }
}

/// A request and the change set of a multipart body, in the order written.
enum Slot {
    Single(usize),
    Group(usize, Vec<usize>),
}

/// What decoding a request's response needs of the request.
struct Finish {
    page_keys: Option<PageKeys>,
    url: String,
}

/// The responses to a [`Batch`], by request.
pub struct BatchResponses {
    responses: Vec<Option<HttpResponse>>,
    entries: Vec<Finish>,
    v2: bool,
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResponses").field("responses", &self.responses).finish_non_exhaustive()
    }
}

impl BatchResponses {
    /// The result of `item`'s request, decoded as it is when sent alone: its output, or the
    /// error its response is (a 412 is [`Error::PreconditionFailed`]). Taken once: a second
    /// take, or a request the service did not answer (it stopped at an earlier failure), is
    /// [`Error::Batch`].
    pub fn take<O, D: Decoder<O>>(&mut self, item: BatchItem<O, D>) -> Result<O, Error> {
        let index = item.index;
        let response = self.responses.get_mut(index).and_then(Option::take).ok_or_else(|| {
            Error::Batch(format!("no response to request {} of the batch (or it was taken)", index + 1))
        })?;
        if !(200..300).contains(&response.status) {
            return Err(Error::from_response(response));
        }
        let finish = &self.entries[index];
        finish_response::<O, D>(response, self.v2, finish.page_keys, &finish.url)
    }

    /// The response to `item`'s request as received, when there is one (and it was not taken).
    pub fn response<O, D>(&self, item: &BatchItem<O, D>) -> Option<&HttpResponse> {
        self.responses.get(item.index).and_then(Option::as_ref)
    }

    /// The status of `item`'s response, when there is one.
    pub fn status<O, D>(&self, item: &BatchItem<O, D>) -> Option<u16> {
        self.response(item).map(|r| r.status)
    }
}

/// `(method, headers)` of a request as a batch writes it: a method tunnelled through
/// `X-HTTP-Method` (V2's MERGE) is written as itself.
fn tunnelled(request: &HttpRequest) -> (String, Vec<(String, String)>) {
    let mut method = request.method.as_str().to_owned();
    let mut headers = Vec::with_capacity(request.headers.len());
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("x-http-method") && value.bytes().all(|b| b.is_ascii_alphabetic()) {
            method = value.to_ascii_uppercase();
        } else {
            headers.push((name.clone(), value.clone()));
        }
    }
    (method, headers)
}

/// A media type without its parameters, lower-cased.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `application/json` or a `+json` type.
fn is_json_media(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// Base64url without padding (RFC 4648, section 5), as JSON batches carry binary bodies.
fn base64url(bytes: &[u8]) -> String {
    Binary::encode(bytes).as_str().trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// A header value with CR and LF removed, so it cannot start another header.
pub(super) fn header_safe(value: &str) -> String {
    value.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

/// A multipart boundary (`prefix_` and a hash of the contents) that none of `contents` holds,
/// the same each time for the same contents.
pub(super) fn unique_boundary(prefix: &str, contents: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in contents.iter().flat_map(|c| c.iter()) {
        hash = (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    loop {
        let boundary = format!("{prefix}_{hash:016x}");
        let needle = boundary.as_bytes();
        if !contents.iter().any(|c| c.windows(needle.len()).any(|w| w == needle)) {
            return boundary;
        }
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3).wrapping_add(1);
    }
}

fn malformed(what: impl fmt::Display) -> Error {
    Error::Batch(format!("malformed batch response: {what}"))
}

/// The responses of a JSON batch, by request (`id` is the request's position from 1).
fn read_json(response: &HttpResponse, count: usize) -> Result<Vec<Option<HttpResponse>>, Error> {
    #[derive(Deserialize)]
    struct Document {
        responses: Vec<Item>,
    }
    #[derive(Deserialize)]
    struct Item {
        id: serde_json::Value,
        status: u16,
        #[serde(default)]
        headers: serde_json::Map<String, serde_json::Value>,
        #[serde(default)]
        body: Option<serde_json::Value>,
    }
    let document: Document =
        serde_json::from_slice(without_bom(&response.body)).map_err(|source| Error::Decode {
            status: response.status,
            source,
            body: String::from_utf8_lossy(&response.body).into_owned(),
        })?;
    let mut out: Vec<Option<HttpResponse>> = (0..count).map(|_| None).collect();
    for item in document.responses {
        let id = match &item.id {
            serde_json::Value::String(s) => s.parse::<usize>().ok(),
            serde_json::Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
            _ => None,
        };
        let Some(slot) = id.and_then(|id| id.checked_sub(1)).and_then(|i| out.get_mut(i)) else {
            continue;
        };
        let headers: Vec<(String, String)> = item
            .headers
            .into_iter()
            .map(|(n, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (n, v)
            })
            .collect();
        let content_type =
            headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v);
        let body = match (item.body, content_type) {
            (None | Some(serde_json::Value::Null), _) => Vec::new(),
            (Some(serde_json::Value::String(text)), Some(media))
                if !is_json_media(media) && !essence(media).starts_with("text/") =>
            {
                Binary(text.clone()).decode().unwrap_or_else(|| text.into_bytes())
            }
            (Some(serde_json::Value::String(text)), media) if media.is_none_or(|m| !is_json_media(m)) => {
                text.into_bytes()
            }
            (Some(value), _) => serde_json::to_vec(&value).map_err(malformed)?,
        };
        *slot = Some(HttpResponse { status: item.status, headers, body });
    }
    Ok(out)
}

/// The responses of a multipart batch, by request: parts in the order of `layout`; inside a
/// change set, by `Content-ID` where the part has one of ours, else in order; a change set
/// answered by one response (it failed as a whole) gives that response to each request.
fn read_multipart(
    response: &HttpResponse,
    layout: &[Slot],
    count: usize,
) -> Result<Vec<Option<HttpResponse>>, Error> {
    let content_type = response.header("Content-Type").unwrap_or_default();
    let boundary = boundary_of(content_type).ok_or_else(|| {
        malformed(format_args!("expected a multipart/mixed body, got Content-Type {content_type:?}"))
    })?;
    let parts = split_multipart(&response.body, &boundary)?;
    let mut out: Vec<Option<HttpResponse>> = (0..count).map(|_| None).collect();
    for (slot, part) in layout.iter().zip(parts) {
        let (headers, content) = split_head(part);
        let part_type = header_in(&headers, "content-type").unwrap_or_default();
        match slot {
            Slot::Single(i) => out[*i] = Some(read_http_response(content)?),
            Slot::Group(_, members) => match boundary_of(part_type) {
                Some(inner) => {
                    for part in split_multipart(content, &inner)? {
                        let (headers, content) = split_head(part);
                        let response = read_http_response(content)?;
                        let by_id = header_in(&headers, "content-id")
                            .or_else(|| response.header("Content-ID"))
                            .and_then(|id| id.trim().trim_matches(['<', '>']).parse::<usize>().ok())
                            .and_then(|id| id.checked_sub(1))
                            .filter(|i| members.contains(i) && out[*i].is_none());
                        let next = members.iter().copied().find(|i| out[*i].is_none());
                        if let Some(i) = by_id.or(next) {
                            out[i] = Some(response);
                        }
                    }
                }
                None => {
                    let response = read_http_response(content)?;
                    for &i in members {
                        out[i] = Some(response.clone());
                    }
                }
            },
        }
    }
    Ok(out)
}

/// The `boundary` parameter of a `multipart/*` content type.
fn boundary_of(content_type: &str) -> Option<String> {
    if !essence(content_type).starts_with("multipart/") {
        return None;
    }
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (name.trim().eq_ignore_ascii_case("boundary") && !value.is_empty()).then(|| value.to_owned())
    })
}

/// The parts of a multipart body (RFC 2046, 5.1.1): the bytes between delimiter lines, the
/// line break before each delimiter belonging to it. A body without its closing delimiter was
/// cut short: an error.
fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<&'a [u8]>, Error> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    let mut line_start = 0;
    while line_start < body.len() {
        let line_end =
            body[line_start..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| line_start + p);
        let line = &body[line_start..line_end];
        if let Some(rest) = line.strip_prefix(delimiter) {
            let closing = rest.starts_with(b"--");
            // Transport padding (spaces, tabs) may follow a delimiter; anything else means the
            // line only starts like one.
            if closing || rest.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                if let Some(s) = start {
                    let mut end = line_start.saturating_sub(1).max(s);
                    if end > s && body[end - 1] == b'\r' {
                        end -= 1;
                    }
                    parts.push(&body[s..end]);
                }
                if closing {
                    return Ok(parts);
                }
                start = Some((line_end + 1).min(body.len()));
            }
        }
        line_start = line_end + 1;
    }
    Err(malformed(format_args!("the multipart body has no closing delimiter `--{boundary}--`")))
}

/// A part's (or an HTTP message's) header lines and what follows the blank line after them.
fn split_head(part: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers = Vec::new();
    let mut at = 0;
    while at < part.len() {
        let end = part[at..].iter().position(|&b| b == b'\n').map_or(part.len(), |p| at + p);
        let line = String::from_utf8_lossy(&part[at..end]);
        let line = line.trim_end_matches('\r');
        at = (end + 1).min(part.len());
        if line.is_empty() {
            return (headers, &part[at..]);
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    (headers, &part[part.len()..])
}

fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// An `application/http` part's response: `HTTP/1.1 200 OK`, headers, a blank line, the body
/// (cut at its `Content-Length` when that is shorter).
fn read_http_response(content: &[u8]) -> Result<HttpResponse, Error> {
    let line_end = content.iter().position(|&b| b == b'\n').unwrap_or(content.len());
    let status_line = String::from_utf8_lossy(&content[..line_end]);
    let mut words = status_line.split_whitespace();
    let status = match (words.next(), words.next().and_then(|s| s.parse::<u16>().ok())) {
        (Some(version), Some(status)) if version.starts_with("HTTP/") && (100..600).contains(&status) => {
            status
        }
        _ => {
            return Err(malformed(format_args!(
                "a part does not start with an HTTP status line: {status_line:?}"
            )))
        }
    };
    let (headers, body) = split_head(&content[(line_end + 1).min(content.len())..]);
    let length = header_in(&headers, "content-length").and_then(|l| l.trim().parse::<usize>().ok());
    let body = match length {
        Some(length) if length < body.len() => &body[..length],
        _ => body,
    };
    Ok(HttpResponse { status, headers, body: body.to_vec() })
}
