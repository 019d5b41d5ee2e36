//! PLOVER event extraction. Interface: `EventExtractor::builtin()`,
//! `EventExtractor::extract(&Doc, &[Mention]) -> Vec<Event>`.
//!
//! Triggers come from the curated lexicon `data/lexicon/events.tsv` (verb inflections,
//! phrasal verbs, nominalisations, blocking phrases). Per sentence: triggers are matched
//! longest-first; a trigger's complement window absorbs the triggers inside it
//! ("threatened to attack" is one THREATEN event, "condemned the seizure" one
//! DISAPPROVE); negators ("refused to", "did not", "denied") mark the event negated;
//! then the arguments are read off the shallow phrase structure: actor = subject before
//! the verb group (or the `by`-agent of a passive), recipient = the phrase after the
//! trigger, location = a place after in/near/off, date = the nearest date expression.

pub(crate) mod lexicon;
pub(crate) mod phrase;

use super::{Doc, EntityType, Event, Mention, PloverType, Span};
use lexicon::{lower_into, tsv_rows, word_eq, Inflector, LexiconError, PhraseMatch, PhraseSet};
use phrase::{
    is_adverb, is_auxiliary, is_capitalized, is_determiner, is_np_word, is_preposition, np_after, participant_mentions, past_form,
    subject_before, tok_span, DateFinder, SubjectKind,
};
use std::ops::Range;

const EVENTS_TSV: &str = include_str!("../../../data/lexicon/events.tsv");

/// Words that make "attack" a military (FIGHT) rather than an unconventional (ASSAULT)
/// act when the sentence holds one of them.
const MILITARY_WORDS: &[&str] = &[
    "troops",
    "soldiers",
    "army",
    "military",
    "forces",
    "rebels",
    "insurgents",
    "militants",
    "warplanes",
    "jets",
    "artillery",
    "tanks",
    "navy",
    "militia",
    "militias",
    "fighters",
    "airstrike",
    "airstrikes",
    "missiles",
    "rockets",
    "drones",
    "warships",
    "battalion",
    "brigade",
    "offensive",
    "guerrillas",
    "air",
];

/// Prepositions that introduce a place.
const PLACE_PREPOSITIONS: &[&str] = &["in", "near", "off", "at", "outside", "inside", "across", "around", "throughout", "along", "into"];

/// Words after which a following trigger is "negated".
const NEGATORS: &[&str] = &["not", "n't", "never", "no", "without", "denied", "denies", "deny", "denying"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Event(PloverType),
    /// ASSAULT, or FIGHT when armed forces are in the sentence.
    Contextual(PloverType, PloverType),
    /// A blocking phrase.
    None,
}

#[derive(Debug, Clone)]
struct TriggerEntry {
    category: Category,
    mode: Box<str>,
    weight: f32,
    /// > 0: complement window absorbing triggers; < 0: negator window.
    scope: i32,
}

impl TriggerEntry {
    fn is_casualty(&self) -> bool {
        &*self.mode == "casualty"
    }
}

pub struct EventExtractor {
    lexicon: PhraseSet<TriggerEntry>,
    dates: DateFinder,
    inflector: Inflector,
}

/// One trigger kept for output, with its arguments being built.
struct Found {
    m: PhraseMatch,
    /// End of the last trigger this one absorbed (where its object is looked for).
    object_from: usize,
    /// Where its subject is looked for (before a negator like "refused to").
    subject_from: usize,
    negated: bool,
}

impl EventExtractor {
    pub fn builtin() -> EventExtractor {
        let (lexicon, _errors) = compile_lexicon(EVENTS_TSV);
        EventExtractor { lexicon, dates: DateFinder::new(), inflector: Inflector::builtin() }
    }

    pub fn extract(&self, doc: &Doc, mentions: &[Mention]) -> Vec<Event> {
        let mut out = Vec::new();
        let mut buf = String::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            let range = s.tokens.clone();
            if range.is_empty() || range.end > doc.tokens.len() {
                continue;
            }
            let found = self.triggers(doc, &range, &mut buf);
            if found.is_empty() {
                continue;
            }
            let ms = participant_mentions(doc, mentions, s.span);
            let dates = self.dates.find(doc.text, s.span);
            let military = range.clone().any(|i| MILITARY_WORDS.iter().any(|w| word_eq(doc.token_text(i), w)));
            let violent = found.iter().any(|f| {
                let e = &self.lexicon.entries[f.m.entry];
                !e.is_casualty() && matches!(self.resolve(e.category, military), Some(PloverType::Assault | PloverType::Fight))
            });
            let first_out = out.len();
            for f in &found {
                let e = &self.lexicon.entries[f.m.entry];
                let Some(event_type) = self.resolve(e.category, military) else {
                    continue;
                };
                if e.is_casualty() && violent {
                    continue;
                }
                let Some(ev) = self.build(doc, si, &range, &ms, &dates, f, e, event_type, &out[first_out..]) else {
                    continue;
                };
                let dup = out[first_out..].iter_mut().find(|o: &&mut Event| {
                    o.event_type == ev.event_type
                        && o.negated == ev.negated
                        && (o.actor.is_none() || ev.actor.is_none() || same_text(doc, o.actor, ev.actor))
                });
                match dup {
                    Some(o) => {
                        o.actor = o.actor.or(ev.actor);
                        o.recipient = o.recipient.or(ev.recipient);
                        o.location = o.location.or(ev.location);
                        o.date = o.date.or(ev.date);
                    }
                    None => out.push(ev),
                }
            }
        }
        out
    }

    fn resolve(&self, c: Category, military: bool) -> Option<PloverType> {
        match c {
            Category::Event(t) => Some(t),
            Category::Contextual(a, b) => Some(if military { b } else { a }),
            Category::None => None,
        }
    }

    /// Trigger matches of one sentence after blocking, absorption and negation.
    fn triggers(&self, doc: &Doc, range: &Range<usize>, buf: &mut String) -> Vec<Found> {
        let mut matches: Vec<PhraseMatch> = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let lower = lower_into(doc.token_text(i), buf);
            match self.lexicon.longest_at(doc, range, i, lower) {
                Some(m) => {
                    matches.push(m);
                    i = m.head_end.max(i + 1);
                }
                None => i += 1,
            }
        }
        let n = matches.len();
        let mut keep = vec![true; n];
        let mut negated = vec![false; n];
        let mut object_from: Vec<usize> = matches.iter().map(|m| m.end).collect();
        let mut subject_from: Vec<usize> = matches.iter().map(|m| m.start).collect();
        for a in 0..n {
            if !keep[a] {
                continue;
            }
            let ma = matches[a];
            let e = &self.lexicon.entries[ma.entry];
            // Triggers inside a gap of this match belong to it.
            for b in a + 1..n {
                if matches[b].start < ma.end {
                    keep[b] = false;
                }
            }
            if e.scope > 0 {
                let limit = ma.end + e.scope as usize;
                for b in a + 1..n {
                    let mb = matches[b];
                    if mb.start >= ma.end && mb.start < limit && !clause_break(doc, ma.end, mb.start) {
                        keep[b] = false;
                        object_from[a] = object_from[a].max(mb.end);
                    }
                }
            } else if e.scope < 0 {
                let limit = ma.end + e.scope.unsigned_abs() as usize;
                let inner = (a + 1..n).find(|&b| {
                    let mb = matches[b];
                    mb.start >= ma.end && mb.start < limit && !clause_break(doc, ma.end, mb.start)
                });
                if let Some(b) = inner {
                    negated[b] = true;
                    subject_from[b] = subject_from[a];
                    keep[a] = false;
                }
            }
            if e.category == Category::None {
                keep[a] = false;
            }
        }
        matches
            .into_iter()
            .enumerate()
            .filter(|&(k, _)| keep[k])
            .map(|(k, m)| Found {
                m,
                object_from: object_from[k],
                subject_from: subject_from[k],
                negated: negated[k] || negated_before(doc, range, m.start),
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        doc: &Doc,
        si: usize,
        range: &Range<usize>,
        ms: &[&Mention],
        dates: &[Span],
        f: &Found,
        e: &TriggerEntry,
        event_type: PloverType,
        earlier: &[Event],
    ) -> Option<Event> {
        let m = f.m;
        let trigger = tok_span(doc, m.start, m.head_end.max(m.start + 1));
        let after = f.object_from;
        let agent = by_agent(doc, ms, range, dates, after);
        let verb = f.subject_from;
        let head = doc.token_text(m.start);
        let past = self.inflector.is_past(head);
        let nominal = if past { None } else { nominal_start(doc, range, m.start) };
        let transitive_only = e.is_casualty() || matches!(&*e.mode, "arrest" | "seize" | "release");
        // "soldiers killed in ...", "civilians imprisoned for ...": a participle with no
        // object after it.
        let reduced = past
            && transitive_only
            && m.end == m.start + 1
            && (after >= range.end || {
                let t = doc.token_text(after);
                is_preposition(t)
                    || !t.chars().next().is_some_and(char::is_alphanumeric)
                    || dates.iter().any(|d| d.contains(doc.tokens[after].span))
            });
        let passive = is_passive(doc, range, m.start) || (agent.is_some() && past) || reduced;
        let mut confidence = e.weight;
        let (actor, recipient) = if let Some(np_start) = nominal {
            // "the seizure of X by Y", "Israel's attack on Z", "Israeli tank shelling",
            // "rebels engaged troops in a firefight".
            let actor = agent
                .or_else(|| possessor(doc, ms, np_start, m.start))
                .or_else(|| self.light_verb_subject(doc, ms, range, dates, np_start));
            let recipient = pp_object(doc, ms, range, after, dates);
            if actor.is_none() && recipient.is_none() && np_start > range.start && is_preposition(doc.token_text(np_start - 1)) {
                // A mention of an event told elsewhere ("a pause in the bombing").
                return None;
            }
            (actor, recipient)
        } else if passive {
            let subject = subject_before(doc, ms, range, verb, dates).and_then(|(s, k)| (k != SubjectKind::Coordinated).then_some(s));
            let object = match agent {
                Some(_) => None,
                None => object_after(doc, ms, range, after, dates),
            };
            (agent, subject.or(object))
        } else {
            let actor = match subject_before(doc, ms, range, verb, dates) {
                Some((s, SubjectKind::Direct | SubjectKind::Pronoun)) => Some(s),
                Some((_, SubjectKind::Coordinated)) => earlier.last().and_then(|p| p.actor).or_else(|| nearest_actor(ms, verb)),
                Some((s, SubjectKind::Nearest)) => {
                    confidence -= 0.1;
                    Some(s)
                }
                None => None,
            };
            (actor, object_after(doc, ms, range, after, dates))
        };
        let location = place_of(doc, ms, range, m.start, actor, recipient);
        let recipient = recipient.filter(|r| location.is_none_or(|l| !l.overlaps(*r)));
        let date = nearest_date(dates, trigger);
        if actor.is_some() {
            confidence += 0.1;
        }
        if recipient.is_some() {
            confidence += 0.05;
        }
        let mode = if e.is_casualty() { "" } else { &e.mode };
        Some(Event {
            sentence: si,
            event_type,
            mode: mode.to_string(),
            trigger,
            actor,
            recipient,
            location,
            date,
            negated: f.negated,
            confidence: confidence.clamp(0.05, 0.95),
        })
    }

    /// The subject of a support verb governing a nominal trigger within the few tokens
    /// before its phrase ("engaged X in a firefight", "carried out an attack").
    fn light_verb_subject(&self, doc: &Doc, ms: &[&Mention], range: &Range<usize>, dates: &[Span], np_start: usize) -> Option<Span> {
        let lo = np_start.saturating_sub(6).max(range.start);
        let v = (lo..np_start).rev().find(|&k| {
            let t = doc.token_text(k);
            LIGHT_VERBS.iter().any(|l| t.get(..l.len()).is_some_and(|p| p.eq_ignore_ascii_case(l))) && self.inflector.is_past(t)
        })?;
        match subject_before(doc, ms, range, v, dates)? {
            (s, SubjectKind::Direct | SubjectKind::Pronoun) => Some(s),
            _ => None,
        }
    }
}

/// Support verbs whose object names the event (matched on the stem of a past form).
const LIGHT_VERBS: &[&str] =
    &["engag", "carri", "launch", "stag", "held", "conduct", "wag", "made", "mount", "led", "join", "order", "took", "claim"];

/// Compile the event lexicon; bad lines are skipped and returned.
fn compile_lexicon(text: &str) -> (PhraseSet<TriggerEntry>, Vec<LexiconError>) {
    let inflector = Inflector::builtin();
    let mut set = PhraseSet::new();
    let mut errors = Vec::new();
    for (line, f) in tsv_rows(text) {
        let parsed = parse_entry(&f).and_then(|(entry, pattern)| set.add(&inflector, pattern, entry));
        if let Err(detail) = parsed {
            errors.push(LexiconError { line, detail });
        }
    }
    (set, errors)
}

fn parse_entry<'a>(f: &[&'a str]) -> Result<(TriggerEntry, &'a str), String> {
    if f.len() != 5 {
        return Err(format!("expected 5 columns, found {}", f.len()));
    }
    let category = match f[0] {
        "NONE" => Category::None,
        c => match c.split_once('/') {
            Some((a, b)) => Category::Contextual(
                PloverType::parse(a).ok_or_else(|| format!("unknown category {a}"))?,
                PloverType::parse(b).ok_or_else(|| format!("unknown category {b}"))?,
            ),
            None => Category::Event(PloverType::parse(c).ok_or_else(|| format!("unknown category {c}"))?),
        },
    };
    let mode = if f[1] == "-" { "" } else { f[1] };
    let weight: f32 = f[2].parse().map_err(|_| format!("bad weight {}", f[2]))?;
    let scope: i32 = f[3].parse().map_err(|_| format!("bad scope {}", f[3]))?;
    Ok((TriggerEntry { category, mode: mode.into(), weight: weight.clamp(0.0, 1.0), scope }, f[4]))
}

fn same_text(doc: &Doc, a: Option<Span>, b: Option<Span>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => doc.span_text(a).eq_ignore_ascii_case(doc.span_text(b)),
        _ => a == b,
    }
}

/// Clause punctuation or a contrastive conjunction between tokens `a..b`.
fn clause_break(doc: &Doc, a: usize, b: usize) -> bool {
    (a..b).any(|k| {
        let t = doc.token_text(k);
        matches!(t, ";" | ":" | "(" | ")" | "—" | "–" | "--") || word_eq(t, "but") || word_eq(t, "while") || word_eq(t, "said")
    })
}

/// A negator within the three tokens before `start` ("did not attack", "denied
/// attacking", "no talks").
fn negated_before(doc: &Doc, range: &Range<usize>, start: usize) -> bool {
    let lo = start.saturating_sub(3).max(range.start);
    (lo..start).rev().any(|k| NEGATORS.iter().any(|w| word_eq(doc.token_text(k), w)))
        && !(lo..start).any(|k| matches!(doc.token_text(k), "," | ";" | ":"))
}

/// A be-auxiliary right before the verb (over adverbs): "was seized", "were not killed".
fn is_passive(doc: &Doc, range: &Range<usize>, verb: usize) -> bool {
    let t = doc.token_text(verb);
    if t.ends_with("ing") || !t.chars().next().is_some_and(|c| c.is_lowercase()) {
        return false;
    }
    let mut k = verb;
    while k > range.start {
        let p = doc.token_text(k - 1);
        if is_adverb(p) {
            k -= 1;
            continue;
        }
        return ["was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"].iter().any(|w| word_eq(p, w));
    }
    false
}

/// The agent of "by X" after the trigger (over date words and adverbs: "released
/// yesterday by the army").
fn by_agent(doc: &Doc, ms: &[&Mention], range: &Range<usize>, dates: &[Span], at: usize) -> Option<Span> {
    let mut k = at;
    while k < range.end && k < at + 4 && (is_adverb(doc.token_text(k)) || dates.iter().any(|d| d.contains(doc.tokens[k].span))) {
        k += 1;
    }
    (k < range.end && word_eq(doc.token_text(k), "by")).then(|| np_after(doc, ms, range, k + 1, 6))?
}

/// Where the noun phrase holding a nominal trigger starts ("the seizure", "a deadly
/// attack", "Israel's attack", "in the bombing"): None when the trigger reads as a verb.
fn nominal_start(doc: &Doc, range: &Range<usize>, start: usize) -> Option<usize> {
    let mut k = start;
    while k > range.start && start - k < 4 {
        let p = doc.token_text(k - 1);
        if word_eq(p, "to") {
            // An infinitive ("refused to release").
            return None;
        }
        if is_determiner(p) || is_preposition(p) {
            return Some(k);
        }
        if p == "'s" || p == "’s" {
            // The possessor's phrase.
            let mut a = k - 1;
            while a > range.start && a + 4 > k && is_np_word(doc.token_text(a - 1)) {
                a -= 1;
            }
            return Some(a);
        }
        if !is_np_word(p) || past_form(p) {
            return None;
        }
        k -= 1;
    }
    None
}

/// The actor inside a nominal trigger's phrase: a possessor ("Israel's") or a leading
/// name or demonym ("Israeli tank shelling").
fn possessor(doc: &Doc, ms: &[&Mention], np_start: usize, trigger: usize) -> Option<Span> {
    if let Some(p) = (np_start..trigger).find(|&k| matches!(doc.token_text(k), "'s" | "’s")) {
        return (p > np_start).then(|| widen(ms, doc, np_start, p));
    }
    let mut b = np_start;
    while b < trigger && is_capitalized(doc.token_text(b)) {
        b += 1;
    }
    (b > np_start).then(|| widen(ms, doc, np_start, b))
}

fn widen(ms: &[&Mention], doc: &Doc, a: usize, b: usize) -> Span {
    let mut span = tok_span(doc, a, b);
    for m in ms {
        if m.span.overlaps(span) {
            span = Span { start: span.start.min(m.span.start), end: span.end.max(m.span.end) };
        }
    }
    span
}

/// The object of a nominal trigger: only through a preposition ("attack on X",
/// "talks with Y", "release of Z").
fn pp_object(doc: &Doc, ms: &[&Mention], range: &Range<usize>, at: usize, dates: &[Span]) -> Option<Span> {
    if at >= range.end {
        return None;
    }
    let t = doc.token_text(at);
    let pp = ["on", "against", "of", "with", "at", "to", "between", "into"].iter().any(|w| word_eq(t, w));
    // Or the trigger pattern ended with its preposition ("attack on", "talks with").
    let ended_with_pp = at > 0 && is_preposition(doc.token_text(at - 1));
    if pp || ended_with_pp {
        object_after(doc, ms, range, at, dates)
    } else {
        None
    }
}

/// The object of the trigger: the phrase after it (over one preposition), not a place
/// phrase, not a date.
fn object_after(doc: &Doc, ms: &[&Mention], range: &Range<usize>, at: usize, dates: &[Span]) -> Option<Span> {
    let mut p = at;
    if p >= range.end {
        return None;
    }
    let t = doc.token_text(p);
    if PLACE_PREPOSITIONS.iter().any(|w| word_eq(t, w)) {
        return None;
    }
    if ["with", "to", "on", "against", "of", "for", "toward", "towards", "upon", "from", "over"].iter().any(|w| word_eq(t, w)) {
        p += 1;
    }
    let mut np = np_after(doc, ms, range, p, 6)?;
    // A date word is not part of the object ("met with Assad Tuesday").
    if let Some(d) = dates.iter().find(|d| d.overlaps(np)) {
        let a = phrase::token_at(doc, np.start);
        let b = phrase::token_at(doc, d.start);
        if b <= a {
            return None;
        }
        np = tok_span(doc, a, b);
    }
    if is_auxiliary(doc.span_text(np)) {
        return None;
    }
    Some(np)
}

fn nearest_actor(ms: &[&Mention], before: usize) -> Option<Span> {
    ms.iter().rev().find(|m| m.tokens.end <= before).map(|m| m.span)
}

/// A place mention after in/near/off/at (optionally "the"), nearest to the trigger,
/// preferring ones after it; not the actor or recipient.
fn place_of(
    doc: &Doc,
    ms: &[&Mention],
    range: &Range<usize>,
    trigger: usize,
    actor: Option<Span>,
    recipient: Option<Span>,
) -> Option<Span> {
    let mut best: Option<(usize, Span)> = None;
    for m in ms {
        if !matches!(m.entity_type, EntityType::Loc | EntityType::Misc) || actor == Some(m.span) || recipient == Some(m.span) {
            continue;
        }
        let mut k = m.tokens.start;
        if k > range.start && word_eq(doc.token_text(k - 1), "the") {
            k -= 1;
        }
        if k <= range.start || !PLACE_PREPOSITIONS.iter().any(|w| word_eq(doc.token_text(k - 1), w)) {
            continue;
        }
        let dist = if m.tokens.start >= trigger { m.tokens.start - trigger } else { 2 * trigger.saturating_sub(m.tokens.end) + 1 };
        if best.is_none_or(|(d, _)| dist < d) {
            best = Some((dist, m.span));
        }
    }
    best.map(|(_, s)| s)
}

fn nearest_date(dates: &[Span], trigger: Span) -> Option<Span> {
    dates.iter().copied().min_by_key(|d| if d.start >= trigger.end { d.start - trigger.end } else { trigger.start.saturating_sub(d.end) })
}

#[cfg(test)]
mod tests;
