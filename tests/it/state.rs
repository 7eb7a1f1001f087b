//! New-only bundles (`--state FILE`): successive runs over a growing folder,
//! renamed and syndicated copies, and runs that fail or are killed.

use assert_cmd::Command;
use std::path::Path;

fn conv() -> Command {
    let mut cmd = Command::cargo_bin("conv").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Writes article `n` (its own URL and body) as `dir/name`.
fn article(dir: &Path, name: &str, n: usize, url: &str) {
    let text = format!(
        "---\ntitle: Story {n}\ndate: 2024-03-{day:02}\nlink: {url}\n---\n\
         <p>Story number {n} begins here, with words of its own: {n} {n}.</p>\n\
         <p>It ends as story {n} should.</p>\n",
        day = n % 28 + 1
    );
    std::fs::write(dir.join(name), text).unwrap();
}

/// Runs a JSON bundle of `input` with `state` and returns the titles in it.
fn bundle_titles(input: &Path, state: &Path, out: &Path) -> Vec<String> {
    conv()
        .arg(input)
        .args(["--bundle", "--offline", "-q", "--group-by", "none", "-o"])
        .arg(out)
        .arg("--state")
        .arg(state)
        .assert()
        .success();
    let book: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    let mut titles: Vec<String> = book["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["articles"].as_array().unwrap().iter())
        .map(|a| a["meta"]["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn the_second_state_run_holds_exactly_the_new_articles() {
    let input = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("state.json");
    for n in 1..=3 {
        article(
            input.path(),
            &format!("{n}.md"),
            n,
            &format!("https://news.example/{n}"),
        );
    }
    let first = bundle_titles(input.path(), &state, &work.path().join("week1.json"));
    assert_eq!(first, ["Story 1", "Story 2", "Story 3"]);

    // The folder grows: two new articles, and old ones again under other names.
    for n in 4..=5 {
        article(
            input.path(),
            &format!("{n}.md"),
            n,
            &format!("https://news.example/{n}"),
        );
    }
    // Renamed file, same URL written differently (tracking, case, slash).
    article(
        input.path(),
        "renamed-copy.md",
        1,
        "HTTPS://News.Example/1/?utm_source=feed",
    );
    // Syndicated under another file name, title and URL: same text.
    let syndicated = std::fs::read_to_string(input.path().join("2.md"))
        .unwrap()
        .replace("title: Story 2", "title: Reprinted story")
        .replace("https://news.example/2", "https://mirror.example/x/77");
    std::fs::write(input.path().join("zz-mirror.md"), syndicated).unwrap();

    let second = bundle_titles(input.path(), &state, &work.path().join("week2.json"));
    assert_eq!(second, ["Story 4", "Story 5"]);

    // Nothing new: no book, and the state stays as it was.
    let before = std::fs::read(&state).unwrap();
    conv()
        .arg(input.path())
        .args(["--bundle", "--offline", "-q", "-o"])
        .arg(work.path().join("week3.json"))
        .arg("--state")
        .arg(&state)
        .assert()
        .code(1);
    assert!(!work.path().join("week3.json").exists());
    assert_eq!(std::fs::read(&state).unwrap(), before);
}

#[test]
fn a_run_that_cannot_write_its_book_leaves_the_state_file_as_it_was() {
    let input = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("state.json");
    article(input.path(), "1.md", 1, "https://news.example/1");
    bundle_titles(input.path(), &state, &work.path().join("a.json"));
    let before = std::fs::read(&state).unwrap();

    article(input.path(), "2.md", 2, "https://news.example/2");
    // The output's folder is a file: the run fails after selection, at the write.
    std::fs::write(work.path().join("not-a-folder"), "x").unwrap();
    let failed = conv()
        .arg(input.path())
        .args(["--bundle", "--offline", "-q", "-o"])
        .arg(work.path().join("not-a-folder/b.json"))
        .arg("--state")
        .arg(&state)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(stderr.contains("not-a-folder"), "{stderr}");
    assert_eq!(std::fs::read(&state).unwrap(), before);
    // The next good run still brings the article the failed one missed.
    let next = bundle_titles(input.path(), &state, &work.path().join("c.json"));
    assert_eq!(next, ["Story 2"]);
}

#[test]
fn kill_9_during_a_state_run_leaves_the_state_file_as_it_was() {
    let input = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let state = work.path().join("state.json");
    article(input.path(), "0.md", 0, "https://news.example/0");
    bundle_titles(input.path(), &state, &work.path().join("a.json"));
    let before = std::fs::read(&state).unwrap();
    for n in 1..=3000 {
        article(
            input.path(),
            &format!("{n}.md"),
            n,
            &format!("https://news.example/{n}"),
        );
    }
    let book = work.path().join("big.epub");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("conv"))
        .arg(input.path())
        .args(["--bundle", "--offline", "-q", "-j", "1", "-o"])
        .arg(&book)
        .arg("--state")
        .arg(&state)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be killed; make the folder larger"
    );
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(!book.exists());
    assert_eq!(std::fs::read(&state).unwrap(), before);
}
