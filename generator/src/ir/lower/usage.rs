//! Which way each type travels ([`Usage`]): from the operations' parameters and bodies (sent)
//! and answers (received), through every type they contain. Emit derives `Serialize` only for
//! what is sent and `Deserialize` only for what is received: serde's derives are most of what a
//! large generated crate costs to compile.

use crate::ir::*;

use super::{type_tys, visit_ty};

pub fn mark(api: &mut Api) {
    let mut sent: Vec<TypeId> = Vec::new();
    let mut received: Vec<TypeId> = Vec::new();
    for op in &api.operations {
        let push = |ty: &Ty, to: &mut Vec<TypeId>| visit_ty(ty, &mut |id| to.push(id));
        for param in &op.params {
            push(&param.ty, &mut sent);
        }
        if let Some(body) = &op.body {
            push(&body.ty, &mut sent);
        }
        for ty in answer_tys(op) {
            push(ty, &mut received);
        }
    }
    spread(api, sent, |usage| &mut usage.sent);
    spread(api, received, |usage| &mut usage.received);
    // A type no operation uses (a webhook's payload, say) can only be read: the client has no
    // call that sends it. What it holds is read with it.
    let unused: Vec<TypeId> =
        api.types.iter().enumerate().filter(|(_, def)| def.usage == Usage::default()).map(|(i, _)| TypeId(i)).collect();
    spread(api, unused, |usage| &mut usage.received);
    // A union of several objects without a discriminator is read by trying each and keeping the
    // one that loses least of what came, measured by writing each back (`Closest`).
    let compared: Vec<TypeId> = api
        .types
        .iter()
        .enumerate()
        .filter(|(_, def)| def.usage.received && compared(api, def))
        .map(|(i, _)| TypeId(i))
        .collect();
    spread(api, compared, |usage| &mut usage.sent);
}

/// Whether reading the union compares its alternatives by writing them back.
fn compared(api: &Api, def: &TypeDef) -> bool {
    let TypeKind::Union(u) = &def.kind else { return false };
    !u.dispatched() && u.variants.iter().filter(|v| api.is_object(&v.ty)).count() > 1
}

/// Sets the flag on every type reachable from `start`.
fn spread(api: &mut Api, mut stack: Vec<TypeId>, flag: impl Fn(&mut Usage) -> &mut bool) {
    while let Some(id) = stack.pop() {
        let def = &mut api.types[id.0];
        if std::mem::replace(flag(&mut def.usage), true) {
            continue;
        }
        for ty in type_tys(def) {
            visit_ty(ty, &mut |t| stack.push(t));
        }
    }
}

/// The types an operation reads from its answers.
fn answer_tys(op: &Operation) -> Vec<&Ty> {
    let mut out: Vec<&Ty> = Vec::new();
    if let Some(headers) = &op.headers {
        out.extend(headers.fields.iter().map(|f| &f.ty));
    }
    if let Some(job) = &op.async_job {
        out.push(&job.result);
    }
    if let Some(paging) = &op.paging {
        out.push(&paging.item);
    }
    if let Some(streaming) = &op.streaming {
        out.push(&streaming.item);
    }
    out.extend(op.output.tys());
    out.extend(op.errors.tys());
    out
}
