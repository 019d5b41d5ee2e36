//! Event and attribution quality on hand-marked real news (`eval realnews`): floors under
//! the figures measured on realnews-dev (check) and realnews-train (tuning). Skips when
//! `../shared` is absent.

use newsgrid::eval::realnews::eval_realnews;
use std::path::PathBuf;

fn dir(name: &str) -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name);
    if d.join("gold.json").exists() {
        Some(d)
    } else {
        println!("skipped: {} not found", d.display());
        None
    }
}

#[test]
fn realnews_dev_floors() {
    let Some(d) = dir("realnews-dev") else { return };
    let r = eval_realnews(&d, false, false).expect("realnews-dev scores");
    println!("{r}");
    // Measured 2026-11-29 (issue #14 rules): events P 0.406 R 0.167, actor 0.538,
    // recipient 0.308; speech P 0.845 R 0.772; source 0.908. Before: events P 0.298
    // R 0.179; speech P 0.798 R 0.780; source 0.909. Issue #14 parts 2/5 (absorbed
    // triggers, firing as COERCE, lexicon rows): events P 0.514 R 0.244. Session 8
    // (issue #14 frames: coordinated acts, each blaming statement, CONCEDE releases):
    // events P 0.571 R 0.256 (0.559 / 0.244 before). Session 9 (issue #14 frames: declared
    // backing, light verbs, causatives, verbal attacks on a list): 0.625 / 0.321.
    assert_eq!(r.sentences, 300);
    // Four marked "sentences" are wholly publisher furniture that clean removes (three
    // Monitor newsletter prompts and one of The Hill's inline link tooltips); every other
    // one is found, those crossing a removed line by their longest remaining part.
    assert!(r.not_located <= 4, "{} gold sentences not found in the cleaned text", r.not_located);
    assert!(r.event_precision() >= 0.54, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.29, "events R {:.3}", r.event_recall());
    // Speech measured 2026-11-29 (issue #14 part 3: stance cues, nested beliefs dropped,
    // mixed quote marks): P 0.884 R 0.780, source 0.909 (--syntax 0.901 / 0.787 / 0.910).
    assert!(r.speech_precision() >= 0.85, "speech P {:.3}", r.speech_precision());
    assert!(r.speech_recall() >= 0.76, "speech R {:.3}", r.speech_recall());
    assert!(r.source_accuracy() >= 0.88, "source accuracy {:.3}", r.source_accuracy());
}

#[test]
fn realnews_train_floors() {
    let Some(d) = dir("realnews-train") else { return };
    let r = eval_realnews(&d, false, false).expect("realnews-train scores");
    println!("{r}");
    // Measured 2026-11-29: events P 0.529 R 0.339 (0.520 / 0.312 before the lexicon rows
    // of the learned-filter commit); speech P 0.757 R 0.687; source 0.889.
    // With the parse (issue #14 part 2): events P 0.540 R 0.300. Parts 2/5 rules:
    // events P 0.566 R 0.391. Session 8: 0.650 / 0.452 (0.626 / 0.420 before). Session 9:
    // 0.649 / 0.455.
    assert_eq!(r.sentences, 900);
    assert!(r.event_precision() >= 0.62, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.43, "events R {:.3}", r.event_recall());
    // Speech measured 2026-11-29 (issue #14 part 3): P 0.764 R 0.689, source 0.886.
    assert!(r.speech_precision() >= 0.74, "speech P {:.3}", r.speech_precision());
    assert!(r.speech_recall() >= 0.67, "speech R {:.3}", r.speech_recall());
    assert!(r.source_accuracy() >= 0.85, "source accuracy {:.3}", r.source_accuracy());
}

#[test]
fn realnews_train_with_syntax_floors() {
    let Some(d) = dir("realnews-train") else { return };
    let r = eval_realnews(&d, true, false).expect("realnews-train scores with the parse");
    println!("{r}");
    // Measured 2026-11-29: events P 0.542 R 0.337 with the parse, 0.529 / 0.339 without;
    // after issue #14 parts 2/5: 0.567 / 0.396; session 8: 0.700 / 0.482 (0.675 /
    // 0.445 before); session 9: 0.700 / 0.486.
    assert!(r.event_precision() >= 0.67, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.47, "events R {:.3}", r.event_recall());
    let Some(d) = dir("realnews-dev") else { return };
    let r = eval_realnews(&d, true, false).expect("realnews-dev scores with the parse");
    // Measured 2026-11-29 (parts 2/5): events P 0.488 R 0.256 (0.433 / 0.167 before);
    // session 8: 0.697 / 0.295 (0.688 / 0.282 before); session 9: 0.737 / 0.359.
    assert!(r.event_precision() >= 0.68, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.33, "events R {:.3}", r.event_recall());
}

#[test]
fn realnews_with_event_filter_floors() {
    let Some(d) = dir("realnews-train") else { return };
    let r = eval_realnews(&d, true, true).expect("realnews-train scores with the learned filter");
    println!("{r}");
    // Measured 2026-11-29: events P 0.916 R 0.455 in-sample (the filter learned from
    // these sentences; 0.704 / 0.339 under 5-fold article-grouped cross-validation over
    // realnews-train and -dev, 0.609 / 0.378 for the previous model). Session 8 (rules
    // changed under the unchanged weights): 0.879 / 0.462; session 9: 0.876 / 0.467.
    assert!(r.event_precision() >= 0.85, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.44, "events R {:.3}", r.event_recall());
    let Some(d) = dir("realnews-dev") else { return };
    let r = eval_realnews(&d, true, true).expect("realnews-dev scores with the learned filter");
    // Measured 2026-11-29: events P 0.552 R 0.205 (0.412 / 0.179 for the previous model);
    // session 6 (rules changed under the unchanged weights): 0.583 / 0.179; session 8:
    // 0.700 / 0.179, then 0.684 / 0.167 (13 of 78) once a place before a nominal trigger
    // and "drew criticism from" changed the actors the filter reads; session 9: 0.714 /
    // 0.192.
    assert!(r.event_precision() >= 0.66, "events P {:.3}", r.event_precision());
    assert!(r.event_recall() >= 0.18, "events R {:.3}", r.event_recall());
}
