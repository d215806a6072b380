//! A ready-made [`Transport`] on reqwest (rustls TLS), sleeping on tokio's timer. Compiled
//! with the cargo feature `reqwest`.

use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// A [`Transport`] on reqwest (cargo feature `reqwest`), sleeping on tokio's timer.
///
/// Made with [`ReqwestTransport::new`], it gives up on a server that does not accept the
/// connection within [`CONNECT_TIMEOUT`](Self::CONNECT_TIMEOUT) or sends nothing for
/// [`READ_TIMEOUT`](Self::READ_TIMEOUT), refuses a response body larger than
/// [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) (`max_body_bytes` changes it), and leaves
/// redirects to the [`Client`](super::Client), which decides per hop where credentials go.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        ReqwestTransport::new()
    }
}

impl ReqwestTransport {
    /// How long connecting may take.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
    /// How long the server may send nothing while a response is awaited or read.
    pub const READ_TIMEOUT: Duration = Duration::from_secs(300);
    /// The largest response body read (256 MiB); a larger one is a [`TransportError`].
    pub const MAX_BODY_BYTES: usize = 256 << 20;

    /// A transport with the timeouts above, not following redirects itself.
    pub fn new() -> Self {
        ReqwestTransport::with_timeouts(Self::CONNECT_TIMEOUT, Self::READ_TIMEOUT)
    }

    /// A transport that waits at most `connect` for a connection and `read` for each part of
    /// a response.
    pub fn with_timeouts(connect: Duration, read: Duration) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(connect)
            .read_timeout(read)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        ReqwestTransport { client, max_body: Self::MAX_BODY_BYTES }
    }

    /// A transport on a configured reqwest client (proxies, timeouts, TLS...). Its redirect
    /// policy applies: reqwest's default follows redirects itself, dropping the
    /// `Authorization` header (but not API-key headers) on the way to another host; set
    /// `redirect::Policy::none()` to leave them to the client.
    pub fn with_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client, max_body: Self::MAX_BODY_BYTES }
    }

    /// Refuses response bodies longer than `bytes`.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
                .map_err(|e| TransportError::with_source("bad method", e))?;
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let mut response =
                builder.send().await.map_err(|e| TransportError::with_source("request failed", e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let too_large =
                || TransportError::new(format!("the response body is larger than {} bytes", self.max_body));
            if response.content_length().is_some_and(|length| length > self.max_body as u64) {
                return Err(too_large());
            }
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| TransportError::with_source("reading the response failed", e))?
            {
                if body.len() + chunk.len() > self.max_body {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse { status, headers, body })
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
