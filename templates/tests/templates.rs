//! Requests addressed by a path template: values encoded as one segment, dot segments and
//! empty values refused before anything is sent, repeated query parameters, JSON bodies under
//! a `+json` media type.

mod support;

use codegen_runtime::*;
use support::{json, FakeTransport, BASE};

fn client(transport: &FakeTransport) -> Client {
    Client::new(BASE, transport.clone())
}

fn template<'a>(value: &'a str) -> [TemplatePart<'a>; 3] {
    [TemplatePart::Literal("/pets/"), TemplatePart::Parameter(value), TemplatePart::Literal("/toys")]
}

#[tokio::test]
async fn a_parameter_is_one_percent_encoded_segment() {
    let transport = FakeTransport::new();
    transport.push(json(200, serde_json::json!({})));
    let request: Request<serde_json::Value> =
        Request::from_template(client(&transport), Method::Get, &template("a/b?c#d"));
    request.await.unwrap();
    assert_eq!(transport.urls(), [format!("{BASE}/pets/a%2Fb%3Fc%23d/toys")]);
}

#[tokio::test]
async fn values_that_would_leave_the_template_are_refused_and_nothing_is_sent() {
    let transport = FakeTransport::new();
    for value in ["", ".", ".."] {
        let request: Request<serde_json::Value> =
            Request::from_template(client(&transport), Method::Delete, &template(value));
        let err = request.await.unwrap_err();
        assert!(matches!(err, Error::Argument(_)), "{value:?}: {err:?}");
        assert_eq!(err.status(), None);
        assert!(err.to_string().starts_with("request not sent:"), "{err}");
    }
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn appended_query_parameters_repeat_and_plain_ones_replace() {
    let transport = FakeTransport::new();
    transport.push(json(200, serde_json::json!({})));
    let request: Request<serde_json::Value> =
        Request::from_template(client(&transport), Method::Get, &[TemplatePart::Literal("/pets")])
            .append_query("tag", "a")
            .append_query("tag", "b&c")
            .query("limit", "1")
            .query("limit", "2");
    request.await.unwrap();
    assert_eq!(transport.urls(), [format!("{BASE}/pets?tag=a&tag=b%26c&limit=2")]);
}

#[tokio::test]
async fn a_json_body_can_be_sent_as_another_json_media_type() {
    let transport = FakeTransport::new();
    transport.push(json(200, serde_json::json!({})));
    let request: Request<serde_json::Value> =
        Request::from_template(client(&transport), Method::Patch, &[TemplatePart::Literal("/pets/1")])
            .json_body_as("application/merge-patch+json", &serde_json::json!({ "name": null }));
    request.await.unwrap();
    let sent = &transport.requests()[0];
    let content_type = sent.headers.iter().find(|(n, _)| n == "Content-Type").map(|(_, v)| v.as_str());
    assert_eq!(content_type, Some("application/merge-patch+json"));
    assert_eq!(sent.body.as_deref(), Some(&br#"{"name":null}"#[..]));
}
