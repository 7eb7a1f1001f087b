use super::*;

#[test]
fn member_paths_that_leave_the_folder_are_refused() {
    assert_eq!(safe_member_path("a/b.txt"), Some(PathBuf::from("a/b.txt")));
    assert_eq!(safe_member_path("./a.txt"), Some(PathBuf::from("a.txt")));
    assert_eq!(safe_member_path("../evil.txt"), None);
    assert_eq!(safe_member_path("a/../../evil.txt"), None);
    assert_eq!(safe_member_path("/etc/passwd"), None);
    assert_eq!(safe_member_path(""), None);
}

#[test]
fn member_names_with_backslashes_or_colons_are_refused() {
    for name in [
        "..\\back.txt",
        "a\\..\\..\\b.txt",
        "C:\\w.txt",
        "C:w.txt",
        "a:b.txt",
    ] {
        assert_eq!(safe_member_path(name), None, "{name}");
    }
}

#[test]
fn the_output_folder_inside_an_input_folder_is_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    std::fs::create_dir_all(root.join("out")).unwrap();
    std::fs::write(root.join("a.txt"), "a").unwrap();
    std::fs::write(root.join("out/a.txt"), "old output").unwrap();
    let filter = Filter::new(&[], &[]).unwrap().skipping(&root.join("out"));
    let mut names = Vec::new();
    visit(&[root.clone()], &filter, &|_| Ok(true), &mut |found| {
        names.push(found.map(|a| a.rel_path).map_err(|e| e.reason))
    });
    assert_eq!(names, vec![Ok(PathBuf::from("a.txt"))]);
    let inputs = InputSet::new(&[root.clone()]);
    assert!(inputs.contains(&root.join("a.txt"), &filter));
    assert!(!inputs.contains(&root.join("out/a.txt"), &filter));
    assert!(!inputs.contains(&root.join("b.txt"), &filter), "not there");
}

#[test]
fn symlinks_out_of_the_folder_are_refused_and_inside_ones_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    std::fs::write(root.join("a.txt"), "a").unwrap();
    std::os::unix::fs::symlink("a.txt", root.join("b.txt")).unwrap();
    std::os::unix::fs::symlink("../secret.txt", root.join("c.txt")).unwrap();
    std::os::unix::fs::symlink("d.txt", root.join("d.txt")).unwrap();
    let mut seen = Vec::new();
    visit(&[root], &Filter::default(), &|_| Ok(true), &mut |found| {
        seen.push(match found {
            Ok(a) => format!(
                "{} {}",
                a.rel_path.display(),
                String::from_utf8_lossy(&a.bytes)
            ),
            Err(e) => format!(
                "{} refused",
                Path::new(&e.name).file_name().unwrap().to_string_lossy()
            ),
        })
    });
    assert_eq!(
        seen,
        ["a.txt a", "b.txt a", "c.txt refused", "d.txt refused"]
    );
}

#[test]
fn filter_takes_article_extensions_and_globs() {
    let f = Filter::new(&[], &["draft*".into()]).unwrap();
    assert!(f.accepts(Path::new("posts/a.md")));
    assert!(!f.accepts(Path::new("posts/a.png")));
    assert!(!f.accepts(Path::new("posts/draft-1.md")));
    let f = Filter::new(&["*.post".into()], &[]).unwrap();
    assert!(f.accepts(Path::new("x/y.post")));
    assert!(!f.accepts(Path::new("x/y.md")));
}
