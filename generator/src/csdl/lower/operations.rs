//! Actions and functions: parameters, return types, binding.

use super::*;

impl Lower<'_> {
    pub(super) fn define_operations(&mut self) {
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
                if op.is_function && op.return_type.is_none() && op.service_operation.is_none() {
                    let msg = format!("function `{}` has no return type", op.name);
                    self.diags.error(Code::MalformedOperation, Some(self.at(file, op.pos)), msg);
                }
                if !ok {
                    continue;
                }
                let mut binding = None;
                if op.is_bound {
                    if params.is_empty() {
                        let msg = format!("bound operation `{}` has no binding parameter", op.name);
                        self.diags.error(Code::MalformedOperation, Some(self.at(file, op.pos)), msg);
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
                            ty,
                            nullable: p.nullable.unwrap_or(true),
                            optional,
                            notes: pnotes,
                            origin: self.at(file, p.pos).into(),
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
                    service_operation: op.service_operation.as_deref().map(|m| {
                        HttpMethod::parse(m).unwrap_or(if op.is_function {
                            HttpMethod::Get
                        } else {
                            HttpMethod::Post
                        })
                    }),
                    notes,
                    origin: self.at(file, op.pos).into(),
                });
                self.operations.entry(qualified).or_default().push(id);
            }
        }
    }
}
