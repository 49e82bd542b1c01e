//! The local values an expression names (`local.x`), found with an explicit stack rather than recursion.

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};

/// The names of the locals `expr` refers to, in order of appearance, repeats included.
pub fn locals_named(expr: &Expression) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack: Vec<&Expression> = vec![expr];
    let mut templates: Vec<&Template> = Vec::new();
    loop {
        if let Some(template) = templates.pop() {
            for element in template.iter() {
                match element {
                    Element::Literal(_) => {}
                    Element::Interpolation(interpolation) => stack.push(&interpolation.expr),
                    Element::Directive(directive) => match directive.as_ref() {
                        Directive::If(if_directive) => {
                            stack.push(&if_directive.if_expr.cond_expr);
                            templates.push(&if_directive.if_expr.template);
                            if let Some(else_expr) = &if_directive.else_expr {
                                templates.push(&else_expr.template);
                            }
                        }
                        Directive::For(for_directive) => {
                            stack.push(&for_directive.for_expr.collection_expr);
                            templates.push(&for_directive.for_expr.template);
                        }
                    },
                }
            }
            continue;
        }
        let Some(expr) = stack.pop() else { break };
        match expr {
            Expression::Null(_) | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => {}
            Expression::Variable(_) => {}
            Expression::Array(items) => stack.extend(items.iter()),
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    if let ObjectKey::Expression(key) = key {
                        stack.push(key);
                    }
                    stack.push(value.expr());
                }
            }
            Expression::StringTemplate(template) => templates.push(template),
            Expression::HeredocTemplate(heredoc) => templates.push(&heredoc.template),
            Expression::Parenthesis(inner) => stack.push(inner.inner()),
            Expression::Conditional(cond) => stack.extend([&cond.cond_expr, &cond.true_expr, &cond.false_expr]),
            Expression::FuncCall(call) => stack.extend(call.args.iter()),
            Expression::Traversal(traversal) => {
                match (&traversal.expr, traversal.operators.first().map(|o| o.value())) {
                    (Expression::Variable(root), Some(TraversalOperator::GetAttr(name)))
                        if root.as_str() == "local" =>
                    {
                        names.push(name.as_str().to_string());
                    }
                    (other, _) => stack.push(other),
                }
                for operator in &traversal.operators {
                    if let TraversalOperator::Index(index) = operator.value() {
                        stack.push(index);
                    }
                }
            }
            Expression::UnaryOp(op) => stack.push(&op.expr),
            Expression::BinaryOp(op) => stack.extend([&op.lhs_expr, &op.rhs_expr]),
            Expression::ForExpr(for_expr) => {
                stack.push(&for_expr.intro.collection_expr);
                stack.extend(for_expr.key_expr.as_ref());
                stack.push(&for_expr.value_expr);
                stack.extend(for_expr.cond.as_ref().map(|c| &c.expr));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::locals_named;

    fn names(text: &str) -> Vec<String> {
        let body = hcl_edit::parser::parse_body(&format!("x = {text}\n")).expect("parses");
        let attribute = body.get_attribute("x").expect("x");
        let mut found = locals_named(&attribute.value);
        found.sort();
        found
    }

    #[test]
    fn every_place_a_local_can_be_named_is_found() {
        assert_eq!(names("local.a + 1"), ["a"]);
        assert_eq!(names("[local.a, { k = local.b, (local.c) = 1 }]"), ["a", "b", "c"]);
        assert_eq!(names("\"${local.a}-%{if local.b}${local.c}%{else}x%{endif}\""), ["a", "b", "c"]);
        assert_eq!(names("\"%{for x in local.a}${x}${local.b}%{endfor}\""), ["a", "b"]);
        assert_eq!(names("{ for k, v in local.a : k => v if v != local.b }"), ["a", "b"]);
        assert_eq!(names("[for v in local.a : v if v != local.b]"), ["a", "b"]);
        assert_eq!(names("local.a ? f(local.b) : !local.c"), ["a", "b", "c"]);
        assert_eq!(names("var.x[local.a].y[local.b]"), ["a", "b"]);
        assert_eq!(names("(local.a.b.c[0])"), ["a"]);
        assert_eq!(names("<<EOT\n${local.a}\nEOT"), ["a"]);
        assert!(names("var.local + module.local.x").is_empty());
    }
}
