//! Pages of a collection and the pager that follows `@odata.nextLink`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::*;

/// One page of a collection: `value`, `@odata.nextLink`, `@odata.count`, `@odata.deltaLink`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned", serialize = "T: Serialize"))]
pub struct Page<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked (a number, or a string under
    /// `IEEE754Compatible=true`).
    #[serde(
        rename = "@odata.count",
        default,
        deserialize_with = "count_of",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// The context URL (`@odata.context`): the base of relative links in the page.
    #[serde(rename = "@odata.context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The delta link of the last page of a delta query.
    #[serde(rename = "@odata.deltaLink", default, skip_serializing_if = "Option::is_none")]
    pub delta_link: Option<String>,
}

/// `@odata.count` as a number or as a string of digits (`IEEE754Compatible=true`).
fn count_of<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Count {
        Number(i64),
        Text(String),
    }
    match Option::<Count>::deserialize(d)? {
        None => Ok(None),
        Some(Count::Number(n)) => Ok(Some(n)),
        Some(Count::Text(text)) => text
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("`@odata.count` is not an integer: {text:?}"))),
    }
}

impl<T: Selectable> Selectable for Page<T> {
    type Field = T::Field;
}

/// Walks the pages of a collection.
pub struct Pager<T> {
    pub(super) next: Option<Request<Page<T>, Json>>,
    pub(super) headers: Vec<(String, String)>,
}

impl<T: FromJson + Send + 'static> Pager<T> {
    /// The next page; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        let request = self.next.take()?;
        if self.headers.is_empty() {
            self.headers = request.headers.clone();
        }
        let client = request.client.clone();
        let url = request.url.clone();
        let sent = request.to_http().url;
        let page_keys = request.page_keys;
        let result = request.send().await;
        if let Ok(page) = &result {
            if let Some(link) = &page.next_link {
                // The next link carries the query; the headers (e.g. ConsistencyLevel) are
                // sent again. A relative link is relative to the page's context URL, itself
                // relative to the request (OData JSON Format, "Relative URLs"); without a
                // context URL, to the request.
                // A query-only link means the request's own resource (against a context URL it
                // would name `$metadata`).
                let base = match &page.context {
                    Some(context) if !link.starts_with('?') => resolve_link(&url, context),
                    _ => url,
                };
                let mut next = Request::new(client, Method::Get, &resolve_link(&base, link));
                // A next link that is the page just read would never end.
                if next.url != sent {
                    next.headers = self.headers.clone();
                    next.page_keys = page_keys;
                    self.next = Some(next);
                }
            }
        }
        Some(result)
    }
}
