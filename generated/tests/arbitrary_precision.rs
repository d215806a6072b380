//! With the `arbitrary-precision` feature, decimals sent as JSON numbers keep every digit
//! and the models read numbers as usual. Run by `.ci/run` as
//! `cargo test -p graph-synchronization --features arbitrary-precision`.
#![cfg(feature = "arbitrary-precision")]

use graph_synchronization::runtime::Decimal;
use graph_synchronization::SynchronizationStatus;

#[test]
fn decimal_numbers_keep_every_digit() {
    let text = "123456789012345678901234567.891";
    let decimal: Decimal = serde_json::from_str(text).unwrap();
    assert_eq!(decimal.as_str(), text);
    assert!(!decimal.is_quoted());
    assert_eq!(serde_json::to_string(&decimal).unwrap(), text);
}

#[test]
fn models_read_and_write_numbers_as_without_the_feature() {
    let text = r#"{"countSuccessiveCompleteFailures":9007199254740993,"escrowsPruned":true,"code":"Active"}"#;
    let status: SynchronizationStatus = serde_json::from_str(text).unwrap();
    assert_eq!(status.count_successive_complete_failures, Some(9_007_199_254_740_993));
    assert!(status.extra.is_empty(), "{:?}", status.extra);
    let back: serde_json::Value = serde_json::from_str(&serde_json::to_string(&status).unwrap()).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(text).unwrap());
}
