//! Terraform's built-in functions over [`Value`]s.

use super::value::Value;

/// Call a built-in function by name.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = args.iter().find(|a| a.is_unknown()) {
        return Ok(unknown.clone());
    }
    Err(format!("unknown function `{name}`"))
}
