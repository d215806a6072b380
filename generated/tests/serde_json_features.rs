//! The models with serde_json's optional features, which change how numbers reach a
//! deserializer (`arbitrary_precision`: as text, through `visit_map` or 128-bit integers) and
//! the order of `extra` maps (`preserve_order`). Run by `.ci/run` as
//! `cargo test -p graph-synchronization --features arbitrary-precision,preserve-order`.
#![cfg(all(feature = "arbitrary-precision", feature = "preserve-order"))]

use graph_synchronization::runtime::Decimal;
use graph_synchronization::{AnyDirectoryObject, SynchronizationJob, SynchronizationStatus};
use serde_json::Value;

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn decimal_numbers_keep_every_digit() {
    for text in ["123456789012345678901234567.891", "123456789012345678901234567890"] {
        let decimal: Decimal = serde_json::from_str(text).unwrap();
        assert_eq!(decimal.as_str(), text);
        assert!(!decimal.is_quoted());
        assert_eq!(serde_json::to_string(&decimal).unwrap(), text);
        // Through a `Value` too (128-bit integers reach the visitor as such).
        let decimal: Decimal = serde_json::from_value(value(text)).unwrap();
        assert_eq!(decimal.as_str(), text);
    }
}

#[test]
fn models_read_and_write_numbers_as_without_the_features() {
    let text = r#"{"countSuccessiveCompleteFailures":9007199254740993,"escrowsPruned":true,"code":"Active"}"#;
    let status: SynchronizationStatus = serde_json::from_str(text).unwrap();
    assert_eq!(status.count_successive_complete_failures, Some(9_007_199_254_740_993));
    assert!(status.extra.is_empty(), "{:?}", status.extra);
    assert_eq!(value(&serde_json::to_string(&status).unwrap()), value(text));
}

#[test]
fn numbers_where_objects_belong_are_kept_as_numbers() {
    // A number in a complex-typed and in a polymorphic place, read as text by serde_json.
    let text = r#"{"id":"j1","schedule":1.5,"status":123456789012345678901234567890}"#;
    let job: SynchronizationJob = serde_json::from_str(text).unwrap();
    assert_eq!(job.schedule, None);
    assert_eq!(job.extra["schedule"].to_string(), "1.5");
    assert_eq!(serde_json::to_string(&job).unwrap(), text);
    let text = r##"{"@odata.type":"#microsoft.graph.servicePrincipal","id":"s1","extra":2.5}"##;
    let object: AnyDirectoryObject = serde_json::from_str(text).unwrap();
    assert!(matches!(object, AnyDirectoryObject::ServicePrincipal(_)));
    assert_eq!(serde_json::to_string(&object).unwrap(), text);
}

#[test]
fn integers_beyond_64_bits_are_kept_where_odata_type_comes_late() {
    let text = r##"{"id":"s1","countOfSomething":123456789012345678901234567890,"@odata.type":"#microsoft.graph.servicePrincipal"}"##;
    let object: AnyDirectoryObject = serde_json::from_str(text).unwrap();
    let AnyDirectoryObject::ServicePrincipal(sp) = &object else { panic!("{object:?}") };
    assert_eq!(sp.extra["countOfSomething"].to_string(), "123456789012345678901234567890");
}

#[test]
fn a_declared_property_is_written_once_whatever_the_order_of_extra() {
    // Undeclared properties out of sorted order, then a declared property read as null.
    let text = r#"{"zeta":1,"alpha":2,"templateId":null,"id":"j1"}"#;
    let mut job: SynchronizationJob = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&job).unwrap().matches("templateId").count(), 1);
    job.template_id = Some("AWSSSO".into());
    let written = serde_json::to_string(&job).unwrap();
    assert_eq!(written.matches("templateId").count(), 1, "{written}");
    assert!(written.contains(r#""templateId":"AWSSSO""#), "{written}");
    // `extra` keeps the order the service wrote.
    assert_eq!(job.extra.keys().collect::<Vec<_>>(), ["zeta", "alpha", "templateId"]);
}
