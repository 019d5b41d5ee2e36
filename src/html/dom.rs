//! A small, forgiving HTML parser: a tokenizer plus a tree builder that knows the void
//! elements, the raw-text elements and the common implied end tags (`p`, `li`, `dt`/`dd`,
//! table cells and rows, `option`). It never fails: stray end tags are ignored, unclosed
//! elements close at the end, and nesting deeper than [`MAX_DEPTH`] is flattened so
//! the tree walks stay bounded. Comments, doctypes and processing instructions are
//! dropped. Good enough for content extraction, not a full HTML5 tree builder.

use super::entities::decode_entities;

/// Deeper elements are appended to the element at this depth instead of nesting.
pub const MAX_DEPTH: usize = 256;

pub type NodeId = usize;

#[derive(Debug)]
pub enum NodeKind {
    Document,
    Element { name: String, attrs: Vec<(String, String)> },
    Text(String),
}

#[derive(Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
}

/// A parsed document: an arena of nodes, node 0 is the document.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont",
    "frame",
];

/// Elements whose content is raw text up to the matching end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"];

/// Elements that may stay inside `<head>`.
const HEAD_CONTENT: &[&str] =
    &["html", "head", "meta", "link", "title", "script", "style", "base", "noscript", "template", "object", "param"];

/// Start tags that close an open `p` element.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let mut b =
            Builder { dom: Dom { nodes: vec![Node { kind: NodeKind::Document, parent: None, children: Vec::new() }] }, stack: vec![0] };
        b.run(html);
        b.dom
    }

    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            NodeKind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn attr(&self, id: NodeId, key: &str) -> Option<&str> {
        match &self.nodes[id].kind {
            NodeKind::Element { attrs, .. } => attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// Every node in document order (pre-order), iteratively.
    pub fn descendants(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
        }
        out
    }

    /// Elements with this tag name, in document order.
    pub fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len()).filter(move |&i| self.name(i) == Some(name))
    }

    /// The concatenated text under a node, whitespace collapsed.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut raw = String::new();
        for d in self.descendants(id) {
            if let NodeKind::Text(t) = &self.nodes[d].kind {
                raw.push_str(t);
                raw.push(' ');
            }
        }
        collapse(&raw)
    }
}

/// Collapse whitespace runs to one space and trim.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
}

impl Builder {
    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn append(&mut self, kind: NodeKind) -> NodeId {
        let parent = self.current();
        let id = self.dom.nodes.len();
        self.dom.nodes.push(Node { kind, parent: Some(parent), children: Vec::new() });
        self.dom.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let parent = self.current();
        if let Some(&last) = self.dom.nodes[parent].children.last() {
            if let NodeKind::Text(t) = &mut self.dom.nodes[last].kind {
                t.push_str(&decode_entities(s));
                return;
            }
        }
        self.append(NodeKind::Text(decode_entities(s).into_owned()));
    }

    fn open_names(&self) -> impl DoubleEndedIterator<Item = (usize, &str)> {
        self.stack.iter().enumerate().map(|(i, &id)| (i, self.dom.name(id).unwrap_or("")))
    }

    /// Pop up to and including the nearest open `name`, not crossing a `boundary` element.
    fn close(&mut self, name: &str, boundaries: &[&str]) -> bool {
        let mut found = None;
        for (i, n) in self.open_names().rev() {
            if n == name {
                found = Some(i);
                break;
            }
            if boundaries.contains(&n) {
                break;
            }
        }
        match found {
            Some(i) if i > 0 => {
                self.stack.truncate(i);
                true
            }
            _ => false,
        }
    }

    fn start_tag(&mut self, name: &str, attrs: Vec<(String, String)>, self_closing: bool) {
        if !HEAD_CONTENT.contains(&name) {
            // Anything that is not head content starts the body.
            self.close("head", &[]);
        }
        if CLOSES_P.contains(&name) {
            self.close("p", &["button", "table", "td", "th", "div", "article", "section", "blockquote", "li"]);
        }
        match name {
            "li" => {
                self.close("li", &["ul", "ol", "menu", "table"]);
            }
            "dt" | "dd" => {
                let _ = self.close("dt", &["dl", "table"]) || self.close("dd", &["dl", "table"]);
            }
            "tr" => {
                self.close("tr", &["table", "tbody", "thead", "tfoot"]);
            }
            "td" | "th" => {
                let _ = self.close("td", &["tr", "table"]) || self.close("th", &["tr", "table"]);
            }
            "tbody" | "thead" | "tfoot" => {
                for n in ["tbody", "thead", "tfoot"] {
                    self.close(n, &["table"]);
                }
            }
            "option" => {
                self.close("option", &["select", "datalist"]);
            }
            // Repeated structural tags add no structure we need beyond the first.
            "html" | "body" | "head" if self.dom.elements(name).next().is_some() => return,
            _ => {}
        }
        let id = self.append(NodeKind::Element { name: name.to_string(), attrs });
        if !self_closing && !VOID.contains(&name) && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "br" => {
                self.append(NodeKind::Element { name: "br".into(), attrs: Vec::new() });
            }
            "body" | "html" => {}
            "p" | "li" | "dd" | "dt" => {
                self.close(name, &["button", "table", "td", "th", "ul", "ol", "div", "article", "section"]);
            }
            "td" | "th" | "tr" => {
                self.close(name, &["table"]);
            }
            _ => {
                self.close(name, &[]);
            }
        }
    }

    fn run(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut pos = 0;
        let mut text_start = 0;
        while let Some(off) = memchr::memchr(b'<', &bytes[pos..]) {
            let lt = pos + off;
            let next = bytes.get(lt + 1).copied().unwrap_or(0);
            if next == b'!' || next == b'?' {
                self.text(&html[text_start..lt]);
                pos = if html[lt..].starts_with("<!--") {
                    match html[lt + 4..].find("-->") {
                        Some(e) => lt + 4 + e + 3,
                        None => bytes.len(),
                    }
                } else if html[lt..].starts_with("<![CDATA[") {
                    match html[lt + 9..].find("]]>") {
                        Some(e) => {
                            self.text(&html[lt + 9..lt + 9 + e]);
                            lt + 9 + e + 3
                        }
                        None => bytes.len(),
                    }
                } else {
                    match memchr::memchr(b'>', &bytes[lt..]) {
                        Some(e) => lt + e + 1,
                        None => bytes.len(),
                    }
                };
                text_start = pos;
                continue;
            }
            let closing = next == b'/';
            let name_start = if closing { lt + 2 } else { lt + 1 };
            if !bytes.get(name_start).is_some_and(|b| b.is_ascii_alphabetic()) {
                if closing {
                    // `</>` or `</ junk>`: dropped like a comment.
                    self.text(&html[text_start..lt]);
                    pos = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |e| lt + e + 1);
                    text_start = pos;
                } else {
                    pos = lt + 1;
                }
                continue;
            }
            self.text(&html[text_start..lt]);
            let mut i = name_start;
            while i < bytes.len() && !matches!(bytes[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            let (attrs, self_closing, end) = parse_attrs(html, i);
            pos = end;
            text_start = end;
            if closing {
                self.end_tag(&name);
                continue;
            }
            let raw = RAW_TEXT.contains(&name.as_str());
            self.start_tag(&name, attrs, self_closing);
            if raw && !self_closing {
                let close = find_end_tag(html, pos, &name);
                let content = &html[pos..close.0];
                if name == "title" || name == "textarea" {
                    self.text(content);
                } else if !content.is_empty() {
                    let id = self.append(NodeKind::Text(content.to_string()));
                    let _ = id;
                }
                self.close(&name, &[]);
                pos = close.1;
                text_start = pos;
            }
        }
        self.text(&html[text_start..]);
    }
}

/// Parse attributes from `i` (just after the tag name) to the closing `>`. Returns the
/// attributes (names lowercased, values entity-decoded), whether the tag ended in `/>`,
/// and the offset just past `>`.
fn parse_attrs(html: &str, mut i: usize) -> (Vec<(String, String)>, bool, usize) {
    let bytes = html.as_bytes();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return (attrs, self_closing, bytes.len());
        }
        match bytes[i] {
            b'>' => return (attrs, self_closing, i + 1),
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'=') {
            i += 1;
        }
        if i == start {
            // A lone `=`: skip it.
            i += 1;
            continue;
        }
        let key = html[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vstart = i + 1;
                    let vend = memchr::memchr(q, &bytes[vstart..]).map_or(bytes.len(), |e| vstart + e);
                    value = decode_entities(&html[vstart..vend]).into_owned();
                    i = (vend + 1).min(bytes.len());
                }
                Some(_) => {
                    let vstart = i;
                    while i < bytes.len() && !matches!(bytes[i], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>') {
                        i += 1;
                    }
                    value = decode_entities(&html[vstart..i]).into_owned();
                }
                None => {}
            }
        }
        if !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, value));
        }
    }
}

/// Find `</name` (any case) followed by a delimiter, from `from`. Returns the start of the
/// end tag and the offset past its `>` (the end of input when there is none).
fn find_end_tag(html: &str, from: usize, name: &str) -> (usize, usize) {
    let bytes = html.as_bytes();
    let mut pos = from;
    while let Some(off) = memchr::memmem::find(&bytes[pos..], b"</") {
        let at = pos + off;
        let n_end = at + 2 + name.len();
        if n_end <= bytes.len()
            && bytes[at + 2..n_end].eq_ignore_ascii_case(name.as_bytes())
            && bytes.get(n_end).is_none_or(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/'))
        {
            let end = memchr::memchr(b'>', &bytes[n_end..]).map_or(bytes.len(), |e| n_end + e + 1);
            return (at, end);
        }
        pos = at + 2;
    }
    (bytes.len(), bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.nodes[id]
            .children
            .iter()
            .map(|&c| match &dom.nodes[c].kind {
                NodeKind::Element { name, .. } => name.clone(),
                NodeKind::Text(t) => format!("#{t}"),
                NodeKind::Document => "doc".into(),
            })
            .collect()
    }

    #[test]
    fn implied_ends_and_raw_text() {
        let dom = Dom::parse("<div class=a id='b' hidden><p>one<p>two &amp; <b>three</div><script>if (a<b) {}</script><ul><li>x<li>y</ul>");
        let div = dom.elements("div").next().unwrap();
        assert_eq!(dom.attr(div, "class"), Some("a"));
        assert_eq!(dom.attr(div, "id"), Some("b"));
        assert_eq!(dom.attr(div, "hidden"), Some(""));
        assert_eq!(names(&dom, div), ["p", "p"]);
        assert_eq!(dom.text_of(div), "one two & three");
        let script = dom.elements("script").next().unwrap();
        assert_eq!(dom.text_of(script), "if (a<b) {}");
        let ul = dom.elements("ul").next().unwrap();
        assert_eq!(names(&dom, ul), ["li", "li"]);
    }

    #[test]
    fn junk_does_not_panic() {
        for s in ["<", "</", "<a", "<a href=", "<a href='x", "<!--", "<script>", "a < b > c", "</p></div><p>", "<![CDATA[x", "<é>"] {
            let _ = Dom::parse(s);
        }
        let deep = "<div>".repeat(10_000);
        let dom = Dom::parse(&deep);
        assert!(dom.nodes.len() > 9_000);
    }
}
