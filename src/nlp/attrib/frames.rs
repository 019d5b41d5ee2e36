//! Learned cue frames: a word form in a parse frame that PolNeAR train marks as an
//! attribution cue in most of its uses, where the lexicon and the word-order rules read
//! none ("released a statement", "mentioned the emails", "his criticism of …", "railed
//! against …"). The frames (`data/lexicon/cues-learned.tsv`, rows with a fourth column,
//! made by `newsgrid train cues`) are a verb's first complement and its subject
//! (`V:obj:subj`, `V:ccomp:nosubj`, `V:obl:pass`, …) or a noun's relation to its head
//! (`N:obj`, `N:obl`). Only forms of [`SPEECH_FORMS`] are read: PolNeAR also marks
//! attitudes, acts and perceptions ("seemed", "wants", "supported", "voted", "see"),
//! which the realnews guidelines count as no speech.

use super::super::events::lexicon::word_eq;
use super::super::parse::{Deprel, Upos};
use super::super::parse_cache::SentView;
use super::super::Doc;
use std::collections::HashMap;

/// Speech and writing acts (and their nouns) whose learned frames are cues. Stance
/// verbs with a plain object ("blasted", "praised") are left to the lexicon's `STANCE`
/// rows.
#[rustfmt::skip]
pub(crate) const SPEECH_FORMS: &[&str] = &[
    "statement", "statements", "criticism", "admission", "remarks", "comments", "mention", "mentioned",
    "mentioning", "released", "issued", "posted", "published", "discuss", "discussed", "respond",
    "responded", "commented", "comment", "citing", "cites", "cited", "accused", "accusing", "describe", "described",
    "describing", "portrayed", "referenced", "referencing", "repeated", "repeating", "retweeted",
    "tweeting", "emailed", "quoted", "recounted", "recalling", "explain", "voiced", "decried", "railed", "lashed",
    "bemoaned", "touted", "touting", "highlighted", "invoked", "thanked", "thanking", "calling", "calls", "call",
    "called", "said", "say", "saying", "telling", "tell", "told", "wrote", "announced", "confirmed", "articulated",
    "outlined", "echoed", "apologized", "pleaded", "urged", "urging", "questioned", "stressed", "emphasize", "remind",
    "express", "expressed", "declare", "announce", "claims", "claim", "speech",
    "interview", "letter", "tweet", "tweeted", "remark", "warned", "warning", "promised", "promise", "pledged",
    "vowed", "denied", "insisted", "argued", "suggested", "noted", "added", "explained", "admitted", "acknowledged",
    "reiterated", "writes",
];

/// Verbs of putting out a document: cues only when their object is a statement, a
/// video, a letter, … ("released a statement", not "released the hostages" or "released
/// its earnings").
const PUBLISHING: &[&str] = &["released", "issued", "posted", "published"];

/// Objects that make [`PUBLISHING`] verbs statements.
const DOCUMENTS: &[&str] = &[
    "statement",
    "statements",
    "video",
    "videos",
    "ad",
    "ads",
    "letter",
    "memo",
    "message",
    "messages",
    "tweet",
    "tweets",
    "post",
    "op-ed",
    "editorial",
    "comment",
    "comments",
    "remarks",
    "response",
    "transcript",
    "announcement",
    "apology",
    "warning",
    "report",
    "reports",
    "email",
    "emails",
    "note",
    "essay",
    "column",
    "press",
    "release",
    "rebuttal",
    "explanation",
    "denial",
    "plea",
];

/// Whether the frame cue at `k` (lowercase `form`) is a statement by its object: always,
/// except a [`PUBLISHING`] verb, whose object must be one of [`DOCUMENTS`].
pub(crate) fn object_ok(doc: &Doc, p: &SentView, k: usize, form: &str) -> bool {
    if !PUBLISHING.contains(&form) {
        return true;
    }
    p.child_where(k, |d| d == Deprel::Obj).is_some_and(|o| DOCUMENTS.iter().any(|w| word_eq(doc.token_text(o), w)))
}

/// The frame of token `k`: `N:<deprel>` for a noun, `V:<complement>:<subject>` for a
/// verb (complement: ccomp, xcomp, obj, obl or none, the first found in that order;
/// subject: pass for a passive, subj with a subject, else nosubj). None for other tags.
pub(crate) fn frame_of(p: &SentView, k: usize) -> Option<String> {
    match p.upos(k)? {
        Upos::Noun => Some(format!("N:{}", p.deprel(k)?.as_str())),
        Upos::Verb => {
            let has = |f: &dyn Fn(Deprel) -> bool| p.child_where(k, f).is_some();
            let comp = if has(&|d| d == Deprel::Ccomp) {
                "ccomp"
            } else if has(&|d| d == Deprel::Xcomp) {
                "xcomp"
            } else if has(&|d| d == Deprel::Obj) {
                "obj"
            } else if has(&|d| d.as_str().split(':').next() == Some("obl")) {
                "obl"
            } else {
                "none"
            };
            let subj = if has(&|d| matches!(d, Deprel::NsubjPass | Deprel::AuxPass)) {
                "pass"
            } else if has(&|d| d.as_str().split(':').next() == Some("nsubj")) {
                "subj"
            } else {
                "nosubj"
            };
            Some(format!("V:{comp}:{subj}"))
        }
        _ => None,
    }
}

/// Frames per form, from the learned TSV rows that carry one (form, gold uses, uses,
/// frame).
pub(crate) fn learned_frames(text: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (_, f) in super::super::events::lexicon::tsv_rows(text) {
        if let [form, _, _, frame, ..] = f.as_slice() {
            let form = form.to_lowercase();
            out.entry(form).or_default().push(frame.to_string());
        }
    }
    out
}
