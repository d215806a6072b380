//! Annotations: what they target, how each vocabulary term becomes notes, and targets that name nothing.

use super::*;

impl Lower<'_> {
    pub(super) fn collect_targeted(&mut self) {
        for (file, schema) in self.schemas() {
            for block in &schema.annotation_blocks {
                let target = self.canonical(&block.target);
                let entry = self.targeted.entry(target).or_default();
                entry.extend(block.annotations.iter().map(|a| (a.clone(), file)));
            }
        }
    }

    /// Inline annotations plus those of `Annotations` blocks aimed at `target`.
    pub(super) fn notes(&mut self, target: &str, inline: &[Annotation], file: usize) -> Notes {
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

    /// Whether the unqualified annotation of `term` (a full name) on `target`, inline or in an
    /// `Annotations` block, is the Boolean `true` (a term applied without a value is).
    pub(super) fn is_true(&self, target: &str, inline: &[Annotation], term: &str) -> bool {
        match self.annotation(target, inline, term) {
            Some(Value::None) => true,
            Some(Value::Constant(_, s)) => s == "true",
            _ => false,
        }
    }

    /// The value of the unqualified annotation of `term` (a full name) on `target`, inline or
    /// in an `Annotations` block (the inline one first).
    pub(super) fn annotation<'a>(
        &'a self,
        target: &str,
        inline: &'a [Annotation],
        term: &str,
    ) -> Option<&'a Value> {
        let targeted = self.targeted.get(target).map(|t| t.iter().map(|(a, _)| a));
        let mut all = inline.iter().chain(targeted.into_iter().flatten());
        all.find(|a| a.qualifier.is_none() && self.term(&a.term) == term).map(|a| &a.value)
    }

    /// The full term name: `Core.Description` → `Org.OData.Core.V1.Description`.
    pub(super) fn term(&self, term: &str) -> String {
        match term.rfind('.') {
            Some(dot) => match self.aliases.get(&term[..dot]) {
                Some(ns) => format!("{ns}{}", &term[dot..]),
                None => term.to_owned(),
            },
            None => term.to_owned(),
        }
    }

    pub(super) fn apply(&mut self, notes: &mut Notes, a: &Annotation, file: usize) {
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
            // The properties the ETag is computed from; present at all, changes need one.
            (CORE, "OptimisticConcurrency") => notes.optimistic_concurrency = true,
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

    /// Targets `Type/property` that name a property the type inherits annotate that property
    /// as seen through the type (and its derived types). Other targets that matched nothing
    /// are reported once each, as warnings: their annotations are ignored.
    pub(super) fn report_unused_targets(&mut self) {
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
                Code::UnknownAnnotationTarget,
                Some(at),
                format!(
                    "annotation target `{target}` names nothing in the model; its annotations are ignored"
                ),
            );
        }
    }
}
