//! `x-clientgen-async-job`: links an operation that may answer with a job to the operation that
//! reports on it, once every operation and type is lowered, and resolves the extension's JSON
//! pointers to field access (as `super::paging` does), so waiting reads the answers as they are.

use super::{accesses, Notes};
use crate::ir::{AsyncJob, DocumentForm, Operation, ParamLocation, Payload, Shape, StatusKey, Ty, TypeDef};
use crate::load::model;

/// Sets `async_job` on the operations whose extension can be honoured; warns about the others.
/// `selected[i]` is the document's operation that became `operations[i]`.
pub fn link(operations: &mut [Operation], types: &[TypeDef], selected: &[&model::Operation], notes: &mut Notes) {
    for index in 0..selected.len().min(operations.len()) {
        let Some(ext) = &selected[index].async_job else { continue };
        match resolve(operations, types, index, ext) {
            Ok(job) => operations[index].async_job = Some(job),
            Err(reason) => notes.push((
                format!("{}/x-clientgen-async-job", selected[index].pointer),
                "async-job",
                format!("{reason}; no `send_and_wait` is generated"),
            )),
        }
    }
}

fn resolve(
    operations: &[Operation],
    types: &[TypeDef],
    index: usize,
    ext: &model::AsyncJob,
) -> Result<AsyncJob, String> {
    let op = &operations[index];
    let Shape::Enum(_) = &op.output.shape else {
        return Err(format!(
            "the operation must document both a {} (job) and a {} (result) answer",
            ext.accepted, ext.done
        ));
    };
    let cases = &op.output.cases;
    let case = |status: u16| cases.iter().find(|c| c.status == StatusKey::Code(status));
    let (Some(accepted), Some(done)) = (case(ext.accepted), case(ext.done)) else {
        return Err(format!("the operation documents no {} or no {} answer", ext.accepted, ext.done));
    };
    if cases.len() != 2 {
        return Err(format!("the operation must have only the {} and {} success answers", ext.accepted, ext.done));
    }
    let Some(Payload { ty: result, .. }) = &done.body else {
        return Err(format!("the {} answer has no body", ext.done));
    };
    let Some(Payload { ty: job, .. }) = &accepted.body else {
        return Err(format!("the {} answer has no body to find the job id in", ext.accepted));
    };
    let poll = operations
        .iter()
        .position(|o| o.operation_id == ext.poll)
        .ok_or_else(|| format!("`poll: {}` names no generated operation", ext.poll))?;
    let poller = &operations[poll];
    let required: Vec<_> = poller.params.iter().filter(|p| p.required).collect();
    let [id_param] = required.as_slice() else {
        return Err(format!("`{}` must take the job id as its only required parameter, in its path", ext.poll));
    };
    if id_param.location != ParamLocation::Path || poller.body.as_ref().is_some_and(|b| b.required) {
        return Err(format!("`{}` must take the job id as its only required parameter, in its path", ext.poll));
    }
    let error_type = |o: &Operation| match &o.errors.shape {
        Shape::Single(body) => Some(body.as_ref().map(|b| b.ty.clone())),
        Shape::Enum(_) => None,
    };
    if error_type(op).is_none() || error_type(op) != error_type(poller) {
        return Err(format!("`{}` must have the same error body as the operation", ext.poll));
    }
    let Some(Payload { ty: answer, .. }) = poller.output.single() else {
        return Err(format!("`{}` must have one kind of success answer, with a body", ext.poll));
    };

    let (job_id, id_ty) = accesses(types, job, &ext.job_id).map_err(|e| format!("`job-id`: {e}"))?;
    // The id goes into the poll's path as it came, and into messages as text.
    if id_ty != id_param.ty || !matches!(id_ty, Ty::String | Ty::I32 | Ty::I64 | Ty::U64) {
        return Err(format!(
            "`job-id: {}` is not of the type of `{}`'s `{}` (text or an integer)",
            ext.job_id, ext.poll, id_param.wire_name
        ));
    }
    let status = match &ext.status {
        Some(pointer) => {
            let (path, ty) = accesses(types, answer, pointer).map_err(|e| format!("`status`: {e}"))?;
            if !matches!(ty, Ty::I32 | Ty::I64 | Ty::U64) {
                return Err(format!("`status: {pointer}` is not an integer"));
            }
            Some(path)
        }
        None => None,
    };
    let (document, document_ty) = accesses(types, answer, &ext.result).map_err(|e| format!("`result`: {e}"))?;
    let document_form = match document_ty {
        Ty::Any => DocumentForm::Json,
        Ty::Map(value) if *value == Ty::Any => DocumentForm::JsonObject,
        ty if ty == *result => DocumentForm::Result,
        _ => {
            return Err(format!(
                "`result: {}` is neither free-form JSON nor the type of the {} answer",
                ext.result, ext.done
            ))
        }
    };
    Ok(AsyncJob {
        accepted_variant: accepted.variant.clone(),
        done_variant: done.variant.clone(),
        result: result.clone(),
        job_id,
        poll,
        pending: ext.pending.clone(),
        status,
        document,
        document_form,
    })
}
