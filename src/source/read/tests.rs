//! Tests of reading: regular files under the size cap, and reads confined to the repository.

use super::*;

#[test]
fn a_regular_file_is_read_whole_up_to_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, b"0123456789").unwrap();
    assert_eq!(read_regular_file(&path, 10).unwrap(), b"0123456789");
    let error = read_regular_file(&path, 9).unwrap_err();
    assert!(matches!(error, ReadError::TooLarge { size: Some(10), max: 9 }), "{error:?}");
    assert_eq!(error.to_string(), "file is 10 bytes, over the 9 bytes limit; not read");
    assert_eq!(read_regular_text(&path, 10).unwrap(), "0123456789");
}

#[test]
fn a_reused_buffer_is_appended_to_and_left_as_it_was_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t");
    std::fs::write(&path, b"abc").unwrap();
    let mut buffer = b"x".to_vec();
    read_regular_file_into(&path, 3, &mut buffer).unwrap();
    assert_eq!(buffer, b"xabc");
    assert!(read_regular_file_into(&path, 2, &mut buffer).is_err());
    assert_eq!(buffer, b"xabc");
}

#[cfg(unix)]
#[test]
fn devices_and_directories_are_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let error = read_regular_file(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
    assert_eq!(error.to_string(), "not a regular file (a character device); not read");
    let error = read_regular_file(dir.path(), MAX_FILE_BYTES).unwrap_err();
    assert_eq!(error.to_string(), "not a regular file (a directory); not read");
    // A link to a device is the device.
    let link = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    assert!(matches!(read_regular_file(&link, MAX_FILE_BYTES), Err(ReadError::NotRegular("a character device"))));
    // A FIFO with no writer is refused at once, not waited on: tests/hostile_templates.rs makes one.
    let error = read_regular_file(&dir.path().join("missing"), MAX_FILE_BYTES).unwrap_err();
    assert!(error.to_string().starts_with("cannot read: "), "{error}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_says_it_is_empty_is_still_cut_at_the_cap() {
    // `/proc` files report a size of 0 and then produce content: the cap applies to what is read.
    let error = read_regular_file(Path::new("/proc/self/maps"), 16).unwrap_err();
    assert!(matches!(error, ReadError::TooLarge { size: None, max: 16 }), "{error:?}");
    assert_eq!(error.to_string(), "file is over the 16 bytes limit; not read");
}

#[cfg(unix)]
#[test]
fn a_name_resolving_outside_the_root_is_refused_with_a_read_error() {
    let outside = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"s").unwrap();
    std::fs::write(root.path().join("in.json"), b"{}").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join("link.json")).unwrap();
    let repository = Repository::at(root.path());
    assert_eq!(repository.read_regular_file(&root.path().join("in.json"), 10).unwrap(), b"{}");
    let sibling = format!("../{}/secret", outside.path().file_name().unwrap().to_str().unwrap());
    // A name outside is refused alike whether or not it exists there: the answer says nothing of the machine.
    for name in ["link.json", sibling.as_str(), "../no-such-dir/missing", "/proc/self/environ"] {
        let path = root.path().join(name);
        let error = repository.read_regular_file(&path, 10).unwrap_err();
        assert!(matches!(error, ReadError::Outside(_)), "{name}: {error:?}");
        let shown = format!("outside the repository ({}); not read", repository.root().display());
        assert_eq!(error.to_string(), shown);
    }
    let error = repository.read_regular_file(&root.path().join("missing"), 10).unwrap_err();
    assert!(matches!(&error, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound), "{error:?}");
}

/// Inside a git work tree the repository is the work tree, wherever the working directory is.
#[test]
fn a_git_work_tree_is_the_repository() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join(".git")).unwrap();
    std::fs::create_dir_all(root.path().join("a/b")).unwrap();
    let canonical = std::fs::canonicalize(root.path()).unwrap();
    for cwd in [None, Some(root.path().join("a")), Some(PathBuf::from("/"))] {
        let found = Repository::holding_from(&root.path().join("a/b"), cwd.as_deref());
        assert_eq!(found.root(), canonical, "{cwd:?}");
    }
}

/// Outside any git tree the repository is the scanned directory: the working directory when the input lies
/// inside it, so a name may reach across the tree the user scans but not out of it; else the input's own
/// directory.
#[cfg(unix)]
#[test]
fn outside_a_git_tree_the_working_directory_or_else_the_inputs_directory_is_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    let scanned = outer.path().join("checkout");
    std::fs::create_dir_all(scanned.join("templates")).unwrap();
    std::fs::create_dir_all(scanned.join("definitions")).unwrap();
    std::fs::write(scanned.join("definitions/flow.json"), b"{}").unwrap();
    std::fs::write(outer.path().join("secret"), b"s").unwrap();
    if std::fs::canonicalize(outer.path()).unwrap().ancestors().any(|dir| dir.join(".git").exists()) {
        return; // The temporary directory is inside a git tree here: the case cannot be set up.
    }
    let templates = scanned.join("templates");
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap();
    // Run from the top of the checkout: the checkout is the repository.
    let from_top = Repository::holding_from(&templates, Some(&scanned));
    assert_eq!(from_top.root(), canonical(&scanned));
    assert_eq!(from_top.read_regular_file(&templates.join("../definitions/flow.json"), 10).unwrap(), b"{}");
    let error = from_top.read_regular_file(&templates.join("../../secret"), 10).unwrap_err();
    assert!(matches!(error, ReadError::Outside(_)), "{error:?}");
    // Run from elsewhere (the input is not under the working directory): only the input's own directory.
    for cwd in [Some(scanned.join("definitions")), None] {
        let elsewhere = Repository::holding_from(&templates, cwd.as_deref());
        assert_eq!(elsewhere.root(), canonical(&templates), "{cwd:?}");
        let error = elsewhere.read_regular_file(&templates.join("../definitions/flow.json"), 10).unwrap_err();
        assert!(matches!(error, ReadError::Outside(_)), "{error:?}");
    }
    // The parent of a bare file name is the empty path: the working directory.
    let here = std::env::current_dir().unwrap();
    assert_eq!(Repository::holding(Path::new("")), Repository::holding(Path::new(".")));
    assert!(canonical(&here).starts_with(Repository::holding(Path::new("")).root()));
}

#[test]
fn limits_are_written_in_whole_units() {
    assert_eq!(human(MAX_FILE_BYTES), "32 MiB");
    assert_eq!(human(64 * 1024), "64 KiB");
    assert_eq!(human(1000), "1000 bytes");
}

#[test]
fn a_file_inside_is_read_and_one_outside_is_refused_even_through_a_link() {
    let outer = tempfile::tempdir().expect("temp dir");
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("repo");
    std::fs::create_dir_all(repo.join("sub")).expect("sub");
    std::fs::write(outer.path().join("secret"), "TOKEN=hunter2").expect("secret");
    std::fs::write(repo.join("sub/ok.txt"), "fine").expect("ok");
    std::os::unix::fs::symlink(outer.path().join("secret"), repo.join("sub/link")).expect("link");
    let repository = Repository::holding(&repo.join("sub"));
    assert_eq!(repository.root(), std::fs::canonicalize(&repo).expect("canonical"));
    assert_eq!(repository.read_text(&repo.join("sub/ok.txt"), 100).expect("inside"), "fine");
    for path in [repo.join("sub/link"), repo.join("sub/../../secret"), PathBuf::from("/proc/self/environ")] {
        let refused = repository.read_text(&path, 100).expect_err("outside");
        assert!(matches!(refused, Refused::Outside(_)), "{path:?}: {refused:?}");
        assert!(!refused.message().contains("hunter2"));
    }
    // Missing inside: not found, not "outside"; missing beyond the root: outside.
    assert!(matches!(repository.read(&repo.join("sub/missing"), 100), Err(Refused::Unreadable(_))));
    assert!(matches!(repository.read(&repo.join("../nothing/here"), 100), Err(Refused::Outside(_))));
}

#[test]
fn only_regular_files_within_the_size_limit_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repository = Repository::at(Path::new("/"));
    assert!(repository.read(Path::new("/dev/zero"), 100).unwrap_err().message().contains("not a regular file"));
    assert!(repository.read(dir.path(), 100).unwrap_err().message().contains("not a regular file"));
    // A socket, like a FIFO, is refused without being opened (opening a FIFO with no writer would block).
    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
    assert!(read_regular(&socket, 100).unwrap_err().contains("not a regular file"));
    std::fs::write(dir.path().join("big"), vec![b'x'; 101]).expect("big");
    assert!(read_regular(&dir.path().join("big"), 100).unwrap_err().contains("over the 100-byte limit"));
    assert_eq!(read_regular(&dir.path().join("big"), 101).expect("at the limit").len(), 101);
}

#[test]
fn an_excerpt_is_one_line_cut_short() {
    assert_eq!(excerpt("one line"), "one line");
    assert_eq!(excerpt("first\nsecond"), "first [...]");
    let long = "x".repeat(500);
    assert_eq!(excerpt(&long), format!("{} [...]", "x".repeat(EXCERPT_CHARS)));
    assert_eq!(excerpt(""), "");
}
