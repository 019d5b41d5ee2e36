use super::*;
use crate::nlp::EntityType;

fn mentions(doc: &Doc, names: &[&str]) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut from = 0;
    for name in names {
        let start = from + doc.text[from..].find(name).expect("mention text in doc");
        let span = Span::new(start, start + name.len());
        out.push(Mention {
            span,
            tokens: token_at(doc, span.start)..token_at(doc, span.end),
            sentence: doc.sentence_of(span.start),
            entity_type: EntityType::Per,
            confidence: 0.9,
        });
        from = start + name.len();
    }
    out
}

/// (kind, source, cue, content) of each attribution.
fn run(text: &str, names: &[&str]) -> Vec<(&'static str, String, String, String)> {
    let doc = Doc::new(text);
    let ms = mentions(&doc, names);
    let got = AttributionExtractor::builtin().extract(&doc, &ms);
    for a in &got {
        assert!(valid(&doc, a));
        assert!((0.0..=1.0).contains(&a.confidence));
    }
    got.iter()
        .map(|a| {
            (
                a.kind.as_str(),
                a.source.map(|s| doc.span_text(s).to_string()).unwrap_or_default(),
                doc.span_text(a.cue).to_string(),
                doc.span_text(a.content).to_string(),
            )
        })
        .collect()
}

fn row(kind: &'static str, source: &str, cue: &str, content: &str) -> (&'static str, String, String, String) {
    (kind, source.to_string(), cue.to_string(), content.to_string())
}

#[test]
fn cue_lexicon_compiles_cleanly() {
    let (set, errors) = compile_cues(CUES_TSV);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(set.entries.len() > 50);
}

#[test]
fn quote_then_speaker() {
    assert_eq!(
        run("“We will not back down,” Maria Lopez said on Tuesday.", &["Maria Lopez"]),
        vec![row("direct_quote", "Maria Lopez", "said", "We will not back down,")]
    );
    assert_eq!(
        run("\"The vote was rigged,\" said the senator.", &[]),
        vec![row("direct_quote", "senator", "said", "The vote was rigged,")]
    );
    assert_eq!(
        run("“It is a dark day,” Kowalski, a veteran union organizer, told reporters.", &["Kowalski"]),
        vec![row("direct_quote", "Kowalski, a veteran union organizer", "told", "It is a dark day,")]
    );
}

#[test]
fn speaker_then_quote() {
    assert_eq!(
        run("The mayor said: “Nobody will be evicted.”", &[]),
        vec![row("direct_quote", "mayor", "said", "Nobody will be evicted.")]
    );
    assert_eq!(
        run("Okafor wrote on Sunday, \"The budget is a fantasy.\"", &["Okafor"]),
        vec![row("direct_quote", "Okafor", "wrote", "The budget is a fantasy.")]
    );
}

#[test]
fn split_quote_shares_the_speaker() {
    let got = run("“We tried,” she said. “Nobody listened.”", &[]);
    assert_eq!(got, vec![row("direct_quote", "she", "said", "We tried,"), row("direct_quote", "she", "said", "Nobody listened.")]);
}

#[test]
fn dash_signature() {
    let got = run("“This campaign gave me hope.” ― Dana Whitfield\n", &["Dana Whitfield"]);
    assert_eq!(got, vec![row("direct_quote", "Dana Whitfield", "―", "This campaign gave me hope.")]);
}

#[test]
fn scare_quotes_are_not_statements() {
    let got = run("The plan is a “bridge to nowhere” for the region.", &[]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn reported_speech() {
    assert_eq!(
        run("Hernandez said the factory would close by June.", &["Hernandez"]),
        vec![row("indirect", "Hernandez", "said", "the factory would close by June")]
    );
    assert_eq!(
        run("The ministry said in a statement that exports fell sharply.", &[]),
        vec![row("indirect", "ministry", "said", "exports fell sharply")]
    );
    assert_eq!(run("She told reporters that the talks had stalled.", &[]), vec![row("indirect", "She", "told", "the talks had stalled")]);
}

#[test]
fn clause_then_speaker() {
    assert_eq!(
        run("The bridge will reopen next month, city officials said.", &[]),
        vec![row("indirect", "city officials", "said", "The bridge will reopen next month")]
    );
}

#[test]
fn second_statement_after_adding() {
    let got = run("Brandt said the deal was fair, adding that critics had not read it.", &["Brandt"]);
    assert_eq!(
        got,
        vec![row("indirect", "Brandt", "said", "the deal was fair"), row("indirect", "Brandt", "adding", "critics had not read it"),]
    );
}

#[test]
fn according_to() {
    assert_eq!(
        run("The convoy was hit twice, according to local officials.", &[]),
        vec![row("according_to", "local officials", "according to", "The convoy was hit twice")]
    );
    assert_eq!(
        run("According to a memo from the ministry, salaries will be frozen.", &[]),
        vec![row("according_to", "memo from the ministry", "According to", "salaries will be frozen")]
    );
}

#[test]
fn credits() {
    let got = run("Reporting by Ann Lee and Tom Roe; Editing by Jo Park", &["Ann Lee", "Tom Roe", "Jo Park"]);
    assert_eq!(
        got,
        vec![
            row("credit", "Ann Lee", "Reporting by", "Reporting"),
            row("credit", "Tom Roe", "Reporting by", "Reporting"),
            row("credit", "Jo Park", "Editing by", "Editing"),
        ]
    );
    let got = run("Sam Ortiz, the Associated Press and Reuters contributed to this report.", &["Sam Ortiz"]);
    let sources: Vec<&str> = got.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(sources, vec!["Sam Ortiz", "Associated Press", "Reuters"]);
    assert!(got.iter().all(|r| r.0 == "credit" && r.2 == "contributed to" && r.3 == "this report"));
}

#[test]
fn nouns_are_not_cues() {
    assert!(run("The report was long and the state was broke.", &[]).is_empty());
}

#[test]
fn never_panics_on_odd_text() {
    let ex = AttributionExtractor::builtin();
    for text in [
        "",
        "“",
        "”",
        "said",
        "“a,” said",
        "according to",
        "Reporting by",
        ": “",
        "“é” ― é",
        "\"\"\"",
        "x said: “",
        "contributed to this report",
    ] {
        let doc = Doc::new(text);
        for a in ex.extract(&doc, &[]) {
            assert!(valid(&doc, &a));
        }
    }
}
