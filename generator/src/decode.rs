//! Input bytes → text. The front ends read `str`; this decides how a file's bytes become one.
//!
//! - A byte order mark decides: UTF-8 (`EF BB BF`, stripped), UTF-16 LE (`FF FE`) or BE
//!   (`FE FF`), decoded with [`char::decode_utf16`]. UTF-32 byte order marks are refused.
//! - Without one, XML 1.0 Appendix F: `3C 00 3F 00` / `00 3C 00 3F` (`<?` in UTF-16 LE / BE)
//!   is UTF-16; the UCS-4 and EBCDIC forms of `<?` are refused.
//! - Otherwise the bytes are ASCII-compatible and the XML declaration's `encoding="..."`, if
//!   any, decides: UTF-8 (also when it says US-ASCII, a subset, or UTF-16, which without a
//!   byte order mark these bytes cannot be), ISO-8859-1 (each byte is the code point of the
//!   same value), anything else refused with a request to convert the file to UTF-8.
//!
//! A file with a NUL byte that is not UTF-16 is binary. Every problem is one located
//! diagnostic (`file:line:col`, 1-based, columns in characters, as [`SourceMap`] counts them
//! over the text decoded before the problem) that names the byte offset in the file.

use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Location, SourceMap};

/// The text of `bytes`, a file known to users as `name`, or the diagnostic saying why it is
/// not text the generator reads.
pub(crate) fn decode(name: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let unsupported = |what: &str| {
        error(
            Code::UnsupportedEncoding,
            start(name),
            format!(
                "the file is encoded as {what}, which is not supported: convert it to UTF-8 (UTF-16 with a byte order mark is read too)"
            ),
        )
    };
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => Err(unsupported("UTF-32BE (byte order mark `00 00 FE FF`)")),
        // Before UTF-16 LE: `FF FE 00 00` would otherwise be a UTF-16 LE BOM and a NUL.
        [0xFF, 0xFE, 0x00, 0x00, ..] => Err(unsupported("UTF-32LE (byte order mark `FF FE 00 00`)")),
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(name, rest, 3),
        [0xFE, 0xFF, rest @ ..] => utf16(name, rest, 2, u16::from_be_bytes),
        [0xFF, 0xFE, rest @ ..] => utf16(name, rest, 2, u16::from_le_bytes),
        [0x3C, 0x00, 0x3F, 0x00, ..] => utf16(name, bytes, 0, u16::from_le_bytes),
        [0x00, 0x3C, 0x00, 0x3F, ..] => utf16(name, bytes, 0, u16::from_be_bytes),
        [0x00, 0x00, 0x00, 0x3C, ..]
        | [0x3C, 0x00, 0x00, 0x00, ..]
        | [0x00, 0x00, 0x3C, 0x00, ..]
        | [0x00, 0x3C, 0x00, 0x00, ..] => Err(unsupported("UCS-4 (UTF-32)")),
        [0x4C, 0x6F, 0xA7, 0x94, ..] => Err(unsupported("EBCDIC")),
        _ => match declared_encoding(bytes) {
            None => utf8(name, bytes, 0),
            Some((label, at)) => match Declared::of(label) {
                Declared::Utf8 => utf8(name, bytes, 0),
                Declared::Latin1 => latin1(name, bytes),
                Declared::Other => {
                    let location = std::str::from_utf8(&bytes[..at])
                        .map(|prefix| locate_end(name, prefix))
                        .unwrap_or_else(|_| start(name));
                    Err(error(
                        Code::UnsupportedEncoding,
                        location,
                        format!(
                            "the XML declaration names encoding `{label}`, which is not supported: convert the file to UTF-8 (e.g. `iconv -f {label} -t UTF-8`) and declare `encoding=\"utf-8\"`"
                        ),
                    ))
                }
            },
        },
    }
}

/// What an `encoding="..."` label asks for.
enum Declared {
    Utf8,
    Latin1,
    Other,
}

impl Declared {
    fn of(label: &str) -> Declared {
        let l = label.to_ascii_lowercase();
        match l.as_str() {
            "utf-8" | "utf8" | "us-ascii" | "ascii" | "iso646-us" | "ansi_x3.4-1968" | "utf-16"
            | "utf-16le" | "utf-16be" => Declared::Utf8,
            "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" | "iso-ir-100"
            | "cp819" | "ibm819" | "csisolatin1" => Declared::Latin1,
            _ => Declared::Other,
        }
    }
}

fn error(code: Code, location: Location, message: String) -> Diagnostic {
    Diagnostic { code, location: Some(location), message, notes: Vec::new() }
}

fn start(name: &str) -> Location {
    Location { file: name.to_owned(), line: 1, column: 1 }
}

/// The location just after `prefix`, the text before a problem.
fn locate_end(name: &str, prefix: &str) -> Location {
    SourceMap::new(name, Arc::from(prefix)).locate(prefix.len())
}

/// A file with a NUL byte (not UTF-16) is binary: located at the NUL when the text before it
/// decodes, else at the start.
fn binary(name: &str, bytes: &[u8], skip: usize) -> Option<Diagnostic> {
    let nul = bytes.iter().position(|&b| b == 0)?;
    let location = std::str::from_utf8(&bytes[..nul])
        .map(|prefix| locate_end(name, prefix))
        .unwrap_or_else(|_| start(name));
    Some(error(
        Code::BinaryInput,
        location,
        format!(
            "the file is binary, not text: it holds a NUL byte at offset {} (inputs are CSDL XML or reference pages, as UTF-8, or UTF-16 with a byte order mark)",
            skip + nul
        ),
    ))
}

/// `bytes` (after `skip` bytes of byte order mark) as UTF-8.
fn utf8(name: &str, bytes: &[u8], skip: usize) -> Result<String, Diagnostic> {
    if let Some(d) = binary(name, bytes, skip) {
        return Err(d);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..valid]).expect("the prefix is valid");
            let offset = skip + valid;
            let what = match e.error_len() {
                Some(_) => format!("byte 0x{:02X} at offset {offset} is not valid UTF-8", bytes[valid]),
                None => format!("the file ends inside a UTF-8 sequence (at offset {offset})"),
            };
            Err(error(
                Code::InvalidEncoding,
                locate_end(name, prefix),
                format!(
                    "{what}: the file is not UTF-8, nor UTF-16 with a byte order mark; convert it to UTF-8"
                ),
            ))
        }
    }
}

/// `bytes` as ISO-8859-1, which maps every byte to the code point of the same value. The C1
/// controls 0x80–0x9F are refused: text with them is almost always Windows-1252 mislabelled.
fn latin1(name: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    if let Some(d) = binary(name, bytes, 0) {
        return Err(d);
    }
    if let Some(i) = bytes.iter().position(|b| (0x80..=0x9F).contains(b)) {
        let prefix: String = bytes[..i].iter().map(|&b| char::from(b)).collect();
        return Err(error(
            Code::UnsupportedEncoding,
            locate_end(name, &prefix),
            format!(
                "byte 0x{:02X} at offset {i} is a control character in ISO-8859-1, the encoding the XML declaration names; the file is probably Windows-1252, which is not supported: convert it to UTF-8",
                bytes[i]
            ),
        ));
    }
    Ok(bytes.iter().map(|&b| char::from(b)).collect())
}

/// `bytes` (after `skip` bytes of byte order mark) as UTF-16 of the given byte order.
fn utf16(name: &str, bytes: &[u8], skip: usize, unit: fn([u8; 2]) -> u16) -> Result<String, Diagnostic> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut read = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                text.push(c);
                read += c.len_utf16();
            }
            Err(e) => {
                return Err(error(
                    Code::InvalidEncoding,
                    locate_end(name, &text),
                    format!(
                        "unpaired UTF-16 surrogate 0x{:04X} at offset {}: the file is not valid UTF-16",
                        e.unpaired_surrogate(),
                        skip + 2 * read
                    ),
                ));
            }
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(error(
            Code::InvalidEncoding,
            locate_end(name, &text),
            format!(
                "the file ends inside a UTF-16 code unit (an odd byte at offset {}): it is truncated",
                skip + bytes.len() - 1
            ),
        ));
    }
    Ok(text)
}

/// The `encoding` of an XML declaration at the start of ASCII-compatible bytes, and the byte
/// offset of its value.
fn declared_encoding(bytes: &[u8]) -> Option<(&str, usize)> {
    let after = bytes.strip_prefix(b"<?xml")?;
    if !after.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = &head[..end];
    let mut i = decl.windows(8).position(|w| w == b"encoding")? + 8;
    let skip_space = |i: &mut usize| {
        while decl.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        }
    };
    skip_space(&mut i);
    if decl.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    skip_space(&mut i);
    let quote = *decl.get(i).filter(|q| **q == b'"' || **q == b'\'')?;
    let value_start = i + 1;
    let len = decl[value_start..].iter().position(|&b| b == quote)?;
    let value = std::str::from_utf8(&decl[value_start..value_start + len]).ok()?;
    Some((value, value_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        decode("f.xml", bytes).expect_err("must fail").to_string()
    }

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn utf16be(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
        out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    const XML: &str = "<?xml version=\"1.0\"?>\n<a>çé 𝄞</a>\n";

    #[test]
    fn utf8_with_or_without_a_byte_order_mark_reads_as_the_same_text() {
        assert_eq!(decode("f", XML.as_bytes()).unwrap(), XML);
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], XML.as_bytes()].concat();
        assert_eq!(decode("f", &with_bom).unwrap(), XML);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_or_starting_with_an_xml_declaration_reads_as_text() {
        for bytes in [utf16le(XML, true), utf16be(XML, true), utf16le(XML, false), utf16be(XML, false)] {
            assert_eq!(decode("f", &bytes).unwrap(), XML);
        }
    }

    #[test]
    fn invalid_utf8_is_located_at_the_first_bad_byte_in_characters() {
        let mut bytes = b"<a>\n  \xC3\xA7x".to_vec();
        bytes.push(0xFF);
        assert_eq!(
            err(&bytes),
            "f.xml:2:5: error[E0102]: byte 0xFF at offset 9 is not valid UTF-8: the file is not UTF-8, nor UTF-16 with a byte order mark; convert it to UTF-8"
        );
        // The offset counts the byte order mark; the column does not.
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], b"ab\xE9x"].concat();
        let e = err(&with_bom);
        assert!(e.starts_with("f.xml:1:3: error[E0102]: byte 0xE9 at offset 5 is not valid UTF-8"), "{e}");
        assert!(err(b"ab\xE2\x82")
            .starts_with("f.xml:1:3: error[E0102]: the file ends inside a UTF-8 sequence (at offset 2)"));
    }

    #[test]
    fn unpaired_and_truncated_utf16_is_located() {
        let mut bytes = utf16le("<a>\nx", true);
        bytes.extend([0x00, 0xD8, 0x41, 0x00]); // a high surrogate, then `A`
        assert_eq!(
            err(&bytes),
            "f.xml:2:2: error[E0102]: unpaired UTF-16 surrogate 0xD800 at offset 12: the file is not valid UTF-16"
        );
        let mut odd = utf16be("<a>", true);
        odd.push(0x00);
        assert!(err(&odd).starts_with(
            "f.xml:1:4: error[E0102]: the file ends inside a UTF-16 code unit (an odd byte at offset 8)"
        ));
    }

    #[test]
    fn nul_bytes_outside_utf16_make_the_file_binary() {
        assert!(err(b"ab\ncd\0ef").starts_with(
            "f.xml:2:3: error[E0103]: the file is binary, not text: it holds a NUL byte at offset 5"
        ));
        // Bytes that are not UTF-8 before the NUL: located at the start.
        assert!(err(b"\x89PNG\r\n\x1a\n\0\0").starts_with("f.xml:1:1: error[E0103]: the file is binary"));
    }

    #[test]
    fn utf32_ucs4_and_ebcdic_are_refused_at_the_start() {
        for bytes in [
            &[0x00, 0x00, 0xFE, 0xFF, 0, 0, 0, 0x3C][..],
            &[0xFF, 0xFE, 0, 0, 0x3C, 0, 0, 0],
            &[0, 0, 0, 0x3C],
        ] {
            let e = err(bytes);
            assert!(e.starts_with("f.xml:1:1: error[E0101]: the file is encoded as U"), "{e}");
            assert!(e.contains("convert it to UTF-8"), "{e}");
        }
        assert!(err(&[0x4C, 0x6F, 0xA7, 0x94]).contains("EBCDIC"));
    }

    #[test]
    fn a_declared_encoding_other_than_utf8_utf16_or_latin1_is_refused_at_its_value() {
        let e = err(b"<?xml version=\"1.0\"\n  encoding='Windows-1252'?>\n<a/>");
        assert!(
            e.starts_with("f.xml:2:13: error[E0101]: the XML declaration names encoding `Windows-1252`, which is not supported: convert the file to UTF-8"),
            "{e}"
        );
        assert!(err(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>").contains("`Shift_JIS`"));
    }

    #[test]
    fn declared_iso_8859_1_maps_bytes_to_code_points_and_refuses_c1_controls() {
        let text = decode("f", b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE7\xE9</a>").unwrap();
        assert!(text.ends_with("<a>çé</a>"), "{text}");
        let e = err(b"<?xml version=\"1.0\" encoding=\"latin1\"?>\n<a>\x93x\x94</a>");
        assert!(
            e.starts_with(
                "f.xml:2:4: error[E0101]: byte 0x93 at offset 43 is a control character in ISO-8859-1"
            ),
            "{e}"
        );
    }

    #[test]
    fn declared_us_ascii_or_utf16_without_a_byte_order_mark_reads_as_utf8() {
        for label in ["US-ASCII", "utf-16", "UTF-8"] {
            let xml = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><a>é</a>");
            assert_eq!(decode("f", xml.as_bytes()).unwrap(), xml);
        }
    }
}
