//! A ready-made [`Transport`] on reqwest (rustls TLS), sleeping on tokio's timer. Compiled
//! with the cargo feature `reqwest`.

use std::time::Duration;

use super::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// A [`Transport`] on reqwest (cargo feature `reqwest`), sleeping on tokio's timer.
#[derive(Clone, Debug, Default)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with a default reqwest client.
    pub fn new() -> Self {
        ReqwestTransport::default()
    }

    /// A transport on a configured reqwest client (proxies, timeouts, TLS...).
    pub fn with_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
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
            let response =
                builder.send().await.map_err(|e| TransportError::with_source("request failed", e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let body = response
                .bytes()
                .await
                .map_err(|e| TransportError::with_source("reading the response failed", e))?
                .to_vec();
            Ok(HttpResponse { status, headers, body })
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
