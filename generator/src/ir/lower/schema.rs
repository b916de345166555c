//! Schemas → [`Ty`]s and named [`TypeDef`]s.
//!
//! Components get a type each, reserved before anything is lowered so that `$ref` cycles are
//! just ids. Inline schemas are *interned by structure*: two inline schemas with the same shape
//! (same fields, types, requiredness; docs aside) become one type, which is how Webflow's asset
//! schema, repeated inline in every operation, ends up as one `Asset`. Names are not chosen here:
//! each inline type collects [`Candidate`] names from the places it appears, and
//! [`super::names`] picks among them once every type is known.

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
}

impl Hint {
    pub fn root(name: &str, bare: Option<String>) -> Hint {
        Hint { scope: None, suffix: type_name(name), bare, weak: false }
    }

    fn child(scope: NameScope, suffix: &str) -> Hint {
        Hint { scope: Some(scope), suffix: suffix.to_string(), bare: None, weak: false }
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
        };
        for (name, id) in &spec.component_schemas {
            if this.components.contains_key(id) {
                continue; // Two component names for one schema (`B: {$ref: A}`): keep the first.
            }
            let tid = this.push(TypeDef {
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
        let lowered = self.lower_inline(sid, &Hint { scope: None, suffix: name, bare: None, weak: false }, Some(scope));
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
                name: type_name(name),
                docs: None,
                kind: TypeKind::Alias(Ty::Any),
                origin: self.schema(id).pointer.clone(),
            });
            self.fixed[tid.0] = true;
            self.components.insert(id, tid);
        }
        if let Some(&tid) = self.components.get(&id) {
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
            if s.one_of.iter().chain(&s.any_of).any(|m| is_null_schema(self.schema(*m))) {
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
            let own = if s.properties.is_empty() { None } else { Some(s) };
            return self.merge(id, &parts, own, hint, scope);
        }
        let members: Vec<SchemaId> =
            s.one_of.iter().chain(&s.any_of).copied().filter(|m| !is_null_schema(self.schema(*m))).collect();
        if !members.is_empty() && s.properties.is_empty() {
            if members.len() == 1 {
                return self.lower(members[0], hint).ty;
            }
            return self.union(id, s, &members, hint, scope);
        }
        let types = s.types.non_null();
        if types.count() > 1 {
            return self.type_list_union(id, s, types, hint, scope);
        }
        let is = |bit| types.has(bit);
        if is(Types::OBJECT)
            || (types.is_empty()
                && (!s.properties.is_empty()
                    || matches!(s.additional, Additional::Schema(_))
                    || !s.pattern_properties.is_empty()))
        {
            return self.object(id, s, hint, scope);
        }
        if is(Types::ARRAY) || (types.is_empty() && s.items.is_some()) {
            // The items of `variants` are a `Variant`; of anything else, an `…Item`.
            let item_hint = match &hint.bare {
                Some(bare) if !hint.weak => {
                    Hint { scope: hint.scope, suffix: singular(&hint.suffix), bare: Some(singular(bare)), weak: false }
                }
                _ => Hint { scope: hint.scope, suffix: format!("{}Item", hint.suffix), bare: None, weak: false },
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
            });
        }
        tid
    }

    fn enumeration(&mut self, id: SchemaId, values: &[Value], hint: &Hint, scope: Option<NameScope>) -> Ty {
        let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if values.is_empty() {
            return Ty::Any;
        }
        if !values.iter().all(|v| v.is_string()) {
            if values.iter().all(|v| v.is_i64() || v.is_u64()) {
                return Ty::I64;
            }
            if values.iter().all(|v| v.is_number()) {
                return Ty::F64;
            }
            if values.iter().all(|v| v.is_boolean()) {
                return Ty::Bool;
            }
            self.warn(id, "fallback", "`enum` mixes value types; typed as any JSON value".into());
            return Ty::Any;
        }
        let mut scope_names = Scope::new();
        let mut variants = Vec::new();
        for value in values {
            let wire = value.as_str().unwrap_or_default().to_string();
            if variants.iter().any(|v: &EnumVariant| v.wire == wire) {
                continue;
            }
            let base = match type_name(&wire) {
                _ if wire.is_empty() => "Empty".to_string(),
                // Punctuation alone (`}`, `+`) has no words: name it by position.
                name if name == "Unnamed" => format!("Value{}", variants.len() + 1),
                name => name,
            };
            variants.push(EnumVariant { name: scope_names.claim(&base), wire, docs: None });
        }
        let other = ["Other", "UnknownValue", "Unrecognized"]
            .into_iter()
            .find(|n| !scope_names.is_taken(n))
            .map_or_else(|| scope_names.claim("Other"), str::to_string);
        let key = format!("enum:{:?}", variants.iter().map(|v| &v.wire).collect::<Vec<_>>());
        let def = TypeDef {
            name: String::new(),
            docs: docs(self.schema(id)),
            kind: TypeKind::Enum(Enum { variants, other }),
            origin: self.schema(id).pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, scope))
    }

    fn object(&mut self, id: SchemaId, s: &Schema, hint: &Hint, scope: Option<NameScope>) -> Ty {
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
        let mut names = Scope::with_reserved(&["additional_properties"]);
        for (wire, pid) in &s.properties {
            let required = s.required.contains(wire);
            let p = self.schema(*pid);
            if let (true, None, Some(value)) = (required, &tag, const_string(self.spec, *pid)) {
                tag = Some((wire.clone(), value));
                continue;
            }
            let suffix = type_name(wire);
            let lowered = self.lower(
                *pid,
                &Hint { scope: Some(scope), suffix: suffix.clone(), bare: Some(suffix.clone()), weak: !is_array(p) },
            );
            fields.push(Field {
                name: names.claim(&snake_name(wire)),
                wire_name: wire.clone(),
                ty: lowered.ty,
                required,
                nullable: lowered.nullable,
                boxed: false,
                docs: docs(p).or_else(|| p.reference.and_then(|r| docs(self.schema(r)))),
                deprecated: p.deprecated,
            });
        }
        let additional = match &s.additional {
            Additional::Schema(a) => Some(self.lower_value(*a, &Hint::child(scope, "Extra"))),
            // Declared open (`additionalProperties: true`, as Webflow's CMS `fieldData`): the
            // undeclared members are data the caller needs, so they are kept.
            Additional::Any => Some(Ty::Any),
            _ => None,
        };
        let key = format!(
            "struct:{tag:?}:{additional:?}:{:?}",
            fields.iter().map(|f| (&f.wire_name, &f.ty, f.required, f.nullable)).collect::<Vec<_>>()
        );
        let def = TypeDef {
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Struct(Struct { fields, tag, additional }),
            origin: s.pointer.clone(),
        };
        let _ = id;
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    fn lower_value(&mut self, id: SchemaId, hint: &Hint) -> Ty {
        let lowered = self.lower(id, hint);
        if lowered.nullable {
            Ty::Option(Box::new(lowered.ty))
        } else {
            lowered.ty
        }
    }

    /// `allOf` (and `$ref` with siblings): the parts' properties in one struct.
    fn merge(
        &mut self,
        id: SchemaId,
        parts: &[SchemaId],
        own: Option<&'s Schema>,
        hint: &Hint,
        scope: Option<NameScope>,
    ) -> Ty {
        let merged = Schema {
            pointer: self.schema(id).pointer.clone(),
            description: self.schema(id).description.clone(),
            ..Schema::default()
        };
        // `allOf: [{$ref: X}, {description: …}]` is X: lowering it as X keeps X's name, and ends
        // the recursion when X's own properties use the same wrapper.
        let structural: Vec<SchemaId> = parts
            .iter()
            .copied()
            .filter(|p| self.schema(*p).has_structure() || self.schema(*p).reference.is_some())
            .collect();
        let own_adds = own.is_some_and(|o| !o.properties.is_empty() || !o.required.is_empty());
        if let ([single], false) = (structural.as_slice(), own_adds) {
            return self.lower(*single, hint).ty;
        }
        // A merge that contains itself (`Tree.child: allOf[Tree, {…}]`) has no finite expansion.
        if self.merging.contains(&id) {
            self.warn(
                id,
                "fallback",
                "this `allOf` merges into itself (too deeply to type); typed as any JSON value".into(),
            );
            return Ty::Any;
        }
        self.merging.push(id);
        let ty = self.merge_parts(id, parts, own, merged, hint, scope);
        self.merging.pop();
        ty
    }

    fn merge_parts(
        &mut self,
        id: SchemaId,
        parts: &[SchemaId],
        own: Option<&'s Schema>,
        mut merged: Schema,
        hint: &Hint,
        scope: Option<NameScope>,
    ) -> Ty {
        let mut shaped = Vec::new();
        for part in parts {
            if !self.collect_object(*part, &mut merged, 0) {
                shaped.push(*part);
            }
        }
        if let Some(own) = own {
            if !own.properties.is_empty() || !own.required.is_empty() {
                self.collect_fields(own, &mut merged);
            }
        }
        // `allOf: [oneOf[A, B], {extra}]` means "A with extra, or B with extra". When some
        // alternative requires nothing (`{id?}` next to `{externalId?}`), they are not exclusive
        // shapes but optional keys, and answers often carry several: one struct holds them all.
        if let ([choice], false) = (shaped.as_slice(), merged.properties.is_empty()) {
            if let Some(members) = self.object_choices(*choice) {
                // Alternatives are exclusive only if each requires something of its own.
                let open = members.iter().any(|m| {
                    let mut scratch = Schema::default();
                    self.collect_object(*m, &mut scratch, 0);
                    scratch.required.is_empty()
                });
                if !open {
                    return self.distribute(id, &members, &merged, hint, scope);
                }
                for member in &members {
                    // Each alternative's keys, optional: which one is present is the answer's choice.
                    let mut alternative = Schema::default();
                    self.collect_object(*member, &mut alternative, 0);
                    for (name, property) in alternative.properties {
                        if !merged.properties.iter().any(|(n, _)| *n == name) {
                            merged.properties.push((name, property));
                        }
                    }
                }
                shaped.clear();
            }
        }
        if merged.properties.is_empty() {
            return match shaped.as_slice() {
                [] => Ty::Map(Box::new(Ty::Any)),
                [one] => self.lower(*one, hint).ty,
                _ => {
                    self.warn(
                        id,
                        "fallback",
                        "`allOf` of schemas that are not all objects; typed as any JSON value".into(),
                    );
                    Ty::Any
                }
            };
        }
        if !shaped.is_empty() {
            self.warn(
                id,
                "allof-partial",
                "`allOf` mixes objects with other shapes; only the objects' properties are typed".into(),
            );
        }
        merged.types = Types(Types::OBJECT);
        self.object(id, &merged, hint, scope)
    }

    /// The alternatives of a `oneOf`/`anyOf` whose every member is an object, through `$ref`s.
    fn object_choices(&mut self, id: SchemaId) -> Option<Vec<SchemaId>> {
        let mut s = self.schema(id);
        while let (Some(target), false) = (s.reference, has_own_structure(s)) {
            s = self.schema(target);
        }
        let members: Vec<SchemaId> =
            s.one_of.iter().chain(&s.any_of).copied().filter(|m| !is_null_schema(self.schema(*m))).collect();
        if members.len() < 2 {
            return None;
        }
        let all_objects = members.iter().all(|m| self.collect_object(*m, &mut Schema::default(), 0));
        all_objects.then_some(members)
    }

    /// A union whose every variant is one of `members` with the `shared` properties added.
    fn distribute(
        &mut self,
        id: SchemaId,
        members: &[SchemaId],
        shared: &Schema,
        hint: &Hint,
        scope: Option<NameScope>,
    ) -> Ty {
        let scope = scope.unwrap_or_else(|| self.new_scope());
        let mut names = Scope::new();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let mut combined = Schema { pointer: self.schema(*member).pointer.clone(), ..Schema::default() };
            self.collect_object(*member, &mut combined, 0);
            self.collect_fields(shared, &mut combined);
            combined.types = Types(Types::OBJECT);
            let base = self.variant_name(*member, i);
            let variant_hint = Hint { scope: Some(scope), suffix: base.clone(), bare: None, weak: false };
            let ty = self.object(*member, &combined, &variant_hint, None);
            variants.push(UnionVariant { name: names.claim(&base), ty, boxed: false });
        }
        let key = format!("union:None:{:?}", variants.iter().map(|v| &v.ty).collect::<Vec<_>>());
        let def = TypeDef {
            name: String::new(),
            docs: docs(self.schema(id)),
            kind: TypeKind::Union(Union { variants, discriminator: None }),
            origin: self.schema(id).pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// Adds an object-shaped part's properties to `into`; false when the part is not an object.
    fn collect_object(&mut self, id: SchemaId, into: &mut Schema, depth: usize) -> bool {
        if depth > 16 {
            return true;
        }
        let s = self.schema(id);
        if let Some(target) = s.reference {
            let ok = self.collect_object(target, into, depth + 1);
            self.collect_fields(s, into);
            return ok;
        }
        if !s.has_structure() {
            return true; // `{description: …}` parts add nothing.
        }
        let mut ok = true;
        for part in &s.all_of {
            ok &= self.collect_object(*part, into, depth + 1);
        }
        // A part that is a choice (`oneOf`/`anyOf`) cannot be merged field by field, even when it
        // also says `type: object`.
        let is_choice = !s.one_of.is_empty() || !s.any_of.is_empty();
        let object_like = !s.properties.is_empty()
            || (!is_choice && s.types.non_null() == Types(Types::OBJECT))
            || (s.types.is_empty() && !is_choice && s.all_of.is_empty() && s.enum_values.is_none());
        self.collect_fields(s, into);
        if matches!(s.additional, Additional::Schema(_) | Additional::Any) {
            into.additional = s.additional.clone();
        }
        ok && (object_like || !s.all_of.is_empty())
    }

    fn collect_fields(&self, s: &Schema, into: &mut Schema) {
        for (name, pid) in &s.properties {
            if !into.properties.iter().any(|(n, _)| n == name) {
                into.properties.push((name.clone(), *pid));
            }
        }
        for name in &s.required {
            if !into.required.contains(name) {
                into.required.push(name.clone());
            }
        }
    }

    fn union(
        &mut self,
        id: SchemaId,
        s: &'s Schema,
        members: &[SchemaId],
        hint: &Hint,
        scope: Option<NameScope>,
    ) -> Ty {
        let scope = scope.unwrap_or_else(|| self.new_scope());
        let mut names = Scope::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut member_ids = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let m = self.schema(*member);
            let base = self.variant_name(*member, i);
            let lowered =
                self.lower(*member, &Hint { scope: Some(scope), suffix: base.clone(), bare: None, weak: false });
            let ty = if lowered.nullable { Ty::Option(Box::new(lowered.ty)) } else { lowered.ty };
            if variants.iter().any(|v| v.ty == ty) {
                continue; // Two members with one Rust type: the first wins, the second never would.
            }
            let _ = m;
            variants.push(UnionVariant { name: names.claim(&base), ty, boxed: false });
            member_ids.push(*member);
        }
        let discriminator = s.discriminator.as_ref().map(|d| {
            let mut values = Vec::new();
            for (i, member) in member_ids.iter().enumerate() {
                let mapped: Vec<&String> =
                    d.mapping.iter().filter(|(_, t)| self.same_schema(*t, *member)).map(|(v, _)| v).collect();
                if mapped.is_empty() {
                    // Implicit mapping: the component name, or the member's constant value.
                    let implicit = const_string_of_property(self.spec, *member, &d.property)
                        .or_else(|| self.component_name(*member));
                    if let Some(v) = implicit {
                        values.push((v, i));
                    }
                } else {
                    values.extend(mapped.into_iter().map(|v| (v.clone(), i)));
                }
            }
            (d.property.clone(), values)
        });
        // Alternatives that each fix the same property to a different constant (`"type": "image"`)
        // are told apart by it, declared or not.
        let discriminator = discriminator.or_else(|| self.implicit_discriminator(&variants));
        let key = format!("union:{discriminator:?}:{:?}", variants.iter().map(|v| &v.ty).collect::<Vec<_>>());
        let def = TypeDef {
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Union(Union { variants, discriminator }),
            origin: s.pointer.clone(),
        };
        let _ = id;
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// The property every variant fixes to its own constant, with each variant's value.
    fn implicit_discriminator(&self, variants: &[UnionVariant]) -> Option<(String, Vec<(String, usize)>)> {
        let mut property: Option<&str> = None;
        let mut values: Vec<(String, usize)> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let Ty::Named(id) = variant.ty else { return None };
            let TypeKind::Struct(Struct { tag: Some((name, value)), .. }) = &self.types[id.0].kind else { return None };
            if property.is_some_and(|p| p != name) || values.iter().any(|(v, _)| v == value) {
                return None;
            }
            property = Some(name);
            values.push((value.clone(), i));
        }
        Some((property?.to_string(), values))
    }

    fn same_schema(&self, a: SchemaId, b: SchemaId) -> bool {
        let resolve = |mut id: SchemaId| {
            for _ in 0..16 {
                match self.schema(id).reference {
                    Some(t) if !has_own_structure(self.schema(id)) => id = t,
                    _ => break,
                }
            }
            id
        };
        resolve(a) == resolve(b)
    }

    fn component_name(&self, id: SchemaId) -> Option<String> {
        self.spec.component_schemas.iter().find(|(_, c)| self.same_schema(*c, id)).map(|(n, _)| n.clone())
    }

    fn variant_name(&self, member: SchemaId, index: usize) -> String {
        if let Some(name) = self.component_name(member) {
            return type_name(&name);
        }
        let m = self.schema(member);
        if let Some(title) = &m.title {
            return type_name(title);
        }
        let t = m.types.non_null();
        let by_type = [
            (Types::STRING, "String"),
            (Types::INTEGER, "Integer"),
            (Types::NUMBER, "Number"),
            (Types::BOOLEAN, "Boolean"),
            (Types::ARRAY, "Array"),
        ];
        for (bit, name) in by_type {
            if t == Types(bit) {
                return name.to_string();
            }
        }
        // An object alternative is best named by what sets it apart: its required properties.
        if let Some(first) = m.required.first() {
            return type_name(&format!("with {first}"));
        }
        format!("Variant{}", index + 1)
    }

    fn type_list_union(
        &mut self,
        id: SchemaId,
        s: &'s Schema,
        types: Types,
        hint: &Hint,
        scope: Option<NameScope>,
    ) -> Ty {
        // `type: [string, integer]`: one variant per type, each the schema narrowed to it.
        let order = [
            (Types::INTEGER, "Integer", Ty::I64),
            (Types::NUMBER, "Number", Ty::F64),
            (Types::BOOLEAN, "Boolean", Ty::Bool),
            (Types::STRING, "String", Ty::String),
            (Types::ARRAY, "Array", Ty::Vec(Box::new(Ty::Any))),
            (Types::OBJECT, "Object", Ty::Map(Box::new(Ty::Any))),
        ];
        let variants: Vec<UnionVariant> = order
            .into_iter()
            .filter(|(bit, ..)| types.has(*bit))
            .map(|(_, name, ty)| UnionVariant { name: name.to_string(), ty, boxed: false })
            .collect();
        let key = format!("union:None:{:?}", variants.iter().map(|v| &v.ty).collect::<Vec<_>>());
        let def = TypeDef {
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Union(Union { variants, discriminator: None }),
            origin: s.pointer.clone(),
        };
        let _ = id;
        Ty::Named(self.intern(key, def, hint, scope))
    }
}

/// Documentation for a schema: its description, else its title.
pub fn docs(s: &Schema) -> Option<String> {
    s.description.clone().or_else(|| s.title.clone()).filter(|d| !d.trim().is_empty())
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
    let mut id = id;
    for _ in 0..16 {
        let s = &spec.schemas[id.0];
        if let Some(Value::String(v)) = &s.const_value {
            return Some(v.clone());
        }
        if let Some(values) = &s.enum_values {
            return match values.as_slice() {
                [Value::String(v)] => Some(v.clone()),
                _ => None,
            };
        }
        id = s.reference?;
    }
    None
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
