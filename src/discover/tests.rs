//! Tests of discovery: walking, skipping, excludes and the paths reports show.

use super::*;

#[test]
fn absolute_from_a_known_working_directory_agrees_with_absolute() {
    let cwd = std::env::current_dir().unwrap();
    for path in ["a/b.json", "./a/../b/./c.yaml", "../x", "", ".", "/etc/../tmp/p.tf", "a//b"] {
        assert_eq!(absolute_from(Path::new(path), &cwd), absolute(Path::new(path)), "{path:?}");
    }
}

#[test]
fn walks_templates_and_skips_vendored_trees() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in [
        "a.yaml",
        ".ptlint.yaml",
        "b.tf.json",
        "c.txt",
        "main.tf",
        "prod.tfvars",
        "node_modules/x.json",
        "cdk.out/asset.123/y.json",
        "cdk.out/Stack.template.json",
        "sub/d.yml",
    ] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }
    let (files, errors) = discover(&[root.to_path_buf()], &Walk::default());
    assert!(errors.is_empty());
    let names: Vec<String> =
        files.iter().map(|c| c.path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")).collect();
    assert_eq!(names, ["a.yaml", "b.tf.json", "cdk.out/Stack.template.json", "main.tf", "prod.tfvars", "sub/d.yml"]);
    assert!(files.iter().all(|c| !c.explicit));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_deep_trees_do_not_recurse() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for _ in 0..300 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.yaml"), "{}").unwrap();
    std::fs::write(dir.path().join("real.json"), "{}").unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.json"), dir.path().join("link.json")).unwrap();
    let (files, errors) = discover(&[dir.path().to_path_buf()], &Walk::default());
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<_> = files.iter().map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["deep.yaml", "real.json"]);
}

#[test]
fn missing_path_is_an_error_and_named_files_are_explicit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.txt");
    std::fs::write(&file, "{}").unwrap();
    let (files, errors) = discover(&[file.clone(), dir.path().join("nope")], &Walk::default());
    assert_eq!(files.len(), 1);
    assert_eq!((&files[0].path, files[0].explicit), (&file, true));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("no such file"));
}

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }
    dir
}

fn names(dir: &Path, walk: &Walk) -> Vec<String> {
    let (files, errors) = discover(&[dir.to_path_buf()], walk);
    assert!(errors.is_empty(), "{errors:?}");
    files.iter().map(|c| c.path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/")).collect()
}

#[test]
fn ignore_files_are_honoured_unless_no_ignore() {
    let dir = tree(&["keep.json", "big/data.json", "gen/out.yaml", "sub/local.json", "sub/kept.yaml"]);
    std::fs::write(dir.path().join(".gitignore"), "big/\n").unwrap();
    std::fs::write(dir.path().join(".ignore"), "gen\n").unwrap();
    std::fs::write(dir.path().join("sub/.gitignore"), "local.json\n").unwrap();
    assert_eq!(names(dir.path(), &Walk::default()), ["keep.json", "sub/kept.yaml"]);
    let all = names(dir.path(), &Walk { no_ignore: true, ..Walk::default() });
    assert_eq!(all, ["big/data.json", "gen/out.yaml", "keep.json", "sub/kept.yaml", "sub/local.json"]);
}

#[test]
fn exclude_globs_match_names_anywhere_and_paths_from_their_base() {
    let dir = tree(&["a.json", "x/vendor/v.json", "legacy/old/o.yaml", "x/legacy/l.yaml", "b.bak.json"]);
    let patterns = ["vendor".to_string(), "legacy/**".to_string(), "*.bak.json".to_string()];
    let excludes = Excludes::new(dir.path(), &patterns).unwrap();
    let walk = Walk { excludes: vec![excludes.clone()], no_ignore: false };
    assert_eq!(names(dir.path(), &walk), ["a.json", "x/legacy/l.yaml"]);
    assert!(excludes.matches(&dir.path().join("legacy")));
    assert!(!excludes.matches(Path::new("/elsewhere/vendor/v.json")), "outside the base nothing matches");
    // Named files honour excludes too.
    let (files, _) = discover(&[dir.path().join("x/vendor/v.json")], &walk);
    assert!(files.is_empty());
    assert!(Excludes::new(dir.path(), &["a[".to_string()]).unwrap_err().contains("a["));
}

#[test]
fn synthesized_template_dirs_are_scanned_even_when_ignored() {
    let dir = tree(&[
        "app/cdk.json",
        "app/cdk.out/Stack.template.json",
        "app/cdk.out/asset.1/x.json",
        "tf/cdktf.json",
        "tf/cdktf.out/stacks/a/cdk.tf.json",
        "app/other/o.json",
        // Without an app file beside it, an ignored `cdk.out` stays ignored.
        "no-app/cdk.out/x.template.json",
    ]);
    std::fs::write(dir.path().join(".gitignore"), "cdk.out\ncdktf.out/\nother/\n").unwrap();
    assert_eq!(
        names(dir.path(), &Walk::default()),
        ["app/cdk.json", "app/cdk.out/Stack.template.json", "tf/cdktf.json", "tf/cdktf.out/stacks/a/cdk.tf.json"]
    );
    let excludes = vec![Excludes::new(dir.path(), &["cdk.out".to_string()]).unwrap()];
    assert_eq!(
        names(dir.path(), &Walk { excludes, no_ignore: false }),
        ["app/cdk.json", "tf/cdktf.json", "tf/cdktf.out/stacks/a/cdk.tf.json"]
    );
}

#[test]
fn named_files_are_read_even_when_ignored() {
    let dir = tree(&["ignored.json"]);
    std::fs::write(dir.path().join(".gitignore"), "ignored.json\n").unwrap();
    let (files, _) = discover(&[dir.path().join("ignored.json")], &Walk::default());
    assert_eq!(files.len(), 1);
    assert!(names(dir.path(), &Walk::default()).is_empty());
}
