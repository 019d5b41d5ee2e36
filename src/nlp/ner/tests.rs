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
