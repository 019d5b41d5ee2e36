//! Every table's schema, declared once. Each `table!` gives a plain row struct, a builder
//! with one typed column builder per field (finished into a `RecordBatch`), a reader back
//! from batches, and the column docs that `newsgrid schema` prints. Output tables and the
//! stages' internal artifacts are both declared here.

use super::columns::{Column, Date, TimestampUtc};
use arrow::array::{Array, ArrayBuilder, ArrayRef};
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use std::sync::Arc;

/// Column documentation for `newsgrid schema`.
pub struct ColumnDoc {
    pub name: &'static str,
    pub data_type: String,
    pub nullable: bool,
    pub doc: &'static str,
}

/// A table's name, purpose and columns.
pub struct TableDoc {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: Vec<ColumnDoc>,
}

/// String bytes one batch holds at most: Arrow's `Utf8` columns address their bytes
/// with i32 offsets (2 GiB), and a builder past that panics. A builder closes a batch
/// before a row would take it past this bound.
pub const MAX_BATCH_STRING_BYTES: usize = 1 << 30;

/// Common interface of the row builders, so writers and artifact readers are generic.
pub trait Table {
    type Row;
    const NAME: &'static str;
    fn schema() -> SchemaRef;
    fn new_builder(capacity: usize) -> Self;
    /// Change the string bytes per batch (tests use a small bound).
    fn set_max_batch_string_bytes(&mut self, bytes: usize);
    fn push(&mut self, row: &Self::Row);
    /// Rows pushed since the last `finish`.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The rows pushed since the last call, as one batch or more (each within
    /// [`MAX_BATCH_STRING_BYTES`] of strings).
    fn finish(&mut self) -> Result<Vec<RecordBatch>, ArrowError>;
    fn read(batch: &RecordBatch) -> Result<Vec<Self::Row>, ArrowError>;
    fn doc() -> TableDoc;
}

macro_rules! table {
    (
        $(#[doc = $tdoc:literal])*
        $name:literal => $row:ident, $builder:ident {
            $( $field:ident : $ty:ty = $doc:literal ),* $(,)?
        }
    ) => {
        $(#[doc = $tdoc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $row {
            $( #[doc = $doc] pub $field: $ty, )*
        }

        pub struct $builder {
            $( $field: <$ty as Column>::Builder, )*
            /// Rows in the open batch.
            open: usize,
            /// String bytes in the open batch (all columns: a bound on any one of them).
            bytes: usize,
            max_bytes: usize,
            /// Batches closed by the byte bound, waiting for `finish`.
            done: Vec<RecordBatch>,
            error: Option<ArrowError>,
            len: usize,
        }

        impl $builder {
            fn close_batch(&mut self) -> Result<RecordBatch, ArrowError> {
                let columns: Vec<ArrayRef> = vec![ $( ArrayBuilder::finish(&mut self.$field), )* ];
                self.open = 0;
                self.bytes = 0;
                RecordBatch::try_new(Self::schema(), columns)
            }
        }

        impl Table for $builder {
            type Row = $row;
            const NAME: &'static str = $name;

            fn schema() -> SchemaRef {
                static SCHEMA: std::sync::OnceLock<SchemaRef> = std::sync::OnceLock::new();
                SCHEMA
                    .get_or_init(|| {
                        Arc::new(Schema::new(vec![
                            $( Field::new(stringify!($field), <$ty as Column>::data_type(), <$ty as Column>::NULLABLE), )*
                        ]))
                    })
                    .clone()
            }

            fn new_builder(capacity: usize) -> Self {
                $builder {
                    $( $field: <$ty as Column>::builder(capacity), )*
                    open: 0,
                    bytes: 0,
                    max_bytes: MAX_BATCH_STRING_BYTES,
                    done: Vec::new(),
                    error: None,
                    len: 0,
                }
            }

            fn set_max_batch_string_bytes(&mut self, bytes: usize) {
                self.max_bytes = bytes;
            }

            fn push(&mut self, row: &$row) {
                let row_bytes = 0 $( + <$ty as Column>::byte_len(&row.$field) )*;
                if self.open > 0 && self.bytes.saturating_add(row_bytes) > self.max_bytes {
                    match self.close_batch() {
                        Ok(b) => self.done.push(b),
                        Err(e) => {
                            self.error.get_or_insert(e);
                        }
                    }
                }
                $( <$ty as Column>::append(&mut self.$field, &row.$field); )*
                self.open += 1;
                self.bytes = self.bytes.saturating_add(row_bytes);
                self.len += 1;
            }

            fn len(&self) -> usize {
                self.len
            }

            fn finish(&mut self) -> Result<Vec<RecordBatch>, ArrowError> {
                let last = self.close_batch();
                self.len = 0;
                let mut batches = std::mem::take(&mut self.done);
                if let Some(e) = self.error.take() {
                    return Err(e);
                }
                let last = last?;
                if batches.is_empty() || last.num_rows() > 0 {
                    batches.push(last);
                }
                Ok(batches)
            }

            fn read(batch: &RecordBatch) -> Result<Vec<$row>, ArrowError> {
                let schema = batch.schema();
                $(
                    let $field = batch
                        .column(schema.index_of(stringify!($field))?)
                        .as_any()
                        .downcast_ref::<<$ty as Column>::Array>()
                        .ok_or_else(|| ArrowError::SchemaError(format!(
                            "{}: column {} has type {}", $name, stringify!($field), batch.column(schema.index_of(stringify!($field)).unwrap_or(0)).data_type()
                        )))?;
                )*
                let mut rows = Vec::with_capacity(batch.num_rows());
                for i in 0..batch.num_rows() {
                    rows.push($row { $( $field: <$ty as Column>::get($field, i), )* });
                }
                Ok(rows)
            }

            fn doc() -> TableDoc {
                TableDoc {
                    name: $name,
                    doc: concat!($($tdoc, "\n"),*).trim(),
                    columns: vec![
                        $( ColumnDoc {
                            name: stringify!($field),
                            data_type: format!("{}", <$ty as Column>::data_type()),
                            nullable: <$ty as Column>::NULLABLE,
                            doc: $doc,
                        }, )*
                    ],
                }
            }
        }
    };
}

table! {
    /// One loaded article: cleaned text and metadata.
    "articles" => ArticleRow, ArticleRows {
        article_id: String = "Stable id: xxh3-128 of the dump's id, else the canonical URL, else the text",
        source_id: Option<String> = "The record's own id in the dump, if any",
        url: Option<String> = "Article URL",
        source_name: Option<String> = "Publisher or outlet name",
        title: Option<String> = "Headline",
        authors: Option<String> = "Authors, \"; \"-joined",
        published_at: TimestampUtc = "Publication time in UTC (null when absent or unparseable)",
        published_date: Date = "Publication date (UTC)",
        published_raw: Option<String> = "The publication date as written in the dump",
        language: Option<String> = "ISO 639-1 language code of the text",
        text: String = "Cleaned article text (NFC, normalised whitespace, paragraphs separated by a blank line); every *_start/*_end offset points into it",
        char_count: i64 = "Characters (Unicode scalar values) in text",
        word_count: i64 = "Words in text",
        content_hash: String = "xxh3-128 of the cleaned text",
        duplicate_of: Option<String> = "article_id of the first article in the run with the same text, if this one is a duplicate",
        furniture_removed: i32 = "Paragraphs and inline link tooltips removed from text as publisher furniture (prompts, captions, credits, share bars, lines repeated across the source's articles; see [clean] remove_furniture)",
        input_file: String = "Input file the record came from",
        input_position: i64 = "Position of the record in its file (line, row or record number, from 1)",
    }
}

table! {
    /// One entity mention in an article.
    "mentions" => MentionRow, MentionRows {
        mention_id: String = "Stable id of the mention",
        article_id: String = "Article the mention is in",
        entity_id: String = "Resolved entity (see entities)",
        sentence_index: i32 = "Sentence number in the article, from 0",
        start: i64 = "Start character offset into articles.text",
        end: i64 = "End character offset (exclusive)",
        text: String = "The mention as written",
        entity_type: String = "PER, ORG, LOC or MISC",
        role: Option<String> = "Title or role words attached to the mention (\"President\")",
        confidence: f32 = "Tagger confidence in [0, 1]",
    }
}

table! {
    /// One distinct entity in the run.
    "entities" => EntityRow, EntityRows {
        entity_id: String = "Stable id: xxh3-128 of entity type and canonical key (the knowledge-base key for linked entities)",
        canonical_name: String = "Most complete name seen",
        entity_type: String = "PER, ORG, LOC or MISC",
        country_code: Option<String> = "ISO 3166-1 alpha-3 country of the entity, when known",
        latitude: Option<f64> = "Latitude of a place",
        longitude: Option<f64> = "Longitude of a place",
        aliases: String = "Other names seen, \"; \"-joined, sorted",
        mention_count: i64 = "Mentions in the run",
        article_count: i64 = "Articles mentioning it in the run",
        kb_id: Option<String> = "Knowledge-base id (Wikidata QID) of a linked entity, when the knowledge base has one",
    }
}

table! {
    /// One event (PLOVER category) in a sentence.
    "events" => EventRow, EventRows {
        event_id: String = "Stable id of the event",
        article_id: String = "Article the event is in",
        sentence_index: i32 = "Sentence number in the article, from 0",
        event_type: String = "PLOVER category",
        event_mode: Option<String> = "PLOVER mode, when known",
        trigger_text: String = "Trigger words",
        trigger_start: i64 = "Start character offset of the trigger",
        trigger_end: i64 = "End character offset of the trigger",
        actor_entity_id: Option<String> = "Entity of the actor, when resolved",
        actor_text: Option<String> = "Actor as written",
        actor_start: Option<i64> = "Start character offset of the actor",
        actor_end: Option<i64> = "End character offset of the actor",
        actor_country: Option<String> = "ISO 3166-1 alpha-3 of the actor",
        recipient_entity_id: Option<String> = "Entity of the recipient, when resolved",
        recipient_text: Option<String> = "Recipient as written",
        recipient_start: Option<i64> = "Start character offset of the recipient",
        recipient_end: Option<i64> = "End character offset of the recipient",
        recipient_country: Option<String> = "ISO 3166-1 alpha-3 of the recipient",
        location_text: Option<String> = "Place of the event as written",
        location_start: Option<i64> = "Start character offset of the place",
        location_end: Option<i64> = "End character offset of the place",
        location_country: Option<String> = "ISO 3166-1 alpha-3 of the place",
        event_date: Date = "Date of the event, resolved against the publication date",
        date_text: Option<String> = "Date words in the sentence",
        date_from_publication: bool = "True when no date words were found and event_date is the publication date",
        negated: bool = "True when the event is negated (\"did not attack\")",
        confidence: f32 = "Extraction confidence in [0, 1]",
    }
}

table! {
    /// One attributed statement: who said or claimed what.
    "attributions" => AttributionRow, AttributionRows {
        attribution_id: String = "Stable id of the attribution",
        article_id: String = "Article the statement is in",
        sentence_index: i32 = "Sentence number of the cue, from 0",
        kind: String = "direct_quote, indirect, according_to or credit",
        source_entity_id: Option<String> = "Entity of the source, when resolved",
        source_text: Option<String> = "Source as written",
        source_start: Option<i64> = "Start character offset of the source",
        source_end: Option<i64> = "End character offset of the source",
        cue_text: String = "Cue words (\"said\", \"according to\")",
        cue_start: i64 = "Start character offset of the cue",
        cue_end: i64 = "End character offset of the cue",
        content_text: String = "What was said or claimed",
        content_start: i64 = "Start character offset of the content",
        content_end: i64 = "End character offset of the content",
        confidence: f32 = "Extraction confidence in [0, 1]",
    }
}

table! {
    /// One record that was not loaded or not processed, with a stable reason code.
    "rejects" => RejectRow, RejectRows {
        input_file: String = "Input file of the record",
        input_position: i64 = "Position of the record in its file (line, row or record number, from 1; 0 for the whole file)",
        source_id: Option<String> = "The record's id, when it could be read",
        stage: String = "Stage that rejected it",
        reason: String = "Stable snake_case reason code",
        detail: String = "Human-readable detail",
    }
}

// Internal stage artifacts (not output tables).

table! {
    /// A raw record read by `load`, before cleaning.
    "records" => RecordRow, RecordRows {
        input_file: String = "Input file",
        input_position: i64 = "Position in the file, from 1",
        source_id: Option<String> = "The dump's id",
        url: Option<String> = "URL",
        title: Option<String> = "Title",
        authors: Option<String> = "Authors, \"; \"-joined",
        published_raw: Option<String> = "Publication date as written",
        source_name: Option<String> = "Outlet",
        text: String = "Body as read",
        is_html: bool = "True when the body is HTML",
    }
}

table! {
    /// Entity mentions found by `extract`, before resolution.
    "raw_mentions" => RawMentionRow, RawMentionRows {
        article_id: String = "Article",
        sentence_index: i32 = "Sentence number",
        start: i64 = "Start character offset",
        end: i64 = "End character offset",
        text: String = "Mention text",
        entity_type: String = "Tagger label",
        confidence: f32 = "Tagger confidence",
    }
}

table! {
    /// Events found by `extract`, before resolution.
    "raw_events" => RawEventRow, RawEventRows {
        article_id: String = "Article",
        sentence_index: i32 = "Sentence number",
        event_type: String = "PLOVER category",
        event_mode: Option<String> = "PLOVER mode",
        trigger_start: i64 = "Trigger start",
        trigger_end: i64 = "Trigger end",
        actor_start: Option<i64> = "Actor start",
        actor_end: Option<i64> = "Actor end",
        recipient_start: Option<i64> = "Recipient start",
        recipient_end: Option<i64> = "Recipient end",
        location_start: Option<i64> = "Location start",
        location_end: Option<i64> = "Location end",
        date_start: Option<i64> = "Date words start",
        date_end: Option<i64> = "Date words end",
        negated: bool = "Negated",
        confidence: f32 = "Confidence",
    }
}

table! {
    /// Attributions found by `extract`, before resolution.
    "raw_attributions" => RawAttributionRow, RawAttributionRows {
        article_id: String = "Article",
        sentence_index: i32 = "Sentence number",
        kind: String = "Kind",
        source_start: Option<i64> = "Source start",
        source_end: Option<i64> = "Source end",
        cue_start: i64 = "Cue start",
        cue_end: i64 = "Cue end",
        content_start: i64 = "Content start",
        content_end: i64 = "Content end",
        confidence: f32 = "Confidence",
    }
}

/// The output tables in the order they are written and documented.
pub const OUTPUT_TABLES: [&str; 6] = ["articles", "mentions", "entities", "events", "attributions", "rejects"];

/// Documentation of every output table, in output order.
pub fn output_docs() -> Vec<TableDoc> {
    vec![ArticleRows::doc(), MentionRows::doc(), EntityRows::doc(), EventRows::doc(), AttributionRows::doc(), RejectRows::doc()]
}

/// Days since the Unix epoch for a UTC timestamp in microseconds.
pub fn date_of(ts: TimestampUtc) -> Date {
    Date(ts.0.map(|us| us.div_euclid(86_400_000_000) as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_batches() {
        let row = ArticleRow {
            article_id: "a".into(),
            title: Some(String::new()),
            published_at: TimestampUtc(Some(1_700_000_000_000_000)),
            published_date: date_of(TimestampUtc(Some(1_700_000_000_000_000))),
            text: "Hello".into(),
            char_count: 5,
            ..Default::default()
        };
        let mut b = ArticleRows::new_builder(1);
        b.push(&row);
        let batches = b.finish().unwrap();
        assert_eq!(batches.len(), 1);
        let batch = &batches[0];
        assert_eq!(batch.num_rows(), 1);
        let back = ArticleRows::read(batch).unwrap();
        // Empty optional strings are stored as null.
        assert_eq!(back[0].title, None);
        assert_eq!(back[0].published_at, row.published_at);
        assert_eq!(back[0].published_date, Date(Some(19675)));
        assert_eq!(back[0].text, "Hello");
    }

    #[test]
    fn batches_close_before_their_strings_pass_the_bound() {
        let mut b = ArticleRows::new_builder(4);
        b.set_max_batch_string_bytes(1000);
        let rows: Vec<ArticleRow> =
            (0..10).map(|i| ArticleRow { article_id: format!("a{i}"), text: "x".repeat(300), ..Default::default() }).collect();
        rows.iter().for_each(|r| b.push(r));
        assert_eq!(b.len(), 10);
        let batches = b.finish().unwrap();
        assert!(batches.len() >= 4, "{}", batches.len());
        assert_eq!(batches.iter().map(|x| x.num_rows()).sum::<usize>(), 10);
        let back: Vec<ArticleRow> = batches.iter().flat_map(|x| ArticleRows::read(x).unwrap()).collect();
        assert_eq!(
            back.iter().map(|r| r.article_id.as_str()).collect::<Vec<_>>(),
            rows.iter().map(|r| r.article_id.as_str()).collect::<Vec<_>>()
        );
        // Empty: one empty batch (a part with the schema).
        assert_eq!(b.finish().unwrap().len(), 1);
    }

    #[test]
    fn docs_cover_every_output_table() {
        let docs = output_docs();
        let names: Vec<_> = docs.iter().map(|d| d.name).collect();
        assert_eq!(names, OUTPUT_TABLES);
        assert!(docs.iter().all(|d| d.columns.iter().all(|c| !c.doc.is_empty())));
    }
}
