//! The parsed page: an arena [`Dom`] built by html5ever's WHATWG tree builder (the Servo
//! project's parser: adoption agency, foster parenting, `<template>` contents, the full
//! named character reference table and the attribute rules for legacy references), with
//! resource bounds applied while building.
//!
//! Bounds ([`Limits`]): a start tag that would open an element while the tree builder
//! already holds [`Limits::max_depth`] open or active formatting elements is dropped (its
//! content joins the current element; its matching end tag is dropped too), and once the
//! arena holds [`Limits::max_nodes`] nodes every further tag and comment is dropped (text
//! still joins the current element). A last pass flattens anything deeper than
//! `max_depth` (reparenting by the adoption agency can deepen a subtree) so every walk
//! over the tree is bounded. A page that hit a bound has [`Dom::truncated`] set.
//!
//! Comments, doctypes and processing instructions are dropped. Template contents hang
//! under their `<template>` element as a [`NodeKind::Document`] fragment, which walks skip.

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, Tracer, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{ns, Attribute, LocalName, Namespace, QualName, TokenizerResult};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Default bound on element nesting (and on open plus active formatting elements while
/// building). Browsers use a similar bound (Blink flattens below 512 levels).
pub const MAX_DEPTH: usize = 256;

/// Default bound on nodes (elements and text runs) per page. The html-dev pages hold at most
/// a few tens of thousands; past the bound further tags are dropped and the text is kept.
pub const MAX_NODES: usize = 200_000;

/// Resource bounds for parsing one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting kept; deeper elements are flattened into the element at
    /// this depth. At least 2.
    pub max_depth: usize,
    /// Nodes kept; further tags are dropped (text joins the current element).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: MAX_DEPTH, max_nodes: MAX_NODES }
    }
}

pub type NodeId = usize;

#[derive(Debug)]
pub enum NodeKind {
    /// The document (node 0), or the contents fragment of a `<template>`.
    Document,
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
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
    /// The page hit a bound of [`Limits`]: some structure was flattened or dropped.
    pub truncated: bool,
}

impl Dom {
    /// Parse with the default [`Limits`].
    pub fn parse(html: &str) -> Dom {
        Dom::parse_with(html, Limits::default())
    }

    pub fn parse_with(html: &str, limits: Limits) -> Dom {
        Dom::parse_counting(html, limits).0
    }

    /// [`Dom::parse_with`], also returning the tree-building work done: elements examined
    /// by the builder's stack and list scans (`elem_name`, `same_node`), nodes created, and child-list positions searched or
    /// shifted. Deterministic, so tests can check it grows linearly with the page.
    fn parse_counting(html: &str, limits: Limits) -> (Dom, u64) {
        let limits = Limits { max_depth: limits.max_depth.max(2), max_nodes: limits.max_nodes.max(1) };
        let sink = ArenaSink::new();
        let tb = TreeBuilder::new(sink, TreeBuilderOpts { drop_doctype: true, ..Default::default() });
        let limiter =
            Limiter { tb, limits, dropped: RefCell::new(HashMap::new()), truncated: Cell::new(false), raw_text: Cell::new(false) };
        let tok = Tokenizer::new(limiter, TokenizerOpts::default());
        let input = BufferQueue::default();
        for chunk in chunks(html, 1 << 20) {
            input.push_back(StrTendril::from_slice(chunk));
            // A script end or a `<meta charset>` pauses the tokenizer; we run no scripts and
            // the text is decoded already, so carry on until the chunk is used up.
            while !matches!(tok.feed(&input), TokenizerResult::Done) {}
        }
        tok.end();
        let truncated = tok.sink.truncated.get();
        let work = tok.sink.tb.sink.work.get();
        let nodes = tok.sink.tb.sink.nodes.take();
        let mut dom = Dom { nodes, truncated };
        if dom.flatten_below(limits.max_depth) {
            dom.truncated = true;
        }
        (dom, work)
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

    /// Every node in document order (pre-order), iteratively. At most one visit per arena
    /// node, so even a malformed arena cannot loop.
    pub fn descendants(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if out.len() >= self.nodes.len() {
                break;
            }
            out.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
        }
        out
    }

    /// Elements with this tag name, in document order.
    pub fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        self.descendants(0).into_iter().filter(move |&i| self.name(i) == Some(name))
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

    /// The start of the text under a node, whitespace collapsed: text nodes are read until
    /// about `max_bytes` are collected, so the cost is bounded whatever the subtree holds.
    pub fn text_prefix(&self, id: NodeId, max_bytes: usize) -> String {
        let mut raw = String::new();
        let mut stack = vec![id];
        let mut visited = 0;
        while let Some(n) = stack.pop() {
            visited += 1;
            if raw.len() >= max_bytes || visited > self.nodes.len() {
                break;
            }
            if let NodeKind::Text(t) = &self.nodes[n].kind {
                let cut = t.floor_char_boundary(max_bytes.saturating_sub(raw.len()));
                raw.push_str(t.get(..cut).unwrap_or(""));
                raw.push(' ');
            }
            stack.extend(self.nodes[n].children.iter().rev());
        }
        collapse(&raw)
    }

    /// Per node: the byte length of [`Dom::text_of`] of that node, for all nodes in one
    /// pass (text_of on each would copy nested text once per ancestor).
    pub fn text_lens(&self) -> Vec<usize> {
        // Per node: bytes of its words and number of words. Words never span text nodes
        // (text_of joins them with a space), so the collapsed length is bytes + words - 1.
        let mut bytes = vec![0usize; self.nodes.len()];
        let mut words = vec![0usize; self.nodes.len()];
        let order = self.descendants(0);
        for &id in order.iter().rev() {
            if let NodeKind::Text(t) = &self.nodes[id].kind {
                for w in t.split_whitespace() {
                    bytes[id] += w.len();
                    words[id] += 1;
                }
            }
            if let Some(p) = self.nodes[id].parent {
                bytes[p] += bytes[id];
                words[p] += words[id];
            }
        }
        bytes.iter().zip(&words).map(|(b, w)| b + w.saturating_sub(1)).collect()
    }

    /// Every node deeper than `max_depth` becomes a direct child of its ancestor at that
    /// depth, in document order (elements keep their attributes, lose their children).
    /// Returns whether anything moved.
    fn flatten_below(&mut self, max_depth: usize) -> bool {
        let mut moved = false;
        let mut stack = vec![(0usize, 0usize)];
        while let Some((id, depth)) = stack.pop() {
            if depth < max_depth {
                stack.extend(self.nodes[id].children.iter().map(|&c| (c, depth + 1)));
                continue;
            }
            if self.nodes[id].children.iter().all(|&c| self.nodes[c].children.is_empty()) {
                continue;
            }
            moved = true;
            let below: Vec<NodeId> = self.descendants(id).into_iter().skip(1).collect();
            for &d in &below {
                self.nodes[d].parent = Some(id);
                self.nodes[d].children.clear();
            }
            self.nodes[id].children = below;
        }
        moved
    }
}

/// Collapse whitespace runs to one space and trim.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` in pieces of at most about `max` bytes, cut at char boundaries (a tendril holds
/// at most 4 GiB).
fn chunks(s: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut cut = max.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

/// Void elements: they never stay open, so the depth bound lets them through.
fn is_void(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "frame"
    )
}

/// Sits between the tokenizer and the tree builder and drops the tokens that would take
/// the tree past [`Limits`].
struct Limiter {
    tb: TreeBuilder<NodeId, ArenaSink>,
    limits: Limits,
    /// Start tags dropped by the depth bound, by name: their end tags are dropped too.
    dropped: RefCell<HashMap<LocalName, usize>>,
    truncated: Cell<bool>,
    /// The builder is in its text mode (a raw-text element is open).
    raw_text: Cell<bool>,
}

/// Counts the handles the tree builder holds (open elements, active formatting elements
/// and a few singletons): an upper bound of the nesting depth it is building at.
struct Counter(Cell<usize>);

impl Tracer for Counter {
    type Handle = NodeId;
    fn trace_handle(&self, _: &NodeId) {
        self.0.set(self.0.get() + 1);
    }
}

impl TokenSink for Limiter {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        if self.raw_text.get() {
            // Inside script/style/title/textarea/…: the tokenizer sends only text and the
            // closing tag, and the builder panics on any other token, so the closing tag
            // must go through whatever the bounds say.
            if matches!(&token, Token::TagToken(tag) if tag.kind == TagKind::EndTag) {
                self.raw_text.set(false);
            }
            return self.tb.process_token(token, line_number);
        }
        match &token {
            Token::TagToken(_) | Token::CommentToken(_) if self.tb.sink.nodes.borrow().len() >= self.limits.max_nodes => {
                self.truncated.set(true);
                return TokenSinkResult::Continue;
            }
            Token::TagToken(tag) if tag.kind == TagKind::StartTag && !is_void(&tag.name) => {
                let held = Counter(Cell::new(0));
                self.tb.trace_handles(&held);
                self.tb.sink.add_work(held.0.get());
                if held.0.get() >= self.limits.max_depth {
                    self.truncated.set(true);
                    *self.dropped.borrow_mut().entry(tag.name.clone()).or_insert(0) += 1;
                    return TokenSinkResult::Continue;
                }
            }
            Token::TagToken(tag) if tag.kind == TagKind::EndTag => {
                let mut dropped = self.dropped.borrow_mut();
                if let Some(n) = dropped.get_mut(&tag.name) {
                    *n -= 1;
                    if *n == 0 {
                        dropped.remove(&tag.name);
                    }
                    return TokenSinkResult::Continue;
                }
            }
            _ => {}
        }
        let result = self.tb.process_token(token, line_number);
        if matches!(result, TokenSinkResult::RawData(_)) {
            self.raw_text.set(true);
        }
        result
    }

    fn end(&self) {
        self.tb.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.tb.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// An element's qualified name, owned (the arena lives in a `RefCell`, so the tree
/// builder cannot borrow from it).
#[derive(Debug)]
struct OwnedName {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for OwnedName {
    fn ns(&self) -> &Namespace {
        &self.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

/// The tree builder's side of the arena: nodes plus what only the builder needs.
struct ArenaSink {
    nodes: RefCell<Vec<Node>>,
    /// Per node: the element's name (None for other nodes).
    names: RefCell<Vec<Option<QualName>>>,
    /// Template element → its contents fragment.
    templates: RefCell<HashMap<NodeId, NodeId>>,
    /// MathML `annotation-xml` elements that are HTML integration points.
    integration_points: RefCell<Vec<NodeId>>,
    /// Work done, see [`Dom::parse_counting`].
    work: Cell<u64>,
}

/// The handle of every comment and processing instruction: the builder asks for one, we
/// never store or attach it.
const IGNORED: NodeId = usize::MAX;

impl ArenaSink {
    fn new() -> ArenaSink {
        ArenaSink {
            nodes: RefCell::new(vec![Node { kind: NodeKind::Document, parent: None, children: Vec::new() }]),
            names: RefCell::new(vec![None]),
            templates: RefCell::new(HashMap::new()),
            integration_points: RefCell::new(Vec::new()),
            work: Cell::new(0),
        }
    }

    fn add_work(&self, n: usize) {
        self.work.set(self.work.get() + n as u64);
    }

    fn new_node(&self, kind: NodeKind, name: Option<QualName>) -> NodeId {
        self.add_work(1);
        let mut nodes = self.nodes.borrow_mut();
        let id = nodes.len();
        nodes.push(Node { kind, parent: None, children: Vec::new() });
        self.names.borrow_mut().push(name);
        id
    }

    /// Insert `child` into `parent`'s children at `index` (None: at the end); text merges
    /// into an adjacent text node.
    fn insert(&self, parent: NodeId, index: Option<usize>, child: NodeOrText<NodeId>) {
        if parent == IGNORED {
            return;
        }
        match child {
            NodeOrText::AppendNode(c) => {
                if c == IGNORED {
                    return;
                }
                self.detach(c);
                let mut nodes = self.nodes.borrow_mut();
                nodes[c].parent = Some(parent);
                let children = &mut nodes[parent].children;
                match index {
                    Some(i) if i <= children.len() => {
                        self.add_work(children.len() - i);
                        children.insert(i, c)
                    }
                    _ => children.push(c),
                }
            }
            NodeOrText::AppendText(t) => {
                {
                    let mut nodes = self.nodes.borrow_mut();
                    let children = &nodes[parent].children;
                    let before = match index {
                        Some(i) => i.checked_sub(1).and_then(|j| children.get(j)),
                        None => children.last(),
                    };
                    if let Some(&b) = before {
                        if let NodeKind::Text(s) = &mut nodes[b].kind {
                            s.push_str(&t);
                            return;
                        }
                    }
                }
                let id = self.new_node(NodeKind::Text(t.to_string()), None);
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                let children = &mut nodes[parent].children;
                match index {
                    Some(i) if i <= children.len() => {
                        self.add_work(children.len() - i);
                        children.insert(i, id)
                    }
                    _ => children.push(id),
                }
            }
        }
    }

    fn detach(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(p) = nodes.get_mut(id).and_then(|n| n.parent.take()) {
            // Searched from the end: the builder moves recently inserted nodes.
            if let Some(i) = nodes[p].children.iter().rposition(|&c| c == id) {
                self.add_work(2 * (nodes[p].children.len() - i));
                nodes[p].children.remove(i);
            }
        }
    }
}

impl TreeSink for ArenaSink {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a> = OwnedName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> OwnedName {
        self.add_work(1);
        // The builder asks only about elements; anything else reads as an unnamed element.
        match self.names.borrow().get(*target).and_then(Option::as_ref) {
            Some(q) => OwnedName { ns: q.ns.clone(), local: q.local.clone() },
            None => OwnedName { ns: ns!(html), local: LocalName::from("") },
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let attrs: Vec<(String, String)> = attrs
            .into_iter()
            .map(|a| {
                let key = match &a.name.prefix {
                    Some(p) => format!("{p}:{}", a.name.local),
                    None => a.name.local.to_string(),
                };
                (key, a.value.to_string())
            })
            .collect();
        let kind = NodeKind::Element { name: name.local.to_string(), attrs };
        let id = self.new_node(kind, Some(name));
        if flags.template {
            let contents = self.new_node(NodeKind::Document, None);
            let mut nodes = self.nodes.borrow_mut();
            nodes[contents].parent = Some(id);
            nodes[id].children.push(contents);
            drop(nodes);
            self.templates.borrow_mut().insert(id, contents);
        }
        if flags.mathml_annotation_xml_integration_point {
            self.integration_points.borrow_mut().push(id);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        IGNORED
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        IGNORED
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        if self.nodes.borrow().get(*element).is_some_and(|n| n.parent.is_some()) {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Only asked for template elements; a miss falls back to the element itself.
        self.templates.borrow().get(target).copied().unwrap_or(*target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.add_work(1);
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let (parent, index) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes.get(*sibling).and_then(|n| n.parent) else { return };
            let index = nodes[parent].children.iter().rposition(|&c| c == *sibling);
            self.add_work(nodes[parent].children.len() - index.unwrap_or(0));
            (parent, index)
        };
        if let NodeOrText::AppendNode(c) = &new_node {
            // Moving a node that sits before the sibling in the same parent shifts the index.
            let same_parent_before = {
                let nodes = self.nodes.borrow();
                nodes.get(*c).is_some_and(|n| n.parent == Some(parent)) && nodes[parent].children.iter().rposition(|&x| x == *c) < index
            };
            if same_parent_before {
                self.detach(*c);
                let index = self.nodes.borrow()[parent].children.iter().rposition(|&x| x == *sibling);
                self.insert(parent, index, new_node);
                return;
            }
        }
        self.insert(parent, index, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(NodeKind::Element { attrs: have, .. }) = nodes.get_mut(*target).map(|n| &mut n.kind) {
            for a in attrs {
                let key = a.name.local.to_string();
                if !have.iter().any(|(k, _)| *k == key) {
                    have.push((key, a.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        if *node == IGNORED || *new_parent == IGNORED {
            return;
        }
        let mut nodes = self.nodes.borrow_mut();
        let moved = std::mem::take(&mut nodes[*node].children);
        for &c in &moved {
            nodes[c].parent = Some(*new_parent);
        }
        self.add_work(moved.len());
        nodes[*new_parent].children.extend(moved);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.integration_points.borrow().contains(handle)
    }
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
        assert!(!dom.truncated);
    }

    #[test]
    fn junk_does_not_panic() {
        for s in [
            "<",
            "</",
            "<a",
            "<a href=",
            "<a href='x",
            "<!--",
            "<script>",
            "a < b > c",
            "</p></div><p>",
            "<![CDATA[x",
            "<é>",
            "<svg><![CDATA[x]]><foreignObject><p>y</svg>",
            "<math><annotation-xml encoding='text/html'><div>z",
            "<template><td>a</template><frameset>",
            "<table><template><tr>",
            "<select><option><optgroup><option>",
            "\0<b>\0</b>",
        ] {
            let _ = Dom::parse(s);
        }
    }

    #[test]
    fn text_lengths_and_prefixes() {
        let dom = Dom::parse("<div><p> one  two </p><span>three</span><b></b><i>f\u{e9}ur\n five</i></div><p>x</p>");
        let lens = dom.text_lens();
        for id in dom.descendants(0) {
            assert_eq!(lens[id], dom.text_of(id).len(), "node {id}");
        }
        let div = dom.elements("div").next().unwrap();
        assert_eq!(dom.text_prefix(div, 100), "one two three f\u{e9}ur five");
        assert_eq!(dom.text_prefix(div, 9), "one two");
    }

    #[test]
    fn whatwg_tree_building() {
        // Adoption agency: misnested formatting keeps all the text, in order.
        let dom = Dom::parse("<p><b>1<i>2</b>3</i>4</p>");
        let p = dom.elements("p").next().unwrap();
        assert_eq!(dom.text_of(p), "1 2 3 4");
        assert_eq!(dom.elements("i").count(), 2, "the <i> is split around </b>");
        // Foster parenting: text inside a table but outside cells moves before the table.
        let dom = Dom::parse("<body><table>lost text<tr><td>cell</td></tr></table>");
        let body = dom.elements("body").next().unwrap();
        assert_eq!(names(&dom, body), ["#lost text", "table"]);
        // Self-closing syntax on a non-void element is ignored: the div stays open.
        let dom = Dom::parse("<div/><p>inside</p>");
        let div = dom.elements("div").next().unwrap();
        assert_eq!(dom.text_of(div), "inside");
        // Comment edge cases end where the spec says.
        let dom = Dom::parse("<p>a<!-->b<!--->c<!-- x --!>d</p>");
        assert_eq!(dom.text_of(dom.elements("p").next().unwrap()), "abcd");
        // Template contents are a separate fragment, not children text of the page.
        let dom = Dom::parse("<body><template><p>hidden</p></template><p>shown</p>");
        let t = dom.elements("template").next().unwrap();
        assert!(matches!(dom.nodes[dom.nodes[t].children[0]].kind, NodeKind::Document));
    }

    #[test]
    fn character_references() {
        // Legacy references without `;` stay literal in attributes before `=` or an
        // alphanumeric; the full named table is known in text.
        let dom = Dom::parse("<a href=\"?x=1&reg=us&copy;&amp\">&notin; &reg=x &Bopf; &NotEqualTilde; &amp</a>");
        let a = dom.elements("a").next().unwrap();
        assert_eq!(dom.attr(a, "href"), Some("?x=1&reg=us©&"));
        assert_eq!(dom.text_of(a), "\u{2209} \u{ae}=x \u{1d539} \u{2242}\u{338} &");
    }

    #[test]
    fn repeated_structural_tags_are_linear() {
        // The old parser re-scanned the whole arena for each repeated <body>.
        let work = |n: usize| {
            let (dom, work) = Dom::parse_counting(&"<body>x".repeat(n), Limits::default());
            assert_eq!(dom.elements("body").count(), 1);
            work
        };
        let (small, large) = (work(20_000), work(80_000));
        // Linear growth is 4x; quadratic would be 16x.
        assert!(large < 5 * small, "{small} → {large}");
        let t = std::time::Instant::now();
        work(20_000);
        assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        for page in ["<div>".repeat(100_000), "<b>".repeat(100_000), "<span><i>".repeat(50_000), "<table><tr><td>".repeat(30_000)] {
            let t = std::time::Instant::now();
            let dom = Dom::parse(&(page.clone() + "end"));
            assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
            assert!(dom.truncated);
            let mut depth = vec![0usize; dom.nodes.len()];
            for id in dom.descendants(0) {
                if let Some(p) = dom.nodes[id].parent {
                    depth[id] = depth[p] + 1;
                }
            }
            assert!(depth.iter().all(|&d| d <= MAX_DEPTH), "max depth {}", depth.iter().max().unwrap());
            assert!(dom.text_of(0).ends_with("end"));
        }
        // Dropped start tags take their end tags with them: the text after them lands outside.
        let page = format!("{}inner{}<p>after</p>", "<div>".repeat(1000), "</div>".repeat(1000));
        let dom = Dom::parse_with(&page, Limits { max_depth: 50, max_nodes: MAX_NODES });
        let body = dom.elements("body").next().unwrap();
        assert_eq!(dom.name(*dom.nodes[body].children.last().unwrap()), Some("p"));
    }

    #[test]
    fn node_count_is_capped() {
        let page = "<p>para <b>bold</b> text</p>".repeat(50_000);
        let limits = Limits { max_depth: MAX_DEPTH, max_nodes: 10_000 };
        let dom = Dom::parse_with(&page, limits);
        assert!(dom.truncated);
        assert!(dom.nodes.len() < 10_100, "{}", dom.nodes.len());
        // Text past the cap is kept, joined to the current element.
        assert!(dom.text_of(0).matches("bold").count() == 50_000);
        let dom = Dom::parse(&"<p>para <b>bold</b> text</p>".repeat(100));
        assert!(!dom.truncated);
    }

    #[test]
    fn hostile_patterns_take_linear_time() {
        // Tag soup that stresses each part of the tree builder: deep nesting, the adoption
        // agency, foster parenting, active formatting reconstruction, foreign content,
        // templates, frameset, select. `{i}` makes each repeat distinct (defeats the
        // Noah's Ark clause). Time for 8n against n: linear is 8x, quadratic 64x.
        let patterns: &[(&str, &str)] = &[
            ("", "<div>x"),
            ("", "<p><b class=k{i}>x</p>"),
            ("", "<table>x"),
            ("", "<a>x"),
            ("<b>", "<div>x</b>"),
            ("<table>", "x<b>y</b><i>z"),
            ("", "<svg>x"),
            ("", "<template>x"),
            ("<select>", "<option>x<optgroup>"),
            ("", "<font color=c{i}><div></div>"),
            ("<b><i><u><s>", "</p>x"),
            ("<div>", "<a><div><b><div></a>x"),
            ("", "<table><td><b>"),
            ("", "<frameset>"),
            ("<table>", "<caption><b>x"),
            ("", "<!--x-->"),
        ];
        for (prefix, repeat) in patterns {
            let page = |n: usize| {
                let mut s = String::from(*prefix);
                for i in 0..n {
                    s.push_str(&repeat.replace("{i}", &i.to_string()));
                }
                s
            };
            let work = |n: usize| Dom::parse_counting(&page(n), Limits::default()).1;
            let (small, large) = (work(5_000), work(40_000));
            assert!(large < 12 * small, "{repeat:?}: work {small} for 5k, {large} for 40k");
            let t = std::time::Instant::now();
            let _ = Dom::parse(&page(40_000));
            assert!(t.elapsed().as_secs_f64() < 2.0, "{repeat:?}: {:?} for 40k", t.elapsed());
        }
    }

    #[test]
    fn random_tag_soup_never_panics() {
        // Pieces that reach every insertion mode and the limiter's drop paths (tiny limits).
        const PIECES: &[&str] = &[
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i class=x>",
            "</i>",
            "<a href='?a=1&reg=2'>",
            "</a>",
            "<table>",
            "</table>",
            "<tr>",
            "<td>",
            "</td>",
            "<th>",
            "<caption>",
            "<colgroup><col>",
            "<select>",
            "<option>",
            "<optgroup>",
            "<template>",
            "</template>",
            "<svg>",
            "</svg>",
            "<math>",
            "<mi>",
            "<annotation-xml encoding=text/html>",
            "<foreignObject>",
            "<![CDATA[c]]>",
            "<script>",
            "</script>",
            "<style>",
            "<textarea>",
            "<title>",
            "<plaintext>",
            "<frameset>",
            "<frame>",
            "<noscript>",
            "<iframe>",
            "<head>",
            "</head>",
            "<body>",
            "</body>",
            "<html>",
            "<form>",
            "</form>",
            "<li>",
            "<dd>",
            "<h1>",
            "</h1>",
            "<button>",
            "<nobr>",
            "<image>",
            "<isindex>",
            "<br/>",
            "</br>",
            "<!-- c -->",
            "<!--",
            "-->",
            "<!doctype html>",
            "&amp",
            "&reg=",
            "&#x110000;",
            "&notin;",
            "text ",
            "\0",
            "é",
            "<",
            ">",
            "</",
            "/>",
            "<table><b>",
            "<li><p>",
            "<marquee>",
            "<object>",
            "<applet>",
            "<menu>",
            "<ruby><rt>",
            "<input>",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..10_000 {
            let len = (next() % 60) as usize;
            let page: String = (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
            let limits = if case % 2 == 0 {
                Limits { max_depth: 2 + (next() % 8) as usize, max_nodes: 1 + (next() % 40) as usize }
            } else {
                Limits::default()
            };
            let dom = Dom::parse_with(&page, limits);
            // Every reachable node's parent link matches the child list holding it.
            for id in dom.descendants(0) {
                for &c in &dom.nodes[id].children {
                    assert_eq!(dom.nodes[c].parent, Some(id), "{page:?}");
                }
            }
            let _ = dom.text_of(0);
        }
    }
}
