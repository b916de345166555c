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
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_targets(ty),
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
    wrap_self_containing_aliases(types);
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
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Enum(_) => {}
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

/// Every type an alias names anywhere in its target, inside `Vec`s and maps too.
fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) => named_in(inner, out),
        Ty::Tuple(elements) => elements.iter().for_each(|e| named_in(e, out)),
        _ => {}
    }
}

/// Aliases that reach themselves through other aliases (`Tree = Vec<Tree>`, `A = Vec<B>` with
/// `B = BTreeMap<String, A>`) are a cycle Rust refuses (E0391): each such alias becomes a
/// newtype, which breaks the cycle with a real type. `Vec` and maps allocate, so no `Box` is
/// needed; a loop of bare aliases (`A = B`, `B = A`) is left to [`alias_loop`].
fn wrap_self_containing_aliases(types: &mut [TypeDef]) {
    let aliases: Vec<Vec<TypeId>> = types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &def.kind {
                named_in(ty, &mut out);
            }
            out.retain(|id| matches!(types[id.0].kind, TypeKind::Alias(_)));
            out
        })
        .collect();
    for start in 0..types.len() {
        if aliases[start].is_empty() || alias_loop(types, start) {
            continue;
        }
        // Depth-first through aliases only; bounded by the number of types.
        let mut seen = vec![false; types.len()];
        let mut todo: Vec<TypeId> = aliases[start].clone();
        let mut cyclic = false;
        while let Some(id) = todo.pop() {
            if id.0 == start {
                cyclic = true;
                break;
            }
            // An alias already made a newtype ends the cycles through it.
            let still_alias = matches!(types[id.0].kind, TypeKind::Alias(_));
            if still_alias && !std::mem::replace(&mut seen[id.0], true) {
                todo.extend(&aliases[id.0]);
            }
        }
        if cyclic {
            if let TypeKind::Alias(ty) = &types[start].kind {
                types[start].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}
