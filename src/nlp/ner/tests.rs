use super::*;
use std::path::PathBuf;

const TINY: &str = "\
-DOCSTART- -X- O

John NNP B-NP B-PER
Smith NNP I-NP I-PER
visited VBD B-VP O
Paris NNP B-NP B-LOC
with IN B-PP O
Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
. . O O

Mary NNP B-NP B-PER
flew VBD B-VP O
to TO B-PP O
Berlin NNP B-NP B-LOC
for IN B-PP O
the DT B-NP O
German JJ I-NP B-MISC
election NN I-NP O
. . O O

-DOCSTART- -X- O

Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
hired VBD B-VP O
John NNP B-NP B-PER
Smith NNP I-NP I-PER
in IN B-PP O
Berlin NNP B-NP B-LOC
. . O O
";

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel)
}

#[test]
fn trains_and_decodes_a_tiny_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.conll");
    std::fs::write(&data, TINY).unwrap();
    let out = dir.path().join("tiny.bin.zst");
    let opts = TrainOptions { epochs: 10, bits: 16, ..TrainOptions::default() };
    let mut log = Vec::new();
    let report = train(&data, Some(&data), &out, &opts, &mut log).unwrap();
    let log = String::from_utf8(log).unwrap();
    assert!(log.contains("dev F1"), "{log}");
    let dev = report.dev.unwrap();
    assert_eq!(dev.overall().f1(), 1.0, "{dev}");

    let model = NerModel::load(&out).unwrap();
    let doc = Doc::new("John Smith visited Paris with Acme Corp . Mary flew to Berlin.");
    let got: Vec<(&str, EntityType)> = model.tag(&doc).iter().map(|m| (doc.span_text(m.span), m.entity_type)).collect();
    assert_eq!(
        got,
        vec![
            ("John Smith", EntityType::Per),
            ("Paris", EntityType::Loc),
            ("Acme Corp", EntityType::Org),
            ("Mary", EntityType::Per),
            ("Berlin", EntityType::Loc),
        ]
    );
    let preds = dir.path().join("preds.txt");
    let r = eval_conll(&model, &data, Some(&preds)).unwrap();
    assert_eq!(r.overall().tp, 9);
    let text = std::fs::read_to_string(&preds).unwrap();
    assert!(text.contains("Smith I-PER I-PER\n"), "{text}");
    assert!(text.contains("German B-MISC B-MISC\n"), "{text}");
}

#[test]
fn bad_model_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.bin.zst");
    assert!(matches!(NerModel::load(&p), Err(NerError::Io { .. })));
    std::fs::write(&p, b"not a model").unwrap();
    assert!(matches!(NerModel::load(&p), Err(NerError::Format { .. })));
    std::fs::write(&p, zstd::encode_all(&b"NGNER\0\0\x01short"[..], 1).unwrap()).unwrap();
    assert!(matches!(NerModel::load(&p), Err(NerError::Format { .. })));
}

fn entities(model: &NerModel, text: &str) -> Vec<(String, &'static str)> {
    let doc = Doc::new(text);
    model.tag(&doc).iter().map(|m| (doc.span_text(m.span).to_string(), m.entity_type.as_str())).collect()
}

#[test]
fn builtin_model_tags_real_prose() {
    let model = NerModel::builtin().unwrap();
    let text = "Russian President Vladimir Putin spoke by phone with Venezuelan leader \
                Nicolás Maduro on Thursday, according to a statement from the Kremlin. \
                According to Fox News Digital's report, the Venezuelan government condemned \
                the seizure. The partnership deepened during the presidency of Hugo Chávez.";
    let got = entities(&model, text);
    let has = |s: &str, t: &str| got.iter().any(|(a, b)| a == s && *b == t);
    assert!(has("Russian", "MISC"), "{got:?}");
    assert!(has("Vladimir Putin", "PER"), "{got:?}");
    assert!(has("Nicolás Maduro", "PER"), "{got:?}");
    assert!(has("Kremlin", "ORG") || has("Kremlin", "LOC"), "{got:?}");
    assert!(has("Fox News Digital", "ORG"), "{got:?}");
    assert!(has("Hugo Chávez", "PER"), "{got:?}");
    let doc = Doc::new(text);
    for m in model.tag(&doc) {
        assert!((0.0..=1.0).contains(&m.confidence));
    }
}

#[test]
fn builtin_model_scores_on_conll_dev() {
    let dev = shared("data/conll2003/eng.testa");
    if !dev.exists() {
        println!("skipping: {} not found", dev.display());
        return;
    }
    let model = NerModel::builtin().unwrap();
    let report = eval_conll(&model, &dev, None).unwrap();
    println!("{report}");
    assert!(report.f1_plo() > 0.89, "{report}");
}

/// The builtin table seen through a view that forbids the token-feature cache.
struct Uncached<'a>(model::QRef<'a>);

impl decode::Weights for Uncached<'_> {
    fn bits(&self) -> u32 {
        self.0.bits()
    }
    fn add(&self, bucket: u32, acc: &mut [f32; features::NTAGS]) {
        self.0.add(bucket, acc)
    }
    fn add_all(&self, buckets: &[u32], acc: &mut [f32; features::NTAGS]) {
        self.0.add_all(buckets, acc)
    }
    fn unit(&self) -> f32 {
        self.0.unit()
    }
}

#[test]
fn token_cache_changes_no_decision() {
    let model = NerModel::builtin().unwrap();
    let texts = [
        "Police said Gore met Smith in Paris. SMITH WINS IN PARIS. Smith told police the Gore campaign was over.",
        "Twitter said on Monday that Twitter users in Benghazi saw the posts. Capitol Hill reacted.",
    ];
    let mut cached = Decoder::default();
    let mut fresh = Decoder::default();
    for round in 0..2 {
        for text in texts {
            let doc = Doc::new(text);
            let toks: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
            let sents: Vec<Range<usize>> = doc.sentences.iter().map(|s| s.tokens.clone()).collect();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let t = model.inner.temperature;
            cached.decode_doc(&mut QRef(&model.inner.table), Resources::get(), &toks, &sents, None, None, t, 3, &mut a);
            fresh.decode_doc(&mut Uncached(QRef(&model.inner.table)), Resources::get(), &toks, &sents, None, None, t, 3, &mut b);
            assert_eq!(a, b, "round {round}: {text}");
        }
    }
}

#[test]
fn doc_profile_marks_other_mentions() {
    let mut toks = Vec::new();
    let text = "Police came . Then police left with Gore . Then Al Gore spoke .";
    let words: Vec<&str> = text.split(' ').collect();
    let mut an = features::Analyzer::default();
    an.begin_doc(&mut toks);
    let ranges = [0..3, 3..9, 9..14];
    for r in &ranges {
        an.sentence(Resources::get(), &words[r.clone()], &mut toks, true);
    }
    let mut map = Default::default();
    features::doc_profile(&mut toks, &ranges, &mut map);
    // "Police" opens a sentence but is written lowercase elsewhere.
    assert_eq!(toks[0].doc, features::DOC_LOWER);
    // "Gore" is capitalised mid-sentence, alone and as the later word of "Al Gore".
    assert_eq!(toks[7].doc, features::DOC_CAP | features::DOC_RUN_LATER);
    assert_eq!(toks[11].doc, toks[7].doc);
    assert_eq!(toks[10].doc, features::DOC_CAP | features::DOC_RUN_FIRST);
    // "Then" only opens sentences: no evidence.
    assert_eq!(toks[3].doc, 0);
}

#[test]
fn also_train_keeps_the_last_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.conll");
    std::fs::write(&data, TINY).unwrap();
    let out = dir.path().join("tiny.bin.zst");
    let opts = TrainOptions { epochs: 3, bits: 16, also_train: vec![data.clone()], temperature: Some(7.0), ..TrainOptions::default() };
    let report = train(&data, Some(&data), &out, &opts, &mut Vec::new()).unwrap();
    assert_eq!(report.best_epoch, 3);
    assert_eq!(report.temperature, 7.0);
    assert_eq!(report.train_tokens, 2 * 25);
}

#[test]
fn off_majority_share_counts_frequent_names_only() {
    let rows =
        [("Trump", "PER", 90), ("Trump", "ORG", 10), ("GOP", "ORG", 20), ("GOP", "MISC", 20), ("Rare", "LOC", 3), ("Rare", "PER", 2)];
    let (names, mentions, share) = off_majority_share(rows.iter().map(|&(t, ty, n)| (t, ty, n)), 30);
    assert_eq!((names, mentions), (2, 140));
    // Trump: 10 off; GOP: a tie, 20 off; Rare (5 mentions) not counted.
    assert!((share - 30.0 / 140.0).abs() < 1e-12, "{share}");
    assert_eq!(off_majority_share(std::iter::empty(), 30), (0, 0, 0.0));
}

/// Analyse whitespace-separated sentences as one document (all affixes filled).
fn analyse(sents: &[&str]) -> (Vec<features::TokInfo>, Vec<Range<usize>>) {
    let mut an = features::Analyzer::default();
    let mut toks = Vec::new();
    an.begin_doc(&mut toks);
    let mut ranges = Vec::new();
    for s in sents {
        let words: Vec<&str> = s.split(' ').collect();
        let a = toks.len();
        an.sentence(Resources::get(), &words, &mut toks, false);
        ranges.push(a..toks.len());
    }
    (toks, ranges)
}

#[test]
fn aggregates_read_the_first_stage_labels_of_other_mentions() {
    use features::{tag, AGG_CONFLICT, KIND_B, KIND_L, KIND_U, TAG_O};
    let (mut toks, ranges) = analyse(&["Roberto Duran won .", "Duran lost to Leonard .", "Then Duran left ."]);
    let (per, org) = (0, 1);
    // Stage 1: "Roberto Duran" PER, "Duran" ORG in the second sentence, PER in the third.
    let prior = [
        tag(per, KIND_B),
        tag(per, KIND_L),
        TAG_O,
        TAG_O,
        tag(org, KIND_U),
        TAG_O,
        TAG_O,
        tag(per, KIND_U),
        TAG_O,
        TAG_O,
        tag(per, KIND_U),
        TAG_O,
        TAG_O,
    ];
    let mut maps = features::AggMaps::default();
    features::doc_aggregates(&mut toks, &ranges, &prior, &mut maps);
    let field = |a: u32, shift: u32, bits: u32| (a >> shift) & ((1 << bits) - 1);
    // The ORG "Duran": its two other mentions (one in "Roberto Duran") are PER, a clear
    // majority against its own label: decoded again.
    let d = toks[4].agg;
    assert_eq!(field(d, 0, 5), tag(org, KIND_U) as u32);
    assert_eq!(field(d, 5, 3), per as u32 + 1, "word majority");
    assert_eq!(field(d, 8, 1), 1, "the other mentions agree");
    assert_ne!(d & AGG_CONFLICT, 0);
    // The PER "Duran" of the third sentence: the word's other mentions are PER and ORG
    // (not unanimous; ties go to the first type, its own), but the only other name
    // "Duran" (the second sentence's) is ORG: decoded again.
    let d3 = toks[10].agg;
    assert_eq!(field(d3, 5, 3), per as u32 + 1);
    assert_eq!(field(d3, 8, 1), 0);
    assert_eq!(field(d3, 9, 3), org as u32 + 1);
    assert_ne!(d3 & AGG_CONFLICT, 0);
    // The name "Roberto Duran" has no other mention and its words no clear majority
    // against their labels: not decoded again.
    assert_eq!(toks[0].agg & AGG_CONFLICT, 0);
    // "Leonard" (one mention) and "won" (lowercase) have no evidence and no conflict.
    assert_eq!(field(toks[7].agg, 5, 3), 0);
    assert_eq!(toks[2].agg & AGG_CONFLICT, 0);
    // "Roberto Duran": no other mention of the name; its own tag and neighbours are kept.
    assert_eq!(field(toks[0].agg, 9, 3), 0);
    assert_eq!(field(toks[1].agg, 15, 5), tag(per, KIND_B) as u32, "previous token's tag");
}

#[test]
fn two_stage_model_trains_saves_and_tags() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.conll");
    std::fs::write(&data, TINY).unwrap();
    let out = dir.path().join("tiny2.bin.zst");
    let opts = TrainOptions { epochs: 10, bits: 16, stage2_folds: 2, ..TrainOptions::default() };
    let mut log = Vec::new();
    let report = train(&data, Some(&data), &out, &opts, &mut log).unwrap();
    let log = String::from_utf8(log).unwrap();
    assert!(log.contains("fold 2/2 epoch"), "{log}");
    assert!(log.contains("stage 2 epoch"), "{log}");
    assert!(report.stage2.is_some());
    assert_eq!(report.dev.unwrap().overall().f1(), 1.0);
    let mut model = NerModel::load(&out).unwrap();
    assert!(model.has_stage2());
    for mode in [Stage2::Off, Stage2::Conflicts, Stage2::All] {
        model.set_stage2(mode);
        let got = entities(&model, "John Smith visited Paris with Acme Corp . Mary flew to Berlin.");
        assert!(got.contains(&("John Smith".to_string(), "PER")), "{mode:?}: {got:?}");
        assert!(got.contains(&("Berlin".to_string(), "LOC")), "{mode:?}: {got:?}");
    }
    // A truncated two-stage file is an error, not a panic.
    let raw = zstd::decode_all(&std::fs::read(&out).unwrap()[..]).unwrap();
    for cut in [8, 12, 40, raw.len() - 1] {
        let p = dir.path().join("cut.bin.zst");
        std::fs::write(&p, zstd::encode_all(&raw[..cut], 1).unwrap()).unwrap();
        assert!(matches!(NerModel::load(&p), Err(NerError::Format { .. })), "cut at {cut}");
    }
}

#[test]
fn second_stage_keeps_sentences_without_conflicts() {
    // With every label confirmed by the document, the conflicts mode returns the first
    // stage's decisions untouched (even through a table that would decide otherwise).
    let model = NerModel::builtin().unwrap();
    let text = "Smith met Jones in Paris . Smith left Paris .";
    let doc = Doc::new(text);
    let toks: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
    let sents: Vec<Range<usize>> = doc.sentences.iter().map(|s| s.tokens.clone()).collect();
    let mut dec = Decoder::default();
    let t = model.inner.temperature;
    let mut first = Vec::new();
    dec.decode_doc(&mut QRef(&model.inner.table), Resources::get(), &toks, &sents, None, None, t, 3, &mut first);
    // A prior with odd probabilities, to see they are copied, not recomputed.
    let prior: Vec<Decision> = first.iter().map(|d| Decision { tag: d.tag, prob: 0.123 }).collect();
    let mut second = Vec::new();
    let p = decode::Prior { dec: &prior, all: false };
    dec.decode_doc(&mut QRef(&model.inner.table), Resources::get(), &toks, &sents, None, Some(p), t, 3, &mut second);
    assert_eq!(second, prior);
    // All mode decodes again (fresh probabilities).
    let p = decode::Prior { dec: &prior, all: true };
    dec.decode_doc(&mut QRef(&model.inner.table), Resources::get(), &toks, &sents, None, Some(p), t, 3, &mut second);
    assert_ne!(second, prior);
}
