//! Unit tests for the YAML reader: spans, short-form tags, scalar typing, aliases, limits and bad input.

use super::*;
use crate::source::node::{LineIndex, Span, Value, MAX_DEPTH};

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Units:
    Type: Number
    Default: 2
  Env:
    Type: String
    Default: 'prod'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Models:
    us-east-1: {Id: anthropic.claude-v2}
Resources:
  Pt:
    Type: AWS::Bedrock::ProvisionedModelThroughput
    Properties:
      ModelUnits: !Ref Units
      ProvisionedModelName: !Sub "${AWS::StackName}-pt"
      ModelId: !FindInMap [Models, !Ref "AWS::Region", Id]
      CommitmentDuration: !If [IsProd, OneMonth, !Ref AWS::NoValue]
      Tags:
        - Key: Name
          Value: !Join [ "", [ "pt-", !Ref Env ] ]  # trailing comment
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions:
        - Name: ModelId
          Value: !GetAtt Pt.ProvisionedModelArn
"#;

fn parse(text: &str) -> Node {
    match parse_yaml(text) {
        Ok(node) => node,
        Err(e) => panic!("{e} in {text:?}"),
    }
}

fn error(text: &str) -> SyntaxError {
    match parse_yaml(text) {
        Ok(node) => panic!("expected an error, got {node:?}"),
        Err(e) => e,
    }
}

/// The source text a span covers, with its start and end positions.
fn at(text: &str, span: Span) -> (&str, (u32, u32), (u32, u32)) {
    (&text[span.start..span.end], (span.line, span.column), (span.end_line, span.end_column))
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

fn key_names(node: &Node) -> Vec<&str> {
    node.as_object().unwrap_or_default().iter().map(|(k, _)| k.name.as_str()).collect()
}

#[test]
fn mapping_values_keys_and_scalars_have_exact_spans() {
    let root = parse(TEMPLATE);
    assert_eq!(at(TEMPLATE, root.span).1, (1, 1));
    assert_eq!(root.span.start, 0);
    assert_eq!(root.span.end, TEMPLATE.trim_end().len());

    let version = root.get("AWSTemplateFormatVersion").unwrap();
    assert_eq!(version.value, string("2010-09-09"));
    assert_eq!((version.span.start, version.span.end), (26, 38));
    assert_eq!(at(TEMPLATE, version.span), ("\"2010-09-09\"", (1, 27), (1, 39)));

    let (key, units) = root.path(&["Parameters"]).unwrap().entry("Units").unwrap();
    assert_eq!(at(TEMPLATE, key.span), ("Units", (3, 3), (3, 8)));
    assert_eq!(at(TEMPLATE, units.span), ("Type: Number\n    Default: 2", (4, 5), (5, 15)));

    let default = units.get("Default").unwrap();
    assert_eq!(default.value, Value::Number("2".into()));
    assert_eq!((default.span.start, default.span.end), (90, 91));
    assert_eq!(at(TEMPLATE, default.span), ("2", (5, 14), (5, 15)));

    let env_default = root.path(&["Parameters", "Env", "Default"]).unwrap();
    assert_eq!(env_default.value, string("prod"));
    assert_eq!(at(TEMPLATE, env_default.span), ("'prod'", (8, 14), (8, 20)));

    let flow = root.path(&["Mappings", "Models", "us-east-1"]).unwrap();
    assert_eq!(at(TEMPLATE, flow.span), ("{Id: anthropic.claude-v2}", (13, 16), (13, 41)));
    let (id_key, id) = flow.entry("Id").unwrap();
    assert_eq!(at(TEMPLATE, id_key.span), ("Id", (13, 17), (13, 19)));
    assert_eq!(at(TEMPLATE, id.span), ("anthropic.claude-v2", (13, 21), (13, 40)));

    let kind = root.path(&["Resources", "Pt", "Type"]).unwrap();
    assert_eq!(at(TEMPLATE, kind.span), ("AWS::Bedrock::ProvisionedModelThroughput", (16, 11), (16, 51)));
}

#[test]
fn sequence_items_start_at_their_content_and_the_sequence_at_its_dash() {
    let root = parse(TEMPLATE);
    let tags = root.path(&["Resources", "Pt", "Properties", "Tags"]).unwrap();
    let items = tags.as_array().unwrap();
    assert_eq!(items.len(), 1);
    let (text, start, end) = at(TEMPLATE, tags.span);
    assert!(text.starts_with("- Key: Name\n"), "{text:?}");
    assert_eq!((start, end), ((23, 9), (24, 51)));
    assert_eq!(at(TEMPLATE, items[0].span).1, (23, 11));
    let (name_key, name) = items[0].entry("Key").unwrap();
    assert_eq!(at(TEMPLATE, name_key.span), ("Key", (23, 11), (23, 14)));
    assert_eq!(at(TEMPLATE, name.span), ("Name", (23, 16), (23, 20)));

    let text = "a:\n- x\n-   y\n-\n- - z\n";
    let list = parse(text);
    let list = list.get("a").unwrap();
    assert_eq!(at(text, list.span), ("- x\n-   y\n-\n- - z", (2, 1), (5, 6)));
    let items = list.as_array().unwrap();
    assert_eq!(at(text, items[0].span), ("x", (2, 3), (2, 4)));
    assert_eq!(at(text, items[1].span), ("y", (3, 5), (3, 6)));
    assert_eq!(items[2].value, Value::Null);
    assert_eq!(at(text, items[2].span), ("", (4, 2), (4, 2)));
    assert_eq!(at(text, items[3].span), ("- z", (5, 3), (5, 6)));
}

#[test]
fn short_form_tags_expand_with_tag_key_and_value_spans() {
    let root = parse(TEMPLATE);
    let props = root.path(&["Resources", "Pt", "Properties"]).unwrap();

    let units = props.get("ModelUnits").unwrap();
    assert_eq!(units.to_json(), serde_json::json!({"Ref": "Units"}));
    assert_eq!(at(TEMPLATE, units.span), ("!Ref Units", (18, 19), (18, 29)));
    let (ref_key, ref_arg) = units.entry("Ref").unwrap();
    assert_eq!(at(TEMPLATE, ref_key.span), ("!Ref", (18, 19), (18, 23)));
    assert_eq!(at(TEMPLATE, ref_arg.span), ("Units", (18, 24), (18, 29)));

    let name = props.get("ProvisionedModelName").unwrap();
    assert_eq!(name.to_json(), serde_json::json!({"Fn::Sub": "${AWS::StackName}-pt"}));
    assert_eq!(at(TEMPLATE, name.span), ("!Sub \"${AWS::StackName}-pt\"", (19, 29), (19, 56)));
    assert_eq!(at(TEMPLATE, name.get("Fn::Sub").unwrap().span).0, "\"${AWS::StackName}-pt\"");

    let model = props.get("ModelId").unwrap();
    assert_eq!(model.to_json(), serde_json::json!({"Fn::FindInMap": ["Models", {"Ref": "AWS::Region"}, "Id"]}));
    assert_eq!(at(TEMPLATE, model.span), ("!FindInMap [Models, !Ref \"AWS::Region\", Id]", (20, 16), (20, 59)));
    let args = model.get("Fn::FindInMap").unwrap();
    assert_eq!(at(TEMPLATE, args.span).1, (20, 27));
    let region = &args.as_array().unwrap()[1];
    assert_eq!(at(TEMPLATE, region.span), ("!Ref \"AWS::Region\"", (20, 36), (20, 54)));

    let duration = props.get("CommitmentDuration").unwrap();
    assert_eq!(duration.to_json(), serde_json::json!({"Fn::If": ["IsProd", "OneMonth", {"Ref": "AWS::NoValue"}]}));
    assert_eq!(at(TEMPLATE, duration.entry("Fn::If").unwrap().0.span), ("!If", (21, 27), (21, 30)));

    let join = props.path(&["Tags"]).unwrap().as_array().unwrap()[0].get("Value").unwrap();
    assert_eq!(join.to_json(), serde_json::json!({"Fn::Join": ["", ["pt-", {"Ref": "Env"}]]}));
    assert_eq!(at(TEMPLATE, join.span), ("!Join [ \"\", [ \"pt-\", !Ref Env ] ]", (24, 18), (24, 51)));
    let parts = join.get("Fn::Join").unwrap().as_array().unwrap();
    assert_eq!(at(TEMPLATE, parts[0].span), ("\"\"", (24, 26), (24, 28)));
    assert_eq!(at(TEMPLATE, parts[1].as_array().unwrap()[1].span), ("!Ref Env", (24, 39), (24, 47)));

    let condition = root.path(&["Conditions", "IsProd"]).unwrap();
    assert_eq!(condition.to_json(), serde_json::json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
}

#[test]
fn get_att_splits_at_the_first_dot_and_keeps_the_sequence_form() {
    let root = parse(TEMPLATE);
    let dims = root.path(&["Resources", "Alarm", "Properties", "Dimensions"]).unwrap();
    let value = dims.as_array().unwrap()[0].get("Value").unwrap();
    assert_eq!(value.to_json(), serde_json::json!({"Fn::GetAtt": ["Pt", "ProvisionedModelArn"]}));
    assert_eq!(at(TEMPLATE, value.span), ("!GetAtt Pt.ProvisionedModelArn", (30, 18), (30, 48)));
    let (key, pieces) = value.entry("Fn::GetAtt").unwrap();
    assert_eq!(at(TEMPLATE, key.span).0, "!GetAtt");
    assert_eq!(at(TEMPLATE, pieces.span).0, "Pt.ProvisionedModelArn");
    let pieces = pieces.as_array().unwrap();
    assert_eq!(at(TEMPLATE, pieces[0].span), ("Pt", (30, 26), (30, 28)));
    assert_eq!(at(TEMPLATE, pieces[1].span), ("ProvisionedModelArn", (30, 29), (30, 48)));

    let text = "a: !GetAtt Db.Endpoint.Address\nb: !GetAtt [Db, Arn]\nc: !Condition IsProd\nd: !Foo 12\n";
    let root = parse(text);
    assert_eq!(root.get("a").unwrap().to_json(), serde_json::json!({"Fn::GetAtt": ["Db", "Endpoint.Address"]}));
    assert_eq!(root.get("b").unwrap().to_json(), serde_json::json!({"Fn::GetAtt": ["Db", "Arn"]}));
    assert_eq!(at(text, root.path(&["b", "Fn::GetAtt"]).unwrap().span).0, "[Db, Arn]");
    assert_eq!(root.get("c").unwrap().to_json(), serde_json::json!({"Condition": "IsProd"}));
    let unknown = root.get("d").unwrap();
    assert_eq!(unknown.value, Value::Number("12".into()));
    assert_eq!(at(text, unknown.span).0, "!Foo 12");
}

#[test]
fn tags_on_block_collections_and_block_scalars_wrap_them() {
    let text = "V: !If\n  - IsProd\n  - !Sub |\n    ${A}\n  - b\nT: !Transform\n  Name: X\nR: !Ref\nS: x\n";
    let root = parse(text);
    let v = root.get("V").unwrap();
    assert_eq!(v.to_json(), serde_json::json!({"Fn::If": ["IsProd", {"Fn::Sub": "${A}\n"}, "b"]}));
    assert_eq!(at(text, v.span), ("!If\n  - IsProd\n  - !Sub |\n    ${A}\n  - b", (1, 4), (5, 6)));
    let list = v.get("Fn::If").unwrap();
    assert_eq!(at(text, list.span).1, (2, 3));
    let sub = &list.as_array().unwrap()[1];
    assert_eq!(at(text, sub.span), ("!Sub |\n    ${A}", (3, 5), (4, 9)));
    assert_eq!(at(text, sub.get("Fn::Sub").unwrap().span), ("|\n    ${A}", (3, 10), (4, 9)));

    let t = root.get("T").unwrap();
    assert_eq!(t.to_json(), serde_json::json!({"Fn::Transform": {"Name": "X"}}));
    assert_eq!(at(text, t.span), ("!Transform\n  Name: X", (6, 4), (7, 10)));
    assert_eq!(at(text, t.get("Fn::Transform").unwrap().span), ("Name: X", (7, 3), (7, 10)));

    let empty = root.get("R").unwrap();
    assert_eq!(empty.to_json(), serde_json::json!({"Ref": null}));
    assert_eq!(at(text, empty.span), ("!Ref", (8, 4), (8, 8)));
    assert_eq!(root.get("S").unwrap().value, string("x"));
}

#[test]
fn non_ascii_text_counts_columns_in_characters_and_offsets_in_bytes() {
    let text =
        "Description: \"Prüfung — ☕\"\nName: café # ☕\nNext: |\n  ééééééééééééééééééééééééééééé\nLast: [é, x]\n";
    let root = parse(text);
    let name = root.get("Name").unwrap();
    assert_eq!(name.value, string("café"));
    assert_eq!((name.span.start, name.span.end), (38, 43));
    assert_eq!(at(text, name.span), ("café", (2, 7), (2, 11)));
    let description = root.get("Description").unwrap();
    assert_eq!((description.span.end, description.span.end_column), (31, 27));
    // A long non-ASCII block-scalar line makes yaml-rust2's own char index drift; line and
    // column stay right and are what offsets are computed from.
    let last = root.get("Last").unwrap();
    assert_eq!(at(text, last.span), ("[é, x]", (5, 7), (5, 13)));
    assert_eq!(at(text, last.as_array().unwrap()[1].span), ("x", (5, 11), (5, 12)));
}

#[test]
fn block_scalars_span_from_indicator_to_last_content_character() {
    let text = "Policy: |  # JSON\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": []}\n\nFolded: >-\n  one\n  two\nNext: 1\n";
    let root = parse(text);
    let policy = root.get("Policy").unwrap();
    assert_eq!(policy.value, string("{\"Version\": \"2012-10-17\",\n \"Statement\": []}\n"));
    assert_eq!((policy.span.start, policy.span.end), (8, 65));
    assert_eq!(
        at(text, policy.span),
        ("|  # JSON\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": []}", (1, 9), (3, 20))
    );
    let folded = root.get("Folded").unwrap();
    assert_eq!(folded.value, string("one two"));
    assert_eq!(at(text, folded.span), (">-\n  one\n  two", (5, 9), (7, 6)));
}

#[test]
fn plain_scalars_resolve_as_yaml_1_1_and_numbers_become_decimal_text() {
    let text = "a: 2\nb: \"2\"\nc: 0x1F\nd: -1.5e3\ne: .inf\nf: .NaN\ng: true\nh: False\ni: ~\nj: null\nk:\nl: 12ab\nm: !!str 2\nn: !!int \"7\"\no: 0o17\np: '~'\nq: yes\n";
    let root = parse(text);
    let get = |k: &str| root.get(k).unwrap().value.clone();
    let number = |n: &str| Value::Number(n.to_string());
    assert_eq!(get("a"), number("2"));
    assert_eq!(get("b"), string("2"));
    assert_eq!(get("c"), number("31"));
    // YAML 1.1 wants a sign on the exponent: this is text, as cfn-lint reads it.
    assert_eq!(get("d"), string("-1.5e3"));
    assert_eq!(get("e"), number(".inf"));
    assert_eq!(get("f"), number(".NaN"));
    assert_eq!(get("g"), Value::Bool(true));
    assert_eq!(get("h"), Value::Bool(false));
    assert_eq!(get("i"), Value::Null);
    assert_eq!(get("j"), Value::Null);
    assert_eq!(get("k"), Value::Null);
    assert_eq!(at(text, root.get("k").unwrap().span), ("", (11, 3), (11, 3)));
    assert_eq!(get("l"), string("12ab"));
    assert_eq!(get("m"), string("2"));
    assert_eq!(get("n"), number("7"));
    assert_eq!(get("o"), string("0o17"));
    assert_eq!(get("p"), string("~"));
    assert_eq!(get("q"), Value::Bool(true));

    let more = "a: 010\nb: 0b1_1\nc: -0x2\nd: 1:30\ne: 1_000\nf: 08\ng: 1:30.5\nh: 1.\ni: .5\nj: 1.5e+3\nk: Off\nl: y\nm: !!float 2\nn: !!int 010\no: +0\n";
    let root = parse(more);
    let get = |k: &str| root.get(k).unwrap().value.clone();
    assert_eq!(get("a"), number("8"));
    assert_eq!(get("b"), number("3"));
    assert_eq!(get("c"), number("-2"));
    assert_eq!(get("d"), number("90"));
    assert_eq!(get("e"), number("1000"));
    assert_eq!(get("f"), string("08"));
    assert_eq!(get("g"), number("90.5"));
    assert_eq!(get("h"), number("1.0"));
    assert_eq!(get("i"), number("0.5"));
    assert_eq!(get("j"), number("1.5e+3"));
    assert_eq!(get("k"), Value::Bool(false));
    assert_eq!(get("l"), string("y"));
    assert_eq!(get("m"), number("2.0"));
    assert_eq!(get("n"), number("8"));
    assert_eq!(get("o"), number("0"));

    let units = parse("Properties:\n  ModelUnits: 2\n");
    assert_eq!(units.path(&["Properties", "ModelUnits"]).unwrap().value, number("2"));
    let units = parse("Properties:\n  ModelUnits: \"2\"\n");
    assert_eq!(units.path(&["Properties", "ModelUnits"]).unwrap().value, string("2"));
}

#[test]
fn invalid_yaml_reports_a_plain_message_at_the_right_place() {
    let text = "Resources:\n  Pt:\n    Tags: [a, b\n";
    let unclosed = error(text);
    assert_eq!(unclosed.message, "while parsing a flow sequence, expected ',' or ']'");
    assert_eq!((unclosed.line, unclosed.column, unclosed.offset), (4, 1, text.len()));
    let unclosed = error("Tags: [a, b\nOther: 1\n");
    assert_eq!((unclosed.line, unclosed.column, unclosed.offset), (2, 6, 17));
    assert!(!unclosed.message.contains("line"), "{}", unclosed.message);

    let indented = error("Type: A\n  Properties: 1\n");
    assert_eq!(indented.message, "mapping values are not allowed in this context");
    assert_eq!((indented.line, indented.column, indented.offset), (2, 13, 20));

    let after_non_ascii = error("é: [ü,\n☕: x\n");
    assert_eq!((after_non_ascii.line, after_non_ascii.column), (2, 1));
    assert_eq!(after_non_ascii.offset, 9);

    let trailing = error("[a]\nfoo\n");
    assert_eq!((trailing.line, trailing.column), (2, 1));
}

#[test]
fn alias_bomb_is_rejected_quickly_at_an_alias() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, name) in "bcdefghi".chars().enumerate() {
        let prev = char::from(b'a' + i as u8);
        let aliases = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
    }
    // Rejected at the limit, not after expanding 9^9 nodes (speed is measured by bench/run.sh, not here).
    let e = error(&text);
    assert_eq!(e.message, "YAML alias expansion exceeds the limit of 1000000 nodes");
    assert_eq!(&text[e.offset..e.offset + 2], "*f");
    assert_eq!((e.line, e.column), (7, 8));
}

#[test]
fn aliases_copy_the_anchored_node_and_bad_aliases_fail_at_the_alias() {
    let text = "base: &b {Units: 2}\ncopy: *b\nref: &r !Ref X\nref2: *r\n";
    let root = parse(text);
    assert_eq!(root.get("copy").unwrap().to_json(), serde_json::json!({"Units": 2}));
    assert_eq!(at(text, root.get("copy").unwrap().span), ("*b", (2, 7), (2, 9)));
    assert_eq!(at(text, root.path(&["copy", "Units"]).unwrap().span).1, (1, 18));
    assert_eq!(at(text, root.get("ref").unwrap().span).0, "&r !Ref X");
    assert_eq!(root.get("ref2").unwrap().to_json(), serde_json::json!({"Ref": "X"}));

    let unknown = error("a: 1\nb: *nope\n");
    assert_eq!((unknown.line, unknown.column, unknown.offset), (2, 4, 8));
    let recursive = error("a: &a [1, *a]\n");
    assert_eq!((recursive.line, recursive.column), (1, 11));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for text in ["[".repeat(100_000), "{a: ".repeat(100_000), "- ".repeat(100_000)] {
        let e = error(&text);
        assert_eq!(e.message, format!("nesting deeper than {MAX_DEPTH} levels"));
    }
    // The first `- ` too deep is the offending node.
    assert_eq!(error(&"- ".repeat(100_000)).offset, 2 * MAX_DEPTH);

    let mut mappings = String::new();
    for depth in 0..1000 {
        mappings.push_str(&" ".repeat(depth));
        mappings.push_str("k:\n");
    }
    let e = error(&mappings);
    assert_eq!((e.line, e.column), (MAX_DEPTH as u32 + 1, MAX_DEPTH as u32 + 1));

    let limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse_yaml(&limit).is_ok());
    let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(error(&over).offset, MAX_DEPTH);
    // Short-form tags add a level (their generated object) to the tree.
    let tagged = format!("{}x{}", "!Not [".repeat(MAX_DEPTH / 2), "]".repeat(MAX_DEPTH / 2));
    assert!(parse_yaml(&tagged).is_ok());
    let tagged = format!("{}x{}", "!Not [".repeat(MAX_DEPTH / 2 + 1), "]".repeat(MAX_DEPTH / 2 + 1));
    assert!(parse_yaml(&tagged).is_err());
}

#[test]
fn merge_keys_add_entries_the_mapping_does_not_set() {
    let text = "base: &base\n  Type: Number\n  Default: 1\nextra: &extra {Description: d, Default: 9}\nParam:\n  <<: [*base, *extra]\n  Default: 2\n";
    let root = parse(text);
    let param = root.get("Param").unwrap();
    assert_eq!(key_names(param), ["Type", "Description", "Default"]);
    assert_eq!(param.to_json(), serde_json::json!({"Type": "Number", "Description": "d", "Default": 2}));
    assert_eq!(at(text, param.entry("Type").unwrap().0.span), ("Type", (2, 3), (2, 7)));

    let single = parse("a: &a {x: 1, y: 1}\nb:\n  y: 2\n  <<: *a\n");
    assert_eq!(single.get("b").unwrap().to_json(), serde_json::json!({"y": 2, "x": 1}));
    let quoted = parse("a: {x: 1}\nb: {\"<<\": 3}\n");
    assert_eq!(key_names(quoted.get("b").unwrap()), ["<<"]);
}

#[test]
fn empty_documents_are_null_at_the_start() {
    for text in ["", "# nothing\n", "---\n", "\n\n"] {
        let node = parse(text);
        assert_eq!(node.value, Value::Null, "{text:?}");
        assert_eq!((node.span.start, node.span.end, node.span.line, node.span.column), (0, 0, 1, 1), "{text:?}");
    }
}

#[test]
fn bom_and_crlf_are_handled() {
    let text = "\u{feff}a: 1\r\nb: \"é\"\r\n";
    let root = parse(text);
    assert_eq!(at(text, root.entry("a").unwrap().0.span), ("a", (1, 2), (1, 3)));
    assert_eq!(at(text, root.get("b").unwrap().span), ("\"é\"", (2, 4), (2, 7)));
}

#[test]
fn flow_pairs_get_spans_from_their_keys() {
    let text = "[a: b, \"c\": 1]\n";
    let root = parse(text);
    let items = root.as_array().unwrap();
    assert_eq!(at(text, items[0].span), ("a: b", (1, 2), (1, 6)));
    assert_eq!(at(text, items[1].span), ("\"c\": 1", (1, 8), (1, 14)));
    assert_eq!(key_names(&items[1]), ["c"]);
}

/// Every span of every node and key, checked against a line-index lookup that counts from the line start.
#[test]
fn looked_up_positions_match_counting_from_the_line_start() {
    fn check(node: &Node, text: &str, index: &LineIndex, checked: &mut usize) {
        let mut spans = vec![node.span];
        match &node.value {
            Value::Array(items) => items.iter().for_each(|item| check(item, text, index, checked)),
            Value::Object(entries) => {
                for (key, value) in entries {
                    spans.push(key.span);
                    check(value, text, index, checked);
                }
            }
            _ => {}
        }
        for span in spans {
            assert_eq!((span.line, span.column), index.position(text, span.start), "{span:?} in {text:?}");
            assert_eq!((span.end_line, span.end_column), index.position(text, span.end), "{span:?} in {text:?}");
            *checked += 1;
        }
    }
    let one_line: String = (0..200).map(|i| format!("k{i}: [é{i}, !Ref ☕{i}, {{a: 'ü'}}], ")).collect();
    let texts = [
        TEMPLATE.to_string(),
        format!("{{{one_line}last: 1}}\n"),
        format!("\u{feff}root: {{{one_line}}}\r\nnext: ☕\r\n"),
        "a: \"é\"\rb: [ü, x]\r".to_string(),
        "é: |\n  ü\n  x\nf: >-\n  ☕ y\n".to_string(),
    ];
    for text in &texts {
        let mut checked = 0;
        check(&parse(text), text, &LineIndex::new(text), &mut checked);
        assert!(checked >= 5, "{checked} spans in {text:?}");
    }
}

/// Anchors and tags found by looking back from their content are exactly where the full scan finds them.
#[test]
fn properties_found_before_the_content_match_the_full_scan() {
    use super::properties::{properties_at, scan_properties, Marked};
    use super::scanner::Source;
    use yaml_rust2::parser::{Event, Parser};
    use yaml_rust2::scanner::TScalarStyle;
    let texts = [
        TEMPLATE.to_string(),
        "a: &x !Ref y\nb: !!str &z 1\nc: !<tag:yaml.org,2002:str> v\nd: [!Sub 'x', &q {k: !GetAtt A.B}]\n".to_string(),
        "e: !If\n  - c\n  - !Ref X\nf: &m\n  k: 1\ng: !Ref # note\n  h\ni: !Join [\"\", [!Ref A]]\n".to_string(),
        "\u{feff}é: !Ref ☕\n".to_string(),
        // Found on an earlier line: only blanks and line breaks between the properties and their content.
        "a:\n  - !GetAtt\n    - A\n    - B\nb: !Join\r\n  - ''\r\n  - [x]\nc: [!Ref\n  x, &y\n   !Sub\n   z]\n"
            .to_string(),
        "d: &s !Sub\n  - x\n  - {}\ne: &t\n  !Select\n  - 0\n  - [a]\nf: &u\n  - 1\n".to_string(),
        // Block scalars: the properties come before the `|` or `>` header.
        "a: !Sub |\n  x ${A}\nb: &k >-\n\n  y\nc: !Base64\n  |2\n   z\nd:\n  - !Sub |+\n    w\n".to_string(),
        // Block mappings, marked at their first `:`, and implied empty scalars, marked at the next token.
        "u: !Base64\n  Fn::Sub: x\nv: &m\n  - !GetAZs\n  - k: &n\n      \"q\": 1\nw: !GetAZs\nx: [!Ref , y]\nz: !Ref\n"
            .to_string(),
    ];
    // A comment between: the look-back gives up (a `#` before the run on its line) and the full scan answers.
    let commented =
        "g: !Join # !Join\n  - x\nh: !Join\n  # !Join\n  - y\ni: !If\n  #\n  - z\nj: !Sub | # >\n  v\n".to_string();
    // Every YAML file of the repository's fixtures and examples, as the templates users write.
    let mut files = Vec::new();
    for dir in ["fixtures", "examples"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy();
            if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
                files.extend(std::fs::read_to_string(entry.path()).ok());
            }
        }
    }
    assert!(files.len() > 100, "{} YAML files", files.len());
    let found_in = |text: &str| -> usize {
        let src = Source::new(text);
        let all = scan_properties(&src);
        let mut parser = Parser::new_from_str(src.body());
        let mut found = 0;
        while let Ok((event, mark)) = parser.next_token() {
            let (anchor, tag, kind) = match &event {
                Event::StreamEnd => break,
                Event::Scalar(value, style, anchor, tag) => {
                    let kind = match style {
                        TScalarStyle::Literal | TScalarStyle::Folded => Marked::BlockScalar,
                        TScalarStyle::Plain if value.is_empty() => Marked::Implied,
                        _ => Marked::Scalar,
                    };
                    (*anchor, tag.as_ref(), kind)
                }
                Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                    (*anchor, tag.as_ref(), Marked::Collection)
                }
                _ => continue,
            };
            if anchor == 0 && tag.is_none() {
                continue;
            }
            if let Some(props) = properties_at(&src, src.offset(&mark), anchor != 0, tag, kind) {
                assert_eq!(Some(&props), all.get(&mark.index()), "{event:?} in {text:?}");
                found += 1;
            }
        }
        found
    };
    for text in &texts {
        assert!(found_in(text) > 0, "{text:?}");
    }
    assert_eq!(found_in(&commented), 0);
    let with_properties = files.iter().filter(|text| found_in(text) > 0).count();
    assert!(with_properties > 50, "{with_properties} fixture files with properties found by looking back");
}

#[test]
fn never_panics_on_truncated_or_garbage_input() {
    let mut cut = 0;
    for (i, _) in TEMPLATE.char_indices() {
        let prefix = &TEMPLATE[..i];
        if let Ok(node) = parse_yaml(prefix) {
            assert!(node.span.end <= prefix.len());
        }
        cut += 1;
    }
    assert_eq!(cut, TEMPLATE.chars().count());
    let garbage: [&[u8]; 12] = [
        b"\xff\xfe\x00a",
        b"{[}]",
        b"- - - ? : : :",
        b"a: &x\n*x: *x\n",
        b"!<\n",
        b"'unterminated",
        b"\"bad \\q escape\"",
        b"a:\t- b\n\tc",
        b"%YAML 1.2\n%YAML 1.2\n---\n",
        b"key: |9\n x\n",
        b"\r\r\n\r:\x00]",
        b"? - [\n: {a: *",
    ];
    for bytes in garbage {
        let text = String::from_utf8_lossy(bytes);
        let result = parse_yaml(&text);
        if let Err(e) = result {
            assert!(e.offset <= text.len() && text.is_char_boundary(e.offset), "{e:?}");
        }
    }
}

#[test]
fn carriage_returns_alone_end_lines_for_every_position() {
    let text = "Resources:\r  Pt:\r    Type: X\r    Properties:\r      ModelUnits: 3\r";
    let root = parse(text);
    let units = root.path(&["Resources", "Pt", "Properties", "ModelUnits"]).unwrap();
    assert_eq!(at(text, units.span), ("3", (5, 19), (5, 20)));
    let (key, _) = root.path(&["Resources", "Pt"]).unwrap().entry("Type").unwrap();
    assert_eq!((key.span.line, key.span.column), (3, 5));
    // An error is where libyaml puts it, as with `\n` line ends (PyYAML on libyaml: line 3, column 2).
    let cr = error("a: 1\rb: [1\rc: 2\r");
    assert_eq!((cr.line, cr.column), (3, 2), "{cr}");
    let lf = error("a: 1\nb: [1\nc: 2\n");
    assert_eq!((lf.line, lf.column, lf.message), (cr.line, cr.column, cr.message));
}

#[test]
fn a_control_character_anywhere_is_an_error_where_it_is() {
    // yaml-rust2 stops at a NUL as if the file ended, so everything after a NUL in a comment vanished.
    let text = "Resources:  # a\0b\n  Pt:\n    Type: X\n";
    let e = error(text);
    assert_eq!((e.line, e.column), (1, 16));
    assert_eq!(e.message, "unacceptable character #x0000: control characters are not allowed");
    let e = error("a: 1\nb: x\u{7}y\n");
    assert_eq!(
        (e.line, e.column, e.message.as_str()),
        (2, 5, "unacceptable character #x0007: control characters are not allowed")
    );
    let e = error("a: 1\r\u{1b}\n");
    assert_eq!((e.line, e.column), (2, 1));
    // Tabs, line breaks, NEL in quotes, and the printable ranges are fine.
    parse("a: \"x\u{85}y\"\nb:\t\"é\u{a0}\u{fffd}😀\"\r\n");
}

#[test]
fn anchors_tags_merges_and_keys_as_libyaml_and_cfn_lint_take_them() {
    let root = parse("a: !<!Ref> U\nb: !<!GetAtt> R.Arn\n");
    assert_eq!(root.get("a").unwrap().to_json(), serde_json::json!({"Ref": "U"}));
    assert_eq!(root.get("b").unwrap().to_json(), serde_json::json!({"Fn::GetAtt": ["R", "Arn"]}));
    let root = parse("base: &b {x: 1, y: 2}\nm:\n  !!merge <<: *b\n  y: 3\n");
    assert_eq!(root.get("m").unwrap().to_json(), serde_json::json!({"y": 3, "x": 1}));
    let e = error("a: &x 1\nb: [&x 2]\n");
    assert_eq!((e.line, e.column), (2, 5));
    assert_eq!(e.message, "found duplicate anchor \"x\" (first at line 1, column 4)");
    // An anchor after a tag is found too, and a `&` inside a verbatim tag is not an anchor.
    let e = error("a: !!str &x 1\nb: &x 2\n");
    assert_eq!((e.line, e.column), (2, 4));
    parse("a: !<tag:a&b> &x 1\nb: *x\n");
    for (text, written) in [("~: 1\n", "~"), ("a: 1\nnull: 2\n", "null"), ("{NULL: 1}\n", "NULL")] {
        let e = error(text);
        assert_eq!(e.message, format!("a null key (`{written}`) cannot be a mapping key"), "{text:?}");
    }
    let e = error("a: 1\nName: x\u{85}y\n");
    assert_eq!((e.line, e.column), (2, 8));
    assert!(e.message.starts_with("NEL (#x85) in a plain scalar"), "{e}");
}

#[test]
fn keys_are_the_text_as_written_whatever_value_it_reads_as() {
    // A key that reads as a number, boolean or float is still named by its text, directly or through an alias;
    // a string key (quoted or not) is its value.
    let text = "010: a\nyes: b\n1.5: c\n!!int 0x1F: d\n\"q\\tx\": e\nplain text: f\nanchored: &n 0b11\n*n : g\n";
    let root = parse(text);
    let Value::Object(entries) = &root.value else { panic!("{root:?}") };
    let names: Vec<&str> = entries.iter().map(|(key, _)| key.name.as_str()).collect();
    assert_eq!(names, ["010", "yes", "1.5", "0x1F", "q\tx", "plain text", "anchored", "0b11"]);
    assert_eq!(root.get("anchored").unwrap().value, Value::Number("3".into()));
    // A null key is still refused, and a second `010` is a duplicate of the first.
    assert!(parse_yaml("~: a\n").unwrap_err().message.contains("null key"));
    assert!(parse_yaml("010: a\n010: b\n").unwrap_err().message.contains("duplicate mapping key \"010\""));
}

#[test]
fn unprintable_characters_are_found_wherever_they_are() {
    // The character-by-character definition the chunked scan must agree with.
    let reference = |text: &str| {
        text.char_indices().find(|&(_, c)| {
            !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
                && c < '\u{10000}'
        })
    };
    let probes = [
        '\0',
        '\u{7}',
        '\t',
        '\n',
        '\r',
        '\u{1b}',
        '\u{1f}',
        ' ',
        '~',
        '\u{7f}',
        '\u{80}',
        '\u{84}',
        '\u{85}',
        '\u{9f}',
        '\u{a0}',
        'é',
        '\u{d7ff}',
        '\u{e000}',
        '\u{fffd}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{10000}',
        '😀',
    ];
    for lead in 0..70 {
        for before in ["", "é", "\u{85}"] {
            for &c in &probes {
                let text = format!("{}{before}{c}x{}", "a".repeat(lead), '\u{7f}');
                assert_eq!(first_unprintable(&text), reference(&text), "{lead} {before:?} {c:?}");
                let text = format!("{}{before}{c}", "a".repeat(lead));
                assert_eq!(first_unprintable(&text), reference(&text), "{lead} {before:?} {c:?}");
            }
        }
    }
}
