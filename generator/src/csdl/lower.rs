//! Raw CSDL documents → the model: resolves qualified names and aliases, applies
//! annotations (inline and targeted), checks inheritance, and reports every problem found.

use std::collections::{BTreeMap, BTreeSet};

use super::read::{self, Annotation, ChildKind, Value};
use crate::diag::{Diagnostics, Location, Severity, SourceMap};
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

struct Lower<'a> {
    sources: &'a [Source],
    diags: &'a mut Diagnostics,
    model: Model,
    /// Alias or namespace → namespace (model namespaces and vocabulary includes).
    aliases: BTreeMap<String, String>,
    /// Qualified name → type.
    types: BTreeMap<String, TypeId>,
    /// Qualified name → operation overloads.
    operations: BTreeMap<String, Vec<OperationId>>,
    /// Canonical target → (annotations, file index).
    targeted: BTreeMap<String, Vec<(Annotation, usize)>>,
    /// Targets that some node looked up.
    used_targets: BTreeSet<String>,
}

/// Builds the model from read documents.
pub fn lower(sources: &[Source], diags: &mut Diagnostics) -> Model {
    let mut l = Lower {
        sources,
        diags,
        model: Model::default(),
        aliases: BTreeMap::new(),
        types: BTreeMap::new(),
        operations: BTreeMap::new(),
        targeted: BTreeMap::new(),
        used_targets: BTreeSet::new(),
    };
    l.declare();
    l.collect_targeted();
    l.define_types();
    l.check_inheritance();
    l.define_operations();
    l.define_containers();
    l.check_keys();
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
        for (file, schema) in self.schemas() {
            let ns = match self.model.namespaces.iter().position(|n| n.name == schema.namespace) {
                Some(i) => NamespaceId(i),
                None => {
                    self.model.namespaces.push(Namespace {
                        name: schema.namespace.clone(),
                        aliases: Vec::new(),
                        module: String::new(),
                        types: Vec::new(),
                    });
                    NamespaceId(self.model.namespaces.len() - 1)
                }
            };
            self.aliases.insert(schema.namespace.clone(), schema.namespace.clone());
            if let Some(alias) = &schema.alias {
                if let Some(other) = self.aliases.get(alias).filter(|n| **n != schema.namespace) {
                    let msg = format!("alias `{alias}` names both `{other}` and `{}`", schema.namespace);
                    self.diags.error(Some(self.at(file, schema.pos)), msg);
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
                        Severity::Error,
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
                    rust_name: String::new(),
                    file: String::new(),
                    field_enum: String::new(),
                    polymorphic: None,
                    // Filled in by define_types; the kind is known now so references can be checked.
                    kind: placeholder(kind),
                    notes: Notes::default(),
                    origin: here,
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

    fn collect_targeted(&mut self) {
        for (file, schema) in self.schemas() {
            for block in &schema.annotation_blocks {
                let target = self.canonical(&block.target);
                let entry = self.targeted.entry(target).or_default();
                entry.extend(block.annotations.iter().map(|a| (a.clone(), file)));
            }
        }
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
                Some(self.at(file, pos)),
                format!("`{written}`: a collection of collections is not a CSDL type"),
            );
            return None;
        }
        if let Some(edm) = inner.strip_prefix("Edm.") {
            return match Primitive::from_edm(edm) {
                Some(p) => Some(TypeRef { collection, target: Target::Primitive(p) }),
                None => {
                    self.diags.error(Some(self.at(file, pos)), format!("unknown primitive type `{inner}`"));
                    None
                }
            };
        }
        let canonical = self.canonical(inner);
        match self.types.get(&canonical) {
            Some(&id) => Some(TypeRef { collection, target: Target::Named(id) }),
            None => {
                let hint = match inner.rfind('.') {
                    Some(dot) if !self.aliases.contains_key(&inner[..dot]) => {
                        format!(" (no schema has the namespace or alias `{}`)", &inner[..dot])
                    }
                    None => " (type names must be qualified with a namespace or alias)".to_owned(),
                    _ => String::new(),
                };
                self.diags
                    .error(Some(self.at(file, pos)), format!("reference to undeclared type `{inner}`{hint}"));
                None
            }
        }
    }

    /// Inline annotations plus those of `Annotations` blocks aimed at `target`.
    fn notes(&mut self, target: &str, inline: &[Annotation], file: usize) -> Notes {
        let mut all: Vec<(Annotation, usize)> = inline.iter().map(|a| (a.clone(), file)).collect();
        if let Some(more) = self.targeted.get(target) {
            self.used_targets.insert(target.to_owned());
            all.extend(more.iter().cloned());
        }
        let mut notes = Notes::default();
        for (a, file) in &all {
            if a.qualifier.is_some() {
                // Qualified annotations apply to a specific audience; keep the unqualified.
                continue;
            }
            self.apply(&mut notes, a, *file);
        }
        notes
    }

    /// The full term name: `Core.Description` → `Org.OData.Core.V1.Description`.
    fn term(&self, term: &str) -> String {
        match term.rfind('.') {
            Some(dot) => match self.aliases.get(&term[..dot]) {
                Some(ns) => format!("{ns}{}", &term[dot..]),
                None => term.to_owned(),
            },
            None => term.to_owned(),
        }
    }

    fn apply(&mut self, notes: &mut Notes, a: &Annotation, file: usize) {
        let term = self.term(&a.term);
        let Some((vocab, name)) = term.rsplit_once('.') else {
            return;
        };
        let text = |v: &Value| match v {
            Value::Constant(_, s) => Some(s.clone()),
            _ => None,
        };
        let boolean = |v: &Value| match v {
            Value::None => true,
            Value::Constant(_, s) => s == "true",
            _ => false,
        };
        match (vocab, name) {
            (CORE, "Description") => notes.description = text(&a.value),
            (CORE, "LongDescription") => notes.long_description = text(&a.value),
            (CORE, "Computed") => notes.computed = boolean(&a.value),
            (CORE, "Immutable") => notes.immutable = boolean(&a.value),
            (CORE, "Permissions") => {
                notes.permissions = match &a.value {
                    Value::Constant(_, s) => Some(s.rsplit('/').next().unwrap_or(s).to_owned()),
                    Value::Collection(items) => Some(
                        items
                            .iter()
                            .filter_map(text)
                            .map(|s| s.rsplit('/').next().unwrap_or(&s).to_owned())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    _ => None,
                }
            }
            (CORE, "Revisions") => {
                let Value::Collection(items) = &a.value else {
                    return;
                };
                for item in items {
                    let Value::Record(fields) = item else {
                        continue;
                    };
                    let get = |k: &str| fields.iter().find(|(n, _)| n == k).and_then(|(_, v)| text(v));
                    if get("Kind").is_some_and(|k| k.ends_with("/Deprecated")) {
                        notes.deprecation = Some(Deprecation {
                            date: get("Date"),
                            removal_date: get("RemovalDate"),
                            description: get("Description"),
                            version: get("Version"),
                        });
                    }
                }
            }
            ("Codegen.Docs", "Example") => {
                if let Value::Record(fields) = &a.value {
                    let get = |k: &str| fields.iter().find(|(n, _)| n == k).and_then(|(_, v)| text(v));
                    if let (Some(title), Some(body)) = (get("title"), get("text")) {
                        notes.examples.push((title, body));
                    }
                }
            }
            (CAPABILITIES, restriction) => {
                let field = match restriction {
                    "InsertRestrictions" => ("Insertable", &mut notes.capabilities.insertable),
                    "UpdateRestrictions" => ("Updatable", &mut notes.capabilities.updatable),
                    "DeleteRestrictions" => ("Deletable", &mut notes.capabilities.deletable),
                    "ReadRestrictions" => ("Readable", &mut notes.capabilities.readable),
                    _ => return,
                };
                if let Value::Record(fields) = &a.value {
                    if let Some((_, v)) = fields.iter().find(|(n, _)| n == field.0) {
                        *field.1 = Some(boolean(v));
                    }
                }
            }
            _ => {
                let _ = file;
            }
        }
    }

    fn define_types(&mut self) {
        let sources = self.sources;
        for (file, schema) in
            sources.iter().enumerate().flat_map(|(i, s)| s.doc.schemas.iter().map(move |sc| (i, sc)))
        {
            let ns = &schema.namespace;
            for (is_entity, list) in [(true, &schema.entity_types), (false, &schema.complex_types)] {
                for t in list {
                    let Some(id) = self.declared(ns, &t.name, file, t.pos) else {
                        continue;
                    };
                    let qualified = format!("{ns}.{}", t.name);
                    let base = t.base_type.as_ref().and_then(|(b, pos)| {
                        let r = self.resolve(b, file, *pos)?;
                        self.base_ok(r, is_entity, b, file, *pos)
                    });
                    let mut properties = Vec::new();
                    for p in &t.properties {
                        let Some(ty) = self.resolve(&p.ty, file, p.pos) else {
                            continue;
                        };
                        let notes = self.notes(&format!("{qualified}/{}", p.name), &p.annotations, file);
                        properties.push(Property {
                            name: p.name.clone(),
                            ty,
                            nullable: p.nullable.unwrap_or(true),
                            navigation: p.is_navigation.then(|| Navigation {
                                contains_target: p.contains_target,
                                partner: p.partner.clone(),
                            }),
                            default_value: p.default_value.clone(),
                            facets: Facets {
                                max_length: p.max_length.clone(),
                                precision: p.precision.clone(),
                                scale: p.scale.clone(),
                                srid: p.srid.clone(),
                            },
                            notes,
                            origin: self.at(file, p.pos),
                        });
                        if p.is_navigation
                            && !matches!(ty.target, Target::Named(n) if matches!(self.model.ty(n).kind, TypeKind::Entity(_)))
                        {
                            self.diags.error(
                                Some(self.at(file, p.pos)),
                                format!(
                                    "navigation property `{}` must have an entity type, not `{}`",
                                    p.name, p.ty
                                ),
                            );
                        }
                    }
                    let notes = self.notes(&qualified, &t.annotations, file);
                    let s = Structured {
                        base,
                        derived: Vec::new(),
                        is_abstract: t.is_abstract,
                        open: t.open_type,
                        has_stream: t.has_stream,
                        key: t
                            .key
                            .iter()
                            .map(|(path, alias)| KeyPart { path: path.clone(), alias: alias.clone() })
                            .collect(),
                        properties,
                        inherited_notes: Vec::new(),
                        fields: Vec::new(),
                    };
                    let def = &mut self.model.types[id.0];
                    def.kind = if is_entity { TypeKind::Entity(s) } else { TypeKind::Complex(s) };
                    def.notes = notes;
                }
            }
            for e in &schema.enum_types {
                let Some(id) = self.declared(ns, &e.name, file, e.pos) else {
                    continue;
                };
                let qualified = format!("{ns}.{}", e.name);
                let underlying = match e.underlying.as_deref() {
                    None => Primitive::Int32,
                    Some(u) => {
                        match u.strip_prefix("Edm.").and_then(Primitive::from_edm).filter(|p| p.is_integer())
                        {
                            Some(p) => p,
                            None => {
                                let msg = format!("enumeration `{}` has underlying type `{u}`; it must be an Edm integer type", e.name);
                                self.diags.error(Some(self.at(file, e.pos)), msg);
                                Primitive::Int32
                            }
                        }
                    }
                };
                let mut members = Vec::new();
                let mut next = 0i64;
                for m in &e.members {
                    let value = match m.value.as_deref() {
                        None => next,
                        Some(v) => match v.trim().parse::<i64>() {
                            Ok(v) => v,
                            Err(_) => {
                                let msg = format!(
                                    "enumeration member `{}` has value `{v}`, which is not an integer",
                                    m.name
                                );
                                self.diags.error(Some(self.at(file, m.pos)), msg);
                                continue;
                            }
                        },
                    };
                    next = value.wrapping_add(1);
                    let notes = self.notes(&format!("{qualified}/{}", m.name), &m.annotations, file);
                    members.push(Member {
                        name: m.name.clone(),
                        value,
                        rust_name: String::new(),
                        notes,
                        origin: self.at(file, m.pos),
                    });
                }
                if e.is_flags {
                    for m in &members {
                        if m.value < 0 {
                            let msg = format!("flags member `{}` has a negative value", m.name);
                            self.diags.error(Some(m.origin.clone()), msg);
                        }
                    }
                }
                let notes = self.notes(&qualified, &e.annotations, file);
                let def = &mut self.model.types[id.0];
                def.kind = TypeKind::Enum(EnumDef { underlying, is_flags: e.is_flags, members });
                def.notes = notes;
            }
            for d in &schema.type_definitions {
                let Some(id) = self.declared(ns, &d.name, file, d.pos) else {
                    continue;
                };
                let underlying = match d.underlying.strip_prefix("Edm.").and_then(Primitive::from_edm) {
                    Some(p) => p,
                    None => {
                        let msg = format!(
                            "type definition `{}` must have a primitive underlying type, not `{}`",
                            d.name, d.underlying
                        );
                        self.diags.error(Some(self.at(file, d.pos)), msg);
                        continue;
                    }
                };
                let notes = self.notes(&format!("{ns}.{}", d.name), &d.annotations, file);
                let def = &mut self.model.types[id.0];
                def.kind = TypeKind::Definition(Definition {
                    underlying,
                    facets: Facets {
                        max_length: d.max_length.clone(),
                        precision: d.precision.clone(),
                        scale: d.scale.clone(),
                        srid: d.srid.clone(),
                    },
                });
                def.notes = notes;
            }
        }
    }

    fn declared(&self, ns: &str, name: &str, file: usize, pos: usize) -> Option<TypeId> {
        let id = *self.types.get(&format!("{ns}.{name}"))?;
        // A duplicate declaration shares the name but not the place: skip it.
        (self.model.ty(id).origin == self.at(file, pos)).then_some(id)
    }

    fn base_ok(
        &mut self,
        r: TypeRef,
        is_entity: bool,
        written: &str,
        file: usize,
        pos: usize,
    ) -> Option<TypeId> {
        let Target::Named(id) = r.target else {
            self.diags
                .error(Some(self.at(file, pos)), format!("base type `{written}` is not a structured type"));
            return None;
        };
        let base_is_entity = matches!(self.model.ty(id).kind, TypeKind::Entity(_));
        let base_is_complex = matches!(self.model.ty(id).kind, TypeKind::Complex(_));
        if (is_entity && !base_is_entity) || (!is_entity && !base_is_complex) {
            let want = if is_entity { "an entity type" } else { "a complex type" };
            self.diags.error(Some(self.at(file, pos)), format!("base type `{written}` must be {want}"));
            return None;
        }
        Some(id)
    }

    /// Rejects base-type cycles, records derived types, inherits keys and checks that
    /// every non-abstract entity type has one.
    fn check_inheritance(&mut self) {
        let n = self.model.types.len();
        let mut in_cycle = vec![false; n];
        for start in 0..n {
            let mut seen = vec![start];
            let mut cur = self.model.structured(TypeId(start)).and_then(|s| s.base);
            while let Some(b) = cur {
                if b.0 == start {
                    if !in_cycle[start] {
                        for &t in &seen {
                            in_cycle[t] = true;
                        }
                        let names: Vec<String> = seen
                            .iter()
                            .chain(std::iter::once(&start))
                            .map(|&t| format!("`{}`", self.model.qualified_name(TypeId(t))))
                            .collect();
                        let at = self.model.ty(TypeId(start)).origin.clone();
                        self.diags.error(Some(at), format!("base types form a cycle: {}", names.join(" → ")));
                    }
                    break;
                }
                if seen.contains(&b.0) {
                    break; // a cycle further up; reported from its own members
                }
                seen.push(b.0);
                cur = self.model.structured(b).and_then(|s| s.base);
            }
        }
        for (t, _) in self.model.types.iter_mut().zip(&in_cycle).filter(|(_, c)| **c) {
            if let TypeKind::Entity(s) | TypeKind::Complex(s) = &mut t.kind {
                s.base = None;
            }
        }
        for i in 0..n {
            if let Some(b) = self.model.structured(TypeId(i)).and_then(|s| s.base) {
                if let TypeKind::Entity(s) | TypeKind::Complex(s) = &mut self.model.types[b.0].kind {
                    s.derived.push(TypeId(i));
                }
            }
        }
        for i in 0..n {
            let TypeKind::Entity(s) = &self.model.types[i].kind else {
                continue;
            };
            if !s.key.is_empty() {
                continue;
            }
            let mut key = None;
            let mut cur = s.base;
            while let Some(b) = cur {
                let bs = self.model.structured(b).expect("entity bases are entities");
                if !bs.key.is_empty() {
                    key = Some(bs.key.clone());
                    break;
                }
                cur = bs.base;
            }
            if let (Some(k), TypeKind::Entity(s)) = (key, &mut self.model.types[i].kind) {
                s.key = k;
            }
        }
    }

    /// Entities in a collection are addressed by key, so an entity type used by an entity
    /// set or a collection-valued navigation property needs one. (Keyless entity types are
    /// fine as singletons and single-valued navigation targets; Graph has several.)
    fn check_keys(&mut self) {
        let keyless =
            |m: &Model, id: TypeId| matches!(&m.ty(id).kind, TypeKind::Entity(s) if s.key.is_empty());
        let mut uses: Vec<(TypeId, Location, String)> = Vec::new();
        for c in &self.model.containers {
            for set in &c.entity_sets {
                if keyless(&self.model, set.entity_type) {
                    uses.push((set.entity_type, set.origin.clone(), format!("entity set `{}`", set.name)));
                }
            }
        }
        for t in &self.model.types {
            let (TypeKind::Entity(s) | TypeKind::Complex(s)) = &t.kind else {
                continue;
            };
            for p in s.properties.iter().filter(|p| p.navigation.is_some() && p.ty.collection) {
                if let Target::Named(id) = p.ty.target {
                    if keyless(&self.model, id) {
                        uses.push((
                            id,
                            p.origin.clone(),
                            format!("navigation property `{}.{}`", t.name, p.name),
                        ));
                    }
                }
            }
        }
        for (id, at, what) in uses {
            let t = self.model.ty(id);
            let msg = format!(
                "entity type `{}` has no key (own or inherited), but {what} holds a collection of it",
                t.name
            );
            self.diags.push(Severity::Error, Some(at), msg, vec![(t.origin.clone(), "declared here".into())]);
        }
    }

    fn define_operations(&mut self) {
        let sources = self.sources;
        for (file, schema) in
            sources.iter().enumerate().flat_map(|(i, s)| s.doc.schemas.iter().map(move |sc| (i, sc)))
        {
            let ns_id = NamespaceId(
                self.model.namespaces.iter().position(|n| n.name == schema.namespace).expect("declared"),
            );
            for op in &schema.operations {
                let qualified = format!("{}.{}", schema.namespace, op.name);
                let mut params = Vec::new();
                let mut ok = true;
                for p in &op.parameters {
                    match self.resolve(&p.ty, file, p.pos) {
                        Some(ty) => params.push((p, ty)),
                        None => ok = false,
                    }
                }
                let returns = match &op.return_type {
                    Some(r) => match self.resolve(&r.ty, file, r.pos) {
                        Some(ty) => Some(ReturnType { ty, nullable: r.nullable.unwrap_or(true) }),
                        None => {
                            ok = false;
                            None
                        }
                    },
                    None => None,
                };
                if op.is_function && op.return_type.is_none() {
                    let msg = format!("function `{}` has no return type", op.name);
                    self.diags.error(Some(self.at(file, op.pos)), msg);
                }
                if !ok {
                    continue;
                }
                let mut binding = None;
                if op.is_bound {
                    if params.is_empty() {
                        let msg = format!("bound operation `{}` has no binding parameter", op.name);
                        self.diags.error(Some(self.at(file, op.pos)), msg);
                        continue;
                    }
                    binding = Some(params.remove(0).1);
                }
                // Overload targets: `ns.name(bindingType)` for bound, `ns.name()` for unbound.
                let overload = match (&binding, op.is_bound) {
                    (Some(b), true) => format!("{qualified}({})", self.written_type(*b)),
                    _ => format!("{qualified}()"),
                };
                let mut notes = self.notes(&qualified, &op.annotations, file);
                let specific = self.notes(&overload, &[], file);
                notes.merge(specific);
                let parameters = params
                    .into_iter()
                    .map(|(p, ty)| {
                        let target = format!("{qualified}/{}", p.name);
                        let pnotes = self.notes(&target, &p.annotations, file);
                        let optional = p
                            .annotations
                            .iter()
                            .any(|a| self.term(&a.term) == format!("{CORE}.OptionalParameter"));
                        Parameter {
                            name: p.name.clone(),
                            rust_name: String::new(),
                            ty,
                            nullable: p.nullable.unwrap_or(true),
                            optional,
                            notes: pnotes,
                            origin: self.at(file, p.pos),
                        }
                    })
                    .collect();
                let id = OperationId(self.model.operations.len());
                self.model.operations.push(Operation {
                    namespace: ns_id,
                    name: op.name.clone(),
                    kind: if op.is_function { OperationKind::Function } else { OperationKind::Action },
                    binding,
                    parameters,
                    returns,
                    composable: op.is_composable,
                    entity_set_path: op.entity_set_path.clone(),
                    notes,
                    origin: self.at(file, op.pos),
                });
                self.operations.entry(qualified).or_default().push(id);
            }
        }
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

    fn define_containers(&mut self) {
        let sources = self.sources;
        for (file, schema) in
            sources.iter().enumerate().flat_map(|(i, s)| s.doc.schemas.iter().map(move |sc| (i, sc)))
        {
            let ns_id = NamespaceId(
                self.model.namespaces.iter().position(|n| n.name == schema.namespace).expect("declared"),
            );
            for c in &schema.containers {
                let qualified = format!("{}.{}", schema.namespace, c.name);
                let mut container = Container {
                    namespace: ns_id,
                    name: c.name.clone(),
                    entity_sets: Vec::new(),
                    singletons: Vec::new(),
                    imports: Vec::new(),
                    origin: self.at(file, c.pos),
                };
                for child in &c.children {
                    let at = self.at(file, child.pos);
                    let bindings: Vec<Binding> = child
                        .bindings
                        .iter()
                        .map(|(p, t)| Binding { path: p.clone(), target: t.clone() })
                        .collect();
                    match child.kind {
                        ChildKind::EntitySet | ChildKind::Singleton => {
                            let Some(r) = self.resolve(&child.target, file, child.pos) else {
                                continue;
                            };
                            let entity = match r.target {
                                Target::Named(id)
                                    if !r.collection
                                        && matches!(self.model.ty(id).kind, TypeKind::Entity(_)) =>
                                {
                                    id
                                }
                                _ => {
                                    let msg = format!(
                                        "`{}` must name an entity type, not `{}`",
                                        child.name, child.target
                                    );
                                    self.diags.error(Some(at), msg);
                                    continue;
                                }
                            };
                            let notes =
                                self.notes(&format!("{qualified}/{}", child.name), &child.annotations, file);
                            if child.kind == ChildKind::EntitySet {
                                container.entity_sets.push(EntitySet {
                                    name: child.name.clone(),
                                    entity_type: entity,
                                    bindings,
                                    notes,
                                    origin: at,
                                });
                            } else {
                                container.singletons.push(Singleton {
                                    name: child.name.clone(),
                                    entity_type: entity,
                                    bindings,
                                    notes,
                                    origin: at,
                                });
                            }
                        }
                        ChildKind::ActionImport | ChildKind::FunctionImport => {
                            let canonical = self.canonical(&child.target);
                            let kind = if child.kind == ChildKind::ActionImport {
                                OperationKind::Action
                            } else {
                                OperationKind::Function
                            };
                            let overloads: Vec<OperationId> = self
                                .operations
                                .get(&canonical)
                                .map(|ids| {
                                    ids.iter()
                                        .copied()
                                        .filter(|id| {
                                            let op = &self.model.operations[id.0];
                                            op.binding.is_none() && op.kind == kind
                                        })
                                        .collect()
                                })
                                .unwrap_or_default();
                            if overloads.is_empty() {
                                let what = if kind == OperationKind::Action { "action" } else { "function" };
                                let msg = format!(
                                    "import `{}` names `{}`, which is not an unbound {what}",
                                    child.name, child.target
                                );
                                self.diags.error(Some(at), msg);
                                continue;
                            }
                            container.imports.push(Import {
                                name: child.name.clone(),
                                kind,
                                operations: overloads,
                                entity_set: child.entity_set.clone(),
                                origin: at,
                            });
                        }
                    }
                }
                self.model.containers.push(container);
            }
        }
    }

    /// Targets `Type/property` that name a property the type inherits annotate that property
    /// as seen through the type (and its derived types). Other targets that matched nothing
    /// are reported once each, as warnings: their annotations are ignored.
    fn report_unused_targets(&mut self) {
        let unused: Vec<String> =
            self.targeted.keys().filter(|t| !self.used_targets.contains(*t)).cloned().collect();
        for target in unused {
            let (head, rest) = match target.find(['/', '(']) {
                Some(i) => (&target[..i], Some(&target[i..])),
                None => (target.as_str(), None),
            };
            if let (Some(&id), Some(rest)) = (self.types.get(head), rest) {
                if let Some(prop) = rest.strip_prefix('/').filter(|p| !p.contains(['/', '('])) {
                    if self.inherits(id, prop) {
                        let file = self.targeted[&target][0].1;
                        let notes = self.notes(&target, &[], file);
                        if let TypeKind::Entity(s) | TypeKind::Complex(s) = &mut self.model.types[id.0].kind {
                            s.inherited_notes.push((prop.to_owned(), notes));
                        }
                        continue;
                    }
                }
            }
            // Paths this front end does not interpret (container children's nested
            // navigation, overload parameters...) are accepted when their head exists.
            let head_exists = rest.is_some_and(|r| r.starts_with('(')) && self.operations.contains_key(head)
                || self.operations.contains_key(head) && rest.is_some()
                || self
                    .model
                    .containers
                    .iter()
                    .any(|c| format!("{}.{}", self.model.namespaces[c.namespace.0].name, c.name) == head);
            if head_exists {
                continue;
            }
            let (a, file) = &self.targeted[&target][0];
            let at = self.at(*file, a.pos);
            self.diags.warning(
                Some(at),
                format!(
                    "annotation target `{target}` names nothing in the model; its annotations are ignored"
                ),
            );
        }
    }

    /// Whether structured type `id` inherits (not declares) a property named `prop`.
    fn inherits(&self, id: TypeId, prop: &str) -> bool {
        let mut cur = self.model.structured(id).and_then(|s| s.base);
        while let Some(b) = cur {
            let s = self.model.structured(b).expect("bases are structured");
            if s.properties.iter().any(|p| p.name == prop) {
                return true;
            }
            cur = s.base;
        }
        false
    }
}
