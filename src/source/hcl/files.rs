//! `templatefile` and `fileset`, the file functions that do more than read one file. Neither touches the file
//! system itself: a template's text comes through the reader `file()` uses, and each path `fileset` lists is
//! kept only if `fileexists()` says it is there, so both are confined exactly as those two are.

use super::eval::{eval, Resolver};
use super::scope::Scope;
use super::value::{Unknown, Value};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::StringTemplate;
use hcl_edit::Decorated;
use std::collections::BTreeMap;
use std::path::Path;

/// Paths `fileset` looks at before it gives up (its answer is then unknown): far beyond a module's own files.
const MAX_LISTED: usize = 10_000;

/// `templatefile(path, vars)`: the file read by `read` (the reader `file()` uses), rendered as a template whose
/// only names are `vars`; the functions are those of the module (`file()` reads through the same reader).
pub fn templatefile(
    outer: &dyn Resolver,
    path: &str,
    vars: &Value,
    read: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Value, String> {
    let vars = match vars {
        Value::Map(entries) => entries,
        Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
        Value::Null => return Err("templatefile(): the vars argument must not be null".into()),
        other => return Err(format!("templatefile(): vars must be a map, not a {}", other.type_name())),
    };
    let text = read(path)?;
    let template = hcl_edit::parser::parse_template(&text)
        .map_err(|e| format!("templatefile(\"{path}\"): {}", e.message().lines().next().unwrap_or_default()))?;
    let expression = Expression::StringTemplate(StringTemplate::from(template));
    let scope = TemplateScope { vars, outer };
    eval(&scope, &expression, Scope::default()).map_err(|why| format!("templatefile(\"{path}\"): {why}"))
}

/// The names a template sees: its variables only (terraform gives a template no access to the module's).
struct TemplateScope<'a> {
    vars: &'a BTreeMap<String, Value>,
    outer: &'a dyn Resolver,
}

impl Resolver for TemplateScope<'_> {
    fn resolve(&self, root: &str, _: &[Decorated<TraversalOperator>], _: Scope<'_>) -> Result<(Value, usize), String> {
        match self.vars.get(root) {
            Some(value) => Ok((value.clone(), 0)),
            None => Err(format!("vars map does not contain key \"{root}\"")),
        }
    }

    fn call_with_context(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name == "templatefile" {
            return Some(Err("cannot recursively call templatefile from inside templatefile".into()));
        }
        self.outer.call_with_context(name, args)
    }
}

/// `fileset(path, pattern)`: the files under `path` (relative to `base`, the root module's directory) whose path
/// below it matches the glob `pattern` (`*` within one directory, `**` across them), as a set of `/`-separated
/// paths relative to `path`. A path is kept only when `exists` (the check `fileexists()` makes) accepts it.
pub fn fileset(base: &Path, path: &str, pattern: &str, exists: impl Fn(&str) -> bool) -> Result<Value, String> {
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("fileset(): invalid pattern `{pattern}`: {e}"))?
        .compile_matcher();
    let root = base.join(path);
    let mut found = Vec::new();
    // Every file, hidden or ignored ones too, as terraform lists them; links are not followed.
    let walk = ignore::WalkBuilder::new(&root).standard_filters(false).follow_links(false).build();
    for (seen, entry) in walk.enumerate() {
        if seen >= MAX_LISTED {
            return Ok(Value::Unknown(Unknown::Reason(format!(
                "fileset(\"{path}\", \"{pattern}\") lists more than {MAX_LISTED} paths"
            ))));
        }
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&root) else { continue };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let joined = if path.is_empty() || path == "." { relative.clone() } else { format!("{path}/{relative}") };
        if glob.is_match(&relative) && exists(&joined) {
            found.push(Value::String(relative));
        }
    }
    Ok(Value::set(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(value: Value) -> Vec<String> {
        match value {
            Value::Set(items) => items.iter().map(|i| i.to_template_string().unwrap_or_default()).collect(),
            other => panic!("not a set: {other:?}"),
        }
    }

    /// terraform 1.11: `templatefile("t.tpl", { name = "bob", items = [1, 2] })` of the text below.
    #[test]
    fn templates_render_with_their_vars_only() {
        let vars = Value::Map(
            [
                ("name".to_string(), Value::string("bob")),
                ("items".to_string(), Value::List(vec![Value::Number(1.into()), Value::Number(2.into())])),
            ]
            .into(),
        );
        let text = "hello ${name}%{ for i in items }-${i}%{ endfor }\n";
        let read = |_: &str| Ok(text.to_string());
        let outer = super::super::literal::Literal;
        assert_eq!(templatefile(&outer, "t.tpl", &vars, read), Ok(Value::string("hello bob-1-2\n")));
        let missing = templatefile(&outer, "t.tpl", &Value::Map(BTreeMap::new()), read).unwrap_err();
        assert!(missing.contains("vars map does not contain key \"name\""), "{missing}");
        let nested = |_: &str| Ok("${templatefile(\"x\", {})}".to_string());
        let recursive = templatefile(&outer, "t.tpl", &Value::Map(BTreeMap::new()), nested).unwrap_err();
        assert!(recursive.contains("recursively"), "{recursive}");
        let unreadable = |_: &str| Err("file(\"t.tpl\"): cannot read".to_string());
        assert!(templatefile(&outer, "t.tpl", &vars, unreadable).is_err());
    }

    /// What terraform 1.11 planned for `fileset(path.module, "sub/**/*.yaml")` and `fileset("sub", "*")`.
    #[test]
    fn fileset_matches_as_terraform_matches() {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in ["sub/a.yaml", "sub/b.json", "sub/x/c.yaml"] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "").expect("write");
        }
        let all = |_: &str| true;
        assert_eq!(
            strings(fileset(dir.path(), ".", "sub/**/*.yaml", all).expect("fileset")),
            ["sub/a.yaml", "sub/x/c.yaml"]
        );
        assert_eq!(strings(fileset(dir.path(), "sub", "*", all).expect("fileset")), ["a.yaml", "b.json"]);
        // What `fileexists()` refuses is not listed.
        let refused = |p: &str| !p.ends_with(".json");
        assert_eq!(strings(fileset(dir.path(), "sub", "*", refused).expect("fileset")), ["a.yaml"]);
        assert!(fileset(dir.path(), "sub", "[", all).is_err());
    }
}
