//! `src/resources/<group>.rs`: a handle per group, and a request builder per operation that
//! sends on `.await` (or `send()`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::answers::{headers_struct, response_arms, response_enums};
use super::conveniences::{chunked_method, stream_method, wait_method};
use super::docs::{doc_attrs, paragraphs};
use super::ty::{ident, Names};
use crate::ir::{Api, ErrorBody, Group, Media, Operation, Output, Param, ParamLocation, Style, Ty};

pub fn group_file(api: &Api, index: usize, group: &Group) -> TokenStream {
    let handle = ident(&group.handle);
    let names = &Names::for_resources();
    let ops: Vec<&Operation> = api.operations.iter().filter(|op| op.group == index).collect();
    let methods: Vec<TokenStream> = ops.iter().map(|op| method(api, names, op)).collect();
    let builders: Vec<TokenStream> = ops.iter().map(|op| builder(api, names, op)).collect();
    let imports = names.imports();
    let module_doc = format!(" Operations on {}.", group.module.replace('_', " "));
    // Where the handle comes from: `Client::sites`, or `Sites::redirects` for a nested group.
    let from = match group.parent {
        None => format!("[`Client::{}`](crate::Client::{})", group.accessor, group.accessor),
        Some(p) => {
            let parent = &api.groups[p];
            format!(
                "[`{}::{}`](super::{}::{}::{})",
                parent.handle, group.accessor, parent.module, parent.handle, group.accessor
            )
        }
    };
    let handle_doc = format!(" The {} operations, from {from}.", group.module.replace('_', " "));
    let group_docs = doc_attrs(group.docs.as_deref());
    let group_docs = (!group_docs.is_empty()).then(|| quote!(#[doc = ""] #group_docs));
    let children = api.groups.iter().filter(|g| g.parent == Some(index)).map(|child| {
        let accessor = ident(&child.accessor);
        let module = ident(&child.module);
        let child_handle = ident(&child.handle);
        let doc = format!(" The {} operations.", child.module.replace('_', " "));
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> super::#module::#child_handle<'a> {
                super::#module::#child_handle { client: self.client }
            }
        }
    });
    quote! {
        #![doc = #module_doc]
        #imports

        #[doc = #handle_doc]
        #group_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            #(#children)*
            #(#methods)*
        }

        #(#builders)*
    }
}

/// A required argument's type: strings are taken as `impl Into<String>`.
fn argument_type(api: &Api, names: &Names, param_ty: &Ty) -> (TokenStream, bool) {
    match param_ty {
        Ty::String => (quote!(impl Into<String>), true),
        other => (names.ty(api, other), false),
    }
}

fn method(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = ident(&op.builder);
    let signature = format!(" `{} {}`", op.http_method.as_str().to_ascii_uppercase(), op.path);
    let docs = doc_attrs(paragraphs(&[op.summary.as_deref(), op.docs.as_deref()]).as_deref());
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = ident(&p.name);
        let (arg_ty, _) = argument_type(api, names, &p.ty);
        quote!(#name: #arg_ty)
    });
    let inits = op.params.iter().map(|p| {
        let name = ident(&p.name);
        if !p.required {
            quote!(#name: None)
        } else if argument_type(api, names, &p.ty).1 {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        }
    });
    let (body_arg, body_init) = match &op.body {
        Some(body) if body.required => {
            let body_ty = names.ty(api, &body.ty);
            (Some(quote!(body: #body_ty)), Some(quote!(body)))
        }
        Some(_) => (None, Some(quote!(body: None))),
        None => (None, None),
    };
    let media_init = op.body.as_ref().filter(|b| !b.alternatives.is_empty()).map(|_| quote!(body_media: 0));
    let body_init = body_init.into_iter().chain(media_init);
    let too_many =
        (required.len() + usize::from(body_arg.is_some()) > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let args = args.chain(body_arg);
    let inits = inits.chain(body_init);
    quote! {
        #docs
        #separator
        #[doc = #signature]
        #deprecated
        #too_many
        pub fn #name(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits,)* options: crate::runtime::CallOptions::default() }
        }
    }
}

pub(super) fn output_type(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    match &op.output {
        Output::Single { body: Some((_, body)), .. } => names.ty(api, body),
        Output::Single { body: None, .. } => quote!(()),
        Output::Enum { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

pub(super) fn error_type(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    match &op.errors {
        ErrorBody::Single { ty: Some(t), .. } => names.ty(api, t),
        ErrorBody::Single { ty: None, .. } => quote!(()),
        ErrorBody::Enum { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn builder(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let method = &op.method_name;
    let group = &api.groups[op.group].handle;
    let doc = format!(" A [`{group}::{method}`] request: `.await` it, or call `send`.");
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let field_ty = names.ty(api, &p.ty);
        if p.required {
            quote!(#name: #field_ty,)
        } else {
            quote!(#name: Option<#field_ty>,)
        }
    });
    let body_field = op.body.as_ref().map(|b| {
        let body_ty = names.ty(api, &b.ty);
        // Which encoding to send: 0 for the first, else the alternative's position plus one.
        let media = (!b.alternatives.is_empty()).then(|| quote!(body_media: u8,));
        if b.required {
            quote!(body: #body_ty, #media)
        } else {
            quote!(body: Option<#body_ty>, #media)
        }
    });
    let media_setters = op.body.iter().flat_map(|b| {
        b.alternatives.iter().enumerate().map(move |(i, alternative)| {
            let method = ident(&alternative.method);
            let doc = format!(" Sends the body as `{}` instead of `{}`.", alternative.content_type, b.content_type);
            let index = Literal::u8_unsuffixed(u8::try_from(i + 1).unwrap_or(u8::MAX));
            quote! {
                #[doc = #doc]
                pub fn #method(mut self) -> Self {
                    self.body_media = #index;
                    self
                }
            }
        })
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let name = ident(&p.name);
        let docs = doc_attrs(p.docs.as_deref());
        let field_ty = names.ty(api, &p.ty);
        quote! {
            #docs
            pub fn #name(mut self, value: impl Into<#field_ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let docs = doc_attrs(b.docs.as_deref());
        let body_ty = names.ty(api, &b.ty);
        quote! {
            #docs
            pub fn body(mut self, body: #body_ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let output = output_type(api, names, op);
    let error = error_type(api, names, op);
    let send = send_body(api, op);
    let extra = response_enums(api, names, op);
    let wait_fn = op.async_job.as_ref().map(|job| wait_method(api, names, op, job));
    let stream_fn = op.paging.as_ref().map(|paging| stream_method(api, names, op, paging));
    let chunked_fn = op.chunked.as_ref().map(|(field, max)| chunked_method(op, field, *max, &output, &error));
    let (send_fns, headers_struct) = match &op.headers {
        None => (
            quote! {
                /// Sends the request.
                pub async fn send(self) -> Result<#output, crate::Error<#error>> {
                    #send
                }
            },
            None,
        ),
        Some(headers) => {
            let headers_name = ident(&headers.name);
            let doc =
                format!(" Sends the request; the answer comes with the headers it documents ([`{}`]).", headers.name);
            (
                quote! {
                    /// Sends the request.
                    pub async fn send(self) -> Result<#output, crate::Error<#error>> {
                        self.send_with_headers().await.map(|(value, _)| value)
                    }

                    #[doc = #doc]
                    pub async fn send_with_headers(self) -> Result<(#output, #headers_name), crate::Error<#error>> {
                        #send
                    }
                },
                Some(headers_struct(api, names, op, headers)),
            )
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
            #body_field
            options: crate::runtime::CallOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #(#media_setters)*

            /// Retries this call as `policy` says, instead of as the client does.
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.options.set_retry(policy);
                self
            }

            /// Limits how long this call may take, each attempt on its own.
            pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// The largest answer body this call reads, instead of the client's limit.
            pub fn max_body_bytes(mut self, limit: u64) -> Self {
                self.options.set_max_body_bytes(limit);
                self
            }

            #send_fns
            #wait_fn
            #stream_fn
            #chunked_fn
        }

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#output, crate::Error<#error>>;
            type IntoFuture = crate::runtime::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        #headers_struct
        #extra
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let mut parts = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            let literal = Literal::string(&rest[..start]);
            parts.push(quote!(#literal));
        }
        let wire = &rest[start + 1..start + len];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            let name = ident(&p.name);
            let wire = Literal::string(wire);
            parts.push(if (p.style, p.explode) == (Style::Simple, false) {
                quote!(&crate::runtime::path_param(#wire, &self.#name)?)
            } else {
                let (style, explode) = (style(p.style), p.explode);
                quote!(&crate::runtime::path_param_styled(#wire, &self.#name, #style, #explode)?)
            });
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() || parts.is_empty() {
        let literal = Literal::string(rest);
        parts.push(quote!(#literal));
    }
    quote!([#(#parts),*].concat())
}

fn send_body(api: &Api, op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.http_method.as_str().to_ascii_uppercase());
    let path = path_expr(op);
    let auth = op.auth && !api.auth.is_empty();
    let operation = Literal::string(&op.operation_id);
    let template = Literal::string(&op.path);
    let idempotent = op.idempotent;
    let fixed = op.fixed_headers.iter().map(|(name, value)| {
        let name = Literal::string(name);
        let value = Literal::string(value);
        quote!(request.header(#name, #value);)
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let name = ident(&p.name);
        let wire = Literal::string(&p.wire_name);
        let explode = p.explode;
        let add = match p.location {
            ParamLocation::Query if (p.style, p.explode) == (Style::Form, true) => quote!(request.query(#wire, value);),
            ParamLocation::Query => {
                let style = style(p.style);
                quote!(request.query_styled(#wire, value, #style, #explode);)
            }
            ParamLocation::Header if p.style == Style::Json => quote!(request.header_json(#wire, value);),
            ParamLocation::Cookie if p.style == Style::Json => quote!(request.cookie_json(#wire, value);),
            ParamLocation::Header if !p.explode => quote!(request.header(#wire, value);),
            ParamLocation::Header => quote!(request.header_styled(#wire, value, true);),
            ParamLocation::Cookie => quote!(request.cookie(#wire, value);),
            ParamLocation::Path => unreachable!("filtered above"),
        };
        if p.required {
            quote! { { let value = &self.#name; #add } }
        } else {
            quote! { if let Some(value) = &self.#name { #add } }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let encode = |media: Media, content_type: &str| {
            let content_type = Literal::string(content_type);
            match media {
                Media::Json => quote!(request.json(#content_type, body);),
                Media::Form => quote!(request.form(body);),
                Media::Multipart if b.ty != Ty::Bytes => quote!(request.multipart(body);),
                Media::Binary | Media::Multipart => quote!(request.raw(#content_type, body.clone());),
                Media::Text => quote!(request.raw(#content_type, body.clone());),
            }
        };
        // Batch limits: an over-long request is refused here rather than by the server.
        let limits = b.limits.iter().map(|(field, wire, max)| {
            let field = ident(field);
            let wire = Literal::string(wire);
            let max = Literal::u64_unsuffixed(*max);
            quote!(crate::runtime::check_max_items(&body.#field, #wire, #max)?;)
        });
        let limits = quote!(#(#limits)*);
        let first = encode(b.media, &b.content_type);
        let set = if b.alternatives.is_empty() {
            first
        } else {
            let arms = b.alternatives.iter().enumerate().map(|(i, a)| {
                let index = Literal::u8_unsuffixed(u8::try_from(i + 1).unwrap_or(u8::MAX));
                let set = encode(a.media, &a.content_type);
                quote!(#index => { #set })
            });
            quote! {
                match self.body_media {
                    #(#arms)*
                    _ => { #first }
                }
            }
        };
        if b.required {
            quote! { { let body = &self.body; #limits #set } }
        } else {
            quote! { if let Some(body) = &self.body { #limits #set } }
        }
    });
    let answer = response_arms(op);
    let arms = match &op.headers {
        None => quote!(let response = request.send().await?; #answer),
        Some(headers) => {
            let headers = ident(&headers.name);
            if matches!(op.output, Output::Single { body: None, .. }) {
                // Nothing to bind: the answer is `()`.
                quote! {
                    let response = request.send().await?;
                    let headers = #headers::read(response.headers());
                    #answer?;
                    Ok(((), headers))
                }
            } else {
                quote! {
                    let response = request.send().await?;
                    let headers = #headers::read(response.headers());
                    let value = #answer?;
                    Ok((value, headers))
                }
            }
        }
    };
    let changes = !op.fixed_headers.is_empty()
        || op.params.iter().any(|p| p.location != ParamLocation::Path)
        || op.body.is_some();
    let mutable = changes.then(|| quote!(mut));
    quote! {
        let path = #path;
        let call = crate::runtime::Call { operation: #operation, path: #template, authenticated: #auth, idempotent: #idempotent };
        let #mutable request = self.client.request(reqwest::Method::#method, path, call, &self.options);
        #(#fixed)*
        #(#params)*
        #body
        #arms
    }
}

/// The runtime's name for a parameter style.
fn style(style: Style) -> TokenStream {
    let variant = ident(style.name());
    quote!(crate::runtime::Style::#variant)
}
