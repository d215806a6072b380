//! The living build-script example: generate types from a fixture into `$OUT_DIR`.
fn main() {
    for case in ["inheritance", "operations", "annotations", "wire", "people"] {
        let fixture = format!("fixtures/models/{case}/{case}.csdl.xml");
        if let Err(e) = codegen::Builder::new().input(fixture).compile(case) {
            panic!("codegen failed:\n{e}");
        }
    }
}
