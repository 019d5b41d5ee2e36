use super::conllu::parse_str;
use super::*;

const SAMPLE: &str = "# newdoc id = d1\n# sent_id = 1\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t4:nsubj\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t4:aux\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t0:root\t_\n4.1\tit\t_\t_\t_\t_\t_\t_\t4:obj\t_\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_\n\n# sent_id = 2\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t0:root\t_\n\n";

#[test]
fn conllu_round_trip_keeps_comments_multiword_and_empty_nodes() {
    let sents = parse_str(SAMPLE).unwrap();
    assert_eq!(sents.len(), 2);
    assert_eq!(sents[0].forms(), vec!["I", "do", "n't", "know", "."]);
    assert_eq!(sents[0].words[3].head, Some(0));
    assert_eq!(sents[0].words[2].deprel, Some(Deprel::Advmod));
    let mut out = String::new();
    for s in &sents {
        s.write(None, &mut out);
    }
    assert_eq!(out, SAMPLE);
    // Predictions replace exactly UPOS, HEAD and DEPREL of the word lines.
    let p = Parsed {
        upos: vec![Upos::Noun; 5],
        head: vec![0, 1, 1, 1, 1],
        deprel: vec![Deprel::Root, Deprel::Dep, Deprel::Dep, Deprel::NsubjPass, Deprel::Punct],
    };
    let mut out = String::new();
    sents[0].write(Some(&p), &mut out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(&lines[..3], &SAMPLE.lines().collect::<Vec<_>>()[..3]);
    assert_eq!(lines[3], "1\tI\tI\tNOUN\tPRP\t_\t0\troot\t4:nsubj\t_");
    assert_eq!(lines[4], "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_");
    assert_eq!(lines[7], "4\tknow\tknow\tNOUN\tVB\t_\t1\tnsubj:pass\t0:root\t_");
    assert_eq!(lines[8], "4.1\tit\t_\t_\t_\t_\t_\t_\t4:obj\t_");
}

#[test]
fn conllu_errors_name_the_line() {
    assert_eq!(parse_str("1\tx\n").unwrap_err().0, 1);
    assert_eq!(parse_str("# c\n2\ta\ta\tX\tX\t_\t0\troot\t_\t_\n").unwrap_err().0, 2);
    assert!(parse_str("1\ta\ta\tX\tX\t_\tz\troot\t_\t_\n").is_err());
}

#[test]
fn relation_names() {
    assert_eq!(Deprel::parse("nmod:of"), Some(Deprel::Nmod));
    assert_eq!(Deprel::parse("nsubj:pass"), Some(Deprel::NsubjPass));
    assert_eq!(Deprel::parse("bogus"), None);
    assert_eq!(Deprel::NsubjPass.universal(), "nsubj");
    for d in Deprel::ALL {
        assert_eq!(Deprel::parse(d.as_str()), Some(*d));
    }
    for u in Upos::ALL {
        assert_eq!(Upos::parse(u.as_str()), Some(*u));
    }
}

fn parse(words: &str) -> (Vec<&str>, Parsed) {
    let model = ParseModel::builtin().expect("builtin parse model");
    let w: Vec<&str> = words.split(' ').collect();
    let mut p = Parsed::default();
    model.parse(&w, &mut p);
    (w, p)
}

fn pos(words: &[&str], w: &str) -> usize {
    words.iter().position(|x| *x == w).unwrap()
}

#[test]
fn subject_and_object_of_a_simple_clause() {
    let (w, p) = parse("The senator criticized the new plan on Tuesday .");
    let v = pos(&w, "criticized");
    assert_eq!(p.upos[v], Upos::Verb);
    assert_eq!(p.upos[pos(&w, "senator")], Upos::Noun);
    assert_eq!(p.roots().collect::<Vec<_>>(), vec![v]);
    assert_eq!(p.subject(v), Some(pos(&w, "senator")));
    assert_eq!(p.object(v), Some(pos(&w, "plan")));
    assert!(!p.is_passive(v));
}

#[test]
fn passive_agent() {
    let (w, p) = parse("The bill was signed by the president on Friday .");
    let v = pos(&w, "signed");
    assert!(p.is_passive(v));
    assert_eq!(p.subject(v), Some(pos(&w, "bill")));
    assert_eq!(p.deprel[pos(&w, "bill")], Deprel::NsubjPass);
    assert_eq!(p.agent(v), Some(pos(&w, "president")));
}

#[test]
fn clausal_complement_of_said() {
    // Project tokens: "n't" split off, typographic apostrophe.
    let (w, p) = parse("Officials said the army attacked the village and did n’t warn anyone .");
    let said = pos(&w, "said");
    let attacked = pos(&w, "attacked");
    assert_eq!(p.subject(said), Some(pos(&w, "Officials")));
    assert_eq!(p.complement(said), Some(attacked));
    assert_eq!(p.deprel[attacked], Deprel::Ccomp);
    assert_eq!(p.subject(attacked), Some(pos(&w, "army")));
    assert_eq!(p.object(attacked), Some(pos(&w, "village")));
    let warn = pos(&w, "warn");
    assert!(p.is_negated(warn, &w));
    assert!(!p.is_negated(attacked, &w));
}

#[test]
fn hyphenated_compounds_and_numbers_are_tagged_like_their_heads() {
    let (w, p) = parse("The U.S.-sanctioned tanker carried 155,221 barrels .");
    assert_eq!(p.upos[pos(&w, "tanker")], Upos::Noun);
    assert_eq!(p.upos[pos(&w, "155,221")], Upos::Num);
    assert_eq!(p.head_of(pos(&w, "U.S.-sanctioned")), Some(pos(&w, "tanker")));
}

/// Every word has a head inside the sentence, heads lead to one root without cycles.
fn assert_tree(p: &Parsed, n: usize) {
    assert_eq!((p.upos.len(), p.head.len(), p.deprel.len()), (n, n, n));
    for i in 0..n {
        let mut x = i;
        let mut steps = 0;
        while let Some(h) = p.head_of(x) {
            assert!(h < n);
            x = h;
            steps += 1;
            assert!(steps <= n, "cycle through word {i}");
        }
        assert_eq!(p.deprel[x], Deprel::Root);
    }
}

#[test]
fn any_input_gives_a_tree() {
    let model = ParseModel::builtin().unwrap();
    let mut p = Parsed::default();
    model.parse(&[], &mut p);
    assert!(p.is_empty());
    for words in [vec!["."], vec!["", " ", "\u{301}"], vec!["a"; 3], vec!["x-"; 2]] {
        model.parse(&words, &mut p);
        assert_tree(&p, words.len());
    }
    // Longer than one chunk: one root per chunk, heads stay in range.
    let long: Vec<String> = (0..MAX_SENTENCE_TOKENS + 40).map(|i| format!("w{}", i % 7)).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    model.parse(&long, &mut p);
    assert_tree(&p, long.len());
    assert_eq!(p.roots().count(), 2);
    let mut tags = Vec::new();
    model.tag(&long, &mut tags);
    assert_eq!(tags, p.upos);
}

const TINY: &str = "1\tDogs\tdog\tNOUN\t_\t_\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\t_\t_\t0\troot\t_\t_\n3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\t_\t_\t3\tnsubj\t_\t_\n3\tsaw\tsee\tVERB\t_\t_\t0\troot\t_\t_\n4\ta\ta\tDET\t_\t_\t5\tdet\t_\t_\n5\tbird\tbird\tNOUN\t_\t_\t3\tobj\t_\t_\n6\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n2\tbird\tbird\tNOUN\t_\t_\t4\tnsubj:pass\t_\t_\n3\twas\tbe\tAUX\t_\t_\t4\taux:pass\t_\t_\n4\tseen\tsee\tVERB\t_\t_\t0\troot\t_\t_\n5\tby\tby\tADP\t_\t_\t7\tcase\t_\t_\n6\tthe\tthe\tDET\t_\t_\t7\tdet\t_\t_\n7\tcat\tcat\tNOUN\t_\t_\t4\tobl:agent\t_\t_\n8\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_\n\n\
1\tShe\tshe\tPRON\t_\t_\t2\tnsubj\t_\t_\n2\tsaid\tsay\tVERB\t_\t_\t0\troot\t_\t_\n3\tdogs\tdog\tNOUN\t_\t_\t4\tnsubj\t_\t_\n4\tbark\tbark\tVERB\t_\t_\t2\tccomp\t_\t_\n5\tloudly\tloudly\tADV\t_\t_\t4\tadvmod\t_\t_\n6\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n";

#[test]
fn training_overfits_a_tiny_corpus_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let train_path = dir.path().join("tiny.conllu");
    std::fs::write(&train_path, TINY).unwrap();
    let opts =
        TrainOptions { epochs: 15, tagger_epochs: 10, folds: 0, tagger_bits: 12, move_bits: 12, label_bits: 12, ..Default::default() };
    let (a, b) = (dir.path().join("a.bin.zst"), dir.path().join("b.bin.zst"));
    let mut log = Vec::new();
    train(&train_path, None, &a, &opts, &mut log).unwrap();
    train(&train_path, None, &b, &opts, &mut log).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same seed, same model");
    let model = ParseModel::load(&a).unwrap();
    let pred = dir.path().join("pred.conllu");
    let r = eval_conllu(&model, &train_path, Some(&pred)).unwrap();
    assert_eq!((r.words, r.sentences), (23, 4));
    assert_eq!(r.upos(), 1.0, "{r}");
    assert_eq!(r.uas(), 1.0, "{r}");
    assert_eq!(r.las_full(), 1.0, "{r}");
    assert_eq!(std::fs::read_to_string(&pred).unwrap(), TINY);
    // A corrupted model file is an error, not a panic.
    let bytes = std::fs::read(&a).unwrap();
    std::fs::write(&b, &bytes[..bytes.len() / 2]).unwrap();
    assert!(ParseModel::load(&b).is_err());
    let raw = zstd::decode_all(&bytes[..]).unwrap();
    let cut = zstd::encode_all(&raw[..raw.len() - 3], 1).unwrap();
    assert!(ParseModel::from_compressed(&cut, "cut").is_err());
}

#[test]
fn an_ensemble_averages_parsers_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let train_path = dir.path().join("tiny.conllu");
    std::fs::write(&train_path, TINY).unwrap();
    let one = TrainOptions { epochs: 6, tagger_epochs: 10, folds: 0, tagger_bits: 12, move_bits: 12, label_bits: 12, ..Default::default() };
    let two = TrainOptions { ensemble: 2, ..one.clone() };
    let paths: Vec<_> = ["a", "b", "c"].iter().map(|n| dir.path().join(format!("{n}.bin.zst"))).collect();
    let mut log = Vec::new();
    train(&train_path, None, &paths[0], &one, &mut log).unwrap();
    train(&train_path, None, &paths[1], &two, &mut log).unwrap();
    train(&train_path, None, &paths[2], &two, &mut log).unwrap();
    let bytes: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_ne!(bytes[0], bytes[1], "two parsers averaged are not the first alone");
    assert_eq!(bytes[1], bytes[2], "same seed, same ensemble");
    let text = String::from_utf8_lossy(&log).to_string();
    assert!(text.contains("ensemble member 2/2"), "{text}");
    let r = eval_conllu(&ParseModel::load(&paths[1]).unwrap(), &train_path, None).unwrap();
    assert_eq!(r.uas(), 1.0, "{r}");
}

/// A scorer that hides its quantised table: decoders take their uncached paths.
struct Uncached<'a>(&'a table::QTable);

impl table::Scorer for Uncached<'_> {
    fn bits(&self) -> u32 {
        self.0.bits()
    }
    fn scores(&self, buckets: &[u32], acc: &mut [f32]) {
        self.0.scores(buckets, acc)
    }
}

/// The cached row sums (the tagger's word features, the parser's role features) decide
/// exactly what the full feature sets decide.
#[test]
fn cached_and_uncached_decoding_agree() {
    let model = ParseModel::builtin().expect("builtin parse model");
    let m = &model.inner;
    let text = "The bill was signed by the president on Tuesday , officials said . \
                He said he would not comment on the report , which was released late Monday . \
                The the the , , said said said \" \" ( ) 2016 U.S.-sanctioned COVID-19 . \
                Smith , who heads the committee , told reporters that the vote was delayed .";
    let sents: Vec<Vec<&str>> = text.split(" . ").map(|s| s.split(' ').collect()).collect();
    let (mut a, mut b) = (Workspace::default(), Workspace::default());
    let (mut pa, mut pb) = (Parsed::default(), Parsed::default());
    // Twice: the second pass reads the tagger's per-thread cache.
    for _ in 0..2 {
        for s in &sents {
            a.tagger.prepare(s);
            a.tagger.tag(&m.tagger);
            b.tagger.prepare(s);
            b.tagger.tag(&Uncached(&m.tagger));
            assert_eq!(a.tagger.tags(), b.tagger.tags());
            a.parser.parse(&a.tagger, &m.moves, &m.labels, &mut pa);
            b.parser.parse(&b.tagger, &Uncached(&m.moves), &Uncached(&m.labels), &mut pb);
            assert_eq!(pa, pb);
            assert_eq!(pa.len(), s.len());
        }
    }
}

#[test]
fn parse_with_the_tagger_tags_is_the_plain_parse() {
    let model = ParseModel::builtin().expect("builtin parse model");
    // A short sentence and one over MAX_SENTENCE_TOKENS (parsed in chunks).
    let long: Vec<&str> =
        "The senator said the bill would pass and the vote was held .".split(' ').cycle().take(MAX_SENTENCE_TOKENS + 40).collect();
    for w in [long, "Talks resumed on Monday after the strike .".split(' ').collect()] {
        let (mut tags, mut plain, mut reused) = (Vec::new(), Parsed::default(), Parsed::default());
        model.tag(&w, &mut tags);
        model.parse(&w, &mut plain);
        model.parse_tagged(&w, &tags, &mut reused);
        assert_eq!(plain, reused);
        assert_eq!(plain.upos, tags);
        // Tags of the wrong length are ignored; the given tags are the parse's.
        model.parse_tagged(&w, &tags[1..], &mut reused);
        assert_eq!(plain, reused);
        let nouns = vec![Upos::Noun; w.len()];
        model.parse_tagged(&w, &nouns, &mut reused);
        assert_eq!(reused.upos, nouns);
    }
}

#[test]
fn also_train_keeps_the_last_epochs_and_prune_at_skips_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let train_path = dir.path().join("tiny.conllu");
    std::fs::write(&train_path, TINY).unwrap();
    let base = TrainOptions { epochs: 5, tagger_epochs: 4, folds: 0, tagger_bits: 12, move_bits: 12, label_bits: 12, ..Default::default() };
    let out = dir.path().join("a.bin.zst");
    // The dev file chooses the epochs; the pruning is searched on it.
    let mut log = Vec::new();
    let r = train(&train_path, Some(&train_path), &out, &base, &mut log).unwrap();
    assert_eq!(r.train_words, 23);
    assert!(String::from_utf8_lossy(&log).contains("move prune"));
    // Trained on the dev file too: twice the words, the last epochs, no search.
    let opts = TrainOptions { also_train: vec![train_path.clone()], prune_at: Some([0.25, 0.5, 0.25]), ..base.clone() };
    let mut log = Vec::new();
    let r = train(&train_path, Some(&train_path), &out, &opts, &mut log).unwrap();
    let text = String::from_utf8_lossy(&log).to_string();
    assert_eq!((r.train_words, r.tagger_epoch, r.parser_epoch), (46, 4, 5), "{text}");
    assert!(!text.contains("move prune"), "{text}");
    assert!(text.contains("pruning thresholds: tagger 0.25, moves 0.5, labels 0.25"), "{text}");
    // Larger fixed thresholds keep fewer rows.
    let small = dir.path().join("b.bin.zst");
    let opts = TrainOptions { prune_at: Some([8.0, 8.0, 8.0]), ..opts };
    let r2 = train(&train_path, None, &small, &opts, &mut Vec::new()).unwrap();
    assert!(r2.model_bytes < r.model_bytes, "{} vs {}", r2.model_bytes, r.model_bytes);
}
