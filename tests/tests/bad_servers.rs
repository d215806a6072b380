//! The generated client (its runtime's reqwest transport) against servers that misbehave, on
//! loopback: one that stalls, a body far larger than the limit, a connection dropped
//! mid-body, a truncated JSON body, a redirect to another host (the token does not follow), a
//! storm of 429s (retries bounded), and `Retry-After` as an HTTP date. Each ends in a typed
//! error, never a hang or a panic.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_synchronization::runtime::{Error, RetryPolicy};
use graph_synchronization::{Client, ReqwestTransport, SynchronizationJob};

/// A raw HTTP server on an ephemeral port of 127.0.0.1 answering each connection with
/// `answer` (given the request's head), recording the heads.
struct RawServer {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    fn start(answer: impl Fn(&mut TcpStream, &str) + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (recorded, answer) = (heads.clone(), Arc::new(answer));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let (recorded, answer) = (recorded.clone(), answer.clone());
                std::thread::spawn(move || {
                    let head = read_head(&mut stream);
                    recorded.lock().unwrap().push(head.clone());
                    answer(&mut stream, &head);
                });
            }
        });
        RawServer { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// The request line and headers (lower-cased), read up to the blank line.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).to_ascii_lowercase()
}

fn client(base: &str, transport: ReqwestTransport) -> Client {
    Client::builder(base, transport)
        .bearer_token("secret-token")
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(50),
            max_total_delay: Duration::from_secs(1),
        })
        .build()
}

async fn get(client: &Client) -> Result<SynchronizationJob, Error> {
    client.entity::<SynchronizationJob>("/jobs/1").get().await
}

#[tokio::test]
async fn a_server_that_stalls_is_a_transport_error_after_the_read_timeout() {
    let server = RawServer::start(|_, _| std::thread::sleep(Duration::from_secs(30)));
    let transport = ReqwestTransport::with_timeouts(Duration::from_secs(5), Duration::from_millis(300));
    let err = get(&client(&server.url, transport)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_whether_announced_or_streamed() {
    let announced = RawServer::start(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{",
        );
    });
    let streamed = RawServer::start(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
        for _ in 0..64 {
            if stream.write_all(chunk.as_bytes()).is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    });
    for server in [&announced, &streamed] {
        let transport = ReqwestTransport::new().max_body_bytes(1 << 20);
        let err = get(&client(&server.url, transport)).await.unwrap_err();
        assert!(err.to_string().contains("larger than 1048576 bytes"), "{err}");
    }
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_a_transport_error_and_a_truncated_body_a_decode_error() {
    let dropped = RawServer::start(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":",
        );
    });
    let err = get(&client(&dropped.url, ReqwestTransport::new())).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let truncated = RawServer::start(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 6\r\n\r\n{\"id\":",
        );
    });
    let err = get(&client(&truncated.url, ReqwestTransport::new())).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn a_redirect_to_another_host_is_followed_without_the_token() {
    let elsewhere = RawServer::start(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"id\":\"1\"}",
        );
    });
    let location = format!("{}/stolen", elsewhere.url);
    let service = RawServer::start(move |stream, _| {
        let reply = format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n");
        let _ = stream.write_all(reply.as_bytes());
    });
    let job = get(&client(&service.url, ReqwestTransport::new())).await.unwrap();
    assert_eq!(job.id.as_deref(), Some("1"));
    assert!(service.heads()[0].contains("authorization: bearer secret-token"), "{:?}", service.heads());
    let followed = elsewhere.heads();
    assert!(followed[0].starts_with("get /stolen "), "{followed:?}");
    assert!(!followed[0].contains("secret-token"), "the token followed the redirect: {followed:?}");
}

#[tokio::test]
async fn a_storm_of_429s_is_retried_a_bounded_number_of_times_and_an_http_date_retry_after_is_read() {
    let storm = RawServer::start(|stream, _| {
        let reply = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
        let _ = stream.write_all(reply.as_bytes());
    });
    let err = get(&client(&storm.url, ReqwestTransport::new())).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    // The first attempt and three retries, each at once (the date has passed).
    assert_eq!(storm.heads().len(), 4);
}
