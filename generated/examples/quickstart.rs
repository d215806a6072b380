//! The README's example: build a client, list jobs, pause one, provision on demand.
//! Run with `GRAPH_TOKEN=... cargo run -p graph-synchronization --features reqwest --example quickstart`.

use graph_synchronization::{
    Client, Error, ReqwestTransport, SynchronizationJobApplicationParameters, SynchronizationJobField,
    SynchronizationJobSubject,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let token = std::env::var("GRAPH_TOKEN").unwrap_or_default();
    let client = Client::builder("https://graph.microsoft.com/v1.0", ReqwestTransport::new())
        .bearer_token(token)
        .build();

    // GET /servicePrincipals/{id}/synchronization/jobs?$select=id,templateId (every page)
    let jobs = client.service_principals().by_id("{servicePrincipal-id}").synchronization().jobs();
    let all =
        jobs.list().select([SynchronizationJobField::Id, SynchronizationJobField::TemplateId]).all().await?;
    for job in &all {
        println!("{:?} from template {:?}", job.id, job.template_id);
    }

    // POST …/jobs/{jobId}/pause
    let job = jobs.by_id("{job-id}");
    job.pause().await?;

    // POST …/jobs/{jobId}/provisionOnDemand, typed parameters and result
    let parameters = [SynchronizationJobApplicationParameters {
        rule_id: Some("{rule-id}".into()),
        subjects: Some(vec![SynchronizationJobSubject {
            object_id: Some("{user-id}".into()),
            object_type_name: Some("User".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }];
    let result = job.provision_on_demand(Some(&parameters)).await?;
    println!("{:?} = {:?}", result.key, result.value);
    Ok(())
}
