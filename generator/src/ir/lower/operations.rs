//! Operations → [`Operation`]s: grouping, method names, parameters, bodies and answers.

use crate::ir::naming::{
    shadows, singular, snake_name, type_name, Scope, BUILDER_RESERVED, CLIENT_METHODS, GROUP_MODULE_NAMES,
    REQUEST_METHODS, RUNTIME_NAMES,
};
use crate::ir::*;
use crate::load::model::{self, MediaType, Spec};

use super::schema::{join_docs, notes, Direction, Hint, TypeBuilder};
use super::{envelope, methods};

pub struct OperationLowerer<'a, 's> {
    pub types: &'a mut TypeBuilder<'s>,
    pub spec: &'s Spec,
    pub groups: Vec<Group>,
    group_scopes: Vec<Scope>,
    group_names: Scope,
    /// Each group by its parent and accessor's snake-case name: looked up once per operation,
    /// so a document of thousands of groups does not compare them all each time.
    group_index: std::collections::HashMap<(Option<usize>, String), usize>,
    /// Each tag's snake-case name, made once rather than once per group.
    tag_modules: Vec<String>,
    pub uses_header_auth: bool,
    pub warnings: Vec<(String, &'static str, String)>,
}

impl<'a, 's> OperationLowerer<'a, 's> {
    pub fn new(types: &'a mut TypeBuilder<'s>, spec: &'s Spec) -> Self {
        OperationLowerer {
            types,
            spec,
            groups: Vec::new(),
            group_scopes: Vec::new(),
            // Accessors live on `Client` beside its own methods.
            group_names: Scope::with_reserved(CLIENT_METHODS),
            group_index: std::collections::HashMap::new(),
            tag_modules: spec.tags.iter().map(|(tag, _)| snake_name(tag)).collect(),
            uses_header_auth: false,
            warnings: Vec::new(),
        }
    }

    /// The group at `path` (`[sites, redirects]`), creating it and its parents as needed.
    fn group(&mut self, path: &[String]) -> usize {
        let mut parent: Option<usize> = None;
        for depth in 1..=path.len() {
            let module = snake_name(&path[..depth].join(" "));
            let key = (parent, snake_name(&path[depth - 1]));
            parent = Some(match self.group_index.get(&key) {
                Some(index) => *index,
                None => {
                    // Found again by the name it was asked for, not by its accessor: a group
                    // whose accessor had to change (`resources` is a module of the crate) is
                    // still one group.
                    let index = self.new_group(&path[..depth], module, parent);
                    self.group_index.insert(key, index);
                    index
                }
            });
        }
        parent.expect("a group path is never empty")
    }

    fn new_group(&mut self, path: &[String], module: String, parent: Option<usize>) -> usize {
        let name = &path[path.len() - 1];
        let module = self.group_names.claim(&module);
        // A handle type sits in its module beside the operations' types; a group named `Result`
        // must not shadow std's there.
        let handle = match type_name(&module) {
            name if shadows(&name) || RUNTIME_NAMES.contains(&name.as_str()) => format!("{name}Resource"),
            name => name,
        };
        // A top-level accessor sits on `Client` beside the other modules; a nested one on its
        // parent's handle, beside the parent's operations.
        let accessor = match parent {
            None => module.clone(),
            Some(p) => self.group_scopes[p].claim(&snake_name(name)),
        };
        let docs = self
            .spec
            .tags
            .iter()
            .zip(&self.tag_modules)
            .find(|((tag, _), tag_module)| tag == name || **tag_module == module)
            .and_then(|((_, d), _)| d.clone());
        self.groups.push(Group { module, handle: handle.clone(), accessor, parent, docs, feature: None });
        // Group modules use these prelude and runtime names unqualified, so no item there may
        // take them.
        let mut scope = Scope::with_reserved(GROUP_MODULE_NAMES);
        scope.claim(&handle);
        self.group_scopes.push(scope);
        for name in RUNTIME_NAMES {
            self.group_scopes[self.groups.len() - 1].claim(name);
        }
        self.groups.len() - 1
    }

    /// Lowers one operation, in the group and with the method name [`methods::decide`] gave it.
    pub fn lower(&mut self, op: &'s model::Operation, (group, method_raw): (Vec<String>, String)) -> Operation {
        let operation_id = methods::operation_id(op);
        if op.operation_id.is_none() {
            self.warnings.push((
                op.pointer.clone(),
                "operation-id",
                format!("no `operationId`; named `{operation_id}` from the method and path"),
            ));
        }
        let group = self.group(&group);
        let scope = &mut self.group_scopes[group];
        let method_name = scope.claim(&method_raw);
        let builder = scope.claim(&type_name(&method_name));
        let prefix = type_name(&operation_id);

        // Parameters and the body are sent; answers are received (see `Direction`).
        self.types.direction = Direction::Request;
        let mut params_scope = Scope::with_reserved(BUILDER_RESERVED);
        let mut params = Vec::new();
        let mut fixed_headers = Vec::new();
        let mut auth = self.needs_auth(op);
        // Path parameters first, in template order; then the rest as declared.
        let mut ordered: Vec<&model::Parameter> =
            op.parameters.iter().filter(|p| p.location == ParamLocation::Path).collect();
        ordered.sort_by_key(|p| op.path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX));
        ordered.extend(op.parameters.iter().filter(|p| p.location != ParamLocation::Path));
        for p in ordered {
            if p.location == ParamLocation::Path && !op.path.contains(&format!("{{{}}}", p.name)) {
                self.warnings.push((
                    p.pointer.clone(),
                    "parameter",
                    format!("path parameter `{}` does not occur in `{}`; ignored", p.name, op.path),
                ));
                continue;
            }
            if p.location == ParamLocation::Header {
                let lower = p.name.to_ascii_lowercase();
                if lower == "authorization" {
                    auth = true;
                    self.uses_header_auth = true;
                    continue;
                }
                if lower == "content-type" {
                    continue;
                }
                if let Some(value) = p.schema.and_then(|s| single_value(self.spec, s)) {
                    if p.required || lower == "accept" {
                        fixed_headers.push(FixedHeader { name: p.name.clone(), value });
                        continue;
                    }
                }
            }
            let hint = Hint::qualified(&prefix, &p.name);
            let ty = match p.schema {
                Some(s) => {
                    let lowered = self.types.lower(s, &hint);
                    lowered.ty
                }
                None => Ty::String,
            };
            params.push(Param {
                name: params_scope.claim(&snake_name(&p.name)),
                wire_name: p.name.clone(),
                location: p.location,
                ty,
                required: p.required,
                docs: join_docs(
                    p.description.clone(),
                    p.schema.and_then(|id| notes(self.types.spec, id, false, false)),
                ),
                style: style_of(p),
                explode: p.explode.unwrap_or(style_of(p) == Style::Form) && style_of(p) != Style::Json,
            });
        }
        // A template variable without a declared parameter is still a required string.
        for name in template_names(&op.path) {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                self.warnings.push((
                    op.pointer.clone(),
                    "parameter",
                    format!("`{{{name}}}` in the path has no parameter; taken as a required string"),
                ));
                params.push(Param {
                    name: params_scope.claim(&snake_name(&name)),
                    wire_name: name,
                    location: ParamLocation::Path,
                    ty: Ty::String,
                    required: true,
                    docs: None,
                    style: Style::Simple,
                    explode: false,
                });
            }
        }

        let body = op.request_body.as_ref().and_then(|b| {
            self.body(b, &prefix, &mut params_scope, &mut params, (op.body_shortcut.as_ref(), &op.pointer))
        });
        let bare = resource_name(op);
        self.types.direction = Direction::Response;
        let (success, failure) = self.cases(op, &prefix, bare);
        // Say which of the documented media types the client reads, so that a server offering
        // several (XML first, JSON second) answers with one it can.
        if !fixed_headers.iter().any(|h| h.name.eq_ignore_ascii_case("accept")) {
            if let Some(accept) = accepted(op) {
                fixed_headers.push(FixedHeader { name: "Accept".to_string(), value: accept });
            }
        }
        let output = output(&success, &mut self.group_scopes[group], &method_name);
        let errors = errors(failure, &mut self.group_scopes[group], &method_name);
        let headers = self.response_headers(op, &prefix, group, &method_name);
        let chunked = op.chunked.as_ref().and_then(|member| self.chunked(op, body.as_ref(), member));
        let streaming = self.streaming(op, &prefix, &output, body.as_ref());

        Operation {
            operation_id,
            group,
            method_name,
            builder,
            http_method: op.method,
            path: op.path.clone(),
            summary: op.summary.clone(),
            docs: op.description.clone(),
            deprecated: op.deprecated,
            params,
            fixed_headers,
            body,
            output,
            headers,
            errors,
            auth,
            idempotent: op.idempotent.unwrap_or(op.method.idempotent()),
            // Need every operation and type lowered: see `super::jobs` and `super::paging`.
            async_job: None,
            paging: None,
            chunked,
            twin: false,
            streaming,
        }
    }

    /// How `stream()` reads the first success's answer as it arrives: its events or lines when
    /// it offers them (beside JSON, as OpenAI's `stream: true` calls do, or alone), else the
    /// bytes of a binary answer.
    fn streaming(
        &mut self,
        op: &model::Operation,
        prefix: &str,
        output: &Answers,
        body: Option<&Body>,
    ) -> Option<Streaming> {
        let success = op.responses.iter().filter(|r| is_success(r.status)).min_by_key(|r| r.status)?;
        let offered = success.content.iter().find_map(|entry| Some((stream_form(&entry.media_type)?, entry)));
        let Some((form, entry)) = offered else {
            let Some(Payload { media: Media::Binary, .. }) = output.single() else { return None };
            let media_type = success.content.iter().find(|e| is_download(self.spec, e))?;
            let (media_type, item) = (media_type.media_type.clone(), Ty::Bytes);
            return Some(Streaming { form: StreamForm::Chunks, media_type, item, json: false, end: None, flag: None });
        };
        let hint = Hint::root(&format!("{prefix} {}", if form == StreamForm::Events { "Event" } else { "Line" }), None);
        let (item, json) = match (entry.item_schema, entry.schema) {
            (Some(item), _) => self.stream_item(item, form, &hint, true),
            (None, Some(schema)) => self.stream_item(schema, form, &hint, false),
            (None, None) if form == StreamForm::Events => (Ty::String, false),
            (None, None) => (Ty::Any, true),
        };
        let end = match &op.stream_end {
            Some(end) => end.clone(),
            // `[DONE]` is no JSON value, so no event of a JSON stream can mean anything else.
            None => (form == StreamForm::Events && json).then(|| "[DONE]".to_string()),
        };
        let flag = body.filter(|b| b.required).and_then(|b| stream_flag(&self.types.types, &b.ty));
        Some(Streaming { form, media_type: entry.media_type.clone(), item, json, end, flag })
    }

    /// The type of each event's data or each line. An `itemSchema` of events describes the
    /// whole event (`{event, data, id}`): its `data` member is the data. A `schema` of lines
    /// that is an array describes the whole answer: its items are the lines.
    fn stream_item(&mut self, id: model::SchemaId, form: StreamForm, hint: &Hint, per_item: bool) -> (Ty, bool) {
        let spec = self.types.spec;
        let mut id = id;
        let schema = &spec.schemas[id.0];
        if per_item && form == StreamForm::Events {
            match schema.properties.iter().find(|(name, _)| name == "data") {
                Some((_, data)) => id = spec.schemas[data.0].content_schema.unwrap_or(*data),
                None => return (Ty::String, false),
            }
        } else if !per_item && form == StreamForm::Lines {
            if let Some(items) = schema.items {
                id = items;
            }
        }
        let ty = self.types.lower(id, hint).ty;
        let json = !(form == StreamForm::Events && ty == Ty::String);
        (ty, json)
    }

    /// For an operation whose method takes arguments that fill its body (`update(id)`), a twin
    /// that takes the body whole, for what the arguments cannot say (a batch): `update_many`
    /// when the arguments fill a list's first item, else `update_whole`. The one-item form
    /// leaves batches (`send_chunked`) to the twin.
    pub fn twin(&mut self, op: &mut Operation) -> Option<Operation> {
        let body = op.body.as_ref()?;
        if !op.params.iter().any(|p| p.location == ParamLocation::Body) {
            return None;
        }
        let listed = body.members_at.iter().flat_map(|at| &at.path).any(|s| matches!(s, Step::First { .. }))
            || op.params.iter().any(|p| p.location == ParamLocation::Body && p.wire_name.contains("/0/"));
        let scope = &mut self.group_scopes[op.group];
        let method_name = scope.claim(&format!("{}_{}", op.method_name, if listed { "many" } else { "whole" }));
        let builder = scope.claim(&type_name(&method_name));
        let mut twin = op.clone();
        twin.method_name = method_name;
        twin.builder = builder;
        twin.twin = true;
        twin.params.retain(|p| p.location != ParamLocation::Body);
        if let Some(b) = &mut twin.body {
            b.taken = true;
            b.members.clear();
            b.members_at = None;
            b.initial = None;
        }
        op.chunked = None;
        Some(twin)
    }

    /// `x-clientgen-chunked`: the body member to split, if it is a required array with `maxItems`.
    fn chunked(&mut self, op: &model::Operation, body: Option<&Body>, member: &str) -> Option<Limit> {
        let limit = body.filter(|b| b.required).and_then(|b| {
            let Ty::Named(id) = b.ty else { return None };
            let TypeKind::Struct(s) = &self.types.types[id.0].kind else { return None };
            let field = s
                .fields
                .iter()
                .find(|f| f.wire_name == member && f.presence.is_required() && !f.presence.is_nullable())?;
            b.limits.iter().find(|l| l.field == field.name).cloned()
        });
        if limit.is_none() {
            self.warnings.push((
                format!("{}/x-clientgen-chunked", op.pointer),
                "chunked",
                format!("`{member}` is not a required array with `maxItems` in a required body; no `send_chunked`"),
            ));
        }
        limit
    }

    /// The headers documented on successful answers, one field each (first description wins).
    fn response_headers(
        &mut self,
        op: &model::Operation,
        prefix: &str,
        group: usize,
        method: &str,
    ) -> Option<ResponseHeaders> {
        let mut fields: Vec<HeaderField> = Vec::new();
        let mut names = Scope::new();
        for r in op.responses.iter().filter(|r| is_success(r.status)) {
            for h in &r.headers {
                if fields.iter().any(|f| f.wire_name.eq_ignore_ascii_case(&h.name)) {
                    continue;
                }
                let ty = match h.schema {
                    Some(s) => {
                        let lowered = self.types.lower(s, &Hint::qualified(prefix, &format!("{} Header", h.name)));
                        lowered.ty
                    }
                    None => Ty::String,
                };
                fields.push(HeaderField {
                    name: names.claim(&snake_name(&h.name)),
                    wire_name: h.name.clone(),
                    ty,
                    docs: join_docs(
                        h.description.clone(),
                        h.schema.and_then(|id| notes(self.types.spec, id, false, false)),
                    ),
                });
            }
        }
        if fields.is_empty() {
            return None;
        }
        let name = self.group_scopes[group].claim(&format!("{}Headers", type_name(method)));
        Some(ResponseHeaders { name, fields })
    }

    /// Whether the credentials the caller configured go with this operation: always, unless
    /// the document says it needs none (`security: []`). Documents often declare schemes and
    /// attach them to a few operations only, while the server wants them everywhere; sending a
    /// configured credential where it was optional costs nothing.
    fn needs_auth(&self, op: &model::Operation) -> bool {
        match op.security.as_ref().or(self.spec.security.as_ref()) {
            Some(alternatives) => !alternatives.is_empty(),
            None => true,
        }
    }

    fn body(
        &mut self,
        body: &model::RequestBody,
        prefix: &str,
        scope: &mut Scope,
        params: &mut Vec<Param>,
        (shortcut, op_pointer): (Option<&model::BodyShortcut>, &str),
    ) -> Option<Body> {
        let (media, entry) = pick_media(&body.content)?;
        // Other encodings of the same value (a JSON body also accepted as a form): the caller
        // may pick one. Media of a different schema would be a different argument; not offered.
        let mut alternatives: Vec<BodyAlternative> = Vec::new();
        for other in &body.content {
            let kind = media_kind(&other.media_type);
            let encodes_values = |m: Media| matches!(m, Media::Json | Media::Form | Media::Multipart);
            let same_value =
                encodes_values(kind) && encodes_values(media) && other.schema == entry.schema && other.schema.is_some();
            if kind == media || !same_value || alternatives.iter().any(|a| a.media == kind) {
                continue;
            }
            let word = match kind {
                Media::Json => "json",
                Media::Form => "form",
                Media::Multipart => "multipart",
                Media::Text => "text",
                Media::Binary => "binary",
            };
            alternatives.push(BodyAlternative {
                media: kind,
                content_type: other.media_type.clone(),
                method: scope.claim(&format!("as_{word}")),
            });
        }
        let ty = match media {
            Media::Binary => Ty::Content,
            Media::Text => Ty::String,
            // A multipart body is its schema's object, each member a part.
            Media::Multipart => {
                let lowered =
                    entry.schema.map(|s| self.types.lower(s, &Hint::root(&format!("{prefix} Request"), None)).ty);
                match lowered {
                    Some(Ty::Named(id)) if matches!(self.types.types[id.0].kind, TypeKind::Struct(_)) => Ty::Named(id),
                    _ => {
                        self.warnings.push((
                            body.pointer.clone(),
                            "multipart",
                            "a multipart body without an object schema is sent as bytes the caller encodes".into(),
                        ));
                        Ty::Bytes
                    }
                }
            }
            Media::Json | Media::Form => match entry.schema {
                Some(s) => {
                    let lowered = self.types.lower(s, &Hint::root(&format!("{prefix} Request"), None));
                    lowered.ty
                }
                None => Ty::Any,
            },
        };
        // A form or multipart alternative needs an object to split into fields.
        let is_struct = matches!(ty, Ty::Named(id) if matches!(self.types.types[id.0].kind, TypeKind::Struct(_)));
        alternatives.retain(|a| a.media == Media::Json || is_struct);
        let limits = match &ty {
            Ty::Named(id) => match &self.types.types[id.0].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.ty, Ty::Vec(_)) && !f.boxed)
                    .filter_map(|f| {
                        f.max_items.map(|max| Limit {
                            field: f.name.clone(),
                            wire_name: f.wire_name.clone(),
                            max,
                            deprecated: f.deprecated,
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let object = match &ty {
            Ty::Named(id) => match &self.types.types[id.0].kind {
                TypeKind::Struct(s) => Some(s),
                _ => None,
            },
            _ => None,
        };
        let starts_empty = object.is_some_and(Struct::has_default);
        let resolved = match shortcut {
            Some(ext) if body.required => match envelope::resolve(&self.types.types, &ty, ext, params, scope) {
                Ok(resolved) => Some(resolved),
                Err(why) => {
                    self.warnings.push((
                        format!("{op_pointer}/x-clientgen-body"),
                        "body-shortcut",
                        format!("{why}; ignored"),
                    ));
                    None
                }
            },
            Some(_) => {
                self.warnings.push((
                    format!("{op_pointer}/x-clientgen-body"),
                    "body-shortcut",
                    "`x-clientgen-body` needs a required body; ignored".into(),
                ));
                None
            }
            None => None,
        };
        let (members_at, initial) = match resolved {
            Some(r) => (r.members_at, r.initial),
            None => (None, None),
        };
        // An optional body is made on the first member set, so it must be able to start empty.
        let taken = body.required && !starts_empty && initial.is_none();
        let members = match (&members_at, object) {
            (Some((_, inner)), _) => member_setters(inner, params, &alternatives, taken),
            (None, Some(s)) if body.required || starts_empty => member_setters(s, params, &alternatives, taken),
            _ => Vec::new(),
        };
        let members_at = members_at.map(|(at, _)| at);
        Some(Body {
            limits,
            media,
            content_type: entry.media_type.clone(),
            alternatives,
            ty,
            required: body.required,
            docs: body.description.clone(),
            taken,
            members,
            members_at,
            initial,
        })
    }

    fn cases(&mut self, op: &model::Operation, prefix: &str, bare: Option<String>) -> (Vec<Case>, Vec<Case>) {
        let has_success = op.responses.iter().any(|r| is_success(r.status));
        let mut success = Vec::new();
        let mut failure = Vec::new();
        let mut sorted: Vec<&model::Response> = op.responses.iter().collect();
        sorted.sort_by_key(|r| r.status);
        for r in sorted {
            let is_ok = is_success(r.status) || (!has_success && r.status == StatusKey::Default);
            let is_err = matches!(r.status, StatusKey::Code(400..=599) | StatusKey::Range(4 | 5))
                || (has_success && r.status == StatusKey::Default);
            if !is_ok && !is_err {
                continue;
            }
            let suffix = if is_ok { "Response" } else { "Error" };
            // An error body shared by many operations is the API's error type, not one operation's.
            let stand_alone = if is_ok { bare.clone() } else { Some("ErrorBody".to_string()) };
            let hint = Hint::root(&format!("{prefix} {} {suffix}", status_suffix(r.status)), stand_alone);
            let body = pick_media(&r.content).map(|(media, entry)| {
                let ty = match media {
                    Media::Json | Media::Form | Media::Multipart => match entry.schema {
                        Some(s) => self.types.lower(s, &hint).ty,
                        None => Ty::Any,
                    },
                    Media::Binary => Ty::Bytes,
                    Media::Text => Ty::String,
                };
                Payload { media, ty }
            });
            let mut variant = variant_name(r.status);
            // A status without a registered name (AWS's 480–495) is named by its description
            // when that is one identifier (`DirectoryInDesiredStateException`).
            if let (StatusKey::Code(_), Some(word)) = (r.status, r.description.as_deref()) {
                let one_word = !word.is_empty() && word.len() <= 60 && word.chars().all(|c| c.is_ascii_alphanumeric());
                let named = type_name(word);
                let clash = |cases: &[Case]| cases.iter().any(|c| c.variant == named);
                let registered = PHRASES.iter().any(|(_, phrase)| *phrase == named) || named == "Default";
                let unique = !registered && !clash(&success) && !clash(&failure);
                if variant.starts_with("Status") && one_word && unique {
                    variant = named;
                }
            }
            let case = Case { status: r.status, variant, body, docs: r.description.clone() };
            if is_ok {
                success.push(case)
            } else {
                failure.push(case)
            }
        }
        (success, failure)
    }
}

/// The media types the client reads an operation's answers as (the one chosen for each
/// answer, successes first), for its `Accept` header; `None` when no answer has a body.
fn accepted(op: &model::Operation) -> Option<String> {
    let mut responses: Vec<&model::Response> = op.responses.iter().collect();
    responses.sort_by_key(|r| !is_success(r.status));
    let mut types: Vec<&str> = Vec::new();
    for r in responses {
        if let Some((_, entry)) = pick_media(&r.content) {
            let media = entry.media_type.as_str();
            if !types.contains(&media) && !media.contains('*') {
                types.push(media);
            }
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}

/// The successes: one type when every documented success reads the same body (or none).
fn output(cases: &[Case], scope: &mut Scope, method: &str) -> Answers {
    let first = cases.first().and_then(|c| c.body.clone());
    let shape = match cases.iter().all(|c| c.body == first) {
        true => Shape::Single(first),
        false => Shape::Enum(scope.claim(&format!("{}Response", type_name(method)))),
    };
    Answers { cases: cases.to_vec(), shape }
}

/// The errors: one type when the documented error bodies are one type, whatever their media
/// and however many statuses document none.
fn errors(cases: Vec<Case>, scope: &mut Scope, method: &str) -> Answers {
    let mut distinct: Vec<&Payload> = Vec::new();
    for body in cases.iter().filter_map(|c| c.body.as_ref()) {
        if !distinct.iter().any(|d| d.ty == body.ty) {
            distinct.push(body);
        }
    }
    let shape = match distinct.as_slice() {
        [] => Shape::Single(None),
        [one] => Shape::Single(Some((*one).clone())),
        _ => Shape::Enum(scope.claim(&format!("{}Error", type_name(method)))),
    };
    Answers { cases, shape }
}

fn is_success(status: StatusKey) -> bool {
    matches!(status, StatusKey::Code(200..=299) | StatusKey::Range(2))
}

fn status_suffix(status: StatusKey) -> String {
    match status {
        StatusKey::Code(200) => String::new(),
        StatusKey::Code(code) => code.to_string(),
        StatusKey::Range(d) => format!("{d}XX"),
        StatusKey::Default => "Default".into(),
    }
}

/// The variant name for a status: its reason phrase (`Accepted`), or `Status418`.
/// The registered reason phrases a status's variant is named by.
const PHRASES: &[(u16, &str)] = &[
    (200, "Ok"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "NonAuthoritativeInformation"),
    (204, "NoContent"),
    (206, "PartialContent"),
    (207, "MultiStatus"),
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (402, "PaymentRequired"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (405, "MethodNotAllowed"),
    (406, "NotAcceptable"),
    (408, "RequestTimeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (412, "PreconditionFailed"),
    (413, "PayloadTooLarge"),
    (415, "UnsupportedMediaType"),
    (422, "UnprocessableEntity"),
    (423, "Locked"),
    (428, "PreconditionRequired"),
    (429, "TooManyRequests"),
    (500, "InternalServerError"),
    (501, "NotImplemented"),
    (502, "BadGateway"),
    (503, "ServiceUnavailable"),
    (504, "GatewayTimeout"),
];

fn variant_name(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => match PHRASES.iter().find(|(c, _)| *c == code) {
            Some((_, phrase)) => phrase.to_string(),
            None => format!("Status{code}"),
        },
        StatusKey::Range(d) => format!("Status{d}xx"),
        StatusKey::Default => "Default".into(),
    }
}

/// A parameter's `style`, or the default for its location.
fn style_of(p: &model::Parameter) -> Style {
    if p.media_type.as_deref().is_some_and(|m| media_kind(m) == Media::Json) {
        return Style::Json;
    }
    match p.style.as_deref() {
        Some("simple") => Style::Simple,
        Some("label") => Style::Label,
        Some("matrix") => Style::Matrix,
        Some("deepObject") => Style::DeepObject,
        Some("pipeDelimited") => Style::PipeDelimited,
        Some("spaceDelimited") => Style::SpaceDelimited,
        Some("form") => Style::Form,
        _ => match p.location {
            ParamLocation::Query | ParamLocation::Cookie => Style::Form,
            ParamLocation::Path | ParamLocation::Header | ParamLocation::Body => Style::Simple,
        },
    }
}

/// The media type a body is read or written as, preferring JSON.
/// How a media type is encoded.
fn media_kind(media_type: &str) -> Media {
    let m = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m == "application/json" || m.ends_with("+json") || m.ends_with("/json") {
        Media::Json
    } else if m == "application/x-www-form-urlencoded" {
        Media::Form
    } else if m.starts_with("multipart/") {
        Media::Multipart
    } else if m.starts_with("text/") {
        Media::Text
    } else {
        Media::Binary
    }
}

/// The streamed form a media type has, if any.
fn stream_form(media_type: &str) -> Option<StreamForm> {
    let lower = media_type.to_ascii_lowercase();
    let mut parts = lower.split(';').map(str::trim);
    let essence = parts.next().unwrap_or("");
    let watch = parts.any(|p| p.replace(' ', "") == "stream=watch");
    match essence {
        "text/event-stream" => Some(StreamForm::Events),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(StreamForm::Lines),
        _ if watch && media_kind(essence) == Media::Json => Some(StreamForm::Lines),
        _ => None,
    }
}

fn pick_media(content: &[MediaType]) -> Option<(Media, &MediaType)> {
    // What is read as it arrives is `stream()`'s; `.await` reads the rest, if there is any.
    let whole = content.iter().filter(|e| stream_form(&e.media_type).is_none());
    if let Some(picked) = pick_whole(whole) {
        return Some(picked);
    }
    pick_whole(content.iter())
}

fn pick_whole<'c>(content: impl Iterator<Item = &'c MediaType>) -> Option<(Media, &'c MediaType)> {
    let kind = media_kind;
    let rank = |m: Media| match m {
        Media::Json => 0,
        Media::Form => 1,
        Media::Multipart => 2,
        Media::Text => 3,
        Media::Binary => 4,
    };
    content.map(|e| (kind(&e.media_type), e)).min_by_key(|(m, _)| rank(*m))
}

/// Whether an answer is a file worth reading as it arrives: bytes (`format: binary`, or no
/// schema) or a media type that holds files, not a short text such as `application/sdp`.
fn is_download(spec: &Spec, entry: &MediaType) -> bool {
    if media_kind(&entry.media_type) != Media::Binary {
        return false;
    }
    let essence = entry.media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let holds_files = ["audio/", "video/", "image/", "font/"].iter().any(|top| essence.starts_with(top))
        || matches!(
            essence.as_str(),
            "application/octet-stream"
                | "application/zip"
                | "application/gzip"
                | "application/x-tar"
                | "application/pdf"
        );
    let binary_schema = entry.schema.is_none_or(|id| spec.schemas[id.0].format.as_deref() == Some("binary"));
    holds_files || binary_schema
}

/// The body's boolean member `stream`, which asks APIs such as OpenAI's for a stream.
fn stream_flag(types: &[TypeDef], ty: &Ty) -> Option<Access> {
    let Ty::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &types[id.0].kind else { return None };
    let field = s.fields.iter().find(|f| f.wire_name == "stream" && f.ty == Ty::Bool)?;
    let wrap = match field.presence {
        Presence::Required => Wrap::Plain,
        Presence::RequiredNullable | Presence::Optional => Wrap::Option,
        Presence::OptionalNullable => Wrap::Nullable,
    };
    Some(Access { field: field.name.clone(), wrap })
}

/// A header's only allowed value (`enum: ["3"]`, `const`, or a required header's `default`).
fn single_value(spec: &Spec, id: model::SchemaId) -> Option<String> {
    let s = &spec.schemas[id.0];
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(v) = &s.const_value {
        return scalar(v);
    }
    if let Some([v]) = s.enum_values.as_deref() {
        return scalar(v);
    }
    s.reference.and_then(|r| single_value(spec, r))
}

fn template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

/// The resource an operation answers with, judged from its path: `GET /assets/{asset_id}` and
/// `PATCH` of the same answer an `Asset`.
fn resource_name(op: &model::Operation) -> Option<String> {
    let segments: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
    let (last, before) = segments.split_last()?;
    let is_param = |s: &str| s.starts_with('{');
    if is_param(last) && matches!(op.method, Method::Get | Method::Put | Method::Patch) {
        let resource = before.last().filter(|s| !is_param(s))?;
        return Some(type_name(&singular(resource)));
    }
    None
}

/// Setters for an object body's optional members, named as the members are. A member whose
/// name another method of the request has (a parameter's setter, `retry_policy`, `body` for a
/// body that starts empty) gets none: it is set through the body itself.
fn member_setters(s: &Struct, params: &[Param], alternatives: &[BodyAlternative], taken: bool) -> Vec<MemberSetter> {
    let mut scope = Scope::with_reserved(REQUEST_METHODS);
    if !taken {
        scope.claim("body");
    }
    for p in params.iter().filter(|p| !p.required) {
        scope.claim(&p.name);
    }
    for a in alternatives {
        scope.claim(&a.method);
    }
    let mut out = Vec::new();
    for f in s.fields.iter().filter(|f| !f.presence.is_required()) {
        let clear = format!("clear_{}", f.name);
        if scope.is_taken(&f.name) || f.presence.is_nullable() && scope.is_taken(&clear) {
            continue;
        }
        out.push(MemberSetter {
            name: scope.claim(&f.name),
            clear: f.presence.is_nullable().then(|| scope.claim(&clear)),
            field: f.name.clone(),
            ty: f.ty.clone(),
            docs: f.docs.clone(),
            deprecated: f.deprecated,
        });
    }
    out
}
