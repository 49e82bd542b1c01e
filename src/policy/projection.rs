//! The slice of each PT's facts that the built-in rules read, so cfn-guard copies less (messages use the full facts).

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the built-in rules can tell apart in a PT: the fields they query and, for integer fields they only compare
/// with integer literals or test the type of, those literals. PTs that agree on this get the same verdicts.
pub(super) struct Projection {
    queried: BTreeSet<String>,
    /// Field path -> the sorted literals it is compared with; only fields every use of which is such a comparison.
    integer_classes: BTreeMap<String, Vec<i64>>,
}

impl Projection {
    pub(super) fn of<'a>(sources: impl IntoIterator<Item = &'a str>) -> Projection {
        let sources: Vec<&str> = sources.into_iter().collect();
        Projection { queried: queried_paths(sources.iter().copied()), integer_classes: integer_classes(&sources) }
    }

    /// The PT's queried fields ([`project`]), each integer the rules only compare with literals replaced by one
    /// representative of its class: `budgets.count` is only ever `> 0`, so 3 and 140 budgets are judged alike.
    pub(super) fn apply(&self, pt: &Value) -> Value {
        let mut projected = project(pt, &self.queried);
        for (path, literals) in &self.integer_classes {
            let pointer = format!("/{}", path.replace('.', "/"));
            if let Some(value) = projected.pointer_mut(&pointer) {
                if let Some(n) = value.as_i64() {
                    *value = Value::from(representative(n, literals));
                }
            }
        }
        projected
    }
}

/// The code of a Guard source, line by line: comments and `<< >>` messages (whose placeholders are filled from the
/// full facts in Rust) left out.
fn code_lines(source: &str) -> impl Iterator<Item = &str> {
    source.lines().map(|line| {
        let code = line.split('#').next().unwrap_or("");
        match code.find("<<") {
            Some(start) => &code[..start],
            None => code,
        }
    })
}

/// The dotted field paths a Guard source queries (`usage.observed_days`, `plan_action`).
pub(super) fn queried_paths<'a>(sources: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for source in sources {
        for code in code_lines(source) {
            let mut word = String::new();
            for c in code.chars().chain(std::iter::once(' ')) {
                if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                    word.push(c);
                } else if !word.is_empty() {
                    paths.insert(std::mem::take(&mut word).trim_matches('.').to_string());
                }
            }
        }
    }
    paths
}

/// One token of Guard code, as far as [`integer_classes`] needs to tell them apart.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A path, variable, keyword or number: `budgets.count`, `%live`, `is_int`, `!is_int`, `-1`.
    Word(&'a str),
    /// `==`, `!=`, `>=`, `<=`, `>` or `<`.
    Comparison,
    /// Anything else: brackets, braces, quotes, `,`, `!` before a non-word.
    Other,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'%'
}

fn tokens(code: &str) -> Vec<Token<'_>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        if b.is_ascii_whitespace() {
            i += 1;
        } else if matches!((b, next), (b'=' | b'!' | b'>' | b'<', Some(b'='))) {
            out.push(Token::Comparison);
            i += 2;
        } else if b == b'>' || b == b'<' {
            out.push(Token::Comparison);
            i += 1;
        } else if is_word_byte(b) || ((b == b'!' || b == b'-') && next.is_some_and(is_word_byte)) {
            let start = i;
            i += 1;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            out.push(Token::Word(code[start..i].trim_end_matches('.')));
        } else {
            out.push(Token::Other);
            i += 1;
        }
    }
    out
}

/// Integer fields whose every use in the sources is `field <op> <integer>` or a type test (`field is_int`), with the
/// integers each is compared with. A field that is used any other way (on the right of a comparison, against a
/// variable, in a block under its parent, through another path ending in its name) is left out: its value matters
/// beyond those comparisons.
fn integer_classes(sources: &[&str]) -> BTreeMap<String, Vec<i64>> {
    let tokens: Vec<Token> = sources.iter().flat_map(|s| code_lines(s)).flat_map(tokens).collect();
    let words: BTreeSet<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(*w),
            _ => None,
        })
        .collect();
    let mut literals: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut disqualified: BTreeSet<&str> = BTreeSet::new();
    for (i, token) in tokens.iter().enumerate() {
        // Every word is judged as if it were a field: keywords (`rule`, `some`), variables (`%live`) and numbers are
        // not the name of any PT field, so whatever they are found to be changes no projection.
        let Token::Word(word) = token else { continue };
        let after_comparison = i > 0 && tokens[i - 1] == Token::Comparison;
        match (after_comparison, tokens.get(i + 1), tokens.get(i + 2)) {
            (false, Some(Token::Comparison), Some(Token::Word(n))) if n.parse::<i64>().is_ok() => {
                literals.entry(word.to_string()).or_default().extend(n.parse::<i64>().ok());
            }
            (false, Some(Token::Word(test)), _) if test.trim_start_matches('!').starts_with("is_") => {
                literals.entry(word.to_string()).or_default();
            }
            _ => {
                disqualified.insert(word);
            }
        }
    }
    literals.retain(|path, _| {
        let last = path.rsplit('.').next().unwrap_or(path);
        let prefixes = path.match_indices('.').map(|(at, _)| &path[..at]);
        !disqualified.contains(path.as_str())
            && !prefixes.into_iter().any(|prefix| words.contains(prefix))
            && !words.iter().any(|w| *w != path && (*w == last || w.ends_with(&format!(".{last}"))))
    });
    for values in literals.values_mut() {
        values.sort_unstable();
        values.dedup();
    }
    literals
}

/// The one value standing for every integer that compares with each literal as `value` does: the literal itself, or
/// the integer just above the literal below it (just below the lowest), so the representative has `value`'s type too.
fn representative(value: i64, literals: &[i64]) -> i64 {
    match literals.binary_search(&value) {
        Ok(_) => value,
        Err(0) => literals.first().map_or(0, |lowest| lowest.saturating_sub(1)),
        Err(above) => literals[above - 1].saturating_add(1),
    }
}

/// Keep the fields of one PT's facts whose path (or an enclosing one) is queried, one level deep.
pub(super) fn project(pt: &Value, queried: &BTreeSet<String>) -> Value {
    let Some(fields) = pt.as_object() else { return pt.clone() };
    let mut kept = Map::new();
    for (key, value) in fields {
        if queried.contains(key) {
            kept.insert(key.clone(), value.clone());
            continue;
        }
        let prefix = format!("{key}.");
        let Some(inner) = value.as_object() else { continue };
        let sub: Map<String, Value> = inner
            .iter()
            .filter(|(name, _)| {
                queried.iter().any(|p| {
                    p.strip_prefix(&prefix).is_some_and(|rest| rest == *name || rest.starts_with(&format!("{name}.")))
                })
            })
            .map(|(name, v)| (name.clone(), v.clone()))
            .collect();
        if !sub.is_empty() {
            kept.insert(key.clone(), Value::Object(sub));
        }
    }
    Value::Object(kept)
}

/// PTs grouped by equal projections: the first PT of each group, and every member of each group, in PT order.
pub(super) struct Shapes {
    /// The first PT (index into the projections) of each distinct projection, in order of first appearance.
    pub(super) distinct: Vec<usize>,
    /// The PTs of each distinct projection, in PT order.
    members: Vec<Vec<usize>>,
}

impl Shapes {
    pub(super) fn of(projections: &[Value]) -> Shapes {
        // Equal text means equal values; equal values written in another key order only miss the sharing.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut shapes = Shapes { distinct: Vec::new(), members: Vec::new() };
        for (index, projection) in projections.iter().enumerate() {
            let next = shapes.distinct.len();
            let shape = *seen.entry(projection.to_string()).or_insert(next);
            if shape == next {
                shapes.distinct.push(index);
                shapes.members.push(Vec::new());
            }
            shapes.members[shape].push(index);
        }
        shapes
    }

    /// The PTs whose projection is the `shape`-th distinct one (none for an index out of range).
    pub(super) fn members(&self, shape: usize) -> &[usize] {
        self.members.get(shape).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn classes(source: &str) -> BTreeMap<String, Vec<i64>> {
        integer_classes(&[source])
    }

    #[test]
    fn the_built_in_rules_compare_these_integers_with_literals_only() {
        let sources: Vec<&str> = super::super::BUILTIN.iter().map(|(_, source)| *source).collect();
        let found = integer_classes(&sources);
        let expected: BTreeMap<String, Vec<i64>> = [
            ("alarms.low_utilization", vec![0]),
            ("alarms.other_bedrock", vec![0]),
            ("alarms.silent_when_idle", vec![0]),
            ("budgets.count", vec![0]),
            ("model_units", vec![1]),
            // Only tested for being a string: were one an integer, every integer would be judged alike.
            ("offer.commitment_written", vec![]),
            ("offer.model_units_written", vec![]),
            ("offer.unservable_model", vec![]),
        ]
        .into_iter()
        .map(|(path, literals)| (path.to_string(), literals))
        .collect();
        // `usage.observed_days` is compared with a variable (the policy's day counts), so it keeps its value.
        assert_eq!(found, expected);
    }

    #[test]
    fn comparisons_and_type_tests_collect_literals() {
        let found =
            classes("rule r {\n  a.n > 0\n  a.n <= -2 << {a.n} is {b} >>\n  a.n !is_int or a.n == 10\n  t is_int\n}");
        assert_eq!(found.get("a.n"), Some(&vec![-2, 0, 10]));
        assert_eq!(found.get("t"), Some(&vec![]));
        // A bracket, brace or parenthesis right before a path is not part of it; `-` starts a word before a digit.
        let found = classes("rule r {\n  %x[a.n > 0] {(a.n < 5)}\n  {a.n != -1}\n}");
        assert_eq!(found.get("a.n"), Some(&vec![-1, 0, 5]), "{found:?}");
    }

    #[test]
    fn any_other_use_keeps_the_value_whole() {
        for source in [
            "rule r { a.n > 0\n 1 < a.n }",           // on the right of a comparison
            "rule r { a.n > 0\n b.m == a.n > 3 }",    // on the right, whatever follows it
            "rule r { a.n > 0\n a.n >= %limit }",     // against a variable
            "rule r { a.n > 0\n a.n in [1, 2] }",     // in a list
            "rule r { a.n > 0\n a.n exists }",        // any other clause
            "rule r { a.n > 0\n a { n > 5 } }",       // through its parent
            "rule r { a.n > 0\n b.n > 5\n b.n < 9 }", // another path of the same name
            "rule r { a.n > 0\n a.n > 1.5 }",         // a literal that is not an integer
            "rule r { a.n > 0\n a.n == \"1\" }",      // a string
        ] {
            assert_eq!(classes(source).get("a.n"), None, "{source}");
        }
        // A comment or message naming the field does not count as a use.
        assert_eq!(classes("rule r {\n a.n > 0 # a.n in [1]\n a.n < 9 << {a.n} >>\n}").get("a.n"), Some(&vec![0, 9]));
    }

    #[test]
    fn a_representative_compares_with_every_literal_as_the_value_does() {
        let literals = [-2, 0, 10, 11];
        for value in -5..=15 {
            let rep = representative(value, &literals);
            for literal in literals {
                assert_eq!(rep.cmp(&literal), value.cmp(&literal), "{value} -> {rep} against {literal}");
            }
        }
        assert_eq!(
            [-5, -3, -2, -1, 0, 1, 9, 10, 11, 12, 15].map(|v| representative(v, &literals)),
            [-3, -3, -2, -1, 0, 1, 1, 10, 11, 12, 12]
        );
        assert_eq!(representative(7, &[]), 0, "only type tests: every integer alike");
        assert_eq!(representative(i64::MIN, &[i64::MIN]), i64::MIN);
        assert_eq!(representative(i64::MAX, &[0]), 1);
    }

    #[test]
    fn applying_keeps_queried_fields_and_classes_integers() {
        let projection = Projection::of(["rule r {\n  budgets.count > 0\n  usage.days >= %x\n  cost.rate > 0\n}"]);
        let pt = |count: Value, days: i64| {
            json!({"resource": "r", "budgets": {"count": count, "covering": ["b"]}, "usage": {"days": days},
                   "cost": {"rate": "0.5"}})
        };
        assert_eq!(
            projection.apply(&pt(json!(140), 3)),
            json!({"budgets": {"count": 1}, "usage": {"days": 3}, "cost": {"rate": "0.5"}})
        );
        assert_eq!(projection.apply(&pt(json!(3), 3)), projection.apply(&pt(json!(140), 3)));
        assert_ne!(projection.apply(&pt(json!(0), 3)), projection.apply(&pt(json!(1), 3)));
        assert_ne!(projection.apply(&pt(json!(3), 3)), projection.apply(&pt(json!(3), 4)), "compared with a variable");
        // Only integers are classed: a fraction or a string is kept as it is.
        assert_eq!(projection.apply(&pt(json!(2.5), 3))["budgets"]["count"], json!(2.5));
        assert_eq!(projection.apply(&pt(json!("2"), 3))["budgets"]["count"], json!("2"));
    }
}
