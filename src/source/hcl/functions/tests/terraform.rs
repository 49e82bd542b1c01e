//! Differential truth: the expressions in `terraform/expressions.hcl`, evaluated by ptlint, against what
//! terraform itself answered for them (`terraform/answers.json`, recorded by `terraform/generate.py` with the
//! terraform version the file names), and likewise for expressions over a value known only after apply
//! (`terraform/unknowns.hcl`, `terraform/unknowns.json`: what terraform's plan knows of each). Each expression goes
//! through ptlint's evaluator, so the functions are called as a `.tf` file calls them.

use crate::source::hcl::eval::{eval, Resolver};
use crate::source::hcl::literal::Literal;
use crate::source::hcl::scope::Scope;
use crate::source::hcl::value::{Unknown, Value};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::Decorated;

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

/// Run `judge` (our result, whether it matches) over every recorded answer not listed in `known`; fail with every
/// disagreement at once, and when a listed difference is no longer among the answers.
fn compare(
    recorded: &str,
    known: &[(&str, &str)],
    resolver: &dyn Resolver,
    judge: impl Fn(&Result<Value, String>, &serde_json::Value) -> bool,
) {
    let recorded: serde_json::Value = serde_json::from_str(recorded).expect("recorded answers are JSON");
    let answers = recorded["answers"].as_array().expect("answers");
    assert!(answers.len() > 50, "only {} answers", answers.len());
    let mut disagreements = Vec::new();
    for answer in answers {
        let expression = answer["expression"].as_str().expect("expression");
        if known.iter().any(|(listed, _)| *listed == expression) {
            continue;
        }
        let ours = hcl_edit::parser::parse_expr(expression)
            .map_err(|e| e.to_string())
            .and_then(|parsed: Expression| eval(resolver, &parsed, Scope::default()));
        if !judge(&ours, answer) {
            disagreements.push(format!("{expression}\n  ptlint:    {ours:?}\n  terraform: {answer}"));
        }
    }
    for (listed, _) in known {
        assert!(answers.iter().any(|a| a["expression"] == *listed), "{listed} is not among the answers");
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
}

#[test]
fn terraform_agrees() {
    compare(include_str!("terraform/answers.json"), KNOWN_DIFFERENCES, &Literal, |ours, answer| {
        match (ours, answer.get("error").is_some()) {
            (Err(_), true) => true,
            (Ok(value), false) => !value.contains_unknown() && same(&value.to_json(), &answer["terraform"]),
            _ => false,
        }
    });
}

/// Where ptlint knows less than terraform's plan after an unknown, and why.
const KNOWN_UNKNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        r#"flatten([[terraform_data.u.id], ["a"]])"#,
        "terraform knows the unknown is a string and keeps it as one element; ptlint's unknowns have no type, and \
         an unknown that could be a list leaves the flattened result unknown",
    ),
    (r#"flatten([toset([terraform_data.u.id])])"#, "as above: ptlint cannot tell the unknown is not a list"),
    (
        r#"try({a = terraform_data.u.id}, {})"#,
        "terraform's try() is unknown while its first argument holds an unknown anywhere; ptlint's evaluator (not \
         the function library) returns the object with its unknown attribute",
    ),
];

/// `terraform_data.u.id` is unknown, as during a plan; nothing else is referenced.
struct Planning;

impl Resolver for Planning {
    fn resolve(
        &self,
        root: &str,
        operators: &[Decorated<TraversalOperator>],
        _: Scope<'_>,
    ) -> Result<(Value, usize), String> {
        match root {
            "terraform_data" if operators.len() >= 2 => Ok((
                Value::Unknown(Unknown::Ref { address: "terraform_data.u".into(), attribute: Some("id".into()) }),
                2,
            )),
            other => Err(format!("`{other}` is not known here")),
        }
    }

    fn call_with_context(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}

/// Whether our value matches terraform's planned value: unknown exactly where `after_unknown` says so, and the
/// known parts equal to `after` (where an object's unknown attribute is left out).
fn plans_alike(ours: &Value, after: Option<&serde_json::Value>, unknown: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    if unknown == &J::Bool(true) {
        return ours.is_unknown();
    }
    let part = |i: usize| match unknown {
        J::Array(parts) => parts.get(i).unwrap_or(&J::Bool(false)),
        _ => &J::Bool(false),
    };
    match ours {
        Value::Unknown(_) => false,
        Value::List(items) | Value::Set(items) => match after {
            Some(J::Array(theirs)) => {
                theirs.len() == items.len()
                    && items.iter().enumerate().all(|(i, item)| plans_alike(item, theirs.get(i), part(i)))
            }
            _ => false,
        },
        Value::Map(entries) => match after {
            Some(J::Object(theirs)) => {
                theirs.keys().all(|k| entries.contains_key(k))
                    && entries.iter().all(|(k, v)| {
                        let unknown = unknown.get(k).unwrap_or(&J::Bool(false));
                        plans_alike(v, theirs.get(k), unknown)
                    })
            }
            _ => false,
        },
        leaf => after.is_some_and(|theirs| same(&leaf.to_json(), theirs)),
    }
}

#[test]
fn terraform_plans_unknowns_alike() {
    compare(include_str!("terraform/unknowns.json"), KNOWN_UNKNOWN_DIFFERENCES, &Planning, |ours, answer| {
        ours.as_ref().is_ok_and(|value| plans_alike(value, answer.get("after"), &answer["after_unknown"]))
    });
}
