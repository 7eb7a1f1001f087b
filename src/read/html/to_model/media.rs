//! Images (lazy loading, srcset), figures, embeds and link targets.

use super::flow::Flow;
use super::text::{normalize, trim_breaks};
use super::Mapper;
use crate::model::{inline_text, looks_like_hash_name, Block, Image, Inline};
use crate::read::html::dom::{Element, NodeId};
use url::Url;

/// Attributes lazy-loading scripts keep the real image source in.
const LAZY_SRC: &[&str] = &[
    "data-src",
    "data-original",
    "_src",
    "data-actualsrc",
    "data-lazy-src",
    "data-original-src",
    "data-url",
];

impl Mapper<'_, '_, '_> {
    pub(super) fn figure(&mut self, flow: &mut Flow, id: NodeId) {
        let mut image = None;
        let mut caption = Vec::new();
        let mut cur = self.dom.node(id).first_child();
        while let Some(n) = cur {
            let mut skip = false;
            if let Some(el) = self.dom.element(n) {
                match el.name.as_ref() {
                    "img" if image.is_none() => image = self.image(el),
                    "figcaption" => {
                        caption = self.inlines_of(n);
                        normalize(&mut caption, self.keep_all);
                        trim_breaks(&mut caption);
                        skip = true;
                    }
                    _ => {}
                }
            }
            cur = self.dom.next_in(id, n, skip);
        }
        match image {
            Some(mut image) => {
                alt_from_caption(&mut image, &caption);
                flow.block(Block::Figure { image, caption })
            }
            None => {
                self.children(flow, id);
                flow.flush();
            }
        }
    }

    pub(super) fn embed(&mut self, id: NodeId, el: &Element<'_>) -> Option<Block> {
        let mut src = ["src", "data-src", "data"]
            .iter()
            .find_map(|a| el.attr(a).filter(|s| !s.trim().is_empty()))
            .map(str::to_string);
        if src.is_none() {
            src = self.dom.children(id).find_map(|c| {
                let e = self.dom.element(c)?;
                (e.name == "source").then(|| e.attr("src").map(str::to_string))?
            });
        }
        let url = self.resolve(src?.trim())?;
        // An embed is kept as a link to what it showed: only a web page
        // (or a path on the article's own site).
        if !matches!(scheme(&url).as_deref(), None | Some("http" | "https")) {
            self.warn_at(id, "embedded frame or object with a non-web source dropped");
            return None;
        }
        // The URL itself is the label: an embed's title often repeats the
        // caption paragraph next to it.
        let title = el
            .attr("title")
            .map(str::to_string)
            .filter(|t| !t.trim().is_empty());
        Some(Block::Paragraph {
            content: vec![Inline::Link {
                url: url.clone(),
                title,
                content: vec![Inline::text(url)],
            }],
        })
    }

    /// The image an `img` shows, after lazy-loading and srcset.
    pub fn image(&self, el: &Element<'_>) -> Option<Image> {
        let usable = |s: &&str| {
            let s = s.trim();
            !s.is_empty() && !is_placeholder(s)
        };
        let src = LAZY_SRC
            .iter()
            .find_map(|a| el.attr(a).filter(usable))
            .map(str::to_string)
            .or_else(|| {
                ["srcset", "data-srcset"]
                    .iter()
                    .find_map(|a| el.attr(a).and_then(largest_candidate))
            })
            .or_else(|| el.attr("src").filter(usable).map(str::to_string))?;
        let src = self.resolve(src.trim())?;
        // Pictures come from the web, the article's folder or a data: image
        // (not SVG, which can carry script); nothing else reaches the model.
        let picture = match scheme(&src).as_deref() {
            None | Some("http" | "https") => true,
            Some("data") => {
                let head = src.get(..20).unwrap_or(&src).to_ascii_lowercase();
                head.starts_with("data:image/") && !head.starts_with("data:image/svg")
            }
            Some(_) => false,
        };
        if !picture {
            return None;
        }
        Some(Image {
            src,
            // A CMS that copies the file name into alt says nothing.
            alt: el
                .attr("alt")
                .map(|a| a.trim().to_string())
                .filter(|a| !looks_like_hash_name(a))
                .unwrap_or_default(),
            title: el
                .attr("title")
                .map(str::to_string)
                .filter(|t| !t.is_empty()),
        })
    }

    pub(super) fn link_url(&self, href: &str) -> Option<String> {
        let h = href.trim();
        // A huge target is an attack on memory, not a link (writers drop
        // it too): it is not copied into the model.
        if h.is_empty() || h.starts_with('#') || h.len() > crate::links::MAX_HREF_BYTES {
            return None;
        }
        // Script, data and local-file targets never reach the model (the
        // link's text stays); relative targets resolve against the base.
        match scheme(h).as_deref() {
            None | Some("http" | "https" | "ftp" | "mailto" | "tel") => self.resolve(h),
            Some(_) => None,
        }
    }

    /// `url` resolved against the base (see [`resolve_url`]).
    pub(super) fn resolve(&self, url: &str) -> Option<String> {
        resolve_url(self.base.as_ref(), url)
    }
}

/// `url` resolved against `base` (protocol-relative URLs get https without
/// one); None when it is empty. The Markdown reader resolves the same way.
pub(crate) fn resolve_url(base: Option<&Url>, url: &str) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    // Absolute URLs are kept as written (the common case; no parse).
    if has_scheme(url) {
        return Some(url.to_string());
    }
    match base {
        Some(base) => Some(
            base.join(url)
                .map_or_else(|_| url.to_string(), String::from),
        ),
        None if url.starts_with("//") => Some(format!("https:{url}")),
        None => Some(url.to_string()),
    }
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`, `data:`).
pub(super) fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The lowercase scheme of `url` as a browser reads it (tabs and newlines
/// removed, so `java&#x09;script:` is `javascript`), None when relative.
pub(super) fn scheme(url: &str) -> Option<String> {
    let head: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(40)
        .collect();
    has_scheme(&head).then(|| {
        let colon = head.find(':').unwrap_or(head.len());
        head[..colon].to_ascii_lowercase()
    })
}

/// A figure's image without a usable alt text says its caption.
pub(super) fn alt_from_caption(image: &mut Image, caption: &[Inline]) {
    if image.alt.is_empty() || looks_like_hash_name(&image.alt) {
        let text = inline_text(caption);
        image.alt = text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

/// A `data:` URI that is a lazy-loading placeholder (a gif or a tiny image).
pub(super) fn is_placeholder(src: &str) -> bool {
    let lower = src.get(..20).unwrap_or(src).to_ascii_lowercase();
    lower.starts_with("data:")
        && (lower.starts_with("data:image/gif")
            || lower.starts_with("data:image/svg")
            || src.len() < 512)
}

/// The largest candidate of a `srcset` (by width, else density).
pub(super) fn largest_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for cand in srcset.split(", ").flat_map(|c| c.split(',').next()) {
        let mut parts = cand.split_whitespace();
        let Some(url) = parts.next() else { continue };
        if is_placeholder(url) {
            continue;
        }
        let size = parts
            .next()
            .and_then(|d| {
                // The descriptor's last character is its unit (`w`, `x`);
                // anything else (a multibyte character) is no descriptor.
                let unit = d.chars().last()?;
                let n: f64 = d[..d.len() - unit.len_utf8()].parse().ok()?;
                Some(if unit == 'w' { n } else { n * 1000.0 })
            })
            .unwrap_or(1000.0);
        if best.is_none_or(|(b, _)| size > b) {
            best = Some((size, url));
        }
    }
    best.map(|(_, u)| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::largest_candidate;

    /// Found by the fuzz smoke run: a srcset descriptor ending in a
    /// multibyte character was split inside it (a panic).
    #[test]
    fn srcset_descriptor_ending_in_a_multibyte_character() {
        assert_eq!(
            largest_candidate("a.png 1280\u{fffd}, b.png 640w").as_deref(),
            Some("a.png")
        );
        assert_eq!(
            largest_candidate("a.png 320w, b.png 1280w").as_deref(),
            Some("b.png")
        );
    }
}
