//! `src/resources/<group>.rs`: a handle per group, and per operation its parameter type with
//! what differs from the others: the [`Operation`](crate::Operation) impl (how the parameters
//! make a request, what the answers mean) and its setters on the shared `Request`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::answers::{headers_struct, response_arms, response_enums};
use super::conveniences::{chunked_method, stream_method, wait_method};
use std::fmt::Write as _;

use super::docs::{doc_attrs, doc_comments, paragraphs};
use super::text::one_line;
use super::ty::{has_default, ident, Names};
use super::Segment;
use crate::ir::{Api, ErrorBody, Group, Media, Operation, Output, Param, ParamLocation, Style, Ty};

pub fn group_file(api: &Api, index: usize, group: &Group) -> Vec<Segment> {
    let handle = ident(&group.handle);
    let names = &Names::for_resources();
    let ops: Vec<&Operation> = api.operations.iter().filter(|op| op.group == index).collect();
    // What every operation's code names; the group's own names keep clear of them (see lower).
    let shared = (!ops.is_empty()).then(|| {
        quote! {
            use crate::runtime::{Call, Outgoing, Response};
            use crate::{Error, Operation, Request};
        }
    });
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
    // The handle's methods, written as text: one short call each, which prettyplease would
    // spread over a line per argument.
    let mut methods = format!("impl<'a> {handle}<'a> {{\n");
    for child in api.groups.iter().filter(|g| g.parent == Some(index)) {
        let _ = write!(
            methods,
            "    /// The {} operations.\n    pub fn {}(&self) -> super::{}::{}<'a> {{\n        super::{}::{} {{ client: self.client }}\n    }}\n",
            child.module.replace('_', " "),
            ident(&child.accessor),
            ident(&child.module),
            ident(&child.handle),
            ident(&child.module),
            ident(&child.handle),
        );
    }
    for op in &ops {
        methods.push_str(&method_text(api, names, op));
    }
    methods.push_str("}\n");
    let builders: Vec<Segment> = ops.into_iter().flat_map(|op| builder(api, names, op)).collect();
    // The imports are known only once every type in the file has been named.
    let imports = names.imports();
    let mut segments = vec![
        Segment::Items(quote! {
            #![doc = #module_doc]
            #imports
            #shared

            #[doc = #handle_doc]
            #group_docs
            #[derive(Debug, Clone, Copy)]
            pub struct #handle<'a> {
                pub(crate) client: &'a crate::Client,
            }
        }),
        Segment::Text(methods),
    ];
    segments.extend(builders);
    segments
}

/// A required argument's type: strings are taken as `impl Into<String>`.
fn argument_type(api: &Api, names: &Names, param_ty: &Ty) -> (TokenStream, bool) {
    match param_ty {
        Ty::String => (quote!(impl Into<String>), true),
        other => (names.ty(api, other), false),
    }
}

/// The widest line written as text, as the project's rustfmt settings have it.
const WIDTH: usize = 120;

/// The handle's method that starts a call: it takes the required parameters (and body) and
/// leaves the optional ones to the request's setters.
fn method_text(api: &Api, names: &Names, op: &Operation) -> String {
    let mut out = String::new();
    let docs = paragraphs(&[op.summary.as_deref(), op.docs.as_deref()]);
    out.push_str(&doc_comments(docs.as_deref(), "    "));
    if docs.is_some() {
        out.push_str("    ///\n");
    }
    out.push_str(&doc_comments(
        Some(&format!("`{} {}`", op.http_method.as_str().to_ascii_uppercase(), op.path)),
        "    ",
    ));
    if op.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args: Vec<String> = required
        .iter()
        .map(|p| format!("{}: {}", ident(&p.name), one_line(argument_type(api, names, &p.ty).0)))
        .collect();
    let mut inits: Vec<String> = required
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            if argument_type(api, names, &p.ty).1 {
                format!("{name}: {name}.into()")
            } else {
                name.to_string()
            }
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push(format!("body: {}", one_line(names.ty(api, &body.ty))));
        inits.push("body".into());
    }
    if args.len() > 6 {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    let params = ident(&op.builder);
    let name = ident(&op.method_name);
    let returns = format!("Request<'a, {params}>");
    let line = format!(
        "    pub fn {name}(&self{}) -> {returns} {{",
        args.iter().map(|a| format!(", {a}")).collect::<String>()
    );
    if line.len() <= WIDTH {
        out.push_str(&line);
        out.push('\n');
    } else {
        let _ = writeln!(out, "    pub fn {name}(\n        &self,");
        for arg in &args {
            let _ = writeln!(out, "        {arg},");
        }
        let _ = writeln!(out, "    ) -> {returns} {{");
    }
    // The optional parameters start unset: by `Default` where every field has one, else named.
    let optional = op.params.len() > required.len() || op.body.as_ref().is_some_and(|b| !b.required);
    if optional {
        if params_default(api, op) {
            inits.push("..Default::default()".into());
        } else {
            inits.extend(op.params.iter().filter(|p| !p.required).map(|p| format!("{}: None", ident(&p.name))));
            if op.body.as_ref().is_some_and(|b| !b.required) {
                inits.push("body: None".into());
            }
        }
    }
    if op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty()) && !(optional && params_default(api, op)) {
        inits.push("body_media: 0".into());
    }
    let value = match inits.as_slice() {
        [] => params.to_string(),
        [only] if only.starts_with("..") => format!("{params}::default()"),
        _ => format!("{params} {{ {} }}", inits.join(", ")),
    };
    let line = format!("        Request::new(self.client, {value})");
    if line.len() <= WIDTH {
        out.push_str(&line);
        out.push('\n');
    } else {
        let _ = writeln!(out, "        Request::new(self.client, {params} {{");
        for (i, init) in inits.iter().enumerate() {
            // Nothing may follow `..Default::default()`, not even a comma.
            let comma = if init.starts_with("..") && i + 1 == inits.len() { "" } else { "," };
            let _ = writeln!(out, "            {init}{comma}");
        }
        out.push_str("        })\n");
    }
    out.push_str("    }\n");
    out
}

/// Whether an operation's parameter type derives `Default`, so that its handle method sets the
/// required fields and leaves the rest to `..Default::default()`. The type's fields are
/// private and `Request::new` is the crate's own, so a default value can never be sent.
fn params_default(api: &Api, op: &Operation) -> bool {
    op.params.iter().filter(|p| p.required).all(|p| has_default(api, &p.ty))
        && op.body.as_ref().filter(|b| b.required).is_none_or(|b| has_default(api, &b.ty))
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

/// The operation's parameter type, its [`Operation`](crate::Operation) impl, and its setters on
/// the shared request type.
fn builder(api: &Api, names: &Names, op: &Operation) -> Vec<Segment> {
    let params = ident(&op.builder);
    let method = &op.method_name;
    let group = &api.groups[op.group].handle;
    let fields: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            let field_ty = names.ty(api, &p.ty);
            if p.required {
                quote!(#name: #field_ty,)
            } else {
                quote!(#name: Option<#field_ty>,)
            }
        })
        .chain(op.body.as_ref().map(|b| {
            let body_ty = names.ty(api, &b.ty);
            // Which encoding to send: 0 for the first, else the alternative's position plus one.
            let media = (!b.alternatives.is_empty()).then(|| quote!(body_media: u8,));
            if b.required {
                quote!(body: #body_ty, #media)
            } else {
                quote!(body: Option<#body_ty>, #media)
            }
        }))
        .collect();
    let setter_names: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.name))
        .chain(op.body.iter().filter(|b| !b.required).map(|_| "`body`".to_string()))
        .collect();
    let doc = match setter_names.is_empty() {
        true => format!(" The parameters of [`{group}::{method}`], sent by awaiting its [`Request`]."),
        false => format!(
            " The parameters of [`{group}::{method}`], sent by awaiting its [`Request`], which \
             sets the optional ones: {}.",
            setter_names.join(", ")
        ),
    };
    let declaration = match fields.is_empty() {
        true => quote!(pub struct #params;),
        false => quote!(pub struct #params { #(#fields)* }),
    };
    let media_setters = op.body.iter().flat_map(|b| {
        b.alternatives.iter().enumerate().map(move |(i, alternative)| {
            let method = ident(&alternative.method);
            let doc = format!(" Sends the body as `{}` instead of `{}`.", alternative.content_type, b.content_type);
            let index = Literal::u8_unsuffixed(u8::try_from(i + 1).unwrap_or(u8::MAX));
            quote! {
                #[doc = #doc]
                pub fn #method(mut self) -> Self {
                    self.params.body_media = #index;
                    self
                }
            }
        })
    });
    // The optional parameters' setters, one line each through the runtime's `setters!`.
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let setters = (!optional.is_empty()).then(|| {
        let mut text = format!("crate::runtime::setters! {{\n    {params} {{\n");
        for p in optional {
            text.push_str(&doc_comments(p.docs.as_deref(), "        "));
            let _ = writeln!(text, "        {}: {},", ident(&p.name), one_line(names.ty(api, &p.ty)));
        }
        text.push_str("    }\n}\n");
        text
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let docs = doc_attrs(b.docs.as_deref());
        let body_ty = names.ty(api, &b.ty);
        quote! {
            #docs
            pub fn body(mut self, body: #body_ty) -> Self {
                self.params.body = Some(body);
                self
            }
        }
    });
    let output = output_type(api, names, op);
    let error = error_type(api, names, op);
    let call = call_const(api, op);
    let write = write_body(op);
    let read = response_arms(op);
    let extra = response_enums(api, names, op);
    let wait_fn = op.async_job.as_ref().map(|job| wait_method(api, names, op, job));
    let stream_fn = op.paging.as_ref().map(|paging| stream_method(api, names, op, paging));
    let chunked_fn = op.chunked.as_ref().map(|(field, max)| chunked_method(op, field, *max, &output, &error));
    let (headers_fn, headers_struct) = match &op.headers {
        None => (None, None),
        Some(headers) => {
            let headers_name = ident(&headers.name);
            let doc = format!(
                " Sends the request on `.await`; the answer comes with the headers it documents ([`{}`]).",
                headers.name
            );
            (
                Some(quote! {
                    #[doc = #doc]
                    pub fn send_with_headers(self) -> crate::WithHeaders<'a, #params, #headers_name> {
                        self.with_headers()
                    }
                }),
                Some(headers_struct(api, names, op, headers)),
            )
        }
    };
    let own_methods: Vec<TokenStream> = [
        body_setter.into_iter().collect::<Vec<_>>(),
        media_setters.collect(),
        headers_fn.into_iter().collect(),
        wait_fn.into_iter().collect(),
        stream_fn.into_iter().collect(),
        chunked_fn.into_iter().collect(),
    ]
    .concat();
    let own_impl = (!own_methods.is_empty()).then(|| {
        quote! {
            impl<'a> Request<'a, #params> {
                #(#own_methods)*
            }
        }
    });
    let default = (op.params.len() > op.params.iter().filter(|p| p.required).count()
        || op.body.as_ref().is_some_and(|b| !b.required))
    .then(|| params_default(api, op))
    .filter(|d| *d)
    .map(|_| quote!(Default,));
    let declared = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, #default)]
        #declaration

        impl Operation for #params {
            type Output = #output;
            type Error = #error;
            const CALL: Call = #call;

            fn write(&self, request: &mut Outgoing<'_>) {
                #write
            }

            fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {
                #read
            }
        }

    };
    let mut segments = vec![Segment::Items(declared)];
    segments.extend(setters.map(Segment::Text));
    segments.push(Segment::Items(quote! {
        #own_impl
        #headers_struct
        #extra
    }));
    segments
}

/// The operation's constant description: method, id, path template, and the defaults it departs
/// from (credentials sent, idempotent as its method is).
fn call_const(api: &Api, op: &Operation) -> TokenStream {
    let operation = Literal::string(&op.operation_id);
    let template = Literal::string(&op.path);
    // The common methods have a constructor of their own; the rest name theirs.
    let other = |name: &str| {
        let method = ident(name);
        quote!(Call::new(crate::runtime::Method::#method, #operation, #template))
    };
    let mut call = match op.http_method {
        crate::ir::Method::Get => quote!(Call::get(#operation, #template)),
        crate::ir::Method::Put => quote!(Call::put(#operation, #template)),
        crate::ir::Method::Post => quote!(Call::post(#operation, #template)),
        crate::ir::Method::Delete => quote!(Call::delete(#operation, #template)),
        crate::ir::Method::Patch => quote!(Call::patch(#operation, #template)),
        crate::ir::Method::Options => other("Options"),
        crate::ir::Method::Head => other("Head"),
        crate::ir::Method::Trace => other("Trace"),
    };
    if !op.auth || api.auth.is_empty() {
        call = quote!(#call.anonymous());
    }
    if op.idempotent != op.http_method.idempotent() {
        let idempotent = op.idempotent;
        call = quote!(#call.idempotent(#idempotent));
    }
    call
}

/// The path, piece by piece: fixed text and each parameter in its style.
fn path_pieces(op: &Operation) -> Vec<TokenStream> {
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            let literal = Literal::string(&rest[..start]);
            pieces.push(quote!(request.path(#literal);));
        }
        let wire = &rest[start + 1..start + len];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            let name = ident(&p.name);
            let wire = Literal::string(wire);
            pieces.push(if (p.style, p.explode) == (Style::Simple, false) {
                quote!(request.path_param(#wire, &self.#name);)
            } else {
                let (style, explode) = (style(p.style), p.explode);
                quote!(request.path_param_styled(#wire, &self.#name, #style, #explode);)
            });
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        let literal = Literal::string(rest);
        pieces.push(quote!(request.path(#literal);));
    }
    pieces
}

/// The body of [`Operation::write`](crate::Operation): path, fixed headers, parameters, body.
fn write_body(op: &Operation) -> TokenStream {
    let path = path_pieces(op);
    let fixed = op.fixed_headers.iter().map(|(name, value)| {
        let name = Literal::string(name);
        let value = Literal::string(value);
        quote!(request.header(#name, #value);)
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let name = ident(&p.name);
        let wire = Literal::string(&p.wire_name);
        let explode = p.explode;
        let add = |value: TokenStream| match p.location {
            ParamLocation::Query if (p.style, p.explode) == (Style::Form, true) => {
                quote!(request.query(#wire, #value);)
            }
            ParamLocation::Query => {
                let style = style(p.style);
                quote!(request.query_styled(#wire, #value, #style, #explode);)
            }
            ParamLocation::Header if p.style == Style::Json => quote!(request.header_json(#wire, #value);),
            ParamLocation::Cookie if p.style == Style::Json => quote!(request.cookie_json(#wire, #value);),
            ParamLocation::Header if !p.explode => quote!(request.header(#wire, #value);),
            ParamLocation::Header => quote!(request.header_styled(#wire, #value, true);),
            ParamLocation::Cookie => quote!(request.cookie(#wire, #value);),
            ParamLocation::Path => unreachable!("filtered above"),
        };
        if p.required || p.location == ParamLocation::Query {
            // A query parameter left unset (`None`) adds no pair.
            add(quote!(&self.#name))
        } else {
            let add = add(quote!(value));
            quote! { if let Some(value) = &self.#name { #add } }
        }
    });
    let body = op.body.as_ref().map(|b| {
        // The body as one expression when it is used once, else bound to `body` first.
        let plain = b.required && b.limits.is_empty() && b.alternatives.is_empty();
        let (value, owned) = if plain { (quote!(&self.body), quote!(self.body)) } else { (quote!(body), quote!(body)) };
        let encode = |media: Media, content_type: &str| {
            let content_type = Literal::string(content_type);
            match media {
                Media::Json => quote!(request.json(#content_type, #value);),
                Media::Form => quote!(request.form(#value);),
                Media::Multipart if b.ty != Ty::Bytes => quote!(request.multipart(#value);),
                Media::Binary | Media::Multipart | Media::Text => {
                    quote!(request.raw(#content_type, #owned.clone());)
                }
            }
        };
        // Batch limits: an over-long request is refused here rather than by the server.
        let limits = b.limits.iter().map(|(field, wire, max)| {
            let field = ident(field);
            let wire = Literal::string(wire);
            let max = Literal::u64_unsuffixed(*max);
            quote!(request.limit_items(&body.#field, #wire, #max);)
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
        match (b.required, plain) {
            (true, true) => set,
            (true, false) => quote! { let body = &self.body; #limits #set },
            (false, _) => quote! { if let Some(body) = &self.body { #limits #set } },
        }
    });
    quote! {
        #(#path)*
        #(#fixed)*
        #(#params)*
        #body
    }
}

/// The runtime's name for a parameter style.
fn style(style: Style) -> TokenStream {
    let variant = ident(style.name());
    quote!(crate::runtime::Style::#variant)
}
