//! The resolver for expressions that may not refer to anything: variable defaults, tfvars, type defaults.

use super::eval::Resolver;
use super::scope::Scope;
use super::value::Value;
use hcl_edit::expr::TraversalOperator;
use hcl_edit::Decorated;

/// Evaluates literal expressions only (variable defaults, tfvars, type defaults): no references.
pub struct Literal;

impl Resolver for Literal {
    fn resolve(&self, root: &str, _: &[Decorated<TraversalOperator>], _: Scope<'_>) -> Result<(Value, usize), String> {
        Err(format!("`{root}`: references are not allowed here"))
    }

    fn call_with_context(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}
