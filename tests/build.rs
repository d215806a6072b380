//! The living build-script example: generate types from a fixture into `$OUT_DIR`; and the
//! client of a service built by hand as a model (`src/petstore_model.rs`).
include!("src/petstore_model.rs");

fn main() {
    for case in ["inheritance", "operations", "annotations", "wire", "people"] {
        let fixture = format!("fixtures/models/{case}/{case}.csdl.xml");
        if let Err(e) = codegen::Builder::new().input(fixture).compile(case) {
            panic!("codegen failed:\n{e}");
        }
    }
    println!("cargo:rerun-if-changed=src/petstore_model.rs");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    match codegen::Builder::new().generate_single_from(&petstore_model()) {
        Ok((code, _)) => std::fs::write(out.join("petstore.rs"), code).expect("OUT_DIR is writable"),
        Err(e) => panic!("codegen failed:\n{e}"),
    }
}
