//! The 45 real SAP S/4HANA OData V2 services of `../shared/odata/sap-v2/` (EDMX 1.0:
//! associations, association sets, function imports with `m:HttpMethod`, `sap:` attributes)
//! generate without an error, and compile: all of them as modules of one crate, sharing the
//! runtime crate, checked once. Skips, saying so, without `../shared`.

use std::path::PathBuf;
use std::time::Instant;

use codegen_tests::{fixtures, generated_crates};

#[test]
fn every_sap_v2_service_generates_and_compiles() {
    let Some(dir) = fixtures::shared("odata/sap-v2") else {
        return;
    };
    let mut services: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    services.sort();
    assert_eq!(services.len(), 45, "the corpus holds 45 services");
    let app = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sap-v2-services");
    let runtime = fixtures::root().join("../templates").canonicalize().unwrap();
    let manifest = format!(
        "[package]\nname = \"sap-v2-services\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{}\
         codegen-runtime = {{ path = {:?} }}\n",
        codegen::DEPENDENCIES,
        runtime.display().to_string()
    );
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    let mut lib = String::from("#![allow(dead_code)]\n");
    let (mut files, mut bytes, mut report) = (0, 0, Vec::new());
    let started = Instant::now();
    for service in &services {
        let name = service.file_name().unwrap().to_string_lossy().to_ascii_lowercase();
        let metadata = service.join("metadata.xml");
        let generated = Instant::now();
        let output = codegen::Builder::new()
            .input(&metadata)
            .layout(codegen::Layout::Module)
            .runtime(codegen::Runtime::dependency(r#"{ path = "unused" }"#))
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", metadata.display()));
        let size: usize = output.files().values().map(String::len).sum();
        report.push(format!(
            "{name:<40} {:>5} ms {:>4} files {:>8} bytes",
            generated.elapsed().as_millis(),
            output.files().len(),
            size
        ));
        files += output.files().len();
        bytes += size;
        generated_crates::write(&output, &app.join("src").join(&name));
        lib.push_str(&format!("pub mod {name};\n"));
    }
    let generation = started.elapsed();
    std::fs::write(app.join("src/lib.rs"), lib).unwrap();
    generated_crates::pin_versions(&app);
    let target = generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    let checked = Instant::now();
    generated_crates::cargo_clean(&app, &target, &["check"], &[], "the 45 SAP V2 services");
    eprintln!("{}", report.join("\n"));
    eprintln!(
        "45 SAP V2 services: generated in {:.1} s ({files} files, {bytes} bytes); cargo check of all: {:.0} s",
        generation.as_secs_f64(),
        checked.elapsed().as_secs_f64()
    );
}
