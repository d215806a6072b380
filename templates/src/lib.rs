//! The runtime of the crates codegen generates: OData primitive types, the readers and
//! writers of the generated models, and the HTTP client (transport, requests, handles,
//! paging, errors).
//!
//! The text-based primitives (`Date`, `DateTimeOffset`, `TimeOfDay`, `Duration`, `Guid`,
//! `Binary`, `Stream`, `Decimal`) keep the exact text the service sent, so a value that does
//! not parse as its declared type never makes a whole document fail, and a read-modify-write
//! sends back what was read. Each offers typed access on top.
//!
//! Generated code adds inherent methods to [`EntityRequest`] and [`CollectionRequest`] for
//! each entity type (navigation properties, casts to derived types, bound actions and
//! functions) and to [`Client`] (entity sets, singletons, action and function imports), so
//! the code grows with the number of types, not with the number of URL paths. The const
//! parameters of the handles carry the metadata's Capabilities restrictions (readable,
//! insertable, updatable, deletable): where the service says a collection is not
//! insertable, `create` does not exist on its handle.
//!
//! These sources are the crate `codegen-runtime` in codegen's repository and, copied as
//! they are, the `runtime` module of every generated crate: they refer to each other only
//! through `super::`, never through `crate::`.

mod batch;
mod client;
mod errors;
mod flags;
mod handles;
mod json;
mod literals;
mod multipart;
mod paging;
mod polymorphic;
mod primitives;
mod read;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod transport;
mod v2;
mod wire;

pub use self::batch::*;
pub use self::client::*;
pub use self::errors::*;
pub use self::flags::*;
pub use self::handles::*;
pub use self::json::*;
pub use self::literals::*;
pub use self::multipart::*;
pub use self::paging::*;
pub use self::polymorphic::*;
pub use self::primitives::*;
pub use self::read::*;
pub use self::request::*;
#[cfg(feature = "reqwest")]
pub use self::reqwest_transport::*;
pub use self::transport::*;
pub use self::wire::*;
