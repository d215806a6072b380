//! The transport a client sends requests through, and the token hook.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

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
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
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
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
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
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
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

/// A shared transport: one value (`Arc::new(ReqwestTransport::new())`) can serve the clients
/// of several services.
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
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
