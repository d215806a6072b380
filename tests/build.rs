//! The living build-script example: generate types from a fixture into `$OUT_DIR`.
fn main() {
    let fixture = "fixtures/models/inheritance/inheritance.csdl.xml";
    if let Err(e) = codegen::Builder::new().input(fixture).compile("inheritance") {
        panic!("codegen failed:\n{e}");
    }
}
