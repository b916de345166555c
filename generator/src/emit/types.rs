//! `src/types.rs` of a generated crate: one Rust item per IR type.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_comments};
use std::collections::BTreeSet;

use super::text::one_line;
use super::ty::{ident, imports, may_be_large_enum, nesting, reads_dates, Names};
use super::Segment;
use crate::ir::{Api, Enum, Field, Presence, Struct, Ty, TypeDef, TypeKind, Union, Usage};
use std::fmt::Write as _;

/// The pieces of `types.rs` for the types in `range`, and the standard names they use.
pub fn types_chunk(
    api: &Api,
    range: std::ops::Range<usize>,
    multipart: &BTreeSet<usize>,
) -> (Vec<Segment>, BTreeSet<&'static str>) {
    let names = Names::for_types(api);
    let mut segments = Vec::new();
    let mut items = TokenStream::new();
    for index in range {
        let def = &api.types[index];
        // With a feature per group, each of the type's items is compiled with its groups.
        let cfg = super::crate_files::type_cfg(api, &def.used_by);
        if let TypeKind::Struct(s) = &def.kind {
            // The struct and its serde impls are one `object!` call, written as text; what
            // follows it (a constructor, the multipart parts) is printed.
            segments.push(Segment::Items(std::mem::take(&mut items)));
            segments.push(Segment::Text(object_text(api, &names, def, s, &cfg)));
            if def.usage.sent {
                if let Some(constructor) = constructor(api, &names, &ident(&def.name), s) {
                    items.extend(quote!(#cfg #constructor));
                }
            }
            if multipart.contains(&index) {
                let multipart = multipart_impl(def, s);
                items.extend(quote!(#cfg #multipart));
            }
        } else if let TypeKind::Enum(e) = &def.kind {
            segments.push(Segment::Items(std::mem::take(&mut items)));
            segments.push(Segment::Text(enum_text(def, e, &cfg)));
        } else {
            items.extend(type_def(api, &names, def, &cfg));
            if let TypeKind::Union(u) = &def.kind {
                if def.usage.sent && distinct_alternatives(api, index, u) {
                    segments.push(Segment::Items(std::mem::take(&mut items)));
                    segments.push(Segment::Text(union_from_text(api, &names, def, u, &cfg)));
                }
            }
        }
    }
    segments.push(Segment::Items(items));
    (segments, names.used())
}

/// Whether every alternative is its own Rust type, aliases seen through, and none the union
/// itself: else two `From` impls would be one.
fn distinct_alternatives(api: &Api, union: usize, u: &Union) -> bool {
    fn canon(api: &Api, ty: &Ty, depth: usize) -> Ty {
        match ty {
            Ty::Named(id) if depth < 32 => match &api.types[id.0].kind {
                TypeKind::Alias(target) => canon(api, target, depth + 1),
                _ => ty.clone(),
            },
            Ty::Vec(inner) => Ty::Vec(Box::new(canon(api, inner, depth + 1))),
            Ty::Map(inner) => Ty::Map(Box::new(canon(api, inner, depth + 1))),
            Ty::Option(inner) => Ty::Option(Box::new(canon(api, inner, depth + 1))),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| canon(api, t, depth + 1)).collect()),
            other => other.clone(),
        }
    }
    let seen: Vec<Ty> = u.variants.iter().map(|v| canon(api, &v.ty, 0)).collect();
    let itself = Ty::Named(crate::ir::TypeId(union));
    seen.iter().enumerate().all(|(i, ty)| *ty != itself && !seen[..i].contains(ty))
}

/// `From` each alternative for a union the client sends (`runtime::union_from!`), a line each.
fn union_from_text(api: &Api, names: &Names, def: &TypeDef, u: &Union, cfg: &Option<TokenStream>) -> String {
    let mut out = String::new();
    if let Some(cfg) = cfg {
        let _ = writeln!(out, "{}", one_line(cfg.clone()));
    }
    let _ = writeln!(out, "crate::runtime::union_from! {{\n    {} {{", ident(&def.name));
    for v in &u.variants {
        let boxed = if v.boxed { " boxed" } else { "" };
        let _ = writeln!(out, "        {}({}){boxed},", ident(&v.name), one_line(names.ty(api, &v.ty)));
    }
    out.push_str("    }\n}\n");
    out
}

/// `MultipartBody` for a struct sent as `multipart/form-data`: a part per member, a file part
/// per `File`.
fn multipart_impl(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let parts = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = Literal::string(&f.wire_name);
        let (is_file, is_file_list) = match &f.ty {
            Ty::File => (true, false),
            Ty::Vec(inner) if **inner == Ty::File => (false, true),
            _ => (false, false),
        };
        if !is_file && !is_file_list {
            return quote!(parts.extend(crate::runtime::Part::text(#wire, &self.#field)););
        }
        // The files present, whatever holds them.
        let present = match f.presence {
            Presence::Required => quote!(::std::iter::once(&self.#field)),
            Presence::RequiredNullable | Presence::Optional => quote!(self.#field.iter()),
            Presence::OptionalNullable => quote!(self.#field.value().into_iter()),
        };
        let files = if is_file_list { quote!(#present.flat_map(|files| files.iter())) } else { present };
        quote!(parts.extend(crate::runtime::Part::files(#wire, #files));)
    });
    quote! {
        impl crate::runtime::MultipartBody for #name {
            fn parts(&self) -> ::std::vec::Vec<crate::runtime::Part> {
                let mut parts = ::std::vec::Vec::new();
                #(#parts)*
                parts
            }
        }
    }
}

/// The start of `types.rs`: its documentation and the imports all chunks need.
pub fn types_prologue(used: &BTreeSet<&'static str>, group_features: bool) -> TokenStream {
    // A build with only some groups' features compiles only some types, which may use only
    // some of these names.
    let imports = match group_features {
        false => imports(used),
        true => used
            .iter()
            .map(|name| {
                let import = imports(&BTreeSet::from([*name]));
                if import.is_empty() {
                    import
                } else {
                    quote!(#[allow(unused_imports)] #import)
                }
            })
            .collect(),
    };
    quote! {
        //! The API's data types.
        #imports
    }
}

fn type_def(api: &Api, names: &Names, def: &TypeDef, cfg: &Option<TokenStream>) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let usage = def.usage;
    match &def.kind {
        // Written as text by `object_text`.
        TypeKind::Struct(_) => TokenStream::new(),
        // Written as text by `enum_text`.
        TypeKind::Enum(_) => TokenStream::new(),
        TypeKind::Union(u) => union(api, names, &name, docs, u, usage, cfg),
        TypeKind::Alias(target) => {
            let target = names.ty(api, target);
            quote! { #docs #cfg pub type #name = #target; }
        }
        TypeKind::Newtype(inner) => {
            let default = matches!(inner, Ty::Vec(_) | Ty::Map(_)).then(|| names.std("Default"));
            let derive =
                derives(names, default.unwrap_or_default(), Some(Gate::of(usage.sent)), Some(Gate::of(usage.received)));
            let target = names.ty(api, inner);
            quote! {
                #docs
                #cfg
                #derive
                #[serde(transparent)]
                pub struct #name(pub #target);

                #cfg
                impl ::std::convert::From<#target> for #name {
                    fn from(value: #target) -> Self {
                        Self(value)
                    }
                }
            }
        }
    }
}

/// The crate feature that gives every type both serde traits, not only the way it travels.
const FULL_SERDE: &str = "full-serde";

/// Whether an item is compiled: always, or only with the `full-serde` feature.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Always,
    FullSerde,
}

impl Gate {
    fn of(travels: bool) -> Gate {
        if travels {
            Gate::Always
        } else {
            Gate::FullSerde
        }
    }

    /// `#[cfg(feature = "full-serde")]` on what only that feature compiles.
    fn cfg(self) -> Option<TokenStream> {
        (self == Gate::FullSerde).then(|| quote!(#[cfg(feature = #FULL_SERDE)]))
    }
}

/// The derives of a type: `Debug`, `Clone`, `PartialEq`, `extra`, and serde's for the ways it
/// travels (see `Usage`); serde's other trait, when the type has one, only with `full-serde`.
/// serde's derives are most of what a large crate costs to compile.
fn derives(names: &Names, extra: TokenStream, serialize: Option<Gate>, deserialize: Option<Gate>) -> TokenStream {
    let always = |gate: Option<Gate>, name: &'static str| (gate == Some(Gate::Always)).then(|| names.std(name));
    let list = [
        Some(quote!(Debug)),
        Some(quote!(Clone)),
        Some(quote!(PartialEq)),
        Some(extra).filter(|e| !e.is_empty()),
        always(serialize, "Serialize"),
        always(deserialize, "Deserialize"),
    ];
    let list = list.into_iter().flatten();
    // Spelled in full: a `use` of it would go unused without the feature.
    let gated: Vec<TokenStream> =
        [(serialize, quote!(::serde::Serialize)), (deserialize, quote!(::serde::Deserialize))]
            .into_iter()
            .filter(|(gate, _)| *gate == Some(Gate::FullSerde))
            .map(|(_, path)| path)
            .collect();
    let gated = (!gated.is_empty()).then(|| quote!(#[cfg_attr(feature = #FULL_SERDE, derive(#(#gated),*))]));
    quote!(#[derive(#(#list),*)] #gated)
}

/// `crate::runtime::object! { … }`: the struct, declared with each member's wire name and
/// kind, from which the runtime's macro writes the struct and its serde impls (far fewer lines
/// for the compiler than serde's derives, see the runtime's `object.rs`). Written as text, a
/// member per line; prettyplease would print the call's insides as one run of tokens.
fn object_text(api: &Api, names: &Names, def: &TypeDef, s: &Struct, cfg: &Option<TokenStream>) -> String {
    let mut out = String::new();
    if let Some(cfg) = cfg {
        out.push_str(&one_line(cfg.clone()));
        out.push('\n');
    }
    out.push_str("crate::runtime::object! {\n");
    out.push_str(&doc_comments(def.docs.as_deref(), "    "));
    // Callers can write `..Default::default()` when nothing is required.
    let default = s.has_default().then(|| names.std("Default"));
    let _ = writeln!(out, "    {}", one_line(derives(names, default.unwrap_or_default(), None, None)));
    let _ = write!(out, "    pub struct {} {{", ident(&def.name));
    for f in &s.fields {
        out.push('\n');
        out.push_str(&doc_comments(f.docs.as_deref(), "        "));
        if f.deprecated {
            out.push_str("        #[deprecated]\n");
        }
        // Deeply nested arrays are the API's shape; an alias would only hide it.
        if nesting(&f.ty) > 3 {
            out.push_str("        #[allow(clippy::type_complexity)]\n");
        }
        // Required, but `null` stands for it: read as `None` when it does not come.
        let kind = match f.presence {
            Presence::Required if matches!(f.ty, Ty::Option(_)) => "nullable",
            Presence::Required => "required",
            Presence::RequiredNullable => "nullable",
            Presence::Optional | Presence::OptionalNullable => "optional",
        };
        let dates = if reads_dates(&f.ty) { " dates" } else { "" };
        let _ = write!(
            out,
            "        pub {}: {} = {} {kind}{dates},",
            ident(&f.name),
            one_line(field_type(api, names, f)),
            Literal::string(&f.wire_name)
        );
    }
    out.push_str(if s.fields.is_empty() { "}\n    " } else { "\n    }\n    " });
    // A member of the tag's name would already have taken the key.
    if let Some(tag) = s.tag.as_ref().filter(|t| s.fields.iter().all(|f| f.wire_name != t.property)) {
        let _ = write!(out, "tag {} = {}, ", Literal::string(&tag.property), Literal::string(&tag.value));
    }
    if let Some(extra) = &s.additional {
        let map = names.ty(api, &crate::ir::Ty::Map(Box::new(extra.clone())));
        let _ = write!(out, "extra {}: {}; ", ident(&s.extra_name), one_line(map));
    }
    let gate = |travels: bool| if travels { "always" } else { "full_serde" };
    let _ = writeln!(out, "read {}, write {}\n}}", gate(def.usage.received), gate(def.usage.sent));
    out
}

/// The value a field has, written the way callers hold it.
fn field_type(api: &Api, names: &Names, f: &Field) -> TokenStream {
    let mut inner = names.ty(api, &f.ty);
    if f.boxed {
        let boxed = names.std("Box");
        inner = quote!(#boxed<#inner>);
    }
    let wrapper = match f.presence {
        Presence::Required => return inner,
        // Always sent, `None` as `null`; or left out when `None`.
        Presence::RequiredNullable | Presence::Optional => names.std("Option"),
        // Three states: absent (left unchanged), `null` (cleared), a value.
        Presence::OptionalNullable => names.std("Nullable"),
    };
    quote!(#wrapper<#inner>)
}

/// The most required fields a constructor takes (clippy's `too_many_arguments` limit): past it,
/// the struct literal, which names each value, reads better.
const MAX_ARGUMENTS: usize = 7;

/// `new(required…)` for a struct with both required and optional fields, so callers name only
/// what they must and set the rest with struct update syntax or field access.
fn constructor(api: &Api, names: &Names, name: &Ident, s: &Struct) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.presence.is_required()).collect();
    if required.is_empty()
        || required.len() > MAX_ARGUMENTS
        || required.len() == s.fields.len() && s.additional.is_none()
    {
        return None;
    }
    // A text field takes anything that becomes a `String` (`new("report.csv")`), as setters do.
    fn is_text(api: &Api, ty: &Ty) -> bool {
        match ty {
            Ty::String => true,
            Ty::Named(id) => matches!(&api.types[id.0].kind, TypeKind::Alias(target) if is_text(api, target)),
            _ => false,
        }
    }
    let takes_into = |f: &Field| is_text(api, &f.ty) && !f.presence.is_nullable() && !f.boxed;
    let args = required.iter().map(|f| {
        let arg = ident(&f.name);
        if takes_into(f) {
            let text = names.ty(api, &f.ty);
            return quote!(#arg: impl Into<#text>);
        }
        let arg_ty = field_type(api, names, f);
        quote!(#arg: #arg_ty)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match f.presence {
            Presence::Required | Presence::RequiredNullable if takes_into(f) => quote!(#field: #field.into()),
            Presence::Required | Presence::RequiredNullable => quote!(#field),
            Presence::Optional => {
                let none = names.none();
                quote!(#field: #none)
            }
            Presence::OptionalNullable => {
                let nullable = names.std("Nullable");
                quote!(#field: #nullable::Absent)
            }
        }
    });
    let extra = s.additional.as_ref().map(|_| {
        let map = names.std("BTreeMap");
        let field = ident(&s.extra_name);
        quote!(#field: #map::new(),)
    });
    let doc = format!(" Builds a `{name}` from its required fields; the optional ones are left out.");
    // Building the value sets every field, the deprecated ones too.
    let deprecated = s.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #deprecated
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra }
            }
        }
    })
}

/// `crate::runtime::string_enum! { … }` (or `int_enum!`): the enum, declared with each variant's
/// wire value, from which the runtime's macro writes the enum and its conversions. Written as
/// text, a variant per line, for the same reason as `object_text`.
fn enum_text(def: &TypeDef, e: &Enum, cfg: &Option<TokenStream>) -> String {
    let mut out = String::new();
    if let Some(cfg) = cfg {
        out.push_str(&one_line(cfg.clone()));
        out.push('\n');
    }
    let (implement, copy) = if e.integer { ("int_enum", "Copy, ") } else { ("string_enum", "") };
    let _ = writeln!(out, "crate::runtime::{implement}! {{");
    out.push_str(&doc_comments(def.docs.as_deref(), "    "));
    let _ = write!(out, "    #[derive(Debug, Clone, {copy}PartialEq, Eq, Hash)]\n    pub enum {} {{", ident(&def.name));
    for v in &e.variants {
        out.push('\n');
        out.push_str(&doc_comments(v.docs.as_deref(), "        "));
        let wire = match v.wire.parse::<i64>() {
            Ok(n) if e.integer => n.to_string(),
            _ => Literal::string(&v.wire).to_string(),
        };
        let _ = write!(out, "        {} = {wire},", ident(&v.name));
    }
    out.push_str(if e.variants.is_empty() { "}" } else { "\n    }" });
    let _ = writeln!(out, "\n    unlisted {}\n}}", ident(&e.other));
    out
}

fn union(
    api: &Api,
    names: &Names,
    name: &Ident,
    docs: TokenStream,
    u: &Union,
    usage: Usage,
    cfg: &Option<TokenStream>,
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut inner = names.ty(api, &v.ty);
        if v.boxed {
            let boxed = names.std("Box");
            inner = quote!(#boxed<#inner>);
        }
        let dates = reads_dates(&v.ty).then(|| quote!(#[serde(deserialize_with = "crate::time::lenient")]));
        quote!(#dates #variant(#inner),)
    });
    // The alternatives are the API's; boxing them would not read like it.
    let sized: Vec<(&Ty, bool)> = u.variants.iter().map(|v| (&v.ty, v.boxed)).collect();
    let allow = may_be_large_enum(api, &sized).then(|| quote!(#[allow(clippy::large_enum_variant)]));
    let discriminator = u.discriminator.as_ref().filter(|d| !d.mapping.is_empty());
    let open_enums: Vec<usize> = match discriminator {
        Some(_) => Vec::new(),
        None => (0..u.variants.len()).filter(|i| open_enum(api, &u.variants[*i].ty).is_some()).collect(),
    };
    // Untagged, serde tries the variants in order (lowering put the narrowest first); with a
    // discriminator, reading dispatches on it instead, and with open enums among the
    // alternatives, a reader of our own tries their listed values before anything else.
    let several_objects = discriminator.is_none() && u.variants.iter().filter(|v| api.is_object(&v.ty)).count() > 1;
    let own_reader = !open_enums.is_empty() || several_objects;
    let serialize = Gate::of(usage.sent);
    let read = Gate::of(usage.received);
    let derived_read = (discriminator.is_none() && !own_reader).then_some(read);
    let derive = derives(names, TokenStream::new(), Some(serialize), derived_read);
    let untagged = if serialize == Gate::Always || derived_read == Some(Gate::Always) {
        quote!(#[serde(untagged)])
    } else {
        quote!(#[cfg_attr(feature = #FULL_SERDE, serde(untagged))])
    };
    let definition = quote! {
        #docs
        #cfg
        #derive
        #untagged
        #allow
        pub enum #name {
            #(#variants)*
        }
    };
    let read_cfg = read.cfg();
    if own_reader {
        let reader = tried_in_order(api, names, name, u, &open_enums);
        return quote!(#definition #cfg #read_cfg #reader);
    }
    let Some(discriminator) = discriminator else { return definition };
    let property = &discriminator.property;
    let property_lit = Literal::string(property);
    let arms = discriminator.mapping.iter().map(|dispatch| {
        let variant = ident(&u.variants[dispatch.variant].name);
        let value = Literal::string(&dispatch.value);
        let wrap = if u.variants[dispatch.variant].boxed {
            quote!(|v| #name::#variant(::std::boxed::Box::new(v)))
        } else {
            quote!(#name::#variant)
        };
        quote!(::std::option::Option::Some(#value) => serde_json::from_value(value).map(#wrap),)
    });
    let doc = format!(" Reads the `{property}` member first and parses the alternative it names.");
    quote! {
        #definition

        #[doc = #doc]
        #cfg
        #read_cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property_lit).and_then(serde_json::Value::as_str).map(str::to_owned);
                let parsed = match tag.as_deref() {
                    #(#arms)*
                    other => return Err(::serde::de::Error::custom(::std::format!("unknown {} {:?}", #property_lit, other))),
                };
                parsed.map_err(::serde::de::Error::custom)
            }
        }
    }
}

/// The enum a union alternative holds (as itself or optional), when it keeps unlisted values.
fn open_enum<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Enum> {
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum(e) => Some(e),
            _ => None,
        },
        Ty::Option(inner) => open_enum(api, inner),
        _ => None,
    }
}

/// `Deserialize` for a union serde's `untagged` would read wrongly: every alternative in order
/// (an open enum only for a value it lists); objects by which alternative keeps most of what
/// came, so nothing is lost to an alternative listed earlier that merely tolerates members it
/// does not declare; then the open enums again, for values nothing else takes.
fn tried_in_order(api: &Api, names: &Names, name: &Ident, u: &Union, open_enums: &[usize]) -> TokenStream {
    // The alternative read from `value`, as a `Result<Self, _>`.
    let read = |index: usize| {
        let v = &u.variants[index];
        let variant = ident(&v.name);
        let ty = names.ty(api, &v.ty);
        let wrap =
            if v.boxed { quote!(|v| #name::#variant(::std::boxed::Box::new(v))) } else { quote!(#name::#variant) };
        match reads_dates(&v.ty) {
            true => quote!(crate::time::lenient::<_, #ty>(&value).map(#wrap)),
            false => quote!(<#ty as ::serde::Deserialize>::deserialize(&value).map(#wrap)),
        }
    };
    let attempt = |index: usize, listed_only: bool| {
        let v = &u.variants[index];
        if !listed_only {
            let read = read(index);
            return quote!(if let ::std::result::Result::Ok(v) = #read { return ::std::result::Result::Ok(v); });
        }
        let variant = ident(&v.name);
        let ty = names.ty(api, &v.ty);
        let known = match &v.ty {
            Ty::Option(_) => quote!(v.as_ref().is_none_or(|v| v.is_known())),
            _ => quote!(v.is_known()),
        };
        quote! {
            if let ::std::result::Result::Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                if #known { return ::std::result::Result::Ok(#name::#variant(v)); }
            }
        }
    };
    let objects: Vec<usize> = (0..u.variants.len()).filter(|i| api.is_object(&u.variants[*i].ty)).collect();
    let mut steps = Vec::new();
    let mut objects_done = false;
    for i in 0..u.variants.len() {
        if objects.len() < 2 || !objects.contains(&i) {
            steps.push(attempt(i, open_enums.contains(&i)));
        } else if !std::mem::replace(&mut objects_done, true) {
            let offers = objects.iter().map(|i| {
                let read = read(*i);
                quote!(if !closest.is_exact() { closest.offer(#read); })
            });
            steps.push(quote! {
                let mut closest = crate::runtime::Closest::new(&value);
                #(#offers)*
                if let ::std::option::Option::Some(v) = closest.take() { return ::std::result::Result::Ok(v); }
            });
        }
    }
    let then = open_enums.iter().map(|i| attempt(*i, false));
    let message = Literal::string(&format!("the value is none of the alternatives of `{name}`"));
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#steps)*
                #(#then)*
                ::std::result::Result::Err(::serde::de::Error::custom(#message))
            }
        }
    }
}
