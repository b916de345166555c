//! Type expressions: [`Ty`] → tokens. Every path is absolute, so a document's type named
//! `Option` or `String` shadows nothing.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Ty};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub fn ty(api: &Api, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Any => quote!(::serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(::std::string::String),
        Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Ty::Date => quote!(::chrono::NaiveDate),
        Ty::Bytes => quote!(::bytes::Bytes),
        Ty::Named(id) => {
            let name = ident(&api.types[id.0].name);
            quote!(crate::types::#name)
        }
        Ty::Vec(inner) => {
            let inner = self::ty(api, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = self::ty(api, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = self::ty(api, inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// Whether a type mentions chrono, so the crate depends on it only when needed.
pub fn uses_chrono(ty: &Ty) -> bool {
    match ty {
        Ty::DateTime | Ty::Date => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => uses_chrono(inner),
        _ => false,
    }
}
