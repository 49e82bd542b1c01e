//! Tests of CloudFormation intrinsic functions as a template's scope resolves them.

use super::intrinsics::{Partial, Scope};
use crate::model::{Reference, Resolved};
use crate::source::json::parse_json;
use crate::source::node::Node;

fn scope_for(text: &str) -> Node {
    parse_json(text).unwrap()
}

#[test]
fn resolves_parameters_mappings_joins_and_subs() {
    let root = scope_for(
        r#"{"Parameters": {"Units": {"Type": "Number", "Default": 2}, "Arn": {"Type": "String"}},
            "Mappings": {"Models": {"us-east-1": {"Chat": "amazon.titan-text-express-v1:0:8k"}}}}"#,
    );
    let scope = Scope::new(root.get("Parameters"), root.get("Mappings"), Some("us-east-1"), None);
    let units = parse_json(r#"{"Ref": "Units"}"#).unwrap();
    assert_eq!(scope.integer(&units), Resolved::Known(2));
    let arn = parse_json(r#"{"Ref": "Arn"}"#).unwrap();
    assert_eq!(scope.string(&arn), Resolved::Ref(Reference::CfnRef("Arn".into())));
    let mapped = parse_json(r#"{"Fn::FindInMap": ["Models", {"Ref": "AWS::Region"}, "Chat"]}"#).unwrap();
    assert_eq!(scope.string(&mapped), Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    let joined = parse_json(r#"{"Fn::Join": ["-", ["a", {"Ref": "Units"}]]}"#).unwrap();
    assert_eq!(scope.string(&joined), Resolved::Known("a-2".into()));
    let sub = parse_json(r#"{"Fn::Sub": "x-${Units}-${AWS::Region}-${!Keep}"}"#).unwrap();
    assert_eq!(scope.string(&sub), Resolved::Known("x-2-us-east-1-${Keep}".into()));
    let getatt = parse_json(r#"{"Fn::Sub": "${Pt.ProvisionedModelArn}"}"#).unwrap();
    assert_eq!(scope.string(&getatt), Resolved::Ref(Reference::CfnGetAtt("Pt".into(), "ProvisionedModelArn".into())));
    let conditional = parse_json(r#"{"Fn::If": ["IsProd", "SixMonths", "OneMonth"]}"#).unwrap();
    assert_eq!(scope.string(&conditional), Resolved::Unresolved("depends on condition `IsProd`".into()));
    let select = parse_json(r#"{"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]}"#).unwrap();
    assert_eq!(scope.string(&select), Resolved::Known("b".into()));
}

#[test]
fn text_built_past_the_budget_is_unknown_and_the_first_place_is_kept() {
    let default = "x".repeat(1 << 20);
    let root = scope_for(&format!(r#"{{"Parameters": {{"P": {{"Type": "String", "Default": "{default}"}}}}}}"#));
    let scope = Scope::new(root.get("Parameters"), None, None, None);
    // Sixteen copies of 1 MiB fit; the seventeenth does not.
    let sixteen = parse_json(&format!(r#"{{"Fn::Sub": "{}"}}"#, "${P}".repeat(8))).unwrap();
    assert!(matches!(scope.string(&sixteen), Resolved::Known(v) if v.len() == 8 << 20));
    assert_eq!(scope.budget_exhausted(), None);
    let join =
        parse_json(&format!(r#"{{"Fn::Join": ["", [{}]]}}"#, vec![r#"{"Ref": "P"}"#; 20_000].join(","))).unwrap();
    let why = "intrinsic functions of this template built more than 16 MiB of text";
    assert_eq!(scope.string(&join), Resolved::Unresolved(why.into()));
    let (span, message) = scope.budget_exhausted().unwrap();
    assert_eq!(span, join.span);
    assert_eq!(
        message,
        "Fn::Join would build more than the 16 MiB of text intrinsic functions may build for one template"
    );
    // Later values that build text are unknown too, and the first place stays the one reported.
    assert_eq!(scope.string(&sixteen), Resolved::Unresolved(why.into()));
    assert_eq!(scope.budget_exhausted().unwrap().0, join.span);
    // A value written where it is used costs nothing.
    assert_eq!(scope.string(&parse_json(r#""literal""#).unwrap()), Resolved::Known("literal".into()));
}

#[test]
fn sub_reads_escapes_unterminated_and_empty_placeholders_as_written() {
    let root = scope_for(r#"{"Parameters": {"Units": {"Type": "Number", "Default": 2}, "Arn": {"Type": "String"}}}"#);
    let scope = Scope::new(root.get("Parameters"), None, Some("us-east-1"), None);
    let sub = |template: &str| scope.string(&parse_json(&format!(r#"{{"Fn::Sub": "{template}"}}"#)).unwrap());
    assert_eq!(sub("${Units}${Units}"), Resolved::Known("22".into()));
    assert_eq!(sub("é-${Units}-€"), Resolved::Known("é-2-€".into()));
    assert_eq!(sub("$5-${!Keep}"), Resolved::Known("$5-${Keep}".into()));
    // An unterminated escape still reads as its literal; any other unterminated `${` stays as written.
    assert_eq!(sub("a-${!Keep"), Resolved::Known("a-${Keep}".into()));
    assert_eq!(sub("a-${Units"), Resolved::Known("a-${Units".into()));
    assert_eq!(sub("a-${}"), Resolved::Unresolved("Fn::Sub of `a-${}`".into()));
    assert_eq!(sub(" ${ Arn } "), Resolved::Ref(Reference::CfnRef("Arn".into())));
    assert_eq!(sub("x-${Arn}"), Resolved::Unresolved("Fn::Sub of `x-${Arn}`".into()));
}

#[test]
fn partial_sub_keeps_each_placeholder_after_the_text_before_it() {
    let root = scope_for(r#"{"Parameters": {"Units": {"Type": "Number", "Default": 2}}}"#);
    let scope = Scope::new(root.get("Parameters"), None, None, None);
    let partial = |template: &str| scope.partial(&parse_json(&format!(r#"{{"Fn::Sub": "{template}"}}"#)).unwrap());
    let text = |t: &str| Partial::Text(t.to_string());
    assert_eq!(
        partial("${AWS::AccountId}${!X}-${ Units }"),
        Some(vec![
            text(""),
            Partial::Hole("${AWS::AccountId}".into()),
            text(""),
            text("${X}"),
            text("-"),
            text("2"),
            text("")
        ])
    );
    assert_eq!(partial("a-${AWS::AccountId}-${B"), None);
    assert_eq!(partial("a-${Units}"), None);
}
