//! `codegen operations`, URL resolution and the emitted code agree: every endpoint the listing
//! prints, filled in with sample values, resolves to the same Rust call, and every method its
//! call names exists in the generated code.
//! Runs on every model fixture, and on Graph v1.0 at depth 3 when `../shared` is present.

use std::collections::{BTreeMap, BTreeSet};

use codegen_tests::fixtures;

/// `a(x).b(y, z).c()` → `a(..).b(..).c()`: the calls' shape, without argument text.
fn shape(call: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut empty = true;
    for c in call.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    out.push('(');
                    empty = true;
                }
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    if !empty {
                        out.push_str("..");
                    }
                    out.push(')');
                }
            }
            _ if depth > 0 => empty = false,
            _ => out.push(c),
        }
    }
    out
}

/// The template with every `{name}` replaced by a sample value and the alias query dropped.
fn sample_path(template: &str) -> String {
    let path = template.split('?').next().unwrap_or(template);
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).expect("a closed placeholder");
        out.push('1');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Every `fn` name in the emitted code.
fn emitted_fns(files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for text in files.values() {
        for (i, _) in text.match_indices("fn ") {
            let name: String =
                text[i + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.insert(name);
        }
    }
    names
}

/// The methods a call string calls: `client.users().by_id(..)` → `users`, `by_id`.
fn called(call: &str) -> Vec<String> {
    let call = shape(call).replace("(..)", "()");
    call.split('.').skip(1).map(|part| part.split('(').next().unwrap_or(part).to_owned()).collect()
}

fn check(model: &codegen::model::Model, emitted: &BTreeSet<String>, depth: usize, what: &str) -> usize {
    // Overloads of an action share one URL (the body tells them apart): any of the calls
    // listed for a method and template is the right answer for it.
    let mut listed: BTreeMap<(&'static str, String), BTreeSet<String>> = BTreeMap::new();
    let plan = codegen::plan::build(model, &mut codegen::Diagnostics::default());
    codegen::plan::paths::listing_each(&plan, depth, &mut |e| {
        listed.entry((e.method, e.template)).or_default().insert(shape(&e.call));
    });
    let mut disagreements = Vec::new();
    for ((method, template), calls) in &listed {
        for call in calls {
            for name in called(call).into_iter().filter(|n| !emitted.contains(n)) {
                disagreements.push(format!(
                    "{method} {template}\n  listed: {call}\n  `{name}` is not in the emitted code"
                ));
            }
        }
        let path = sample_path(template);
        match codegen::plan::paths::resolve(&plan, method, &path) {
            Ok(call) if calls.contains(&shape(&call)) => {}
            Ok(call) => {
                disagreements.push(format!("{method} {template}\n  listed:   {calls:?}\n  resolved: {call}"))
            }
            Err(why) => disagreements
                .push(format!("{method} {template} ({path})\n  listed: {calls:?}\n  unresolved: {why}")),
        }
    }
    let shown: Vec<&String> = disagreements.iter().take(20).collect();
    assert!(
        disagreements.is_empty(),
        "{what}: {} of {} listed endpoints do not resolve to their call:\n{}",
        disagreements.len(),
        listed.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    listed.len()
}

#[test]
fn every_listed_endpoint_of_the_fixtures_resolves_to_its_call() {
    let mut total = 0;
    for case in fixtures::cases("models") {
        let builder = fixtures::builder(&case);
        let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
        let emitted = emitted_fns(builder.generate().unwrap_or_else(|e| panic!("{e}")).files());
        total += check(&model, &emitted, 4, &case.display().to_string());
    }
    assert!(total > 50, "{total} endpoints");
}

#[test]
fn every_listed_endpoint_of_graph_v1_resolves_to_its_call() {
    let Some(metadata) = fixtures::shared("graph/v1.0/metadata.xml") else { return };
    let builder = codegen::Builder::new().input(metadata).key_style(codegen::KeyStyle::Segment);
    let (model, _) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    let emitted = emitted_fns(builder.generate().unwrap_or_else(|e| panic!("{e}")).files());
    assert!(check(&model, &emitted, 3, "Graph v1.0") > 10_000);
}
