//! Every documented Graph payload round-trips through the generated models: each response
//! example with a strict-JSON body and an `@odata.type` is read into its declared type (the
//! `value` array as a collection when the example is one) and written back, and the result
//! must equal the input as JSON values (numbers compared by value). Request examples take
//! part when the URL and the metadata determine the body's type: an entity for create,
//! update and replace; the parameters of an action, each by its declared type.
//!
//! Paths are parameters, so the same test runs on any version of Graph's metadata and docs:
//! `GRAPH_ROUNDTRIP_METADATA` and `GRAPH_ROUNDTRIP_EXAMPLES` (defaults: the 2021-07 v1.0 pair
//! under `../shared/graph/`). Failures must be listed, each with its reason, in
//! `GRAPH_ROUNDTRIP_EXCEPTIONS` (default: `tests/fixtures/roundtrip-exceptions.txt`, written
//! for the default pair). The report is written to `target/tmp/graph-roundtrip.txt`.
//!
//! The models are generated into a crate, and a small harness crate that reads each checked
//! value as its type is built and run on them (in the target directory shared by the tests
//! that build generated crates).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::model::{Model, Primitive, Target, TypeId, TypeRef};
use codegen::plan::paths::{resolve_request, RequestBody};
use codegen::plan::Plan;
use codegen_tests::fixtures;
use codegen_tests::fixtures::{path_from_env, service_path};
use codegen_tests::roundtrip::{difference, normalise, read_exceptions, Harness};
use serde_json::Value;

const CRATE: &str = "graph_roundtrip_models";

/// One value to read as a type and write back.
struct Check {
    /// The example it belongs to, e.g. `user-get.md#response1`.
    example: String,
    /// Where in the example (empty for the whole body; the parameter name for actions).
    part: String,
    /// The declared type, and its Rust type.
    ty: TypeRef,
    rust_type: String,
    value: Value,
}

/// Finds a type by its qualified (or alias-qualified) name, exactly or else ignoring case
/// (the docs do not always spell names as the metadata does).
fn find_type(model: &Model, name: &str) -> Option<TypeId> {
    let mut loose = None;
    for (i, t) in model.types.iter().enumerate() {
        let ns = &model.namespaces[t.namespace.0];
        for prefix in std::iter::once(&ns.name).chain(&ns.aliases) {
            let qualified = format!("{prefix}.{}", t.name);
            if qualified == name {
                return Some(TypeId(i));
            }
            if loose.is_none() && qualified.eq_ignore_ascii_case(name) {
                loose = Some(TypeId(i));
            }
        }
    }
    loose
}

/// `Collection(microsoft.graph.user)` → (`microsoft.graph.user`, true); `string` → `Edm.String`.
fn declared_type(model: &Model, name: &str) -> Result<TypeRef, String> {
    let name = name.trim();
    let (inner, collection) = match name.get(..11) {
        Some(p) if p.eq_ignore_ascii_case("collection(") && name.ends_with(')') => {
            (&name[11..name.len() - 1], true)
        }
        _ => (name, false),
    };
    let inner = if inner.eq_ignore_ascii_case("string") { "Edm.String" } else { inner };
    let target = match inner.strip_prefix("Edm.") {
        Some(p) => {
            Target::Primitive(Primitive::from_edm(p).ok_or_else(|| format!("`{inner}` is no Edm type"))?)
        }
        None => {
            Target::Named(find_type(model, inner).ok_or_else(|| format!("`{inner}` is not in the metadata"))?)
        }
    };
    Ok(TypeRef { map: false, collection, target })
}

fn is_structured(model: &Model, ty: TypeRef) -> bool {
    matches!(ty.target, Target::Named(id) if model.structured(id).is_some())
}

/// The value of a response example that has the declared type: the body of a single
/// structured value, else its `value` member (collections, primitives, enums).
fn response_value(model: &Model, ty: TypeRef, body: &Value) -> Result<Value, String> {
    if !ty.collection && is_structured(model, ty) {
        return Ok(body.clone());
    }
    match body {
        Value::Object(o) if o.contains_key("value") => Ok(o["value"].clone()),
        Value::Array(_) if ty.collection => Ok(body.clone()),
        _ if ty.collection => Err("a collection response without a `value` array".to_owned()),
        _ => Ok(body.clone()),
    }
}

/// How the property values of the checked documents meet the metadata: typed into their
/// fields, explicit nulls, or kept raw in `extra` (of another shape than declared), plus the
/// undeclared properties and the values read as a derived type. Mirrors the reading rules
/// of `templates/src/wire.rs` (which `lossless_models` proves on the generated code).
#[derive(Default)]
struct Tally {
    typed: usize,
    nulls: usize,
    raw: usize,
    undeclared: usize,
    derived: usize,
    raw_examples: BTreeMap<String, usize>,
    undeclared_examples: BTreeMap<String, usize>,
}

impl Tally {
    /// Counts the properties of `value`, read as `ty`.
    fn value(&mut self, model: &Model, ty: TypeRef, value: &Value) -> bool {
        if ty.collection {
            return match value {
                Value::Array(items) => {
                    let item = TypeRef { map: false, collection: false, ..ty };
                    // Every item is counted, even after one that does not fit.
                    let mut all = true;
                    for v in items {
                        all &= !v.is_null() && self.value(model, item, v);
                    }
                    all
                }
                _ => false,
            };
        }
        match ty.target {
            Target::Primitive(p) => primitive_fits(p, value),
            Target::Named(id) => match &model.ty(id).kind {
                codegen::model::TypeKind::Enum(_) => value.is_string(),
                codegen::model::TypeKind::Definition(d) => primitive_fits(d.underlying, value),
                _ => match value {
                    Value::Object(o) => {
                        self.object(model, id, o);
                        true
                    }
                    _ => false,
                },
            },
        }
    }

    fn object(&mut self, model: &Model, declared: TypeId, object: &serde_json::Map<String, Value>) {
        let mut id = declared;
        if let Some(Value::String(name)) = object.get("@odata.type") {
            let name = name.trim_start_matches('#');
            if let Some(t) = find_type(model, name)
                .filter(|t| *t != declared && model.with_descendants(declared).contains(t))
            {
                self.derived += 1;
                id = t;
            }
        }
        // Its properties, inherited ones included.
        let properties: Vec<&codegen::model::Property> = model
            .ancestors(id)
            .iter()
            .filter_map(|t| model.structured(*t))
            .flat_map(|s| &s.properties)
            .collect();
        for (name, v) in object {
            if name.contains('@') {
                continue;
            }
            match properties.iter().find(|p| p.name == *name) {
                None => {
                    self.undeclared += 1;
                    *self.undeclared_examples.entry(format!("{}.{name}", model.ty(id).name)).or_default() +=
                        1;
                }
                Some(_) if v.is_null() => self.nulls += 1,
                Some(p) => {
                    if self.value(model, p.ty, v) {
                        self.typed += 1;
                    } else {
                        self.raw += 1;
                        *self.raw_examples.entry(format!("{}.{name}", model.ty(id).name)).or_default() += 1;
                    }
                }
            }
        }
    }
}

/// Whether a JSON value has the shape the runtime reads as primitive `p`.
fn primitive_fits(p: Primitive, v: &Value) -> bool {
    use Primitive::*;
    let int = |min: i64, max: i64| v.as_i64().is_some_and(|i| (min..=max).contains(&i));
    match p {
        String | Guid | Date | DateTime | DateTimeOffset | TimeOfDay | Duration | Binary | Stream => {
            v.is_string()
        }
        Boolean => v.is_boolean(),
        Byte => int(0, 255),
        SByte => int(-128, 127),
        Int16 => int(i16::MIN.into(), i16::MAX.into()),
        Int32 => int(i32::MIN.into(), i32::MAX.into()),
        Int64 => v.is_i64() || v.as_u64().is_some_and(|u| i64::try_from(u).is_ok()),
        Double => v.is_f64() || v.as_i64().is_some_and(|i| i.unsigned_abs() <= 1 << 53),
        Single => v.as_f64().is_some_and(|f| (f as f32).to_string().parse::<f64>() == Ok(f)),
        Decimal => v.is_number() || v.is_string(),
        Geography | Geometry => v.is_object(),
        Untyped => true,
    }
}

/// The checks of every example, and the examples that could not be checked (with why).
fn checks(plan: &Plan, examples: &str) -> (Vec<Check>, Vec<(String, String)>, usize) {
    let (model, root) = (plan.model, CRATE);
    let (mut out, mut skipped, mut unresolved_requests) = (Vec::new(), Vec::new(), 0);
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for line in examples.lines().filter(|l| !l.trim().is_empty()) {
        let e: Value = serde_json::from_str(line).expect("an example line is JSON");
        let (page, kind) = (e["page"].as_str().unwrap_or_default(), e["kind"].as_str().unwrap_or_default());
        let n = seen.entry((page.to_owned(), kind.to_owned())).or_default();
        *n += 1;
        let id = format!("{page}#{kind}{n}");
        if e["body_parses"] != true {
            continue;
        }
        let body: Value = serde_json::from_str(e["body"].as_str().unwrap_or_default()).expect("body_parses");
        match kind {
            "response" => {
                let Some(name) = e["odata_type"].as_str() else { continue };
                let declared = declared_type(model, name).map(|mut ty| {
                    ty.collection |= e["is_collection"] == true;
                    ty
                });
                match declared.and_then(|ty| Ok((ty, response_value(model, ty, &body)?))) {
                    Ok((ty, value)) => out.push(Check {
                        example: id,
                        part: String::new(),
                        ty,
                        rust_type: codegen::value_type_path(plan, ty, root),
                        value,
                    }),
                    Err(why) => skipped.push((id, why)),
                }
            }
            "request" => {
                let (method, url) =
                    (e["method"].as_str().unwrap_or_default(), e["url"].as_str().unwrap_or_default());
                match resolve_request(plan, method, &service_path(url)).map(|r| r.body) {
                    Ok(Some(RequestBody::Entity(t))) => {
                        let ty = TypeRef { map: false, collection: false, target: Target::Named(t) };
                        let rust_type = codegen::value_type_path(plan, ty, root);
                        out.push(Check { example: id, part: String::new(), ty, rust_type, value: body })
                    }
                    Ok(Some(RequestBody::Parameters(op))) => {
                        let op = &model.operations[op.0];
                        let Value::Object(args) = body else {
                            skipped.push((id, "an action body that is not an object".to_owned()));
                            continue;
                        };
                        for (name, value) in args {
                            // Graph matches parameter names ignoring case; so does this.
                            let param = op.parameters.iter().find(|p| p.name == name);
                            let param = param.or_else(|| {
                                op.parameters.iter().find(|p| p.name.eq_ignore_ascii_case(&name))
                            });
                            match param {
                                Some(p) => {
                                    let ty = codegen::value_type_path(plan, p.ty, root);
                                    // A nullable parameter is an `Option` of the generated method.
                                    let rust_type = if p.nullable { format!("Option<{ty}>") } else { ty };
                                    out.push(Check {
                                        example: id.clone(),
                                        part: name,
                                        ty: p.ty,
                                        rust_type,
                                        value,
                                    })
                                }
                                None => skipped
                                    .push((id.clone(), format!("`{name}` is no parameter of `{}`", op.name))),
                            }
                        }
                    }
                    _ => unresolved_requests += 1,
                }
            }
            _ => {}
        }
    }
    (out, skipped, unresolved_requests)
}

/// Generates the models and the harness, runs it on the checks; one line per check:
/// `ok <json>` or `error <message>`.
fn run_harness(metadata: &Path, checks: &[Check]) -> Vec<String> {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("graph-roundtrip");
    let builder = codegen::Builder::new()
        .input(metadata)
        .key_style(codegen::KeyStyle::Segment)
        .layout(codegen::Layout::Crate { name: CRATE.replace('_', "-") });
    // The test's own scratch directory: Force also takes over one left by an older version.
    let output = builder.generate().unwrap_or_else(|e| panic!("{e}"));
    output.write_to_with(tmp.join("models"), codegen::Overwrite::Force).unwrap_or_else(|e| panic!("{e}"));

    let types: BTreeSet<&str> = checks.iter().map(|c| c.rust_type.as_str()).collect();
    let index: BTreeMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    let dependencies = format!("{} = {{ path = \"../models\" }}\n", CRATE.replace('_', "-"));
    let harness =
        Harness { name: "graph-roundtrip-harness", dependencies: &dependencies, items: "", types: &types };
    let values: Vec<(usize, String)> =
        checks.iter().map(|c| (index[c.rust_type.as_str()], c.value.to_string())).collect();
    let target = codegen_tests::generated_crates::target_dir(env!("CARGO_TARGET_TMPDIR"));
    harness.run(&tmp.join("harness"), &target, &values)
}

#[test]
fn documented_graph_payloads_roundtrip_through_the_generated_models() {
    let custom = std::env::var_os("GRAPH_ROUNDTRIP_METADATA").is_some();
    let Some(metadata) = path_from_env("GRAPH_ROUNDTRIP_METADATA", "graph/2021-07/metadata-v1.0.xml") else {
        return;
    };
    let Some(examples) = path_from_env("GRAPH_ROUNDTRIP_EXAMPLES", "graph/2021-07/examples-v1.0.jsonl")
    else {
        return;
    };
    let (model, _) =
        codegen::Builder::new().input(&metadata).generate_model().unwrap_or_else(|e| panic!("{e}"));
    let plan = codegen::plan::build(&model, &mut codegen::Diagnostics::default());
    let (checks, skipped, unresolved) = checks(&plan, &std::fs::read_to_string(&examples).unwrap());
    let mut tally = Tally::default();
    for c in &checks {
        tally.value(&model, c.ty, &c.value);
    }
    let results = run_harness(&metadata, &checks);
    assert_eq!(results.len(), checks.len(), "one result per check");

    // Per example: the first failing part decides.
    let mut outcome: BTreeMap<&str, Result<(), String>> = BTreeMap::new();
    for (c, result) in checks.iter().zip(&results) {
        let verdict = match result.split_once(' ') {
            Some(("ok", json)) => {
                let back: Value = serde_json::from_str(json).unwrap();
                match difference("", &normalise(&c.value), &normalise(&back)) {
                    None => Ok(()),
                    Some(d) => Err(format!("{} differs at {d}", c.rust_type)),
                }
            }
            _ => Err(format!("{}: {result}", c.rust_type)),
        };
        let verdict =
            verdict.map_err(|e| if c.part.is_empty() { e } else { format!("parameter `{}`: {e}", c.part) });
        let entry = outcome.entry(c.example.as_str()).or_insert(Ok(()));
        if entry.is_ok() {
            *entry = verdict;
        }
    }
    let mut failures: BTreeMap<String, String> =
        outcome.iter().filter_map(|(id, r)| r.as_ref().err().map(|e| (id.to_string(), e.clone()))).collect();
    for (id, why) in &skipped {
        failures.entry(id.clone()).or_insert_with(|| format!("not checked: {why}"));
    }
    // Examples checked or skipped (an action body can be both: some parameters checked).
    let examples: BTreeSet<&str> =
        outcome.keys().copied().chain(skipped.iter().map(|(id, _)| id.as_str())).collect();
    let count = |kind: &str| {
        let of_kind = |id: &str| id.contains(&format!("#{kind}"));
        let all = examples.iter().filter(|id| of_kind(id)).count();
        let failed = failures.keys().filter(|id| of_kind(id)).count();
        (all - failed, all)
    };
    let ((responses_ok, responses), (requests_ok, requests)) = (count("response"), count("request"));
    let mut report = format!(
        "responses: {responses_ok} of {responses} round-trip\n\
         requests with a body the URL and metadata type: {requests_ok} of {requests} round-trip \
         ({unresolved} other request bodies: no typed body, or a URL the metadata does not resolve)\n\
         property values: {} typed into their fields, {} explicit nulls, {} of another shape than \
         declared (kept raw in `extra`); {} undeclared properties kept in `extra`; {} values read \
         as a type derived from the declared one\n\n\
         Failures:\n",
        tally.typed, tally.nulls, tally.raw, tally.undeclared, tally.derived
    );
    for (id, why) in &failures {
        report.push_str(&format!("{id}  {why}\n"));
    }
    for (title, counts) in [
        ("Properties of another shape than declared", &tally.raw_examples),
        ("Undeclared properties", &tally.undeclared_examples),
    ] {
        report.push_str(&format!("\n{title}, by type and property:\n"));
        let mut by_count: Vec<_> = counts.iter().collect();
        by_count.sort_by_key(|(name, n)| (std::cmp::Reverse(**n), name.as_str()));
        for (name, n) in by_count {
            report.push_str(&format!("{n:5}  {name}\n"));
        }
    }
    let report_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("graph-roundtrip.txt");
    std::fs::write(&report_path, &report).unwrap();
    eprintln!("{}", report.lines().take(3).collect::<Vec<_>>().join("\n"));
    eprintln!("report: {}", report_path.display());

    let exceptions = match std::env::var_os("GRAPH_ROUNDTRIP_EXCEPTIONS") {
        Some(p) => read_exceptions(Path::new(&p)),
        None if !custom => read_exceptions(&fixtures::root().join("fixtures/roundtrip-exceptions.txt")),
        // Other metadata without an exceptions file: the report is the result.
        None => return,
    };
    let unexplained: Vec<String> = failures
        .iter()
        .filter(|(id, _)| !exceptions.contains_key(*id))
        .map(|(id, why)| format!("{id}  {why}"))
        .collect();
    let stale: Vec<&String> = exceptions.keys().filter(|id| !failures.contains_key(*id)).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "{} failures not in the exceptions file:\n{}\n{} exceptions that now pass: {stale:?}",
        unexplained.len(),
        unexplained.join("\n"),
        stale.len()
    );
}
