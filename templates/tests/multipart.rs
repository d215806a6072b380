//! `multipart/form-data` bodies: parts by OpenAPI's defaults, file parts, declared content
//! types, and names that cannot break out of their header.

mod support;

use codegen_runtime::*;
use support::{header, FakeTransport};

/// A form as generated code writes one: a text field, a number, an object, a list, a file.
struct Upload {
    note: Option<String>,
    count: Option<i32>,
    tags: Option<Vec<String>>,
    meta: Option<serde_json::Value>,
    file: Option<FilePart>,
}

impl MultipartForm for Upload {
    fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error> {
        if let Some(v) = &self.note {
            form.value("note", v)?;
        }
        if let Some(v) = &self.count {
            form.value("count", v)?;
        }
        if let Some(v) = &self.tags {
            form.value("tags", v)?;
        }
        if let Some(v) = &self.meta {
            form.value("meta", &Serde(v.clone()))?;
        }
        if let Some(v) = &self.file {
            form.file("file", v);
        }
        Ok(())
    }
}

fn sent(form: &Upload, declared: &[(&str, &str)]) -> (String, String) {
    let transport = FakeTransport::new();
    let request: Request<(), Empty> =
        Request::new(transport.client(), Method::Post, "/upload").multipart_body(form, declared);
    let http = request.to_http();
    let content_type = header(&http, "content-type").expect("a content type").to_owned();
    (content_type, String::from_utf8(http.body.expect("a body")).expect("text parts"))
}

fn boundary(content_type: &str) -> &str {
    content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart content type")
}

#[test]
fn each_field_is_a_part_by_openapi_defaults_and_files_are_sent_raw() {
    let form = Upload {
        note: Some("hello".into()),
        count: Some(3),
        tags: Some(vec!["a".into(), "b".into()]),
        meta: Some(serde_json::json!({"k": 1})),
        file: Some(FilePart::new(b"\x00\x01raw".to_vec()).file_name("x.bin")),
    };
    let (content_type, body) = sent(&form, &[]);
    let b = boundary(&content_type);
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\nContent-Type: text/plain\r\n\r\n3\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\na\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nb\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01raw\r\n\
         --{b}--\r\n"
    );
    assert_eq!(body, expected);
}

#[test]
fn absent_fields_send_no_part() {
    let form = Upload { note: None, count: None, tags: None, meta: None, file: None };
    let (content_type, body) = sent(&form, &[]);
    assert_eq!(body, format!("--{}--\r\n", boundary(&content_type)));
}

#[test]
fn declared_content_types_apply_where_the_part_states_none() {
    let with_own = Upload {
        note: None,
        count: None,
        tags: None,
        meta: None,
        file: Some(FilePart::new(b"GIF".to_vec()).content_type("image/gif")),
    };
    let (_, body) = sent(&with_own, &[("file", "image/png"), ("meta", "application/x-meta")]);
    assert!(body.contains("filename=\"file\"\r\nContent-Type: image/gif\r\n"), "{body}");
    let without = Upload { file: Some(FilePart::new(b"PNG".to_vec())), ..with_own };
    let (_, body) = sent(&without, &[("file", "image/png")]);
    assert!(body.contains("Content-Type: image/png\r\n\r\nPNG"), "{body}");
}

#[test]
fn the_boundary_never_occurs_in_a_part_and_is_the_same_for_the_same_form() {
    let form = |bytes: Vec<u8>| Upload {
        note: None,
        count: None,
        tags: None,
        meta: None,
        file: Some(FilePart::new(bytes)),
    };
    let (first, _) = sent(&form(b"abc".to_vec()), &[]);
    let (again, _) = sent(&form(b"abc".to_vec()), &[]);
    assert_eq!(first, again);
    // A file that holds the boundary the first form got gets another.
    let hostile = format!("--{}--", boundary(&first)).into_bytes();
    let (other, body) = sent(&form(hostile.clone()), &[]);
    assert_ne!(boundary(&other), boundary(&first));
    assert_eq!(body.matches(boundary(&other)).count(), 2, "{body}");
}

#[test]
fn names_and_file_names_cannot_end_their_parameter_or_header() {
    struct Hostile;
    impl MultipartForm for Hostile {
        fn write_parts(&self, form: &mut Multipart) -> Result<(), serde_json::Error> {
            form.value("a\"; x=\"y\r\nX-Evil: 1", "v")?;
            form.value("back\\", "v")?;
            form.file(
                "f",
                &FilePart::new(b"1".to_vec()).file_name("n\".txt\r\n").content_type("text/x\r\nX-Evil: 2"),
            );
            Ok(())
        }
    }
    let transport = FakeTransport::new();
    let request: Request<(), Empty> =
        Request::new(transport.client(), Method::Post, "/upload").multipart_body(&Hostile, &[]);
    let body = String::from_utf8(request.to_http().body.unwrap()).unwrap();
    assert!(body.contains("name=\"a%22; x=%22y%0D%0AX-Evil: 1\""), "{body}");
    assert!(body.contains("filename=\"n%22.txt%0D%0A\""), "{body}");
    assert!(body.contains("name=\"back%5C\""), "a backslash cannot escape the closing quote: {body}");
    assert!(body.contains("Content-Type: text/xX-Evil: 2\r\n"), "{body}");
    assert!(!body.contains("\r\nX-Evil"), "{body}");
}
