//! Main-content extraction over the parsed DOM.
//!
//! 1. **Prune**: drop elements that never hold article text (scripts, forms controls,
//!    `nav`/`aside`/`footer`, figures and captions, hidden elements, ARIA landmarks for
//!    navigation) and elements whose class/id names boilerplate (comments, share bars,
//!    related links, newsletters, cookie banners, ads, …), unless such an element holds
//!    most of the page's paragraph text (a site that calls its article wrapper "main-nav"
//!    keeps its article).
//! 2. **Blocks**: the remaining text is cut into blocks at block-level elements and `<br>`,
//!    each with its length, its link text length and the element that owns it.
//! 3. **Score**: a block is *good* (long, sentence-like, few links), *bad* (mostly link
//!    text, or a short non-sentence line) or neutral. Every element scores the good text
//!    under it minus a share of the bad text, and the best-scoring element is the article
//!    body: the smallest element that holds the article without the page around it.
//! 4. **Emit**: the body's blocks, minus link lists, headline repeats and boilerplate
//!    lines ("Advertisement", "Share this article", …), joined by blank lines.

use super::dom::{Dom, NodeId, NodeKind};
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Tags that never carry article text.
const DROP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "label",
    "head",
    "title",
    "meta",
    "link",
    "figcaption",
    "figure",
    "picture",
    "img",
    "dialog",
];

/// Structural boilerplate tags: dropped unless they hold most of the page's text.
const STRUCTURAL_TAGS: &[&str] = &["nav", "aside", "footer", "header", "menu", "form"];

/// ARIA roles of page furniture.
const DROP_ROLES: &[&str] =
    &["navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "menubar", "search", "tooltip"];

/// Class/id substrings that name boilerplate.
const NEG_SUBSTR: &[&str] = &[
    "comment",
    "disqus",
    "related",
    "recommend",
    "sidebar",
    "social",
    "share",
    "sharing",
    "newsletter",
    "subscri",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "gdpr",
    "banner",
    "breadcrumb",
    "pagination",
    "pager",
    "popup",
    "modal",
    "promo",
    "sponsor",
    "advert",
    "outbrain",
    "taboola",
    "skip-link",
    "skiplink",
    "footer",
    "masthead",
    "navbar",
    "nav-",
    "-nav",
    "menu",
    "toolbar",
    "widget",
    "caption",
    "trending",
    "most-popular",
    "mostpopular",
    "most-read",
    "read-more",
    "readmore",
    "more-stories",
    "also-read",
    "author-bio",
    "authorbio",
    "byline",
    "dateline",
    "timestamp",
    "visually-hidden",
    "visuallyhidden",
    "sr-only",
    "screen-reader",
    "screenreader",
    "tooltip",
    "login",
    "paywall",
    "teaser",
    "inline-link",
    "see-also",
    "seealso",
    "tags",
    "keywords",
    "topics",
    "print-",
    "header",
    "credit",
    "breaking-news",
    "ticker",
    "feedback",
    "rating",
    "follow",
    "subnav",
    "jump",
    "overlay",
    "lightbox",
    "gallery",
    "slideshow",
    "carousel",
    "video",
    "player",
    "podcast",
    "facebook",
    "whatsapp",
    "pinterest",
    "linkedin",
    "email-",
    "crosslink",
    "more-on",
    "moreon",
    "newsfeed",
    "notification",
    "alert",
    "flyout",
    "drawer",
    "offcanvas",
    "off-canvas",
    "hamburger",
    "logo",
    "brand",
    "copyright",
    "disclaimer",
    "legal",
    "privacy",
];

/// Class/id words (whole tokens) that name boilerplate.
const NEG_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "dfp",
    "nav",
    "aside",
    "extra",
    "promo",
    "share",
    "tags",
    "tag",
    "links",
    "hide",
    "sponsored",
    "outbrain",
    "teads",
    "native",
    "rail",
    "toc",
    "meta",
];

/// Class/id substrings that name the article: they cancel a boilerplate match.
const POS_SUBSTR: &[&str] = &[
    "article-body",
    "articlebody",
    "article__body",
    "article-content",
    "articlecontent",
    "article__content",
    "story-body",
    "storybody",
    "story-content",
    "storycontent",
    "entry-content",
    "post-content",
    "postcontent",
    "post-body",
    "postbody",
    "main-content",
    "maincontent",
    "body-text",
    "bodytext",
    "article-text",
    "articletext",
    "story-text",
    "content-body",
    "text-body",
    "rich-text",
    "richtext",
    "article_body",
    "story_body",
    "entry_content",
];

/// One pass over a class/id string for all of [`NEG_SUBSTR`] (and [`POS_SUBSTR`]) instead
/// of a substring search per entry: this test runs on every element of the page.
static NEG_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| AhoCorasick::new(NEG_SUBSTR).expect("constant patterns"));
static POS_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| AhoCorasick::new(POS_SUBSTR).expect("constant patterns"));

/// Inline elements: text inside them joins the surrounding block.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "strike", "del", "ins", "tt", "big", "nobr", "wbr", "acronym",
];

/// Lines that are page furniture wherever they appear.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "advert",
    "adverts",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "story continues below advertisement",
    "continue reading",
    "continue reading below",
    "article continues below",
    "story continues below",
    "read more",
    "read more:",
    "read more here",
    "related",
    "related:",
    "related articles",
    "related stories",
    "related content",
    "more",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "comments",
    "comment",
    "show comments",
    "view comments",
    "skip to content",
    "skip to main content",
    "back to top",
    "sign up",
    "subscribe",
    "subscribe now",
    "log in",
    "login",
    "sign in",
    "close",
    "menu",
    "search",
    "loading",
    "loading...",
    "click here",
    "click to expand",
    "advertisement - continue reading below",
    "this article is more than 1 year old",
    "listen",
    "listen to this article",
    "copy link",
    "link copied",
    "whatsapp",
    "facebook",
    "twitter",
    "linkedin",
    "pinterest",
    "reddit",
    "image",
    "photo",
    "video",
    "watch",
    "play",
    "next",
    "previous",
    "follow us",
    "recommended",
    "you may also like",
    "most popular",
    "trending",
    "editor's picks",
    "we recommend",
    "topics",
    "tags",
    "filed under",
    "see also",
    "also read",
    "also read:",
    "top stories",
    "latest news",
    "more from",
    "more stories",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Good,
    Neutral,
    Bad,
    /// A short text right after a linked heading: a teaser of another page.
    Teaser,
}

#[derive(Debug)]
struct Block {
    text: String,
    /// Non-whitespace characters.
    chars: usize,
    link_chars: usize,
    owner: NodeId,
    owner_tag: String,
    class: Class,
}

/// The article text of a document, paragraphs separated by blank lines; `title` (when
/// known) lets a repeated headline be dropped from the body.
pub fn article_text(dom: &Dom, title: Option<&str>) -> String {
    let (blocks, best) = analyse(dom);
    let mut out = String::new();
    let title_key = title.map(squash);
    for b in blocks.iter().filter(|b| is_within(dom, b.owner, best)) {
        if !keep(b, title_key.as_deref()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&b.text);
    }
    out
}

/// The page's blocks (boilerplate removed) and the element chosen as the article body.
fn analyse(dom: &Dom) -> (Vec<Block>, NodeId) {
    let root = dom.elements("body").next().unwrap_or(0);
    let thresholds: Vec<Option<f64>> = (0..dom.nodes.len()).map(|id| soft_threshold(dom, id)).collect();
    let dropped = hard_prune(dom, &thresholds);
    let mut blocks = Vec::new();
    collect_blocks(dom, root, &dropped, &mut blocks);
    for b in &mut blocks {
        b.class = classify(b);
    }
    // Good text under each element, to protect article wrappers with boilerplate names.
    let mut good = vec![0usize; dom.nodes.len()];
    let mut total_good = 0;
    for b in blocks.iter().filter(|b| b.class == Class::Good) {
        total_good += b.chars;
        let mut cur = Some(b.owner);
        while let Some(c) = cur {
            good[c] += b.chars;
            cur = dom.nodes[c].parent;
        }
    }
    let total_good = total_good.max(1) as f64;
    let mut soft = vec![false; dom.nodes.len()];
    for (id, flag) in soft.iter_mut().enumerate() {
        if let Some(threshold) = thresholds[id] {
            *flag = (good[id] as f64) / total_good < threshold;
        }
    }
    // Boilerplate blocks leave the text but still count against the elements holding them.
    let mut removed = Vec::new();
    blocks.retain(|b| {
        let mut cur = Some(b.owner);
        while let Some(c) = cur {
            if soft[c] {
                removed.push((b.owner, b.chars));
                return false;
            }
            cur = dom.nodes[c].parent;
        }
        true
    });
    mark_teasers(dom, &mut blocks, root);
    let best = best_element(dom, &blocks, &removed, root);
    (blocks, best)
}

/// Letters and digits only, lowercased: for loose comparisons.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn is_within(dom: &Dom, mut node: NodeId, ancestor: NodeId) -> bool {
    loop {
        if node == ancestor {
            return true;
        }
        match dom.nodes[node].parent {
            Some(p) => node = p,
            None => return false,
        }
    }
}

/// Nodes never read: non-text tags, and inline elements with boilerplate names (small,
/// so no protection needed).
fn hard_prune(dom: &Dom, thresholds: &[Option<f64>]) -> Vec<bool> {
    let text_lens = dom.text_lens();
    let mut dropped = vec![false; dom.nodes.len()];
    for (id, flag) in dropped.iter_mut().enumerate() {
        let NodeKind::Element { name, .. } = &dom.nodes[id].kind else {
            continue;
        };
        let name = name.as_str();
        *flag = DROP_TAGS.contains(&name) || (INLINE.contains(&name) && thresholds[id].is_some() && text_lens[id] < 300);
    }
    dropped
}

/// For an element that looks like page furniture (structural tag, ARIA role, hidden,
/// boilerplate class or id): the share of the page's good text below which it is dropped.
/// None for other elements.
fn soft_threshold(dom: &Dom, id: NodeId) -> Option<f64> {
    let NodeKind::Element { name, attrs } = &dom.nodes[id].kind else {
        return None;
    };
    let name = name.as_str();
    if matches!(name, "html" | "body" | "article" | "main" | "p") {
        return None;
    }
    let attr = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    if attr("hidden").is_some() || attr("aria-hidden") == Some("true") || is_hidden_style(attr("style").unwrap_or("")) {
        return Some(0.5);
    }
    if STRUCTURAL_TAGS.contains(&name) || attr("role").is_some_and(|r| DROP_ROLES.contains(&r.trim())) {
        return Some(0.5);
    }
    let names = format!("{} {}", attr("class").unwrap_or(""), attr("id").unwrap_or("")).to_ascii_lowercase();
    if !is_boilerplate_name(&names) {
        return None;
    }
    Some(if names.contains("comment") { 0.8 } else { 0.5 })
}

fn is_hidden_style(style: &str) -> bool {
    if style.is_empty() {
        return false;
    }
    let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

fn is_boilerplate_name(names: &str) -> bool {
    if names.trim().is_empty() {
        return false;
    }
    if POS_MATCHER.is_match(names) {
        return false;
    }
    NEG_MATCHER.is_match(names) || names.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| NEG_WORDS.contains(&w))
}

struct Acc {
    raw: String,
    link_chars: usize,
}

/// Cut the text under `root` into blocks, in document order.
fn collect_blocks(dom: &Dom, root: NodeId, dropped: &[bool], out: &mut Vec<Block>) {
    let mut acc = Acc { raw: String::new(), link_chars: 0 };
    walk(dom, root, dropped, &mut acc, out);
    flush(dom, &mut acc, root, false, out);
}

/// One step of the walk: an explicit stack instead of recursion, so no page can exhaust
/// the thread stack whatever the parse bounds.
enum Step {
    /// Visit the children of `id`, text joining blocks owned by `owner`.
    Children {
        id: NodeId,
        owner: NodeId,
        in_link: bool,
        in_pre: bool,
    },
    /// Visit one node.
    Node {
        id: NodeId,
        owner: NodeId,
        in_link: bool,
        in_pre: bool,
    },
    Space,
    Flush {
        owner: NodeId,
        pre: bool,
    },
}

fn walk(dom: &Dom, root: NodeId, dropped: &[bool], acc: &mut Acc, out: &mut Vec<Block>) {
    let mut stack = vec![Step::Children { id: root, owner: root, in_link: false, in_pre: false }];
    while let Some(step) = stack.pop() {
        match step {
            Step::Children { id, owner, in_link, in_pre } => {
                stack.extend(dom.nodes[id].children.iter().rev().map(|&c| Step::Node { id: c, owner, in_link, in_pre }));
            }
            Step::Space => acc.raw.push(' '),
            Step::Flush { owner, pre } => flush(dom, acc, owner, pre, out),
            Step::Node { id: c, owner, in_link, in_pre } => match &dom.nodes[c].kind {
                NodeKind::Text(t) => {
                    acc.raw.push_str(t);
                    if in_link {
                        acc.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                    }
                }
                NodeKind::Element { name, .. } => {
                    if dropped[c] {
                        // Dropped inline content still separates words.
                        acc.raw.push(' ');
                        continue;
                    }
                    let name = name.as_str();
                    if name == "br" {
                        if in_pre {
                            acc.raw.push('\n');
                        } else {
                            flush(dom, acc, owner, in_pre, out);
                        }
                    } else if matches!(name, "td" | "th") && !has_block_child(dom, c) {
                        // Simple cells join their row: a table row reads as one line.
                        acc.raw.push(' ');
                        stack.push(Step::Space);
                        stack.push(Step::Children { id: c, owner, in_link, in_pre });
                    } else if INLINE.contains(&name) {
                        stack.push(Step::Children { id: c, owner, in_link: in_link || name == "a", in_pre });
                    } else {
                        flush(dom, acc, owner, in_pre, out);
                        let pre = in_pre || name == "pre";
                        stack.push(Step::Flush { owner: c, pre });
                        stack.push(Step::Children { id: c, owner: c, in_link, in_pre: pre });
                    }
                }
                NodeKind::Document => {}
            },
        }
    }
}

fn has_block_child(dom: &Dom, id: NodeId) -> bool {
    dom.nodes[id].children.iter().any(|&c| dom.name(c).is_some_and(|n| !INLINE.contains(&n) && n != "br" && !DROP_TAGS.contains(&n)))
}

fn flush(dom: &Dom, acc: &mut Acc, owner: NodeId, pre: bool, out: &mut Vec<Block>) {
    if acc.raw.trim().is_empty() {
        acc.raw.clear();
        acc.link_chars = 0;
        return;
    }
    let text = if pre {
        acc.raw.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n").trim().to_string()
    } else {
        acc.raw.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    out.push(Block {
        text,
        chars,
        link_chars: acc.link_chars.min(chars),
        owner,
        owner_tag: dom.name(owner).unwrap_or("").to_string(),
        class: Class::Neutral,
    });
    acc.raw.clear();
    acc.link_chars = 0;
}

fn link_density(b: &Block) -> f64 {
    b.link_chars as f64 / b.chars.max(1) as f64
}

fn ends_like_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?', '"', '”', '’', '\'', ')', ':', '…', '»', '。', '！', '？', '」', '』', '）'])
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff | 0xff66..=0xff9f)
}

/// Words, counting each CJK character as half a word (those scripts do not use spaces).
fn word_count(s: &str) -> usize {
    let cjk = s.chars().filter(|&c| is_cjk(c)).count();
    s.split_whitespace().filter(|w| !w.chars().all(is_cjk)).count() + cjk / 2
}

/// Teasers of other pages: a linked heading (h2–h6) with a little text around it in a
/// small "card" element (the largest ancestor of the heading holding under 800 characters
/// and no other linked heading).
/// Marked only when the page has at least two such cards.
fn mark_teasers(dom: &Dom, blocks: &mut [Block], root: NodeId) {
    let linked_heading = |b: &Block| link_density(b) > 0.8 && matches!(b.owner_tag.as_str(), "h2" | "h3" | "h4" | "h5" | "h6");
    // Characters and linked headings under each element.
    let mut sub = vec![0usize; dom.nodes.len()];
    let mut headings = vec![0usize; dom.nodes.len()];
    for b in blocks.iter() {
        let is_heading = linked_heading(b);
        let mut cur = Some(b.owner);
        while let Some(c) = cur {
            sub[c] += b.chars;
            headings[c] += usize::from(is_heading);
            if c == root {
                break;
            }
            cur = dom.nodes[c].parent;
        }
    }
    let mut marks = Vec::new();
    let mut cards = 0;
    for i in 0..blocks.len() {
        let h = &blocks[i];
        if !linked_heading(h) {
            continue;
        }
        let mut card = h.owner;
        while let Some(p) = dom.nodes[card].parent {
            if p == root || sub[p] > 800 || headings[p] > 1 {
                break;
            }
            card = p;
        }
        let lo = i.saturating_sub(4);
        let hi = (i + 6).min(blocks.len());
        let members: Vec<usize> =
            (lo..hi).filter(|&j| j != i && is_within(dom, blocks[j].owner, card) && link_density(&blocks[j]) < 0.5).collect();
        if !members.is_empty() {
            cards += 1;
            marks.extend(members);
        }
    }
    if cards >= 2 {
        for j in marks {
            blocks[j].class = Class::Teaser;
        }
    }
}

fn classify(b: &Block) -> Class {
    let ld = link_density(b);
    if ld > 0.5 {
        return Class::Bad;
    }
    let words = word_count(&b.text);
    let sentence = ends_like_sentence(&b.text);
    if ld < 0.33 && (words >= 25 || (words >= 10 && sentence)) {
        return Class::Good;
    }
    if !sentence && words < 6 {
        return Class::Bad;
    }
    Class::Neutral
}

const NEUTRAL_W: f64 = 0.25;
const BAD_W: f64 = -0.5;
const TEASER_W: f64 = -0.25;
const REMOVED_W: f64 = -0.25;

/// The element whose subtree scores best: good text minus a share of bad text.
fn best_element(dom: &Dom, blocks: &[Block], removed: &[(NodeId, usize)], root: NodeId) -> NodeId {
    let mut score = vec![0f64; dom.nodes.len()];
    let scored = blocks
        .iter()
        .map(|b| {
            let s = match b.class {
                Class::Good => b.chars as f64,
                Class::Neutral => NEUTRAL_W * b.chars as f64,
                Class::Bad => BAD_W * b.chars as f64,
                Class::Teaser => TEASER_W * b.chars as f64,
            };
            (b.owner, s)
        })
        .chain(removed.iter().map(|&(owner, chars)| (owner, REMOVED_W * chars as f64)));
    for (owner, s) in scored {
        let mut cur = Some(owner);
        while let Some(c) = cur {
            score[c] += s;
            if c == root {
                break;
            }
            cur = dom.nodes[c].parent;
        }
    }
    let mut best = root;
    for id in dom.descendants(root) {
        if score[id] > score[best] {
            best = id;
        }
    }
    // Climb while the parent holds the same good text (it adds only neutral blocks, such as
    // short paragraphs) so we do not cut the article at an inner wrapper.
    best
}

/// Whether a block of the chosen body goes into the text.
fn keep(b: &Block, title_key: Option<&str>) -> bool {
    if b.class == Class::Teaser {
        return false;
    }
    if link_density(b) > 0.5 && b.chars < 300 {
        return false;
    }
    let lower = b.text.trim().to_lowercase();
    if BOILERPLATE_LINES.contains(&lower.trim_end_matches([':', '.', '»', '›', '→']).trim()) {
        return false;
    }
    if let Some(t) = title_key {
        if matches!(b.owner_tag.as_str(), "h1" | "h2") && !t.is_empty() && squash(&b.text) == t {
            return false;
        }
    }
    if is_dateline(&b.text) || is_byline(&b.text) || is_cookie_notice(&lower) {
        return false;
    }
    true
}

const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
];

/// A short line that is only a date or timestamp ("Published Monday, November 18, 2019
/// 8:22AM EST", "2019-11-18", "Updated 3 hours ago").
fn is_dateline(text: &str) -> bool {
    let words: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.is_empty() || words.len() > 12 || ends_like_sentence(text) && text.trim_end().ends_with('.') && words.len() > 8 {
        return false;
    }
    let datey = |w: &String| {
        MONTHS.contains(&w.as_str())
            || w.chars().all(|c| c.is_ascii_digit())
            || matches!(
                w.as_str(),
                "am" | "pm"
                    | "est"
                    | "edt"
                    | "gmt"
                    | "utc"
                    | "cet"
                    | "bst"
                    | "pst"
                    | "pdt"
                    | "ist"
                    | "et"
                    | "pt"
                    | "ago"
                    | "hours"
                    | "hour"
                    | "minutes"
                    | "min"
                    | "mins"
                    | "days"
                    | "updated"
                    | "published"
                    | "posted"
                    | "on"
                    | "at"
                    | "last"
                    | "modified"
                    | "date"
                    | "monday"
                    | "tuesday"
                    | "wednesday"
                    | "thursday"
                    | "friday"
                    | "saturday"
                    | "sunday"
                    | "mon"
                    | "tue"
                    | "wed"
                    | "thu"
                    | "fri"
                    | "sat"
                    | "sun"
            )
            || w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).chars().all(|c| c.is_ascii_digit())
                && w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let has_number = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    has_number && words.iter().all(datey)
}

/// A short "By Jane Doe" line.
fn is_byline(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    (lower.starts_with("by ") || lower.starts_with("von ") || lower.starts_with("por ") || lower.starts_with("par "))
        && t.split_whitespace().count() <= 10
        && !t.ends_with('.')
}

fn is_cookie_notice(lower: &str) -> bool {
    lower.len() < 600
        && lower.contains("cookie")
        && ["consent", "this website", "our website", "this site", "browsing", "necessary", "functionality", "privacy policy", "accept"]
            .iter()
            .any(|w| lower.contains(w))
}

/// Development aid: every block with its class, owner and whether it is in the body.
#[doc(hidden)]
pub fn explain(dom: &Dom) -> String {
    let (blocks, best) = analyse(dom);
    let mut out =
        format!("best={best} <{}> class={:?} id={:?}\n", dom.name(best).unwrap_or(""), dom.attr(best, "class"), dom.attr(best, "id"));
    for b in &blocks {
        let inb = is_within(dom, b.owner, best);
        let t: String = b.text.chars().take(90).collect();
        out.push_str(&format!(
            "{} {:?} {}<{}> ld={:.2} {}\n",
            if inb { "*" } else { " " },
            b.class,
            b.owner,
            b.owner_tag,
            link_density(b),
            t
        ));
    }
    out
}
