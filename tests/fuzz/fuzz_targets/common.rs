//! Shared by the targets and by the regression tests of what they found
//! (`tests/tests/fuzz_regressions.rs`). What every front-end target does: generate from the
//! input as a file named `name`; a run may fail (with located diagnostics) but never panic,
//! and the code it makes must parse.

#[allow(dead_code)]
pub fn generate(name: &str, data: &[u8]) {
    generate_with(codegen::Builder::new().input_bytes(name, data.to_vec()));
}

#[allow(dead_code)]
pub fn generate_with(builder: codegen::Builder) {
    // The runtime as a dependency: its code is the same for every input, so not parsed again.
    let builder = builder.runtime(codegen::Runtime::dependency(r#"{ path = "runtime" }"#));
    if let Ok(code) = builder.generate_tokens() {
        if let Err(e) = syn::parse_file(&code) {
            panic!("the generated code does not parse: {e}\n{code}");
        }
    }
}

/// The names target: `name` as a property, enumeration value and operation name of an OpenAPI
/// document, and as a property and member name of CSDL read leniently.
#[allow(dead_code)]
pub fn names(name: &str) {
    let json = serde_json::Value::String(name.to_owned()).to_string();
    let openapi = format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
  "paths": {{"/items/{{id}}": {{"get": {{"operationId": {json}, "parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}],
    "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item"}}}}}}}}}}}}}}}},
  "components": {{"schemas": {{"Item": {{"type": "object", "properties": {{{json}: {{"type": "string", "enum": [{json}, "b"]}}}}}}}}}}}}"##
    );
    generate_with(codegen::Builder::new().input_text("api.json", openapi));
    let escaped = name.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let csdl = format!(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="t"><Property Name="{escaped}" Type="Edm.String" /></ComplexType>
<EnumType Name="e"><Member Name="{escaped}" Value="1" /></EnumType>
</Schema></edmx:DataServices></edmx:Edmx>"#
    );
    generate_with(codegen::Builder::new().input_text("metadata.xml", csdl).lenient(true));
}

// ----- The runtime target -----

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use codegen_runtime::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// A transport answering every request with the fuzzer's bytes as a multipart batch.
#[allow(dead_code)]
struct Answer(Vec<u8>);

impl Transport for Answer {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let headers = vec![("Content-Type".to_owned(), "multipart/mixed; boundary=b".to_owned())];
        let response = HttpResponse { status: 200, headers, body: self.0.clone() };
        Box::pin(async move { Ok(response) })
    }
}

/// Runs a future that never waits (the transport answers at once).
#[allow(dead_code)]
fn ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("nothing waits"),
    }
}

/// The runtime target: encoders, base64, the generated models' readers and the `$batch`
/// readers on `data`.
#[allow(dead_code)]
pub fn runtime(data: &[u8]) {
    use codegen_runtime::*;
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
        let read =
            batch.add(Request::<Serde<serde_json::Value>, Json>::new(client.clone(), Method::Get, "/a"));
        let write = batch.add_to(set, Request::<(), Empty>::new(client.clone(), Method::Delete, "/b"));
        if let Ok(mut responses) = ready(batch.send()) {
            let _ = responses.take(read);
            let _ = responses.take(write);
        }
    }
}
