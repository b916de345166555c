//! The wire form of the API's objects, written once as a macro rather than derived per type.
//!
//! serde's derives expand to a field enum, its visitor (by index, name and bytes), a visitor
//! of sequences and one of maps, for every struct: most of what a large crate costs to
//! compile. An API's objects need only the map form, and [`object!`] writes just that, a few
//! lines per member, with the same behaviour: members in any order, unknown ones skipped
//! (or kept, where the object keeps additional members), an optional member left out reads
//! as absent and is not written, a required member that may be `null` reads as `None` when
//! left out.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::Nullable;

/// A member's name, borrowed from the input where the format allows it.
#[allow(dead_code)] // Not every API receives objects.
pub(crate) struct Key<'de>(Cow<'de, str>);

#[allow(dead_code)]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// For objects that keep undocumented members.
    pub(crate) fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// Reads a member's value into its slot. Each object's reader calls this, and the others below,
/// once per member it knows, and applies `?` once to whichever ran: the fewer branches each
/// member adds there, the less the compiler has to check.
#[allow(dead_code)] // Not every API receives objects.
pub(crate) fn read_member<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips a member's value.
#[allow(dead_code)] // Not every API receives objects.
pub(crate) fn skip_member<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// Keeps an undocumented member, for an object that has `additional_properties`.
#[allow(dead_code)] // Not every API has objects with additional members.
pub(crate) fn keep_member<'de, A: de::MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    key: Key<'de>,
    members: &mut std::collections::BTreeMap<String, V>,
) -> Result<(), A::Error> {
    members.insert(key.into_owned(), map.next_value()?);
    Ok(())
}

/// A required member's value, or serde's "missing field" error.
#[allow(dead_code)] // Not every API has objects with required members.
pub(crate) fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// An optional member: left out when written while absent.
#[allow(dead_code)] // Not every API sends objects.
pub(crate) trait Optional {
    fn is_absent(&self) -> bool;
}

impl<T> Optional for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Optional for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}

/// An object's struct, with its `Serialize` and `Deserialize`, each compiled always or only
/// with the `full-serde` feature:
///
/// ```text
/// object! {
///     /// An image or a document.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Asset {
///         pub id: String = "id" required,
///         pub created_on: Option<DateTime<Utc>> = "createdOn" optional dates,
///     }
///     tag "type" = "image", extra additional_properties: BTreeMap<String, Value>; read always, write full_serde
/// }
/// ```
///
/// The struct is written as declared, each member with its wire name and kind after it: one
/// declaration where serde's derive needs a struct and an attribute per member. A member is
/// `required`, `nullable` (required, but `null` may stand for it: read as `None` when missing,
/// as serde's derive does) or `optional` (left out when absent). `dates` reads it with
/// `crate::time`'s lenient date parsing; `tag` writes a constant member first (and skips it
/// when read); `extra` adds a public map that keeps undocumented members. Each member's type is
/// spelled out: inferred from the struct literal at the end, every member would stay an open
/// question until then, and type-checking grows with their square. The impls' own names
/// (`__Members`, `__A`…) are ones no generated type takes: a member's type is named inside them.
#[allow(unused_macros)] // Not every API has objects.
macro_rules! object {
    ($(#[$attr:meta])* $vis:vis struct $name:ident {
        $($(#[$member_attr:meta])* $member_vis:vis $field:ident: $ty:ty = $wire:literal $kind:ident $($dates:ident)?),* $(,)?
    } $(tag $tag:literal = $tag_value:literal,)? $(extra $extra:ident: $extra_ty:ty;)? read $read:ident, write $write:ident) => {
        $(#[$attr])*
        $vis struct $name {
            $($(#[$member_attr])* $member_vis $field: $ty,)*
            $(
                /// Members beyond the documented ones.
                pub $extra: $extra_ty,
            )?
        }
        crate::runtime::object!(@impls $name { $($field: $ty = $wire $kind $($dates)?),* }
            $(tag $tag = $tag_value,)? $(extra $extra: $extra_ty;)? read $read, write $write);
    };
    (@impls $name:ident { $($field:ident: $ty:ty = $wire:literal $kind:ident $($dates:ident)?),* }
        $(tag $tag:literal = $tag_value:literal,)? $(extra $extra:ident: $extra_ty:ty;)? read $read:ident, write $write:ident) => {
        crate::runtime::object!(@gate $read impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Members;
                impl<'de> ::serde::de::Visitor<'de> for __Members {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    #[allow(deprecated)]
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)*
                        $(let mut $extra: $extra_ty = ::std::default::Default::default();)?
                        while let ::std::option::Option::Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => crate::runtime::object!(@read map $field $($dates)?),)*
                                $($tag => crate::runtime::skip_member(&mut map),)?
                                _ => crate::runtime::object!(@unknown map key $($extra)?),
                            }?;
                        }
                        ::std::result::Result::Ok($name {
                            $($field: crate::runtime::object!(@$kind $field $wire),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Members)
            }
        });
        crate::runtime::object!(@gate $write impl ::serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeMap;
                #[allow(unused_mut)] // An object with no members writes none.
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(map.serialize_entry($tag, $tag_value)?;)?
                $(crate::runtime::object!(@write map self.$field, $wire, $kind);)*
                $(for (key, value) in &self.$extra { map.serialize_entry(key, value)?; })?
                map.end()
            }
        });
    };
    (@gate always $($item:tt)*) => { $($item)* };
    (@gate full_serde $($item:tt)*) => { #[cfg(feature = "full-serde")] $($item)* };
    (@read $map:ident $field:ident) => { crate::runtime::read_member(&mut $map, &mut $field) };
    (@read $map:ident $field:ident dates) => { crate::time::read_member(&mut $map, &mut $field) };
    (@required $field:ident $wire:literal) => { crate::runtime::required::<_, __A::Error>($field, $wire)? };
    (@nullable $field:ident $wire:literal) => { $field.unwrap_or_default() };
    (@optional $field:ident $wire:literal) => { $field.unwrap_or_default() };
    (@unknown $map:ident $key:ident) => { crate::runtime::skip_member(&mut $map) };
    (@unknown $map:ident $key:ident $extra:ident) => { crate::runtime::keep_member(&mut $map, $key, &mut $extra) };
    (@write $map:ident $value:expr, $wire:literal, required) => { $map.serialize_entry($wire, &$value)? };
    (@write $map:ident $value:expr, $wire:literal, nullable) => { $map.serialize_entry($wire, &$value)? };
    (@write $map:ident $value:expr, $wire:literal, optional) => {
        if !crate::runtime::Optional::is_absent(&$value) {
            $map.serialize_entry($wire, &$value)?;
        }
    };
}
#[allow(unused_imports)] // Not every API has objects.
pub(crate) use object;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::runtime::Nullable;

    crate::runtime::object! {
        #[derive(Debug, PartialEq)]
        struct Asset {
            id: String = "id" required,
            parent: Option<i64> = "parentId" nullable,
            name: Option<String> = "name" optional,
            /// Cleared with `null`.
            note: Nullable<String> = "note" optional,
            r#type: Option<String> = "type" optional,
        }
        tag "kind" = "asset", extra additional_properties: BTreeMap<String, serde_json::Value>; read always, write always
    }

    crate::runtime::object! {
        #[derive(Debug, PartialEq)]
        struct Plain {
            id: i64 = "id" required,
        }
        read always, write always
    }

    fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn members_are_read_in_any_order_and_unknown_ones_kept_or_skipped() {
        let asset: Asset = read(r#"{"note": null, "extra": [1], "kind": "asset", "parentId": 7, "id": "a", "type": "image"}"#)
            .expect("reads");
        assert_eq!(asset.id, "a");
        assert_eq!(asset.parent, Some(7));
        assert_eq!(asset.name, None);
        assert_eq!(asset.note, Nullable::Null);
        assert_eq!(asset.r#type.as_deref(), Some("image"));
        // The tag is the type's own, not an undocumented member.
        assert_eq!(asset.additional_properties, BTreeMap::from([("extra".to_string(), serde_json::json!([1]))]));
        let plain: Plain = read(r#"{"id": 3, "other": {"deep": [true]}}"#).expect("reads");
        assert_eq!(plain, Plain { id: 3 });
    }

    #[test]
    fn a_missing_member_is_an_error_unless_it_may_be_null() {
        assert_eq!(read::<Plain>("{}").expect_err("refused"), "missing field `id` at line 1 column 2");
        let asset: Asset = read(r#"{"id": "a"}"#).expect("a required nullable member may be missing");
        assert_eq!((asset.parent, asset.note), (None, Nullable::Absent));
        let wrong = read::<Plain>(r#"{"id": "three"}"#).expect_err("refused");
        assert!(wrong.starts_with("invalid type: string \"three\", expected i64"), "{wrong}");
        let not_an_object = read::<Plain>("[3]").expect_err("refused");
        assert!(not_an_object.contains("expected an object (Plain)"), "{not_an_object}");
    }

    #[test]
    fn absent_members_are_left_out_and_the_tag_written_first() {
        let asset = Asset {
            id: "a".into(),
            parent: None,
            name: None,
            note: Nullable::Null,
            r#type: Some("image".into()),
            additional_properties: BTreeMap::from([("extra".to_string(), serde_json::json!(1))]),
        };
        let written = serde_json::to_string(&asset).expect("writes");
        assert_eq!(written, r#"{"kind":"asset","id":"a","parentId":null,"note":null,"type":"image","extra":1}"#);
        let back: Asset = read(&written).expect("reads what it wrote");
        assert_eq!(back, asset);
    }
}
