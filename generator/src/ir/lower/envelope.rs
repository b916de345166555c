//! `x-clientgen-body`: where in an envelope body the request's member setters write
//! (`/data/attributes`, or `/items/0/update` through a one-item list and a union's alternative),
//! and which body members the operation's parameters fill (`/data/id` from `upload_id`) or new
//! arguments of its method fill (`/items/0/id` from `id`), so that an update reads
//! `uploads().update(id).author("…")` or `files().update(id).source(…)`.

use super::member_path;
use crate::ir::naming::{snake_name, Scope};
use crate::ir::{
    has_default, Field, Init, MembersAt, Param, ParamLocation, Step, Struct, Style, Ty, TypeDef, TypeKind,
};
use crate::load::model::BodyShortcut;

/// What the extension resolves to against the lowered body: where the setters write (and the
/// object there), and the body's starting value when parameters fill some of it or the setters'
/// object lies inside a list or a union.
pub struct Resolved<'t> {
    pub members_at: Option<(MembersAt, &'t Struct)>,
    pub initial: Option<Init>,
}

/// One token of a pointer, resolved.
enum Hop<'t> {
    Field(&'t Field),
    /// Index `0` of a list of `item`.
    First,
    /// The union alternative that has the members the pointers go on to.
    Variant {
        union: Ty,
        variant: Ty,
    },
}

/// Resolves the extension, or says why it does not fit the body. A `fill` name that is no
/// parameter of the operation becomes a required argument (`ParamLocation::Body`), added to
/// `params` with a name `scope` gives it.
pub fn resolve<'t>(
    types: &'t [TypeDef],
    body: &Ty,
    ext: &BodyShortcut,
    params: &mut Vec<Param>,
    scope: &mut Scope,
) -> Result<Resolved<'t>, String> {
    let pointers: Vec<Vec<String>> =
        ext.members.iter().chain(ext.fill.iter().map(|(p, _)| p)).map(|p| tokens(p)).collect::<Result<_, _>>()?;

    let mut fills: Vec<(Vec<String>, String)> = Vec::new();
    for (pointer, name) in &ext.fill {
        let hops = walk(types, body, pointer, &pointers)?;
        for hop in &hops {
            if let Hop::Field(f) = hop {
                if !f.presence.is_required() {
                    return Err(format!(
                        "`{}` on the way to `{pointer}` is optional; `fill` goes through required members",
                        f.wire_name
                    ));
                }
            }
        }
        let Some(Hop::Field(last)) = hops.last() else { return Err(format!("`{pointer}` is not a member")) };
        let param = match params.iter().find(|p| p.wire_name == *name || p.name == *name) {
            Some(p) if !p.required => {
                return Err(format!("`fill` names `{name}`, an optional parameter; only a required one can fill"));
            }
            Some(p) if p.ty != last.ty => {
                return Err(format!("`{pointer}` does not hold a value of parameter `{name}`'s type"));
            }
            Some(p) => p.name.clone(),
            None => {
                let argument = Param {
                    name: scope.claim(&snake_name(name)),
                    wire_name: pointer.clone(),
                    location: ParamLocation::Body,
                    ty: last.ty.clone(),
                    required: true,
                    docs: last.docs.clone().or_else(|| Some(format!("The body's `{pointer}`."))),
                    style: Style::Simple,
                    explode: false,
                };
                params.push(argument);
                params.last().map(|p| p.name.clone()).unwrap_or_default()
            }
        };
        fills.push((tokens(pointer)?, param));
    }

    let members = match &ext.members {
        None => None,
        Some(pointer) => {
            let hops = walk(types, body, pointer, &pointers)?;
            for hop in &hops {
                let Hop::Field(f) = hop else { continue };
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
            let last = match hops.last() {
                Some(Hop::Field(f)) => *f,
                _ => return Err(format!("`{pointer}` names the body itself or a list item; name an object member")),
            };
            let target = struct_of(types, &last.ty).ok_or(format!("`{pointer}` is not an object"))?;
            Some((pointer, hops, last.ty.clone(), target))
        }
    };

    // The body must start built when something fills it, or when the setters' object is inside
    // a list or a union (there is no empty value to start from).
    let nested = members.as_ref().is_some_and(|(_, hops, _, _)| hops.iter().any(|h| !matches!(h, Hop::Field(_))));
    let initial = match fills.is_empty() && !nested {
        true => None,
        false => Some(build(types, body, &[], &fills, &pointers)?),
    };
    let members_at = match (members, &initial) {
        (None, _) => None,
        (Some((pointer, hops, ty, target)), initial) => {
            let path = steps(&hops, initial.as_ref()).ok_or(format!(
                "`{pointer}` passes an optional member before a list or a union; setters cannot start it"
            ))?;
            Some((MembersAt { pointer: pointer.clone(), path, ty }, target))
        }
    };
    Ok(Resolved { members_at, initial })
}

/// The tokens of a JSON pointer, unescaped.
fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    let rest = pointer.strip_prefix('/').ok_or(format!("`{pointer}` is not a JSON pointer (it starts with `/`)"))?;
    Ok(rest.split('/').map(crate::diag::unescape_token).collect())
}

/// Follows `pointer` into `ty`, through members, index `0` of lists, and the alternative of a
/// union that has the members every pointer of the extension goes on to there.
fn walk<'t>(types: &'t [TypeDef], ty: &Ty, pointer: &str, pointers: &[Vec<String>]) -> Result<Vec<Hop<'t>>, String> {
    let path = tokens(pointer)?;
    let mut hops = Vec::new();
    let mut at = ty.clone();
    for (depth, token) in path.iter().enumerate() {
        if let Some(union) = union_at(types, &at) {
            let variant = alternative(types, union, &path[..depth], pointers, pointer)?;
            hops.push(Hop::Variant { union: at.clone(), variant: variant.clone() });
            at = variant;
        }
        match resolved(types, &at) {
            Ty::Vec(item) if token == "0" => {
                hops.push(Hop::First);
                at = (**item).clone();
            }
            Ty::Vec(_) => return Err(format!("`{pointer}`: only the first item (`0`) of a list can be named")),
            _ => {
                let fields = member_path(types, &at, &format!("/{}", token.replace('~', "~0").replace('/', "~1")))
                    .map_err(|e| format!("`{pointer}`: {e}"))?;
                let field = fields.into_iter().next().ok_or(format!("`{pointer}`: no member `{token}`"))?;
                at = field.ty.clone();
                hops.push(Hop::Field(field));
            }
        }
    }
    Ok(hops)
}

/// `ty` with aliases seen through.
fn resolved<'a>(types: &'a [TypeDef], ty: &'a Ty) -> &'a Ty {
    match ty {
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Alias(target) => resolved(types, target),
            _ => ty,
        },
        _ => ty,
    }
}

fn union_at<'t>(types: &'t [TypeDef], ty: &Ty) -> Option<&'t crate::ir::Union> {
    match resolved(types, ty) {
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Union(u) => Some(u),
            _ => None,
        },
        _ => None,
    }
}

/// The alternative of `union`, met at `prefix`, that has the next member of every pointer
/// passing there: exactly one must.
fn alternative(
    types: &[TypeDef],
    union: &crate::ir::Union,
    prefix: &[String],
    pointers: &[Vec<String>],
    pointer: &str,
) -> Result<Ty, String> {
    let next: Vec<&String> =
        pointers.iter().filter(|p| p.starts_with(prefix)).filter_map(|p| p.get(prefix.len())).collect();
    let fitting: Vec<_> = union
        .variants
        .iter()
        .filter(|v| {
            struct_of(types, &v.ty).is_some_and(|s| next.iter().all(|n| s.fields.iter().any(|f| f.wire_name == **n)))
        })
        .collect();
    match fitting.as_slice() {
        [one] => Ok(one.ty.clone()),
        [] => Err(format!("`{pointer}`: no alternative of the union there has the members named")),
        _ => Err(format!("`{pointer}`: several alternatives of the union there have the members named")),
    }
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

/// The value of `ty` at `prefix` (tokens from the body) with the fills in place, the way to
/// every pointer built, and everything else empty.
fn build(
    types: &[TypeDef],
    ty: &Ty,
    prefix: &[String],
    fills: &[(Vec<String>, String)],
    pointers: &[Vec<String>],
) -> Result<Init, String> {
    let below = |path: &[String]| pointers.iter().any(|p| p.len() > path.len() && p.starts_with(path));
    if let Some(union) = union_at(types, ty) {
        let variant = alternative(types, union, prefix, pointers, &format!("/{}", prefix.join("/")))?;
        let value = build(types, &variant, prefix, fills, pointers)?;
        return Ok(Init::Variant { ty: ty.clone(), variant, value: Box::new(value) });
    }
    if let Ty::Vec(item) = resolved(types, ty) {
        let mut path = prefix.to_vec();
        path.push("0".into());
        return Ok(Init::List(Box::new(build(types, item, &path, fills, pointers)?)));
    }
    let s = struct_of(types, ty).ok_or("a filled member is not inside an object")?;
    let mut fields = Vec::new();
    for f in &s.fields {
        let mut path = prefix.to_vec();
        path.push(f.wire_name.clone());
        let init = if let Some((_, param)) = fills.iter().find(|(p, _)| *p == path) {
            Init::Param(param.clone())
        } else if f.presence.is_required() && below(&path) {
            build(types, &f.ty, &path, fills, pointers)?
        } else if !f.presence.is_required() {
            // The setters' object behind an optional member is made on the first setter.
            Init::Absent { nullable: f.presence.is_nullable() }
        } else if has_default(types, &f.ty) {
            Init::Default
        } else {
            return Err(format!("`/{}` is required and nothing fills it", path.join("/")));
        };
        fields.push((f.name.clone(), init));
    }
    if s.additional.is_some() {
        fields.push((s.extra_name.clone(), Init::Default));
    }
    Ok(Init::Struct { ty: ty.clone(), fields })
}

/// The member setters' way down, each list item and alternative with the value it starts as
/// (taken from the body's starting value); `None` when a list or union lies beyond an optional
/// member, which the starting value leaves out.
fn steps(hops: &[Hop], initial: Option<&Init>) -> Option<Vec<Step>> {
    let mut at = initial;
    let mut out = Vec::new();
    for hop in hops {
        match hop {
            Hop::Field(f) => {
                out.push(Step::Field { name: f.name.clone(), optional: !f.presence.is_required() });
                at = match at {
                    Some(Init::Struct { fields, .. }) => {
                        fields.iter().find(|(name, _)| *name == f.name).map(|(_, i)| i)
                    }
                    _ => None,
                };
            }
            Hop::First => {
                let Some(Init::List(item)) = at else { return None };
                out.push(Step::First { item: (**item).clone() });
                at = Some(item);
            }
            Hop::Variant { union, variant } => {
                let Some(Init::Variant { value, .. }) = at else { return None };
                out.push(Step::Variant { ty: union.clone(), variant: variant.clone(), value: (**value).clone() });
                at = Some(value);
            }
        }
    }
    Some(out)
}
