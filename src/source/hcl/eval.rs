//! Expression evaluation: operators, conditionals, `for` expressions, splats and function calls; string templates
//! are rendered by `template.rs`, and `.name` / `[index]` read into values by `access.rs`.
//!
//! What an expression refers to (`var.x`, `local.y`, `aws_x.y.arn`, `module.m.out`) is answered by a
//! [`Resolver`]; this module knows only the expression language. Errors are terraform's evaluation errors
//! (`Err`), which `try` and `can` catch; values not known before apply are [`Value::Unknown`] and flow through.

use super::access::{get_attr, get_index, iterate};
use super::budget;
use super::functions;
use super::scope::{Frame, Scope};
use super::template::template_string;
use super::value::{Unknown, Value};
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::{Decorated, Span as _};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Answers references that are not names bound in a [`Scope`].
pub trait Resolver {
    /// Resolve a traversal rooted at `root` (`var`, `local`, `module`, `data`, a resource type, `path`, ...).
    /// Returns the value and how many of `operators` it consumed; the evaluator applies the rest.
    fn resolve(
        &self,
        root: &str,
        operators: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
    ) -> Result<(Value, usize), String>;

    /// Functions that need the module's context (`file`, `templatefile`, `fileexists`); `None` if not one.
    fn call_with_context(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;

    /// Evaluate an expression (the resolver owns the evaluator so that references can evaluate other expressions).
    fn eval(&self, expr: &Expression, scope: Scope<'_>) -> Result<Value, String> {
        eval(self, expr, scope)
    }
}

/// Evaluate an expression.
pub fn eval<R: Resolver + ?Sized>(resolver: &R, expr: &Expression, scope: Scope<'_>) -> Result<Value, String> {
    // Every level of evaluation counts against the budget's depth, and what it builds against its size.
    let _level = budget::enter(expr.span())?;
    match expr {
        Expression::Null(_) => Ok(Value::Null),
        Expression::Bool(b) => Ok(Value::Bool(*b.value())),
        Expression::Number(n) => number(&n.value().to_string()),
        Expression::String(s) => {
            budget::charge(s.value().len() as u64, 0, expr.span())?;
            Ok(Value::String(s.value().clone()))
        }
        Expression::Array(items) => {
            budget::charge(0, items.len() as u64, expr.span())?;
            Ok(Value::List(items.iter().map(|i| eval(resolver, i, scope)).collect::<Result<_, _>>()?))
        }
        Expression::Object(object) => {
            let mut entries = BTreeMap::new();
            for (key, value) in object.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_string(),
                    ObjectKey::Expression(key) => match eval(resolver, key, scope)? {
                        Value::Unknown(u) => return Ok(Value::Unknown(u.plain())),
                        other => other.to_template_string().ok_or("object keys must be strings")?,
                    },
                };
                budget::charge(key.len() as u64, 1, expr.span())?;
                entries.insert(key, eval(resolver, value.expr(), scope)?);
            }
            Ok(Value::Map(entries))
        }
        Expression::StringTemplate(template) => template_string(template, scope, &|e, s| eval(resolver, e, s)),
        Expression::HeredocTemplate(heredoc) => template_string(&heredoc.template, scope, &|e, s| eval(resolver, e, s)),
        Expression::Parenthesis(inner) => eval(resolver, inner.inner(), scope),
        Expression::Variable(name) => match scope.lookup(name.as_str()) {
            Some(value) => {
                budget::charge_value(value, expr.span())?;
                Ok(value.clone())
            }
            None => resolver.resolve(name.as_str(), &[], scope).map(|(v, _)| v),
        },
        Expression::Conditional(cond) => match eval(resolver, &cond.cond_expr, scope)? {
            Value::Unknown(u) => Ok(Value::Unknown(u.plain())),
            value => match value.to_bool() {
                Some(true) => eval(resolver, &cond.true_expr, scope),
                Some(false) => eval(resolver, &cond.false_expr, scope),
                None => Err(format!("condition must be a bool, not `{value}`")),
            },
        },
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            // `core::name` is the built-in `name`; any other namespace is a provider's function.
            let namespace: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
            let namespaced = !namespace.is_empty() && namespace != ["core"];
            let args: Vec<&Expression> = call.args.iter().collect();
            match name {
                "try" if !namespaced => try_(resolver, &args, scope),
                "can" if !namespaced => match args.as_slice() {
                    [arg] => Ok(match eval(resolver, arg, scope) {
                        Ok(value) if value.contains_unknown() => {
                            value.first_unknown().map_or(Value::Bool(true), |u| Value::Unknown(u.plain()))
                        }
                        Ok(_) => Value::Bool(true),
                        Err(_) => Value::Bool(false),
                    }),
                    _ => Err("can() takes one argument".into()),
                },
                _ => {
                    let mut values = Vec::with_capacity(args.len());
                    // Functions compute with their arguments: the known parts of a partial string do not carry
                    // through them.
                    // ... except `format` and `join`, which can place a partial string (or a reference) in
                    // their result as a template does.
                    let places = !namespaced && functions::builds_partial(name);
                    for arg in &args {
                        let value = eval(resolver, arg, scope)?;
                        values.push(if places { value } else { value.without_partials() });
                    }
                    if places {
                        if !call.args.expand_final() && values.iter().any(Value::contains_unknown) {
                            // What `join` may build is charged before it builds it, as for the plain call.
                            budget::charge_call(name, &values, expr.span())?;
                            if let Some(result) = functions::call_partial(name, &values) {
                                budget::charge_value(&result, expr.span())?;
                                return Ok(result);
                            }
                        }
                        values = values.into_iter().map(Value::without_partials).collect();
                    }
                    if call.args.expand_final() {
                        match values.pop() {
                            Some(Value::List(rest) | Value::Set(rest)) => values.extend(rest),
                            Some(Value::Unknown(u)) => return Ok(Value::Unknown(u)),
                            _ => return Err(format!("{name}(...): the expanded argument must be a list")),
                        }
                    }
                    if namespaced {
                        // `provider::aws::arn_build(...)`: the provider's functions ptlint computes offline.
                        if let ["provider", provider] = namespace.as_slice() {
                            if let Some(result) = functions::aws::call(provider, name, &values) {
                                return result;
                            }
                        }
                        return Ok(Value::unknown(format!("provider function {name}()")));
                    }
                    let result = match resolver.call_with_context(name, &values) {
                        Some(result) => result?,
                        None => {
                            budget::charge_call(name, &values, expr.span())?;
                            functions::call(name, &values)?
                        }
                    };
                    budget::charge_value(&result, expr.span())?;
                    Ok(result)
                }
            }
        }
        Expression::Traversal(traversal) => {
            let (value, used) = match &traversal.expr {
                Expression::Variable(name) if scope.lookup(name.as_str()).is_none() => {
                    resolver.resolve(name.as_str(), &traversal.operators, scope)?
                }
                other => (eval(resolver, other, scope)?, 0),
            };
            let rest = traversal.operators.get(used..).unwrap_or_default();
            apply_operators(resolver, value, rest, scope)
        }
        Expression::UnaryOp(op) => {
            let value = eval(resolver, &op.expr, scope)?;
            if let Value::Unknown(u) = value {
                return Ok(Value::Unknown(u.plain()));
            }
            match op.operator.value() {
                UnaryOperator::Neg => value.to_number().map(|n| Value::Number(-n)).ok_or("`-` needs a number".into()),
                UnaryOperator::Not => value.to_bool().map(|b| Value::Bool(!b)).ok_or("`!` needs a bool".into()),
            }
        }
        Expression::BinaryOp(op) => binary(resolver, op.operator.value(), &op.lhs_expr, &op.rhs_expr, scope),
        Expression::ForExpr(for_expr) => {
            let collection = eval(resolver, &for_expr.intro.collection_expr, scope)?;
            if let Value::Unknown(u) = collection {
                return Ok(Value::Unknown(u.plain()));
            }
            let key_var = for_expr.intro.key_var.as_ref().map(|k| k.as_str().to_string());
            let value_var = for_expr.intro.value_var.as_str().to_string();
            let mut list = Vec::new();
            let mut map: BTreeMap<String, Value> = BTreeMap::new();
            let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (key, item) in iterate(&collection)? {
                budget::charge(0, 1, expr.span())?;
                let key_frame;
                let inner = match &key_var {
                    Some(name) => {
                        key_frame = Frame::new(name.clone(), key, scope);
                        key_frame.scope()
                    }
                    None => scope,
                };
                let value_frame = Frame::new(value_var.clone(), item, inner);
                let inner = value_frame.scope();
                if let Some(cond) = &for_expr.cond {
                    match eval(resolver, &cond.expr, inner)? {
                        Value::Unknown(u) => return Ok(Value::Unknown(u.plain())),
                        value => match value.to_bool() {
                            Some(true) => {}
                            Some(false) => continue,
                            None => return Err("a `for` condition must be a bool".into()),
                        },
                    }
                }
                let value = eval(resolver, &for_expr.value_expr, inner)?;
                match &for_expr.key_expr {
                    None => list.push(value),
                    Some(key_expr) => {
                        let key = match eval(resolver, key_expr, inner)? {
                            Value::Unknown(u) => return Ok(Value::Unknown(u.plain())),
                            k => k.to_template_string().ok_or("`for` keys must be strings")?,
                        };
                        if for_expr.grouping {
                            groups.entry(key).or_default().push(value);
                        } else if map.insert(key.clone(), value).is_some() {
                            return Err(format!("duplicate key `{key}` in a `for` expression (use `...` to group)"));
                        }
                    }
                }
            }
            Ok(match (&for_expr.key_expr, for_expr.grouping) {
                (None, _) => Value::List(list),
                (Some(_), true) => Value::Map(groups.into_iter().map(|(k, v)| (k, Value::List(v))).collect()),
                (Some(_), false) => Value::Map(map),
            })
        }
    }
}

fn number(text: &str) -> Result<Value, String> {
    super::value::parse_number(text).map(Value::Number).ok_or_else(|| format!("number `{text}` is out of range"))
}

/// `try(a, b, ...)`: the first argument that evaluates without error (an unknown one decides nothing).
fn try_<R: Resolver + ?Sized>(resolver: &R, args: &[&Expression], scope: Scope<'_>) -> Result<Value, String> {
    let mut last = String::from("try() needs at least one argument");
    for arg in args {
        match eval(resolver, arg, scope) {
            // Whether a value with unknowns inside would fail is not known yet: the result is unknown (a
            // partly known string stays as it is: if it evaluates, it is that string).
            Ok(value @ Value::Unknown(_)) => return Ok(value),
            Ok(value) => return Ok(value.first_unknown().map(Unknown::plain).map_or(value, Value::Unknown)),
            Err(err) => last = err,
        }
    }
    Err(format!("no argument of try() could be evaluated: {last}"))
}

/// Apply `.attr`, `[index]`, `.*` and `[*]` to a value.
pub fn apply_operators<R: Resolver + ?Sized>(
    resolver: &R,
    mut value: Value,
    operators: &[Decorated<TraversalOperator>],
    scope: Scope<'_>,
) -> Result<Value, String> {
    for (i, operator) in operators.iter().enumerate() {
        match operator.value() {
            TraversalOperator::GetAttr(name) => value = get_attr(value, name.as_str())?,
            TraversalOperator::Index(index) => {
                let index = eval(resolver, index, scope)?;
                value = get_index(value, &index)?;
            }
            TraversalOperator::LegacyIndex(index) => {
                value = get_index(value, &Value::Number(Decimal::from(*index.value())))?;
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                let rest = operators.get(i + 1..).unwrap_or_default();
                // An attribute splat applies only the attribute accesses that follow it to each element.
                let (each, after) = match operator.value() {
                    TraversalOperator::AttrSplat(_) => {
                        let n = rest.iter().take_while(|o| matches!(o.value(), TraversalOperator::GetAttr(_))).count();
                        rest.split_at(n)
                    }
                    _ => (rest, &[][..]),
                };
                // Each splat nests one more level of this function (and of the list it builds).
                let _level = budget::enter(None)?;
                let items = match value {
                    Value::Unknown(u) => return Ok(Value::Unknown(u.plain())),
                    Value::Null => Vec::new(),
                    Value::List(items) | Value::Set(items) => items,
                    single => vec![single],
                };
                let mapped = items
                    .into_iter()
                    .map(|item| apply_operators(resolver, item, each, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                return apply_operators(resolver, Value::List(mapped), after, scope);
            }
        }
    }
    Ok(value)
}

fn binary<R: Resolver + ?Sized>(
    resolver: &R,
    op: &BinaryOperator,
    lhs: &Expression,
    rhs: &Expression,
    scope: Scope<'_>,
) -> Result<Value, String> {
    let left = eval(resolver, lhs, scope)?;
    // `&&` and `||` do not short-circuit in terraform, but a known deciding side decides.
    let right = eval(resolver, rhs, scope)?;
    match op {
        BinaryOperator::And | BinaryOperator::Or => {
            let is_and = matches!(op, BinaryOperator::And);
            let (l, r) = (left.to_bool(), right.to_bool());
            match (l, r) {
                (Some(l), Some(r)) => Ok(Value::Bool(if is_and { l && r } else { l || r })),
                (Some(decides), _) | (_, Some(decides)) if decides != is_and => Ok(Value::Bool(decides)),
                _ => unknown_of(&left, &right).ok_or_else(|| "`&&` and `||` need bools".into()),
            }
        }
        BinaryOperator::Eq | BinaryOperator::NotEq => {
            if left.contains_unknown() || right.contains_unknown() {
                return Ok(unknown_of(&left, &right).unwrap_or(Value::unknown("comparison")));
            }
            let equal = equal(&left, &right);
            Ok(Value::Bool(if matches!(op, BinaryOperator::Eq) { equal } else { !equal }))
        }
        _ => {
            if let Some(unknown) = unknown_of(&left, &right) {
                return Ok(unknown);
            }
            let (Some(l), Some(r)) = (left.to_number(), right.to_number()) else {
                return Err(format!("`{}` needs numbers, not `{left}` and `{right}`", op.as_str()));
            };
            let overflow = || format!("`{}` overflows", op.as_str());
            Ok(match op {
                BinaryOperator::Plus => Value::Number(l.checked_add(r).ok_or_else(overflow)?),
                BinaryOperator::Minus => Value::Number(l.checked_sub(r).ok_or_else(overflow)?),
                BinaryOperator::Mul => Value::Number(l.checked_mul(r).ok_or_else(overflow)?),
                BinaryOperator::Div => Value::Number(l.checked_div(r).ok_or("division by zero")?),
                BinaryOperator::Mod => Value::Number(l.checked_rem(r).ok_or("modulo by zero")?),
                BinaryOperator::Less => Value::Bool(l < r),
                BinaryOperator::LessEq => Value::Bool(l <= r),
                BinaryOperator::Greater => Value::Bool(l > r),
                BinaryOperator::GreaterEq => Value::Bool(l >= r),
                _ => return Err(format!("unsupported operator `{}`", op.as_str())),
            })
        }
    }
}

fn unknown_of(left: &Value, right: &Value) -> Option<Value> {
    left.first_unknown().or(right.first_unknown()).map(|u| Value::Unknown(u.plain()))
}

/// Terraform equality: numbers by value, everything else structurally (a string never equals a number).
fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::List(a), Value::List(b)) | (Value::Set(a), Value::Set(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && equal(va, vb))
        }
        (a, b) => a == b,
    }
}
