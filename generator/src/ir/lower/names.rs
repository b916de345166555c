//! Chooses the final name of every type once all types exist.
//!
//! Components keep their names. An inline type that was reached from several places that agree
//! on a stand-alone name (`Asset`, from the items of `assets` and from the answers of
//! `GET/PATCH /assets/{asset_id}`) takes it; every other inline type is named after where it sits
//! (`UploadAttributesDefaultFieldMetadata`), parents before children, so a child's name starts
//! with its parent's final name.

use std::collections::HashMap;

use super::schema::Candidate;
use crate::ir::naming::{unshadowed, Scope};
use crate::ir::{TypeDef, TypeId, TypeKind};

pub fn assign(types: &mut [TypeDef], candidates: &[Vec<Candidate>], fixed: &[bool], scopes: &[Option<TypeId>]) {
    let mut scope = Scope::new();
    let mut named = vec![false; types.len()];
    for (i, def) in types.iter_mut().enumerate() {
        if fixed[i] {
            def.name = scope.claim(&unshadowed(std::mem::take(&mut def.name)));
            named[i] = true;
        }
    }
    // Stand-alone names agreed on by at least two places, most votes first.
    let mut bare: Vec<(usize, String, usize)> = Vec::new();
    for (i, list) in candidates.iter().enumerate() {
        if named[i] {
            continue;
        }
        // Votes per stand-alone name, and whether any vote is a strong one.
        let mut votes: HashMap<&str, (usize, bool)> = HashMap::new();
        for c in list {
            if let Some(b) = &c.bare {
                let entry = votes.entry(b.as_str()).or_default();
                entry.0 += 1;
                entry.1 |= !c.weak;
            }
        }
        let best = votes.into_iter().max_by(|a, b| (a.1 .1, a.1 .0).cmp(&(b.1 .1, b.1 .0)).then(b.0.cmp(a.0)));
        if let Some((name, (count, strong))) = best {
            // A property's name stands alone only for an object (`Pagination`); an enum called
            // `Code` or `Status` would say too little.
            let is_struct = matches!(types[i].kind, TypeKind::Struct(_));
            if count >= if strong { 2 } else { 3 } && (strong || is_struct) {
                bare.push((count, name.to_string(), i));
            }
        }
    }
    bare.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    for (_, name, i) in bare {
        let name = unshadowed(name);
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
        let options: Vec<String> = full.map(unshadowed).collect();
        let choice =
            options.iter().find(|n| !scope.is_taken(n)).or(options.first()).cloned().unwrap_or_else(|| "Type".into());
        types[i].name = scope.claim(&choice);
        named[i] = true;
    }
}

/// `FileChangeUpdate::FileChangeUpdateById` reads better as `FileChangeUpdate::ById`: drops the
/// words every variant name of a union starts with, when what remains still names each one.
pub fn shorten_variants(types: &mut [TypeDef]) {
    for def in types.iter_mut() {
        let TypeKind::Union(union) = &mut def.kind else { continue };
        if union.variants.len() < 2 {
            continue;
        }
        let words: Vec<Vec<&str>> = union.variants.iter().map(|v| camel_words(&v.name)).collect();
        let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
        let mut common = (0..shortest).take_while(|&i| words.iter().all(|w| w[i] == words[0][i])).count();
        // `ById` says more than `Id`.
        if common > 0 && ["By", "With", "For", "Of", "In", "On", "To", "From"].contains(&words[0][common - 1]) {
            common -= 1;
        }
        if common == 0 {
            continue;
        }
        let short: Vec<String> = words.iter().map(|w| w[common..].concat()).collect();
        let mut unique = short.clone();
        unique.sort();
        unique.dedup();
        let valid = short.iter().all(|n| n.starts_with(|c: char| c.is_ascii_uppercase()));
        if valid && unique.len() == short.len() {
            for (variant, name) in union.variants.iter_mut().zip(short) {
                variant.name = name;
            }
        }
    }
}

/// `FileSelectById` → `["File", "Select", "By", "Id"]`.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}
