//! The operations of a Graph version cover its documented requests: every request example is
//! matched against the client surface (ids and function parameters as wildcards), and the
//! share covered is reported with the reason for each miss.
//!
//! Paths are parameters: `GRAPH_METADATA` and `GRAPH_EXAMPLES` (defaults: the 2021-07 v1.0
//! pair under `../shared/graph/`). The report is written to `target/tmp/graph-coverage.txt`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen_tests::fixtures::{path_from_env, service_path};

#[test]
fn operations_cover_the_documented_requests() {
    let Some(metadata) = path_from_env("GRAPH_METADATA", "graph/2021-07/metadata-v1.0.xml") else { return };
    let Some(examples) = path_from_env("GRAPH_EXAMPLES", "graph/2021-07/examples-v1.0.jsonl") else { return };
    let (model, _) =
        codegen::Builder::new().input(&metadata).generate_model().unwrap_or_else(|e| panic!("{e}"));
    let plan = codegen::plan::build(&model, &mut codegen::Diagnostics::default());
    let text = std::fs::read_to_string(&examples).unwrap();
    let (mut total, mut covered) = (0usize, 0usize);
    let mut misses: Vec<String> = Vec::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let example: serde_json::Value = serde_json::from_str(line).unwrap();
        if example["kind"] != "request" {
            continue;
        }
        let (method, url) =
            (example["method"].as_str().unwrap_or_default(), example["url"].as_str().unwrap_or_default());
        total += 1;
        match codegen::plan::paths::resolve(&plan, method, &service_path(url)) {
            Ok(_) => covered += 1,
            Err(reason) => {
                let general: String =
                    reason.split('`').enumerate().map(|(i, p)| if i % 2 == 1 { "…" } else { p }).collect();
                *reasons.entry(general).or_default() += 1;
                misses.push(format!(
                    "{method} {url}\n    {}: {reason}",
                    example["page"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    let share = covered as f64 / total.max(1) as f64;
    let mut report = format!(
        "{covered} of {total} documented requests covered ({:.1}%)\n\nReasons for the misses:\n",
        share * 100.0
    );
    let mut by_count: Vec<_> = reasons.into_iter().collect();
    by_count.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (reason, n) in &by_count {
        report.push_str(&format!("{n:5}  {reason}\n"));
    }
    report.push_str("\nNot covered:\n");
    for m in &misses {
        report.push_str(&format!("{m}\n"));
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("graph-coverage.txt");
    std::fs::write(&out, &report).unwrap();
    eprintln!("{}", report.lines().take(20).collect::<Vec<_>>().join("\n"));
    eprintln!("full report: {}", out.display());
    assert!(share >= 0.95, "coverage {:.1}% is below 95%; see {}", share * 100.0, out.display());
}

#[test]
fn service_paths_drop_host_version_and_query() {
    assert_eq!(service_path("https://graph.microsoft.com/v1.0/me/events?$top=1"), "/me/events");
    assert_eq!(service_path("https://graph.microsoft.com/beta/users"), "/users");
    assert_eq!(service_path("/users/{id}"), "/users/{id}");
}
