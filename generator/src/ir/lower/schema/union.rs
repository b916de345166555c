//! `oneOf`/`anyOf` and `type` lists: alternatives as enum variants, discriminators (declared or
//! implied by constants), and variant names.

use super::*;

impl<'s> TypeBuilder<'s> {
    pub(super) fn union(&mut self, s: &'s Schema, members: &[SchemaId], hint: &Hint, scope: Option<NameScope>) -> Ty {
        let scope = scope.unwrap_or_else(|| self.new_scope());
        let mut names = Scope::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut member_ids = Vec::new();
        let bases = self.variant_names(members);
        for (member, base) in members.iter().zip(bases) {
            let lowered = self.lower(*member, &Hint::child(scope, &base));
            let ty = if lowered.nullable { Ty::Option(Box::new(lowered.ty)) } else { lowered.ty };
            if variants.iter().any(|v| v.ty == ty) {
                continue; // Two members with one Rust type: the first wins, the second never would.
            }
            variants.push(UnionVariant { name: names.claim(&base), ty, boxed: false });
            member_ids.push(*member);
        }
        if let [only] = variants.as_slice() {
            // One alternative left (the others had its Rust type): the value is simply that.
            return self.stand_in(only.ty.clone(), scope, hint);
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
                        values.push(Dispatch { value: v, variant: i });
                    }
                } else {
                    values.extend(mapped.into_iter().map(|v| Dispatch { value: v.clone(), variant: i }));
                }
            }
            // A value two alternatives share (OpenAI's input and output `"type": "message"`)
            // cannot choose between them: such a union is read by trying its alternatives.
            let shared = values.iter().any(|a| values.iter().any(|b| a.value == b.value && a.variant != b.variant));
            if shared {
                values.clear();
            }
            Discriminator { property: d.property.clone(), mapping: values }
        });
        // Alternatives that each fix the same property to a different constant (`"type": "image"`)
        // are told apart by it, declared or not.
        let discriminator = discriminator.or_else(|| self.implicit_discriminator(&variants));
        let key = format!("union:{discriminator:?}:{:?}", variants.iter().map(|v| &v.ty).collect::<Vec<_>>());
        let def = TypeDef {
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Union(Union { variants, discriminator }),
            origin: s.pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// `ty`, standing for a union of one alternative: an inline type lowered as the variant of
    /// `scope` is named where the union would have been instead.
    fn stand_in(&mut self, ty: Ty, scope: NameScope, hint: &Hint) -> Ty {
        let inner = match &ty {
            Ty::Option(inner) => inner.as_ref(),
            ty => ty,
        };
        if let Ty::Named(id) = inner {
            if !self.fixed[id.0] {
                let candidates = &mut self.candidates[id.0];
                candidates.retain(|c| c.scope != Some(scope));
                candidates.push(Candidate {
                    scope: hint.scope,
                    suffix: hint.suffix.clone(),
                    bare: hint.bare.clone(),
                    weak: hint.weak,
                    own_from: hint.own_from,
                });
            }
        }
        ty
    }

    /// The property every variant fixes to its own constant, with each variant's value.
    pub(super) fn implicit_discriminator(&self, variants: &[UnionVariant]) -> Option<Discriminator> {
        let mut property: Option<&str> = None;
        let mut mapping: Vec<Dispatch> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let Ty::Named(id) = variant.ty else { return None };
            let TypeKind::Struct(Struct { tag: Some(tag), .. }) = &self.types[id.0].kind else { return None };
            if property.is_some_and(|p| p != tag.property) || mapping.iter().any(|d| d.value == tag.value) {
                return None;
            }
            property = Some(&tag.property);
            mapping.push(Dispatch { value: tag.value.clone(), variant: i });
        }
        Some(Discriminator { property: property?.to_string(), mapping })
    }

    /// The schema a plain `$ref` (one with nothing of its own beside it) stands for.
    pub(super) fn plain_target(&self, mut id: SchemaId) -> SchemaId {
        for _ in 0..16 {
            match self.schema(id).reference {
                Some(t) if !has_own_structure(self.schema(id)) => id = t,
                _ => break,
            }
        }
        id
    }

    pub(super) fn same_schema(&self, a: SchemaId, b: SchemaId) -> bool {
        self.plain_target(a) == self.plain_target(b)
    }

    /// The first component name the schema has, through plain `$ref`s.
    pub(super) fn component_name(&self, id: SchemaId) -> Option<String> {
        self.component_names.get(&self.plain_target(id)).cloned()
    }

    /// Each alternative's variant name, by what tells it apart from the others: its component
    /// name, its title, its one value, the kind of value it is (`DateTime`, `NumberList`), the
    /// constant it gives a property (`"type": "legacy"` → `Legacy`), or a member only it has
    /// (`WithUrl`); a number only when nothing else tells.
    pub(super) fn variant_names(&self, members: &[SchemaId]) -> Vec<String> {
        // Each alternative as one object, its `allOf` parts merged, to compare members.
        let views: Vec<std::borrow::Cow<'s, Schema>> = members
            .iter()
            .map(|&member| {
                let s = self.schema(self.plain_target(member));
                if s.all_of.is_empty() {
                    return std::borrow::Cow::Borrowed(s);
                }
                let mut merged = Schema::default();
                self.collect_object(member, &mut merged, 0);
                std::borrow::Cow::Owned(merged)
            })
            .collect();
        (0..members.len()).map(|i| self.variant_name(members[i], &views, i)).collect()
    }

    fn variant_name(&self, member: SchemaId, views: &[std::borrow::Cow<'s, Schema>], index: usize) -> String {
        if let Some(name) = self.described_name(member) {
            return name;
        }
        let m: &Schema = &views[index];
        if let Some(kind) = self.kind_name(m) {
            return kind;
        }
        // An object: by a property it fixes to a constant, then by a member no other
        // alternative requires, then one no other declares.
        for (name, id) in &m.properties {
            if m.required.contains(name) {
                if let Some(value) = single_string(self.schema(self.plain_target(*id))) {
                    return type_name(value);
                }
            }
        }
        let others: Vec<&Schema> = (0..views.len()).filter(|&i| i != index).map(|i| &*views[i]).collect();
        let own_required = m.required.iter().find(|p| !others.iter().any(|o| o.required.contains(p)));
        let own_declared = m.properties.iter().map(|(p, _)| p).find(|p| !others.iter().any(|o| declares(o, p)));
        if let Some(property) = own_required.or(own_declared).or(m.required.first()) {
            return type_name(&format!("with {property}"));
        }
        if m.types.non_null() == Types(Types::OBJECT) || m.properties.is_empty() && m.all_of.is_empty() {
            return if matches!(m.additional, Additional::Schema(_)) { "Map".into() } else { "Object".into() };
        }
        format!("Variant{}", index + 1)
    }

    /// A name the document gives: a component's, a title, or the one value (`enum: [draft]`).
    fn described_name(&self, id: SchemaId) -> Option<String> {
        if let Some(name) = self.component_name(id) {
            return Some(type_name(&name));
        }
        let m = self.schema(id);
        if let Some(title) = &m.title {
            return Some(type_name(title));
        }
        single_string(m).filter(|v| !v.is_empty()).map(|v| type_name(v))
    }

    /// A scalar by its kind and format (`String`, `DateTime`, `Base64`), a list by what it holds
    /// (`NumberList`, `PetList`, `NumberLists`); `None` for an object.
    fn kind_name(&self, m: &Schema) -> Option<String> {
        let kind = match m.types.non_null().0 {
            Types::STRING => match m.format.as_deref() {
                Some("date-time") => "DateTime",
                Some("date") => "Date",
                Some("byte") => "Base64",
                Some("binary") => "Binary",
                Some("uri" | "url") => "Uri",
                Some("uuid") => "Uuid",
                Some("email") => "Email",
                _ => "String",
            },
            Types::INTEGER => "Integer",
            Types::NUMBER => "Number",
            Types::BOOLEAN => "Boolean",
            Types::ARRAY => {
                let held = m.items.and_then(|items| {
                    self.described_name(items).or_else(|| self.kind_name(self.schema(self.plain_target(items))))
                });
                // A list of lists reads as `NumberLists`, not `NumberListList`.
                return Some(match held {
                    Some(held) if held.ends_with("List") => format!("{held}s"),
                    Some(held) => format!("{held}List"),
                    None => "Array".into(),
                });
            }
            _ => return None,
        };
        Some(kind.into())
    }

    pub(super) fn type_list_union(&mut self, s: &'s Schema, types: Types, hint: &Hint, scope: Option<NameScope>) -> Ty {
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
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Union(Union { variants, discriminator: None }),
            origin: s.pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, scope))
    }
}

/// Puts the alternatives of unions read by trying each in turn (no discriminator) in the order
/// that lets each be chosen: exact values before open ones, integers before numbers, objects
/// that require something before those that take any object, anything-goes last. Values an
/// open enum would swallow are kept for the alternatives after it by emit, which tries enums by
/// their listed values first and objects by the members that came.
pub fn order_alternatives(types: &mut [TypeDef]) {
    let ranks: Vec<Vec<(u16, std::cmp::Reverse<usize>)>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(u) if !u.dispatched() => u.variants.iter().map(|v| specificity(types, &v.ty, 0)).collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, ranks) in types.iter_mut().zip(ranks) {
        let TypeKind::Union(u) = &mut def.kind else { continue };
        if ranks.is_empty() {
            continue;
        }
        let mut ranked: Vec<(UnionVariant, (u16, std::cmp::Reverse<usize>))> =
            std::mem::take(&mut u.variants).into_iter().zip(ranks).collect();
        ranked.sort_by_key(|(_, rank)| *rank); // Stable: the document's order breaks ties.
        u.variants = ranked.into_iter().map(|(v, _)| v).collect();
    }
}

/// How narrow the values of a type are, smaller first: scalars, then arrays (by their items:
/// integers before numbers there too), objects that require something, other unions, maps (by
/// their values), anything.
fn specificity(types: &[TypeDef], ty: &Ty, depth: usize) -> (u16, std::cmp::Reverse<usize>) {
    use std::cmp::Reverse;
    let rank = |r: u16| (r, Reverse(0));
    let inner = |t: &Ty| if depth < 8 { specificity(types, t, depth + 1).0 } else { 20 };
    match ty {
        Ty::Unit => rank(0),
        Ty::Bool => rank(1),
        Ty::I32 => rank(3),
        Ty::I64 => rank(4),
        Ty::U64 => rank(5),
        Ty::F64 => rank(6),
        Ty::DateTime => rank(7),
        Ty::Date => rank(8),
        Ty::String | Ty::File | Ty::Bytes | Ty::Content => rank(10),
        Ty::Tuple(_) => rank(100),
        Ty::Vec(item) => rank(200 + inner(item).min(199)),
        Ty::Map(value) => rank(700 + inner(value).min(199)),
        Ty::Any => rank(999),
        Ty::Option(inner) => specificity(types, inner, depth),
        Ty::Named(id) => match &types[id.0].kind {
            TypeKind::Enum(e) if e.integer => rank(2),
            TypeKind::Enum(_) => rank(9),
            // Among objects, emit picks by what the value keeps; a struct that takes any object
            // (nothing required) goes after those that ask for something.
            TypeKind::Struct(s) => {
                (500, Reverse(usize::from(s.fields.iter().any(|f| f.presence.is_required()) || s.tag.is_some())))
            }
            TypeKind::Alias(target) if depth < 8 => specificity(types, target, depth + 1),
            TypeKind::Newtype(target) if depth < 8 => specificity(types, target, depth + 1),
            TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => rank(600),
        },
    }
}

/// The one string value a schema allows (`const`, or a one-item `enum`).
fn single_string(s: &Schema) -> Option<&String> {
    match (&s.const_value, s.enum_values.as_deref()) {
        (Some(Value::String(v)), _) | (None, Some([Value::String(v)])) => Some(v),
        _ => None,
    }
}

fn declares(s: &Schema, property: &str) -> bool {
    s.properties.iter().any(|(p, _)| p == property)
}
