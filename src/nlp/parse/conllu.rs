//! CoNLL-U reading and writing. A sentence keeps every line it was read from, so it can
//! be written back with only the UPOS, HEAD and DEPREL columns of its word lines
//! replaced: comments, multiword-token lines ("1-2") and empty-node lines ("1.1") pass
//! through unchanged. Files may be zstd-compressed (`.zst`).

use std::path::Path;

use super::{Deprel, ParseError, Parsed, Upos};

/// One word line (integer ID) of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub form: String,
    pub upos: Option<Upos>,
    /// CoNLL-U head: 0 = root, else the 1-based word position; `None` when `_`.
    pub head: Option<u32>,
    pub deprel: Option<Deprel>,
    /// The line as read.
    line: String,
}

/// A line of a sentence block, in file order.
#[derive(Clone, Debug, PartialEq)]
enum Line {
    /// Comment, multiword-token or empty-node line: written back as read.
    Verbatim(String),
    /// Index into `words`.
    Word(usize),
}

/// One sentence: its words and every line it was read from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    pub words: Vec<Word>,
    lines: Vec<Line>,
}

impl Sentence {
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }

    /// Append the sentence to `out` with UPOS, HEAD and DEPREL taken from `parsed`
    /// (`None`: as read), then a blank line.
    pub fn write(&self, parsed: Option<&Parsed>, out: &mut String) {
        for line in &self.lines {
            match line {
                Line::Verbatim(s) => out.push_str(s),
                Line::Word(i) => {
                    let w = &self.words[*i];
                    match parsed.filter(|p| *i < p.len()) {
                        None => out.push_str(&w.line),
                        Some(p) => {
                            for (k, col) in w.line.split('\t').enumerate() {
                                if k > 0 {
                                    out.push('\t');
                                }
                                match k {
                                    3 => out.push_str(p.upos[*i].as_str()),
                                    6 => out.push_str(&p.head[*i].to_string()),
                                    7 => out.push_str(p.deprel[*i].as_str()),
                                    _ => out.push_str(col),
                                }
                            }
                        }
                    }
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// Read a CoNLL-U file (`.zst`: zstd-compressed).
pub fn read_file(path: &Path) -> Result<Vec<Sentence>, ParseError> {
    let io = |source| ParseError::Io { path: path.display().to_string(), source };
    let bytes = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "zst") { zstd::decode_all(&bytes[..]).map_err(io)? } else { bytes };
    let text = String::from_utf8(bytes).map_err(|e| ParseError::Conllu {
        path: path.display().to_string(),
        line: 0,
        detail: format!("not UTF-8: {e}"),
    })?;
    parse_str(&text).map_err(|(line, detail)| ParseError::Conllu { path: path.display().to_string(), line, detail })
}

/// Parse CoNLL-U text; errors carry the 1-based line number.
pub fn parse_str(text: &str) -> Result<Vec<Sentence>, (usize, String)> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (ln, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !cur.lines.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            cur.lines.push(Line::Verbatim(line.to_string()));
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err((ln + 1, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        let id = cols[0];
        if id.contains('-') || id.contains('.') {
            cur.lines.push(Line::Verbatim(line.to_string()));
            continue;
        }
        let id: usize = id.parse().map_err(|_| (ln + 1, format!("bad word ID `{id}`")))?;
        if id != cur.words.len() + 1 {
            return Err((ln + 1, format!("word ID {id} out of sequence (expected {})", cur.words.len() + 1)));
        }
        let head = match cols[6] {
            "_" => None,
            h => Some(h.parse::<u32>().map_err(|_| (ln + 1, format!("bad HEAD `{h}`")))?),
        };
        cur.lines.push(Line::Word(cur.words.len()));
        cur.words.push(Word {
            form: cols[1].to_string(),
            upos: Upos::parse(cols[3]),
            head,
            deprel: Deprel::parse(cols[7]),
            line: line.to_string(),
        });
    }
    if !cur.lines.is_empty() {
        out.push(cur);
    }
    Ok(out)
}
