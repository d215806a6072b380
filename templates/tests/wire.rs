//! The readers and writers of the models (`Structure`, `Wire`, `Polymorphic`), the text
//! primitives and the flags helpers, on hand-written types shaped like generated ones.

mod support;

use codegen_runtime::*;
use serde_json::{json, Value};
use support::{Dimensions, Thing};

fn read<T: Wire>(json: &str) -> Lenient<T> {
    let mut sink = WireSink::<T>::new();
    read_json(json.as_bytes(), &mut sink).unwrap();
    sink.into_lenient().unwrap()
}

fn parse(text: &str) -> Thing {
    serde_json::from_str(text).unwrap()
}

// ---------------------------------------------------------------------------------------
// Structures
// ---------------------------------------------------------------------------------------

/// A document already in the order the writer uses (`@odata.type`, instance annotations,
/// declared properties in declaration order, then the rest sorted by name).
const CANONICAL: &str = concat!(
    r##"{"@odata.type":"#test.thing","@odata.etag":"W/\"42\"","##,
    r#""id":"t-1","name":"Widget","size":3,"tags":["a","b"],"created":"2024-02-29","#,
    r#""price":12.5,"dimensions":{"width":2.5,"unit":"cm","unit@test.note":"metric"},"#,
    r#""colour":"red","size@test.source":"estimate"}"#
);

#[test]
fn structure_round_trips_byte_for_byte() {
    let thing = parse(CANONICAL);
    assert_eq!(serde_json::to_string(&thing).unwrap(), CANONICAL);
}

#[test]
fn declared_properties_are_read_into_their_fields() {
    let thing = parse(CANONICAL);
    assert_eq!(thing.odata_type.as_deref(), Some("#test.thing"));
    assert_eq!(thing.id.as_deref(), Some("t-1"));
    assert_eq!(thing.name.as_deref(), Some("Widget"));
    assert_eq!(thing.size, Some(3));
    assert_eq!(thing.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(thing.created, Some(Date::new("2024-02-29")));
    assert_eq!(thing.price, Some(Decimal::new("12.5")));
    let dimensions = thing.dimensions.as_ref().unwrap();
    assert_eq!(dimensions.width, Some(2.5));
    assert_eq!(dimensions.unit.as_deref(), Some("cm"));
    assert_eq!(dimensions.extra.get("unit@test.note"), Some(&json!("metric")));
}

#[test]
fn unknown_properties_and_instance_annotations_are_kept_in_extra() {
    let thing = parse(CANONICAL);
    let keys: Vec<&str> = thing.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["@odata.etag", "colour", "size@test.source"]);
    assert_eq!(thing.extra["@odata.etag"], json!("W/\"42\""));
    assert_eq!(thing.extra["colour"], json!("red"));
    // `@odata.type` goes to its own field, not to `extra`.
    assert!(!thing.extra.contains_key("@odata.type"));
}

#[test]
fn value_of_the_wrong_shape_is_kept_in_extra_with_the_field_none() {
    let input = json!({
        "id": "t-2",
        "size": "big",
        "tags": ["a", 1, "c"],
        "created": 20240229,
        "price": true,
        "dimensions": "wide",
    });
    let thing: Thing = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(thing.id.as_deref(), Some("t-2"));
    assert_eq!((thing.size, &thing.tags, &thing.created), (None, &None, &None));
    assert_eq!((&thing.price, &thing.dimensions), (&None, &None));
    assert_eq!(thing.extra["size"], json!("big"));
    assert_eq!(thing.extra["tags"], json!(["a", 1, "c"]));
    assert_eq!(thing.extra["created"], json!(20240229));
    assert_eq!(thing.extra["price"], json!(true));
    assert_eq!(thing.extra["dimensions"], json!("wide"));
    // Written back as it was sent.
    assert_eq!(serde_json::to_value(&thing).unwrap(), input);
}

#[test]
fn wrong_shape_does_not_fail_the_document_from_bytes_either() {
    let thing: Thing = serde_json::from_slice(br#"{"size":1.5,"name":{"first":"x"}}"#).unwrap();
    assert_eq!((thing.size, thing.name.as_deref()), (None, None));
    assert_eq!(thing.extra["size"], json!(1.5));
    assert_eq!(thing.extra["name"], json!({"first": "x"}));
}

#[test]
fn explicit_null_is_kept_distinct_from_absent() {
    let with_null = parse(r#"{"id":"t-3","name":null}"#);
    let absent = parse(r#"{"id":"t-3"}"#);
    assert_eq!(with_null.name, None);
    assert_eq!(absent.name, None);
    assert_eq!(with_null.extra.get("name"), Some(&Value::Null));
    assert_eq!(absent.extra.get("name"), None);
    assert_ne!(with_null, absent);
    assert_eq!(serde_json::to_string(&with_null).unwrap(), r#"{"id":"t-3","name":null}"#);
    assert_eq!(serde_json::to_string(&absent).unwrap(), r#"{"id":"t-3"}"#);
}

#[test]
fn null_inside_a_nested_structure_is_kept_there() {
    let thing = parse(r#"{"dimensions":{"width":null,"unit":"cm"}}"#);
    let dimensions = thing.dimensions.as_ref().unwrap();
    assert_eq!(dimensions.width, None);
    assert_eq!(dimensions.extra.get("width"), Some(&Value::Null));
    assert!(thing.extra.is_empty());
    assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"dimensions":{"width":null,"unit":"cm"}}"#);
}

#[test]
fn a_field_set_after_reading_replaces_the_raw_value_once() {
    let mut thing = parse(r#"{"size":"big","name":null}"#);
    thing.size = Some(7);
    thing.name = Some("renamed".to_owned());
    let text = serde_json::to_string(&thing).unwrap();
    assert_eq!(text, r#"{"name":"renamed","size":7}"#);
}

#[test]
fn properties_are_found_in_any_order() {
    let thing =
        parse(r#"{"dimensions":{"unit":"m","width":1},"tags":[],"size":-4,"name":"n","id":"i","zzz":0}"#);
    assert_eq!(thing.id.as_deref(), Some("i"));
    assert_eq!(thing.name.as_deref(), Some("n"));
    assert_eq!(thing.size, Some(-4));
    assert_eq!(thing.tags, Some(vec![]));
    let dimensions = thing.dimensions.unwrap();
    assert_eq!((dimensions.width, dimensions.unit.as_deref()), (Some(1.0), Some("m")));
    assert_eq!(thing.extra.keys().collect::<Vec<_>>(), ["zzz"]);
}

#[test]
fn a_later_duplicate_of_a_property_wins_and_clears_the_raw_value() {
    let thing = parse(r#"{"size":"big","size":5}"#);
    assert_eq!(thing.size, Some(5));
    assert!(thing.extra.is_empty(), "{:?}", thing.extra);
    let thing = parse(r#"{"size":5,"size":"big"}"#);
    assert_eq!(thing.size, None);
    assert_eq!(thing.extra["size"], json!("big"));
}

#[test]
fn a_non_string_odata_type_is_kept_in_extra_and_written_back() {
    let thing = parse(r#"{"@odata.type":5,"id":"x"}"#);
    assert_eq!(thing.odata_type, None);
    assert_eq!(thing.extra["@odata.type"], json!(5));
    assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"@odata.type":5,"id":"x"}"#);
}

#[test]
fn write_structure_names_the_type_when_asked_and_keeps_a_read_type() {
    fn write(thing: &Thing, name_type: bool) -> String {
        let mut out = Vec::new();
        write_structure(thing, &mut serde_json::Serializer::new(&mut out), name_type).unwrap();
        String::from_utf8(out).unwrap()
    }
    let plain = Thing { id: Some("a".to_owned()), ..Thing::default() };
    assert_eq!(write(&plain, false), r#"{"id":"a"}"#);
    assert_eq!(write(&plain, true), r##"{"@odata.type":"#test.thing","id":"a"}"##);
    let typed = Thing { odata_type: Some("#other.name".to_owned()), ..plain.clone() };
    assert_eq!(write(&typed, true), r##"{"@odata.type":"#other.name","id":"a"}"##);
    // A raw (non-string) `@odata.type` is not written next to the named one.
    let raw = parse(r#"{"@odata.type":5,"id":"a"}"#);
    assert_eq!(write(&raw, true), r##"{"@odata.type":"#test.thing","id":"a"}"##);
}

#[test]
fn a_default_structure_writes_an_empty_object() {
    assert_eq!(serde_json::to_string(&Thing::default()).unwrap(), "{}");
    assert_eq!(parse("{}"), Thing::default());
}

#[test]
fn a_structure_document_that_is_not_an_object_is_an_error() {
    let error = serde_json::from_str::<Thing>("[1,2]").unwrap_err();
    assert!(error.to_string().contains("test.thing"), "{error}");
    assert!(serde_json::from_str::<Thing>("\"x\"").is_err());
}

#[test]
fn round_trip_through_value_equals_the_input() {
    let input = json!({
        "@odata.etag": "W/\"1\"",
        "@odata.context": "https://example.test/svc/$metadata#things/$entity",
        "id": "t-9",
        "name@odata.type": "#String",
        "name": "é ü 漢字 \u{1F600}",
        "price": "0.10",
        "created": "not a date",
        "unknownObject": {"nested": [1, {"deep": null}]},
    });
    let thing: Thing = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(thing.created, Some(Date::new("not a date")));
    assert_eq!(serde_json::to_value(&thing).unwrap(), input);
}

// ---------------------------------------------------------------------------------------
// `Wire` on its own
// ---------------------------------------------------------------------------------------

#[test]
fn integers_that_do_not_fit_are_kept_raw() {
    assert_eq!(read::<i32>("7"), Lenient::Typed(7));
    assert_eq!(read::<i32>("-7"), Lenient::Typed(-7));
    assert_eq!(read::<i32>("3000000000"), Lenient::Raw(json!(3_000_000_000u64)));
    assert_eq!(read::<u8>("-1"), Lenient::Raw(json!(-1)));
    assert_eq!(read::<i64>("18446744073709551615"), Lenient::Raw(json!(u64::MAX)));
    assert_eq!(read::<i32>("1.0"), Lenient::Raw(json!(1.0)));
    assert_eq!(read::<i32>("\"7\""), Lenient::Raw(json!("7")));
}

#[test]
fn floats_keep_only_exact_values() {
    assert_eq!(read::<f64>("9007199254740992"), Lenient::Typed(9_007_199_254_740_992.0));
    assert_eq!(read::<f64>("9007199254740993"), Lenient::Raw(json!(9_007_199_254_740_993u64)));
    assert_eq!(read::<f32>("0.1"), Lenient::Typed(0.1f32));
    assert_eq!(read::<f32>("0.123456789"), Lenient::Raw(json!(0.123456789)));
    assert_eq!(read::<f32>("16777217"), Lenient::Raw(json!(16_777_217)));
}

#[test]
fn null_is_always_raw() {
    assert_eq!(read::<String>("null"), Lenient::Raw(Value::Null));
    assert_eq!(read::<Value>("null"), Lenient::Raw(Value::Null));
    assert_eq!(read::<Thing>("null"), Lenient::Raw(Value::Null));
}

#[test]
fn a_collection_with_one_item_of_the_wrong_shape_is_kept_whole() {
    assert_eq!(read::<Vec<i32>>("[1,2,3]"), Lenient::Typed(vec![1, 2, 3]));
    assert_eq!(read::<Vec<i32>>(r#"[1,"two",3]"#), Lenient::Raw(json!([1, "two", 3])));
    assert_eq!(read::<Vec<f32>>("[0.1,null]"), Lenient::Raw(json!([0.1, null])));
    // The items read before the bad one are written back as sent (no f32 widening).
    let Lenient::Raw(raw) = read::<Vec<f32>>("[0.1,null]") else { panic!() };
    assert_eq!(serde_json::to_string(&raw).unwrap(), "[0.1,null]");
    assert_eq!(read::<Vec<i32>>("{}"), Lenient::Raw(json!({})));
}

#[test]
fn a_structure_read_through_wire_is_typed() {
    match read::<Dimensions>(r#"{"width":3,"extra":true}"#) {
        Lenient::Typed(d) => {
            assert_eq!(d.width, Some(3.0));
            assert_eq!(d.extra["extra"], json!(true));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(read::<Dimensions>("[1]"), Lenient::Raw(json!([1])));
}

// ---------------------------------------------------------------------------------------
// Text primitives
// ---------------------------------------------------------------------------------------

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(json: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<T>(json).unwrap()).unwrap()
}

#[test]
fn text_primitives_round_trip_byte_for_byte() {
    for json in [r#""2024-02-29""#, r#""0001-01-01""#, r#""not a date""#] {
        assert_eq!(round_trip::<Date>(json), json);
    }
    for json in [r#""01234567-89AB-cdef-0123-456789ABCDEF""#, r#""{braces}""#] {
        assert_eq!(round_trip::<Guid>(json), json);
    }
    for json in [r#""2024-05-01T08:30:00.1234567+02:00""#, r#""2024-05-01T08:30:00Z""#] {
        assert_eq!(round_trip::<DateTimeOffset>(json), json);
    }
    assert_eq!(round_trip::<TimeOfDay>(r#""23:59:59.9999999""#), r#""23:59:59.9999999""#);
    for json in [r#""SGVsbG8=""#, r#""SGVsbG8""#, r#""-_8=""#, r#""+/8=""#] {
        assert_eq!(round_trip::<Binary>(json), json);
    }
    for json in [r#""PT1H30M""#, r#""P2DT4.5S""#, r#""-PT1S""#, r#""P1Y""#] {
        assert_eq!(round_trip::<Duration>(json), json);
    }
    // Escapes survive too.
    assert_eq!(round_trip::<Date>(r#""a\"b\\c\u00e9""#), r#""a\"b\\cé""#);
}

#[test]
fn text_primitives_read_through_wire_accept_only_strings() {
    assert_eq!(read::<Guid>(r#""abc""#), Lenient::Typed(Guid::new("abc")));
    assert_eq!(read::<Date>("20240229"), Lenient::Raw(json!(20240229)));
    assert_eq!(read::<Binary>("[1,2]"), Lenient::Raw(json!([1, 2])));
}

#[test]
fn decimal_keeps_its_text_and_whether_it_was_quoted() {
    let quoted: Decimal = serde_json::from_str(r#""0.10""#).unwrap();
    assert_eq!((quoted.as_str(), quoted.is_quoted()), ("0.10", true));
    assert_eq!(serde_json::to_string(&quoted).unwrap(), r#""0.10""#);

    let big: Decimal = serde_json::from_str(r#""123456789012345678901234567890.123456789""#).unwrap();
    assert_eq!(serde_json::to_string(&big).unwrap(), r#""123456789012345678901234567890.123456789""#);

    for json in ["12.5", "-3", "0", "18446744073709551615", "-9223372036854775808", "0.1"] {
        let number: Decimal = serde_json::from_str(json).unwrap();
        assert!(!number.is_quoted(), "{json}");
        assert_eq!(number.as_str(), json);
        assert_eq!(serde_json::to_string(&number).unwrap(), json);
    }
    assert_eq!(Decimal::from("2.5").to_f64(), Some(2.5));
}

#[cfg(not(feature = "arbitrary-precision"))]
#[test]
fn decimal_numbers_keep_the_digits_of_the_nearest_f64_without_arbitrary_precision() {
    let number: Decimal = serde_json::from_str("2.50").unwrap();
    assert_eq!(number.as_str(), "2.5");
    assert_eq!(serde_json::to_string(&number).unwrap(), "2.5");
}

#[cfg(feature = "arbitrary-precision")]
#[test]
fn decimal_numbers_keep_every_digit_with_arbitrary_precision() {
    let number: Decimal = serde_json::from_str("2.50").unwrap();
    assert_eq!(number.as_str(), "2.50");
    assert_eq!(serde_json::to_string(&number).unwrap(), "2.50");
}

#[test]
fn decimal_is_written_as_a_string_when_quoted_or_not_a_number() {
    assert_eq!(serde_json::to_string(&Decimal::new("1.25")).unwrap(), "1.25");
    assert_eq!(serde_json::to_string(&Decimal::quoted("1.25")).unwrap(), r#""1.25""#);
    assert_eq!(serde_json::to_string(&Decimal::new("NaN")).unwrap(), r#""NaN""#);
    assert_eq!(Decimal::new("NaN").to_string(), "NaN");
}

#[test]
fn decimal_rejects_values_that_are_neither_numbers_nor_strings() {
    for json in ["true", "null", "[1]", r#"{"a":1}"#] {
        assert!(serde_json::from_str::<Decimal>(json).is_err(), "{json}");
    }
    // Inside a structure the same value is kept raw instead.
    let thing = parse(r#"{"price":[1]}"#);
    assert_eq!((thing.price, &thing.extra["price"]), (None, &json!([1])));
}

#[test]
fn binary_encodes_with_padding_and_decodes_both_alphabets() {
    assert_eq!(Binary::encode(b"").as_str(), "");
    assert_eq!(Binary::encode(b"f").as_str(), "Zg==");
    assert_eq!(Binary::encode(b"fo").as_str(), "Zm8=");
    assert_eq!(Binary::encode(b"foo").as_str(), "Zm9v");
    assert_eq!(Binary::encode(&[0xfb, 0xff]).as_str(), "+/8=");
    assert_eq!(Binary::new("+/8=").decode(), Some(vec![0xfb, 0xff]));
    assert_eq!(Binary::new("-_8").decode(), Some(vec![0xfb, 0xff]));
    assert_eq!(Binary::new("Zm9vYmFy").decode(), Some(b"foobar".to_vec()));
    assert_eq!(Binary::new("not base64!").decode(), None);
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(Binary::encode(&all).decode(), Some(all));
}

#[test]
fn duration_converts_to_and_from_std() {
    use std::time::Duration as Std;
    assert_eq!(Duration::new("PT1H30M").to_std(), Some(Std::from_secs(5400)));
    assert_eq!(Duration::new("P2DT4.5S").to_std(), Some(Std::from_millis(2 * 86_400_000 + 4_500)));
    assert_eq!(Duration::new("P1D").to_std(), Some(Std::from_secs(86_400)));
    assert_eq!(Duration::new("-PT1S").to_std(), None);
    assert_eq!(Duration::new("P1Y").to_std(), None);
    assert_eq!(Duration::new("PT5").to_std(), None);
    assert_eq!(Duration::new("1 hour").to_std(), None);
    assert_eq!(Duration::from_std(Std::from_secs(90)).as_str(), "PT90S");
    assert_eq!(Duration::from_std(Std::from_millis(1_500)).as_str(), "PT1.5S");
    assert_eq!(Duration::from_std(Std::from_nanos(1)).as_str(), "PT0.000000001S");
    assert_eq!(Duration::from_std(Std::from_millis(1_500)).to_std(), Some(Std::from_millis(1_500)));
}

#[test]
fn duration_to_std_of_an_out_of_range_duration_is_none() {
    let result = std::panic::catch_unwind(|| Duration::new("P1000000000000000D").to_std());
    assert!(matches!(result, Ok(None)), "to_std panicked instead of returning None");
}

#[test]
fn duration_to_std_of_a_duration_without_components_is_none() {
    for text in ["P", "PT", "P1DT"] {
        assert_eq!(Duration::new(text).to_std(), None, "{text}");
    }
}

#[test]
fn binary_decode_of_a_truncated_quantum_is_none() {
    for text in ["Q", "Zm9vQ", "Zm9vQ==="] {
        assert_eq!(Binary::new(text).decode(), None, "{text}");
    }
}

// ---------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------

/// A flags enumeration with a zero member and members combining others.
#[derive(Clone, Debug, Default, PartialEq)]
struct Access {
    bits: u64,
    unrecognized: Vec<String>,
}

impl Flags for Access {
    const MEMBERS: &'static [(&'static str, u64)] =
        &[("None", 0), ("Read", 1), ("Write", 2), ("Execute", 4), ("ReadWrite", 3), ("All", 7)];
    fn from_parts(bits: u64, unrecognized: Vec<String>) -> Self {
        Access { bits, unrecognized }
    }
    fn parts(&self) -> (u64, &[String]) {
        (self.bits, &self.unrecognized)
    }
}

/// A flags enumeration without a zero member.
#[derive(Debug)]
struct Colours(u64, Vec<String>);

impl Flags for Colours {
    const MEMBERS: &'static [(&'static str, u64)] = &[("Red", 1), ("Green", 2)];
    fn from_parts(bits: u64, unrecognized: Vec<String>) -> Self {
        Colours(bits, unrecognized)
    }
    fn parts(&self) -> (u64, &[String]) {
        (self.0, &self.1)
    }
}

fn access(bits: u64, unrecognized: &[&str]) -> Access {
    Access { bits, unrecognized: unrecognized.iter().map(|s| s.to_string()).collect() }
}

#[test]
fn flags_parse_trims_names_and_keeps_unknown_members() {
    assert_eq!(flags_parse::<Access>("Read, Write"), access(3, &[]));
    assert_eq!(flags_parse::<Access>(" Execute ,Delete,, Share "), access(4, &["Delete", "Share"]));
    assert_eq!(flags_parse::<Access>(""), access(0, &[]));
    assert_eq!(flags_parse::<Access>("None"), access(0, &[]));
    // Names are case-sensitive: `read` is not `Read`.
    assert_eq!(flags_parse::<Access>("read"), access(0, &["read"]));
}

#[test]
fn flags_format_prefers_wider_members_in_declaration_order() {
    assert_eq!(flags_format(&access(1, &[])), "Read");
    assert_eq!(flags_format(&access(3, &[])), "ReadWrite");
    assert_eq!(flags_format(&access(5, &[])), "Read,Execute");
    assert_eq!(flags_format(&access(6, &[])), "Write,Execute");
    assert_eq!(flags_format(&access(7, &[])), "All");
    assert_eq!(flags_format(&access(0, &[])), "None");
    assert_eq!(flags_format(&Colours(0, vec![])), "");
    assert_eq!(flags_format(&Colours(3, vec![])), "Red,Green");
}

#[test]
fn flags_format_writes_unknown_members_after_known_ones() {
    assert_eq!(flags_format(&access(2, &["Delete"])), "Write,Delete");
    // An empty known set with unknown names is just those names (not `None,...`).
    assert_eq!(flags_format(&access(0, &["Delete"])), "Delete");
    let parsed = flags_parse::<Access>("Mystery, Write,Read");
    assert_eq!(flags_format(&parsed), "ReadWrite,Mystery");
}

#[test]
fn flags_union_combines_bits_and_keeps_unknown_members_once() {
    let union = flags_union(access(1, &["Delete", "Share"]), access(4, &["Share", "Archive"]));
    assert_eq!(union, access(5, &["Delete", "Share", "Archive"]));
    assert_eq!(flags_format(&union), "Read,Execute,Delete,Share,Archive");
    assert_eq!(flags_union(access(3, &[]), access(4, &[])), access(7, &[]));
}

// ---------------------------------------------------------------------------------------
// Polymorphic
// ---------------------------------------------------------------------------------------

structure! {
    /// `test.shape`, the base type.
    Shape = "test.shape",
    sorted &[0],
    {
        name: String = "name",
    }
}

structure! {
    /// `test.circle`, derived from `test.shape`.
    Circle = "test.circle",
    sorted &[0, 1],
    {
        name: String = "name",
        radius: f64 = "radius",
    }
}

#[derive(Clone, Debug, PartialEq)]
enum AnyShape {
    Shape(Box<Shape>),
    Circle(Box<Circle>),
    Unrecognized(Box<Shape>),
}

impl Polymorphic for AnyShape {
    const TYPES: &'static [(&'static str, u16)] =
        &[("alias.circle", 1), ("alias.shape", 0), ("test.circle", 1), ("test.shape", 0)];
    fn read_variant(
        index: Option<u16>,
        odata_type: Option<String>,
        map: &mut dyn MapSource,
    ) -> Result<Self, ReadError> {
        Ok(match index {
            Some(0) => AnyShape::Shape(Box::new(read_typed(odata_type, map)?)),
            Some(1) => AnyShape::Circle(Box::new(read_typed(odata_type, map)?)),
            _ => AnyShape::Unrecognized(Box::new(read_typed(odata_type, map)?)),
        })
    }
}

impl<'de> serde::Deserialize<'de> for AnyShape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_wire(deserializer)
    }
}

impl serde::Serialize for AnyShape {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnyShape::Shape(v) => write_structure(&**v, serializer, false),
            AnyShape::Circle(v) => write_structure(&**v, serializer, true),
            AnyShape::Unrecognized(v) => write_structure(&**v, serializer, false),
        }
    }
}

impl ToJson for AnyShape {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, self)
    }
}

impl Wire for AnyShape {
    fn from_scalar(value: Scalar<'_>) -> Lenient<Self> {
        Lenient::Raw(value.into_value())
    }
    fn from_map(map: &mut dyn MapSource) -> Result<Lenient<Self>, ReadError> {
        read_polymorphic(map)
    }
}

fn shape(json: &str) -> AnyShape {
    serde_json::from_str(json).unwrap()
}

#[test]
fn polymorphic_dispatches_on_a_leading_odata_type() {
    let AnyShape::Circle(circle) = shape(r##"{"@odata.type":"#test.circle","name":"c","radius":2}"##) else {
        panic!("not a circle");
    };
    assert_eq!(circle.odata_type.as_deref(), Some("#test.circle"));
    assert_eq!((circle.name.as_deref(), circle.radius), (Some("c"), Some(2.0)));
    assert!(circle.extra.is_empty());
}

#[test]
fn polymorphic_dispatches_on_a_later_odata_type_and_keeps_it() {
    let value = shape(r##"{"name":"c","radius":2,"@odata.type":"#test.circle","more":1}"##);
    let AnyShape::Circle(circle) = &value else { panic!("{value:?}") };
    assert_eq!(circle.odata_type.as_deref(), Some("#test.circle"));
    assert_eq!(circle.radius, Some(2.0));
    assert_eq!(circle.extra.keys().collect::<Vec<_>>(), ["more"]);
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r##"{"@odata.type":"#test.circle","name":"c","radius":2.0,"more":1}"##
    );
}

#[test]
fn polymorphic_matches_names_with_or_without_hash_alias_and_case() {
    for name in ["test.circle", "#test.circle", "#alias.circle", "#Test.CIRCLE"] {
        let json = format!(r#"{{"@odata.type":"{name}","radius":1}}"#);
        assert!(matches!(shape(&json), AnyShape::Circle(_)), "{name}");
    }
}

#[test]
fn polymorphic_without_odata_type_is_the_base_type() {
    assert_eq!(
        shape(r#"{"name":"s","radius":3}"#),
        AnyShape::Shape(Box::new(Shape {
            name: Some("s".to_owned()),
            extra: [("radius".to_owned(), json!(3))].into_iter().collect(),
            ..Shape::default()
        }))
    );
    assert_eq!(shape("{}"), AnyShape::Shape(Box::default()));
}

#[test]
fn polymorphic_unknown_type_keeps_all_its_data() {
    let text = r##"{"@odata.type":"#test.square","name":"q","side":4}"##;
    let value = shape(text);
    let AnyShape::Unrecognized(unknown) = &value else { panic!("{value:?}") };
    assert_eq!(unknown.odata_type.as_deref(), Some("#test.square"));
    assert_eq!(unknown.name.as_deref(), Some("q"));
    assert_eq!(unknown.extra["side"], json!(4));
    assert_eq!(serde_json::to_string(&value).unwrap(), text);
}

#[test]
fn polymorphic_derived_value_written_alone_names_its_type() {
    let circle = AnyShape::Circle(Box::new(Circle { radius: Some(1.5), ..Circle::default() }));
    assert_eq!(serde_json::to_string(&circle).unwrap(), r##"{"@odata.type":"#test.circle","radius":1.5}"##);
}

#[test]
fn polymorphic_values_inside_collections_are_read_leniently() {
    let shapes: Vec<AnyShape> =
        serde_json::from_str(r##"[{"@odata.type":"#test.circle","radius":1},{"name":"plain"}]"##).unwrap();
    assert!(matches!(&shapes[0], AnyShape::Circle(c) if c.radius == Some(1.0)));
    assert!(matches!(&shapes[1], AnyShape::Shape(s) if s.name.as_deref() == Some("plain")));
    assert_eq!(read::<Vec<AnyShape>>(r#"[{"name":"a"},7]"#), Lenient::Raw(json!([{"name": "a"}, 7])));
    assert!(serde_json::from_str::<AnyShape>("7").is_err());
}
