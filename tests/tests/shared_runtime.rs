//! Two generated crates that depend on the runtime crate share it: one program drives both
//! services with one transport value and one client configuration (token, default headers,
//! retry policy), and handles both services' failures as one `Error` type.

use std::path::{Path, PathBuf};

use codegen_tests::{fixtures, generated_crates};

/// Generates the fixture `fixture` as the crate `name`, depending on the workspace's
/// runtime crate by path.
fn generate(fixture: &str, name: &str, dir: &Path) {
    let runtime = fixtures::root().join("../templates").canonicalize().unwrap();
    let dependency = format!("{{ path = {:?} }}", runtime.display().to_string());
    let output = codegen::Builder::new()
        .input(fixtures::root().join("fixtures/models").join(fixture))
        .layout(codegen::Layout::Crate { name: name.to_owned() })
        .runtime(codegen::Runtime::dependency(dependency))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // The crate re-exports the runtime crate instead of holding a copy of it; only the
    // handles generated code extends are its own.
    let files = output.files();
    assert!(files.contains_key("src/runtime/mod.rs"));
    assert!(files["src/runtime/mod.rs"].contains("pub use ::codegen_runtime::*;"));
    assert!(!files.contains_key("src/runtime/wire.rs"), "the runtime was embedded");
    assert!(files.contains_key("src/runtime/handles.rs"));
    generated_crates::write(&output, dir);
}

const MAIN: &str = r##"
use std::sync::{Arc, Mutex};

use codegen_runtime::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// Answers every request with an empty page (or 404 for `/missing`) and records it.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let header = |name: &str| {
            request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let line = format!(
            "{} {} auth={} app={}",
            request.method,
            request.url,
            header("authorization").unwrap_or_default(),
            header("x-app").unwrap_or_default()
        );
        self.0.lock().unwrap().push(line);
        let (status, body) = if request.url.contains("missing") {
            (404, r#"{"error":{"code":"NotFound","message":"no such thing"}}"#)
        } else {
            (200, r#"{"value":[]}"#)
        };
        let response = HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        };
        Box::pin(async move { Ok(response) })
    }
}

/// One error type for both services.
fn code(error: &codegen_runtime::Error) -> String {
    format!("{:?} {}", error.status(), error)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let transport = Arc::new(Recorder::default());
    // One configuration, built once...
    let shared = codegen_runtime::Client::builder("https://people.example/svc", Arc::clone(&transport))
        .bearer_token("t0ken")
        .default_header("x-app", "two-services")
        .build();
    // ...serving two generated services.
    let people = people_svc::Client::from(shared.clone());
    let operations = operations_svc::Client::from(shared.with_base_url("https://ops.example/odata"));
    let persons = people.people().list().top(1).await.unwrap();
    let customers = operations.customers().list().await.unwrap();
    println!("pages {} {}", persons.value.len(), customers.value.len());
    let errors = [
        people.entity::<people_svc::Person>("/missing").get().await.unwrap_err(),
        operations.entity::<operations_svc::Customer>("/missing").get().await.unwrap_err(),
    ];
    for error in &errors {
        println!("error {}", code(error));
    }
    for line in transport.0.lock().unwrap().iter() {
        println!("sent {line}");
    }
}
"##;

#[test]
fn two_generated_crates_share_one_transport_and_one_client_configuration() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shared-runtime");
    generate("people", "people-svc", &tmp.join("people-svc"));
    generate("operations", "operations-svc", &tmp.join("operations-svc"));
    let app = tmp.join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    let runtime = fixtures::root().join("../templates").canonicalize().unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"two-services\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\npeople-svc = {{ path = \"../people-svc\" }}\noperations-svc = {{ path = \"../operations-svc\" }}\n\
             codegen-runtime = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(app.join("src/main.rs"), MAIN).unwrap();
    generated_crates::pin_versions(&app);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    let run = generated_crates::cargo(&app, &target, &["run"], &[]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&run.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "pages 0 0",
            "error Some(404) HTTP 404: NotFound: no such thing",
            "error Some(404) HTTP 404: NotFound: no such thing",
            "sent GET https://people.example/svc/people?$top=1 auth=Bearer t0ken app=two-services",
            "sent GET https://ops.example/odata/customers auth=Bearer t0ken app=two-services",
            "sent GET https://people.example/svc/missing auth=Bearer t0ken app=two-services",
            "sent GET https://ops.example/odata/missing auth=Bearer t0ken app=two-services",
        ],
        "{stdout}"
    );
}
