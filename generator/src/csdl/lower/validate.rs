//! What CSDL 4.01 requires of names and keys that generated code relies on: every name a
//! SimpleIdentifier (a namespace: dotted SimpleIdentifiers), so that no name can add a path
//! segment, climb with `..` or start a query in a URL the client writes; names unique within
//! their scope (a type's properties, an enumeration's members, an operation's parameters, a
//! container's children); keys naming existing single-valued, non-nullable primitive (or
//! enumeration, or type definition) properties. Each violation is a located error.

use std::collections::BTreeMap;

use super::*;

/// The longest SimpleIdentifier (CSDL 4.01, 17.2) and Namespace (17.1).
const MAX_IDENTIFIER: usize = 128;
const MAX_NAMESPACE: usize = 511;

/// Whether `name` is a CSDL SimpleIdentifier: a letter or `_`, then letters, digits, `_`,
/// combining marks and joiners, at most 128 characters (CSDL 4.01, 17.2;
/// `[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]{0,127}`, with Rust's
/// alphabetic/alphanumeric classes and the combining-mark blocks standing for the Unicode ones).
pub(crate) fn is_simple_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c == '_' || c.is_alphabetic())
        && is_word(name)
        && name.chars().count() <= MAX_IDENTIFIER
}

/// Whether `name` is not empty and holds only what a SimpleIdentifier may hold after its
/// first character (letters, digits, `_`, combining marks, joiners): what lenient mode keeps
/// of a name that is not one (`3des`), since such a name is still safe in code and URLs.
fn is_word(name: &str) -> bool {
    let mark = |c: char| {
        matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
            || matches!(c, '\u{200C}' | '\u{200D}' | '\u{203F}' | '\u{2040}')
    };
    !name.is_empty() && name.chars().all(|c| c == '_' || c.is_alphanumeric() || mark(c))
}

/// Whether `name` is a CSDL Namespace: SimpleIdentifiers joined by dots, at most 511
/// characters.
fn is_namespace(name: &str) -> bool {
    name.chars().count() <= MAX_NAMESPACE && name.split('.').all(is_simple_identifier)
}

impl Lower<'_> {
    /// Reports every name that is not what CSDL allows in its place, and every name given twice
    /// in one scope.
    pub(super) fn check_names(&mut self) {
        for (file, schema) in self.schemas() {
            let mut names = Names::new(self, file);
            names.namespace(&schema.namespace, schema.pos);
            if let Some(alias) = &schema.alias {
                names.identifier("alias", alias, schema.pos);
            }
            for t in schema.entity_types.iter().chain(&schema.complex_types) {
                names.identifier("type", &t.name, t.pos);
                let mut scope = Scope::new(format!("type `{}`", t.name));
                for p in &t.properties {
                    let what = if p.is_navigation { "navigation property" } else { "property" };
                    names.member(&mut scope, what, &p.name, p.pos);
                }
            }
            for e in &schema.enum_types {
                names.identifier("type", &e.name, e.pos);
                let mut scope = Scope::new(format!("enumeration `{}`", e.name));
                for m in &e.members {
                    names.member(&mut scope, "member", &m.name, m.pos);
                }
            }
            for d in &schema.type_definitions {
                names.identifier("type", &d.name, d.pos);
            }
            for o in &schema.operations {
                let kind = if o.is_function { "function" } else { "action" };
                names.identifier(kind, &o.name, o.pos);
                let mut scope = Scope::new(format!("{kind} `{}`", o.name));
                for p in &o.parameters {
                    names.member(&mut scope, "parameter", &p.name, p.pos);
                }
            }
            for a in &schema.associations {
                names.identifier("association", &a.name, a.pos);
            }
            for c in &schema.containers {
                names.identifier("entity container", &c.name, c.pos);
                let mut scope = Scope::new(format!("entity container `{}`", c.name));
                for child in &c.children {
                    let what = match child.kind {
                        ChildKind::EntitySet => "entity set",
                        ChildKind::Singleton => "singleton",
                        ChildKind::ActionImport => "action import",
                        ChildKind::FunctionImport => "function import",
                    };
                    names.member(&mut scope, what, &child.name, child.pos);
                    let parameters = child.service_operation.iter().flat_map(|s| &s.parameters);
                    let mut scope = Scope::new(format!("{what} `{}`", child.name));
                    for p in parameters {
                        names.member(&mut scope, "parameter", &p.name, p.pos);
                    }
                }
            }
        }
    }

    /// Reports every key that names no property, a path through something other than
    /// single-valued complex properties, or a property that is not a single-valued,
    /// non-nullable primitive, enumeration or type definition (CSDL 4.01, 8.2 and 8.3).
    pub(super) fn check_key_properties(&mut self) {
        let mut problems = Vec::new();
        for (i, t) in self.model.types.iter().enumerate() {
            let TypeKind::Entity(s) = &t.kind else { continue };
            for part in &s.key {
                if let Err(why) = self.key_property(TypeId(i), &part.path) {
                    problems.push((
                        t.origin.location().cloned(),
                        format!("the key of `{}`: `{}` {why}", t.name, part.path),
                    ));
                }
            }
        }
        for (at, message) in problems {
            self.diags.error(Code::InvalidKey, at, message);
        }
    }

    /// Why the key property at `path` (`id`, `address/zip`) of entity type `id` is not one.
    fn key_property(&self, id: TypeId, path: &str) -> Result<(), String> {
        let mut owner = id;
        let segments: Vec<&str> = path.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            let Some(p) = self.own_or_inherited(owner, segment) else {
                return Err(format!("names no property of `{}`", self.model.ty(owner).name));
            };
            let last = i + 1 == segments.len();
            if p.navigation.is_some() || p.ty.collection || p.ty.map {
                return Err("is not a single-valued structural property".into());
            }
            let kind = match p.ty.target {
                Target::Primitive(_) => None,
                Target::Named(t) => Some(&self.model.ty(t).kind),
            };
            match (last, kind) {
                (false, Some(TypeKind::Complex(_))) => {
                    let Target::Named(t) = p.ty.target else { unreachable!("a complex type is named") };
                    owner = t;
                }
                (false, _) => {
                    return Err(format!("goes through `{segment}`, which is not of a complex type"))
                }
                (true, None | Some(TypeKind::Enum(_) | TypeKind::Definition(_))) if p.nullable => {
                    return Err("is nullable (key properties must be `Nullable=\"false\"`)".into())
                }
                (true, None | Some(TypeKind::Enum(_) | TypeKind::Definition(_))) => {}
                (true, _) => return Err("is not of a primitive, enumeration or type definition type".into()),
            }
        }
        Ok(())
    }

    /// The property `name` of structured type `id`, declared on it or a base type.
    fn own_or_inherited(&self, id: TypeId, name: &str) -> Option<&Property> {
        let mut cur = Some(id);
        while let Some(t) = cur {
            let s = self.model.structured(t)?;
            if let Some(p) = s.properties.iter().find(|p| p.name == name) {
                return Some(p);
            }
            cur = s.base;
        }
        None
    }
}

/// The names of one scope seen so far, with where each was first declared.
struct Scope {
    what: String,
    seen: BTreeMap<String, usize>,
}

impl Scope {
    fn new(what: String) -> Self {
        Scope { what, seen: BTreeMap::new() }
    }
}

/// Reports the name problems of one file.
struct Names<'l, 'a> {
    lower: &'l mut Lower<'a>,
    file: usize,
}

impl<'l, 'a> Names<'l, 'a> {
    fn new(lower: &'l mut Lower<'a>, file: usize) -> Self {
        Names { lower, file }
    }

    fn namespace(&mut self, name: &str, pos: usize) {
        if !is_namespace(name) {
            let at = self.lower.at(self.file, pos);
            let message = format!(
                "namespace {name:?} is not SimpleIdentifiers joined by dots (a letter or `_`, then letters, digits or `_`)"
            );
            self.lower.diags.error(Code::InvalidName, Some(at), message);
        }
    }

    fn identifier(&mut self, what: &str, name: &str, pos: usize) {
        if is_simple_identifier(name) {
            return;
        }
        let at = self.lower.at(self.file, pos);
        let rule =
            format!("a letter or `_`, then letters, digits or `_`, at most {MAX_IDENTIFIER} characters");
        if self.lower.options.lenient && is_word(name) {
            let message = format!(
                "{what} name {name:?} is not a CSDL SimpleIdentifier ({rule}); lenient mode keeps it"
            );
            self.lower.diags.warning(Code::LenientName, Some(at), message);
        } else {
            let message = format!("{what} name {name:?} is not a CSDL SimpleIdentifier ({rule})");
            self.lower.diags.error(Code::InvalidName, Some(at), message);
        }
    }

    /// A name of `scope`: an identifier, not declared in it before.
    fn member(&mut self, scope: &mut Scope, what: &str, name: &str, pos: usize) {
        self.identifier(what, name, pos);
        self.unique(scope, name, pos);
    }

    fn unique(&mut self, scope: &mut Scope, name: &str, pos: usize) {
        match scope.seen.get(name) {
            Some(&first) => {
                let at = self.lower.at(self.file, pos);
                let note = vec![(self.lower.at(self.file, first), "first declared here".to_owned())];
                let message = format!("`{name}` is declared twice in {}", scope.what);
                self.lower.diags.push(Code::DuplicateMember, Some(at), message, note);
            }
            None => {
                scope.seen.insert(name.to_owned(), pos);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_identifiers_are_letters_digits_and_underscores_starting_with_a_letter_or_underscore() {
        for good in ["id", "_x", "Ab12", "to_Item", "ñandú", "Straße", "e\u{301}", &"a".repeat(128)] {
            assert!(is_simple_identifier(good), "{good:?}");
        }
        for bad in [
            "",
            "1a",
            "a b",
            "a/../b",
            "a.b",
            "we\"ird{}",
            "a?b",
            "a#b",
            "..",
            "a-b",
            "a%2F",
            &"a".repeat(129),
        ] {
            assert!(!is_simple_identifier(bad), "{bad:?}");
        }
        assert!(is_namespace("microsoft.graph") && is_namespace("Org.OData.Core.V1"));
        assert!(!is_namespace("a..b") && !is_namespace(".a") && !is_namespace("a/b"));
    }
}
