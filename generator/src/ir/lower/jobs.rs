//! `x-clientgen-async-job`: links an operation that may answer with a job to the operation that
//! reports on it, once every operation is lowered.

use super::Notes;
use crate::ir::{AsyncJob, ErrorBody, Operation, Output, ParamLocation, StatusKey};
use crate::load::model;

/// Sets `async_job` on the operations whose extension can be honoured; warns about the others.
/// `selected[i]` is the document's operation that became `operations[i]`.
pub fn link(operations: &mut [Operation], selected: &[&model::Operation], notes: &mut Notes) {
    for index in 0..operations.len() {
        let Some(ext) = &selected[index].async_job else { continue };
        match resolve(operations, index, ext) {
            Ok(job) => operations[index].async_job = Some(job),
            Err(reason) => notes.push((
                format!("{}/x-clientgen-async-job", selected[index].pointer),
                "async-job",
                format!("{reason}; no `send_and_wait` is generated"),
            )),
        }
    }
}

fn resolve(operations: &[Operation], index: usize, ext: &model::AsyncJob) -> Result<AsyncJob, String> {
    let op = &operations[index];
    let Output::Enum { cases, .. } = &op.output else {
        return Err(format!(
            "the operation must document both a {} (job) and a {} (result) answer",
            ext.accepted, ext.done
        ));
    };
    let case = |status: u16| cases.iter().find(|c| c.status == StatusKey::Code(status));
    let (Some(accepted), Some(done)) = (case(ext.accepted), case(ext.done)) else {
        return Err(format!("the operation documents no {} or no {} answer", ext.accepted, ext.done));
    };
    if cases.len() != 2 {
        return Err(format!("the operation must have only the {} and {} success answers", ext.accepted, ext.done));
    }
    let Some((_, result)) = &done.body else { return Err(format!("the {} answer has no body", ext.done)) };
    let poll = operations
        .iter()
        .position(|o| o.operation_id == ext.poll)
        .ok_or_else(|| format!("`poll: {}` names no generated operation", ext.poll))?;
    let poller = &operations[poll];
    let required: Vec<_> = poller.params.iter().filter(|p| p.required).collect();
    if required.len() != 1
        || required[0].location != ParamLocation::Path
        || poller.body.as_ref().is_some_and(|b| b.required)
    {
        return Err(format!("`{}` must take the job id as its only required parameter, in its path", ext.poll));
    }
    let error_type = |o: &Operation| match &o.errors {
        ErrorBody::Single { ty, .. } => Some(ty.clone()),
        ErrorBody::Enum { .. } => None,
    };
    if error_type(op).is_none() || error_type(op) != error_type(poller) {
        return Err(format!("`{}` must have the same error body as the operation", ext.poll));
    }
    if matches!(poller.output, Output::Enum { .. }) {
        return Err(format!("`{}` must have one kind of success answer", ext.poll));
    }
    Ok(AsyncJob {
        accepted_variant: accepted.variant.clone(),
        done_variant: done.variant.clone(),
        result: result.clone(),
        job_id: ext.job_id.clone(),
        poll,
        pending: ext.pending.clone(),
        status_pointer: ext.status.clone(),
        result_pointer: ext.result.clone(),
    })
}
