//! Integration tests of the workspace (see `tests/`), and a living build-script example:
//! `build.rs` runs the generator library on a fixture, and the result is included here.

/// Types generated at build time from `fixtures/models/inheritance` by `build.rs`.
pub mod from_build_script {
    include!(concat!(env!("OUT_DIR"), "/inheritance.rs"));
}

/// Types and client generated at build time from `fixtures/models/operations` by `build.rs`.
pub mod operations_client {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

/// Types and client generated at build time from `fixtures/models/annotations` (an entity set
/// the metadata makes non-insertable and non-deletable) by `build.rs`.
pub mod annotations_client {
    include!(concat!(env!("OUT_DIR"), "/annotations.rs"));
}

/// The client of `fixtures/models/keys` (every case of the key requirement), generated at
/// build time by `build.rs`: keys in parentheses, as the metadata does not say otherwise.
pub mod keys_client {
    include!(concat!(env!("OUT_DIR"), "/keys.rs"));
}

/// The client of `fixtures/models/keys` with the `segment` key style set.
pub mod keys_segment_client {
    include!(concat!(env!("OUT_DIR"), "/keys_segment.rs"));
}

/// The client of `fixtures/models/operations` (annotated `KeyAsSegmentSupported`) with the
/// `parentheses` key style set.
pub mod operations_parentheses_client {
    include!(concat!(env!("OUT_DIR"), "/operations_parentheses.rs"));
}

/// The client of `fixtures/models/v2_catalog` (an OData V2 service), generated at build
/// time by `build.rs`.
pub mod v2_catalog_client {
    include!(concat!(env!("OUT_DIR"), "/v2_catalog.rs"));
}

/// Types generated at build time from `fixtures/models/wire` (a type hierarchy, an open type,
/// every primitive with a special JSON form) by `build.rs`.
pub mod wire_models {
    include!(concat!(env!("OUT_DIR"), "/wire.rs"));
}

/// The client `build.rs` generates from a model built by hand (`petstore_model.rs`): a
/// service addressed by path templates, the shape an OpenAPI document has.
pub mod petstore_client {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

/// The client `build.rs` generates from an OpenAPI document of two files
/// (`fixtures/models/openapi_shop`).
pub mod openapi_shop_client {
    include!(concat!(env!("OUT_DIR"), "/openapi_shop.rs"));
}

/// The client generated from an OpenAPI 3.1 document of hierarchies and unions
/// (`fixtures/models/openapi_polymorphism`).
pub mod openapi_zoo_client {
    include!(concat!(env!("OUT_DIR"), "/openapi_zoo.rs"));
}

/// The client of the OpenAPI Initiative's petstore-expanded example
/// (`../shared/openapi/oai-v3.0-petstore-expanded.yaml`, present in CI only).
#[cfg(shared_openapi)]
pub mod petstore_expanded_client {
    include!(concat!(env!("OUT_DIR"), "/openapi_petstore_expanded.rs"));
}

/// The client of Twilio's Messaging v1 API (`../shared/openapi/twilio_messaging_v1.yaml`,
/// present in CI only).
#[cfg(shared_openapi)]
pub mod twilio_messaging_client {
    include!(concat!(env!("OUT_DIR"), "/openapi_twilio_messaging.rs"));
}

/// The model `petstore_client` is generated from.
pub mod petstore {
    include!("petstore_model.rs");

    pub use self::petstore_model as model;
}

/// Types generated at build time from `fixtures/models/people` (a large user-shaped entity)
/// by `build.rs`, for the serialization benchmark.
pub mod people_models {
    include!(concat!(env!("OUT_DIR"), "/people.rs"));
}

/// Defines `Recorder`, a transport for the runtime at the given path that records the
/// requests a generated client sends and answers each with the next reply queued, and
/// `header(request, name)`: `recording_transport!(codegen_tests::petstore_client::runtime);`.
/// Generated clients embed their own runtime, so each test names the one its client uses.
#[macro_export]
macro_rules! recording_transport {
    ($($runtime:ident)::+) => {
        #[derive(Clone, Default)]
        struct Recorder {
            sent: ::std::sync::Arc<::std::sync::Mutex<Vec<$($runtime)::+::HttpRequest>>>,
            replies: ::std::sync::Arc<::std::sync::Mutex<Vec<$($runtime)::+::HttpResponse>>>,
        }

        impl Recorder {
            /// Queues a reply with this status, `Content-Type` and body.
            fn reply(&self, status: u16, content_type: &str, body: &[u8]) {
                let headers = vec![("Content-Type".to_owned(), content_type.to_owned())];
                let reply = $($runtime)::+::HttpResponse { status, headers, body: body.to_vec() };
                self.replies.lock().unwrap().push(reply);
            }

            /// The requests sent so far.
            fn sent(&self) -> Vec<$($runtime)::+::HttpRequest> {
                self.sent.lock().unwrap().clone()
            }
        }

        impl $($runtime)::+::Transport for Recorder {
            fn send(
                &self,
                request: $($runtime)::+::HttpRequest,
            ) -> $($runtime)::+::BoxFuture<'_, Result<$($runtime)::+::HttpResponse, $($runtime)::+::TransportError>> {
                self.sent.lock().unwrap().push(request);
                let reply = self.replies.lock().unwrap().remove(0);
                Box::pin(async move { Ok(reply) })
            }
        }

        /// The value of header `name` of `r` (names compared without case).
        fn header<'r>(r: &'r $($runtime)::+::HttpRequest, name: &str) -> Option<&'r str> {
            r.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
        }
    };
}

/// Fixture discovery shared by the integration tests.
pub mod fixtures {
    use std::path::{Path, PathBuf};

    /// The tests crate's directory.
    pub fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The case directories under `fixtures/<group>`, sorted.
    pub fn cases(group: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures").join(group))
            .expect("fixtures directory")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    }

    /// A builder over every `*.xml` and `*.md` file of a case, named `<case>/<file>` in diagnostics so
    /// snapshots do not depend on where the checkout lives. Files are passed as bytes, so they
    /// are decoded as on-disk inputs are (and a case can hold a file that does not decode).
    /// Fixtures read in lenient mode.
    const LENIENT_CASES: &[&str] = &["keywords"];

    pub fn builder(case: &Path) -> codegen::Builder {
        let mut files: Vec<PathBuf> = std::fs::read_dir(case)
            .expect("case directory")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| {
                p.extension().is_some_and(|x| ["xml", "md", "yaml", "yml", "json"].iter().any(|e| x == *e))
            })
            .collect();
        files.sort();
        let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut b = codegen::Builder::new().source_label(format!("fixture {case_name}"));
        // The fixtures of names that only lenient mode accepts (`3des`).
        if LENIENT_CASES.contains(&case_name.as_str()) {
            b = b.lenient(true);
        }
        for f in files {
            let name = format!("{case_name}/{}", f.file_name().unwrap().to_string_lossy());
            b = b.input_bytes(name, std::fs::read(&f).expect("fixture file"));
        }
        b
    }

    /// `../shared/<rel>` when the shared data sits beside the checkout; otherwise prints why
    /// the caller skips and returns `None`.
    pub fn shared(rel: &str) -> Option<PathBuf> {
        let path = root().join("..").join("..").join("shared").join(rel);
        if path.exists() {
            Some(path)
        } else {
            // Written to stderr directly, not with `eprintln!`, so the test harness does not
            // capture it: a skipped check must be visible in a passing run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} is missing (it sits beside the checkout in CI only)",
                path.display()
            );
            None
        }
    }

    /// The path in environment variable `var`, else `../shared/<default>` (see [`shared`]).
    pub fn path_from_env(var: &str, default: &str) -> Option<PathBuf> {
        match std::env::var_os(var) {
            Some(p) => Some(PathBuf::from(p)),
            None => shared(default),
        }
    }

    /// A documented request URL relative to the service root:
    /// `https://graph.microsoft.com/v1.0/me/events?$top=1` → `/me/events`.
    pub fn service_path(url: &str) -> String {
        let no_query = url.split(['?', '#']).next().unwrap_or(url).trim();
        let after_host = match no_query.find("://") {
            Some(i) => no_query[i + 3..].find('/').map(|j| &no_query[i + 3 + j..]).unwrap_or("/"),
            None => no_query,
        };
        let mut segs = after_host.trim_start_matches('/').splitn(2, '/');
        let first = segs.next().unwrap_or_default();
        let rest = segs.next().unwrap_or_default();
        if first.eq_ignore_ascii_case("v1.0") || first.eq_ignore_ascii_case("beta") {
            format!("/{rest}")
        } else {
            format!("/{}", after_host.trim_start_matches('/'))
        }
    }
}

/// A real HTTP/1.1 server on loopback for client tests: records every request and answers
/// with replies scripted in advance, one connection per request.
pub mod http_server {
    use std::collections::VecDeque;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    /// A request as the server received it.
    #[derive(Clone, Debug)]
    pub struct Recorded {
        /// The method.
        pub method: String,
        /// Path and query, as sent.
        pub target: String,
        /// Headers, names lower-cased.
        pub headers: Vec<(String, String)>,
        /// The body.
        pub body: Vec<u8>,
    }

    impl Recorded {
        /// The first header named `name` (lower-case).
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }

        /// The body as JSON (`Null` when empty).
        pub fn json(&self) -> serde_json::Value {
            if self.body.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_slice(&self.body).expect("request body is JSON")
            }
        }
    }

    /// A scripted reply.
    #[derive(Clone, Debug)]
    pub struct Reply {
        /// Status code.
        pub status: u16,
        /// Extra headers.
        pub headers: Vec<(String, String)>,
        /// Body text.
        pub body: String,
    }

    impl Reply {
        /// A JSON reply.
        pub fn json(status: u16, body: serde_json::Value) -> Reply {
            Reply {
                status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: body.to_string(),
            }
        }

        /// An empty reply (e.g. 204).
        pub fn empty(status: u16) -> Reply {
            Reply { status, headers: Vec::new(), body: String::new() }
        }

        /// A reply with a raw body.
        pub fn text(status: u16, body: &str) -> Reply {
            Reply {
                status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: body.into(),
            }
        }

        /// Adds a header.
        pub fn with_header(mut self, name: &str, value: &str) -> Reply {
            self.headers.push((name.into(), value.into()));
            self
        }
    }

    /// The server; it runs until the test process ends.
    pub struct TestServer {
        /// `http://127.0.0.1:<port>`
        pub url: String,
        requests: Arc<Mutex<Vec<Recorded>>>,
        replies: Arc<Mutex<VecDeque<Reply>>>,
    }

    impl TestServer {
        /// Starts a server on an ephemeral loopback port.
        pub fn start() -> TestServer {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
            let url = format!("http://{}", listener.local_addr().unwrap());
            let requests = Arc::new(Mutex::new(Vec::new()));
            let replies: Arc<Mutex<VecDeque<Reply>>> = Arc::new(Mutex::new(VecDeque::new()));
            let (req, rep) = (requests.clone(), replies.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        continue;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or_default().to_owned();
                    let target = parts.next().unwrap_or_default().to_owned();
                    let mut headers = Vec::new();
                    loop {
                        let mut h = String::new();
                        reader.read_line(&mut h).unwrap();
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        if let Some((n, v)) = h.split_once(':') {
                            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
                        }
                    }
                    let length: usize = headers
                        .iter()
                        .find(|(n, _)| n == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    req.lock().unwrap().push(Recorded { method, target, headers, body });
                    let reply = rep
                        .lock()
                        .unwrap()
                        .pop_front()
                        .unwrap_or_else(|| Reply::text(500, "no reply scripted"));
                    let mut out = format!(
                        "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (n, v) in &reply.headers {
                        out.push_str(&format!("{n}: {v}\r\n"));
                    }
                    out.push_str("\r\n");
                    out.push_str(&reply.body);
                    let _ = stream.write_all(out.as_bytes());
                    let _ = stream.flush();
                }
            });
            TestServer { url, requests, replies }
        }

        /// Queues the reply to the next request.
        pub fn reply(&self, reply: Reply) -> &Self {
            self.replies.lock().unwrap().push_back(reply);
            self
        }

        /// The requests received so far (and forgets them).
        pub fn take(&self) -> Vec<Recorded> {
            std::mem::take(&mut *self.requests.lock().unwrap())
        }
    }
}

/// The README's Rust blocks, compiled (and run, unless marked `no_run`) as doctests; the
/// blocks marked `ignore` are checked by `tests/readme.rs` instead.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// Building generated crates outside the workspace, as their users do, in one target
/// directory that the tests share.
pub mod generated_crates {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    /// Writes `output` into `dir`, the test's own scratch directory (taken over whatever an
    /// earlier run left there), and, when it is a crate, the workspace's `Cargo.lock`, so that
    /// a build resolves no dependency versions.
    pub fn write(output: &codegen::Output, dir: &Path) {
        output.write_to_with(dir, codegen::Overwrite::Force).unwrap_or_else(|e| panic!("{e}"));
        if output.files().contains_key("Cargo.toml") {
            pin_versions(dir);
        }
    }

    /// Copies the workspace's `Cargo.lock` into the crate `dir`.
    pub fn pin_versions(dir: &Path) {
        std::fs::copy(super::fixtures::root().join("../Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }

    /// Copies the Rust example of the generated crate's README in `dir` to
    /// `examples/readme.rs`, so that building the crate's examples compiles it; returns it.
    pub fn add_readme_example(dir: &Path) -> String {
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        let start = readme.find("```rust").expect("the README has a Rust example");
        let body = &readme[start..];
        let body = &body[body.find('\n').unwrap() + 1..];
        let example = body[..body.find("```").expect("the example block ends")].to_owned();
        std::fs::create_dir_all(dir.join("examples")).unwrap();
        std::fs::write(dir.join("examples/readme.rs"), &example).unwrap();
        example
    }

    /// The one target directory of every generated crate the tests build, under the test
    /// binary's `CARGO_TARGET_TMPDIR`.
    pub fn target_dir(target_tmpdir: &str) -> PathBuf {
        Path::new(target_tmpdir).join("generated-crates-target")
    }

    /// A `cargo` command building in `target` as the tests' builds of generated crates do:
    /// each is built once, so without incremental state, and with line tables as the only
    /// debug information. Both keep the shared target directory a few gigabytes smaller
    /// (the Graph crates' incremental state alone is 3 GB), which a CI disk needs.
    pub fn command(target: &Path) -> Command {
        let mut command = Command::new(env!("CARGO"));
        command
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
        command
    }

    /// Runs `cargo <args> --quiet` in `dir` with [`command`] and the environment `env`.
    pub fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        command(target)
            .args(args)
            .arg("--quiet")
            .current_dir(dir)
            .envs(env.iter().copied())
            .output()
            .expect("runs cargo")
    }

    /// [`cargo`], asserting that it succeeds without a single warning (`--quiet` cargo prints
    /// only diagnostics). `what` names the build in the failure message.
    pub fn cargo_clean(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)], what: &str) {
        let output = cargo(dir, target, args, env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "cargo {args:?} of {what} failed:\n{stderr}");
        assert!(!stderr.contains("warning"), "cargo {args:?} of {what} warns:\n{stderr}");
    }
}

/// Reading values into generated types and writing them back: the harness the round-trip
/// corpus tests build and run, and how they compare and excuse results.
pub mod roundtrip {
    use std::collections::BTreeMap;
    use std::io::Write;
    use std::path::Path;
    use std::process::Stdio;

    use serde_json::Value;

    /// A harness crate to build and run: its name, its `[dependencies]` lines, the Rust
    /// items before its `main` (modules, `use`s), and the Rust types values are read as.
    pub struct Harness<'a> {
        pub name: &'a str,
        pub dependencies: &'a str,
        pub items: &'a str,
        pub types: &'a [String],
    }

    impl Harness<'_> {
        /// Writes the harness into `dir` (its scratch directory), builds and runs it in the
        /// target directory `target` ([`super::generated_crates::target_dir`]), and reads each
        /// value (an index into `types`, and JSON text) as its type and writes it back; one
        /// line per value: `ok <json>`, or `error <message>`.
        pub fn run(&self, dir: &Path, target: &Path, values: &[(usize, String)]) -> Vec<String> {
            let arms: String = self
                .types
                .iter()
                .enumerate()
                .map(|(i, t)| format!("            {i} => roundtrip::<{t}>(text),\n"))
                .collect();
            let main = format!(
                "// Written by the tests crate (codegen_tests::roundtrip).\n\
                 {items}\n\
                 use std::io::{{BufRead, Write}};\n\n\
                 fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> String {{\n\
                 \x20   match serde_json::from_str::<T>(text) {{\n\
                 \x20       Ok(v) => match serde_json::to_string(&v) {{\n\
                 \x20           Ok(json) => format!(\"ok {{json}}\"),\n\
                 \x20           Err(e) => format!(\"error writing: {{e}}\"),\n\
                 \x20       }},\n\
                 \x20       Err(e) => format!(\"error reading: {{e}}\"),\n\
                 \x20   }}\n\
                 }}\n\n\
                 fn main() {{\n\
                 \x20   let mut out = std::io::stdout().lock();\n\
                 \x20   for line in std::io::stdin().lock().lines() {{\n\
                 \x20       let line = line.unwrap();\n\
                 \x20       let (index, text) = line.split_once(' ').unwrap();\n\
                 \x20       let result = match index.parse::<usize>().unwrap() {{\n{arms}\
                 \x20           _ => unreachable!(),\n\
                 \x20       }};\n\
                 \x20       writeln!(out, \"{{result}}\").unwrap();\n\
                 \x20   }}\n\
                 }}\n",
                items = self.items
            );
            std::fs::create_dir_all(dir.join("src")).unwrap();
            std::fs::write(dir.join("src/main.rs"), main).unwrap();
            let manifest = format!(
                "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\n{}serde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
                self.name, self.dependencies
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
            // Pin dependency versions to the workspace's, so the build needs no resolution.
            super::generated_crates::pin_versions(dir);
            let mut child = super::generated_crates::command(target)
                .args(["run", "--quiet", "--manifest-path"])
                .arg(dir.join("Cargo.toml"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("runs cargo");
            let input: String = values.iter().map(|(i, v)| format!("{i} {v}\n")).collect();
            let mut stdin = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
            let output = child.wait_with_output().unwrap();
            writer.join().unwrap().unwrap();
            assert!(output.status.success(), "the round-trip harness `{}` failed to build or run", self.name);
            let lines: Vec<String> =
                String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect();
            assert_eq!(lines.len(), values.len(), "one result per value");
            lines
        }
    }

    /// Numbers compared by value (`1` and `1.0` are the same number).
    pub fn normalise(v: &Value) -> Value {
        match v {
            Value::Number(n) => n.as_f64().map(Value::from).unwrap_or_else(|| v.clone()),
            Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
            Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
            other => other.clone(),
        }
    }

    /// The first difference between what was sent and what came back, with its JSON pointer.
    pub fn difference(path: &str, sent: &Value, back: &Value) -> Option<String> {
        match (sent, back) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in a {
                    let here = format!("{path}/{k}");
                    match b.get(k) {
                        None => return Some(format!("{here}: dropped ({v})")),
                        Some(w) => {
                            if let Some(d) = difference(&here, v, w) {
                                return Some(d);
                            }
                        }
                    }
                }
                b.keys().find(|k| !a.contains_key(*k)).map(|k| format!("{path}/{k}: added ({})", b[k]))
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                a.iter().zip(b).enumerate().find_map(|(i, (v, w))| difference(&format!("{path}/{i}"), v, w))
            }
            _ if sent == back => None,
            _ => Some(format!("{path}: sent {sent}, got {back}")),
        }
    }

    /// `id  reason` lines; `#` starts a comment. Every exception needs a reason.
    pub fn read_exceptions(path: &Path) -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
                assert!(!reason.trim().is_empty(), "{}: `{id}` needs a reason", path.display());
                (id.to_owned(), reason.trim().to_owned())
            })
            .collect()
    }
}
