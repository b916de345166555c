//! How code outside a generated crate reaches what it offers: the group accessors and method
//! of an operation, a type's path, a value of a parameter's type written from its text, and
//! printing. For tools that write code against a crate (the replay tests and the conformance
//! driver in `xtask`), so that they spell the crate the way emit wrote it.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens as _};

use super::ty::{ident, Names};
use crate::ir::{Api, Operation, Ty, TypeKind};

/// The accessors from a client to an operation's group: `.sites().redirects()`.
pub fn group_accessors(api: &Api, op: &Operation) -> TokenStream {
    let mut chain = Vec::new();
    let mut at = Some(op.group);
    while let Some(index) = at {
        chain.push(ident(&api.groups[index].accessor));
        at = api.groups[index].parent;
    }
    chain.reverse();
    quote!(#(.#chain())*)
}

/// The handle's method that starts the operation's call.
pub fn method(op: &Operation) -> Ident {
    ident(&op.method_name)
}

/// A setter's name on a request.
pub fn setter(name: &str) -> Ident {
    ident(name)
}

/// The type as code that imports the crate's `types` module writes it (`types::Asset`,
/// `Vec<String>`).
pub fn type_path(api: &Api, ty: &Ty) -> TokenStream {
    Names::for_resources().ty(api, ty)
}

/// A value of `ty` written from its text form (a path segment, a query value), and whether it
/// names `types::`; an error for a type no text stands for.
pub fn literal(api: &Api, ty: &Ty, text: &str) -> Result<(TokenStream, bool), String> {
    let integer = |text: &str| text.parse::<i64>().map_err(|_| format!("{text:?} is not an integer"));
    Ok(match ty {
        Ty::String => (Literal::string(text).into_token_stream(), false),
        Ty::I32 => {
            let n = i32::try_from(integer(text)?).map_err(|_| format!("{text:?} is not a 32-bit integer"))?;
            (Literal::i32_suffixed(n).into_token_stream(), false)
        }
        Ty::I64 => (Literal::i64_suffixed(integer(text)?).into_token_stream(), false),
        Ty::U64 => {
            let n: u64 = text.parse().map_err(|_| format!("{text:?} is not an unsigned integer"))?;
            (Literal::u64_suffixed(n).into_token_stream(), false)
        }
        Ty::F64 => {
            let n: f64 =
                text.parse().ok().filter(|n: &f64| n.is_finite()).ok_or(format!("{text:?} is not a number"))?;
            (Literal::f64_suffixed(n).into_token_stream(), false)
        }
        Ty::Bool => match text {
            "true" => (quote!(true), false),
            "false" => (quote!(false), false),
            _ => return Err(format!("{text:?} is not a boolean")),
        },
        Ty::DateTime => {
            let text = Literal::string(text);
            (quote!(chrono::DateTime::parse_from_rfc3339(#text).expect("an RFC 3339 date").to_utc()), false)
        }
        Ty::Named(id) => {
            let def = &api.types[id.0];
            let path = type_path(api, ty);
            match &def.kind {
                TypeKind::Enum(e) if e.integer => {
                    let n = Literal::i64_suffixed(integer(text)?);
                    (quote!(#path::from(#n)), true)
                }
                TypeKind::Enum(_) => {
                    let text = Literal::string(text);
                    (quote!(#path::from(#text)), true)
                }
                TypeKind::Alias(inner) => {
                    let (value, _) = literal(api, inner, text)?;
                    let value = if *inner == Ty::String { quote!(#value.to_string()) } else { value };
                    (value, false)
                }
                _ => return Err(format!("a {} parameter cannot be written as a literal", def.name)),
            }
        }
        other => return Err(format!("a {other:?} parameter cannot be written as a literal")),
    })
}

/// Prints tokens as a Rust file, the way emit prints the crate's own (a blank line between
/// items); an error when they are not a file.
pub fn print_file(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("the code does not parse: {e}"))?;
    Ok(super::text::with_blank_lines(&prettyplease::unparse(&file)))
}
