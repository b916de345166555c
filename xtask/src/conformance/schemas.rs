//! The document's own schemas, read raw (examples, formats and bounds included): values made
//! from them for the calls the harness sends, and whether a member of an answer is one the
//! document declares.

use serde_json::{json, Map, Value};

/// A document and its local `$ref`s.
pub struct Document<'a> {
    pub root: &'a Value,
    /// Schema steps left for one question ([`Document::violation`], [`Document::declares`]):
    /// nested alternatives of recursive schemas (Cognite's filters) would otherwise take
    /// exponential time.
    budget: std::cell::Cell<usize>,
}

/// Schema steps one question may take before it is answered "cannot tell".
const BUDGET: usize = 200_000;

impl<'a> Document<'a> {
    pub fn new(root: &'a Value) -> Self {
        Document { root, budget: std::cell::Cell::new(BUDGET) }
    }

    /// Takes a step of the budget; false when it is spent.
    fn step(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }
}

/// Nesting beyond which made-up values stop (recursive schemas).
const DEEPEST: usize = 8;

impl<'a> Document<'a> {
    /// The schema a `$ref` chain ends at; `{}` for a reference outside the document.
    pub fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else { return schema };
            let found = target.strip_prefix('#').and_then(|pointer| self.root.pointer(pointer));
            match found {
                Some(next) => schema = next,
                None => return &Value::Null,
            }
        }
        schema
    }

    /// The operation object at `paths[path][method]`.
    pub fn operation(&self, path: &str, method: &str) -> Option<&'a Value> {
        self.root.get("paths")?.get(path)?.get(method)
    }

    /// The parameter objects of an operation, path-level ones first, resolved.
    pub fn parameters(&self, path: &str, method: &str) -> Vec<&'a Value> {
        let item = self.root.get("paths").and_then(|p| p.get(path));
        let lists =
            [item.and_then(|i| i.get("parameters")), self.operation(path, method).and_then(|o| o.get("parameters"))];
        let mut out: Vec<&'a Value> = Vec::new();
        for list in lists.into_iter().flatten().filter_map(Value::as_array) {
            for p in list {
                let p = self.resolve(p);
                let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
                out.retain(|q| key(q) != key(p));
                out.push(p);
            }
        }
        out
    }

    /// The schema of a parameter (its own, or its `content` entry's).
    pub fn parameter_schema(&self, parameter: &'a Value) -> Option<&'a Value> {
        parameter.get("schema").or_else(|| parameter.get("content")?.as_object()?.values().next()?.get("schema"))
    }

    /// The request body's schema for `media_type`.
    pub fn body_schema(&self, path: &str, method: &str, media_type: &str) -> Option<&'a Value> {
        let body = self.resolve(self.operation(path, method)?.get("requestBody")?);
        body.get("content")?.get(media_type)?.get("schema")
    }

    /// The schema of the answer with `status`, for the media type the server sent.
    pub fn response_schema(&self, path: &str, method: &str, status: u16, media_type: &str) -> Option<&'a Value> {
        let responses = self.operation(path, method)?.get("responses")?.as_object()?;
        let range = format!("{}XX", status / 100);
        let response = [status.to_string(), range.clone(), range.to_lowercase(), "default".to_string()]
            .iter()
            .find_map(|key| responses.get(key))?;
        let content = self.resolve(response).get("content")?.as_object()?;
        let entry = content.get(media_type).or_else(|| content.values().next())?;
        entry.get("schema")
    }

    /// A value the schema accepts, as a careful caller would write it: its constant, first enum
    /// value, example or default when it gives one, else one made from its type, format and
    /// bounds. Request values leave `readOnly` members out.
    pub fn value(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > DEEPEST {
            return Value::Null;
        }
        if let Some(v) = schema.get("const") {
            return v.clone();
        }
        if let Some(v) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.iter().find(|v| !v.is_null())) {
            return v.clone();
        }
        if let Some(v) = schema.get("example").or_else(|| schema.get("examples").and_then(|e| e.get(0))) {
            return v.clone();
        }
        if let Some(v) = schema.get("default") {
            return v.clone();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for part in parts {
                match self.value(part, depth + 1) {
                    Value::Object(members) => merged.extend(members),
                    value => other = other.or(Some(value)),
                }
            }
            if !merged.is_empty() || other.is_none() {
                let own = self.object(schema, depth);
                merged.extend(own.as_object().cloned().unwrap_or_default());
                return Value::Object(merged);
            }
            return other.unwrap_or(Value::Null);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|alternatives| {
                alternatives.iter().find(|a| self.resolve(a).get("type").and_then(Value::as_str) != Some("null"))
            }) {
                let mut value = self.value(first, depth + 1);
                // Members declared beside the alternatives belong to every one of them.
                if let (Value::Object(members), Value::Object(own)) = (&mut value, self.object(schema, depth)) {
                    members.extend(own);
                }
                // The discriminator names the alternative: its mapping's key, or its component.
                if let (Value::Object(members), Some(d)) = (&mut value, schema.get("discriminator")) {
                    let target = first.get("$ref").and_then(Value::as_str).unwrap_or("");
                    let mapped = d
                        .get("mapping")
                        .and_then(Value::as_object)
                        .and_then(|m| m.iter().find(|(_, r)| r.as_str() == Some(target)).map(|(k, _)| k.clone()));
                    let named = target.rsplit('/').next().filter(|n| !n.is_empty()).map(str::to_string);
                    if let (Some(property), Some(tag)) =
                        (d.get("propertyName").and_then(Value::as_str), mapped.or(named))
                    {
                        members.insert(property.to_string(), Value::String(tag));
                    }
                }
                return value;
            }
        }
        let kind = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(types)) => {
                types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null")
            }
            _ if schema.get("properties").is_some() => "object",
            _ if schema.get("items").is_some() => "array",
            _ => "",
        };
        match kind {
            "object" => self.object(schema, depth),
            "array" => {
                let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1).clamp(1, 3);
                let item = schema.get("items").map_or(json!("item"), |items| self.value(items, depth + 1));
                Value::Array(vec![item; count as usize])
            }
            "integer" => json!(number(schema).round() as i64),
            "number" => json!(number(schema)),
            "boolean" => json!(true),
            "string" => json!(text(schema)),
            "null" => Value::Null,
            _ => json!({}),
        }
    }

    /// An object with the schema's required members, and those optional ones a careful caller
    /// can fill (they say their value).
    fn object(&self, schema: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let property_schema = self.resolve(property);
                if property_schema.get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                let says_its_value = ["const", "enum", "example", "examples", "default"]
                    .iter()
                    .any(|k| property_schema.get(k).is_some());
                if required.contains(&name.as_str()) || (says_its_value && depth < 3) {
                    out.insert(name.clone(), self.value(property, depth + 1));
                }
            }
            // Nothing required, nothing given: one member, so the object says something (an
            // empty object is no path segment, and often no valid choice among alternatives).
            if out.is_empty() && depth < 3 {
                if let Some((name, property)) =
                    properties.iter().find(|(_, p)| self.resolve(p).get("readOnly") != Some(&Value::Bool(true)))
                {
                    out.insert(name.clone(), self.value(property, depth + 1));
                }
            }
        }
        Value::Object(out)
    }

    /// Whether the member at `pointer` (RFC 6901, into a value of `schema`) is one the document
    /// declares: every step a property some branch of the schema names, an array item, or a
    /// member of a map the schema describes.
    pub fn declares(&self, schema: &Value, pointer: &str) -> bool {
        self.budget.set(BUDGET);
        self.declares_steps(schema, &steps(pointer), 0)
    }

    fn declares_steps(&self, schema: &Value, steps: &[String], depth: usize) -> bool {
        let Some((step, rest)) = steps.split_first() else { return true };
        if depth > 64 || !self.step() {
            return false;
        }
        let schema = self.resolve(schema);
        let branches =
            ["allOf", "oneOf", "anyOf"].iter().filter_map(|k| schema.get(*k).and_then(Value::as_array)).flatten();
        for branch in branches {
            if self.declares_steps(branch, steps, depth + 1) {
                return true;
            }
        }
        if let Some(property) = schema.get("properties").and_then(|p| p.get(step.as_str())) {
            // A write-only member is not part of an answer: the client leaves it out by design.
            if self.resolve(property).get("writeOnly") == Some(&Value::Bool(true)) {
                return false;
            }
            return self.declares_steps(property, rest, depth + 1);
        }
        if step.parse::<usize>().is_ok() {
            if let Some(items) = schema.get("items") {
                return self.declares_steps(items, rest, depth + 1);
            }
            if let Some(prefix) = schema.get("prefixItems").and_then(|p| p.get(step.parse::<usize>().unwrap_or(0))) {
                return self.declares_steps(prefix, rest, depth + 1);
            }
        }
        match schema.get("additionalProperties") {
            Some(extra @ Value::Object(_)) => self.declares_steps(extra, rest, depth + 1),
            Some(Value::Bool(true)) => true,
            _ => false,
        }
    }
}

impl<'a> Document<'a> {
    /// The schemas the document gives the member at `pointer` (into a value of `schema`), one
    /// per branch that declares it.
    pub fn member_schemas(&self, schema: &'a Value, pointer: &str) -> Vec<&'a Value> {
        self.budget.set(BUDGET);
        let mut found = Vec::new();
        self.member_steps(schema, &steps(pointer), 0, &mut found);
        found
    }

    fn member_steps(&self, schema: &'a Value, steps: &[String], depth: usize, found: &mut Vec<&'a Value>) {
        let schema = self.resolve(schema);
        let Some((step, rest)) = steps.split_first() else {
            found.push(schema);
            return;
        };
        if depth > 64 || !self.step() {
            return;
        }
        let branches =
            ["allOf", "oneOf", "anyOf"].iter().filter_map(|k| schema.get(*k).and_then(Value::as_array)).flatten();
        for branch in branches {
            self.member_steps(branch, steps, depth + 1, found);
        }
        if let Some(property) = schema.get("properties").and_then(|p| p.get(step.as_str())) {
            self.member_steps(property, rest, depth + 1, found);
        } else if let (Ok(_), Some(items)) = (step.parse::<usize>(), schema.get("items")) {
            self.member_steps(items, rest, depth + 1, found);
        } else if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
            self.member_steps(extra, rest, depth + 1, found);
        }
    }
}

/// The reference tokens of an RFC 6901 pointer, unescaped.
fn steps(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
}

/// Marks a reason as an integer out of its format's range: a typed client reads `uint64` as
/// `u64`, so `-5` is unreadable there although JSON Schema treats formats as annotations (and
/// Prism's answer generator ignores the integer formats it does not know).
pub const OUTSIDE_FORMAT: &str = "outside the range of its format";

/// Why an integer does not fit the sized integer its `format` names, if it does not.
fn outside_integer_format(schema: &Value, value: &Value, at: &str) -> Option<String> {
    let format = schema.get("format").and_then(Value::as_str)?;
    let (min, max): (i128, i128) = match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "uint64" => (0, u64::MAX.into()),
        _ => return None,
    };
    let n: i128 = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from))?;
    (n < min || n > max).then(|| format!("{at}: {value} is {OUTSIDE_FORMAT} `{format}`"))
}

impl Document<'_> {
    /// Why `value` is not valid under `schema`, as a pointer and a reason; `None` when it is.
    /// Checks what decides whether a typed client can read a value — types, required and
    /// forbidden members, enums and constants, alternatives — not formats or bounds.
    pub fn violation(&self, schema: &Value, value: &Value, at: &str, depth: usize) -> Option<String> {
        if depth == 0 {
            self.budget.set(BUDGET);
        }
        let schema = self.resolve(schema);
        if depth > 64 || !schema.is_object() || !self.step() {
            return None;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            if let Some(why) = parts.iter().find_map(|p| self.violation(p, value, at, depth + 1)) {
                return Some(why);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
                // Alternatives that fail at once (a missing required member, another type) are
                // told apart before any is checked in depth.
                let reasons: Vec<String> = alternatives
                    .iter()
                    .filter_map(|a| self.shallow(a, value, at).or_else(|| self.violation(a, value, at, depth + 1)))
                    .collect();
                if reasons.len() == alternatives.len() && !alternatives.is_empty() {
                    return Some(format!("{at}: fits none of the `{key}` alternatives ({})", reasons.join("; ")));
                }
            }
        }
        if value.is_null() && self.allows_null(schema) {
            return None;
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                return Some(format!("{at}: {value} is not one of the listed values"));
            }
        }
        if let Some(constant) = schema.get("const") {
            if constant != value {
                return Some(format!("{at}: {value} is not the constant {constant}"));
            }
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let is = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        };
        if !types.is_empty() && !types.iter().any(|t| is(t)) {
            return Some(format!("{at}: {value} is not of type {}", types.join(" or ")));
        }
        if let Some(why) = outside_integer_format(schema, value, at) {
            return Some(why);
        }
        if let Value::Object(members) = value {
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                let property = schema.get("properties").and_then(|p| p.get(name)).map(|p| self.resolve(p));
                let write_only = property.is_some_and(|p| p.get("writeOnly") == Some(&Value::Bool(true)));
                if !members.contains_key(name) && !write_only {
                    return Some(format!("{at}: the required member `{name}` is missing"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, member) in members {
                let pointer = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                match (properties.and_then(|p| p.get(name)), schema.get("additionalProperties")) {
                    (Some(property), _) => {
                        if let Some(why) = self.violation(property, member, &pointer, depth + 1) {
                            return Some(why);
                        }
                    }
                    (None, Some(Value::Bool(false))) => return Some(format!("{pointer}: a member the schema forbids")),
                    (None, Some(extra @ Value::Object(_))) => {
                        if let Some(why) = self.violation(extra, member, &pointer, depth + 1) {
                            return Some(why);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
            for (i, v) in items.iter().enumerate() {
                if let Some(why) = self.violation(item, v, &format!("{at}/{i}"), depth + 1) {
                    return Some(why);
                }
            }
        }
        None
    }

    /// What `value` breaks of `schema` at its own level: its type, or a required member.
    fn shallow(&self, schema: &Value, value: &Value, at: &str) -> Option<String> {
        let schema = self.resolve(schema);
        if value.is_null() && self.allows_null(schema) {
            return None;
        }
        let kind = schema.get("type").and_then(Value::as_str);
        let fits = match kind {
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            _ => true,
        };
        if !fits {
            return Some(format!("{at}: {value} is not of type {}", kind.unwrap_or("")));
        }
        let members = value.as_object()?;
        let missing = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find(|name| !members.contains_key(*name))?;
        let write_only = schema
            .get("properties")
            .and_then(|p| p.get(missing))
            .is_some_and(|p| self.resolve(p).get("writeOnly") == Some(&Value::Bool(true)));
        (!write_only).then(|| format!("{at}: the required member `{missing}` is missing"))
    }

    fn allows_null(&self, schema: &Value) -> bool {
        schema.get("nullable") == Some(&Value::Bool(true))
            || schema.get("type") == Some(&Value::from("null"))
            || schema.get("type").and_then(Value::as_array).is_some_and(|t| t.contains(&Value::from("null")))
            || schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(&Value::Null))
    }
}

fn number(schema: &Value) -> f64 {
    let low = schema.get("minimum").or_else(|| schema.get("exclusiveMinimum")).and_then(Value::as_f64);
    let high = schema.get("maximum").or_else(|| schema.get("exclusiveMaximum")).and_then(Value::as_f64);
    match (low, high) {
        (Some(low), Some(high)) => (low + high) / 2.0,
        (Some(low), None) => low.max(0.0) + 1.0,
        (None, Some(high)) => high.min(1.0) - if high <= 1.0 { 1.0 } else { 0.0 },
        (None, None) => 1.0,
    }
}

fn text(schema: &Value) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2026-12-02T06:56:18Z",
        "date" => "2026-12-02",
        "time" => "06:56:18",
        "email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/item",
        "hostname" => "example.com",
        "ipv4" => "127.0.0.1",
        "ipv6" => "::1",
        "byte" => "aGVsbG8=",
        "objectid" => "580e63e98c9a982ac9b8b741",
        _ => "text",
    };
    let mut out = base.to_string();
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    while out.chars().count() < min {
        out.push('x');
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        out = out.chars().take(max.max(1) as usize).collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_schema_and_declared_members_are_found() {
        let root = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name", "born"], "properties": {
                "id": {"type": "integer", "readOnly": true},
                "name": {"type": "string", "minLength": 6},
                "born": {"type": "string", "format": "date"},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "toys": {"type": "array", "items": {"oneOf": [
                    {"type": "object", "properties": {"ball": {"type": "string"}}},
                    {"type": "object", "properties": {"bone": {"type": "string"}}}
                ]}}
            }}
        }}});
        let doc = Document::new(&root);
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(doc.value(&pet, 0), json!({"name": "textxx", "born": "2026-12-02", "kind": "cat"}));
        assert!(doc.declares(&pet, "/name"));
        assert!(doc.declares(&pet, "/tags/anything"));
        assert!(doc.declares(&pet, "/toys/3/bone"));
        assert!(!doc.declares(&pet, "/toys/3/stick"));
        assert!(!doc.declares(&pet, "/owner"));
        assert_eq!(doc.violation(&pet, &json!({"name": "x", "born": "d"}), "", 0), None);
        let missing = doc.violation(&pet, &json!({"name": "x"}), "", 0).expect("invalid");
        assert!(missing.contains("`born` is missing"), "{missing}");
        let wrong = doc.violation(&pet, &json!({"name": "x", "born": "d", "kind": "cow"}), "", 0).expect("invalid");
        assert!(wrong.starts_with("/kind:"), "{wrong}");
    }

    #[test]
    fn integers_outside_their_format_cannot_be_read_by_a_typed_client() {
        let root = json!({});
        let doc = Document::new(&root);
        let ids = json!({"type": "array", "items": {"type": "integer", "format": "uint64"}});
        assert_eq!(doc.violation(&ids, &json!([1, 18446744073709551615_u64]), "", 0), None);
        let negative = doc.violation(&ids, &json!([1, -5]), "", 0).expect("invalid");
        assert!(negative.starts_with("/1:") && negative.contains(OUTSIDE_FORMAT), "{negative}");
        let small = json!({"type": "integer", "format": "int32"});
        assert!(doc.violation(&small, &json!(3_000_000_000_u64), "", 0).is_some());
        assert_eq!(doc.violation(&json!({"type": "integer", "format": "rank"}), &json!(-1), "", 0), None);
    }

    #[test]
    fn a_members_schemas_are_found_through_every_branch() {
        let root = json!({"components": {"schemas": {
            "Id": {"type": "array", "items": {"type": "integer", "format": "uint64"}},
            "Scope": {"type": "object", "oneOf": [
                {"properties": {"all": {"type": "object"}}},
                {"properties": {"pipeline": {"properties": {"ids": {"$ref": "#/components/schemas/Id"}}}}}
            ]}
        }}});
        let doc = Document::new(&root);
        let scope = json!({"$ref": "#/components/schemas/Scope"});
        let found = doc.member_schemas(&scope, "/pipeline/ids/2");
        assert_eq!(found, [&json!({"type": "integer", "format": "uint64"})]);
        assert!(doc.member_schemas(&scope, "/other").is_empty());
    }
}
