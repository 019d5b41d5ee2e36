//! A learned keep-or-drop pass over the events the rules built (issue #14, part 5): a
//! logistic model over parse features of the trigger (its word, tag, relation, governor,
//! auxiliaries and markers, the kind of its actor and recipient), trained on
//! `realnews-train` by `scripts/train_event_filter.py` and shipped as
//! `data/lexicon/event_filter.tsv`. It runs only where the sentence is parsed
//! (`[extract] syntax = true`).
//!
//! `record_features(true)` makes this thread keep every scored candidate's features
//! instead of dropping any (the eval's `NEWSGRID_EVENT_FEATURES` dump, which the
//! training script reads).

use super::lexicon::word_eq;
use super::phrase::{is_subject_pronoun, token_at};
use super::syntax::SentenceParse;
use crate::nlp::parse::Deprel;
use crate::nlp::{Doc, Event, Mention, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

const FILTER_TSV: &str = include_str!("../../../data/lexicon/event_filter.tsv");

/// Feature weights and the score under which a candidate is dropped.
pub(crate) struct Filter {
    weights: HashMap<String, f32>,
    threshold: f32,
}

impl Filter {
    /// The shipped model; None when the file holds no weights.
    pub fn builtin() -> Option<Filter> {
        Filter::from_tsv(FILTER_TSV)
    }

    /// Lines `feature<TAB>weight`; `#threshold<TAB>x` sets the cut. Bad lines are skipped.
    pub fn from_tsv(text: &str) -> Option<Filter> {
        let mut weights = HashMap::new();
        let mut threshold = 0.0;
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(name), Some(w)) = (f.next(), f.next()) else { continue };
            let Ok(w) = w.trim().parse::<f32>() else { continue };
            if name == "#threshold" {
                threshold = w;
            } else if !name.starts_with('#') {
                weights.insert(name.to_string(), w);
            }
        }
        (!weights.is_empty()).then_some(Filter { weights, threshold })
    }

    pub fn score(&self, features: &[String]) -> f32 {
        features.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    pub fn keep(&self, features: &[String]) -> bool {
        self.score(features) >= self.threshold
    }
}

thread_local! {
    /// Features of the candidates scored on this thread, when recording.
    static RECORD: RefCell<Option<Vec<Recorded>>> = const { RefCell::new(None) };
    /// What happened to each candidate trigger, when tracing (`newsgrid explain`).
    static TRACE: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Start (or stop) noting, on this thread, which pass kept or dropped each candidate.
pub fn trace_passes(on: bool) {
    TRACE.with(|r| *r.borrow_mut() = on.then(Vec::new));
}

/// The notes since the last call (empty when not tracing).
pub fn take_trace() -> Vec<String> {
    TRACE.with(|r| r.borrow_mut().as_mut().map(std::mem::take).unwrap_or_default())
}

/// Note one verdict; the message is built only when tracing.
pub(crate) fn trace(note: impl FnOnce() -> String) {
    TRACE.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(note());
        }
    });
}

/// One scored candidate: its trigger (bytes of the document) and features.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub trigger: Span,
    pub features: Vec<String>,
}

/// Start (or stop) keeping the features of this thread's candidates; while on, the
/// filter drops nothing.
pub fn record_features(on: bool) {
    RECORD.with(|r| *r.borrow_mut() = on.then(Vec::new));
}

/// The features kept since the last call (empty when not recording).
pub fn take_recorded() -> Vec<Recorded> {
    RECORD.with(|r| r.borrow_mut().as_mut().map(std::mem::take).unwrap_or_default())
}

pub(crate) fn recording() -> bool {
    RECORD.with(|r| r.borrow().is_some())
}

pub(crate) fn record(trigger: Span, features: Vec<String>) {
    RECORD.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(Recorded { trigger, features });
        }
    });
}

fn lower(t: &str) -> String {
    t.chars().map(|c| if c == '\u{2019}' { '\'' } else { c.to_ascii_lowercase() }).filter(|c| !c.is_whitespace()).collect()
}

/// How a party reads: none, a name (with its type), a pronoun or another phrase.
fn party_kind(doc: &Doc, ms: &[&Mention], s: Option<Span>) -> String {
    match s {
        None => "none".to_string(),
        Some(s) => match ms.iter().find(|m| m.span.overlaps(s)) {
            Some(m) => m.entity_type.as_str().to_string(),
            None if is_subject_pronoun(doc.span_text(s)) => "pron".to_string(),
            None => "np".to_string(),
        },
    }
}

/// The features of event `ev` of the sentence `range`, read off its parse.
pub(crate) fn features(doc: &Doc, p: &SentenceParse, ms: &[&Mention], range: &Range<usize>, ev: &Event) -> Vec<String> {
    let head = token_at(doc, ev.trigger.start).clamp(range.start, range.end.saturating_sub(1));
    let t = ev.event_type.as_str();
    let h = lower(doc.token_text(head));
    let up = p.upos(head).map_or("_", |u| u.as_str());
    let dep = p.deprel(head).map_or("_", |d| d.as_str());
    let mut f: Vec<String> = vec![
        "bias".into(),
        format!("t:{t}"),
        format!("h:{h}"),
        format!("ht:{h}|{t}"),
        format!("trig:{}", lower(doc.span_text(ev.trigger))),
        format!("u:{up}"),
        format!("d:{dep}"),
        format!("ud:{up}|{dep}"),
        format!("td:{t}|{dep}"),
        format!("tu:{t}|{up}"),
        format!("m:{}", ev.mode),
    ];
    let suffix = if h.ends_with("ing") {
        "ing"
    } else if h.ends_with("ed") {
        "ed"
    } else if h.ends_with('s') {
        "s"
    } else {
        "0"
    };
    f.push(format!("suf:{suffix}"));
    match p.head(head) {
        Some(g) => {
            let gw = lower(doc.token_text(g));
            f.push(format!("g:{gw}"));
            f.push(format!("gu:{}", p.upos(g).map_or("_", |u| u.as_str())));
            f.push(format!("gd:{}", p.deprel(g).map_or("_", |d| d.as_str())));
            f.push(format!("dg:{dep}|{gw}"));
            for c in p.children(g) {
                if matches!(p.deprel(c), Some(Deprel::Aux)) {
                    f.push(format!("gaux:{}", lower(doc.token_text(c))));
                }
            }
            // Two steps up: "said ... that X attacked", "asked X to".
            let mut path = dep.to_string();
            let mut k = g;
            for _ in 0..2 {
                let Some(d) = p.deprel(k) else { break };
                path.push('>');
                path.push_str(d.as_str());
                match p.head(k) {
                    Some(up) => k = up,
                    None => break,
                }
            }
            f.push(format!("path:{path}"));
        }
        None => f.push("g:ROOT".into()),
    }
    let mut rels: Vec<&str> = Vec::new();
    for c in p.children(head) {
        let Some(d) = p.deprel(c) else { continue };
        if !rels.contains(&d.as_str()) {
            rels.push(d.as_str());
        }
        let w = lower(doc.token_text(c));
        match d {
            Deprel::Aux | Deprel::AuxPass | Deprel::Mark | Deprel::Cop => f.push(format!("{}:{w}", d.as_str())),
            Deprel::Advmod if matches!(&*w, "not" | "n't" | "never") => f.push("neg".into()),
            Deprel::Det => f.push(format!("det:{w}")),
            _ => {}
        }
    }
    for r in rels {
        f.push(format!("ch:{r}"));
    }
    let a = party_kind(doc, ms, ev.actor);
    let r = party_kind(doc, ms, ev.recipient);
    f.push(format!("a:{a}"));
    f.push(format!("r:{r}"));
    f.push(format!("ta:{t}|{a}"));
    f.push(format!("tr:{t}|{r}"));
    if head == range.start {
        f.push("first".into());
    }
    // Inside a quotation: an odd number of quote marks before the trigger.
    let quotes = (range.start..head).filter(|&k| matches!(doc.token_text(k), "\"" | "“" | "”")).count();
    if quotes % 2 == 1 {
        f.push("inquote".into());
    }
    if range.clone().any(|k| doc.token_text(k) == "?") {
        f.push("question".into());
    }
    if range.clone().any(|k| ["if", "whether", "unless"].iter().any(|w| word_eq(doc.token_text(k), w))) {
        f.push("if".into());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_weights_and_threshold() {
        let f = Filter::from_tsv("#threshold\t0.5\nbias\t0.2\nh:met\t1.0\nbad line\n").expect("weights");
        assert!(f.keep(&["bias".into(), "h:met".into()]));
        assert!(!f.keep(&["bias".into(), "h:other".into()]));
        assert!(Filter::from_tsv("# nothing\n").is_none());
        assert!(Filter::builtin().is_some(), "data/lexicon/event_filter.tsv holds weights");
    }
}
