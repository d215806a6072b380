//! The runtime on hostile bytes: URL encoders never let a value add a path segment or a query
//! parameter; base64, the generated models' readers (read, written and read again to the
//! same value) and the `$batch` response readers never panic.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use codegen_runtime::*;

/// A transport answering every request with the fuzzer's bytes as a multipart batch.
struct Answer(Vec<u8>);

impl Transport for Answer {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let headers = vec![("Content-Type".to_owned(), "multipart/mixed; boundary=b".to_owned())];
        let response = HttpResponse { status: 200, headers, body: self.0.clone() };
        Box::pin(async move { Ok(response) })
    }
}

/// Runs a future that never waits (the transport answers at once).
fn ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("nothing waits"),
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let segment = encode_path_segment(&text);
    assert!(!segment.contains(['/', '?', '#', ' ']), "{segment}");
    let query = encode_query_value(&text);
    assert!(!query.contains(['&', '#', '=', '+', ' ']), "{query}");
    let _ = Binary(text.to_string()).decode();

    use graph_synchronization::runtime::{FromJson as _, ToJson as _};
    if let Ok(job) = graph_synchronization::SynchronizationJob::from_json(data) {
        let written = job.to_json().expect("a value read is written");
        let again = graph_synchronization::SynchronizationJob::from_json(&written).expect("written is read");
        assert_eq!(job, again);
    }

    for format in [BatchFormat::Multipart, BatchFormat::Json] {
        let client = Client::new("https://example.test/svc", Answer(data.to_vec()));
        let mut batch = Batch::new(client.clone(), format);
        let set = batch.change_set();
        let read = batch.add(Request::<Serde<serde_json::Value>, Json>::new(client.clone(), Method::Get, "/a"));
        let write = batch.add_to(set, Request::<(), Empty>::new(client.clone(), Method::Delete, "/b"));
        if let Ok(mut responses) = ready(batch.send()) {
            let _ = responses.take(read);
            let _ = responses.take(write);
        }
    }
});
