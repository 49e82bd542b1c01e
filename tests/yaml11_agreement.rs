//! ptlint's YAML reader against cfn-lint: YAML 1.1 scalars (`010` is 8, `1:30` is 90, `yes` is true), tags, merge
//! keys, anchors and bad characters, as recorded from cfn-lint in tests/data/yaml11/cfn_lint.json (regen.py
//! there). cfn-lint is not needed to run this test.

use ptlint::source::node::{Node, Value};
use ptlint::source::yaml::parse_yaml;
use serde_json::Value as Json;

fn table() -> Json {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/yaml11/cfn_lint.json");
    let text = std::fs::read_to_string(path).expect("tests/data/yaml11/cfn_lint.json");
    serde_json::from_str(&text).expect("the recorded table is JSON")
}

/// What ptlint reads at `ModelUnits`, in the table's terms.
fn read(root: &Node) -> Json {
    let Some(node) = root.path(&["Resources", "Pt", "Properties", "ModelUnits"]) else {
        return serde_json::json!({"kind": "absent"});
    };
    match &node.value {
        Value::Null => serde_json::json!({"kind": "null"}),
        Value::Bool(b) => serde_json::json!({"kind": "bool", "value": b}),
        Value::String(s) => serde_json::json!({"kind": "str", "value": s}),
        Value::Number(n) if n.parse::<i128>().is_ok() => serde_json::json!({"kind": "int", "value": n}),
        Value::Number(n) => serde_json::json!({"kind": "float", "value": float_text(n)}),
        Value::Array(_) | Value::Object(_) => serde_json::json!({"kind": "json", "value": node.to_json()}),
    }
}

/// A float as Python's `repr` writes it (`1500.0`, `inf`, `nan`), from YAML's spelling.
fn float_text(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    match lower.trim_start_matches('+') {
        ".inf" => "inf".into(),
        "-.inf" => "-inf".into(),
        ".nan" => "nan".into(),
        _ => match text.parse::<f64>() {
            Ok(value) => format!("{value:?}"),
            Err(_) => format!("unparsable float {text:?}"),
        },
    }
}

/// Cases where ptlint reports an error at another place than libyaml, and why.
const POSITION_EXCEPTIONS: &[(&str, &str)] = &[
    // libyaml counts NEL as a line break, so its line numbers past a NEL are not the lines an editor shows;
    // ptlint reports the NEL itself.
    ("nel_in_plain", "libyaml numbers lines past a NEL differently"),
];

#[test]
fn ptlint_reads_every_recorded_yaml_input_as_cfn_lint_does() {
    let table = table();
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut disagreements = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let expected = &case["cfn_lint"];
        let got = match parse_yaml(text) {
            Ok(root) => read(&root),
            Err(e) => serde_json::json!({"kind": "error", "line": e.line, "column": e.column, "message": e.message}),
        };
        if expected["kind"] == "error" {
            if got["kind"] != "error" {
                disagreements.push(format!("{name}: cfn-lint fails ({}), ptlint reads {got}", expected["message"]));
                continue;
            }
            // Where libyaml itself stops, ptlint reports the same line and column.
            let libyaml = &case["libyaml_error"];
            let exempt = POSITION_EXCEPTIONS.iter().any(|(n, _)| *n == name);
            if libyaml.is_object() && !exempt && (libyaml["line"] != got["line"] || libyaml["column"] != got["column"])
            {
                disagreements.push(format!("{name}: libyaml stops at {libyaml}, ptlint at {got}"));
            }
            // cfn-lint's own checks (a null key) name the line.
            if !libyaml.is_object() && expected["line"] != got["line"] {
                disagreements.push(format!("{name}: cfn-lint errs at line {}, ptlint at {got}", expected["line"]));
            }
        } else if got != *expected {
            disagreements.push(format!("{name}: cfn-lint reads {expected}, ptlint {got}"));
        }
        // The cfn-lint command agrees with its decoder on whether the file parses.
        assert_eq!(case["cfn_lint_parse_error"], Json::Bool(expected["kind"] == "error"), "{name}");
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
}

#[test]
fn model_units_written_in_octal_are_the_units_cloudformation_reads() {
    // `ModelUnits: 010` is 8 units to CloudFormation's YAML 1.1 reader, not 10.
    let root = parse_yaml("Properties:\n  ModelUnits: 010\n  Other: 0x10\n  Time: 1:30\n").unwrap();
    let get = |key: &str| root.path(&["Properties", key]).unwrap().value.clone();
    assert_eq!(get("ModelUnits"), Value::Number("8".into()));
    assert_eq!(get("Other"), Value::Number("16".into()));
    assert_eq!(get("Time"), Value::Number("90".into()));
}
