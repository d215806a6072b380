//! OData V2: a client of a V2 service ([`Client::odata_v2`]) reads V2's JSON as the rest of
//! the runtime reads OData JSON, and sends what V2 services accept.
//!
//! - Responses: the `d` envelope is removed; a collection's `{"results": [...], "__count":
//!   "3", "__next": "…"}` (or V1's bare array) becomes a page (`value`, `@odata.count`,
//!   `@odata.nextLink`); expanded collections (`{"results": [...]}`) become arrays; a
//!   service operation's result named after it, `{"Name": value}`, is the value (a primitive
//!   one as `{"value": …}`). Everything else (`__metadata`,
//!   `__deferred` navigation links) is kept as sent, in `extra`.
//! - Requests: `Accept: application/json` (V2 services default to Atom XML), an update
//!   (PATCH) is tunnelled as V2's MERGE (`POST` with `X-HTTP-Method: MERGE`), `$count=true` is
//!   `$inlinecount=allpages`, and key and parameter literals take V2's forms (`12L`,
//!   `guid'…'`).

use serde_json::{Map, Value};

/// The body of a V2 response as the OData JSON the rest of the runtime reads; `None` when it
/// is not a V2 JSON document (an error body, `$value` bytes, a `$count`).
pub(super) fn normalize(body: &[u8]) -> Option<Vec<u8>> {
    let Value::Object(mut document) = serde_json::from_slice::<Value>(super::without_bom(body)).ok()? else {
        return None;
    };
    if document.len() != 1 || !document.contains_key("d") {
        return None;
    }
    let d = document.remove("d")?;
    let out = match d {
        // V1: a collection is the array itself.
        Value::Array(items) => page(items.into_iter().map(collections).collect(), None, None),
        Value::Object(mut object) if is_results(&object) => {
            let Some(Value::Array(items)) = object.remove("results") else { return None };
            let count = object.remove("__count");
            let next = object.remove("__next");
            page(items.into_iter().map(collections).collect(), count, next)
        }
        // A service operation's complex or primitive result, named after the operation:
        // `{"Name": value}` (an entity always carries `__metadata`).
        Value::Object(object) if object.len() == 1 && !object.keys().any(|k| k.starts_with("__")) => {
            let value = object.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Null);
            match collections(value) {
                // A primitive result reads as V4's `{"value": …}`.
                Value::Object(inner) => Value::Object(inner),
                other => Value::Object(Map::from_iter([("value".to_owned(), other)])),
            }
        }
        other => collections(other),
    };
    serde_json::to_vec(&out).ok()
}

/// Whether an object is a V2 collection: `results` (an array), and at most `__count` and
/// `__next` beside it.
fn is_results(object: &Map<String, Value>) -> bool {
    matches!(object.get("results"), Some(Value::Array(_)))
        && object.keys().all(|k| k == "results" || k == "__count" || k == "__next")
}

fn page(items: Vec<Value>, count: Option<Value>, next: Option<Value>) -> Value {
    let mut out = Map::new();
    out.insert("value".to_owned(), Value::Array(items));
    if let Some(count) = count {
        // V2 writes the count as a string.
        let count = match &count {
            Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or(count),
            _ => count,
        };
        out.insert("@odata.count".to_owned(), count);
    }
    if let Some(Value::String(next)) = next {
        out.insert("@odata.nextLink".to_owned(), Value::String(next));
    }
    Value::Object(out)
}

/// `value` with every nested V2 collection (`{"results": [...]}`) made an array.
fn collections(value: Value) -> Value {
    match value {
        Value::Object(mut object) if is_results(&object) => match object.remove("results") {
            Some(Value::Array(items)) => Value::Array(items.into_iter().map(collections).collect()),
            _ => Value::Object(object),
        },
        Value::Object(object) => {
            Value::Object(object.into_iter().map(|(k, v)| (k, collections(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(collections).collect()),
        other => other,
    }
}

/// `request` as a V2 service accepts it: JSON asked for, PATCH sent as MERGE.
pub(super) fn adapt(request: &mut super::HttpRequest) {
    let has = |request: &super::HttpRequest, name: &str| {
        request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    if !has(request, "accept") {
        request.headers.push(("Accept".to_owned(), "application/json".to_owned()));
    }
    if !has(request, "maxdataserviceversion") {
        request.headers.push(("MaxDataServiceVersion".to_owned(), "2.0".to_owned()));
    }
    if request.method == super::Method::Patch {
        request.method = super::Method::Post;
        request.headers.push(("X-HTTP-Method".to_owned(), "MERGE".to_owned()));
    }
}
