//! Credentials (what OpenAPI security schemes ask for): basic authentication, API keys in a
//! header, the query or a cookie; sent only to the service's own origin, never replacing what
//! the caller set, never shown by `Debug`.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, FakeTransport, Handles, Thing, BASE};

async fn get(client: &Client, path: &str) {
    let _ = client.entity::<Thing>(path).get().await.unwrap();
}

#[tokio::test]
async fn each_credential_is_sent_where_its_scheme_says() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({})));
    let client = Client::builder(BASE, transport.clone())
        .credential(Credential::basic("user", "pa:ss"))
        .credential(Credential::api_key_header("X-Api-Key", "k1"))
        .credential(Credential::api_key_query("api key", "k&2"))
        .credential(Credential::api_key_cookie("session", "k3"))
        .build();
    get(&client, "/things?$top=1").await;
    let r = &transport.requests()[0];
    // `user:pa:ss` in base64.
    assert_eq!(header(r, "Authorization"), Some("Basic dXNlcjpwYTpzcw=="));
    assert_eq!(header(r, "X-Api-Key"), Some("k1"));
    assert_eq!(header(r, "Cookie"), Some("session=k3"));
    assert_eq!(r.url, format!("{BASE}/things?$top=1&api%20key=k%262"));
}

#[tokio::test]
async fn credentials_go_only_to_the_service_origin_and_never_replace_the_callers() {
    let transport = FakeTransport::new();
    transport.push(json(200, json!({}))).push(json(200, json!({})));
    let client = Client::builder(BASE, transport.clone())
        .credential(Credential::basic("user", "secret"))
        .credential(Credential::api_key_query("key", "k"))
        .build();
    let mut request = HttpRequest {
        method: Method::Get,
        url: "https://elsewhere.test/x".to_owned(),
        headers: Vec::new(),
        body: None,
    };
    client.execute(request.clone()).await.unwrap();
    request.url = format!("{BASE}/x");
    request.headers.push(("authorization".to_owned(), "Bearer mine".to_owned()));
    client.execute(request).await.unwrap();
    let sent = transport.requests();
    assert_eq!((header(&sent[0], "Authorization"), sent[0].url.as_str()), (None, "https://elsewhere.test/x"));
    assert_eq!(header(&sent[1], "Authorization"), Some("Bearer mine"));
    assert_eq!(sent[1].url, format!("{BASE}/x?key=k"));
}

#[test]
fn debug_never_shows_a_secret() {
    let shown =
        format!("{:?}", [Credential::basic("user", "s3cret"), Credential::api_key_header("X-Key", "s3cret")]);
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("user") && shown.contains("X-Key"), "{shown}");
}
