//! A cargo feature per top-level group, for large documents: which groups get one, and which
//! groups' operations use each type, so a crate built with a few features compiles only the
//! types those reach.

use crate::ir::naming::{snake_name, Scope};
use crate::ir::*;

use super::{operation_tys, type_tys, visit_ty};

/// When a crate gets a feature per top-level group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GroupFeatures {
    /// For documents large enough that a user would build only part of them.
    #[default]
    Auto,
    Always,
    Never,
}

impl std::str::FromStr for GroupFeatures {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(GroupFeatures::Auto),
            "always" => Ok(GroupFeatures::Always),
            "never" => Ok(GroupFeatures::Never),
            other => Err(format!("group features `{other}`: say `auto`, `always` or `never`")),
        }
    }
}

/// `Auto` gives features to documents with at least this many operations…
const AUTO_OPERATIONS: usize = 200;
/// …in at least this many top-level groups.
const AUTO_GROUPS: usize = 8;

/// The feature holding the types no operation uses (a whole document's other components).
pub const UNUSED_TYPES: &str = "other-types";

pub fn decide(api: &mut Api, mode: GroupFeatures) {
    let roots: Vec<usize> = (0..api.groups.len()).map(|g| root(api, g)).collect();
    let top_level = api.groups.iter().filter(|g| g.parent.is_none()).count();
    let on = match mode {
        GroupFeatures::Auto => api.operations.len() >= AUTO_OPERATIONS && top_level >= AUTO_GROUPS,
        GroupFeatures::Always => top_level > 0,
        GroupFeatures::Never => false,
    };
    if !on {
        return;
    }
    // A group must not take a feature cargo or the crate gives a meaning to.
    let mut taken =
        Scope::with_reserved(&[UNUSED_TYPES, "default", "full-serde", "rustls-ring", "rustls-aws-lc", "native-tls"]);
    let mut own: Vec<Option<String>> = vec![None; api.groups.len()];
    for (g, group) in api.groups.iter().enumerate().filter(|(_, g)| g.parent.is_none()) {
        // Kebab case, as cargo features are usually spelled, from the module name; without the
        // `_` that keeps a module from starting with a digit (`_3d_files`), as a feature may
        // not start with `-`.
        let module = snake_name(&group.module);
        let feature = module.trim_start_matches('_').replace('_', "-");
        own[g] = Some(taken.claim(if feature.is_empty() { "group" } else { &feature }));
    }
    for g in 0..api.groups.len() {
        api.groups[g].feature = own[roots[g]].clone();
    }
    let mut stacks: Vec<(usize, Vec<TypeId>)> = Vec::new();
    for op in &mut api.operations {
        let group = roots[op.group];
        let mut found = Vec::new();
        for ty in operation_tys(op) {
            visit_ty(ty, &mut |id| found.push(id));
        }
        stacks.push((group, found));
    }
    for (group, mut stack) in stacks {
        while let Some(id) = stack.pop() {
            let def = &mut api.types[id.0];
            if def.used_by.contains(&group) {
                continue;
            }
            def.used_by.push(group);
            for ty in type_tys(def) {
                visit_ty(ty, &mut |t| stack.push(t));
            }
        }
    }
    for def in &mut api.types {
        def.used_by.sort_unstable();
    }
}

/// The top-level group a group belongs to.
fn root(api: &Api, mut group: usize) -> usize {
    while let Some(parent) = api.groups[group].parent {
        group = parent;
    }
    group
}
