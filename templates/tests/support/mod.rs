//! Shared fixtures of the runtime's integration tests: a scripted in-memory transport and
//! small hand-written models implementing the runtime's traits the way generated code does.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use codegen_runtime::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// The transport
// ---------------------------------------------------------------------------------------

/// What the fake transport saw and what it still has to answer.
#[derive(Default)]
pub struct Script {
    /// The answers, in order; `Err` is a transport failure.
    pub responses: VecDeque<Result<HttpResponse, String>>,
    /// Every request sent, in order.
    pub requests: Vec<HttpRequest>,
    /// Every wait the client asked for, in order.
    pub sleeps: Vec<Duration>,
}

/// An in-memory transport: answers with scripted responses, records requests and the
/// retry waits (without waiting). Clones share the script, so a test keeps one clone and
/// hands another to the client.
#[derive(Clone, Default)]
pub struct FakeTransport {
    script: Arc<Mutex<Script>>,
    /// When set, `sleep` is the trait's default (a helper thread), not a record.
    real_sleep: bool,
}

impl FakeTransport {
    pub fn new() -> Self {
        FakeTransport::default()
    }

    /// A transport whose `sleep` is the trait's default implementation.
    pub fn with_real_sleep() -> Self {
        FakeTransport { real_sleep: true, ..FakeTransport::default() }
    }

    /// Queues a response.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.script().responses.push_back(Ok(response));
        self
    }

    /// Queues a transport failure.
    pub fn push_failure(&self, message: &str) -> &Self {
        self.script().responses.push_back(Err(message.to_owned()));
        self
    }

    pub fn script(&self) -> MutexGuard<'_, Script> {
        self.script.lock().unwrap()
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.script().requests.clone()
    }

    pub fn urls(&self) -> Vec<String> {
        self.script().requests.iter().map(|r| r.url.clone()).collect()
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.script().sleeps.clone()
    }

    /// Responses queued but never asked for.
    pub fn unused(&self) -> usize {
        self.script().responses.len()
    }

    /// A client on `https://example.test/svc` sending through this transport.
    pub fn client(&self) -> Client {
        Client::new(BASE, self.clone())
    }
}

pub const BASE: &str = "https://example.test/svc";

impl Transport for FakeTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut script = self.script();
        script.requests.push(request);
        let answer = script.responses.pop_front();
        drop(script);
        Box::pin(async move {
            match answer {
                Some(Ok(response)) => Ok(response),
                Some(Err(message)) => Err(TransportError::new(message)),
                None => Err(TransportError::new("the fake transport has no response left")),
            }
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.script().sleeps.push(duration);
        if self.real_sleep {
            // The trait's default implementation, through a transport that does not override it.
            struct NoOverride;
            impl Transport for NoOverride {
                fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
                    unreachable!()
                }
            }
            Box::pin(async move { NoOverride.sleep(duration).await })
        } else {
            Box::pin(async {})
        }
    }
}

/// A response with a JSON body.
pub fn json(status: u16, body: Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: serde_json::to_vec(&body).unwrap(),
    }
}

/// A response with a raw body.
pub fn raw(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, headers: Vec::new(), body: body.as_bytes().to_vec() }
}

/// Adds a header to a response.
pub fn with_header(mut response: HttpResponse, name: &str, value: &str) -> HttpResponse {
    response.headers.push((name.to_owned(), value.to_owned()));
    response
}

/// The value of the first header named `name` (case-insensitive) of a request.
pub fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------------------
// A structure, as the generator writes one
// ---------------------------------------------------------------------------------------

/// A structured type as the generator writes one: the struct (every property an `Option`,
/// `odata_type`, `extra`), `Structure` and serde through the runtime's readers and writers.
/// `sorted` lists the property indices in name order, as `Structure::SORTED` wants.
#[macro_export]
macro_rules! structure {
    ($(#[$doc:meta])* $name:ident = $type_name:literal, sorted $sorted:expr, {
        $($field:ident: $ty:ty = $wire:literal),* $(,)?
    }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[allow(missing_docs)]
        pub struct $name {
            pub odata_type: Option<String>,
            $(pub $field: Option<$ty>,)*
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl codegen_runtime::Structure for $name {
            const TYPE_NAME: &'static str = $type_name;
            const PROPERTIES: &'static [&'static str] = &[$($wire),*];
            const SORTED: &'static [u16] = $sorted;
            fn parts(&self) -> (Option<&str>, &serde_json::Map<String, serde_json::Value>) {
                (self.odata_type.as_deref(), &self.extra)
            }
            fn parts_mut(&mut self) -> (Option<&mut Option<String>>, &mut serde_json::Map<String, serde_json::Value>) {
                (Some(&mut self.odata_type), &mut self.extra)
            }
            fn read_property(
                &mut self,
                index: u16,
                map: &mut dyn codegen_runtime::MapSource,
            ) -> Result<Option<serde_json::Value>, codegen_runtime::ReadError> {
                let mut at = 0u16;
                $(
                    if index == at {
                        return codegen_runtime::read_field(map, &mut self.$field);
                    }
                    at += 1;
                )*
                let _ = at;
                Ok(None)
            }
            fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $(codegen_runtime::write_field(map, $wire, &self.$field, &self.extra)?;)*
                Ok(())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                codegen_runtime::write_structure(self, serializer, false)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                codegen_runtime::deserialize_wire(deserializer)
            }
        }

        impl codegen_runtime::Wire for $name {
            const EXPECTING: &'static str = concat!("a JSON object holding a ", $type_name);
            fn from_scalar(value: codegen_runtime::Scalar<'_>) -> codegen_runtime::Lenient<Self> {
                codegen_runtime::Lenient::Raw(value.into_value())
            }
            fn from_map(
                map: &mut dyn codegen_runtime::MapSource,
            ) -> Result<codegen_runtime::Lenient<Self>, codegen_runtime::ReadError> {
                codegen_runtime::read_structure_wire(map)
            }
        }

        impl codegen_runtime::FromJson for $name {
            #[inline]
            fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
                codegen_runtime::wire_from_json(body)
            }
            #[inline]
            fn page_from_json(body: &[u8]) -> Result<codegen_runtime::Page<Self>, serde_json::Error> {
                codegen_runtime::wire_page_from_json(body)
            }
            #[inline]
            fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
                codegen_runtime::wire_vec_from_json(body)
            }
        }

        impl codegen_runtime::ToJson for $name {
            fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
                serde_json::to_writer(out, self)
            }
        }
    };
}

structure! {
    /// `test.thing`: an entity type with a key, a few primitive properties, a collection and
    /// a nested complex value.
    Thing = "test.thing",
    // created, dimensions, id, name, price, size, tags
    sorted &[4, 6, 0, 1, 5, 2, 3],
    {
        id: String = "id",
        name: String = "name",
        size: i32 = "size",
        tags: Vec<String> = "tags",
        created: Date = "created",
        price: Decimal = "price",
        dimensions: Dimensions = "dimensions",
    }
}

/// The fields of [`Thing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThingField {
    Id,
    Name,
    Size,
    Tags,
    Created,
    Price,
    Dimensions,
}

impl FieldName for ThingField {
    fn name(self) -> &'static str {
        match self {
            ThingField::Id => "id",
            ThingField::Name => "name",
            ThingField::Size => "size",
            ThingField::Tags => "tags",
            ThingField::Created => "created",
            ThingField::Price => "price",
            ThingField::Dimensions => "dimensions",
        }
    }
}

impl Selectable for Thing {
    type Field = ThingField;
}

/// The things' service writes keys as segments, as Microsoft Graph does.
impl Keyed for Thing {
    const KEY_STYLE: KeyStyle = KeyStyle::Segment;
}

structure! {
    /// `test.dimensions`: a complex type.
    Dimensions = "test.dimensions",
    sorted &[1, 0],
    {
        width: f64 = "width",
        unit: String = "unit",
    }
}

/// Handles at a path, as a generated crate's `Client::entity` and `Client::collection` make
/// them (the runtime's client has no such methods: generated crates own their handles).
#[allow(dead_code)]
pub trait Handles {
    /// The entity at `path`.
    fn entity<T>(&self, path: &str) -> codegen_runtime::EntityRequest<T>;
    /// The collection at `path`.
    fn collection<T>(&self, path: &str) -> codegen_runtime::CollectionRequest<T>;
}

impl Handles for codegen_runtime::Client {
    fn entity<T>(&self, path: &str) -> codegen_runtime::EntityRequest<T> {
        codegen_runtime::EntityRequest::new(self.clone(), path.to_owned())
    }

    fn collection<T>(&self, path: &str) -> codegen_runtime::CollectionRequest<T> {
        codegen_runtime::CollectionRequest::new(self.clone(), path.to_owned())
    }
}
