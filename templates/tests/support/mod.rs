//! Shared fixtures of the runtime's integration tests: a scripted in-memory transport and
//! small hand-written models implementing the runtime's traits the way generated code does.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use codegen_runtime::*;
use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

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

/// `test.thing`: an entity type with a key, a few primitive properties, a collection and
/// a nested complex value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thing {
    pub odata_type: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub size: Option<i32>,
    pub tags: Option<Vec<String>>,
    pub created: Option<Date>,
    pub price: Option<Decimal>,
    pub dimensions: Option<Dimensions>,
    pub extra: Map<String, Value>,
}

impl Structure for Thing {
    const TYPE_NAME: &'static str = "test.thing";
    const PROPERTIES: &'static [&'static str] =
        &["id", "name", "size", "tags", "created", "price", "dimensions"];
    // created, dimensions, id, name, price, size, tags
    const SORTED: &'static [u16] = &[4, 6, 0, 1, 5, 2, 3];
    fn parts(&self) -> (Option<&str>, &Map<String, Value>) {
        (self.odata_type.as_deref(), &self.extra)
    }
    fn parts_mut(&mut self) -> (&mut Option<String>, &mut Map<String, Value>) {
        (&mut self.odata_type, &mut self.extra)
    }
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        index: u16,
        map: &mut A,
    ) -> Result<Option<Value>, A::Error> {
        match index {
            0 => read_field(map, &mut self.id),
            1 => read_field(map, &mut self.name),
            2 => read_field(map, &mut self.size),
            3 => read_field(map, &mut self.tags),
            4 => read_field(map, &mut self.created),
            5 => read_field(map, &mut self.price),
            6 => read_field(map, &mut self.dimensions),
            _ => Ok(None),
        }
    }
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let extra = &self.extra;
        write_field(map, "id", &self.id, extra)?;
        write_field(map, "name", &self.name, extra)?;
        write_field(map, "size", &self.size, extra)?;
        write_field(map, "tags", &self.tags, extra)?;
        write_field(map, "created", &self.created, extra)?;
        write_field(map, "price", &self.price, extra)?;
        write_field(map, "dimensions", &self.dimensions, extra)?;
        Ok(())
    }
}

impl serde::Serialize for Thing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_structure(self, serializer, false)
    }
}

impl<'de> serde::Deserialize<'de> for Thing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_structure(deserializer)
    }
}

impl Wire for Thing {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        read_structure_wire(map)
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

/// `test.dimensions`: a complex type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dimensions {
    pub odata_type: Option<String>,
    pub width: Option<f64>,
    pub unit: Option<String>,
    pub extra: Map<String, Value>,
}

impl Structure for Dimensions {
    const TYPE_NAME: &'static str = "test.dimensions";
    const PROPERTIES: &'static [&'static str] = &["width", "unit"];
    const SORTED: &'static [u16] = &[1, 0];
    fn parts(&self) -> (Option<&str>, &Map<String, Value>) {
        (self.odata_type.as_deref(), &self.extra)
    }
    fn parts_mut(&mut self) -> (&mut Option<String>, &mut Map<String, Value>) {
        (&mut self.odata_type, &mut self.extra)
    }
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        index: u16,
        map: &mut A,
    ) -> Result<Option<Value>, A::Error> {
        match index {
            0 => read_field(map, &mut self.width),
            1 => read_field(map, &mut self.unit),
            _ => Ok(None),
        }
    }
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        write_field(map, "width", &self.width, &self.extra)?;
        write_field(map, "unit", &self.unit, &self.extra)?;
        Ok(())
    }
}

impl serde::Serialize for Dimensions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_structure(self, serializer, false)
    }
}

impl<'de> serde::Deserialize<'de> for Dimensions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_structure(deserializer)
    }
}

impl Wire for Dimensions {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Lenient<Self>, A::Error> {
        read_structure_wire(map)
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
