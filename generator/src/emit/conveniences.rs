//! The methods the `x-clientgen-*` extensions add to a request builder: `stream` (pagination),
//! `send_and_wait` (jobs) and `send_chunked` (batches).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operations::error_type;
use super::ty::{ident, Names};
use crate::ir::{Api, Operation, Output};

/// `stream`: every item of every page, fetching pages as the stream is read.
pub(super) fn stream_method(api: &Api, names: &Names, op: &Operation, paging: &crate::ir::Paging) -> TokenStream {
    let item = names.ty(api, &paging.item);
    let error = error_type(api, names, op);
    let items = owned_access(quote!(page), &paging.items);
    let (advance, doc) = match &paging.next {
        crate::ir::NextPage::Offset { offset, ty, limit } => {
            let offset = ident(offset);
            let step_ty = names.ty(api, ty);
            let more = match limit {
                // A page shorter than the size asked for is the last.
                Some(limit) => {
                    let limit = ident(limit);
                    quote!(!items.is_empty() && next.params.#limit.is_none_or(|limit| items.len() as #step_ty >= limit))
                }
                None => quote!(!items.is_empty()),
            };
            let advance = quote! {
                let start = next.params.#offset.unwrap_or(0);
                let more = #more;
                let next = more.then(|| {
                    let mut next = next;
                    next.params.#offset = Some(start + items.len() as #step_ty);
                    next
                });
                // Offsets only grow: no page can come twice.
                let key: Option<String> = None;
            };
            (advance, " Every item of every page, from the offset set (or the first) on: each page starts where the last ended, and an empty or short page is the last.")
        }
        crate::ir::NextPage::Cursor { next, cursor } => {
            let found = borrowed_access(next);
            let set = match cursor {
                crate::ir::CursorAt::Param(field) => {
                    let field = ident(field);
                    quote!(next.params.#field = Some(cursor);)
                }
                crate::ir::CursorAt::Body { field, optional: true } => {
                    let field = ident(field);
                    quote!(next.params.body.#field = Some(cursor);)
                }
                crate::ir::CursorAt::Body { field, optional: false } => {
                    let field = ident(field);
                    quote!(next.params.body.#field = cursor;)
                }
            };
            let advance = quote! {
                let cursor: Option<String> = #found.filter(|cursor| !cursor.is_empty()).cloned();
                let items = #items;
                let key = cursor.clone();
                let next = cursor.map(|cursor| {
                    let mut next = next;
                    #set
                    next
                });
            };
            (advance, " Every item of every page: each answer's cursor asks for the next page, and an answer without one is the last.")
        }
        crate::ir::NextPage::Link => {
            let advance = quote! {
                let url = link.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
                let key = url.as_ref().map(ToString::to_string);
                let next = url.map(|url| {
                    let mut next = next;
                    next.options.set_page_url(url);
                    next
                });
            };
            (advance, " Every item of every page: each answer's `Link: <…>; rel=\"next\"` is the next page, on the same server, and an answer without one is the last.")
        }
    };
    let take_items = match &paging.next {
        crate::ir::NextPage::Offset { .. } | crate::ir::NextPage::Link => quote!(let items = #items;),
        crate::ir::NextPage::Cursor { .. } => TokenStream::new(),
    };
    // Link paging reads the answer's headers: the request leaves its next link in a slot.
    let capture = matches!(paging.next, crate::ir::NextPage::Link)
        .then(|| quote!(let mut request = request; let link = request.options.capture_next_link();));
    let note = " Pages are fetched as the stream is read, each with this request's settings; an error ends the stream.";
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #note]
        pub fn stream(self) -> crate::runtime::BoxStream<'a, Result<#item, crate::Error<#error>>> {
            crate::runtime::paginate(self, |request: Self| async move {
                #capture
                let next = request.clone();
                let page = request.send().await?;
                #take_items
                #advance
                Ok((items, next, key))
            })
        }
    }
}

/// Moves the value at `path` out of `base`: a `Vec`, empty where an optional member is missing.
fn owned_access(base: TokenStream, path: &[crate::ir::Access]) -> TokenStream {
    let mut expr = base;
    let mut optional = false;
    for step in path {
        let field = ident(&step.field);
        expr = match (optional, step.wrap) {
            (false, crate::ir::Wrap::Plain) => quote!(#expr.#field),
            (false, crate::ir::Wrap::Option) => quote!(#expr.#field),
            (false, crate::ir::Wrap::Nullable) => quote!(#expr.#field.into_option()),
            (true, crate::ir::Wrap::Plain) => quote!(#expr.map(|v| v.#field)),
            (true, crate::ir::Wrap::Option) => quote!(#expr.and_then(|v| v.#field)),
            (true, crate::ir::Wrap::Nullable) => quote!(#expr.and_then(|v| v.#field.into_option())),
        };
        optional |= step.wrap != crate::ir::Wrap::Plain;
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// An `Option<&T>` of the value at `path` in `page`.
fn borrowed_access(path: &[crate::ir::Access]) -> TokenStream {
    let mut expr = quote!(Some(&page));
    for step in path {
        let field = ident(&step.field);
        expr = match step.wrap {
            crate::ir::Wrap::Plain => quote!(#expr.map(|v| &v.#field)),
            crate::ir::Wrap::Option => quote!(#expr.and_then(|v| v.#field.as_ref())),
            crate::ir::Wrap::Nullable => quote!(#expr.and_then(|v| v.#field.value())),
        };
    }
    expr
}

/// `send_and_wait`: the finished result, whether the API answers with it or with a job.
pub(super) fn wait_method(api: &Api, names: &Names, op: &Operation, job: &crate::ir::AsyncJob) -> TokenStream {
    let Output::Enum { name: answer, .. } = &op.output else { return TokenStream::new() };
    let answer = ident(answer);
    let (accepted, done) = (ident(&job.accepted_variant), ident(&job.done_variant));
    let result = names.ty(api, &job.result);
    let error = error_type(api, names, op);
    let poller = &api.operations[job.poll];
    let group = &api.groups[poller.group];
    let (module, handle, poll) = (ident(&group.module), ident(&group.handle), ident(&poller.method_name));
    let id_ty = poller.params.iter().find(|p| p.required).map_or(quote!(String), |p| names.ty(api, &p.ty));
    let pointer = Literal::string(&job.job_id);
    let pending = job.pending.iter().map(|s| Literal::u16_unsuffixed(*s));
    let status = match &job.status_pointer {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let result_pointer = Literal::string(&job.result_pointer);
    let doc = format!(
        " Sends the request and, when the API answers with a job, polls [`{}::{}`](super::{}::{}::{}) as `wait` \
         says until it finishes; returns the result either way (`send` returns the job itself).",
        group.handle, poller.method_name, group.module, group.handle, poller.method_name
    );
    // The poll may be in another group, with its own feature.
    let cfg = match &group.feature {
        Some(feature) if api.groups[op.group].feature.as_ref() != Some(feature) => quote!(#[cfg(feature = #feature)]),
        _ => TokenStream::new(),
    };
    quote! {
        #[doc = #doc]
        #cfg
        pub async fn send_and_wait(self, wait: crate::JobWait) -> Result<#result, crate::Error<#error>> {
            let client = self.client;
            match self.send().await? {
                #answer::#done(result) => Ok(result),
                #answer::#accepted(job) => {
                    let (job, id): (String, #id_ty) = crate::runtime::job_id(&job, #pointer)?;
                    crate::runtime::wait_for_job(job, &wait, &[#(#pending),*], #status, #result_pointer, || {
                        super::#module::#handle { client }.#poll(id.clone()).send()
                    })
                    .await
                }
            }
        }
    }
}

/// `send_chunked`: an over-long batch as several requests within the API's `maxItems`.
pub(super) fn chunked_method(
    op: &Operation,
    field: &str,
    max: u64,
    output: &TokenStream,
    error: &TokenStream,
) -> TokenStream {
    let field_ident = ident(field);
    let max = Literal::usize_unsuffixed(usize::try_from(max).unwrap_or(usize::MAX).max(1));
    let wire = op
        .body
        .as_ref()
        .and_then(|b| b.limits.iter().find(|(f, _, _)| *f == field))
        .map_or(field, |(_, w, _)| w.as_str());
    let doc = format!(
        " Sends the body's `{wire}` in requests of at most {max} items (the API's limit), `concurrency` at a time, \
         and returns each request's answer with the items it held. After a failure no further request starts; \
         the items not sent are listed, so nothing is lost ([`Chunked::into_result`](crate::Chunked::into_result) \
         for every answer or the first error)."
    );
    quote! {
        #[doc = #doc]
        pub async fn send_chunked(self, concurrency: usize) -> crate::Chunked<#output, #error> {
            let mut this = self;
            // Taken out, so each chunk's request clones the rest of the body only.
            let items = std::mem::take(&mut this.params.body.#field_ident);
            crate::runtime::send_in_chunks(items.len(), #max, concurrency, |range| {
                let mut request = this.clone();
                request.params.body.#field_ident = items[range].to_vec();
                request.send()
            })
            .await
        }
    }
}
