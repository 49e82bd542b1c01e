//! Differential truth: the expressions in `terraform/expressions.hcl`, evaluated by ptlint, against what
//! terraform itself answered for them (`terraform/answers.json`, recorded by `terraform/generate.py` with the
//! terraform version the file names). Each expression goes through ptlint's evaluator, so the functions are
//! called as a `.tf` file calls them.

use crate::source::hcl::eval::{eval, Scope};
use crate::source::hcl::instance::Literal;
use crate::source::hcl::value::Value;

/// Where ptlint answers differently on purpose, and why. Each entry must still be among the answers.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        r#"lookup(tomap({a = "x"}), "b", 5)"#,
        "terraform converts the default to a typed map's element type; ptlint's values do not tell maps from \
         objects (for an object, terraform returns the default as it is)",
    ),
    (
        r#"contains([tostring(null)], tostring(null))"#,
        "go-cty 1.18.1 (terraform's current go.mod) lets contains() look for null; terraform 1.11.4 (go-cty 1.16.0) \
         refused a null value",
    ),
    (r#"pow(2, 0.5)"#, "pow() is float64 in terraform; ptlint leaves inexact powers unknown rather than approximate"),
    (r#"tostring(-0.0)"#, "terraform keeps the sign of a negative zero; ptlint's exact decimals print 0"),
    (
        r#"tostring(100000000000000000000000000000)"#,
        "beyond the 28 digits of ptlint's exact decimals: the evaluator refuses the literal",
    ),
    (
        r#"strrev("e\u0301x")"#,
        "HCL normalizes string literals to NFC (é becomes one code point) before the call; ptlint's parser keeps \
         the decomposed form, so the combining accent stays after its e",
    ),
];

fn evaluate(text: &str) -> Result<Value, String> {
    let expr = hcl_edit::parser::parse_expr(text).map_err(|e| e.to_string())?;
    eval(&Literal, &expr, Scope::default())
}

/// Numbers compared by value: terraform's JSON writes `1.5`, ours may be a float or an integer the same.
fn same(ours: &serde_json::Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (ours, theirs) {
        (J::Number(a), J::Number(b)) => a.as_f64() == b.as_f64(),
        (J::Array(a), J::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (J::Object(a), J::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        _ => ours == theirs,
    }
}

#[test]
fn terraform_agrees() {
    let recorded: serde_json::Value =
        serde_json::from_str(include_str!("terraform/answers.json")).expect("answers.json is JSON");
    let answers = recorded["answers"].as_array().expect("answers");
    assert!(answers.len() > 250, "only {} answers", answers.len());
    let mut disagreements = Vec::new();
    for answer in answers {
        let expression = answer["expression"].as_str().expect("expression");
        if KNOWN_DIFFERENCES.iter().any(|(known, _)| *known == expression) {
            continue;
        }
        let ours = evaluate(expression);
        let agrees = match (&ours, answer.get("error").is_some()) {
            (Err(_), true) => true,
            (Ok(value), false) => !value.contains_unknown() && same(&value.to_json(), &answer["terraform"]),
            _ => false,
        };
        if !agrees {
            disagreements.push(format!("{expression}\n  ptlint:    {ours:?}\n  terraform: {}", answer));
        }
    }
    for (known, _) in KNOWN_DIFFERENCES {
        assert!(answers.iter().any(|a| a["expression"] == *known), "{known} is not among the answers");
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}
