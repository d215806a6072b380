//! Every example an OpenAPI document gives for a schema, a media type or a parameter
//! (`example`, a 3.1 schema's `examples` array, an `examples` map of Example objects, with
//! `$ref`s to `components/examples`) is read into the type the generated code has for it and
//! written back, and must come back equal as JSON (numbers compared by value).
//!
//! The examples are found twice: by the generator (`Model::examples`, each with its type),
//! and by a walk of the document's YAML here, independent of the generator. A value the walk
//! finds that the generator did not type, or that does not come back equal, is a failure;
//! failures must be listed with their reasons in `OPENAPI_EXAMPLES_EXCEPTIONS` (default:
//! `tests/fixtures/openapi-examples-exceptions.txt`, for the default documents; an entry's
//! `*` matches any text). The documents: `OPENAPI_EXAMPLES_DOCUMENTS` (paths joined by
//! `:`), by default every file of `../shared/openapi/` and
//! `../shared/graph/openapi-2023-01/v1.0/`. The report is written to
//! `target/tmp/openapi-examples.txt`.
//!
//! One harness crate reads every value: it includes the generated code of each document
//! with examples of its named types, and reads primitives as the runtime's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::model::Target;
use codegen_tests::fixtures;
use codegen_tests::roundtrip::{difference, normalise, read_exceptions, Harness};
use serde_json::Value;

/// Members whose value is a map of names (not of keywords): what is under them is named
/// by the document, so a member there called `example` is no example.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "content",
    "paths",
    "callbacks",
    "links",
    "securitySchemes",
    "requestBodies",
    "webhooks",
    "variables",
    "mapping",
    "encoding",
    "pathItems",
];

/// JSON pointer escaping of one segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The key of a YAML mapping as the text it prints as (`200:` is `200`).
fn key_text(key: &serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

/// The places of example values under `node` (at `pointer`): each `example`, each item of
/// an `examples` array, and each Example object's `value` in an `examples` map (one that is
/// a `$ref` counts where it points: `components/examples`). An `externalValue` is listed
/// with its own pointer. Vendor extensions (`x-…`) are not walked.
fn walk(node: &serde_yaml::Value, pointer: &str, names: bool, out: &mut Vec<String>) {
    let serde_yaml::Value::Mapping(map) = node else {
        if let serde_yaml::Value::Sequence(items) = node {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), false, out);
            }
        }
        return;
    };
    for (key, value) in map {
        let key = key_text(key);
        let here = format!("{pointer}/{}", escape(&key));
        if names {
            walk(value, &here, false, out);
        } else if key.starts_with("x-") {
        } else if key == "example" {
            out.push(here);
        } else if key == "examples" {
            examples(value, &here, out);
        } else {
            walk(value, &here, NAME_MAPS.contains(&key.as_str()), out);
        }
    }
}

/// The example values of an `examples` member at `pointer`.
fn examples(value: &serde_yaml::Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Sequence(items) => out.extend((0..items.len()).map(|i| format!("{pointer}/{i}"))),
        serde_yaml::Value::Mapping(map) => {
            for (name, example) in map {
                let here = format!("{pointer}/{}", escape(&key_text(name)));
                if example.get("$ref").is_some() {
                    continue;
                }
                if example.get("value").is_some() {
                    out.push(format!("{here}/value"));
                } else if example.get("externalValue").is_some() {
                    out.push(format!("{here}/externalValue"));
                }
            }
        }
        _ => {}
    }
}

/// Every example value of the document at `path`, found by [`walk`].
fn found_examples(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let root: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut out = Vec::new();
    walk(&root, "", false, &mut out);
    if let Some(components) = root.get("components").and_then(|c| c.get("examples")) {
        // `components/examples` is a map of Example objects, referred to from elsewhere.
        examples(components, "/components/examples", &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `pattern` (`*` matching any text) matches all of `text`.
fn matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// One value to read and write back.
struct Check {
    /// `file#pointer`.
    id: String,
    rust_type: String,
    value: Value,
}

/// The documents of the corpus, and whether they are the default ones.
fn documents() -> Option<(Vec<PathBuf>, bool)> {
    if let Some(list) = std::env::var_os("OPENAPI_EXAMPLES_DOCUMENTS") {
        return Some((std::env::split_paths(&list).collect(), false));
    }
    let mut out = Vec::new();
    for dir in ["openapi", "graph/openapi-2023-01/v1.0"] {
        let dir = fixtures::shared(dir)?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    Some((out, true))
}

#[test]
fn every_example_in_the_openapi_documents_roundtrips_through_its_generated_type() {
    let Some((documents, default)) = documents() else { return };
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("openapi-examples");
    std::fs::create_dir_all(tmp.join("harness/src")).unwrap();
    let (mut checks, mut failures) = (Vec::new(), BTreeMap::new());
    let (mut items, mut counts) = (String::from("use codegen_runtime as runtime;\n"), Vec::new());
    for (i, path) in documents.iter().enumerate() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let builder = codegen::Builder::new().input(path);
        let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
        let plan = codegen::plan::build(&model, &mut codegen::Diagnostics::default());
        // The document's code is part of the harness when an example is of a named type.
        let named = model.examples.iter().any(|e| matches!(e.ty.target, Target::Named(_)));
        let root = if named { format!("crate::document{i}") } else { "crate".to_owned() };
        if named {
            let (code, _) = builder.generate_single().unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(tmp.join(format!("harness/src/document{i}.rs")), code).unwrap();
            items.push_str(&format!("#[allow(dead_code)]\nmod document{i};\n"));
        }
        let name = path.to_string_lossy();
        let mut typed = BTreeMap::new();
        for e in &model.examples {
            let pointer = e.at.strip_prefix(name.as_ref()).and_then(|p| p.strip_prefix('#')).unwrap();
            let ty = codegen::value_type_path(&plan, e.ty, &root);
            let rust_type = if e.nullable { format!("Option<{ty}>") } else { ty };
            let value: Value = serde_json::from_str(&e.value).unwrap();
            typed.entry(pointer.to_owned()).or_insert_with(Vec::new).push(Check {
                id: format!("{file}#{pointer}"),
                rust_type,
                value,
            });
        }
        let found = found_examples(path);
        let read = found.iter().filter(|p| typed.contains_key(*p)).count();
        counts.push((file.clone(), found.len(), read));
        for pointer in &found {
            match typed.remove(pointer) {
                Some(c) => checks.extend(c),
                None => {
                    failures.insert(format!("{file}#{pointer}"), "not typed by the generator".to_owned());
                }
            }
        }
        // What the generator typed that the walk did not find is a defect of one of them.
        assert!(
            typed.is_empty(),
            "{file}: the generator found examples the walk did not: {:?}",
            typed.keys()
        );
    }

    let mut types: Vec<String> = checks.iter().map(|c| c.rust_type.clone()).collect();
    types.sort();
    types.dedup();
    let index = |t: &str| types.binary_search_by(|x| x.as_str().cmp(t)).unwrap();
    let values: Vec<(usize, String)> =
        checks.iter().map(|c| (index(&c.rust_type), c.value.to_string())).collect();
    let dependencies =
        format!("codegen-runtime = {{ path = {:?} }}\n", fixtures::root().join("../templates"));
    let harness = Harness {
        name: "openapi-examples-harness",
        dependencies: &dependencies,
        items: &items,
        types: &types,
    };
    let target = codegen_tests::generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    let results = harness.run(&tmp.join("harness"), &target, &values);
    let mut passed = BTreeMap::<String, usize>::new();
    for (c, result) in checks.iter().zip(&results) {
        let verdict = match result.split_once(' ') {
            Some(("ok", json)) => {
                let back: Value = serde_json::from_str(json).unwrap();
                difference("", &normalise(&c.value), &normalise(&back))
                    .map(|d| format!("{} differs at {d}", c.rust_type))
            }
            _ => Some(format!("{}: {result}", c.rust_type)),
        };
        match verdict {
            Some(why) => {
                failures.insert(c.id.clone(), why);
            }
            None => *passed.entry(c.id.split('#').next().unwrap().to_owned()).or_default() += 1,
        }
    }

    let mut report = String::from("document: examples found, typed by the generator, round-tripped\n");
    let (mut all, mut all_typed, mut all_passed) = (0, 0, 0);
    for (file, found, typed) in &counts {
        let ok = passed.get(file).copied().unwrap_or(0);
        report.push_str(&format!("{file}: {found} found, {typed} typed, {ok} round-trip\n"));
        (all, all_typed, all_passed) = (all + found, all_typed + typed, all_passed + ok);
    }
    report
        .push_str(&format!("total: {all} found, {all_typed} typed, {all_passed} round-trip\n\nFailures:\n"));
    for (id, why) in &failures {
        report.push_str(&format!("{id}  {why}\n"));
    }
    let report_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("openapi-examples.txt");
    std::fs::write(&report_path, &report).unwrap();
    eprintln!("{}", report.lines().filter(|l| l.starts_with("total")).collect::<String>());
    eprintln!("report: {}", report_path.display());

    let exceptions = match std::env::var_os("OPENAPI_EXAMPLES_EXCEPTIONS") {
        Some(p) => read_exceptions(Path::new(&p)),
        None if default => {
            read_exceptions(&fixtures::root().join("fixtures/openapi-examples-exceptions.txt"))
        }
        None => return,
    };
    let unexplained: Vec<String> = failures
        .iter()
        .filter(|(id, _)| !exceptions.keys().any(|pattern| matches(pattern, id)))
        .map(|(id, why)| format!("{id}  {why}"))
        .collect();
    let stale: Vec<&String> =
        exceptions.keys().filter(|pattern| !failures.keys().any(|id| matches(pattern, id))).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "{} failures not in the exceptions file:\n{}\n{} exceptions that match no failure: {stale:?}",
        unexplained.len(),
        unexplained.join("\n"),
        stale.len()
    );
}

#[test]
fn exception_patterns_match_any_text_at_a_star() {
    assert!(matches("a.yaml#/paths/*/headers/*", "a.yaml#/paths/~1x/get/responses/200/headers/H/example"));
    assert!(matches("a.yaml#/x", "a.yaml#/x"));
    assert!(!matches("a.yaml#/x", "a.yaml#/xy"));
    assert!(!matches("a.yaml#/paths/*/schema", "a.yaml#/paths/~1x/headers"));
}
