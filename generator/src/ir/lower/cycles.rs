//! Boxes the fields through which a type contains itself, so every type has a finite size.
//!
//! Tarjan's algorithm finds the strongly connected components of the "contains directly" graph
//! (through `Option`, not through `Vec` or maps, which already allocate); a field or variant
//! whose type lies in its own type's component is boxed.

use crate::ir::{Ty, TypeDef, TypeId, TypeKind};

fn direct_targets(ty: &Ty) -> Vec<TypeId> {
    match ty {
        Ty::Named(id) => vec![*id],
        Ty::Option(inner) => direct_targets(inner),
        Ty::Tuple(elements) => elements.iter().flat_map(direct_targets).collect(),
        _ => Vec::new(),
    }
}

/// The one type an alias or field stands for directly, if there is exactly one.
fn direct_target(ty: &Ty) -> Option<TypeId> {
    match direct_targets(ty).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().flat_map(|f| direct_targets(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().flat_map(|v| direct_targets(&v.ty)).collect(),
        TypeKind::Alias(ty) => direct_targets(ty),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Component number of every type.
fn components(types: &[TypeDef]) -> Vec<usize> {
    let n = types.len();
    let graph: Vec<Vec<TypeId>> = types.iter().map(edges).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // Iterative DFS: (node, next edge to visit).
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = graph[v].get(*edge).map(|t| t.0) {
                *edge += 1;
                if index[w] == usize::MAX {
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
                while let Some(w) = stack.pop() {
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

pub fn break_cycles(types: &mut [TypeDef]) {
    let component = components(types);
    for i in 0..types.len() {
        if alias_loop(types, i) {
            types[i].kind = TypeKind::Alias(Ty::Any);
            continue;
        }
        let same = |ty: &Ty| direct_targets(ty).iter().any(|t| component[t.0] == component[i]);
        match &mut types[i].kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.boxed = same(&f.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.boxed = same(&v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}

/// Whether following aliases from `start` comes back to it (`A = B`, `B = A`): no type at all.
fn alias_loop(types: &[TypeDef], start: usize) -> bool {
    let mut at = start;
    for _ in 0..=types.len() {
        match &types[at].kind {
            TypeKind::Alias(ty) => match direct_target(ty) {
                Some(next) if next.0 == start => return true,
                Some(next) => at = next.0,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}
