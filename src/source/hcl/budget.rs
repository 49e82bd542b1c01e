//! The evaluation budget: how deep evaluation nests and how much one root module's evaluation may build, and which
//! limit was reached where.
//!
//! Terraform code from a pull request is evaluated on the CI machine, so a few lines must not be able to build
//! gigabytes (`"${local.x}${local.x}"` thirty times), loop for minutes (three nested `for` over `range(1000)`),
//! expand modules without end, or nest calls until the stack overflows. Each root module's evaluation runs under
//! one [`Budget`] (see [`run`]); the evaluator charges it where values are built. The limits are far above what
//! real configurations use (see `docs/limits.md`). Once one is reached the budget stays spent: every later charge
//! fails at once, so the evaluation winds down quickly, and the first place with a file to name reports it.

use super::value::{Piece, Unknown, Value};
use std::cell::RefCell;
use std::ops::Range;

/// Nested evaluation calls: expressions inside expressions, references that evaluate other expressions, splats.
/// The HCL parser allows 64 nested brackets and 128 chained operators; references add a few levels each.
pub const MAX_DEPTH: usize = 2_000;
/// Bytes of string built: function results, template output, copies of locals, variables and `for` bindings.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// Elements built: list and map entries, `for` iterations, copies of collections.
pub const MAX_ELEMENTS: u64 = 4_000_000;
/// Module and resource instances expanded (`count`, `for_each`, and one per module call).
pub const MAX_INSTANCES: u64 = 200_000;
/// Nesting of one value (a list inside a list inside ...).
pub const MAX_VALUE_DEPTH: usize = 256;

/// Which limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Depth,
    Bytes,
    Elements,
    Instances,
    ValueDepth,
}

impl Limit {
    /// The message an input error carries.
    pub fn message(self) -> String {
        let what = match self {
            Limit::Depth => format!("expressions and references nest more than {MAX_DEPTH} levels deep"),
            Limit::Bytes => format!("more than {} MiB of strings were built", MAX_BYTES / 1024 / 1024),
            Limit::Elements => format!("more than {MAX_ELEMENTS} list, map and `for` elements were built"),
            Limit::Instances => format!("more than {MAX_INSTANCES} module and resource instances were expanded"),
            Limit::ValueDepth => format!("a value nests more than {MAX_VALUE_DEPTH} levels deep"),
        };
        format!("evaluation limit reached: {what}; evaluation of this module stopped (limits: docs/limits.md)")
    }
}

/// The first limit reached, the byte range of the expression being evaluated when it was, and whether an input
/// error has said so yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: Limit,
    pub at: Option<Range<usize>>,
    reported: bool,
}

/// What one evaluation has spent.
#[derive(Debug, Default)]
struct Budget {
    depth: usize,
    bytes: u64,
    elements: u64,
    instances: u64,
    exceeded: Option<Exceeded>,
}

thread_local! {
    // The evaluator is generic over its resolver and recursive; a budget per thread reaches every level of it
    // without threading a parameter through each call and each resolver.
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Run `f` under a fresh budget, unless one is in effect already (then `f` spends that one).
pub fn run<T>(f: impl FnOnce() -> T) -> T {
    let installed = BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let fresh = b.is_none();
        if fresh {
            *b = Some(Budget::default());
        }
        fresh
    });
    let _reset = Reset(installed);
    f()
}

/// Removes the budget [`run`] installed, even if `f` panics.
struct Reset(bool);

impl Drop for Reset {
    fn drop(&mut self) {
        if self.0 {
            BUDGET.with(|b| *b.borrow_mut() = None);
        }
    }
}

/// One level of evaluation, released when dropped.
#[must_use = "the level is released when the guard is dropped"]
#[derive(Debug)]
pub struct Level {
    /// This level installed the budget (evaluation started outside [`run`]): it removes it at the end.
    installed: bool,
}

impl Drop for Level {
    fn drop(&mut self) {
        BUDGET.with(|b| {
            let mut b = b.borrow_mut();
            if self.installed {
                *b = None;
            } else if let Some(budget) = b.as_mut() {
                budget.depth = budget.depth.saturating_sub(1);
            }
        });
    }
}

/// Enter one level of evaluation at `at` (the expression's byte range). Outside [`run`], the outermost level
/// brings a budget of its own, so no evaluation is ever unbounded.
pub fn enter(at: Option<Range<usize>>) -> Result<Level, String> {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let budget = match b.as_mut() {
            Some(budget) => budget,
            None => {
                *b = Some(Budget { depth: 1, ..Budget::default() });
                return Ok(Level { installed: true });
            }
        };
        budget.check()?;
        if budget.depth >= MAX_DEPTH {
            return Err(budget.exceed(Limit::Depth, at));
        }
        budget.depth += 1;
        Ok(Level { installed: false })
    })
}

/// Charge bytes and elements built at `at`.
pub fn charge(bytes: u64, elements: u64, at: Option<Range<usize>>) -> Result<(), String> {
    with_budget(|budget| {
        budget.check()?;
        budget.bytes = budget.bytes.saturating_add(bytes);
        budget.elements = budget.elements.saturating_add(elements);
        if budget.bytes > MAX_BYTES {
            return Err(budget.exceed(Limit::Bytes, at));
        }
        if budget.elements > MAX_ELEMENTS {
            return Err(budget.exceed(Limit::Elements, at));
        }
        Ok(())
    })
}

/// Charge a copy (or a new value) as large as `value`, refusing one nested deeper than [`MAX_VALUE_DEPTH`].
pub fn charge_value(value: &Value, at: Option<Range<usize>>) -> Result<(), String> {
    let size = measure(value);
    if size.depth > MAX_VALUE_DEPTH {
        return Err(BUDGET.with(|b| match b.borrow_mut().as_mut() {
            Some(budget) => budget.exceed(Limit::ValueDepth, at),
            None => Limit::ValueDepth.message(),
        }));
    }
    charge(size.bytes, size.elements, at)
}

/// Charge, before the call, what a function may build beyond the size of its result's parts: `join` repeats its
/// separator and `replace` its replacement once per match, so a short call can ask for gigabytes.
pub fn charge_call(name: &str, args: &[Value], at: Option<Range<usize>>) -> Result<(), String> {
    let text_len = |value: Option<&Value>| match value {
        Some(Value::String(s)) => s.len() as u64,
        _ => 0,
    };
    let bytes = match name {
        "join" => {
            let parts: u64 = args.iter().skip(1).map(|list| measure(list).elements).sum();
            text_len(args.first()).saturating_mul(parts)
        }
        // Each match (at most one per byte, plus the end) gets the replacement, whose `$1` references can each
        // copy a match again: twice the replacement per position bounds both.
        "replace" => text_len(args.first()).saturating_add(1).saturating_mul(text_len(args.get(2))).saturating_mul(2),
        _ => return Ok(()),
    };
    charge(bytes, 0, at)
}

/// Charge `count` module or resource instances.
pub fn charge_instances(count: u64, at: Option<Range<usize>>) -> Result<(), String> {
    with_budget(|budget| {
        budget.check()?;
        budget.instances = budget.instances.saturating_add(count);
        if budget.instances > MAX_INSTANCES {
            return Err(budget.exceed(Limit::Instances, at));
        }
        Ok(())
    })
}

/// The limit reached, if one was and no input error has said so yet; the caller reports it (once).
pub fn take_unreported() -> Option<Exceeded> {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let exceeded = b.as_mut()?.exceeded.as_mut().filter(|e| !e.reported)?;
        exceeded.reported = true;
        Some(exceeded.clone())
    })
}

/// Whether a limit was reached in the budget in effect.
pub fn spent() -> bool {
    BUDGET.with(|b| b.borrow().as_ref().is_some_and(|budget| budget.exceeded.is_some()))
}

fn with_budget(f: impl FnOnce(&mut Budget) -> Result<(), String>) -> Result<(), String> {
    BUDGET.with(|b| match b.borrow_mut().as_mut() {
        Some(budget) => f(budget),
        // Outside any evaluation (a function called on its own): nothing to charge.
        None => Ok(()),
    })
}

impl Budget {
    /// A spent budget refuses everything that follows.
    fn check(&self) -> Result<(), String> {
        match &self.exceeded {
            Some(exceeded) => Err(exceeded.limit.message()),
            None => Ok(()),
        }
    }

    fn exceed(&mut self, limit: Limit, at: Option<Range<usize>>) -> String {
        if self.exceeded.is_none() {
            self.exceeded = Some(Exceeded { limit, at, reported: false });
        }
        limit.message()
    }
}

/// The size of a value: bytes of its strings and keys, its elements, its nesting depth.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Size {
    pub bytes: u64,
    pub elements: u64,
    pub depth: usize,
}

/// Measure a value with an explicit stack (the value may be deep; that is one of the things measured).
pub fn measure(value: &Value) -> Size {
    let mut size = Size::default();
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((value, depth)) = stack.pop() {
        size.depth = size.depth.max(depth);
        match value {
            Value::String(s) => size.bytes += s.len() as u64,
            Value::List(items) | Value::Set(items) => {
                size.elements += items.len() as u64;
                stack.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Value::Map(entries) => {
                size.elements += entries.len() as u64;
                for (key, item) in entries {
                    size.bytes += key.len() as u64;
                    stack.push((item, depth + 1));
                }
            }
            Value::Unknown(Unknown::Reason(why)) => size.bytes += why.len() as u64,
            Value::Unknown(Unknown::Ref { address, attribute }) => {
                size.bytes += (address.len() + attribute.as_ref().map_or(0, String::len)) as u64;
            }
            Value::Unknown(Unknown::Partial(pieces)) => {
                // A partly known string holds its known text and each missing piece as written.
                for piece in pieces {
                    size.bytes += match piece {
                        Piece::Text(text) => text.len() as u64,
                        Piece::Hole { written, .. } => written.len() as u64,
                    };
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> Value {
        let mut value = Value::Null;
        for _ in 0..depth {
            value = Value::List(vec![value]);
        }
        value
    }

    #[test]
    fn a_value_is_measured_by_its_strings_elements_and_depth() {
        let value = Value::List(vec![
            Value::string("abc"),
            Value::Map([("key".to_string(), Value::List(vec![Value::string("de")]))].into()),
        ]);
        assert_eq!(measure(&value), Size { bytes: 3 + 3 + 2, elements: 2 + 1 + 1, depth: 4 });
        assert_eq!(measure(&Value::Null), Size { bytes: 0, elements: 0, depth: 1 });
    }

    #[test]
    fn each_limit_is_named_when_reached_and_the_budget_stays_spent() {
        run(|| {
            assert!(charge(MAX_BYTES, 0, Some(3..4)).is_ok());
            let err = charge(1, 0, Some(5..9)).unwrap_err();
            assert!(err.contains("more than 256 MiB of strings"), "{err}");
            // Spent: everything after fails with the first limit's message, and the place is the first one's.
            let after = charge(0, 1, None).unwrap_err();
            assert_eq!(after, err);
            assert!(enter(None).is_err());
            let exceeded = take_unreported().expect("reported once");
            assert_eq!((exceeded.limit, exceeded.at), (Limit::Bytes, Some(5..9)));
            assert_eq!(take_unreported(), None);
        });
        run(|| {
            assert!(charge(0, MAX_ELEMENTS + 1, None).unwrap_err().contains("4000000 list, map and `for` elements"));
        });
        run(|| {
            assert!(charge_instances(MAX_INSTANCES, None).is_ok());
            assert!(charge_instances(1, None).unwrap_err().contains("200000 module and resource instances"));
        });
        run(|| {
            assert!(charge_value(&nested(MAX_VALUE_DEPTH - 1), None).is_ok());
            let err = charge_value(&nested(MAX_VALUE_DEPTH), None).unwrap_err();
            assert!(err.contains("a value nests more than 256 levels"), "{err}");
        });
    }

    #[test]
    fn depth_is_counted_per_level_and_released() {
        run(|| {
            let mut levels = Vec::new();
            for _ in 0..MAX_DEPTH {
                levels.push(enter(None).expect("within the limit"));
            }
            assert!(enter(Some(1..2)).unwrap_err().contains("nest more than 2000 levels"));
            drop(levels);
            assert_eq!(take_unreported().map(|e| e.limit), Some(Limit::Depth));
        });
        // Released: a new budget starts at depth 0.
        run(|| {
            let _level = enter(None).expect("fresh budget");
            assert!(!spent());
        });
    }

    /// Evaluate a literal expression (no references) under a fresh budget.
    fn evaluate(text: &str) -> Result<Value, String> {
        let expr = hcl_edit::parser::parse_expr(text).map_err(|e| e.to_string())?;
        run(|| super::super::eval::eval(&super::super::literal::Literal, &expr, Default::default()))
    }

    #[test]
    fn expressions_that_multiply_stop_at_their_limit() {
        // 10^9 iterations: stopped at the element limit, long before.
        let nested = "[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]";
        assert!(evaluate(nested).unwrap_err().contains("`for` elements"));
        // The template `for` counts its iterations too, and what it writes counts as bytes.
        let template =
            r#""%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}x%{endfor}%{endfor}%{endfor}""#;
        assert!(evaluate(template).unwrap_err().contains("evaluation limit reached"));
        // A separator repeated per element is charged before `join` builds the result.
        let join = format!("join(\"{}\", range(1000))", "x".repeat(300_000));
        assert!(evaluate(&join).unwrap_err().contains("MiB of strings"));
        let replace = format!("replace(\"{}\", \"\", \"{}\")", "y".repeat(20_000), "x".repeat(20_000));
        assert!(evaluate(&replace).unwrap_err().contains("MiB of strings"));
        // Real sizes pass.
        assert_eq!(
            evaluate("length([for a in range(100) : [for b in range(100) : b]])"),
            Ok(Value::Number(100.into()))
        );
        assert_eq!(evaluate("join(\",\", [for a in range(1000) : a])").map(|v| measure(&v).bytes), Ok(3889));
    }

    #[test]
    fn a_budget_is_fresh_per_run_and_evaluation_outside_run_brings_its_own() {
        run(|| assert!(charge(MAX_BYTES + 1, 0, None).is_err()));
        run(|| assert!(charge(1, 0, None).is_ok()));
        // Outside `run`: the outermost level installs a budget and removes it when it ends.
        {
            let _outer = enter(None).expect("outermost");
            assert!(charge(MAX_BYTES + 1, 0, None).is_err());
            assert!(spent());
        }
        assert!(!spent());
        let _outer = enter(None).expect("a new outermost level gets a new budget");
        assert!(charge(1, 0, None).is_ok());
    }
}
