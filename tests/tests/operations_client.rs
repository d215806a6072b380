//! The client generated from `fixtures/models/operations` (by `build.rs`), on a transport of
//! our own that records requests: function parameters in the URL, overloads, imports, bound
//! actions, composable functions. It also shows that `Transport` is implementable without any
//! HTTP stack.

use std::sync::{Arc, Mutex};

use codegen_tests::operations_client::runtime::Decimal;
use codegen_tests::operations_client::runtime::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use codegen_tests::operations_client::Client;
use serde_json::json;

#[derive(Clone, Default)]
struct Recorder {
    sent: Arc<Mutex<Vec<HttpRequest>>>,
    replies: Arc<Mutex<Vec<HttpResponse>>>,
}

impl Recorder {
    fn reply(&self, status: u16, body: serde_json::Value) {
        let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
        self.replies.lock().unwrap().push(HttpResponse { status, headers: Vec::new(), body });
    }

    fn last(&self) -> HttpRequest {
        self.sent.lock().unwrap().last().cloned().expect("a request was sent")
    }
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push(request);
        let reply = self.replies.lock().unwrap().remove(0);
        Box::pin(async move { Ok(reply) })
    }
}

fn setup() -> (Client, Recorder) {
    let recorder = Recorder::default();
    (Client::new("https://svc.test/api/", recorder.clone()), recorder)
}

fn body(r: &HttpRequest) -> serde_json::Value {
    serde_json::from_slice(r.body.as_deref().unwrap_or(b"null")).unwrap()
}

#[tokio::test]
async fn string_function_parameters_are_quoted_escaped_and_encoded() {
    let (client, rec) = setup();
    rec.reply(200, json!({ "value": [{ "id": "c1", "name": "O'Brien" }] }));
    let page = client.customers().search("O'Brien & co/x").await.unwrap();
    assert_eq!(page.value[0].name.as_deref(), Some("O'Brien"));
    let r = rec.last();
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.url, "https://svc.test/api/customers/search(q='O''Brien%20&%20co%2Fx')");
}

#[tokio::test]
async fn keys_that_would_be_dot_or_system_segments_are_written_in_parentheses() {
    let (client, rec) = setup();
    for _ in 0..3 {
        rec.reply(200, json!({ "id": "x" }));
    }
    client.customers().by_id("..").get().await.unwrap();
    assert_eq!(rec.last().url, "https://svc.test/api/customers('..')");
    client.customers().by_id("$ref").get().await.unwrap();
    assert_eq!(rec.last().url, "https://svc.test/api/customers('$ref')");
    client.customers().by_id("it's").get().await.unwrap();
    assert_eq!(rec.last().url, "https://svc.test/api/customers/it's");
}

#[tokio::test]
async fn relative_next_links_resolve_against_the_request_and_the_token_stays_home() {
    let recorder = Recorder::default();
    let client = Client::builder("https://svc.test/api", recorder.clone()).bearer_token("t").build();
    recorder.reply(200, json!({ "value": [{ "id": "a" }], "@odata.nextLink": "customers?$skiptoken=2" }));
    recorder.reply(200, json!({ "value": [{ "id": "b" }], "@odata.nextLink": "https://other.test/page3" }));
    recorder.reply(200, json!({ "value": [{ "id": "c" }] }));
    let all = client.customers().list().all().await.unwrap();
    assert_eq!(all.len(), 3);
    let sent = recorder.sent.lock().unwrap().clone();
    assert_eq!(sent[1].url, "https://svc.test/api/customers?$skiptoken=2");
    let auth = |r: &HttpRequest| r.headers.iter().any(|(n, _)| n == "Authorization");
    assert!(auth(&sent[0]) && auth(&sent[1]));
    assert!(!auth(&sent[2]), "the bearer token must not go to another host");
}

#[tokio::test]
async fn overloads_are_told_apart_by_their_extra_parameters() {
    let (client, rec) = setup();
    rec.reply(200, json!({ "value": 1250.75 }));
    rec.reply(200, json!({ "value": 300 }));
    let year: Decimal = client.revenue(2024).await.unwrap();
    assert_eq!(year.as_str(), "1250.75");
    assert_eq!(rec.last().url, "https://svc.test/api/revenue(year=2024)");
    client.revenue_with_quarter(2024, 2).await.unwrap();
    assert_eq!(rec.last().url, "https://svc.test/api/revenue(year=2024,quarter=2)");
}

#[tokio::test]
async fn imports_and_bound_actions_send_their_parameters_as_json() {
    let (client, rec) = setup();
    rec.reply(200, json!({ "count": 3 }));
    let summary = client.reset_demo_data(Some(42)).await.unwrap();
    assert_eq!(summary.count, Some(3));
    let r = rec.last();
    assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://svc.test/api/resetDemoData"));
    assert_eq!(body(&r), json!({ "seed": 42 }));

    rec.reply(200, json!({ "value": [] }));
    client.orders().bulk_cancel(&["o1".to_owned(), "o2".to_owned()]).await.unwrap();
    let r = rec.last();
    assert_eq!(r.url, "https://svc.test/api/orders/bulkCancel");
    assert_eq!(body(&r), json!({ "ids": ["o1", "o2"] }));

    rec.reply(204, serde_json::Value::Null);
    client.orders().by_id("o1").archive(None).await.unwrap();
    let r = rec.last();
    assert_eq!(r.url, "https://svc.test/api/orders/o1/archive");
    assert_eq!(r.body, None, "an unset optional parameter is not sent");
}

#[tokio::test]
async fn composable_functions_return_handles_to_address_further() {
    let (client, rec) = setup();
    rec.reply(200, json!({ "value": [{ "id": "o9" }] }));
    let recent = client.me().recent_orders(7, Some(&Decimal::new("12.5")));
    let page = recent.list().top(1).await.unwrap();
    assert_eq!(page.value[0].id.as_deref(), Some("o9"));
    assert_eq!(rec.last().url, "https://svc.test/api/me/recentOrders(days=7,minTotal=12.5)?$top=1");

    rec.reply(200, json!({ "value": [] }));
    client.top_customers(3).await.unwrap();
    assert_eq!(rec.last().url, "https://svc.test/api/topCustomers(count=3)");
}

/// Percent-decodes a URL (ASCII escapes only, enough for these tests).
fn decoded(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&url[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn structured_function_parameters_are_aliases_as_the_listing_shows_them() {
    let (client, rec) = setup();
    rec.reply(200, json!({ "value": [] }));
    let over = codegen_tests::operations_client::operations::Summary { count: Some(2), ..Default::default() };
    client.orders_matching(&["a".to_owned(), "b".to_owned()], 5, &over).await.unwrap();
    let url = decoded(&rec.last().url);
    assert_eq!(
        url,
        r#"https://svc.test/api/ordersMatching(ids=@ids,limit=5,over=@over)?@ids=["a","b"]&@over={"count":2}"#
    );
    // `codegen operations` lists the same form: its template's fixed parts are the URL's.
    let case = codegen_tests::fixtures::root().join("fixtures/models/operations");
    let (model, _) = codegen_tests::fixtures::builder(&case).generate_model().unwrap();
    let plan = codegen::plan::build(&model, &mut codegen::Diagnostics::default());
    let line = codegen::plan::paths::listing(&plan, 2)
        .into_iter()
        .find(|e| e.call.starts_with("client.orders_matching("))
        .expect("the listing has the function");
    assert_eq!(line.template, "/ordersMatching(ids=@ids,limit={limit},over=@over)?@ids={ids}&@over={over}");
    let mut rest = url.strip_prefix("https://svc.test/api").unwrap();
    for fixed in line.template.split(['{', '}']).step_by(2) {
        let at = rest.find(fixed).unwrap_or_else(|| panic!("`{fixed}` of {} is not in {url}", line.template));
        rest = &rest[at + fixed.len()..];
    }
}
