//! Entity containers: entity sets, singletons, imports and navigation bindings.

use super::*;

impl Lower<'_> {
    pub(super) fn define_containers(&mut self) {
        let sources = self.sources;
        for (file, schema) in
            sources.iter().enumerate().flat_map(|(i, s)| s.doc.schemas.iter().map(move |sc| (i, sc)))
        {
            let ns_id = NamespaceId(
                self.model.namespaces.iter().position(|n| n.name == schema.namespace).expect("declared"),
            );
            for c in &schema.containers {
                let qualified = format!("{}.{}", schema.namespace, c.name);
                let key_as_segment = format!("{CAPABILITIES}.KeyAsSegmentSupported");
                if self.is_true(&qualified, &c.annotations, &key_as_segment) {
                    self.model.key_style = KeyStyle::Segment;
                }
                let batch_support = format!("{CAPABILITIES}.BatchSupport");
                if let Some(format) =
                    self.annotation(&qualified, &c.annotations, &batch_support).and_then(batch_format)
                {
                    self.model.batch_format = format;
                }
                let mut container = Container {
                    namespace: ns_id,
                    name: c.name.clone(),
                    entity_sets: Vec::new(),
                    singletons: Vec::new(),
                    imports: Vec::new(),
                    origin: self.at(file, c.pos).into(),
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
                                    self.diags.error(Code::WrongTypeKind, Some(at), msg);
                                    continue;
                                }
                            };
                            let notes =
                                self.notes(&format!("{qualified}/{}", child.name), &child.annotations, file);
                            // The type's docs say its changes need an ETag.
                            if notes.optimistic_concurrency {
                                self.model.types[entity.0].notes.optimistic_concurrency = true;
                            }
                            if child.kind == ChildKind::EntitySet {
                                container.entity_sets.push(EntitySet {
                                    name: child.name.clone(),
                                    entity_type: entity,
                                    bindings,
                                    notes,
                                    origin: at.clone().into(),
                                });
                            } else {
                                container.singletons.push(Singleton {
                                    name: child.name.clone(),
                                    entity_type: entity,
                                    bindings,
                                    notes,
                                    origin: at.clone().into(),
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
                                self.diags.error(Code::UnresolvedImport, Some(at), msg);
                                continue;
                            }
                            container.imports.push(Import {
                                name: child.name.clone(),
                                kind,
                                operations: overloads,
                                entity_set: child.entity_set.clone(),
                                origin: at.clone().into(),
                            });
                        }
                    }
                }
                self.model.containers.push(container);
            }
        }
    }
}

/// The first format of a `Capabilities.BatchSupport` record's `SupportedFormats` that the
/// client writes (`application/json`, `multipart/mixed`; parameters ignored).
fn batch_format(support: &Value) -> Option<BatchFormat> {
    let Value::Record(properties) = support else { return None };
    let (_, Value::Collection(formats)) = properties.iter().find(|(name, _)| name == "SupportedFormats")?
    else {
        return None;
    };
    formats.iter().find_map(|format| match format {
        Value::Constant(_, media) => {
            match media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase().as_str() {
                "application/json" => Some(BatchFormat::Json),
                "multipart/mixed" => Some(BatchFormat::Multipart),
                _ => None,
            }
        }
        _ => None,
    })
}
