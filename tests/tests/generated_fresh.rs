//! The checked-in `generated/` crate is exactly what its metadata generates.

use std::path::PathBuf;

#[test]
fn generated_crate_is_fresh() {
    // The checkout's own settings: the codegen.toml at its root.
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../codegen.toml");
    let out = codegen::Config::load(&config).unwrap().out_dir(&config);
    let output = codegen::Builder::from_config(&config).unwrap().generate().unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = output.check(&out) {
        if std::env::var("EXPECTORATE").as_deref() == Ok("overwrite") {
            output.write_to(&out).unwrap();
        }
        panic!("{e}\nfix: run `cargo codegen generate` (or EXPECTORATE=overwrite cargo test) and commit generated/");
    }
}
