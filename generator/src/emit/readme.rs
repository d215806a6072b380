//! The example in a generated crate's README: list the service's first readable entity set
//! and print each entity's key, written with that crate's own names.

use crate::plan::surface::MemberKind;
use crate::plan::Plan;

/// A markdown section with a Rust example for the crate `crate_name`, or `None` when the
/// service root has no readable entity set.
pub fn example(plan: &Plan, crate_name: &str) -> Option<String> {
    let (member, segment, target) = plan.surface.root.iter().find_map(|m| match &m.kind {
        MemberKind::Navigate { segment, target, collection: true, access, .. } if access.read => {
            Some((m, segment, *target))
        }
        _ => None,
    })?;
    let ty = plan.ty(target);
    let structured = plan.model.structured(target)?;
    // The first key property, read as a field (a plain struct) or through the accessor every
    // variant of an `Any…` enum has.
    let key = structured.key.first().and_then(|k| ty.fields.iter().find(|f| plan.property(f).name == k.path));
    let print = match (key, &ty.polymorphic) {
        (Some(f), Some(_)) => format!("item.{}()", f.rust_name),
        (Some(f), None) => format!("item.{}", f.rust_name),
        (None, _) => "item".to_owned(),
    };
    let krate = crate_name.replace('-', "_");
    let value = ty.value_name();
    let method = &member.rust_name;
    let polymorphic_note = match &ty.polymorphic {
        Some(_) => format!(
            "\n`{segment}` holds `{value}` values: match on the enum for the concrete type, or call the \
             base type's accessors (`{print}`), which work on every variant.\n"
        ),
        None => String::new(),
    };
    Some(format!(
        r#"## Example

With the `reqwest` feature (and `tokio` for the runtime):

```rust,no_run
use {krate}::{{Client, Error, ReqwestTransport}};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {{
    // The service root: the URL that `$metadata` sits under.
    let client = Client::new("https://example.com/service", ReqwestTransport::new());
    // GET /{segment}?$top=5
    let page = client.{method}().list().top(5).await?;
    for item in &page.value {{
        println!("{{:?}}", {print});
    }}
    Ok(())
}}
```
{polymorphic_note}
"#
    ))
}

/// A markdown section listing the crate's area features ([`crate::plan::features`]).
pub fn features(crate_name: &str, areas: &[String]) -> String {
    let list: Vec<String> = areas.iter().map(|a| format!("`{a}`")).collect();
    let first = areas.first().map(String::as_str).unwrap_or("...");
    format!(
        r#"## Features

Each member of the service root is a feature that compiles it and what it needs: {}.
`full`, the default, enables them all. A program that uses a few compiles only those:

```toml
[dependencies]
{crate_name} = {{ path = "...", default-features = false, features = ["{first}", "reqwest"] }}
```

"#,
        list.join(", ")
    )
}
