//! Reads a parsed document tree into the [`model`](super::model), resolving `$ref`s.
//!
//! The reader never fails on a construct it can interpret: it records a warning with the JSON
//! pointer and goes on. It fails only when the document cannot describe an API at all (not an
//! object, not OpenAPI 3.x, a `$ref` that points nowhere in a place that needs one).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::model::*;
use super::{Document, Issue};
use crate::diag::{escape_token, unescape_token};

/// A value together with where it lives.
#[derive(Clone)]
struct Place<'a> {
    doc: usize,
    value: &'a Value,
    pointer: String,
}

pub struct Reader<'a> {
    docs: &'a [Document],
    pub spec: Spec,
    pub issues: Vec<Issue>,
    /// Schemas read so far, by the address of their node in the parsed documents, which stay
    /// in place while they are read: one node, one schema, however it is reached.
    memo: HashMap<*const Value, SchemaId>,
    pub fatal: Option<Issue>,
}

impl<'a> Reader<'a> {
    pub fn new(docs: &'a [Document]) -> Reader<'a> {
        Reader { docs, spec: Spec::default(), issues: Vec::new(), memo: HashMap::new(), fatal: None }
    }

    fn warn(&mut self, doc: usize, pointer: &str, kind: &'static str, message: String) {
        self.issues.push(Issue { doc, pointer: pointer.to_string(), kind, message });
    }

    pub fn read(&mut self) {
        let doc = &self.docs[0];
        let Some(root) = doc.root.as_object() else {
            self.fatal =
                Some(Issue::fatal("#", "the document is not an object: expected an OpenAPI 3.0 or 3.1 document"));
            return;
        };
        let version = root.get("openapi").and_then(Value::as_str).unwrap_or("");
        self.spec.dialect = if version.starts_with("3.0") {
            Some(Dialect::V30)
        } else if version.starts_with("3.1") || version.starts_with("3.2") {
            Some(Dialect::V31)
        } else if root.contains_key("swagger") {
            self.fatal = Some(Issue::fatal(
                "#/swagger",
                "this is a Swagger 2.0 document; convert it to OpenAPI 3 first (for example with swagger2openapi)",
            ));
            return;
        } else {
            self.fatal =
                Some(Issue::fatal("#/openapi", "missing or unsupported `openapi` version: expected 3.0.x or 3.1.x"));
            return;
        };
        let info = root.get("info").and_then(Value::as_object);
        self.spec.title = info.and_then(|i| text(i, "title")).unwrap_or_default();
        self.spec.version = info.and_then(|i| text(i, "version")).unwrap_or_default();
        self.spec.description = info.and_then(|i| text(i, "description"));
        let license = info.and_then(|i| i.get("license")).and_then(Value::as_object);
        self.spec.license = license.map(|l| (text(l, "identifier"), text(l, "name")));
        self.spec.external_docs = root.get("externalDocs").and_then(Value::as_object).and_then(|d| text(d, "url"));
        self.spec.contact_url =
            info.and_then(|i| i.get("contact")).and_then(Value::as_object).and_then(|c| text(c, "url"));
        self.spec.servers = servers(root.get("servers"));
        self.spec.security = root.get("security").map(security_requirements);
        self.spec.tags = root
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(Value::as_object)
                    .filter_map(|t| Some((text(t, "name")?, text(t, "description"))))
                    .collect()
            })
            .unwrap_or_default();
        let root_place = Place { doc: 0, value: &doc.root, pointer: "#".into() };
        self.security_schemes(&root_place);
        if let Some(schemas) = self.child(&root_place, "components").and_then(|c| self.child(&c, "schemas")) {
            if let Some(map) = schemas.value.as_object() {
                for (name, _) in map {
                    let place = self.child(&schemas, name).expect("key exists");
                    let id = self.schema(&place);
                    self.spec.component_schemas.push((name.clone(), id));
                }
            }
        }
        match self.child(&root_place, "paths") {
            Some(paths) => self.paths(&paths),
            None => {
                self.warn(0, "#", "no-paths", "the document has no `paths`: the client will have no operations".into())
            }
        }
    }

    fn child(&self, place: &Place<'a>, key: &str) -> Option<Place<'a>> {
        let value = match place.value {
            Value::Object(map) => map.get(key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        Some(Place { doc: place.doc, value, pointer: format!("{}/{}", place.pointer, escape_token(key)) })
    }

    /// Follows `$ref`s (of non-schema objects) until a value without one.
    fn deref(&mut self, place: Place<'a>) -> Option<Place<'a>> {
        let mut place = place;
        for _ in 0..32 {
            let Some(reference) = place.value.get("$ref").and_then(Value::as_str) else {
                return Some(place);
            };
            match self.resolve(&place, reference) {
                Some(target) => place = target,
                None => return None,
            }
        }
        self.warn(place.doc, &place.pointer, "ref-loop", "`$ref` chain does not end".into());
        None
    }

    /// Resolves a `$ref` string relative to the document holding it.
    fn resolve(&mut self, from: &Place<'a>, reference: &str) -> Option<Place<'a>> {
        let (file, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (reference, ""),
        };
        let doc = if file.is_empty() {
            from.doc
        } else {
            let path = self.docs[from.doc].path.parent().map(|base| base.join(file));
            match self.docs.iter().position(|d| Some(&d.path) == path.as_ref()) {
                Some(index) => index,
                None => {
                    self.warn(
                        from.doc,
                        &from.pointer,
                        "external-ref",
                        format!("`$ref` to {file}: the document could not be read"),
                    );
                    return None;
                }
            }
        };
        let root: &'a Value = &self.docs[doc].root;
        let mut value = root;
        let mut pointer = String::from("#");
        for token in fragment.split('/').skip(1) {
            let token = unescape_token(token);
            let next = match value {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(v) => value = v,
                None => {
                    self.warn(
                        from.doc,
                        &from.pointer,
                        "dangling-ref",
                        format!("`$ref: {reference}` points to nothing"),
                    );
                    return None;
                }
            }
            pointer.push('/');
            pointer.push_str(&escape_token(&token));
        }
        Some(Place { doc, value, pointer })
    }

    fn security_schemes(&mut self, root: &Place<'a>) {
        let Some(schemes) = self.child(root, "components").and_then(|c| self.child(&c, "securitySchemes")) else {
            return;
        };
        let Some(map) = schemes.value.as_object() else { return };
        for name in map.keys() {
            let Some(place) = self.child(&schemes, name).and_then(|p| self.deref(p)) else { continue };
            let get = |k: &str| place.value.get(k).and_then(Value::as_str).unwrap_or("");
            let scheme = match get("type") {
                "http" if get("scheme").eq_ignore_ascii_case("basic") => SecurityScheme::Basic { name: name.clone() },
                "oauth2" => {
                    SecurityScheme::Bearer { name: name.clone(), token_flow: self.token_flow(root, &place, name) }
                }
                "http" | "openIdConnect" => SecurityScheme::Bearer { name: name.clone(), token_flow: None },
                "apiKey" => SecurityScheme::ApiKey {
                    name: name.clone(),
                    location: match get("in") {
                        "query" => ParamLocation::Query,
                        "cookie" => ParamLocation::Cookie,
                        _ => ParamLocation::Header,
                    },
                    parameter: get("name").to_string(),
                },
                other => {
                    self.warn(
                        place.doc,
                        &place.pointer,
                        "security",
                        format!("security scheme type `{other}` is not supported; requests will not carry it"),
                    );
                    continue;
                }
            };
            self.spec.security_schemes.push(scheme);
        }
    }

    /// An OAuth 2.0 scheme's client-credentials flow: its token URL, and the scopes the
    /// document's top-level `security` asks of the scheme (a flow's `scopes` map only lists
    /// those that exist).
    fn token_flow(&mut self, root: &Place<'a>, scheme: &Place<'a>, name: &str) -> Option<TokenFlow> {
        let flow = scheme.value.get("flows")?.get("clientCredentials")?;
        let Some(token_url) = flow.get("tokenUrl").and_then(Value::as_str).filter(|u| !u.trim().is_empty()) else {
            self.warn(
                scheme.doc,
                &format!("{}/flows/clientCredentials", scheme.pointer),
                "security",
                "a client-credentials flow without `tokenUrl`; the client can still be given one".into(),
            );
            return None;
        };
        let mut scopes: Vec<String> = Vec::new();
        let requirements = root.value.get("security").and_then(Value::as_array).into_iter().flatten();
        for requirement in requirements {
            let named = requirement.get(name).and_then(Value::as_array).into_iter().flatten();
            for scope in named.filter_map(Value::as_str) {
                if !scopes.iter().any(|s| s == scope) {
                    scopes.push(scope.to_string());
                }
            }
        }
        Some(TokenFlow { token_url: token_url.to_string(), scopes })
    }

    fn paths(&mut self, paths: &Place<'a>) {
        let Some(map) = paths.value.as_object() else { return };
        for path in map.keys() {
            let Some(item) = self.child(paths, path).and_then(|p| self.deref(p)) else { continue };
            let common = self.parameters(&item);
            for (key, method) in Method::ALL {
                if let Some(op) = self.child(&item, key) {
                    if op.value.is_object() {
                        self.operation(&op, method, path, &common);
                    }
                }
            }
        }
    }

    fn operation(&mut self, place: &Place<'a>, method: Method, path: &str, common: &[Parameter]) {
        let obj = place.value.as_object().expect("checked by caller");
        let mut parameters: Vec<Parameter> = self.parameters(place);
        for p in common {
            if !parameters.iter().any(|o| o.name == p.name && o.location == p.location) {
                parameters.push(p.clone());
            }
        }
        let request_body = self.child(place, "requestBody").and_then(|p| self.deref(p)).map(|body| RequestBody {
            description: body.value.get("description").and_then(Value::as_str).map(str::to_string),
            required: body.value.get("required").and_then(Value::as_bool).unwrap_or(false),
            content: self.content(&body),
            pointer: body.pointer.clone(),
        });
        let mut responses = Vec::new();
        if let Some(all) = self.child(place, "responses") {
            if let Some(map) = all.value.as_object() {
                for key in map.keys() {
                    let Some(status) = status_key(key) else {
                        if !key.starts_with("x-") {
                            self.warn(
                                place.doc,
                                &all.pointer,
                                "status",
                                format!("response key `{key}` is not a status code; ignored"),
                            );
                        }
                        continue;
                    };
                    let Some(response) = self.child(&all, key).and_then(|p| self.deref(p)) else { continue };
                    responses.push(Response {
                        status,
                        description: response.value.get("description").and_then(Value::as_str).map(str::to_string),
                        content: self.content(&response),
                        headers: self.response_headers(&response),
                        pointer: response.pointer.clone(),
                    });
                }
            }
        }
        let tags = self.tags(place, obj.get("tags"));
        let group_name = match obj.get("x-fern-sdk-group-name").or_else(|| obj.get("x-group-name")) {
            Some(Value::String(s)) => Some(vec![s.clone()]),
            Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).map(str::to_string).collect()),
            _ => None,
        };
        let async_job = obj.get("x-clientgen-async-job").and_then(|ext| self.async_job(place, ext));
        let pagination = obj.get("x-clientgen-pagination").and_then(|ext| self.pagination(place, ext));
        let body_shortcut = obj.get("x-clientgen-body").and_then(|ext| self.body_shortcut(place, ext));
        let stream_end = obj.get("x-clientgen-stream").and_then(|ext| self.stream_end(place, ext));
        self.spec.operations.push(Operation {
            pointer: place.pointer.clone(),
            method,
            path: path.to_string(),
            operation_id: text(obj, "operationId").filter(|s| !s.trim().is_empty()),
            summary: text(obj, "summary"),
            description: text(obj, "description"),
            tags,
            deprecated: obj.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            parameters,
            request_body,
            responses,
            security: obj.get("security").map(security_requirements),
            group_name,
            method_name: text(obj, "x-fern-sdk-method-name").or_else(|| text(obj, "x-method-name")),
            idempotent: obj.get("x-clientgen-idempotent").and_then(Value::as_bool),
            async_job,
            pagination,
            chunked: text(obj, "x-clientgen-chunked"),
            body_shortcut,
            stream_end,
        });
    }

    /// `x-clientgen-stream: {end: "[DONE]"}` (or `end: null`), or a warning saying what it
    /// should look like.
    fn stream_end(&mut self, place: &Place<'a>, ext: &Value) -> Option<Option<String>> {
        match ext.get("end") {
            Some(Value::String(end)) => Some(Some(end.clone())),
            Some(Value::Null) => Some(None),
            _ => {
                self.warn(
                    place.doc,
                    &format!("{}/x-clientgen-stream", place.pointer),
                    "stream",
                    "`x-clientgen-stream` takes `end`: the event data that ends the stream (\"[DONE]\"), or null \
                     for none; ignored"
                        .into(),
                );
                None
            }
        }
    }

    /// `x-clientgen-body`, or a warning saying what it should look like.
    fn body_shortcut(&mut self, place: &Place<'a>, ext: &Value) -> Option<BodyShortcut> {
        let members = ext.get("members").map(|m| m.as_str().map(str::to_string));
        let fill: Option<Vec<(String, String)>> = match ext.get("fill") {
            None => Some(Vec::new()),
            Some(Value::Object(map)) => {
                map.iter().map(|(pointer, param)| Some((pointer.clone(), param.as_str()?.to_string()))).collect()
            }
            Some(_) => None,
        };
        match (members, fill) {
            (Some(None), _) | (_, None) => {
                self.warn(
                    place.doc,
                    &format!("{}/x-clientgen-body", place.pointer),
                    "body-shortcut",
                    "`x-clientgen-body` takes `members` (a JSON pointer into the body) and `fill` (body pointers to \
                     parameter names); ignored"
                        .into(),
                );
                None
            }
            (members, Some(fill)) => Some(BodyShortcut { members: members.flatten(), fill }),
        }
    }

    /// `x-clientgen-async-job`, or a warning saying what is missing.
    fn async_job(&mut self, place: &Place<'a>, ext: &Value) -> Option<AsyncJob> {
        let pointer = format!("{}/x-clientgen-async-job", place.pointer);
        let status = |key: &str, default: u16| match ext.get(key) {
            None => Some(default),
            Some(v) => v.as_u64().and_then(|n| u16::try_from(n).ok()).or_else(|| v.as_str()?.parse().ok()),
        };
        let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        let pending = match ext.get("pending") {
            None => Some(vec![404]),
            Some(Value::Array(list)) => list.iter().map(|v| v.as_u64().and_then(|n| u16::try_from(n).ok())).collect(),
            Some(_) => None,
        };
        let job = (|| {
            Some(AsyncJob {
                accepted: status("accepted", 202)?,
                done: status("done", 200)?,
                job_id: text("job-id")?,
                poll: text("poll")?,
                pending: pending?,
                status: text("status"),
                result: text("result").unwrap_or_default(),
            })
        })();
        if job.is_none() {
            self.warn(
                place.doc,
                &pointer,
                "async-job",
                "`x-clientgen-async-job` needs `job-id` (a JSON pointer) and `poll` (an operationId); \
                 `accepted`, `done` and `pending` are status codes; ignored"
                    .into(),
            );
        }
        job
    }

    /// `x-clientgen-pagination`, or a warning saying what is missing.
    fn pagination(&mut self, place: &Place<'a>, ext: &Value) -> Option<Pagination> {
        let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        let paging = Pagination {
            items: text("items").unwrap_or_default(),
            offset: text("offset"),
            limit: text("limit"),
            cursor: text("cursor"),
            next: text("next"),
            link: ext.get("link").and_then(Value::as_bool).unwrap_or(false),
        };
        let offset = paging.offset.is_some();
        let cursor = paging.cursor.is_some() && paging.next.is_some();
        let styles = [offset, cursor, paging.link].iter().filter(|s| **s).count();
        if ext.get("items").and_then(Value::as_str).is_none() || styles != 1 {
            self.warn(
                place.doc,
                &format!("{}/x-clientgen-pagination", place.pointer),
                "pagination",
                "`x-clientgen-pagination` needs `items` (a JSON pointer) and one of: `offset` (with an optional \
                 `limit`), both `cursor` and `next`, or `link: true`; ignored"
                    .into(),
            );
            return None;
        }
        Some(paging)
    }

    /// Tags should be strings; nested lists (`tags: [[name]]`) are flattened with a warning.
    fn tags(&mut self, place: &Place<'a>, value: Option<&Value>) -> Vec<String> {
        let mut out = Vec::new();
        let mut malformed = false;
        fn collect(value: &Value, out: &mut Vec<String>, malformed: &mut bool) {
            match value {
                Value::String(s) => out.push(s.clone()),
                Value::Array(items) => {
                    *malformed = true;
                    items.iter().for_each(|v| collect(v, out, malformed));
                }
                _ => *malformed = true,
            }
        }
        match value {
            Some(Value::Array(items)) => items.iter().for_each(|v| collect(v, &mut out, &mut malformed)),
            Some(other) => collect(other, &mut out, &mut malformed),
            None => {}
        }
        if malformed {
            self.warn(
                place.doc,
                &format!("{}/tags", place.pointer),
                "tags",
                "`tags` must be a list of strings; nested lists were flattened".into(),
            );
        }
        out
    }

    fn parameters(&mut self, place: &Place<'a>) -> Vec<Parameter> {
        let mut out = Vec::new();
        let Some(list) = self.child(place, "parameters") else { return out };
        let count = list.value.as_array().map_or(0, Vec::len);
        for i in 0..count {
            let Some(param) = self.child(&list, &i.to_string()).and_then(|p| self.deref(p)) else { continue };
            let Some(obj) = param.value.as_object() else { continue };
            let location = match obj.get("in").and_then(Value::as_str) {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                other => {
                    self.warn(
                        param.doc,
                        &param.pointer,
                        "parameter",
                        format!("parameter location {other:?} is not one of path, query, header, cookie; ignored"),
                    );
                    continue;
                }
            };
            let Some(name) = text(obj, "name") else {
                self.warn(param.doc, &param.pointer, "parameter", "parameter without a `name`; ignored".into());
                continue;
            };
            // `content` instead of `schema`: the value is that media type's text, so the
            // schema is its (first) entry's.
            let (schema, media_type) = match self.child(&param, "schema") {
                Some(s) => (Some(self.schema(&s)), None),
                None => {
                    let content = self.content(&param).into_iter().next();
                    (content.as_ref().and_then(|m| m.schema), content.map(|m| m.media_type))
                }
            };
            out.push(Parameter {
                pointer: param.pointer.clone(),
                required: location == ParamLocation::Path
                    || obj.get("required").and_then(Value::as_bool).unwrap_or(false),
                description: text(obj, "description"),
                deprecated: obj.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
                style: text(obj, "style"),
                explode: obj.get("explode").and_then(Value::as_bool),
                name,
                location,
                schema,
                media_type,
            });
        }
        out
    }

    fn response_headers(&mut self, place: &Place<'a>) -> Vec<Header> {
        let mut out = Vec::new();
        let Some(headers) = self.child(place, "headers") else { return out };
        let Some(map) = headers.value.as_object() else { return out };
        for name in map.keys() {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let Some(header) = self.child(&headers, name).and_then(|p| self.deref(p)) else { continue };
            // The schema is the header's own, or that of its single `content` entry.
            let schema = match self.child(&header, "schema") {
                Some(s) => Some(self.schema(&s)),
                None => self.content(&header).into_iter().find_map(|m| m.schema),
            };
            out.push(Header {
                name: name.clone(),
                description: header.value.get("description").and_then(Value::as_str).map(str::to_string),
                schema,
            });
        }
        out
    }

    fn content(&mut self, place: &Place<'a>) -> Vec<MediaType> {
        let mut out = Vec::new();
        let Some(content) = self.child(place, "content") else { return out };
        let Some(map) = content.value.as_object() else { return out };
        for media_type in map.keys() {
            let Some(entry) = self.child(&content, media_type) else { continue };
            let schema = self.child(&entry, "schema").map(|s| self.schema(&s));
            let item_schema = self.child(&entry, "itemSchema").map(|s| self.schema(&s));
            out.push(MediaType { media_type: media_type.clone(), schema, item_schema });
        }
        out
    }

    /// Reads the schema at `place`, once per location: a second visit (through a `$ref` cycle
    /// or a shared component) returns the same id.
    fn schema(&mut self, place: &Place<'a>) -> SchemaId {
        let key: *const Value = place.value;
        if let Some(id) = self.memo.get(&key) {
            return *id;
        }
        // A `$ref` alone is its target; with siblings it is a schema of its own that refers.
        if let Some(reference) = place.value.get("$ref").and_then(Value::as_str) {
            let alone = place.value.as_object().is_some_and(|m| {
                m.keys().all(|k| {
                    matches!(k.as_str(), "$ref" | "description" | "summary" | "title" | "example" | "examples")
                        || k.starts_with("x-")
                })
            });
            if alone {
                let reference = reference.to_string();
                let id = match self.resolve(place, &reference) {
                    Some(target) => {
                        // Reserve before recursing so a self-referencing `$ref` terminates.
                        self.memo.insert(key, SchemaId(usize::MAX));
                        let id = self.schema(&target);
                        self.name_ref_target(id, &target.pointer);
                        if id.0 == usize::MAX {
                            // The ref points at itself: nothing to describe.
                            self.warn(place.doc, &place.pointer, "ref-loop", "`$ref` refers to itself".into());
                            self.new_schema(place)
                        } else {
                            id
                        }
                    }
                    None => self.new_schema(place),
                };
                self.memo.insert(key, id);
                return id;
            }
        }
        let id = self.new_schema(place);
        self.memo.insert(key, id);
        let schema = self.fill_schema(place);
        // A `$ref` cycle may have named this schema while it was being read.
        let ref_name = self.spec.schemas[id.0].ref_name.take();
        *self.spec.schemas[id.0] = Schema { pointer: place.pointer.clone(), ref_name, ..schema };
        id
    }

    /// Marks a `$ref` target with a name from its location (its last pointer token).
    fn name_ref_target(&mut self, id: SchemaId, pointer: &str) {
        if let Some(schema) = self.spec.schemas.get_mut(id.0) {
            if schema.ref_name.is_none() {
                let last = pointer.rsplit('/').next().unwrap_or("");
                schema.ref_name = Some(crate::diag::unescape_token(last));
            }
        }
    }

    fn new_schema(&mut self, place: &Place<'a>) -> SchemaId {
        self.spec.schemas.push(Box::new(Schema { pointer: place.pointer.clone(), ..Schema::default() }));
        SchemaId(self.spec.schemas.len() - 1)
    }

    fn fill_schema(&mut self, place: &Place<'a>) -> Schema {
        let mut s = Schema::default();
        let obj = match place.value {
            Value::Object(obj) => obj,
            Value::Bool(false) => return Schema { never: true, ..s },
            Value::Bool(true) | Value::Null => return s,
            _ => {
                self.warn(
                    place.doc,
                    &place.pointer,
                    "schema",
                    "a schema must be an object or a boolean; treated as any value".into(),
                );
                return s;
            }
        };
        let doc = place.doc;
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            if self.spec.dialect == Some(Dialect::V30) {
                self.warn(
                    doc,
                    &place.pointer,
                    "ref-siblings",
                    "in OpenAPI 3.0 keywords beside `$ref` are ignored; clientgen applies them, as 3.1 does".into(),
                );
            }
            let reference = reference.to_string();
            s.reference = self.resolve(place, &reference).map(|t| {
                let id = self.schema(&t);
                self.name_ref_target(id, &t.pointer);
                id
            });
        }
        s.title = text(obj, "title");
        s.description = text(obj, "description");
        s.format = text(obj, "format");
        s.nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        if s.nullable && self.spec.dialect == Some(Dialect::V31) {
            self.warn(
                doc,
                &place.pointer,
                "nullable-3.1",
                "`nullable` is not part of OpenAPI 3.1 (use `type: [T, 'null']`); honoured anyway".into(),
            );
        }
        match obj.get("type") {
            Some(Value::String(t)) => s.types = Types(self.type_bit(doc, place, t)),
            Some(Value::Array(list)) => {
                for t in list {
                    if let Some(t) = t.as_str() {
                        s.types.0 |= self.type_bit(doc, place, t);
                    }
                }
            }
            Some(_) => {
                self.warn(doc, &place.pointer, "type", "`type` must be a string or a list of strings; ignored".into())
            }
            None => {}
        }
        s.enum_values = obj.get("enum").and_then(Value::as_array).cloned();
        s.enum_names = strings(obj, &["x-enum-varnames", "x-enumNames", "x-enum-names"]);
        s.enum_descriptions = strings(obj, &["x-enum-descriptions", "x-enumDescriptions"]);
        s.const_value = obj.get("const").cloned();
        s.default = obj.get("default").cloned();
        s.read_only = obj.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        s.write_only = obj.get("writeOnly").and_then(Value::as_bool).unwrap_or(false);
        s.deprecated = obj.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
        s.max_items = obj.get("maxItems").and_then(Value::as_u64);
        s.min_items = obj.get("minItems").and_then(Value::as_u64);
        s.required = match obj.get("required") {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => Vec::new(),
        };
        s.properties = self.schema_map(place, "properties");
        s.pattern_properties = self.schema_map(place, "patternProperties");
        s.additional = match obj.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Object(m)) if m.is_empty() => Additional::Any,
            Some(_) => {
                let p = self.child(place, "additionalProperties").expect("present");
                Additional::Schema(self.schema(&p))
            }
        };
        match obj.get("items") {
            Some(Value::Array(_)) => {
                // Tuple form, invalid in 3.x: the elements are "any of" the listed schemas.
                let list = self.schema_list(place, "items");
                self.warn(
                    doc,
                    &format!("{}/items", place.pointer),
                    "items-list",
                    "`items` must be a schema, not a list; read as `items: {anyOf: [...]}`".into(),
                );
                let id = self.new_schema(place);
                *self.spec.schemas[id.0] =
                    Schema { pointer: format!("{}/items", place.pointer), any_of: list, ..Schema::default() };
                s.items = Some(id);
            }
            Some(_) => s.items = self.child(place, "items").map(|p| self.schema(&p)),
            None => {}
        }
        if obj.contains_key("contentSchema") {
            s.content_schema = self.child(place, "contentSchema").map(|p| self.schema(&p));
        }
        s.prefix_items = self.schema_list(place, "prefixItems");
        s.one_of = self.schema_list(place, "oneOf");
        s.any_of = self.schema_list(place, "anyOf");
        s.all_of = self.schema_list(place, "allOf");
        s.not = self.child(place, "not").map(|p| self.schema(&p));
        if let Some(d) = obj.get("discriminator").and_then(Value::as_object) {
            if let Some(property) = text(d, "propertyName") {
                let mut mapping = Vec::new();
                if let Some(Value::Object(map)) = d.get("mapping") {
                    for (value, target) in map {
                        let Some(target) = target.as_str() else { continue };
                        // A mapping target is a `$ref` or a bare component name.
                        let reference = if target.contains('#')
                            || target.contains('/')
                            || target.contains('.') && target.ends_with("json")
                        {
                            target.to_string()
                        } else {
                            format!("#/components/schemas/{target}")
                        };
                        if let Some(t) = self.resolve(place, &reference) {
                            mapping.push((value.clone(), self.schema(&t)));
                        }
                    }
                }
                s.discriminator = Some(Discriminator { property, mapping });
            }
        }
        s
    }

    fn type_bit(&mut self, doc: usize, place: &Place<'a>, name: &str) -> u8 {
        Types::from_name(name).unwrap_or_else(|| {
            self.warn(doc, &place.pointer, "type", format!("unknown type `{name}`; ignored"));
            0
        })
    }

    fn schema_map(&mut self, place: &Place<'a>, key: &str) -> Vec<(String, SchemaId)> {
        let Some(map_place) = self.child(place, key) else { return Vec::new() };
        match map_place.value {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                keys.into_iter()
                    .filter_map(|k| {
                        let p = self.child(&map_place, &k)?;
                        Some((k, self.schema(&p)))
                    })
                    .collect()
            }
            Value::Null => {
                self.warn(place.doc, &map_place.pointer, "schema", format!("`{key}` is null; read as empty"));
                Vec::new()
            }
            _ => {
                self.warn(place.doc, &map_place.pointer, "schema", format!("`{key}` must be an object; ignored"));
                Vec::new()
            }
        }
    }

    fn schema_list(&mut self, place: &Place<'a>, key: &str) -> Vec<SchemaId> {
        let Some(list) = self.child(place, key) else { return Vec::new() };
        let count = list.value.as_array().map_or(0, Vec::len);
        let places: Vec<Place<'a>> = (0..count).filter_map(|i| self.child(&list, &i.to_string())).collect();
        places.iter().map(|p| self.schema(p)).collect()
    }
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string)
}

fn status_key(key: &str) -> Option<StatusKey> {
    if key.eq_ignore_ascii_case("default") {
        return Some(StatusKey::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) && key[1..].eq_ignore_ascii_case("xx") {
        return Some(StatusKey::Range(u16::from(bytes[0] - b'0')));
    }
    key.parse::<u16>().ok().filter(|c| (100..600).contains(c)).map(StatusKey::Code)
}

fn servers(value: Option<&Value>) -> Vec<Server> {
    let Some(Value::Array(list)) = value else { return Vec::new() };
    list.iter()
        .filter_map(|s| {
            let obj = s.as_object()?;
            let variables = obj
                .get("variables")
                .and_then(Value::as_object)
                .map(|vars| {
                    vars.iter()
                        .map(|(name, v)| {
                            let default = match v.get("default") {
                                Some(Value::String(s)) => s.clone(),
                                Some(other) if !other.is_null() => other.to_string(),
                                _ => String::new(),
                            };
                            (name.clone(), default)
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(Server { url: text(obj, "url")?, description: text(obj, "description"), variables })
        })
        .collect()
}

fn security_requirements(value: &Value) -> Vec<Vec<String>> {
    value
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_object).map(|alt| alt.keys().cloned().collect()).collect())
        .unwrap_or_default()
}

/// The first of `keys` holding a list of strings (extensions that several tools spell differently).
fn strings(obj: &Map<String, Value>, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .find_map(|key| obj.get(*key).and_then(Value::as_array))
        .map(|list| list.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(status_key("200"), Some(StatusKey::Code(200)));
        assert_eq!(status_key("2XX"), Some(StatusKey::Range(2)));
        assert_eq!(status_key("4xx"), Some(StatusKey::Range(4)));
        assert_eq!(status_key("default"), Some(StatusKey::Default));
        assert_eq!(status_key("x-foo"), None);
        assert_eq!(status_key("999"), None);
    }
}
