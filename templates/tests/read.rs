//! Reading through the object-safe interface (`read_with`, `Sink`, `MapSource`): the same
//! readers whatever the deserializer, the deserializer's own errors kept, strict errors
//! raised where the value is.

mod support;

use codegen_runtime::*;
use serde::Deserialize;
use serde_json::json;
use support::{Dimensions, Thing};

#[test]
fn a_syntax_error_keeps_the_deserializers_own_error_and_position() {
    let body = b"{\"id\": \"t1\",\n \"dimensions\": {\"width\": 2.5,, }}";
    let error = Thing::from_json(body).unwrap_err();
    assert!(error.is_syntax(), "{error}");
    assert_eq!((error.line(), error.column()), (2, 30), "{error}");
}

#[test]
fn a_value_of_the_wrong_shape_at_the_top_is_an_error_where_it_is() {
    let error = Thing::from_json(b"\n\n  [1, 2]").unwrap_err();
    assert!(error.to_string().contains("expected a JSON object holding a test.thing"), "{error}");
    assert_eq!(error.line(), 3, "{error}");
    let error = Vec::<Thing>::from_json(b"[{\"id\": \"a\"},\n 7]").unwrap_err();
    assert!(error.to_string().contains("invalid type: number `7`"), "{error}");
    assert_eq!(error.line(), 2, "{error}");
}

#[test]
fn the_serde_impls_read_through_the_same_readers_from_any_deserializer() {
    let value = json!({"id": "t1", "size": "wide", "dimensions": {"width": 2.5}});
    // serde_json::Value as the deserializer: another deserializer type than the parser's.
    let thing = Thing::deserialize(value.clone()).unwrap();
    assert_eq!(thing, Thing::from_json(&serde_json::to_vec(&value).unwrap()).unwrap());
    assert_eq!(thing.extra.get("size"), Some(&json!("wide")), "lenient within");
    assert_eq!(thing.dimensions.and_then(|d| d.width), Some(2.5));
    assert!(Dimensions::deserialize(json!("flat")).is_err(), "strict at the top");
}

#[test]
fn a_page_reads_its_annotations_and_skips_unknown_members() {
    let body = json!({
        "@odata.count": "12",
        "@odata.deltaLink": "https://example.test/things/delta?token=1",
        "@odata.unknown": {"nested": [1, 2]},
        "value": [{"id": "a"}],
    });
    let page = Page::<Thing>::from_json(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(page.count, Some(12), "a count as a string (IEEE754Compatible)");
    assert_eq!(page.delta_link.as_deref(), Some("https://example.test/things/delta?token=1"));
    assert_eq!(page.value.len(), 1);
    let error = Page::<Thing>::from_json(b"[]").unwrap_err();
    assert!(error.to_string().contains("a page"), "{error}");
    let error = Page::<Thing>::from_json(br#"{"@odata.count": "many", "value": []}"#).unwrap_err();
    assert!(error.to_string().contains("`@odata.count` is not an integer"), "{error}");
}

/// A sink of its own: counts what it is handed, to show the interface is usable directly.
#[derive(Default)]
struct Census {
    scalars: usize,
    objects: usize,
    arrays: usize,
}

impl Sink for Census {
    fn scalar(&mut self, _: Scalar<'_>) -> Result<(), ReadError> {
        self.scalars += 1;
        Ok(())
    }
    fn map(&mut self, map: &mut dyn MapSource) -> Result<(), ReadError> {
        self.objects += 1;
        let mut key = String::new();
        while map.next_key(&mut key)? {
            map.next_value(self)?;
        }
        Ok(())
    }
    fn seq(&mut self, seq: &mut dyn SeqSource) -> Result<(), ReadError> {
        self.arrays += 1;
        while seq.next_item(self)? {}
        Ok(())
    }
}

#[test]
fn a_sink_sees_every_value_from_text_and_from_a_value_alike() {
    let value = json!({"a": [1, "x", null, {"b": true}], "c": 2.5});
    let mut from_text = Census::default();
    read_json(&serde_json::to_vec(&value).unwrap(), &mut from_text).unwrap();
    let mut from_value = Census::default();
    read_value(value, &mut from_value).unwrap();
    for census in [&from_text, &from_value] {
        assert_eq!((census.scalars, census.objects, census.arrays), (5, 2, 1));
    }
}

#[test]
fn a_sinks_own_error_reaches_the_caller_with_its_message() {
    struct Refuse;
    impl Sink for Refuse {
        fn scalar(&mut self, _: Scalar<'_>) -> Result<(), ReadError> {
            Err(ReadError::new("no scalars here"))
        }
        fn map(&mut self, _: &mut dyn MapSource) -> Result<(), ReadError> {
            Err(ReadError::new("no objects here"))
        }
        fn seq(&mut self, _: &mut dyn SeqSource) -> Result<(), ReadError> {
            Err(ReadError::new("no arrays here"))
        }
    }
    let error = read_json(b"  true", &mut Refuse).unwrap_err();
    assert!(error.to_string().starts_with("no scalars here"), "{error}");
    assert_eq!(error.column(), 6, "{error}");
}
