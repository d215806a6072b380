//! Shape decisions made on the finished model: which properties each Rust struct holds
//! (inherited ones included) and which fields must be boxed because types contain each other.

use super::{Field, Plan};
use crate::model::{Notes, Target, TypeId};

/// Fills [`super::TypePlan::fields`] with every property, root base first.
/// Base-type cycles were rejected by the front end, so the chain ends.
pub(super) fn flatten_fields(plan: &mut Plan) {
    let model = plan.model;
    for i in 0..model.types.len() {
        let chain = model.ancestors(TypeId(i));
        let mut fields: Vec<Field> = Vec::new();
        for (depth, &id) in chain.iter().enumerate().rev() {
            let Some(s) = model.structured(id) else {
                continue;
            };
            for (index, p) in s.properties.iter().enumerate() {
                // Refinements aimed at this property through types below its declaring type,
                // merged over the declaration's notes from the top down (the nearest wins).
                let refined: Vec<&Notes> = chain[..depth]
                    .iter()
                    .rev()
                    .filter_map(|&t| model.structured(t))
                    .flat_map(|s| {
                        s.inherited_notes.iter().filter(|(n, _)| *n == p.name).map(|(_, notes)| notes)
                    })
                    .collect();
                let notes = (!refined.is_empty()).then(|| {
                    let mut notes = p.notes.clone();
                    for r in refined {
                        notes.merge(r.clone());
                    }
                    notes
                });
                fields.push(Field {
                    declared_in: id,
                    index,
                    rust_name: String::new(),
                    variant: String::new(),
                    boxed: false,
                    notes,
                });
            }
        }
        plan.types[i].fields = fields;
    }
}

/// Boxes every single-valued field whose type can reach back to the containing type, so
/// that every struct has a finite size. Uses strongly connected components of the
/// "contains by value" graph (Tarjan's algorithm, iterative).
pub(super) fn box_recursive_fields(plan: &mut Plan) {
    let n = plan.types.len();
    let edges: Vec<Vec<usize>> = (0..n)
        .map(|i| plan.types[i].fields.iter().filter_map(|f| by_value_target(plan, f)).collect())
        .collect();
    let component = strongly_connected_components(&edges);
    for i in 0..n {
        let boxed: Vec<bool> = plan.types[i]
            .fields
            .iter()
            .map(|f| by_value_target(plan, f).is_some_and(|t| component[t] == component[i]))
            .collect();
        for (f, b) in plan.types[i].fields.iter_mut().zip(boxed) {
            f.boxed = b;
        }
    }
}

fn by_value_target(plan: &Plan, f: &Field) -> Option<usize> {
    let model = plan.model;
    let p = plan.property(f);
    match p.ty.target {
        // A polymorphic enum boxes its variants, so it never needs a box of its own.
        Target::Named(t)
            if !p.ty.collection && !p.ty.map && model.structured(t).is_some() && !model.is_polymorphic(t) =>
        {
            Some(t.0)
        }
        _ => None,
    }
}

/// Returns a component number per node; nodes in one cycle share it.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to visit)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                loop {
                    let w = stack.pop().expect("tarjan stack holds v");
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 -> 1 -> 0 (cycle), 1 -> 2, 3 -> 3 (self loop), 4 alone
        let c = strongly_connected_components(&[vec![1], vec![0, 2], vec![], vec![3], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        assert_ne!(c[3], c[4]);
    }
}
