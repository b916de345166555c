//! The methods a request builder gets beyond sending: `stream` (pages of a list, or an answer
//! read as it arrives), `send_and_wait` (jobs) and `send_chunked` (batches).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operations::error_type;
use super::ty::{ident, Names};
use crate::ir::{Access, Api, AsyncJob, DocumentForm, Limit, Operation, StreamForm, Streaming, Wrap};

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

/// `stream`: the answer read as it arrives, as events, lines or bytes.
pub(super) fn streaming_method(api: &Api, names: &Names, op: &Operation, streaming: &Streaming) -> TokenStream {
    let error = error_type(api, names, op);
    let accept = Literal::string(&streaming.media_type);
    let read = match streaming.json {
        true => quote!(crate::runtime::json_data),
        false => quote!(crate::runtime::text_data),
    };
    let item = names.ty(api, &streaming.item);
    let flag = streaming.flag.as_ref().map(|access| {
        let field = ident(&access.field);
        let value = match access.wrap {
            Wrap::Plain => quote!(true),
            Wrap::Option => quote!(Some(true)),
            Wrap::Nullable => quote!(crate::runtime::Nullable::Value(true)),
        };
        quote!(self.params.body.#field = #value;)
    });
    let receiver = if flag.is_some() { quote!(mut self) } else { quote!(self) };
    let mut docs: Vec<String> = Vec::new();
    let (returns, call) = match streaming.form {
        StreamForm::Events => {
            docs.push(format!(
                " The answer as server-sent events (`{}`), each read as it arrives; `.await` reads the whole answer instead.",
                streaming.media_type
            ));
            let end = match &streaming.end {
                Some(end) => {
                    docs.push(format!(
                        " The stream ends when the server closes it, or at the event whose data is `{end}`."
                    ));
                    let end = Literal::string(end);
                    quote!(Some(#end))
                }
                None => {
                    docs.push(" The stream ends when the server closes it.".to_string());
                    quote!(None)
                }
            };
            (quote!(crate::Event<#item>), quote!(self.events(#accept, #end, #read)))
        }
        StreamForm::Lines => {
            docs.push(format!(
                " The answer as a stream of values, one a line (`{}`), each read as it arrives; `.await` reads the whole answer instead.",
                streaming.media_type
            ));
            (item, quote!(self.lines(#accept, #read)))
        }
        StreamForm::Chunks => {
            docs.push(
                " The answer's body as it arrives, chunk by chunk, for a download too large to hold whole; `.await` reads it whole instead."
                    .to_string(),
            );
            (quote!(bytes::Bytes), quote!(self.chunks(#accept)))
        }
    };
    if let Some(access) = &streaming.flag {
        docs.push(format!(" Sets the body's `{}` to `true`, which asks the server for a stream.", access.field));
    }
    docs.push(" An error status before the stream starts is the call's error, as with `.await` (and retried as it would be); dropping the stream closes the connection.".to_string());
    if streaming.form == StreamForm::Events && op.idempotent {
        docs.push(
            " A connection that breaks is opened again with `Last-Event-ID`, as the retry policy allows.".to_string(),
        );
    }
    let docs = docs.iter().enumerate().map(|(i, line)| {
        let gap = (i > 0).then(|| quote!(#[doc = ""]));
        quote!(#gap #[doc = #line])
    });
    quote! {
        #(#docs)*
        pub fn stream(#receiver) -> crate::runtime::BoxStream<'a, Result<#returns, crate::Error<#error>>> {
            #flag
            #call
        }
    }
}

/// Moves the value at `path` out of `base`: a `Vec`, empty where an optional member is missing.
fn owned_access(base: TokenStream, path: &[Access]) -> TokenStream {
    match moved(base, path) {
        (expr, true) => quote!(#expr.unwrap_or_default()),
        (expr, false) => expr,
    }
}

/// The value at `path` in `base`, moved out: the place itself while every step is there (`false`),
/// an `Option` of it from the first optional step on (`true`).
fn moved(base: TokenStream, path: &[Access]) -> (TokenStream, bool) {
    let mut expr = base;
    let mut optional = false;
    for step in path {
        let field = ident(&step.field);
        expr = match (optional, step.wrap) {
            (false, Wrap::Plain | Wrap::Option) => quote!(#expr.#field),
            (false, Wrap::Nullable) => quote!(#expr.#field.into_option()),
            (true, Wrap::Plain) => quote!(#expr.map(|v| v.#field)),
            (true, Wrap::Option) => quote!(#expr.and_then(|v| v.#field)),
            (true, Wrap::Nullable) => quote!(#expr.and_then(|v| v.#field.into_option())),
        };
        optional |= step.wrap != Wrap::Plain;
    }
    (expr, optional)
}

/// The value at `path` in `base`, borrowed: the place itself while every step is there
/// (`false`), an `Option<&T>` from the first optional step on (`true`).
fn borrowed(base: TokenStream, path: &[Access]) -> (TokenStream, bool) {
    let mut expr = base;
    let mut optional = false;
    for step in path {
        let field = ident(&step.field);
        expr = match (optional, step.wrap) {
            (false, Wrap::Plain) => quote!(#expr.#field),
            (false, Wrap::Option) => quote!(#expr.#field.as_ref()),
            (false, Wrap::Nullable) => quote!(#expr.#field.value()),
            (true, Wrap::Plain) => quote!(#expr.map(|v| &v.#field)),
            (true, Wrap::Option) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (true, Wrap::Nullable) => quote!(#expr.and_then(|v| v.#field.value())),
        };
        optional |= step.wrap != Wrap::Plain;
    }
    (expr, optional)
}

/// An `Option<&T>` of the value at `path` in `page`.
fn borrowed_access(path: &[Access]) -> TokenStream {
    match borrowed(quote!(page), path) {
        (expr, true) => expr,
        (expr, false) => quote!(Some(&#expr)),
    }
}

/// `send_and_wait`: the finished result, whether the API answers with it or with a job.
pub(super) fn wait_method(api: &Api, names: &Names, op: &Operation, job: &AsyncJob) -> TokenStream {
    let Some(answer) = op.output.enum_name() else { return TokenStream::new() };
    let answer = ident(answer);
    let (accepted, done) = (ident(&job.accepted_variant), ident(&job.done_variant));
    let result = names.ty(api, &job.result);
    let error = error_type(api, names, op);
    let poller = &api.operations[job.poll];
    let group = &api.groups[poller.group];
    let (module, handle, poll) = (ident(&group.module), ident(&group.handle), ident(&poller.method_name));
    let id = match borrowed(quote!(job), &job.job_id) {
        (place, false) => quote!(#place.clone()),
        (found, true) => {
            let missing = format!("the job's answer has no id ({})", pointer_text(&job.job_id));
            quote!(#found.cloned().ok_or_else(|| crate::Error::InvalidRequest(#missing.to_string()))?)
        }
    };
    let pending = job.pending.iter().map(|s| Literal::u16_unsuffixed(*s));
    let status = match job.status.as_deref().map(|path| borrowed(quote!(answer), path)) {
        None => quote!(None),
        Some((place, false)) => quote!(Some(crate::runtime::AsStatus::as_status(&#place))),
        Some((found, true)) => quote!(#found.map(crate::runtime::AsStatus::as_status)),
    };
    let form = match job.document_form {
        DocumentForm::Result => quote!(crate::runtime::JobDocument::Result),
        DocumentForm::Json => quote!(crate::runtime::JobDocument::Json),
        DocumentForm::JsonObject => quote!(crate::runtime::JobDocument::object),
    };
    let document = match moved(quote!(answer), &job.document) {
        (place, false) => quote!(Some(#form(#place))),
        (found, true) => quote!(#found.map(#form)),
    };
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
                    let id = #id;
                    let poll = || super::#module::#handle { client }.#poll(id.clone()).send();
                    crate::runtime::wait_for_job(id.to_string(), &wait, &[#(#pending),*], poll, |answer| {
                        let status = #status;
                        let document = #document;
                        (status, document)
                    })
                    .await
                }
            }
        }
    }
}

/// The member names along `path`, for messages (`data.id`).
fn pointer_text(path: &[Access]) -> String {
    path.iter().map(|a| a.field.as_str()).collect::<Vec<_>>().join(".")
}

/// `send_chunked`: an over-long batch as several requests within the API's `maxItems`.
pub(super) fn chunked_method(limit: &Limit, output: &TokenStream, error: &TokenStream) -> TokenStream {
    let field_ident = ident(&limit.field);
    let max = Literal::usize_unsuffixed(usize::try_from(limit.max).unwrap_or(usize::MAX).max(1));
    let wire = &limit.wire_name;
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
