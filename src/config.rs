//! `pipeline.toml`: plain config types (serde, unknown keys rejected) and their
//! validation. Validation collects every problem (unknown sections and keys with the valid
//! ones, bad values, missing inputs), sorts them and reports them together, before any
//! work starts. Paths in the file are relative to the file.

use crate::error::Error;
use crate::tables::write::Format;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub input: InputConfig,
    pub output: OutputConfig,
    pub run: RunConfig,
    pub load: LoadConfig,
    pub clean: CleanConfig,
    pub extract: ExtractConfig,
    pub normalize: NormalizeConfig,
    pub limits: LimitsConfig,
}

/// Input files and how the dump names its fields.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Files or folders; folders are walked recursively, everything in sorted path order.
    pub paths: Vec<String>,
    /// auto (by extension), jsonl, csv or text.
    pub format: String,
    pub fields: FieldMap,
}

impl Default for InputConfig {
    fn default() -> Self {
        InputConfig { paths: Vec::new(), format: "auto".into(), fields: FieldMap::default() }
    }
}

/// Names of the dump's fields (JSON keys or CSV headers).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FieldMap {
    pub id: String,
    pub text: String,
    pub title: String,
    pub url: String,
    pub published: String,
    pub source: String,
    pub authors: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            url: "url".into(),
            published: "published".into(),
            source: "source".into(),
            authors: "authors".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    pub dir: String,
    pub formats: Vec<String>,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig { dir: "out".into(), formats: vec!["parquet".into(), "csv".into()] }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    pub work_dir: String,
    /// A chunk closes at this many articles...
    pub chunk_articles: usize,
    /// ...or this many bytes of text, whichever comes first.
    pub chunk_bytes: usize,
    /// Exit code 1 when rejects / records seen exceeds this.
    pub max_reject_ratio: f64,
    /// 0 = all cores.
    pub threads: usize,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig { work_dir: "work".into(), chunk_articles: 2000, chunk_bytes: 32 << 20, max_reject_ratio: 0.05, threads: 0 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LoadConfig {
    /// Records whose text is longer than this are rejected (`text_too_large`).
    pub max_text_bytes: usize,
    /// CSV field delimiter (one ASCII character).
    pub csv_delimiter: String,
}

impl Default for LoadConfig {
    fn default() -> Self {
        LoadConfig { max_text_bytes: 10 << 20, csv_delimiter: ",".into() }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CleanConfig {
    /// Articles with fewer characters of text after cleaning are rejected (`text_too_short`).
    pub min_text_chars: usize,
    /// Mark exact duplicates (same cleaned text) with `duplicate_of`.
    pub dedupe: bool,
    /// Also mark near duplicates (MinHash over word shingles); needs `dedupe`.
    pub near_duplicates: bool,
    /// Estimated Jaccard similarity of word 3-shingles at or above which an article is a near duplicate.
    pub near_duplicate_threshold: f64,
    /// Texts with fewer words are only matched exactly (short templated texts look alike).
    pub near_duplicate_min_words: usize,
    /// Identify the language of each article.
    pub detect_language: bool,
    /// Remove publisher furniture (prompts, captions, credits, share bars, repeated lines).
    pub remove_furniture: bool,
    /// A paragraph in at least max(this, ceil(log2 n)) articles of a source with n articles is furniture.
    pub furniture_min_repeats: usize,
    /// A paragraph in at least max(furniture_min_repeats, ceil(log2 N)) of all N articles, from
    /// at least this many sources, is furniture in every source.
    pub furniture_min_sources: usize,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            min_text_chars: 1,
            dedupe: true,
            near_duplicates: true,
            near_duplicate_threshold: 0.6,
            near_duplicate_min_words: 20,
            detect_language: true,
            remove_furniture: true,
            furniture_min_repeats: 3,
            furniture_min_sources: 3,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// "builtin" or a path to a model written by `newsgrid train ner`.
    pub ner_model: String,
    pub entities: bool,
    pub events: bool,
    pub attributions: bool,
    /// Only articles in these languages (ISO 639-1) are extracted; others are counted.
    pub languages: Vec<String>,
    /// Mentions below this tagger confidence are dropped.
    pub min_mention_confidence: f32,
    /// Skip articles marked as duplicates of an earlier one.
    pub skip_duplicates: bool,
    /// Event and attribution passes read a dependency parse of the sentences that hold
    /// a candidate trigger or speech cue. On by default: more precise events and speech
    /// for about twice the extract CPU (see README); off reads word order only.
    pub syntax: bool,
    /// With `syntax`: the learned keep-or-drop pass over candidate events
    /// (data/lexicon/event_filter.tsv). Off by default (see README).
    pub event_filter: bool,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            ner_model: "builtin".into(),
            entities: true,
            events: true,
            attributions: true,
            languages: vec!["en".into()],
            min_mention_confidence: 0.0,
            skip_duplicates: true,
            syntax: true,
            event_filter: false,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NormalizeConfig {
    /// Resolve short names, acronyms and titles to one entity within an article.
    pub resolve_within_article: bool,
    /// Look places up in the gazetteer for coordinates.
    pub geocode: bool,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        NormalizeConfig { resolve_within_article: true, geocode: true }
    }
}

/// Bounds on every resource one record can make the pipeline use. Each bound turns into
/// a reject or a counted truncation, never a crash or unbounded memory.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Longest JSONL line or CSV record, in bytes (`line_too_long`).
    pub max_line_bytes: usize,
    /// Most bytes one WARC record's HTTP body may decode to (gzip/deflate Content-Encoding)
    /// (`decompressed_too_large`).
    pub max_record_decompressed_bytes: usize,
    /// Most bytes one `.gz`/`.zst`/`.warc.gz` input may decompress to; the rest of the
    /// file is one `decompressed_too_large` reject.
    pub max_file_decompressed_bytes: u64,
    /// ...and at most this many times the file's size on disk (never below 1 GiB): a
    /// compression bomb stops early.
    pub max_compression_ratio: u64,
    /// A "sentence" with more tokens is split (at a comma or semicolon when there is one).
    pub max_sentence_tokens: usize,
    /// Longest span (quote content, cue, entity, event part), in bytes of text: longer
    /// content is cut, other longer spans are dropped.
    pub max_span_bytes: usize,
    /// Most events and most attributions kept per sentence (mentions do not overlap, so
    /// the text bounds them).
    pub max_rows_per_sentence: usize,
    /// Most mentions, most events and most attributions kept per article (the first, in
    /// text order).
    pub max_rows_per_article: usize,
    /// Deepest HTML element nesting kept; deeper elements are flattened into the element
    /// at this depth (`limits.html_truncated`).
    pub html_max_depth: usize,
    /// Most HTML nodes (elements and text runs) kept per page; further tags are dropped,
    /// their text kept (`limits.html_truncated`).
    pub html_max_nodes: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_line_bytes: 64 << 20,
            max_record_decompressed_bytes: 64 << 20,
            max_file_decompressed_bytes: 64 << 30,
            max_compression_ratio: 100,
            max_sentence_tokens: 400,
            max_span_bytes: 8192,
            max_rows_per_sentence: 32,
            max_rows_per_article: 10_000,
            html_max_depth: crate::html::dom::MAX_DEPTH,
            html_max_nodes: crate::html::dom::MAX_NODES,
        }
    }
}

impl LimitsConfig {
    /// Floor of the ratio bound: small compressed files may expand this much whatever
    /// their ratio.
    pub const RATIO_FLOOR_BYTES: u64 = 1 << 30;

    /// Most decompressed bytes a compressed file of `compressed` bytes may give.
    pub fn file_decompressed_limit(&self, compressed: u64) -> u64 {
        let by_ratio = compressed.saturating_mul(self.max_compression_ratio).max(Self::RATIO_FLOOR_BYTES);
        self.max_file_decompressed_bytes.min(by_ratio)
    }
}

/// Valid keys per section, for unknown-key messages.
const SECTIONS: &[(&str, &[&str])] = &[
    ("input", &["paths", "format", "fields"]),
    ("input.fields", &["id", "text", "title", "url", "published", "source", "authors"]),
    ("output", &["dir", "formats"]),
    ("run", &["work_dir", "chunk_articles", "chunk_bytes", "max_reject_ratio", "threads"]),
    ("load", &["max_text_bytes", "csv_delimiter"]),
    (
        "clean",
        &[
            "min_text_chars",
            "dedupe",
            "near_duplicates",
            "near_duplicate_threshold",
            "near_duplicate_min_words",
            "detect_language",
            "remove_furniture",
            "furniture_min_repeats",
            "furniture_min_sources",
        ],
    ),
    (
        "extract",
        &[
            "ner_model",
            "entities",
            "events",
            "attributions",
            "languages",
            "min_mention_confidence",
            "skip_duplicates",
            "syntax",
            "event_filter",
        ],
    ),
    ("normalize", &["resolve_within_article", "geocode"]),
    (
        "limits",
        &[
            "max_line_bytes",
            "max_record_decompressed_bytes",
            "max_file_decompressed_bytes",
            "max_compression_ratio",
            "max_sentence_tokens",
            "max_span_bytes",
            "max_rows_per_sentence",
            "max_rows_per_article",
            "html_max_depth",
            "html_max_nodes",
        ],
    ),
];

pub const INPUT_FORMATS: &[&str] = &["auto", "jsonl", "csv", "text"];
pub const OUTPUT_FORMATS: &[&str] = &["parquet", "csv"];

/// Overrides from the command line.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub inputs: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub work: Option<PathBuf>,
    pub threads: Option<usize>,
}

/// A validated configuration with every path resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub work_dir: PathBuf,
    pub formats: Vec<Format>,
    pub ner_model: Option<PathBuf>,
    pub threads: usize,
}

/// Read and validate a config file (or defaults when `path` is None), apply overrides,
/// and check everything at once.
pub fn load_settings(path: Option<&Path>, overrides: &Overrides) -> Result<Settings, Error> {
    let (text, base) = match path {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::Config(vec![format!("config {}: {e}", p.display())]))?;
            (text, p.parent().map(Path::to_path_buf).unwrap_or_default())
        }
        None => (String::new(), PathBuf::new()),
    };
    let name = path.map(|p| p.display().to_string()).unwrap_or_else(|| "(defaults)".into());
    settings_from_text(&text, &name, path, &base, overrides)
}

/// [`load_settings`] from TOML text already read (`name` for messages; relative paths in
/// it resolve against `base`, `config_path` is recorded as the config file).
pub fn settings_from_text(
    text: &str,
    name: &str,
    config_path: Option<&Path>,
    base: &Path,
    overrides: &Overrides,
) -> Result<Settings, Error> {
    let base = if base.as_os_str().is_empty() { PathBuf::from(".") } else { base.to_path_buf() };
    let config = parse_config(text, name)?;
    validate(config, config_path.map(Path::to_path_buf), &base, overrides)
}

/// Parse TOML text into a `Config`, reporting every unknown key and bad value.
pub fn parse_config(text: &str, name: &str) -> Result<Config, Error> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| Error::Config(vec![format!("{name}: {}", e.to_string().trim())]))?;
    let mut errors = Vec::new();
    check_keys(&table, "", &mut errors);
    // Deserialize section by section so one bad value does not hide the others.
    let mut config = Config::default();
    macro_rules! section {
        ($key:literal, $field:ident) => {
            if let Some(v) = table.get($key) {
                match v.clone().try_into() {
                    Ok(s) => config.$field = s,
                    Err(e) => {
                        let e: toml::de::Error = e;
                        if !e.message().contains("unknown field") {
                            errors.push(format!("[{}]: {}", $key, e.message().trim()));
                        }
                    }
                }
            }
        };
    }
    section!("input", input);
    section!("output", output);
    section!("run", run);
    section!("load", load);
    section!("clean", clean);
    section!("extract", extract);
    section!("normalize", normalize);
    section!("limits", limits);
    if errors.is_empty() {
        Ok(config)
    } else {
        errors.sort();
        Err(Error::Config(errors))
    }
}

fn check_keys(table: &toml::Table, prefix: &str, errors: &mut Vec<String>) {
    let valid: Vec<&str> = if prefix.is_empty() {
        SECTIONS.iter().map(|(s, _)| *s).filter(|s| !s.contains('.')).collect()
    } else {
        SECTIONS.iter().find(|(s, _)| *s == prefix).map(|(_, k)| k.to_vec()).unwrap_or_default()
    };
    for (key, value) in table {
        if !valid.contains(&key.as_str()) {
            let what = if prefix.is_empty() { format!("unknown section [{key}]") } else { format!("[{prefix}]: unknown key `{key}`") };
            errors.push(format!("{what}; valid: {}", valid.join(", ")));
            continue;
        }
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        if let toml::Value::Table(t) = value {
            if SECTIONS.iter().any(|(s, _)| *s == path) {
                check_keys(t, &path, errors);
            }
        } else if prefix.is_empty() {
            errors.push(format!("`{key}` must be a section [{key}], not a value"));
        }
    }
}

fn validate(config: Config, config_path: Option<PathBuf>, base: &Path, o: &Overrides) -> Result<Settings, Error> {
    let mut errors = Vec::new();
    let resolve = |p: &str| -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    };
    let inputs: Vec<PathBuf> = if o.inputs.is_empty() { config.input.paths.iter().map(|p| resolve(p)).collect() } else { o.inputs.clone() };
    if inputs.is_empty() {
        errors.push("[input] paths: no input given; set paths = [\"...\"] or pass --input PATH".to_string());
    }
    for p in &inputs {
        if !p.exists() {
            errors.push(format!("[input] paths: {} does not exist", p.display()));
        }
    }
    if !INPUT_FORMATS.contains(&config.input.format.as_str()) {
        errors.push(format!("[input] format: unknown format `{}`; valid: {}", config.input.format, INPUT_FORMATS.join(", ")));
    }
    let f = &config.input.fields;
    for (key, v) in [
        ("id", &f.id),
        ("text", &f.text),
        ("title", &f.title),
        ("url", &f.url),
        ("published", &f.published),
        ("source", &f.source),
        ("authors", &f.authors),
    ] {
        if v.trim().is_empty() && key == "text" {
            errors.push(format!("[input.fields] {key}: must name the field holding the article text"));
        }
    }
    let mut formats = Vec::new();
    for name in &config.output.formats {
        match name.as_str() {
            "parquet" => formats.push(Format::Parquet),
            "csv" => formats.push(Format::Csv),
            other => errors.push(format!("[output] formats: unknown format `{other}`; valid: {}", OUTPUT_FORMATS.join(", "))),
        }
    }
    if config.output.formats.is_empty() {
        errors.push(format!("[output] formats: empty; valid: {}", OUTPUT_FORMATS.join(", ")));
    }
    formats.sort();
    formats.dedup();
    if config.run.chunk_articles == 0 {
        errors.push("[run] chunk_articles: must be at least 1, got 0".into());
    }
    if config.run.chunk_bytes < 4096 {
        errors.push(format!("[run] chunk_bytes: must be at least 4096, got {}", config.run.chunk_bytes));
    }
    if !(0.0..=1.0).contains(&config.run.max_reject_ratio) {
        errors.push(format!("[run] max_reject_ratio: must be between 0 and 1, got {}", config.run.max_reject_ratio));
    }
    if config.load.csv_delimiter.len() != 1 || !config.load.csv_delimiter.is_ascii() {
        errors.push(format!("[load] csv_delimiter: must be one ASCII character, got {:?}", config.load.csv_delimiter));
    }
    if config.load.max_text_bytes == 0 {
        errors.push("[load] max_text_bytes: must be at least 1, got 0".into());
    }
    let l = &config.limits;
    for (key, v, min) in [
        ("max_line_bytes", l.max_line_bytes as u64, 1024),
        ("max_record_decompressed_bytes", l.max_record_decompressed_bytes as u64, 1024),
        ("max_file_decompressed_bytes", l.max_file_decompressed_bytes, 1024),
        ("max_compression_ratio", l.max_compression_ratio, 1),
        ("max_sentence_tokens", l.max_sentence_tokens as u64, 16),
        ("max_span_bytes", l.max_span_bytes as u64, 64),
        ("max_rows_per_sentence", l.max_rows_per_sentence as u64, 1),
        ("max_rows_per_article", l.max_rows_per_article as u64, 1),
        ("html_max_depth", l.html_max_depth as u64, 2),
        ("html_max_nodes", l.html_max_nodes as u64, 16),
    ] {
        if v < min {
            errors.push(format!("[limits] {key}: must be at least {min}, got {v}"));
        }
    }
    // One string column of one Arrow batch holds at most 2 GiB; a text or a chunk's
    // texts beyond 1 GiB is never news.
    if config.load.max_text_bytes > 1 << 30 {
        errors.push(format!("[load] max_text_bytes: must be at most 1073741824 (1 GiB), got {}", config.load.max_text_bytes));
    }
    if config.run.chunk_bytes > 1 << 30 {
        errors.push(format!("[run] chunk_bytes: must be at most 1073741824 (1 GiB), got {}", config.run.chunk_bytes));
    }
    if l.max_line_bytes > 1 << 30 {
        errors.push(format!("[limits] max_line_bytes: must be at most 1073741824 (1 GiB), got {}", l.max_line_bytes));
    }
    let t = config.clean.near_duplicate_threshold;
    if !(t > 0.0 && t <= 1.0) {
        errors.push(format!("[clean] near_duplicate_threshold: must be above 0 and at most 1, got {t}"));
    }
    if config.clean.furniture_min_repeats < 2 {
        errors.push(format!(
            "[clean] furniture_min_repeats: must be at least 2 (a line in one article is not repeated), got {}",
            config.clean.furniture_min_repeats
        ));
    }
    if config.clean.furniture_min_sources < 2 {
        errors.push(format!("[clean] furniture_min_sources: must be at least 2, got {}", config.clean.furniture_min_sources));
    }
    if !(0.0..=1.0).contains(&config.extract.min_mention_confidence) {
        errors.push(format!("[extract] min_mention_confidence: must be between 0 and 1, got {}", config.extract.min_mention_confidence));
    }
    for lang in &config.extract.languages {
        if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            errors.push(format!("[extract] languages: `{lang}` is not an ISO 639-1 code like \"en\""));
        }
    }
    let ner_model = match config.extract.ner_model.as_str() {
        "builtin" | "" => None,
        p => {
            let path = resolve(p);
            if !path.exists() {
                errors.push(format!(
                    "[extract] ner_model: {} does not exist; use \"builtin\" or a model from `newsgrid train ner`",
                    path.display()
                ));
            }
            Some(path)
        }
    };
    let threads = o.threads.unwrap_or(config.run.threads);
    if errors.is_empty() {
        Ok(Settings {
            out_dir: o.out.clone().unwrap_or_else(|| resolve(&config.output.dir)),
            work_dir: o.work.clone().unwrap_or_else(|| resolve(&config.run.work_dir)),
            inputs,
            formats,
            ner_model,
            threads,
            config_path,
            config,
        })
    } else {
        errors.sort();
        Err(Error::Config(errors))
    }
}

#[cfg(test)]
mod tests {

    /// The unknown-key table lists exactly the fields of each section's type: a key added
    /// to a struct but not to the table would make the shipped pipeline.toml invalid.
    #[test]
    fn valid_key_table_matches_the_config_types() {
        let value = toml::Value::try_from(Config::default()).expect("config serializes");
        for (section, keys) in SECTIONS {
            let mut table = &value;
            for part in section.split('.') {
                table = &table[part];
            }
            let mut have: Vec<&str> = table.as_table().expect("section is a table").keys().map(String::as_str).collect();
            let mut listed: Vec<&str> = keys.to_vec();
            have.sort();
            listed.sort();
            assert_eq!(have, listed, "[{section}]");
        }
    }

    #[test]
    fn the_shipped_pipeline_toml_is_valid() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml");
        let text = std::fs::read_to_string(&path).expect("pipeline.toml");
        let table: toml::Table = toml::from_str(&text).expect("pipeline.toml parses");
        let mut errors = Vec::new();
        check_keys(&table, "", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }
    use super::*;

    #[test]
    fn all_errors_reported_together() {
        let text = r#"
[input]
paths = []
format = "xml"
colour = "blue"
[input.fields]
body = "x"
[run]
chunk_articles = 0
[extract]
ner_model = "builtin"
languages = ["english"]
[bogus]
"#;
        let err = match parse_config(text, "t.toml") {
            Err(Error::Config(e)) => e,
            other => panic!("{other:?}"),
        };
        let all = err.join("\n");
        assert!(all.contains("unknown key `colour`; valid: paths, format, fields"), "{all}");
        assert!(all.contains("[input.fields]: unknown key `body`"), "{all}");
        assert!(all.contains("unknown section [bogus]; valid: input, output"), "{all}");
    }

    #[test]
    fn bad_values_named_with_section_and_key() {
        let config =
            parse_config("[input]\nformat = \"xml\"\n[run]\nchunk_articles = 0\n[extract]\nlanguages = [\"english\"]\n", "t").unwrap();
        let err = validate(config, None, Path::new("."), &Overrides::default()).unwrap_err().to_string();
        assert!(err.contains("[input] format: unknown format `xml`; valid: auto, jsonl, csv, text"), "{err}");
        assert!(err.contains("[run] chunk_articles"), "{err}");
        assert!(err.contains("[extract] languages: `english`"), "{err}");
        assert!(err.contains("[input] paths: no input given"), "{err}");
    }

    #[test]
    fn wrong_types_reported() {
        let err = parse_config("[run]\nthreads = \"many\"\n", "t").unwrap_err().to_string();
        assert!(err.contains("[run]"), "{err}");
    }
}
