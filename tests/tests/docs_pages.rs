//! Reference pages as an input: the seed page alone, and (with `../shared`) every page of the
//! 2021-07 v1.0 docs, compared with the metadata of the same month.
//!
//! Paths are parameters: `GRAPH_SEED` (a page), `GRAPH_DOCS` (a folder of pages) and
//! `GRAPH_METADATA` (the CSDL to compare with). The corpus report goes to
//! `target/tmp/docs-report.txt`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::model::{Model, TypeKind};
use codegen_tests::fixtures::path_from_env;

fn type_named<'m>(model: &'m Model, name: &str) -> &'m codegen::model::TypeDef {
    model.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type `{name}`"))
}

#[test]
fn the_seed_page_alone_generates_synchronization_job_and_its_methods() {
    let Some(seed) = path_from_env("GRAPH_SEED", "seeds/000_4934a82d8fc8e582.txt") else { return };
    let builder = codegen::Builder::new().input(&seed);
    let (model, warnings) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    let plan = codegen::plan::build(&model, &mut codegen::Diagnostics::default());
    let job = type_named(&model, "synchronizationJob");
    let TypeKind::Entity(s) = &job.kind else { panic!("synchronizationJob must be an entity type") };
    let fields: Vec<&str> =
        plan.fields(job_id(&model)).iter().map(|f| plan.property(f).name.as_str()).collect();
    for p in ["id", "schedule", "status", "synchronizationJobSettings", "templateId", "schema"] {
        assert!(fields.contains(&p), "missing `{p}` in {fields:?}");
    }
    assert_eq!(s.key.iter().map(|k| k.path.as_str()).collect::<Vec<_>>(), ["id"]);
    assert_eq!(model.ty(s.base.expect("a base type")).name, "entity");
    // Every operation row of the Methods table is a method of the job's handle.
    let methods: Vec<&str> =
        plan.surface.entity[&job_id(&model)].iter().map(|m| m.rust_name.as_str()).collect();
    for m in ["pause", "start", "stop", "restart", "provision_on_demand", "validate_credentials", "schema"] {
        assert!(methods.contains(&m), "missing `{m}` in {methods:?}");
    }
    // Linked-only types are open placeholders, each with a warning.
    let schedule = type_named(&model, "synchronizationSchedule");
    assert!(matches!(&schedule.kind, TypeKind::Complex(s) if s.open));
    let placeholder_warnings = warnings.iter().filter(|w| w.message.contains("open placeholder")).count();
    assert!(placeholder_warnings >= 5, "{warnings}");
    assert!(warnings.iter().any(|w| w.message.contains("`validateCredentials` is listed more than once")));
    // No TODO placeholder became documentation.
    let code = builder.generate_tokens().unwrap();
    assert!(!code.contains("TODO"), "a placeholder reached the docs");
    syn::parse_file(&code).expect("the generated code parses");
}

fn job_id(model: &Model) -> codegen::model::TypeId {
    codegen::model::TypeId(model.types.iter().position(|t| t.name == "synchronizationJob").unwrap())
}

#[test]
fn every_2021_page_reads_and_agrees_with_the_metadata_of_its_month() {
    let Some(docs) = path_from_env("GRAPH_DOCS", "graph/2021-07/docs/v1.0") else { return };
    let Some(metadata) = path_from_env("GRAPH_METADATA", "graph/2021-07/metadata-v1.0.xml") else { return };
    // 1. Every page on its own: does it parse cleanly?
    let mut pages: Vec<PathBuf> = Vec::new();
    for sub in ["resources", "api"] {
        let dir = docs.join(sub);
        let mut list: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect()
            })
            .unwrap_or_default();
        list.sort();
        pages.extend(list);
    }
    let (mut clean, mut with_problems) = (0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut clean_resources: Vec<(String, String)> = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let (_, errors) = codegen::docs::page::read(&text);
        if errors.is_empty() {
            clean += 1;
            if page.parent().is_some_and(|d| d.ends_with("resources")) {
                let name = format!("resources/{}", page.file_name().unwrap().to_string_lossy());
                clean_resources.push((name, text));
            }
        } else {
            with_problems += 1;
            for e in errors {
                let general: String = e.message.split(':').next().unwrap_or_default().to_owned();
                *reasons.entry(general).or_default() += 1;
            }
        }
    }
    // 2. The clean resource pages with the metadata: agreement on types, properties,
    //    operations.
    let (mut documented_types, mut documented_properties, mut documented_operations) = (0, 0, 0);
    for (_, text) in &clean_resources {
        let (page, _) = codegen::docs::page::read(text);
        let is_resource = page
            .blocks
            .iter()
            .any(|b| b.annotation.as_ref().is_some_and(|(a, _)| a["blockType"] == "resource"));
        if !is_resource {
            continue;
        }
        documented_types += 1;
        for section in ["Properties", "Relationships"] {
            documented_properties += page.tables_in(section).map(|t| t.rows.len()).sum::<usize>();
        }
        documented_operations += page
            .tables_in("Methods")
            .flat_map(|t| t.rows.iter())
            .filter(|r| {
                let first = r.cells.first().map(String::as_str).unwrap_or_default();
                let text =
                    codegen::docs::page::links(first).first().map(|l| l.text.clone()).unwrap_or_default();
                !text.is_empty() && !text.contains(' ')
            })
            .count();
    }
    let builder = clean_resources
        .into_iter()
        .fold(codegen::Builder::new().input(&metadata), |b, (name, text)| b.input_text(name, text));
    let (_, warnings) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    let mut disagreements: BTreeMap<&str, usize> = BTreeMap::new();
    for w in warnings.iter() {
        let kind = if w.message.contains("which the metadata does not declare") {
            "page documents a type the metadata lacks"
        } else if w.message.contains("but the metadata does not declare it") {
            "page lists a property the metadata lacks"
        } else if w.message.contains("the metadata `") {
            "property type differs"
        } else if w.message.contains("binds no such operation") {
            "page lists an operation the metadata lacks"
        } else {
            "other"
        };
        *disagreements.entry(kind).or_default() += 1;
    }
    let mut report = format!(
        "{} pages read: {clean} clean, {with_problems} with diagnostics\n\nProblems by reason:\n",
        pages.len()
    );
    let mut by_count: Vec<_> = reasons.into_iter().collect();
    by_count.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (reason, n) in by_count {
        report.push_str(&format!("{n:6}  {reason}\n"));
    }
    let agree = |total: usize, kinds: &[&str]| {
        let off: usize = kinds.iter().map(|k| disagreements.get(k).copied().unwrap_or(0)).sum();
        format!(
            "{} of {total} agree ({:.1}%)",
            total.saturating_sub(off),
            100.0 * total.saturating_sub(off) as f64 / total.max(1) as f64
        )
    };
    report.push_str("\nResource pages against the metadata of the same month:\n");
    report.push_str(&format!(
        "  types:      {}\n",
        agree(documented_types, &["page documents a type the metadata lacks"])
    ));
    report.push_str(&format!(
        "  properties: {}\n",
        agree(documented_properties, &["page lists a property the metadata lacks", "property type differs"])
    ));
    report.push_str(&format!(
        "  operations: {}\n",
        agree(documented_operations, &["page lists an operation the metadata lacks"])
    ));
    report.push_str("\nDisagreements by kind (warnings):\n");
    for (kind, n) in &disagreements {
        report.push_str(&format!("{n:6}  {kind}\n"));
    }
    report.push_str("\nAll warnings:\n");
    for w in warnings.iter() {
        report.push_str(&format!("{w}\n"));
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docs-report.txt");
    std::fs::write(&out, &report).unwrap();
    eprintln!("{}\nfull report: {}", report.lines().take(20).collect::<Vec<_>>().join("\n"), out.display());
    assert!(pages.len() > 3000, "{} pages", pages.len());
}
