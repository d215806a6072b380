//! Per-area cargo features: one feature per member of the service root (each entity set,
//! singleton and import, and each first path segment of the operations addressed by a path
//! template), so that a crate for a service as large as Microsoft Graph compiles only the
//! areas a program uses.
//!
//! An area is what `codegen generate --include-path /<segment>/**` would keep (see
//! [`crate::select`]): the types on the way to its endpoints and everything they need. Each
//! type is compiled when any area that needs it is enabled ([`Need`]); a use of a type
//! inside another (a navigation field, a cast, an operation's parameter or result, a variant
//! of a polymorphic enum) is compiled only when both are, so enabling one area compiles only
//! it, whatever the other areas hold. Features do not depend on each other; `full` (the
//! default) enables them all, and also the types no area reaches.

use std::collections::BTreeSet;

use super::surface::MemberKind;
use super::Plan;
use crate::model::{PathPart, TypeId};

/// crates.io refuses a crate with more features than this; areas beyond it are merged into
/// the last feature (documented in the crate's README).
pub const MAX_FEATURES: usize = 300;

/// Features the generated `Cargo.toml` declares besides the areas.
pub const RESERVED: &[&str] = &["default", "full", "reqwest", "arbitrary-precision", "preserve-order"];

/// The areas of a crate and which of them each type needs.
#[derive(Debug, Default)]
pub struct Features {
    /// The feature name of each area.
    pub names: Vec<String>,
    /// The area of each member of the client root ([`super::surface::Surface::root`]).
    pub root: Vec<usize>,
    /// What each type needs to be compiled, by [`TypeId`].
    pub types: Vec<Need>,
}

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Always: every area needs it.
    Always,
    /// When one of these areas (sorted indices) is enabled; none: only with `full`.
    Areas(Vec<usize>),
}

impl Need {
    /// Whether `self` is compiled whenever `outer` is: a use of it inside `outer` needs no
    /// condition of its own.
    pub fn covers(&self, outer: &Need) -> bool {
        match (self, outer) {
            (Need::Always, _) => true,
            (Need::Areas(_), Need::Always) => false,
            // `full` compiles what no area needs, and it enables every area.
            (Need::Areas(_), Need::Areas(theirs)) if theirs.is_empty() => true,
            (Need::Areas(mine), Need::Areas(theirs)) => theirs.iter().all(|a| mine.binary_search(a).is_ok()),
        }
    }
}

impl Features {
    /// What type `id` needs.
    pub fn need(&self, id: TypeId) -> &Need {
        &self.types[id.0]
    }
}

/// The areas of `plan`'s root (names assigned) and what each type needs.
pub(super) fn build(plan: &Plan) -> Features {
    let model = plan.model;
    let mut names: Vec<String> = Vec::new();
    let mut patterns: Vec<Vec<String>> = Vec::new();
    let mut root = Vec::new();
    for m in &plan.surface.root {
        let (name, pattern) = match &m.kind {
            MemberKind::Navigate { segment, .. } | MemberKind::Operation { segment, .. } => {
                (m.rust_name.clone(), format!("/{segment}/**"))
            }
            MemberKind::PathOperation { operation } => {
                let op = &model.path_operations[operation.0];
                let first = match op.path.first() {
                    Some(PathPart::Literal(text)) => {
                        text.trim_start_matches('/').split('/').next().unwrap_or_default().to_owned()
                    }
                    _ => String::new(),
                };
                let first = if first.contains(['{', '*']) { String::new() } else { first };
                let name = super::names::snake(if first.is_empty() { "root" } else { &first });
                (name, if first.is_empty() { "/**".to_owned() } else { format!("/{first}/**") })
            }
            MemberKind::Cast { .. } | MemberKind::Property { .. } => continue,
        };
        let name = feature_name(&name);
        let area = match names.iter().position(|n| *n == name) {
            Some(i) => i,
            None if names.len() < MAX_FEATURES - RESERVED.len() => {
                names.push(name);
                patterns.push(Vec::new());
                names.len() - 1
            }
            None => names.len() - 1,
        };
        if !patterns[area].contains(&pattern) {
            patterns[area].push(pattern);
        }
        root.push(area);
    }
    let mut needs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); model.types.len()];
    for (area, include) in patterns.iter().enumerate() {
        for t in crate::select::types_kept_by(model, include) {
            needs[t.0].insert(area);
        }
    }
    let types = needs
        .into_iter()
        .map(|areas| {
            if !names.is_empty() && areas.len() == names.len() {
                Need::Always
            } else {
                Need::Areas(areas.into_iter().collect())
            }
        })
        .collect();
    Features { names, root, types }
}

/// A cargo feature name for an area: its Rust name, unless that is taken by a feature of
/// the crate's own.
fn feature_name(rust_name: &str) -> String {
    let name = rust_name.trim_start_matches("r#");
    if RESERVED.contains(&name) {
        format!("{name}_area")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Need;

    #[test]
    fn a_need_covers_another_when_it_holds_all_its_areas() {
        assert!(Need::Always.covers(&Need::Areas(vec![1])));
        assert!(Need::Areas(vec![1, 2, 3]).covers(&Need::Areas(vec![1, 3])));
        assert!(!Need::Areas(vec![1, 3]).covers(&Need::Areas(vec![1, 2])));
        assert!(!Need::Areas(vec![1]).covers(&Need::Always));
        // What no area needs is compiled only with `full`, which enables every area.
        assert!(Need::Areas(vec![1]).covers(&Need::Areas(vec![])));
        assert!(!Need::Areas(vec![]).covers(&Need::Areas(vec![1])));
    }
}
