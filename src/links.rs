//! Which link targets a book may carry, decided once for every writer: an
//! article is untrusted input, and a link in an EPUB or a PDF is something
//! a reader taps.

/// Longest link target kept, in bytes. Real URLs are far shorter; a huge
/// `href` is an attack on memory, not a link.
pub const MAX_HREF_BYTES: usize = 8 * 1024;

/// A link target kept in a book: absolute `http`, `https`, `ftp` URLs with a
/// host and `mailto:` URLs with an address, normalised (percent-encoded) so
/// EPUBCheck accepts them. Everything else (`javascript:`, `data:`,
/// `file:`, `vbscript:`, relative paths and fragments that point into the
/// source site, over-long targets) is dropped and the link's text stays.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    if url.len() > MAX_HREF_BYTES {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    match parsed.scheme() {
        "http" | "https" | "ftp" => {
            parsed.host_str().filter(|h| !h.is_empty())?;
        }
        "mailto" => {
            let address = parsed.path();
            let (user, host) = address.split_once('@')?;
            let bad =
                |s: &str| s.is_empty() || s.contains("%20") || s.contains(char::is_whitespace);
            if bad(user) || bad(host) {
                return None;
            }
        }
        _ => return None,
    }
    Some(fix_stray_percents(&parsed.to_string()))
}

/// `%` not followed by two hex digits written as `%25`: the URL parser
/// keeps `http://x/%zz` as it is, and EPUBCheck rejects such a link.
fn fix_stray_percents(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        let escape = c == '%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if escape {
            out.push_str("%25");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_links_are_kept_normalised() {
        assert_eq!(
            safe_href(" https://example.com/a b ").as_deref(),
            Some("https://example.com/a%20b")
        );
        assert_eq!(safe_href("mailto:a@b.c").as_deref(), Some("mailto:a@b.c"));
        assert_eq!(safe_href("ftp://x.org/f").as_deref(), Some("ftp://x.org/f"));
    }

    #[test]
    fn script_data_file_and_odd_links_are_dropped() {
        for bad in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            "mailto:",
            "mailto:a b@c",
            "/relative",
            "#fn1",
            "http://",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn stray_percent_signs_are_escaped() {
        assert_eq!(safe_href("http://x/%zz").as_deref(), Some("http://x/%25zz"));
        assert_eq!(
            safe_href("http://x/a%2Fb%").as_deref(),
            Some("http://x/a%2Fb%25")
        );
        assert_eq!(
            safe_href("http://x/?q=100%").as_deref(),
            Some("http://x/?q=100%25")
        );
    }

    #[test]
    fn huge_hrefs_are_dropped() {
        let long = format!("https://example.com/{}", "a".repeat(300_000));
        assert_eq!(safe_href(&long), None);
    }
}
