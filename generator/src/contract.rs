//! The contract between the generator and the runtime it copies into every generated crate
//! (the runtime crate in `templates/src`): which methods the runtime defines on the types that generated code
//! extends with inherent methods (names a generated method must never take), and which hooks
//! generated code calls. The naming (`plan::names`) and the emitter (`emit::requests`) read
//! these tables; a test parses the template and fails when they and the runtime disagree.

/// A runtime type that generated code adds methods to.
pub(crate) struct Extended {
    /// The type's name in the runtime (read by the test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub ty: &'static str,
    /// Every method the runtime defines on it (inherent, and the trait methods `clone` and
    /// `fmt` a reader would confuse), other than hooks: generated names avoid these.
    pub reserved: &'static [&'static str],
    /// The hooks on it that generated code calls (read by the test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub hooks: &'static [&'static str],
}

/// The hooks, by what they do. Each is a `pub fn __name` of the runtime.
pub(crate) mod hook {
    /// Navigates to a single entity: `__entity(segment)`.
    pub const ENTITY: &str = "__entity";
    /// Navigates to a collection: `__collection(segment)`.
    pub const COLLECTION: &str = "__collection";
    /// Calls an action (POST, JSON body): `__action(name, body)`.
    pub const ACTION: &str = "__action";
    /// Calls a function (GET, parameters in the URL): `__function(name, args)`.
    pub const FUNCTION: &str = "__function";
    /// Calls a V2 service operation (parameters in the query string):
    /// `__service_operation(method, name, args)`.
    pub const SERVICE_OPERATION: &str = "__service_operation";
    /// Calls a composable function that yields an entity handle.
    pub const COMPOSE: &str = "__compose";
    /// Calls a composable function that yields a collection handle.
    pub const COMPOSE_COLLECTION: &str = "__compose_collection";
    /// Addresses a structured property on its own.
    pub const PROPERTY: &str = "__property";
    /// Addresses a stream property.
    pub const STREAM: &str = "__stream";
    /// Casts a collection to a derived type.
    pub const CAST: &str = "__cast";
}

use hook::*;

/// `EntityRequest<T, R, U, D>`: methods of every entity handle.
pub(crate) const ENTITY_REQUEST: Extended = Extended {
    ty: "EntityRequest",
    reserved: &[
        "new",
        "path",
        "client",
        "get",
        "update",
        "replace",
        "delete",
        "get_value",
        "put_value",
        "get_ref",
        "set_ref",
        "delete_ref",
        "clone",
        "fmt",
    ],
    hooks: &[ENTITY, COLLECTION, ACTION, FUNCTION, COMPOSE, COMPOSE_COLLECTION, PROPERTY, STREAM],
};

/// `CollectionRequest<T, R, I, U, D>`: methods of every collection handle.
pub(crate) const COLLECTION_REQUEST: Extended = Extended {
    ty: "CollectionRequest",
    reserved: &[
        "new",
        "path",
        "by_id",
        "list",
        "create",
        "count",
        "list_refs",
        "add_ref",
        "remove_ref",
        "clone",
        "fmt",
    ],
    hooks: &[CAST, ACTION, FUNCTION],
};

/// `Client`: the runtime's client, which the generated crate's own `Client` (the service
/// root, with entity sets, singletons and imports) wraps and dereferences to.
pub(crate) const CLIENT: Extended = Extended {
    ty: "Client",
    reserved: &[
        "new",
        "builder",
        "base_url",
        "with_base_url",
        "odata_v2",
        "is_odata_v2",
        "default_headers",
        "execute",
        "clone",
        "fmt",
    ],
    hooks: &[ACTION, FUNCTION, SERVICE_OPERATION],
};

/// The methods the generated `Client` defines itself (inherent, and of the traits it
/// implements: `From`, `Deref`, `Clone`, `Debug`); with [`CLIENT`]'s, the names no entity set,
/// singleton or import may take. A test reads them back from generated code.
pub(crate) const GENERATED_CLIENT: &[&str] =
    &["new", "builder", "entity", "collection", "batch", "from", "deref", "clone", "fmt"];

/// Every extended type.
#[cfg(test)]
pub(crate) const EXTENDED: &[&Extended] = &[&ENTITY_REQUEST, &COLLECTION_REQUEST, &CLIENT];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every method of `ty` in the runtime, inherent (any visibility) and of trait impls:
    /// (name, whether inherent).
    fn runtime_methods(file: &syn::File, ty: &str) -> BTreeSet<(String, bool)> {
        let mut out = BTreeSet::new();
        for item in &file.items {
            // Derived traits bring their methods too.
            if let syn::Item::Struct(st) = item {
                if st.ident == ty {
                    for attr in st.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                        let _ = attr.parse_nested_meta(|meta| {
                            let method = match meta.path.get_ident().map(|i| i.to_string()).as_deref() {
                                Some("Clone") => "clone",
                                Some("Debug") => "fmt",
                                _ => return Ok(()),
                            };
                            out.insert((method.to_owned(), false));
                            Ok(())
                        });
                    }
                }
            }
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(path) = &*imp.self_ty else { continue };
            if path.path.segments.last().is_none_or(|s| s.ident != ty) {
                continue;
            }
            for item in &imp.items {
                if let syn::ImplItem::Fn(f) = item {
                    out.insert((f.sig.ident.to_string(), imp.trait_.is_none()));
                }
            }
        }
        out
    }

    #[test]
    fn the_generated_client_defines_exactly_the_methods_the_contract_reserves() {
        let csdl = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="thing"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityContainer Name="c"><EntitySet Name="things" EntityType="s.thing" /></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        let code = crate::Builder::new().input_text("x.csdl.xml", csdl).generate_tokens().unwrap();
        let file = syn::parse_file(&code).unwrap();
        let methods = runtime_methods(&file, "Client");
        let mut defined: BTreeSet<&str> = methods.iter().map(|(n, _)| n.as_str()).collect();
        // Trait impls without a derive: `From` (twice, one of them on the runtime's client),
        // `Deref`.
        assert!(defined.remove("things"), "the entity set is a method: {defined:?}");
        let expected: BTreeSet<&str> = GENERATED_CLIENT.iter().copied().collect();
        assert_eq!(defined, expected);
    }

    #[test]
    fn the_contract_tables_match_the_runtime_template() {
        // The runtime's modules, as one file: the contract does not care which module holds
        // an impl.
        let mut file = syn::parse_file("").expect("an empty file parses");
        for (name, text) in crate::emit::RUNTIME_MODULES {
            let module = syn::parse_file(text).unwrap_or_else(|e| panic!("templates/src/{name}.rs: {e}"));
            file.items.extend(module.items);
        }
        for extended in EXTENDED {
            let methods = runtime_methods(&file, extended.ty);
            assert!(!methods.is_empty(), "the runtime (templates/src) has no impl of `{}`", extended.ty);
            let inherent: BTreeSet<&str> =
                methods.iter().filter(|(_, inherent)| *inherent).map(|(n, _)| n.as_str()).collect();
            let all: BTreeSet<&str> = methods.iter().map(|(n, _)| n.as_str()).collect();
            // Every hook generated code calls exists.
            for hook in extended.hooks {
                assert!(
                    inherent.contains(hook),
                    "`{}` has no hook `{hook}` in the runtime (templates/src)",
                    extended.ty
                );
            }
            // Every other inherent method is reserved, so no generated method can clash with it...
            for name in &inherent {
                let is_hook = name.starts_with("__");
                assert!(
                    is_hook || extended.reserved.contains(name),
                    "`{}::{name}` of the runtime (templates/src) is not reserved in contract.rs: a generated method could take its name",
                    extended.ty
                );
                assert!(
                    !is_hook || extended.hooks.contains(name),
                    "`{}::{name}` looks like a hook but contract.rs does not list it",
                    extended.ty
                );
            }
            // ...and nothing is reserved that the runtime does not define.
            for name in extended.reserved {
                assert!(
                    all.contains(name),
                    "contract.rs reserves `{}::{name}`, which the runtime (templates/src) does not define",
                    extended.ty
                );
            }
        }
    }
}
