//! Programs that must not compile (`ui/*.rs`), with the compiler's messages in `ui/*.stderr`.
//! Accept new messages with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn metadata_restrictions_are_compile_errors() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
