//! Event and attribution evaluation on hand-marked real news (the `realnews-dev` /
//! `realnews-train` layout: `articles.jsonl`, `sentences.json`, `gold.json`).
//!
//! Each article goes through what the pipeline does to it: `clean_record` (HTML, NFC,
//! whitespace, sign-offs; the language filter of `extract` applies too) and
//! `extract_article` with the default settings. `normalize` adds ids and entities but
//! keeps or drops no event or attribution, so the raw rows are what the tables hold.
//!
//! Each gold sentence is found in the cleaned text: its string (or its normalised
//! string), the occurrence nearest the expected character offset. Scoring follows the
//! data's README ("How the held-out half is scored"):
//! - events: predictions whose trigger starts inside the sentence, negated ones aside,
//!   are matched one to one with gold events of the same type, trigger word overlap
//!   first, then any remaining one of that type: precision, recall. Among matches, actor
//!   and recipient are right when predicted and gold text share a word (function words
//!   aside) or both are null.
//! - speech: predictions (credits aside) whose cue starts inside the sentence are
//!   matched one to one with gold speech by cue word overlap; one that overlaps only a
//!   belief cue is ignored; parts of a split quote sharing one cue count once. Among
//!   matches, source accuracy as above.
//!
//! `NEWSGRID_EVAL_DUMP=FILE` writes one JSON line per sentence with gold and predicted
//! rows, for error analysis.

use super::events::{f1, ratio, EvalError};
use crate::config::{CleanConfig, ExtractConfig};
use crate::nlp::AttributionKind;
use crate::stages::extract::{extract_article, Extractors};
use crate::stages::text::normalize_text;
use crate::tables::schema::{RawAttributionRow, RawEventRow, RecordRow};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct ArticleIn {
    id: String,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SentenceIn {
    sid: String,
    article_id: String,
    start: usize,
    sentence: String,
}

/// One gold event.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub trigger: String,
    pub actor: Option<String>,
    pub recipient: Option<String>,
}

/// Reads a null string as empty (a quote whose speaker is named but no cue is given).
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// One gold speech act or belief. A null cue can match no prediction.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GoldSpeech {
    pub source: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub cue: String,
    pub content: Option<String>,
}

/// The marks of one sentence.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GoldMarks {
    pub sid: String,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    #[serde(default)]
    pub negated_events: Vec<GoldEvent>,
    #[serde(default)]
    pub speech: Vec<GoldSpeech>,
    #[serde(default)]
    pub beliefs: Vec<GoldSpeech>,
}

/// A predicted event as text.
#[derive(Debug, Clone, PartialEq)]
pub struct PredEvent {
    pub event_type: String,
    pub trigger: String,
    pub actor: Option<String>,
    pub recipient: Option<String>,
    pub negated: bool,
    pub mode: String,
}

/// A predicted attribution as text.
#[derive(Debug, Clone, PartialEq)]
pub struct PredSpeech {
    pub kind: String,
    pub cue: String,
    pub source: Option<String>,
    pub content: String,
}

/// Counts for one PLOVER type: gold, predicted, matched.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TypeCounts {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RealnewsReport {
    pub sentences: usize,
    /// Sentences not found in the cleaned text (their gold still counts).
    pub not_located: usize,
    /// Articles the pipeline would skip (language filter).
    pub skipped_articles: usize,
    pub gold_events: usize,
    pub predicted_events: usize,
    pub matched_events: usize,
    pub actor_correct: usize,
    pub recipient_correct: usize,
    /// Gold negated events, predicted negated events, and those matching by type.
    pub gold_negated: usize,
    pub predicted_negated: usize,
    pub matched_negated: usize,
    pub per_type: BTreeMap<String, TypeCounts>,
    pub gold_speech: usize,
    pub predicted_speech: usize,
    pub matched_speech: usize,
    /// Predictions that matched only a belief cue (not counted).
    pub belief_ignored: usize,
    pub source_correct: usize,
}

impl RealnewsReport {
    pub fn event_precision(&self) -> f64 {
        ratio(self.matched_events, self.predicted_events)
    }
    pub fn event_recall(&self) -> f64 {
        ratio(self.matched_events, self.gold_events)
    }
    pub fn event_f1(&self) -> f64 {
        f1(self.event_precision(), self.event_recall())
    }
    pub fn actor_accuracy(&self) -> f64 {
        ratio(self.actor_correct, self.matched_events)
    }
    pub fn recipient_accuracy(&self) -> f64 {
        ratio(self.recipient_correct, self.matched_events)
    }
    pub fn speech_precision(&self) -> f64 {
        ratio(self.matched_speech, self.predicted_speech)
    }
    pub fn speech_recall(&self) -> f64 {
        ratio(self.matched_speech, self.gold_speech)
    }
    pub fn speech_f1(&self) -> f64 {
        f1(self.speech_precision(), self.speech_recall())
    }
    pub fn source_accuracy(&self) -> f64 {
        ratio(self.source_correct, self.matched_speech)
    }
}

impl fmt::Display for RealnewsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "realnews: {} sentences ({} not found in the cleaned text, {} articles skipped by language)",
            self.sentences, self.not_located, self.skipped_articles
        )?;
        writeln!(f, "{:<12} {:>5} {:>5} {:>7}", "type", "gold", "pred", "matched")?;
        for (t, c) in &self.per_type {
            writeln!(f, "{:<12} {:>5} {:>5} {:>7}", t, c.gold, c.predicted, c.matched)?;
        }
        writeln!(
            f,
            "events precision {:.3} ({}/{})  recall {:.3} ({}/{})  F1 {:.3}",
            self.event_precision(),
            self.matched_events,
            self.predicted_events,
            self.event_recall(),
            self.matched_events,
            self.gold_events,
            self.event_f1()
        )?;
        writeln!(
            f,
            "actor accuracy {:.3} ({}/{})  recipient accuracy {:.3} ({}/{})",
            self.actor_accuracy(),
            self.actor_correct,
            self.matched_events,
            self.recipient_accuracy(),
            self.recipient_correct,
            self.matched_events
        )?;
        writeln!(
            f,
            "negated events: {} gold, {} predicted, {} matched by type",
            self.gold_negated, self.predicted_negated, self.matched_negated
        )?;
        writeln!(
            f,
            "speech precision {:.3} ({}/{})  recall {:.3} ({}/{})  F1 {:.3}  ({} on belief cues ignored)",
            self.speech_precision(),
            self.matched_speech,
            self.predicted_speech,
            self.speech_recall(),
            self.matched_speech,
            self.gold_speech,
            self.speech_f1(),
            self.belief_ignored
        )?;
        write!(f, "source accuracy {:.3} ({}/{})", self.source_accuracy(), self.source_correct, self.matched_speech)
    }
}

/// Words that make no overlap on their own.
const FUNCTION_WORDS: &[&str] = &["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "s"];

/// Lowercased alphanumeric words of `s`, function words aside.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// True when the two texts share a word.
pub fn word_overlap(a: &str, b: &str) -> bool {
    let wa = words(a);
    words(b).iter().any(|w| wa.contains(w))
}

/// Both null, or both present and sharing a word.
pub fn same_party(pred: Option<&str>, gold: Option<&str>) -> bool {
    match (pred, gold) {
        (None, None) => true,
        (Some(p), Some(g)) => word_overlap(p, g),
        _ => false,
    }
}

/// Char offset of the occurrence of `needle` in `hay` nearest `expected` (a char offset).
fn find_near(hay: &str, needle: &str, expected: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let mut chars_before = 0usize;
    let mut last_byte = 0usize;
    for (byte, _) in hay.match_indices(needle) {
        chars_before += hay.get(last_byte..byte).map_or(0, |s| s.chars().count());
        last_byte = byte;
        let d = chars_before.abs_diff(expected);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, chars_before));
        }
    }
    best.map(|(_, c)| c)
}

/// A marked "sentence" that runs across a paragraph break can hold publisher furniture
/// ("Advertisement", "Story Continued Below") that clean removes: the sentence is then
/// scored on its longest paragraph part that is still in the text (char offset, length).
fn locate_prose_part(hay: &str, sentence: &str, expected: usize) -> Option<(usize, usize)> {
    let mut parts: Vec<String> = sentence.split('\n').map(normalize_text).filter(|p| p.chars().count() >= 20).collect();
    parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    parts.into_iter().find_map(|p| find_near(hay, &p, expected).map(|c| (c, p.chars().count())))
}

/// Match predicted events to gold events one to one by type, trigger overlap first.
/// Returns (pred index, gold index) pairs.
pub fn match_events(pred: &[PredEvent], gold: &[GoldEvent]) -> Vec<(usize, usize)> {
    let mut used_p = vec![false; pred.len()];
    let mut used_g = vec![false; gold.len()];
    let mut out = Vec::new();
    for with_trigger in [true, false] {
        for (gi, g) in gold.iter().enumerate() {
            if used_g[gi] {
                continue;
            }
            let hit = pred
                .iter()
                .enumerate()
                .position(|(pi, p)| !used_p[pi] && p.event_type == g.event_type && (!with_trigger || word_overlap(&p.trigger, &g.trigger)));
            if let Some(pi) = hit {
                used_p[pi] = true;
                used_g[gi] = true;
                out.push((pi, gi));
            }
        }
    }
    out
}

/// What one sentence's speech predictions came to.
#[derive(Debug, Default, PartialEq)]
pub struct SpeechMatch {
    /// (pred index, gold index).
    pub pairs: Vec<(usize, usize)>,
    /// Predictions overlapping only a belief cue.
    pub beliefs: Vec<usize>,
}

/// Match predicted attributions to gold speech one to one by cue overlap (text order).
pub fn match_speech(pred: &[PredSpeech], gold: &[GoldSpeech], beliefs: &[GoldSpeech]) -> SpeechMatch {
    let mut used = vec![false; gold.len()];
    let mut out = SpeechMatch::default();
    for (pi, p) in pred.iter().enumerate() {
        if let Some(gi) = (0..gold.len()).find(|&i| !used[i] && word_overlap(&p.cue, &gold[i].cue)) {
            used[gi] = true;
            out.pairs.push((pi, gi));
        } else if beliefs.iter().any(|b| word_overlap(&p.cue, &b.cue)) {
            out.beliefs.push(pi);
        }
    }
    out
}

/// Score one sentence into `r`; returns the dump line's match details.
pub fn score_sentence(r: &mut RealnewsReport, gold: &GoldMarks, events: &[PredEvent], speech: &[PredSpeech]) -> serde_json::Value {
    r.sentences += 1;
    let kept: Vec<PredEvent> = events.iter().filter(|e| !e.negated).cloned().collect();
    let negated: Vec<PredEvent> = events.iter().filter(|e| e.negated).cloned().collect();
    r.gold_events += gold.events.len();
    r.predicted_events += kept.len();
    for g in &gold.events {
        r.per_type.entry(g.event_type.clone()).or_default().gold += 1;
    }
    for p in &kept {
        r.per_type.entry(p.event_type.clone()).or_default().predicted += 1;
    }
    let pairs = match_events(&kept, &gold.events);
    for &(pi, gi) in &pairs {
        let (p, g) = (&kept[pi], &gold.events[gi]);
        r.matched_events += 1;
        r.per_type.entry(g.event_type.clone()).or_default().matched += 1;
        r.actor_correct += usize::from(same_party(p.actor.as_deref(), g.actor.as_deref()));
        r.recipient_correct += usize::from(same_party(p.recipient.as_deref(), g.recipient.as_deref()));
    }
    r.gold_negated += gold.negated_events.len();
    r.predicted_negated += negated.len();
    r.matched_negated += match_events(&negated, &gold.negated_events).len();

    r.gold_speech += gold.speech.len();
    let sm = match_speech(speech, &gold.speech, &gold.beliefs);
    r.predicted_speech += speech.len() - sm.beliefs.len();
    r.belief_ignored += sm.beliefs.len();
    for &(pi, gi) in &sm.pairs {
        r.matched_speech += 1;
        r.source_correct += usize::from(same_party(speech[pi].source.as_deref(), gold.speech[gi].source.as_deref()));
    }
    serde_json::json!({
        "event_matches": pairs,
        "speech_matches": sm.pairs,
        "speech_on_beliefs": sm.beliefs,
    })
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))
}

fn format_err(path: &Path, detail: impl fmt::Display) -> EvalError {
    EvalError::Format { path: path.display().to_string(), detail: detail.to_string() }
}

/// The text of a char range of `text` (char offsets from the raw rows).
fn slice_chars(chars: &[(usize, char)], text: &str, start: i64, end: i64) -> String {
    let byte = |c: i64| chars.get(c.max(0) as usize).map_or(text.len(), |x| x.0);
    text.get(byte(start)..byte(end)).unwrap_or_default().to_string()
}

/// Run the pipeline's clean and extract steps over the articles of `dir` and score them.
/// `syntax`: events read the dependency parse, as with `[extract] syntax = true`.
/// `event_filter`: with `syntax`, the learned keep-or-drop pass (`[extract] event_filter`).
pub fn eval_realnews(dir: &Path, syntax: bool, event_filter: bool) -> Result<RealnewsReport, EvalError> {
    let articles_path = dir.join("articles.jsonl");
    let sentences_path = dir.join("sentences.json");
    let gold_path = dir.join("gold.json");
    let mut articles: HashMap<String, ArticleIn> = HashMap::new();
    for (n, line) in read(&articles_path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let a: ArticleIn = serde_json::from_str(line).map_err(|e| format_err(&articles_path, format!("line {}: {e}", n + 1)))?;
        articles.insert(a.id.clone(), a);
    }
    let sentences: Vec<SentenceIn> = serde_json::from_str(&read(&sentences_path)?).map_err(|e| format_err(&sentences_path, e))?;
    let gold: Vec<GoldMarks> = serde_json::from_str(&read(&gold_path)?).map_err(|e| format_err(&gold_path, e))?;
    if sentences.len() != gold.len() {
        return Err(format_err(&gold_path, format!("{} entries for {} sentences", gold.len(), sentences.len())));
    }
    let extract = ExtractConfig { syntax, event_filter, ..ExtractConfig::default() };
    let x = Extractors::for_config(None, &extract).map_err(|e| format_err(dir, format!("cannot load the builtin models: {e}")))?;
    let clean = CleanConfig::default();
    let limits = crate::config::LimitsConfig::default();

    // Articles in first-mention order, each cleaned and extracted once.
    struct Done {
        text: String,
        chars: Vec<(usize, char)>,
        events: Vec<RawEventRow>,
        attributions: Vec<RawAttributionRow>,
        /// Features of the scored candidates (with `NEWSGRID_EVENT_FEATURES`).
        features: Vec<crate::nlp::events::Recorded>,
    }
    let mut done: HashMap<String, Done> = HashMap::new();
    let mut report = RealnewsReport::default();
    // Every scored candidate's features and whether it matched gold, for
    // scripts/train_event_filter.py (the filter drops nothing meanwhile).
    let mut feature_dump =
        std::env::var_os("NEWSGRID_EVENT_FEATURES").and_then(|p| std::fs::File::create(p).ok()).map(std::io::BufWriter::new);
    crate::nlp::events::record_features(feature_dump.is_some());
    let mut dump = std::env::var_os("NEWSGRID_EVAL_DUMP").and_then(|p| std::fs::File::create(p).ok()).map(std::io::BufWriter::new);
    for (s, g) in sentences.iter().zip(&gold) {
        if s.sid != g.sid {
            return Err(format_err(&gold_path, format!("entry {} is not sentence {}", g.sid, s.sid)));
        }
        if !done.contains_key(&s.article_id) {
            let a = articles.get(&s.article_id).ok_or_else(|| format_err(&articles_path, format!("no article {}", s.article_id)))?;
            let record = RecordRow {
                input_file: articles_path.display().to_string(),
                input_position: 0,
                source_id: Some(a.id.clone()),
                url: a.url.clone(),
                title: a.title.clone(),
                authors: None,
                published_raw: None,
                source_name: None,
                is_html: crate::io::fields::looks_like_html(&a.text),
                text: a.text.clone(),
            };
            let entry = match crate::stages::clean::clean_record(record, &clean) {
                Ok((row, _)) => {
                    let lang_ok =
                        row.language.as_ref().is_none_or(|l| extract.languages.is_empty() || extract.languages.iter().any(|x| x == l));
                    let rows = if lang_ok {
                        extract_article(&row.article_id, &row.text, &x, &extract, &limits)
                    } else {
                        report.skipped_articles += 1;
                        Default::default()
                    };
                    Done {
                        chars: row.text.char_indices().collect(),
                        text: row.text,
                        events: rows.events,
                        attributions: rows.attributions,
                        features: crate::nlp::events::take_recorded(),
                    }
                }
                Err(_) => {
                    Done { text: String::new(), chars: Vec::new(), events: Vec::new(), attributions: Vec::new(), features: Vec::new() }
                }
            };
            done.insert(s.article_id.clone(), entry);
        }
        let Some(d) = done.get(&s.article_id) else { continue };
        let located = find_near(&d.text, &s.sentence, s.start)
            .map(|c| (c, s.sentence.chars().count()))
            .or_else(|| {
                let n = normalize_text(&s.sentence);
                find_near(&d.text, &n, s.start).map(|c| (c, n.chars().count()))
            })
            .or_else(|| locate_prose_part(&d.text, &s.sentence, s.start));
        let (mut events, mut speech) = (Vec::new(), Vec::new());
        let mut feats: Vec<Option<&[String]>> = Vec::new();
        match located {
            None => report.not_located += 1,
            Some((start, len)) => {
                let inside = |c: i64| c >= start as i64 && c < (start + len) as i64;
                let opt = |a: Option<i64>, b: Option<i64>| a.zip(b).map(|(a, b)| slice_chars(&d.chars, &d.text, a, b));
                for e in d.events.iter().filter(|e| inside(e.trigger_start)) {
                    events.push(PredEvent {
                        event_type: e.event_type.clone(),
                        trigger: slice_chars(&d.chars, &d.text, e.trigger_start, e.trigger_end),
                        actor: opt(e.actor_start, e.actor_end),
                        recipient: opt(e.recipient_start, e.recipient_end),
                        negated: e.negated,
                        mode: e.event_mode.clone().unwrap_or_default(),
                    });
                    // The candidate's features: same trigger bytes, else same trigger text.
                    let byte = d.chars.get(e.trigger_start.max(0) as usize).map_or(usize::MAX, |x| x.0);
                    let trig = events.last().map(|p: &PredEvent| p.trigger.as_str()).unwrap_or_default();
                    let f = d
                        .features
                        .iter()
                        .find(|r| {
                            r.trigger.start as usize == byte && d.text.get(r.trigger.start as usize..r.trigger.end as usize) == Some(trig)
                        })
                        .or_else(|| d.features.iter().find(|r| d.text.get(r.trigger.start as usize..r.trigger.end as usize) == Some(trig)));
                    feats.push(f.map(|r| r.features.as_slice()));
                }
                let mut cues: Vec<(i64, i64)> = Vec::new();
                for a in d.attributions.iter().filter(|a| inside(a.cue_start) && a.kind != AttributionKind::Credit.as_str()) {
                    // Parts of a split quote share their cue: one attribution.
                    if cues.contains(&(a.cue_start, a.cue_end)) {
                        continue;
                    }
                    cues.push((a.cue_start, a.cue_end));
                    speech.push(PredSpeech {
                        kind: a.kind.clone(),
                        cue: slice_chars(&d.chars, &d.text, a.cue_start, a.cue_end),
                        source: opt(a.source_start, a.source_end),
                        content: slice_chars(&d.chars, &d.text, a.content_start, a.content_end),
                    });
                }
            }
        }
        let m = score_sentence(&mut report, g, &events, &speech);
        if let Some(w) = feature_dump.as_mut() {
            let matched: Vec<usize> =
                m["event_matches"].as_array().into_iter().flatten().filter_map(|p| p[0].as_u64()).map(|p| p as usize).collect();
            let kept = events.iter().zip(&feats).filter(|(e, _)| !e.negated);
            for (i, (e, f)) in kept.enumerate() {
                let Some(f) = f else { continue };
                let label = u8::from(matched.contains(&i));
                let _ =
                    writeln!(w, "{label}\t{}\t{}\t{}\t{}", s.article_id, e.event_type, e.trigger.replace(['\t', '\n'], " "), f.join(" "));
            }
        }
        if let Some(w) = dump.as_mut() {
            let ev =
                |e: &GoldEvent| serde_json::json!({"type": e.event_type, "trigger": e.trigger, "actor": e.actor, "recipient": e.recipient});
            let sp = |e: &GoldSpeech| serde_json::json!({"source": e.source, "cue": e.cue, "content": e.content});
            let json = serde_json::json!({
                "sid": s.sid,
                "sentence": s.sentence,
                "located": located.is_some(),
                "gold_events": g.events.iter().map(ev).collect::<Vec<_>>(),
                "gold_negated": g.negated_events.iter().map(ev).collect::<Vec<_>>(),
                "gold_speech": g.speech.iter().map(sp).collect::<Vec<_>>(),
                "gold_beliefs": g.beliefs.iter().map(sp).collect::<Vec<_>>(),
                "pred_events": events.iter().map(|e| serde_json::json!({
                    "type": e.event_type, "trigger": e.trigger, "actor": e.actor, "recipient": e.recipient,
                    "negated": e.negated, "mode": e.mode})).collect::<Vec<_>>(),
                "pred_speech": speech.iter().map(|a| serde_json::json!({
                    "kind": a.kind, "cue": a.cue, "source": a.source, "content": a.content})).collect::<Vec<_>>(),
                "matches": m,
            });
            let _ = writeln!(w, "{json}");
        }
    }
    crate::nlp::events::record_features(false);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ge(t: &str, trigger: &str, actor: Option<&str>, recipient: Option<&str>) -> GoldEvent {
        GoldEvent { event_type: t.into(), trigger: trigger.into(), actor: actor.map(Into::into), recipient: recipient.map(Into::into) }
    }
    fn pe(t: &str, trigger: &str, actor: Option<&str>, recipient: Option<&str>, negated: bool) -> PredEvent {
        PredEvent {
            event_type: t.into(),
            trigger: trigger.into(),
            actor: actor.map(Into::into),
            recipient: recipient.map(Into::into),
            negated,
            mode: String::new(),
        }
    }

    #[test]
    fn events_match_by_type_trigger_first() {
        let gold = vec![ge("MEET", "met", Some("Trump"), Some("Kim")), ge("MEET", "talks", Some("Pompeo"), None)];
        let pred = vec![pe("MEET", "talks", Some("Pompeo"), None, false), pe("MEET", "met", Some("President Trump"), Some("the"), false)];
        let pairs = match_events(&pred, &gold);
        assert_eq!(pairs, vec![(1, 0), (0, 1)]);
        let mut r = RealnewsReport::default();
        let marks = GoldMarks { sid: "x".into(), events: gold, negated_events: vec![], speech: vec![], beliefs: vec![] };
        let mut with_negated = pred.clone();
        with_negated.push(pe("ASSAULT", "attack", None, None, true));
        score_sentence(&mut r, &marks, &with_negated, &[]);
        assert_eq!((r.gold_events, r.predicted_events, r.matched_events), (2, 2, 2));
        // "the" is no word overlap with "Kim".
        assert_eq!((r.actor_correct, r.recipient_correct), (2, 1));
        assert_eq!(r.predicted_negated, 1);
    }

    #[test]
    fn speech_on_beliefs_is_ignored() {
        let sp = |c: &str, s: Option<&str>| GoldSpeech { source: s.map(Into::into), cue: c.into(), content: None };
        let ps = |c: &str, s: Option<&str>| PredSpeech {
            kind: "indirect".into(),
            cue: c.into(),
            source: s.map(Into::into),
            content: String::new(),
        };
        let marks = GoldMarks {
            sid: "x".into(),
            events: vec![],
            negated_events: vec![],
            speech: vec![sp("said", Some("Westcott"))],
            beliefs: vec![sp("don't think", Some("I"))],
        };
        let mut r = RealnewsReport::default();
        score_sentence(&mut r, &marks, &[], &[ps("think", Some("I")), ps("said", Some("Westcott, the director")), ps("told", None)]);
        assert_eq!((r.gold_speech, r.predicted_speech, r.matched_speech, r.belief_ignored, r.source_correct), (1, 2, 1, 1, 1));
        assert!((r.speech_precision() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn finds_the_nearest_occurrence() {
        let t = "Yes. é No. Yes. Yes.";
        assert_eq!(find_near(t, "Yes.", 0), Some(0));
        assert_eq!(find_near(t, "Yes.", 12), Some(11));
        assert_eq!(find_near(t, "Yes.", 100), Some(16));
        assert_eq!(find_near(t, "Maybe", 0), None);
    }
}
