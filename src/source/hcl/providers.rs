//! Which `provider "aws"` configuration a resource or module call uses: `provider = aws.west` on a resource,
//! `providers = { aws = aws.west }` on a module call.

use hcl_edit::expr::{Expression, TraversalOperator};

/// `aws.west` -> `west`; `aws` -> `` (the default configuration). Other providers are not AWS.
pub fn provider_alias(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(name) if name.as_str() == "aws" => Some(String::new()),
        Expression::Traversal(traversal) => match (&traversal.expr, traversal.operators.as_slice()) {
            (Expression::Variable(name), [op]) if name.as_str() == "aws" => match op.value() {
                TraversalOperator::GetAttr(alias) => Some(alias.as_str().to_string()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// `providers = { aws = aws.west, aws.east = aws.east }` -> [(inner alias, outer alias)].
pub fn provider_map(expr: &Expression) -> Vec<(String, String)> {
    let Expression::Object(object) = expr else { return Vec::new() };
    object
        .iter()
        .filter_map(|(key, value)| {
            let inner = match key {
                hcl_edit::expr::ObjectKey::Ident(ident) if ident.as_str() == "aws" => String::new(),
                hcl_edit::expr::ObjectKey::Expression(e) => provider_alias(e)?,
                _ => return None,
            };
            Some((inner, provider_alias(value.expr())?))
        })
        .collect()
}
