//! Optimistic concurrency: the ETag a value was read with (`@odata.etag`, or V2's
//! `__metadata.etag`) is kept; `if_match_of` sends it back in `If-Match`, `if_match_any`
//! sends `*`; a 412 is `Error::PreconditionFailed`.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, FakeTransport, Handles, Thing, BASE};

#[tokio::test]
async fn the_etag_a_value_was_read_with_goes_back_in_if_match() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({"@odata.etag": "W/\"7\"", "id": "t-1", "name": "old"})));
    transport.push(json(204, serde_json::Value::Null));
    transport.push(json(204, serde_json::Value::Null));
    let client = transport.client();
    let thing = client.entity::<Thing>("/things/t-1").get().await.unwrap();
    assert_eq!(etag(&thing), Some("W/\"7\""));
    let patch = Thing { name: Some("new".into()), ..Thing::default() };
    client.entity::<Thing>("/things/t-1").update(&patch).if_match_of(&thing).await.unwrap();
    client.entity::<Thing>("/things/t-1").delete().if_match_any().await.unwrap();
    let sent = transport.requests();
    assert_eq!(header(&sent[1], "if-match"), Some("W/\"7\""));
    assert_eq!(header(&sent[2], "if-match"), Some("*"));
    // The ETag is not sent back as a property of the patch.
    let body: serde_json::Value = serde_json::from_slice(sent[1].body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"name": "new"}));
}

#[tokio::test]
async fn a_value_without_an_etag_sends_no_if_match() {
    let transport = FakeTransport::new();
    transport.push(json(204, serde_json::Value::Null));
    let client = transport.client();
    client.entity::<Thing>("/things/t-1").delete().if_match_of(&Thing::default()).await.unwrap();
    assert_eq!(header(&transport.requests()[0], "if-match"), None);
}

#[test]
fn a_v2_etag_is_read_from_metadata() {
    let thing = Thing::from_json(br#"{"__metadata": {"etag": "W/\"datetime'2024'\""}, "id": "x"}"#).unwrap();
    assert_eq!(etag(&thing), Some("W/\"datetime'2024'\""));
    assert_eq!(etag_in(&serde_json::Map::new()), None);
}

#[tokio::test]
async fn a_stale_etag_is_a_precondition_failed_error() {
    let transport = FakeTransport::new();
    let body = json!({"error": {"code": "412", "message": "ETag mismatch"}});
    transport.push(json(412, body));
    let client = Client::builder(BASE, transport.clone()).build();
    let err = client.entity::<Thing>("/things/t-1").delete().if_match("W/\"6\"").await.unwrap_err();
    assert_eq!(err.status(), Some(412));
    let Error::PreconditionFailed { error: Some(error), .. } = &err else { panic!("{err:?}") };
    assert_eq!(error.message, "ETag mismatch");
    assert!(err.to_string().contains("stale ETag"), "{err}");
}
