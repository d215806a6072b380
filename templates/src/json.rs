//! Reading and writing request and response bodies through entry points that are not
//! generic: [`FromJson`] and [`ToJson`].
//!
//! A generic `serde_json::from_slice::<T>` is compiled in the crate that calls it, together
//! with everything `T` contains; for a model as large as Microsoft Graph's, one call in a
//! program compiled most of the model again, in the program. A generated crate implements
//! these traits for each of its types with plain functions, so the JSON code of a type is
//! compiled once, in the generated crate, and a program's requests only call it. The runtime
//! implements them for primitives, collections, options and pages on top of those.
//!
//! The serde traits stay implemented: use them to read or write a value in another format
//! or through another serde API.

use super::*;

/// A value read from a JSON body.
pub trait FromJson: Sized {
    /// Reads a value from a JSON document.
    fn from_json(body: &[u8]) -> Result<Self, serde_json::Error>;
    /// Reads a page of values (`{"value": [...], "@odata.nextLink": ...}`).
    fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error>;
    /// Reads a JSON array of values.
    fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error>;
}

/// A value written as a JSON body (or a member of one).
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;

    /// The value's JSON.
    fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        self.write_json(&mut out)?;
        Ok(out)
    }
}

/// Implements [`FromJson`] and [`ToJson`] for primitives: reading through their [`Wire`]
/// readers (shared with the generated types), or through serde where serde's reading is the
/// one wanted (`u64`, floats, which serde reads with rounding; references).
macro_rules! json_primitive {
    (wire: $($t:ty),* $(,)?) => {$(
        impl FromJson for $t {
            fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
                wire_from_json(body)
            }
            fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error> {
                wire_page_from_json(body)
            }
            fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
                wire_vec_from_json(body)
            }
        }
        json_primitive!(write: $t);
    )*};
    (serde: $($t:ty),* $(,)?) => {$(
        impl FromJson for $t {
            fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
                serde_json::from_slice(body)
            }
            fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error> {
                serde_json::from_slice(body)
            }
            fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
                serde_json::from_slice(body)
            }
        }
        json_primitive!(write: $t);
    )*};
    (write: $t:ty) => {
        impl ToJson for $t {
            fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
                serde_json::to_writer(out, self)
            }
        }
    };
}

json_primitive!(
    wire: String,
    bool,
    u8,
    i8,
    i16,
    i32,
    i64,
    serde_json::Value,
    Date,
    DateTimeOffset,
    TimeOfDay,
    Guid,
    Stream,
    Duration,
    Binary,
    Decimal,
    GeoJson,
);

json_primitive!(serde: u64, f32, f64, Reference);

/// A value of a type of your own, read and written through its serde impls: for requests
/// whose body or output is not a generated type (generated types have entry points of their
/// own). `Request<Serde<MyType>>` decodes into `Serde(my_value)`; `json_body(&Serde(&value))`
/// sends any `Serialize` value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Serde<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromJson for Serde<T> {
    fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body).map(Serde)
    }
    fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error> {
        let page: Page<T> = serde_json::from_slice(body)?;
        page.map(|item| Ok(Serde(item)))
    }
    fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_slice::<Vec<T>>(body).map(|items| items.into_iter().map(Serde).collect())
    }
}

impl<T: serde::Serialize> ToJson for Serde<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, &self.0)
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, self)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        (**self).write_json(out)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        (**self).write_json(out)
    }
}

/// `null` when `None`.
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        match self {
            Some(v) => v.write_json(out),
            None => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_json(out)?;
        }
        out.push(b']');
        Ok(())
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.as_slice().write_json(out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.as_slice().write_json(out)
    }
}

/// A JSON object, members in key order.
impl<T: ToJson> ToJson for std::collections::BTreeMap<String, T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        out.push(b'{');
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, key)?;
            out.push(b':');
            value.write_json(out)?;
        }
        out.push(b'}');
        Ok(())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        T::vec_from_json(body)
    }
    /// A page of arrays is not an OData payload: read through `serde_json::Value`.
    fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error> {
        let page: Page<serde_json::Value> = serde_json::from_slice(body)?;
        page.map(|item| T::vec_from_json(&serde_json::to_vec(&item)?))
    }
    fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        let items: Vec<serde_json::Value> = serde_json::from_slice(body)?;
        items.iter().map(|item| T::vec_from_json(&serde_json::to_vec(item)?)).collect()
    }
}

impl<T: FromJson> FromJson for Page<T> {
    fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        T::page_from_json(body)
    }
    /// Pages of pages are not OData payloads: read through `serde_json::Value`.
    fn page_from_json(body: &[u8]) -> Result<Page<Self>, serde_json::Error> {
        let page: Page<serde_json::Value> = serde_json::from_slice(body)?;
        page.map(|item| T::page_from_json(&serde_json::to_vec(&item)?))
    }
    fn vec_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        let items: Vec<serde_json::Value> = serde_json::from_slice(body)?;
        items.iter().map(|item| T::page_from_json(&serde_json::to_vec(item)?)).collect()
    }
}

impl<T: ToJson> ToJson for Page<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        out.extend_from_slice(b"{\"value\":");
        self.value.write_json(out)?;
        let links = [
            ("@odata.nextLink", &self.next_link),
            ("@odata.context", &self.context),
            ("@odata.deltaLink", &self.delta_link),
        ];
        for (name, link) in links {
            if let Some(link) = link {
                out.push(b',');
                serde_json::to_writer(&mut *out, name)?;
                out.push(b':');
                serde_json::to_writer(&mut *out, link)?;
            }
        }
        if let Some(count) = self.count {
            out.extend_from_slice(b",\"@odata.count\":");
            serde_json::to_writer(&mut *out, &count)?;
        }
        out.push(b'}');
        Ok(())
    }
}

impl<T> Page<T> {
    /// The page with each item converted; the first error fails it.
    fn map<U>(self, f: impl FnMut(T) -> Result<U, serde_json::Error>) -> Result<Page<U>, serde_json::Error> {
        Ok(Page {
            value: self.value.into_iter().map(f).collect::<Result<_, _>>()?,
            next_link: self.next_link,
            count: self.count,
            context: self.context,
            delta_link: self.delta_link,
        })
    }
}
