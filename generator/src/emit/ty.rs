//! Type expressions: [`Ty`] → tokens.
//!
//! Standard names (`Option`, `String`, `Vec`, …) are written plainly unless the API itself
//! defines a type of that name, in which case, in that crate only, they are written in full
//! (`::std::option::Option`). The decision is made once per crate in [`Names`].

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Ty, TypeKind};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Names the generated code uses unqualified when nothing in the crate shadows them.
const STANDARD: &[&str] =
    &["Option", "String", "Vec", "Box", "BTreeMap", "Serialize", "Deserialize", "Nullable", "Result", "Default"];

/// How a module of the generated crate spells paths.
pub struct Names {
    /// Standard names that a type of the API shadows in `types`.
    shadowed: BTreeSet<&'static str>,
    /// Whether the code is inside the `types` module (types are referred to by bare name).
    in_types: bool,
    /// Names written plainly so far, to import exactly those that need a `use`.
    used: RefCell<BTreeSet<&'static str>>,
}

impl Names {
    pub fn for_types(api: &Api) -> Names {
        let shadowed = STANDARD.iter().copied().filter(|std| api.types.iter().any(|t| t.name == *std)).collect();
        Names { shadowed, in_types: true, used: RefCell::default() }
    }

    /// Resource modules reserve the standard names, and reach types through `types::`.
    pub fn for_resources() -> Names {
        Names { shadowed: BTreeSet::new(), in_types: false, used: RefCell::default() }
    }

    /// The standard names written plainly so far.
    pub fn used(&self) -> BTreeSet<&'static str> {
        self.used.borrow().clone()
    }

    /// The `use` items the code written so far needs.
    pub fn imports(&self) -> TokenStream {
        imports(&self.used.borrow())
    }

    /// `None`, or its full path where `Option` is shadowed.
    pub fn none(&self) -> TokenStream {
        if self.is_shadowed("Option") {
            quote!(::std::option::Option::None)
        } else {
            quote!(None)
        }
    }
}

impl Names {
    pub fn is_shadowed(&self, name: &str) -> bool {
        self.shadowed.contains(name)
    }

    /// `name` itself, or its full path when shadowed.
    pub fn std(&self, name: &'static str) -> TokenStream {
        let plain = ident(name);
        if !self.shadowed.contains(name) {
            self.used.borrow_mut().insert(name);
            return quote!(#plain);
        }
        match name {
            "Option" => quote!(::std::option::Option),
            "String" => quote!(::std::string::String),
            "Vec" => quote!(::std::vec::Vec),
            "Box" => quote!(::std::boxed::Box),
            "BTreeMap" => quote!(::std::collections::BTreeMap),
            "Serialize" => quote!(::serde::Serialize),
            "Deserialize" => quote!(::serde::Deserialize),
            "Nullable" => quote!(crate::Nullable),
            "Result" => quote!(::std::result::Result),
            "Default" => quote!(::std::default::Default),
            _ => quote!(#plain),
        }
    }

    pub fn ty(&self, api: &Api, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Any => quote!(serde_json::Value),
            Ty::Unit => quote!(()),
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::U64 => quote!(u64),
            Ty::F64 => quote!(f64),
            Ty::String => self.std("String"),
            Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::Bytes => quote!(bytes::Bytes),
            Ty::Content => quote!(crate::Content),
            Ty::File => quote!(crate::File),
            Ty::Named(id) => {
                let name = ident(&api.types[id.0].name);
                if self.in_types {
                    quote!(#name)
                } else {
                    self.used.borrow_mut().insert("types");
                    quote!(types::#name)
                }
            }
            Ty::Vec(inner) => {
                let (vec, inner) = (self.std("Vec"), self.ty(api, inner));
                quote!(#vec<#inner>)
            }
            Ty::Tuple(elements) => {
                let elements: Vec<TokenStream> = elements.iter().map(|t| self.ty(api, t)).collect();
                // A one-element tuple needs its comma; a longer one reads better without.
                match elements.as_slice() {
                    [one] => quote!((#one,)),
                    _ => quote!((#(#elements),*)),
                }
            }
            Ty::Map(inner) => {
                let (map, string, inner) = (self.std("BTreeMap"), self.std("String"), self.ty(api, inner));
                quote!(#map<#string, #inner>)
            }
            Ty::Option(inner) => {
                let (option, inner) = (self.std("Option"), self.ty(api, inner));
                quote!(#option<#inner>)
            }
        }
    }
}

/// The `use` items for a set of plainly written names.
pub fn imports(used: &BTreeSet<&'static str>) -> TokenStream {
    let mut out = TokenStream::new();
    if used.contains("BTreeMap") {
        out.extend(quote!(
            use std::collections::BTreeMap;
        ));
    }
    match (used.contains("Deserialize"), used.contains("Serialize")) {
        (true, true) => out.extend(quote!(
            use serde::{Deserialize, Serialize};
        )),
        (true, false) => out.extend(quote!(
            use serde::Deserialize;
        )),
        (false, true) => out.extend(quote!(
            use serde::Serialize;
        )),
        (false, false) => {}
    }
    if used.contains("Nullable") {
        out.extend(quote!(
            use crate::Nullable;
        ));
    }
    if used.contains("types") {
        out.extend(quote!(
            use crate::types;
        ));
    }
    out
}

/// Whether a type mentions chrono, so the crate depends on it only when needed.
pub fn uses_chrono(ty: &Ty) -> bool {
    match ty {
        Ty::DateTime | Ty::Date => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => uses_chrono(inner),
        Ty::Tuple(elements) => elements.iter().any(uses_chrono),
        _ => false,
    }
}

/// Whether a value of the type is read by `crate::time::lenient`: a date, as itself or inside
/// `Option`, `Vec` or a map (the shapes that module reads).
pub fn reads_dates(ty: &Ty) -> bool {
    match ty {
        Ty::DateTime | Ty::Date => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => reads_dates(inner),
        _ => false,
    }
}

/// clippy's `large_enum_variant` fires when an enum's largest variant is 200 bytes larger than
/// the next; an enum whose every variant is surely smaller than that needs no `allow`.
pub fn may_be_large_enum(api: &Api, variants: &[(&Ty, bool)]) -> bool {
    variants.iter().any(|(ty, boxed)| if *boxed { false } else { size_bound(api, ty, 0) >= 200 })
}

/// More bytes than a value of `ty` can take on a 64-bit target, whatever features its
/// dependencies are built with (`serde_json`'s `preserve_order` makes a `Value` larger): each
/// member rounded up to 8 bytes, each `Option` or enum adding 8 for its tag.
fn size_bound(api: &Api, ty: &Ty, depth: usize) -> usize {
    // Past this depth the answer is "large": the allow stays, which is always correct.
    if depth > 32 {
        return usize::MAX / 4;
    }
    match ty {
        Ty::Unit => 0,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::U64 | Ty::F64 | Ty::Date => 8,
        Ty::DateTime => 16,
        Ty::String | Ty::Vec(_) | Ty::Map(_) => 24,
        Ty::Bytes => 32,
        Ty::Any => 96,
        Ty::Content | Ty::File => 512,
        Ty::Option(inner) => size_bound(api, inner, depth + 1).saturating_add(8),
        Ty::Tuple(items) => items.iter().map(|t| size_bound(api, t, depth + 1)).fold(0, usize::saturating_add),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                let fields = s.fields.iter().map(|f| match f.boxed {
                    true => 16,
                    false => size_bound(api, &f.ty, depth + 1).saturating_add(8),
                });
                fields.fold(if s.additional.is_some() { 24 } else { 0 }, usize::saturating_add)
            }
            TypeKind::Enum(_) => 32,
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| if v.boxed { 8 } else { size_bound(api, &v.ty, depth + 1) })
                .max()
                .unwrap_or(0)
                .saturating_add(8),
            TypeKind::Alias(target) => size_bound(api, target, depth + 1),
            TypeKind::Newtype(inner) => size_bound(api, inner, depth + 1),
        },
    }
}

/// How many lists, maps and options a type nests: past 3, clippy finds it complex.
pub fn nesting(ty: &Ty) -> usize {
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => 1 + nesting(inner),
        _ => 0,
    }
}
