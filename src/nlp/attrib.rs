//! Attribution extraction. Interface: `AttributionExtractor::builtin()`,
//! `AttributionExtractor::extract(&Doc, &[Mention]) -> Vec<Attribution>`.

use super::{Attribution, Doc, Mention};

pub struct AttributionExtractor {}

impl AttributionExtractor {
    pub fn builtin() -> AttributionExtractor {
        AttributionExtractor {}
    }

    pub fn extract(&self, _doc: &Doc, _mentions: &[Mention]) -> Vec<Attribution> {
        Vec::new()
    }
}
