//! The runtime on hostile bytes: URL encoders never let a value add a path segment or a query
//! parameter; base64, the generated models' readers (read, written and read again to the
//! same value) and the `$batch` response readers never panic.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::runtime(data));
