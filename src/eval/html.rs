//! Main-content extraction quality: the shingle metric of the article-extraction
//! benchmarks. Tokens are `\w+` runs (Unicode letters, digits and `_`); a text becomes
//! the multiset of its 4-token shingles (a text of fewer tokens is one shingle); per page
//! TP/FP/FN are counted over shingles; precision and recall are means over pages; F1
//! comes from the two means.
//!
//! The folder holds `ground-truth.json` (`{"<key>": {"articleBody": "...", "url": "..."}}`)
//! and `html/<key>.html.gz` (or `.html`).

use crate::html::{charset, extract};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// Scores of one evaluation run.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlEvalReport {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Extraction speed (parsing and extraction only, no file reading).
    pub pages_per_sec: f64,
    /// Per page: key, precision, recall; in key order.
    pub per_page: Vec<(String, f64, f64)>,
}

impl fmt::Display for HtmlEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "pages      {}", self.pages)?;
        writeln!(f, "precision  {:.4}", self.precision)?;
        writeln!(f, "recall     {:.4}", self.recall)?;
        writeln!(f, "f1         {:.4}", self.f1)?;
        write!(f, "pages/s    {:.1}", self.pages_per_sec)
    }
}

// `st` and `i` come from `char_indices` of `s`: char boundaries.
#[allow(clippy::string_slice)]
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            start.get_or_insert(i);
        } else if let Some(st) = start.take() {
            out.push(&s[st..i]);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

fn shingles(s: &str) -> HashMap<Vec<&str>, i64> {
    const N: usize = 4;
    let t = tokens(s);
    let mut m = HashMap::new();
    if t.is_empty() {
        return m;
    }
    if t.len() < N {
        m.insert(t, 1);
        return m;
    }
    for w in t.windows(N) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// Shingle precision and recall of `predicted` against `truth` for one page. An empty
/// prediction of an empty truth scores 1/1; an empty prediction otherwise scores 0/0.
pub fn shingle_pr(truth: &str, predicted: &str) -> (f64, f64) {
    let t = shingles(truth);
    let p = shingles(predicted);
    let (mut tp, mut fp, mut fn_) = (0i64, 0i64, 0i64);
    for (k, &pv) in &p {
        let tv = t.get(k).copied().unwrap_or(0);
        tp += pv.min(tv);
        fp += (pv - tv).max(0);
    }
    for (k, &tv) in &t {
        fn_ += (tv - p.get(k).copied().unwrap_or(0)).max(0);
    }
    let precision = if tp + fp == 0 {
        if fn_ == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 { 1.0 } else { tp as f64 / (tp + fn_) as f64 };
    (precision, recall)
}

/// Run the extractor over every page of the folder and score it.
pub fn eval_html(dir: &Path) -> Result<HtmlEvalReport, String> {
    let gt_path = dir.join("ground-truth.json");
    let raw = std::fs::read_to_string(&gt_path).map_err(|e| format!("{}: {e}", gt_path.display()))?;
    let gt: serde_json::Value = serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", gt_path.display()))?;
    let obj = gt.as_object().ok_or_else(|| format!("{}: not a JSON object", gt_path.display()))?;
    let mut keys: Vec<&String> = obj.keys().collect();
    keys.sort();
    let mut pages = Vec::with_capacity(keys.len());
    for key in keys {
        let entry = &obj[key];
        let truth = entry.get("articleBody").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let url = entry.get("url").and_then(|v| v.as_str()).map(String::from);
        let bytes = read_page(dir, key)?;
        pages.push((key.clone(), charset::decode_html(&bytes, None), url, truth));
    }
    if pages.is_empty() {
        return Err(format!("{}: no pages", gt_path.display()));
    }
    let started = Instant::now();
    let texts: Vec<String> = pages.iter().map(|(_, html, url, _)| extract(html, url.as_deref()).text).collect();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let per_page: Vec<(String, f64, f64)> = pages
        .iter()
        .zip(&texts)
        .map(|((key, _, _, truth), text)| {
            let (p, r) = shingle_pr(truth, text);
            (key.clone(), p, r)
        })
        .collect();
    let n = per_page.len() as f64;
    let precision = per_page.iter().map(|x| x.1).sum::<f64>() / n;
    let recall = per_page.iter().map(|x| x.2).sum::<f64>() / n;
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Ok(HtmlEvalReport { pages: per_page.len(), precision, recall, f1, pages_per_sec: n / secs, per_page })
}

fn read_page(dir: &Path, key: &str) -> Result<Vec<u8>, String> {
    let gz = dir.join("html").join(format!("{key}.html.gz"));
    let plain = dir.join("html").join(format!("{key}.html"));
    let mut bytes = Vec::new();
    if gz.exists() {
        let file = std::fs::File::open(&gz).map_err(|e| format!("{}: {e}", gz.display()))?;
        flate2::read::MultiGzDecoder::new(file).read_to_end(&mut bytes).map_err(|e| format!("{}: {e}", gz.display()))?;
    } else {
        bytes = std::fs::read(&plain).map_err(|e| format!("{}: {e}", plain.display()))?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric() {
        assert_eq!(shingle_pr("one two three four five", "one two three four five"), (1.0, 1.0));
        // Truth has 2 shingles, prediction 3 of which 2 match.
        let (p, r) = shingle_pr("a b c d e", "a b c d e f");
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && (r - 1.0).abs() < 1e-9);
        assert_eq!(shingle_pr("a b c d", ""), (0.0, 0.0));
        assert_eq!(shingle_pr("", ""), (1.0, 1.0));
        // Short texts are one shingle; punctuation is not a token.
        assert_eq!(shingle_pr("Hello, world!", "hello world"), (0.0, 0.0));
        assert_eq!(shingle_pr("Hello, world!", "Hello world"), (1.0, 1.0));
    }

    /// The real dev pages, when the shared data is present beside the repo.
    #[test]
    fn html_dev_floor() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/html-dev");
        if !dir.join("ground-truth.json").exists() {
            println!("skipped: {} not found", dir.display());
            return;
        }
        let report = eval_html(&dir).expect("eval runs");
        println!("{report}");
        assert_eq!(report.pages, 102);
        assert!(report.f1 >= 0.94, "F1 {:.4} fell below the floor", report.f1);
    }
}
