//! Functions terraform itself leaves unknown while planning: `timestamp`, `uuid` and `bcrypt` are impure, and
//! terraform evaluates them only at apply (`impureFunctions` in terraform's `internal/lang/functions.go`).

use super::{arity, reject_null};
use crate::source::hcl::value::Value;

fn known_at_apply(name: &str) -> Value {
    Value::unknown(format!("{name}() is known only after apply"))
}

/// `timestamp()`.
pub(super) fn timestamp(args: &[Value]) -> Result<Value, String> {
    arity(args, 0, Some(0))?;
    Ok(known_at_apply("timestamp"))
}

/// `uuid()`.
pub(super) fn uuid(args: &[Value]) -> Result<Value, String> {
    arity(args, 0, Some(0))?;
    Ok(known_at_apply("uuid"))
}

/// `bcrypt(string, cost)`.
pub(super) fn bcrypt(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(2))?;
    reject_null(args)?;
    Ok(known_at_apply("bcrypt"))
}
