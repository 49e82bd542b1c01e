//! String templates (`"${...}"`, heredocs) rendered as terraform renders them: interpolations, `%{if}` and
//! `%{for}` directives and `~` strip markers. An interpolation not known yet leaves a hole in a partly known string.

use super::access::iterate;
use super::budget;
use super::scope::{Frame, Scope};
use super::value::{Piece, Unknown, Value};
use hcl_edit::expr::Expression;
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span as _;

/// Evaluates an expression of the template (an interpolation, a directive's condition or collection) in a scope.
pub type Evaluate<'e> = dyn Fn(&Expression, Scope<'_>) -> Result<Value, String> + 'e;

/// Evaluate a string template; a template that is one interpolation yields that expression's own value.
pub fn template_string(template: &Template, scope: Scope<'_>, eval: &Evaluate<'_>) -> Result<Value, String> {
    let elements: Vec<&Element> = template.iter().collect();
    if let [Element::Interpolation(only)] = elements.as_slice() {
        return eval(&only.expr, scope);
    }
    let mut out = Rendered::default();
    match render(template, scope, &mut out, eval)? {
        Some(unknown) => Ok(Value::Unknown(unknown)),
        None => Ok(out.finish()),
    }
}

/// A template's output so far: known text, and the interpolations not known yet in their places.
#[derive(Default)]
struct Rendered {
    pieces: Vec<Piece>,
    text: String,
}

impl Rendered {
    fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// An interpolation whose value is not known yet; a partly known string contributes its own pieces.
    fn push_unknown(&mut self, written: &str, unknown: Unknown) {
        match unknown {
            Unknown::Partial(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => self.text.push_str(&text),
                        hole @ Piece::Hole { .. } => self.push_hole(hole),
                    }
                }
            }
            why => self.push_hole(Piece::Hole { written: written.trim().to_string(), why }),
        }
    }

    fn push_hole(&mut self, hole: Piece) {
        if !self.text.is_empty() {
            self.pieces.push(Piece::Text(std::mem::take(&mut self.text)));
        }
        self.pieces.push(hole);
    }

    /// A string when every interpolation was known, else a partly known string.
    fn finish(mut self) -> Value {
        if self.pieces.is_empty() {
            return Value::String(self.text);
        }
        if !self.text.is_empty() {
            self.pieces.push(Piece::Text(self.text));
        }
        Value::Unknown(Unknown::Partial(self.pieces))
    }
}

/// Render template elements into `out`. An interpolation not known yet leaves a hole; a directive whose
/// condition or collection is not known makes the whole result unknown (returned).
fn render(
    template: &Template,
    scope: Scope<'_>,
    out: &mut Rendered,
    eval: &Evaluate<'_>,
) -> Result<Option<Unknown>, String> {
    let elements: Vec<&Element> = template.iter().collect();
    for (i, element) in elements.iter().enumerate() {
        match element {
            Element::Literal(text) => {
                let mut text: &str = text.value();
                // `~` strip markers on the neighbouring interpolation or directive trim this literal's whitespace.
                if i > 0 && strips_after(elements[i - 1]) {
                    text = text.trim_start();
                }
                if elements.get(i + 1).is_some_and(|next| strips_before(next)) {
                    text = text.trim_end();
                }
                budget::charge(text.len() as u64, 0, None)?;
                out.push_str(text);
            }
            Element::Interpolation(interpolation) => match eval(&interpolation.expr, scope)? {
                Value::Unknown(u) => out.push_unknown(&interpolation.expr.to_string(), u),
                value => match value.to_template_string() {
                    Some(text) => {
                        budget::charge(text.len() as u64, 0, interpolation.expr.span())?;
                        out.push_str(&text);
                    }
                    None if value == Value::Null => return Err("cannot interpolate null into a string".into()),
                    None => return Err(format!("cannot interpolate a {} into a string", value.type_name())),
                },
            },
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(if_directive) => {
                    let cond = eval(&if_directive.if_expr.cond_expr, scope)?;
                    if let Value::Unknown(u) = cond {
                        return Ok(Some(u.plain()));
                    }
                    let branch = match cond.to_bool() {
                        Some(true) => Some(&if_directive.if_expr.template),
                        Some(false) => if_directive.else_expr.as_ref().map(|e| &e.template),
                        None => return Err("a template `if` condition must be a bool".into()),
                    };
                    if let Some(branch) = branch {
                        if let Some(unknown) = render(branch, scope, out, eval)? {
                            return Ok(Some(unknown));
                        }
                    }
                }
                Directive::For(for_directive) => {
                    let intro = &for_directive.for_expr;
                    let collection = eval(&intro.collection_expr, scope)?;
                    if let Value::Unknown(u) = collection {
                        return Ok(Some(u.plain()));
                    }
                    for (key, item) in iterate(&collection)? {
                        budget::charge(0, 1, intro.collection_expr.span())?;
                        let key_frame;
                        let inner = match &intro.key_var {
                            Some(name) => {
                                key_frame = Frame::new(name.as_str(), key, scope);
                                key_frame.scope()
                            }
                            None => scope,
                        };
                        let value_frame = Frame::new(intro.value_var.as_str(), item, inner);
                        if let Some(unknown) = render(&intro.template, value_frame.scope(), out, eval)? {
                            return Ok(Some(unknown));
                        }
                    }
                }
            },
        }
    }
    Ok(None)
}

fn strips_after(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.endif_expr.strip.strip_end(),
            Directive::For(f) => f.endfor_expr.strip.strip_end(),
        },
        Element::Literal(_) => false,
    }
}

fn strips_before(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.if_expr.strip.strip_start(),
            Directive::For(f) => f.for_expr.strip.strip_start(),
        },
        Element::Literal(_) => false,
    }
}
