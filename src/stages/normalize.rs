//! `normalize`: mentions resolved to entities within each article (in parallel inside a
//! chunk: short names, titles and roles, country codes, relative dates), stable ids from
//! content hashes, then one streaming fold into run-wide entity statistics whose size
//! grows with distinct entities, not articles. Reads clean's articles (for the text and
//! publication date) beside extract's rows, chunk by chunk (chunk k of every stage holds
//! the same articles).

use super::chunks::pipeline_chunks;
use super::{StageContext, StageName, StageResult};
use crate::config::NormalizeConfig;
use crate::error::Error;
use crate::ids;
use crate::nlp::dates::EventDater;
use crate::nlp::gazetteer::{Gazetteer, Place};
use crate::nlp::resolve::{resolve_document_from, ResolvedMention};
use crate::nlp::{EntityType, Mention, Span};
use crate::offsets::CharOffsets;
use crate::tables::artifact::{read_part, StageManifest, StageWriter};
use crate::tables::columns::{Date, TimestampUtc};
use crate::tables::schema::{
    date_of, ArticleRow, ArticleRows, AttributionRow, AttributionRows, EntityRow, EntityRows, EventRow, EventRows, MentionRow, MentionRows,
    RawAttributionRow, RawAttributionRows, RawEventRow, RawEventRows, RawMentionRow, RawMentionRows, RejectRow, RejectRows, Table,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

/// One mention's contribution to the run-wide entity statistics.
pub struct EntityObservation {
    pub entity_id: u128,
    pub entity_type: EntityType,
    pub canonical_name: String,
    pub surface: String,
    pub country: Option<&'static str>,
    pub kb_id: Option<&'static str>,
}

/// The normalized rows of one article.
pub struct ArticleOutput {
    pub mentions: Vec<MentionRow>,
    pub events: Vec<EventRow>,
    pub attributions: Vec<AttributionRow>,
    pub observations: Vec<EntityObservation>,
    /// PER/ORG mentions, and how many of them link to the knowledge base.
    per_org: u64,
    per_org_linked: u64,
}

struct ChunkInput {
    articles: Vec<ArticleRow>,
    mentions: Vec<RawMentionRow>,
    events: Vec<RawEventRow>,
    attributions: Vec<RawAttributionRow>,
}

/// Row ranges per article id; extract wrote rows grouped by article in article order.
fn group<T>(rows: &[T], key: impl Fn(&T) -> &str) -> HashMap<&str, Range<usize>> {
    let mut out: HashMap<&str, Range<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        out.entry(key(r)).and_modify(|g| g.end = i + 1).or_insert(i..i + 1);
    }
    out
}

/// An entity's id: its resolved key, and whether it is a person. Organisations, places
/// and other names of one key are one entity whose type the run's mentions vote on
/// ([`EntityFold`]): the tagger typed "Cleveland" ORG 130 times and LOC 142 times on
/// allsides-dev, "Times" ORG and MISC, "Navy" ORG and LOC, and a user counting mentions
/// of a thing found it split in two. The id depends on nothing else, so it is the same
/// in every shard; a person of a key stays apart from a place of it ("Jordan").
pub fn entity_id(entity_type: EntityType, key: &str) -> u128 {
    let class: &[u8] = if entity_type == EntityType::Per { b"PER" } else { b"NAME" };
    ids::hash_parts(&[b"entity", class, key.as_bytes()])
}

fn text_of(text: &str, o: &CharOffsets, start: Option<i64>, end: Option<i64>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) if e > s => Some(crate::text_slice(text, o.byte_of(s)..o.byte_of(e)).to_string()),
        _ => None,
    }
}

/// The mention that best covers a char span: the one with the largest overlap (the
/// first on ties). Extract writes an article's mentions in text order without overlaps,
/// so the candidates are found by binary search (events and attributions each look up
/// their parties: a linear scan made giant articles quadratic).
fn covering_mention(mentions: &[RawMentionRow], sorted: bool, start: i64, end: i64) -> Option<usize> {
    let first = if sorted { mentions.partition_point(|m| m.end <= start) } else { 0 };
    let mut best: Option<(i64, usize)> = None;
    for (i, m) in mentions.iter().enumerate().skip(first) {
        if sorted && m.start >= end {
            break;
        }
        if m.start < end && start < m.end {
            let overlap = m.end.min(end) - m.start.max(start);
            if best.is_none_or(|(o, _)| overlap > o) {
                best = Some((overlap, i));
            }
        }
    }
    best.map(|(_, i)| i)
}

/// The country an actor or recipient phrase names itself: the whole phrase as a
/// country, region or US state, else a nationality word in it. Never a city, whose
/// names are also surnames and common words ("Police", Poland; "Obama", Japan).
fn country_of_phrase(g: &Gazetteer, phrase: &str) -> Option<&'static str> {
    g.country_code_no_city(phrase).or_else(|| {
        let words: Vec<&str> = phrase.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
        let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        // Two-word names first: "New Jersey" is a US state, not Jersey.
        let pair = words.windows(2).filter(|p| capital(p[0]) && capital(p[1])).find_map(|p| g.nationality(&format!("{} {}", p[0], p[1])));
        pair.or_else(|| {
            words
                .iter()
                .filter(|w| capital(w))
                .find_map(|w| g.nationality(w).or_else(|| g.nationality(w.trim_end_matches("'s").trim_end_matches("’s"))))
        })
    })
}

/// Mentions resolved together at most (news stories have a few hundred).
const MAX_RESOLVE_MENTIONS: usize = 4000;

fn normalize_article(
    a: &ArticleRow,
    input: &ChunkInput,
    ranges: [Option<&Range<usize>>; 3],
    config: &NormalizeConfig,
    g: &Gazetteer,
) -> ArticleOutput {
    let text = a.text.as_str();
    let o = CharOffsets::new(text);
    let raw_mentions = ranges[0].map_or(&[][..], |r| &input.mentions[r.clone()]);
    let raw_events = ranges[1].map_or(&[][..], |r| &input.events[r.clone()]);
    let raw_attrs = ranges[2].map_or(&[][..], |r| &input.attributions[r.clone()]);
    let sorted = raw_mentions.windows(2).all(|w| w[0].start <= w[1].start && w[0].end <= w[1].start);

    // Resolution works on spans and text; token indices are not needed here, so the
    // article is not tokenized a second time.
    let mentions: Vec<Mention> = raw_mentions
        .iter()
        .map(|m| Mention {
            span: Span::new(o.byte_of(m.start), o.byte_of(m.end)),
            tokens: 0..0,
            sentence: m.sentence_index.max(0) as usize,
            entity_type: EntityType::parse(&m.entity_type).unwrap_or(EntityType::Misc),
            confidence: m.confidence,
        })
        .collect();
    let mut resolved: Vec<ResolvedMention> = if config.resolve_within_article {
        // Resolution compares mentions with each other; a giant article (a 10 MB dump
        // record) is resolved in windows of consecutive mentions to stay near linear.
        mentions.chunks(MAX_RESOLVE_MENTIONS).flat_map(|w| resolve_document_from(text, w, g, a.source_name.as_deref())).collect()
    } else {
        mentions
            .iter()
            .map(|m| {
                let name = crate::text_slice(text, m.span.range()).to_string();
                ResolvedMention {
                    entity_type: m.entity_type,
                    key: name.to_lowercase(),
                    canonical_name: name,
                    role: None,
                    country_code: None,
                    kb_id: None,
                    kb_linked: false,
                }
            })
            .collect()
    };
    let entity_ids: Vec<u128> = resolved.iter().map(|r| entity_id(r.entity_type, &r.key)).collect();

    let mut out = ArticleOutput {
        mentions: Vec::with_capacity(raw_mentions.len()),
        events: Vec::with_capacity(raw_events.len()),
        attributions: Vec::with_capacity(raw_attrs.len()),
        observations: Vec::with_capacity(raw_mentions.len()),
        per_org: 0,
        per_org_linked: 0,
    };
    // The canonical name and role move into the rows (the parties below read only the
    // resolved types' countries): two strings fewer to copy per mention.
    for ((m, r), id) in raw_mentions.iter().zip(resolved.iter_mut()).zip(&entity_ids) {
        if matches!(r.entity_type, EntityType::Per | EntityType::Org) {
            out.per_org += 1;
            out.per_org_linked += r.kb_linked as u64;
        }
        out.mentions.push(MentionRow {
            mention_id: ids::row_id(&a.article_id, "mention", &[m.start, m.end]),
            article_id: a.article_id.clone(),
            entity_id: ids::hex(*id),
            sentence_index: m.sentence_index,
            start: m.start,
            end: m.end,
            text: m.text.clone(),
            entity_type: r.entity_type.as_str().to_string(),
            role: r.role.take(),
            confidence: m.confidence,
        });
        out.observations.push(EntityObservation {
            entity_id: *id,
            entity_type: r.entity_type,
            canonical_name: std::mem::take(&mut r.canonical_name),
            surface: m.text.clone(),
            country: r.country_code,
            kb_id: r.kb_id,
        });
    }
    let party = |start: Option<i64>, end: Option<i64>| -> (Option<String>, Option<String>, Option<String>) {
        let Some(phrase) = text_of(text, &o, start, end) else {
            return (None, None, None);
        };
        match (start, end).0.zip(end).and_then(|(s, e)| covering_mention(raw_mentions, sorted, s, e)) {
            Some(i) => {
                let country = resolved[i].country_code.or_else(|| country_of_phrase(g, &phrase));
                (Some(ids::hex(entity_ids[i])), Some(phrase), country.map(str::to_string))
            }
            None => {
                let country = country_of_phrase(g, &phrase);
                (None, Some(phrase), country.map(str::to_string))
            }
        }
    };
    let published = a.published_at.0.and_then(chrono::DateTime::from_timestamp_micros);
    let mut dater = EventDater::new(published);
    for e in raw_events {
        let (actor_entity_id, actor_text, actor_country) = party(e.actor_start, e.actor_end);
        let (recipient_entity_id, recipient_text, recipient_country) = party(e.recipient_start, e.recipient_end);
        let location_text = text_of(text, &o, e.location_start, e.location_end);
        let location_country = location_text
            .as_deref()
            .and_then(|l| country_of_phrase(g, l).or_else(|| g.place(l).and_then(|p| p.country())))
            .map(str::to_string);
        let date_text = text_of(text, &o, e.date_start, e.date_end);
        let resolved_date = date_text.as_deref().and_then(|d| dater.date(d, e.date_end.is_some_and(|end| e.trigger_start >= end)));
        let (event_date, date_from_publication) = match resolved_date {
            Some(d) => (Date(Some((d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32)), false),
            None => (date_of(TimestampUtc(a.published_at.0)), true),
        };
        out.events.push(EventRow {
            event_id: ids::row_id(&a.article_id, &format!("event:{}", e.event_type), &[e.trigger_start, e.trigger_end]),
            article_id: a.article_id.clone(),
            sentence_index: e.sentence_index,
            event_type: e.event_type.clone(),
            event_mode: e.event_mode.clone(),
            trigger_text: crate::text_slice(text, o.byte_of(e.trigger_start)..o.byte_of(e.trigger_end)).to_string(),
            trigger_start: e.trigger_start,
            trigger_end: e.trigger_end,
            actor_entity_id,
            actor_text,
            actor_start: e.actor_start,
            actor_end: e.actor_end,
            actor_country,
            recipient_entity_id,
            recipient_text,
            recipient_start: e.recipient_start,
            recipient_end: e.recipient_end,
            recipient_country,
            location_text,
            location_start: e.location_start,
            location_end: e.location_end,
            location_country,
            event_date,
            date_text,
            date_from_publication,
            negated: e.negated,
            confidence: e.confidence,
        });
    }
    for at in raw_attrs {
        let source_text = text_of(text, &o, at.source_start, at.source_end);
        let source_entity_id = at
            .source_start
            .zip(at.source_end)
            .and_then(|(s, e)| covering_mention(raw_mentions, sorted, s, e))
            .map(|i| ids::hex(entity_ids[i]));
        out.attributions.push(AttributionRow {
            attribution_id: ids::row_id(
                &a.article_id,
                &format!("attribution:{}", at.kind),
                &[at.cue_start, at.cue_end, at.content_start, at.content_end],
            ),
            article_id: a.article_id.clone(),
            sentence_index: at.sentence_index,
            kind: at.kind.clone(),
            source_entity_id,
            source_text,
            source_start: at.source_start,
            source_end: at.source_end,
            cue_text: crate::text_slice(text, o.byte_of(at.cue_start)..o.byte_of(at.cue_end)).to_string(),
            cue_start: at.cue_start,
            cue_end: at.cue_end,
            content_text: crate::text_slice(text, o.byte_of(at.content_start)..o.byte_of(at.content_end)).to_string(),
            content_start: at.content_start,
            content_end: at.content_end,
            confidence: at.confidence,
        });
    }
    // Ids unique within the article (and so in the run): credit lines give one row per
    // credited party with the same cue and content, told apart by the party's span; any
    // row still repeated gets its occurrence number.
    let repeated = ids::repeated(&out.attributions, |r| &r.attribution_id);
    for r in out.attributions.iter_mut().filter(|r| repeated.contains(&r.attribution_id)) {
        let spans = [r.cue_start, r.cue_end, r.content_start, r.content_end, r.source_start.unwrap_or(-1), r.source_end.unwrap_or(-1)];
        r.attribution_id = ids::row_id(&a.article_id, &format!("attribution:{}", r.kind), &spans);
    }
    ids::make_unique(&mut out.attributions, |r| &mut r.attribution_id);
    ids::make_unique(&mut out.events, |r| &mut r.event_id);
    ids::make_unique(&mut out.mentions, |r| &mut r.mention_id);
    out
}

/// Normalize the articles of one batch held in memory, as the stage does a chunk (the
/// in-memory API, `crate::api`): extract's rows grouped by article, each article resolved
/// in parallel, a panic on one its `internal_error` reject. Outputs come in article order.
pub fn normalize_articles(
    articles: Vec<ArticleRow>,
    mentions: Vec<RawMentionRow>,
    events: Vec<RawEventRow>,
    attributions: Vec<RawAttributionRow>,
    config: &NormalizeConfig,
) -> Vec<Result<ArticleOutput, Box<RejectRow>>> {
    let input = ChunkInput { articles, mentions, events, attributions };
    normalize_chunk(&input, config, Gazetteer::builtin())
}

/// Each article of `input` resolved with its rows, in parallel and in article order; a
/// panic on one article is its `internal_error` reject and the others go on.
fn normalize_chunk(input: &ChunkInput, config: &NormalizeConfig, gazetteer: &Gazetteer) -> Vec<Result<ArticleOutput, Box<RejectRow>>> {
    let gm = group(&input.mentions, |r| &r.article_id);
    let ge = group(&input.events, |r| &r.article_id);
    let ga = group(&input.attributions, |r| &r.article_id);
    input
        .articles
        .par_iter()
        .map(|a| {
            let key = a.article_id.as_str();
            let normalize = || {
                super::test_panic("normalize", &a.text);
                normalize_article(a, input, [gm.get(key), ge.get(key), ga.get(key)], config, gazetteer)
            };
            super::isolate(normalize).map_err(|detail| {
                Box::new(RejectRow {
                    input_file: a.input_file.clone(),
                    input_position: a.input_position,
                    source_id: a.source_id.clone(),
                    stage: "normalize".into(),
                    reason: super::INTERNAL_ERROR.into(),
                    detail,
                })
            })
        })
        .collect()
}

/// An entity's row from its run-wide statistics: the most frequent name (ties: the longer,
/// then the smaller string), the most frequent country, the aliases other than the name,
/// and for places the gazetteer's coordinates. Shared by the stage's fold and the merge of
/// partial statistics (`crate::api::merge_entities`).
#[allow(clippy::too_many_arguments)]
pub fn entity_row<'a>(
    id: u128,
    entity_type: EntityType,
    names: impl Iterator<Item = (&'a str, u32)>,
    aliases: impl Iterator<Item = &'a str>,
    countries: impl Iterator<Item = (&'a str, u32)>,
    counts: (i64, i64),
    kb_id: Option<&str>,
    geocode: bool,
    g: &Gazetteer,
) -> EntityRow {
    let canonical = names
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.chars().count().cmp(&b.0.chars().count())).then(b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    let country = countries.max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(c, _)| c.to_string());
    // Only places are geocoded, and only where the gazetteer's place lies in the entity's
    // country (the state Georgia is not at Tbilisi).
    let aliases: Vec<&str> = aliases.filter(|a| *a != canonical).collect();
    // A knowledge-base place is named as the KB names it ("Washington, D.C."), which the
    // gazetteer may not hold: then the first of its written forms that it does.
    let in_country = |p: &Place| p.country().is_none() || country.is_none() || p.country() == country.as_deref();
    let place = (geocode && entity_type == EntityType::Loc)
        .then(|| g.place(&canonical).or_else(|| aliases.iter().find_map(|a| g.place(a).filter(in_country))))
        .flatten()
        .filter(in_country);
    EntityRow {
        entity_id: ids::hex(id),
        entity_type: entity_type.as_str().to_string(),
        country_code: country.or_else(|| place.and_then(|p| p.country()).map(str::to_string)),
        latitude: place.map(|p| p.latitude),
        longitude: place.map(|p| p.longitude),
        aliases: aliases.join("; "),
        mention_count: counts.0,
        article_count: counts.1,
        canonical_name: canonical,
        kb_id: kb_id.map(str::to_string),
    }
}

/// Run-wide counters of one entity. Its names, aliases and countries live in the fold's
/// shared maps keyed by the entity's slot, so an entity costs no allocation of its own
/// (three maps and a set per entity made the fold ~1 KB per entity, the run's memory
/// growth on large dumps).
struct EntityStats {
    id: u128,
    /// The type of its first mention; the entity takes the type most of its mentions
    /// have, this one on a tie.
    entity_type: EntityType,
    /// Mentions per type, in [`EntityType::ALL`] order.
    type_counts: [u32; 4],
    mention_count: i64,
    article_count: i64,
    last_article: u64,
    /// Distinct aliases kept so far (at most [`MAX_ALIASES`]).
    aliases: u8,
    /// Knowledge-base id; the same for every mention (the id hashes the KB key).
    kb_id: Option<&'static str>,
}

impl EntityStats {
    fn voted_type(&self) -> EntityType {
        voted_type(self.entity_type, self.type_counts)
    }
}

/// The type most mentions of an entity have (`counts` in [`EntityType::ALL`] order); the
/// first mention's type on a tie, and the last of the others tied above it.
pub fn voted_type(first: EntityType, counts: [u32; 4]) -> EntityType {
    let at_first = counts[first as usize];
    EntityType::ALL.into_iter().zip(counts).filter(|&(_, n)| n > at_first).max_by_key(|&(_, n)| n).map_or(first, |(t, _)| t)
}

const MAX_ALIASES: usize = 50;

type FxMap<K, V> = HashMap<K, V, crate::hashing::FxBuild>;

/// The run-wide entity statistics, folded in article order. Entities sit in slots in
/// order of first mention (the entities table's order); names and surfaces are interned
/// once for the run (the same names recur across entities and articles).
#[derive(Default)]
pub struct EntityFold {
    /// Entity ids are already hashes: the map uses them as they are.
    slots: HashMap<u128, u32, std::hash::BuildHasherDefault<crate::hashing::IdHasher>>,
    stats: Vec<EntityStats>,
    strings: FxMap<Box<str>, u32>,
    /// (slot, name string) -> mentions with that canonical name.
    names: FxMap<(u32, u32), u32>,
    /// (slot, surface string): the entity's first [`MAX_ALIASES`] distinct surfaces.
    aliases: std::collections::HashSet<(u32, u32), crate::hashing::FxBuild>,
    /// (slot, country code) -> mentions resolved to that country.
    countries: FxMap<(u32, &'static str), u32>,
}

impl EntityFold {
    fn intern(&mut self, s: String) -> u32 {
        if let Some(&i) = self.strings.get(s.as_str()) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.insert(s.into_boxed_str(), i);
        i
    }

    /// Count one mention of the article numbered `article_seq` (1, 2, ... in run order).
    pub fn add(&mut self, article_seq: u64, obs: EntityObservation) {
        let slot = match self.slots.get(&obs.entity_id) {
            Some(&k) => k,
            None => {
                let k = self.stats.len() as u32;
                self.slots.insert(obs.entity_id, k);
                self.stats.push(EntityStats {
                    id: obs.entity_id,
                    entity_type: obs.entity_type,
                    type_counts: [0; 4],
                    mention_count: 0,
                    article_count: 0,
                    last_article: u64::MAX,
                    aliases: 0,
                    kb_id: obs.kb_id,
                });
                k
            }
        };
        // The surface is most often the canonical name itself: one lookup for both.
        let same = obs.surface == obs.canonical_name;
        let name = self.intern(obs.canonical_name);
        *self.names.entry((slot, name)).or_default() += 1;
        let room = usize::from(self.stats[slot as usize].aliases) < MAX_ALIASES;
        if room {
            let surface = if same { name } else { self.intern(obs.surface) };
            if self.aliases.insert((slot, surface)) {
                self.stats[slot as usize].aliases += 1;
            }
        }
        if let Some(c) = obs.country {
            *self.countries.entry((slot, c)).or_default() += 1;
        }
        let s = &mut self.stats[slot as usize];
        s.type_counts[obs.entity_type as usize] += 1;
        s.kb_id = s.kb_id.or(obs.kb_id);
        s.mention_count += 1;
        if s.last_article != article_seq {
            s.article_count += 1;
            s.last_article = article_seq;
        }
    }

    /// The entity rows, in order of first mention.
    pub fn rows(self, geocode: bool, g: &Gazetteer) -> Vec<EntityRow> {
        let mut out = Vec::with_capacity(self.stats.len());
        self.rows_in_batches(geocode, g, usize::MAX, |batch| {
            out.append(batch);
            Ok(())
        })
        .map(|()| out)
        .unwrap_or_default()
    }

    /// The entity rows in order of first mention, handed to `sink` `batch` rows at a time
    /// (so a run with millions of entities never holds all their rows at once).
    pub fn rows_in_batches(
        self,
        geocode: bool,
        g: &Gazetteer,
        batch: usize,
        mut sink: impl FnMut(&mut Vec<EntityRow>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut text: Vec<&str> = vec![""; self.strings.len()];
        for (s, &i) in &self.strings {
            text[i as usize] = s;
        }
        // Each side table sorted by slot, then walked alongside the slots. Aliases come in
        // string order (as the set of strings they were), names and countries in any order
        // (`entity_row` breaks every tie by the string).
        let mut names: Vec<(u32, u32, u32)> = self.names.iter().map(|(&(k, n), &c)| (k, n, c)).collect();
        names.sort_unstable_by_key(|&(k, n, _)| (k, n));
        let mut aliases: Vec<(u32, u32)> = self.aliases.iter().copied().collect();
        aliases.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| text[a.1 as usize].cmp(text[b.1 as usize])));
        let mut countries: Vec<(u32, &'static str, u32)> = self.countries.iter().map(|(&(k, c), &n)| (k, c, n)).collect();
        countries.sort_unstable();
        let (mut ni, mut ai, mut ci) = (0, 0, 0);
        let batch = batch.max(1);
        let mut rows = Vec::with_capacity(batch.min(self.stats.len()));
        for (k, s) in self.stats.iter().enumerate() {
            let k = k as u32;
            let n_end = ni + names[ni..].partition_point(|e| e.0 == k);
            let a_end = ai + aliases[ai..].partition_point(|e| e.0 == k);
            let c_end = ci + countries[ci..].partition_point(|e| e.0 == k);
            rows.push(entity_row(
                s.id,
                s.voted_type(),
                names[ni..n_end].iter().map(|&(_, n, c)| (text[n as usize], c)),
                aliases[ai..a_end].iter().map(|&(_, a)| text[a as usize]),
                countries[ci..c_end].iter().map(|&(_, c, n)| (c, n)),
                (s.mention_count, s.article_count),
                s.kb_id,
                geocode,
                g,
            ));
            (ni, ai, ci) = (n_end, a_end, c_end);
            if rows.len() == batch {
                sink(&mut rows)?;
                rows.clear();
            }
        }
        if !rows.is_empty() {
            sink(&mut rows)?;
        }
        Ok(())
    }
}

const ENTITY_PART_ROWS: usize = 50_000;

pub fn run(ctx: &StageContext, fingerprint: &str, upstream: &StageManifest) -> StageResult {
    let started = Instant::now();
    let config = &ctx.settings.config.normalize;
    let gazetteer = Gazetteer::builtin();
    let clean_dir = ctx.stage_dir(StageName::Clean);
    let extract_dir = ctx.stage_dir(StageName::Extract);
    let writer = StageWriter::create(&ctx.work_dir, "normalize")?;
    let bar = ctx.bar(StageName::Normalize, 0, "articles");
    let mut manifest = StageManifest::default();
    let mut fold = EntityFold::default();
    let mut article_seq = 0u64;
    let (mut per_org, mut per_org_linked) = (0u64, 0u64);
    let mut mentions = MentionRows::new_builder(4096);
    let mut events = EventRows::new_builder(1024);
    let mut attributions = AttributionRows::new_builder(1024);
    let mut rejects = RejectRows::new_builder(16);
    let read = |k: u64| -> Result<ChunkInput, Error> {
        Ok(ChunkInput {
            articles: read_part::<ArticleRows>(&clean_dir, k)?,
            mentions: read_part::<RawMentionRows>(&extract_dir, k)?,
            events: read_part::<RawEventRows>(&extract_dir, k)?,
            attributions: read_part::<RawAttributionRows>(&extract_dir, k)?,
        })
    };
    pipeline_chunks(
        upstream.chunks,
        read,
        |_, input| Ok(normalize_chunk(&input, config, gazetteer)),
        |k, outputs| {
            let n = outputs.len() as u64;
            for out in outputs {
                let out = match out {
                    Ok(out) => out,
                    Err(reject) => {
                        *manifest.counters.entry(format!("rejects.{}", reject.reason)).or_default() += 1;
                        rejects.push(&reject);
                        continue;
                    }
                };
                article_seq += 1;
                per_org += out.per_org;
                per_org_linked += out.per_org_linked;
                out.mentions.iter().for_each(|r| mentions.push(r));
                out.events.iter().for_each(|r| events.push(r));
                out.attributions.iter().for_each(|r| attributions.push(r));
                out.observations.into_iter().for_each(|o| fold.add(article_seq, o));
            }
            for (name, n) in [
                ("mentions", writer.write(k, &mut mentions)?),
                ("events", writer.write(k, &mut events)?),
                ("attributions", writer.write(k, &mut attributions)?),
                ("rejects", writer.write(k, &mut rejects)?),
            ] {
                *manifest.rows.entry(name.into()).or_default() += n;
            }
            bar.inc(n);
            Ok(())
        },
    )?;
    let mut entities = EntityRows::new_builder(ENTITY_PART_ROWS);
    let (mut part, mut entity_rows) = (0u64, 0u64);
    fold.rows_in_batches(config.geocode, gazetteer, ENTITY_PART_ROWS, |batch| {
        batch.iter().for_each(|r| entities.push(r));
        entity_rows += batch.len() as u64;
        writer.write(part, &mut entities)?;
        part += 1;
        Ok(())
    })?;
    bar.finish_and_clear();
    manifest.rows.insert("entities".into(), entity_rows);
    manifest.counters.insert("entity_parts".into(), part);
    // Knowledge-base coverage: PER/ORG mentions, and those linked to a KB entry.
    manifest.counters.insert("per_org_mentions".into(), per_org);
    manifest.counters.insert("per_org_kb_linked".into(), per_org_linked);
    for name in ["mentions", "events", "attributions", "rejects"] {
        manifest.rows.entry(name.into()).or_default();
    }
    manifest.stage = "normalize".into();
    manifest.fingerprint = fingerprint.to_string();
    manifest.upstream_fingerprint = Some(upstream.fingerprint.clone());
    manifest.chunks = upstream.chunks;
    manifest.seconds = started.elapsed().as_secs_f64();
    super::commit_stage(writer, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kb_place_the_gazetteer_lacks_is_geocoded_by_its_written_forms() {
        let g = Gazetteer::builtin();
        let row = |aliases: &[&str]| {
            entity_row(
                1,
                EntityType::Loc,
                [("Washington, D.C.", 3)].into_iter(),
                aliases.iter().copied(),
                [("USA", 3)].into_iter(),
                (3, 1),
                Some("Q61"),
                true,
                g,
            )
        };
        let dc = row(&["Washington"]);
        assert_eq!((dc.latitude.map(f64::round), dc.longitude.map(f64::round)), (Some(39.0), Some(-77.0)));
        assert_eq!(dc.canonical_name, "Washington, D.C.");
        // No written form the gazetteer holds: no coordinates, not a guess.
        assert_eq!(row(&[]).latitude, None);
    }

    #[test]
    fn rows_carry_the_resolved_names_and_roles_moved_out_of_resolution() {
        // normalize_article moves each resolved mention's canonical name and role into
        // its rows instead of copying them; the rows must still hold what resolution
        // gave, mention by mention, and parties still read the resolved countries.
        let text = "Russian President Vladimir Putin met Venezuelan leader Nicolas Maduro in Moscow. Putin said Maduro was welcome.";
        let spans =
            [("Vladimir Putin", "PER", 0), ("Nicolas Maduro", "PER", 0), ("Moscow", "LOC", 0), ("Putin", "PER", 1), ("Maduro", "PER", 1)];
        let mut from = 0;
        let mut raw = Vec::new();
        let mut mentions = Vec::new();
        for (name, ty, sentence) in spans {
            let start = from + text.get(from..).unwrap().find(name).unwrap();
            from = start + name.len();
            raw.push(RawMentionRow {
                article_id: "a".into(),
                sentence_index: sentence,
                start: start as i64,
                end: from as i64,
                text: name.into(),
                entity_type: ty.into(),
                confidence: 0.9,
            });
            mentions.push(Mention {
                span: Span::new(start, from),
                tokens: 0..0,
                sentence: sentence as usize,
                entity_type: EntityType::parse(ty).unwrap(),
                confidence: 0.9,
            });
        }
        let putin = text.rfind("Putin said").unwrap() as i64;
        let event = RawEventRow {
            article_id: "a".into(),
            event_type: "CONSULT".into(),
            trigger_start: putin + 6,
            trigger_end: putin + 10,
            actor_start: Some(putin),
            actor_end: Some(putin + 5),
            ..Default::default()
        };
        let article = ArticleRow { article_id: "a".into(), text: text.into(), ..Default::default() };
        let g = Gazetteer::builtin();
        let want = resolve_document_from(text, &mentions, g, None);
        let out = normalize_articles(vec![article], raw, vec![event], Vec::new(), &NormalizeConfig::default());
        let out = out.into_iter().next().unwrap().ok().unwrap();
        assert_eq!(out.mentions.len(), want.len());
        for ((row, obs), r) in out.mentions.iter().zip(&out.observations).zip(&want) {
            assert_eq!(obs.canonical_name, r.canonical_name);
            assert!(!obs.canonical_name.is_empty());
            assert_eq!(row.role, r.role);
            assert_eq!(row.entity_id, ids::hex(entity_id(r.entity_type, &r.key)));
        }
        assert_eq!(out.observations[3].canonical_name, "Vladimir Putin", "the short name resolves to the full one");
        let e = &out.events[0];
        assert_eq!(e.actor_entity_id.as_deref(), Some(out.mentions[3].entity_id.as_str()));
        assert_eq!(e.actor_country.as_deref(), want[3].country_code);
    }

    #[test]
    fn one_key_names_one_entity_whose_mentions_vote_on_its_type() {
        // A person of a key stays apart from a place or organisation of it.
        assert_eq!(entity_id(EntityType::Org, "cleveland"), entity_id(EntityType::Loc, "cleveland"));
        assert_ne!(entity_id(EntityType::Per, "jordan"), entity_id(EntityType::Loc, "jordan"));
        let obs = |ty: EntityType| EntityObservation {
            entity_id: 5,
            entity_type: ty,
            canonical_name: "Cleveland".into(),
            surface: "Cleveland".into(),
            country: Some("USA"),
            kb_id: None,
        };
        let mut fold = EntityFold::default();
        for ty in [EntityType::Org, EntityType::Loc, EntityType::Org, EntityType::Loc, EntityType::Loc] {
            fold.add(1, obs(ty));
        }
        let rows = fold.rows(false, Gazetteer::builtin());
        assert_eq!((rows[0].entity_type.as_str(), rows[0].mention_count), ("LOC", 5));
        // A tie keeps the first mention's type.
        let mut fold = EntityFold::default();
        for ty in [EntityType::Misc, EntityType::Org, EntityType::Org, EntityType::Misc] {
            fold.add(1, obs(ty));
        }
        assert_eq!(fold.rows(false, Gazetteer::builtin())[0].entity_type, "MISC");
    }

    #[test]
    fn entity_fold_counts_names_aliases_and_articles_in_first_mention_order() {
        let obs = |id: u128, name: &str, surface: &str, country: Option<&'static str>| EntityObservation {
            entity_id: id,
            entity_type: EntityType::Per,
            canonical_name: name.into(),
            surface: surface.into(),
            country,
            kb_id: None,
        };
        let mut fold = EntityFold::default();
        fold.add(1, obs(7, "Joe Biden", "Biden", Some("USA")));
        fold.add(1, obs(3, "Kamala Harris", "Harris", None));
        fold.add(1, obs(7, "Joe Biden", "Joe Biden", None));
        fold.add(2, obs(7, "Biden", "biden", Some("USA")));
        fold.add(2, obs(7, "Biden", "Biden", Some("GBR")));
        // Past MAX_ALIASES distinct surfaces, later ones are not kept.
        for i in 0..60 {
            fold.add(3, obs(3, "Kamala Harris", &format!("Harris {i:02}"), None));
        }
        let g = Gazetteer::builtin();
        let rows = fold.rows(false, g);
        assert_eq!(rows.len(), 2);
        let (b, h) = (&rows[0], &rows[1]);
        assert_eq!(b.entity_id, ids::hex(7), "first mentioned first");
        // "Biden" and "Joe Biden" both twice: the longer name wins the tie.
        assert_eq!(b.canonical_name, "Joe Biden");
        assert_eq!(b.aliases, "Biden; biden", "sorted, the canonical name left out");
        assert_eq!((b.mention_count, b.article_count), (4, 2));
        assert_eq!(b.country_code.as_deref(), Some("USA"));
        assert_eq!((h.mention_count, h.article_count), (61, 2));
        let kept: Vec<&str> = h.aliases.split("; ").collect();
        assert_eq!(kept.len(), 50, "the first 50 distinct surfaces: 'Harris', then 'Harris 00'..'Harris 48'");
        assert!(kept.contains(&"Harris") && kept.contains(&"Harris 48") && !kept.contains(&"Harris 49"));
        // Streaming in batches gives the same rows.
        let mut again = EntityFold::default();
        again.add(1, obs(7, "Joe Biden", "Biden", Some("USA")));
        again.add(1, obs(3, "Kamala Harris", "Harris", None));
        let mut batches = Vec::new();
        again
            .rows_in_batches(false, g, 1, |b| {
                batches.push(b.len());
                Ok(())
            })
            .unwrap();
        assert_eq!(batches, vec![1, 1]);
    }

    #[test]
    fn actor_phrases_take_countries_from_evidence_not_city_names() {
        let g = Gazetteer::builtin();
        // "Police" is a town in Poland and "Obama" one in Japan: neither is evidence.
        assert_eq!(country_of_phrase(g, "police"), None);
        assert_eq!(country_of_phrase(g, "Police"), None);
        assert_eq!(country_of_phrase(g, "Obama"), None);
        assert_eq!(country_of_phrase(g, "Russian police"), Some("RUS"));
        assert_eq!(country_of_phrase(g, "Texas"), Some("USA"));
        assert_eq!(country_of_phrase(g, "the United States"), Some("USA"));
        assert_eq!(country_of_phrase(g, "D-New Jersey"), Some("USA"));
        assert_eq!(country_of_phrase(g, "New Jersey Democratic Cory Booker"), Some("USA"));
    }
}
