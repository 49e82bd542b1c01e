//! The names `for` expressions, `each`, `count` and template `for` directives bind, as a chain of frames.

use super::value::Value;

/// Names bound by `for` expressions, `each`, `count` and template `for` directives, innermost first.
#[derive(Clone, Copy, Default)]
pub struct Scope<'s> {
    frame: Option<&'s Frame<'s>>,
}

pub struct Frame<'s> {
    name: String,
    value: Value,
    parent: Scope<'s>,
}

impl<'s> Scope<'s> {
    pub fn lookup(&self, name: &str) -> Option<&'s Value> {
        let mut frame = self.frame;
        while let Some(f) = frame {
            if f.name == name {
                return Some(&f.value);
            }
            frame = f.parent.frame;
        }
        None
    }
}

impl<'s> Frame<'s> {
    pub fn new(name: impl Into<String>, value: Value, parent: Scope<'s>) -> Frame<'s> {
        Frame { name: name.into(), value, parent }
    }

    pub fn scope(&'s self) -> Scope<'s> {
        Scope { frame: Some(self) }
    }
}
