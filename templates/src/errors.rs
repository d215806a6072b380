//! Errors: transport failures, service error bodies, undecodable responses.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::*;

/// The error body of an OData service: `{"error": {"code", "message", ...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "ServiceErrorWire")]
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
    /// Service-specific detail (`innererror`, written `innerError` by Microsoft Graph; when a
    /// body has both, `innererror` and the other stays in `additional`).
    #[serde(default, rename = "innerError", skip_serializing_if = "Option::is_none")]
    pub inner_error: Option<serde_json::Value>,
    /// Anything else the service sent.
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// `null` and absent both read as an empty list.
fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A message as OData V4 writes it (a string), or as V2 does: `{"lang": "en", "value": "…"}`.
fn message_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Message {
        Text(String),
        V2 { value: String },
        Other(serde_json::Value),
    }
    Ok(match Option::<Message>::deserialize(d)? {
        Some(Message::Text(text) | Message::V2 { value: text }) => text,
        Some(Message::Other(v)) => v.to_string(),
        None => String::new(),
    })
}

/// How a [`ServiceError`] is read: both spellings of the inner error land in `additional`,
/// and one of them is taken from there.
#[derive(Deserialize)]
struct ServiceErrorWire {
    #[serde(default)]
    code: String,
    #[serde(default, deserialize_with = "message_text")]
    message: String,
    #[serde(default)]
    target: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    details: Vec<ServiceError>,
    #[serde(flatten)]
    additional: BTreeMap<String, serde_json::Value>,
}

impl From<ServiceErrorWire> for ServiceError {
    fn from(wire: ServiceErrorWire) -> Self {
        let mut additional = wire.additional;
        let inner_error = ["innererror", "innerError"]
            .into_iter()
            .find_map(|name| additional.remove(name).filter(|v| !v.is_null()));
        ServiceError {
            code: wire.code,
            message: wire.message,
            target: wire.target,
            details: wire.details,
            inner_error,
            additional,
        }
    }
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
    /// 412 Precondition Failed: the ETag sent in `If-Match` is not the entity's (it changed
    /// since it was read); read it again and retry.
    PreconditionFailed {
        /// The error body, when the service sent an OData one.
        error: Option<Box<ServiceError>>,
        /// The body, as text.
        body: String,
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
    /// An argument cannot be sent as given (a path parameter that is empty, `.` or `..`, which
    /// would address another resource); nothing was sent.
    Argument(String),
    /// A `$batch` response that cannot be read, or that holds no response to a request of the
    /// batch (the service stopped at an earlier failure).
    Batch(String),
}

impl Error {
    pub(super) fn from_response(response: HttpResponse) -> Error {
        let request_id = response.header("request-id").map(str::to_owned);
        if response.status == 412 {
            let error = serde_json::from_slice::<ErrorEnvelope>(without_bom(&response.body)).ok();
            return Error::PreconditionFailed {
                error: error.map(|e| Box::new(e.error)),
                body: String::from_utf8_lossy(&response.body).into_owned(),
            };
        }
        match serde_json::from_slice::<ErrorEnvelope>(without_bom(&response.body)) {
            Ok(envelope) => {
                Error::Service { status: response.status, error: Box::new(envelope.error), request_id }
            }
            Err(_) => Error::Status {
                status: response.status,
                body: String::from_utf8_lossy(&response.body).into_owned(),
            },
        }
    }

    /// The error body as the type `T` the service's description declares for it (an
    /// OpenAPI operation's error response): `None` when there was no response body.
    /// An OData error body is read from its `{"error": ...}` envelope as kept.
    pub fn body_as<T: FromJson>(&self) -> Option<Result<T, serde_json::Error>> {
        match self {
            Error::Status { body, .. }
            | Error::Decode { body, .. }
            | Error::PreconditionFailed { body, .. }
                if !body.is_empty() =>
            {
                Some(T::from_json(body.as_bytes()))
            }
            Error::Service { error, .. } => {
                let envelope = serde_json::json!({ "error": error });
                Some(serde_json::to_vec(&envelope).and_then(|body| T::from_json(&body)))
            }
            _ => None,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service { status, .. } | Error::Status { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::PreconditionFailed { .. } => Some(412),
            Error::Transport(_) | Error::Encode(_) | Error::Argument(_) | Error::Batch(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service { status, error, .. } => {
                write!(f, "HTTP {status}: {}: {}", error.code, error.message)
            }
            Error::Status { status, body } => write!(f, "HTTP {status}: {body}"),
            Error::PreconditionFailed { error: Some(error), .. } => {
                write!(f, "HTTP 412: the entity changed since it was read (a stale ETag): {}", error.message)
            }
            Error::PreconditionFailed { body, .. } => {
                write!(f, "HTTP 412: the entity changed since it was read (a stale ETag): {body}")
            }
            Error::Transport(e) => write!(f, "transport: {e}"),
            Error::Decode { status, source, .. } => {
                write!(f, "HTTP {status}: unexpected response body: {source}")
            }
            Error::Encode(e) => write!(f, "request body: {e}"),
            Error::Argument(why) => write!(f, "request not sent: {why}"),
            Error::Batch(why) => write!(f, "batch: {why}"),
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
