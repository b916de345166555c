//! Lowering: [`Spec`] → [`Api`]. Runs the passes in order: operations (which lower the schemas
//! they reach), components, pruning, cycle breaking, naming.

mod cycles;
mod envelope;
mod features;
mod jobs;
mod links;
mod methods;
mod names;
mod operations;
mod paging;
mod schema;
pub mod selection;
pub use features::{GroupFeatures, UNUSED_TYPES};
mod usage;

use crate::ir::naming::{snake_name, Scope, CLIENT_CREDENTIALS_METHODS};
use crate::ir::*;
use crate::load::model::{SecurityScheme, Spec};

/// Which operations to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Include {
    /// Operations carrying this tag.
    Tag(String),
    /// Operations whose path starts with this prefix.
    Path(String),
    OperationId(String),
}

/// What lowering noticed: (JSON pointer in the root document, kind, message).
pub type Notes = Vec<(String, &'static str, String)>;

pub fn lower(spec: &Spec, include: &[Include], group_features: GroupFeatures) -> (Api, Notes) {
    let mut builder = schema::TypeBuilder::new(spec);
    let selected: Vec<&crate::load::model::Operation> =
        spec.operations.iter().filter(|op| include.is_empty() || include.iter().any(|rule| rule.takes(op))).collect();
    let mut notes = Notes::new();
    note_sparse_security(spec, &selected, &mut notes);
    let (operations, groups, header_auth) = {
        let mut lowerer = operations::OperationLowerer::new(&mut builder, spec);
        let names = methods::decide(&selected);
        let mut operations: Vec<Operation> =
            selected.iter().zip(names).map(|(op, name)| lowerer.lower(op, name)).collect();
        // Twins go last: `selected[i]` stays the document's operation of `operations[i]`.
        let twins: Vec<Operation> = operations.iter_mut().filter_map(|op| lowerer.twin(op)).collect();
        operations.extend(twins);
        notes.append(&mut lowerer.warnings);
        adopt_api_error(&mut operations);
        (operations, lowerer.groups, lowerer.uses_header_auth)
    };
    if include.is_empty() {
        // The whole document: every component is part of the API, used by an operation or not.
        for (_, id) in &spec.component_schemas {
            builder.lower(*id, &schema::Hint::root("Component", None));
        }
    }
    notes.append(&mut builder.warnings);
    let mut types = builder.types;
    let candidates = builder.candidates;
    let fixed = builder.fixed;
    let scopes = builder.scopes;
    names::assign(&mut types, &candidates, &fixed, &scopes);
    names::shorten_variants(&mut types);
    schema::order_alternatives(&mut types);
    let mut api = Api {
        title: spec.title.clone(),
        version: spec.version.clone(),
        license: spec.license.as_ref().and_then(|(identifier, name)| {
            let identifier = identifier.as_deref().filter(|id| naming::is_spdx_expression(id)).map(str::to_string);
            identifier.or_else(|| name.as_deref().and_then(naming::spdx_of_name).map(str::to_string))
        }),
        docs: spec.description.clone(),
        base_url: spec.servers.first().map(|s| {
            s.variables.iter().fold(s.url.clone(), |url, (name, default)| url.replace(&format!("{{{name}}}"), default))
        }),
        auth: auth(spec, header_auth),
        token_flows: token_flows(spec),
        types,
        groups,
        operations,
    };
    paging::link(&mut api.operations, &api.types, &selected, &mut notes);
    jobs::link(&mut api.operations, &api.types, &selected, &mut notes);
    links::resolve(&mut api, spec.external_docs.as_deref(), spec.contact_url.as_deref());
    prune(&mut api, include.is_empty());
    cycles::break_cycles(&mut api.types);
    usage::mark(&mut api);
    features::decide(&mut api, group_features);
    (api, notes)
}

/// Operations that describe no error body get the one the API uses most elsewhere: servers
/// send their usual error object whether or not each operation's entry says so.
fn adopt_api_error(operations: &mut [Operation]) {
    let mut counts: Vec<(&Ty, usize)> = Vec::new();
    for op in operations.iter() {
        if let Shape::Single(Some(Payload { ty, .. })) = &op.errors.shape {
            match counts.iter_mut().find(|(t, _)| *t == ty) {
                Some((_, n)) => *n += 1,
                None => counts.push((ty, 1)),
            }
        }
    }
    // The most used; on a tie, the first met.
    let Some(common) = counts.iter().rev().max_by_key(|(_, n)| *n).map(|(ty, _)| (*ty).clone()) else { return };
    for op in operations.iter_mut() {
        if let Shape::Single(body @ None) = &mut op.errors.shape {
            *body = Some(Payload { media: Media::Json, ty: common.clone() });
        }
    }
}

/// Schemes declared but attached to few operations usually mean a document that forgot them,
/// not operations open to anyone: say so, since credentials then go with every operation.
fn note_sparse_security(spec: &Spec, selected: &[&crate::load::model::Operation], notes: &mut Notes) {
    if spec.security_schemes.is_empty() || spec.security.is_some() || selected.is_empty() {
        return;
    }
    let secured = selected.iter().filter(|op| op.security.is_some()).count();
    if secured * 2 < selected.len() {
        notes.push((
            "#/components/securitySchemes".into(),
            "security",
            format!(
                "security schemes are declared, but only {secured} of {} operations name one and the document sets \
                 none at the top level; configured credentials are sent with every operation except those marked \
                 `security: []`",
                selected.len()
            ),
        ));
    }
}

/// The document's client-credentials flows, each a constructor on `ClientCredentials` named
/// after its scheme.
fn token_flows(spec: &Spec) -> Vec<TokenFlow> {
    let mut names = Scope::with_reserved(CLIENT_CREDENTIALS_METHODS);
    let mut out = Vec::new();
    for scheme in &spec.security_schemes {
        if let SecurityScheme::Bearer { name, token_flow: Some(flow) } = scheme {
            let function = names.claim(&snake_name(name));
            let (token_url, scopes) = (flow.token_url.clone(), flow.scopes.clone());
            out.push(TokenFlow { function, scheme: name.clone(), token_url, scopes });
        }
    }
    out
}

fn auth(spec: &Spec, header_auth: bool) -> Vec<Auth> {
    let mut out = Vec::new();
    for scheme in &spec.security_schemes {
        let auth = match scheme {
            SecurityScheme::Bearer { .. } => Auth::Bearer,
            SecurityScheme::Basic { .. } => Auth::Basic,
            SecurityScheme::ApiKey { location, parameter, .. } => {
                Auth::ApiKey { location: *location, name: parameter.clone() }
            }
        };
        if !out.contains(&auth) {
            out.push(auth);
        }
    }
    if header_auth && !out.contains(&Auth::Bearer) {
        out.push(Auth::Bearer);
    }
    out
}

fn visit_ty(ty: &Ty, f: &mut impl FnMut(TypeId)) {
    match ty {
        Ty::Named(id) => f(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => visit_ty(inner, f),
        Ty::Tuple(elements) => elements.iter().for_each(|t| visit_ty(t, f)),
        _ => {}
    }
}

fn map_ty(ty: &mut Ty, f: &impl Fn(TypeId) -> TypeId) {
    match ty {
        Ty::Named(id) => *id = f(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => map_ty(inner, f),
        Ty::Tuple(elements) => elements.iter_mut().for_each(|t| map_ty(t, f)),
        _ => {}
    }
}

/// The fields a JSON pointer into a value of type `ty` goes through, from the top down (aliases
/// seen through): how the extensions' pointers (`/data/attributes`, a page's `/items`) become
/// field access.
fn member_path<'t>(types: &'t [TypeDef], ty: &Ty, pointer: &str) -> Result<Vec<&'t Field>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("`{pointer}` is not a JSON pointer (it starts with `/`)"));
    };
    let mut fields: Vec<&Field> = Vec::new();
    let mut at = ty;
    for token in rest.split('/') {
        let wire = crate::diag::unescape_token(token);
        let s = envelope::struct_of(types, at)
            .ok_or_else(|| format!("`{pointer}`: `{wire}` is not inside an object with members"))?;
        let f = s.fields.iter().find(|f| f.wire_name == wire).ok_or(format!("`{pointer}`: no member `{wire}`"))?;
        fields.push(f);
        at = &f.ty;
    }
    Ok(fields)
}

/// The field access a JSON pointer into a value of type `ty` stands for, and the type it reaches.
fn accesses(types: &[TypeDef], ty: &Ty, pointer: &str) -> Result<(Vec<Access>, Ty), String> {
    let fields = member_path(types, ty, pointer)?;
    let mut path = Vec::new();
    for field in &fields {
        if field.boxed {
            return Err(format!("`{pointer}` passes through a recursive member"));
        }
        let wrap = match field.presence {
            Presence::Required => Wrap::Plain,
            Presence::RequiredNullable | Presence::Optional => Wrap::Option,
            Presence::OptionalNullable => Wrap::Nullable,
        };
        path.push(Access { field: field.name.clone(), wrap });
    }
    Ok((path, fields.last().map_or_else(|| ty.clone(), |f| f.ty.clone())))
}

/// Every `Ty` an operation mentions.
fn operation_tys(op: &mut Operation) -> Vec<&mut Ty> {
    let mut out: Vec<&mut Ty> = op.params.iter_mut().map(|p| &mut p.ty).collect();
    if let Some(body) = &mut op.body {
        out.push(&mut body.ty);
        out.extend(body.members.iter_mut().map(|m| &mut m.ty));
        if let Some(at) = &mut body.members_at {
            out.push(&mut at.ty);
            for step in &mut at.path {
                match step {
                    Step::Field { .. } => {}
                    Step::First { item } => init_tys(item, &mut out),
                    Step::Variant { ty, variant, value } => {
                        out.push(ty);
                        out.push(variant);
                        init_tys(value, &mut out);
                    }
                }
            }
        }
        if let Some(init) = &mut body.initial {
            init_tys(init, &mut out);
        }
    }
    if let Some(headers) = &mut op.headers {
        out.extend(headers.fields.iter_mut().map(|f| &mut f.ty));
    }
    if let Some(job) = &mut op.async_job {
        out.push(&mut job.result);
    }
    if let Some(paging) = &mut op.paging {
        out.push(&mut paging.item);
        if let NextPage::Offset { ty, .. } = &mut paging.next {
            out.push(ty);
        }
    }
    if let Some(streaming) = &mut op.streaming {
        out.push(&mut streaming.item);
    }
    for answers in [&mut op.output, &mut op.errors] {
        if let Shape::Single(Some(body)) = &mut answers.shape {
            out.push(&mut body.ty);
        }
        out.extend(answers.cases.iter_mut().filter_map(|c| c.body.as_mut().map(|b| &mut b.ty)));
    }
    out
}

fn init_tys<'i>(init: &'i mut Init, out: &mut Vec<&'i mut Ty>) {
    match init {
        Init::Struct { ty, fields } => {
            out.push(ty);
            for (_, field) in fields {
                init_tys(field, out);
            }
        }
        Init::List(item) => init_tys(item, out),
        Init::Variant { ty, variant, value } => {
            out.push(ty);
            out.push(variant);
            init_tys(value, out);
        }
        Init::Param(_) | Init::Absent { .. } | Init::Default => {}
    }
}

fn type_tys(def: &mut TypeDef) -> Vec<&mut Ty> {
    match &mut def.kind {
        TypeKind::Struct(s) => {
            let mut out: Vec<&mut Ty> = s.fields.iter_mut().map(|f| &mut f.ty).collect();
            out.extend(s.additional.as_mut());
            out
        }
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Drops the types no operation reaches (unless `keep_components`), keeping order.
fn prune(api: &mut Api, keep_components: bool) {
    let n = api.types.len();
    let mut keep = vec![false; n];
    let mut stack: Vec<TypeId> = Vec::new();
    for op in &mut api.operations {
        for ty in operation_tys(op) {
            visit_ty(ty, &mut |id| stack.push(id));
        }
    }
    if keep_components {
        stack.extend((0..n).map(TypeId));
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut keep[id.0], true) {
            continue;
        }
        for ty in type_tys(&mut api.types[id.0]) {
            visit_ty(ty, &mut |t| stack.push(t));
        }
    }
    let mut new_index = vec![usize::MAX; n];
    let mut next = 0;
    for i in 0..n {
        if keep[i] {
            new_index[i] = next;
            next += 1;
        }
    }
    let remap = |id: TypeId| TypeId(new_index[id.0]);
    let mut index = 0;
    api.types.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    for def in &mut api.types {
        for ty in type_tys(def) {
            map_ty(ty, &remap);
        }
    }
    for op in &mut api.operations {
        for ty in operation_tys(op) {
            map_ty(ty, &remap);
        }
    }
}
