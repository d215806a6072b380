//! The JSON entry points requests read and write bodies through.

mod support;

use codegen_runtime::*;
use serde_json::json;
use support::Thing;

fn text(value: &(impl ToJson + ?Sized)) -> String {
    String::from_utf8(value.to_json().unwrap()).unwrap()
}

#[test]
fn collections_options_and_references_write_the_json_of_their_items() {
    assert_eq!(text(&["a", "b"]), r#"["a","b"]"#);
    assert_eq!(text(&vec![1i32, 2]), "[1,2]");
    assert_eq!(text(&Vec::<i32>::new()), "[]");
    assert_eq!(text(&Some(true)), "true");
    assert_eq!(text(&None::<bool>), "null");
    assert_eq!(text("quote \" here"), r#""quote \" here""#);
    let things = [Thing { id: Some("t1".into()), ..Thing::default() }];
    assert_eq!(text(&things[..]), r#"[{"id":"t1"}]"#);
}

#[test]
fn maps_write_a_json_object_in_key_order() {
    let map: std::collections::BTreeMap<String, i32> = [("b".to_owned(), 2), ("a\"".to_owned(), 1)].into();
    assert_eq!(text(&map), r#"{"a\"":1,"b":2}"#);
    assert_eq!(text(&std::collections::BTreeMap::<String, bool>::new()), "{}");
}

#[test]
fn a_page_reads_through_its_items_entry_point_and_writes_back_the_same_json() {
    let body = json!({
        "@odata.context": "https://example.test/$metadata#things",
        "value": [{"id": "a"}, {"id": "b", "size": "wide"}],
        "@odata.nextLink": "https://example.test/things?$skip=2",
        "@odata.count": 5,
    });
    let page = Page::<Thing>::from_json(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.count, Some(5));
    assert_eq!(page.value[1].extra.get("size"), Some(&json!("wide")), "kept as sent");
    let back: serde_json::Value = serde_json::from_slice(&page.to_json().unwrap()).unwrap();
    assert_eq!(back, body);
}

#[test]
fn arrays_and_pages_of_primitives_read() {
    assert_eq!(Vec::<String>::from_json(br#"["x","y"]"#).unwrap(), vec!["x", "y"]);
    assert_eq!(Vec::<Vec<i64>>::from_json(b"[[1],[2,3]]").unwrap(), vec![vec![1], vec![2, 3]]);
    let page = Page::<i32>::from_json(br#"{"value":[1,2]}"#).unwrap();
    assert_eq!(page.value, vec![1, 2]);
    assert!(Vec::<i32>::from_json(b"[1,").is_err());
}

#[test]
fn serde_types_of_your_own_go_through_the_serde_wrapper() {
    #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
    struct Mine {
        n: u32,
    }
    let Serde(mine) = Serde::<Mine>::from_json(br#"{"n":3}"#).unwrap();
    assert_eq!(mine, Mine { n: 3 });
    assert_eq!(text(&Serde(&mine)), r#"{"n":3}"#);
    let page = Page::<Serde<Mine>>::from_json(br#"{"value":[{"n":1}]}"#).unwrap();
    assert_eq!(page.value, vec![Serde(Mine { n: 1 })]);
}

#[test]
fn an_action_body_lists_its_parameters_in_the_order_given() {
    let transport = support::FakeTransport::new();
    let request = transport.client().__action::<(), Empty>(
        "act",
        ActionBody::new().param("zeta", &1).param("alpha", &["a"]).optional("none", &None::<i32>),
    );
    let body = String::from_utf8(request.to_http().body.unwrap()).unwrap();
    assert_eq!(body, r#"{"zeta":1,"alpha":["a"]}"#);
}
