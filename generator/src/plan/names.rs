//! All Rust naming: the only module that calls heck.
//!
//! Wire names become idiomatic Rust names (`templateId` → `template_id`,
//! `synchronizationJob` → `SynchronizationJob`). Known acronyms are folded first, from a
//! checked-in table, so that `IPv4Address` becomes `ipv4_address` and not `i_pv4_address`.
//! Keywords get a `_` suffix; names that cannot start an identifier get an `x`/`X` prefix;
//! names that collide after conversion are told apart deterministically with a numeric
//! suffix, and a warning says so. Every name produced here is a valid, non-raw identifier.

use std::collections::BTreeMap;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::{Plan, PolymorphicEnum};
use crate::diag::{Diagnostics, Location};
use crate::model::{OperationKind, TypeId, TypeKind};

/// Mixed-case words that heck would split wrongly, and the single word each stands for.
/// A table entry matches at the start of a word (start of the name, after a lowercase letter
/// or digit, or after a separator) and when followed by an uppercase letter, a digit, a
/// separator or the end.
const ACRONYMS: &[(&str, &str)] = &[
    ("iOS", "Ios"),
    ("iPadOS", "Ipados"),
    ("iPad", "Ipad"),
    ("iPhone", "Iphone"),
    ("macOS", "Macos"),
    ("tvOS", "Tvos"),
    ("watchOS", "Watchos"),
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("oAuth2", "Oauth2"),
    ("OAuth2", "Oauth2"),
    ("oAuth", "Oauth"),
    ("OAuth", "Oauth"),
    ("OData", "Odata"),
    ("eDiscovery", "Ediscovery"),
    ("eBook", "Ebook"),
    ("GitHub", "Github"),
    ("LinkedIn", "Linkedin"),
    ("OneDrive", "Onedrive"),
    ("OneNote", "Onenote"),
    ("SharePoint", "Sharepoint"),
];

/// Rust keywords (strict, reserved and 2018+/2024 edition keywords) and the path-like
/// names that cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Names of types in the prelude and of items every generated module relies on; a generated
/// type with one of these names would shadow them.
const RESERVED_TYPES: &[&str] = &["Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box"];

/// Replaces table acronyms with their one-word form.
fn fold_acronyms(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    'outer: while i < name.len() {
        let prev = if i == 0 { None } else { Some(bytes[i - 1]) };
        // Capitalised entries (`IPv4`, `OData`) start a word after a lowercase letter or digit
        // too; lowercase-initial ones (`iOS`, `eDiscovery`) only at the start of the name or
        // after a non-letter, so `DeviceDiscovery` stays `device_discovery`.
        let starts_word = |from: &str| match prev {
            None => true,
            Some(p) if !p.is_ascii_alphabetic() => true,
            Some(p) => from.starts_with(|c: char| c.is_ascii_uppercase()) && p.is_ascii_lowercase(),
        };
        {
            for (from, to) in ACRONYMS {
                if starts_word(from) && name[i..].starts_with(from) {
                    let next = bytes.get(i + from.len()).copied();
                    let ends_word = match next {
                        None => true,
                        Some(c) => c.is_ascii_uppercase() || c.is_ascii_digit() || !c.is_ascii_alphanumeric(),
                    };
                    if ends_word {
                        out.push_str(to);
                        i += from.len();
                        continue 'outer;
                    }
                }
            }
        }
        let ch = name[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Keeps ASCII letters, digits and separators; everything else separates words.
fn ascii_words(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

fn finish_ident(mut s: String, prefix: char) -> String {
    if s.is_empty() {
        s.push(prefix);
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, prefix);
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `templateId` → `template_id`: fields, modules and functions.
pub fn snake(name: &str) -> String {
    let s = ascii_words(&fold_acronyms(name)).to_snake_case();
    finish_ident(s, 'x')
}

/// `synchronizationJob` → `SynchronizationJob`: types and variants.
pub fn camel(name: &str) -> String {
    let s = ascii_words(&fold_acronyms(name)).to_upper_camel_case();
    let s = finish_ident(s, 'X');
    if RESERVED_TYPES.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// `readWrite` → `READ_WRITE`: constants.
pub fn shouty(name: &str) -> String {
    let s = ascii_words(&fold_acronyms(name)).to_shouty_snake_case();
    finish_ident(s, 'X')
}

/// Hands out unique names within one scope.
struct Scope<'a> {
    /// Each name taken: by whom, and whether it was claimed (quoted in warnings) rather than
    /// reserved (described).
    taken: BTreeMap<String, (String, bool)>,
    what: &'a str,
    suffix_separator: &'a str,
}

impl<'a> Scope<'a> {
    fn new(what: &'a str, suffix_separator: &'a str) -> Self {
        Scope { taken: BTreeMap::new(), what, suffix_separator }
    }

    /// Reserves a name for something the generator adds itself.
    fn reserve(&mut self, rust: &str, owner: &str) {
        self.taken.insert(rust.to_owned(), (owner.to_owned(), false));
    }

    /// Claims `wanted` for `wire`, or the first free `wanted{sep}N` (N ≥ 2) when taken; the
    /// warning saying so is at `at`, when `wire` has a place in the inputs.
    fn claim(
        &mut self,
        wanted: String,
        wire: &str,
        at: Option<&Location>,
        diags: &mut Diagnostics,
    ) -> String {
        if !self.taken.contains_key(&wanted) {
            self.taken.insert(wanted.clone(), (wire.to_owned(), true));
            return wanted;
        }
        let (first, claimed) = &self.taken[&wanted];
        // Names the generator reserved are described, not quoted.
        let first = if *claimed { format!("`{first}`") } else { first.clone() };
        // A keyword's escape (`Self_`) drops its `_` before a number (`Self2`), which a
        // camel-case name must not have (`Self_2` would be linted).
        let stem = match wanted.trim_end_matches('_') {
            stem if self.suffix_separator.is_empty() && !stem.is_empty() => stem,
            _ => wanted.as_str(),
        };
        let mut n = 2;
        let name = loop {
            let candidate = format!("{stem}{}{n}", self.suffix_separator);
            if !self.taken.contains_key(&candidate) {
                break candidate;
            }
            n += 1;
        };
        diags.warning(
            crate::diag::Code::NameCollision,
            at.cloned(),
            format!(
                "{} `{wire}` and {first} both become `{wanted}` in Rust; `{wire}` is named `{name}`",
                self.what
            ),
        );
        self.taken.insert(name.clone(), (wire.to_owned(), true));
        name
    }
}

/// Assigns every Rust name of the plan: namespace modules, types and their files, fields,
/// enum variants and flag constants, methods and their arguments.
pub(super) fn assign(plan: &mut Plan, diags: &mut Diagnostics) {
    let model = plan.model;
    assign_modules(plan, diags);
    let mut scopes = Vec::new();
    for ns in 0..model.namespaces.len() {
        let mut types = Scope::new("type", "");
        let mut files = Scope::new("type module", "_");
        for &reserved in RESERVED_TYPES {
            types.reserve(reserved, "a prelude type");
        }
        files.reserve("mod_", "the module file");
        for id in model.namespaces[ns].types.clone() {
            let t = &model.types[id.0];
            let (name, origin) = (t.name.clone(), t.origin.clone());
            let rust = types.claim(camel(&name), &name, origin.location(), diags);
            // A file name collides only when the type name does too: that warning suffices.
            let file = files.claim(snake(&name), &name, origin.location(), &mut Diagnostics::default());
            let t = &mut plan.types[id.0];
            t.rust_name = rust;
            t.file = file;
        }
        // The field enums (`SynchronizationJobField`) come after every type, so a type of
        // the metadata keeps its plain name and the enum gets the suffix if they collide.
        for id in model.namespaces[ns].types.clone() {
            if model.structured(id).is_none() {
                continue;
            }
            let t = &model.types[id.0];
            let (wanted, name, origin) =
                (camel(&format!("{}_field", t.name)), t.name.clone(), t.origin.clone());
            let what = format!("the field enum of `{name}`");
            plan.types[id.0].field_enum = Some(types.claim(wanted, &what, origin.location(), diags));
        }
        for id in model.namespaces[ns].types.clone() {
            if !model.is_polymorphic(id) {
                continue;
            }
            let t = &model.types[id.0];
            let (wanted, name, origin) =
                (camel(&format!("any_{}", t.name)), t.name.clone(), t.origin.clone());
            let what = format!("the polymorphic enum of `{name}`");
            let rust_name = types.claim(wanted, &what, origin.location(), diags);
            plan.types[id.0].polymorphic = Some(PolymorphicEnum { rust_name, variants: Vec::new() });
        }
        scopes.push(types);
    }
    // The forms of multipart bodies, after every other type name.
    let mut forms: Vec<TypeId> = model
        .path_operations
        .iter()
        .filter_map(|op| op.body.as_ref().and_then(|b| super::surface::multipart_form(model, b)))
        .collect();
    forms.sort();
    forms.dedup();
    for id in forms {
        let t = &model.types[id.0];
        let (wanted, name, origin) = (camel(&format!("{}_form", t.name)), t.name.clone(), t.origin.clone());
        let what = format!("the multipart form of `{name}`");
        let scope = &mut scopes[t.namespace.0];
        plan.types[id.0].form = Some(scope.claim(wanted, &what, origin.location(), diags));
    }
    warn_hidden_at_root(plan, diags);
    assign_variants(plan);
    for i in 0..model.types.len() {
        assign_members(plan, i, diags);
    }
    assign_surface(plan, diags);
    for (op, planned) in model.operations.iter().zip(&mut plan.operations) {
        let mut scope = Scope::new("parameter", "_");
        // The generated function bodies use `args` for their URL arguments.
        scope.reserve("args", "a local of the generated method");
        for (p, a) in op.parameters.iter().zip(&mut planned.arguments) {
            a.rust_name = scope.claim(snake(&p.name), &p.name, op.origin.location(), diags);
        }
    }
    for (op, planned) in model.path_operations.iter().zip(&mut plan.path_operations) {
        let mut scope = Scope::new("parameter", "_");
        // The generated function bodies build `path` and `request`.
        scope.reserve("path", "a local of the generated method");
        scope.reserve("request", "a local of the generated method");
        for (p, a) in op.parameters.iter().zip(&mut planned.arguments) {
            a.rust_name = scope.claim(snake(&p.name), &p.name, p.origin.location(), diags);
        }
        if let Some(body) = &mut planned.body {
            body.rust_name = scope.claim("body".to_owned(), "the request body", op.origin.location(), diags);
        }
    }
}

/// The root re-exports the service namespace's types with a glob, which the root's own names
/// ([`ROOT_REEXPORTS`](crate::emit::ROOT_REEXPORTS)) shadow: a type, field enum or polymorphic
/// enum of that namespace with one of those names is reachable only through its module.
fn warn_hidden_at_root(plan: &Plan, diags: &mut Diagnostics) {
    let model = plan.model;
    let Some(ns) = model.main_namespace() else { return };
    let namespace = &model.namespaces[ns.0];
    for &id in &namespace.types {
        let (t, planned) = (&model.types[id.0], &plan.types[id.0]);
        let names = [
            (Some(planned.rust_name.as_str()), "type"),
            (planned.field_enum.as_deref(), "the field enum of"),
            (planned.polymorphic.as_ref().map(|p| p.rust_name.as_str()), "the polymorphic enum of"),
        ];
        for (rust, what) in names {
            let Some(rust) = rust else { continue };
            let Some(&(_, _, feature, is)) = crate::emit::ROOT_REEXPORTS.iter().find(|r| r.1 == rust) else {
                continue;
            };
            let feature = feature.map(|f| format!(" (with the `{f}` feature)")).unwrap_or_default();
            diags.warning(
                crate::diag::Code::HiddenAtRoot,
                t.origin.location().cloned(),
                format!(
                    "{what} `{}` of `{}` is not re-exported at the root of the generated code, where \
                     `{rust}` is {is}{feature}; it is `{}::{rust}`",
                    t.name, namespace.name, plan.modules[ns.0]
                ),
            );
        }
    }
}

/// The variants of each polymorphic enum: a type's own Rust name, or, when another variant
/// has it already (types of two namespaces), its module and name (`SecurityAlert`).
/// `Unrecognized` is the enum's own variant for types the crate does not know.
fn assign_variants(plan: &mut Plan) {
    let model = plan.model;
    for i in 0..model.types.len() {
        if plan.types[i].polymorphic.is_none() {
            continue;
        }
        let mut scope = Scope::new("variant", "");
        scope.reserve("Unrecognized", "the variant for unknown types");
        let ns = model.types[i].namespace;
        let mut ordered = model.with_descendants(TypeId(i));
        // Types of the enum's own namespace claim their plain names first.
        ordered.sort_by_key(|t| model.types[t.0].namespace != ns);
        let mut variants = Vec::new();
        for t in ordered {
            let ty = &model.types[t.0];
            let plain = plan.types[t.0].rust_name.clone();
            let qualified = camel(&format!("{}_{}", plan.modules[ty.namespace.0], ty.name));
            let wanted = if scope.taken.contains_key(&plain) { qualified } else { plain };
            let name = scope.claim(wanted, &ty.name, ty.origin.location(), &mut Diagnostics::default());
            variants.push((t, name));
        }
        // Declaration order again (base first), whatever order claimed the names.
        let order = model.with_descendants(TypeId(i));
        variants.sort_by_key(|(t, _)| order.iter().position(|o| o == t));
        plan.types[i].polymorphic.as_mut().expect("checked above").variants = variants;
    }
}

/// Method names of the client surface. Each handle's scope reserves the methods the runtime
/// defines on it.
fn assign_surface(plan: &mut Plan, diags: &mut Diagnostics) {
    use super::surface::{Member, MemberKind};
    let model = plan.model;
    // What the runtime defines on each handle (the generator–runtime contract).
    use crate::contract::{CLIENT, COLLECTION_REQUEST, ENTITY_REQUEST, GENERATED_CLIENT};
    const ENTITY: &[&str] = ENTITY_REQUEST.reserved;
    const COLLECTION: &[&str] = COLLECTION_REQUEST.reserved;
    let root: Vec<&str> = CLIENT.reserved.iter().chain(GENERATED_CLIENT).copied().collect();
    let default_ns = model.container_namespace();
    // The name a member wants, what it is called in warnings and where it is declared (an
    // `Option<Location>`); `owner` is the type whose handle has the member (none for the client).
    let name_of = |plan: &Plan, owner: Option<TypeId>, kind: &MemberKind| {
        match kind {
            MemberKind::Navigate { segment, target, .. } => {
                (snake(segment), segment.clone(), model.ty(*target).origin.location().cloned())
            }
            MemberKind::Property { segment, .. } => {
                let property = owner.and_then(|t| {
                    plan.fields(t).iter().map(|f| plan.property(f)).find(|p| &p.name == segment)
                });
                (snake(segment), segment.clone(), property.and_then(|p| p.origin.location().cloned()))
            }
            MemberKind::Cast { target } => {
                // Types outside the service's own namespace carry their module's name:
                // `as_user`, `as_term_store_group`.
                let t = model.ty(*target);
                let name = snake(&t.name).trim_end_matches('_').to_owned();
                let wanted = if Some(t.namespace) == default_ns || default_ns.is_none() {
                    format!("as_{name}")
                } else {
                    format!("as_{}_{name}", plan.modules[t.namespace.0].trim_end_matches('_'))
                };
                (wanted, format!("cast to {}", model.qualified_name(*target)), t.origin.location().cloned())
            }
            MemberKind::Operation { operation, .. } => {
                let o = &model.operations[operation.0];
                (snake(&o.name), o.name.clone(), o.origin.location().cloned())
            }
            MemberKind::PathOperation { operation } => {
                let o = &model.path_operations[operation.0];
                (snake(&o.name), o.name.clone(), o.origin.location().cloned())
            }
        }
    };
    let mut name_all =
        |plan: &Plan, owner: Option<TypeId>, members: &mut Vec<Member>, reserved: &[&str], what: &str| {
            let mut scope = Scope::new(what, "_");
            for r in reserved {
                scope.reserve(r, "a method of the runtime");
            }
            // Overloads: the one with the fewest parameters keeps the name, the others are named
            // after the parameters they add (`columns_after_with_count`).
            let mut overloads: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, m) in members.iter().enumerate() {
                if let MemberKind::Operation { operation, .. } = &m.kind {
                    overloads.entry(model.operations[operation.0].name.clone()).or_default().push(i);
                }
            }
            let mut preferred: BTreeMap<usize, String> = BTreeMap::new();
            for (name, mut list) in overloads.into_iter().filter(|(_, l)| l.len() > 1) {
                let params = |i: usize| -> Vec<String> {
                    let MemberKind::Operation { operation, .. } = &members[i].kind else { unreachable!() };
                    model.operations[operation.0].parameters.iter().map(|p| p.name.clone()).collect()
                };
                list.sort_by_key(|&i| params(i).len());
                let base = params(list[0]);
                for &i in &list[1..] {
                    let extra: Vec<String> =
                        params(i).iter().filter(|p| !base.contains(p)).map(|p| snake(p)).collect();
                    if !extra.is_empty() {
                        preferred.insert(
                            i,
                            format!("{}_with_{}", snake(&name).trim_end_matches('_'), extra.join("_and_")),
                        );
                    }
                }
            }
            for (i, m) in members.iter_mut().enumerate() {
                let (mut wanted, wire, at) = name_of(plan, owner, &m.kind);
                if let Some(p) = preferred.remove(&i) {
                    wanted = p;
                }
                // A name the runtime uses gets the member's kind: `delete_action`, `clone_action`.
                if reserved.contains(&wanted.as_str()) {
                    let kind = match &m.kind {
                        MemberKind::Operation { operation, .. } => match model.operations[operation.0].kind {
                            OperationKind::Action => "action",
                            OperationKind::Function => "function",
                        },
                        MemberKind::Navigate { .. } => "navigation",
                        MemberKind::Property { .. } => "property",
                        MemberKind::Cast { .. } => "cast",
                        MemberKind::PathOperation { .. } => "operation",
                    };
                    wanted = format!("{wanted}_{kind}");
                }
                m.rust_name = scope.claim(wanted, &wire, at.as_ref(), diags);
            }
        };
    let mut surface = std::mem::take(&mut plan.surface);
    for (id, members) in surface.entity.iter_mut() {
        let what = format!("method of `{}` requests", model.ty(*id).name);
        name_all(plan, Some(*id), members, ENTITY, &what);
    }
    for (id, members) in surface.collection.iter_mut() {
        let what = format!("method of `{}` collection requests", model.ty(*id).name);
        name_all(plan, Some(*id), members, COLLECTION, &what);
    }
    name_all(plan, None, &mut surface.root, &root, "method of the client");
    plan.surface = surface;
}

/// The module of a namespace: its segments after the prefix that all namespaces share, less
/// that prefix's last segment, snake-cased and joined with `_` (so `microsoft.graph` and
/// `microsoft.graph.security` are `graph` and `graph_security`; a lone `microsoft.graph` is
/// `graph`).
fn assign_modules(plan: &mut Plan, diags: &mut Diagnostics) {
    let model = plan.model;
    let names: Vec<&str> = model.namespaces.iter().map(|n| n.name.as_str()).collect();
    // The common dotted prefix of all namespaces, minus the last segment of the shortest one
    // so a lone namespace `microsoft.graph` becomes `graph`.
    let split: Vec<Vec<&str>> = names.iter().map(|n| n.split('.').collect()).collect();
    let mut common = split.first().map(|s| s.len()).unwrap_or(0);
    for s in &split {
        common = common.min(s.len());
        for (j, seg) in s.iter().enumerate().take(common) {
            if *seg != split[0][j] {
                common = j;
                break;
            }
        }
    }
    let drop = common.saturating_sub(1);
    let mut scope = Scope::new("namespace module", "_");
    scope.reserve("runtime", "the runtime support module");
    let types = &model.types;
    for (ns, module) in model.namespaces.iter().zip(&mut plan.modules) {
        let segments: Vec<&str> = ns.name.split('.').collect();
        let rest = segments[drop.min(segments.len() - 1)..].to_vec();
        // `graph.call_records`: snake each segment, join with `_`.
        let wanted =
            rest.iter().map(|s| snake(s).trim_end_matches('_').to_owned()).collect::<Vec<_>>().join("_");
        let wanted = finish_ident(wanted, 'x');
        // Where the namespace is declared is not recorded; its first type is in it.
        let at = ns.types.first().and_then(|t| types[t.0].origin.location());
        *module = scope.claim(wanted, &ns.name, at, diags);
    }
}

fn assign_members(plan: &mut Plan, i: usize, diags: &mut Diagnostics) {
    let model = plan.model;
    match &model.types[i].kind {
        TypeKind::Entity(_) | TypeKind::Complex(_) => {
            let mut scope = Scope::new("property", "_");
            scope.reserve("extra", "the map of what the metadata does not declare");
            // The field naming the concrete type: OData's annotation, or the discriminator.
            plan.types[i].tag_field = match model.protocol {
                crate::model::Protocol::OData => {
                    scope.reserve("odata_type", "the `@odata.type` annotation");
                    Some("odata_type".to_owned())
                }
                crate::model::Protocol::Json => model.type_tag(TypeId(i)).map(|tag| {
                    let at = model.types[i].origin.location();
                    scope.claim(snake(&tag.key), &tag.key, at, diags)
                }),
            };
            let mut variants = Scope::new("field variant", "");
            let mut fields = std::mem::take(&mut plan.types[i].fields);
            for f in &mut fields {
                let p = plan.property(f);
                let (wire, at) = (&p.name, p.origin.location());
                f.rust_name = scope.claim(snake(wire), wire, at, diags);
                // Variants collide exactly when fields do; that warning suffices.
                f.variant = variants.claim(camel(wire), wire, at, &mut Diagnostics::default());
            }
            plan.types[i].fields = fields;
        }
        TypeKind::Enum(e) => {
            let is_flags = e.is_flags;
            let mut scope = Scope::new("enum member", if is_flags { "_" } else { "" });
            if !is_flags {
                scope.reserve("Unrecognized", "the variant for values this crate does not know");
            }
            plan.types[i].members = e
                .members
                .iter()
                .map(|m| {
                    let wanted = if is_flags { shouty(&m.name) } else { camel(&m.name) };
                    scope.claim(wanted, &m.name, m.origin.location(), diags)
                })
                .collect();
        }
        TypeKind::Union(u) => {
            let mut scope = Scope::new("union member", "");
            scope.reserve("Other", "the variant for values no member reads");
            let at = model.types[i].origin.location();
            plan.types[i].members =
                u.members.iter().map(|m| scope.claim(camel(&m.name), &m.name, at, diags)).collect();
        }
        TypeKind::Definition(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names_follow_rust_conventions() {
        let cases = [
            ("templateId", "template_id"),
            ("synchronizationJobSettings", "synchronization_job_settings"),
            ("IPv4Address", "ipv4_address"),
            ("ipv6Range", "ipv6_range"),
            ("iOSManagedAppProtection", "ios_managed_app_protection"),
            ("oAuth2PermissionGrant", "oauth2_permission_grant"),
            ("isMFARegistered", "is_mfa_registered"),
            ("ODataType", "odata_type"),
            ("@odata.type", "odata_type"),
            ("macOSCompliancePolicy", "macos_compliance_policy"),
            ("deviceIOSVersion", "device_ios_version"),
            ("type", "type_"),
            ("gen", "gen_"),
            ("self", "self_"),
            ("2faEnabled", "x2fa_enabled"),
            ("", "x"),
            ("userID", "user_id"),
            ("experienceBlockDeviceDiscovery", "experience_block_device_discovery"),
            ("storeBookId", "store_book_id"),
            ("supportsIPv6", "supports_ipv6"),
        ];
        for (wire, rust) in cases {
            assert_eq!(snake(wire), rust, "snake({wire:?})");
        }
    }

    #[test]
    fn camel_case_names_follow_rust_conventions() {
        let cases = [
            ("synchronizationJob", "SynchronizationJob"),
            ("iOSManagedAppProtection", "IosManagedAppProtection"),
            ("IPv4Range", "Ipv4Range"),
            ("oAuth2PermissionGrant", "Oauth2PermissionGrant"),
            ("3des", "X3des"),
            ("Self", "Self_"),
            ("option", "Option_"),
            ("unknownFutureValue", "UnknownFutureValue"),
            ("NotConfigured", "NotConfigured"),
            ("eDiscoveryCase", "EdiscoveryCase"),
        ];
        for (wire, rust) in cases {
            assert_eq!(camel(wire), rust, "camel({wire:?})");
        }
    }

    #[test]
    fn shouty_names_are_valid_constants() {
        assert_eq!(shouty("readWrite"), "READ_WRITE");
        assert_eq!(shouty("iOS"), "IOS");
        assert_eq!(shouty("3des"), "X3DES");
    }

    #[test]
    fn colliding_names_get_numbered_suffixes_and_a_warning() {
        let mut diags = Diagnostics::default();
        let mut scope = Scope::new("property", "_");
        let at = Location { file: "f".into(), line: 1, column: 1 };
        assert_eq!(scope.claim(snake("userId"), "userId", Some(&at), &mut diags), "user_id");
        assert_eq!(scope.claim(snake("userID"), "userID", Some(&at), &mut diags), "user_id_2");
        assert_eq!(diags.len(), 1);
        assert!(diags.iter().next().unwrap().message.contains("`userID` and `userId` both become `user_id`"));
    }
}
