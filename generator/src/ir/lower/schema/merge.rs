//! `allOf` (and `$ref` with siblings): merging parts into one struct, distributing shared
//! fields over `oneOf` alternatives, or reading a one-part `allOf` as its part.

use super::*;

impl<'s> TypeBuilder<'s> {
    /// A type seen through aliases (`ResourceId` = `String` → `String`).
    fn underlying(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        for _ in 0..16 {
            match &ty {
                Ty::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// `allOf` (and `$ref` with siblings): the parts' properties in one struct.
    pub(super) fn merge(
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
            .filter(|p| !is_null_schema(self.schema(*p)))
            .filter(|p| self.schema(*p).has_structure() || self.schema(*p).reference.is_some())
            .collect();
        let own_adds = own.is_some_and(|o| {
            !o.properties.is_empty()
                || !o.required.is_empty()
                || o.one_of.iter().chain(&o.any_of).any(|m| !is_null_schema(self.schema(*m)))
        });
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

    pub(super) fn merge_parts(
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
            // Its own `oneOf`/`anyOf` beside the members: a choice like a part's.
            if shaped.is_empty() && own.one_of.iter().chain(&own.any_of).any(|m| !is_null_schema(self.schema(*m))) {
                shaped.push(id);
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
                // Alternatives that give one member different schemas (audit-log entries whose
                // `payload` differs by event) are shapes of their own, open or not: one struct
                // would keep only the first alternative's.
                let mut seen: Vec<(String, SchemaId)> = Vec::new();
                let mut conflict = false;
                for member in &members {
                    let mut alternative = Schema::default();
                    self.collect_object(*member, &mut alternative, 0);
                    for (name, property) in alternative.properties {
                        match seen.iter().find(|(n, _)| *n == name) {
                            Some((_, other)) => conflict |= !self.same_schema(*other, property),
                            None => seen.push((name, property)),
                        }
                    }
                }
                if !open || conflict {
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
                // Parts that all narrow the same primitive (`allOf: [{type: string}, {format: …}]`).
                [first, rest @ ..]
                    if {
                        let base = self.lower(*first, hint).ty;
                        let base = self.underlying(&base);
                        is_primitive(&base)
                            && rest.iter().all(|p| {
                                let ty = self.lower(*p, hint).ty;
                                self.underlying(&ty) == base
                            })
                    } =>
                {
                    self.lower(*first, hint).ty
                }
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
                "`allOf` or `oneOf` mixes objects with other shapes; only the objects' properties are typed".into(),
            );
        }
        merged.types = Types(Types::OBJECT);
        self.object(&merged, hint, scope)
    }

    /// The alternatives of a `oneOf`/`anyOf` whose every member is an object, through `$ref`s.
    pub(super) fn object_choices(&mut self, id: SchemaId) -> Option<Vec<SchemaId>> {
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
    pub(super) fn distribute(
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
        let bases = self.variant_names(members);
        for (member, base) in members.iter().zip(bases) {
            let mut combined = Schema { pointer: self.schema(*member).pointer.clone(), ..Schema::default() };
            self.collect_object(*member, &mut combined, 0);
            self.collect_fields(shared, &mut combined);
            combined.types = Types(Types::OBJECT);
            let variant_hint = Hint::child(scope, &base);
            let ty = self.object(&combined, &variant_hint, None);
            variants.push(UnionVariant { name: names.claim(&base), ty, boxed: false });
        }
        let key = format!("union:None:{:?}", variants.iter().map(|v| &v.ty).collect::<Vec<_>>());
        let def = TypeDef {
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(self.schema(id)),
            kind: TypeKind::Union(Union { variants, discriminator: None }),
            origin: self.schema(id).pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// Adds an object-shaped part's properties to `into`; false when the part is not an object.
    pub(super) fn collect_object(&self, id: SchemaId, into: &mut Schema, depth: usize) -> bool {
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
        // A choice of one (`oneOf: [{$ref: Job}]`, as generated documents write a union of one
        // type so far) is that one.
        let alternatives: Vec<SchemaId> =
            s.one_of.iter().chain(&s.any_of).copied().filter(|m| !is_null_schema(self.schema(*m))).collect();
        if let [only] = alternatives.as_slice() {
            ok &= self.collect_object(*only, into, depth + 1);
            self.collect_fields(s, into);
            return ok;
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

    pub(super) fn collect_fields(&self, s: &Schema, into: &mut Schema) {
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
}

fn is_primitive(ty: &Ty) -> bool {
    matches!(ty, Ty::Bool | Ty::I32 | Ty::I64 | Ty::U64 | Ty::F64 | Ty::String | Ty::DateTime | Ty::Date)
}
