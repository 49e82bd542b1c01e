//! The AWS provider's own functions that need no AWS call (`provider::aws::arn_build`, `arn_parse`), as
//! hashicorp/aws defines them (internal/function/arn_build_function.go, arn_parse_function.go: the SDK's
//! `arn.ARN`): modules build a PT's model ARN with them.

use super::{arity, reject_null, string, unknown_in};
use crate::source::hcl::value::Value;
use std::collections::BTreeMap;

/// The hashicorp/aws function `name` with evaluated arguments; `None` for a function of another provider or one
/// ptlint does not compute.
pub fn call(provider: &str, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    let implementation: fn(&[Value]) -> Result<Value, String> = match (provider, name) {
        ("aws", "arn_build") => arn_build,
        ("aws", "arn_parse") => arn_parse,
        _ => return None,
    };
    Some(
        implementation(args).map_err(|message| format!("call to function \"provider::aws::{name}\" failed: {message}")),
    )
}

/// `arn_build(partition, service, region, account_id, resource)`: `arn:` and the five parts joined by `:`.
fn arn_build(args: &[Value]) -> Result<Value, String> {
    arity(args, 5, Some(5))?;
    reject_null(args)?;
    if let Some(unknown) = unknown_in(args) {
        return Ok(unknown);
    }
    let parts = args.iter().map(string).collect::<Result<Vec<_>, _>>()?;
    Ok(Value::String(format!("arn:{}", parts.join(":"))))
}

/// `arn_parse(arn)`: an object of `partition`, `service`, `region`, `account_id` and `resource` (which keeps
/// any further `:`); a string that is not an ARN is an error.
fn arn_parse(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    if let Some(unknown) = unknown_in(args) {
        return Ok(unknown);
    }
    let arn = string(&args[0])?;
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account_id, resource] = parts.as_slice() else {
        return Err(format!("arn: not enough sections in {arn:?}"));
    };
    if *prefix != "arn" {
        return Err(format!("arn: invalid prefix in {arn:?}"));
    }
    let fields = [
        ("partition", partition),
        ("service", service),
        ("region", region),
        ("account_id", account_id),
        ("resource", resource),
    ];
    Ok(Value::Map(fields.iter().map(|(k, v)| (k.to_string(), Value::string(**v))).collect::<BTreeMap<_, _>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn arn_build_joins_the_parts_as_the_plan_showed() {
        let args = [s("aws"), s("bedrock"), s("us-east-1"), s(""), s("foundation-model/amazon.titan-text-lite-v1")];
        assert_eq!(
            call("aws", "arn_build", &args).unwrap().unwrap(),
            s("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1")
        );
        let unknown = [s("aws"), s("bedrock"), Value::unknown("region"), s(""), s("x")];
        assert!(matches!(call("aws", "arn_build", &unknown).unwrap().unwrap(), Value::Unknown(_)));
        assert!(call("aws", "arn_build", &args[..4]).unwrap().is_err());
        assert!(call("other", "arn_build", &args).is_none());
    }

    #[test]
    fn arn_parse_splits_at_the_first_five_colons() {
        let parsed = call("aws", "arn_parse", &[s("arn:aws:bedrock:us-west-2:123456789012:custom-model/a.b:0:8k/x")])
            .unwrap()
            .unwrap();
        let Value::Map(fields) = parsed else { panic!("an object") };
        assert_eq!(fields["partition"], s("aws"));
        assert_eq!(fields["region"], s("us-west-2"));
        assert_eq!(fields["account_id"], s("123456789012"));
        assert_eq!(fields["resource"], s("custom-model/a.b:0:8k/x"));
        assert!(call("aws", "arn_parse", &[s("not-an-arn")]).unwrap().is_err());
        assert!(call("aws", "arn_parse", &[s("urn:aws:s3:::b")]).unwrap().is_err());
    }
}
