//! Lenient mode: type references that name nothing (sloppy real metadata, such as a base type
//! `System.Object` that no schema declares) are read as untyped JSON with a warning each,
//! when asked; by default they fail the run, located.

use codegen::model::{Primitive, Target, TypeKind};

const SLOPPY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Sloppy" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Item" BaseType="System.Object">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="payload" Type="Vendor.Blob" />
        <Property Name="history" Type="Collection(Vendor.Blob)" />
        <NavigationProperty Name="owner" Type="Vendor.User" />
      </EntityType>
      <Function Name="lookup">
        <Parameter Name="query" Type="Vendor.Query" />
        <ReturnType Type="Sloppy.Item" />
      </Function>
      <EntityContainer Name="Service">
        <EntitySet Name="Items" EntityType="Sloppy.Item" />
        <FunctionImport Name="lookup" Function="Sloppy.lookup" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

fn builder() -> codegen::Builder {
    codegen::Builder::new().input_text("sloppy.xml", SLOPPY)
}

#[test]
fn by_default_undeclared_types_fail_the_run_at_each_use() {
    let err = builder().generate_model().unwrap_err().to_string();
    assert!(
        err.contains("sloppy.xml:5:7: error[E0303]: reference to undeclared type `System.Object`"),
        "{err}"
    );
    assert!(
        err.contains("sloppy.xml:8:9: error[E0303]: reference to undeclared type `Vendor.Blob`"),
        "{err}"
    );
    assert!(!err.contains("W0313"), "{err}");
}

#[test]
fn lenient_mode_reads_undeclared_types_as_untyped_json_with_a_warning_each() {
    let builder = builder().lenient(true);
    let (model, warnings) = builder.generate_model().unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    for (at, name) in [
        ("5:7", "System.Object"),
        ("8:9", "Vendor.Blob"),
        ("9:9", "Vendor.Blob"),
        ("10:9", "Vendor.User"),
        ("13:9", "Vendor.Query"),
    ] {
        let want = format!(
            "sloppy.xml:{at}: warning[W0313]: reference to undeclared type `{name}`: read as untyped JSON (lenient mode)"
        );
        assert!(lines.iter().any(|l| l.starts_with(&want)), "{want} not in {lines:#?}");
    }
    let item = model.types.iter().find(|t| t.name == "Item").unwrap();
    let TypeKind::Entity(s) = &item.kind else { panic!("an entity type") };
    assert_eq!(s.base, None, "the base type that names nothing is dropped");
    for name in ["payload", "history", "owner"] {
        let p = s.properties.iter().find(|p| p.name == name).unwrap();
        assert_eq!(p.ty.target, Target::Primitive(Primitive::Untyped), "{name}");
        assert!(p.navigation.is_none(), "{name}: navigation to nothing is a JSON value");
    }
    // What is typed stays typed, and the crate generates.
    assert_eq!(s.key.len(), 1);
    builder.generate().unwrap_or_else(|e| panic!("{e}"));
}
