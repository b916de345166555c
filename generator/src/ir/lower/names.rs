//! Chooses the final name of every type once all types exist.
//!
//! Components keep their names. An inline type that was reached from several places that agree
//! on a stand-alone name (`Asset`, from the items of `assets` and from the answers of
//! `GET/PATCH /assets/{asset_id}`) takes it; every other inline type is named after where it sits
//! (`UploadAttributesDefaultFieldMetadata`), parents before children, so a child's name starts
//! with its parent's final name.

use std::collections::HashMap;

use super::schema::Candidate;
use crate::ir::naming::Scope;
use crate::ir::{TypeDef, TypeId};

pub fn assign(types: &mut [TypeDef], candidates: &[Vec<Candidate>], fixed: &[bool], scopes: &[Option<TypeId>]) {
    let mut scope = Scope::with_reserved(&["Client", "ClientBuilder", "Error", "Nullable"]);
    let mut named = vec![false; types.len()];
    for (i, def) in types.iter_mut().enumerate() {
        if fixed[i] {
            def.name = scope.claim(&def.name);
            named[i] = true;
        }
    }
    // Stand-alone names agreed on by at least two places, most votes first.
    let mut bare: Vec<(usize, String, usize)> = Vec::new();
    for (i, list) in candidates.iter().enumerate() {
        if named[i] {
            continue;
        }
        let mut votes: HashMap<&str, usize> = HashMap::new();
        for c in list {
            if let Some(b) = &c.bare {
                *votes.entry(b.as_str()).or_default() += 1;
            }
        }
        if let Some((name, count)) = votes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))) {
            if count >= 2 {
                bare.push((count, name.to_string(), i));
            }
        }
    }
    bare.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    for (_, name, i) in bare {
        if !scope.is_taken(&name) {
            types[i].name = scope.claim(&name);
            named[i] = true;
        }
    }
    // Children are interned before their parents, so walking backwards names parents first.
    for i in (0..types.len()).rev() {
        if named[i] {
            continue;
        }
        let full = candidates[i].iter().map(|c| {
            let owner = c.scope.and_then(|s| scopes[s.0]).filter(|o| named[o.0] && o.0 != i);
            match owner {
                Some(o) => format!("{}{}", types[o.0].name, c.suffix),
                None => c.suffix.clone(),
            }
        });
        let options: Vec<String> = full.collect();
        let choice =
            options.iter().find(|n| !scope.is_taken(n)).or(options.first()).cloned().unwrap_or_else(|| "Type".into());
        types[i].name = scope.claim(&choice);
        named[i] = true;
    }
}
