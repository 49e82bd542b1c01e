//! YAML read as CloudFormation and cfn-lint read it (libyaml): one document, unique keys, tabs, key kinds, and
//! error positions. Every expected line and column below is what libyaml 0.2.5 (PyYAML's CSafeLoader) reports.

use super::*;
use crate::source::node::Value;

fn parse(text: &str) -> Node {
    parse_yaml(text).unwrap_or_else(|e| panic!("{e} in {text:?}"))
}

/// (line, column, message) of the error `text` must give.
fn error(text: &str) -> (u32, u32, String) {
    match parse_yaml(text) {
        Ok(node) => panic!("expected an error for {text:?}, got {node:?}"),
        Err(e) => (e.line, e.column, e.message),
    }
}

/// (line, column) of the error `text` must give.
fn pos(text: &str) -> (u32, u32) {
    let (line, column, _) = error(text);
    (line, column)
}

const SECOND_DOCUMENT: &str = "expected a single document in the stream, but found another document";

#[test]
fn a_second_document_is_an_error_at_its_start() {
    assert_eq!(error("a: 1\n---\nb: 2\n"), (2, 1, SECOND_DOCUMENT.into()));
    // An empty first document (a `---`, a comment, another `---`) does not hide the one after it.
    assert_eq!(error("---\n# generated\n---\nResources: {}\n"), (3, 1, SECOND_DOCUMENT.into()));
    // libyaml counts a trailing `---` as a second (empty) document too.
    assert_eq!(error("a: 1\n---\n").0, 2);
    // After `...`, libyaml wants a `---` and says so at the same place; the position is what matters.
    assert_eq!(error("a: 1\n...\nb: 2\n").0, 3);

    for single in ["---\na: 1\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "# only a comment\n"] {
        assert!(parse_yaml(single).is_ok(), "{single:?}");
    }
}

#[test]
fn a_duplicate_key_is_an_error_naming_both_places() {
    let text = "Resources:\n  Chat:\n    Type: X\n  Other:\n    Type: Y\n  Chat:\n    Type: Z\n";
    assert_eq!(error(text), (6, 3, "duplicate mapping key \"Chat\" (first at line 2, column 3)".into()));
    assert_eq!(
        error("{a: 1, b: 2, a: 3}\n"),
        (1, 14, "duplicate mapping key \"a\" (first at line 1, column 2)".into())
    );
    // Large mappings too (they are checked through a set rather than pair by pair).
    let large: String = (0..30).map(|i| format!("k{i}: {i}\n")).collect::<String>() + "k7: again\n";
    assert_eq!(error(&large), (31, 1, "duplicate mapping key \"k7\" (first at line 8, column 1)".into()));
    assert!(parse_yaml(&large.replace("k7: again", "k30: 30")).is_ok());
    // Nested mappings are checked too, and the same key in two mappings is fine.
    assert_eq!(error("x:\n  k: 1\n  k: 2\n").0, 3);
    assert!(parse_yaml("x: {k: 1}\ny: {k: 2}\n").is_ok());
    // A key that a `<<` merge brings in and the mapping sets again is an override, not a duplicate.
    let root = parse("base: &b {k: 1, j: 1}\nuse:\n  <<: *b\n  k: 2\n");
    assert_eq!(root.get("use").unwrap().to_json(), serde_json::json!({"k": 2, "j": 1}));
    assert_eq!(error("a: &b {k: 1}\nc:\n  <<: *b\n  k: 2\n  k: 3\n").0, 5);
}

#[test]
fn a_tab_after_a_key_separates_like_a_space() {
    let text = "Resources:\n  Pt:\n    Type:\tCustom::Pt\n    Properties:\n      ModelUnits:\t2\n      Tags:\n        - Key:\tteam\n          Value:\t\t-x\n";
    let root = parse(text);
    let pt = root.path(&["Resources", "Pt"]).unwrap();
    assert_eq!(pt.get("Type").unwrap().value, Value::String("Custom::Pt".into()));
    let units = pt.path(&["Properties", "ModelUnits"]).unwrap();
    assert_eq!(units.value, Value::Number("2".into()));
    assert_eq!((units.span.line, units.span.column, units.span.end_column), (5, 19, 20));
    let tag = &pt.path(&["Properties", "Tags"]).unwrap().as_array().unwrap()[0];
    assert_eq!(tag.to_json(), serde_json::json!({"Key": "team", "Value": "-x"}));
    // A tab inside a quoted or block scalar is content and stays.
    let root = parse("a: \"k:\tv\"\nb: |\n  k:\tv\n");
    assert_eq!(root.get("a").unwrap().value, Value::String("k:\tv".into()));
    assert_eq!(root.get("b").unwrap().value, Value::String("k:\tv\n".into()));
}

#[test]
fn a_flow_mapping_root_is_yaml() {
    let root = parse("{Resources: {Pt: {Type: 'Custom::Pt', Properties: {ModelUnits: 1}}}}\n");
    assert_eq!(root.path(&["Resources", "Pt", "Properties", "ModelUnits"]).unwrap().value, Value::Number("1".into()));
}

#[test]
fn a_tagged_value_or_a_collection_cannot_be_a_key() {
    assert_eq!(error("Resources:\n  !Ref A: 1\n"), (2, 3, "a tagged value cannot be a mapping key".into()));
    assert_eq!(error("a:\n  !Sub x: 1\n").0, 2);
    assert_eq!(error("a:\n  !Custom x: 1\n").0, 2);
    assert_eq!(error("[{c: 1}: d]\n"), (1, 2, "a collection cannot be a mapping key".into()));
    assert_eq!(error("? [a, b]\n: c\n"), (1, 3, "a collection cannot be a mapping key".into()));
    // Core-schema tags and quoting keep a key a plain string.
    let root = parse("!!str 1: a\n\"!Ref\": b\n");
    assert_eq!(root.to_json(), serde_json::json!({"1": "a", "!Ref": "b"}));
}

#[test]
fn error_columns_agree_with_libyaml() {
    // A `- ` where a key was expected: at the dash (yaml-rust2 marks the token after the blanks).
    let (line, column, message) = error("Resources:\n  A:\n    Type: X\n    - B\n");
    assert_eq!((line, column), (4, 5));
    assert_eq!(message, "while parsing a block mapping, did not find expected key");
    assert_eq!(pos("a:\n  b: 1\n  -   c\n"), (3, 3));
    // A key indented deeper than its siblings: at the key, not its `:`.
    assert_eq!(pos("Resources:\n  A:\n      Type: X\n    Properties: {}\n"), (4, 5));
    assert_eq!(pos("  a: 1\nb: 2\n"), (2, 1));
    // A sequence interrupted by a key: at the key.
    assert_eq!(pos("a:\n  - 1\n  b: 2\n"), (3, 3));
    // A block scalar header followed by content: where the content starts.
    assert_eq!(pos("a: >   x\n"), (1, 8));
    assert_eq!(pos("a: |2-  y\n"), (1, 9));
    assert_eq!(pos("a: >   - b\n"), (1, 8));
    // An unterminated quoted scalar: at the end of the stream, in libyaml's words (yaml-rust2 complains about
    // the indentation of the next line first).
    assert_eq!(pos("a: \"abc\nb: 1\n"), (3, 1));
    assert_eq!(pos("a: 'abc\nb: 1\n"), (3, 1));
    assert_eq!(error("a: 'abc\nb: 1\n").2, "while scanning a quoted scalar, found unexpected end of stream");
}
