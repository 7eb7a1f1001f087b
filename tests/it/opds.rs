//! The OPDS catalog (`conv --opds DIR`): books made by conv itself, the
//! catalog read back by a real feed parser (Python's feedparser) over
//! HTTP, and a book downloaded through its acquisition link.

use crate::common::have_tool;
use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::path::Path;

fn conv() -> Command {
    let mut cmd = Command::cargo_bin("conv").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Serves the folder on 127.0.0.1, checks every feed is well-formed XML,
/// walks the catalog from `opds/index.xml` with feedparser and downloads
/// every acquisition, cover and thumbnail link. Prints what it found as JSON.
const CRAWLER: &str = r#"
import functools, hashlib, http.server, json, os, sys, threading, urllib.request
import xml.etree.ElementTree as ET
import feedparser

root = sys.argv[1]
for folder, _, files in os.walk(os.path.join(root, "opds")):
    for f in files:
        if f.endswith(".xml"):
            ET.parse(os.path.join(folder, f))  # raises on ill-formed XML

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d/" % server.server_port

def fetch(url):
    with urllib.request.urlopen(url) as r:
        return r.read(), r.headers.get("Content-Type")

feeds, books, problems = {}, {}, []
queue = [base + "opds/index.xml"]
while queue:
    url = queue.pop(0)
    if url in feeds:
        continue
    d = feedparser.parse(url)
    if d.bozo:
        problems.append("%s: %s" % (url, d.bozo_exception))
    for key in ("id", "title", "updated"):
        if not d.feed.get(key):
            problems.append("%s: feed has no %s" % (url, key))
    feeds[url[len(base):]] = {"title": d.feed.get("title"), "entries": len(d.entries)}
    for e in d.entries:
        for key in ("id", "title", "updated"):
            if not e.get(key):
                problems.append("%s: entry has no %s" % (url, key))
        for link in e.get("links", []):
            rel, href = link.get("rel"), link.get("href")
            if rel == "subsection":
                queue.append(href)
            elif rel == "http://opds-spec.org/acquisition" and href not in books:
                body, _ = fetch(href)
                books[href] = {
                    "path": urllib.request.url2pathname(href[len(base):]),
                    "type": link.get("type"),
                    "title": e.get("title"),
                    "authors": [a.get("name") for a in e.get("authors", [])],
                    "language": e.get("dcterms_language") or e.get("dc_language"),
                    "sha256": hashlib.sha256(body).hexdigest(),
                    "images": {},
                }
                for other in e.get("links", []):
                    if other.get("rel", "").startswith("http://opds-spec.org/image"):
                        img, _ = fetch(other["href"])
                        books[href]["images"][other["rel"]] = [other.get("type"), len(img)]
print(json.dumps({"feeds": feeds, "books": books, "problems": problems}))
"#;

fn python_with_feedparser() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    have_tool("python3 with feedparser (pip install feedparser)", ok)
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A folder of books made by conv: an EPUB, a bundle, a PDF in a
/// subfolder, and a Kobo-named copy whose name needs percent-encoding.
fn books(dir: &Path) {
    conv()
        .args(["samples/sina-style.txt", "--offline", "-q", "-o"])
        .arg(dir.join("sina.epub"))
        .assert()
        .success();
    conv()
        .args(["samples/english-article.txt", "--offline", "-q", "-o"])
        .arg(dir.join("news/english.pdf"))
        .assert()
        .success();
    conv()
        .args(["samples", "--bundle", "--offline", "-q", "-o"])
        .arg(dir.join("bundle.epub"))
        .assert()
        .success();
    std::fs::copy(dir.join("sina.epub"), dir.join("周报 copy.kepub.epub")).unwrap();
}

#[test]
fn the_catalog_reads_in_feedparser_and_its_links_download_the_books() {
    if !python_with_feedparser() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    books(dir.path());
    conv().arg("--opds").arg(dir.path()).assert().success();
    let run = std::process::Command::new("python3")
        .args(["-c", CRAWLER])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "crawler failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(found["problems"], serde_json::json!([]), "{found:#}");
    let feeds = found["feeds"].as_object().unwrap();
    for feed in [
        "opds/index.xml",
        "opds/all.xml",
        "opds/dates.xml",
        "opds/sources.xml",
    ] {
        assert!(feeds.contains_key(feed), "{feed} not reached: {found:#}");
    }
    assert!(feeds.contains_key("opds/categories.xml"), "{found:#}");
    assert_eq!(feeds["opds/all.xml"]["entries"], 4);

    let books = found["books"].as_object().unwrap();
    assert_eq!(books.len(), 4, "{found:#}");
    let expect = [
        ("sina.epub", "application/epub+zip"),
        ("bundle.epub", "application/epub+zip"),
        ("news/english.pdf", "application/pdf"),
        ("周报 copy.kepub.epub", "application/kepub+zip"),
    ];
    for (file, media_type) in expect {
        let book = books
            .values()
            .find(|b| b["path"] == file)
            .unwrap_or_else(|| panic!("{file} not in the catalog: {found:#}"));
        assert_eq!(book["type"], media_type, "{file}");
        // The download is the very file.
        assert_eq!(book["sha256"], sha256(&dir.path().join(file)), "{file}");
    }
    let sina = books.values().find(|b| b["path"] == "sina.epub").unwrap();
    assert_eq!(sina["authors"], serde_json::json!(["示例财经"]));
    assert_eq!(sina["language"], "zh");
    let images = &sina["images"];
    assert_eq!(images["http://opds-spec.org/image"][0], "image/jpeg");
    assert_eq!(
        images["http://opds-spec.org/image/thumbnail"][0],
        "image/jpeg"
    );
    let pdf = books
        .values()
        .find(|b| b["path"] == "news/english.pdf")
        .unwrap();
    assert!(pdf["title"]
        .as_str()
        .unwrap()
        .starts_with("Patches Proposed"));
}

#[test]
fn a_broken_book_is_reported_by_name_and_the_rest_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    conv()
        .args(["samples/english-article.txt", "--offline", "-q", "-o"])
        .arg(dir.path().join("good.epub"))
        .assert()
        .success();
    std::fs::write(dir.path().join("bad.epub"), "not a zip").unwrap();
    std::fs::write(dir.path().join("bad.pdf"), "%PDF-1.4 nothing").unwrap();
    let run = conv().arg("--opds").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.epub") && stderr.contains("bad.pdf"),
        "{stderr}"
    );
    let all = std::fs::read_to_string(dir.path().join("opds/all.xml")).unwrap();
    assert_eq!(all.matches("<entry>").count(), 1, "{all}");
    assert!(all.contains("href=\"../good.epub\""), "{all}");
}

#[test]
fn a_second_catalog_drops_the_feeds_of_books_that_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    books(dir.path());
    conv()
        .arg("--opds")
        .arg(dir.path())
        .arg("-q")
        .assert()
        .success();
    let covers = |d: &Path| std::fs::read_dir(d.join("opds/covers")).map_or(0, |r| r.count());
    assert!(covers(dir.path()) >= 2);
    for file in ["sina.epub", "bundle.epub", "周报 copy.kepub.epub"] {
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    conv()
        .arg("--opds")
        .arg(dir.path())
        .arg("-q")
        .assert()
        .success();
    assert_eq!(covers(dir.path()), 0);
    let index = std::fs::read_to_string(dir.path().join("opds/all.xml")).unwrap();
    assert_eq!(index.matches("<entry>").count(), 1);
}
