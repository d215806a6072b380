//! Retries of throttled (429) and unavailable (503) responses: `Retry-After`, the policy's
//! backoff and cap, giving up, and statuses that are not retried.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use codegen_runtime::*;
use serde_json::json;
use support::{header, json, raw, with_header, FakeTransport, Handles, Thing, BASE};

const MS: Duration = Duration::from_millis(1);

fn policy(max_retries: u32, base_delay: Duration, max_delay: Duration) -> RetryPolicy {
    RetryPolicy { max_retries, base_delay, max_delay, ..RetryPolicy::default() }
}

fn client(transport: &FakeTransport, retry: RetryPolicy) -> Client {
    Client::builder(BASE, transport.clone()).retry(retry).build()
}

fn throttled(status: u16, retry_after: Option<&str>) -> HttpResponse {
    let response = json(status, json!({"error": {"code": "TooManyRequests", "message": "slow down"}}));
    match retry_after {
        Some(value) => with_header(response, "Retry-After", value),
        None => response,
    }
}

fn ok() -> HttpResponse {
    json(200, json!({"id": "t-1"}))
}

async fn get(client: &Client) -> Result<Thing, Error> {
    client.collection::<Thing>("/things").by_id("t-1").get().await
}

#[test]
fn the_default_policy_is_three_retries_from_one_second_up_to_a_minute_and_two_minutes_in_all() {
    assert_eq!(RetryPolicy::default(), policy(3, Duration::from_secs(1), Duration::from_secs(60)));
    assert_eq!(RetryPolicy::default().max_total_delay, Duration::from_secs(120));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_the_wait_until_then_in_any_of_its_three_forms() {
    // A date well in the future is capped by max_delay; one in the past is no wait.
    for date in
        ["Fri, 31 Dec 9999 23:59:59 GMT", "Friday, 31-Dec-49 23:59:59 GMT", "Fri Dec 31 23:59:59 9999"]
    {
        let transport = FakeTransport::new();
        transport.push(throttled(429, Some(date))).push(ok());
        get(&client(&transport, policy(1, 10 * MS, Duration::from_secs(7)))).await.unwrap();
        assert_eq!(transport.sleeps(), [Duration::from_secs(7)], "{date}");
    }
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("Sun, 06 Nov 1994 08:49:37 GMT"))).push(ok());
    get(&client(&transport, policy(1, 10 * MS, Duration::from_secs(7)))).await.unwrap();
    assert_eq!(transport.sleeps(), [Duration::ZERO]);
    // Not a date: the policy's backoff.
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("Sun, 32 Nov 1994 08:49:37 GMT"))).push(ok());
    get(&client(&transport, policy(1, 10 * MS, Duration::from_secs(7)))).await.unwrap();
    assert_eq!(transport.sleeps(), [10 * MS]);
}

#[tokio::test]
async fn a_storm_of_429s_is_retried_only_within_the_total_delay() {
    let transport = FakeTransport::new();
    for _ in 0..10 {
        transport.push(throttled(429, Some("30")));
    }
    let retry =
        RetryPolicy { max_retries: 100, max_total_delay: Duration::from_secs(100), ..RetryPolicy::default() };
    let err = get(&client(&transport, retry)).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    // Three waits of 30 s fit in 100 s; a fourth would not.
    assert_eq!(transport.sleeps(), [Duration::from_secs(30); 3]);
    assert_eq!(transport.requests().len(), 4);
}

#[tokio::test]
async fn throttled_and_unavailable_responses_are_retried_after_retry_after() {
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("2"))).push(throttled(503, Some("1"))).push(ok());
    let thing = get(&client(&transport, policy(3, 10 * MS, Duration::from_secs(60)))).await.unwrap();
    assert_eq!(thing.id.as_deref(), Some("t-1"));
    assert_eq!(transport.sleeps(), [Duration::from_secs(2), Duration::from_secs(1)]);
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    // Each attempt is the same request.
    assert!(requests.iter().all(|r| *r == requests[0]), "{requests:#?}");
}

#[tokio::test]
async fn retry_after_is_read_case_insensitively_and_trimmed() {
    let transport = FakeTransport::new();
    transport
        .push(with_header(json(429, json!({})), "retry-after", " 3 "))
        .push(with_header(json(503, json!({})), "RETRY-AFTER", "0"))
        .push(ok());
    get(&client(&transport, policy(3, 10 * MS, Duration::from_secs(60)))).await.unwrap();
    assert_eq!(transport.sleeps(), [Duration::from_secs(3), Duration::ZERO]);
}

#[tokio::test]
async fn retry_after_is_capped_by_the_policys_max_delay() {
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("120"))).push(ok());
    get(&client(&transport, policy(3, 10 * MS, 5 * MS))).await.unwrap();
    assert_eq!(transport.sleeps(), [5 * MS]);
}

#[tokio::test]
async fn without_retry_after_the_delay_doubles_from_the_base_delay() {
    let transport = FakeTransport::new();
    for _ in 0..3 {
        transport.push(throttled(503, None));
    }
    transport.push(ok());
    get(&client(&transport, policy(3, 10 * MS, Duration::from_secs(60)))).await.unwrap();
    assert_eq!(transport.sleeps(), [10 * MS, 20 * MS, 40 * MS]);
}

#[tokio::test]
async fn the_doubled_delay_is_capped_by_max_delay() {
    let transport = FakeTransport::new();
    for _ in 0..4 {
        transport.push(throttled(429, None));
    }
    transport.push(ok());
    get(&client(&transport, policy(4, 10 * MS, 25 * MS))).await.unwrap();
    assert_eq!(transport.sleeps(), [10 * MS, 20 * MS, 25 * MS, 25 * MS]);
}

#[tokio::test]
async fn a_past_http_date_is_no_wait_and_garbage_retry_after_falls_back_to_the_policy_delay() {
    let transport = FakeTransport::new();
    transport
        .push(throttled(429, Some("Wed, 21 Oct 2015 07:28:00 GMT")))
        .push(throttled(429, Some("-5")))
        .push(throttled(429, Some("1.5")))
        .push(ok());
    get(&client(&transport, policy(3, 10 * MS, Duration::from_secs(60)))).await.unwrap();
    assert_eq!(transport.sleeps(), [Duration::ZERO, 20 * MS, 40 * MS]);
}

#[tokio::test]
async fn the_client_gives_up_after_max_retries_and_returns_the_last_error() {
    let transport = FakeTransport::new();
    transport
        .push(throttled(503, Some("1")))
        .push(throttled(503, Some("1")))
        .push(with_header(throttled(429, Some("1")), "request-id", "last"))
        .push(ok());
    let error = get(&client(&transport, policy(2, MS, MS))).await.unwrap_err();
    assert_eq!(transport.requests().len(), 3, "one attempt and two retries");
    assert_eq!(transport.sleeps().len(), 2);
    assert_eq!(transport.unused(), 1);
    assert_eq!(error.status(), Some(429));
    match error {
        Error::Service { status, error, request_id } => {
            assert_eq!(status, 429);
            assert_eq!(error.code, "TooManyRequests");
            assert_eq!(request_id.as_deref(), Some("last"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_throttled_response_without_an_error_body_is_a_status_error() {
    let transport = FakeTransport::new();
    transport.push(with_header(raw(503, "Service Unavailable"), "Retry-After", "1"));
    let error = get(&client(&transport, policy(0, MS, MS))).await.unwrap_err();
    assert!(
        matches!(&error, Error::Status { status: 503, body } if body == "Service Unavailable"),
        "{error:?}"
    );
}

#[tokio::test]
async fn zero_max_retries_disables_retrying() {
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("1"))).push(ok());
    let error = get(&client(&transport, policy(0, MS, MS))).await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(transport.requests().len(), 1);
    assert!(transport.sleeps().is_empty());
}

#[tokio::test]
async fn other_error_statuses_are_not_retried() {
    for status in [400, 401, 403, 404, 408, 409, 500, 502, 504] {
        let transport = FakeTransport::new();
        transport.push(with_header(json(status, json!({})), "Retry-After", "1")).push(ok());
        let error = get(&client(&transport, policy(3, MS, MS))).await.unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(transport.requests().len(), 1, "{status}");
        assert!(transport.sleeps().is_empty(), "{status}");
    }
}

#[tokio::test]
async fn transport_failures_are_not_retried() {
    let transport = FakeTransport::new();
    transport.push_failure("connection reset").push(ok());
    let error = get(&client(&transport, policy(3, MS, MS))).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.to_string() == "connection reset"), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(error.to_string(), "transport: connection reset");
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn a_transport_failure_during_retries_ends_them() {
    let transport = FakeTransport::new();
    transport.push(throttled(429, Some("1"))).push_failure("timed out").push(ok());
    let error = get(&client(&transport, policy(3, MS, MS))).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)));
    assert_eq!(transport.requests().len(), 2);
    assert_eq!(transport.unused(), 1);
}

/// Counts the tokens it hands out.
#[derive(Clone, Default)]
struct CountingTokens(Arc<AtomicUsize>);

impl TokenProvider for CountingTokens {
    fn token(&self) -> BoxFuture<'_, Result<String, TransportError>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(format!("token-{n}")) })
    }
}

#[tokio::test]
async fn retries_resend_the_body_and_the_headers() {
    let transport = FakeTransport::new();
    transport.push(throttled(503, Some("1"))).push(json(201, json!({"id": "new"})));
    let tokens = CountingTokens::default();
    let client = Client::builder(BASE, transport.clone())
        .token_provider(tokens.clone())
        .default_header("x-app", "tests")
        .retry(policy(3, MS, MS))
        .build();
    let created = client
        .collection::<Thing>("/things")
        .create(&Thing { name: Some("n".to_owned()), ..Thing::default() })
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("new"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.body.as_deref(), Some(br#"{"name":"n"}"#.as_slice()));
        assert_eq!(header(request, "Authorization"), Some("Bearer token-1"));
        assert_eq!(header(request, "Content-Type"), Some("application/json"));
        assert_eq!(header(request, "x-app"), Some("tests"));
    }
    // The token is asked for once per call, not per attempt.
    assert_eq!(tokens.0.load(Ordering::SeqCst), 1);
}

/// Fails to give a token.
struct NoTokens;

impl TokenProvider for NoTokens {
    fn token(&self) -> BoxFuture<'_, Result<String, TransportError>> {
        Box::pin(async { Err(TransportError::new("no credentials")) })
    }
}

#[tokio::test]
async fn a_failing_token_provider_fails_the_call_before_sending() {
    let transport = FakeTransport::new();
    transport.push(ok());
    let client = Client::builder(BASE, transport.clone()).token_provider(NoTokens).build();
    let error = get(&client).await.unwrap_err();
    assert!(matches!(&error, Error::Transport(e) if e.to_string() == "no credentials"), "{error:?}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn the_default_sleep_waits_on_a_helper_thread_and_resumes() {
    let transport = FakeTransport::with_real_sleep();
    transport.push(throttled(429, None)).push(throttled(503, None)).push(ok());
    let started = Instant::now();
    get(&client(&transport, policy(3, 20 * MS, Duration::from_secs(1)))).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(transport.sleeps(), [20 * MS, 40 * MS]);
    assert!(elapsed >= 60 * MS, "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
}
