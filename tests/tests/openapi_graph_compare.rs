//! Graph's beta OpenAPI module for applications (`../shared/graph/openapi-2023-01/beta/
//! Applications.yml`) against the project's synchronization CSDL (the input of `generated/`):
//! every synchronization action and function the CSDL declares is an operation of the OpenAPI
//! document (`stop` included), and the test prints how the synchronization types differ
//! (missing, names, types, nullability), as the two descriptions of one API disagree in places.
//! Skips, saying so, without `../shared`.

use std::collections::BTreeMap;

use codegen::model::{Model, Target, TypeId, TypeKind, TypeRef};
use codegen_tests::fixtures;

/// A property's type as text: `Collection(microsoft.graph.x)`, `String`. Graph's OpenAPI
/// schemas are named with the qualified CSDL name, in a namespace of the document's own.
fn describe(model: &Model, ty: &TypeRef) -> String {
    let item = match ty.target {
        Target::Primitive(p) => format!("{p:?}"),
        Target::Named(id) if model.ty(id).name.contains('.') => model.ty(id).name.clone(),
        Target::Named(id) => model.qualified_name(id),
    };
    if ty.collection {
        format!("Collection({item})")
    } else {
        item
    }
}

/// The properties of `id`, its base types' first: name → (type, nullable).
fn properties(model: &Model, id: TypeId) -> BTreeMap<String, (String, bool)> {
    let mut out = BTreeMap::new();
    for t in model.ancestors(id).into_iter().rev() {
        for p in model.structured(t).map_or(&[][..], |s| &s.properties) {
            out.insert(p.name.clone(), (describe(model, &p.ty), p.nullable));
        }
    }
    out
}

#[test]
fn graph_openapi_has_the_synchronization_api_of_the_csdl() {
    let Some(applications) = fixtures::shared("graph/openapi-2023-01/beta/Applications.yml") else {
        return;
    };
    let checkout = fixtures::root().join("..");
    let (csdl, _) = codegen::Builder::new()
        .input(checkout.join("generated/metadata/synchronization.csdl.xml"))
        .generate_model()
        .unwrap_or_else(|e| panic!("{e}"));
    let (openapi, _) =
        codegen::Builder::new().input(&applications).generate_model().unwrap_or_else(|e| panic!("{e}"));

    // Every action and function, as an operation addressed by its qualified name.
    let templates: Vec<String> = openapi.path_operations.iter().map(|o| o.template()).collect();
    for op in &csdl.operations {
        let segment = format!("/microsoft.graph.{}", op.name);
        let found = templates.iter().any(|t| {
            t.find(&segment)
                .is_some_and(|at| matches!(t[at + segment.len()..].chars().next(), None | Some('(')))
        });
        assert!(found, "no OpenAPI operation for `{}`", op.name);
    }
    assert!(csdl.operations.iter().any(|o| o.name == "stop"));

    // Every type, by its qualified name; and how their properties differ.
    let by_name: BTreeMap<String, TypeId> =
        (0..openapi.types.len()).map(|i| (openapi.qualified_name(TypeId(i)), TypeId(i))).collect();
    let (mut same, mut differences, mut nullability) = (0, Vec::new(), 0);
    for i in 0..csdl.types.len() {
        let id = TypeId(i);
        let name = csdl.qualified_name(id);
        if !name.contains("synchronization") && !name.contains("attributeMapping") {
            continue;
        }
        let Some(&other) = by_name.get(&name) else {
            differences.push(format!("{name}: not a schema of the OpenAPI document"));
            continue;
        };
        match (&csdl.types[i].kind, &openapi.types[other.0].kind) {
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let names = |e: &codegen::model::EnumDef| {
                    e.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>()
                };
                if names(a) == names(b) {
                    same += 1;
                } else {
                    differences.push(format!("{name}: members {:?} vs {:?}", names(a), names(b)));
                }
            }
            (TypeKind::Entity(_) | TypeKind::Complex(_), TypeKind::Complex(_)) => {
                let (a, b) = (properties(&csdl, id), properties(&openapi, other));
                let mut differs = false;
                for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                    let (x, y) = (a.get(key), b.get(key));
                    match (x, y) {
                        (Some(x), Some(y)) if x == y => {}
                        // Graph's OpenAPI declares nothing `required`: every property may be absent.
                        (Some(x), Some(y)) if x.0 == y.0 => nullability += 1,
                        _ => {
                            differs = true;
                            differences.push(format!("{name}.{key}: CSDL {x:?}, OpenAPI {y:?}"));
                        }
                    }
                }
                same += usize::from(!differs);
            }
            (a, b) => {
                differences.push(format!("{name}: a {} in the CSDL, a {} in OpenAPI", kind(a), kind(b)))
            }
        }
    }
    println!(
        "synchronization types alike in both (nullability aside): {same}; properties that differ only in nullability: {nullability}; other differences ({}):",
        differences.len()
    );
    for d in &differences {
        println!("  {d}");
    }
    assert!(same > 0, "no type is alike");
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Entity(_) => "entity type",
        TypeKind::Complex(_) => "complex type",
        TypeKind::Enum(_) => "enumeration",
        TypeKind::Definition(_) => "type definition",
        TypeKind::Union(_) => "union",
    }
}
