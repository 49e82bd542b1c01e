//! Root module variable values in terraform's order: `TF_VAR_*`, `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order, then `--var-file` and `--var` as given.

use super::declarations::ModuleSource;
use super::eval;
use super::literal::Literal;
use super::module::{join_display, read_text};
use super::parse::SourceFile;
use super::types::{is_primitive, parse_type, Type};
use super::value::Value;
use crate::display_path::display_path;
use crate::finding::InputError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Variable values given from outside the configuration.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--var-file FILE`, in the order given.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, in the order given.
    pub vars: Vec<(String, String)>,
    /// `TF_VAR_name` environment variables.
    pub env: Vec<(String, String)>,
}

impl Inputs {
    /// `TF_VAR_*` from this process's environment.
    pub fn env_from_process() -> Vec<(String, String)> {
        std::env::vars().filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|name| (name.to_string(), v))).collect()
    }

    /// The values for a root module's variables, and errors in the files that give them.
    pub fn values_for(&self, module: &ModuleSource, display_dir: &str) -> (HashMap<String, Value>, Vec<InputError>) {
        let mut values = HashMap::new();
        let mut errors = Vec::new();
        for (name, raw) in &self.env {
            if let Some(value) = raw_value(module, name, raw) {
                values.insert(name.clone(), value);
            }
        }
        let mut auto: Vec<PathBuf> = std::fs::read_dir(&module.dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        auto.retain(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            p.is_file() && (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json"))
        });
        auto.sort();
        let mut files: Vec<(PathBuf, String)> = ["terraform.tfvars", "terraform.tfvars.json"]
            .iter()
            .map(|name| module.dir.join(name))
            .filter(|p| p.is_file())
            .chain(auto)
            .map(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (p, join_display(display_dir, &name))
            })
            .collect();
        files.extend(self.var_files.iter().map(|p| (p.clone(), display_path(p))));
        for (path, display) in files {
            match read_var_file(&path, &display) {
                Ok(found) => values.extend(found),
                Err(error) => errors.push(error),
            }
        }
        for (name, raw) in &self.vars {
            if let Some(value) = raw_value(module, name, raw) {
                values.insert(name.clone(), value);
            }
        }
        (values, errors)
    }
}

/// A value given as text (`--var`, `TF_VAR_`): a string for primitive or untyped variables, else HCL syntax.
fn raw_value(module: &ModuleSource, name: &str, raw: &str) -> Option<Value> {
    let literal = |e: &hcl_edit::expr::Expression| eval::eval(&Literal, e, Default::default()).unwrap_or(Value::Null);
    let declared = module.variables.get(name)?;
    let ty = declared.block.body.get_attribute("type").and_then(|t| parse_type(&t.value, &literal).ok());
    match ty {
        None | Some(Type::Any) => Some(Value::String(raw.to_string())),
        Some(ty) if is_primitive(&ty) => Some(Value::String(raw.to_string())),
        Some(_) => Some(match hcl_edit::parser::parse_expr(raw) {
            Ok(expr) => literal(&expr),
            Err(_) => Value::unknown(format!("var.{name}: `{raw}` is not valid HCL")),
        }),
    }
}

/// Read a `.tfvars` (HCL attributes) or `.tfvars.json` file.
fn read_var_file(path: &Path, display: &str) -> Result<HashMap<String, Value>, InputError> {
    let error =
        |line: u32, column: u32, message: String| InputError { file: display.to_string(), line, column, message };
    let text = read_text(path).map_err(|m| error(0, 0, m))?;
    if display.ends_with(".json") {
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| error(e.line() as u32, e.column() as u32, format!("invalid JSON: {e}")))?;
        let serde_json::Value::Object(entries) = json else {
            return Err(error(1, 1, "a .tfvars.json file must hold one JSON object".into()));
        };
        return Ok(entries.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect());
    }
    let file = SourceFile::parse(display.to_string(), text).map_err(|e| error(e.line, e.column, e.message))?;
    let mut values = HashMap::new();
    for attribute in file.body.attributes() {
        match eval::eval(&Literal, &attribute.value, Default::default()) {
            Ok(value) => {
                values.insert(attribute.key.as_str().to_string(), value);
            }
            Err(why) => {
                let span = file.attribute_span(attribute);
                return Err(error(span.line, span.column, format!("variable values must be literal: {why}")));
            }
        }
    }
    Ok(values)
}
