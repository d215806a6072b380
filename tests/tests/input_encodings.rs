//! How input bytes become text: the same metadata in UTF-8, UTF-8 with a byte order mark and
//! UTF-16 generates the same files; bytes that are not text are located errors collected with
//! the others; directory walks skip what is not an input.

use std::path::Path;

use codegen::{Builder, Error, Severity};
use codegen_tests::fixtures;

fn enums_csdl() -> String {
    std::fs::read_to_string(fixtures::root().join("fixtures/models/enums/enums.csdl.xml")).expect("fixture")
}

fn utf16(text: &str, bom: bool, big_endian: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in std::iter::once(0xFEFF).filter(|_| bom).chain(text.encode_utf16()) {
        out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

/// The files generated from `builder`, whose header names the same label however the input
/// was given.
fn files(builder: Builder) -> std::collections::BTreeMap<String, String> {
    code(&builder.source_label("enums").generate().unwrap_or_else(|e| panic!("{e}")))
}

/// The generated files but the lock file (which records the input's bytes, so differs between
/// encodings and between a file and a directory) and the manifest (which lists its hash).
fn code(out: &codegen::Output) -> std::collections::BTreeMap<String, String> {
    let mut files = out.files().clone();
    files.remove(codegen::LOCK).expect("the output has a lock file");
    files.remove(codegen::MANIFEST);
    files
}

fn invalid(builder: Builder) -> codegen::Diagnostics {
    match builder.generate() {
        Err(Error::Invalid(diags)) => diags,
        Err(e) => panic!("expected located input errors, got: {e}"),
        Ok(_) => panic!("generation succeeded but must fail"),
    }
}

fn errors(diags: &codegen::Diagnostics) -> Vec<String> {
    diags.iter().filter(|d| d.severity() == Severity::Error).map(|d| d.to_string()).collect()
}

#[test]
fn utf16_and_utf8_with_byte_order_mark_generate_the_same_files_as_utf8_from_disk_and_from_bytes() {
    let text = enums_csdl();
    let expected = files(Builder::new().input_text("enums.csdl.xml", text.as_str()));
    assert!(expected.len() > 1, "{:?}", expected.keys());
    let encodings: [(&str, Vec<u8>); 5] = [
        ("UTF-8 with BOM", [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()),
        ("UTF-16LE with BOM", utf16(&text, true, false)),
        ("UTF-16BE with BOM", utf16(&text, true, true)),
        // XML 1.0 Appendix F: `<?` tells UTF-16 without a byte order mark.
        ("UTF-16LE without BOM", utf16(&text, false, false)),
        ("UTF-16BE without BOM", utf16(&text, false, true)),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (encoding, bytes) in encodings {
        let path = dir.path().join("enums.csdl.xml");
        std::fs::write(&path, &bytes).unwrap();
        assert!(files(Builder::new().input(&path)) == expected, "{encoding} from a file differs");
        assert!(
            files(Builder::new().input_bytes("enums.csdl.xml", bytes)) == expected,
            "{encoding} from bytes differs"
        );
    }
}

#[test]
fn random_bytes_on_disk_are_a_located_binary_file_error_not_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.xml");
    // Deterministic noise (xorshift) with NUL bytes in it, as any binary file has.
    let mut x: u32 = 0x9E37_79B9;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    assert!(bytes.contains(&0));
    std::fs::write(&path, &bytes).unwrap();
    let diags = invalid(Builder::new().input(&path));
    let errors = errors(&diags);
    assert_eq!(errors.len(), 1, "{diags}");
    let name = path.display().to_string();
    assert!(
        errors[0].starts_with(&format!(
            "{name}:1:1: error[E0103]: the file is binary, not text: it holds a NUL byte at offset "
        )),
        "{}",
        errors[0]
    );
}

#[test]
fn every_undecodable_file_is_reported_in_one_run_with_its_location() {
    let latin1 = b"<?xml version=\"1.0\"?>\n<edmx:Edmx Version=\"4.0\">caf\xE9</edmx:Edmx>\n".to_vec();
    let mut lone_surrogate = utf16("<?xml version=\"1.0\"?>\n<a>", true, false);
    lone_surrogate.extend([0x00, 0xDC]);
    let utf32 = [&[0xFF, 0xFE, 0x00, 0x00][..], &[b'<', 0, 0, 0]].concat();
    let cp1252 = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<edmx:Edmx/>".to_vec();
    let diags = invalid(
        Builder::new()
            .input_bytes("a.xml", latin1)
            .input_bytes("b.xml", lone_surrogate)
            .input_bytes("c.xml", utf32)
            .input_bytes("d.xml", cp1252)
            .input_bytes("e.md", b"# title\n\0".to_vec()),
    );
    assert_eq!(
        errors(&diags),
        [
            "a.xml:2:29: error[E0102]: byte 0xE9 at offset 50 is not valid UTF-8: the file is not UTF-8, nor UTF-16 with a byte order mark; convert it to UTF-8",
            "b.xml:2:4: error[E0102]: unpaired UTF-16 surrogate 0xDC00 at offset 52: the file is not valid UTF-16",
            "c.xml:1:1: error[E0101]: the file is encoded as UTF-32LE (byte order mark `FF FE 00 00`), which is not supported: convert it to UTF-8 (UTF-16 with a byte order mark is read too)",
            "d.xml:1:31: error[E0101]: the XML declaration names encoding `windows-1252`, which is not supported: convert the file to UTF-8 (e.g. `iconv -f windows-1252 -t UTF-8`) and declare `encoding=\"utf-8\"`",
            "e.md:2:1: error[E0103]: the file is binary, not text: it holds a NUL byte at offset 8 (inputs are CSDL XML or reference pages, as UTF-8, or UTF-16 with a byte order mark)",
        ],
        "{diags}"
    );
}

#[test]
fn a_missing_input_file_stays_an_io_error_naming_the_path() {
    let missing = Path::new("no/such/file.csdl.xml");
    match Builder::new().input(missing).generate() {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        Err(e) => panic!("expected an I/O error, got: {e}"),
        Ok(_) => panic!("generation succeeded"),
    }
}

#[test]
fn a_directory_walk_skips_a_readme_and_other_xml_with_warnings_and_reads_the_csdl() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("enums.csdl.xml"), enums_csdl()).unwrap();
    std::fs::write(dir.path().join("README.md"), "# Metadata\n\nThe service's CSDL, for codegen.\n").unwrap();
    std::fs::write(dir.path().join("pom.xml"), "<project><modelVersion>4.0.0</modelVersion></project>\n")
        .unwrap();
    let out =
        Builder::new().input(dir.path()).source_label("enums").generate().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), files(Builder::new().input_text("enums.csdl.xml", enums_csdl())));
    let warnings: Vec<String> = out.warnings().iter().map(|w| w.to_string()).collect();
    let readme = dir.path().join("README.md").display().to_string();
    let pom = dir.path().join("pom.xml").display().to_string();
    assert!(
        warnings.iter().any(|w| w
            .starts_with(&format!("{readme}:1:1: warning[W0106]: this markdown is not a reference page"))),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with(&format!(
            "{pom}:1:1: warning[W0106]: neither OData CSDL (XML or JSON), OpenAPI nor a reference page"
        ))),
        "{warnings:?}"
    );
}

#[test]
fn a_directory_of_files_that_declare_no_types_fails_with_one_error_listing_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Metadata\n").unwrap();
    std::fs::write(dir.path().join("notes.md"), "# Notes\n").unwrap();
    let diags = invalid(Builder::new().input(dir.path()));
    let errors = errors(&diags);
    let (readme, notes) = (dir.path().join("README.md"), dir.path().join("notes.md"));
    assert_eq!(
        errors,
        [format!(
            "error[E0601]: the inputs declare no types, so there is nothing to generate; read: `{}`, `{}`",
            readme.display(),
            notes.display()
        )],
        "{diags}"
    );
}

#[test]
fn an_explicitly_named_file_that_is_neither_csdl_nor_markdown_is_an_error() {
    let diags = invalid(Builder::new().input_bytes("notes.xml", b"<notes>hello</notes>".to_vec()));
    assert_eq!(
        errors(&diags),
        ["notes.xml:1:1: error[E0105]: unrecognised input format: expected OData CSDL XML (`<edmx:Edmx ...>`) or JSON (`{\"$Version\": ...}`), an OpenAPI document (YAML or JSON with an `openapi` version) or a reference page (`.md`)"]
    );
}
