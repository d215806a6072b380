//! Names at the root of the generated code: a type of the service namespace that the root's
//! own re-exports (`Client`, `Error`, `ReqwestTransport`) shadow is reported where it is
//! declared, and naming warnings carry a real location or none (never `:0:0`).

use codegen::{Builder, Diagnostic, Layout};

const EDMX_OPEN: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
"#;
const EDMX_CLOSE: &str = "  </edmx:DataServices>\n</edmx:Edmx>\n";

fn csdl(schemas: &str) -> String {
    format!("{EDMX_OPEN}{schemas}{EDMX_CLOSE}")
}

fn warnings(text: String) -> Vec<Diagnostic> {
    let out = Builder::new()
        .input_text("x.csdl.xml", text)
        .layout(Layout::Crate { name: "x".into() })
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    out.warnings().iter().cloned().collect()
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    1 + text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no {needle}")) as u32
}

#[test]
fn main_namespace_types_shadowed_at_the_root_are_reported_at_their_declaration() {
    let text = csdl(
        r#"    <Schema Namespace="fix.svc" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="client">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
      <EntityType Name="error">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EnumType Name="reqwestTransport">
        <Member Name="a" />
      </EnumType>
      <ComplexType Name="other">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
      <EntityContainer Name="svc">
        <EntitySet Name="errors" EntityType="fix.svc.error" />
      </EntityContainer>
    </Schema>
"#,
    );
    let warnings = warnings(text.clone());
    let hidden: Vec<&Diagnostic> =
        warnings.iter().filter(|d| d.message.contains("is not re-exported at the root")).collect();
    assert_eq!(hidden.len(), 3, "{warnings:#?}");
    for (wire, rust, is, decl) in [
        ("client", "Client", "the service's client", r#"<ComplexType Name="client">"#),
        ("error", "Error", "the client's error type", r#"<EntityType Name="error">"#),
        (
            "reqwestTransport",
            "ReqwestTransport",
            "the reqwest transport",
            r#"<EnumType Name="reqwestTransport">"#,
        ),
    ] {
        let d = hidden
            .iter()
            .find(|d| d.message.starts_with(&format!("type `{wire}` ")))
            .unwrap_or_else(|| panic!("no warning for `{wire}`: {hidden:#?}"));
        assert!(d.message.contains("of `fix.svc`"), "{d}");
        assert!(d.message.contains(&format!("where `{rust}` is {is}")), "{d}");
        assert!(d.message.contains(&format!("it is `svc::{rust}`")), "{d}");
        let at = d.location.as_ref().unwrap_or_else(|| panic!("no location: {d}"));
        assert_eq!(at.file, "x.csdl.xml", "{d}");
        assert_eq!(at.line, line_of(&text, decl), "{d}");
        assert!(at.column > 0, "{d}");
    }
}

#[test]
fn types_of_other_namespaces_are_not_reported() {
    let text = csdl(
        r#"    <Schema Namespace="fix.svc" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityContainer Name="svc">
        <EntitySet Name="things" EntityType="fix.svc.thing" />
      </EntityContainer>
    </Schema>
    <Schema Namespace="fix.other" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="client">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
    </Schema>
"#,
    );
    let warnings = warnings(text);
    assert!(!warnings.iter().any(|d| d.message.contains("re-exported")), "{warnings:#?}");
}

#[test]
fn a_namespace_module_collision_is_located_at_the_namespaces_first_type() {
    // `runtime` is the runtime's module: the namespace's module becomes `runtime_2`.
    let text = csdl(
        r#"    <Schema Namespace="runtime" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="first">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
      <ComplexType Name="second">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
    </Schema>
    <Schema Namespace="other" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="third">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
    </Schema>
"#,
    );
    let warnings = warnings(text.clone());
    let d = warnings
        .iter()
        .find(|d| d.message.starts_with("namespace module `runtime`"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    let at = d.location.as_ref().unwrap_or_else(|| panic!("no location: {d}"));
    assert_eq!((at.file.as_str(), at.line), ("x.csdl.xml", line_of(&text, r#"<ComplexType Name="first">"#)));
    assert!(!d.to_string().starts_with(':'), "{d}");
}

#[test]
fn a_namespace_module_collision_without_types_has_no_location() {
    // `runtime` declares no type, only a function: nothing in it has a place to point at.
    let text = csdl(
        r#"    <Schema Namespace="runtime" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <Function Name="ping">
        <ReturnType Type="Edm.String" />
      </Function>
    </Schema>
    <Schema Namespace="other" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="third">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
    </Schema>
"#,
    );
    let warnings = warnings(text);
    let d = warnings
        .iter()
        .find(|d| d.message.starts_with("namespace module `runtime`"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert_eq!(d.location, None, "{d}");
    assert!(d.to_string().starts_with("warning[W0501]: "), "{d}");
}

#[test]
fn a_property_method_collision_is_located_at_the_property() {
    // The navigation `fooBar` and the stream `foo_bar` both want the method `foo_bar`.
    let text = csdl(
        r#"    <Schema Namespace="fix.svc" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="fooBar" Type="fix.svc.thing" />
        <Property Name="foo_bar" Type="Edm.Stream" />
      </EntityType>
      <EntityContainer Name="svc">
        <EntitySet Name="things" EntityType="fix.svc.thing" />
      </EntityContainer>
    </Schema>
"#,
    );
    let warnings = warnings(text.clone());
    let d = warnings
        .iter()
        .find(|d| d.message.starts_with("method of `thing` requests `foo_bar`"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    let at = d.location.as_ref().unwrap_or_else(|| panic!("no location: {d}"));
    assert_eq!(at.line, line_of(&text, r#"<Property Name="foo_bar""#), "{d}");
    for d in &warnings {
        assert!(!d.to_string().starts_with(':'), "{d}");
    }
}
