//! Entity, complex, enumeration and definition types: their members, inheritance and keys.

use super::*;

impl Lower<'_> {
    pub(super) fn define_types(&mut self) {
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
                        let (written, nullable) = match &p.relationship {
                            Some(r) => match self.relationship_target(r, file, p.pos) {
                                Some(target) => target,
                                None => continue,
                            },
                            None => (p.ty.clone(), p.nullable.unwrap_or(true)),
                        };
                        let Some(ty) = self.resolve(&written, file, p.pos) else {
                            continue;
                        };
                        let notes = self.notes(&format!("{qualified}/{}", p.name), &p.annotations, file);
                        // Navigation to an entity of any type (`Edm.EntityType`, or a type that
                        // names nothing in lenient mode) has no handle to lead to: its value,
                        // when expanded, is kept as JSON.
                        let is_navigation =
                            p.is_navigation && ty.target != Target::Primitive(Primitive::Untyped);
                        properties.push(Property {
                            name: p.name.clone(),
                            ty,
                            nullable,
                            navigation: is_navigation.then(|| Navigation {
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
                            origin: self.at(file, p.pos).into(),
                        });
                        if is_navigation
                            && !matches!(ty.target, Target::Named(n) if matches!(self.model.ty(n).kind, TypeKind::Entity(_)))
                        {
                            self.diags.error(
                                Code::WrongTypeKind,
                                Some(self.at(file, p.pos)),
                                format!(
                                    "navigation property `{}` must have an entity type, not `{}`",
                                    p.name, p.ty
                                ),
                            );
                        }
                    }
                    let mut notes = self.notes(&qualified, &t.annotations, file);
                    // A V2 concurrency token among the properties: changes need the ETag.
                    notes.optimistic_concurrency |=
                        is_entity && properties.iter().any(|p: &Property| p.notes.optimistic_concurrency);
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
                        discriminator: None,
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
                                self.diags.error(Code::WrongTypeKind, Some(self.at(file, e.pos)), msg);
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
                                self.diags.error(Code::InvalidEnumValue, Some(self.at(file, m.pos)), msg);
                                continue;
                            }
                        },
                    };
                    next = value.wrapping_add(1);
                    let notes = self.notes(&format!("{qualified}/{}", m.name), &m.annotations, file);
                    members.push(Member {
                        name: m.name.clone(),
                        value,
                        notes,
                        origin: self.at(file, m.pos).into(),
                    });
                }
                if e.is_flags {
                    for m in &members {
                        if m.value < 0 {
                            let msg = format!("flags member `{}` has a negative value", m.name);
                            self.diags.error(Code::InvalidEnumValue, m.origin.location().cloned(), msg);
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
                        self.diags.error(Code::WrongTypeKind, Some(self.at(file, d.pos)), msg);
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

    /// A V2 navigation property's target, from its association: the `ToRole` end's type
    /// (`Collection(..)` for multiplicity `*`) and whether it may be absent (`0..1`).
    fn relationship_target(
        &mut self,
        r: &read::Relationship,
        file: usize,
        pos: usize,
    ) -> Option<(String, bool)> {
        let canonical = self.canonical(&r.association);
        let Some(association) = self.associations.get(&canonical).copied() else {
            self.diags.error(
                Code::UnknownType,
                Some(self.at(file, pos)),
                format!("navigation property's relationship `{}` names no association", r.association),
            );
            return None;
        };
        let Some(end) = association.ends.iter().find(|e| e.role == r.to_role) else {
            self.diags.error(
                Code::UnknownType,
                Some(self.at(file, pos)),
                format!("association `{}` has no end with the role `{}`", r.association, r.to_role),
            );
            return None;
        };
        Some(match end.multiplicity.as_str() {
            "*" => (format!("Collection({})", end.ty), false),
            "0..1" => (end.ty.clone(), true),
            _ => (end.ty.clone(), false),
        })
    }

    pub(super) fn base_ok(
        &mut self,
        r: TypeRef,
        is_entity: bool,
        written: &str,
        file: usize,
        pos: usize,
    ) -> Option<TypeId> {
        let Target::Named(id) = r.target else {
            if self.options.lenient && r.target == Target::Primitive(Primitive::Untyped) {
                return None; // a base type that names nothing, reported as such: dropped
            }
            self.diags.error(
                Code::WrongTypeKind,
                Some(self.at(file, pos)),
                format!("base type `{written}` is not a structured type"),
            );
            return None;
        };
        let base_is_entity = matches!(self.model.ty(id).kind, TypeKind::Entity(_));
        let base_is_complex = matches!(self.model.ty(id).kind, TypeKind::Complex(_));
        if (is_entity && !base_is_entity) || (!is_entity && !base_is_complex) {
            let want = if is_entity { "an entity type" } else { "a complex type" };
            self.diags.error(
                Code::WrongTypeKind,
                Some(self.at(file, pos)),
                format!("base type `{written}` must be {want}"),
            );
            return None;
        }
        Some(id)
    }

    /// Rejects base-type cycles, records derived types, inherits keys and checks that
    /// every non-abstract entity type has one.
    pub(super) fn check_inheritance(&mut self) {
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
                        let at = self.model.ty(TypeId(start)).origin.location().cloned();
                        self.diags.error(
                            Code::BaseTypeCycle,
                            at,
                            format!("base types form a cycle: {}", names.join(" → ")),
                        );
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

    /// CSDL 4.01 (section 8.3, 13.2) requires a key of an entity type used by an entity set or
    /// a collection-valued containment navigation property: their members are addressed by
    /// key. Other uses need none: singletons, single-valued navigation, and collection-valued
    /// navigation without containment, whose members are addressed through the entity set
    /// they live in (such a collection offers no `by_id`).
    pub(super) fn check_keys(&mut self) {
        let keyless =
            |m: &Model, id: TypeId| matches!(&m.ty(id).kind, TypeKind::Entity(s) if s.key.is_empty());
        let mut uses: Vec<(TypeId, Option<Location>, String)> = Vec::new();
        for c in &self.model.containers {
            for set in &c.entity_sets {
                if keyless(&self.model, set.entity_type) {
                    uses.push((
                        set.entity_type,
                        set.origin.location().cloned(),
                        format!("entity set `{}`", set.name),
                    ));
                }
            }
        }
        for t in &self.model.types {
            let (TypeKind::Entity(s) | TypeKind::Complex(s)) = &t.kind else {
                continue;
            };
            let contained = |p: &&Property| p.navigation.as_ref().is_some_and(|n| n.contains_target);
            for p in s.properties.iter().filter(|p| p.ty.collection).filter(contained) {
                if let Target::Named(id) = p.ty.target {
                    if keyless(&self.model, id) {
                        uses.push((
                            id,
                            p.origin.location().cloned(),
                            format!("containment navigation property `{}.{}`", t.name, p.name),
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
            self.diags.push(Code::MissingKey, at, msg, t.origin.note("declared here"));
        }
    }

    /// Whether structured type `id` inherits (not declares) a property named `prop`.
    pub(super) fn inherits(&self, id: TypeId, prop: &str) -> bool {
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
