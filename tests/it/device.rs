//! `--device` profiles from the command line: the seed (samples/) plus an
//! article whose pictures a 127.0.0.1 server serves (oversized photograph,
//! line art, animated GIF, WebP), built for every profile; each embedded
//! picture must fit the screen and be grey where the profile says so, and
//! the book must pass EPUBCheck.

use crate::epub_support::{epubcheck, unzip};
use assert_cmd::Command;
use image::{DynamicImage, GenericImageView, Rgb, RgbImage, Rgba, RgbaImage};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::TcpListener;
use std::path::Path;

fn conv() -> Command {
    let mut cmd = Command::cargo_bin("conv").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", "1700000000");
    cmd
}

/// (name, screen, grey) of every device profile but `generic`.
const DEVICES: &[(&str, (u32, u32), bool)] = &[
    ("kindle", (1236, 1648), true),
    ("kindle-scribe", (1860, 2480), true),
    ("kobo", (1264, 1680), true),
    ("kobo-color", (1264, 1680), false),
    ("koreader", (1072, 1448), true),
    ("remarkable", (1404, 1872), true),
    ("boox", (1404, 1872), false),
];

fn encoded(picture: DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// A photograph-like picture: smooth gradients with sensor-like noise (so
/// it is no smaller as PNG, nor as JPEG, than a real photograph).
fn photo(w: u32, h: u32) -> DynamicImage {
    let mut state: u32 = 0x9E37_79B9;
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        // xorshift32: noise without a pattern the encoders could exploit.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = state >> 28;
        let c = |v: u32| (v + noise).min(255) as u8;
        Rgb([c(x * 240 / w), c(y * 240 / h), c((x + y) * 120 / (w + h))])
    }))
}

fn line_art(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        if x % 40 < 3 || (x + y) % 97 < 2 {
            Rgb([180, 20, 20])
        } else {
            Rgb([255, 255, 255])
        }
    }))
}

fn animated_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        for c in [[250, 200, 0, 255], [0, 90, 250, 255]] {
            let frame = image::Frame::new(RgbaImage::from_pixel(320, 240, Rgba(c)));
            encoder.encode_frame(frame).expect("frame");
        }
    }
    out
}

/// Serves generated pictures on 127.0.0.1; returns the base URL.
fn serve_pictures() -> String {
    let routes: HashMap<&str, Vec<u8>> = HashMap::from([
        (
            "/photo.jpg",
            encoded(photo(3000, 2000), image::ImageFormat::Jpeg),
        ),
        (
            "/tall.png",
            encoded(photo(900, 3600), image::ImageFormat::Png),
        ),
        (
            "/line.png",
            encoded(line_art(2400, 1600), image::ImageFormat::Png),
        ),
        ("/anim.gif", animated_gif()),
        (
            "/wide.webp",
            encoded(photo(2200, 1100), image::ImageFormat::WebP),
        ),
    ]);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("/");
            let response = match routes.get(path) {
                Some(body) => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(body);
                    r
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    base
}

/// The seed (samples/ with its pictures) plus `remote.md`, whose pictures
/// come from the local server.
fn seed_with_remote_pictures(dir: &Path, base: &str) {
    let samples = dir.join("articles");
    std::fs::create_dir_all(samples.join("images")).unwrap();
    for entry in std::fs::read_dir("samples").unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, samples.join(path.file_name().unwrap())).unwrap();
        }
    }
    for entry in std::fs::read_dir("samples/images").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            samples.join("images").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let remote = format!(
        "---\ntitle: 远程图片\ndate: 2024-03-01\nauthor: 测试\n---\n\n\
         大照片：\n\n![照片]({base}/photo.jpg)\n\n长图：\n\n![长图]({base}/tall.png)\n\n\
         线稿：\n\n![线稿]({base}/line.png)\n\n动图：\n\n![动图]({base}/anim.gif)\n\n\
         WebP：\n\n![宽图]({base}/wide.webp)\n"
    );
    std::fs::write(samples.join("remote.md"), remote).unwrap();
    // Into the cache first: the seed's English article names pictures on
    // an unreachable host, and the first failed download makes a run
    // offline (then only the cache serves).
    conv()
        .arg(samples.join("remote.md"))
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .arg("-o")
        .arg(dir.join("warm.epub"))
        .assert()
        .success();
}

/// The pictures of an EPUB, by name.
fn pictures(epub: &[u8]) -> Vec<(String, Vec<u8>)> {
    unzip(epub)
        .files
        .into_iter()
        .filter(|(name, _)| {
            [".jpg", ".jpeg", ".png", ".gif"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect()
}

fn is_grey(picture: &DynamicImage) -> bool {
    picture.to_rgba8().pixels().all(|p| {
        let [r, g, b, _] = p.0;
        r.abs_diff(g) <= 3 && g.abs_diff(b) <= 3
    })
}

fn bundle(dir: &Path, out: &Path, extra: &[&str]) {
    let output = conv()
        .arg(dir.join("articles"))
        .args(["--bundle", "-o"])
        .arg(out)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("conv {extra:?}: {stderr}");
    assert!(output.status.success(), "conv {extra:?}: {stderr}");
    // Every served picture arrives (a warning would name the one missing).
    assert!(
        !stderr.contains("warning: image http://127.0.0.1"),
        "conv {extra:?}: {stderr}"
    );
}

/// Total bytes of the pictures of an EPUB.
fn picture_bytes(epub: &[u8]) -> usize {
    pictures(epub).iter().map(|(_, b)| b.len()).sum()
}

#[test]
fn every_profile_fits_grey_and_validates_the_seed_with_served_pictures() {
    let dir = tempfile::tempdir().unwrap();
    seed_with_remote_pictures(dir.path(), &serve_pictures());
    let plain = dir.path().join("generic.epub");
    bundle(dir.path(), &plain, &[]);
    let plain_bytes = std::fs::read(&plain).unwrap();
    let plain_pictures = pictures(&plain_bytes).len();
    for (file, bytes) in pictures(&plain_bytes) {
        eprintln!("generic: {file} {} B", bytes.len());
    }
    assert!(plain_pictures >= 7, "the seed's and the served pictures");
    eprintln!(
        "generic: book {} B, pictures {} B",
        plain_bytes.len(),
        picture_bytes(&plain_bytes)
    );
    for &(name, (sw, sh), grey) in DEVICES {
        let out = dir.path().join(format!("{name}.epub"));
        bundle(dir.path(), &out, &["--device", name]);
        let epub = std::fs::read(&out).unwrap();
        let pics = pictures(&epub);
        assert_eq!(pics.len(), plain_pictures, "{name}: every picture");
        for (file, bytes) in &pics {
            let picture = image::load_from_memory(bytes).expect(file);
            let (w, h) = picture.dimensions();
            assert!(w <= sw && h <= sh, "{name}: {file} is {w}x{h}");
            assert_eq!(is_grey(&picture), grey || is_grey(&picture), "{name}");
            if grey {
                assert!(is_grey(&picture), "{name}: {file} is not grey");
            }
            assert!(!file.ends_with(".gif") || !grey, "{name}: {file}");
        }
        if !grey {
            assert!(
                pics.iter()
                    .any(|(_, b)| !is_grey(&image::load_from_memory(b).unwrap())),
                "{name}: colour kept"
            );
        }
        eprintln!(
            "{name}: book {} B, pictures {} B",
            epub.len(),
            picture_bytes(&epub)
        );
        assert!(
            epub.len() < plain_bytes.len(),
            "{name}: smaller than generic"
        );
        send_to_kindle_basics(&epub, name);
        if let Some(report) = epubcheck(&epub, name) {
            report.assert_clean(name);
        }
    }
}

/// What Send-to-Kindle trips on (tests/it/epub_kindle.rs checks it in
/// depth): an XHTML file without the XML declaration, an `<img>` without
/// a source.
fn send_to_kindle_basics(epub: &[u8], name: &str) {
    for (file, bytes) in unzip(epub).files {
        if !file.ends_with(".xhtml") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.starts_with("<?xml"), "{name}: {file}");
        for img in text.split("<img").skip(1) {
            let tag = &img[..img.find('>').unwrap_or(img.len())];
            assert!(tag.contains(" src=\"images/"), "{name}: {file}: <img{tag}>");
        }
    }
}

#[test]
fn generic_is_byte_identical_to_no_device() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], out: &str| {
        let path = dir.path().join(out);
        conv()
            .args(["samples/rich-content.txt", "--offline", "-o"])
            .arg(&path)
            .args(extra)
            .assert()
            .success();
        std::fs::read(path).unwrap()
    };
    let without = run(&[], "a.epub");
    assert_eq!(without, run(&["--device", "generic"], "b.epub"));
    assert_eq!(
        run(&[], "a.pdf"),
        run(&["--device", "GENERIC"], "b.pdf"),
        "PDF too"
    );
}

#[test]
fn each_setting_yields_to_its_own_flag() {
    let dir = tempfile::tempdir().unwrap();
    seed_with_remote_pictures(dir.path(), &serve_pictures());
    let out = dir.path().join("k.epub");
    bundle(
        dir.path(),
        &out,
        &["--device", "kindle", "--colour", "--image-max", "500x400"],
    );
    let pics = pictures(&std::fs::read(&out).unwrap());
    // The cover has its own flag (--cover-size).
    let decoded: Vec<_> = pics
        .iter()
        .filter(|(name, _)| !name.contains("cover"))
        .map(|(_, b)| image::load_from_memory(b).unwrap())
        .collect();
    assert!(decoded
        .iter()
        .all(|p| p.width() <= 500 && p.height() <= 400));
    assert!(decoded.iter().any(|p| !is_grey(p)), "--colour wins");
    // --grey on a colour device.
    let out = dir.path().join("b.epub");
    bundle(dir.path(), &out, &["--device", "boox", "--grey"]);
    for (file, bytes) in pictures(&std::fs::read(&out).unwrap()) {
        assert!(is_grey(&image::load_from_memory(&bytes).unwrap()), "{file}");
    }
}

#[test]
fn device_list_and_bad_device_flags() {
    let out = conv().args(["--device", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, (w, h), _) in DEVICES {
        assert!(text.contains(name), "{name}");
        assert!(text.contains(&format!("{w}x{h}")), "{name}");
    }
    assert!(text.contains("generic"));
    for (args, says) in [
        (&["--device", "nook"][..], "--device: unknown device 'nook'"),
        (&["--jpeg-quality", "0"], "--jpeg-quality wants 1 to 100"),
        (&["--jpeg-quality", "101"], "--jpeg-quality wants 1 to 100"),
        (&["--image-max", "0x5"], "--image-max: cannot read '0x5'"),
        (&["--cover-size", "big"], "--cover-size: cannot read 'big'"),
        (&["--margin", "x"], "--margin: cannot read 'x'"),
        (&["--margin", "90"], "--margin wants"),
    ] {
        let out = conv()
            .arg("samples/plain-text.txt")
            .args(args)
            .args(["-o", "/dev/null", "-t", "txt"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn a_kobo_device_picks_kepub_only_when_the_format_is_not_named() {
    let dir = tempfile::tempdir().unwrap();
    // Many inputs, no -t: the device's flavour.
    conv()
        .args(["samples", "--offline", "-q", "--device", "kobo", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| n.ends_with(".kepub.epub")),
        "{names:?}"
    );
    // A name ending .epub wins, with a note.
    let out = conv()
        .args(["samples/plain-text.txt", "--device", "kobo", "-o"])
        .arg(dir.path().join("x.epub"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("*.kepub.epub"));
    let xhtml = unzip(&std::fs::read(dir.path().join("x.epub")).unwrap());
    assert!(!xhtml
        .files
        .values()
        .any(|f| f.windows(9).any(|w| w == b"koboSpan")));
    // -t epub wins over the flavour in bulk runs too.
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    conv()
        .args([
            "samples",
            "--offline",
            "-q",
            "--device",
            "kobo",
            "-t",
            "epub",
            "-o",
        ])
        .arg(&plain)
        .assert()
        .success();
    for entry in std::fs::read_dir(&plain).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".epub") && !name.ends_with(".kepub.epub"),
            "{name}"
        );
    }
}

#[test]
fn a_device_pdf_uses_the_device_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    conv()
        .args([
            "samples/rich-content.txt",
            "--offline",
            "--device",
            "remarkable",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let pdf = std::fs::read(&out).unwrap();
    // remarkable: 158×210 mm = 447.87×595.28 pt.
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("447.87") || text.contains("447.8"),
        "MediaBox"
    );
}

#[test]
fn max_size_shrinks_pictures_before_it_splits() {
    let dir = tempfile::tempdir().unwrap();
    seed_with_remote_pictures(dir.path(), &serve_pictures());
    let full = dir.path().join("full.epub");
    bundle(dir.path(), &full, &[]);
    let full_len = std::fs::metadata(&full).unwrap().len();
    // 80 % of the book: shrinking the pictures is enough, no split.
    let budget = full_len * 8 / 10;
    let out = dir.path().join("small.epub");
    bundle(dir.path(), &out, &["--max-size", &budget.to_string()]);
    let made: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("small"))
        .map(|e| (e.file_name(), e.metadata().unwrap().len()))
        .collect();
    eprintln!("full {full_len} B, budget {budget} B: {made:?}");
    let small = std::fs::read(&out).unwrap();
    eprintln!("--max-size {budget}: {full_len} B -> {} B", small.len());
    assert!((small.len() as u64) <= budget);
    assert!(!dir.path().join("small-2.epub").exists(), "not split");
    assert!(picture_bytes(&small) < picture_bytes(&std::fs::read(&full).unwrap()));
    if let Some(report) = epubcheck(&small, "shrunk") {
        report.assert_clean("shrunk");
    }
    // A budget no shrinking meets still splits, every book within it
    // where an article allows.
    let tiny = dir.path().join("tiny.epub");
    bundle(dir.path(), &tiny, &["--max-size", "60kB"]);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tiny"))
        .collect();
    assert!(names.len() > 1, "{names:?}");
}
