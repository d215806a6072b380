//! Reading and writing a large real-shaped payload with the generated models versus
//! `serde_json::Value`: a page of 1,000 people (40 properties each, nested complex values and
//! collections), and the same page read through the polymorphic enum of its base type.
//!
//! `cargo bench -p codegen-tests --bench models` prints criterion's timings, and first the
//! memory each representation holds once read and the peak while reading (counted by this
//! benchmark's allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use codegen_tests::people_models::people::{AnyEntity, Person};
use codegen_tests::people_models::runtime::Page;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counting is on only while memory is measured, so the timings are the system allocator's.
static COUNTING: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One person as a directory service returns it.
fn person(i: usize, typed: bool) -> Value {
    let mut p = json!({
        "id": format!("{i:08x}-4b1e-4c2d-9f3a-{i:012x}"),
        "accountEnabled": !i.is_multiple_of(7),
        "ageGroup": (["minor", "adult", "senior"][i % 3]),
        "assignedLicenses": [
            { "skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900", "disabledPlans": ["a23b959c-7ce8-4e57-9140-b90eb88a9e97"] },
            { "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df", "disabledPlans": [] }
        ],
        "assignedPlans": (0..4).map(|k| json!({
            "assignedDateTime": format!("2024-0{}-1{}T08:30:00Z", 1 + k, i % 10),
            "capabilityStatus": "Enabled",
            "service": (["exchange", "SharePoint", "TeamspaceAPI", "MicrosoftOffice"][k]),
            "servicePlanId": format!("{k:08}-1111-2222-3333-{i:012}"),
        })).collect::<Vec<_>>(),
        "businessPhones": [format!("+1 425 555 {:04}", i % 10_000)],
        "city": "Redmond",
        "companyName": "Contoso",
        "country": "United States",
        "createdDateTime": "2023-11-02T17:04:55Z",
        "department": (["Sales", "Engineering", "Finance", "Legal"][i % 4]),
        "displayName": format!("Person Number {i}"),
        "employeeId": format!("E{i:06}"),
        "employeeHireDate": "2021-05-17T00:00:00Z",
        "givenName": "Person",
        "identities": [
            { "signInType": "userPrincipalName", "issuer": "contoso.example", "issuerAssignedId": format!("person{i}@contoso.example") },
            { "signInType": "emailAddress", "issuer": "contoso.example", "issuerAssignedId": format!("p{i}@mail.example") }
        ],
        "imAddresses": [format!("sip:person{i}@contoso.example")],
        "jobTitle": "Account Manager",
        "lastPasswordChangeDateTime": "2025-02-11T09:12:40Z",
        "mail": format!("person{i}@contoso.example"),
        "mailNickname": format!("person{i}"),
        "mobilePhone": null,
        "officeLocation": format!("{}/{}", 1 + i % 40, 1000 + i % 300),
        "extensionAttributes": {
            "attribute1": "cost-center-42", "attribute2": null, "attribute3": null, "attribute4": "badge",
            "attribute5": null, "attribute6": null, "attribute7": null, "attribute8": "x"
        },
        "onPremisesSyncEnabled": true,
        "passwordSettings": { "forceChangeNextSignIn": false, "forceChangeNextSignInWithMfa": false, "password": null },
        "postalCode": "98052",
        "preferredLanguage": "en-US",
        "proxyAddresses": [format!("SMTP:person{i}@contoso.example"), format!("smtp:p{i}@contoso.example")],
        "signInSessionsValidFromDateTime": "2025-02-11T09:12:40Z",
        "state": "WA",
        "streetAddress": "1 Example Way",
        "surname": format!("Number {i}"),
        "usageLocation": "US",
        "userPrincipalName": format!("person{i}@contoso.example"),
        "userType": "Member",
        "mailboxQuota": 107_374_182_400u64 + i as u64,
        "riskScore": (i % 100) as f64 / 7.0,
    });
    if typed {
        p["@odata.type"] = json!("#Example.People.person");
    }
    p
}

fn page(typed: bool) -> String {
    let value: Vec<Value> = (0..1_000).map(|i| person(i, typed)).collect();
    json!({
        "@odata.context": "https://example.test/$metadata#people",
        "@odata.nextLink": "https://example.test/people?$skiptoken=1000",
        "value": value,
    })
    .to_string()
}

/// Bytes held once `read` has returned its result, and the peak while reading.
fn memory<T>(read: impl Fn() -> T) -> (usize, usize) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let value = read();
    let (held, peak) = (LIVE.load(Ordering::Relaxed), PEAK.load(Ordering::Relaxed));
    drop(black_box(value));
    COUNTING.store(false, Ordering::Relaxed);
    (held, peak)
}

fn report_memory(text: &str, polymorphic: &str) {
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let rows = [
        ("typed Page<Person>", memory(|| serde_json::from_str::<Page<Person>>(text).unwrap())),
        ("typed Page<AnyEntity>", memory(|| serde_json::from_str::<Page<AnyEntity>>(polymorphic).unwrap())),
        ("serde_json::Value", memory(|| serde_json::from_str::<Value>(text).unwrap())),
    ];
    println!("payload: {:.2} MiB of JSON, 1,000 people", mib(text.len()));
    for (what, (held, peak)) in rows {
        println!("memory {what:<24} held {:>7.2} MiB, peak while reading {:>7.2} MiB", mib(held), mib(peak));
    }
}

fn models(c: &mut Criterion) {
    let text = page(false);
    let polymorphic = page(true);
    // The typed models must give back what they read.
    let typed: Page<Person> = serde_json::from_str(&text).unwrap();
    let back: Value = serde_json::from_str(&serde_json::to_string(&typed).unwrap()).unwrap();
    let mut expected: Value = serde_json::from_str(&text).unwrap();
    // `Page` keeps the paging links, not `@odata.context`.
    expected.as_object_mut().unwrap().remove("@odata.context");
    assert_eq!(back, expected, "the typed page round-trips");
    report_memory(&text, &polymorphic);

    let mut group = c.benchmark_group("page of 1,000 people: read + write");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("typed Page<Person>", |b| {
        b.iter(|| {
            let page: Page<Person> = serde_json::from_str(black_box(&text)).unwrap();
            serde_json::to_string(&page).unwrap()
        })
    });
    group.bench_function("typed Page<AnyEntity> (polymorphic)", |b| {
        b.iter(|| {
            let page: Page<AnyEntity> = serde_json::from_str(black_box(&polymorphic)).unwrap();
            serde_json::to_string(&page).unwrap()
        })
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            let page: Value = serde_json::from_str(black_box(&text)).unwrap();
            serde_json::to_string(&page).unwrap()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("page of 1,000 people: read");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("typed Page<Person>", |b| {
        b.iter(|| serde_json::from_str::<Page<Person>>(black_box(&text)).unwrap())
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("page of 1,000 people: write");
    let value: Value = serde_json::from_str(&text).unwrap();
    group.bench_function("typed Page<Person>", |b| {
        b.iter(|| serde_json::to_string(black_box(&typed)).unwrap())
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::to_string(black_box(&value)).unwrap())
    });
    let mut out = Vec::with_capacity(2 * text.len());
    group.bench_function("typed Page<Person>, into a buffer", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, black_box(&typed)).unwrap()
        })
    });
    group.bench_function("serde_json::Value, into a buffer", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, black_box(&value)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, models);
criterion_main!(benches);
