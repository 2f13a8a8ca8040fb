//! The facts file as YAML gives it, before the schema is applied.

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// The whole file: an optional header and the facts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub organisation: Option<RawOrganisation>,
    pub facts: Option<Spanned<RawFacts>>,
    pub items: Option<Spanned<RawItems>>,
}

/// The `items:` mapping: each kind's list, in file order.
#[derive(Debug, Clone, Default)]
pub struct RawItems(pub Vec<(Spanned<String>, Spanned<RawList>)>);

/// One kind's list, as written.
#[derive(Debug, Clone)]
pub enum RawList {
    /// A list of items.
    List(Vec<Spanned<RawItem>>),
    /// `null` or nothing.
    Null,
    /// A single value or a mapping, where a list was wanted.
    NotAList,
}

/// One item, as written.
#[derive(Debug, Clone)]
pub enum RawItem {
    /// A mapping of `id`, `label` and fields to values, in file order.
    Map(Vec<(Spanned<String>, Spanned<RawScalar>)>),
    /// Anything else.
    NotAMapping,
}

/// Who the facts describe.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub name: Option<Spanned<String>>,
    pub id: Option<Spanned<RawScalar>>,
    pub recorded: Option<Spanned<RawScalar>>,
}

/// The facts mapping, in file order.
#[derive(Debug, Clone, Default)]
pub struct RawFacts(pub Vec<(Spanned<String>, Spanned<RawScalar>)>);

/// One YAML value, as plain as YAML says it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawScalar {
    Null,
    /// A key with nothing after it (`decided:`), which YAML reads as null.
    /// A facts file refuses it: a blank may be an answer left out by
    /// accident, and `null` says "has not happened" on purpose.
    Blank,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A list or mapping, where a single value was wanted.
    Nested,
}

impl<'de> Deserialize<'de> for RawFacts {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFacts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of fact names to values")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawFacts, E> {
                Ok(RawFacts::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFacts, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<Spanned<RawScalar>>()?;
                    out.push((k, v));
                }
                Ok(RawFacts(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawItems {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItems;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of item kinds to lists of items")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawItems, E> {
                Ok(RawItems::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItems, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value::<Spanned<RawList>>()?));
                }
                Ok(RawItems(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawList {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of items")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawList, E> {
                Ok(RawList::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawList, E> {
                Ok(RawList::Null)
            }
            fn visit_some<D2: de::Deserializer<'de>>(self, d: D2) -> Result<RawList, D2::Error> {
                RawList::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawList, E> {
                Ok(RawList::NotAList)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawList, E> {
                Ok(RawList::NotAList)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawList, E> {
                Ok(RawList::NotAList)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawList, E> {
                Ok(RawList::NotAList)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawList, E> {
                Ok(RawList::NotAList)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawList, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawItem>>()? {
                    out.push(item);
                }
                Ok(RawList::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawList, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawList::NotAList)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an item: a mapping of its fields to values")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawItem, E> {
                Ok(RawItem::NotAMapping)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawItem, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawItem::NotAMapping)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItem, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value::<Spanned<RawScalar>>()?));
                }
                Ok(RawItem::Map(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawScalar {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawScalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a single value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawScalar, E> {
                Ok(RawScalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawScalar, E> {
                Ok(RawScalar::Null)
            }
            fn visit_some<D2: de::Deserializer<'de>>(self, d: D2) -> Result<RawScalar, D2::Error> {
                RawScalar::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<RawScalar, E> {
                Ok(RawScalar::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<RawScalar, E> {
                Ok(RawScalar::Int(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<RawScalar, E> {
                Ok(i64::try_from(n).map_or(RawScalar::Float(n as f64), RawScalar::Int))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<RawScalar, E> {
                Ok(RawScalar::Float(n))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawScalar, E> {
                Ok(RawScalar::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<RawScalar, E> {
                Ok(RawScalar::Str(s))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawScalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawScalar::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawScalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawScalar::Nested)
            }
        }
        d.deserialize_any(V)
    }
}

impl RawScalar {
    /// The value as written at its place: a null written as nothing at all
    /// (`key:` and the end of the line) is [`RawScalar::Blank`].
    pub(crate) fn as_written(value: Spanned<RawScalar>) -> RawScalar {
        match value.value {
            RawScalar::Null if value.referenced.span().byte_len() == Some(0) => RawScalar::Blank,
            other => other,
        }
    }
}
