//! The front end of `openapi.yaml`: any bytes give generated code that parses, or located errors;
//! never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::generate("openapi.yaml", data));
