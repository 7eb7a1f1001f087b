//! Remote images served from a local HTTP server on 127.0.0.1 (never the
//! internet): JPEG, PNG, GIF and WebP are embedded (the WebP converted),
//! the cover is set, a broken URL becomes alt text and a warning while the
//! conversion succeeds, and the on-disk cache means each URL is fetched once.

use crate::common::WriteIn;
use crate::epub_support;

use conv::model::{Document, Metadata};
use conv::write::epub::EpubWriter;
use conv::{Options, Warnings};
use epub_support::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

type Hits = Arc<Mutex<HashMap<String, usize>>>;

/// Serves the fixture pictures; returns the base URL and the hit counts.
fn serve() -> (String, Hits) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits: Hits = Arc::default();
    let counter = hits.clone();
    let routes: HashMap<&str, (&str, Vec<u8>)> = HashMap::from([
        (
            "/cover.jpg",
            ("image/jpeg", picture_bytes(image::ImageFormat::Jpeg, false)),
        ),
        (
            "/a.jpg",
            ("image/jpeg", picture_bytes(image::ImageFormat::Jpeg, false)),
        ),
        (
            "/target.jpg",
            ("image/jpeg", picture_bytes(image::ImageFormat::Jpeg, false)),
        ),
        (
            "/b",
            ("image/png", picture_bytes(image::ImageFormat::Png, true)),
        ),
        // The server lies about the type: the bytes decide.
        (
            "/c.gif",
            (
                "application/octet-stream",
                picture_bytes(image::ImageFormat::Gif, false),
            ),
        ),
        (
            "/d.webp",
            ("image/webp", picture_bytes(image::ImageFormat::WebP, false)),
        ),
        (
            "/page.html",
            ("text/html", b"<html>not a picture</html>".to_vec()),
        ),
    ]);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
            *counter.lock().unwrap().entry(path.clone()).or_default() += 1;
            let response = match routes.get(path.as_str()) {
                Some((media_type, body)) => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(body);
                    r
                }
                None if path == "/redirect" => {
                    b"HTTP/1.1 302 Found\r\nLocation: /target.jpg\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
                }
                None if path == "/huge.jpg" => {
                    b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n\xff\xd8\xff".to_vec()
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    (base, hits)
}

fn article(base: &str) -> Document {
    Document {
        meta: Metadata {
            title: Some("远程图片".into()),
            authors: vec!["测试".into()],
            cover: Some(format!("{base}/cover.jpg")),
            ..Metadata::default()
        },
        blocks: vec![
            para(vec![text("四种格式的图片。")]),
            figure(&format!("{base}/a.jpg"), "JPEG", "照片"),
            figure(&format!("{base}/b"), "PNG", ""),
            figure(&format!("{base}/c.gif"), "GIF", ""),
            figure(&format!("{base}/d.webp"), "WebP", "转换后的 WebP"),
            figure(&format!("{base}/redirect"), "redirected", ""),
            figure(&format!("{base}/missing.png"), "丢失的图片", ""),
            figure(&format!("{base}/page.html"), "不是图片", ""),
            figure(&format!("{base}/huge.jpg"), "太大的图片", ""),
        ],
    }
}

#[test]
fn remote_images_are_embedded_converted_cached_and_broken_ones_become_alt_text() {
    let (base, hits) = serve();
    let cache = tempfile::tempdir().unwrap();
    let opts = Options {
        cache_dir: Some(cache.path().to_path_buf()),
        ..Options::default()
    };
    let doc = article(&base);
    let mut warnings = Warnings::new();
    let bytes = EpubWriter
        .write_in(&doc, &opts, None, &mut warnings)
        .expect("conversion succeeds");

    let messages: Vec<&str> = warnings
        .items()
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("/missing.png") && messages[0].contains("404"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("/page.html") && messages[1].contains("not a picture"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("/huge.jpg") && messages[2].contains("larger than"),
        "{}",
        messages[2]
    );

    let book = unzip(&bytes);
    let opf = book.text("OEBPS/content.opf");
    assert!(opf.contains("media-type=\"image/jpeg\" properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.jpg\""));
    for (href, media_type) in [
        ("images/img-001.jpg", "image/jpeg"),
        ("images/img-002.png", "image/png"),
        ("images/img-003.gif", "image/gif"),
        // The WebP, opaque, became a JPEG.
        ("images/img-004.jpg", "image/jpeg"),
    ] {
        assert!(
            opf.contains(&format!(
                "media-type=\"{media_type}\" id=\"id_{}\" href=\"{href}\"",
                href.replace('/', "_")
            )),
            "{href}"
        );
        let data = &book.files[&format!("OEBPS/{href}")];
        assert_eq!(
            conv::assets::media_type_of(data),
            Some(media_type),
            "{href}"
        );
    }
    assert!(!opf.contains("webp"));
    // The redirect leads to a copy of a.jpg: stored once, shown twice.
    assert!(!opf.contains("img-005"));
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    assert_eq!(chapter.matches("<img ").count(), 5);
    assert_eq!(chapter.matches("src=\"images/img-001.jpg\"").count(), 2);
    for alt in ["丢失的图片", "不是图片", "太大的图片"] {
        assert!(
            chapter.contains(&format!("<p class=\"image-missing\">{alt}</p>")),
            "{alt}"
        );
    }
    if let Some(report) = epubcheck(&bytes, "remote-images") {
        report.assert_clean("remote-images");
    }

    // A second run (another process in a bulk run) uses the cache: the
    // pictures are not fetched again, and the book is the same.
    let fetched_once: HashMap<String, usize> = hits.lock().unwrap().clone();
    let served = [
        "/cover.jpg",
        "/a.jpg",
        "/b",
        "/c.gif",
        "/d.webp",
        "/redirect",
        "/target.jpg",
    ];
    for path in served {
        assert_eq!(fetched_once.get(path), Some(&1), "{path}");
    }
    let again = EpubWriter
        .write_in(&doc, &opts, None, &mut Warnings::new())
        .unwrap();
    assert_eq!(again, bytes);
    for path in served {
        assert_eq!(
            hits.lock().unwrap().get(path),
            Some(&1),
            "{path} fetched twice"
        );
    }
    // What failed is remembered per run (in the session), not per
    // process: the second run tried the missing picture once more.
    assert_eq!(hits.lock().unwrap().get("/missing.png"), Some(&2));

    // Offline, the cache still serves; nothing reaches the server.
    let before: usize = hits.lock().unwrap().values().sum();
    let offline = Options {
        offline: true,
        ..opts.clone()
    };
    let mut warnings = Warnings::new();
    let cached = EpubWriter
        .write_in(&doc, &offline, None, &mut warnings)
        .unwrap();
    assert_eq!(unzip(&cached).names, book.names);
    assert_eq!(hits.lock().unwrap().values().sum::<usize>(), before);
    assert!(warnings
        .items()
        .iter()
        .all(|w| w.message.contains("offline")));
}
