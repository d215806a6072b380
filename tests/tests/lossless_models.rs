//! The generated models read real-world JSON without losing anything: polymorphic values by
//! `@odata.type`, undeclared properties and instance annotations, explicit nulls, values of
//! the wrong shape, unknown enum members, and numbers beyond `f64` precision. Each test reads
//! a document and writes it back; the models come from `fixtures/models/wire` (`build.rs`).

use codegen_tests::wire_models::example_devices::User as DeviceUser;
use codegen_tests::wire_models::example_directory::{
    Access, AnyDirectoryObject, AnyPlace, Color, DirectoryObject, Group, Place, Room, Settings, User,
    UserField,
};
use codegen_tests::wire_models::runtime::{Page, Selectable};
use serde_json::{json, Value};

/// Reads `input` as a `T` and writes it back, through text as a client does.
fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(input: &Value) -> (T, Value) {
    let typed: T = serde_json::from_str(&input.to_string()).expect("reads");
    let back = serde_json::from_str(&serde_json::to_string(&typed).expect("writes")).unwrap();
    (typed, back)
}

#[test]
fn a_derived_value_in_a_base_typed_collection_reads_as_its_own_type() {
    let input = json!({
        "id": "g1",
        "members": [
            { "@odata.type": "#Example.Directory.user", "id": "u1", "displayName": "Ada" },
            { "@odata.type": "#Example.Directory.group", "id": "g2", "title": "Admins" },
            { "@odata.type": "#Example.Devices.user", "id": "d1", "deviceCount": 3 },
            { "id": "o1" }
        ]
    });
    let (group, back): (Group, _) = roundtrip(&input);
    let members = group.members.as_ref().unwrap();
    match &members[0] {
        AnyDirectoryObject::User(user) => assert_eq!(user.display_name.as_deref(), Some("Ada")),
        other => panic!("expected a user, got {other:?}"),
    }
    assert!(matches!(&members[1], AnyDirectoryObject::Group(g) if g.title.as_deref() == Some("Admins")));
    // Same name, other namespace: its own variant.
    assert!(matches!(&members[2], AnyDirectoryObject::ExampleDevicesUser(d) if d.device_count == Some(3)));
    // Without `@odata.type`, a value is the declared type.
    assert!(matches!(&members[3], AnyDirectoryObject::DirectoryObject(o) if o.id.as_deref() == Some("o1")));
    assert_eq!(members[0].type_name(), "Example.Directory.user");
    assert_eq!(members[0].odata_type(), Some("#Example.Directory.user"));
    assert_eq!(members[3].odata_type(), None);
    // The base type's properties, whatever the variant.
    let ids: Vec<_> = members.iter().map(|m| m.id().map(String::as_str)).collect();
    assert_eq!(ids, [Some("u1"), Some("g2"), Some("d1"), Some("o1")]);
    assert!(members[3].extra().is_empty());
    assert_eq!(back, input);
}

#[test]
fn a_single_base_typed_property_reads_as_the_derived_type_too() {
    let input = json!({
        "id": "u1",
        "manager": { "@odata.type": "#Example.Directory.user", "id": "u0", "age": 61 },
        "office": { "@odata.type": "#Example.Directory.room", "name": "4.01", "capacity": 8 },
        "visitedPlaces": [ { "name": "Lobby" }, { "@odata.type": "#Example.Directory.room", "capacity": 2 } ]
    });
    let (user, back): (User, _) = roundtrip(&input);
    assert!(matches!(user.manager.as_ref().unwrap(), AnyDirectoryObject::User(m) if m.age == Some(61)));
    assert!(matches!(user.office.as_ref().unwrap(), AnyPlace::Room(r) if r.capacity == Some(8)));
    let visited = user.visited_places.as_ref().unwrap();
    assert!(matches!(&visited[0], AnyPlace::Place(_)));
    assert!(matches!(&visited[1], AnyPlace::Room(_)));
    assert_eq!(back, input);
}

#[test]
fn odata_type_is_found_wherever_it_comes_and_however_it_is_spelled() {
    // Not first: the object is buffered, then read as the type it names.
    let late = json!({ "id": "u1", "displayName": "Ada", "@odata.type": "#Example.Directory.user" });
    let (value, back): (AnyDirectoryObject, _) = roundtrip(&late);
    assert!(matches!(&value, AnyDirectoryObject::User(u) if u.display_name.as_deref() == Some("Ada")));
    assert_eq!(back, late);
    // The schema alias, no `#`, and other letter case name the same type.
    for spelled in ["#dir.user", "Example.Directory.user", "#example.directory.USER"] {
        let (value, back): (AnyDirectoryObject, _) =
            roundtrip(&json!({ "@odata.type": spelled, "id": "u1" }));
        assert!(matches!(value, AnyDirectoryObject::User(_)), "{spelled}");
        assert_eq!(back["@odata.type"], spelled, "the spelling that was read is written back");
    }
}

#[test]
fn an_unknown_odata_type_keeps_all_its_data() {
    let input = json!({
        "@odata.type": "#Example.Directory.robot",
        "id": "r1",
        "deletedDateTime": "2026-01-01T00:00:00Z",
        "batteryLevel": 97,
        "parts": [{ "name": "arm" }]
    });
    let (value, back): (AnyDirectoryObject, _) = roundtrip(&input);
    let AnyDirectoryObject::Unrecognized(object) = &value else { panic!("{value:?}") };
    assert_eq!(object.odata_type.as_deref(), Some("#Example.Directory.robot"));
    assert_eq!(object.id.as_deref(), Some("r1"));
    assert_eq!(object.extra["batteryLevel"], json!(97));
    assert_eq!(back, input);
}

#[test]
fn a_derived_value_written_into_a_base_typed_place_says_its_type() {
    let user = User { id: Some("u1".into()), display_name: Some("Ada".into()), ..User::default() };
    let member: AnyDirectoryObject = user.clone().into();
    assert_eq!(
        serde_json::to_value(&member).unwrap(),
        json!({ "@odata.type": "#Example.Directory.user", "id": "u1", "displayName": "Ada" })
    );
    // Where the declared type is the value's own type, nothing is added.
    assert_eq!(serde_json::to_value(&user).unwrap(), json!({ "id": "u1", "displayName": "Ada" }));
    let base: AnyDirectoryObject = DirectoryObject { id: Some("o1".into()), ..Default::default() }.into();
    assert_eq!(serde_json::to_value(&base).unwrap(), json!({ "id": "o1" }));
    let device: AnyDirectoryObject = DeviceUser { device_count: Some(1), ..Default::default() }.into();
    assert_eq!(serde_json::to_value(&device).unwrap()["@odata.type"], "#Example.Devices.user");
}

#[test]
fn undeclared_properties_and_instance_annotations_survive() {
    let input = json!({
        "@odata.context": "https://example.test/$metadata#users/$entity",
        "@odata.etag": "W/\"1\"",
        "@odata.id": "https://example.test/users('u1')",
        "id": "u1",
        "displayName": "Ada",
        "displayName@odata.type": "#String",
        "aliases@odata.type": "#Collection(String)",
        "aliases": ["ada", "countess"],
        "hobby": { "kind": "chess" }
    });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.display_name.as_deref(), Some("Ada"));
    assert_eq!(user.extra["@odata.etag"], "W/\"1\"");
    assert_eq!(user.extra["hobby"], json!({ "kind": "chess" }));
    assert_eq!(back, input);
    // Instance annotations of the object come first when written.
    let text = serde_json::to_string(&user).unwrap();
    assert!(text.starts_with(r#"{"@odata.context":"#), "{text}");
}

#[test]
fn open_types_keep_their_dynamic_properties() {
    let input = json!({ "theme": "dark", "fontSize": 14, "shortcuts": { "save": "ctrl+s" } });
    let (settings, back): (Settings, _) = roundtrip(&input);
    assert_eq!(settings.theme.as_deref(), Some("dark"));
    assert_eq!(settings.extra["fontSize"], 14);
    assert_eq!(back, input);
}

#[test]
fn explicit_null_is_kept_apart_from_absent() {
    let input = json!({ "id": "u1", "displayName": null, "manager": null });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.display_name, None);
    assert_eq!(user.extra.get("displayName"), Some(&Value::Null));
    assert_eq!(user.age, None);
    assert!(!user.extra.contains_key("age"));
    assert_eq!(back, input);
}

#[test]
fn a_patch_sends_only_what_is_set_and_explicit_nulls() {
    let mut patch = User { display_name: Some("Ada L.".into()), ..User::default() };
    patch.set_null(UserField::Office).set_null(UserField::Age);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "displayName": "Ada L.", "office": null, "age": null })
    );
    // Setting a value after a null sends the value.
    patch.age = Some(36);
    assert_eq!(serde_json::to_value(&patch).unwrap()["age"], 36);
    // A read value that is changed is sent changed, the rest as read.
    let (mut read, _): (User, _) = roundtrip(&json!({ "id": "u1", "displayName": null, "age": "unknown" }));
    read.display_name = Some("Ada".into());
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({ "id": "u1", "displayName": "Ada", "age": "unknown" })
    );
}

#[test]
fn values_of_the_wrong_shape_are_kept_as_sent() {
    let input = json!({
        "id": "u1",
        "deletedDateTime": "",
        "birthday": "String (date)",
        "age": "N/A",
        "accountEnabled": "true",
        "quota": 1.5,
        "favoriteColor": 2,
        "office": "Building 4",
        "aliases": ["ada", 7, null],
        "visitedPlaces": {}
    });
    let (user, back): (User, _) = roundtrip(&input);
    // Text-based primitives keep any string, typed access says whether it parses.
    assert_eq!(user.deleted_date_time.as_ref().map(|d| d.as_str()), Some(""));
    assert_eq!(user.birthday.as_ref().map(|d| d.as_str()), Some("String (date)"));
    // Everything else that does not fit is `None`, and kept raw in `extra`.
    assert_eq!(user.age, None);
    assert_eq!(user.extra["age"], "N/A");
    assert_eq!(user.account_enabled, None);
    assert_eq!(user.quota, None);
    assert_eq!(user.favorite_color, None);
    assert_eq!(user.office, None);
    // One item of the wrong shape keeps the whole collection as sent.
    assert_eq!(user.aliases, None);
    assert_eq!(user.extra["aliases"], json!(["ada", 7, null]));
    assert_eq!(user.visited_places, None);
    assert_eq!(back, input);
}

#[test]
fn unknown_enum_members_and_flags_survive() {
    let input = json!({ "favoriteColor": "ultraviolet", "access": "write, read,execute" });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.favorite_color, Some(Color::Unrecognized("ultraviolet".into())));
    let access = user.access.as_ref().unwrap();
    assert!(access.contains(&Access::ALL));
    assert_eq!(access.unrecognized(), ["execute"]);
    // Read text is written back as it was; sets built in code are written canonically.
    assert_eq!(back, input);
    assert_eq!(serde_json::to_value(Access::READ | Access::WRITE).unwrap(), "all");
}

#[test]
fn int64_and_decimal_beyond_f64_precision_survive() {
    // 2^53 + 1 has no f64; 30 significant digits do not fit one either.
    let input = json!({
        "quota": 9007199254740993i64,
        "balance": "123456789012345678901234567.891",
    });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.quota, Some(9_007_199_254_740_993));
    let balance = user.balance.as_ref().unwrap();
    assert_eq!(balance.as_str(), "123456789012345678901234567.891");
    assert!(balance.is_quoted());
    assert_eq!(back, input);
    // A decimal sent as a number is written as a number.
    let (user, back): (User, _) = roundtrip(&json!({ "balance": 12.25 }));
    assert_eq!(user.balance.as_ref().unwrap().as_str(), "12.25");
    assert_eq!(back, json!({ "balance": 12.25 }));
}

#[test]
fn floating_point_values_keep_their_value() {
    let input = json!({ "ratio": 0.1, "score": 0.3 });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.ratio, Some(0.1));
    assert_eq!(user.score, Some(0.3f32));
    assert_eq!(back, input);
    // A number an `f32` cannot hold exactly is kept as sent.
    let precise = json!({ "score": 0.123456789012 });
    let (user, back): (User, _) = roundtrip(&precise);
    assert_eq!(user.score, None);
    assert_eq!(back, precise);
}

#[test]
fn binary_is_base64_and_duration_is_iso_8601() {
    let input = json!({ "photo": "SGVsbG8=", "workingHours": "PT8H30M" });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.photo.as_ref().unwrap().decode().unwrap(), b"Hello");
    assert_eq!(user.working_hours.as_ref().unwrap().to_std().unwrap().as_secs(), 8 * 3600 + 30 * 60);
    assert_eq!(back, input);
}

#[test]
fn pages_of_a_base_type_hold_the_derived_values() {
    // What `client.directory_objects().list()` decodes.
    fn item_of<T: Selectable>(_: &Page<T>) {}
    let input = json!({
        "@odata.nextLink": "https://example.test/directoryObjects?$skiptoken=2",
        "value": [
            { "@odata.type": "#Example.Directory.user", "id": "u1" },
            { "@odata.type": "#Example.Directory.group", "id": "g1" }
        ]
    });
    let page: Page<AnyDirectoryObject> = serde_json::from_value(input).unwrap();
    item_of(&page);
    assert!(matches!(&page.value[0], AnyDirectoryObject::User(_)));
    assert!(matches!(&page.value[1], AnyDirectoryObject::Group(_)));
}

#[test]
fn a_polymorphic_complex_value_built_in_code_says_its_type() {
    let office: AnyPlace = Room { capacity: Some(4), ..Room::default() }.into();
    assert_eq!(
        serde_json::to_value(&office).unwrap(),
        json!({ "@odata.type": "#Example.Directory.room", "capacity": 4 })
    );
    let plain: AnyPlace = Place { name: Some("Lobby".into()), ..Place::default() }.into();
    assert_eq!(serde_json::to_value(&plain).unwrap(), json!({ "name": "Lobby" }));
}

#[test]
fn a_type_without_properties_keeps_whatever_it_holds() {
    let input = json!({ "marker": { "color": "red", "size": [1, 2] } });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.marker.as_ref().unwrap().extra["color"], "red");
    assert_eq!(back, input);
}

#[test]
fn a_collection_kept_raw_writes_its_typed_items_exactly() {
    // `0.1` read as an `f32` and written back through JSON text stays `0.1`.
    let input = json!({ "readings": [0.1, 2.5, "n/a"] });
    let (user, back): (User, _) = roundtrip(&input);
    assert_eq!(user.readings, None);
    assert_eq!(back, input);
}

#[test]
fn odata_type_is_written_once() {
    // A non-string `@odata.type` is kept raw, and dropped when the value is given a type.
    let (user, back): (User, _) = roundtrip(&json!({ "@odata.type": null, "id": "u1" }));
    assert_eq!(back, json!({ "@odata.type": null, "id": "u1" }));
    let member: AnyDirectoryObject = user.into();
    let text = serde_json::to_string(&member).unwrap();
    assert_eq!(text.matches("@odata.type").count(), 1, "{text}");
}
