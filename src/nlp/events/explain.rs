//! `newsgrid explain "<sentence>"` (issue #14, part 4): the tokens, tags and parse of a
//! text, its entity mentions, each candidate trigger with the pass that kept or dropped
//! it, the events that come out, and the attributions (cue, source, content). For a user
//! disputing a row, or a developer adding a rule.

use super::EventExtractor;
use crate::nlp::ner::NerModel;
use crate::nlp::parse::{ParseModel, Parsed};
use crate::nlp::Doc;
use std::fmt::Write;

/// The report for `text`. `syntax` and `event_filter` as in `[extract]`; the parse is
/// printed either way.
pub fn explain(text: &str, syntax: bool, event_filter: bool) -> Result<String, String> {
    let ner = NerModel::builtin().map_err(|e| format!("cannot load the entity model: {e}"))?;
    let parser = ParseModel::builtin().map_err(|e| format!("cannot load the parse model: {e}"))?;
    let doc = Doc::new(text);
    let mentions = ner.tag(&doc);
    let mut out = String::new();
    let mut parsed = Parsed::default();
    for (si, s) in doc.sentences.iter().enumerate() {
        let words: Vec<&str> = s.tokens.clone().map(|k| doc.token_text(k)).collect();
        parser.parse(&words, &mut parsed);
        let _ = writeln!(out, "sentence {si}: {}", doc.span_text(s.span));
        let _ = writeln!(out, "  {:>3}  {:<20} {:<6} {:>4}  deprel", "#", "word", "upos", "head");
        for (w, word) in words.iter().enumerate() {
            let upos = parsed.upos.get(w).map_or("_", |u| u.as_str());
            let head = parsed.head.get(w).copied().unwrap_or(0);
            let rel = parsed.deprel.get(w).map_or("_", |d| d.as_str());
            let _ = writeln!(out, "  {:>3}  {:<20} {:<6} {:>4}  {rel}", w + 1, word, upos, head);
        }
    }
    let _ = writeln!(out, "mentions:");
    for m in &mentions {
        let _ = writeln!(out, "  {} {:?}", m.entity_type.as_str(), doc.span_text(m.span));
    }
    let x = EventExtractor::builtin().with_parser(syntax.then(|| parser.clone())).with_filter(event_filter);
    super::trace_passes(true);
    let events = x.extract(&doc, &mentions);
    let notes = super::take_trace();
    super::trace_passes(false);
    let _ = writeln!(out, "candidate triggers (syntax {syntax}, event_filter {event_filter}):");
    if notes.is_empty() {
        let _ = writeln!(out, "  none (no lexicon trigger, or blocked before any pass)");
    }
    for n in notes {
        let _ = writeln!(out, "  {n}");
    }
    let _ = writeln!(out, "events:");
    let part = |s: Option<crate::nlp::Span>| s.map_or("-".to_string(), |s| format!("{:?}", doc.span_text(s)));
    for e in &events {
        let _ = writeln!(
            out,
            "  {} {:?} actor {} recipient {}{}{}",
            e.event_type.as_str(),
            doc.span_text(e.trigger),
            part(e.actor),
            part(e.recipient),
            if e.mode.is_empty() { String::new() } else { format!(" mode {}", e.mode) },
            if e.negated { " NEGATED" } else { "" }
        );
    }
    let attributions = crate::nlp::attrib::AttributionExtractor::builtin().with_parser(syntax.then_some(parser)).extract(&doc, &mentions);
    let _ = writeln!(out, "attributions:");
    for a in &attributions {
        let _ = writeln!(
            out,
            "  {} cue {:?} source {} content {:?} confidence {:.2}",
            a.kind.as_str(),
            doc.span_text(a.cue),
            part(a.source),
            doc.span_text(a.content),
            a.confidence
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn explains_a_kept_and_a_dropped_trigger() {
        let r = super::explain("Russia attacked Ukraine. Russia could attack Ukraine.", true, false).expect("builtin models");
        assert!(r.contains("attacked"), "{r}");
        assert!(r.contains("built by the rules"), "{r}");
        assert!(r.contains("dropped by `hypothetical`"), "{r}");
        assert!(r.contains("nsubj"), "{r}");
    }

    #[test]
    fn explains_the_attributions() {
        let r = super::explain("Prices will keep rising this year, said Janet Yellen, the Treasury secretary.", true, false)
            .expect("builtin models");
        let line = r.lines().skip_while(|l| *l != "attributions:").nth(1).unwrap_or_default();
        assert!(line.contains("cue \"said\"") && line.contains("source \"Janet Yellen\""), "{r}");
    }
}
