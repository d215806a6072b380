//! A real OData server: SAP's CAP (`@sap/cds` 9.9 with `@cap-js/sqlite`, in-memory) serves
//! the bookshop of `tests/cap/` as OData V4 and, through `@cap-js-community/odata-v2-adapter`,
//! as V2. The test installs it from the checked-in lock file (`npm ci`, once), starts it on
//! an ephemeral loopback port, fetches its `$metadata` as V4 XML, V4 JSON and V2, generates
//! a client from each, and runs `tests/cap/driver/main.rs` against a fresh server per client:
//! list with `$filter`/`$select`/`$orderby`/`$top`/`$count`, server-driven paging to the end,
//! get by key with `$expand`, create, a deep insert, update with the ETag, a stale ETag (412),
//! `If-Match: *`, delete, bound and unbound actions and functions, `$batch` (multipart for V4
//! and V2, JSON for V4) with a change set that succeeds and one rolled back by a stale ETag,
//! all asserted on the server's answers. Skips, saying so, where Node.js or npm is not installed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use codegen_tests::{fixtures, generated_crates};

fn cap_dir() -> PathBuf {
    fixtures::root().join("cap")
}

/// Whether `program --version` runs.
fn available(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Installs the server's packages from `package-lock.json` unless the installed ones are
/// that lock file's (`npm ci` leaves a copy of it in `node_modules/.package-lock.json`).
fn install(dir: &Path) {
    let lock = std::fs::read_to_string(dir.join("package-lock.json")).unwrap();
    let marker = dir.join("node_modules/.codegen-lock");
    if std::fs::read_to_string(&marker).is_ok_and(|installed| installed == lock) {
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .expect("runs npm");
    assert!(output.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&output.stderr));
    std::fs::write(marker, lock).unwrap();
}

/// The CAP server, on an ephemeral port of 127.0.0.1; stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new("node")
            .arg("node_modules/.bin/cds-serve")
            .env("PORT", "0")
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starts node");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // `[cds] - server listening on { url: 'http://localhost:4004' }`
                const LISTENING: &str = "server listening on { url: '";
                if let Some(at) = line.find(LISTENING) {
                    let url = line[at + LISTENING.len()..].split('\'').next().unwrap_or_default().to_owned();
                    let _ = tx.send(url.replace("localhost", "127.0.0.1"));
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => Server { child, url },
            Err(_) => {
                let _ = child.kill();
                panic!("the CAP server did not say where it listens within 60 s");
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text at `url`.
fn fetch(url: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let response = reqwest::get(url).await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert!(response.status().is_success(), "GET {url}: {}", response.status());
        response.text().await.unwrap()
    })
}

#[test]
fn generated_clients_of_v4_xml_v4_json_and_v2_metadata_work_against_a_real_cap_server() {
    if !available("node") || !available("npm") {
        // `.ci/run` sets this: there the test must run.
        assert!(std::env::var_os("CODEGEN_REQUIRE_CAP").is_none(), "Node.js and npm are not installed");
        eprintln!("skipped: Node.js and npm are needed to run the CAP server (tests/cap/)");
        return;
    }
    let dir = cap_dir();
    install(&dir);
    let metadata = {
        let server = Server::start(&dir);
        [
            ("v4xml", "cap-v4.xml", fetch(&format!("{}/catalog/$metadata", server.url))),
            ("v4json", "cap-v4.json", fetch(&format!("{}/catalog/$metadata?$format=json", server.url))),
            ("v2", "cap-v2.xml", fetch(&format!("{}/odata/v2/catalog/$metadata", server.url))),
        ]
    };
    assert!(metadata[1].2.trim_start().starts_with('{'), "CSDL JSON: {}", metadata[1].2);
    assert!(metadata[2].2.contains("Version=\"1.0\""), "EDMX 1.0: {}", metadata[2].2);

    // One crate, a module per client, sharing the runtime crate.
    let app = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cap-driver");
    let runtime = fixtures::root().join("../templates").canonicalize().unwrap();
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"cap-driver\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [features]\ndefault = [\"reqwest\"]\nreqwest = []\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             codegen-runtime = {{ path = {:?}, features = [\"reqwest\"] }}\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"time\"] }}\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    for (module, name, text) in &metadata {
        let output = codegen::Builder::new()
            .input_text(*name, text.as_str())
            .layout(codegen::Layout::Module)
            .runtime(codegen::Runtime::dependency(r#"{ path = "unused" }"#))
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        generated_crates::write(&output, &app.join("src").join(module));
    }
    std::fs::copy(dir.join("driver/main.rs"), app.join("src/main.rs")).unwrap();
    generated_crates::pin_versions(&app);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    generated_crates::cargo_clean(&app, &target, &["build"], &[], "the CAP driver");
    let driver = target.join("debug/cap-driver");
    for (module, _, _) in &metadata {
        // A fresh server (a fresh in-memory database) for each client.
        let server = Server::start(&dir);
        let run =
            Command::new(&driver).args([*module, server.url.as_str()]).output().expect("runs the driver");
        let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        eprintln!("{module}:\n{stdout}");
        assert!(run.status.success(), "{module} against CAP:\n{stdout}\n{stderr}");
    }
}
