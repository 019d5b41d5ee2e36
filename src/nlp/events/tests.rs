use super::*;
use crate::nlp::EntityType;

/// Mentions for the given (text, type) pairs, found left to right in `doc`.
fn mentions(doc: &Doc, names: &[(&str, EntityType)]) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut from = 0;
    for &(name, t) in names {
        let start = from + crate::text_slice(doc.text, from..doc.text.len()).find(name).expect("mention text in doc");
        let span = Span::new(start, start + name.len());
        let a = phrase::token_at(doc, span.start);
        let b = phrase::token_at(doc, span.end);
        out.push(Mention { span, tokens: a..b, sentence: doc.sentence_of(span.start), entity_type: t, confidence: 0.9 });
        from = start + name.len();
    }
    out
}

fn run(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, String, String, String, bool)> {
    let doc = Doc::new(text);
    let ms = mentions(&doc, names);
    let ex = EventExtractor::builtin();
    let evs = ex.extract(&doc, &ms);
    for e in &evs {
        for s in [Some(e.trigger), e.actor, e.recipient, e.location, e.date].into_iter().flatten() {
            assert!(s.end as usize <= text.len() && text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize));
        }
        assert!((0.0..=1.0).contains(&e.confidence));
    }
    let t = |s: Option<Span>| s.map(|s| doc.span_text(s).to_string()).unwrap_or_default();
    evs.iter()
        .map(|e| (e.event_type.as_str().to_string(), doc.span_text(e.trigger).to_string(), t(e.actor), t(e.recipient), e.negated))
        .collect()
}

fn types(text: &str, names: &[(&str, EntityType)]) -> Vec<&'static str> {
    let doc = Doc::new(text);
    let ms = mentions(&doc, names);
    EventExtractor::builtin().extract(&doc, &ms).iter().map(|e| e.event_type.as_str()).collect()
}

use EntityType::{Loc, Misc, Org, Per};

#[test]
fn lexicon_compiles_cleanly() {
    let (set, errors) = compile_lexicon(EVENTS_TSV);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(set.entries.len() > 150);
    for t in PloverType::ALL {
        assert!(
            set.entries.iter().any(|e| match e.category {
                Category::Event(x) => x == t,
                Category::Contextual(a, b) => a == t || b == t,
                Category::None => false,
            }),
            "no trigger for {}",
            t.as_str()
        );
    }
}

#[test]
fn phone_call_actor_and_recipient() {
    let got = run(
        "Brazilian President Ana Souza spoke by phone with Chilean leader Pablo Ruiz on Friday.",
        &[("Ana Souza", Per), ("Chilean", Misc), ("Pablo Ruiz", Per), ("Friday", Misc)],
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "CONSULT");
    assert_eq!(got[0].1, "spoke by phone with");
    assert!(got[0].2.ends_with("Ana Souza"));
    assert!(got[0].3.contains("Pablo Ruiz"));
}

#[test]
fn date_and_mode_and_location() {
    let text = "Canada deployed two frigates in the Baltic Sea last week.";
    let doc = Doc::new(text);
    let ms = mentions(&doc, &[("Canada", Loc), ("Baltic Sea", Loc)]);
    let evs = EventExtractor::builtin().extract(&doc, &ms);
    assert_eq!(evs.len(), 1);
    let e = &evs[0];
    assert_eq!(e.event_type, PloverType::Mobilize);
    assert_eq!(e.mode, "troops");
    assert_eq!(doc.span_text(e.actor.unwrap()), "Canada");
    assert_eq!(doc.span_text(e.location.unwrap()), "Baltic Sea");
    assert_eq!(doc.span_text(e.date.unwrap()), "last week");
}

#[test]
fn increased_military_activity_is_mobilize_with_place() {
    let text = "Ottawa has increased military activity in the Arctic as part of its plan.";
    let doc = Doc::new(text);
    let ms = mentions(&doc, &[("Ottawa", Loc), ("Arctic", Loc)]);
    let evs = EventExtractor::builtin().extract(&doc, &ms);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].event_type, PloverType::Mobilize);
    assert_eq!(doc.span_text(evs[0].actor.unwrap()), "Ottawa");
    assert_eq!(doc.span_text(evs[0].location.unwrap()), "Arctic");
}

#[test]
fn passive_by_agent() {
    let got = run("A cargo ship was seized by the Indian Navy near the port on Sunday.", &[("Indian Navy", Org), ("Sunday", Misc)]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "COERCE");
    assert_eq!(got[0].2, "Indian Navy");
    assert_eq!(got[0].3, "cargo ship");
}

#[test]
fn threat_absorbs_the_threatened_act() {
    let got = run("Pyongyang threatened to attack Seoul if the drills go ahead.", &[("Pyongyang", Loc), ("Seoul", Loc)]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "THREATEN");
    assert_eq!(got[0].2, "Pyongyang");
    assert_eq!(got[0].3, "Seoul");
    let got = run("The minister warned that the army would strike back hard.", &[]);
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["THREATEN"]);
}

#[test]
fn condemnation_absorbs_its_topic() {
    let got = run(
        "The Peruvian government condemned the arrest of the journalist and accused Lima of abuse.",
        &[("Peruvian", Misc), ("Lima", Loc)],
    );
    // Two statements of one actor: the condemnation and the accusation.
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|g| g.0 == "DISAPPROVE" && g.2 == "Peruvian government"), "{got:?}");
    assert_eq!((got[0].1.as_str(), got[1].1.as_str(), got[1].3.as_str()), ("condemned", "accused", "Lima"));
}

#[test]
fn negation() {
    let got = run("Kenya did not attack the camp.", &[("Kenya", Loc)]);
    assert_eq!(got.len(), 1);
    assert!(got[0].4);
    // Refusing to yield is a rejection (CAMEO 124 "decline to release").
    let got = run("The rebels refused to release the hostages.", &[]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "REJECT");
    assert!(!got[0].4);
    assert_eq!(got[0].2, "rebels");
    let got = run("Obama said he would not provide support to Israel.", &[("Obama", Per), ("Israel", Loc)]);
    assert_eq!(got.iter().map(|g| (g.0.as_str(), g.2.as_str())).collect::<Vec<_>>(), vec![("REJECT", "Obama")]);
    // Refusing to comment, or a price declining to a level, is no event.
    assert!(types("The company declined to comment on the report.", &[]).is_empty());
    assert!(types("Shares declined to 5.6 dlrs.", &[]).is_empty());
    let got = run("The council rejected the proposal.", &[]);
    assert_eq!((got[0].0.as_str(), got[0].4), ("REJECT", false));
}

#[test]
fn demand_is_demand() {
    let got = run("Opposition leaders demanded the release of political prisoners.", &[]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "DEMAND");
    assert_eq!(got[0].2, "Opposition leaders");
}

#[test]
fn coordinated_verbs_share_the_actor() {
    let got = run("Norway hosted the envoys and praised them for their work.", &[("Norway", Loc)]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].2.as_str()), ("CONSULT", "Norway"));
    assert_eq!((got[1].0.as_str(), got[1].2.as_str(), got[1].3.as_str()), ("SUPPORT", "Norway", "them"));
}

#[test]
fn one_event_per_real_event() {
    // The killing is the outcome of the shelling, not a second event.
    assert_eq!(types("Army units shelled the town overnight, killing six civilians.", &[]), vec!["FIGHT"]);
    // Alone, a killing is an assault.
    assert_eq!(types("Gunmen killed three guards at the mine.", &[]), vec!["ASSAULT"]);
    // The same meeting said twice.
    assert_eq!(types("The two envoys met with officials and held talks.", &[]), vec!["CONSULT"]);
}

#[test]
fn attack_depends_on_who_attacks() {
    assert_eq!(types("A man attacked worshippers with a knife.", &[]), vec!["ASSAULT"]);
    assert_eq!(types("Government troops attacked the rebel stronghold.", &[]), vec!["FIGHT"]);
}

#[test]
fn one_sentence_per_category() {
    let cases: &[(&str, &str)] = &[
        ("AGREE", "The two sides agreed to resume shipments next month."),
        ("CONSULT", "The foreign ministers held talks in Geneva."),
        ("SUPPORT", "The committee praised the new initiative."),
        ("COOPERATE", "Both agencies will share intelligence on smuggling routes."),
        ("AID", "The donors sent humanitarian aid to the flooded region."),
        ("CONCEDE", "The governor resigned after weeks of pressure."),
        ("RETREAT", "The army withdrew its troops from the border town."),
        ("INVESTIGATE", "Prosecutors opened an investigation into the contracts."),
        ("DEMAND", "Unions urged the company to raise wages."),
        ("DISAPPROVE", "The mayor criticized the police response."),
        ("REJECT", "Parliament rejected the budget."),
        ("THREATEN", "The cartel threatened the reporters."),
        ("PROTEST", "Thousands of students protested outside the ministry."),
        ("MOBILIZE", "The navy dispatched warships to the strait."),
        ("SANCTION", "The government cut ties with its neighbour."),
        ("COERCE", "Police arrested four suspects."),
        ("ASSAULT", "Kidnappers abducted two engineers."),
        ("FIGHT", "Rebels clashed with soldiers near the airport."),
    ];
    for (want, text) in cases {
        assert_eq!(types(text, &[]), vec![*want], "{text}");
    }
}

#[test]
fn blocking_phrases() {
    assert!(types("The ministry released video footage of the incident.", &[]).is_empty());
    assert!(types("Investors will return to work on Monday.", &[]).is_empty());
    assert_eq!(types("The court released the detainees.", &[]), vec!["CONCEDE"]);
}

#[test]
fn never_panics_on_odd_text() {
    let ex = EventExtractor::builtin();
    for text in ["", ".", "attack", "by", "was by", "Attacked by", "«»", "threatened to", "é attacked é by", "seized\n\nby ’s"] {
        let doc = Doc::new(text);
        for e in ex.extract(&doc, &[]) {
            assert!(e.trigger.end as usize <= text.len());
        }
    }
}

/// Print the events of the sentences in `$EVENTS_DEBUG` (one a line), with the builtin
/// NER: `EVENTS_DEBUG=file cargo test --release --lib events::tests::debug_print -- --ignored --nocapture`.
#[test]
#[ignore]
fn debug_print() {
    let Ok(path) = std::env::var("EVENTS_DEBUG") else {
        return;
    };
    let ner = crate::nlp::ner::NerModel::builtin().ok();
    let ex = EventExtractor::builtin();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let doc = Doc::new(line);
        let ms = ner.as_ref().map(|n| n.tag(&doc)).unwrap_or_default();
        println!("== {line}");
        let t = |s: Option<Span>| s.map(|s| doc.span_text(s).to_string()).unwrap_or_default();
        for e in ex.extract(&doc, &ms) {
            println!(
                "   {} [{}] {} -> {}{} ({})",
                e.event_type.as_str(),
                doc.span_text(e.trigger),
                t(e.actor),
                t(e.recipient),
                if e.negated { " NEG" } else { "" },
                e.mode
            );
        }
    }
}

#[test]
fn example_article_events() {
    let Ok(ner) = crate::nlp::ner::NerModel::builtin() else {
        println!("skipped: no NER model");
        return;
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/news-article.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not found", path.display());
        return;
    };
    let doc = Doc::new(&text);
    let ms = ner.tag(&doc);
    let evs = EventExtractor::builtin().extract(&doc, &ms);
    let t = |s: Option<Span>| s.map(|s| doc.span_text(s).to_string()).unwrap_or_default();
    let has = |ty: PloverType, actor: &str| evs.iter().any(|e| e.event_type == ty && !e.negated && t(e.actor).contains(actor));
    let call = evs.iter().find(|e| e.event_type == PloverType::Consult).expect("the phone call");
    assert!(t(call.actor).contains("Putin") && t(call.recipient).contains("Maduro"), "{:?}", (t(call.actor), t(call.recipient)));
    assert_eq!(t(call.date), "on Thursday");
    assert!(has(PloverType::Support, "Putin"));
    assert!(has(PloverType::Coerce, "United States"));
    assert!(has(PloverType::Disapprove, "Venezuelan government"));
    assert!(has(PloverType::Aid, "Moscow"));
    // No act is made of the "pressure", the "sanctions" or the video "released".
    assert!(!evs
        .iter()
        .any(|e| matches!(e.event_type, PloverType::Retreat | PloverType::Concede | PloverType::Assault | PloverType::Fight)));
}

#[test]
fn intents_and_announcements() {
    // Intended or announced force is a threat; intended cooperation an agreement.
    assert_eq!(types("Obama wants to attack Switzerland.", &[("Obama", Per), ("Switzerland", Loc)]), vec!["THREATEN"]);
    assert_eq!(types("The army said it would attack the rebel camps.", &[]), vec!["THREATEN"]);
    assert_eq!(
        types("Israel announced it would free over 150 Palestinian prisoners.", &[("Israel", Loc), ("Palestinian", Misc)]),
        vec!["AGREE"]
    );
    assert_eq!(types("Brazil is seeking to deepen its partnership with Chile.", &[("Brazil", Loc), ("Chile", Loc)]), vec!["AGREE"]);
    // A plain future keeps material aid and meetings.
    assert_eq!(types("The United States will supply arms to Israel.", &[("United States", Loc), ("Israel", Loc)]), vec!["AID"]);
    assert_eq!(types("Obama is scheduled to attend a summit in Geneva.", &[("Obama", Per), ("Geneva", Loc)]), vec!["CONSULT"]);
}

#[test]
fn hypothetical_and_wished_acts_are_no_events() {
    for text in [
        "The rebels could attack the town next week.",
        "Analysts said the central bank may impose new restrictions.",
        "The government is expected to impose a curfew.",
        "Kigali hoped French officials would be indicted for war crimes.",
        "Obama wants Putin to attack Switzerland.",
        "No solution is possible unless the militia is disarmed.",
    ] {
        assert!(types(text, &[]).is_empty(), "{text}: {:?}", types(text, &[]));
    }
}

#[test]
fn reported_attacks_are_accusations() {
    let got = run("The US claimed that ISIL had attacked Iraq.", &[("US", Loc), ("ISIL", Org), ("Iraq", Loc)]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].2.as_str(), got[0].3.as_str()), ("DISAPPROVE", "US", "ISIL"));
    // A trailing attribution reports the act itself.
    let got = types("Insurgents shelled the city overnight, state media reported.", &[]);
    assert_eq!(got, vec!["FIGHT"]);
    // The speaker's own act.
    let got = run("Israel said it had arrested five militants.", &[("Israel", Loc)]);
    assert_eq!((got[0].0.as_str(), got[0].2.as_str()), ("COERCE", "Israel"));
}

#[test]
fn background_and_anaphoric_mentions_are_no_events() {
    assert!(types("Ukraine says it has evidence that Russia was behind the chemical attacks.", &[]).is_empty());
    assert!(types("The embassy issued a travel warning after the museum shooting.", &[]).is_empty());
    assert_eq!(types("The release of the mayor, who had been arrested a year ago, came on Monday.", &[]), vec!["CONCEDE"]);
    // Nouns that share a form with a trigger verb.
    assert!(types("Strong product demand lifted sales.", &[]).is_empty());
    assert!(types("The telephone company reported higher profits.", &[]).is_empty());
    assert!(types("Shareholders approved the plan at the annual meeting.", &[]).is_empty());
}

#[test]
fn more_sentences_per_category() {
    let cases: &[(&str, &str)] = &[
        ("AGREE", "The two governments reached an agreement on fishing rights."),
        ("CONSULT", "The envoy telephoned his Iranian counterpart."),
        ("SUPPORT", "The bloc voiced support for the transitional council."),
        ("COOPERATE", "The two police forces worked closely with Interpol."),
        ("AID", "Japan provided emergency loans to the struggling republic."),
        ("CONCEDE", "The president stepped down on Friday."),
        ("RETREAT", "The army pulled its troops out of the valley."),
        ("INVESTIGATE", "Inspectors examined the nuclear facilities."),
        ("DEMAND", "The opposition called for early elections."),
        ("DISAPPROVE", "The minister accused the neighbouring state of espionage."),
        ("REJECT", "The council turned down the request."),
        ("THREATEN", "The militants threatened to kill the hostages."),
        ("PROTEST", "Thousands of workers took to the streets of the capital."),
        ("MOBILIZE", "The government put the army on high alert."),
        ("SANCTION", "The country recalled its ambassador from the capital."),
        ("COERCE", "The authorities imposed sanctions on the bank."),
        ("ASSAULT", "Gunmen abducted a foreign aid worker."),
        ("FIGHT", "Warplanes bombed rebel positions near the border."),
    ];
    for (want, text) in cases {
        assert_eq!(types(text, &[]), vec![*want], "{text}");
    }
}

#[test]
fn business_meetings_are_no_consultations() {
    // Corporate meetings: company business.
    assert!(types(
        "Chairman Edward Janos told shareholders at the company's annual meeting that earnings would rise.",
        &[("Edward Janos", Per)]
    )
    .is_empty());
    assert!(types("A previously adjourned meeting of Hughes Tool stockholders will be resumed this afternoon.", &[("Hughes Tool", Org)])
        .is_empty());
    assert!(types(
        "Standard Oil said after a meeting of its board of directors that BP has extended its offer.",
        &[("Standard Oil", Org), ("BP", Org)]
    )
    .iter()
    .all(|t| *t != "CONSULT"));
    assert!(types("The company said its directors met in New York today.", &[("New York", Loc)]).is_empty());
    assert!(types("The company changed the date for its annual shareholders' meeting to June 24.", &[]).is_empty());
    // A place before the meeting is no party to it.
    assert!(types("The pound rose on the day after the Paris meeting.", &[("Paris", Loc)]).is_empty());
    // Political meetings stay.
    assert_eq!(types("Ecuadorean officials held their last formal meeting with the advisory committee.", &[]), vec!["CONSULT"]);
    assert_eq!(
        types("Goria told reporters after meeting Funaro in Rome.", &[("Goria", Per), ("Funaro", Per), ("Rome", Loc)]),
        vec!["CONSULT"]
    );
    assert_eq!(
        types("A meeting of European Community farm ministers is unlikely to be held next week.", &[("European Community", Org)]),
        vec!["CONSULT"]
    );
}

#[test]
fn demand_as_a_noun_is_no_demand() {
    for s in [
        "Analysts said the market's euphoria was simply a reflection of supply and demand.",
        "Demand totalled 18.45 billion francs at prices between 94.70 and 97.10 pct.",
        "Dealers noted the market had seen vigorous demand throughout the day.",
        "The sources said demand should exceed supply by the fourth quarter.",
        "Further, U.S. demand could be sluggish because winter is ending.",
        "Internal demand is now forecast to rise four pct.",
        "Most traders noted this had been expected as Easter demand abated.",
    ] {
        let names: &[(&str, EntityType)] = if s.contains("U.S.") { &[("U.S.", Loc)] } else { &[] };
        assert!(types(s, names).iter().all(|t| *t != "DEMAND"), "{s}");
    }
    // The verb stays.
    assert_eq!(
        run("The National Union of Mineworkers said it demanded a 55 pct annual wage increase.", &[("National Union of Mineworkers", Org)])
            .iter()
            .map(|e| e.0.as_str())
            .collect::<Vec<_>>(),
        vec!["DEMAND"]
    );
    assert_eq!(types("Protesters demand new elections.", &[]), vec!["DEMAND"]);
    // A demand not yet made is no event (realnews guidelines).
    assert!(types("The union said it will demand a 55 pct annual wage increase.", &[]).is_empty());
    assert_eq!(types("They demand new elections.", &[]), vec!["DEMAND"]);
    assert_eq!(
        types("Bush is to give a speech and meet with exiled dissidents from military-ruled Myanmar.", &[("Bush", Per), ("Myanmar", Loc)]),
        vec!["CONSULT"]
    );
    assert_eq!(types("Iran and Iraq demand new talks.", &[("Iran", Loc), ("Iraq", Loc)]), vec!["DEMAND"]);
}

#[test]
fn realnews_false_events_are_dropped() {
    // Issue #14 error classes: none of these reports an act that happened.
    for (text, names) in [
        ("Let border officials detain families for over 20 days.", &[][..]),
        ("Donate $3 or more to support Democrats today.", &[][..]),
        ("By signing up, you agree to our Privacy Policy.", &[][..]),
        ("The court heard a case involving one arrested Pakistani man.", &[][..]),
        ("Meanwhile, the public overwhelmingly supports cutting spending.", &[][..]),
        ("Alcoholism kills roughly 80,000 people every year.", &[][..]),
        ("The travel ban was met by protests across the US.", &[("US", Loc)][..]),
        ("Most Americans agree with Republicans on the budget.", &[("Republicans", Org)][..]),
        ("Support rose to 33 votes, thanks to announcements from Democrats.", &[][..]),
        ("The pastor told the crowd to praise God for the harvest.", &[][..]),
        ("It will be tough on veterans who struggle to make ends meet.", &[][..]),
    ] {
        let got = run(text, names);
        assert!(got.iter().all(|e| e.4), "{text}: {got:?}");
    }
    // An adjectival "alleged" is no accusation; the verb is.
    assert!(types("Mueller investigated alleged collusion with Russia.", &[("Mueller", Per), ("Russia", Loc)])
        .iter()
        .all(|t| *t != "DISAPPROVE"));
}

#[test]
fn realnews_verbal_attacks_and_parties() {
    // An attack on a person with no force in the sentence is verbal.
    let got = run("Coulter attacked Hannity on her show on Tuesday.", &[("Coulter", Per), ("Hannity", Per)]);
    assert_eq!(got.first().map(|e| e.0.as_str()), Some("DISAPPROVE"), "{got:?}");
    let got = run("The gunman attacked Smith with a knife outside the church.", &[("Smith", Per)]);
    assert_eq!(got.first().map(|e| e.0.as_str()), Some("ASSAULT"), "{got:?}");
    // "stopped short of" negates.
    let got = run("Trump stopped short of apologizing to Kim on Monday.", &[("Trump", Per), ("Kim", Per)]);
    assert!(got.iter().all(|e| e.4), "{got:?}");
    // An infinitive no act governs tells of no act; after a motion or aspect verb it does.
    assert!(types("Lawmakers formed a special committee to investigate the attacks.", &[]).iter().all(|t| *t != "INVESTIGATE"));
    assert!(types("Erdogan flew to Russia to meet with Putin.", &[("Erdogan", Per), ("Russia", Loc), ("Putin", Per)]).contains(&"CONSULT"));
    assert!(types("The president continued to criticize McCain on Tuesday.", &[("McCain", Per)]).contains(&"DISAPPROVE"));
    // The relative clause keeps its verb: "the raid that killed X".
    assert!(types("Obama ordered the raid that killed Osama bin Laden.", &[("Obama", Per), ("Osama bin Laden", Per)]).contains(&"ASSAULT"));
}

#[test]
fn a_question_asked_is_no_demand() {
    let per = [("Grassley", EntityType::Per)];
    let both = [("Grassley", EntityType::Per), ("Congress", EntityType::Org)];
    assert!(types("Grassley asked whether the matter had been referred.", &per).is_empty());
    assert!(types("Grassley asked reporters about the bill.", &per).is_empty());
    assert!(types("\"Is this fair?\" Grassley asked.", &per).is_empty());
    assert_eq!(types("Grassley asked Congress to reject the bill.", &both), vec!["DEMAND"]);
}

#[test]
fn firing_a_person_is_coerce_and_shots_at_people_assault() {
    let r = run(
        "Several hours later, Goldstein was fired from his job at the State Department.",
        &[("Goldstein", Per), ("State Department", Org)],
    );
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!((r[0].0.as_str(), r[0].3.as_str()), ("COERCE", "Goldstein"));
    assert_eq!(types("Trump fired Comey on Tuesday.", &[("Trump", Per), ("Comey", Per)]), vec!["COERCE"]);
    // No one fired: no COERCE.
    assert!(types("The speech fired up the crowd.", &[]).is_empty());
    // Shots at officers by a gunman, no armed force: ASSAULT.
    assert_eq!(types("Polanco came out firing at the officers, police said.", &[("Polanco", Per)]), vec!["ASSAULT"]);
    assert_eq!(types("The couple opened fire at the center.", &[]), vec!["ASSAULT"]);
}

#[test]
fn a_passive_act_with_be_is_no_background() {
    let r = run("Before Polanco was arrested, police offered a reward.", &[("Polanco", Per)]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!((r[0].0.as_str(), r[0].3.as_str()), ("COERCE", "Polanco"));
    // A reduced participle stays background.
    assert!(types("Soldiers arrested in March remain in jail.", &[]).is_empty());
}

#[test]
fn prospective_acts_and_campaign_rallies_are_none() {
    assert!(types("He wanted his team in place before the upcoming talks with North Korea.", &[("North Korea", Loc)]).is_empty());
    assert!(types("Trump spoke at a campaign rally in Omaha.", &[("Trump", Per), ("Omaha", Loc)]).is_empty());
    assert_eq!(types("Thousands held a rally in Omaha against the war.", &[("Omaha", Loc)]), vec!["PROTEST"]);
}

#[test]
fn an_absorbed_trigger_counts_when_its_absorber_is_no_act() {
    // "criticism" opens a complement window holding "accusing"; as a label of an
    // earlier act it is dropped, and "accusing" is then read on its own.
    let r = run(
        "Trump returned to the offensive over criticism of his deal, accusing the New York Times of sick journalism.",
        &[("Trump", Per), ("New York Times", Org)],
    );
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.1 == "accusing"), "{r:?}");
}

#[test]
fn reporter_boilerplate_snubs_and_one_party_on_both_sides() {
    // "request for comment" is the reporter's, no DEMAND.
    let r = run("Flynn did not respond to a Fox News request for comment.", &[("Flynn", EntityType::Per), ("Fox News", EntityType::Org)]);
    assert!(r.iter().all(|e| e.0 != "DEMAND"), "{r:?}");
    // Turning one's back on someone is a snub, not support.
    let r = run("Police officers were turning their backs on Mayor de Blasio.", &[("de Blasio", EntityType::Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE") && r.iter().all(|e| e.0 != "SUPPORT"), "{r:?}");
    // A reporting verb ends the actor phrase.
    let r = run("Police said Smith stabbed Jones on Friday.", &[]);
    let stab = r.iter().find(|e| e.1 == "stabbed").expect("stabbed");
    assert_eq!((stab.2.as_str(), stab.3.as_str()), ("Smith", "Jones"));
}

#[test]
fn a_passive_alleged_to_is_a_hedge_not_an_accusation() {
    let r = run("Safronov is alleged to have turned over defense secrets.", &[("Safronov", EntityType::Per)]);
    assert!(r.iter().all(|e| e.1 != "alleged"), "{r:?}");
    let r = run("Prosecutors alleged that Safronov sold secrets.", &[("Safronov", EntityType::Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.1 == "alleged"), "{r:?}");
}

/// `run` with the builtin parse model (the default extract reading).
fn run_parsed(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, String, String, String, bool)> {
    let doc = Doc::new(text);
    let ms = mentions(&doc, names);
    let ex = EventExtractor::builtin().with_parser(Some(crate::nlp::parse::ParseModel::builtin().expect("builtin parse model")));
    let t = |s: Option<Span>| s.map(|s| doc.span_text(s).to_string()).unwrap_or_default();
    ex.extract(&doc, &ms)
        .iter()
        .map(|e| (e.event_type.as_str().to_string(), doc.span_text(e.trigger).to_string(), t(e.actor), t(e.recipient), e.negated))
        .collect()
}

#[test]
fn going_to_meet_is_planned_and_will_meet_stays_wire_style() {
    let names = [("Trump", Per), ("Kim Jong Un", Per)];
    for r in [
        run("Trump is going to meet with Kim Jong Un next month.", &names),
        run_parsed("Trump is going to meet with Kim Jong Un next month.", &names),
    ] {
        assert!(r.iter().all(|e| e.0 != "CONSULT"), "{r:?}");
    }
    // "going to" is the future for hostile acts too: a threat.
    let r = run("Trump is going to attack Iran.", &[("Trump", Per), ("Iran", Loc)]);
    assert_eq!(r.first().map(|e| e.0.as_str()), Some("THREATEN"), "{r:?}");
    // The PETR2 gold codes "will meet" as CONSULT.
    assert_eq!(
        types("Barack Obama and Vladimir Putin will meet in Zurich.", &[("Barack Obama", Per), ("Vladimir Putin", Per), ("Zurich", Loc)]),
        vec!["CONSULT"]
    );
}

#[test]
fn contentions_and_indefinite_things_make_no_threat() {
    let r = run_parsed("Repealing net-neutrality rules will destroy the Internet, Democrats said.", &[("Democrats", Misc)]);
    assert!(r.iter().all(|e| e.0 != "THREATEN"), "{r:?}");
    let r = run("Russia will destroy the bridge.", &[("Russia", Loc)]);
    assert_eq!(r.first().map(|e| e.0.as_str()), Some("THREATEN"), "{r:?}");
    assert!(types("A Tyrannical Purgatory is threatening regional peace.", &[]).is_empty());
    assert_eq!(types("Iran is threatening Israel.", &[("Iran", Loc), ("Israel", Loc)]), vec!["THREATEN"]);
}

#[test]
fn an_incident_is_no_party() {
    let r = run("The school shooting killed 17 people in Parkland.", &[("Parkland", Loc)]);
    let k = r.iter().find(|e| e.1 == "killed").expect("killed");
    assert_eq!(k.2, "", "{r:?}");
}

#[test]
fn protests_referred_back_to_are_events() {
    let r = run("Leftist activists converted the protests into riots.", &[]);
    assert!(r.iter().any(|e| e.0 == "PROTEST" && e.1 == "protests"), "{r:?}");
}

#[test]
fn an_investigation_needs_an_investigator_or_a_topic() {
    assert_eq!(types("An FBI investigation found no crime.", &[("FBI", Org)]), vec!["INVESTIGATE"]);
    assert_eq!(types("The investigation by the coast guard found no crime.", &[]), vec!["INVESTIGATE"]);
    assert!(types("The email investigation hurt her campaign.", &[]).is_empty());
    assert!(types("The Mueller probe hurt his campaign.", &[("Mueller", Per)]).is_empty());
    assert_eq!(types("Police opened an investigation into the fire.", &[]), vec!["INVESTIGATE"]);
}

#[test]
fn rejecting_a_notion_and_releasing_statements_are_no_acts() {
    assert!(types("\"We both reject the notion that libertarians are isolationists,\" Johnson said.", &[("Johnson", Per)]).is_empty());
    assert_eq!(types("Klobuchar rejected the idea.", &[("Klobuchar", Per)]), vec!["REJECT"]);
    assert!(types("In due course, they will all release carefully worded condemnations of Weinstein.", &[("Weinstein", Per)]).is_empty());
}

#[test]
fn the_parse_reads_verbs_after_noun_phrases_and_drops_verb_parties() {
    let r = run_parsed(
        "More than 2,000 former Justice Department employees call for Attorney General Barr's resignation.",
        &[("Justice Department", Org), ("Barr", Per)],
    );
    assert!(r.iter().any(|e| e.0 == "DEMAND" && e.1.starts_with("call")), "{r:?}");
    let r = run_parsed("A separate appeal asks the justices to decide the case.", &[]);
    let d = r.iter().find(|e| e.0 == "DEMAND").expect("DEMAND");
    assert_ne!(d.3, "decide", "{r:?}");
}

#[test]
fn speech_saying_a_named_party_should_act_is_a_demand() {
    let r = run_parsed("\"President Trump should release his own tax returns,\" Durbin said.", &[("Trump", Per), ("Durbin", Per)]);
    assert!(r.iter().any(|e| e.0 == "DEMAND" && e.1 == "said" && e.2 == "Durbin" && e.3 == "Trump"), "{r:?}");
    let r = run_parsed("He said Republicans shouldn't hold the measure hostage.", &[("Republicans", Misc)]);
    assert!(r.iter().any(|e| e.0 == "DEMAND" && e.3 == "Republicans"), "{r:?}");
    // A condition, or the speaker's own duty, is no demand.
    let r = run_parsed("\"If Trump should win, we will cope,\" Durbin said.", &[("Trump", Per), ("Durbin", Per)]);
    assert!(r.iter().all(|e| e.0 != "DEMAND"), "{r:?}");
    let r = run_parsed("\"We should fix the law,\" Durbin said.", &[("Durbin", Per)]);
    assert!(r.iter().all(|e| e.0 != "DEMAND"), "{r:?}");
}

#[test]
fn questions_report_no_acts() {
    assert!(types("Who is trying to ban abortion in the US?", &[("US", Loc)]).is_empty());
    assert!(types("So, I ask you: then Trudeau starts blasting him at a news conference?\"", &[("Trudeau", Per)]).is_empty());
    assert_eq!(types("Trudeau blasted him at a news conference.", &[("Trudeau", Per)]), vec!["DISAPPROVE"]);
}

#[test]
fn rallies_in_places_threats_without_threateners_and_labels_are_none() {
    assert!(types("Trump spoke during a speech at a rally in Omaha.", &[("Trump", Per), ("Omaha", Loc)]).is_empty());
    assert_eq!(types("Thousands joined a rally against the war.", &[]), vec!["PROTEST"]);
    assert!(
        types("ISIL represents a direct threat to the safety of the United States.", &[("ISIL", Org), ("United States", Loc)]).is_empty()
    );
    assert!(types("Revenue has shot up dramatically since 2015.", &[]).is_empty());
    assert!(types("He did not mean the broader investigation into Russia.", &[("Russia", Loc)]).is_empty());
    assert_eq!(types("The House opened an investigation into the deal.", &[("House", Org)]), vec!["INVESTIGATE"]);
}

#[test]
fn scornful_naming_and_blame_told_by_people_are_disapprove() {
    let r = run_parsed("Some of his fellow soldiers called him a deserter.", &[]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.1 == "called"), "{r:?}");
    // Naming without scorn is none.
    let r = run_parsed("Trump called Gillum a candidate.", &[("Trump", Per), ("Gillum", Per)]);
    assert!(r.iter().all(|e| e.0 != "DISAPPROVE"), "{r:?}");
    // A common-noun speaker ("his prosecutors") blaming a named party.
    let r = run_parsed("His prosecutors said that Manafort had lied to them.", &[("Manafort", Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.3 == "Manafort"), "{r:?}");
    // A blame word modifying a thing blames no one (realnews-dev).
    let said = "Andrew Dossi and three other officers were changing clothes at the end of a dangerous anti-crime detail, officials said.";
    let r = run_parsed(said, &[("Andrew Dossi", Per)]);
    assert!(r.iter().all(|e| e.0 != "DISAPPROVE"), "{r:?}");
}

#[test]
fn the_agent_of_a_conjoined_participle_is_the_actor() {
    let r = run_parsed("Philando Castile was shot and killed by a police officer during a traffic stop.", &[("Philando Castile", Per)]);
    let s = r.iter().find(|e| e.1 == "shot").expect("shot");
    assert!(s.2.contains("officer"), "{r:?}");
}

#[test]
fn prepositional_given_is_no_aid() {
    let said = "Carter cautioned that pundits shouldn't draw conclusions from the race given all the outside money.";
    assert!(!types(said, &[("Carter", Per)]).contains(&"AID"), "{:?}", types(said, &[("Carter", Per)]));
    assert!(!types("Given the chance, Iran would help Syria.", &[("Iran", Loc), ("Syria", Loc)]).contains(&"AID"));
    assert!(types("Congress has given Ukraine $400 million in military aid.", &[("Congress", Org), ("Ukraine", Loc)]).contains(&"AID"));
}

#[test]
fn a_possessive_ending_or_a_connective_is_no_party() {
    let doc = Doc::new("Furthermore, tonight’s race matters.");
    let range = 0..doc.tokens.len();
    let span = |a: usize, b: usize| Span::new(doc.tokens[a].span.start as usize, doc.tokens[b].span.end as usize);
    let furthermore = span(0, 0);
    let clitic = (0..doc.tokens.len()).find(|&k| doc.token_text(k) == "’s").expect("clitic token");
    assert!(super::filters::no_party(&doc, &range, furthermore));
    assert!(super::filters::no_party(&doc, &range, span(clitic, clitic + 1)));
    assert!(!super::filters::no_party(&doc, &range, span(clitic - 1, clitic + 1)));
}

#[test]
fn releasing_a_document_is_no_retreat() {
    assert!(!types("The White House released the transcripts on Friday.", &[("White House", Loc)]).contains(&"CONCEDE"));
    assert!(!types("Gallup released a new poll showing gains.", &[("Gallup", Org)]).contains(&"CONCEDE"));
    assert!(types("Iran released the prisoners on Friday.", &[("Iran", Loc)]).contains(&"CONCEDE"));
}

#[test]
fn acts_of_a_kind_of_party_are_generic() {
    // A present relative or participle on a party of no particular identity.
    let r = run_parsed("Film noir stories are usually about characters who investigate crimes.", &[]);
    assert!(r.iter().all(|e| e.0 != "INVESTIGATE"), "{r:?}");
    let r = run_parsed("He refrains from comparing madmen with those who kill in the name of a movement.", &[]);
    assert!(r.iter().all(|e| e.0 != "ASSAULT"), "{r:?}");
    // A past relative on a definite party tells what it did.
    let r = run_parsed("Polanco came out firing at the officers who arrested his accomplice.", &[("Polanco", Per)]);
    assert!(r.iter().any(|e| e.0 == "COERCE" && e.1 == "arrested"), "{r:?}");
    // A named party's act stays.
    let r = run_parsed("Senate Democrats who oppose the bill criticized Trump on Monday.", &[("Senate Democrats", Org), ("Trump", Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.2 == "Senate Democrats"), "{r:?}");
}

#[test]
fn counterfactual_and_named_activities_are_no_acts() {
    let r =
        run_parsed("Instead of meeting with leaders separately, Obama has been scheduled for larger group discussions.", &[("Obama", Per)]);
    assert!(r.iter().all(|e| e.0 != "CONSULT"), "{r:?}");
    let r = run_parsed("Without getting into the practicality of confiscating more than 300 million guns, it seems odd.", &[]);
    assert!(r.iter().all(|e| e.0 != "COERCE"), "{r:?}");
    let r = run_parsed("Its strategy for fighting climate change with windmills makes no sense.", &[]);
    assert!(r.iter().all(|e| e.0 != "FIGHT"), "{r:?}");
    let r = run_parsed("Obama met with leaders separately on Monday.", &[("Obama", Per)]);
    assert!(r.iter().any(|e| e.0 == "CONSULT"), "{r:?}");
}

#[test]
fn a_text_is_no_actor_unless_authored_by_a_name() {
    let r = run_parsed("The budget asks for $1.5 billion in increased funding.", &[]);
    assert!(r.iter().all(|e| e.0 != "DEMAND"), "{r:?}");
    let r = run_parsed("The referendum had asked voters to reject the state law.", &[]);
    assert!(r.iter().all(|e| e.0 != "DEMAND"), "{r:?}");
    let r = run_parsed(
        "The New York Post article also alleges the Census Bureau manipulated data.",
        &[("New York Post", Org), ("Census Bureau", Org)],
    );
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE"), "{r:?}");
}

#[test]
fn things_are_not_attacked_or_consulted_and_weapons_do_not_act() {
    let r = run_parsed("Fox News killed the story.", &[("Fox News", Org)]);
    assert!(r.iter().all(|e| e.0 != "ASSAULT"), "{r:?}");
    let r = run_parsed("The mayor hosted an event for donors on Friday.", &[]);
    assert!(r.iter().all(|e| e.0 != "CONSULT"), "{r:?}");
    let r = run_parsed("The senators discussed the possibility of a shutdown.", &[]);
    assert!(r.iter().all(|e| e.0 != "CONSULT"), "{r:?}");
    let r = run_parsed("The senators discussed trade with Japan.", &[("Japan", Loc)]);
    assert!(r.iter().any(|e| e.0 == "CONSULT"), "{r:?}");
    let r = run_parsed("Gunmen killed 11 people in the synagogue.", &[]);
    assert!(r.iter().any(|e| e.0 == "ASSAULT"), "{r:?}");
    let r = run_parsed("Two officers were wounded by gunfire on Tuesday.", &[]);
    let w = r.iter().find(|e| e.1 == "wounded").expect("wounded");
    assert_eq!(w.2, "", "{r:?}");
    assert!(w.3.contains("officers"), "{r:?}");
}

#[test]
fn coming_under_fire_is_criticism_received() {
    let r = run_parsed("The agency has come under fire from Democrats for its handling of the crisis.", &[("Democrats", Misc)]);
    let d = r.iter().find(|e| e.0 == "DISAPPROVE").expect("DISAPPROVE");
    assert_eq!((d.2.as_str(), d.3.as_str()), ("Democrats", "agency"), "{r:?}");
    // Drawing criticism is receiving it too (allsides-dev: "draws fire from the country
    // singer herself" had Hillary as the critic).
    let r = run_parsed("The CIA has drawn criticism from Democrats for the strikes.", &[("CIA", Org), ("Democrats", Misc)]);
    let d = r.iter().find(|e| e.0 == "DISAPPROVE").expect("DISAPPROVE");
    assert_eq!((d.2.as_str(), d.3.as_str()), ("Democrats", "CIA"), "{r:?}");
}

#[test]
fn an_active_accusation_with_an_absorbed_trigger_is_no_background() {
    let r = run_parsed(
        "Lenny Curry, Florida's Republican Party chairman, accused Democrats of trying to turn Christie's visit into a circus.",
        &[("Lenny Curry", Per), ("Florida", Loc), ("Republican Party", Org), ("Democrats", Misc), ("Christie", Per)],
    );
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.1 == "accused" && e.3 == "Democrats"), "{r:?}");
}

#[test]
fn an_attack_tied_to_a_place_or_year_happened() {
    let r = run_parsed(
        "Republicans plan to focus on the 2012 terrorist attack in Benghazi at their convention.",
        &[("Republicans", Misc), ("Benghazi", Loc)],
    );
    assert!(r.iter().any(|e| e.0 == "ASSAULT" && e.1 == "attack"), "{r:?}");
    let r = run_parsed("He was named as a suspect in the Paris terror attacks.", &[("Paris", Loc)]);
    assert!(r.iter().any(|e| e.0 == "ASSAULT"), "{r:?}");
    // Unplaced, it is an attack told elsewhere; a pause in a bombing is no new act.
    let r = run_parsed("Republicans plan to focus on the terrorist attack at their convention.", &[("Republicans", Misc)]);
    assert!(r.iter().all(|e| e.0 != "ASSAULT"), "{r:?}");
    let r = run_parsed("Local news reports that there was a pause in the bombing in Aleppo.", &[("Aleppo", Loc)]);
    assert!(r.iter().all(|e| e.0 != "ASSAULT"), "{r:?}");
    // The subject after a fronted clause is no listed target.
    let t = types("Before attacking the facility, Van Spronsen sent a letter to friends.", &[("Van Spronsen", Per)]);
    assert!(!t.contains(&"DISAPPROVE"), "{t:?}");
}

#[test]
fn the_thanks_formula_and_a_price_charge_are_no_events() {
    let t = types("THE PRESIDENT: Thank you very much.", &[]);
    assert!(!t.contains(&"SUPPORT"), "{t:?}");
    let t = types("We thank these officers for their service.", &[]);
    assert!(t.contains(&"SUPPORT"), "{t:?}");
    let t = types("A repeal would allow insurers to charge people with preexisting conditions more.", &[]);
    assert!(!t.contains(&"COERCE"), "{t:?}");
    let t = types("Police charged 15 people with violating the order.", &[]);
    assert!(t.contains(&"COERCE"), "{t:?}");
    // A task given is no charge; a crime charged still is.
    let t = types("The department dismantled a team charged with investigating abuses.", &[]);
    assert!(!t.contains(&"COERCE"), "{t:?}");
    let t = types("Cruz was charged with shooting 17 people.", &[("Cruz", Per)]);
    assert!(t.contains(&"COERCE"), "{t:?}");
}

#[test]
fn releasing_a_leaflet_or_conclusions_is_no_concession() {
    let t = types("In 1940 the ACLU released a leaflet entitled Why We Defend Civil Liberty.", &[("ACLU", Org)]);
    assert!(!t.contains(&"CONCEDE") && !t.contains(&"RETREAT"), "{t:?}");
    let t = types("Washington awaits the release of Mueller's primary conclusions.", &[("Mueller", Per)]);
    assert!(!t.contains(&"CONCEDE") && !t.contains(&"RETREAT"), "{t:?}");
}

#[test]
fn a_charge_ending_the_text_on_with_does_not_panic() {
    // "with" as the last token: the price check must not read past the text.
    let _ = types("Prosecutors charged Smith with", &[("Smith", Per)]);
}

#[test]
fn a_second_coordinated_act_is_not_absorbed() {
    // Both heads past: two acts of one subject, not one act's complement.
    let t = types("The rebels threatened the village and attacked a convoy.", &[]);
    assert!(t.contains(&"THREATEN") && t.contains(&"FIGHT"), "{t:?}");
    // A new clause after ", and" is no complement either.
    let evs = run("Each target has spoken out against the president, and Trump has criticized each person.", &[("Trump", Per)]);
    assert!(evs.iter().any(|e| e.1 == "criticized" && e.2 == "Trump"), "{evs:?}");
    // A bare verb after "and" stays inside the threat.
    assert_eq!(types("The rebels threatened to attack and kill the hostages.", &[]), vec!["THREATEN"]);
}

#[test]
fn each_blaming_statement_of_a_sentence_counts() {
    let names = [("Republicans", Misc)];
    let evs = run_parsed("The deal was blasted by some Republicans, and some of his fellow soldiers called him a deserter.", &names);
    assert_eq!(evs.iter().filter(|e| e.0 == "DISAPPROVE").count(), 2, "{evs:?}");
    // One statement told by a trigger and by speech is one act.
    let names = [("Obama", Per), ("Romney", Per)];
    let evs = run_parsed("Obama condemned Romney, calling him a liar.", &names);
    assert_eq!(evs.iter().filter(|e| e.0 == "DISAPPROVE").count(), 1, "{evs:?}");
}

#[test]
fn subjects_past_places_and_descriptions() {
    let evs = run("Police in Lakewood, New Jersey, arrested the man.", &[("Lakewood", Loc), ("New Jersey", Loc)]);
    assert!(evs.iter().any(|e| e.0 == "COERCE" && e.2 == "Police"), "{evs:?}");
    // A place before a nominal attack is where it was, not who did it.
    let names = [("House", Org), ("Benghazi", Loc)];
    let evs = run_parsed("The House will investigate the handling of the Benghazi terror attack.", &names);
    let attack = evs.iter().find(|e| e.1 == "attack").expect("attack");
    assert_eq!(attack.2, "", "{evs:?}");
    // Through an age apposition before the place phrase (allsides-dev).
    let names = [("Adam Blann", Per), ("Carson City", Loc), ("Nevada", Loc), ("Democrats", Org)];
    let evs = run("Adam Blann, 37, of Carson City, Nevada, accused Democrats of lying.", &names);
    assert!(evs.iter().any(|e| e.0 == "DISAPPROVE" && e.2 == "Adam Blann"), "{evs:?}");
    let names = [("Lenny Curry", Per), ("Florida", Loc), ("Republican Party", Org), ("Democrats", Misc)];
    let evs = run("Lenny Curry, Florida's Republican Party chairman, accused Democrats of lying.", &names);
    assert!(evs.iter().any(|e| e.0 == "DISAPPROVE" && e.2 == "Lenny Curry"), "{evs:?}");
    // A named apposition stays the subject.
    let names = [("Trump", Per), ("Rudy Giuliani", Per), ("Biden", Per)];
    let evs = run("Trump's lawyer, Rudy Giuliani, accused Biden of corruption.", &names);
    assert!(evs.iter().any(|e| e.0 == "DISAPPROVE" && e.2 == "Rudy Giuliani"), "{evs:?}");
}

#[test]
fn a_participle_adjunct_is_done_by_the_clause_subject() {
    let names = [("Democrats", Misc), ("Trump", Per)];
    let evs = run_parsed("Democrats hammered Trump, accusing him of stirring the unrest.", &names);
    assert!(evs.iter().any(|e| e.0 == "DISAPPROVE" && e.1 == "accusing" && e.2 == "Democrats"), "{evs:?}");
}

#[test]
fn casualties_beside_an_attack_count_when_a_party_kills() {
    let evs = run_parsed("Police said he opened fire in the synagogue, killing 11 people and wounding six.", &[]);
    assert_eq!(evs.iter().filter(|e| e.0 == "ASSAULT").count(), 3, "{evs:?}");
    // An act or weapon killing is the attack's outcome, not another act.
    let evs = run_parsed(
        "An Israeli airstrike on a Gaza farm killed two Palestinians.",
        &[("Israeli", Misc), ("Gaza", Loc), ("Palestinians", Misc)],
    );
    assert!(!evs.iter().any(|e| e.1 == "killed"), "{evs:?}");
}

#[test]
fn to_before_a_gerund_or_plural_is_no_infinitive() {
    assert!(bare_after_to("meet") && bare_after_to("discuss") && bare_after_to("focus"));
    assert!(!bare_after_to("bashing") && !bare_after_to("investigations"));
    let names = [("Mitch McConnell", Per)];
    let t = types("Mitch McConnell devoted most of his speech to bashing the idea of new taxes.", &names);
    assert!(t.contains(&"DISAPPROVE"), "{t:?}");
    // An infinitive of an ungoverned purpose stays dropped.
    assert!(types("He was allowed to investigate.", &[]).is_empty());
}

#[test]
fn a_perfect_relative_on_people_tells_an_act() {
    let names = [("Justice Department", Org)];
    let t = types("He cited 2,000 former Justice Department officials who have called on the attorney general to resign.", &names);
    assert!(t.contains(&"DEMAND"), "{t:?}");
    assert!(!types("They fought the group that has seized parts of Iraq.", &[]).contains(&"COERCE"));
    assert!(types("Everyone who has ever met Daniel remembers him.", &[("Daniel", Per)]).is_empty());
}

#[test]
fn calls_for_and_headline_passives_are_acts() {
    let names = [("Eric Shinseki", Per)];
    let t = types("The allegations have sparked some calls for VA Secretary Eric Shinseki's resignation.", &names);
    assert!(t.contains(&"DEMAND"), "{t:?}");
    let evs = run("Boehner accused of tilting toward amnesty with new hire.", &[("Boehner", Per)]);
    assert!(evs.iter().any(|e| e.0 == "DISAPPROVE" && e.3 == "Boehner"), "{evs:?}");
    // A participle describing a party inside the sentence stays background.
    let t = types("The company hired a man jailed a year ago.", &[]);
    assert!(!t.contains(&"COERCE"), "{t:?}");
}

#[test]
fn idioms_of_slamming_shut_resignation_to_and_cheap_shots_are_none() {
    assert!(types("Israel and Egypt slammed shut the border after the group seized the territory.", &[])
        .iter()
        .all(|t| *t != "DISAPPROVE"));
    assert!(types("Trump's advisers are resigned to a long impeachment trial.", &[]).is_empty());
    assert!(types("Calling it a cheap shot would be generous.", &[]).is_empty());
    // The acts themselves stay.
    assert_eq!(types("Ryan slammed the White House for its debt.", &[]), vec!["DISAPPROVE"]);
    assert_eq!(types("The minister resigned on Friday.", &[]), vec!["CONCEDE"]);
}

#[test]
fn a_declared_backing_of_a_named_party_is_an_act_and_a_stance_none() {
    let r = run("He will make a great Senator, and has my full support and endorsement!", &[]);
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.2 == "my"), "{r:?}");
    let r = run("The bill now has Mitch McConnell's strong support.", &[("Mitch McConnell", Per)]);
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.2 == "Mitch McConnell"), "{r:?}");
    // A standing stance, an opinion, a poll, a past stance: none.
    assert!(!types("McCarthy's support for a rescission package led to talk of a bid.", &[("McCarthy", Per)]).contains(&"SUPPORT"));
    assert!(!types("Public strong support for the bill has fallen.", &[]).contains(&"SUPPORT"));
    let names = [("Democratic Party", Org), ("Medicare", Misc)];
    assert!(!types("Most Democratic Party caucus-goers rated strong support for Medicare as important.", &names).contains(&"SUPPORT"));
    assert!(!types("He called out Biden's past strong support for the Hyde Amendment.", &[("Biden", Per)]).contains(&"SUPPORT"));
}

#[test]
fn an_aspect_verb_keeping_up_a_nominal_act_gives_its_actor() {
    let r = run("Trump has continued his threats to deploy federal agents to various cities.", &[("Trump", Per)]);
    assert!(r.iter().any(|e| e.0 == "THREATEN" && e.2 == "Trump"), "{r:?}");
    let r = run("The New Yorkers led a revolt against the House plan early on.", &[("New Yorkers", Misc), ("House", Org)]);
    assert!(r.iter().any(|e| e.0 == "REJECT" && e.2 == "New Yorkers"), "{r:?}");
    let r = run("In mid-March, Gov. Phil Murphy activated the National Guard.", &[("Phil Murphy", Per), ("National Guard", Org)]);
    assert!(r.iter().any(|e| e.0 == "MOBILIZE"), "{r:?}");
    // Across a comma the verb keeps up nothing of the noun's.
    let r = run("Trump continued, calling the allegations preposterous.", &[("Trump", Per)]);
    assert!(r.iter().all(|e| e.1 != "allegations" || e.2.is_empty()), "{r:?}");
}

#[test]
fn an_adjective_of_the_trigger_phrase_is_no_actor() {
    let r = run_parsed("After lengthy talks with Iran, the deal was signed.", &[("Iran", Loc)]);
    assert!(r.iter().any(|e| e.0 == "CONSULT" && e.2.is_empty()), "{r:?}");
    let r = run_parsed("Lengthy talks with the union ended on Friday.", &[]);
    assert!(r.iter().all(|e| e.2 != "Lengthy"), "{r:?}");
}

#[test]
fn an_attack_on_a_list_holding_a_person_is_verbal() {
    let r = run("Trump steps up attacks on whistleblower, Schiff.", &[("Trump", Per), ("Schiff", Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE"), "{r:?}");
    assert!(r.iter().all(|e| e.0 != "ASSAULT"), "{r:?}");
    // The subject after a fronted clause is no listed target.
    let t = types("Before attacking the facility, Van Spronsen sent a letter to friends.", &[("Van Spronsen", Per)]);
    assert!(!t.contains(&"DISAPPROVE"), "{t:?}");
}

#[test]
fn speech_saying_a_party_is_praiseworthy_is_support() {
    let r = run_parsed("\"Cruz is obviously a brilliant member,\" Tillis said.", &[("Cruz", Per), ("Tillis", Per)]);
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.2 == "Tillis" && e.3 == "Cruz"), "{r:?}");
    let names = [("William Barr", Per)];
    let r = run_parsed(
        "\"Attorney General William Barr is a man of the highest character and unquestionable integrity,\" the lawmakers said.",
        &names,
    );
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.3 == "William Barr"), "{r:?}");
    // A quoted third person is someone else; a reported "he" is mostly the speaker.
    let r = run_parsed("She's been a great ambassador, but there was some confusion,” he said.", &[]);
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.3 == "She"), "{r:?}");
    assert!(run_parsed("Scott said he was a great driver.", &[("Scott", Per)]).iter().all(|e| e.0 != "SUPPORT"));
    // Praise of no party, or no predicate: none.
    let r = run_parsed("\"We will make America great again,\" Trump said.", &[("America", Loc), ("Trump", Per)]);
    assert!(r.iter().all(|e| e.0 != "SUPPORT"), "{r:?}");
    let r = run_parsed("\"It is a great honor to lead the FBI,\" Wray said.", &[("FBI", Org), ("Wray", Per)]);
    assert!(r.iter().all(|e| e.0 != "SUPPORT"), "{r:?}");
}

#[test]
fn people_named_by_a_common_noun_kill_beside_their_attack() {
    let t = types("The couple opened fire and killed 14 people at the center.", &[]);
    assert_eq!(t.iter().filter(|t| **t == "ASSAULT").count(), 2, "{t:?}");
    // An incident or a thing kills no one as a party.
    let t = types("A gunman opened fire on Friday, and the fire killed three people.", &[]);
    assert_eq!(t.iter().filter(|t| **t == "ASSAULT").count(), 1, "{t:?}");
    // Killing oneself after the attack is no second act on another.
    let t = types("A student shot four classmates before killing himself.", &[]);
    assert_eq!(t.iter().filter(|t| **t == "ASSAULT").count(), 1, "{t:?}");
}

#[test]
fn a_causative_governs_an_act_that_happened() {
    let names = [("Soros", Per), ("Britain", Loc), ("European Exchange Rate Mechanism", Org)];
    let t = types("Soros made a fortune shorting sterling, forcing Britain to withdraw from the European Exchange Rate Mechanism.", &names);
    assert!(t.contains(&"REJECT") || t.contains(&"RETREAT"), "{t:?}");
}

#[test]
fn a_possessor_is_the_name_before_the_possessive() {
    // "to support Trump's wiretapping allegation": the accuser is Trump, not "support Trump".
    let text = "Comey testified in March that the Justice Department had no information to support Trump's wiretapping allegation.";
    for r in [run(text, &[("Trump", EntityType::Per)]), run_parsed(text, &[("Trump", EntityType::Per)])] {
        for e in r.iter().filter(|e| e.1 == "allegation") {
            assert_eq!(e.2, "Trump", "{r:?}");
        }
    }
}

#[test]
fn a_strike_is_no_killer() {
    // "the strike that killed Soleimani": the act is no party; the victim stays.
    let text = "Officials expressed regret after the strike that killed Soleimani.";
    for r in [run(text, &[("Soleimani", EntityType::Per)]), run_parsed(text, &[("Soleimani", EntityType::Per)])] {
        for e in r.iter().filter(|e| e.1 == "killed") {
            assert!(e.2.is_empty(), "{r:?}");
        }
    }
}

#[test]
fn a_promise_of_harm_is_a_threat() {
    let t = types(
        "Trump has also promised to rain down fire and fury on North Korea.",
        &[("Trump", EntityType::Per), ("North Korea", EntityType::Loc)],
    );
    assert_eq!(t, vec!["THREATEN"]);
    // A promise to work together stays an agreement.
    let t = types("Trump promised to work with Congress.", &[("Trump", EntityType::Per), ("Congress", EntityType::Org)]);
    assert!(!t.contains(&"THREATEN"), "{t:?}");
}

#[test]
fn leaving_an_agreement_is_a_rejection() {
    // Realnews guidelines: leaving an agreement is REJECT; troops withdrawn stay RETREAT.
    let t = types("Trump withdrew from the Iran nuclear agreement in May.", &[("Trump", Per), ("Iran", Loc)]);
    assert_eq!(t, vec!["REJECT"]);
    let t = types("Russia withdrew its troops from the border.", &[("Russia", Loc)]);
    assert_eq!(t, vec!["RETREAT"]);
}

#[test]
fn coercive_orders_and_leave() {
    for (text, names) in [
        ("The IRS on Wednesday placed two employees on administrative leave for accepting gifts.", &[("IRS", Org)][..]),
        ("In taking away Brennan's security clearance, Trump took Powers at her word.", &[("Brennan", Per), ("Trump", Per)][..]),
        ("Though he did order a 14-day quarantine for those flying into the state.", &[][..]),
    ] {
        let r = run_parsed(text, names);
        assert!(r.iter().any(|e| e.0 == "COERCE"), "{text}: {r:?}");
    }
}

#[test]
fn vowing_more_pressure_is_a_threat() {
    let r = run_parsed(
        "The White House has vowed to ramp up the economic pressure on countries doing business with Tehran.",
        &[("White House", Org), ("Tehran", Loc)],
    );
    assert_eq!(r.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec!["THREATEN"], "{r:?}");
}

#[test]
fn hands_laid_on_a_person_and_news_outlets_reporting_it() {
    // An outlet reporting an assault is no accusation by the outlet.
    let r = run_parsed(
        "The Daily Californian reports another Trump supporter was grabbed by a crowd of agitators and thrown to the ground.",
        &[("Daily Californian", Org), ("Trump", Per)],
    );
    assert!(r.iter().any(|e| e.0 == "ASSAULT"), "{r:?}");
    assert!(!r.iter().any(|e| e.0 == "DISAPPROVE"), "{r:?}");
    // "choked with emotion" is no violence.
    let r = run_parsed("Clinton said in a voice choked with emotion that she grieved.", &[("Clinton", Per)]);
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn money_given_is_aid_and_a_denied_motion_a_rejection() {
    let r = run_parsed(
        "It is also funded by Walmart, Bank of America and Google.",
        &[("Walmart", Org), ("Bank of America", Org), ("Google", Org)],
    );
    assert!(r.iter().any(|e| e.0 == "AID" && e.2 == "Walmart"), "{r:?}");
    let r = run_parsed("Omidyar Network is giving $1 million to the campaign.", &[("Omidyar Network", Org)]);
    assert!(r.iter().any(|e| e.0 == "AID" && e.2 == "Omidyar Network"), "{r:?}");
    let r = run_parsed("The district court denied the plaintiffs' motion for a preliminary injunction.", &[]);
    assert!(r.iter().any(|e| e.0 == "REJECT"), "{r:?}");
}

#[test]
fn speech_blaming_with_wider_words_and_naming_as_praise() {
    let r = run_parsed("Schumer said Trump's decision was a gross injustice.", &[("Schumer", Per), ("Trump", Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE" && e.2 == "Schumer"), "{r:?}");
    // Naming someone something praiseworthy is SUPPORT; something scornful DISAPPROVE.
    let r = run_parsed("Obama described Biden as a decent and honest man.", &[("Obama", Per), ("Biden", Per)]);
    assert!(r.iter().any(|e| e.0 == "SUPPORT" && e.2 == "Obama" && e.3 == "Biden"), "{r:?}");
    let r = run_parsed("Obama described Biden as a liar.", &[("Obama", Per), ("Biden", Per)]);
    assert!(r.iter().any(|e| e.0 == "DISAPPROVE") && !r.iter().any(|e| e.0 == "SUPPORT"), "{r:?}");
}

#[test]
fn a_bare_participle_adjunct_is_done_by_the_subject() {
    let r = run_parsed("Protesters marched through the capital demanding détente with the West.", &[("West", Loc)]);
    assert!(r.iter().any(|e| e.0 == "DEMAND" && e.2 == "Protesters"), "{r:?}");
    // Not after an existential "there was".
    let r =
        run_parsed("There was Ron Paul and his newsletters promising to show you how to put all your money in gold.", &[("Ron Paul", Per)]);
    assert!(!r.iter().any(|e| e.0 == "AGREE"), "{r:?}");
}

#[test]
fn metaphors_of_blows_and_descriptions_of_funding_are_no_events() {
    for (text, names) in [
        ("When push came to shove, Congress was reduced to casting a symbolic vote.", &[("Congress", Org)][..]),
        (
            "The Federal Trade Commission recently slapped Google with a $170 million fine.",
            &[("Federal Trade Commission", Org), ("Google", Org)][..],
        ),
        ("Extreme right-wing factions funded by millionaires have held sway over American politics.", &[][..]),
    ] {
        let r = run_parsed(text, names);
        assert!(!r.iter().any(|e| e.0 == "ASSAULT" || e.0 == "AID"), "{text}: {r:?}");
    }
    let r = run_parsed("Martin Gugino was shoved by police officers and fell backward.", &[("Martin Gugino", Per)]);
    assert!(r.iter().any(|e| e.0 == "ASSAULT" && e.2 == "police officers"), "{r:?}");
    // A blame word inside a name blames no one.
    let r = run_parsed(
        "Carl Bogus, a law professor, has argued that James Madison wrote the amendment to reassure Virginia.",
        &[("Carl Bogus", Per), ("James Madison", Per), ("Virginia", Loc)],
    );
    assert!(!r.iter().any(|e| e.0 == "DISAPPROVE"), "{r:?}");
}

#[test]
fn searching_and_tracing_by_investigators_is_an_investigation() {
    let r = run_parsed("Investigators said they traced Wint to the scene after finding his DNA.", &[("Wint", Per)]);
    assert!(r.iter().any(|e| e.0 == "INVESTIGATE"), "{r:?}");
    let r = run_parsed("Dive teams from the FBI finished searching the bottom of a muddy lake.", &[("FBI", Org)]);
    assert!(r.iter().any(|e| e.0 == "INVESTIGATE"), "{r:?}");
    // Anyone else tracing or reviewing investigates nothing.
    for text in ["The family traced its roots to Ireland.", "She reviewed the book for the newspaper."] {
        let r = run_parsed(text, &[]);
        assert!(!r.iter().any(|e| e.0 == "INVESTIGATE"), "{text}: {r:?}");
    }
}

#[test]
fn promises_and_warned_consequences() {
    let r = run_parsed("The new FDA chief admitted the agency failed and promised dramatic action.", &[("FDA", Org)]);
    assert!(r.iter().any(|e| e.0 == "AGREE" && e.1 == "promised"), "{r:?}");
    let r = run_parsed("He also warned there would be consequences for MPs in his party.", &[]);
    assert!(r.iter().any(|e| e.0 == "THREATEN"), "{r:?}");
    // "they" told what to do by a named speaker.
    let r = run_parsed("Trump added that they should support the Grassley bill.", &[("Trump", Per), ("Grassley", Per)]);
    assert!(r.iter().any(|e| e.0 == "DEMAND" && e.3 == "they"), "{r:?}");
}

#[test]
fn promised_to_someone_and_publications_reviewing_are_no_acts() {
    for text in ["The economy is not performing as well as we were promised it would.", "The program can actually work as promised."] {
        let r = run_parsed(text, &[]);
        assert!(!r.iter().any(|e| e.0 == "AGREE"), "{text}: {r:?}");
    }
    let r = run_parsed("Yet NRC memos reviewed by The Hill show that it did approve the shipment.", &[("NRC", Org), ("The Hill", Org)]);
    assert!(!r.iter().any(|e| e.0 == "INVESTIGATE"), "{r:?}");
    // "they need" is no duty told.
    let r = run_parsed("Governors need revenues, he says, and they need to implement their programs.", &[]);
    assert!(!r.iter().any(|e| e.0 == "DEMAND"), "{r:?}");
}
