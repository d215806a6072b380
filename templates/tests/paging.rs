//! Collections through a client on a scripted transport: one page, the pager following
//! `@odata.nextLink` (absolute and relative), headers kept across pages, `@odata.count`.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, with_header, FakeTransport, Handles, Thing, BASE};

fn page(items: &[&str], next: Option<&str>) -> HttpResponse {
    let value: Vec<_> = items.iter().map(|id| json!({"id": id})).collect();
    let mut body = json!({"@odata.context": format!("{BASE}/$metadata#things"), "value": value});
    if let Some(next) = next {
        body["@odata.nextLink"] = json!(next);
    }
    json(200, body)
}

fn ids(page: &Page<Thing>) -> Vec<&str> {
    page.value.iter().map(|t| t.id.as_deref().unwrap()).collect()
}

#[tokio::test]
async fn list_sends_one_get_and_reads_one_page() {
    let transport = FakeTransport::new();
    transport.push(page(&["a", "b"], Some("https://example.test/svc/things?$skiptoken=1")));
    let page = transport.client().collection::<Thing>("/things").list().top(2).await.unwrap();
    assert_eq!(ids(&page), ["a", "b"]);
    assert_eq!(page.next_link.as_deref(), Some("https://example.test/svc/things?$skiptoken=1"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::Get);
    assert_eq!(requests[0].url, format!("{BASE}/things?$top=2"));
    assert_eq!(requests[0].body, None);
}

#[tokio::test]
async fn pager_follows_absolute_next_links_until_the_last_page() {
    let transport = FakeTransport::new();
    transport
        .push(page(&["a", "b"], Some("https://example.test/svc/things?$top=2&$skiptoken=X%2FY")))
        .push(page(&["c", "d"], Some("https://example.test/svc/things?$top=2&$skiptoken=Z")))
        .push(page(&["e"], None));
    let mut pages = transport.client().collection::<Thing>("/things").list().top(2).pages();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        seen.push(ids(&page.unwrap()).join(""));
    }
    assert_eq!(seen, ["ab", "cd", "e"]);
    // Next links are requested exactly as the service wrote them.
    assert_eq!(
        transport.urls(),
        [
            format!("{BASE}/things?$top=2"),
            format!("{BASE}/things?$top=2&$skiptoken=X%2FY"),
            format!("{BASE}/things?$top=2&$skiptoken=Z"),
        ]
    );
    // After the last page: nothing more, and nothing more is sent.
    assert!(pages.next().await.is_none());
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn pager_resolves_relative_next_links_against_the_request_url() {
    let transport = FakeTransport::new();
    transport
        .push(page(&["a"], Some("things?$skiptoken=2")))
        .push(page(&["b"], Some("/svc/things?$skiptoken=3")))
        .push(page(&["c"], Some("other/more?$skiptoken=4")))
        .push(page(&["d"], None));
    let items = transport.client().collection::<Thing>("/things").list().all().await.unwrap();
    assert_eq!(items.iter().map(|t| t.id.as_deref().unwrap()).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    assert_eq!(
        transport.urls(),
        [
            format!("{BASE}/things"),
            // Relative: replaces the last segment of the request's path.
            format!("{BASE}/things?$skiptoken=2"),
            // Absolute path: keeps the origin.
            "https://example.test/svc/things?$skiptoken=3".to_owned(),
            format!("{BASE}/other/more?$skiptoken=4"),
        ]
    );
}

#[tokio::test]
async fn without_a_context_url_relative_next_links_of_a_nested_collection_stay_under_its_parent() {
    let transport = FakeTransport::new();
    let mut first = json!({"value": [{"id": "a"}], "@odata.nextLink": "children?$skip=1"});
    first.as_object_mut().unwrap().remove("@odata.context");
    transport.push(json(200, first)).push(page(&["b"], None));
    let children = transport
        .client()
        .collection::<Thing>("/things")
        .by_id("p")
        .__collection::<Thing, true, true, true, true>("children");
    let items = children.list().all().await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(transport.urls()[1], format!("{BASE}/things/p/children?$skip=1"));
}

#[tokio::test]
async fn relative_next_links_are_relative_to_the_context_url() {
    // The context URL (relative to the request) is the base; its `$metadata#…` part is not a
    // directory, so links are relative to the service root.
    let transport = FakeTransport::new();
    let body = json!({
        "@odata.context": "../../$metadata#things('p')/children",
        "value": [{"id": "a"}],
        "@odata.nextLink": "things('p')/children?$skip=1",
    });
    transport.push(json(200, body)).push(page(&["b"], None));
    let children = transport
        .client()
        .collection::<Thing>("/things")
        .by_id("p")
        .__collection::<Thing, true, true, true, true>("children");
    children.list().all().await.unwrap();
    assert_eq!(transport.urls()[1], format!("{BASE}/things('p')/children?$skip=1"));
}

#[tokio::test]
async fn odata_count_may_be_a_string_under_ieee754_compatible() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"@odata.count": "9007199254740993", "value": []})));
    let page = transport.client().collection::<Thing>("/things").list().count(true).await.unwrap();
    assert_eq!(page.count, Some(9_007_199_254_740_993));
    transport.push(json(200, json!({"@odata.count": "many", "value": []})));
    let err = transport.client().collection::<Thing>("/things").list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
}

#[tokio::test]
async fn a_query_only_relative_next_link_keeps_the_request_path() {
    let transport = FakeTransport::new();
    transport.push(page(&["a"], Some("?$skiptoken=2"))).push(page(&["b"], None));
    transport.client().collection::<Thing>("/things").list().all().await.unwrap();
    assert_eq!(transport.urls()[1], format!("{BASE}/things?$skiptoken=2"));
}

#[tokio::test]
async fn a_network_path_next_link_keeps_only_the_scheme() {
    let transport = FakeTransport::new();
    transport.push(page(&["a"], Some("//cdn.example.test/things?$skiptoken=2"))).push(page(&["b"], None));
    transport.client().collection::<Thing>("/things").list().all().await.unwrap();
    assert_eq!(transport.urls()[1], "https://cdn.example.test/things?$skiptoken=2");
}

#[tokio::test]
async fn pager_sends_the_first_requests_headers_with_every_page() {
    let transport = FakeTransport::new();
    transport
        .push(page(&["a"], Some("https://example.test/svc/things?$skiptoken=2")))
        .push(page(&["b"], Some("things?$skiptoken=3")))
        .push(page(&["c"], None));
    let client = Client::builder(BASE, transport.clone()).default_header("x-client", "tests").build();
    let request = client
        .collection::<Thing>("/things")
        .list()
        .count(true)
        .consistency_level_eventual()
        .prefer("odata.maxpagesize=1")
        .header("x-custom", "1");
    assert_eq!(request.all().await.unwrap().len(), 3);
    for sent in transport.requests() {
        assert_eq!(header(&sent, "ConsistencyLevel"), Some("eventual"), "{}", sent.url);
        assert_eq!(header(&sent, "Prefer"), Some("odata.maxpagesize=1"), "{}", sent.url);
        assert_eq!(header(&sent, "x-custom"), Some("1"), "{}", sent.url);
        assert_eq!(header(&sent, "x-client"), Some("tests"), "{}", sent.url);
    }
    // The query options of the first request are not added to next links (they carry them).
    assert_eq!(transport.urls()[1], format!("{BASE}/things?$skiptoken=2"));
}

#[tokio::test]
async fn odata_count_and_delta_link_are_read_from_their_pages() {
    let transport = FakeTransport::new();
    transport
        .push(json(200, json!({"@odata.count": 3, "value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": "things?$skiptoken=2"})))
        .push(json(200, json!({"value": [{"id": "c"}], "@odata.deltaLink": "https://example.test/svc/things/delta?$deltatoken=9"})));
    let mut pages = transport.client().collection::<Thing>("/things").list().count(true).pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!((first.count, first.delta_link.as_deref()), (Some(3), None));
    let last = pages.next().await.unwrap().unwrap();
    assert_eq!(last.count, None);
    assert_eq!(last.next_link, None);
    assert_eq!(last.delta_link.as_deref(), Some("https://example.test/svc/things/delta?$deltatoken=9"));
    assert!(pages.next().await.is_none());
    assert_eq!(transport.urls()[0], format!("{BASE}/things?$count=true"));
}

#[tokio::test]
async fn an_empty_page_or_one_without_value_ends_the_walk() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"value": []})));
    let items = transport.client().collection::<Thing>("/things").list().all().await.unwrap();
    assert!(items.is_empty());
    transport.push(json(200, json!({"@odata.context": "x"})));
    let page = transport.client().collection::<Thing>("/things").list().await.unwrap();
    assert!(page.value.is_empty());
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn items_of_the_wrong_shape_do_not_fail_the_page() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"value": [{"id": "a", "size": "huge", "@odata.etag": "W/\"1\""}]})));
    let page = transport.client().collection::<Thing>("/things").list().await.unwrap();
    let item = &page.value[0];
    assert_eq!((item.id.as_deref(), item.size), (Some("a"), None));
    assert_eq!(item.extra["size"], json!("huge"));
    assert_eq!(item.extra["@odata.etag"], json!("W/\"1\""));
}

#[tokio::test]
async fn a_failed_page_is_returned_and_ends_the_walk() {
    let transport = FakeTransport::new();
    transport
        .push(page(&["a"], Some("things?$skiptoken=2")))
        .push(json(500, json!({"error": {"code": "boom", "message": "broken"}})))
        .push(page(&["never"], None));
    let mut pages = transport.client().collection::<Thing>("/things").list().pages();
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(pages.next().await.is_none());
    assert_eq!(transport.unused(), 1);

    // `all` stops at the error and returns it.
    let transport = FakeTransport::new();
    transport.push(page(&["a"], Some("things?$skiptoken=2"))).push(json(404, json!({})));
    let result = transport.client().collection::<Thing>("/things").list().all().await;
    assert_eq!(result.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn the_bearer_token_goes_only_to_the_services_origin() {
    let transport = FakeTransport::new();
    transport
        .push(page(&["a"], Some("HTTPS://EXAMPLE.TEST/svc/things?$skiptoken=2")))
        .push(page(&["b"], Some("https://elsewhere.test/things?$skiptoken=3")))
        .push(page(&["c"], Some("https://example.test.elsewhere.test/things")))
        .push(page(&["d"], None));
    let client = Client::builder(BASE, transport.clone()).bearer_token("secret").build();
    assert_eq!(client.collection::<Thing>("/things").list().all().await.unwrap().len(), 4);
    let auth: Vec<Option<String>> =
        transport.requests().iter().map(|r| header(r, "Authorization").map(str::to_owned)).collect();
    assert_eq!(auth, [Some("Bearer secret".to_owned()), Some("Bearer secret".to_owned()), None, None]);
}

#[tokio::test]
async fn an_authorization_header_set_by_the_caller_is_kept() {
    let transport = FakeTransport::new();
    transport.push(page(&[], None));
    let client = Client::builder(BASE, transport.clone()).bearer_token("secret").build();
    client.collection::<Thing>("/things").list().header("authorization", "Basic abc").await.unwrap();
    let sent = &transport.requests()[0];
    let values: Vec<&str> = sent
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(values, ["Basic abc"]);
}

#[tokio::test]
async fn response_headers_are_ignored_by_the_page_decoder() {
    let transport = FakeTransport::new();
    transport.push(with_header(page(&["a"], None), "x-ms-ags-diagnostic", "{}"));
    let page = transport.client().collection::<Thing>("/things").list().await.unwrap();
    assert_eq!(ids(&page), ["a"]);
}

#[tokio::test]
async fn count_reads_a_plain_text_number() {
    let transport = FakeTransport::new();
    transport
        .push(support::raw(200, "42"))
        .push(support::raw(200, "\u{feff} 7\n"))
        .push(support::raw(200, "many"));
    let things = transport.client().collection::<Thing>("/things");
    assert_eq!(things.count().filter("size gt 1").await.unwrap(), 42);
    assert_eq!(things.count().await.unwrap(), 7);
    let error = things.count().await.unwrap_err();
    assert!(matches!(&error, Error::Decode { status: 200, body, .. } if body == "many"), "{error:?}");
    assert_eq!(transport.urls()[0], format!("{BASE}/things/$count?$filter=size%20gt%201"));
}

#[tokio::test]
async fn references_are_listed_as_pages() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"value": [{"@odata.id": "https://example.test/svc/things/1"}]})));
    let refs = transport.client().collection::<Thing>("/groups/g/members").list_refs().await.unwrap();
    assert_eq!(refs.value, [Reference { id: "https://example.test/svc/things/1".to_owned() }]);
}

#[tokio::test]
async fn a_next_link_to_the_page_just_read_ends_the_paging() {
    let transport = FakeTransport::new();
    let again = format!("{BASE}/things?$skiptoken=2");
    transport.push(page(&["a"], Some(&again)));
    transport.push(page(&["b"], Some(&again)));
    transport.push(page(&["never"], None));
    let all = transport.client().collection::<Thing>("/things").list().all().await.unwrap();
    let got: Vec<&str> = all.iter().map(|t| t.id.as_deref().unwrap()).collect();
    assert_eq!(got, ["a", "b"], "the second page names itself as next: not asked for again");
    assert_eq!(transport.requests().len(), 2);
}
