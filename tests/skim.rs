//! The YAML skim's promise: a file it accepts reads exactly as the full reader reads it (well formed, and an empty
//! template or no template at all), checked on every YAML file of the repository, real templates, and mutations.

use ptlint::model::{Document, Format};
use ptlint::source::yaml::parse_yaml;
use ptlint::source::yaml::skim::skim;
use ptlint::source::{could_matter, read_document, read_named_document};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => yaml_files_under(&path, out),
            Ok(t) if t.is_file() && matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) => {
                out.push(path)
            }
            _ => {}
        }
    }
}

/// Every YAML text the checks run on: the repository's fixtures, examples and test data, and, for a longer run,
/// the directories in `PTLINT_SKIM_DIRS` (separated by `:`).
fn texts() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in ["fixtures", "examples", "tests/data"] {
        yaml_files_under(&root().join(dir), &mut files);
    }
    for dir in std::env::var("PTLINT_SKIM_DIRS").unwrap_or_default().split(':').filter(|d| !d.is_empty()) {
        yaml_files_under(Path::new(dir), &mut files);
    }
    files.sort();
    let mut texts: Vec<(PathBuf, String)> =
        files.into_iter().filter_map(|f| Some((f.clone(), std::fs::read_to_string(&f).ok()?))).collect();
    texts.sort_by(|a, b| a.1.cmp(&b.1));
    texts.dedup_by(|a, b| a.1 == b.1);
    texts
}

/// The promise itself, for one text: if the skim accepts it, the full reader parses it without error; and when the
/// prefilter finds none of its words (the only files the skim is used on), the full reader reads it as the empty
/// template (or non-template) the skim says it is, and reading it as a named file gives the same.
fn check(what: &str, text: &str) -> bool {
    let Some(skimmed) = skim(text) else { return false };
    if let Err(error) = parse_yaml(text) {
        panic!("{what}: the skim accepts it, the full reader says {error:?}\n{text}");
    }
    if could_matter(text.as_bytes()) {
        return false;
    }
    let expected = Ok(skimmed.cloudformation.then(|| Document::empty(Format::CloudFormationYaml)));
    assert_eq!(read_document("skimmed.yaml", text, None), expected, "{what}: the skim says {skimmed:?}\n{text}");
    assert_eq!(read_named_document("skimmed.yaml", text, None), expected, "{what}");
    true
}

/// A small deterministic generator (xorshift), so every run checks the same mutations.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// One edit of the kind that breaks YAML or changes its meaning: a byte deleted or inserted, a line re-indented,
/// deleted, doubled, moved, or copied from elsewhere (a duplicate key).
fn mutate(text: &str, random: &mut Random) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return "a: b\n".to_string();
    }
    let line = random.below(lines.len());
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match random.below(8) {
        0 | 1 => {
            // An inserted or deleted byte, at a character boundary.
            let mut at = random.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            const INSERTS: &[&str] = &[
                " ", ":", "-", "#", "\"", "'", "[", "]", "{", "}", ",", "|", ">", "!", "&", "*", "?", "\n", "a", "\\",
                "%", "@", ".", "- ", ": ", "\n  ", "!Ref ", "~", "<<: ", "\u{85}", "\t", "\r", "---\n",
            ];
            let mut s = text.to_string();
            if random.below(2) == 0 {
                s.insert_str(at, INSERTS[random.below(INSERTS.len())]);
            } else if let Some(c) = s.get(at..).and_then(|r| r.chars().next()) {
                s.replace_range(at..at + c.len_utf8(), "");
            }
            return s;
        }
        2 => out[line] = format!(" {}", out[line]),
        3 => out[line] = format!("  {}", out[line]),
        4 => out[line] = out[line].strip_prefix(' ').unwrap_or(&out[line]).to_string(),
        5 => {
            out.remove(line);
        }
        6 => {
            let copy = out[random.below(lines.len())].clone();
            out.insert(line, copy);
        }
        _ => {
            let other = random.below(lines.len());
            out.swap(line, other);
        }
    }
    out.concat()
}

#[test]
fn what_the_skim_accepts_the_full_reader_reads_the_same() {
    let texts = texts();
    assert!(texts.len() > 100, "only {} YAML files", texts.len());
    let mutants: usize = std::env::var("PTLINT_SKIM_MUTANTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let mut random = Random(0x5eed_7074_6c69_6e74);
    let (mut accepted, mut mutants_accepted) = (0, 0);
    for (path, text) in &texts {
        let name = path.display().to_string();
        accepted += usize::from(check(&name, text));
        for i in 0..mutants {
            let mut mutant = mutate(text, &mut random);
            for _ in 0..random.below(3) {
                mutant = mutate(&mutant, &mut random);
            }
            mutants_accepted += usize::from(check(&format!("{name}, mutation {i}"), &mutant));
        }
    }
    // The check is only worth something if the skim accepts a good share: the real templates are most of them.
    assert!(accepted >= 50, "the skim accepted only {accepted} of {} files", texts.len());
    assert!(mutants_accepted * 20 >= texts.len() * mutants, "only {mutants_accepted} mutations accepted");
}

/// Accepted: each is checked against the full reader as above, and gives the verdict the skim says.
#[test]
fn the_skim_accepts_templates_as_they_are_written() {
    let template = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";
    let cases: &[(&str, bool)] = &[
        (template, true),
        ("---\n# a comment\nResources:\n  Q:\n    Type: AWS::SQS::Queue # trailing\n", true),
        ("Resources: {}\n", true),
        ("Resources:\n", false),
        ("name: web\nversion: 2\n", false),
        // Sequences: compact, nested on one line, mappings in entries, empty entries.
        ("Resources:\n  R:\n    Type: T\n    Properties:\n      L:\n      - a\n      - - b\n        - c\n      - k: v\n        j: w\n      -\n", true),
        // Short forms, on scalars, on nothing, on collections below, and other tools' tags.
        ("Resources:\n  R:\n    Type: T\n    Properties:\n      A: !Ref X\n      Z: !GetAZs\n      J: !Join\n        - ''\n        - [a, !Ref B]\n      C: !Rain::Embed code.py\n", true),
        // Quoted scalars with their own escapes; block scalars.
        ("Resources:\n  R:\n    Type: T\n    Properties:\n      D: \"line\\none \\\"q\\\"\"\n      S: 'it''s \\ literal'\n      B: |\n        echo hi\n\n        # not a comment\n      F: >-\n        folded\n", true),
        // Flow collections on one line.
        ("Resources:\n  R:\n    Type: T\n    Properties:\n      M: {Ref: X, \"Fn::GetAtt\": [A, B]}\n      E: []\n", true),
        // Keys as real templates write them.
        ("Resources:\n  R:\n    Type: T\n    Metadata:\n      02_config: x\n      /etc/cfn/cfn-hup.conf: y\n      Bucket${Name}: z\n      $schema: s\n", true),
    ];
    for (text, cloudformation) in cases {
        assert_eq!(skim(text).map(|s| s.cloudformation), Some(*cloudformation), "{text}");
        assert!(check("case", text), "{text}");
    }
}

/// Left to the full reader: what the skim cannot vouch for, whether broken or merely outside its subset.
#[test]
fn the_skim_leaves_the_rest_to_the_full_reader() {
    let cases = [
        "Resources:\n  A:\n    Type: T\n  \"A\":\n    Type: T\n",
        "Resources:\n  A: &x\n    Type: T\n  B: *x\n",
        "Resources:\n  A:\n\tType: T\n",
        "Resources:\r\n  A:\r\n    Type: T\r\n",
        "Resources:\n  A:\n    Type: \"\\x41\"\n",
        "Description: one\n  two\nResources: {}\n",
        "Resources:\n  A:\n    Type: T\n    Properties: [a,\n      b]\n",
        "yes: 1\nResources: {}\n",
        "10: x\nResources: {}\n",
        "Resources: {}\n---\nResources: {}\n",
        "Resources: {}\n...\n",
        "Resources: !If\n  A:\n    Type: T\n",
        "Resources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n",
        "Resources:\n  A:\n    Type: Custom::AWS\n",
        "Resources:\n  A:\n    <<: {Type: T}\n",
        "Resources:\n  A:\n    Type: T\n    Properties:\n      B: |\n    C: x\n",
        "Resources:\n  A: - x\n",
        "Resources:\n  A:\n    Type: T\n    P: |2\n        x\n",
        "Resources:\n  A:\n    Type: T\n    P: [a, b,]\n",
        "  Resources: {}\n",
        // Found by fuzzing: yaml-rust2 refuses a plain scalar that starts with `-` before a flow indicator.
        "Resources: [a, -]\n",
        "Resources: [a, b -]\n",
        "Resources:\n  A: -{\n",
        "",
    ];
    for text in cases {
        assert_eq!(skim(text), None, "{text:?}");
    }
}
