//! The request handles that generated navigation methods return.

use std::fmt;
use std::marker::PhantomData;

use super::*;

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
        __bound_action(&self.client, &self.path, name, body)
    }

    /// A bound function call.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        __bound_function(&self.client, &self.path, name, args)
    }
}

impl<T: FromJson + Send + 'static, const U: bool, const D: bool> EntityRequest<T, true, U, D> {
    /// GET the entity.
    pub fn get(&self) -> Request<T> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }
}

impl<T: ToJson, const R: bool, const D: bool> EntityRequest<T, R, true, D> {
    /// PATCH the entity with the properties set in `patch` (unset `Option`s are not sent).
    pub fn update(&self, patch: &T) -> Request<(), Empty> {
        Request::new(self.client.clone(), Method::Patch, &self.path).json_body(patch)
    }
}

impl<T: ToJson, const R: bool, const D: bool> EntityRequest<T, R, true, D> {
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
        Request::new(self.client.clone(), Method::Put, &format!("{}/$value", self.path))
            .raw_body(content_type, content)
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
        PropertyRequest {
            client: self.client.clone(),
            path: format!("{}/{segment}", self.path),
            _p: PhantomData,
        }
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
        EntityRequest::new(self.client.clone(), format!("{}/{}", self.path, args.composed_segment(name)))
    }

    /// A composable function call whose result is a collection addressed further.
    #[doc(hidden)]
    pub fn __compose_collection<N, const R2: bool, const I2: bool, const U2: bool, const D2: bool>(
        &self,
        name: &str,
        args: FunctionArgs,
    ) -> CollectionRequest<N, R2, I2, U2, D2> {
        CollectionRequest::new(self.client.clone(), format!("{}/{}", self.path, args.composed_segment(name)))
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

impl<P: FromJson + ToJson + Send + 'static> PropertyRequest<P> {
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

impl<T, const R: bool, const I: bool, const U: bool, const D: bool> Clone
    for CollectionRequest<T, R, I, U, D>
{
    fn clone(&self) -> Self {
        CollectionRequest { client: self.client.clone(), path: self.path.clone(), _t: PhantomData }
    }
}

impl<T, const R: bool, const I: bool, const U: bool, const D: bool> fmt::Debug
    for CollectionRequest<T, R, I, U, D>
{
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

    /// The entity with this key, written as the service writes keys ([`Keyed`]).
    pub fn by_id(&self, key: impl Into<Key>) -> EntityRequest<T, R, U, D>
    where
        T: Keyed,
    {
        let path = key.into().append_to(&self.path, T::KEY_STYLE, self.client.is_odata_v2());
        EntityRequest::new(self.client.clone(), path)
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
        __bound_action(&self.client, &self.path, name, body)
    }

    /// A bound function call.
    #[doc(hidden)]
    pub fn __function<O, Dec>(&self, name: &str, args: FunctionArgs) -> Request<O, Dec> {
        __bound_function(&self.client, &self.path, name, args)
    }
}

impl<T: FromJson + Send + 'static, const I: bool, const U: bool, const D: bool>
    CollectionRequest<T, true, I, U, D>
{
    /// GET one page of the collection; `.all()` or `.pages()` on the request follow the
    /// next links.
    pub fn list(&self) -> Request<Page<T>> {
        Request::new(self.client.clone(), Method::Get, &self.path)
    }
}

impl<T: ToJson + FromJson + Send + 'static, const R: bool, const U: bool, const D: bool>
    CollectionRequest<T, R, true, U, D>
{
    /// POST a new entity; returns the entity as created.
    pub fn create(&self, entity: &T) -> Request<T> {
        Request::new(self.client.clone(), Method::Post, &self.path).json_body(entity)
    }
}
