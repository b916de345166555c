//! `src/resources/<group>.rs`: a handle per group, and per operation its parameter type with
//! what differs from the others: the [`Operation`](crate::Operation) impl (how the parameters
//! make a request, what the answers mean) and its setters on the shared `Request`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::answers::{headers_struct, response_arms, response_enums};
use super::conveniences::{chunked_method, stream_method, streaming_method, wait_method};
use std::fmt::Write as _;

use super::docs::{doc_attrs, doc_comments, paragraphs};
use super::text::one_line;
use super::ty::{ident, nesting, Names};
use super::Segment;
use crate::ir::{
    has_default, Answers, Api, Group, Init, Media, Operation, Param, ParamLocation, Shape, Step, Style, Ty, TypeKind,
};

pub fn group_file(api: &Api, index: usize, group: &Group) -> Vec<Segment> {
    let handle = ident(&group.handle);
    let names = &Names::for_resources();
    let ops: Vec<&Operation> = api.operations.iter().filter(|op| op.group == index).collect();
    // What every operation's code names; the group's own names keep clear of them (see lower).
    // Each operation's `write` body, made once: it decides the module's imports too.
    let writes: Vec<Vec<String>> = ops.iter().map(|op| write_lines(op)).collect();
    let shared = (!ops.is_empty()).then(|| {
        // An operation with nothing to write keeps the trait's `write`, which names no `Outgoing`.
        let outgoing = writes.iter().any(|w| !w.is_empty()).then(|| quote!(Outgoing,));
        quote! {
            use crate::runtime::{Call, #outgoing Response};
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
    let builders: Vec<Segment> =
        ops.into_iter().zip(writes).flat_map(|(op, write)| builder(api, names, op, write)).collect();
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
    let twin_of = api.operations.iter().find(|o| op.twin && !o.twin && o.operation_id == op.operation_id);
    let twin_note = twin_of.map(|o| {
        format!(
            "Takes the body whole, for what [`{0}`](Self::{0})'s arguments cannot say (several items, another kind \
             of item).",
            o.method_name
        )
    });
    let docs = match &twin_note {
        Some(note) => paragraphs(&[op.summary.as_deref(), Some(note)]),
        None => paragraphs(&[op.summary.as_deref(), op.docs.as_deref()]),
    };
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
    // Statements before the request is made: an envelope body built from parameters takes
    // their converted values.
    let initial = op.body.as_ref().and_then(|b| b.initial.as_ref());
    let mut lets: Vec<String> = Vec::new();
    let mut inits: Vec<String> = required
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            let converts = argument_type(api, names, &p.ty).1;
            match (converts, initial.is_some_and(|init| fills(init, &p.name))) {
                (true, true) => {
                    lets.push(format!("let {name}: String = {name}.into();"));
                    name.to_string()
                }
                (true, false) => format!("{name}: {name}.into()"),
                (false, _) => name.to_string(),
            }
        })
        .collect();
    // An argument that only fills the body is not kept unless the member setters need it.
    let dropped: Vec<String> = required.iter().filter(|p| !kept(op, p)).map(|p| ident(&p.name).to_string()).collect();
    inits.retain(|init| !dropped.contains(init));
    if let Some(init) = initial {
        let value = init_expr(api, names, &op.params, init, "        ", "let body = ".len(), "");
        lets.push(format!("let body = {value};"));
        inits.push("body".into());
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.taken) {
        args.push(format!("body: {}", one_line(names.ty(api, &body.ty))));
        inits.push("body".into());
    }
    if args.len() > 6 {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    // An operation called `new` (Twitter's `direct_messages/new`) starts a request, as they all do.
    if op.method_name == "new" {
        out.push_str("    #[allow(clippy::new_ret_no_self)]\n");
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
    let optional = op.params.len() > required.len() || op.body.as_ref().is_some_and(|b| !b.taken);
    if optional {
        if params_default(api, op) {
            inits.push("..Default::default()".into());
        } else {
            inits.extend(op.params.iter().filter(|p| !p.required).map(|p| format!("{}: None", ident(&p.name))));
            match &op.body {
                Some(b) if !b.required => inits.push("body: None".into()),
                Some(b) if !b.taken && b.initial.is_none() => inits.push("body: Default::default()".into()),
                _ => {}
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
    for statement in &lets {
        let _ = writeln!(out, "        {statement}");
    }
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
    op.params.iter().filter(|p| p.required).all(|p| has_default(&api.types, &p.ty))
        && op.body.as_ref().filter(|b| b.required).is_none_or(|b| has_default(&api.types, &b.ty) && b.initial.is_none())
}

/// Whether a body's starting value takes the parameter of this field name.
fn fills(init: &Init, param: &str) -> bool {
    match init {
        Init::Param(name) => name == param,
        Init::Struct { fields, .. } => fields.iter().any(|(_, field)| fills(field, param)),
        Init::List(item) => fills(item, param),
        Init::Variant { value, .. } => fills(value, param),
        Init::Absent { .. } | Init::Default => false,
    }
}

/// Whether the parameter type keeps a parameter: every one that is sent, and an argument that
/// only fills the body (`ParamLocation::Body`) when the member setters may have to build the
/// list item or union alternative it is in again (a body given whole may lack it).
fn kept(op: &Operation, p: &Param) -> bool {
    let rebuilt = |b: &crate::ir::Body| {
        b.members_at.iter().flat_map(|at| &at.path).any(|step| match step {
            Step::First { item: init } | Step::Variant { value: init, .. } => fills(init, &p.name),
            Step::Field { .. } => false,
        })
    };
    p.location != ParamLocation::Body || op.body.as_ref().is_some_and(rebuilt)
}

/// A body's starting value as a Rust expression: struct literals with the parameters (read
/// from `at`: local, or `self.`) in place, on one line where it fits after `lead` columns at
/// `indent`, else a field per line.
fn init_expr(api: &Api, names: &Names, args: &[Param], init: &Init, indent: &str, lead: usize, at: &str) -> String {
    let Init::Struct { ty, fields } = init else {
        return match init {
            Init::Param(name) => match args.iter().find(|p| p.name == *name) {
                Some(p) if is_copy(api, &p.ty) => format!("{at}{}", ident(name)),
                _ => format!("{at}{}.clone()", ident(name)),
            },
            Init::Absent { nullable: false } => "None".into(),
            Init::Absent { nullable: true } => "crate::Nullable::Absent".into(),
            Init::List(item) => {
                format!("vec![{}]", init_expr(api, names, args, item, indent, lead.saturating_add(5), at))
            }
            Init::Variant { ty, variant, value } => {
                let (path, boxed) = variant_path(api, names, ty, variant);
                let value = init_expr(api, names, args, value, indent, lead.saturating_add(path.len() + 1), at);
                match boxed {
                    true => format!("{path}(Box::new({value}))"),
                    false => format!("{path}({value})"),
                }
            }
            _ => "Default::default()".into(),
        };
    };
    let boxed = |field: &str| match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.name == field && f.boxed),
            _ => false,
        },
        _ => false,
    };
    let type_name = one_line(names.ty(api, ty));
    let field = |name: &str, value: String| {
        let value = if boxed(name) { format!("Box::new({value})") } else { value };
        match ident(name).to_string() {
            // A parameter of the field's name: the shorthand.
            field if field == value => field,
            field => format!("{field}: {value}"),
        }
    };
    let flat: Vec<String> = fields
        .iter()
        .map(|(name, value)| field(name, init_expr(api, names, args, value, indent, usize::MAX, at)))
        .collect();
    let one = format!("{type_name} {{ {} }}", flat.join(", "));
    if lead == usize::MAX || indent.len() + lead + one.len() < WIDTH {
        return one;
    }
    let inner = format!("{indent}    ");
    let mut out = format!("{type_name} {{\n");
    for (name, value) in fields {
        let lead = ident(name).to_string().len() + 2;
        let _ = writeln!(out, "{inner}{},", field(name, init_expr(api, names, args, value, &inner, lead, at)));
    }
    let _ = write!(out, "{indent}}}");
    out
}

/// The statements of `members()`, at a method body's indentation: one expression down a path of
/// fields; through a list or a union, a statement per step, making the item or alternative when
/// it is not there.
fn members_body(api: &Api, names: &Names, args: &[Param], path: &[Step]) -> String {
    const INDENT: &str = "        ";
    if path.iter().all(|s| matches!(s, Step::Field { .. })) {
        let mut expr = "self.body".to_string();
        for step in path {
            let Step::Field { name, optional } = step else { continue };
            let _ = write!(expr, ".{}", ident(name));
            if *optional {
                expr.push_str(".get_or_insert_with(Default::default)");
            }
        }
        if !matches!(path.last(), Some(Step::Field { optional: true, .. })) {
            expr = format!("&mut {expr}");
        }
        return format!("{INDENT}{expr}\n");
    }
    // `place` is where the walk has got to: a place expression, or `*at` after a step that
    // needed statements.
    let mut out = String::new();
    let mut place = "self.body".to_string();
    let field_of = |place: &str, name: &str| match place {
        "*at" => format!("at.{}", ident(name)),
        _ => format!("{place}.{}", ident(name)),
    };
    let borrow = |place: &str| match place {
        "*at" => "at".to_string(),
        _ if place.ends_with("get_or_insert_with(Default::default)") => place.to_string(),
        _ => format!("&mut {place}"),
    };
    let mut steps = path.iter().peekable();
    while let Some(step) = steps.next() {
        // The first item as one alternative: put one in front unless it is that alternative, so
        // that the items a body given whole holds are kept.
        if let (Step::First { .. }, Some(Step::Variant { ty, variant, value })) = (step, steps.peek()) {
            let (path, boxed) = variant_path(api, names, ty, variant);
            let value = init_expr(api, names, args, value, &format!("{INDENT}    "), path.len() + 13, "self.");
            let value = if boxed { format!("Box::new({value})") } else { value };
            let _ = writeln!(out, "{INDENT}let at = {};", borrow(&place));
            let _ = writeln!(
                out,
                "{INDENT}if !matches!(at.first(), Some({path}(_))) {{\n{INDENT}    at.insert(0, {path}({value}));\n{INDENT}}}"
            );
            let _ = writeln!(out, "{INDENT}let {path}(at) = &mut at[0] else {{ unreachable!(\"made above\") }};");
            place = "*at".to_string();
            steps.next();
            continue;
        }
        match step {
            Step::Field { name, optional: false } => place = field_of(&place, name),
            Step::Field { name, optional: true } => {
                place = format!("{}.get_or_insert_with(Default::default)", field_of(&place, name));
            }
            Step::First { item } => {
                let item = init_expr(api, names, args, item, &format!("{INDENT}    "), "at.push(".len(), "self.");
                let _ = writeln!(out, "{INDENT}let at = {};", borrow(&place));
                let _ = writeln!(out, "{INDENT}if at.is_empty() {{\n{INDENT}    at.push({item});\n{INDENT}}}");
                place = "at[0]".to_string();
            }
            Step::Variant { ty, variant, value } => {
                let (path, boxed) = variant_path(api, names, ty, variant);
                let value = init_expr(api, names, args, value, &format!("{INDENT}    "), path.len() + 8, "self.");
                let value = if boxed { format!("Box::new({value})") } else { value };
                let _ = writeln!(out, "{INDENT}let at = {};", borrow(&place));
                let _ = writeln!(
                    out,
                    "{INDENT}if !matches!(at, {path}(_)) {{\n{INDENT}    *at = {path}({value});\n{INDENT}}}"
                );
                let _ = writeln!(out, "{INDENT}let {path}(at) = at else {{ unreachable!(\"made above\") }};");
                place = "*at".to_string();
            }
        }
    }
    let _ = writeln!(out, "{INDENT}{}", borrow(&place));
    out
}

/// `types::Union::Variant` for the alternative of a union that holds `variant`, and whether it
/// holds it boxed.
fn variant_path(api: &Api, names: &Names, ty: &Ty, variant: &Ty) -> (String, bool) {
    let found = match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Union(u) => u.variants.iter().find(|v| v.ty == *variant),
            _ => None,
        },
        _ => None,
    };
    let name = found.map_or_else(|| "Variant".to_string(), |v| ident(&v.name).to_string());
    (format!("{}::{name}", one_line(names.ty(api, ty))), found.is_some_and(|v| v.boxed))
}

/// Whether values of `ty` are `Copy` in a generated crate (numbers and booleans, through
/// aliases), so that using one twice needs no `clone()`.
fn is_copy(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::U64 | Ty::F64 => true,
        Ty::Named(id) => matches!(&api.types[id.0].kind, TypeKind::Alias(target) if is_copy(api, target)),
        _ => false,
    }
}

/// What a call returns on success.
pub(super) fn output_type(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    answers_type(api, names, &op.output)
}

/// What a call's `Error<E>` carries.
pub(super) fn error_type(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    answers_type(api, names, &op.errors)
}

fn answers_type(api: &Api, names: &Names, answers: &Answers) -> TokenStream {
    match &answers.shape {
        Shape::Single(Some(body)) => names.ty(api, &body.ty),
        Shape::Single(None) => quote!(()),
        Shape::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The operation's parameter type, its [`Operation`](crate::Operation) impl (with `write`, the
/// lines of its `write` body), and its setters on the shared request type.
fn builder(api: &Api, names: &Names, op: &Operation, write: Vec<String>) -> Vec<Segment> {
    let params = ident(&op.builder);
    let method = &op.method_name;
    let group = &api.groups[op.group].handle;
    let mut fields: Vec<String> = op
        .params
        .iter()
        .filter(|p| kept(op, p))
        .map(|p| {
            let field_ty = one_line(names.ty(api, &p.ty));
            match p.required {
                true => format!("{}: {field_ty},", ident(&p.name)),
                false => format!("{}: Option<{field_ty}>,", ident(&p.name)),
            }
        })
        .collect();
    if let Some(b) = &op.body {
        let body_ty = one_line(names.ty(api, &b.ty));
        fields.push(if b.required { format!("body: {body_ty},") } else { format!("body: Option<{body_ty}>,") });
        if !b.alternatives.is_empty() {
            // Which encoding to send: 0 for the first, else the alternative's position plus one.
            fields.push("body_media: u8,".into());
        }
    }
    let setter_names: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.name))
        .chain(op.body.iter().filter(|b| !b.taken).map(|_| "`body`".to_string()))
        .collect();
    let doc = match setter_names.is_empty() {
        true => format!(" The parameters of [`{group}::{method}`], sent by awaiting its [`Request`]."),
        false => format!(
            " The parameters of [`{group}::{method}`], sent by awaiting its [`Request`], which \
             sets the optional ones: {}.",
            setter_names.join(", ")
        ),
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
    let body_setter = op.body.as_ref().filter(|b| !b.taken).map(|b| {
        let docs = doc_attrs(b.docs.as_deref());
        let docs = if docs.is_empty() { quote!(#[doc = " The body, whole."]) } else { docs };
        let body_ty = names.ty(api, &b.ty);
        let value = if b.required { quote!(body) } else { quote!(Some(body)) };
        quote! {
            #docs
            pub fn body(mut self, body: #body_ty) -> Self {
                self.params.body = #value;
                self
            }
        }
    });
    // The body's optional members' setters, one line each through the runtime's `body_setters!`.
    let member_setters = op.body.as_ref().filter(|b| !b.members.is_empty()).map(|b| {
        let mut text = String::new();
        // Setters that write inside the body (`x-clientgen-body`) reach the object through a
        // method of the parameter type, which makes each optional step on the way.
        let (optional, place) = match &b.members_at {
            Some(at) => {
                let _ = write!(
                    text,
                    "impl {params} {{\n    /// The body's `{}`, where the request's member setters write{}.\n    \
                     fn members(&mut self) -> &mut {} {{\n{}    }}\n}}\n\n",
                    at.pointer.replace('`', "'"),
                    if at.path.iter().all(|s| matches!(s, Step::Field { .. })) {
                        ""
                    } else {
                        " (made again, should a body given whole lack it)"
                    },
                    one_line(names.ty(api, &at.ty)),
                    members_body(api, names, &op.params, &at.path),
                );
                ("", " in members")
            }
            None if b.required => ("", ""),
            None => ("optional ", ""),
        };
        let _ = write!(text, "crate::runtime::body_setters! {{\n    {optional}{params}{place} {{\n");
        for m in &b.members {
            text.push_str(&doc_comments(m.docs.as_deref(), "        "));
            if m.deprecated {
                text.push_str("        #[deprecated]\n");
            }
            // Deeply nested arrays are the API's shape; an alias would only hide it.
            if nesting(&m.ty) > 2 {
                text.push_str("        #[allow(clippy::type_complexity)]\n");
            }
            let clear = m.clear.as_ref().map(|c| format!(", clear {}", ident(c))).unwrap_or_default();
            let _ = writeln!(text, "        {}: {}{clear};", ident(&m.name), one_line(names.ty(api, &m.ty)));
        }
        text.push_str("    }\n}\n");
        text
    });
    let output = output_type(api, names, op);
    let error = error_type(api, names, op);
    // A twin's answers are its operation's, written with it.
    let extra = if op.twin { TokenStream::new() } else { response_enums(api, names, op) };
    let wait_fn = op.async_job.as_ref().map(|job| wait_method(api, names, op, job));
    let stream_fn = match (&op.paging, &op.streaming) {
        (Some(paging), _) => Some(stream_method(api, names, op, paging)),
        (None, Some(streaming)) => Some(streaming_method(api, names, op, streaming)),
        (None, None) => None,
    };
    let chunked_fn = op.chunked.as_ref().map(|limit| chunked_method(limit, &output, &error));
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
                (!op.twin).then(|| headers_struct(api, names, op, headers)),
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
        || op.body.as_ref().is_some_and(|b| !b.taken))
        && params_default(api, op);
    // The parameter type and its `Operation` impl, written as text: they are most of a
    // resource module, and short statements that prettyplease would parse only to print.
    let mut declared = doc_comments(Some(&doc), "");
    let _ = writeln!(declared, "#[derive(Debug, Clone{})]", if default { ", Default" } else { "" });
    if fields.is_empty() {
        let _ = writeln!(declared, "pub struct {params};");
    } else {
        let _ = writeln!(declared, "pub struct {params} {{");
        for field in fields {
            let _ = writeln!(declared, "    {field}");
        }
        declared.push_str("}\n");
    }
    let _ = writeln!(declared, "impl Operation for {params} {{");
    let _ = writeln!(declared, "    type Output = {};", one_line(output.clone()));
    let _ = writeln!(declared, "    type Error = {};", one_line(error.clone()));
    let _ = writeln!(declared, "    const CALL: Call = {};", call_const(api, op));
    if !write.is_empty() {
        let _ = writeln!(declared, "    fn write(&self, request: &mut Outgoing<'_>) {{");
        for line in write {
            let _ = writeln!(declared, "        {line}");
        }
        declared.push_str("    }\n");
    }
    let _ = writeln!(declared, "    fn read(response: Response) -> Result<Self::Output, Error<Self::Error>> {{");
    for line in response_arms(op) {
        let _ = writeln!(declared, "        {line}");
    }
    declared.push_str("    }\n}\n");
    let mut segments = vec![Segment::Text(declared)];
    segments.extend(setters.map(Segment::Text));
    segments.extend(member_setters.map(Segment::Text));
    segments.push(Segment::Items(quote! {
        #own_impl
        #headers_struct
        #extra
    }));
    segments
}

/// The operation's constant description: method, id, path template, and the defaults it departs
/// from (credentials sent, idempotent as its method is).
fn call_const(api: &Api, op: &Operation) -> String {
    let operation = Literal::string(&op.operation_id);
    let template = Literal::string(&op.path);
    // The common methods have a constructor of their own; the rest name theirs.
    let mut call = match op.http_method {
        crate::ir::Method::Get => format!("Call::get({operation}, {template})"),
        crate::ir::Method::Put => format!("Call::put({operation}, {template})"),
        crate::ir::Method::Post => format!("Call::post({operation}, {template})"),
        crate::ir::Method::Delete => format!("Call::delete({operation}, {template})"),
        crate::ir::Method::Patch => format!("Call::patch({operation}, {template})"),
        crate::ir::Method::Options => format!("Call::new(crate::runtime::Method::Options, {operation}, {template})"),
        crate::ir::Method::Head => format!("Call::new(crate::runtime::Method::Head, {operation}, {template})"),
        crate::ir::Method::Trace => format!("Call::new(crate::runtime::Method::Trace, {operation}, {template})"),
    };
    if !op.auth || api.auth.is_empty() {
        call.push_str(".anonymous()");
    }
    if op.idempotent != op.http_method.idempotent() {
        let _ = write!(call, ".idempotent({})", op.idempotent);
    }
    call
}

/// The path parameters, in the order the template names them: the runtime puts each in place
/// of its `{name}` in the call's path template, which holds the fixed text.
fn path_pieces(op: &Operation) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let wire = &rest[start + 1..start + len];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            let name = ident(&p.name);
            let wire = Literal::string(wire);
            pieces.push(if (p.style, p.explode) == (Style::Simple, false) {
                format!("request.path_param({wire}, &self.{name});")
            } else {
                format!("request.path_param_styled({wire}, &self.{name}, {}, {});", style(p.style), p.explode)
            });
        }
        rest = &rest[start + len + 1..];
    }
    pieces
}

/// The body of [`Operation::write`](crate::Operation), as lines at a method body's indentation:
/// path, fixed headers, parameters, body.
fn write_lines(op: &Operation) -> Vec<String> {
    let mut lines = path_pieces(op);
    for header in &op.fixed_headers {
        lines.push(format!("request.header({}, {});", Literal::string(&header.name), Literal::string(&header.value)));
    }
    for p in op.params.iter().filter(|p| !matches!(p.location, ParamLocation::Path | ParamLocation::Body)) {
        let name = ident(&p.name);
        let wire = Literal::string(&p.wire_name);
        let explode = p.explode;
        let add = |value: &str| match p.location {
            ParamLocation::Query if (p.style, p.explode) == (Style::Form, true) => {
                format!("request.query({wire}, {value});")
            }
            ParamLocation::Query => format!("request.query_styled({wire}, {value}, {}, {explode});", style(p.style)),
            ParamLocation::Header if p.style == Style::Json => format!("request.header_json({wire}, {value});"),
            ParamLocation::Cookie if p.style == Style::Json => format!("request.cookie_json({wire}, {value});"),
            ParamLocation::Header if !p.explode => format!("request.header({wire}, {value});"),
            ParamLocation::Header => format!("request.header_styled({wire}, {value}, true);"),
            ParamLocation::Cookie => format!("request.cookie({wire}, {value});"),
            ParamLocation::Path | ParamLocation::Body => unreachable!("filtered above"),
        };
        if p.required || p.location == ParamLocation::Query {
            // A query parameter left unset (`None`) adds no pair.
            lines.push(add(&format!("&self.{name}")));
        } else {
            lines.push(format!("if let Some(value) = &self.{name} {{"));
            lines.push(format!("    {}", add("value")));
            lines.push("}".into());
        }
    }
    if let Some(b) = &op.body {
        // The body as one expression when it is used once, else bound to `body` first.
        let plain = b.required && b.limits.is_empty() && b.alternatives.is_empty();
        let (value, owned) = if plain { ("&self.body", "self.body") } else { ("body", "body") };
        let encode = |media: Media, content_type: &str| {
            let content_type = Literal::string(content_type);
            match media {
                Media::Json => format!("request.json({content_type}, {value});"),
                Media::Form => format!("request.form({value});"),
                Media::Multipart if b.ty != Ty::Bytes => format!("request.multipart({value});"),
                Media::Binary | Media::Multipart | Media::Text => {
                    format!("request.raw({content_type}, {owned}.clone());")
                }
            }
        };
        let mut body = Vec::new();
        // Batch limits: an over-long request is refused here rather than by the server.
        for limit in &b.limits {
            let (field, wire, max) = (ident(&limit.field), Literal::string(&limit.wire_name), limit.max);
            if limit.deprecated {
                body.push("#[allow(deprecated)] // A deprecated member's limit still holds.".into());
            }
            body.push(format!("request.limit_items(&body.{field}, {wire}, {max});"));
        }
        let first = encode(b.media, &b.content_type);
        if b.alternatives.is_empty() {
            body.push(first);
        } else {
            body.push("match self.body_media {".into());
            for (i, a) in b.alternatives.iter().enumerate() {
                let index = u8::try_from(i + 1).unwrap_or(u8::MAX);
                body.push(format!("    {index} => {},", encode(a.media, &a.content_type).trim_end_matches(';')));
            }
            body.push(format!("    _ => {},", first.trim_end_matches(';')));
            body.push("}".into());
        }
        match (b.required, plain) {
            (true, true) => lines.extend(body),
            (true, false) => {
                lines.push("let body = &self.body;".into());
                lines.extend(body);
            }
            (false, _) => {
                lines.push("if let Some(body) = &self.body {".into());
                lines.extend(body.into_iter().map(|l| format!("    {l}")));
                lines.push("}".into());
            }
        }
    }
    lines
}

/// The runtime's name for a parameter style.
fn style(style: Style) -> String {
    format!("crate::runtime::Style::{}", ident(style.name()))
}
