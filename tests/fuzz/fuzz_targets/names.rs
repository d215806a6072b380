//! Naming: any text as a property, enumeration value, schema and operation name of an OpenAPI
//! document, and as a property name of CSDL read leniently, gives generated code that parses
//! (every name made a Rust identifier, every string escaped), or a located error.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::names(&String::from_utf8_lossy(data)));
