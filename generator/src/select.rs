//! Generating only what you use: a [`Selection`] of URL paths, types and namespaces, and the
//! smaller model it keeps ([`apply`]), closed over everything the kept parts need so the
//! generated code always compiles.
//!
//! **Paths** are matched against the service's canonical URLs, as `codegen operations` lists
//! them: entity sets and singletons, keys (`{id}`), casts (`microsoft.graph.user`), bound
//! operations, and navigation properties. Containment navigation is followed to any depth;
//! a navigation property that does not contain its target leads to that entity and its own
//! operations and casts, but not further (the target is addressed through its own entity set,
//! as OData's canonical URLs and Microsoft's OpenAPI descriptions do). Imports and operations
//! addressed by a path template are matched by their path.
//!
//! A pattern is a path of `/`-separated segments:
//! - `**` matches any number of segments, none included;
//! - `*` within a segment matches any text (`*` alone, any one segment, a key included);
//! - `{…}` matches one key or path parameter;
//! - other text matches itself, ignoring ASCII case;
//! - a suffix `#GET` (or `#GET,POST`) limits the pattern to those HTTP methods.
//!
//! An endpoint (a method on a URL) is kept when an include pattern matches it and no exclude
//! pattern does; with exclude patterns only, every endpoint they do not match is kept. The
//! model keeps what the kept endpoints need: each entity set, singleton and navigation
//! property on the way to one (the handles that lead there; the methods of those handles that
//! were not selected are left out), the operations, and the types of everything kept.
//!
//! **Types and namespaces** (globs on qualified names, `microsoft.graph.user`,
//! `microsoft.graph.*`) add models without client methods: the types named and what they
//! need. Excluding a type removes it, the types derived from it, and every property,
//! navigation and operation that uses it.
//!
//! Whatever is kept is closed over: base types, the types of kept properties, of operation
//! parameters and results, and (with [`Selection::derived_types`]) every type derived from a
//! kept type. A navigation property is kept only on the way to a kept endpoint: elsewhere an
//! expanded value is read into the struct's `extra` map, so nothing the service sends is
//! lost. A type's polymorphic enum has a variant for each kept derived type; a value of a
//! derived type left out is read as the nearest kept type, with its other properties in
//! `extra`.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::diag::{Code, Diagnostics};
use crate::model::{
    Capabilities, HttpMethod, Model, NamespaceId, OperationId, OperationKind, PathPart, Target, TypeId,
    TypeKind, TypeRef,
};

/// What to generate. Empty (the default) is everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// URL path patterns of the endpoints to keep (`/users/**`, `/me/messages#GET`).
    pub include_paths: Vec<String>,
    /// URL path patterns of endpoints to leave out.
    pub exclude_paths: Vec<String>,
    /// Qualified type names (globs) to keep as models.
    pub include_types: Vec<String>,
    /// Qualified type names (globs) to leave out, with their derived types.
    pub exclude_types: Vec<String>,
    /// Namespaces (globs) whose every type to keep as models.
    pub include_namespaces: Vec<String>,
    /// Namespaces (globs) whose types to leave out.
    pub exclude_namespaces: Vec<String>,
    /// Also keep every type derived from a kept type (and what those need).
    pub derived_types: bool,
}

impl Selection {
    /// Whether this selects everything (no pattern given).
    pub fn is_empty(&self) -> bool {
        self.include_paths.is_empty()
            && self.exclude_paths.is_empty()
            && self.include_types.is_empty()
            && self.exclude_types.is_empty()
            && self.include_namespaces.is_empty()
            && self.exclude_namespaces.is_empty()
    }

    /// Adds `more`'s patterns to this selection's.
    pub fn extend(&mut self, more: Selection) {
        self.include_paths.extend(more.include_paths);
        self.exclude_paths.extend(more.exclude_paths);
        self.include_types.extend(more.include_types);
        self.exclude_types.extend(more.exclude_types);
        self.include_namespaces.extend(more.include_namespaces);
        self.exclude_namespaces.extend(more.exclude_namespaces);
        self.derived_types |= more.derived_types;
    }

    /// The patterns as command-line options, in a fixed order (for the lock file and
    /// messages).
    pub fn options(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for (name, values) in [
            ("include-path", &self.include_paths),
            ("exclude-path", &self.exclude_paths),
            ("include-type", &self.include_types),
            ("exclude-type", &self.exclude_types),
            ("include-namespace", &self.include_namespaces),
            ("exclude-namespace", &self.exclude_namespaces),
        ] {
            out.extend(values.iter().map(|v| (name, v.as_str())));
        }
        if self.derived_types {
            out.push(("derived-types", "true"));
        }
        out
    }

    /// Checks every pattern's syntax; the error names the first bad one.
    pub fn validate(&self) -> Result<(), String> {
        for p in self.include_paths.iter().chain(&self.exclude_paths) {
            PathPattern::parse(p)?;
        }
        for p in self
            .include_types
            .iter()
            .chain(&self.exclude_types)
            .chain(&self.include_namespaces)
            .chain(&self.exclude_namespaces)
        {
            if p.trim().is_empty() || p.contains('/') {
                return Err(format!(
                    "`{p}` is not a qualified name or a glob of one (e.g. `microsoft.graph.user`)"
                ));
            }
        }
        Ok(())
    }
}

/// One segment of a URL the walk stands on.
#[derive(Clone, Debug)]
struct Segment {
    /// The segment's text (a key is `{id}`, a path parameter `{name}`).
    text: String,
    /// A key or a path parameter.
    key: bool,
}

impl Segment {
    fn text(text: &str) -> Segment {
        Segment { text: text.to_owned(), key: false }
    }
}

#[derive(Clone, Debug)]
enum PatternSegment {
    /// `**`
    Any,
    /// `{…}`
    Key,
    /// Text, perhaps with `*` wildcards.
    Glob(String),
}

/// A parsed path pattern.
#[derive(Clone, Debug)]
struct PathPattern {
    segments: Vec<PatternSegment>,
    methods: Option<Vec<HttpMethod>>,
}

impl PathPattern {
    fn parse(text: &str) -> Result<PathPattern, String> {
        let (path, methods) = match text.split_once('#') {
            Some((path, methods)) => {
                let parsed = methods
                    .split([',', '|'])
                    .map(|m| {
                        HttpMethod::parse(m.trim()).ok_or_else(|| {
                            format!(
                                "`{text}`: `{}` is not an HTTP method (GET, POST, PATCH, PUT, DELETE, …)",
                                m.trim()
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (path, Some(parsed))
            }
            None => (text, None),
        };
        let Some(rest) = path.strip_prefix('/') else {
            return Err(format!("`{text}`: a path pattern starts with `/` (e.g. `/users/**`)"));
        };
        if path.chars().any(|c| c.is_control() || c == '?') {
            return Err(format!("`{text}`: a path pattern has no query and no control characters"));
        }
        let mut segments = Vec::new();
        for s in rest.split('/').filter(|s| !s.is_empty()) {
            // A key in parentheses, as services that do not write keys as segments list
            // them: `Books({id})` is `Books/{id}`.
            let (s, key) = match s.strip_suffix("})").and_then(|s| s.rsplit_once("({")) {
                Some((name, _)) if !name.is_empty() => (name, true),
                _ => (s, false),
            };
            segments.push(if s == "**" {
                PatternSegment::Any
            } else if s.starts_with('{') && s.ends_with('}') {
                PatternSegment::Key
            } else {
                PatternSegment::Glob(s.to_ascii_lowercase())
            });
            if key {
                segments.push(PatternSegment::Key);
            }
        }
        Ok(PathPattern { segments, methods })
    }

    /// The positions reached from `positions` after `segment` (each closed over `**`
    /// matching nothing).
    fn step(&self, positions: &[u16], segment: &Segment) -> Vec<u16> {
        let mut next = BTreeSet::new();
        for &i in positions {
            match self.segments.get(usize::from(i)) {
                Some(PatternSegment::Any) => {
                    next.insert(i);
                }
                Some(PatternSegment::Key) if segment.key => {
                    next.insert(i + 1);
                }
                Some(PatternSegment::Glob(glob)) if glob_matches(glob, &segment.text) => {
                    next.insert(i + 1);
                }
                _ => {}
            }
        }
        self.close(next.into_iter().collect())
    }

    /// `positions` with every position after a `**` it stands on.
    fn close(&self, mut positions: Vec<u16>) -> Vec<u16> {
        let mut i = 0;
        while i < positions.len() {
            let p = positions[i];
            if matches!(self.segments.get(usize::from(p)), Some(PatternSegment::Any))
                && !positions.contains(&(p + 1))
            {
                positions.push(p + 1);
            }
            i += 1;
        }
        positions.sort_unstable();
        positions
    }

    fn start(&self) -> Vec<u16> {
        self.close(vec![0])
    }

    fn accepts(&self, positions: &[u16], method: HttpMethod) -> bool {
        positions.contains(&(self.segments.len() as u16))
            && self.methods.as_ref().is_none_or(|methods| methods.contains(&method))
    }

    /// Whether every URL below the one at `positions` matches, whatever its method.
    fn accepts_everything_below(&self, positions: &[u16]) -> bool {
        self.methods.is_none()
            && positions
                .iter()
                .any(|&p| self.segments[usize::from(p)..].iter().all(|s| matches!(s, PatternSegment::Any)))
    }
}

/// Whether `text` matches `glob` (lower case, `*` any text), ignoring ASCII case.
fn glob_matches(glob: &str, text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let mut parts = glob.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Whether a qualified name matches a glob (`*` any text), ignoring ASCII case.
fn name_matches(glob: &str, name: &str) -> bool {
    glob_matches(&glob.to_ascii_lowercase(), name)
}

/// What led to a resource: its access comes from there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Via {
    /// An entity set: (container, index).
    Set(usize, usize),
    /// A singleton: (container, index).
    Singleton(usize, usize),
    /// A navigation property: (declaring type, property index).
    Navigation(TypeId, usize),
}

/// A resource the walk stands on, with the pattern positions its URL reached.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct State {
    ty: TypeId,
    collection: bool,
    /// Whether its navigation properties are followed (it is reached by containment).
    follow: bool,
    via: Via,
    /// Per include pattern, then per exclude pattern: the positions reached.
    positions: Vec<Vec<u16>>,
}

/// An edge of the walk that the model keeps when it leads to a kept endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Edge {
    Via(Via),
    Key,
    Cast(TypeId),
}

/// What the walk found.
#[derive(Default)]
struct Walk {
    states: Vec<State>,
    /// (from, edge, to); `from` is `None` for the service root.
    edges: Vec<(Option<usize>, Edge, usize)>,
    /// States with a kept endpoint of their own or of an operation bound there.
    productive: BTreeSet<usize>,
    /// Kept methods of each resource's own endpoints, by what led there.
    methods: BTreeMap<Via, BTreeSet<HttpMethod>>,
    operations: BTreeSet<OperationId>,
    /// Operations of imports kept: (container, import, operation).
    imports: BTreeSet<(usize, usize, OperationId)>,
    path_operations: BTreeSet<usize>,
    /// Per include pattern: whether it kept anything.
    used: Vec<bool>,
}

struct Walker<'a> {
    model: &'a Model,
    includes: Vec<PathPattern>,
    excludes: Vec<PathPattern>,
    /// No include pattern: every endpoint not excluded is kept.
    everything: bool,
    excluded_types: &'a BTreeSet<TypeId>,
    /// Operations bound to each type: (single, collection).
    bound: BTreeMap<TypeId, (Vec<OperationId>, Vec<OperationId>)>,
    walk: Walk,
    index: HashMap<State, usize>,
    queue: VecDeque<usize>,
}

impl Walker<'_> {
    fn step(&self, positions: &[Vec<u16>], segment: &Segment) -> Vec<Vec<u16>> {
        self.includes
            .iter()
            .chain(&self.excludes)
            .zip(positions)
            .map(|(pattern, at)| pattern.step(at, segment))
            .collect()
    }

    /// Whether anything below `positions` can be kept.
    fn alive(&self, positions: &[Vec<u16>]) -> bool {
        let (inc, exc) = positions.split_at(self.includes.len());
        let excluded = self.excludes.iter().zip(exc).any(|(p, at)| p.accepts_everything_below(at));
        !excluded && (self.everything || inc.iter().any(|at| !at.is_empty()))
    }

    /// Whether the endpoint `method` at `positions` is kept; marks the patterns that keep it.
    fn keeps(&mut self, positions: &[Vec<u16>], method: HttpMethod) -> bool {
        let (inc, exc) = positions.split_at(self.includes.len());
        if self.excludes.iter().zip(exc).any(|(p, at)| p.accepts(at, method)) {
            return false;
        }
        if self.everything {
            return true;
        }
        let mut kept = false;
        for (i, (p, at)) in self.includes.iter().zip(inc).enumerate() {
            if p.accepts(at, method) {
                self.walk.used[i] = true;
                kept = true;
            }
        }
        kept
    }

    fn visit(&mut self, from: Option<usize>, edge: Edge, state: State) {
        if !self.alive(&state.positions) || self.excluded_types.contains(&state.ty) {
            return;
        }
        let to = match self.index.get(&state) {
            Some(&i) => i,
            None => {
                let i = self.walk.states.len();
                self.index.insert(state.clone(), i);
                self.walk.states.push(state);
                self.queue.push_back(i);
                i
            }
        };
        self.walk.edges.push((from, edge, to));
    }

    fn uses_excluded(&self, op: OperationId) -> bool {
        self.model.operations[op.0].type_refs().any(|t| self.excluded(t))
    }

    fn excluded(&self, t: &TypeRef) -> bool {
        matches!(t.target, Target::Named(id) if self.excluded_types.contains(&id))
    }

    fn operation_method(&self, op: OperationId) -> HttpMethod {
        match self.model.operations[op.0].kind {
            OperationKind::Action => HttpMethod::Post,
            OperationKind::Function => HttpMethod::Get,
        }
    }

    fn run(mut self) -> Walk {
        let model = self.model;
        let start: Vec<Vec<u16>> =
            self.includes.iter().chain(&self.excludes).map(PathPattern::start).collect();
        for (ci, c) in model.containers.iter().enumerate() {
            for (i, s) in c.entity_sets.iter().enumerate() {
                let positions = self.step(&start, &Segment::text(&s.name));
                let state = State {
                    ty: s.entity_type,
                    collection: true,
                    follow: true,
                    via: Via::Set(ci, i),
                    positions,
                };
                self.visit(None, Edge::Via(Via::Set(ci, i)), state);
            }
            for (i, s) in c.singletons.iter().enumerate() {
                let positions = self.step(&start, &Segment::text(&s.name));
                let via = Via::Singleton(ci, i);
                let state = State { ty: s.entity_type, collection: false, follow: true, via, positions };
                self.visit(None, Edge::Via(via), state);
            }
            for (ii, import) in c.imports.iter().enumerate() {
                let positions = self.step(&start, &Segment::text(&import.name));
                for &op in &import.operations {
                    if !self.uses_excluded(op) && self.keeps(&positions, self.operation_method(op)) {
                        self.walk.imports.insert((ci, ii, op));
                    }
                }
            }
        }
        for (i, op) in model.path_operations.iter().enumerate() {
            let template = op.template();
            let mut positions = start.clone();
            for text in template.split('/').filter(|s| !s.is_empty()) {
                let key = op.path.iter().any(|p| matches!(p, PathPart::Parameter(_))) && text.contains('{');
                positions = self.step(&positions, &Segment { text: text.to_owned(), key });
            }
            let excluded = op.type_refs().any(|t| self.excluded(t));
            if !excluded && self.keeps(&positions, op.method) {
                self.walk.path_operations.insert(i);
            }
        }
        while let Some(i) = self.queue.pop_front() {
            let state = self.walk.states[i].clone();
            self.expand(i, &state);
        }
        self.walk
    }

    fn expand(&mut self, i: usize, state: &State) {
        let model = self.model;
        let own: &[HttpMethod] = if state.collection {
            &[HttpMethod::Get, HttpMethod::Post]
        } else {
            &[HttpMethod::Get, HttpMethod::Patch, HttpMethod::Put, HttpMethod::Delete]
        };
        for &method in own {
            if self.keeps(&state.positions, method) {
                self.walk.methods.entry(state.via).or_default().insert(method);
                self.walk.productive.insert(i);
            }
        }
        // Operations bound here (to the type or a base type).
        for a in model.ancestors(state.ty) {
            let ops = self
                .bound
                .get(&a)
                .map(|(single, collection)| if state.collection { collection } else { single });
            for op in ops.cloned().unwrap_or_default() {
                let segment = crate::plan::surface::operation_segment(model, op);
                let positions = self.step(&state.positions, &Segment::text(&segment));
                if !self.uses_excluded(op) && self.keeps(&positions, self.operation_method(op)) {
                    self.walk.operations.insert(op);
                    self.walk.productive.insert(i);
                }
            }
        }
        let descendants = model.with_descendants(state.ty).split_off(1);
        for d in descendants {
            let positions = self.step(&state.positions, &Segment::text(&model.qualified_name(d)));
            let next = State { ty: d, positions, ..state.clone() };
            self.visit(Some(i), Edge::Cast(d), next);
        }
        if state.collection {
            let positions = self.step(&state.positions, &Segment { text: "{id}".to_owned(), key: true });
            let next = State { collection: false, positions, ..state.clone() };
            self.visit(Some(i), Edge::Key, next);
            return;
        }
        if !state.follow {
            return;
        }
        for a in model.ancestors(state.ty).into_iter().rev() {
            let Some(s) = model.structured(a) else { continue };
            for (index, p) in s.properties.iter().enumerate() {
                let (Some(nav), Target::Named(target)) = (&p.navigation, p.ty.target) else { continue };
                if !matches!(model.ty(target).kind, TypeKind::Entity(_)) {
                    continue;
                }
                let positions = self.step(&state.positions, &Segment::text(&p.name));
                let via = Via::Navigation(a, index);
                let next = State {
                    ty: target,
                    collection: p.ty.collection,
                    follow: nav.contains_target,
                    via,
                    positions,
                };
                self.visit(Some(i), Edge::Via(via), next);
            }
        }
    }
}

/// What [`apply`] keeps of a model, as sets of the original ids.
struct Kept {
    types: BTreeSet<TypeId>,
    /// Navigation properties: (declaring type, index).
    navigation: BTreeSet<(TypeId, usize)>,
    sets: BTreeSet<(usize, usize)>,
    singletons: BTreeSet<(usize, usize)>,
    operations: BTreeSet<OperationId>,
    imports: BTreeSet<(usize, usize, OperationId)>,
    path_operations: BTreeSet<usize>,
    /// Methods kept for each resource that paths lead to (only under a path selection).
    methods: Option<BTreeMap<Via, BTreeSet<HttpMethod>>>,
}

/// The part of `model` that `selection` keeps, as a model of its own (ids renumbered). A
/// pattern that keeps nothing is a warning; a selection that keeps no type at all, or a
/// pattern that does not parse, is an error in `diags`.
pub fn apply(model: &Model, selection: &Selection, diags: &mut Diagnostics) -> Model {
    if selection.is_empty() {
        return model.clone();
    }
    match keep(model, selection, diags) {
        Some(kept) => rebuild(model, &kept),
        None => model.clone(),
    }
}

/// What the schemas of `namespaces` reach: every endpoint, every type of those namespaces,
/// and what they need of the other namespaces' types (the rest dropped; ids renumbered).
pub(crate) fn reached_from_namespaces(model: &Model, namespaces: &BTreeSet<&str>) -> Model {
    let selection = Selection {
        include_paths: vec!["/**".to_owned()],
        include_namespaces: namespaces.iter().map(|n| (*n).to_owned()).collect(),
        ..Selection::default()
    };
    let mut quiet = Diagnostics::default();
    match keep(model, &selection, &mut quiet) {
        Some(kept) => rebuild(model, &kept),
        None => model.clone(),
    }
}

/// The types of `model` that the path patterns `include` keep (original ids, closed over what
/// they need); for the per-area features.
pub(crate) fn types_kept_by(model: &Model, include: &[String]) -> BTreeSet<TypeId> {
    let selection = Selection { include_paths: include.to_vec(), ..Selection::default() };
    let mut quiet = Diagnostics::default();
    keep(model, &selection, &mut quiet).map(|kept| kept.types).unwrap_or_default()
}

/// What `selection` keeps of `model`, or `None` after an error in `diags`.
fn keep(model: &Model, selection: &Selection, diags: &mut Diagnostics) -> Option<Kept> {
    if let Err(message) = selection.validate() {
        diags.error(Code::InvalidSelection, None, message);
        return None;
    }
    let qualified: Vec<String> = (0..model.types.len()).map(|i| model.qualified_name(TypeId(i))).collect();
    let namespace_of = |t: usize| model.namespaces[model.types[t].namespace.0].name.as_str();
    let mut excluded = BTreeSet::new();
    for (option, globs, by_namespace) in [
        ("exclude-type", &selection.exclude_types, false),
        ("exclude-namespace", &selection.exclude_namespaces, true),
    ] {
        for glob in globs {
            let matched: Vec<TypeId> = (0..model.types.len())
                .filter(|&t| name_matches(glob, if by_namespace { namespace_of(t) } else { &qualified[t] }))
                .map(TypeId)
                .collect();
            if matched.is_empty() {
                diags.warning(Code::UnmatchedSelection, None, format!("`--{option} {glob}` matches no type"));
            }
            for t in matched {
                excluded.extend(model.with_descendants(t));
            }
        }
    }
    let path_selection = !selection.include_paths.is_empty() || !selection.exclude_paths.is_empty();
    let type_selection = !selection.include_types.is_empty() || !selection.include_namespaces.is_empty();
    let parse = |list: &[String]| list.iter().filter_map(|p| PathPattern::parse(p).ok()).collect::<Vec<_>>();
    let mut bound: BTreeMap<TypeId, (Vec<OperationId>, Vec<OperationId>)> = BTreeMap::new();
    for (i, op) in model.operations.iter().enumerate() {
        if let Some(TypeRef { collection, target: Target::Named(t), .. }) = op.binding {
            let entry = bound.entry(t).or_default();
            if collection { &mut entry.1 } else { &mut entry.0 }.push(OperationId(i));
        }
    }
    // Without path patterns, a selection of types and namespaces keeps models only; with
    // exclusions only, every endpoint they leave.
    let walk = if path_selection || !type_selection {
        let walker = Walker {
            model,
            includes: parse(&selection.include_paths),
            excludes: parse(&selection.exclude_paths),
            everything: selection.include_paths.is_empty(),
            excluded_types: &excluded,
            bound,
            walk: Walk { used: vec![false; selection.include_paths.len()], ..Walk::default() },
            index: HashMap::new(),
            queue: VecDeque::new(),
        };
        walker.run()
    } else {
        Walk::default()
    };
    for (pattern, used) in selection.include_paths.iter().zip(&walk.used) {
        if !used {
            diags.warning(
                Code::UnmatchedSelection,
                None,
                format!(
                    "`--include-path {pattern}` matches no endpoint (see `codegen operations` for the URLs)"
                ),
            );
        }
    }
    let mut kept = kept_by_walk(&walk, path_selection);
    for (option, globs, by_namespace) in [
        ("include-type", &selection.include_types, false),
        ("include-namespace", &selection.include_namespaces, true),
    ] {
        for glob in globs {
            let matched: Vec<TypeId> = (0..model.types.len())
                .filter(|&t| name_matches(glob, if by_namespace { namespace_of(t) } else { &qualified[t] }))
                .map(TypeId)
                .filter(|t| !excluded.contains(t))
                .collect();
            if matched.is_empty() {
                diags.warning(
                    Code::UnmatchedSelection,
                    None,
                    format!("`--{option} {glob}` matches no type that is kept"),
                );
            }
            kept.types.extend(matched);
        }
    }
    close_types(model, &mut kept, &excluded, selection.derived_types);
    if kept.types.is_empty() {
        diags.error(
            Code::EmptySelection,
            None,
            "the selection keeps no type, so there is nothing to generate (see `codegen operations` for the URLs)",
        );
        return None;
    }
    Some(kept)
}

/// The edges, resources and operations on the way to a kept endpoint.
fn kept_by_walk(walk: &Walk, path_selection: bool) -> Kept {
    let mut useful: BTreeSet<usize> = walk.productive.clone();
    // Resources from which a kept endpoint is reached, found backwards.
    let mut into: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(from, _, to) in &walk.edges {
        if let Some(from) = from {
            into.entry(to).or_default().push(from);
        }
    }
    let mut stack: Vec<usize> = useful.iter().copied().collect();
    while let Some(s) = stack.pop() {
        for &from in into.get(&s).map(Vec::as_slice).unwrap_or_default() {
            if useful.insert(from) {
                stack.push(from);
            }
        }
    }
    let mut kept = Kept {
        types: BTreeSet::new(),
        navigation: BTreeSet::new(),
        sets: BTreeSet::new(),
        singletons: BTreeSet::new(),
        operations: walk.operations.clone(),
        imports: walk.imports.clone(),
        path_operations: walk.path_operations.clone(),
        methods: path_selection.then(|| walk.methods.clone()),
    };
    for &(_, edge, to) in &walk.edges {
        if !useful.contains(&to) {
            continue;
        }
        kept.types.insert(walk.states[to].ty);
        match edge {
            Edge::Via(Via::Set(c, i)) => {
                kept.sets.insert((c, i));
            }
            Edge::Via(Via::Singleton(c, i)) => {
                kept.singletons.insert((c, i));
            }
            Edge::Via(Via::Navigation(t, i)) => {
                kept.navigation.insert((t, i));
            }
            Edge::Key | Edge::Cast(_) => {}
        }
    }
    kept
}

/// Adds to `kept.types` everything the kept parts need.
fn close_types(model: &Model, kept: &mut Kept, excluded: &BTreeSet<TypeId>, derived: bool) {
    let mut queue: Vec<TypeId> = kept.types.iter().copied().collect();
    let add = |t: &TypeRef, queue: &mut Vec<TypeId>| {
        if let Target::Named(id) = t.target {
            queue.push(id);
        }
    };
    let ops = kept.operations.iter().copied().chain(kept.imports.iter().map(|&(_, _, op)| op));
    for op in ops {
        for t in model.operations[op.0].type_refs() {
            add(t, &mut queue);
        }
    }
    for &i in &kept.path_operations {
        for t in model.path_operations[i].type_refs() {
            add(t, &mut queue);
        }
    }
    kept.types.clear();
    while let Some(t) = queue.pop() {
        if excluded.contains(&t) || !kept.types.insert(t) {
            continue;
        }
        if let TypeKind::Union(u) = &model.ty(t).kind {
            for m in &u.members {
                add(&m.ty, &mut queue);
            }
        }
        let Some(s) = model.structured(t) else { continue };
        queue.extend(s.base);
        if derived {
            queue.extend(s.derived.iter().copied());
        }
        for (i, p) in s.properties.iter().enumerate() {
            if p.navigation.is_none() || kept.navigation.contains(&(t, i)) {
                add(&p.ty, &mut queue);
            }
        }
    }
}

/// The model with only what `kept` names, ids renumbered.
fn rebuild(model: &Model, kept: &Kept) -> Model {
    let type_map: BTreeMap<TypeId, TypeId> =
        kept.types.iter().enumerate().map(|(new, &old)| (old, TypeId(new))).collect();
    let keeps = |t: &TypeRef| match t.target {
        Target::Named(id) => type_map.contains_key(&id),
        Target::Primitive(_) => true,
    };
    let remap = |t: TypeRef| TypeRef {
        map: t.map,
        collection: t.collection,
        target: match t.target {
            Target::Named(id) => Target::Named(type_map[&id]),
            primitive => primitive,
        },
    };
    // Operations kept whole: every type they use is kept.
    let op_ok = |op: OperationId| model.operations[op.0].type_refs().all(keeps);
    let ops: BTreeSet<OperationId> = kept
        .operations
        .iter()
        .copied()
        .chain(kept.imports.iter().map(|&(_, _, op)| op))
        .filter(|&op| op_ok(op))
        .collect();
    let op_map: BTreeMap<OperationId, OperationId> =
        ops.iter().enumerate().map(|(new, &old)| (old, OperationId(new))).collect();
    let path_ops: Vec<usize> = kept
        .path_operations
        .iter()
        .copied()
        .filter(|&i| model.path_operations[i].type_refs().all(keeps))
        .collect();
    // Namespaces that hold something kept, or a container.
    let mut used_ns: BTreeSet<NamespaceId> = kept.types.iter().map(|&t| model.ty(t).namespace).collect();
    used_ns.extend(ops.iter().map(|&op| model.operations[op.0].namespace));
    used_ns.extend(path_ops.iter().map(|&i| model.path_operations[i].namespace));
    used_ns.extend(model.containers.iter().map(|c| c.namespace));
    let ns_map: BTreeMap<NamespaceId, NamespaceId> =
        used_ns.iter().enumerate().map(|(new, &old)| (old, NamespaceId(new))).collect();

    let restrict = |caps: &mut Capabilities, via: Via| {
        let Some(methods) = &kept.methods else { return };
        let kept_methods = methods.get(&via);
        let has = |m: HttpMethod| kept_methods.is_some_and(|set| set.contains(&m));
        let narrow = |slot: &mut Option<bool>, allowed: bool| {
            if !allowed {
                *slot = Some(false);
            }
        };
        narrow(&mut caps.readable, has(HttpMethod::Get));
        narrow(&mut caps.insertable, has(HttpMethod::Post));
        narrow(&mut caps.updatable, has(HttpMethod::Patch) || has(HttpMethod::Put));
        narrow(&mut caps.deletable, has(HttpMethod::Delete));
    };

    let mut out = Model {
        base_url: model.base_url.clone(),
        protocol: model.protocol,
        key_style: model.key_style,
        batch_format: model.batch_format,
        v2: model.v2,
        security: model.security.clone(),
        tags: model.tags.clone(),
        ..Model::default()
    };
    for &old in &used_ns {
        let n = &model.namespaces[old.0];
        let mut ns = n.clone();
        ns.types = n.types.iter().filter_map(|t| type_map.get(t).copied()).collect();
        out.namespaces.push(ns);
    }
    for &old in &kept.types {
        let mut t = model.ty(old).clone();
        t.namespace = ns_map[&t.namespace];
        if let TypeKind::Entity(s) | TypeKind::Complex(s) = &mut t.kind {
            s.base = s.base.map(|b| type_map[&b]);
            s.derived = s.derived.iter().filter_map(|d| type_map.get(d).copied()).collect();
            let mut properties = Vec::new();
            for (i, mut p) in std::mem::take(&mut s.properties).into_iter().enumerate() {
                let keep = keeps(&p.ty) && (p.navigation.is_none() || kept.navigation.contains(&(old, i)));
                if !keep {
                    continue;
                }
                if p.navigation.is_some() {
                    restrict(&mut p.notes.capabilities, Via::Navigation(old, i));
                }
                p.ty = remap(p.ty);
                properties.push(p);
            }
            s.properties = properties;
        }
        // A member whose type is left out: its values are kept as `Other`.
        if let TypeKind::Union(u) = &mut t.kind {
            u.members.retain(|m| keeps(&m.ty));
            for m in &mut u.members {
                m.ty = remap(m.ty);
            }
        }
        out.types.push(t);
    }
    // Notes refined for an inherited navigation property narrow the same way as the
    // declaration's: they are read before it.
    for (new_index, &old) in kept.types.iter().enumerate() {
        let Some(s) = model.structured(old) else { continue };
        if s.inherited_notes.is_empty() {
            continue;
        }
        let ancestors = model.ancestors(old);
        let (TypeKind::Entity(new_s) | TypeKind::Complex(new_s)) = &mut out.types[new_index].kind else {
            continue;
        };
        for (name, notes) in &mut new_s.inherited_notes {
            let declared = ancestors.iter().find_map(|&a| {
                let sa = model.structured(a)?;
                let i = sa.properties.iter().position(|p| &p.name == name && p.navigation.is_some())?;
                Some(Via::Navigation(a, i))
            });
            if let Some(via) = declared {
                restrict(&mut notes.capabilities, via);
            }
        }
    }
    for &old in &ops {
        let mut o = model.operations[old.0].clone();
        o.namespace = ns_map[&o.namespace];
        o.binding = o.binding.map(remap);
        for p in &mut o.parameters {
            p.ty = remap(p.ty);
        }
        if let Some(r) = &mut o.returns {
            r.ty = remap(r.ty);
        }
        out.operations.push(o);
    }
    for (ci, c) in model.containers.iter().enumerate() {
        let mut container = c.clone();
        container.namespace = ns_map[&c.namespace];
        container.entity_sets = c
            .entity_sets
            .iter()
            .enumerate()
            .filter(|(i, s)| kept.sets.contains(&(ci, *i)) && type_map.contains_key(&s.entity_type))
            .map(|(i, s)| {
                let mut s = s.clone();
                s.entity_type = type_map[&s.entity_type];
                restrict(&mut s.notes.capabilities, Via::Set(ci, i));
                s
            })
            .collect();
        container.singletons = c
            .singletons
            .iter()
            .enumerate()
            .filter(|(i, s)| kept.singletons.contains(&(ci, *i)) && type_map.contains_key(&s.entity_type))
            .map(|(i, s)| {
                let mut s = s.clone();
                s.entity_type = type_map[&s.entity_type];
                restrict(&mut s.notes.capabilities, Via::Singleton(ci, i));
                s
            })
            .collect();
        container.imports = c
            .imports
            .iter()
            .enumerate()
            .filter_map(|(ii, import)| {
                let operations: Vec<OperationId> = import
                    .operations
                    .iter()
                    .filter(|&&op| kept.imports.contains(&(ci, ii, op)))
                    .filter_map(|op| op_map.get(op).copied())
                    .collect();
                (!operations.is_empty()).then(|| {
                    let mut import = import.clone();
                    import.operations = operations;
                    import
                })
            })
            .collect();
        out.containers.push(container);
    }
    for &i in &path_ops {
        let mut o = model.path_operations[i].clone();
        o.namespace = ns_map[&o.namespace];
        for p in &mut o.parameters {
            p.ty = remap(p.ty);
        }
        if let Some(b) = &mut o.body {
            b.ty = b.ty.map(remap);
        }
        for r in &mut o.responses {
            r.ty = r.ty.map(remap);
        }
        out.path_operations.push(o);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_segments_ignoring_case() {
        assert!(glob_matches("users", "Users"));
        assert!(glob_matches("*", "anything"));
        assert!(glob_matches("graph.*", "graph.user"));
        assert!(glob_matches("a*c*e", "abcde"));
        assert!(!glob_matches("a*c*e", "abcd"));
        assert!(!glob_matches("user", "users"));
        assert!(glob_matches("*s", "users"));
        assert!(!glob_matches("ab*ba", "aba"));
    }

    #[test]
    fn double_star_matches_any_number_of_segments() {
        let p = PathPattern::parse("/servicePrincipals/**/synchronization/**").expect("parses");
        let walk = |segments: &[(&str, bool)]| {
            let mut at = p.start();
            for (text, key) in segments {
                at = p.step(&at, &Segment { text: (*text).to_owned(), key: *key });
            }
            p.accepts(&at, HttpMethod::Get)
        };
        assert!(walk(&[("servicePrincipals", false), ("{id}", true), ("synchronization", false)]));
        assert!(walk(&[
            ("servicePrincipals", false),
            ("{id}", true),
            ("synchronization", false),
            ("jobs", false)
        ]));
        assert!(!walk(&[("servicePrincipals", false), ("{id}", true)]));
        assert!(!walk(&[("users", false), ("{id}", true), ("synchronization", false)]));
    }

    #[test]
    fn keys_and_methods_are_matched() {
        let p = PathPattern::parse("/users/{user-id}/messages#GET,post").expect("parses");
        let mut at = p.start();
        for (text, key) in [("users", false), ("{id}", true), ("messages", false)] {
            at = p.step(&at, &Segment { text: text.to_owned(), key });
        }
        assert!(p.accepts(&at, HttpMethod::Get));
        assert!(p.accepts(&at, HttpMethod::Post));
        assert!(!p.accepts(&at, HttpMethod::Delete));
        let mut literal = p.start();
        literal = p.step(&literal, &Segment::text("users"));
        literal = p.step(&literal, &Segment::text("delta"));
        assert!(literal.is_empty(), "`{{…}}` matches keys only");
    }

    #[test]
    fn malformed_patterns_are_refused_with_the_reason() {
        let err = |p: &str| {
            Selection { include_paths: vec![p.to_owned()], ..Selection::default() }.validate().unwrap_err()
        };
        assert!(err("users/**").contains("starts with `/`"), "{}", err("users/**"));
        assert!(err("/users#FETCH").contains("`FETCH` is not an HTTP method"));
        assert!(err("/users?$top=1").contains("no query"));
        let bad_type = Selection { include_types: vec!["a/b".into()], ..Selection::default() };
        assert!(bad_type.validate().unwrap_err().contains("qualified name"));
    }
}
