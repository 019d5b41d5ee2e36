//! PLOVER event extraction. Interface: `EventExtractor::builtin()`,
//! `EventExtractor::extract(&Doc, &[Mention]) -> Vec<Event>`.

use super::{Doc, Event, Mention};

pub struct EventExtractor {}

impl EventExtractor {
    pub fn builtin() -> EventExtractor {
        EventExtractor {}
    }

    pub fn extract(&self, _doc: &Doc, _mentions: &[Mention]) -> Vec<Event> {
        Vec::new()
    }
}
