//! `src/types.rs` of a generated crate: one Rust item per IR type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::ty::{ident, ty};
use crate::ir::{Api, Enum, Field, Struct, TypeDef, TypeKind, Union};

pub fn types_file(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| type_def(api, def));
    quote! {
        //! The API's data types.
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(api, &name, docs, s),
        TypeKind::Enum(e) => enumeration(&name, docs, e),
        TypeKind::Union(u) => union(api, &name, docs, u),
        TypeKind::Alias(target) => {
            let target = ty(api, target);
            quote! { #docs pub type #name = #target; }
        }
    }
}

fn structure(api: &Api, name: &proc_macro2::Ident, docs: TokenStream, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(api, f));
    let tag = s.tag.as_ref().map(|(property, value)| {
        let property = Literal::string(property);
        let value = Literal::string(value);
        quote!(#[serde(tag = #property, rename = #value)])
    });
    let additional = s.additional.as_ref().map(|extra| {
        let extra = ty(api, extra);
        quote! {
            /// Members beyond the documented ones.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #extra>,
        }
    });
    // Callers can write `..Default::default()` when nothing is required.
    let default = (s.fields.iter().all(|f| !f.required) && (s.additional.is_some() || !s.fields.is_empty()))
        .then(|| quote!(Default,));
    let constructor = constructor(api, name, s);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        #tag
        pub struct #name {
            #(#fields)*
            #additional
        }

        #constructor
    }
}

/// `new(required…)` for a struct with both required and optional fields, so callers name only
/// what they must and set the rest with struct update syntax or field access.
fn constructor(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if required.is_empty() || required.len() == s.fields.len() && s.additional.is_none() {
        return None;
    }
    let args = required.iter().map(|f| {
        let arg = ident(&f.name);
        let mut inner = ty(api, &f.ty);
        if f.boxed {
            inner = quote!(::std::boxed::Box<#inner>);
        }
        if f.nullable {
            inner = quote!(::std::option::Option<#inner>);
        }
        quote!(#arg: #inner)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match (f.required, f.nullable) {
            (true, _) => quote!(#field),
            (false, false) => quote!(#field: ::std::option::Option::None),
            (false, true) => quote!(#field: crate::Nullable::Absent),
        }
    });
    let extra = s.additional.as_ref().map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    let doc = format!(" A `{name}` with the required fields; the optional ones are left out.");
    // One argument per required field of the API's schema, however many it has.
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra }
            }
        }
    })
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let docs = doc_attrs(f.docs.as_deref());
    let name = ident(&f.name);
    let rename = (f.name != f.wire_name).then(|| {
        let wire = Literal::string(&f.wire_name);
        quote!(#[serde(rename = #wire)])
    });
    let mut inner = ty(api, &f.ty);
    if f.boxed {
        inner = quote!(::std::boxed::Box<#inner>);
    }
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let (attrs, field_ty) = match (f.required, f.nullable) {
        (true, false) => (quote!(), inner),
        // Always sent; `None` is sent as `null`.
        (true, true) => (quote!(), quote!(::std::option::Option<#inner>)),
        (false, false) => (
            quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]),
            quote!(::std::option::Option<#inner>),
        ),
        // Three states: absent (left unchanged), `null` (cleared), a value.
        (false, true) => (
            quote!(#[serde(default, skip_serializing_if = "crate::Nullable::is_absent")]),
            quote!(crate::Nullable<#inner>),
        ),
    };
    quote! {
        #docs
        #deprecated
        #rename
        #attrs
        pub #name: #field_ty,
    }
}

fn enumeration(name: &proc_macro2::Ident, docs: TokenStream, e: &Enum) -> TokenStream {
    let other = ident(&e.other);
    let variants = e.variants.iter().map(|v| {
        let docs = doc_attrs(v.docs.as_deref());
        let variant = ident(&v.name);
        quote!(#docs #variant,)
    });
    let to_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = Literal::string(&v.wire);
        quote!(#name::#variant => #wire,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = Literal::string(&v.wire);
        quote!(#wire => #name::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the API description does not list.
            #other(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::#other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::#other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(#name::from(value.as_str()))
            }
        }
    }
}

fn union(api: &Api, name: &proc_macro2::Ident, docs: TokenStream, u: &Union) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut inner = ty(api, &v.ty);
        if v.boxed {
            inner = quote!(::std::boxed::Box<#inner>);
        }
        quote!(#variant(#inner),)
    });
    let Some((property, values)) = u.discriminator.as_ref().filter(|(_, values)| !values.is_empty()) else {
        // Untagged: serde tries the variants in order, as `oneOf` members are listed.
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)] // The alternatives are the API's; boxing them would not read like it.
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let property_lit = Literal::string(property);
    let arms = values.iter().map(|(value, index)| {
        let variant = ident(&u.variants[*index].name);
        let value = Literal::string(value);
        let wrap = if u.variants[*index].boxed {
            quote!(|v| #name::#variant(::std::boxed::Box::new(v)))
        } else {
            quote!(#name::#variant)
        };
        quote!(::std::option::Option::Some(#value) => ::serde_json::from_value(value).map(#wrap),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)] // The alternatives are the API's; boxing them would not read like it.
        pub enum #name {
            #(#variants)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property_lit).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    other => return Err(::serde::de::Error::custom(::std::format!("unknown {} {:?}", #property_lit, other))),
                }
                .map_err(::serde::de::Error::custom)
            }
        }
    }
}
