//! Redirects are followed by the client, at most `MAX_REDIRECTS` times; credentials (the token,
//! API keys, an `Authorization` or `Cookie` header the caller set) go to the service's own
//! origin only, never to the host a redirect names.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, raw, with_header, FakeTransport, Handles, Thing, BASE};

fn redirect(status: u16, location: &str) -> HttpResponse {
    with_header(raw(status, ""), "Location", location)
}

fn client(transport: &FakeTransport) -> Client {
    Client::builder(BASE, transport.clone())
        .bearer_token("secret")
        .credential(Credential::api_key_header("X-Key", "key"))
        .build()
}

#[tokio::test]
async fn a_redirect_within_the_service_keeps_the_credentials_and_one_elsewhere_drops_them() {
    let transport = FakeTransport::new();
    transport.push(redirect(307, "/svc/moved/t-1"));
    transport.push(redirect(302, "https://elsewhere.test/t-1"));
    transport.push(json(200, json!({"id": "t-1"})));
    let client = client(&transport);
    let thing = client.entity::<Thing>("/things/t-1").get().header("Cookie", "session=1").await.unwrap();
    assert_eq!(thing.id.as_deref(), Some("t-1"));
    let sent = transport.requests();
    assert_eq!(sent[1].url, "https://example.test/svc/moved/t-1");
    assert_eq!(header(&sent[1], "authorization"), Some("Bearer secret"));
    assert_eq!(header(&sent[1], "x-key"), Some("key"));
    assert_eq!(sent[2].url, "https://elsewhere.test/t-1");
    for name in ["authorization", "x-key", "cookie"] {
        assert_eq!(header(&sent[2], name), None, "{name} followed the redirect to another host");
    }
}

#[tokio::test]
async fn see_other_turns_a_post_into_a_get_without_its_body_and_307_keeps_it() {
    let transport = FakeTransport::new();
    transport.push(redirect(307, "/svc/things2"));
    transport.push(redirect(303, "/svc/things/t-9"));
    transport.push(json(200, json!({"id": "t-9"})));
    let client = client(&transport);
    let created = client.collection::<Thing>("/things").create(&Thing::default()).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("t-9"));
    let sent = transport.requests();
    assert_eq!((sent[1].method, sent[1].body.is_some()), (Method::Post, true));
    assert_eq!((sent[2].method, sent[2].body.is_some()), (Method::Get, false));
    assert_eq!(header(&sent[2], "content-type"), None);
}

#[tokio::test]
async fn redirects_are_bounded() {
    let transport = FakeTransport::new();
    for _ in 0..=MAX_REDIRECTS {
        transport.push(redirect(302, "/svc/loop"));
    }
    let err = client(&transport).entity::<Thing>("/loop").get().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)) && err.to_string().contains("redirects"), "{err}");
    assert_eq!(transport.requests().len(), MAX_REDIRECTS + 1);
    // A redirect without a Location is the answer as it is.
    let transport = FakeTransport::new();
    transport.push(raw(302, "moved"));
    let err = client(&transport).entity::<Thing>("/x").get().await.unwrap_err();
    assert_eq!(err.status(), Some(302));
}
