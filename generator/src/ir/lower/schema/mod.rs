//! Schemas → [`Ty`]s and named [`TypeDef`]s.
//!
//! Components get a type each, reserved before anything is lowered so that `$ref` cycles are
//! just ids. Inline schemas are *interned by structure*: two inline schemas with the same shape
//! (same fields, types, requiredness; docs aside) become one type, which is how Webflow's asset
//! schema, repeated inline in every operation, ends up as one `Asset`. Names are not chosen here:
//! each inline type collects [`Candidate`] names from the places it appears, and
//! [`super::names`] picks among them once every type is known.

mod merge;
mod union;
pub use union::order_alternatives;

use std::collections::HashMap;

use serde_json::Value;

use crate::ir::naming::{singular, snake_name, type_name, Scope};
use crate::ir::*;
use crate::load::model::{Additional, Schema, SchemaId, Spec, Types};

/// How deeply schemas may nest while lowering; real documents stay far below it.
const MAX_DEPTH: usize = 100;

/// A place a type was named from: `scope`'s final name followed by `suffix`, or `bare` alone.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub scope: Option<NameScope>,
    pub suffix: String,
    /// A name that stands on its own (`Asset` for the items of `assets`), preferred when the
    /// same type is reached from several places that agree on it.
    pub bare: Option<String>,
    /// A bare name taken from a property (`pagination`): it must be agreed on by three places, as
    /// common property names say less about a type than array items or resources do.
    pub weak: bool,
    /// Where in `suffix` the place's own words start (after an operation's name that qualifies
    /// a parameter's): what places may agree on. `None` for a name that is all operation.
    pub own_from: Option<usize>,
}

/// A naming scope: the type whose fields are being lowered, known once that type is interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NameScope(pub usize);

/// What the caller knows about the place a schema sits, for naming what it creates.
#[derive(Debug, Clone)]
pub struct Hint {
    pub scope: Option<NameScope>,
    pub suffix: String,
    pub bare: Option<String>,
    pub weak: bool,
    /// See [`Candidate::own_from`].
    pub own_from: Option<usize>,
}

impl Hint {
    pub fn root(name: &str, bare: Option<String>) -> Hint {
        Hint { scope: None, suffix: type_name(name), bare, weak: false, own_from: None }
    }

    /// A parameter's (or header's) schema: `own` named, qualified by its operation's name.
    pub fn qualified(operation: &str, own: &str) -> Hint {
        let qualifier = type_name(operation);
        let suffix = type_name(&format!("{operation} {own}"));
        let own_from = suffix.starts_with(&qualifier).then_some(qualifier.len());
        Hint { scope: None, suffix, bare: None, weak: false, own_from }
    }

    fn child(scope: NameScope, suffix: &str) -> Hint {
        Hint { scope: Some(scope), suffix: suffix.to_string(), bare: None, weak: false, own_from: Some(0) }
    }
}

/// A lowered schema: its type, and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

pub struct TypeBuilder<'s> {
    pub spec: &'s Spec,
    pub types: Vec<TypeDef>,
    pub candidates: Vec<Vec<Candidate>>,
    /// Which types are components, whose names are fixed.
    pub fixed: Vec<bool>,
    components: HashMap<SchemaId, TypeId>,
    interned: HashMap<String, TypeId>,
    /// Scope → the type it ended up as.
    pub scopes: Vec<Option<TypeId>>,
    pub warnings: Vec<(String, &'static str, String)>,
    /// Component types whose lowering has started (a `$ref` cycle sees `true`).
    started: Vec<bool>,
    /// How deep `lower` is nested now.
    depth: usize,
    /// The `allOf` schemas being merged now, innermost last.
    merging: Vec<SchemaId>,
    /// Which way the values being lowered travel: `readOnly` members are left out of what is
    /// sent, `writeOnly` ones out of what is received.
    pub direction: Direction,
    /// Schemas with a `readOnly` or `writeOnly` member somewhere inside: their request and
    /// response shapes differ.
    directional: Vec<bool>,
    /// The request-side types of directional components (`PetInput` beside `Pet`).
    inputs: HashMap<SchemaId, TypeId>,
    /// Each component's schema (after plain `$ref`s) → the first component name it has, for
    /// naming union variants without a scan of every component per variant.
    component_names: HashMap<SchemaId, String>,
}

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent: a request body or parameter.
    Request,
    /// Received: an answer, or a component for its own sake.
    Response,
}

impl<'s> TypeBuilder<'s> {
    pub fn new(spec: &'s Spec) -> TypeBuilder<'s> {
        let mut this = TypeBuilder {
            spec,
            types: Vec::new(),
            candidates: Vec::new(),
            fixed: Vec::new(),
            components: HashMap::new(),
            interned: HashMap::new(),
            scopes: Vec::new(),
            warnings: Vec::new(),
            started: Vec::new(),
            depth: 0,
            merging: Vec::new(),
            direction: Direction::Response,
            directional: directional(spec),
            inputs: HashMap::new(),
            component_names: HashMap::new(),
        };
        for (name, id) in &spec.component_schemas {
            let target = this.plain_target(*id);
            this.component_names.entry(target).or_insert_with(|| name.clone());
        }
        for (name, id) in &spec.component_schemas {
            if this.components.contains_key(id) {
                continue; // Two component names for one schema (`B: {$ref: A}`): keep the first.
            }
            let tid = this.push(TypeDef {
                usage: Usage::default(),
                used_by: Vec::new(),
                name: type_name(name),
                docs: None,
                kind: TypeKind::Alias(Ty::Any),
                origin: spec.schemas[id.0].pointer.clone(),
            });
            this.fixed[tid.0] = true;
            this.components.insert(*id, tid);
        }
        this
    }

    fn push(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        self.candidates.push(Vec::new());
        self.fixed.push(false);
        self.started.push(false);
        TypeId(self.types.len() - 1)
    }

    /// The request-side type of a component whose request and response shapes differ, named
    /// after it (`PetInput`), reserved like the component itself.
    fn input_type(&mut self, id: SchemaId, component: TypeId) -> TypeId {
        if let Some(&tid) = self.inputs.get(&id) {
            return tid;
        }
        let tid = self.push(TypeDef {
            usage: Usage::default(),
            used_by: Vec::new(),
            name: format!("{}Input", self.types[component.0].name),
            docs: None,
            kind: TypeKind::Alias(Ty::Any),
            origin: self.schema(id).pointer.clone(),
        });
        self.fixed[tid.0] = true;
        self.inputs.insert(id, tid);
        tid
    }

    fn schema(&self, id: SchemaId) -> &'s Schema {
        &self.spec.schemas[id.0]
    }

    fn warn(&mut self, id: SchemaId, kind: &'static str, message: String) {
        self.warnings.push((self.schema(id).pointer.clone(), kind, message));
    }

    /// Lowers the component behind `tid` if that has not happened yet.
    fn ensure_component(&mut self, sid: SchemaId, tid: TypeId) {
        if self.started[tid.0] {
            return;
        }
        self.started[tid.0] = true;
        let scope = self.new_scope();
        self.scopes[scope.0] = Some(tid);
        let name = self.types[tid.0].name.clone();
        let lowered = self.lower_inline(
            sid,
            &Hint { scope: None, suffix: name, bare: None, weak: false, own_from: None },
            Some(scope),
        );
        if lowered.ty != Ty::Named(tid) {
            // Not a shape of its own (a primitive, an array, another component): an alias.
            self.types[tid.0].kind = TypeKind::Alias(lowered.ty);
        }
        self.types[tid.0].docs = docs(self.schema(sid));
    }

    fn new_scope(&mut self) -> NameScope {
        self.scopes.push(None);
        NameScope(self.scopes.len() - 1)
    }

    /// Lowers the schema `id` as it is used at a place described by `hint`.
    pub fn lower(&mut self, id: SchemaId, hint: &Hint) -> Lowered {
        // Merged `allOf`s re-lower their parts' properties; a document whose merges recurse
        // through themselves would never end. Past this depth the value is left untyped.
        if self.depth >= MAX_DEPTH {
            self.warn(
                id,
                "fallback",
                "schemas nest (or merge into themselves) too deeply; typed as any JSON value".into(),
            );
            return Lowered { ty: Ty::Any, nullable: false };
        }
        self.depth += 1;
        let lowered = self.lower_at_depth(id, hint);
        self.depth -= 1;
        lowered
    }

    fn lower_at_depth(&mut self, id: SchemaId, hint: &Hint) -> Lowered {
        let target = self.schema(id);
        let container = !target.properties.is_empty() || target.items.is_some() || has_own_structure(target);
        if let (false, true, Some(name)) = (self.components.contains_key(&id), container, &target.ref_name) {
            // A `$ref` target outside `components.schemas` that can contain other schemas (and
            // so be part of a cycle): named like a component, reserved before it is lowered.
            let tid = self.push(TypeDef {
                usage: Usage::default(),
                used_by: Vec::new(),
                name: type_name(name),
                docs: None,
                kind: TypeKind::Alias(Ty::Any),
                origin: self.schema(id).pointer.clone(),
            });
            self.fixed[tid.0] = true;
            self.components.insert(id, tid);
        }
        if let Some(&tid) = self.components.get(&id) {
            let tid = match self.direction {
                Direction::Request if self.directional[id.0] => self.input_type(id, tid),
                _ => tid,
            };
            self.ensure_component(id, tid);
            let nullable = self.nullable(id);
            return Lowered { ty: Ty::Named(tid), nullable };
        }
        self.lower_inline(id, hint, None)
    }

    /// Whether the schema admits `null`, looking through `$ref`s.
    fn nullable(&self, id: SchemaId) -> bool {
        let mut id = id;
        for _ in 0..16 {
            let s = self.schema(id);
            if s.nullable
                || s.types.has(Types::NULL)
                || s.enum_values.as_ref().is_some_and(|v| v.contains(&Value::Null))
            {
                return true;
            }
            // `oneOf: [X, {type: null}]`, and `allOf: [X, {type: null}]` as some documents write it.
            if s.one_of.iter().chain(&s.any_of).chain(&s.all_of).any(|m| is_null_schema(self.schema(*m))) {
                return true;
            }
            match s.reference {
                Some(target) if !has_own_structure(s) => id = target,
                _ => return false,
            }
        }
        false
    }

    fn lower_inline(&mut self, id: SchemaId, hint: &Hint, scope: Option<NameScope>) -> Lowered {
        let s = self.schema(id);
        let nullable = self.nullable(id);
        let ty = self.shape(id, s, hint, scope);
        Lowered { ty, nullable }
    }

    fn shape(&mut self, id: SchemaId, s: &'s Schema, hint: &Hint, scope: Option<NameScope>) -> Ty {
        if let Some(target) = s.reference {
            if !has_own_structure(s) {
                return self.lower(target, hint).ty;
            }
            // A `$ref` beside other keywords: both apply.
            return self.merge(id, &[target], Some(s), hint, scope);
        }
        if s.never {
            self.warn(id, "fallback", "`false` schema (no value is valid); typed as any JSON value".into());
            return Ty::Any;
        }
        if let Some(Value::String(_)) = &s.const_value {
            return Ty::String;
        }
        if let Some(values) = &s.enum_values {
            return self.enumeration(id, values, hint, scope);
        }
        if !s.all_of.is_empty() {
            let parts = s.all_of.clone();
            let alternatives = s.one_of.iter().chain(&s.any_of).any(|m| !is_null_schema(self.schema(*m)));
            let own = if s.properties.is_empty() && !alternatives { None } else { Some(s) };
            return self.merge(id, &parts, own, hint, scope);
        }
        let members: Vec<SchemaId> =
            s.one_of.iter().chain(&s.any_of).copied().filter(|m| !is_null_schema(self.schema(*m))).collect();
        if !members.is_empty() && s.properties.is_empty() {
            if members.len() == 1 {
                return self.lower(members[0], hint).ty;
            }
            return self.union(s, &members, hint, scope);
        }
        if !members.is_empty() {
            // Members beside `oneOf`/`anyOf` belong to every alternative: the shared ones and
            // each alternative's own must both survive.
            return self.merge(id, &[], Some(s), hint, scope);
        }
        let types = s.types.non_null();
        if types.count() > 1 {
            return self.type_list_union(s, types, hint, scope);
        }
        let is = |bit| types.has(bit);
        if is(Types::OBJECT)
            || (types.is_empty()
                && (!s.properties.is_empty()
                    || matches!(s.additional, Additional::Schema(_))
                    || !s.pattern_properties.is_empty()))
        {
            return self.object(s, hint, scope);
        }
        if !s.prefix_items.is_empty() && (is(Types::ARRAY) || types.is_empty()) {
            return self.tuple(id, s, hint);
        }
        if is(Types::ARRAY) || (types.is_empty() && s.items.is_some()) {
            // The items of `variants` are a `Variant`; of anything else, an `…Item`.
            let item_hint = match &hint.bare {
                Some(bare) if !hint.weak => {
                    Hint { suffix: singular(&hint.suffix), bare: Some(singular(bare)), weak: false, ..hint.clone() }
                }
                _ => Hint { suffix: format!("{}Item", hint.suffix), bare: None, weak: false, ..hint.clone() },
            };
            let item = match s.items {
                Some(items) => {
                    let lowered = self.lower(items, &item_hint);
                    if lowered.nullable {
                        Ty::Option(Box::new(lowered.ty))
                    } else {
                        lowered.ty
                    }
                }
                None => Ty::Any,
            };
            return Ty::Vec(Box::new(item));
        }
        if is(Types::STRING) {
            return match s.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("binary") => Ty::File,
                _ => Ty::String,
            };
        }
        if is(Types::INTEGER) {
            return match s.format.as_deref() {
                Some("int32") | Some("int16") | Some("int8") => Ty::I32,
                Some("uint64") | Some("uint32") | Some("uint") => Ty::U64,
                _ => Ty::I64,
            };
        }
        if is(Types::NUMBER) {
            return Ty::F64;
        }
        if is(Types::BOOLEAN) {
            return Ty::Bool;
        }
        Ty::Any
    }

    fn intern(&mut self, key: String, def: TypeDef, hint: &Hint, scope: Option<NameScope>) -> TypeId {
        // A component's own shape defines the component (even when an identical shape exists:
        // two components stay two types, as their authors named them).
        if let Some(owner) = scope.and_then(|scope| self.scopes[scope.0]) {
            if self.fixed[owner.0]
                && self.types[owner.0].kind == TypeKind::Alias(Ty::Any)
                && self.candidates[owner.0].is_empty()
            {
                self.types[owner.0].kind = def.kind;
                self.candidates[owner.0].push(Candidate {
                    scope: None,
                    suffix: String::new(),
                    bare: None,
                    weak: false,
                    own_from: None,
                });
                self.interned.entry(key).or_insert(owner);
                return owner;
            }
        }
        let tid = match self.interned.get(&key) {
            Some(&tid) => {
                if self.types[tid.0].docs.is_none() {
                    self.types[tid.0].docs = def.docs;
                }
                tid
            }
            None => {
                let tid = self.push(def);
                self.interned.insert(key, tid);
                tid
            }
        };
        if let Some(scope) = scope {
            if self.scopes[scope.0].is_none() {
                self.scopes[scope.0] = Some(tid);
            }
        }
        if !self.fixed[tid.0] {
            self.candidates[tid.0].push(Candidate {
                scope: hint.scope,
                suffix: hint.suffix.clone(),
                bare: hint.bare.clone(),
                weak: hint.weak,
                own_from: hint.own_from,
            });
        }
        tid
    }

    fn enumeration(&mut self, id: SchemaId, values: &[Value], hint: &Hint, scope: Option<NameScope>) -> Ty {
        let s = self.schema(id);
        // Names and docs from `x-enum-varnames` / `x-enum-descriptions`, by position.
        let listed: Vec<(&Value, Option<&String>, Option<&String>)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v, s.enum_names.get(i), s.enum_descriptions.get(i)))
            .filter(|(v, _, _)| !v.is_null())
            .collect();
        if listed.is_empty() {
            return Ty::Any;
        }
        let integer = listed.iter().all(|(v, _, _)| v.is_i64());
        if !integer && !listed.iter().all(|(v, _, _)| v.is_string()) {
            if listed.iter().all(|(v, _, _)| v.is_u64()) {
                return Ty::U64;
            }
            if listed.iter().all(|(v, _, _)| v.is_number()) {
                return Ty::F64;
            }
            if listed.iter().all(|(v, _, _)| v.is_boolean()) {
                return Ty::Bool;
            }
            // `enum: [1, "auto"]`: typed as a union of the value types present; the values
            // themselves are the document's to check.
            let mut types = Types::default();
            for (value, _, _) in &listed {
                types.0 |= match value {
                    Value::Bool(_) => Types::BOOLEAN,
                    Value::Number(n) if n.is_i64() || n.is_u64() => Types::INTEGER,
                    Value::Number(_) => Types::NUMBER,
                    Value::String(_) => Types::STRING,
                    Value::Array(_) => Types::ARRAY,
                    _ => Types::OBJECT,
                };
            }
            return self.type_list_union(s, types, hint, scope);
        }
        let mut scope_names = Scope::new();
        let mut variants = Vec::new();
        for (value, given, description) in listed {
            let wire = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            if variants.iter().any(|v: &EnumVariant| v.wire == wire) {
                continue;
            }
            let base = match given.map(|g| type_name(g)).filter(|n| n != "Unnamed") {
                Some(name) => name,
                None => match value.as_i64() {
                    Some(n) if n < 0 => format!("ValueMinus{}", n.unsigned_abs()),
                    Some(n) => format!("Value{n}"),
                    None if wire.is_empty() => "Empty".to_string(),
                    None => match type_name(&wire) {
                        // Punctuation alone (`}`, `+`) has no words: name it by position.
                        name if name == "Unnamed" => format!("Value{}", variants.len() + 1),
                        name => name,
                    },
                },
            };
            let docs = description.filter(|d| !d.trim().is_empty()).cloned();
            variants.push(EnumVariant { name: scope_names.claim(&base), wire, docs });
        }
        let other = ["Other", "UnknownValue", "Unrecognized"]
            .into_iter()
            .find(|n| !scope_names.is_taken(n))
            .map_or_else(|| scope_names.claim("Other"), str::to_string);
        let key = format!("enum:{integer}:{:?}", variants.iter().map(|v| (&v.wire, &v.name)).collect::<Vec<_>>());
        let def = TypeDef {
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Enum(Enum { variants, other, integer }),
            origin: s.pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, scope))
    }

    fn object(&mut self, s: &Schema, hint: &Hint, scope: Option<NameScope>) -> Ty {
        if s.properties.is_empty() {
            let value = match (&s.additional, s.pattern_properties.first()) {
                (Additional::Schema(a), _) => self.lower_value(
                    *a,
                    &Hint { suffix: format!("{}Value", hint.suffix), bare: None, weak: false, ..hint.clone() },
                ),
                (_, Some((_, p))) if s.pattern_properties.len() == 1 => self.lower_value(
                    *p,
                    &Hint { suffix: format!("{}Value", hint.suffix), bare: None, weak: false, ..hint.clone() },
                ),
                _ => Ty::Any,
            };
            return Ty::Map(Box::new(value));
        }
        let scope = scope.unwrap_or_else(|| self.new_scope());
        let mut fields = Vec::new();
        let mut tag = None;
        let mut names = Scope::new();
        for (wire, pid) in &s.properties {
            let required = s.required.contains(wire);
            let p = self.schema(*pid);
            if let (true, None, Some(value)) = (required, &tag, const_string(self.spec, *pid)) {
                tag = Some(Tag { property: wire.clone(), value });
                continue;
            }
            // `readOnly` members are never sent and `writeOnly` ones never returned: the type of
            // a value travelling that way leaves them out.
            let read_only = flag(self.spec, *pid, |s| s.read_only);
            let write_only = flag(self.spec, *pid, |s| s.write_only);
            if (read_only && self.direction == Direction::Request)
                || (write_only && self.direction == Direction::Response)
            {
                continue;
            }
            let suffix = type_name(wire);
            let lowered = self.lower(
                *pid,
                &Hint {
                    scope: Some(scope),
                    suffix: suffix.clone(),
                    bare: Some(suffix.clone()),
                    weak: !is_array(p),
                    own_from: Some(0),
                },
            );
            fields.push(Field {
                name: names.claim(&snake_name(wire)),
                wire_name: wire.clone(),
                ty: lowered.ty,
                presence: Presence::new(required, lowered.nullable),
                boxed: false,
                docs: member_docs(self.spec, *pid, read_only, write_only),
                deprecated: p.deprecated,
                max_items: max_items(self.spec, *pid),
            });
        }
        // A member the schema requires but does not declare (`required: [externalId]` with no
        // such property) is still on the wire: kept as an optional untyped member, so it is
        // neither lost when read nor impossible to send, and not forced on a caller either,
        // as such lists are more often a document's slip than a real requirement.
        for wire in &s.required {
            let declared = s.properties.iter().any(|(name, _)| name == wire);
            let is_tag = tag.as_ref().is_some_and(|t| t.property == *wire);
            if declared || is_tag || fields.iter().any(|f: &Field| &f.wire_name == wire) {
                continue;
            }
            // Required one level too high (a list answer requiring its items' `id`, a product
            // requiring its `fieldData`'s `name`): the member lives below, where it is declared.
            if s.properties.iter().any(|(_, pid)| self.declared_below(*pid, wire)) {
                continue;
            }
            self.warnings.push((
                s.pointer.clone(),
                "fallback",
                format!(
                    "`{wire}` is required but not among `properties`; kept as an optional member of any JSON value"
                ),
            ));
            fields.push(Field {
                name: names.claim(&snake_name(wire)),
                wire_name: wire.clone(),
                ty: Ty::Any,
                presence: Presence::Optional,
                boxed: false,
                docs: Some("Required by the document, which does not say what it holds.".into()),
                deprecated: false,
                max_items: None,
            });
        }
        let additional = match &s.additional {
            Additional::Schema(a) => Some(self.lower_value(*a, &Hint::child(scope, "Extra"))),
            // Declared open (`additionalProperties: true`, as Webflow's CMS `fieldData`): the
            // undeclared members are data the caller needs, so they are kept.
            Additional::Any => Some(Ty::Any),
            // Members matching `patternProperties` are data too: typed by the pattern's schema
            // when there is one pattern.
            Additional::Unspecified => match s.pattern_properties.as_slice() {
                [] => None,
                [(_, pattern)] => Some(self.lower_value(*pattern, &Hint::child(scope, "Extra"))),
                _ => Some(Ty::Any),
            },
            Additional::Forbidden => None,
        };
        // The declared members keep their names; the map of the others takes what is left.
        let extra_name = if additional.is_some() { names.claim("additional_properties") } else { String::new() };
        let key = format!(
            "struct:{tag:?}:{additional:?}:{:?}",
            fields.iter().map(|f| (&f.wire_name, &f.ty, f.presence)).collect::<Vec<_>>()
        );
        let def = TypeDef {
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Struct(Struct { fields, tag, additional, extra_name }),
            origin: s.pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// Whether the schema at `id` declares `member`: itself, behind its `$ref`, in its `allOf`
    /// parts or in its array items (a few steps deep; cycles end there).
    fn declared_below(&self, id: SchemaId, member: &str) -> bool {
        let mut todo = vec![(id, 0)];
        while let Some((id, depth)) = todo.pop() {
            let s = self.schema(id);
            if s.properties.iter().any(|(name, _)| name == member) {
                return true;
            }
            if depth < 6 {
                todo.extend(s.reference.iter().chain(&s.items).chain(&s.all_of).map(|c| (*c, depth + 1)));
            }
        }
        false
    }

    /// `prefixItems`: a Rust tuple when nothing may follow the listed items (`items: false`,
    /// `maxItems`, or no `items` at all), else an array of what every position shares.
    fn tuple(&mut self, id: SchemaId, s: &'s Schema, hint: &Hint) -> Ty {
        // Tuples beyond twelve have no `Debug`/`PartialEq`, which every generated type derives.
        const LONGEST: usize = 12;
        let elements: Vec<Ty> = s
            .prefix_items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.lower_value(
                    *item,
                    &Hint { suffix: format!("{}Item{}", hint.suffix, i + 1), bare: None, weak: false, ..hint.clone() },
                )
            })
            .collect();
        let closed = match s.items {
            None => true,
            Some(items) => self.schema(items).never,
        } || s.max_items.is_some_and(|max| max as usize <= elements.len());
        if closed && elements.len() <= LONGEST {
            return Ty::Tuple(elements);
        }
        let rest = match s.items {
            Some(items) if !self.schema(items).never => Some(self.lower_value(
                items,
                &Hint { suffix: format!("{}Item", hint.suffix), bare: None, weak: false, ..hint.clone() },
            )),
            _ => None,
        };
        let mut all = elements.iter().chain(rest.as_ref());
        let first = all.next().cloned().unwrap_or(Ty::Any);
        if all.all(|t| *t == first) {
            return Ty::Vec(Box::new(first));
        }
        self.warn(
            id,
            "fallback",
            "`prefixItems` of different types followed by more items; items typed as any JSON value".into(),
        );
        Ty::Vec(Box::new(Ty::Any))
    }

    fn lower_value(&mut self, id: SchemaId, hint: &Hint) -> Ty {
        let lowered = self.lower(id, hint);
        if lowered.nullable {
            Ty::Option(Box::new(lowered.ty))
        } else {
            lowered.ty
        }
    }
}

/// Documentation for a schema: its description, else its title.
pub fn docs(s: &Schema) -> Option<String> {
    s.description.clone().or_else(|| s.title.clone()).filter(|d| !d.trim().is_empty())
}

/// A member's documentation: its own (or its `$ref` target's), then [`notes`].
fn member_docs(spec: &Spec, id: SchemaId, read_only: bool, write_only: bool) -> Option<String> {
    let s = &spec.schemas[id.0];
    let own = docs(s).or_else(|| s.reference.and_then(|r| docs(&spec.schemas[r.0])));
    join_docs(own, notes(spec, id, read_only, write_only))
}

/// What callers need to know beyond the description: that a value is read-only, write-only or
/// has a default.
pub fn notes(spec: &Spec, id: SchemaId, read_only: bool, write_only: bool) -> Option<String> {
    let s = &spec.schemas[id.0];
    let mut lines = Vec::new();
    if read_only {
        lines.push("Read-only: set by the server and ignored in requests.".to_string());
    }
    if write_only {
        lines.push("Write-only: sent in requests, never returned.".to_string());
    }
    let default = s.default.as_ref().or_else(|| s.reference.and_then(|r| spec.schemas[r.0].default.as_ref()));
    if let Some(value) = default.map(Value::to_string).filter(|v| v.len() <= 80 && !v.contains('`')) {
        lines.push(format!("Defaults to `{value}` when left out."));
    }
    (!lines.is_empty()).then(|| lines.join("\n\n"))
}

/// Two paragraphs of documentation, either of which may be missing.
pub fn join_docs(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    }
}

/// The first schema along a `$ref` chain (the schema itself, then its targets) for which
/// `pick` says something.
fn through_refs<T>(spec: &Spec, id: SchemaId, pick: impl Fn(&Schema) -> Option<T>) -> Option<T> {
    let mut id = id;
    for _ in 0..16 {
        let s = &spec.schemas[id.0];
        if let Some(found) = pick(s) {
            return Some(found);
        }
        id = s.reference?;
    }
    None
}

/// An array's `maxItems`, through `$ref`s.
fn max_items(spec: &Spec, id: SchemaId) -> Option<u64> {
    through_refs(spec, id, |s| s.max_items)
}

/// Whether `test` holds for the schema or, through `$ref`s, its target.
fn flag(spec: &Spec, id: SchemaId, test: fn(&Schema) -> bool) -> bool {
    through_refs(spec, id, |s| test(s).then_some(())).is_some()
}

/// For each schema, whether a `readOnly` or `writeOnly` member lies anywhere inside it
/// (through references, members, items and combinators): marks spread from the schemas that
/// hold such a member to every schema that contains them, each edge walked once.
fn directional(spec: &Spec) -> Vec<bool> {
    let mut containers: Vec<Vec<SchemaId>> = vec![Vec::new(); spec.schemas.len()];
    for (i, s) in spec.schemas.iter().enumerate() {
        let mut children: Vec<SchemaId> = s.reference.into_iter().collect();
        children.extend(s.properties.iter().chain(&s.pattern_properties).map(|(_, p)| *p));
        if let Additional::Schema(a) = s.additional {
            children.push(a);
        }
        children.extend(s.items);
        children.extend(s.prefix_items.iter().chain(&s.one_of).chain(&s.any_of).chain(&s.all_of));
        for child in children {
            containers[child.0].push(SchemaId(i));
        }
    }
    let mut marked = vec![false; spec.schemas.len()];
    let mut work: Vec<SchemaId> = (0..spec.schemas.len())
        .map(SchemaId)
        .filter(|id| spec.schemas[id.0].properties.iter().any(|(_, p)| flag(spec, *p, |m| m.read_only || m.write_only)))
        .collect();
    while let Some(id) = work.pop() {
        if !std::mem::replace(&mut marked[id.0], true) {
            work.extend(&containers[id.0]);
        }
    }
    marked
}

fn is_null_schema(s: &Schema) -> bool {
    s.types == Types(Types::NULL) || s.enum_values.as_ref().is_some_and(|v| v.len() == 1 && v[0].is_null())
}

fn is_array(s: &Schema) -> bool {
    s.types.has(Types::ARRAY) || s.items.is_some()
}

/// Whether a schema with a `$ref` says more than the target (type/format siblings restate it).
fn has_own_structure(s: &Schema) -> bool {
    !s.properties.is_empty()
        || s.items.is_some()
        || !s.all_of.is_empty()
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || s.enum_values.is_some()
        || matches!(s.additional, Additional::Schema(_))
}

/// The value of a string constant (`const`, or an `enum` of one string), through `$ref`s.
fn const_string(spec: &Spec, id: SchemaId) -> Option<String> {
    // The first `const` or `enum` met decides, even when it fixes no string.
    let fixed = through_refs(spec, id, |s| match (&s.const_value, &s.enum_values) {
        (Some(Value::String(v)), _) => Some(Some(v.clone())),
        (_, Some(values)) => Some(match values.as_slice() {
            [Value::String(v)] => Some(v.clone()),
            _ => None,
        }),
        _ => None,
    });
    fixed.flatten()
}

/// The constant value a member fixes for `property` (for implicit discriminator mappings).
fn const_string_of_property(spec: &Spec, id: SchemaId, property: &str) -> Option<String> {
    let mut id = id;
    for _ in 0..16 {
        let s = &spec.schemas[id.0];
        if let Some((_, p)) = s.properties.iter().find(|(n, _)| n == property) {
            return const_string(spec, *p);
        }
        for part in &s.all_of {
            if let Some(v) = const_string_of_property(spec, *part, property) {
                return Some(v);
            }
        }
        id = s.reference?;
    }
    None
}
