//! The generated synchronization client against a real HTTP server on loopback: for every
//! method of the seed page, the exact method, path, query, headers and JSON body sent, and the
//! typed value returned; paging, service errors, throttling and malformed bodies.

use std::time::Duration;

use codegen_tests::http_server::{Recorded, Reply, TestServer};
use graph_synchronization::runtime::{Error, RetryPolicy};
use graph_synchronization::Client;
use graph_synchronization::ReqwestTransport;
use graph_synchronization::{
    SynchronizationJob, SynchronizationJobField, SynchronizationJobRestartCriteria,
    SynchronizationJobRestartScope, SynchronizationSchedule, SynchronizationScheduleState,
    SynchronizationSchema,
};
use serde_json::json;

const JOBS: &str = "/v1.0/servicePrincipals/sp-1/synchronization/jobs";

fn client(server: &TestServer) -> Client {
    Client::builder(format!("{}/v1.0", server.url), ReqwestTransport::new())
        .bearer_token("token-123")
        .retry(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        })
        .build()
}

fn job_json(id: &str) -> serde_json::Value {
    json!({
        "@odata.type": "#microsoft.graph.synchronizationJob",
        "id": id,
        "templateId": "AWSSSO",
        "schedule": { "interval": "PT40M", "state": "Active" },
        "status": { "code": "Paused" }
    })
}

fn only(server: &TestServer) -> Recorded {
    let mut requests = server.take();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let r = requests.remove(0);
    assert_eq!(r.header("authorization"), Some("Bearer token-123"));
    r
}

#[tokio::test]
async fn list_jobs_sends_query_options_and_returns_a_typed_page() {
    let server = TestServer::start();
    let client = client(&server);
    server.reply(Reply::json(200, json!({ "@odata.count": 1, "value": [job_json("job-1")] })));
    let page = client
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .jobs()
        .list()
        .select([SynchronizationJobField::Id, SynchronizationJobField::TemplateId])
        .filter("templateId eq 'AWS SSO'")
        .top(5)
        .count(true)
        .consistency_level_eventual()
        .await
        .unwrap();
    assert_eq!(page.count, Some(1));
    assert_eq!(page.value[0].id.as_deref(), Some("job-1"));
    assert_eq!(
        page.value[0].status.as_ref().unwrap().code,
        Some(graph_synchronization::SynchronizationStatusCode::Paused)
    );
    let r = only(&server);
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.target,
        format!("{JOBS}?$select=id,templateId&$filter=templateId%20eq%20%27AWS%20SSO%27&$top=5&$count=true")
    );
    assert_eq!(r.header("consistencylevel"), Some("eventual"));
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn create_get_update_delete_a_job() {
    let server = TestServer::start();
    let client = client(&server);
    let jobs = client.service_principals().by_id("sp-1").synchronization().jobs();

    server.reply(Reply::json(201, job_json("job-2")));
    let new_job = SynchronizationJob { template_id: Some("AWSSSO".into()), ..Default::default() };
    let created = jobs.create(&new_job).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("job-2"));
    let r = only(&server);
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", JOBS));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({ "templateId": "AWSSSO" }));

    server.reply(Reply::json(200, job_json("job 2/β")));
    let job = jobs.by_id("job 2/β").get().expand([SynchronizationJobField::Schema]).await.unwrap();
    assert_eq!(job.schedule.unwrap().state, Some(SynchronizationScheduleState::Active));
    let r = only(&server);
    assert_eq!(r.method, "GET");
    // Keys are path segments, percent-encoded.
    assert_eq!(r.target, format!("{JOBS}/job%202%2F%CE%B2?$expand=schema"));

    server.reply(Reply::empty(204));
    let patch = SynchronizationJob {
        schedule: Some(SynchronizationSchedule {
            state: Some(SynchronizationScheduleState::Disabled),
            ..Default::default()
        }),
        ..Default::default()
    };
    jobs.by_id("job-2").update(&patch).await.unwrap();
    let r = only(&server);
    assert_eq!((r.method.as_str(), r.target.as_str()), ("PATCH", &*format!("{JOBS}/job-2")));
    // Only what was set is sent.
    assert_eq!(r.json(), json!({ "schedule": { "state": "Disabled" } }));

    // An explicit null clears a property; `None` leaves it out.
    server.reply(Reply::empty(204));
    let mut patch = SynchronizationJob::default();
    patch.set_null(SynchronizationJobField::Schedule);
    jobs.by_id("job-2").update(&patch).await.unwrap();
    assert_eq!(only(&server).json(), json!({ "schedule": null }));

    server.reply(Reply::empty(204));
    jobs.by_id("job-2").delete().await.unwrap();
    let r = only(&server);
    assert_eq!((r.method.as_str(), r.target.as_str()), ("DELETE", &*format!("{JOBS}/job-2")));
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn pause_start_stop_post_to_the_job_without_a_body() {
    let server = TestServer::start();
    let client = client(&server);
    let job = client.service_principals().by_id("sp-1").synchronization().jobs().by_id("job-1");
    for _ in 0..3 {
        server.reply(Reply::empty(204));
    }
    job.pause().await.unwrap();
    job.start().await.unwrap();
    job.stop().await.unwrap();
    let requests = server.take();
    let seen: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.target.as_str())).collect();
    let (pause, start, stop) =
        (format!("{JOBS}/job-1/pause"), format!("{JOBS}/job-1/start"), format!("{JOBS}/job-1/stop"));
    assert_eq!(seen, [("POST", pause.as_str()), ("POST", start.as_str()), ("POST", stop.as_str())]);
    assert!(requests.iter().all(|r| r.body.is_empty()));
}

#[tokio::test]
async fn restart_sends_its_criteria_as_a_flags_enum() {
    let server = TestServer::start();
    let client = client(&server);
    let job = client.service_principals().by_id("sp-1").synchronization().jobs().by_id("job-1");
    server.reply(Reply::empty(204));
    let criteria = SynchronizationJobRestartCriteria {
        reset_scope: Some(
            SynchronizationJobRestartScope::WATERMARK | SynchronizationJobRestartScope::ESCROWS,
        ),
        ..Default::default()
    };
    job.restart(Some(&criteria)).await.unwrap();
    let r = only(&server);
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", &*format!("{JOBS}/job-1/restart")));
    assert_eq!(r.json(), json!({ "criteria": { "resetScope": "Escrows,Watermark" } }));
}

#[tokio::test]
async fn provision_on_demand_returns_a_string_key_string_value_pair() {
    let server = TestServer::start();
    let client = client(&server);
    let job = client.service_principals().by_id("sp-1").synchronization().jobs().by_id("job-1");
    server.reply(Reply::json(200, json!({ "key": "statusCode", "value": "Success" })));
    let params = [graph_synchronization::SynchronizationJobApplicationParameters {
        rule_id: Some("rule-1".into()),
        subjects: Some(vec![graph_synchronization::SynchronizationJobSubject {
            object_id: Some("user-1".into()),
            object_type_name: Some("User".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }];
    let pair = job.provision_on_demand(Some(&params)).await.unwrap();
    assert_eq!((pair.key.as_deref(), pair.value.as_deref()), (Some("statusCode"), Some("Success")));
    let r = only(&server);
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", &*format!("{JOBS}/job-1/provisionOnDemand")));
    assert_eq!(
        r.json(),
        json!({ "parameters": [ { "ruleId": "rule-1", "subjects": [ { "objectId": "user-1", "objectTypeName": "User" } ] } ] })
    );
}

#[tokio::test]
async fn validate_credentials_is_bound_to_a_job_and_to_the_jobs_collection() {
    let server = TestServer::start();
    let client = client(&server);
    let jobs = client.service_principals().by_id("sp-1").synchronization().jobs();
    server.reply(Reply::empty(204)).reply(Reply::empty(204));
    let secrets = [graph_synchronization::SynchronizationSecretKeyStringValuePair {
        key: Some(graph_synchronization::SynchronizationSecret::BaseAddress),
        value: Some("https://example.test".into()),
        ..Default::default()
    }];
    jobs.by_id("job-1").validate_credentials(None, None, Some(false), Some(&secrets)).await.unwrap();
    jobs.validate_credentials(Some("app-1"), Some("AWSSSO"), None, None).await.unwrap();
    let requests = server.take();
    assert_eq!(requests[0].target, format!("{JOBS}/job-1/validateCredentials"));
    assert_eq!(
        requests[0].json(),
        json!({ "useSavedCredentials": false, "credentials": [ { "key": "BaseAddress", "value": "https://example.test" } ] })
    );
    assert_eq!(requests[1].target, format!("{JOBS}/validateCredentials"));
    assert_eq!(requests[1].json(), json!({ "applicationIdentifier": "app-1", "templateId": "AWSSSO" }));
    assert!(requests.iter().all(|r| r.method == "POST"));
}

#[tokio::test]
async fn get_update_delete_the_job_schema() {
    let server = TestServer::start();
    let client = client(&server);
    let schema = client.service_principals().by_id("sp-1").synchronization().jobs().by_id("job-1").schema();
    let path = format!("{JOBS}/job-1/schema");

    server.reply(Reply::json(
        200,
        json!({ "id": "schema-1", "version": "Date:2026-01-01", "directories": [] }),
    ));
    let got = schema.get().await.unwrap();
    assert_eq!(got.version.as_deref(), Some("Date:2026-01-01"));
    assert_eq!(got.directories, Some(vec![]));

    server.reply(Reply::empty(204));
    schema.update(&SynchronizationSchema { version: Some("v2".into()), ..Default::default() }).await.unwrap();
    server.reply(Reply::empty(204));
    schema.delete().await.unwrap();

    let requests = server.take();
    let seen: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.target.as_str())).collect();
    assert_eq!(seen, [("GET", path.as_str()), ("PATCH", path.as_str()), ("DELETE", path.as_str())]);
    assert_eq!(requests[1].json(), json!({ "version": "v2" }));
}

#[tokio::test]
async fn all_follows_next_links_across_three_pages() {
    let server = TestServer::start();
    let client = client(&server);
    let next = |n: u32| {
        format!("{}/v1.0/servicePrincipals/sp-1/synchronization/jobs?$skiptoken=page{n}", server.url)
    };
    server
        .reply(Reply::json(
            200,
            json!({ "value": [job_json("a"), job_json("b")], "@odata.nextLink": next(2) }),
        ))
        .reply(Reply::json(200, json!({ "value": [job_json("c")], "@odata.nextLink": next(3) })))
        .reply(Reply::json(200, json!({ "value": [job_json("d")] })));
    let jobs = client
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .jobs()
        .list()
        .top(2)
        .consistency_level_eventual()
        .all()
        .await
        .unwrap();
    let ids: Vec<&str> = jobs.iter().map(|j| j.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let requests = server.take();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [format!("{JOBS}?$top=2"), format!("{JOBS}?$skiptoken=page2"), format!("{JOBS}?$skiptoken=page3")]
    );
    // Headers of the first request are sent with every page.
    assert!(requests.iter().all(|r| r.header("consistencylevel") == Some("eventual")));
}

#[tokio::test]
async fn a_graph_error_body_becomes_a_typed_service_error() {
    let server = TestServer::start();
    let client = client(&server);
    server.reply(
        Reply::json(
            404,
            json!({ "error": {
                "code": "Request_ResourceNotFound",
                "message": "Resource 'job-9' does not exist.",
                "innerError": { "date": "2026-11-25T08:00:00", "request-id": "req-1" }
            } }),
        )
        .with_header("request-id", "req-1"),
    );
    let err = client
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .jobs()
        .by_id("job-9")
        .get()
        .await
        .unwrap_err();
    match &err {
        Error::Service { status, error, request_id } => {
            assert_eq!(*status, 404);
            assert_eq!(error.code, "Request_ResourceNotFound");
            assert_eq!(error.message, "Resource 'job-9' does not exist.");
            assert_eq!(error.inner_error.as_ref().unwrap()["request-id"], "req-1");
            assert_eq!(request_id.as_deref(), Some("req-1"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("Request_ResourceNotFound"));
}

#[tokio::test]
async fn throttled_requests_are_retried_after_retry_after() {
    let server = TestServer::start();
    let client = client(&server);
    server
        .reply(
            Reply::json(429, json!({ "error": { "code": "TooManyRequests", "message": "slow down" } }))
                .with_header("Retry-After", "1"),
        )
        .reply(Reply::empty(503).with_header("Retry-After", "0"))
        .reply(Reply::empty(204));
    let started = std::time::Instant::now();
    client.service_principals().by_id("sp-1").synchronization().jobs().by_id("job-1").pause().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was not honoured");
    let requests = server.take();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.target == format!("{JOBS}/job-1/pause")));

    // The bound: after max_retries the error is returned.
    for _ in 0..3 {
        server.reply(Reply::empty(503).with_header("Retry-After", "0"));
    }
    let err = client
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .jobs()
        .by_id("job-1")
        .pause()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.take().len(), 3);
}

#[tokio::test]
async fn a_malformed_response_body_is_a_decode_error() {
    let server = TestServer::start();
    let client = client(&server);
    server.reply(Reply::text(200, "{\"id\": \"job-1\", \"templateId\": "));
    let err = client
        .service_principals()
        .by_id("sp-1")
        .synchronization()
        .jobs()
        .by_id("job-1")
        .get()
        .await
        .unwrap_err();
    match err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status, 200);
            assert!(body.starts_with("{\"id\""));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::new(format!("http://127.0.0.1:{port}/v1.0"), ReqwestTransport::new());
    let err = client.service_principals().by_id("sp-1").get().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.status(), None);
}
