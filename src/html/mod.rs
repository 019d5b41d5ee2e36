//! HTML pages to article text and metadata.
//!
//! [`extract`] parses a page with html5ever's WHATWG tree builder into an arena ([`dom`],
//! bounded by [`Limits`]), reads its metadata
//! ([`meta`]: title, authors, publication date, site name, canonical URL) and pulls out
//! the main article text ([`content`]: navigation, ads, related links, comments, cookie
//! banners and captions removed; paragraphs separated by blank lines).

// Byte-range slicing of `&str` can land inside a char and panic: use `get`, `split_once`
// and friends in this module tree.
#![warn(clippy::string_slice)]

pub mod charset;
pub mod content;
pub mod dom;
pub mod meta;

pub use dom::Limits;

/// What [`extract`] finds in a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The article body, paragraphs separated by `"\n\n"`.
    pub text: String,
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// The publication date as written in the page (parse it with
    /// `nlp::dates::parse_published`).
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    /// The page hit a parse bound ([`Limits`]): deep nesting was flattened or tags past
    /// the node bound were dropped, so the text may be less well cut.
    pub truncated: bool,
}

/// Extract the article text and metadata of an HTML page. `url` (where the page came from)
/// resolves a relative canonical link.
pub fn extract(html: &str, url: Option<&str>) -> HtmlArticle {
    extract_with(html, url, Limits::default())
}

/// [`extract`] with explicit parse bounds.
pub fn extract_with(html: &str, url: Option<&str>, limits: Limits) -> HtmlArticle {
    let dom = dom::Dom::parse_with(html, limits);
    let m = meta::read(&dom, url);
    let text = content::article_text(&dom, m.title.as_deref());
    HtmlArticle {
        text,
        title: m.title,
        authors: m.authors,
        published: m.published,
        site_name: m.site_name,
        canonical_url: m.canonical_url,
        truncated: dom.truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Storm hits coast | The Daily Example</title>
<meta property="og:title" content="Storm hits coast">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-03-05T08:30:00Z">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="/news/storm-hits-coast">
<script>var tracking = "<p>not text</p>";</script>
<style>p { color: red }</style>
</head><body>
<div id="cookie-banner"><p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p><button>Accept</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main>
<article>
<h1>Storm hits coast</h1>
<div class="byline">By Jane Doe</div>
<figure><img src="a.jpg"><figcaption>Waves crash over the harbour wall on Tuesday. Photo: Reuters</figcaption></figure>
<p>A powerful storm struck the northern coast on Tuesday, cutting power to thousands of homes and forcing the closure of several major roads.</p>
<p>Emergency services said they had received more than 400 calls overnight, most of them about fallen trees and flooded basements.</p>
<div class="ad-slot">Advertisement</div>
<p>The weather office expects the wind to ease by Thursday, although heavy rain is likely to continue through the weekend in some areas.</p>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Flood warnings issued across the region</a></li><li><a href="/y">How to prepare your home for a storm</a></li></ul></aside>
</article>
<section id="comments"><h2>Comments</h2><p>This is terrible, when will the council finally fix the drains on my street?</p></section>
</main>
<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"#;

    #[test]
    fn article_text_without_boilerplate() {
        let a = extract(PAGE, Some("https://example.com/news/storm-hits-coast?ref=rss"));
        let paragraphs: Vec<&str> = a.text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 3, "{}", a.text);
        assert!(paragraphs[0].starts_with("A powerful storm struck"));
        assert!(paragraphs[2].ends_with("in some areas."));
        for junk in [
            "cookies",
            "Home",
            "Related",
            "Flood warnings",
            "Advertisement",
            "Comments",
            "drains",
            "Copyright",
            "Waves crash",
            "By Jane Doe",
            "not text",
            "color",
        ] {
            assert!(!a.text.contains(junk), "{junk:?} in {}", a.text);
        }
    }

    #[test]
    fn metadata_from_meta_tags() {
        let a = extract(PAGE, Some("https://example.com/news/storm-hits-coast?ref=rss"));
        assert_eq!(a.title.as_deref(), Some("Storm hits coast"));
        assert_eq!(a.authors, ["Jane Doe"]);
        assert_eq!(a.published.as_deref(), Some("2024-03-05T08:30:00Z"));
        assert_eq!(a.site_name.as_deref(), Some("The Daily Example"));
        assert_eq!(a.canonical_url.as_deref(), Some("https://example.com/news/storm-hits-coast"));
    }

    #[test]
    fn metadata_from_json_ld_and_time() {
        let html = r#"<html><head><title>Talks resume - Example News</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example News"},
{"@type":"NewsArticle","headline":"Talks resume in Geneva","datePublished":"2024-06-01T12:00:00+02:00",
"author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}],
"publisher":{"@type":"Organization","name":"Example News"},"url":"https://news.example.org/talks"}]}</script>
</head><body><div class="story"><time datetime="2024-05-31">May 31</time>
<p>Negotiators returned to Geneva on Saturday for a new round of talks aimed at ending the dispute over fishing rights.</p>
<p>Both delegations said they were cautiously optimistic, but warned that several issues remained unresolved.</p></div></body></html>"#;
        let a = extract(html, None);
        assert_eq!(a.title.as_deref(), Some("Talks resume in Geneva"));
        assert_eq!(a.authors, ["Ann Lee", "Bo Chen"]);
        assert_eq!(a.published.as_deref(), Some("2024-06-01T12:00:00+02:00"));
        assert_eq!(a.site_name.as_deref(), Some("Example News"));
        assert_eq!(a.canonical_url.as_deref(), Some("https://news.example.org/talks"));
        assert!(a.text.starts_with("Negotiators returned") && a.text.contains("\n\nBoth delegations"), "{}", a.text);

        // Only a <time datetime> and a byline.
        let html = r#"<body><article><p class="byline">By Max Mustermann and Erika Muster</p><time datetime="2023-11-02T09:00:00Z">2 Nov</time>
<p>The city council approved the new budget late on Wednesday after a debate that lasted nearly nine hours.</p></article></body>"#;
        let a = extract(html, None);
        assert_eq!(a.published.as_deref(), Some("2023-11-02T09:00:00Z"));
        assert_eq!(a.text, "The city council approved the new budget late on Wednesday after a debate that lasted nearly nine hours.");
    }

    #[test]
    fn teaser_lists_and_link_lists_left_out() {
        let mut html = String::from("<body><div class='main'><article class='post'>");
        for i in 0..4 {
            html.push_str(&format!(
                "<p>Paragraph {i} of the story explains in some detail what happened at the meeting and why it matters to residents.</p>"
            ));
        }
        html.push_str("</article><div class='more'>");
        for i in 0..5 {
            html.push_str(&format!("<div class='card'><h3><a href='/s{i}'>Another headline number {i} here</a></h3><p>A short summary of another story that lives on its own page, number {i}.</p></div>"));
        }
        html.push_str("</div></div></body>");
        let a = extract(&html, None);
        assert_eq!(a.text.split("\n\n").count(), 4, "{}", a.text);
        assert!(!a.text.contains("summary"));
    }

    #[test]
    fn legacy_reference_in_a_url_attribute_stays_literal() {
        // `&reg` without `;` before `=` is text in an attribute (WHATWG), not `®`: decoding
        // it would change the canonical URL and so the article id.
        let html = r#"<html><head><link rel="canonical" href="https://example.com/a?x=1&reg=us&amp;y=2"></head>
<body><p>Text &reg; here&copy 2024 &NotEqualTilde; &Bopf;</p></body></html>"#;
        let a = extract(html, None);
        assert_eq!(a.canonical_url.as_deref(), Some("https://example.com/a?x=1&reg=us&y=2"));
        assert_eq!(a.text, "Text \u{ae} here\u{a9} 2024 \u{2242}\u{338} \u{1d539}");
        assert!(!a.truncated);
    }

    #[test]
    fn bounds_flag_the_page() {
        let mut html = String::from("<body><article>");
        html.push_str(&"<div>".repeat(5_000));
        html.push_str(
            "<p>The council approved the budget on Wednesday after a long debate about the harbour, the schools and the roads.</p>",
        );
        let a = extract(&html, None);
        assert!(a.truncated);
        assert!(a.text.contains("The council approved"), "{}", a.text);
        let a = extract_with(&"<p>word</p>".repeat(1_000), None, Limits { max_depth: 64, max_nodes: 100 });
        assert!(a.truncated);
    }

    #[test]
    fn hostile_pages_stay_fast() {
        // Each case once copied or compared text per ancestor or per pair: nested boilerplate
        // inline elements over a big text, nested author elements, a huge JSON-LD author list.
        let big = "The committee met again on Tuesday to discuss the harbour plan in detail. ".repeat(30_000);
        let authors: Vec<String> = (0..50_000).map(|i| format!("{{\"name\":\"Author Number{i}\"}}")).collect();
        let pages = [
            format!("<body><p>{}{big}</p>", "<span class='share'>".repeat(250)),
            format!("<body>{}{big}", "<div itemprop='author'>".repeat(250)),
            format!(
                "<head><script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\"author\":[{}]}}</script></head><body><p>{big}</p>",
                authors.join(",")
            ),
        ];
        for page in &pages {
            let t = std::time::Instant::now();
            let a = extract(page, None);
            assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
            assert!(a.authors.len() <= 50);
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in ["", "plain text, no tags", "<html>", "<body><p>x", "<<<>>>", "<p>&#x110000; &#0; &"] {
            let _ = extract(s, Some("not a url"));
        }
    }
}
