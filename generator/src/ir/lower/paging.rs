//! `x-clientgen-pagination`: resolves the extension's JSON pointers and parameter names to the
//! fields of the operation's types, once every type is lowered, so emit can walk the pages with
//! plain field access.

use super::{accesses, Notes};
use crate::ir::{CursorAt, Media, NextPage, Operation, Paging, ParamLocation, Payload, Ty, TypeDef, TypeKind};
use crate::load::model;

/// Sets `paging` on the operations whose extension resolves; warns about the others.
/// `selected[i]` is the document's operation that became `operations[i]`.
pub fn link(operations: &mut [Operation], types: &[TypeDef], selected: &[&model::Operation], notes: &mut Notes) {
    for (op, source) in operations.iter_mut().zip(selected) {
        let Some(ext) = &source.pagination else { continue };
        match resolve(op, types, ext) {
            Ok(paging) => {
                // One `stream()`: the pages' items, over an answer also offered as lines.
                op.streaming = None;
                op.paging = Some(paging);
            }
            Err(reason) => notes.push((
                format!("{}/x-clientgen-pagination", source.pointer),
                "pagination",
                format!("{reason}; no `stream` is generated"),
            )),
        }
    }
}

fn resolve(op: &Operation, types: &[TypeDef], ext: &model::Pagination) -> Result<Paging, String> {
    let Some(Payload { media: Media::Json, ty: answer }) = op.output.single() else {
        return Err("the operation must answer with one JSON body".into());
    };
    let (items, list) = accesses(types, answer, &ext.items)?;
    let Ty::Vec(item) = list else { return Err(format!("`items: {}` is not an array", ext.items)) };
    let optional_param = |wire: &str| {
        op.params
            .iter()
            .find(|p| p.wire_name == wire && p.location == ParamLocation::Query && !p.required)
            .ok_or_else(|| format!("`{wire}` is not an optional query parameter of the operation"))
    };
    let next = if ext.link {
        NextPage::Link
    } else if let Some(offset) = &ext.offset {
        let param = optional_param(offset)?;
        if !matches!(param.ty, Ty::I32 | Ty::I64 | Ty::U64) {
            return Err(format!("`{offset}` is not an integer"));
        }
        let limit = match &ext.limit {
            Some(limit) => Some(optional_param(limit)?.name.clone()),
            None => None,
        };
        NextPage::Offset { offset: param.name.clone(), ty: param.ty.clone(), limit }
    } else {
        let (Some(cursor), Some(pointer)) = (&ext.cursor, &ext.next) else {
            return Err("neither `offset` nor `cursor` and `next` are given".into());
        };
        let (next, ty) = accesses(types, answer, pointer)?;
        if ty != Ty::String {
            return Err(format!("`next: {pointer}` is not a string"));
        }
        let at = match optional_param(cursor) {
            Ok(param) if param.ty == Ty::String => CursorAt::Param(param.name.clone()),
            _ => body_member(op, types, cursor)?,
        };
        NextPage::Cursor { next, cursor: at }
    };
    Ok(Paging { items, item: *item, next })
}

/// The field path a JSON pointer names in values of type `ty`, and the type found there.
/// A cursor carried in the request body (Cognite's `POST /files/list`).
fn body_member(op: &Operation, types: &[TypeDef], cursor: &str) -> Result<CursorAt, String> {
    let body = op.body.as_ref().filter(|b| b.required && b.media == Media::Json);
    let Some(Ty::Named(id)) = body.map(|b| &b.ty) else {
        return Err(format!("`{cursor}` is neither a query parameter nor a member of a required JSON body"));
    };
    let TypeKind::Struct(s) = &types[id.0].kind else { return Err("the body is not an object".into()) };
    let field = s
        .fields
        .iter()
        .find(|f| f.wire_name == cursor && f.ty == Ty::String && !f.presence.is_nullable())
        .ok_or_else(|| format!("the body has no string member `{cursor}`"))?;
    Ok(CursorAt::Body { field: field.name.clone(), optional: !field.presence.is_required() })
}
