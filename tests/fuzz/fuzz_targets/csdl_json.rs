//! The front end of `metadata.json`: any bytes give generated code that parses, or located errors;
//! never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::generate("metadata.json", data));
