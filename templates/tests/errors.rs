//! Error responses and undecodable bodies: OData error bodies become `Error::Service`,
//! other error bodies `Error::Status`, bad success bodies `Error::Decode`.

mod support;

use std::error::Error as _;

use codegen_runtime::*;
use serde_json::json;
use support::{json, raw, with_header, FakeTransport, Handles, Thing, BASE};

fn client(transport: &FakeTransport) -> Client {
    // No retries: these tests are about the one response.
    Client::builder(BASE, transport.clone())
        .retry(RetryPolicy { max_retries: 0, ..RetryPolicy::default() })
        .build()
}

async fn get(transport: &FakeTransport) -> Result<Thing, Error> {
    client(transport).entity::<Thing>("/things/t-1").get().await
}

fn service_error(error: Error) -> (u16, ServiceError, Option<String>) {
    match error {
        Error::Service { status, error, request_id } => (status, *error, request_id),
        other => panic!("not a service error: {other:?}"),
    }
}

#[tokio::test]
async fn an_odata_error_body_becomes_a_service_error() {
    let transport = FakeTransport::new();
    let body = json!({"error": {
        "code": "BadRequest",
        "message": "Invalid filter clause",
        "target": "$filter",
        "details": [
            {"code": "SyntaxError", "message": "at position 5", "target": "$filter"},
            {"code": "Hint", "message": "quote strings"},
        ],
        "innererror": {"request-id": "r-1", "date": "2024-05-01T08:30:00"},
    }});
    transport.push(with_header(json(400, body), "request-id", "r-1"));
    let error = get(&transport).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.to_string(), "HTTP 400: BadRequest: Invalid filter clause");
    assert!(error.source().is_none());
    let (status, error, request_id) = service_error(error);
    assert_eq!(status, 400);
    assert_eq!(request_id.as_deref(), Some("r-1"));
    assert_eq!(error.code, "BadRequest");
    assert_eq!(error.message, "Invalid filter clause");
    assert_eq!(error.target.as_deref(), Some("$filter"));
    assert_eq!(error.details.len(), 2);
    assert_eq!(
        (error.details[0].code.as_str(), error.details[0].message.as_str()),
        ("SyntaxError", "at position 5")
    );
    assert_eq!(error.details[0].target.as_deref(), Some("$filter"));
    assert_eq!(error.details[1].code, "Hint");
    assert_eq!(error.inner_error, Some(json!({"request-id": "r-1", "date": "2024-05-01T08:30:00"})));
    assert!(error.additional.is_empty(), "{:?}", error.additional);
}

#[tokio::test]
async fn graphs_inner_error_spelling_is_read_too() {
    let transport = FakeTransport::new();
    transport.push(json(
        404,
        json!({"error": {"code": "Request_ResourceNotFound", "message": "gone", "innerError": {"client-request-id": "c"}}}),
    ));
    let (status, error, request_id) = service_error(get(&transport).await.unwrap_err());
    assert_eq!((status, request_id), (404, None));
    assert_eq!(error.inner_error, Some(json!({"client-request-id": "c"})));
}

#[tokio::test]
async fn a_body_with_both_spellings_of_the_inner_error_is_still_a_service_error() {
    let transport = FakeTransport::new();
    transport.push(json(
        500,
        json!({"error": {"code": "c", "message": "m", "innererror": {"a": 1}, "innerError": {"b": 2}}}),
    ));
    let (_, error, _) = service_error(get(&transport).await.unwrap_err());
    assert_eq!(error.inner_error, Some(json!({"a": 1})));
    assert_eq!(error.additional.get("innerError"), Some(&json!({"b": 2})));
    transport.push(json(500, json!({"error": {"code": "c", "message": "m", "innererror": null}})));
    let (_, error, _) = service_error(get(&transport).await.unwrap_err());
    assert_eq!((error.inner_error, error.additional.len()), (None, 0));
}

#[tokio::test]
async fn members_the_error_type_does_not_declare_are_kept() {
    let transport = FakeTransport::new();
    transport.push(json(
        409,
        json!({"error": {"code": "Conflict", "message": "exists", "details": null, "@Common.ExceptionCategory": "Client", "severity": 3}}),
    ));
    let (_, error, _) = service_error(get(&transport).await.unwrap_err());
    assert!(error.details.is_empty());
    assert_eq!(error.additional.get("@Common.ExceptionCategory"), Some(&json!("Client")));
    assert_eq!(error.additional.get("severity"), Some(&json!(3)));
    assert_eq!(error.additional.len(), 2);
}

#[tokio::test]
async fn an_error_body_without_code_or_message_is_still_a_service_error() {
    let transport = FakeTransport::new();
    transport.push(json(500, json!({"error": {}})));
    let (status, error, _) = service_error(get(&transport).await.unwrap_err());
    assert_eq!(status, 500);
    assert_eq!(error, ServiceError::default());
}

#[tokio::test]
async fn a_service_error_body_with_a_byte_order_mark_is_still_read() {
    let transport = FakeTransport::new();
    let mut response = json(403, json!({"error": {"code": "Forbidden", "message": "no"}}));
    response.body.splice(0..0, *b"\xEF\xBB\xBF");
    transport.push(response);
    let (status, error, _) = service_error(get(&transport).await.unwrap_err());
    assert_eq!((status, error.code.as_str()), (403, "Forbidden"));
}

#[tokio::test]
async fn a_non_json_error_body_is_reported_with_its_status() {
    let transport = FakeTransport::new();
    transport.push(raw(502, "<html><body>Bad Gateway</body></html>"));
    let error = get(&transport).await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.to_string(), "HTTP 502: <html><body>Bad Gateway</body></html>");
    assert!(
        matches!(&error, Error::Status { status: 502, body } if body == "<html><body>Bad Gateway</body></html>"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_json_error_body_that_is_not_an_odata_error_is_a_status_error() {
    for body in [r#"{"message":"nope"}"#, r#"{"error":"invalid_grant"}"#, "[]", ""] {
        let transport = FakeTransport::new();
        transport.push(raw(401, body));
        let error = get(&transport).await.unwrap_err();
        assert!(matches!(&error, Error::Status { status: 401, body: b } if b == body), "{body}: {error:?}");
    }
}

#[tokio::test]
async fn a_non_utf8_error_body_is_reported_lossily() {
    let transport = FakeTransport::new();
    transport.push(HttpResponse { status: 500, headers: Vec::new(), body: vec![b'a', 0xff, b'b'] });
    let error = get(&transport).await.unwrap_err();
    assert!(matches!(&error, Error::Status { status: 500, body } if body == "a\u{fffd}b"), "{error:?}");
}

#[tokio::test]
async fn redirect_and_informational_statuses_are_errors_too() {
    for status in [100, 204, 299, 300, 304] {
        let transport = FakeTransport::new();
        transport.push(raw(status, ""));
        let result = get(&transport).await;
        if (200..300).contains(&status) {
            // 2xx is a success: an empty body does not decode as a `Thing`.
            assert!(matches!(result, Err(Error::Decode { .. })), "{status}: {result:?}");
        } else {
            assert!(matches!(result, Err(Error::Status { status: s, .. }) if s == status), "{status}");
        }
    }
}

#[tokio::test]
async fn an_undecodable_success_body_is_a_decode_error() {
    let transport = FakeTransport::new();
    transport.push(raw(200, "this is not json"));
    let error = get(&transport).await.unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert!(error.to_string().starts_with("HTTP 200: unexpected response body: "), "{error}");
    assert!(error.source().is_some());
    match error {
        Error::Decode { status, source, body } => {
            assert_eq!(status, 200);
            assert!(source.is_syntax(), "{source}");
            assert_eq!(body, "this is not json");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!([1, 2]))).push(json(200, json!({"value": 5})));
    let client = client(&transport);
    let error = client.entity::<Thing>("/things/t-1").get().await.unwrap_err();
    assert!(matches!(&error, Error::Decode { status: 200, body, .. } if body == "[1,2]"), "{error:?}");
    let error = client.collection::<Thing>("/things").list().await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, body, .. } if body == r#"{"value":5}"#),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_success_body_with_a_byte_order_mark_decodes() {
    let transport = FakeTransport::new();
    transport.push(HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: b"\xEF\xBB\xBF{\"id\":\"bom\"}".to_vec(),
    });
    assert_eq!(get(&transport).await.unwrap().id.as_deref(), Some("bom"));
}

#[tokio::test]
async fn empty_and_bytes_decoders_do_not_parse_the_body() {
    let transport = FakeTransport::new();
    transport.push(raw(204, "")).push(raw(200, "not json either")).push(raw(200, "\u{feff}raw"));
    let entity = client(&transport).entity::<Thing>("/things/t-1");
    entity.delete().await.unwrap();
    entity.update(&Thing::default()).await.unwrap();
    assert_eq!(entity.get_value().await.unwrap(), "\u{feff}raw".as_bytes());
}

#[tokio::test]
async fn value_of_unwraps_the_value_member() {
    let transport = FakeTransport::new();
    transport
        .push(json(200, json!({"@odata.context": "x", "value": ["a", "b"]})))
        .push(json(200, json!({"v": 1})));
    let client = client(&transport);
    let values: Vec<String> =
        client.__function::<Vec<String>, ValueOf>("names", FunctionArgs::new()).await.unwrap();
    assert_eq!(values, ["a", "b"]);
    let error = client.__function::<Vec<String>, ValueOf>("names", FunctionArgs::new()).await.unwrap_err();
    assert!(matches!(error, Error::Decode { status: 200, .. }), "{error:?}");
}

#[tokio::test]
async fn a_body_that_fails_to_serialize_is_an_encode_error_and_nothing_is_sent() {
    let transport = FakeTransport::new();
    let bad: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into_iter().collect();
    let error = Request::<(), Empty>::new(client(&transport), Method::Post, "/things")
        .json_body(&Serde(&bad))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(error.to_string().starts_with("request body: "), "{error}");
    assert!(error.source().is_some());
    let error = client(&transport)
        .__action::<(), Empty>("act", ActionBody::new().param("bad", &Serde(&bad)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert!(transport.requests().is_empty());
}

#[test]
fn transport_errors_show_and_chain_their_cause() {
    let cause = std::io::Error::new(std::io::ErrorKind::TimedOut, "deadline exceeded");
    let error = TransportError::with_source("request timed out", cause);
    assert_eq!(error.to_string(), "request timed out: deadline exceeded");
    assert_eq!(error.source().unwrap().to_string(), "deadline exceeded");
    let wrapped = Error::Transport(error);
    assert_eq!(wrapped.status(), None);
    assert_eq!(wrapped.source().unwrap().to_string(), "request timed out: deadline exceeded");
    assert!(TransportError::new("x").source().is_none());
}

#[test]
fn service_errors_serialize_without_empty_members() {
    let error = ServiceError { code: "c".to_owned(), message: "m".to_owned(), ..ServiceError::default() };
    assert_eq!(serde_json::to_value(&error).unwrap(), json!({"code": "c", "message": "m"}));
    let error = ServiceError { inner_error: Some(json!({"a": 1})), ..error };
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        json!({"code": "c", "message": "m", "innerError": {"a": 1}})
    );
}
