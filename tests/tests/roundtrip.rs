//! The generated `SynchronizationJob` reads and writes the seed page's JSON shape.

use graph_synchronization::{SynchronizationJob, SynchronizationJobRestartScope, SynchronizationStatusCode};
use serde_json::json;

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: serde_json::Value,
) -> (T, serde_json::Value) {
    let typed: T = serde_json::from_value(value).expect("deserializes");
    let back = serde_json::to_value(&typed).expect("serializes");
    (typed, back)
}

#[test]
fn synchronization_job_roundtrips_the_seed_json_representation() {
    let input = json!({
        "@odata.type": "#microsoft.graph.synchronizationJob",
        "id": "AWSSSO.7e2b3f0bd3b84ef3a0b1c4d62e5f3f5a.1d0b6e2c-3d5f-4a8c-9b1e-8f2d4c6a7b90",
        "schedule": {
            "@odata.type": "microsoft.graph.synchronizationSchedule",
            "expiration": "2026-12-31T00:00:00Z",
            "interval": "PT40M",
            "state": "Active"
        },
        "status": {
            "@odata.type": "microsoft.graph.synchronizationStatus",
            "code": "Paused",
            "countSuccessiveCompleteFailures": 0,
            "escrowsPruned": false,
            "lastSuccessfulExecutionWithExports": null,
            "quarantine": null,
            "steadyStateFirstAchievedTime": "2026-01-02T03:04:05Z",
            "troubleshootingUrl": null
        },
        "templateId": "AWSSSO",
        "synchronizationJobSettings": [
            { "@odata.type": "microsoft.graph.keyValuePair", "name": "AzureIngestionAttributeOptimization", "value": "False" },
            { "name": "LookaheadQueryEnabled", "value": "True" }
        ]
    });
    let (job, back): (SynchronizationJob, _) = roundtrip(input.clone());
    assert_eq!(job.template_id.as_deref(), Some("AWSSSO"));
    assert_eq!(job.odata_type.as_deref(), Some("#microsoft.graph.synchronizationJob"));
    let status = job.status.as_ref().unwrap();
    assert_eq!(status.code, Some(SynchronizationStatusCode::Paused));
    assert_eq!(
        job.schedule.as_ref().unwrap().interval.as_ref().unwrap().to_std().unwrap().as_secs(),
        40 * 60
    );
    assert_eq!(job.synchronization_job_settings.as_ref().unwrap().len(), 2);
    // Explicit nulls are kept apart from absent properties, so everything survives.
    assert_eq!(status.quarantine, None);
    assert_eq!(status.extra.get("quarantine"), Some(&serde_json::Value::Null));
    assert_eq!(back, input);
}

#[test]
fn unknown_enum_members_survive_a_roundtrip() {
    let (code, back): (SynchronizationStatusCode, _) = roundtrip(json!("SomethingNew"));
    assert_eq!(code, SynchronizationStatusCode::Unrecognized("SomethingNew".into()));
    assert_eq!(back, json!("SomethingNew"));
    assert_eq!(SynchronizationStatusCode::from("Paused").value(), Some(3));
}

#[test]
fn flags_enums_read_and_write_comma_separated_names() {
    let (scope, back): (SynchronizationJobRestartScope, _) = roundtrip(json!("Escrows, Watermark,Brand-new"));
    assert!(scope.contains(&SynchronizationJobRestartScope::ESCROWS));
    assert!(scope.contains(&SynchronizationJobRestartScope::WATERMARK));
    assert!(!scope.contains(&SynchronizationJobRestartScope::CONNECTOR_DATA_STORE));
    assert_eq!(scope.unrecognized(), ["Brand-new"]);
    // Read text is written back as it was; sets built in code are written canonically.
    assert_eq!(back, json!("Escrows, Watermark,Brand-new"));
    let combined = SynchronizationJobRestartScope::ESCROWS | SynchronizationJobRestartScope::FORCE_DELETES;
    assert_eq!(serde_json::to_value(&combined).unwrap(), json!("Escrows,ForceDeletes"));
    // A combined member is written by its own name when all its bits are set.
    assert_eq!(serde_json::to_value(SynchronizationJobRestartScope::FULL).unwrap(), json!("Full"));
    assert_eq!(serde_json::to_value(SynchronizationJobRestartScope::NONE).unwrap(), json!("None"));
}

#[test]
fn build_script_output_is_usable() {
    use codegen_tests::from_build_script::inheritance as ns;
    let _ = ns::User::default();
}
