//! Page metadata: title, authors, publication date, site name and canonical URL, from
//! `<meta>` tags (Open Graph, article:*, Dublin Core, Parsely, Sailthru, …), JSON-LD
//! (`NewsArticle`, `Article`, `BlogPosting`, … also inside `@graph`), microdata
//! (`itemprop`), `<link rel=canonical>`, `<time datetime>` and `<title>`/`<h1>`.

use super::dom::{collapse, Dom};
use serde_json::Value;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
}

/// Meta keys for the publication date, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article:published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "publication-date",
    "date_published",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "article.published",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "release_date",
    "dc.date",
    "dcterms.date",
    "date",
    "citation_publication_date",
    "citation_date",
];

/// Authors kept per page (a JSON-LD list of thousands is a site bug, not a byline).
const MAX_AUTHORS: usize = 50;

/// Text read from an author element: a name is far shorter.
const NAME_TEXT_BYTES: usize = 1_000;

const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "twitter:creator:name",
];

const SITE_KEYS: &[&str] = &["og:site_name", "application-name", "publisher", "dc.publisher", "cre"];

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "socialmediaposting",
    "report",
    "webpage",
];

/// Read the page's metadata. `url` resolves a relative canonical link.
pub fn read(dom: &Dom, url: Option<&str>) -> PageMeta {
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut canonical = None;
    let mut title_tag = None;
    let mut ld = Vec::new();
    let mut first_time = None;
    let mut pub_time = None;
    let mut itemprop_date = None;
    let mut itemprop_authors = Vec::new();
    let mut h1 = None;
    for id in 0..dom.nodes.len() {
        let Some(name) = dom.name(id) else { continue };
        match name {
            "meta" => {
                let key = dom.attr(id, "property").or_else(|| dom.attr(id, "name")).or_else(|| dom.attr(id, "itemprop"));
                let value = dom.attr(id, "content").or_else(|| dom.attr(id, "value"));
                if let (Some(k), Some(v)) = (key, value) {
                    let v = collapse(v);
                    if !v.is_empty() {
                        metas.push((k.trim().to_ascii_lowercase(), v));
                    }
                }
            }
            "link" => {
                let rel = dom.attr(id, "rel").unwrap_or("").to_ascii_lowercase();
                if canonical.is_none() && rel.split_whitespace().any(|r| r == "canonical") {
                    canonical = dom.attr(id, "href").map(str::trim).filter(|h| !h.is_empty()).map(String::from);
                }
            }
            "title" if title_tag.is_none() => {
                let t = dom.text_of(id);
                if !t.is_empty() {
                    title_tag = Some(t);
                }
            }
            "h1" if h1.is_none() => {
                let t = dom.text_of(id);
                if t.chars().count() >= 10 {
                    h1 = Some(t);
                }
            }
            "script" if dom.attr(id, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) => {
                let raw = dom.text_of(id);
                if let Ok(v) = serde_json::from_str::<Value>(raw.trim().trim_end_matches(';')) {
                    ld.push(v);
                }
            }
            "time" => {
                if let Some(dt) = dom.attr(id, "datetime").map(str::trim).filter(|d| d.len() >= 8) {
                    if pub_time.is_none()
                        && (dom.attr(id, "pubdate").is_some()
                            || dom.attr(id, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datepublished")))
                    {
                        pub_time = Some(dt.to_string());
                    }
                    if first_time.is_none() {
                        first_time = Some(dt.to_string());
                    }
                }
            }
            _ => {}
        }
        if let Some(prop) = dom.attr(id, "itemprop") {
            let prop = prop.to_ascii_lowercase();
            if name != "meta" && prop.split_whitespace().any(|p| p == "datepublished") && itemprop_date.is_none() {
                itemprop_date = dom
                    .attr(id, "datetime")
                    .or_else(|| dom.attr(id, "content"))
                    .map(String::from)
                    .or_else(|| Some(dom.text_of(id)))
                    .filter(|s| !s.is_empty());
            }
            if name != "meta" && itemprop_authors.len() < MAX_AUTHORS && prop.split_whitespace().any(|p| p == "author" || p == "creator") {
                let name_node = dom
                    .descendants(id)
                    .into_iter()
                    .find(|&d| d != id && dom.attr(d, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("name")));
                // Bounded: nested author elements must not copy the page's text once each.
                let text = match name_node {
                    Some(n) => dom.attr(n, "content").map(collapse).unwrap_or_else(|| dom.text_prefix(n, NAME_TEXT_BYTES)),
                    None => dom.attr(id, "content").map(collapse).unwrap_or_else(|| dom.text_prefix(id, NAME_TEXT_BYTES)),
                };
                itemprop_authors.push(text);
            }
        }
    }
    let meta = |keys: &[&str]| -> Option<String> { keys.iter().find_map(|k| metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.clone())) };
    let article = ld_article(&ld);
    let ld_str = |key: &str| article.and_then(|a| a.get(key)).and_then(ld_text);

    // Candidates in order of trust; placeholder dates ("0001-01-01…") are skipped.
    let mut dates: Vec<String> = DATE_KEYS[..3].iter().filter_map(|k| meta(&[k])).collect();
    dates.extend(ld_str("datePublished"));
    dates.extend(DATE_KEYS[3..].iter().filter_map(|k| meta(&[k])));
    dates.extend(pub_time);
    dates.extend(itemprop_date);
    dates.extend(ld_str("dateCreated"));
    dates.extend(first_time);
    let published = dates.into_iter().find(|d| plausible_date(d));

    let mut authors = Vec::new();
    if let Some(a) = article.and_then(|a| a.get("author").or_else(|| a.get("creator"))) {
        ld_names(a, &mut authors);
    }
    if authors.is_empty() {
        for k in AUTHOR_KEYS {
            for (mk, v) in &metas {
                if mk == k {
                    authors.extend(split_authors(v));
                }
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    if authors.is_empty() {
        for a in &itemprop_authors {
            authors.extend(split_authors(a));
        }
    }
    let authors = clean_authors(authors);

    let title = meta(&["og:title"])
        .or_else(|| ld_str("headline"))
        .or(h1)
        .or_else(|| meta(&["twitter:title", "dc.title", "headline"]))
        .or(title_tag);

    let site_name = meta(&SITE_KEYS[..1])
        .or_else(|| article.and_then(|a| a.get("publisher")).and_then(|p| p.get("name")).and_then(ld_text))
        .or_else(|| meta(&SITE_KEYS[1..]))
        .filter(|s| !s.starts_with("http"));

    let canonical_url = canonical.or_else(|| meta(&["og:url", "twitter:url"])).and_then(|c| resolve_url(url, &c)).or_else(|| {
        article.and_then(|a| a.get("url").or_else(|| a.get("mainEntityOfPage"))).and_then(ld_url).and_then(|c| resolve_url(url, &c))
    });

    PageMeta { title, authors, published, site_name, canonical_url }
}

/// Not an empty or placeholder date (year 0000/0001, as some CMSs write for "unset").
fn plausible_date(d: &str) -> bool {
    let t = d.trim();
    !t.is_empty() && !t.starts_with("0000") && !t.starts_with("0001-") && !t.starts_with("1970-01-01")
}

/// A JSON-LD string value (or the `@value`/`name` of an object, or the first of a list).
fn ld_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse(s)).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.iter().find_map(ld_text),
        Value::Object(o) => o.get("@value").or_else(|| o.get("name")).and_then(ld_text),
        _ => None,
    }
}

fn ld_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| s.starts_with("http")),
        Value::Object(o) => o.get("@id").or_else(|| o.get("url")).and_then(ld_url),
        Value::Array(a) => a.iter().find_map(ld_url),
        _ => None,
    }
}

fn ld_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.extend(split_authors(s)),
        Value::Array(a) => a.iter().for_each(|x| ld_names(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                ld_names(n, out);
            }
        }
        _ => {}
    }
}

fn type_names(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).map(str::to_ascii_lowercase).collect(),
        _ => Vec::new(),
    }
}

/// The best article-like object among the JSON-LD blocks: an article type (a `WebPage` only
/// when nothing better exists), searched through arrays and `@graph`.
fn ld_article(blocks: &[Value]) -> Option<&Value> {
    let mut found: Vec<(usize, &Value)> = Vec::new();
    let mut stack: Vec<&Value> = blocks.iter().collect();
    let mut visited = 0;
    while let Some(v) = stack.pop() {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(o) => {
                let types = type_names(v);
                if let Some(rank) = ARTICLE_TYPES.iter().position(|t| types.iter().any(|x| x == t)) {
                    found.push((rank, v));
                }
                if let Some(g) = o.get("@graph") {
                    stack.push(g);
                }
                if let Some(m) = o.get("mainEntity") {
                    stack.push(m);
                }
            }
            _ => {}
        }
    }
    let webpage = ARTICLE_TYPES.len() - 1;
    found.iter().filter(|(r, _)| *r < webpage).min_by_key(|(r, _)| *r).or_else(|| found.first()).map(|(_, v)| *v)
}

/// Split a byline into names: "By A, B and C" gives three.
fn split_authors(s: &str) -> Vec<String> {
    let s = collapse(s);
    let s = s.trim();
    let s = match (s.get(..3), s.get(3..)) {
        (Some(by), Some(rest)) if by.eq_ignore_ascii_case("by ") => rest,
        _ => s,
    };
    if s.starts_with("http") || s.starts_with('@') || s.contains("://") {
        return Vec::new();
    }
    s.split([',', ';', '|'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .map(|p| p.trim().trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn clean_authors(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in names {
        if out.len() >= MAX_AUTHORS {
            break;
        }
        let n = collapse(&n);
        let words = n.split_whitespace().count();
        if n.is_empty() || n.contains('@') || n.contains("://") || words > 6 || !n.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        if seen.insert(n.to_ascii_lowercase()) {
            out.push(n);
        }
    }
    out
}

/// Resolve `href` against `base` (absolute, scheme-relative, root-relative or relative).
pub fn resolve_url(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = base?.trim();
    let (scheme, rest) = base.split_once("://")?;
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if href.starts_with('/') {
        return Some(format!("{scheme}://{host}{href}"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let sep = if dir.is_empty() { "" } else { "/" };
    Some(format!("{scheme}://{host}/{dir}{sep}{href}"))
}
