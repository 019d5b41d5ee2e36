//! `newsgrid eval parse` on the UD English EWT dev file (`../shared/data/ud-ewt`) with the
//! builtin model: score floors a little under the measured ones (UPOS 95.05, UAS 83.5,
//! LAS 80.2), and the predictions file keeps every comment, multiword-token and
//! empty-node line. Skips with a message when the data is absent.

mod common;

use common::*;

#[test]
fn eval_parse_on_ewt_dev() {
    let gold = repo().join("../shared/data/ud-ewt/en_ewt-ud-dev.conllu");
    if !gold.exists() {
        println!("skipped: {} not found", gold.display());
        return;
    }
    let sb = Sandbox::new();
    let pred = sb.path("pred.conllu");
    let out = sb.run_ok(&["eval", "parse", "--conllu", gold.to_str().unwrap(), "--predictions", pred.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let score = |name: &str| -> f64 {
        let line = report.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in:\n{report}"));
        line.strip_prefix(name).unwrap_or(line).split_whitespace().next().unwrap().parse().unwrap()
    };
    assert!(score("UPOS accuracy") >= 94.7, "{report}");
    assert!(score("UAS") >= 83.0, "{report}");
    assert!(score("LAS ") >= 79.7, "{report}");
    let g = std::fs::read_to_string(&gold).unwrap();
    let p = std::fs::read_to_string(&pred).unwrap();
    let (gl, pl): (Vec<&str>, Vec<&str>) = (g.lines().collect(), p.lines().collect());
    assert_eq!(gl.len(), pl.len());
    for (a, b) in gl.iter().zip(&pl) {
        let id = a.split('\t').next().unwrap_or("");
        if a.starts_with('#') || a.is_empty() || id.contains('-') || id.contains('.') {
            assert_eq!(a, b);
        } else {
            let (ca, cb): (Vec<&str>, Vec<&str>) = (a.split('\t').collect(), b.split('\t').collect());
            for k in [0, 1, 2, 4, 5, 8, 9] {
                assert_eq!(ca[k], cb[k], "column {k} of {a}");
            }
        }
    }
}

/// `train parse` takes the pruning losses as fractions and refuses others before reading
/// any data (no model written).
#[test]
fn train_parse_rejects_a_pruning_loss_out_of_range() {
    let sb = Sandbox::new();
    let train = sb.write("t.conllu", "1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n\n");
    let model = sb.path("m.bin.zst");
    for flag in ["--tagger-max-loss", "--move-max-loss", "--label-max-loss"] {
        let out = sb.run(&["train", "parse", "--train", train.to_str().unwrap(), "--out", model.to_str().unwrap(), flag, "1.5"]);
        assert!(!out.status.success(), "{flag} 1.5 accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains("fraction"), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!model.exists());
    }
}
