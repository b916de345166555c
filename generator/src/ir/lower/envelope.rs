//! `x-clientgen-body`: where in an envelope body the request's member setters write
//! (`/data/attributes`), and which body members the operation's parameters fill (`/data/id` from
//! `upload_id`), so that a JSON:API update reads `uploads().update(id).author("…")`.

use super::member_path;
use crate::ir::{has_default, Init, MembersAt, Param, Struct, Ty, TypeDef, TypeKind};
use crate::load::model::BodyShortcut;

/// What the extension resolves to against the lowered body: where the setters write (and the
/// object there), and the body's starting value when parameters fill some of it.
pub struct Resolved<'t> {
    pub members_at: Option<(MembersAt, &'t Struct)>,
    pub initial: Option<Init>,
}

/// Resolves the extension, or says why it does not fit the body.
pub fn resolve<'t>(
    types: &'t [TypeDef],
    body: &Ty,
    ext: &BodyShortcut,
    params: &[Param],
) -> Result<Resolved<'t>, String> {
    let members_at = match &ext.members {
        None => None,
        Some(pointer) => {
            let fields = member_path(types, body, pointer)?;
            for f in &fields {
                if !f.presence.is_required() && f.presence.is_nullable() {
                    return Err(format!(
                        "`{}` on the way to `{pointer}` may be null; setters cannot write there",
                        f.wire_name
                    ));
                }
                if !f.presence.is_required() && !has_default(types, &f.ty) {
                    return Err(format!(
                        "`{}` on the way to `{pointer}` is optional but cannot start empty",
                        f.wire_name
                    ));
                }
            }
            let last = fields.last().ok_or(format!("`{pointer}` names the body itself; leave `members` out"))?;
            let target = struct_of(types, &last.ty).ok_or(format!("`{pointer}` is not an object"))?;
            let path = fields.iter().map(|f| (f.name.clone(), !f.presence.is_required())).collect();
            Some((MembersAt { pointer: pointer.clone(), path, ty: last.ty.clone() }, target))
        }
    };
    let mut fills: Vec<(Vec<String>, String)> = Vec::new();
    for (pointer, name) in &ext.fill {
        let param = params
            .iter()
            .find(|p| p.wire_name == *name || p.name == *name)
            .filter(|p| p.required)
            .ok_or(format!("`fill` names `{name}`, which is not a required parameter of the operation"))?;
        let fields = member_path(types, body, pointer)?;
        if let Some(f) = fields.iter().find(|f| !f.presence.is_required()) {
            return Err(format!(
                "`{}` on the way to `{pointer}` is optional; `fill` goes through required members",
                f.wire_name
            ));
        }
        match fields.last() {
            Some(f) if f.ty == param.ty => {}
            _ => return Err(format!("`{pointer}` does not hold a value of parameter `{name}`'s type")),
        }
        fills.push((fields.iter().map(|f| f.wire_name.clone()).collect(), param.name.clone()));
    }
    let initial = if fills.is_empty() { None } else { Some(build(types, body, &[], &fills)?) };
    Ok(Resolved { members_at, initial })
}

pub(super) fn struct_of<'t>(types: &'t [TypeDef], ty: &Ty) -> Option<&'t Struct> {
    match ty {
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => Some(s),
            TypeKind::Alias(target) => struct_of(types, target),
            _ => None,
        },
        _ => None,
    }
}

/// The value of `ty` at `prefix` (wire names from the body) with the parameters in place and
/// everything else empty.
fn build(types: &[TypeDef], ty: &Ty, prefix: &[String], fills: &[(Vec<String>, String)]) -> Result<Init, String> {
    let s = struct_of(types, ty).ok_or("a filled member is not inside an object")?;
    let mut fields = Vec::new();
    for f in &s.fields {
        let mut path = prefix.to_vec();
        path.push(f.wire_name.clone());
        let init = if let Some((_, param)) = fills.iter().find(|(p, _)| *p == path) {
            Init::Param(param.clone())
        } else if fills.iter().any(|(p, _)| p.starts_with(&path)) {
            build(types, &f.ty, &path, fills)?
        } else if !f.presence.is_required() {
            Init::Absent { nullable: f.presence.is_nullable() }
        } else if has_default(types, &f.ty) {
            Init::Default
        } else {
            return Err(format!("`/{}` is required and no parameter fills it", path.join("/")));
        };
        fields.push((f.name.clone(), init));
    }
    if s.additional.is_some() {
        fields.push((s.extra_name.clone(), Init::Default));
    }
    Ok(Init::Struct { ty: ty.clone(), fields })
}
