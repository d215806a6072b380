//! The client root: base URL, transport, tokens, retries and default headers.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::*;

/// Retries of throttled (429) and unavailable (503) responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The wait when the response has no usable `Retry-After`, doubled on each retry.
    pub base_delay: Duration,
    /// The longest wait, whatever `Retry-After` asks for.
    pub max_delay: Duration,
    /// The longest time spent waiting between the attempts of one request, all waits
    /// together: a retry whose wait would go beyond it is not made (the last response is
    /// the result).
    pub max_total_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_total_delay: Duration::from_secs(120),
        }
    }
}

/// How many redirects one request follows at most.
pub const MAX_REDIRECTS: usize = 10;

/// A credential sent with every request to the service's own origin: what an OpenAPI
/// document's `securitySchemes` ask for (a bearer token goes through
/// [`ClientBuilder::token_provider`] instead). Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// HTTP basic authentication: `Authorization: Basic base64(user:password)`.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// An API key in a header.
    Header {
        /// The header's name.
        name: String,
        /// The key.
        value: String,
    },
    /// An API key in the query string.
    Query {
        /// The parameter's name.
        name: String,
        /// The key.
        value: String,
    },
    /// An API key in a cookie.
    Cookie {
        /// The cookie's name.
        name: String,
        /// The key.
        value: String,
    },
}

impl Credential {
    /// HTTP basic authentication.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credential::Basic { user: user.into(), password: password.into() }
    }

    /// An API key sent in the header `name`.
    pub fn api_key_header(name: impl Into<String>, value: impl Into<String>) -> Self {
        Credential::Header { name: name.into(), value: value.into() }
    }

    /// An API key sent as the query parameter `name`.
    pub fn api_key_query(name: impl Into<String>, value: impl Into<String>) -> Self {
        Credential::Query { name: name.into(), value: value.into() }
    }

    /// An API key sent as the cookie `name`.
    pub fn api_key_cookie(name: impl Into<String>, value: impl Into<String>) -> Self {
        Credential::Cookie { name: name.into(), value: value.into() }
    }

    /// Adds the credential to `request` (a header the caller set is never replaced).
    fn apply(&self, request: &mut HttpRequest) {
        let has = |request: &HttpRequest, name: &str| {
            request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        match self {
            Credential::Basic { user, password } => {
                if !has(request, "authorization") {
                    let token = Binary::encode(format!("{user}:{password}").as_bytes());
                    request.headers.push(("Authorization".to_owned(), format!("Basic {}", token.as_str())));
                }
            }
            Credential::Header { name, value } => {
                if !has(request, name) {
                    request.headers.push((name.clone(), value.clone()));
                }
            }
            Credential::Query { name, value } => {
                let separator = if request.url.contains('?') { '&' } else { '?' };
                request.url = format!(
                    "{}{separator}{}={}",
                    request.url,
                    encode_query_value(name),
                    encode_query_value(value)
                );
            }
            Credential::Cookie { name, value } => {
                super::request::add_cookie(&mut request.headers, name, value)
            }
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { user, .. } => write!(f, "Credential::Basic({user:?}, ***)"),
            Credential::Header { name, .. } => write!(f, "Credential::Header({name:?}, ***)"),
            Credential::Query { name, .. } => write!(f, "Credential::Query({name:?}, ***)"),
            Credential::Cookie { name, .. } => write!(f, "Credential::Cookie({name:?}, ***)"),
        }
    }
}

struct ClientInner {
    base_url: String,
    transport: Arc<dyn Transport>,
    tokens: Option<Arc<dyn TokenProvider>>,
    credentials: Vec<Credential>,
    retry: RetryPolicy,
    headers: Vec<(String, String)>,
    /// The service speaks OData V2 ([`Client::odata_v2`]).
    v2: bool,
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
pub struct ClientBuilder<C = Client> {
    inner: ClientInner,
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// A builder of a client of the service at `base_url` (without a trailing slash; one is
    /// removed), sending through `transport`.
    pub fn new(base_url: impl Into<String>, transport: impl Transport) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        ClientBuilder {
            inner: ClientInner {
                base_url,
                transport: Arc::new(transport),
                tokens: None,
                credentials: Vec::new(),
                retry: RetryPolicy::default(),
                headers: Vec::new(),
                v2: false,
            },
            client: PhantomData,
        }
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn token_provider(mut self, tokens: impl TokenProvider) -> Self {
        self.inner.tokens = Some(Arc::new(tokens));
        self
    }

    /// Sends a fixed bearer token with every request.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken(token.into()))
    }

    /// Sends `credential` with every request to the service's own origin (add one for each
    /// security scheme the service asks for together).
    pub fn credential(mut self, credential: Credential) -> Self {
        self.inner.credentials.push(credential);
        self
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

    /// The client: a [`Client`], or a generated crate's own client type, which wraps one.
    pub fn build(self) -> C
    where
        C: From<Client>,
    {
        C::from(Client { inner: Arc::new(self.inner) })
    }
}

impl Client {
    /// A client for the service at `base_url` (e.g. `https://graph.microsoft.com/v1.0`).
    pub fn new(base_url: impl Into<String>, transport: impl Transport) -> Self {
        Client::builder(base_url, transport).build()
    }

    /// A builder for a client with a token provider, retry policy or default headers.
    pub fn builder(base_url: impl Into<String>, transport: impl Transport) -> ClientBuilder {
        ClientBuilder::new(base_url, transport)
    }

    /// The service root URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A client of the service at `base_url` that shares this one's transport, token
    /// provider, retry policy and default headers: one configuration for several services.
    pub fn with_base_url(&self, base_url: impl Into<String>) -> Client {
        let inner = &self.inner;
        Client {
            inner: Arc::new(ClientInner {
                base_url: base_url.into().trim_end_matches('/').to_owned(),
                transport: Arc::clone(&inner.transport),
                tokens: inner.tokens.clone(),
                credentials: inner.credentials.clone(),
                retry: inner.retry.clone(),
                headers: inner.headers.clone(),
                v2: inner.v2,
            }),
        }
    }

    /// This client (sharing its transport and configuration) for an OData V2 service: it
    /// reads V2's JSON (`d`, `results`, `__next`, `__count`) and sends what V2 services accept
    /// (`Accept: application/json`, MERGE for updates, `$inlinecount`, V2 literals). A
    /// generated V2 crate's `Client` makes its runtime client so.
    pub fn odata_v2(&self) -> Client {
        if self.inner.v2 {
            return self.clone();
        }
        let client = self.with_base_url(self.inner.base_url.clone());
        let mut inner = Arc::try_unwrap(client.inner).unwrap_or_else(|_| unreachable!("a new client"));
        inner.v2 = true;
        Client { inner: Arc::new(inner) }
    }

    /// The headers sent with every request ([`ClientBuilder::default_header`]).
    pub(super) fn default_headers(&self) -> &[(String, String)] {
        &self.inner.headers
    }

    /// Whether this is a client of an OData V2 service ([`Client::odata_v2`]).
    pub fn is_odata_v2(&self) -> bool {
        self.inner.v2
    }

    /// An unbound action import at the service root.
    #[doc(hidden)]
    pub fn __action<O, Dec>(&self, name: &str, body: ActionBody) -> Request<O, Dec> {
        __bound_action(self, "", name, body)
    }

    /// An unbound function import at the service root.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        __bound_function(self, "", name, args)
    }

    /// A V2 service operation (a function import) at the service root: `method /name?p=lit…`,
    /// its parameters in the query string. Other than a GET it carries an empty JSON object as
    /// its body, which services ignore (and which SAP CAP's V2 adapter needs before it reads
    /// the parameters).
    #[doc(hidden)]
    pub fn __service_operation<O, Dec>(
        &self,
        method: Method,
        name: &str,
        args: FunctionArgs,
    ) -> Request<O, Dec> {
        let mut request = Request::new(self.clone(), method, &format!("/{}", encode_path_segment(name)));
        for pair in &args.inline {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            request = request.query(key, value);
        }
        if method != Method::Get {
            request = request.raw_body("application/json", b"{}".to_vec());
        }
        request.encode_error = args.error.map(Error::Encode);
        request
    }

    /// Sends a request: adds default headers, the bearer token and credentials, retries 429 and
    /// 503 as the policy allows, follows redirects (at most [`MAX_REDIRECTS`]), and turns error
    /// statuses into [`Error`]s. Credentials (the token, [`Credential`]s, and an
    /// `Authorization` or `Cookie` header the caller set) go only to the service's own origin:
    /// a redirect elsewhere is followed without them.
    pub async fn execute(&self, mut request: HttpRequest) -> Result<HttpResponse, Error> {
        let inner = &self.inner;
        if inner.v2 {
            v2::adapt(&mut request);
        }
        for (name, value) in &inner.headers {
            if !request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                request.headers.push((name.clone(), value.clone()));
            }
        }
        let mut redirects = 0;
        loop {
            let response = send_with_retries(inner, &request).await?;
            if let Some(location) = redirect_location(&response) {
                if redirects >= MAX_REDIRECTS {
                    return Err(Error::Transport(TransportError::new(format!(
                        "more than {MAX_REDIRECTS} redirects (the last to {location})"
                    ))));
                }
                redirects += 1;
                let next = resolve_link(&request.url, location);
                if !same_origin(&next, &request.url) {
                    request.headers.retain(|(n, _)| !is_credential_header(n));
                }
                // 303, and 301/302 after a POST (as browsers and HTTP clients do): a GET.
                let to_get = response.status == 303
                    || (matches!(response.status, 301 | 302) && request.method == Method::Post);
                if to_get && request.method != Method::Head {
                    request.method = Method::Get;
                    request.body = None;
                    request.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                }
                request.url = next;
                continue;
            }
            if (200..300).contains(&response.status) {
                return Ok(response);
            }
            return Err(Error::from_response(response));
        }
    }
}

/// Sends `request` with the credentials its URL may carry, again while the answer is 429 or
/// 503 and the policy allows.
async fn send_with_retries(inner: &ClientInner, request: &HttpRequest) -> Result<HttpResponse, Error> {
    let mut request = request.clone();
    // The token goes only to the service's own origin (a next link may name another host),
    // and never replaces an Authorization header the caller set.
    let has_auth = request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
    let own = same_origin(&request.url, &inner.base_url);
    if let (Some(tokens), false, true) = (&inner.tokens, has_auth, own) {
        let token = tokens.token().await.map_err(Error::Transport)?;
        request.headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
    }
    if own {
        for credential in &inner.credentials {
            credential.apply(&mut request);
        }
    }
    let (mut attempt, mut waited) = (0, Duration::ZERO);
    loop {
        let response = inner.transport.send(request.clone()).await.map_err(Error::Transport)?;
        let retryable = response.status == 429 || response.status == 503;
        if retryable && attempt < inner.retry.max_retries {
            let delay = retry_after(&response, std::time::SystemTime::now())
                .unwrap_or_else(|| inner.retry.base_delay.saturating_mul(1 << attempt.min(16)))
                .min(inner.retry.max_delay);
            if waited + delay <= inner.retry.max_total_delay {
                attempt += 1;
                waited += delay;
                inner.transport.sleep(delay).await;
                continue;
            }
        }
        return Ok(response);
    }
}

/// Whether a request header carries credentials, which must not follow a redirect to
/// another origin.
fn is_credential_header(name: &str) -> bool {
    ["authorization", "cookie", "proxy-authorization"].iter().any(|c| name.eq_ignore_ascii_case(c))
}

/// The `Location` of a redirect (301, 302, 303, 307, 308) that has one.
fn redirect_location(response: &HttpResponse) -> Option<&str> {
    matches!(response.status, 301 | 302 | 303 | 307 | 308)
        .then(|| response.header("Location"))
        .flatten()
        .map(str::trim)
        .filter(|l| !l.is_empty())
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

/// Resolves a link from a payload against the URL of the request it came from (RFC 3986
/// section 5.2): absolute links stay, `//host/path` keeps the scheme, `/path` the origin,
/// `?query` the path, `#fragment` the path and query; other relative links replace the last
/// segment, and their `.` and `..` segments are removed.
pub(super) fn resolve_link(base: &str, link: &str) -> String {
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return link.to_owned();
    }
    if link.starts_with("//") {
        let scheme = base.split_once("://").map_or("https", |(scheme, _)| scheme);
        return format!("{}:{link}", scheme.to_ascii_lowercase());
    }
    if link.starts_with('/') {
        return format!("{}{link}", origin(base));
    }
    let without_fragment = base.split('#').next().unwrap_or(base);
    if link.starts_with('#') {
        return format!("{without_fragment}{link}");
    }
    let path = without_fragment.split('?').next().unwrap_or(base);
    if link.starts_with('?') {
        return format!("{path}{link}");
    }
    let merged = match path.rfind('/') {
        Some(i) if i > path.find("://").map(|j| j + 2).unwrap_or(0) => format!("{}{link}", &path[..=i]),
        _ => format!("{path}/{link}"),
    };
    without_dot_segments(&merged)
}

/// `scheme://host/a/b/../c?q` → `scheme://host/a/c?q` (RFC 3986 section 5.2.4, on the path
/// only; `..` never climbs above the root).
fn without_dot_segments(url: &str) -> String {
    let path_start = url.find("://").map_or(0, |i| url[i + 3..].find('/').map_or(url.len(), |j| i + 3 + j));
    let path_end = url[path_start..].find(['?', '#']).map_or(url.len(), |i| path_start + i);
    let path = &url[path_start..path_end];
    if !path.split('/').any(|s| s == "." || s == "..") {
        return url.to_owned();
    }
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." if last => out.push(""),
            "." => {}
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{}/{}{}", &url[..path_start], out.join("/"), &url[path_end..])
}

/// `Retry-After` (RFC 9110, 10.2.3): seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`,
/// and the obsolete RFC 850 and asctime forms) as the wait from `now` (none when it has passed).
pub(super) fn retry_after(response: &HttpResponse, now: std::time::SystemTime) -> Option<Duration> {
    let value = response.header("Retry-After")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(value)?;
    let now = now.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// An HTTP date as seconds since the Unix epoch: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
/// GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
fn http_date(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let words: Vec<&str> = text.split([' ', ',', '-']).filter(|w| !w.is_empty()).collect();
    let month = |w: &str| MONTHS.iter().position(|m| m.eq_ignore_ascii_case(w)).map(|i| i as u64 + 1);
    let (day, month, year, time) = match words.as_slice() {
        // IMF-fixdate and RFC 850: weekday, day, month, year, time, GMT.
        [_, day, mon, year, time, zone] if zone.eq_ignore_ascii_case("GMT") => {
            let year: u64 = year.parse().ok()?;
            // RFC 850's two-digit year: within 50 years (RFC 9110, 5.6.7).
            let year = if year < 100 {
                if year < 70 {
                    2000 + year
                } else {
                    1900 + year
                }
            } else {
                year
            };
            (day.parse::<u64>().ok()?, month(mon)?, year, *time)
        }
        // asctime: weekday, month, day, time, year.
        [_, mon, day, time, year] => (day.parse().ok()?, month(mon)?, year.parse().ok()?, *time),
        _ => return None,
    };
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    // Days from the epoch to the civil date (Howard Hinnant's algorithm).
    let (y, mo) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}
