//! The text machinery the stages call: tokens, sentences, entity tagging, events,
//! attributions and entity resolution. Everything here works on one article's text and
//! byte offsets into it; stages convert to character offsets when rows are built.

pub mod attrib;
pub(crate) mod clusters;
pub mod context;
pub mod dates;
pub mod events;
pub mod gazetteer;
pub mod kb;
pub mod model_bytes;
pub mod ner;
pub mod parse;
pub mod parse_cache;
pub mod resolve;
pub mod sentence;
pub mod token;
pub mod word_shape;

use std::ops::Range;

/// A byte range into one article's text (end exclusive). Byte offsets keep slicing
/// cheap inside the stages; tables get character offsets at row-building time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Entity types of the mentions and entities tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Per,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [EntityType::Per, EntityType::Org, EntityType::Loc, EntityType::Misc];
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::Per),
            "ORG" => Some(EntityType::Org),
            "LOC" => Some(EntityType::Loc),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// One token: its byte span in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
}

/// One sentence: its byte span and the range of token indices it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// One article's text, tokenized and split into sentences once, shared by every
/// extractor.
pub struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        Doc::with_max_sentence_tokens(text, sentence::MAX_SENTENCE_TOKENS)
    }

    /// A document whose sentences hold at most `max_tokens` tokens (longer ones are cut,
    /// see [`sentence::split_bounded`]).
    pub fn with_max_sentence_tokens(text: &'a str, max_tokens: usize) -> Doc<'a> {
        let mut tokens = Vec::with_capacity(text.len() / 5);
        token::tokenize(text, &mut tokens);
        let sentences = sentence::split_bounded(text, &tokens, max_tokens);
        Doc { text, tokens, sentences }
    }

    pub fn token_text(&self, i: usize) -> &'a str {
        crate::text_slice(self.text, self.tokens[i].span.range())
    }

    pub fn span_text(&self, span: Span) -> &'a str {
        crate::text_slice(self.text, span.range())
    }

    /// Index of the sentence holding byte offset `pos` (the last one if past the end).
    pub fn sentence_of(&self, pos: u32) -> usize {
        match self.sentences.binary_search_by(|s| {
            if s.span.end <= pos {
                std::cmp::Ordering::Less
            } else if s.span.start > pos {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        }) {
            Ok(i) => i,
            Err(i) => i.min(self.sentences.len().saturating_sub(1)),
        }
    }
}

/// An entity mention found by the tagger.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub span: Span,
    /// Token index range of the mention.
    pub tokens: Range<usize>,
    pub sentence: usize,
    pub entity_type: EntityType,
    pub confidence: f32,
}

/// The 18 PLOVER event categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PloverType {
    Agree,
    Consult,
    Support,
    Cooperate,
    Aid,
    Concede,
    Retreat,
    Investigate,
    Demand,
    Disapprove,
    Reject,
    Threaten,
    Protest,
    Mobilize,
    Sanction,
    Coerce,
    Assault,
    Fight,
}

impl PloverType {
    pub const ALL: [PloverType; 18] = [
        PloverType::Agree,
        PloverType::Consult,
        PloverType::Support,
        PloverType::Cooperate,
        PloverType::Aid,
        PloverType::Concede,
        PloverType::Retreat,
        PloverType::Investigate,
        PloverType::Demand,
        PloverType::Disapprove,
        PloverType::Reject,
        PloverType::Threaten,
        PloverType::Protest,
        PloverType::Mobilize,
        PloverType::Sanction,
        PloverType::Coerce,
        PloverType::Assault,
        PloverType::Fight,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PloverType::Agree => "AGREE",
            PloverType::Consult => "CONSULT",
            PloverType::Support => "SUPPORT",
            PloverType::Cooperate => "COOPERATE",
            PloverType::Aid => "AID",
            PloverType::Concede => "CONCEDE",
            PloverType::Retreat => "RETREAT",
            PloverType::Investigate => "INVESTIGATE",
            PloverType::Demand => "DEMAND",
            PloverType::Disapprove => "DISAPPROVE",
            PloverType::Reject => "REJECT",
            PloverType::Threaten => "THREATEN",
            PloverType::Protest => "PROTEST",
            PloverType::Mobilize => "MOBILIZE",
            PloverType::Sanction => "SANCTION",
            PloverType::Coerce => "COERCE",
            PloverType::Assault => "ASSAULT",
            PloverType::Fight => "FIGHT",
        }
    }
    pub fn parse(s: &str) -> Option<PloverType> {
        PloverType::ALL.iter().copied().find(|t| t.as_str() == s)
    }
}

/// An event found in one sentence. Spans are byte spans into the article text.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub sentence: usize,
    pub event_type: PloverType,
    /// PLOVER mode (e.g. "verbal", "material", "threat"); free text, may be empty.
    pub mode: String,
    pub trigger: Span,
    pub actor: Option<Span>,
    pub recipient: Option<Span>,
    pub location: Option<Span>,
    /// The date words of the sentence ("on Thursday"), resolved in normalize.
    pub date: Option<Span>,
    pub negated: bool,
    pub confidence: f32,
}

/// Kinds of attributed statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributionKind {
    DirectQuote,
    Indirect,
    AccordingTo,
    Credit,
}

impl AttributionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributionKind::DirectQuote => "direct_quote",
            AttributionKind::Indirect => "indirect",
            AttributionKind::AccordingTo => "according_to",
            AttributionKind::Credit => "credit",
        }
    }
    pub fn parse(s: &str) -> Option<AttributionKind> {
        match s {
            "direct_quote" => Some(AttributionKind::DirectQuote),
            "indirect" => Some(AttributionKind::Indirect),
            "according_to" => Some(AttributionKind::AccordingTo),
            "credit" => Some(AttributionKind::Credit),
            _ => None,
        }
    }
}

/// An attributed statement. Spans are byte spans into the article text.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub sentence: usize,
    pub kind: AttributionKind,
    pub source: Option<Span>,
    pub cue: Span,
    pub content: Span,
    pub confidence: f32,
}
