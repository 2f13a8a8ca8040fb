//! A scenario file as YAML gives it, before names and statuses are checked.

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::facts::raw::{RawFacts, RawItems, RawOrganisation, RawScalar};

/// The whole file: an organisation and facts shared by its scenarios, and the scenarios.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenarioFile {
    pub organisation: Option<RawOrganisation>,
    pub facts: Option<Spanned<RawFacts>>,
    pub items: Option<Spanned<RawItems>>,
    pub scenarios: Option<Spanned<Vec<Spanned<RawScenario>>>>,
}

/// One scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<RawScalar>>,
    pub as_of: Option<Spanned<RawScalar>>,
    pub known_on: Option<Spanned<RawScalar>>,
    pub organisation: Option<RawOrganisation>,
    pub facts: Option<Spanned<RawFacts>>,
    /// Lists of items: each replaces the file's shared list of its kind.
    pub items: Option<Spanned<RawItems>>,
    /// Shared facts this scenario takes as unknown.
    pub unknown: Option<Vec<Spanned<String>>>,
    pub expect: Option<Spanned<Entries<RawScalar>>>,
    pub missing: Option<Spanned<Entries<Vec<Spanned<String>>>>>,
    /// Rule → item key → the status expected of that item.
    pub expect_items: Option<Spanned<Entries<Entries<RawScalar>>>>,
    /// Why the scenario's expectations are disputed: it may fail without failing the run.
    pub disputed: Option<Spanned<RawScalar>>,
}

/// A mapping from names to values, in file order, each located.
#[derive(Debug, Clone)]
pub struct Entries<V>(pub Vec<(Spanned<String>, Spanned<V>)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of rule names")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Entries<V>, E> {
                Ok(Entries::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value::<Spanned<V>>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}
