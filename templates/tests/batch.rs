//! `$batch`: the requests the client builds, sent together as an OData 4.01 JSON batch or a
//! multipart batch (OData 4.0 and V2, change sets nested), each response decoded into its
//! own request's result type; malformed batch responses are errors, never panics.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, raw, with_header, FakeTransport, Handles, Thing, BASE};

/// A response with a multipart body of `boundary`.
fn multipart(status: u16, boundary: &str, body: &str) -> HttpResponse {
    with_header(raw(status, body), "Content-Type", &format!("multipart/mixed; boundary={boundary}"))
}

/// The four requests the tests batch: a read, a change set of a create and an update, and a
/// count that waits for the read.
fn four_requests(client: &Client, batch: &mut Batch) -> [usize; 4] {
    let things = client.collection::<Thing>("/things");
    let read = batch.add(things.by_id("t-1").get().select_names(&["name"]));
    let set = batch.change_set();
    let created = batch.add_to(set, things.create(&Thing { name: Some("new".into()), ..Thing::default() }));
    let updated = batch.add_to(
        set,
        things.by_id("t-2").update(&Thing { size: Some(3), ..Thing::default() }).if_match("W/\"1\""),
    );
    let count = batch.add(things.count());
    batch.depends_on(&count, &read);
    [read.index(), created.index(), updated.index(), count.index()]
}

#[test]
fn a_json_batch_writes_each_request_relative_to_the_service_root_with_ids_groups_dependencies_and_lower_case_headers(
) {
    let client = FakeTransport::new().client();
    let mut batch = Batch::new(client.clone(), BatchFormat::Json);
    assert_eq!(four_requests(&client, &mut batch), [0, 1, 2, 3]);
    let http = batch.to_http().unwrap();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.url, format!("{BASE}/$batch"));
    assert_eq!(header(&http, "content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(http.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"requests": [
            {"id": "1", "method": "GET", "url": "things/t-1?$select=name"},
            {"id": "2", "atomicityGroup": "g1", "method": "POST", "url": "things",
             "headers": {"content-type": "application/json"}, "body": {"name": "new"}},
            {"id": "3", "atomicityGroup": "g1", "method": "PATCH", "url": "things/t-2",
             "headers": {"content-type": "application/json", "if-match": "W/\"1\""}, "body": {"size": 3}},
            {"id": "4", "dependsOn": ["1"], "method": "GET", "url": "things/$count"},
        ]})
    );
}

#[tokio::test]
async fn json_batch_responses_are_matched_by_id_in_any_order_and_decoded_as_their_requests() {
    let transport = FakeTransport::new();
    transport.push(json(
        200,
        json!({"responses": [
            {"id": "4", "status": 200, "headers": {"Content-Type": "text/plain"}, "body": "12"},
            {"id": "3", "status": 412, "headers": {"Content-Type": "application/json"},
             "body": {"error": {"code": "412", "message": "stale"}}},
            {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"},
             "body": {"@odata.etag": "W/\"2\"", "id": "t-1", "name": "one"}},
            {"id": "99", "status": 200, "body": {}},
            {"id": "2", "status": 201, "body": {"id": "t-9", "name": "new"}},
        ]}),
    ));
    let client = transport.client();
    let things = client.collection::<Thing>("/things");
    let mut batch = Batch::new(client.clone(), BatchFormat::Json);
    let read = batch.add(things.by_id("t-1").get());
    let created = batch.add(things.create(&Thing::default()));
    let updated = batch.add(things.by_id("t-2").update(&Thing::default()));
    let count = batch.add(things.count());
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.status(&updated), Some(412));
    let thing = responses.take(read).unwrap();
    assert_eq!((thing.name.as_deref(), etag(&thing)), (Some("one"), Some("W/\"2\"")));
    assert_eq!(responses.take(created).unwrap().id.as_deref(), Some("t-9"));
    assert!(matches!(responses.take(updated), Err(Error::PreconditionFailed { .. })));
    assert_eq!(responses.take(count).unwrap(), 12);
    // Taken once.
    assert!(matches!(responses.take(read), Err(Error::Batch(_))));
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn a_multipart_batch_nests_its_change_set_where_its_first_request_was_added() {
    let client = FakeTransport::new().client();
    let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
    four_requests(&client, &mut batch);
    let http = batch.to_http().unwrap();
    let content_type = header(&http, "content-type").unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/mixed; boundary=").unwrap();
    let body = String::from_utf8(http.body.unwrap()).unwrap();
    let change_set = body.split("boundary=").nth(1).unwrap().split("\r\n").next().unwrap().to_owned();
    assert!(
        boundary.starts_with("batch_") && change_set.starts_with("changeset_"),
        "{boundary} {change_set}"
    );
    let expected = format!(
        "--{boundary}\r\n\
         Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n\
         GET things/t-1?$select=name HTTP/1.1\r\n\r\n\r\n\
         --{boundary}\r\n\
         Content-Type: multipart/mixed; boundary={change_set}\r\n\r\n\
         --{change_set}\r\n\
         Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n\
         POST things HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{{\"name\":\"new\"}}\r\n\
         --{change_set}\r\n\
         Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 3\r\n\r\n\
         PATCH things/t-2 HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: W/\"1\"\r\nContent-Length: 10\r\n\r\n{{\"size\":3}}\r\n\
         --{change_set}--\r\n\r\n\
         --{boundary}\r\n\
         Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 4\r\n\r\n\
         GET things/$count HTTP/1.1\r\n\r\n\r\n\
         --{boundary}--\r\n"
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn multipart_responses_are_read_in_order_and_change_set_members_by_content_id() {
    let transport = FakeTransport::new();
    // The change set's responses come in reverse order, told apart by Content-ID; LF-only
    // line ends and transport padding after a delimiter are read too.
    let body = "preamble\r\n--b1\r\nContent-Type: application/http\r\n\r\n\
        HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"id\":\"t-1\",\"name\":\"one\"}\r\n\
        --b1 \r\nContent-Type: multipart/mixed; boundary=\"cs\"\r\n\r\n\
        --cs\nContent-Type: application/http\nContent-ID: 3\n\nHTTP/1.1 204 No Content\n\n\n\
        --cs\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\n\
        HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"id\":\"t-9\"}\r\n\r\n\
        --cs--\r\n\
        --b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n12\r\n\
        --b1--\r\nepilogue";
    transport.push(multipart(200, "b1", body));
    let client = transport.client();
    let things = client.collection::<Thing>("/things");
    let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
    let read = batch.add(things.by_id("t-1").get());
    let set = batch.change_set();
    let created = batch.add_to(set, things.create(&Thing::default()));
    let updated = batch.add_to(set, things.by_id("t-2").update(&Thing::default()));
    let count = batch.add(things.count());
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(read).unwrap().name.as_deref(), Some("one"));
    assert_eq!(responses.take(created).unwrap().id.as_deref(), Some("t-9"));
    responses.take(updated).unwrap();
    assert_eq!(responses.take(count).unwrap(), 12);
    assert_eq!(header(&transport.requests()[0], "accept"), Some("multipart/mixed"));
}

#[tokio::test]
async fn a_change_set_that_failed_as_a_whole_is_each_of_its_requests_error_and_later_requests_have_none() {
    let transport = FakeTransport::new();
    let body = "--b\r\nContent-Type: application/http\r\n\r\n\
        HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n\
        {\"error\":{\"code\":\"400\",\"message\":\"no such author\"}}\r\n--b--\r\n";
    transport.push(multipart(202, "b", body));
    let client = transport.client();
    let things = client.collection::<Thing>("/things");
    let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
    let set = batch.change_set();
    let first = batch.add_to(set, things.create(&Thing::default()));
    let second = batch.add_to(set, things.create(&Thing::default()));
    let after = batch.add(things.count());
    let mut responses = batch.send().await.unwrap();
    for item in [first, second] {
        let Err(Error::Service { status: 400, error, .. }) = responses.take(item) else {
            panic!("not the error")
        };
        assert_eq!(error.message, "no such author");
    }
    let missing = responses.take(after).unwrap_err();
    assert!(matches!(missing, Error::Batch(_)) && missing.to_string().contains("request 3"), "{missing}");
}

#[tokio::test]
async fn a_v2_batch_asks_each_request_for_json_and_writes_merge_as_itself() {
    let transport = FakeTransport::new();
    let body = "--b\r\nContent-Type: application/http\r\n\r\n\
        HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n\
        {\"d\":{\"results\":[{\"id\":\"t-1\"}],\"__count\":\"1\"}}\r\n\
        --b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n\
        --cs\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--cs--\r\n\
        --b--\r\n";
    transport.push(multipart(202, "b", body));
    let client = transport.client().odata_v2();
    let things = client.collection::<Thing>("/things");
    let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
    let list = batch.add(things.list().count(true));
    let set = batch.change_set();
    let merged = batch.add_to(set, things.by_id("t-2").update(&Thing::default()));
    let sent = batch.to_http().unwrap();
    let text = String::from_utf8(sent.body.clone().unwrap()).unwrap();
    assert!(
        text.contains("GET things?$inlinecount=allpages HTTP/1.1\r\nAccept: application/json\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nMERGE things/t-2 HTTP/1.1\r\n"), "{text}");
    assert!(!text.to_ascii_lowercase().contains("x-http-method"), "{text}");
    let mut responses = batch.send().await.unwrap();
    let page = responses.take(list).unwrap();
    assert_eq!((page.value.len(), page.count), (1, Some(1)));
    responses.take(merged).unwrap();
}

#[tokio::test]
async fn credentials_go_on_the_batch_request_and_default_headers_on_each_request() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"responses": []})));
    let client = Client::builder(BASE, transport.clone())
        .bearer_token("secret")
        .default_header("ConsistencyLevel", "eventual")
        .default_header("Authorization", "Basic xyz")
        .build();
    let mut batch = Batch::new(client.clone(), BatchFormat::Json);
    batch.add(client.collection::<Thing>("/things").list());
    batch.send().await.unwrap();
    let sent = &transport.requests()[0];
    let body = String::from_utf8(sent.body.clone().unwrap()).unwrap();
    assert!(body.contains(r#""headers":{"consistencylevel":"eventual"}"#), "{body}");
    assert!(!body.contains("secret") && !body.contains("Basic"), "{body}");
    assert!(header(sent, "authorization").is_some());
}

#[test]
fn urls_outside_the_service_root_stay_absolute_and_a_first_segment_with_a_colon_is_dot_prefixed() {
    let client = FakeTransport::new().client();
    let mut batch = Batch::new(client.clone(), BatchFormat::Json);
    batch.add(Request::<(), Empty>::new(client.clone(), Method::Get, "https://other.test/x"));
    batch.add(Request::<(), Empty>::new(client.clone(), Method::Get, "/a:b/c"));
    batch.add(Request::<(), Empty>::new(client.clone(), Method::Get, "sibling"));
    let body: serde_json::Value = serde_json::from_slice(&batch.to_http().unwrap().body.unwrap()).unwrap();
    let urls: Vec<&str> =
        body["requests"].as_array().unwrap().iter().map(|r| r["url"].as_str().unwrap()).collect();
    // `svcsibling` is not below `svc`.
    assert_eq!(urls, ["https://other.test/x", "./a:b/c", "https://example.test/svcsibling"]);
}

#[tokio::test]
async fn a_request_that_cannot_be_written_fails_the_batch_before_anything_is_sent() {
    let transport = FakeTransport::new();
    let client = transport.client();
    let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
    batch.add(client.collection::<Thing>("/things").list());
    let parts = [TemplatePart::Literal("/things/"), TemplatePart::Parameter("..")];
    batch.add(Request::<(), Empty>::from_template(client.clone(), Method::Get, &parts));
    assert!(matches!(batch.send().await, Err(Error::Argument(_))));
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn malformed_batch_responses_are_errors_not_panics() {
    let cases: Vec<(BatchFormat, HttpResponse)> = vec![
        (BatchFormat::Multipart, raw(200, "--b\r\n")),
        (
            BatchFormat::Multipart,
            multipart(200, "b", "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200"),
        ),
        (BatchFormat::Multipart, multipart(200, "b", "--b\r\n\r\nnot a status line\r\n--b--")),
        (BatchFormat::Multipart, multipart(200, "b", "--b\r\n\r\nHTTP/1.1 999 Odd\r\n--b--")),
        (
            BatchFormat::Multipart,
            multipart(200, "b", "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n--b--"),
        ),
        (BatchFormat::Json, raw(200, "{\"responses\": [{\"id\": 1}]}")),
        (BatchFormat::Json, raw(200, "<html>")),
    ];
    for (i, (format, response)) in cases.into_iter().enumerate() {
        let transport = FakeTransport::new();
        transport.push(response);
        let client = transport.client();
        let mut batch = Batch::new(client.clone(), format);
        let set = batch.change_set();
        batch.add_to(set, client.collection::<Thing>("/things").list());
        let err = batch.send().await.expect_err(&format!("case {i}"));
        assert!(matches!(err, Error::Batch(_) | Error::Decode { .. }), "case {i}: {err:?}");
    }
    // Bytes that are no HTTP at all, at every length: read or refused, never a panic.
    let noise = "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\nHTTP/1.1 204 x\r\nContent-Length: 99\r\n\r\n--c--\r\n--b--";
    for end in 0..=noise.len() {
        let transport = FakeTransport::new();
        transport.push(multipart(200, "b", &noise[..end]));
        let client = transport.client();
        let mut batch = Batch::new(client.clone(), BatchFormat::Multipart);
        let set = batch.change_set();
        let item = batch.add_to(set, client.collection::<Thing>("/things").by_id("x").delete());
        if let Ok(mut responses) = batch.send().await {
            let _ = responses.take(item);
        }
    }
}
