//! What an operation answers: the status dispatch of `send`, the enums of several answers or
//! errors, and the struct of documented answer headers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::ty::{ident, may_be_large_enum, Names};
use crate::ir::{Answers, Api, Case, Media, Operation, Shape, StatusKey, Ty};

/// The struct of an operation's documented answer headers, each parsed when present.
pub(super) fn headers_struct(
    api: &Api,
    names: &Names,
    op: &Operation,
    headers: &crate::ir::ResponseHeaders,
) -> TokenStream {
    let name = ident(&headers.name);
    let doc = format!(
        " The headers a [`{}::{}`] answer documents; `None` where one is absent or does not parse.",
        api.groups[op.group].handle, op.method_name
    );
    let fields = headers.fields.iter().map(|f| {
        let field = ident(&f.name);
        let field_ty = names.ty(api, &f.ty);
        let wire = format!(" `{}`", f.wire_name);
        let docs = doc_attrs(f.docs.as_deref());
        let sep = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        quote!(#[doc = #wire] #sep #docs pub #field: Option<#field_ty>,)
    });
    let reads = headers.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = Literal::string(&f.wire_name);
        quote!(#field: crate::runtime::header_value(headers, #wire),)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::runtime::AnswerHeaders for #name {
            fn read(headers: &reqwest::header::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}

/// The statuses `d00..=d99` but `exact`, as intervals (`200`, `202..=299`).
fn range_without(d: u16, exact: &[u16]) -> Vec<(u16, u16)> {
    let (low, high) = (d * 100, d * 100 + 99);
    let mut pieces = Vec::new();
    let mut start = low;
    let mut taken: Vec<u16> = exact.iter().copied().filter(|c| (low..=high).contains(c)).collect();
    taken.sort_unstable();
    taken.push(high + 1);
    for code in taken {
        if code > start {
            pieces.push((start, code - 1));
        }
        start = code + 1;
    }
    pieces
}

/// A match pattern of disjoint intervals, those that touch written as one (`200..=299`, not
/// `200 | 201..=299`).
fn pattern_of(mut intervals: Vec<(u16, u16)>) -> String {
    intervals.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::new();
    for (low, high) in intervals {
        match merged.last_mut() {
            Some(last) if last.1 + 1 == low => last.1 = high,
            _ => merged.push((low, high)),
        }
    }
    let pieces: Vec<String> = merged
        .into_iter()
        .map(|(low, high)| if low == high { low.to_string() } else { format!("{low}..={high}") })
        .collect();
    pieces.join(" | ")
}

fn read(media: Media) -> &'static str {
    match media {
        Media::Json | Media::Form | Media::Multipart => "response.json()",
        Media::Binary => "response.bytes()",
        Media::Text => "response.text()",
    }
}

/// The body of an operation's `read`, as lines of Rust at the indentation of a method body:
/// one expression, or a `match` on the status with an arm per distinct way of reading.
pub(super) fn response_arms(op: &Operation) -> Vec<String> {
    let mut arms: Vec<(StatusKey, String)> = Vec::new();
    let mut default_arm = None;
    let mut push = |status: StatusKey, body: String, arms: &mut Vec<(StatusKey, String)>| match status {
        StatusKey::Default => default_arm = Some(body),
        _ => arms.push((status, body)),
    };
    // A success status the document does not list still succeeds when its body reads as the
    // documented success (a `204` where `200` was promised, say).
    let cases = &op.output.cases;
    let undocumented_success = match &op.output.shape {
        Shape::Single(body) => {
            let value = match body {
                Some(body) => read(body.media),
                None => "response.empty()",
            };
            if cases.is_empty() {
                arms.push((StatusKey::Range(2), value.to_string()));
            }
            for case in cases {
                push(case.status, value.to_string(), &mut arms);
            }
            match body.as_ref().map(|b| b.media) {
                Some(Media::Json | Media::Form | Media::Multipart) => "response.json_or_empty()".to_string(),
                _ => value.to_string(),
            }
        }
        Shape::Enum(name) => {
            let name = ident(name);
            for case in cases {
                let variant = ident(&case.variant);
                let value = match &case.body {
                    Some(body) => format!("{}.map({name}::{variant})", read(body.media)),
                    None => format!("Ok({name}::{variant})"),
                };
                push(case.status, value, &mut arms);
            }
            let without_body = cases.iter().find(|c| c.body.is_none());
            let read_first = cases.iter().find_map(|case| {
                let media = case.body.as_ref()?.media;
                let variant = ident(&case.variant);
                let read = match media {
                    Media::Json | Media::Form | Media::Multipart => "response.json_or_empty()",
                    other => read(other),
                };
                Some(format!("{read}.map({name}::{variant})"))
            });
            match (without_body, read_first) {
                (Some(empty), Some(read)) => {
                    let variant = ident(&empty.variant);
                    format!("if response.is_empty() {{ Ok({name}::{variant}) }} else {{ {read} }}")
                }
                (Some(empty), None) => {
                    let variant = ident(&empty.variant);
                    format!("Ok({name}::{variant})")
                }
                (None, Some(read)) => read,
                (None, None) => "Err(response.unexpected())".to_string(),
            }
        }
    };
    let has_error_type = match &op.errors.shape {
        Shape::Single(body) => {
            let ty = body.as_ref().map(|b| &b.ty);
            for case in &op.errors.cases {
                let error = match ty {
                    // Documented only as binary: the body is the error, as it came.
                    Some(Ty::Bytes) => "response.error_with(|body| Ok(bytes::Bytes::copy_from_slice(body)))",
                    Some(_) => "response.error_body()",
                    None => "response.error_without_body()",
                };
                push(case.status, format!("Err({error})"), &mut arms);
            }
            // Bytes have no JSON form to try an undocumented status's body against.
            ty.is_some_and(|ty| *ty != Ty::Bytes)
        }
        Shape::Enum(name) => {
            let name = ident(name);
            for case in &op.errors.cases {
                let variant = ident(&case.variant);
                let error = match case.body.as_ref().map(|b| b.media) {
                    Some(Media::Json) => format!("response.error_as({name}::{variant})"),
                    _ => "response.error_without_body()".to_string(),
                };
                push(case.status, format!("Err({error})"), &mut arms);
            }
            false
        }
    };
    let covers_successes = arms.iter().any(|(status, _)| *status == StatusKey::Range(2))
        || cases.iter().any(|c| matches!(c.status, StatusKey::Range(2) | StatusKey::Default));
    if !covers_successes {
        arms.push((StatusKey::Range(2), undocumented_success));
    }
    // Exact codes before ranges, and a range without the codes listed on their own, so `404`
    // wins over `4XX` and no two arms overlap.
    arms.sort_by_key(|(status, _)| matches!(status, StatusKey::Range(_)));
    let exact: Vec<u16> = arms
        .iter()
        .filter_map(|(status, _)| match status {
            StatusKey::Code(code) => Some(*code),
            _ => None,
        })
        .collect();
    // Statuses that read alike share one arm (`400 | 404 => Err(response.error_body())`): the
    // arms are disjoint, so joining them changes nothing but the length.
    let mut joined: Vec<(Vec<(u16, u16)>, String)> = Vec::new();
    for (status, body) in arms {
        let intervals = match status {
            StatusKey::Range(d) => range_without(d, &exact),
            StatusKey::Code(code) => vec![(code, code)],
            StatusKey::Default => Vec::new(),
        };
        if intervals.is_empty() {
            continue;
        }
        match joined.iter_mut().find(|(_, b)| *b == body) {
            Some((existing, _)) => existing.extend(intervals),
            None => joined.push((intervals, body)),
        }
    }
    let fallback = default_arm.unwrap_or_else(|| match has_error_type {
        // An error status the document forgot is still typed when its body reads as the error.
        true => "Err(response.undocumented_error())".to_string(),
        false => "Err(response.unexpected())".to_string(),
    });
    if joined.is_empty() {
        // One answer for every status: no need to look at it.
        return vec![fallback];
    }
    let mut lines = vec!["match response.status() {".to_string()];
    for (intervals, body) in joined {
        lines.push(format!("    {} => {body},", pattern_of(intervals)));
    }
    lines.push(format!("    _ => {fallback},"));
    lines.push("}".to_string());
    lines
}

fn case_enum(api: &Api, names: &Names, name: &str, cases: &[Case], what: &str) -> TokenStream {
    let name = ident(name);
    let doc = format!(" {what}, by status.");
    let variants = cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let status_doc = match case.status {
            StatusKey::Code(code) => format!(" `{code}`"),
            StatusKey::Range(d) => format!(" `{d}XX`"),
            StatusKey::Default => " Any other status".to_string(),
        };
        let docs = doc_attrs(case.docs.as_deref());
        let sep = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
        match &case.body {
            Some(body) => {
                let body = names.ty(api, &body.ty);
                quote!(#[doc = #status_doc] #sep #docs #variant(#body),)
            }
            None => quote!(#[doc = #status_doc] #sep #docs #variant,),
        }
    });
    let sized: Vec<(&Ty, bool)> = cases.iter().filter_map(|case| case.body.as_ref().map(|b| (&b.ty, false))).collect();
    // Returned once per call and matched right away: boxing would only cost an allocation.
    let allow = may_be_large_enum(api, &sized).then(|| quote!(#[allow(clippy::large_enum_variant)]));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum #name {
            #(#variants)*
        }
    }
}

pub(super) fn response_enums(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    let handle = &api.groups[op.group].handle;
    let enum_of = |answers: &Answers, what: String| {
        answers.enum_name().map(|name| case_enum(api, names, name, &answers.cases, &what))
    };
    let output = enum_of(&op.output, format!("What [`{handle}::{}`] answers", op.method_name));
    let errors = enum_of(&op.errors, format!("The error bodies of [`{handle}::{}`]", op.method_name));
    quote!(#output #errors)
}
