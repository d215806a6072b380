//! Raw CSDL documents → the model: resolves qualified names and aliases, applies
//! annotations (inline and targeted), checks inheritance, and reports every problem found.
//! Split by what is lowered: `types.rs`, `operations.rs`, `containers.rs`, `annotations.rs`;
//! name resolution is here.

mod annotations;
mod containers;
mod operations;
mod types;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use super::read::{self, Annotation, ChildKind, Value};
use crate::diag::{Code, Diagnostics, Location, SourceMap};
use crate::model::*;

/// A read document with the map of its file.
pub struct Source {
    /// Locates byte offsets of the file.
    pub map: SourceMap,
    /// What was read from it.
    pub doc: read::Document,
}

const CORE: &str = "Org.OData.Core.V1";
const CAPABILITIES: &str = "Org.OData.Capabilities.V1";

/// What the lowering is told beyond the documents.
#[derive(Debug, Default)]
pub struct Options {
    /// Turn type references that name nothing into untyped JSON values, with a warning each
    /// (and drop base types that name nothing), rather than failing.
    pub lenient: bool,
    /// `edmx:Reference`s whose document was not found.
    pub missing: Vec<Missing>,
}

/// An `edmx:Reference` whose document was not found.
#[derive(Debug)]
pub struct Missing {
    /// The referencing document (an index into the sources) and the reference's offset.
    pub file: usize,
    pub pos: usize,
    /// The reference's URI.
    pub uri: String,
    /// The namespaces it includes.
    pub namespaces: Vec<String>,
    /// Where the document was looked for, or why nowhere.
    pub looked: String,
}

struct Lower<'a> {
    sources: &'a [Source],
    diags: &'a mut Diagnostics,
    options: &'a Options,
    /// The missing references already reported (indexes into `options.missing`).
    reported: BTreeSet<usize>,
    model: Model,
    /// Alias or namespace → namespace (model namespaces and vocabulary includes).
    aliases: BTreeMap<String, String>,
    /// Qualified name → type.
    types: BTreeMap<String, TypeId>,
    /// Qualified name → operation overloads.
    operations: BTreeMap<String, Vec<OperationId>>,
    /// Qualified name → V2 association.
    associations: BTreeMap<String, &'a read::Association>,
    /// Canonical target → (annotations, file index).
    targeted: BTreeMap<String, Vec<(Annotation, usize)>>,
    /// Targets that some node looked up.
    used_targets: BTreeSet<String>,
}

/// Builds the model from read documents.
pub fn lower(sources: &[Source], diags: &mut Diagnostics) -> Model {
    lower_with(sources, &Options::default(), diags)
}

/// Builds the model from read documents, as `options` say.
pub fn lower_with(sources: &[Source], options: &Options, diags: &mut Diagnostics) -> Model {
    let mut l = Lower {
        sources,
        diags,
        options,
        reported: BTreeSet::new(),
        model: Model::default(),
        aliases: BTreeMap::new(),
        types: BTreeMap::new(),
        operations: BTreeMap::new(),
        associations: BTreeMap::new(),
        targeted: BTreeMap::new(),
        used_targets: BTreeSet::new(),
    };
    l.model.v2 = sources.first().is_some_and(|s| s.doc.v2);
    // OData 4.01 services support JSON batches; 4.0 and V2 ones multipart only (the
    // container's `Capabilities.BatchSupport` may say otherwise).
    l.model.batch_format = match sources.first() {
        Some(s) if !s.doc.v2 && s.doc.version.starts_with("4.01") => BatchFormat::Json,
        _ => BatchFormat::Multipart,
    };
    l.check_names();
    l.declare();
    l.collect_targeted();
    l.define_types();
    l.check_inheritance();
    l.define_operations();
    l.define_containers();
    l.check_keys();
    l.check_key_properties();
    l.report_unused_targets();
    l.model
}

impl<'a> Lower<'a> {
    fn at(&self, file: usize, pos: usize) -> Location {
        self.sources[file].map.locate(pos)
    }

    fn schemas(&self) -> impl Iterator<Item = (usize, &'a read::Schema)> + 'a {
        self.sources.iter().enumerate().flat_map(|(i, s)| s.doc.schemas.iter().map(move |sc| (i, sc)))
    }

    /// Registers namespaces, aliases, type names and operation names.
    fn declare(&mut self) {
        for source in self.sources {
            for inc in &source.doc.includes {
                self.aliases.insert(inc.namespace.clone(), inc.namespace.clone());
                if let Some(a) = &inc.alias {
                    self.aliases.insert(a.clone(), inc.namespace.clone());
                }
            }
        }
        let mut first_decl: BTreeMap<String, Location> = BTreeMap::new();
        for (_, schema) in self.schemas() {
            for a in &schema.associations {
                self.associations.insert(format!("{}.{}", schema.namespace, a.name), a);
            }
        }
        for (file, schema) in self.schemas() {
            let ns = match self.model.namespaces.iter().position(|n| n.name == schema.namespace) {
                Some(i) => NamespaceId(i),
                None => {
                    self.model.namespaces.push(Namespace {
                        name: schema.namespace.clone(),
                        aliases: Vec::new(),
                        types: Vec::new(),
                    });
                    NamespaceId(self.model.namespaces.len() - 1)
                }
            };
            self.aliases.insert(schema.namespace.clone(), schema.namespace.clone());
            if let Some(alias) = &schema.alias {
                if let Some(other) = self.aliases.get(alias).filter(|n| **n != schema.namespace) {
                    let msg = format!("alias `{alias}` names both `{other}` and `{}`", schema.namespace);
                    self.diags.error(Code::AliasConflict, Some(self.at(file, schema.pos)), msg);
                } else {
                    self.aliases.insert(alias.clone(), schema.namespace.clone());
                    if !self.model.namespaces[ns.0].aliases.contains(alias) {
                        self.model.namespaces[ns.0].aliases.push(alias.clone());
                    }
                }
            }
            let placeholder = |k: u8| match k {
                0 => TypeKind::Entity(Structured::default()),
                1 => TypeKind::Complex(Structured::default()),
                2 => TypeKind::Enum(EnumDef {
                    underlying: Primitive::Int32,
                    is_flags: false,
                    members: Vec::new(),
                }),
                _ => TypeKind::Definition(Definition {
                    underlying: Primitive::Untyped,
                    facets: Facets::default(),
                }),
            };
            let mut declared: Vec<(String, usize, u8)> = Vec::new();
            declared.extend(schema.entity_types.iter().map(|t| (t.name.clone(), t.pos, 0)));
            declared.extend(schema.complex_types.iter().map(|t| (t.name.clone(), t.pos, 1)));
            declared.extend(schema.enum_types.iter().map(|t| (t.name.clone(), t.pos, 2)));
            declared.extend(schema.type_definitions.iter().map(|t| (t.name.clone(), t.pos, 3)));
            // Declaration order is document order: sort the four kinds back by offset.
            declared.sort_by_key(|(_, p, _)| *p);
            for (name, pos, kind) in declared {
                let qualified = format!("{}.{name}", schema.namespace);
                let here = self.at(file, pos);
                if let Some(first) = first_decl.get(&qualified) {
                    self.diags.push(
                        Code::DuplicateDeclaration,
                        Some(here),
                        format!("type `{qualified}` is declared more than once"),
                        vec![(first.clone(), "first declared here".into())],
                    );
                    continue;
                }
                first_decl.insert(qualified.clone(), here.clone());
                let id = TypeId(self.model.types.len());
                self.model.types.push(TypeDef {
                    namespace: ns,
                    name,
                    // Filled in by define_types; the kind is known now so references can be checked.
                    kind: placeholder(kind),
                    notes: Notes::default(),
                    origin: here.into(),
                });
                self.model.namespaces[ns.0].types.push(id);
                self.types.insert(qualified, id);
            }
        }
    }

    /// Replaces a leading alias with its namespace: `graph.user/id` → `microsoft.graph.user/id`.
    fn canonical(&self, qualified: &str) -> String {
        // The qualifying part ends at the last `.` before any `/` or `(`.
        let head_end = qualified.find(['/', '(']).unwrap_or(qualified.len());
        let head = &qualified[..head_end];
        let (prefix, rest) = match head.rfind('.') {
            Some(dot) => (&head[..dot], &qualified[dot..]),
            None => return qualified.to_owned(),
        };
        let mut out = match self.aliases.get(prefix) {
            Some(ns) => format!("{ns}{rest}"),
            None => qualified.to_owned(),
        };
        // Parameter type lists of overload targets: `ns.fn(graph.user,Edm.String)`.
        if let (Some(open), true) = (out.find('('), out.ends_with(')')) {
            let params: Vec<String> = out[open + 1..out.len() - 1]
                .split(',')
                .map(|p| {
                    let p = p.trim();
                    match p.strip_prefix("Collection(").and_then(|x| x.strip_suffix(')')) {
                        Some(inner) => format!("Collection({})", self.canonical(inner)),
                        None => self.canonical(p),
                    }
                })
                .collect();
            out = format!("{}({})", &out[..open], params.join(","));
        }
        out
    }

    /// Resolves `Edm.String`, `graph.user` or `Collection(...)`.
    fn resolve(&mut self, written: &str, file: usize, pos: usize) -> Option<TypeRef> {
        let (collection, inner) = match written.strip_prefix("Collection(").and_then(|s| s.strip_suffix(')'))
        {
            Some(inner) => (true, inner.trim()),
            None => (false, written.trim()),
        };
        if inner.starts_with("Collection(") {
            self.diags.error(
                Code::NestedCollection,
                Some(self.at(file, pos)),
                format!("`{written}`: a collection of collections is not a CSDL type"),
            );
            return None;
        }
        if let Some(edm) = inner.strip_prefix("Edm.") {
            // `Edm.DateTime` and `Edm.Time` are OData V2's; V4 has neither.
            let v2_only = matches!(edm, "DateTime" | "Time") && !self.model.v2;
            return match Primitive::from_edm(edm).filter(|_| !v2_only) {
                Some(p) => Some(TypeRef { map: false, collection, target: Target::Primitive(p) }),
                None => {
                    self.diags.error(
                        Code::UnknownType,
                        Some(self.at(file, pos)),
                        format!("unknown primitive type `{inner}`"),
                    );
                    None
                }
            };
        }
        let canonical = self.canonical(inner);
        match self.types.get(&canonical).copied() {
            Some(id) => Some(TypeRef { map: false, collection, target: Target::Named(id) }),
            None if self.missing_reference(&canonical, inner, file, pos) => None,
            None if self.options.lenient => {
                self.diags.warning(
                    Code::LenientType,
                    Some(self.at(file, pos)),
                    format!("reference to undeclared type `{inner}`: read as untyped JSON (lenient mode)"),
                );
                Some(TypeRef { map: false, collection, target: Target::Primitive(Primitive::Untyped) })
            }
            None => {
                let hint = match inner.rfind('.') {
                    Some(dot) if !self.aliases.contains_key(&inner[..dot]) => {
                        format!(" (no schema has the namespace or alias `{}`)", &inner[..dot])
                    }
                    None => " (type names must be qualified with a namespace or alias)".to_owned(),
                    _ => String::new(),
                };
                self.diags.error(
                    Code::UnknownType,
                    Some(self.at(file, pos)),
                    format!("reference to undeclared type `{inner}`{hint}"),
                );
                None
            }
        }
    }

    /// Whether `canonical` (written `inner` at `file`/`pos`) is in a namespace that a reference
    /// whose document was not found includes; reports that reference, once.
    fn missing_reference(&mut self, canonical: &str, inner: &str, file: usize, pos: usize) -> bool {
        let Some((namespace, _)) = canonical.rsplit_once('.') else {
            return false;
        };
        let Some(i) = self.options.missing.iter().position(|m| m.namespaces.iter().any(|n| n == namespace))
        else {
            return false;
        };
        if self.reported.insert(i) {
            let m = &self.options.missing[i];
            let msg = format!(
                "the document of `edmx:Reference` `{}` was not found ({}), and the model uses its namespace `{namespace}`: pass the document as an input or put it in a --reference-dir",
                m.uri, m.looked
            );
            let at = self.at(m.file, m.pos);
            let use_at = self.at(file, pos);
            self.diags.push(
                Code::UnresolvedReference,
                Some(at),
                msg,
                vec![(use_at, format!("`{inner}` is used here"))],
            );
        }
        true
    }

    fn declared(&self, ns: &str, name: &str, file: usize, pos: usize) -> Option<TypeId> {
        let id = *self.types.get(&format!("{ns}.{name}"))?;
        // A duplicate declaration shares the name but not the place: skip it.
        (self.model.ty(id).origin.location() == Some(&self.at(file, pos))).then_some(id)
    }

    /// The canonical written form of a type reference, as used in overload targets.
    fn written_type(&self, r: TypeRef) -> String {
        let inner = match r.target {
            Target::Primitive(p) => format!("Edm.{p:?}"),
            Target::Named(id) => self.model.qualified_name(id),
        };
        if r.collection {
            format!("Collection({inner})")
        } else {
            inner
        }
    }
}
