//! `oneOf`/`anyOf` and `type` lists: alternatives as enum variants, discriminators (declared or
//! implied by constants), and variant names.

use super::*;

impl<'s> TypeBuilder<'s> {
    pub(super) fn union(&mut self, s: &'s Schema, members: &[SchemaId], hint: &Hint, scope: Option<NameScope>) -> Ty {
        let scope = scope.unwrap_or_else(|| self.new_scope());
        let mut names = Scope::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut member_ids = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let base = self.variant_name(*member, i);
            let lowered =
                self.lower(*member, &Hint { scope: Some(scope), suffix: base.clone(), bare: None, weak: false });
            let ty = if lowered.nullable { Ty::Option(Box::new(lowered.ty)) } else { lowered.ty };
            if variants.iter().any(|v| v.ty == ty) {
                continue; // Two members with one Rust type: the first wins, the second never would.
            }
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
            usage: Usage::default(),
            used_by: Vec::new(),
            name: String::new(),
            docs: docs(s),
            kind: TypeKind::Union(Union { variants, discriminator }),
            origin: s.pointer.clone(),
        };
        Ty::Named(self.intern(key, def, hint, Some(scope)))
    }

    /// The property every variant fixes to its own constant, with each variant's value.
    pub(super) fn implicit_discriminator(&self, variants: &[UnionVariant]) -> Option<(String, Vec<(String, usize)>)> {
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

    pub(super) fn variant_name(&self, member: SchemaId, index: usize) -> String {
        if let Some(name) = self.component_name(member) {
            return type_name(&name);
        }
        let m = self.schema(member);
        if let Some(title) = &m.title {
            return type_name(title);
        }
        // A one-value alternative (`enum: [draft]`, `const`) is named by its value.
        let single = match (&m.const_value, m.enum_values.as_deref()) {
            (Some(Value::String(v)), _) | (None, Some([Value::String(v)])) => Some(v),
            _ => None,
        };
        if let Some(value) = single.filter(|v| !v.is_empty()) {
            return type_name(value);
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
            TypeKind::Struct(s) => (500, Reverse(usize::from(s.fields.iter().any(|f| f.required) || s.tag.is_some()))),
            TypeKind::Alias(target) if depth < 8 => specificity(types, target, depth + 1),
            TypeKind::Newtype(target) if depth < 8 => specificity(types, target, depth + 1),
            TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => rank(600),
        },
    }
}
